"""The one function that builds the Jinja environment, over the template search path.

Lookup order (see :func:`briefs.resources.search_path`): the user's templates folder, then
the built-ins. A user template can extend
the built-in it overrides with ``{% extends "builtin:base.html.j2" %}`` instead of copying it.
Every template renders in a sandbox with autoescaping and strict undefined variables.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable, MutableMapping
from pathlib import Path, PurePath
from types import ModuleType
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    filters,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import internalcode

from briefs.fs import cache_home, private_folder
from briefs.source import ReadError, read_file
from briefs.version import __version__

MAX_SEQUENCE = 1_000_000
"""Longest string or list a template may make with ``*`` (characters or items)."""
MAX_POWER = 4096
"""Largest exponent a template may use with ``**``."""

BUILTIN_PREFIX = "builtin"
"""``{% extends "builtin:NAME" %}`` always reaches the built-in template NAME."""


def make_environment(folders: list[Path]) -> SandboxedEnvironment:
    """A sandboxed Jinja environment over ``folders`` (as from :func:`search_path`)."""
    builtin = FileSystemLoader(folders[-1])
    loader = ChoiceLoader(
        [
            *(ConfinedLoader(folder) for folder in folders[:-1]),
            builtin,
            PrefixLoader({BUILTIN_PREFIX: builtin}, delimiter=":"),
        ]
    )
    env = BoundedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.untrusted = len(folders) > 1
    return env


MAX_TEMPLATE_BYTES = 2_000_000
"""Largest user template file read."""


class ConfinedLoader(FileSystemLoader):
    """Loads templates from a user folder, refusing files that resolve outside it.

    A symlink in the folder could otherwise make ``{% include %}`` read any file. Files are
    read with :func:`briefs.source.read_file`, the check every untrusted file passes: no
    symlink out of the folder, no hidden names (``.git/config``), bounded size.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder
        self.root = folder.resolve()

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not os.path.lexists(path) or path.is_dir():
            raise TemplateNotFound(template)
        try:
            data = read_file(path, limit=MAX_TEMPLATE_BYTES, root=self.folder)
        except ReadError as exc:
            raise SecurityError(f"template {template!r} {exc}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateSyntaxError("not valid UTF-8", 1, template, str(path)) from None
        return text, str(path), lambda: False

    @internalcode
    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """Compile the user's template every time: never from, nor into, the bytecode cache.

        Jinja checks cached bytecode only against a checksum of the source, which anyone
        who can write the cache can compute; bytecode for untrusted templates is not kept.
        """
        source, filename, uptodate = self.get_source(environment, name)
        code = environment.compile(source, name, filename)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


def _too_long(size: int) -> None:
    if size > MAX_SEQUENCE:
        raise SecurityError(
            f"template makes a string of {size:,} characters (limit {MAX_SEQUENCE:,})"
        )


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that the result's length is checked (no doubling bombs)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


def _center(value: str, width: int = 80) -> str:
    _too_long(width)
    return str(value).center(width)


def _indent(value: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _too_long(width if isinstance(width, int) else len(width))
    return str(filters.do_indent(value, width, first, blank))


def check_format_widths(text: str, depth: int = 0) -> None:
    """Refuse a ``str.format`` string whose widths or precisions are too large.

    ``"{:>999999999}".format(1)`` builds a gigabyte from a dozen characters; nested specs
    (``{:{w}}``) are parsed too.
    """
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format will refuse it itself
    for _, _, spec, _ in fields:
        if spec:
            for number in re.findall(r"\d+", spec):
                _too_long(int(number))
            if depth < 2 and "{" in spec:
                check_format_widths(spec, depth + 1)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    for width in re.findall(r"%[-+ #0]*(\d+)", str(value)):
        _too_long(int(width))
    return str(filters.do_format(value, *args, **kwargs))


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, plus bounds on what one expression may build.

    The sandbox stops attribute escapes, not ``{{ 'a' * 10**9 }}``: multiplying a string
    or list and raising to a power are checked here; the render's total time and output
    size are bounded in :func:`briefs.render.html.render_template`.
    """

    intercepted_binops = frozenset({"*", "**", "%"})
    code_generator_class = _BoundedCodeGenerator
    untrusted = False
    """Whether user templates are on the search path (renders then get a memory limit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filters that can make a long string from a short one, with their sizes checked.
        self.filters.update(center=_center, indent=_indent, format=_format)

    def checked_concat(self, value: Any) -> Any:
        """The result of ``~``, refused when it is too long."""
        _too_long(len(value))
        return value

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # Method calls such as ''.ljust(10**9) or 'a'.replace('a', 'b' * 10**6) on strings.
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool):
                _too_long(arg)
        if (
            getattr(__obj, "__name__", "") == "replace"
            and isinstance(getattr(__obj, "__self__", None), str)
            and len(args) >= 2
        ):
            text, old, new = __obj.__self__, str(args[0]), str(args[1])
            _too_long(len(text) + text.count(old) * max(0, len(new) - len(old)) if old else 0)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # The sandbox hands templates its own wrapper of str.format: check the string's
        # widths ("{:>999999999}") before it is formatted.
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and isinstance(getattr(value, "__self__", None), str):
            check_format_widths(value.__self__)
        return wrapped

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Paths and modules give access to files and to everything else: never expose them.
        if isinstance(obj, PurePath | ModuleType) or isinstance(value, PurePath | ModuleType):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | bytes | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_SEQUENCE
                ):
                    raise SecurityError(
                        f"template makes a sequence of {len(seq) * count:,} items "
                        f"(limit {MAX_SEQUENCE:,})"
                    )
        if operator == "%" and isinstance(left, str):
            for width in re.findall(r"%[-+ #0]*(\d+)(?:\.(\d+))?", left):
                for number in width:
                    if number:
                        _too_long(int(number))
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(f"template raises to the power {right} (limit {MAX_POWER})")
        return super().call_binop(context, operator, left, right)


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled built-in templates cached per user (keyed by source checksum): ~50 ms a run.

    Cached bytecode is executed, so the folder must be private to the user (see
    :func:`briefs.fs.private_folder`); user templates are never cached
    (:meth:`ConfinedLoader.load`).
    """
    # Salted with the code generator's name: bytecode compiled by another generator (an
    # older briefs without the bounded concatenation) must not be reused.
    folder = private_folder(
        cache_home() / "briefs" / f"jinja-{_BoundedCodeGenerator.__name__}-{__version__}"
    )
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None
