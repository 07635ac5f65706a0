"""`bibliography:` files: read through the one confined reader, merged with inline sources,
every problem positioned in the file it is in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefs.check.validate import load_brief
from briefs.cli.main import run
from briefs.errors import BriefError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "bibliography"
BRIEF = (FIXTURES / "brief.yaml").read_text("utf-8")


def _brief(tmp_path: Path, bibliography: str, files: dict[str, str], cite: str = "") -> Path:
    """The fixture brief naming ``bibliography``, with ``files`` beside it."""
    text = BRIEF.replace("bibliography: [refs.bib, zotero.json]", f"bibliography: {bibliography}")
    text = text.replace(
        "[@acemoglu-2020; @miller-2022; @fr-2025-00636; @cnbc-2025-01-27; "
        "@kiep-2018-sdgs; @kisdi-2025-06-13; @kr-ai-basic-act; @kiep-2015-sez]",
        cite,
    )
    text = text.replace("[@src-b; @deepseek-v3, p. 12]", "[@src-b]")
    for name, content in files.items():
        (tmp_path / name).write_text(content, "utf-8")
    path = tmp_path / "brief.yaml"
    path.write_text(text, "utf-8")
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(BriefError) as caught:
        load_brief(path)
    return [str(d).replace(f"{path.parent}/", "") for d in caught.value.diagnostics]


def test_the_fixture_merges_both_files_with_inline_sources() -> None:
    brief = load_brief(FIXTURES / "brief.yaml").brief
    ids = [s.id for s in brief.sources]
    assert ids[:2] == ["src-a", "src-b"]  # inline first, then each file in order
    assert ids[2:4] == ["kiep-2018-sdgs", "kiep-2015-sez"] and ids[-1] == "W6F2H8ZN"
    assert len(ids) == 2 + 9 + 7
    deepseek = brief.source("deepseek-v3")
    assert deepseek.authors[0].any() == "DeepSeek-AI"  # type: ignore[union-attr]
    assert deepseek.doi == "10.48550/arXiv.2412.19437" and deepseek.container is not None
    acemoglu = brief.source("acemoglu-2020")
    assert (acemoglu.volume, acemoglu.issue, acemoglu.pages) == ("128", "6", "2188–2244")
    assert brief.source("kiep-2018-sdgs").date == "2018-12"  # year + month = dec
    assert brief.source("kiep-2018-sdgs").language == "ko"
    assert brief.source("cnbc-2025-01-27").type == "article-newspaper"  # entrysubtype
    assert brief.source("cnbc-2025-01-27").title.any().startswith("Nvidia sheds almost $600")


def test_a_bad_doi_is_reported_at_its_line_in_the_bib_file(tmp_path: Path) -> None:
    bib = "@article{x1,\n  title = {T},\n  journal = {J},\n  year = 2024,\n  doi = {10.1/x},\n}\n"
    path = _brief(tmp_path, "[refs.bib]", {"refs.bib": bib}, "[@x1]")
    (error,) = _errors(path)
    assert error.startswith("refs.bib:5:3: @x1 doi: is not a DOI")


def test_a_bibtex_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    bib = "@book{a,\n  title = {T},\n  publisher = {P}\n\n@book{b, title = {U}}\n"
    path = _brief(tmp_path, "[refs.bib]", {"refs.bib": bib})
    (error,) = _errors(path)
    assert error.startswith("refs.bib:5:") and "BibTeX syntax error" in error


def test_invalid_json_is_positioned(tmp_path: Path) -> None:
    path = _brief(tmp_path, "[lib.json]", {"lib.json": '[\n\t{"id": "a",\n\t "title": }\n]\n'})
    (error,) = _errors(path)
    assert error.startswith("lib.json:3:12: invalid JSON: Expecting value")


def test_a_csl_field_error_is_positioned_at_its_key(tmp_path: Path) -> None:
    item = {"id": "k1", "type": "book", "title": "T", "publisher": "P", "ISBN": "978-0-306-40615-8"}
    text = json.dumps([item], indent="\t")
    path = _brief(tmp_path, "[lib.json]", {"lib.json": text}, "[@k1]")
    (error,) = _errors(path)
    line = text[: text.index('"978-')].count("\n") + 1
    assert error.startswith(f"lib.json:{line}:11: @k1 isbn: ISBN check digit is wrong")


def test_duplicates_across_files_and_with_inline_sources(tmp_path: Path) -> None:
    one = "@book{same,\n  title = {T}, publisher = {P}, year = 2020}\n"
    two = "% another library\n@book{same,\n  title = {U}, publisher = {Q}, year = 2021}\n"
    three = "@book{src-a,\n  title = {V}, publisher = {R}, year = 2022}\n"
    path = _brief(
        tmp_path,
        "[one.bib, two.bib, three.bib]",
        {"one.bib": one, "two.bib": two, "three.bib": three},
        "[@same]",
    )
    errors = _errors(path)
    assert errors == [
        "three.bib:1:1: duplicate source 'src-a' — it is also under sources: in brief.yaml:39:9; "
        "keep one",
        "two.bib:2:1: duplicate source 'same' — it is also in one.bib:1:1; keep one",
    ]


def test_files_outside_the_folder_or_of_another_kind_are_refused(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    shutil.copy(FIXTURES / "refs.bib", tmp_path / "outside.bib")
    path = _brief(tmp_path / "inner", "[../outside.bib, refs.ris, missing.bib]", {})
    errors = _errors(path)
    assert any("bibliography[0]: '../outside.bib': leads outside its folder" in e for e in errors)
    assert any("bibliography[1]: 'refs.ris' is neither a .bib" in e for e in errors)
    assert any("bibliography[2]: 'missing.bib': cannot read file" in e for e in errors)


def test_an_unusable_key_is_reported(tmp_path: Path) -> None:
    bib = "@book{kim:2020,\n  title = {T}, publisher = {P}, year = 2020}\n"
    path = _brief(tmp_path, "[refs.bib]", {"refs.bib": bib})
    (error,) = _errors(path)
    assert error.startswith("refs.bib:1:1: key 'kim:2020' cannot be cited as [@kim:2020]")


def test_build_uses_the_bibliography(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("brief.yaml", "refs.bib", "zotero.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    args = ["build", "brief.yaml", "-f", "html", "-a", "government", "--out", "out"]
    assert run(args) == 0
    html = (tmp_path / "out" / "bibliography" / "government.ko.html").read_text("utf-8")
    assert '<li id="src-miller-2022"' in html
    # an English title in the Korean edition: marked as English, in italics
    assert '<cite><span lang="en">Chip War: The Fight for the World' in html
    assert '<span class="locator">(p.&nbsp;12)</span>' in html


def test_bibliography_files_are_inputs_of_publish() -> None:
    """`briefs publish` rebuilds a brief when a file it names changes: its bibliographies
    are among the files it depends on, as its CSV files are."""
    from briefs.pipeline.publish import brief_assets

    assets = brief_assets(load_brief(FIXTURES / "brief.yaml"))
    assert [p.name for p in assets] == ["refs.bib", "zotero.json"]
    flagship = brief_assets(load_brief(ROOT / "inputs" / "hbm-export-controls.yaml"))
    assert [p.name for p in flagship] == ["hbm-export-controls.bib"]


def test_macros_that_double_up_are_refused_before_pybtex_expands_them(tmp_path: Path) -> None:
    """Thirty @string macros, each two of the one before, would be 8 GB of text."""
    lines = ['@string{m0 = "xxxxxxxx"}']
    lines += [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 31)]
    lines += ["@misc{a, title = m30, publisher = {P}}"]
    path = _brief(tmp_path, "[refs.bib]", {"refs.bib": "\n".join(lines) + "\n"}, "[@a]")
    (error,) = _errors(path)
    # m14 is 8 × 2¹⁴ = 131,072 characters, the first past 100,000: line 15
    assert error.startswith("refs.bib:15:1: this expands to more than 100,000 characters")


def test_macros_and_concatenation_within_bounds_are_read(tmp_path: Path) -> None:
    bib = (
        '@string{kdi = "한국개발연구원"}\n'
        '@string{series = "KDI FOCUS"}\n'
        "@report{kdi-focus,\n  title = {제목}, institution = kdi,\n"
        '  number = series # " 2024-01", year = 2024}\n'
    )
    path = _brief(tmp_path, "[refs.bib]", {"refs.bib": bib}, "[@kdi-focus]")
    src = load_brief(path).brief.source("kdi-focus")
    assert src.publisher is not None and src.publisher.any() == "한국개발연구원"
    assert src.number == "KDI FOCUS 2024-01"


def test_the_readme_errors_are_real(tmp_path: Path) -> None:
    """The two lines the README shows under "Sources, bibliographies and citation styles"."""
    readme = (ROOT / "README.md").read_text("utf-8")
    shown = [line for line in readme.splitlines() if line.startswith(("refs.bib:", "zotero.json:"))]
    bib = "@article{kim2024,\n  title = {T},\n  journal = {J},\n  year = 2024,\n  doi = {10.1/x},\n}\n"
    zotero = '[\n\t{"id": "kim2024", "type": "book", "title": "T", "publisher": "P"}\n]\n'
    path = _brief(
        tmp_path, "[refs.bib, zotero.json]", {"refs.bib": bib, "zotero.json": zotero}, "[@kim2024]"
    )
    assert sorted(_errors(path)) == sorted(shown) and len(shown) == 2
