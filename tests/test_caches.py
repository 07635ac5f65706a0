"""Caches outside ``--out`` cannot be planted (issue 14, item 15).

briefs keeps two things between runs, both under the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``), in ``briefs/``:

- compiled bytecode of the *built-in* templates (Jinja's ``FileSystemBytecodeCache``,
  which executes what it loads). User templates are compiled every run and never cached:
  their bytecode, planted with the right checksum, is not executed;
- the fontconfig folder (a ``fonts.conf`` that sees only the bundled fonts, and
  fontconfig's own cache). It used to sit at a predictable path in ``/tmp``.

Each folder is used only when it is a real folder (not a symlink), owned by the user, with
mode 0700. Otherwise the bytecode cache is not used at all, and fontconfig gets a fresh
private folder for the process; what was planted is neither read nor written. These
tests run as root here, so a folder "owned by someone else" cannot be made without a
second user: they plant a world-writable folder and a symlink instead.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from tests.conftest import subprocess_env


def child(code: str, cache: Path, *args: str, cwd: Path | None = None) -> str:
    """Run ``code`` in a fresh interpreter with ``XDG_CACHE_HOME=cache``; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=subprocess_env(XDG_CACHE_HOME=str(cache)),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


FONTCONFIG = "from briefs.pdf.weasy import fontconfig_file; print(fontconfig_file())"


def fontconfig_folder(cache: Path) -> Path:
    """The folder briefs uses for fontconfig with this cache home."""
    return Path(child(FONTCONFIG, cache).strip()).parent


def test_fontconfig_folder_is_private_and_outside_tmp(tmp_path: Path) -> None:
    folder = fontconfig_folder(tmp_path / "cache")
    assert folder.is_relative_to(tmp_path / "cache" / "briefs")
    info = folder.lstat()
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()
    assert fontconfig_folder(tmp_path / "cache") == folder  # kept between runs


def planted(folder: Path) -> str:
    """A fonts.conf an attacker would like briefs to use."""
    return f'<?xml version="1.0"?><fontconfig><dir>{folder}/evil-fonts</dir></fontconfig>\n'


@pytest.mark.parametrize("how", ["world-writable", "symlink", "group-writable", "a-file"])
def test_a_planted_fontconfig_folder_is_not_used(how: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = fontconfig_folder(cache)
    shutil.rmtree(folder)
    elsewhere = tmp_path / "attacker"
    elsewhere.mkdir()
    if how == "symlink":
        (elsewhere / "fonts.conf").write_text(planted(elsewhere))
        folder.symlink_to(elsewhere, target_is_directory=True)
    elif how == "a-file":
        folder.write_text("not a folder")
    else:
        folder.mkdir()
        folder.chmod(0o777 if how == "world-writable" else 0o770)
        (folder / "fonts.conf").write_text(planted(elsewhere))
    before = {p: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()}
    conf = Path(child(FONTCONFIG, cache).strip())
    assert not conf.resolve().is_relative_to(elsewhere.resolve())
    assert not conf.resolve().is_relative_to(folder.resolve())
    assert "evil-fonts" not in conf.read_text()
    info = conf.parent.lstat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    # What was planted is neither read into the configuration nor written over.
    assert {p: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()} == before


USER_TEMPLATE = """\
{% extends "builtin:audiences/government.html.j2" %}
{% block colophon %}user-template-marker {{ super() }}{% endblock %}
"""


def build_with_user_template(work: Path, cache: Path) -> str:
    """Build the government edition with a user template; the English HTML."""
    code = (
        "from briefs.cli.main import run\n"
        "import sys\n"
        "sys.exit(run(['build', 'brief.yaml', '-f', 'html', '-a', 'government', '-l', 'en',"
        " '--templates', sys.argv[1], '--out', 'out', '-q']))"
    )
    child(code, cache, str(work / "t"), cwd=work)
    return (work / "out" / "minimal" / "government.en.html").read_text(encoding="utf-8")


@pytest.fixture
def work(tmp_path: Path, minimal_path: Path) -> Path:
    shutil.copyfile(minimal_path, tmp_path / "brief.yaml")
    (tmp_path / "t" / "audiences").mkdir(parents=True)
    (tmp_path / "t" / "audiences" / "government.html.j2").write_text(USER_TEMPLATE)
    return tmp_path


def bytecode_folders(cache: Path) -> list[Path]:
    return sorted((cache / "briefs").glob("jinja-*"))


def test_user_templates_are_never_cached(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    html = build_with_user_template(work, cache)
    assert "user-template-marker" in html
    (folder,) = bytecode_folders(cache)
    cached = {p.name for p in folder.iterdir()}
    assert cached, "built-in templates are cached"
    name = "audiences/government.html.j2"
    user_file = str(work / "t" / "audiences" / "government.html.j2")
    key = FileSystemBytecodeCache().get_cache_key(name, user_file)
    assert f"__jinja2_{key}.cache" not in cached


def test_planted_bytecode_for_a_user_template_is_not_executed(work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_with_user_template(work, cache)  # makes the cache folder, as a real run would
    (folder,) = bytecode_folders(cache)
    # Bytecode compiled from other source, filed under the user template's key with the
    # checksum of its real source: what a cache restored from an untrusted run could hold.
    from briefs.render.environment import make_environment
    from briefs.resources import builtin_dir

    env = make_environment([work / "t", builtin_dir()])
    name = "audiences/government.html.j2"
    user_file = work / "t" / "audiences" / "government.html.j2"
    bcc = FileSystemBytecodeCache(str(folder))
    bucket = Bucket(env, bcc.get_cache_key(name, str(user_file)), "")
    bucket.checksum = bcc.get_source_checksum(user_file.read_text())
    bucket.code = env.compile("PLANTED-BYTECODE", name, str(user_file))
    bcc.dump_bytecode(bucket)
    html = build_with_user_template(work, cache)
    assert "PLANTED-BYTECODE" not in html
    assert "user-template-marker" in html


@pytest.mark.parametrize("how", ["world-writable", "symlink"])
def test_a_planted_bytecode_folder_is_not_used(how: str, work: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_with_user_template(work, cache)
    (folder,) = bytecode_folders(cache)
    shutil.rmtree(folder)
    elsewhere = tmp_path / "attacker"
    elsewhere.mkdir(mode=0o700)
    if how == "symlink":
        folder.symlink_to(elsewhere, target_is_directory=True)
    else:
        folder.mkdir()
        folder.chmod(0o777)
    build_with_user_template(work, cache)
    assert list(elsewhere.iterdir()) == []
    if how == "world-writable":
        assert list(folder.iterdir()) == []
