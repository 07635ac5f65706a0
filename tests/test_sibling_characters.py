"""An HTML edition built alone still gets its language's shared font subset, and learns its
siblings' characters from the cache when nothing they are made from has changed
(briefs/pipeline/inputs.py, briefs/pipeline/build.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefs.pipeline.build import BuildOptions, build_brief
from briefs.render.fonts import woff2_subset
from tests.test_fonts_html import MINIMAL, faces

NEW = "뙇"  # a syllable no built-in label, template or fixture text uses


@pytest.fixture
def brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    woff2_subset.cache_clear()
    folder = tmp_path / "brief"
    folder.mkdir()
    return Path(shutil.copy(MINIMAL, folder / "minimal.yaml"))


def public_ko(brief: Path, out: Path, templates: Path | None = None) -> set[str]:
    """The characters of the public Korean edition's regular face, built alone."""
    options = BuildOptions(out=out, formats=("html",), audiences=("public",), languages=("ko",))
    if templates is not None:
        from briefs.pipeline.build import Project

        build_brief(brief, options, project=Project(templates))
    else:
        build_brief(brief, options)
    document = (out / "minimal" / "public.ko.html").read_text(encoding="utf-8")
    return set(map(chr, faces(document)[400].getBestCmap()))


def test_the_siblings_characters_are_read_from_the_cache(brief: Path, tmp_path: Path) -> None:
    first = public_ko(brief, tmp_path / "a")
    kept = sorted((tmp_path / "cache" / "briefs").glob("chars-*/*.chars"))
    assert len(kept) == 3  # government, industry and startups: the editions not written
    assert NEW not in first
    for entry in kept:  # what the cache says is what the next build uses
        entry.write_bytes(entry.read_bytes() + NEW.encode())
    assert NEW in public_ko(brief, tmp_path / "b")


def test_a_damaged_entry_is_made_again(brief: Path, tmp_path: Path) -> None:
    first = public_ko(brief, tmp_path / "a")
    for entry in (tmp_path / "cache" / "briefs").glob("chars-*/*.chars"):
        entry.write_bytes(b"not a character set" + NEW.encode())
    assert public_ko(brief, tmp_path / "b") == first


def test_a_changed_sibling_is_rendered_again(brief: Path, tmp_path: Path) -> None:
    public_ko(brief, tmp_path / "a")
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("산업계 메모", f"산업계 메모 {NEW}"), encoding="utf-8")
    assert NEW in public_ko(brief, tmp_path / "b")  # shown in the industry edition only


def test_a_changed_template_is_rendered_again(brief: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "audiences").mkdir(parents=True)
    source = Path(__file__).resolve().parent.parent / "templates" / "audiences" / "industry.html.j2"
    page = templates / "audiences" / "industry.html.j2"
    page.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    before = public_ko(brief, tmp_path / "a", templates)
    assert NEW not in before
    colophon = f"{{% block colophon %}}{{{{ super() }}}}<p>{NEW}</p>{{% endblock %}}\n"
    page.write_text(source.read_text(encoding="utf-8") + colophon, encoding="utf-8")
    assert NEW in public_ko(brief, tmp_path / "b", templates)
