"""Every problem a user can fix is one positioned line, ``FILE:LINE:COL: field.path: message``.

Each case is checked through the command line (``briefs validate``, exit code 1, messages on
stderr, no traceback) and through the library (``load_brief`` raising ``BriefError`` with
``.diagnostics``). Line and column numbers are 1-based and asserted exactly: the base brief
below is written out with its line numbers so the expected positions can be read off.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from briefs.check.validate import load_brief
from briefs.cli.main import run
from briefs.errors import BriefError, Diagnostic

AUDIENCES = ["government", "industry", "startups", "public"]

# fmt: off
BASE_LINES = [
    "id: test-brief",                       # 1
    "title: Test brief",                    # 2
    "date: 2025-01-27",                     # 3
    "organisation: Test Institute",         # 4
    "authors:",                             # 5
    "  - name: Gildong Hong",               # 6
    "languages: [en]",                      # 7
    "summary: Shares fell[@src-a].",        # 8
    "findings:",                            # 9
    "  - id: shock",                        # 10
    "    title: Market shock",              # 11
    "    body: Demand fell[@src-a].",       # 12
    "    confidence: high",                 # 13
    "    evidence:",                        # 14
    "      - text: Shares fell 16.97%",     # 15
    "        sources: [src-a]",             # 16
    "sources:",                             # 17
    "  - id: src-a",                        # 18
    "    title: Nvidia loses $600 billion", # 19
    "    publisher: Gizchina",              # 20
]
# fmt: on
BASE = "\n".join(BASE_LINES) + "\n"

LINE_RE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.+)$")


def variant(**lines: str | None) -> str:
    """BASE with some lines replaced (``l13="..."``) or removed (``l13=None``)."""
    out: list[str | None] = list(BASE_LINES)
    for key, value in lines.items():
        number = int(key.removeprefix("l"))
        out[number - 1] = value
    return "\n".join(line for line in out if line is not None) + "\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path so messages name files as ``brief.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, text: str | bytes, name: str = "brief.yaml") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def cli_errors(capsys: pytest.CaptureFixture[str], *args: str, expect: int = 1) -> list[str]:
    """Run ``briefs ARGS``; return the stderr lines after checking the exit code."""
    code = run(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "internal error" not in captured.err
    assert code == expect, captured.out + captured.err
    return captured.err.splitlines()


def library_errors(path: Path, **kwargs: object) -> list[Diagnostic]:
    with pytest.raises(BriefError) as info:
        load_brief(path, audiences=AUDIENCES, **kwargs)  # type: ignore[arg-type]
    return info.value.diagnostics


def test_base_brief_is_valid(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, BASE)
    assert run(["validate", "brief.yaml"]) == 0
    assert capsys.readouterr().out.strip() == "brief.yaml: ok"
    assert load_brief(workdir / "brief.yaml", audiences=AUDIENCES).brief.id == "test-brief"


# -- one problem, one line -----------------------------------------------------------------

ONE_ERROR = {
    # "Shares fell: badly" — the second ':' (column 21) cannot start a mapping there.
    "yaml-syntax": (
        variant(l8="summary: Shares fell: badly"),
        "brief.yaml:8:21: a ': ' inside a text reads as a new key — put the text in quotes",
    ),
    # A string where a list is expected: the value 'src-a' starts at column 18.
    "wrong-type": (
        variant(l16="        sources: src-a"),
        "brief.yaml:16:18: findings[0].evidence[0].sources: expected a list",
    ),
    # A wrong type for a date: the value 'yesterday' starts at column 7.
    "wrong-date": (
        variant(l3="date: yesterday"),
        "brief.yaml:3:7: date: expected a date like 2025-01-27",
    ),
    # No confidence: the finding's mapping (its first key, 'id', line 10 column 5) is at fault.
    "missing-field": (
        variant(l13=None),
        "brief.yaml:10:5: findings[0].confidence: required field is missing",
    ),
    # A top-level required field: the document's mapping starts at 1:1.
    "missing-top-level-field": (
        variant(l4=None),
        "brief.yaml:1:1: organisation: required field is missing",
    ),
    # An unknown key is reported at the key itself (line 14, column 5), with a hint.
    "unknown-key": (
        variant(l13="    confidence: high\n    note: For industry"),
        "brief.yaml:14:5: findings[0].note: unknown field — did you mean 'notes'?",
    ),
    # 'nope' in an evidence sources list: the item starts at column 26.
    "undefined-source-in-list": (
        variant(l16="        sources: [src-a, nope]"),
        "brief.yaml:16:26: findings[0].evidence[0].sources[1]: unknown source id 'nope'",
    ),
    # Inline citation in a Markdown body: '[@nope]' starts at column 22.
    "undefined-source-inline": (
        variant(l12="    body: Demand fell[@nope]."),
        "brief.yaml:12:22: findings[0].body: [@nope]: unknown source id 'nope'",
    ),
    # A footnote call with no definition: '[^n]' starts at column 22.
    "footnote-call-without-definition": (
        variant(l12="    body: Demand fell[^n]."),
        "brief.yaml:12:22: findings[0].body: footnote [^n] has no definition — "
        "add a line '[^n]: …' to the same text, or cite a source with [@id]",
    ),
    # A definition nothing calls: line 15 is "      [^n]: A note.", the label at column 7.
    "footnote-never-called": (
        variant(l12="    body: |\n      Demand fell.\n\n      [^n]: A note."),
        "brief.yaml:15:7: findings[0].body: footnote [^n] is defined but never called — "
        "put [^n] where the note belongs, or delete the definition",
    ),
}


@pytest.mark.parametrize("case", list(ONE_ERROR), ids=list(ONE_ERROR))
def test_one_problem_is_one_positioned_line_cli(
    case: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = ONE_ERROR[case]
    write(workdir, text)
    lines = cli_errors(capsys, "validate", "brief.yaml")
    # One positioned line; a syntax error also shows the source line and a caret under it.
    positioned = [line for line in lines if not line.startswith(" ")]
    assert len(positioned) == 1, lines
    assert len(lines) == (3 if case == "yaml-syntax" else 1), lines
    assert lines[0].startswith(expected), lines[0]
    assert LINE_RE.match(lines[0])


@pytest.mark.parametrize("case", list(ONE_ERROR), ids=list(ONE_ERROR))
def test_one_problem_is_one_diagnostic_library(case: str, workdir: Path) -> None:
    text, expected = ONE_ERROR[case]
    diagnostics = library_errors(write(workdir, text))
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    diagnostic = diagnostics[0]
    file, line, col = expected.split(":")[:3]
    assert (diagnostic.path, diagnostic.line, diagnostic.col) == (file, int(line), int(col))
    assert str(diagnostic).startswith(expected)


def test_field_path_is_part_of_the_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, variant(l16="        sources: [src-a, nope]"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    match = LINE_RE.match(line)
    assert match is not None
    field, _, message = match["rest"].partition(": ")
    assert field == "findings[0].evidence[0].sources[1]"
    assert "nope" in message


def test_undefined_source_in_folded_markdown_points_at_the_citation(workdir: Path) -> None:
    text = variant(l12="    body: |\n      First line.\n      Second [@nope] line.")
    (diagnostic,) = library_errors(write(workdir, text))
    # Line 14 is "      Second [@nope] line."; the citation starts at column 14.
    assert (diagnostic.line, diagnostic.col) == (14, 14)
    assert "[@nope]" in diagnostic.message


def test_inline_citations_in_a_flow_mapping_point_at_each_citation(workdir: Path) -> None:
    # Both languages on one line: each error must point at its own citation.
    text = variant(l7="languages: [ko, en]", l12="    body: {ko: 'A [@nope]', en: 'B [@nope]'}")
    text = text.replace("title: Test brief", "title: {ko: 시험, en: Test brief}")
    text = text.replace("organisation: Test Institute", "organisation: {ko: 연구소, en: Institute}")
    text = text.replace("name: Gildong Hong", "name: {ko: 홍길동, en: Gildong Hong}")
    text = text.replace("summary: Shares fell[@src-a].", "summary: {ko: '가[@src-a]', en: b}")
    text = text.replace("title: Market shock", "title: {ko: 충격, en: Market shock}")
    text = text.replace("text: Shares fell 16.97%", "text: {ko: 하락, en: Shares fell}")
    lines = text.splitlines()
    line = lines[11]
    assert line.startswith("    body: {ko:")
    diagnostics = library_errors(write(workdir, text))
    by_field = {d.message.split(":")[0]: d for d in diagnostics}
    assert set(by_field) == {"findings[0].body.ko", "findings[0].body.en"}, diagnostics
    assert (by_field["findings[0].body.ko"].line, by_field["findings[0].body.ko"].col) == (
        12,
        line.index("[@nope]") + 1,
    )
    assert (by_field["findings[0].body.en"].line, by_field["findings[0].body.en"].col) == (
        12,
        line.rindex("[@nope]") + 1,
    )


def test_footnote_problems_are_all_reported_and_stop_the_build(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "    body: |\n      Demand[^a] fell[^b].\n\n      [^a]: Note [^c].\n      [^a]: Again."
    write(workdir, variant(l12=body))
    lines = cli_errors(capsys, "build", "brief.yaml", "--out", "out", "--format", "html")
    # Line 13 "      Demand[^a] fell[^b].", line 15 "      [^a]: Note [^c].", line 16 "[^a]: …"
    assert [line.split(" — ")[0] for line in lines] == [
        "brief.yaml:13:22: findings[0].body: footnote [^b] has no definition",
        "brief.yaml:15:18: findings[0].body: footnote [^c] is called inside another footnote",
        "brief.yaml:16:7: findings[0].body: footnote [^a] is defined twice",
    ]
    assert not (workdir / "out").exists()


def test_wrong_type_for_a_partial_date_is_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A source date takes 2025-01-27, 2025-01 or 2025: one wrong value is still one problem.
    text = BASE + "    date: soon\n"  # line 21; the value starts at column 11
    write(workdir, text)
    lines = cli_errors(capsys, "validate", "brief.yaml")
    assert len(lines) == 1, lines
    assert lines[0].startswith("brief.yaml:21:11: sources[0].date: ")


def test_unknown_key_in_a_text_mapping_has_a_hint(workdir: Path) -> None:
    (diagnostic,) = library_errors(write(workdir, variant(l11="    title: {en: Shock, enn: x}")))
    # 'enn' is at column 24 of line 11.
    assert (diagnostic.line, diagnostic.col) == (11, 24)
    assert diagnostic.message == "findings[0].title.enn: unknown field"
    assert diagnostic.hint == "did you mean 'en'?"


def test_unknown_key_in_an_audience_note_has_a_hint(workdir: Path) -> None:
    text = variant(l13="    confidence: high\n    notes:\n      industry: {en: Note, enn: x}")
    (diagnostic,) = library_errors(write(workdir, text))
    # Line 15 is "      industry: {en: Note, enn: x}"; 'enn' is at column 28.
    assert (diagnostic.line, diagnostic.col) == (15, 28)
    assert diagnostic.message == "findings[0].notes.industry.enn: unknown field"
    assert diagnostic.hint == "did you mean 'en'?"


def test_three_problems_are_three_lines(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = variant(
        l3="date: yesterday",  # wrong type, 3:7
        l13="    confidense: high",  # unknown key (and so confidence is missing), 13:5
        l16="        sources: [nope]",  # undefined source, 16:19
    )
    text = text.replace("    confidense: high\n", "    confidence: high\n    confidense: high\n")
    # Now: line 13 confidence, line 14 confidense, line 17 sources.
    write(workdir, text)
    lines = cli_errors(capsys, "validate", "brief.yaml")
    assert len(lines) == 3, lines
    assert lines[0].startswith("brief.yaml:3:7: date: ")
    assert lines[1].startswith("brief.yaml:14:5: findings[0].confidense: unknown field")
    assert lines[2].startswith("brief.yaml:17:19: findings[0].evidence[0].sources[0]: ")
    assert all(LINE_RE.match(line) for line in lines)

    diagnostics = library_errors(workdir / "brief.yaml")
    assert [(d.line, d.col) for d in diagnostics] == [(3, 7), (14, 5), (17, 19)]


def test_validate_reports_every_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, BASE, "good.yaml")
    write(workdir, variant(l3="date: yesterday"), "bad1.yaml")
    write(workdir, variant(l13="    confidence: high\n    note: x"), "bad2.yaml")
    code = run(["validate", "good.yaml", "bad1.yaml", "bad2.yaml"])
    captured = capsys.readouterr()
    assert code == 1
    assert "good.yaml: ok" in captured.out
    errors = captured.err.splitlines()
    assert [line.split(":")[0] for line in errors] == ["bad1.yaml", "bad2.yaml"]


def test_build_of_an_invalid_brief_reports_like_validate(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, variant(l16="        sources: [src-a, nope]"))
    lines = cli_errors(capsys, "build", "brief.yaml", "--out", "out", "--format", "html")
    assert len(lines) == 1
    assert lines[0].startswith("brief.yaml:16:26: ")


# -- YAML the loader must refuse --------------------------------------------------------------


def test_duplicate_key(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, variant(l2="title: Test brief\ntitle: Other title"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # The second 'title' key, line 3 column 1; the hint names the first.
    assert line.startswith("brief.yaml:3:1: title: duplicate key")
    assert "line 2" in line


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['touch pwned']", "python/object/apply:os.system"),
        ("!!python/object:builtins.object {}", "python/object:builtins.object"),
        ("!foo bar", "!foo"),
    ],
    ids=["python-apply", "python-object", "custom"],
)
def test_custom_tags_are_refused(
    value: str, tag: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, variant(l2=f"title: {value}"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # The tagged node starts at column 8 of line 2.
    assert line.startswith("brief.yaml:2:8: title: tag ")
    assert tag in line
    assert not (workdir / "pwned").exists()


def test_billion_laughs_fails_fast(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    write(workdir, BASE + "\n".join(levels) + "\n")  # expands to 10**10 strings
    start = time.process_time()  # CPU time: what the limit bounds, whatever else runs
    lines = cli_errors(capsys, "validate", "brief.yaml")
    elapsed = time.process_time() - start
    assert elapsed < 2, f"took {elapsed:.2f} s of CPU"
    assert len(lines) == 1
    assert LINE_RE.match(lines[0])
    assert "expands to more than" in lines[0]


def test_recursive_alias_is_refused(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, BASE + "loop: &loop [*loop]\n")
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    assert line.startswith("brief.yaml:21:")


def test_file_over_2_mb_is_refused(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    padding = ("# " + "x" * 97 + "\n") * 21_000  # 2.1 MB of comments
    write(workdir, BASE + padding)
    assert (workdir / "brief.yaml").stat().st_size > 2_000_000
    start = time.monotonic()
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    assert time.monotonic() - start < 2
    assert line.startswith("brief.yaml: file is ")
    assert "limit" in line


def test_invalid_utf8_is_positioned(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = variant(l4="organisation: Test \udcffInstitute")
    write(workdir, raw.encode("utf-8", "surrogateescape"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # The bad byte is the 20th character of line 4.
    assert line.startswith("brief.yaml:4:20: file is not valid UTF-8")


def test_invalid_utf8_after_multibyte_text_counts_characters(workdir: Path) -> None:
    # Columns count characters, as for every other message (and as editors do).
    raw = variant(l4="organisation: 연구소 \udcff").encode("utf-8", "surrogateescape")
    (diagnostic,) = library_errors(write(workdir, raw))
    assert (diagnostic.line, diagnostic.col) == (4, 19)


def test_nul_byte_is_positioned(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, variant(l4="organisation: Test\0Institute"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    assert line.startswith("brief.yaml:4:19: file contains a NUL character")


def test_missing_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = cli_errors(capsys, "validate", "absent.yaml")
    assert line.startswith("absent.yaml: cannot read file")


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"], ids=["empty", "list", "str"])
def test_not_a_mapping(text: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, text)
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    assert line.startswith("brief.yaml:1:1: ")


# -- references ----------------------------------------------------------------------------------


def test_duplicate_ids(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    second = "\n".join(BASE_LINES[9:13])  # lines 10-13: a second finding 'shock'
    write(workdir, variant(l13="    confidence: high\n" + second))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # The second "  - id: shock" is line 14; its value starts at column 9.
    assert line.startswith("brief.yaml:14:9: findings[1].id: duplicate id 'shock'")
    assert "line 10" in line


def test_unknown_audience_in_audiences(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, variant(l7="languages: [en]\naudiences: [government, goverment]"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # Line 8, the second item at column 25.
    assert line.startswith("brief.yaml:8:25: audiences[1]: unknown audience 'goverment'")
    assert "did you mean 'government'?" in line


def test_unknown_audience_in_notes(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, variant(l13="    confidence: high\n    notes:\n      indstry: A note"))
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # The key 'indstry' on line 15, column 7.
    assert line.startswith("brief.yaml:15:7: findings[0].notes.indstry: unknown audience")
    assert "did you mean 'industry'?" in line


def test_unknown_audience_in_library_needs_the_list(workdir: Path) -> None:
    path = write(workdir, variant(l7="languages: [en]\naudiences: [ministers]"))
    (diagnostic,) = library_errors(path)
    assert (diagnostic.line, diagnostic.col) == (8, 13)
    # Without a list of audiences, names are not checked.
    assert load_brief(path).brief.audiences == ["ministers"]


def test_unknown_finding_in_based_on(workdir: Path) -> None:
    text = BASE.replace(
        "sources:\n",
        "recommendations:\n  - id: r\n    title: Act\n    body: Now\n    based_on: [shok]\n"
        "sources:\n",
        1,
    )
    (diagnostic,) = library_errors(write(workdir, text))
    # "    based_on: [shok]" is line 21; 'shok' at column 16.
    assert (diagnostic.line, diagnostic.col) == (21, 16)
    assert diagnostic.hint == "did you mean 'shock'?"


# -- translations --------------------------------------------------------------------------------

BILINGUAL = """\
id: test-brief
title: {ko: 시험 브리프, en: Test brief}
date: 2025-01-27
organisation: {ko: 시험 연구소, en: Test Institute}
authors:
  - name: {ko: 홍길동, en: Gildong Hong}
languages: [ko, en]
summary: {ko: 주가가 하락했다., en: Shares fell.}
findings:
  - id: shock
    title: {ko: 시장 충격}
    body: {ko: 수요가 줄었다., en: Demand fell.}
    confidence: high
"""


def test_missing_translation_is_an_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir, BILINGUAL)
    (line,) = cli_errors(capsys, "validate", "brief.yaml")
    # The title mapping on line 11 starts at column 12.
    assert line.startswith("brief.yaml:11:12: findings[0].title: missing translation (en)")


def test_plain_string_counts_as_first_language_only(workdir: Path) -> None:
    text = BILINGUAL.replace("title: {ko: 시장 충격}", "title: {ko: 시장 충격, en: Shock}")
    text = text.replace("summary: {ko: 주가가 하락했다., en: Shares fell.}", "summary: 주가 하락")
    (diagnostic,) = library_errors(write(workdir, text))
    assert (diagnostic.line, diagnostic.col) == (8, 10)
    assert diagnostic.message == "summary: missing translation (en)"


def test_allow_missing_translations_makes_it_a_warning(workdir: Path) -> None:
    path = write(workdir, BILINGUAL)
    validated = load_brief(path, audiences=AUDIENCES, allow_missing_translations=True)
    assert [str(w).split(" — ")[0] for w in validated.warnings] == [
        "brief.yaml:11:12: findings[0].title: missing translation (en)"
    ]


def test_allow_missing_translations_in_the_cli(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, BILINGUAL)
    args = ["build", "brief.yaml", "--out", "out", "--format", "html", "--audience", "government"]
    assert run([*args, "--allow-missing-translations"]) == 0
    captured = capsys.readouterr()
    assert "warning: brief.yaml:11:12: findings[0].title: missing translation (en)" in captured.err
    html = (workdir / "out/test-brief/government.en.html").read_text(encoding="utf-8")
    assert 'class="untranslated" lang="ko"' in html
    assert "시장 충격" in html


# -- usage errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["build", "brief.yaml", "--no-such-option"],
        ["frobnicate"],
        ["build"],
        ["build", "brief.yaml", "--format", "odt"],
        ["build", "brief.yaml", "--lang", "fr"],
        ["validate"],
    ],
    ids=[
        "unknown-option",
        "unknown-command",
        "missing-argument",
        "bad-format",
        "bad-lang",
        "validate-nothing",
    ],
)
def test_usage_errors_exit_2(
    args: list[str], workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir, BASE)
    code = run(args)
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.out + captured.err
    assert "Usage:" in captured.err or "Error:" in captured.err
    assert not (workdir / "public").exists()


@pytest.mark.parametrize("command", ["validate", "lint", "templates"])
def test_a_file_name_cannot_start_a_line_of_its_own_in_a_ci_log(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Bug: a brief named "x\n::error title=pwned::..." printed a line starting with ::error,
    # which GitHub Actions reads as a command. Messages were escaped; paths were not.
    name = "x\n::error title=pwned::gotcha.yaml"
    monkeypatch.chdir(tmp_path)
    if command == "templates":
        folder = tmp_path / "templates" / "audiences"
        folder.mkdir(parents=True)
        (folder / "x\n::error title=pwned::x.html.j2").write_text("x", "utf-8")
        code = run(["templates", "list"])
    else:
        (tmp_path / name).write_text("title: [unclosed\n", "utf-8")
        code = run([command, name])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    lines = (captured.out + captured.err).splitlines()
    assert not [line for line in lines if line.lstrip().startswith("::")], lines
