"""Korean line breaking for the PDF: word joiners (U+2060) inside Hangul words, none in markup,
entities left whole, numbers tied to their units, and joiners removable without a trace."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefs.text.korean import WORD_JOINER, keep_words, keep_words_html, strip_joiners

WJ = WORD_JOINER
NBSP = "\u00a0"


def test_word_joiner_is_u2060() -> None:
    assert WJ == "\u2060"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("한국어 문장", "한_국_어 문_장"),
        ("고대역폭 메모리", "고_대_역_폭 메_모_리"),
        # A word that mixes Hangul with Latin letters or digits is one word too.
        ("HBM을 쌓은", "HBM_을 쌓_은"),
        ("2025년 1월", "2025_년 1_월"),
        ("(HBM)이", "(HBM)_이"),
        # Single syllables and non-Hangul text are left alone.
        ("약 가", "약 가"),
        ("AI model", "AI model"),
        ("16.97%", "16.97%"),
    ],
)
def test_keep_words_joins_letters_of_hangul_words(text: str, expected: str) -> None:
    assert keep_words(text) == expected.replace("_", WJ)


def test_keep_words_leaves_every_space_a_break() -> None:
    text = "딥시크의 등장은 반도체 수출 통제의 실효성에 질문을 던졌다."
    joined = keep_words(text)
    assert joined.split(" ") == [keep_words(word) for word in text.split(" ")]
    assert strip_joiners(joined) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("296억 달러", "296_억~달_러"),
        ("5,890억 달러", "5,890_억~달_러"),
        ("3 개국", "3~개_국"),
        ("120 명", "120~명"),
        ("10 %p", "10~%p"),
    ],
)
def test_number_and_unit_are_joined_with_nbsp(text: str, expected: str) -> None:
    assert keep_words(text) == expected.replace("_", WJ).replace("~", NBSP)


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("약 5,890억 달러가 증발했다", "5,890억", "달러가"),
        ("296억 달러를 투자한다", "296억", "달러를"),
        ("3 개국이 참여했다", "3", "개국이"),
    ],
    ids=["dollars-ga", "dollars-reul", "countries-i"],
)
def test_number_and_unit_stay_joined_before_a_particle(text: str, number: str, unit: str) -> None:
    # Korean attaches particles to the unit noun; the number must still not leave its unit.
    out = keep_words(text)
    assert keep_words(number) + NBSP + keep_words(unit) in out


def test_unit_prefix_of_a_longer_word_is_not_a_unit() -> None:
    # "원인" (cause) is not the unit "원"; "일부" (part) is not the unit "일".
    assert NBSP not in keep_words("그 3 원인은")
    assert NBSP not in keep_words("2 일부 기업")


def test_strip_joiners_round_trips() -> None:
    for text in ["한국어 문장", "HBM을 쌓은 (고대역폭) 메모리", "R&D 투자", "plain English"]:
        assert strip_joiners(keep_words(text)) == text
    assert strip_joiners(keep_words("296억 달러")) == "296억" + NBSP + "달러"
    assert strip_joiners("a" + WJ + WJ + "b") == "ab"


# -- HTML -------------------------------------------------------------------------------------


class _Parts(HTMLParser):
    """Attribute values, raw-text element contents, comments and text nodes of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.attributes: list[str] = []
        self.raw: list[str] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self._in_raw = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [f"{k}={v}" for k, v in attrs]
        self._in_raw = tag in {"style", "script", "title"}

    def handle_endtag(self, tag: str) -> None:
        self._in_raw = False

    def handle_data(self, data: str) -> None:
        (self.raw if self._in_raw else self.text).append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parts(html: str) -> _Parts:
    parser = _Parts()
    parser.feed(html)
    parser.close()
    return parser


DOCUMENT = """<!DOCTYPE html>
<html lang="ko"><head><title>최소 브리프 — 정책결정자용</title>
<meta name="description" content="한국어 설명">
<style>.note::before { content: "참고"; } /* 한국어 주석 */</style>
<script type="application/ld+json">{"name": "브리프"}</script>
</head>
<body class="edition-government">
<!-- 한국어 주석 -->
<h1 title="제목 속성">최소 브리프</h1>
<p data-label='작은 따옴표 "속성" 값'>고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다.</p>
<a href="#src-a" aria-label="본문으로 돌아가기">참고문헌</a>
<p>R&amp;D를 늘리고 &lt;딥시크&gt; 충격에 &#44032;&#xAC00; 대응</p>
</body></html>
"""


def test_keep_words_html_joins_text_only() -> None:
    out = keep_words_html(DOCUMENT)
    before, after = parts(DOCUMENT), parts(out)
    assert after.attributes == before.attributes
    assert after.raw == before.raw
    assert after.comments == before.comments
    assert all(WJ not in a for a in after.attributes + after.raw + after.comments)
    # Text nodes got joiners, and only joiners.
    assert [strip_joiners(t) for t in after.text] == before.text
    assert f"고{WJ}대{WJ}역{WJ}폭" in out
    assert f"최{WJ}소 브{WJ}리{WJ}프" in out


def test_markup_is_unchanged() -> None:
    out = keep_words_html(DOCUMENT)
    tags = re.compile(r"<[^>]*>")
    assert tags.findall(out) == tags.findall(DOCUMENT)


def test_entities_are_kept_whole() -> None:
    out = keep_words_html("<p>R&amp;D를 &lt;딥시크&gt; 가&amp;나 &#44032;&#xAC00; &nbsp;한국</p>")
    for entity in ["&amp;", "&lt;", "&gt;", "&#44032;", "&#xAC00;", "&nbsp;"]:
        assert entity in out
    # No joiner inside or right next to an entity.
    assert not re.search(rf"&#?\w*{WJ}\w*;", out)
    assert not re.search(rf"{WJ}&|;{WJ}", out)
    assert f"딥{WJ}시{WJ}크" in out


def test_number_unit_in_html_text() -> None:
    out = keep_words_html('<p class="x">약 296억 달러</p>')
    assert out == f'<p class="x">약 296{WJ}억{NBSP}달{WJ}러</p>'


def test_uppercase_style_and_script_tags_are_raw_text() -> None:
    html = "<STYLE>p::after { content: '한국' }</STYLE><Script>x = '한국'</Script><p>한국</p>"
    assert keep_words_html(html) == html.replace("<p>한국</p>", f"<p>한{WJ}국</p>")


def test_a_word_split_by_inline_markup_stays_whole() -> None:
    # Korean particles attach to an emphasised or linked word: "**딥시크**는" is one word.
    html = '<p><strong>딥시크</strong>는 <a href="#x">엔비디아</a>의 <em>HBM</em>을</p>'
    out = keep_words_html(html)
    text = re.sub(r"<[^>]+>", "", out)
    assert text == keep_words("딥시크는 엔비디아의 HBM을")


def test_strip_joiners_round_trips_html() -> None:
    assert strip_joiners(keep_words_html(DOCUMENT)) == DOCUMENT


def test_round_trip_of_a_rendered_edition(minimal_path: Path) -> None:
    """A real edition: processed HTML minus joiners is the HTML, joiners only in text."""
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(minimal_path)
    edition = project.edition(validated, "government", "ko", "html")
    html = project.render(edition)
    assert WJ not in html
    out = keep_words_html(html)
    assert WJ in out
    assert strip_joiners(out) == html
    after = parts(out)
    assert all(WJ not in a for a in after.attributes + after.raw + after.comments)


def test_korean_edition_shows_escaped_text_as_written(
    tmp_path: Path, minimal_text: str, html_text: Callable[..., str]
) -> None:
    # Korean writing puts titles of English publications in angle brackets; the HTML carries
    # them as entities, which no later processing of the Korean edition may break apart.
    line = "      ko: 고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].\n"
    assert line in minimal_text
    sentence = "영국 <Financial Times>는 R&D 투자와 a < b 비교를 보도했다"
    brief = tmp_path / "brief.yaml"
    brief.write_text(minimal_text.replace(line, f"      ko: '{sentence}'\n"), encoding="utf-8")
    from briefs.pipeline.build import BuildOptions, build_brief

    result = build_brief(
        brief,
        BuildOptions(
            out=tmp_path / "out", audiences=["government"], languages=["ko"], formats=["html"]
        ),
    )
    (output,) = result.outputs
    assert sentence in html_text(output.path.read_text(encoding="utf-8"))
