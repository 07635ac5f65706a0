"""Richer sources: types, authors, identifiers, each mistake reported at its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.check.validate import load_brief
from briefs.errors import BriefError
from briefs.schema.sources import Person, isbn_ok

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal.yaml"
SOURCE_B = """  - id: src-b
    title: HBM export controls
    publisher: Korea JoongAng Daily
    date: 2024-12-03
"""


def _with_source_b(tmp_path: Path, entry: str) -> tuple[Path, int]:
    """The minimal brief with src-b replaced by ``entry``; the line src-b starts on."""
    text = FIXTURE.read_text("utf-8")
    assert SOURCE_B in text
    text = text.replace(SOURCE_B, entry)
    path = tmp_path / "minimal.yaml"
    path.write_text(text, "utf-8")
    return path, text[: text.index(entry)].count("\n") + 1


def _errors(path: Path) -> list[str]:
    with pytest.raises(BriefError) as caught:
        load_brief(path)
    return [str(d).replace(str(path.parent) + "/", "") for d in caught.value.diagnostics]


def test_a_full_source_validates(tmp_path: Path) -> None:
    path, _ = _with_source_b(
        tmp_path,
        """  - id: src-b
    type: article-journal
    authors:
      - {family: Liu, given: Aixin}
      - {family: 김, given: 민수}
      - {ko: 한국개발연구원, en: Korea Development Institute}
      - DeepSeek-AI
    title: {ko: 딥시크-V3 기술 보고서, en: DeepSeek-V3 Technical Report}
    language: en
    container: arXiv
    volume: "2412"
    issue: "19437"
    pages: 1-53
    date: 2024-12
    doi: 10.48550/arXiv.2412.19437
    isbn: 978-0-306-40615-7
    url: https://arxiv.org/abs/2412.19437
    archived_url: https://web.archive.org/web/2025/https://arxiv.org/abs/2412.19437
""",
    )
    src = load_brief(path).brief.source("src-b")
    assert src.type == "article-journal" and src.publisher is None
    assert src.authors[0] == Person(family="Liu", given="Aixin")
    assert src.authors[2].en == "Korea Development Institute"  # type: ignore[union-attr]
    assert src.authors[3].any() == "DeepSeek-AI"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "https://doi.org/10.48550/arXiv.2412.19437", "write the DOI itself"),
        ("doi", "10.485/x", "is not a DOI"),
        ("isbn", "978-0-306-40615-8", "ISBN check digit is wrong"),
        ("isbn", "12345", "is not an ISBN"),
        ("url", "https://localhost", "must name a host"),
        ("archived_url", "ftp://web.archive.org/x", "must be an http:// or https:// address"),
        ("type", "blog", "must be one of"),
    ],
)
def test_each_identifier_is_checked_at_its_line(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    path, line = _with_source_b(tmp_path, SOURCE_B + f"    {field}: {value}\n")
    (error,) = _errors(path)
    assert error.startswith(f"minimal.yaml:{line + 4}:{7 + len(field)}: sources[1].{field}: ")
    assert message in error


def test_author_and_authors_together_is_an_error(tmp_path: Path) -> None:
    path, line = _with_source_b(
        tmp_path, SOURCE_B + "    author: Kim\n    authors: [{family: Kim}]\n"
    )
    (error,) = _errors(path)
    assert error.startswith(f"minimal.yaml:{line}:5: sources[1]: ")
    assert "give 'authors' (a list) or 'author' (a text), not both" in error


def test_a_person_needs_a_family_name(tmp_path: Path) -> None:
    path, line = _with_source_b(tmp_path, SOURCE_B + "    authors: [{given: Minsu}]\n")
    (error,) = _errors(path)
    assert error.startswith(f"minimal.yaml:{line + 4}:15: sources[1].authors[0].family: ")


def test_a_source_needs_a_publisher_or_a_container(tmp_path: Path) -> None:
    entry = SOURCE_B.replace("    publisher: Korea JoongAng Daily\n", "")
    path, line = _with_source_b(tmp_path, entry)
    (error,) = _errors(path)
    assert "give 'publisher' (or 'container', the journal or newspaper)" in error
    assert error.startswith(f"minimal.yaml:{line}:5: sources[1]: ")


def test_isbn_check_digits() -> None:
    # ISBN-13 978-0-306-40615-7: 9+21+8+0+3+0+6+12+0+18+1+15+7 = 100 ≡ 0 (mod 10)
    assert isbn_ok("9780306406157")
    assert not isbn_ok("9780306406158")
    # ISBN-10 0-306-40615-2: 0+27+0+42+24+0+24+3+10+2 = 132 = 12·11
    assert isbn_ok("0306406152")
    # 0-8044-2957-X: 0+72+0+28+24+10+36+15+14+10 = 209 = 19·11, X standing for 10
    assert isbn_ok("080442957X")
    assert not isbn_ok("0306406153")
