"""Korean-first typography: inner-language marking, font preflight, KRDS contrast, fallbacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.check.fonts import coverage_path, covered, write_coverage
from briefs.cli.main import run
from briefs.errors import BriefError
from briefs.pipeline.build import BuildOptions, Project, build_brief
from briefs.resources import builtin_dir
from briefs.text.korean import mark_languages_html

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"


def _brief(tmp_path: Path, old: str, new: str) -> Path:
    text = MINIMAL.read_text("utf-8")
    assert old in text
    path = tmp_path / "brief.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


# -- lang on mixed content ----------------------------------------------------------------


def test_english_phrases_in_korean_text_carry_lang(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        "ko: 엔비디아 주가가 하루 만에 크게 하락했다[@src-a].",
        "ko: '앤드리슨은 “Deepseek R1 is AI''s Sputnik moment”라고 했다. HBM 수요는 *Sputnik "
        'moment*{: lang="en" } 이후에도 견조[@src-a].\'',
    )
    project = Project()
    validated = project.load(brief)
    ko = project.render(project.edition(validated, "government", "ko", "html"))
    assert '<html lang="ko">' in ko
    assert '“<span lang="en">Deepseek R1 is AI\'s Sputnik moment</span>”라고' in ko
    # an acronym alone is not marked: it is a term used in Korean text
    assert '<span lang="en">HBM</span>' not in ko and "HBM 수요는" in ko
    # what the author marked is kept and not wrapped again
    assert '<em lang="en">Sputnik moment</em>' in ko
    assert '<span lang="en"><span' not in ko and '<em lang="en"><span' not in ko
    # English titles of sources in a Korean edition (quoted, as kr-policy writes an article)
    assert '“<span lang="en">Nvidia loses $600 billion</span>”' in ko
    en = project.render(project.edition(validated, "government", "en", "html"))
    assert '<html lang="en">' in en


def test_korean_in_english_text_carries_lang() -> None:
    html = (
        '<html lang="en"><head><title>산업 x</title></head><body><p>Lead: 과학기술정보통신부 '
        '(MSIT) and 산업통상부.</p><p lang="ko">이미 표시됨</p></body></html>'
    )
    out = mark_languages_html(html, "en")
    assert "<title>산업 x</title>" in out
    assert (
        'Lead: <span lang="ko">과학기술정보통신부</span> (MSIT) and '
        '<span lang="ko">산업통상부</span>.'
    ) in out
    assert '<p lang="ko">이미 표시됨</p>' in out


def test_markup_and_attributes_are_never_touched() -> None:
    html = (
        '<html lang="ko"><body><a href="https://x.y/Some Path" title="Two words">링크</a>'
        "<style>p { font-family: Pretendard GOV }</style></body></html>"
    )
    assert mark_languages_html(html, "ko") == html


# -- font preflight -----------------------------------------------------------------------


def test_coverage_file_matches_the_bundled_fonts(tmp_path: Path) -> None:
    fonts = sorted((builtin_dir() / "fonts").glob("*.ttf"))
    assert [f.name for f in fonts] == ["PretendardGOV-Bold.ttf", "PretendardGOV-Regular.ttf"]
    fresh = tmp_path / "coverage.txt"
    write_coverage(fonts, fresh)
    assert fresh.read_text("ascii") == coverage_path().read_text("ascii"), (
        "fonts changed: run `python -m briefs.check.fonts`"
    )


@pytest.mark.parametrize(
    ("char", "ok"),
    [
        ("가", True),
        ("힣", True),
        ("A", True),
        ("·", True),
        ("−", True),
        ("₩", True),
        ("漢", True),
        ("\u2060", True),
        ("\u00a0", True),
        ("😀", False),
        ("🚀", False),
        ("\U00020bb7", False),
        ("\u0007", False),
    ],
)
def test_covered(char: str, ok: bool) -> None:
    assert covered(char) is ok


def test_emoji_in_title_is_a_positioned_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _brief(
        tmp_path,
        "title: {ko: 최소 브리프, en: Minimal brief}",
        "title: {ko: 최소 브리프 🚀, en: Minimal brief}",
    )
    out = tmp_path / "out"
    assert run(["build", str(brief), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"{brief}:3:20: title.ko: character '🚀' (U+1F680 ROCKET) is not in the "
        "bundled fonts — remove it or replace it with text; it would print as an "
        "empty box"
    )
    assert not out.exists()


def test_uncovered_character_in_block_scalar_is_found_on_its_line(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        "      ko: 고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].",
        "      ko: |\n        첫 줄입니다.\n        둘째 줄에 𠮷 글자[@src-b].",
    )
    with pytest.raises(BriefError) as info:
        Project().load(brief)
    (diag,) = info.value.diagnostics
    line = brief.read_text("utf-8").splitlines()[diag.line - 1]
    assert line[diag.col - 1] == "𠮷"
    assert "U+20BB7" in diag.message and diag.message.startswith("findings[0].body.ko:")


def test_no_pdf_embeds_a_font_that_is_not_bundled(tmp_path: Path) -> None:
    """Even text in a generic family (monospace code) renders with the bundled fonts."""
    import pikepdf

    brief = _brief(
        tmp_path,
        "body: {ko: 국가 AI 컴퓨팅 센터 조기 구축 필요,",
        "body: {ko: '국가 AI 컴퓨팅 센터 조기 구축 필요 `code` 문자',",
    )
    result = build_brief(
        brief,
        BuildOptions(
            out=tmp_path / "o", formats=("pdf",), audiences=("government",), languages=("ko",)
        ),
    )
    (output,) = result.outputs
    names = set()
    with pikepdf.open(output.path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                names.add(str(font.BaseFont))
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+Pretendard-GOV(-Bold)?", n) for n in names)


# -- KRDS theme: every text colour ≥ 4.5:1 on its background --------------------------------


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _css_rules() -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    styles = builtin_dir() / "styles"
    css = "\n".join(p.read_text("utf-8") for p in sorted(styles.glob("*.css")))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        props = {}
        for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
            value = value.strip()
            var = re.fullmatch(r"var\(--([\w-]+)\)", value)
            props[name] = variables[var[1]] if var else value
        rules.append((selector.strip(), props))
    return variables, rules


def test_theme_uses_krds_tokens() -> None:
    variables, _ = _css_rules()
    assert variables["primary-60"] == "#0b50d0"
    assert variables["gray-90"] == "#1e2124"
    assert variables["primary-5"] == "#ecf2fe"


def test_every_text_colour_meets_4_5_to_1() -> None:
    _, rules = _css_rules()
    # Backgrounds of containers that hold ordinary text (rules that set no colour of their
    # own); a rule that sets both is checked as its own pair.
    page_backgrounds = {"#ffffff"} | {
        props.get("background") or props.get("background-color") or ""
        for _, props in rules
        if "color" not in props
    }
    page_backgrounds = {b for b in page_backgrounds if re.fullmatch(r"#[0-9a-fA-F]{6}", b)}
    assert len(page_backgrounds) >= 3
    checked = 0
    for selector, props in rules:
        colour = props.get("color", "")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            continue
        own = props.get("background") or props.get("background-color")
        backgrounds = {own} if own and own.startswith("#") else page_backgrounds
        for background in backgrounds:
            ratio = _contrast(colour, background)
            assert ratio >= 4.5, f"{selector}: {colour} on {background} is {ratio:.2f}:1"
            checked += 1
    assert checked >= 20


# -- translations -------------------------------------------------------------------------


def test_missing_translation_fails_and_can_be_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _brief(tmp_path, "    title: {ko: 시장 충격, en: Market shock}", "    title: 시장 충격")
    out = tmp_path / "o"
    assert run(["build", str(brief), "--out", str(out), "-f", "html"]) == 1
    assert (
        capsys.readouterr()
        .err.strip()
        .startswith(f"{brief}:19:12: findings[0].title: missing translation (en)")
    )
    assert (
        run(["build", str(brief), "--out", str(out), "-f", "html", "--allow-missing-translations"])
        == 0
    )
    assert "warning:" in capsys.readouterr().err
    en = (out / "minimal" / "government.en.html").read_text("utf-8")
    assert '<span class="untranslated" lang="ko" title="Not yet translated">시장 충격</span>' in en
