"""Citation styles on real exports: each style's footnote and reference-list entry, for six
source types, in Korean and English editions.

The sources come from ``tests/fixtures/bibliography/refs.bib`` (BibTeX, read by pybtex)
and ``zotero.json`` (a Zotero CSL-JSON export). Every expected string below was written by
hand from the style's rules (``briefs/text/styles.py``'s docstring):

- kr-policy: authors, title (Hangul in 「」, a Hangul book in 『』, Latin titles in “”, a
  Latin book or journal in italics), series and number, publisher, date (the year for
  reports, books and journals), pages; Hangul authors joined with ·, more than three as
  ``외`` / ``et al.``; the reference list adds the DOI or URL (and 검색일 / accessed).
- apa: Author, A. (date). Title (series) [description]. Source. DOI/URL.
- chicago: a note ``Given Family, *Title* (Publisher, Year).``, a bibliography entry
  ``Family, Given. *Title*. Publisher, Year. URL.``

In the comparison ``*x*`` is an italic title (``<cite>``) and ``<u>`` a link; Hangul in an
italic position stays upright and is shown as plain text.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from briefs.check.validate import Validated, load_brief
from briefs.text import sourcetext, styles

HERE = Path(__file__).resolve().parent / "fixtures" / "bibliography"
KIEP = "https://www.kiep.go.kr/gallery.es?mid=a10101010000&bid=0001&list_no=2083&act=view"
CNBC = (
    "https://www.cnbc.com/2025/01/27/"
    "nvidia-sheds-almost-600-billion-in-market-cap-biggest-drop-ever.html"
)
KISDI = "https://www.kisdi.re.kr/bbs/view.do?bbsSn=114692&key=m2101113055776"
FR = (
    "https://www.federalregister.gov/documents/2025/01/15/2025-00636/"
    "framework-for-artificial-intelligence-diffusion"
)
DOI = "https://doi.org/10.1086/705716"

NEWS_TITLE = "Nvidia sheds almost $600 billion in market cap, biggest one-day loss in U.S. history"
PRESS_TITLE = "KISDI, ‘AI 반도체 정책의 효과성 제고 방안 연구’ 보고서 발간"
BOOK_TITLE = "Chip War: The Fight for the World's Most Critical Technology"
ARTICLE_TITLE = "Robots and Jobs: Evidence from US Labor Markets"

# (style, source id, lang) → (footnote, reference-list entry)
EXPECTED: dict[tuple[str, str, str], tuple[str, str]] = {
    # -- kr-policy ------------------------------------------------------------------------
    ("kr-policy", "kiep-2015-sez", "ko"): (
        "양문수·이석기·김석진, 「북한의 경제 특구·개발구 지원방안」, 중장기통상전략연구 15-02, "
        "대외경제정책연구원, 2015.",
        "양문수·이석기·김석진, 「북한의 경제 특구·개발구 지원방안」, 중장기통상전략연구 15-02, "
        f"대외경제정책연구원, 2015. <{KIEP}>",
    ),
    ("kr-policy", "kiep-2015-sez", "en"): (
        "양문수, 이석기 and 김석진, 「북한의 경제 특구·개발구 지원방안」, 중장기통상전략연구 "
        "15-02, 대외경제정책연구원, 2015.",
        "양문수, 이석기 and 김석진, 「북한의 경제 특구·개발구 지원방안」, 중장기통상전략연구 "
        f"15-02, 대외경제정책연구원, 2015. <{KIEP}>",
    ),
    ("kr-policy", "acemoglu-2020", "ko"): (
        f"Daron Acemoglu and Pascual Restrepo, “{ARTICLE_TITLE}”, *Journal of Political "
        "Economy*, Vol. 128, No. 6, 2020, pp. 2188–2244.",
        f"Daron Acemoglu and Pascual Restrepo, “{ARTICLE_TITLE}”, *Journal of Political "
        f"Economy*, Vol. 128, No. 6, 2020, pp. 2188–2244. <{DOI}>",
    ),
    ("kr-policy", "miller-2022", "ko"): (
        f"Chris Miller, *{BOOK_TITLE}*, Scribner, 2022.",
        f"Chris Miller, *{BOOK_TITLE}*, Scribner, 2022.",
    ),
    ("kr-policy", "cnbc-2025-01-27", "ko"): (
        f"“{NEWS_TITLE}”, *CNBC*, 2025. 1. 27.",
        f"“{NEWS_TITLE}”, *CNBC*, 2025. 1. 27. <{CNBC}> (검색일: 2025. 2. 3.)",
    ),
    ("kr-policy", "cnbc-2025-01-27", "en"): (
        f"“{NEWS_TITLE}”, *CNBC*, 27 January 2025.",
        f"“{NEWS_TITLE}”, *CNBC*, 27 January 2025. <{CNBC}> (accessed 3 February 2025)",
    ),
    ("kr-policy", "kisdi-2025-06-13", "ko"): (
        f"정보통신정책연구원, 「{PRESS_TITLE}」, 보도자료, 2025. 6. 13.",
        f"정보통신정책연구원, 「{PRESS_TITLE}」, 보도자료, 2025. 6. 13. <{KISDI}>",
    ),
    ("kr-policy", "kisdi-2025-06-13", "en"): (
        f"정보통신정책연구원, 「{PRESS_TITLE}」, press release, 13 June 2025.",
        f"정보통신정책연구원, 「{PRESS_TITLE}」, press release, 13 June 2025. <{KISDI}>",
    ),
    ("kr-policy", "fr-2025-00636", "ko"): (
        "“Framework for Artificial Intelligence Diffusion”, 90 FR 4544, Bureau of Industry "
        "and Security, 2025. 1. 15.",
        "“Framework for Artificial Intelligence Diffusion”, 90 FR 4544, Bureau of Industry "
        f"and Security, 2025. 1. 15. <{FR}>",
    ),
    ("kr-policy", "fr-2025-00636", "en"): (
        "“Framework for Artificial Intelligence Diffusion”, 90 FR 4544, Bureau of Industry "
        "and Security, 15 January 2025.",
        "“Framework for Artificial Intelligence Diffusion”, 90 FR 4544, Bureau of Industry "
        f"and Security, 15 January 2025. <{FR}>",
    ),
    # -- APA 7 ----------------------------------------------------------------------------
    ("apa", "kiep-2015-sez", "ko"): (
        "양문수·이석기·김석진. (2015). 북한의 경제 특구·개발구 지원방안 (중장기통상전략연구 "
        "15-02). 대외경제정책연구원.",
        "양문수·이석기·김석진. (2015). 북한의 경제 특구·개발구 지원방안 (중장기통상전략연구 "
        f"15-02). 대외경제정책연구원. <{KIEP}>",
    ),
    ("apa", "kiep-2015-sez", "en"): (
        "양문수, 이석기, & 김석진. (2015). 북한의 경제 특구·개발구 지원방안 "
        "(중장기통상전략연구 15-02). 대외경제정책연구원.",
        "양문수, 이석기, & 김석진. (2015). 북한의 경제 특구·개발구 지원방안 "
        f"(중장기통상전략연구 15-02). 대외경제정책연구원. <{KIEP}>",
    ),
    ("apa", "acemoglu-2020", "en"): (
        f"Acemoglu, D., & Restrepo, P. (2020). {ARTICLE_TITLE}. *Journal of Political "
        "Economy*, *128*(6), 2188–2244.",
        f"Acemoglu, D., & Restrepo, P. (2020). {ARTICLE_TITLE}. *Journal of Political "
        f"Economy*, *128*(6), 2188–2244. <{DOI}>",
    ),
    ("apa", "miller-2022", "en"): (
        f"Miller, C. (2022). *{BOOK_TITLE}*. Scribner.",
        f"Miller, C. (2022). *{BOOK_TITLE}*. Scribner.",
    ),
    ("apa", "cnbc-2025-01-27", "ko"): (
        f"{NEWS_TITLE}. (2025. 1. 27.). *CNBC*.",
        f"{NEWS_TITLE}. (2025. 1. 27.). *CNBC*. <{CNBC}>",
    ),
    ("apa", "cnbc-2025-01-27", "en"): (
        f"{NEWS_TITLE}. (2025, January 27). *CNBC*.",
        f"{NEWS_TITLE}. (2025, January 27). *CNBC*. <{CNBC}>",
    ),
    ("apa", "kisdi-2025-06-13", "ko"): (
        f"정보통신정책연구원. (2025. 6. 13.). {PRESS_TITLE} [보도자료].",
        f"정보통신정책연구원. (2025. 6. 13.). {PRESS_TITLE} [보도자료]. <{KISDI}>",
    ),
    ("apa", "kisdi-2025-06-13", "en"): (
        f"정보통신정책연구원. (2025, June 13). {PRESS_TITLE} [Press release].",
        f"정보통신정책연구원. (2025, June 13). {PRESS_TITLE} [Press release]. <{KISDI}>",
    ),
    ("apa", "fr-2025-00636", "en"): (
        "Framework for Artificial Intelligence Diffusion, 90 FR 4544 (2025).",
        f"Framework for Artificial Intelligence Diffusion, 90 FR 4544 (2025). <{FR}>",
    ),
    # -- Chicago notes and bibliography ---------------------------------------------------
    ("chicago", "kiep-2015-sez", "ko"): (
        "양문수·이석기·김석진, 북한의 경제 특구·개발구 지원방안, 중장기통상전략연구 15-02 "
        "(대외경제정책연구원, 2015).",
        "양문수·이석기·김석진. 북한의 경제 특구·개발구 지원방안. 중장기통상전략연구 15-02. "
        f"대외경제정책연구원, 2015. <{KIEP}>",
    ),
    ("chicago", "kiep-2015-sez", "en"): (
        "양문수, 이석기, and 김석진, 북한의 경제 특구·개발구 지원방안, 중장기통상전략연구 15-02 "
        "(대외경제정책연구원, 2015).",
        "양문수, 이석기, and 김석진. 북한의 경제 특구·개발구 지원방안. 중장기통상전략연구 "
        f"15-02. 대외경제정책연구원, 2015. <{KIEP}>",
    ),
    ("chicago", "acemoglu-2020", "en"): (
        f"Daron Acemoglu and Pascual Restrepo, “{ARTICLE_TITLE},” *Journal of Political "
        "Economy* 128, no. 6 (2020): 2188–2244.",
        f"Acemoglu, Daron, and Pascual Restrepo. “{ARTICLE_TITLE}.” *Journal of Political "
        f"Economy* 128, no. 6 (2020): 2188–2244. <{DOI}>",
    ),
    ("chicago", "miller-2022", "ko"): (
        f"Chris Miller, *{BOOK_TITLE}* (Scribner, 2022).",
        f"Miller, Chris. *{BOOK_TITLE}*. Scribner, 2022.",
    ),
    ("chicago", "cnbc-2025-01-27", "ko"): (
        f"“{NEWS_TITLE},” *CNBC*, 2025. 1. 27.",
        f"“{NEWS_TITLE}.” *CNBC*, 2025. 1. 27. <{CNBC}>",
    ),
    ("chicago", "cnbc-2025-01-27", "en"): (
        f"“{NEWS_TITLE},” *CNBC*, January 27, 2025.",
        f"“{NEWS_TITLE}.” *CNBC*, January 27, 2025. <{CNBC}>",
    ),
    ("chicago", "kisdi-2025-06-13", "ko"): (
        f"정보통신정책연구원, “{PRESS_TITLE},” 보도자료, 2025. 6. 13.",
        f"정보통신정책연구원. “{PRESS_TITLE}.” 보도자료, 2025. 6. 13. <{KISDI}>",
    ),
    ("chicago", "kisdi-2025-06-13", "en"): (
        f"정보통신정책연구원, “{PRESS_TITLE},” press release, June 13, 2025.",
        f"정보통신정책연구원. “{PRESS_TITLE}.” Press release, June 13, 2025. <{KISDI}>",
    ),
    ("chicago", "fr-2025-00636", "ko"): (
        "Framework for Artificial Intelligence Diffusion, 90 FR 4544 (2025).",
        f"Framework for Artificial Intelligence Diffusion, 90 FR 4544 (2025). <{FR}>",
    ),
}
# A source in Latin script is written alike in both editions, but for its dates and labels:
# these types give neither, so their Korean and English entries are the same.
for (_style, _sid, _lang), _value in list(EXPECTED.items()):
    if _sid in ("acemoglu-2020", "miller-2022") or (
        _style != "kr-policy" and _sid == "fr-2025-00636"
    ):
        EXPECTED.setdefault((_style, _sid, "en" if _lang == "ko" else "ko"), _value)


@cache
def _validated() -> Validated:
    return load_brief(HERE / "brief.yaml")


def _plain(markup: str) -> str:
    """Style output as the expectations write it: ``*italic*``, ``<link>``."""
    text = re.sub(r'<cite class="upright">(.*?)</cite>', r"\1", str(markup))
    text = re.sub(r"<cite>(.*?)</cite>", r"*\1*", text)
    # A link's text as read: its host span and break opportunities (<wbr>) left out.
    text = re.sub(
        r'<a class="url" href="[^"]*">(.*?)</a>',
        lambda m: "<" + re.sub(r"<[^>]+>", "", m[1]) + ">",
        text,
    )
    return html.unescape(text)


def test_six_types_in_each_style_and_language() -> None:
    kinds = {_validated().brief.source(sid).type for _, sid, _ in EXPECTED}
    assert kinds == {
        "report",
        "article-journal",
        "book",
        "article-newspaper",
        "press-release",
        "legislation",
    }
    assert len(EXPECTED) == 3 * 6 * 2


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: "-".join(k))
def test_footnote_and_reference(key: tuple[str, str, str]) -> None:
    style, sid, lang = key
    src = _validated().brief.source(sid)
    note, reference = EXPECTED[key]
    assert _plain(styles.note(src, style, lang, "ko")) == note
    assert _plain(styles.reference(src, style, lang, "ko")) == reference


def test_no_hangul_is_italic() -> None:
    for style, sid, lang in EXPECTED:
        src = _validated().brief.source(sid)
        for out in (styles.note(src, style, lang, "ko"), styles.reference(src, style, lang, "ko")):
            for italic in re.findall(r"<cite>(.*?)</cite>", str(out)):
                assert not sourcetext.hangul(italic), (style, sid, lang, italic)


def test_the_zotero_export_reads_as_the_bibtex_file() -> None:
    """The same report exported from Zotero (CSL-JSON, tab-indented, item-URI ids) and typed
    in BibTeX is cited the same way."""
    brief = _validated().brief
    zotero, bibtex = brief.source("8GFS6T4R"), brief.source("kiep-2018-sdgs")
    for style in styles.STYLES:
        for lang in ("ko", "en"):
            assert styles.note(zotero, style, lang, "ko") == styles.note(bibtex, style, lang, "ko")
    # four authors: the first and 외 (kr-policy, as the KIEP report lists 정지원 외 3인)
    assert _plain(styles.note(zotero, "kr-policy", "ko", "ko")) == (
        "정지원 외, 「개도국 SDGs 이행 지원을 위한 개발재원 확대방안」, 연구보고서 18-09, "
        "대외경제정책연구원, 2018."
    )
    assert zotero.accessed is not None and zotero.accessed.isoformat() == "2025-02-03"
    assert brief.source("Q2Z7XK9M").doi == "10.1086/705716"
    assert brief.source("W6F2H8ZN").type == "press-release"  # Zotero's genre "보도자료"
    assert brief.source("R5K9W3JD").authors[0].any() == "Bureau of Industry and Security"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("style", "reference"),
    [
        ("kr-policy", "Chris Miller, <cite>"),
        ("apa", "Miller, C. (2022). <cite>"),
        ("chicago", "Miller, Chris. <cite>"),
    ],
)
def test_the_brief_chooses_its_style(
    style: str, reference: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``citation_style`` sets the reference list of the built edition (and its footnotes)."""
    from briefs.cli.main import run

    for name in ("refs.bib", "zotero.json"):
        (tmp_path / name).write_bytes((HERE / name).read_bytes())
    text = (HERE / "brief.yaml").read_text("utf-8")
    (tmp_path / "brief.yaml").write_text(f"citation_style: {style}\n{text}", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["build", "brief.yaml", "-f", "html", "-a", "government", "-l", "ko"]) == 0
    html_text = (tmp_path / "public" / "bibliography" / "government.ko.html").read_text("utf-8")
    entry = re.search(r'<li id="src-miller-2022"[^>]*>(.*?)</li>', html_text, re.S)
    assert entry is not None
    # Latin text in a Korean edition is marked lang="en" (text/korean.py): read past it
    assert re.sub(r"</?span[^>]*>", "", entry.group(1)).startswith(reference)


def test_a_translated_title_says_the_original_language() -> None:
    """A Korean report cited in an English edition by its English title says it is in
    Korean; the Korean edition cites its Korean title; an untranslated one is as written."""
    from briefs.schema.sources import SourceEntry

    src = SourceEntry.model_validate(
        {
            "id": "kiep",
            "type": "report",
            "language": "ko",
            "authors": [{"family": "양", "given": "문수"}],
            "title": {
                "ko": "북한의 경제 특구·개발구 지원방안",
                "en": "Supporting North Korea's SEZs",
            },
            "publisher": {"ko": "대외경제정책연구원", "en": "KIEP"},
            "date": "2015-12",
        }
    )
    assert _plain(styles.note(src, "kr-policy", "en", "ko")) == (
        "양문수, “Supporting North Korea's SEZs” (in Korean), KIEP, 2015."
    )
    assert _plain(styles.note(src, "kr-policy", "ko", "ko")) == (
        "양문수, 「북한의 경제 특구·개발구 지원방안」, 대외경제정책연구원, 2015."
    )
    assert _plain(styles.reference(src, "chicago", "en", "ko")) == (
        "양문수. *Supporting North Korea's SEZs* (in Korean). KIEP, 2015."
    )
    assert _plain(styles.reference(src, "apa", "en", "ko")) == (
        "양문수. (2015). *Supporting North Korea's SEZs* (in Korean). KIEP."
    )


@pytest.mark.parametrize(
    ("address", "printed"),
    [
        # The scheme and host in one unbreakable span; a break opportunity after each slash
        # of the path, and around a query's ?, & and =.
        (
            "https://www.federalregister.gov/documents/2025/01/15/x?a=1&b=2",
            '<span class="url-host">https://www.federalregister.gov/</span>'
            "<wbr>documents/<wbr>2025/<wbr>01/<wbr>15/<wbr>x<wbr>?a<wbr>=<wbr>1<wbr>&amp;<wbr>b"
            "<wbr>=<wbr>2",
        ),
        (
            "https://doi.org/10.1086/705716",
            '<span class="url-host">https://doi.org/</span><wbr>10.1086/<wbr>705716',
        ),
        ("example.org", '<span class="url-host">example.org</span>'),
    ],
)
def test_an_address_breaks_at_its_parts_never_in_its_host(address: str, printed: str) -> None:
    from briefs.text.sourcetext import url_text

    assert str(url_text(address)) == printed
