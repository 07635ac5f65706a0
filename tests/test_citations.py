"""One citation grammar: each form means the same to validate, lint and build.

The table lists each form a writer may type, and what it must mean: the ids it cites, or the
error it is (with the column the error points at). Each row runs through the grammar itself,
``briefs validate``, ``briefs lint`` and ``briefs build``, and all must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.text import citations

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal.yaml"
KO_BODY = "고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b]."
EN_BODY = "Concern about high-bandwidth memory (HBM) demand grew[@src-b]."


@dataclass(frozen=True)
class Form:
    mark: str
    ids: tuple[str, ...] = ()
    """The ids cited, when the form is valid."""
    error: str = ""
    """The start of the error message, when it is not."""
    error_at: int = 0
    """Offset in ``mark`` of what the error points at."""


FORMS = [
    Form("[@src-a]", ids=("src-a",)),
    Form("[@src-a; @src-b]", ids=("src-a", "src-b")),
    Form("[@src-a;@src-b]", ids=("src-a", "src-b")),
    Form("[@src-b ; @src-a]", ids=("src-b", "src-a")),
    Form("[@src-a,@src-b]", ids=("src-a", "src-b")),
    Form("[@src-a, @src-b]", ids=("src-a", "src-b")),
    Form("[@no-such-source]", error="[@no-such-source]: unknown source id", error_at=0),
    Form("[@src-b; @no-such-source]", error="[@no-such-source]: unknown source id", error_at=9),
    Form("[@src-a,@src-c]", error="[@src-c]: unknown source id", error_at=8),
    Form("[@src-a @src-b]", error="malformed citation [@src-a @src-b]"),
    Form("[@src-a;]", error="malformed citation [@src-a;]"),
    Form("[@]", error="malformed citation [@]"),
    Form("[@ src-a]", error="malformed citation [@ src-a]"),
    # a locator: `, ` and where in the source, up to the next `;` or `]`
    Form("[@src-a, p. 12]", ids=("src-a",)),
    Form("[@src-a, p. 3; @src-b, 12쪽]", ids=("src-a", "src-b")),
    Form("[@src-b, pp. 3–5, @src-a]", ids=("src-b", "src-a")),
    Form("[@src-c, p. 3]", error="[@src-c]: unknown source id", error_at=0),
    Form("[@src-a, p. 3,]", error="malformed citation [@src-a, p. 3,]"),
    Form("[@src-a, " + "x" * 41 + "]", error="malformed citation [@src-a, x"),
]


def test_a_locator_is_read_with_its_id() -> None:
    (mark,) = citations.marks("[@a, p. 3; @b; @c, 제3조]")
    assert list(mark.cites()) == [("a", "p. 3"), ("b", None), ("c", "제3조")]
    assert mark.offsets == (1, 11, 15)


def test_a_locator_is_shown_after_the_number(tmp_path: Path) -> None:
    path, _, _ = _brief(tmp_path, "[@src-b, p. 12]")
    assert (
        run(
            [
                "build",
                str(path),
                "--format",
                "html",
                "--lang",
                "ko",
                "-a",
                "government",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    html = (tmp_path / "out" / "minimal" / "government.ko.html").read_text("utf-8")
    # src-a is cited before, in the summary: src-b is 2; p. and 12 never part
    assert 'id="cite-src-b-1">2</a><span class="locator">(p.&nbsp;12)</span></sup>' in html


def _brief(tmp_path: Path, mark: str) -> tuple[Path, int, int]:
    """The minimal brief with ``mark`` in a finding's Korean body; the mark's line and column."""
    text = FIXTURE.read_text("utf-8")
    ko = KO_BODY.replace("[@src-b]", mark)
    assert KO_BODY in text
    text = text.replace(KO_BODY, ko).replace(EN_BODY, EN_BODY.replace("[@src-b]", mark))
    path = tmp_path / "minimal.yaml"
    path.write_text(text, "utf-8")
    line_no, line = next((i + 1, ln) for i, ln in enumerate(text.splitlines()) if ko in ln)
    return path, line_no, line.index(ko) + ko.index(mark) + 1


@pytest.mark.parametrize("form", FORMS, ids=[f.mark for f in FORMS])
def test_the_grammar_reads_each_form(form: Form) -> None:
    found = list(citations.marks(f"text{form.mark}."))
    bad = list(citations.malformed(f"text{form.mark}."))
    if form.error.startswith("malformed"):
        assert not found and [m for _, m in bad] == [form.mark]
    elif form.error:  # well-formed, citing an unknown id
        assert not bad and len(found) == 1
    else:
        assert not bad and [m.ids for m in found] == [form.ids]


@pytest.mark.parametrize("form", FORMS, ids=[f.mark for f in FORMS])
def test_validate_lint_and_build_agree(
    form: Form, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    path, line, col = _brief(tmp_path, form.mark)
    codes = {
        "validate": run(["validate", str(path)]),
        "lint": run(["lint", str(path)]),
        "build": run(["build", str(path), "--format", "html", "--lang", "ko", "-a", "government"]),
    }
    err = capsys.readouterr().err
    if form.error:
        assert codes == {"validate": 1, "lint": 1, "build": 1}, err
        where = f"{path.name}:{line}:{col + form.error_at}:"
        for command in codes:
            # each command reports the error at the mark, in the Korean body
            assert re.search(
                rf"{re.escape(where)} findings\[0\]\.body\.ko: "
                rf"{re.escape(form.error)}",
                err,
            ), (command, err)
        assert not (tmp_path / "public").exists()
        return
    assert codes["validate"] == 0 and codes["build"] == 0, err
    assert "unknown source" not in err and "malformed" not in err
    html = (tmp_path / "public" / "minimal" / "government.ko.html").read_text("utf-8")
    body = html[html.index("우려가 커졌다") :]
    sup = re.match(r"우려가 커졌다<sup class=\"cite\">(.*?)</sup>", body)
    assert sup, body[:200]
    linked = re.findall(r'href="#src-([\w-]+)"', sup.group(1))
    assert sorted(linked) == sorted(form.ids)
    # one superscript, its numbers ascending whatever order the author wrote the ids in
    numbers = [int(n) for n in re.findall(r">(\d+)</a>", sup.group(1))]
    assert numbers == sorted(numbers) and sup.group(1).count(",") == len(numbers) - 1
