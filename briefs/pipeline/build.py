"""The build: a brief file → every requested edition, as HTML and PDF, in the output folder.

This is the library entry point the CLI's ``build`` command calls. It validates once, then
renders each (audience, language) edition; PDFs are rendered only when asked for, so the
HTML-only path never imports WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefs.cache import cached
from briefs.check.project import Institute, find_project_file, load_project, series_problem
from briefs.check.validate import Validated, load_brief
from briefs.edition.audiences import BUILTIN_AUDIENCES, AudienceProfile, load_profiles
from briefs.edition.edition import Edition, SiteLink, Target
from briefs.edition.plan import page_budget, running_head_budget, summary_budget
from briefs.errors import BriefError, Diagnostic, display_path
from briefs.fs import inside, write_atomic
from briefs.pipeline.inputs import brief_digest
from briefs.pipeline.layout import layout_warnings
from briefs.pipeline.manifest import brief_page, catalogue_page
from briefs.render.environment import make_environment
from briefs.render.fonts import embed_fonts, used_characters
from briefs.render.html import render_edition
from briefs.resources import search_path
from briefs.text.i18n import Labels

if TYPE_CHECKING:
    from concurrent.futures import Future

    from briefs.pdf.pool import PdfPool
    from briefs.pdf.weasy import PdfResult

Format = Literal["html", "pdf", "docx", "hwpx"]
FORMATS: tuple[Format, ...] = ("html", "pdf")
"""The formats a build makes unless asked for others."""
ALL_FORMATS: tuple[Format, ...] = ("html", "pdf", "docx", "hwpx")
"""Every format a build can make."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    out: Path = Path("public")
    """Output folder; editions go to ``<out>/<brief id>/<audience>.<lang>.<format>``."""
    languages: Sequence[str] = ()
    """Languages to build; empty means every language the brief declares."""
    audiences: Sequence[str] = ()
    """Audiences to build; empty means those the brief declares (default: all built-in)."""
    formats: Sequence[Format] = FORMATS
    """Formats to write."""
    templates: Path | None = None
    """User templates folder, searched before the built-ins."""
    allow_missing_translations: bool = False
    """Build even when a text lacks a translation, marking the fallback visibly."""
    editions: Sequence[tuple[str, str]] = ()
    """Exactly these (audience, language) editions, when given (publish shards use it)."""
    site: bool = False
    """The HTML editions link to the published site around them: their PDF, their other
    languages, the brief's page and the catalogue (``briefs publish`` sets it)."""


@dataclass(frozen=True)
class Output:
    """One file written by a build."""

    path: Path
    """Where it was written."""
    brief_id: str
    """The brief's id."""
    audience: str
    """The audience edition."""
    lang: str
    """The language."""
    format: Format
    """html, pdf, docx or hwpx."""
    size: int
    """Size in bytes."""
    pages: int | None = None
    """Number of pages (PDF only)."""
    layouts: int | None = None
    """WeasyPrint layouts the PDF took (PDF only): more than one when a footnote had to be
    brought back to its mark's page or the edition was too short for contents."""


@dataclass
class BuildResult:
    """Everything a build wrote, and the warnings it produced."""

    outputs: list[Output] = field(default_factory=list)
    """Files written, in build order."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Problems that did not stop the build."""


def creation_date(brief_date: dt.date) -> str:
    """The timestamp written into outputs: ``SOURCE_DATE_EPOCH`` if set, else the brief's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError):
            raise BriefError(f"SOURCE_DATE_EPOCH must be a Unix timestamp, not {epoch!r}") from None
    else:
        moment = dt.datetime.combine(brief_date, dt.time(), dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Project:
    """The template search path, profiles and environment, shared by several builds, and
    the institute's settings from its project file (``briefs.toml``)."""

    def __init__(self, templates: Path | None = None, institute: Institute | None = None) -> None:
        self.institute = institute or Institute()
        self.folders = search_path(templates or self.institute.templates)
        self.profiles: dict[str, AudienceProfile] = load_profiles(self.folders)
        self.env = make_environment(self.folders)
        # Every template sees the institute: its logo, colours and page setup.
        self.env.globals["institute"] = self.institute
        self._labels: dict[str, Labels] = {}
        self._check_defaults()

    @classmethod
    def for_path(cls, start: Path, templates: Path | None = None) -> Project:
        """The project of the brief or inputs folder ``start``: its project file found by
        walking up (:func:`briefs.check.project.find_project_file`), read and checked."""
        return cls(templates, load_project(find_project_file(start)))

    def _check_defaults(self) -> None:
        source = self.institute.source
        audiences = self.institute.settings.defaults.audiences or []
        unknown = [(i, a) for i, a in enumerate(audiences) if a not in self.profiles]
        if source is not None and unknown:
            raise BriefError(
                [
                    source.diagnostic(
                        ("defaults", "audiences"),
                        f"audience '{name}' is not defined",
                        f"known: {', '.join(self.profiles)}",
                    )
                    for _, name in unknown
                ]
            )

    def labels(self, lang: str) -> Labels:
        """Labels of ``lang``, loaded once."""
        if lang not in self._labels:
            self._labels[lang] = Labels(lang, self.folders)
        return self._labels[lang]

    def load(self, path: Path, *, allow_missing_translations: bool = False) -> Validated:
        """Load and validate a brief against this project's audiences, with the project
        file's defaults for the fields it leaves out."""
        validated = load_brief(
            path,
            audiences=list(self.profiles),
            allow_missing_translations=allow_missing_translations,
            defaults=self.institute.defaults(),
        )
        if problem := series_problem(self.institute, validated.brief.series):
            raise BriefError(
                validated.source.diagnostic(
                    ("series",), problem, f"set in {self.institute.source_name}"
                )
            )
        return validated

    def edition(
        self,
        validated: Validated,
        audience: str,
        lang: str,
        target: Target,
        *,
        allow_missing_translations: bool = False,
        links: Sequence[SiteLink] = (),
    ) -> Edition:
        """The view of one edition."""
        brief = validated.brief
        return Edition(
            brief,
            self.profiles[audience],
            lang,
            self.labels(lang),
            target,
            created=creation_date(brief.date),
            folder=validated.source.path.resolve().parent,
            allow_missing_translations=allow_missing_translations,
            links=links,
        )

    def site_links(self, validated: Validated, audience: str, lang: str) -> list[SiteLink]:
        """The links of a published HTML edition to the site around it: its PDF, the same
        edition in the brief's other languages, the brief's page and the catalogue."""
        brief = validated.brief
        t = self.labels(lang)
        links = [SiteLink(f"{audience}.{lang}.pdf", t("site.pdf"))]
        links += [
            SiteLink(f"{audience}.{other}.html", self.labels(other)("language_name"), other)
            for other in brief.languages
            if other != lang
        ]
        page = brief_page(brief.id, lang, brief.first_language).split("/", 1)[1]
        links.append(SiteLink(page, t("site.brief_page")))
        links.append(SiteLink(f"../{catalogue_page(lang)}", t("site.catalogue")))
        return links

    def render(self, edition: Edition, *, toc: bool = True, fonts: bool = True) -> str:
        """The edition's HTML document (without its table of contents when ``toc`` is false;
        an HTML edition without its embedded fonts when ``fonts`` is false)."""
        return render_edition(edition, self.env, toc=toc, fonts=fonts)


def plan(
    validated: Validated, options: BuildOptions, profiles: dict[str, AudienceProfile]
) -> list[tuple[str, str]]:
    """The (audience, language) editions a build makes, checking the requested ones exist."""
    brief = validated.brief
    declared = list(brief.audiences or [a for a in BUILTIN_AUDIENCES if a in profiles])
    audiences = list(options.audiences) or declared
    languages = list(options.languages) or list(brief.languages)
    problems = [
        f"audience '{a}' is not defined (known: {', '.join(profiles)})"
        for a in audiences
        if a not in profiles
    ]
    problems += [
        f"language '{lang}' is not one of the brief's languages ({', '.join(brief.languages)})"
        for lang in languages
        if lang not in brief.languages
    ]
    if problems:
        raise BriefError([Diagnostic(validated.source.name, 0, 0, p) for p in problems])
    pairs = [(a, lang) for a in audiences for lang in languages]
    if options.editions:
        pairs = [pair for pair in pairs if pair in set(options.editions)]
    return pairs


@dataclass
class PendingBuild:
    """A build whose HTML is written and whose PDFs are rendering in a pool."""

    validated: Validated
    """The brief."""
    options: BuildOptions
    """What was asked for."""
    result: BuildResult
    """HTML outputs and warnings so far."""
    pending: list[tuple[Edition, Future[PdfResult]]] = field(default_factory=list)
    """PDFs still rendering."""

    def finish(self) -> BuildResult:
        """Wait for the PDFs and write them; raises :class:`BriefError` if any failed."""
        brief = self.validated.brief
        failures: list[BriefError] = []
        for edition, future in self.pending:
            which = f"PDF edition {edition.audience}.{edition.lang}"
            try:
                pdf = future.result()
            except BriefError as exc:
                failures.append(
                    BriefError(
                        [
                            Diagnostic(d.path, d.line, d.col, f"{which}: {d.message}", d.hint)
                            for d in exc.diagnostics
                        ]
                    )
                )
                continue
            except Exception as exc:  # BrokenProcessPool: the worker died (memory, a crash)
                failures.append(
                    BriefError(
                        Diagnostic(
                            self.validated.source.name,
                            0,
                            0,
                            f"{which}: the PDF renderer stopped ({type(exc).__name__}: "
                            "out of memory, or killed)",
                            "look for very large images, tables or SVG drawings",
                        )
                    )
                )
                continue
            target = inside(self.options.out, f"{brief.id}/{edition.audience}.{edition.lang}.pdf")
            write_atomic(target, pdf.data)
            self.result.outputs.append(
                Output(
                    target,
                    brief.id,
                    edition.audience,
                    edition.lang,
                    "pdf",
                    len(pdf.data),
                    pdf.pages,
                    pdf.layouts,
                )
            )
            if (warning := page_budget(edition, pdf.pages, display_path(target))) is not None:
                self.result.warnings.append(warning)
            self.result.warnings.extend(
                Diagnostic(str(target), 0, 0, f"WeasyPrint: {m}") for m in pdf.messages
            )
            self.result.warnings.extend(
                layout_warnings(
                    pdf.findings, self.validated.source, f"{edition.audience}.{edition.lang}"
                )
            )
        self.pending.clear()
        if failures:
            raise BriefError.merge(failures)
        return self.result


def start_build(
    validated: Validated, options: BuildOptions, *, project: Project, pool: PdfPool | None
) -> PendingBuild:
    """Write the HTML editions and submit the PDF editions of a validated brief."""
    brief = validated.brief
    build = PendingBuild(validated, options, BuildResult(warnings=list(validated.warnings)))
    base_dir = validated.source.path.resolve().parent
    allow = options.allow_missing_translations
    pages: list[tuple[Path, str, str, str]] = []  # HTML editions: target, audience, lang, text
    for audience, lang in plan(validated, options, project.profiles):
        html = None
        if "pdf" in options.formats:
            assert pool is not None, "PDF builds need a PdfPool"
            edition = project.edition(
                validated, audience, lang, "pdf", allow_missing_translations=allow
            )
            warning = running_head_budget(edition, validated.source)
            if warning is not None and warning not in build.result.warnings:
                build.result.warnings.append(warning)
            from briefs.pdf.weasy import without_toc  # only PDF builds pay for its imports

            html = project.render(edition)
            # The worker cuts the marked contents out itself; a template that drops the
            # markers gets the edition rendered again without contents, here.
            short = None if without_toc(html) is not None else project.render(edition, toc=False)
            future = pool.submit(html, base_dir, validated.source.name, short_html=short)
            build.pending.append((edition, future))
        offices: tuple[Format, ...] = ("docx", "hwpx")
        for office in offices:
            if office not in options.formats:
                continue
            # DOCX and HWPX are made from the print document: same footnotes, same numbers.
            if html is None:
                edition = project.edition(
                    validated, audience, lang, "pdf", allow_missing_translations=allow
                )
                html = project.render(edition)
            target = inside(options.out, f"{brief.id}/{audience}.{lang}.{office}")
            data = office_edition(
                validated, edition, html, project.folders, office, build.result.warnings
            )
            write_atomic(target, data)
            build.result.outputs.append(Output(target, brief.id, audience, lang, office, len(data)))
        if "html" in options.formats:
            links = project.site_links(validated, audience, lang) if options.site else []
            edition = project.edition(
                validated, audience, lang, "html", allow_missing_translations=allow, links=links
            )
            document = project.render(edition, fonts=False)
            if (warning := summary_budget(edition, validated.source)) is not None:
                build.result.warnings.append(warning)
            target = inside(options.out, f"{brief.id}/{audience}.{lang}.html")
            pages.append((target, audience, lang, document))
    shared = _font_characters(validated, project, pages, allow)
    for target, audience, lang, document in pages:
        data = embed_fonts(document, shared[lang]).encode("utf-8")
        write_atomic(target, data)
        build.result.outputs.append(Output(target, brief.id, audience, lang, "html", len(data)))
    return build


def _font_characters(
    validated: Validated,
    project: Project,
    pages: list[tuple[Path, str, str, str]],
    allow: bool,
) -> dict[str, frozenset[str]]:
    """The characters each language's font subset covers: those of all the brief's editions
    in that language, whichever of them this build writes.

    The editions of a language share one subset (made once, then cached), and an edition's
    bytes never depend on which others are built with it (a publish shard, ``--audience``).
    An edition not written now is rendered to learn its characters, unless they are in the
    cache under the digest of everything it is made from (:mod:`briefs.pipeline.inputs`).
    """
    written = {(audience, lang): document for _, audience, lang, document in pages}
    shared: dict[str, frozenset[str]] = {}
    digest: str | None = None
    for lang in dict.fromkeys(lang for _, _, lang, _ in pages):
        found: set[str] = set()
        for audience, other in plan(validated, BuildOptions(), project.profiles):
            if other != lang:
                continue
            document = written.get((audience, lang))
            if document is not None:
                found |= used_characters(document)
                continue

            def render(audience: str = audience, lang: str = lang) -> bytes:
                edition = project.edition(
                    validated, audience, lang, "html", allow_missing_translations=allow
                )
                shown = used_characters(project.render(edition, fonts=False))
                return _CHARS + "".join(sorted(shown)).encode("utf-8", "surrogatepass")

            digest = digest or brief_digest(validated, project.folders, project.institute)
            if digest is None:
                data = render()
            else:
                data = cached(
                    "chars", f"{digest}\0{audience}\0{lang}\0{allow}", render, magic=_CHARS
                )
            found |= set(data[len(_CHARS) :].decode("utf-8", "surrogatepass"))
        shared[lang] = frozenset(found)
    return shared


_CHARS = b"briefs-characters\n"
"""How a cached character set begins."""


def build_brief(
    path: Path | str,
    options: BuildOptions = BuildOptions(),
    *,
    project: Project | None = None,
    pool: PdfPool | None = None,
) -> BuildResult:
    """Build the editions of the brief at ``path`` as ``options`` say.

    PDFs render in ``pool`` (made for this call when not given; pass one started early to
    overlap WeasyPrint's start-up with loading the brief). Raises :class:`BriefError` for
    invalid input or a failed render; nothing is written for an invalid brief, and each
    written file is complete (atomic rename).
    """
    project = project or Project.for_path(Path(path), options.templates)
    validated = project.load(
        Path(path), allow_missing_translations=options.allow_missing_translations
    )
    own_pool = "pdf" in options.formats and pool is None
    if "pdf" in options.formats:
        from briefs.pdf.pool import PdfPool  # only PDF builds pay for multiprocessing

        pool = pool or PdfPool(start=0)
        pool.grow(len(plan(validated, options, project.profiles)))
    try:
        return start_build(validated, options, project=project, pool=pool).finish()
    finally:
        if own_pool and pool is not None:
            pool.close(cancel=True)


def office_edition(
    validated: Validated,
    edition: Edition,
    html: str,
    folders: list[Path],
    fmt: str = "docx",
    warnings: list[Diagnostic] | None = None,
) -> bytes:
    """The DOCX or HWPX of one edition, on the reference document of the search path
    ``folders`` (what it lacks is added to ``warnings``, once); an image it cannot hold is
    reported at the brief's line."""
    from briefs.office.images import PictureError

    try:
        if fmt == "hwpx":
            from briefs.office.hwpx import write_hwpx
            from briefs.office.reference import hwpx_styles

            shapes, lacking = hwpx_styles(folders)
            if warnings is not None:
                warnings.extend(w for w in lacking if w not in warnings)
            return write_hwpx(html, edition, shapes)
        from briefs.office.docx import write_docx

        return write_docx(html, edition, folders)
    except PictureError as exc:
        line, col = image_position(validated, exc.alt)
        raise BriefError(
            Diagnostic(
                validated.source.name,
                line,
                col,
                f"{fmt.upper()} edition {edition.audience}.{edition.lang}: "
                f"image {exc.alt!r}: {exc}",
                "use a PNG, a JPEG or an SVG drawing with a width and height",
            )
        ) from None


def image_position(validated: Validated, alt: str) -> tuple[int, int]:
    """Where the brief's Markdown image with alternative text ``alt`` is (0, 0 if nowhere)."""
    import re

    from briefs.source import strings

    pattern = re.compile(r"!\[" + re.escape(alt) + r"\]\(")
    source = validated.source
    for path, text in strings(source.data):
        if match := pattern.search(text):
            pos = source.locate(path, match.start())
            return pos.line, pos.col
    return 0, 0
