"""The project file, ``briefs.toml``: found by walking up, checked with positioned errors,
its defaults given to briefs, its logo on every cover, its colours checked for contrast."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pikepdf
import pytest
from PIL import Image

from briefs.check.project import find_project_file, load_project
from briefs.cli.main import run
from briefs.errors import BriefError
from briefs.pipeline.build import BuildOptions, Project, build_brief
from briefs.pipeline.scaffold import project_json_schema, schema_text
from briefs.schema.project import contrast
from tests.conftest import MINIMAL, ROOT

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#5a2d82"/></svg>'
)
"""A logo of one colour the built-in styles never use (#5a2d82), to find it on the page."""

PROJECT = """\
organisation = { ko = "한국정책연구원", en = "Korea Policy Institute" }
logo = "logo.svg"

[brand]
primary = "#0b50d0"

[defaults]
licence = "CC-BY-SA-4.0"
"""


def make_project(tmp_path: Path, project: str = PROJECT, logo: str | bytes = LOGO) -> Path:
    """A project folder: briefs.toml, the logo, and the fixture brief (without its
    organisation and licence) in inputs/; returns the brief."""
    (tmp_path / ".git").mkdir(exist_ok=True)  # the walk stops here, not in /tmp
    (tmp_path / "briefs.toml").write_text(project, "utf-8")
    if isinstance(logo, bytes):
        (tmp_path / "logo.png").write_bytes(logo)
    else:
        (tmp_path / "logo.svg").write_text(logo, "utf-8")
    inputs = tmp_path / "inputs"
    inputs.mkdir(exist_ok=True)
    text = MINIMAL.read_text("utf-8").replace(
        "organisation: {ko: 시험 연구소, en: Test Institute}\n", ""
    )
    brief = inputs / "minimal.yaml"
    brief.write_text(text, "utf-8")
    return brief


def errors_of(tmp_path: Path, project: str) -> list[str]:
    (tmp_path / "briefs.toml").write_text(project, "utf-8")
    with pytest.raises(BriefError) as caught:
        load_project(tmp_path / "briefs.toml")
    return [str(d).replace(str(tmp_path) + "/", "") for d in caught.value.diagnostics]


def test_the_project_file_is_found_walking_up_and_not_past_git(tmp_path: Path) -> None:
    brief = make_project(tmp_path)
    assert find_project_file(brief) == tmp_path / "briefs.toml"
    assert find_project_file(brief.parent) == tmp_path / "briefs.toml"
    inner = tmp_path / "repo" / "inputs"
    inner.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert find_project_file(inner) is None  # the repository's root is the limit


def test_project_defaults_fill_the_fields_a_brief_leaves_out(tmp_path: Path) -> None:
    brief = make_project(tmp_path)
    validated = Project.for_path(brief).load(brief)
    assert validated.brief.licence == "CC-BY-SA-4.0"
    assert validated.brief.organisation.en == "Korea Policy Institute"
    # The brief's own value wins.
    brief.write_text(brief.read_text("utf-8") + "licence: CC0-1.0\n", "utf-8")
    assert Project.for_path(brief).load(brief).brief.licence == "CC0-1.0"


def test_the_project_sets_the_house_citation_style(tmp_path: Path) -> None:
    brief = make_project(tmp_path, PROJECT + 'citation_style = "apa"\n')
    assert Project.for_path(brief).load(brief).brief.citation_style == "apa"
    brief.write_text(brief.read_text("utf-8") + "citation_style: chicago\n", "utf-8")
    assert Project.for_path(brief).load(brief).brief.citation_style == "chicago"
    assert errors_of(tmp_path, PROJECT + 'citation_style = "mla"\n') == [
        "briefs.toml:9:18: defaults.citation_style: must be one of 'kr-policy', 'apa' or 'chicago'"
    ]


def test_without_a_project_file_the_brief_must_give_its_organisation(tmp_path: Path) -> None:
    brief = make_project(tmp_path)
    (tmp_path / "briefs.toml").unlink()
    with pytest.raises(BriefError, match="organisation"):
        Project.for_path(brief).load(brief)


def test_a_toml_syntax_error_is_positioned(tmp_path: Path) -> None:
    found = errors_of(tmp_path, 'logo = "a.svg"\norganisation = \n')
    assert found == [
        "briefs.toml:2:16: invalid TOML: invalid value — see https://toml.io for the syntax"
    ]


def test_an_unknown_key_is_positioned_with_a_suggestion(tmp_path: Path) -> None:
    found = errors_of(tmp_path, '[brand]\nprimary = "#0b50d0"\n  heding = "#063a74"\n')
    assert found == ["briefs.toml:3:3: brand.heding: unknown field — did you mean 'heading'?"]


def test_a_colour_without_contrast_is_refused_where_it_is_written(tmp_path: Path) -> None:
    # #aaaaaa: relative luminance ((170/255 + 0.055) / 1.055) ** 2.4 = 0.402, so against
    # white (1.05) / (0.452) = 2.32 — far from 4.5.
    found = errors_of(tmp_path, '# the institute\n\n[brand]\nprimary = "#aaaaaa"\n')
    assert found == [
        "briefs.toml:4:11: brand.primary: contrast #aaaaaa on #ffffff is 2.32:1, below WCAG "
        "AA's 4.5:1 (links on the page); use a darker colour"
    ]
    # A value that is no colour at all is positioned at the value.
    found = errors_of(tmp_path, '[brand]\ndark = { not = "a colour" }\n')
    assert found[0].startswith("briefs.toml:2:8: brand.dark: ")


def test_contrast_follows_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest AA gray


def test_a_missing_logo_is_an_error_at_its_line(tmp_path: Path) -> None:
    found = errors_of(tmp_path, '# the institute\nlogo = "missing.svg"\n')
    assert found == [
        "briefs.toml:2:8: logo: 'missing.svg': no such file — give an SVG or PNG file next "
        "to briefs.toml, or remove the logo line"
    ]
    (tmp_path / "logo.txt").write_text("not an image", "utf-8")
    found = errors_of(tmp_path, 'logo = "logo.txt"\n')
    assert found[0].startswith("briefs.toml:1:8: logo: 'logo.txt': not a PNG, JPEG or SVG")


def test_a_logo_outside_the_project_folder_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "logo.svg").write_text(LOGO, "utf-8")
    (project / "logo.svg").symlink_to(tmp_path / "logo.svg")
    found = errors_of(project, 'logo = "logo.svg"\n')
    assert "outside" in found[0] and found[0].startswith("briefs.toml:1:8: logo:")


def test_series_numbers_must_follow_the_project_pattern(tmp_path: Path) -> None:
    brief = make_project(tmp_path, 'series_pattern = "KPI-[0-9]{4}"\n' + PROJECT)
    with pytest.raises(BriefError) as caught:
        Project.for_path(brief).load(brief)
    (message,) = [str(d) for d in caught.value.diagnostics]
    assert message.endswith(
        "minimal.yaml:2:9: series: series 'T-1' does not match the project's pattern "
        "'KPI-[0-9]{4}' — set in " + str(tmp_path / "briefs.toml")
    )


def test_an_unknown_default_audience_is_positioned(tmp_path: Path) -> None:
    brief = make_project(tmp_path, PROJECT + 'audiences = ["government", "press"]\n')
    with pytest.raises(BriefError) as caught:
        Project.for_path(brief)
    assert [str(d).replace(str(tmp_path) + "/", "") for d in caught.value.diagnostics] == [
        "briefs.toml:9:13: defaults.audiences: audience 'press' is not defined — known: "
        "government, industry, startups, public"
    ]


def test_the_project_schema_file_is_in_sync() -> None:
    committed = (ROOT / "schema" / "project.schema.json").read_text("utf-8")
    assert committed == schema_text(project=True), (
        "run `briefs schema --project > schema/project.schema.json`"
    )
    # Describing the project's models leaves the brief's schema as committed.
    assert (ROOT / "schema" / "brief.schema.json").read_text("utf-8") == schema_text()
    assert run(["schema", "--project"]) == 0


def test_the_readme_project_file_satisfies_the_schema(tmp_path: Path) -> None:
    import tomllib

    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    jsonschema.validate(tomllib.loads(block), project_json_schema())
    json.dumps(project_json_schema())
    (tmp_path / "logo.svg").write_text(LOGO, "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "briefs.toml").write_text(block, "utf-8")
    institute = load_project(tmp_path / "briefs.toml")
    assert institute.settings.page.size == "B5"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of the fixture brief, in a project with an SVG logo, in B5."""
    folder = tmp_path_factory.mktemp("project")
    brief = make_project(folder, PROJECT + '\n[page]\nsize = "B5"\nmargins = "20mm 16mm"\n')
    out = folder / "public"
    build_brief(brief, BuildOptions(out=out))
    return out / "minimal"


def test_every_edition_is_built_with_the_logo_on_its_cover(built: Path) -> None:
    names = sorted(p.name for p in built.iterdir())
    expected = [
        f"{a}.{lang}.{fmt}"
        for a in ("government", "industry", "public", "startups")
        for fmt in ("html", "pdf")
        for lang in ("en", "ko")
    ]
    assert names == sorted(expected)
    for html in built.glob("*.html"):
        text = html.read_text("utf-8")
        assert '<img class="cover-logo" src="data:image/svg+xml;base64,' in text
    english = (built / "public.en.html").read_text("utf-8")
    assert 'alt="Korea Policy Institute"' in english


def test_the_pdf_pages_are_b5_and_the_logo_is_drawn_on_page_one(
    built: Path, tmp_path: Path
) -> None:
    for pdf in built.glob("*.pdf"):
        with pikepdf.open(pdf) as document:
            width, height = (float(v) for v in document.pages[0].mediabox[2:])
        # ISO B5: 176 × 250 mm at 72 / 25.4 points per millimetre.
        assert (round(width, 1), round(height, 1)) == (498.9, 708.7)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(built / "government.ko.pdf"),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    (picture,) = tmp_path.glob("page*.png")
    with Image.open(picture) as image:
        rgb = image.convert("RGB")
        # The logo's colour, in the top-left corner of the cover only (16 mm at 60 dpi ≈ 38 px).
        logo = [
            (x, y)
            for x in range(rgb.width)
            for y in range(rgb.height)
            if rgb.getpixel((x, y)) == (0x5A, 0x2D, 0x82)
        ]
    assert logo, "the logo's colour is nowhere on page 1"
    assert max(y for _, y in logo) < rgb.height // 5
    assert max(x for x, _ in logo) < rgb.width // 2


def test_a_png_logo_is_an_image_xobject_on_page_one(tmp_path: Path) -> None:
    import io

    png = io.BytesIO()
    Image.new("RGB", (60, 20), (0x5A, 0x2D, 0x82)).save(png, "PNG")
    brief = make_project(tmp_path, PROJECT.replace("logo.svg", "logo.png"), png.getvalue())
    out = tmp_path / "public"
    build_brief(
        brief, BuildOptions(out=out, audiences=["government"], languages=["en"], formats=["pdf"])
    )
    with pikepdf.open(out / "minimal" / "government.en.pdf") as document:
        xobjects = document.pages[0].Resources.get("/XObject", {})
        sizes = [
            (int(x.Width), int(x.Height))
            for x in xobjects.values()
            if x.get("/Subtype") == "/Image"
        ]
    assert (60, 20) in sizes


def test_every_problem_of_the_project_file_is_reported_at_once(tmp_path: Path) -> None:
    found = errors_of(tmp_path, 'logo = "missing.svg"\n\n[brand]\nprimary = "#aaaaaa"\n')
    assert [f.split(": ", 2)[:2] for f in found] == [
        ["briefs.toml:1:8", "logo"],
        ["briefs.toml:4:11", "brand.primary"],
    ]
