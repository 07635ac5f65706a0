"""The HTML edition carries the bundled face as a WOFF2 subset of the characters it shows.

The fonts are read back out of the HTML with fontTools: their cmap is compared with the
characters of the document, their names with what the OFL asks of a modified version.
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefs.pipeline.build import Project
from briefs.render.fonts import FAMILY, embed_fonts, woff2_subset

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
FACE = re.compile(
    r'@font-face \{ font-family: "([^"]+)"; font-style: normal; font-weight: (\d+); '
    r'font-display: swap; src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\) '
    r'format\("woff2"\); \}'
)


@pytest.fixture(scope="module")
def project() -> Project:
    return Project()


def render(project: Project, lang: str, target: str = "html") -> str:
    validated = project.load(MINIMAL)
    return project.render(project.edition(validated, "public", lang, target))


def faces(document: str) -> dict[int, TTFont]:
    found = {}
    for family, weight, data in FACE.findall(document):
        assert family == FAMILY
        raw = base64.b64decode(data)
        assert raw[:4] == b"wOF2"
        found[int(weight)] = TTFont(io.BytesIO(raw))
    return found


def shown(document: str) -> set[str]:
    """The characters of the document's text (tags, style and font data left out)."""
    body = re.sub(r"<style>.*?</style>|<[^>]+>", " ", document, flags=re.S)
    return set(html.unescape(body)) - set("\n\t\r\u2060\u200b\ufeff")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_both_weights_are_embedded_with_every_character_shown(project: Project, lang: str) -> None:
    document = render(project, lang)
    fonts = faces(document)
    assert sorted(fonts) == [400, 700]
    hangul = {c for c in shown(document) if "\uac00" <= c <= "\ud7a3"}
    assert bool(hangul) == (lang == "ko")
    for weight, font in fonts.items():
        cmap = set(map(chr, font.getBestCmap()))
        missing = {c for c in shown(document) if not c.isspace()} - cmap
        assert not missing, (weight, sorted(missing))
        # A subset: the bundled faces have 11,000+ glyphs, this one a few hundred at most.
        assert len(font.getGlyphOrder()) < 600
        assert "뷁" not in cmap  # a syllable the fixture never uses is left out


def test_the_subset_is_renamed_and_keeps_copyright_and_licence(project: Project) -> None:
    font = faces(render(project, "ko"))[700]
    names = {record.nameID: str(record) for record in font["name"].names}
    # The OFL's Reserved Font Name may not name a modified version (a subset is one).
    assert all("Pretendard" not in names[i] for i in (1, 4, 6) if i in names)
    assert names[1] == "Briefs Text" and names[2] == "Bold"
    assert "Kil Hyung-jin" in names[0] and "Open Font License" in names[13]


def test_the_html_is_the_same_when_rebuilt(project: Project) -> None:
    first = render(project, "ko")
    woff2_subset.cache_clear()  # built again from the font file, not taken from the cache
    assert render(project, "ko") == first


def test_the_pdf_edition_uses_the_bundled_files_not_data_urls(project: Project) -> None:
    assert "data:font/woff2" not in render(project, "ko", target="pdf")


def test_a_document_without_a_head_is_left_alone() -> None:
    assert embed_fonts("<p>본문</p>") == "<p>본문</p>"


def test_a_build_shares_one_subset_per_language(tmp_path: Path) -> None:
    from briefs.pipeline.build import BuildOptions, build_brief

    result = build_brief(MINIMAL, BuildOptions(out=tmp_path, formats=("html",)))
    by_lang: dict[str, set[str]] = {}
    for output in result.outputs:
        document = output.path.read_text(encoding="utf-8")
        data = FACE.findall(document)
        by_lang.setdefault(output.lang, set()).add("".join(d for _, _, d in data))
        # Each edition's own characters are in the shared subset.
        cmap = set(map(chr, faces(document)[400].getBestCmap()))
        assert {c for c in shown(document) if not c.isspace()} <= cmap
    assert sorted(by_lang) == ["en", "ko"]
    assert all(len(fonts) == 1 for fonts in by_lang.values()), "one subset per language"
    assert by_lang["en"] != by_lang["ko"]


def test_an_edition_is_the_same_whatever_is_built_with_it(tmp_path: Path) -> None:
    # A publish shard or --audience builds some editions only: the font subset, made from all
    # the brief's editions in the language, must not change with that.
    from briefs.pipeline.build import BuildOptions, build_brief

    build_brief(MINIMAL, BuildOptions(out=tmp_path / "all", formats=("html",)))
    build_brief(
        MINIMAL, BuildOptions(out=tmp_path / "one", formats=("html",), audiences=("public",))
    )
    for lang in ("ko", "en"):
        name = f"minimal/public.{lang}.html"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "all" / name).read_bytes()


def test_a_subset_is_kept_in_the_cache_and_a_damaged_one_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild takes its subsets from the user's cache; what is there but not a WOFF2 file
    (damaged, truncated) is made again, and the bytes are the same."""
    import briefs.cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    characters = frozenset("가나다 abc")
    woff2_subset.cache_clear()
    made = woff2_subset("PretendardGOV-Regular.ttf", characters)
    (cached,) = (tmp_path / "cache" / "briefs").glob("woff2-*/*.woff2")
    assert cached.read_bytes() == made and made[:4] == b"wOF2"
    woff2_subset.cache_clear()
    assert woff2_subset("PretendardGOV-Regular.ttf", characters) == made  # read back
    cached.write_bytes(b"not a font")
    woff2_subset.cache_clear()
    assert woff2_subset("PretendardGOV-Regular.ttf", characters) == made
    assert cached.read_bytes() == made
    # The folder keeps the newest briefs.cache.KEPT files.
    monkeypatch.setattr(briefs.cache, "KEPT", 2)
    for extra in ("라", "마", "바"):
        woff2_subset("PretendardGOV-Regular.ttf", characters | {extra})
    assert len(list(cached.parent.glob("*.woff2"))) == 2
    woff2_subset.cache_clear()


def test_a_cache_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "briefs").mkdir(parents=True, mode=0o777)
    (tmp_path / "cache" / "briefs").chmod(0o777)
    woff2_subset.cache_clear()
    assert woff2_subset("PretendardGOV-Regular.ttf", frozenset("가"))[:4] == b"wOF2"
    assert not list((tmp_path / "cache" / "briefs").glob("woff2-*/*.woff2"))
    woff2_subset.cache_clear()


def test_the_woff2_data_is_brotli_at_the_set_quality_and_decodes_to_the_same_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The subset is compressed at BROTLI_QUALITY, not fontTools' 11, and loses nothing:
    decoded, it is the very font fontTools' own WOFF2 (quality 11) decodes to."""
    import brotli
    from fontTools.ttLib import woff2

    from briefs.render import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    characters = frozenset("딥시크 충격 이후 저비용 AI 경쟁과 HBM 수요, 한국의 정책 과제 2026")
    woff2_subset.cache_clear()
    ours = woff2_subset("PretendardGOV-Regular.ttf", characters)
    woff2_subset.cache_clear()
    asked: list[int] = []

    def compress(data: bytes, **options: int) -> bytes:
        asked.append(options.get("quality", 11))
        return bytes(brotli.compress(data, **options))

    # fontTools' own writer: the quality it asks for (none, so brotli's 11)
    fake = type("Brotli", (), {"compress": staticmethod(compress), "MODE_FONT": brotli.MODE_FONT})
    monkeypatch.setattr(woff2, "brotli", fake)
    monkeypatch.setattr(fonts, "_brotli_quality", lambda: None)
    stock = fonts._subset("PretendardGOV-Regular.ttf", characters)
    assert asked == [11]
    assert ours != stock and len(ours) < len(stock) * 1.02

    def decoded(data: bytes) -> bytes:
        font = TTFont(io.BytesIO(data))
        font.flavor = None
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()

    monkeypatch.undo()
    assert decoded(ours) == decoded(stock)
    assert fonts.BROTLI_QUALITY == 10
    woff2_subset.cache_clear()
