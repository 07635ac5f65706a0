"""`briefs lint`: every rule has a failing case (exact rule, severity, line and column) and a
passing one; rules can be switched off per brief; the flagship has no lint errors.

The base brief below lints clean and is written out with its line numbers, so expected
positions can be read off; each case replaces or removes a few of its lines.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefs.check.validate import Validated, validate
from briefs.edition.plan import running_head_budget
from briefs.errors import BriefError, Diagnostic
from briefs.lint.engine import LintIssue, format_issue, lint, lint_catalog, lint_file, rule_table
from briefs.lint.rules import RULES
from briefs.pipeline.build import Project
from briefs.schema.brief import Brief
from briefs.source import load_yaml_file
from briefs.text.dates import dates_in

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "inputs" / "deepseek-2025.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
TODAY = dt.date(2026, 1, 1)

# fmt: off
BASE_LINES = [
    "id: test-brief",                                      # 1
    "title: Test brief",                                   # 2
    "date: 2025-02-01",                                    # 3
    "organisation: Test Institute",                        # 4
    "authors:",                                            # 5
    "  - name: Gildong Hong",                              # 6
    "languages: [en]",                                     # 7
    "summary: Shares fell 17% in a day[@src-a].",          # 8
    "findings:",                                           # 9
    "  - id: shock",                                       # 10
    "    title: Market shock",                             # 11
    "    body: Demand fell[@src-a].",                      # 12
    "    confidence: high",                                # 13
    "    evidence:",                                       # 14
    "      - text: Shares fell 16.97%",                    # 15
    "        sources: [src-a]",                            # 16
    "recommendations:",                                    # 17
    "  - id: compute",                                     # 18
    "    title: Expand compute",                           # 19
    "    body: Build the national AI computing centre.",   # 20
    "    owner: Ministry of Science and ICT",              # 21
    "    horizon: short",                                  # 22
    "    based_on: [shock]",                               # 23
    "sources:",                                            # 24
    "  - id: src-a",                                       # 25
    "    title: Nvidia loses $600 billion",                # 26
    "    publisher: Gizchina",                             # 27
    "    date: 2025-01-28",                                # 28
    "    url: https://example.com/nvidia",                 # 29
    "    accessed: 2025-02-01",                            # 30
]
# fmt: on
BASE = "\n".join(BASE_LINES) + "\n"
SOURCE_B = [
    "  - id: src-b",  # 31
    "    title: HBM export controls",  # 32
    "    publisher: Korea JoongAng Daily",  # 33
    "    date: 2024-12-03",  # 34
    "    url: https://example.com/hbm",  # 35
]
RunLint = Callable[..., list[LintIssue]]
AI_ACT_TITLE = (
    "The AI Basic Act and the national AI computing centre: meeting the rules and sharing out "
    "compute"
)
LONG = ("Demand for memory chips held up through the year. " * 22).strip()  # 1,099 characters


def variant(*extra: str, **lines: str | None) -> str:
    """BASE with lines replaced (``l13="..."``) or removed (``l13=None``), then ``extra``."""
    out: list[str | None] = list(BASE_LINES)
    for key, value in lines.items():
        out[int(key.removeprefix("l")) - 1] = value
    return "\n".join([*(line for line in out if line is not None), *extra]) + "\n"


@pytest.fixture(scope="module")
def project() -> Project:
    return Project()


@pytest.fixture
def run_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project) -> RunLint:
    """``run_lint(text, today=TODAY)``: lint ``text`` saved as ``brief.yaml``."""
    monkeypatch.chdir(tmp_path)

    def run(text: str, today: dt.date = TODAY) -> list[LintIssue]:
        Path("brief.yaml").write_text(text, encoding="utf-8")
        Path("shared.bib").write_text(SHARED_BIB, encoding="utf-8")
        return lint_file("brief.yaml", project, today=today)

    return run


def where(issues: list[LintIssue], rule: str) -> list[tuple[str, int, int]]:
    return [(i.severity, i.diagnostic.line, i.diagnostic.col) for i in issues if i.rule == rule]


def test_the_base_brief_lints_clean(run_lint: RunLint) -> None:
    assert run_lint(BASE) == []


# -- one failing case per rule --------------------------------------------------------------

# rule id → (brief, severity, line, col, message)
# fmt: off
FAILING: dict[str, tuple[str, str, int, int, str]] = {
    "finding-without-evidence": (
        variant(l14=None, l15=None, l16=None), "warning", 10, 5,
        "findings[0]: finding 'shock' has no evidence"),
    "evidence-without-source": (
        variant(l15="      - text: Shares fell sharply", l16="        sources: []"), "error", 15, 9,
        "findings[0].evidence[0]: evidence cites no source"),
    "source-never-cited": (
        variant(*SOURCE_B), "warning", 31, 9,
        "sources[1].id: source 'src-b' is never cited"),
    "source-without-date": (
        variant(l28=None), "warning", 25, 5,
        "sources[0]: source 'src-a' has no date"),
    "source-without-url": (
        variant(l29=None, l30=None), "warning", 25, 5,
        "sources[0]: source 'src-a' has no URL"),
    "date-in-the-future": (
        variant(l3="date: 2026-01-02"), "warning", 3, 7,
        "date: date 2026-01-02 is in the future"),
    "recommendation-without-owner": (
        variant(l21=None), "warning", 18, 5,
        "recommendations[0]: recommendation 'compute' has no owner"),
    "recommendation-without-horizon": (
        variant(l22=None), "warning", 18, 5,
        "recommendations[0]: recommendation 'compute' has no horizon"),
    "summary-over-budget": (
        variant(l8=f"summary: Shares fell[@src-a]. {LONG}"), "warning", 8, 10,
        "summary: en summary is 1120 characters; the public edition allows 1000"),
    "missing-translation": (
        variant(l7="languages: [en, ko]"), "warning", 2, 8,
        "title: missing translation (ko)"),
    "missing-alt-text": (
        variant(l12="    body: Demand fell[@src-a]. ![](chart.png)"), "error", 12, 32,
        "findings[0].body: image has no alt text"),
    "number-without-citation": (
        variant(l8="summary: Shares fell 17% in a day."), "warning", 8, 22,
        "summary: figure '17%' has no citation in its sentence"),
    # The brief is dated 2025-02-01 (line 3).
    "accessed-after-date": (
        variant(l30="    accessed: 2025-03-01"), "warning", 30, 15,
        "sources[0].accessed: source 'src-a' was accessed on 2025-03-01, after the brief's "
        "date 2025-02-01"),
    "source-after-date": (
        variant(l28="    date: 2025-03"), "warning", 28, 11,
        "sources[0].date: source 'src-a' is dated 2025-03, after the brief's date 2025-02-01"),
    "evidence-after-date": (
        variant(l15="      - text: Shares fell 16.97% by 3 February 2025"), "warning", 15, 37,
        "findings[0].evidence[0].text: evidence dated '3 February 2025', after the brief's "
        "date 2025-02-01"),
    # Fact check, row 2: an intraday fall on one side, a close on the other.
    "number-mismatch-ko-en": (
        variant(l8="summary: {en: 'SK hynix closed down 9.86%[@src-a].', "
                   "ko: 'SK하이닉스 주가는 장중 약 11% 하락[@src-a].'}"), "warning", 8, 75,
        "summary.ko: figure '11%' is not in the en text"),
    "unstated-rate": (
        variant(l8="summary: 'Nvidia lost $589 billion (about KRW 847 trillion) in a day[@src-a].'"),
        "warning", 8, 43,
        "summary: 'KRW 847 trillion' is converted from another currency with no exchange rate "
        "and date in its sentence"),
    "hangul-in-english": (
        variant(l12="    body: Demand fell after 개인정보위 acted[@src-a]."), "warning", 12, 29,
        "findings[0].body: Hangul '개인정보위' in English text"),
    # Two of the briefs' recommendations, as the fact check found them.
    "duplicate-text": (
        variant(l12="    body: Set up standing monitoring of export-control changes and support "
                    "for firms[@src-a].",
                l20="    body: Set up standing monitoring of export-control changes and a support "
                    "desk for firms."),
        "warning", 20, 11, "recommendations[0].body: sentence repeats one in findings[0].body "
        "(line 12)"),
    # The English title of inputs/ai-basic-act-compute.yaml: 358 pt at 8 pt in Pretendard GOV
    # Regular (its advances, as the PDF sets it), where the head holds 120 mm = 340 pt.
    "long-title-no-short": (
        variant(l2=f"title: \"{AI_ACT_TITLE}\""), "warning", 2, 8,
        "title: the en title is too long for the running head (358 pt of 340); it is cut there"),
    # The sources themselves (briefs/lint/sources.py).
    "journal-article-without-doi": (
        variant(l27="    type: article-journal\n    container: Example Journal"), "warning", 25, 5,
        "sources[0]: journal article 'src-a' has no DOI"),
    "source-without-link": (
        variant("lint: {disable: [source-without-url]}",
                l27="    type: webpage\n    publisher: Gizchina", l29=None, l30=None),
        "warning", 27, 11, "sources[0].type: webpage 'src-a' gives no URL or DOI"),
    "duplicate-source": (
        variant(*SOURCE_B[:-1], "    url: http://www.example.com/nvidia/",
                l12="    body: Demand fell[@src-a; @src-b]."), "warning", 35, 10,
        "sources[1].url: source 'src-b' has the same URL as 'src-a'"),
    # shared.bib (written beside each brief by run_lint): its entry at line 2, column 1
    "bibliography-entry-unused": (
        variant("bibliography: [shared.bib]"), "warning", 2, 1,
        "entry 'shared-entry' is never cited"),
}
# fmt: on
SHARED_BIB = """% a bibliography several briefs share
@online{shared-entry,
  title        = {A shared entry},
  organization = {Example Institute},
  date         = {2025-01-10},
  url          = {https://example.org/shared},
}
"""


def test_every_rule_has_a_failing_case() -> None:
    assert set(FAILING) == set(RULES)


@pytest.mark.parametrize("rule", FAILING)
def test_rule_fails(run_lint: RunLint, rule: str) -> None:
    text, severity, line, col, message = FAILING[rule]
    issues = run_lint(text)
    assert (severity, line, col) in where(issues, rule)
    assert RULES[rule].severity == severity
    found = next(i for i in issues if i.rule == rule and i.diagnostic.line == line)
    assert found.diagnostic.message == message
    assert found.diagnostic.hint
    if rule != "missing-translation":  # that one reports every text of the brief
        assert [i.rule for i in issues] == [rule]


# -- one passing case per rule (besides the clean base) -----------------------------------

PASSING: dict[str, str] = {
    "finding-without-evidence": BASE,
    # an inline citation in the text is enough
    "evidence-without-source": variant(
        l15="      - text: Shares fell 16.97%[@src-a]", l16="        sources: []"
    ),
    # cited only inside a grouped citation
    "source-never-cited": variant(*SOURCE_B, l12="    body: Demand fell[@src-a; @src-b]."),
    # a month is a date
    "source-without-date": variant(l28="    date: 2025-01"),
    "source-without-url": BASE,
    # today itself and this month are not the future
    "date-in-the-future": variant(l3="date: 2026-01-01", l28="    date: 2026-01"),
    "recommendation-without-owner": BASE,
    "recommendation-without-horizon": BASE,
    # the public edition gets its own, shorter summary
    "summary-over-budget": variant(
        "audience_summary:",
        "  public: Shares fell[@src-a].",
        l8=f"summary: Shares fell[@src-a]. {LONG}",
    ),
    "missing-translation": MINIMAL.read_text("utf-8"),
    "missing-alt-text": variant(
        l12="    body: Demand fell[@src-a]. ![Share price, January](chart.png)"
    ),
    "number-without-citation": variant(l8="summary: Shares fell 17% in a day [@src-a]."),
    # checked on the brief's own date
    "accessed-after-date": variant(l30="    accessed: 2025-02-01"),
    # a month that contains the brief's date is not after it
    "source-after-date": variant(l28="    date: 2025-02"),
    "evidence-after-date": variant(
        l15="      - text: Shares fell 16.97% on 27 January 2025 and had not recovered by "
        "February 2025"
    ),
    # the same value in each language's units
    "number-mismatch-ko-en": variant(
        l8="summary: {en: 'Nvidia lost US$589bn[@src-a].', ko: '엔비디아 시가총액 5,890억 달러 "
        "감소[@src-a].'}"
    ),
    "unstated-rate": variant(
        l8="summary: 'Nvidia lost $589 billion (about KRW 847 trillion at KRW 1,438 per dollar on "
        "24 January 2025) in a day[@src-a].'"
    ),
    # Korean marked as Korean
    "hangul-in-english": variant(
        l12="    body: Demand fell after *개인정보위*{lang=ko} acted[@src-a]."
    ),
    # repeating the body in the item's own evidence is not a repeat
    "duplicate-text": variant(
        l12="    body: Shares fell 16.97% in a single day of trading[@src-a].",
        l15="      - text: Shares fell 16.97% in a single day of trading",
    ),
    "long-title-no-short": variant(
        "short_title: The AI Basic Act and the national AI computing centre",
        l2=f'title: "{AI_ACT_TITLE}"',
    ),
    "journal-article-without-doi": variant(
        l27="    type: article-journal\n    container: Example Journal\n    doi: 10.1086/705716"
    ),
    # a book is not expected online
    "source-without-link": variant(
        "lint: {disable: [source-without-url]}",
        l27="    type: book\n    publisher: Gizchina",
        l29=None,
        l30=None,
    ),
    # two sources on one site, at different addresses
    "duplicate-source": variant(*SOURCE_B, l12="    body: Demand fell[@src-a; @src-b]."),
    "bibliography-entry-unused": variant(
        "bibliography: [shared.bib]", l12="    body: Demand fell[@src-a; @shared-entry]."
    ),
}


def test_every_rule_has_a_passing_case() -> None:
    assert set(PASSING) == set(RULES)


@pytest.mark.parametrize("rule", PASSING)
def test_rule_passes(run_lint: RunLint, rule: str) -> None:
    issues = run_lint(PASSING[rule])
    assert where(issues, rule) == []


# -- rule details ---------------------------------------------------------------------------


def test_future_source_and_accessed_dates(run_lint: RunLint) -> None:
    issues = run_lint(variant(l28="    date: 2026-02", l30="    accessed: 2026-01-02"))
    issues = [i for i in issues if i.rule == "date-in-the-future"]
    assert [(i.diagnostic.line, i.diagnostic.col, i.diagnostic.message) for i in issues] == [
        (28, 11, "sources[0].date: date 2026-02 is in the future"),
        (30, 15, "sources[0].accessed: accessed date 2026-01-02 is in the future"),
    ]


def test_summary_budget_counts_each_language(run_lint: RunLint, project: Project) -> None:
    # 1,100 characters are within every edition's English budget but no Korean one.
    text = variant(
        "audiences: [government]",
        l7="languages: [ko, en]",
        l8=f"summary: {{ko: '{LONG}', en: '{LONG}'}}",
    )
    issues = [i for i in run_lint(text) if i.rule == "summary-over-budget"]
    limit = project.profiles["government"].budget.summary_chars["ko"]
    assert [i.diagnostic.message for i in issues] == [
        f"summary: ko summary is 1099 characters; the government edition allows {limit}"
    ]


@pytest.mark.parametrize(
    ("text", "figure", "col"),
    [
        ("62% of shipments", "62%", 22),
        ("약 5,890억 달러", "5,890억 달러", 24),
        ("about $589 billion", "$589 billion", 28),
        ("50,000 GPUs", "50,000", 22),
        ("KRW 30 million", "KRW 30 million", 22),
        ("3만 장", "3만", 22),
        ("100원을 냈다", "100원", 22),
        ("US$5bn", "US$5bn", 22),
        ("2.5 trillion tokens", "2.5 trillion", 22),
        ("−12.5%", "12.5%", 23),
    ],
)
def test_figures_need_a_citation(run_lint: RunLint, text: str, figure: str, col: int) -> None:
    # A Korean brief, so that the Korean figures are not Hangul in English text.
    (issue,) = run_lint(variant(l7="languages: [ko]", l8=f"summary: 'It came to {text}.'"))
    assert (issue.rule, issue.diagnostic.line, issue.diagnostic.col) == (
        "number-without-citation",
        8,
        col,
    )
    assert issue.diagnostic.message == f"summary: figure '{figure}' has no citation in its sentence"


@pytest.mark.parametrize(
    "text",
    [
        "2025. 1. 27.(월) 발표",
        "2025년 2분기, 2024. 9. 26. 양산",
        "On 27 January 2025 and 2025-01-27",
        "HBM3E, H20, H800, 12-high stacks, 8단, Q2 2025, DeepSeek-V3",
        "1위, 31st place, 51 countries, 18:00, 36GB",
        "See arXiv:2412.19437 and https://example.com/12345678",
        "1. First step",
    ],
)
def test_dates_ids_and_small_counts_are_not_figures(run_lint: RunLint, text: str) -> None:
    lines = {
        "l7": "languages: [ko]",
        "l8": f"summary: '{text}[@src-a]'",
        "l12": f"    body: '{text}'",
    }
    assert run_lint(variant(**lines)) == []


def test_a_citation_anywhere_in_the_list_item_counts(run_lint: RunLint) -> None:
    body = [
        "    body: |",                              # 12
        "      - Shares fell 17%",                  # 13
        "        in one day [@src-a]",              # 14
        "      - Demand for HBM held up.",          # 15
        "",                                         # 16
        "      Two sentences. Here 5% has none.",   # 17
    ]  # fmt: skip
    issues = run_lint(variant(l12="\n".join(body)))
    assert where(issues, "number-without-citation") == [("warning", 17, 27)]


def test_a_figure_cited_elsewhere_needs_no_second_citation(run_lint: RunLint) -> None:
    # The summary repeats the evidence's figure; "$600B" matches "$600 billion".
    issues = run_lint(
        variant(
            l8="summary: Shares fell 16.97%, a loss of $600B.",
            l12="    body: Nvidia lost $600 billion[@src-a].",
        )
    )
    assert issues == []


TABLE = [
    "      | Year | Births | Share |",         # 15 (after l12-l14 below)
    "      |---|---:|---:|",                   # 16
    "      | 2024 | 238,300 | 12.5% |",         # 17
    "      | 2025 | 254,500 | 13.1% |",         # 18
]  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Cited in the sentence just before the table.
        (["      Births rose again, as the table shows [@src-a]:"], []),
        # Cited in a source line under it, after a blank line.
        (["      Births rose again."], ["", "      Source: Statistics Korea [@src-a]"]),
        (["      출생아 수가 다시 늘었다."], ["", "      자료: 통계청 [@src-a]"]),
        # A source line right under it is a row of the table (as Python-Markdown reads it).
        (["      Births rose again."], ["      Source: Statistics Korea [@src-a]"]),
    ],
)
def test_a_table_is_covered_by_its_sentence_or_source_line(
    run_lint: RunLint, before: list[str], after: list[str]
) -> None:
    body = ["    body: |", "      Demand fell [@src-a].", "", *before, "", *TABLE, *after]
    issues = run_lint(variant(l7="languages: [ko]", l12="\n".join(body)))
    assert where(issues, "number-without-citation") == []


def test_an_uncited_table_still_needs_a_citation(run_lint: RunLint) -> None:
    # The sentence before it has no citation, the line under it is no source line, and the
    # citation two sentences earlier does not reach the table.
    body = [
        "    body: |",                          # 12
        "      Demand fell [@src-a].",          # 13
        "      Births rose again.",             # 14
        "",                                     # 15
        *TABLE[:2],                             # 16, 17
        "      | 2024 | 238,300 | 12.5% |",     # 18: '238,300' at column 16
        TABLE[3],                               # 19
        "",                                     # 20
        "      Birth registrations [@src-a].",  # 21: not a source line
    ]  # fmt: skip
    issues = run_lint(variant(l7="languages: [ko]", l12="\n".join(body)))
    assert where(issues, "number-without-citation") == [("warning", 18, 16)]
    (issue,) = [i for i in issues if i.rule == "number-without-citation"]
    assert "(and 3 more)" in issue.diagnostic.message


def test_evidence_with_sources_needs_no_inline_citation(run_lint: RunLint) -> None:
    issues = run_lint(variant(l15="      - text: Shares fell 12.5% and lost $589 billion"))
    assert issues == []


def test_alt_text_of_a_chart_entry(tmp_path: Path, project: Project) -> None:
    """Forward-looking: a `chart`/`image` mapping without `alt` (not in the model yet)."""
    chart = ["    chart:", "      src: chart.png"]
    path = tmp_path / "brief.yaml"

    def lint_with(lines: list[str]) -> list[LintIssue]:
        path.write_text(variant(l13="\n".join(["    confidence: high", *lines])), "utf-8")
        source = load_yaml_file(path, name="brief.yaml")
        data = copy.deepcopy(source.data)
        del data["findings"][0]["chart"]
        checked = validate(dataclasses.replace(source, data=data))
        return lint(Validated(checked.brief, source), project.profiles, today=TODAY)

    assert where(lint_with(chart), "missing-alt-text") == [("error", 14, 5)]
    assert lint_with([*chart, "      alt: {en: Share price, ko: 주가}"]) == []


# -- switching rules off --------------------------------------------------------------------


def test_a_brief_can_switch_a_rule_off(run_lint: RunLint) -> None:
    text, *_ = FAILING["number-without-citation"]
    assert run_lint(text + "lint:\n  disable: [number-without-citation]\n") == []
    both = variant(
        "lint: {disable: [recommendation-without-owner, source-without-url]}", l21=None, l29=None
    )
    assert run_lint(both) == []


@pytest.mark.parametrize(
    ("key", "col", "message", "hint"),
    [
        ("lint: {disable: [number-without-citaton]}", 18,
         "lint.disable[0]: unknown lint rule 'number-without-citaton'",
         "did you mean 'number-without-citation'?"),
        ("lint: {disable: [bogus]}", 18, "lint.disable[0]: unknown lint rule 'bogus'",
         "see the rules in the README"),
        ("lint: {enable: []}", 8, "lint.enable: unknown field", "known fields: disable"),
        ("lint: [x]", 7, "lint: expected a mapping", "write lint: {disable: [rule-id]}"),
        ("lint: {disable: bogus}", 17, "lint.disable: expected a list of rule ids", ""),
    ],
)  # fmt: skip
def test_a_bad_lint_key_is_an_error(
    run_lint: RunLint, key: str, col: int, message: str, hint: str
) -> None:
    if "lint" in Brief.model_fields and "unknown lint rule" not in message:
        # Once the model has the field, validation reports a malformed key first.
        with pytest.raises(BriefError) as caught:
            run_lint(variant(key))
        assert [(d.line, d.col) for d in caught.value.diagnostics] == [(31, col)]
        return
    issues = run_lint(variant(key))
    assert [(i.rule, i.severity, i.diagnostic) for i in issues] == [
        ("lint-config", "error", Diagnostic("brief.yaml", 31, col, message, hint))
    ]


# -- output and API -------------------------------------------------------------------------


def test_format_issue(run_lint: RunLint) -> None:
    (issue,) = run_lint(FAILING["number-without-citation"][0])
    expected = (
        "brief.yaml:8:22: warning[number-without-citation]: summary: figure '17%' has no "
        "citation in its sentence — cite the source with [@source-id] in the same sentence "
        "or list item"
    )
    assert format_issue(issue) == expected == str(issue)
    bare = LintIssue("lint-config", "error", Diagnostic("brief.yaml", 0, 0, "broken"))
    assert format_issue(bare) == "brief.yaml: error[lint-config]: broken"


def test_invalid_briefs_raise_as_validation_does(run_lint: RunLint) -> None:
    with pytest.raises(BriefError) as caught:
        run_lint(variant(l13="    confidence: sure"))
    assert [(d.line, d.col) for d in caught.value.diagnostics] == [(13, 17)]


def test_lint_takes_a_validated_brief(tmp_path: Path, project: Project) -> None:
    copied = tmp_path / "minimal.yaml"
    shutil.copyfile(MINIMAL, copied)
    issues = lint(project.load(copied), project.profiles, today=TODAY)
    # src-a is dated the day after the brief (line 41): a source the brief could not cite.
    assert [(i.rule, i.diagnostic.line) for i in issues] == [
        ("source-after-date", 41),
        ("source-without-url", 43),
    ]


def test_rule_table_lists_every_rule() -> None:
    table = rule_table().splitlines()
    assert table[0] == "| rule | severity | reports |"
    assert [row.split("`")[1] for row in table[2:]] == [*RULES, "lint-config"]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert rule_table() in readme, "paste `rule_table()` into the README's lint section"


def test_the_flagship_has_no_lint_errors(project: Project) -> None:
    issues = lint_file(FLAGSHIP, project)
    assert [str(i) for i in issues if i.severity == "error"] == []


# -- the new rules on sentences from the fact check (research/fact-check-2026-12.md) ------

# rule id → (brief, today): each text is a sentence the fact check quotes or reports.
# fmt: off
FACT_CHECK: dict[str, tuple[str, dt.date]] = {
    # Row 1: "2026-11-01 … later than the briefs' own dates (Feb 2026)".
    "accessed-after-date": (
        variant(l3="date: 2026-02-01", l28="    date: 2026-01", l30="    accessed: 2026-11-01"),
        dt.date(2026, 12, 1)),
    # Row 11: SBS, 2026-01-15, cited by a brief dated before it.
    "source-after-date": (
        variant(l3="date: 2026-01-01", l28="    date: 2026-01-15", l30=None),
        dt.date(2026, 12, 1)),
    # Row 8: "H200 moved to case-by-case review on 2026-01-13".
    "evidence-after-date": (
        variant(l3="date: 2025-12-01", l15="      - text: H200 moved to case-by-case review on "
                "2026-01-13"), dt.date(2026, 12, 1)),
    # Row 2: "장중 약 11%" against "SK hynix closed −9.86%".
    "number-mismatch-ko-en": (
        variant(l15="      - text: {ko: 'SK하이닉스 주가, 2025. 1. 31. 장중 약 11% 하락', en: 'SK "
                    "hynix closed −9.86% on 31 January 2025'}"), TODAY),
    # Minor: "the 847조 원 figure needs its exchange rate stated".
    "unstated-rate": (
        variant(l7="languages: [ko]",
                l8="summary: '2025. 1. 27.(월) 엔비디아 주가 16.97% 하락, 시가총액 약 5,890억 달러(약 "
                   "847조 원) 증발[@src-a]'"), TODAY),
    # Row 3: "PIPC suspended downloads", "개인정보위의 조치".
    "hangul-in-english": (
        variant(l12="    body: 'PIPC suspended downloads (개인정보위의 조치)[@src-a].'"), TODAY),
    # "The three briefs repeat nearly the same recommendations": two of them.
    "duplicate-text": (
        variant(l11="    title: Set up standing monitoring of export-control changes and support "
                    "for firms",
                l19="    title: Set up standing monitoring of export-control changes and a "
                    "support desk for firms"), TODAY),
    # The English title of inputs/ai-basic-act-compute.yaml before it had a short title.
    "long-title-no-short": (variant(l2=f"title: \"{AI_ACT_TITLE}\""), TODAY),
}
# fmt: on


@pytest.mark.parametrize("rule", FACT_CHECK)
def test_new_rules_catch_the_fact_check(run_lint: RunLint, rule: str) -> None:
    text, today = FACT_CHECK[rule]
    assert where(run_lint(text, today=today), rule)


def test_number_mismatch_compares_values_not_spellings(run_lint: RunLint) -> None:
    pairs = [
        ("557만 6000달러", "$5.576 million"),
        ("557만 6000달러임", "$5.576 million"),  # 개조식: the amount ends the sentence
        ("278만 8000시간", "2.788 million GPU-hours"),
        ("14조 8000억 토큰", "14.8 trillion tokens"),
        ("1조 4600억 원", "KRW 1.46 trillion"),
        ("약 26만 장", "about 260,000"),
        ("3,000만 원", "KRW 30 million"),
        ("7%포인트", "7 percentage points"),
        # From the corpus briefs: rounding, and forms FIGURE does not count.
        ("약 26조 4479억 원", "about KRW 26.4 trillion"),
        ("3.5%p 상승", "up 3.5 points"),
        ("아빠 +9302명", "fathers +9,302"),
    ]
    for ko, en in pairs:
        text = variant(l15=f"      - text: {{ko: '{ko}', en: '{en}'}}")
        assert where(run_lint(text), "number-mismatch-ko-en") == [], (ko, en)
    # Same digits, different quantities: 5,890 억 dollars is not 5,890 billion.
    text = variant(l15="      - text: {ko: '5,890억 달러', en: '$5,890 billion'}")
    assert where(run_lint(text), "number-mismatch-ko-en") == [("warning", 15, 21)]
    # Rounded to its last digit, 26조 4479억 is 26.4 trillion, not 26.5.
    text = variant(l15="      - text: {ko: '26조 4479억 원', en: 'KRW 26.5 trillion'}")
    assert where(run_lint(text), "number-mismatch-ko-en") == [("warning", 15, 21)]


def test_an_exchange_rate_needs_its_date(run_lint: RunLint) -> None:
    no_date = "summary: 'Nvidia lost $589 billion (about KRW 847 trillion at KRW 1,438 per dollar)[@src-a].'"
    assert where(run_lint(variant(l8=no_date)), "unstated-rate") == [("warning", 8, 43)]
    # Two currencies side by side are not a conversion.
    both = "summary: 'Nvidia took a $5.5 billion charge; the budget is KRW 1.46 trillion[@src-a].'"
    assert where(run_lint(variant(l8=both)), "unstated-rate") == []


def test_repeats_across_a_catalogue(tmp_path: Path, project: Project) -> None:
    first = variant(l11="    title: Publish GPU allocation criteria for startups and universities")
    second = variant(
        l1="id: second-brief",
        l19="    title: Publish the GPU allocation criteria for startups and universities",
        l20="    body: Say what share goes to each kind of user.",
    )
    third = variant(
        "lint: {disable: [duplicate-text]}",
        l1="id: third-brief",
        l19="    title: Publish GPU allocation criteria for startups and universities",
        l20="    body: Report how the GPUs are used.",
    )
    paths = []
    for name, text in (("a.yaml", first), ("b.yaml", second), ("c.yaml", third)):
        (tmp_path / name).write_text(text, "utf-8")
        paths.append(tmp_path / name)
    found, failed = lint_catalog(paths, project, today=TODAY)
    assert failed == []
    assert [
        (path.name, i.diagnostic.line, i.diagnostic.message)
        for path, issues in found.items()
        for i in issues
    ] == [
        ("b.yaml", 19, "recommendations[0].title: sentence repeats one in "
         f"{paths[0]}:11 (findings[0].title)"),
    ]  # fmt: skip
    # Alone, the second brief repeats nothing.
    assert lint_file(paths[1], project, today=TODAY) == []


@pytest.mark.parametrize(
    "pattern",
    ["](", "[@a;", "[@", "*가*{", "$1 (about KRW 1,400) ", "5,890억 달러 ", "가 ",
     "Korea should open national AI compute to startups. ", "2025. 1. "],
)  # fmt: skip
def test_lint_is_linear(pattern: str, tmp_path: Path, project: Project) -> None:
    # Bugs: "](" (link targets), "[@" and "[@a;" (citations), "*가*{" (Korean marks) were
    # quadratic: 80 KB of "[@" took over five minutes.
    def timed(kb: int) -> float:
        payload = json.dumps(pattern * (kb * 1024 // len(pattern.encode())))
        path = tmp_path / f"{kb}.yaml"
        path.write_text(variant(l12=f"    body: {payload}"), "utf-8")
        start = time.process_time()  # CPU: a busy machine's other jobs count less
        lint_file(path, project, today=TODAY)
        return time.process_time() - start

    # 8× the text: a linear lint takes about 8× the time, a quadratic one 64× (seconds, at
    # 64 KB). The floor keeps a few milliseconds of noise on the small run from deciding.
    small, large = min(timed(8) for _ in range(3)), min(timed(64) for _ in range(3))
    assert large < 2.0 and large / max(small, 0.02) < 16, (small, large)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2025. 1. 27.(월), 2025. 4. H20", [("2025-01-27", True), ("2025-04-01", False)]),
        ("2025년 8월 4일, 2026년 1월, 2025년 2분기", [("2025-08-04", True), ("2026-01-01", False)]),
        ("27 January 2025, January 27, 2025, Sept 2024", [
            ("2025-01-27", True), ("2025-01-27", True), ("2024-09-01", False)]),
        ("2025-01-27 and 2025-01", [("2025-01-27", True), ("2025-01-01", False)]),
        # a year, a version number, an impossible day
        ("in 2027, v1.2.3, 2025.1.27, 31 February 2025", []),
    ],
)  # fmt: skip
def test_dates_in_text(text: str, dates: list[tuple[str, bool]]) -> None:
    assert [(d.first.isoformat(), d.day) for d in dates_in(text)] == dates


def test_the_examples_lint_clean_without_disables(project: Project) -> None:
    # Issue 20: every rule, each brief alone and the three compared with each other.
    paths = sorted((ROOT / "inputs").glob("*.yaml"))
    found, failed = lint_catalog(paths, project, today=dt.date(2026, 12, 1))
    assert failed == []
    assert {path.name: [str(i) for i in issues] for path, issues in found.items()} == {
        path.name: [] for path in paths
    }
    for path in paths:
        assert "lint" not in load_yaml_file(path).data, f"{path.name} switches rules off"


def test_lint_and_build_measure_running_heads_alike(tmp_path: Path, project: Project) -> None:
    # A short title that is itself too long is reported at the short title, by both.
    text = variant(f'short_title: "{AI_ACT_TITLE} (short)"', l2=f'title: "{AI_ACT_TITLE}"')
    (tmp_path / "brief.yaml").write_text(text, encoding="utf-8")
    issues = lint_file(tmp_path / "brief.yaml", project, today=TODAY)
    linted = [i.diagnostic for i in issues if i.rule == "long-title-no-short"]
    validated = project.load(tmp_path / "brief.yaml")
    edition = project.edition(validated, "government", "en", "pdf")
    built = running_head_budget(edition, validated.source)
    assert built is not None and linted == [built]
    assert (built.line, built.col) == (31, 14)  # the value after "short_title: "
    assert built.message.startswith("short_title: the en short title is too long")
    assert built.hint == "shorten it"
