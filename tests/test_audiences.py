"""Audience editions: profiles, item targeting, notes, user templates, sandbox, budgets."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.errors import BriefError
from briefs.pipeline.build import BuildOptions, Project, build_brief

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "inputs" / "deepseek-2025.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"


class _Outline(HTMLParser):
    """Sections in order, the item ids in each, and which items carry an audience note."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.items: dict[str, list[str]] = {}
        self.noted: set[str] = set()
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        ident = attr.get("id")
        if tag == "section" and classes:
            self.sections.append(classes[0])
        item = None
        if (
            ident
            and re.match(r"(kf|finding|implication|rec)-", ident)
            and tag in ("li", "article", "div")
        ):
            item = ident
            self.items.setdefault(self.sections[-1], []).append(ident.split("-", 1)[1])
        if "audience-note" in classes:
            owner = next((i for _, i in reversed(self._stack) if i), None)
            assert owner, "a note outside any item"
            self.noted.add(owner)
        if tag not in ("br", "img", "meta", "link", "hr", "input"):
            self._stack.append((tag, item))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break


SECTION_CLASS = {"key_figures": "key-figures"}
ITEM_PREFIX = {
    "key_figures": "kf",
    "findings": "finding",
    "implications": "implication",
    "recommendations": "rec",
}


@pytest.fixture(scope="module")
def flagship() -> tuple[Project, object]:
    project = Project()
    return project, project.load(FLAGSHIP)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("audience", ["government", "industry", "startups", "public"])
def test_edition_matches_profile_and_targeting(
    flagship: tuple[Project, object], audience: str, lang: str
) -> None:
    project, validated = flagship
    brief = validated.brief  # type: ignore[attr-defined]
    profile = project.profiles[audience]
    edition = project.edition(validated, audience, lang, "html")  # type: ignore[arg-type]
    outline = _Outline()
    outline.feed(project.render(edition))

    expected_sections = [
        name
        for name in profile.sections
        if name in ("summary", "sources")
        or (name == "context" and brief.context)
        or (
            name not in ("summary", "sources", "context")
            and any(
                item.audiences is None or audience in item.audiences
                for item in getattr(brief, name)
            )
        )
    ]
    assert outline.sections == [SECTION_CLASS.get(s, s) for s in expected_sections]

    for name, prefix in ITEM_PREFIX.items():
        if name not in profile.sections:
            continue
        wanted = [
            item.id
            for item in getattr(brief, name)
            if item.audiences is None or audience in item.audiences
        ]
        assert outline.items.get(SECTION_CLASS.get(name, name), []) == wanted, name
        for item in getattr(brief, name):
            anchor = f"{prefix}-{item.id}"
            has_note = audience in item.notes and anchor in [f"{prefix}-{i}" for i in wanted]
            assert (anchor in outline.noted) == has_note, f"note on {anchor}"


def test_flagship_uses_targeting_and_notes(flagship: tuple[Project, object]) -> None:
    """The flagship really exercises targeting: some items are not for everyone."""
    _, validated = flagship
    brief = validated.brief  # type: ignore[attr-defined]
    targeted = [
        i
        for i in [*brief.findings, *brief.recommendations, *brief.key_figures]
        if i.audiences is not None
    ]
    assert targeted
    assert sum(len(i.notes) for i in [*brief.findings, *brief.recommendations]) >= 3
    assert "public" in brief.audience_summary


def test_audience_summary_replaces_the_general_one(flagship: tuple[Project, object]) -> None:
    project, validated = flagship
    brief = validated.brief  # type: ignore[attr-defined]
    public = project.render(project.edition(validated, "public", "ko", "html"))  # type: ignore[arg-type]
    government = project.render(project.edition(validated, "government", "ko", "html"))  # type: ignore[arg-type]
    own = brief.audience_summary["public"].ko.splitlines()[0][2:30]
    general = brief.summary.ko.splitlines()[0][2:30]
    assert own in public and own not in government
    assert general in government


USER_BASE = """\
{% extends "builtin:audiences/government.html.j2" %}
{% block colophon %}{{ super() }}<p class="house-note">국회 보고용 사본</p>{% endblock %}
"""

ASSEMBLY_PROFILE = """\
name: national-assembly
label: {ko: 국회, en: National Assembly}
edition: {ko: 국회 보고용, en: National Assembly edition}
sections: [summary, recommendations, findings, sources]
template: audiences/national-assembly.html.j2
budget: {pages: 6}
"""

ASSEMBLY_TEMPLATE = """\
{% extends "base.html.j2" %}
{% block cover %}<p class="assembly-banner">{{ e.profile.text(e.profile.label, e.lang) }}</p>{{ super() }}{% endblock %}
"""


@pytest.fixture
def user_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "my-templates"
    (folder / "audiences").mkdir(parents=True)
    (folder / "audiences" / "government.html.j2").write_text(USER_BASE, encoding="utf-8")
    (folder / "audiences" / "national-assembly.yaml").write_text(ASSEMBLY_PROFILE, "utf-8")
    (folder / "audiences" / "national-assembly.html.j2").write_text(ASSEMBLY_TEMPLATE, "utf-8")
    return folder


def test_user_folder_overrides_a_block_and_adds_an_audience(
    tmp_path: Path, user_templates: Path
) -> None:
    out = tmp_path / "out"
    result = build_brief(
        MINIMAL,
        BuildOptions(
            out=out,
            formats=("html",),
            templates=user_templates,
            audiences=("government", "national-assembly", "industry"),
        ),
    )
    assert len(result.outputs) == 6
    gov = (out / "minimal" / "government.ko.html").read_text("utf-8")
    assembly = (out / "minimal" / "national-assembly.ko.html").read_text("utf-8")
    industry = (out / "minimal" / "industry.ko.html").read_text("utf-8")
    assert '<p class="house-note">국회 보고용 사본</p>' in gov
    assert "house-note" not in industry
    assert '<p class="assembly-banner">국회</p>' in assembly
    outline = _Outline()
    outline.feed(assembly)
    assert outline.sections == ["summary", "recommendations", "findings", "sources"]
    # the package's own templates were not touched
    builtin = ROOT / "templates" / "audiences" / "government.html.j2"
    assert "house-note" not in builtin.read_text("utf-8")


def test_brief_may_declare_a_user_audience(tmp_path: Path, user_templates: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(MINIMAL.read_text("utf-8") + "audiences: [national-assembly]\n", "utf-8")
    assert (
        run(
            [
                "build",
                str(brief),
                "--out",
                str(tmp_path / "o"),
                "-f",
                "html",
                "--templates",
                str(user_templates),
            ]
        )
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "o" / "minimal").iterdir()) == [
        "national-assembly.en.html",
        "national-assembly.ko.html",
    ]
    # without the user folder, the audience is unknown: a positioned error
    with pytest.raises(BriefError) as info:
        Project().load(brief)
    (diag,) = info.value.diagnostics
    assert diag.message == "audiences[0]: unknown audience 'national-assembly'"
    assert diag.line == len(brief.read_text("utf-8").splitlines())


def test_local_templates_folder_is_used_when_present(
    tmp_path: Path, user_templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_templates.rename(tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    assert run(["build", str(MINIMAL), "--out", "o", "-f", "html", "-a", "government"]) == 0
    assert "house-note" in (tmp_path / "o" / "minimal" / "government.ko.html").read_text("utf-8")


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ e.__init__.__globals__ }}",
        "{{ e.brief.__class__.__subclasses__() }}",
    ],
)
def test_sandbox_refuses_unsafe_access(
    tmp_path: Path, expression: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "t" / "audiences"
    folder.mkdir(parents=True)
    (folder / "government.html.j2").write_text(
        '{% extends "builtin:audiences/government.html.j2" %}\n'
        "{% block colophon %}\n" + expression + "\n{% endblock %}\n",
        "utf-8",
    )
    code = run(
        [
            "build",
            str(MINIMAL),
            "--out",
            str(tmp_path / "o"),
            "-f",
            "html",
            "-a",
            "government",
            "--templates",
            str(tmp_path / "t"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert re.search(r"audiences/government\.html\.j2:3:1: template error \(SecurityError\)", err)
    assert not (tmp_path / "o" / "minimal").exists()


def test_template_syntax_error_names_template_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "t" / "partials"
    folder.mkdir(parents=True)
    (folder / "cover.html.j2").write_text("<h1>\n{% if %}\n</h1>\n", "utf-8")
    code = run(
        [
            "build",
            str(MINIMAL),
            "--out",
            str(tmp_path / "o"),
            "-f",
            "html",
            "--templates",
            str(tmp_path / "t"),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert re.fullmatch(r".*partials/cover\.html\.j2:2:1: template syntax error: .+", err)


def test_plan_lists_sections_and_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["build", str(MINIMAL), "--plan", "-l", "ko", "-a", "government", "-a", "industry"])
        == 0
    )
    out = capsys.readouterr().out
    assert out == (
        "government.ko — 정책결정자용\n"
        "  요약: general summary\n"
        "  Ⅰ. 정책 제언: compute\n"
        "  주요 수치: loss\n"
        "  Ⅱ. 현황 및 분석: shock\n"
        "  참고문헌: src-a, src-b\n"
        "industry.ko — 산업계용\n"
        "  요약: general summary\n"
        "  주요 수치: loss\n"
        "  Ⅰ. 현황 및 분석: shock +note\n"
        "  Ⅱ. 정책 제언: compute\n"
        "  참고문헌: src-a, src-b\n"
        "  용어 설명: 고대역폭 메모리(HBM)\n"
    )


def test_templates_list_shows_winner(
    user_templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["templates", "list", "--templates", str(user_templates)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  national-assembly +국회 / National Assembly", out, re.M)
    line = next(x for x in out.splitlines() if x.strip().startswith("audiences/government.html.j2"))
    assert "my-templates" in line and "(overrides built-in)" in line
    line = next(x for x in out.splitlines() if x.strip().startswith("partials/cover.html.j2"))
    assert "built-in" in line and "overrides" not in line


def test_templates_eject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    assert run(["templates", "eject", "partials/cover.html.j2", "--templates", str(folder)]) == 0
    copied = folder / "partials" / "cover.html.j2"
    assert copied.read_text("utf-8") == (ROOT / "templates/partials/cover.html.j2").read_text(
        "utf-8"
    )
    assert run(["templates", "eject", "government", "--templates", str(folder)]) == 0
    assert (folder / "audiences" / "government.yaml").is_file()
    assert (folder / "audiences" / "government.html.j2").is_file()
    capsys.readouterr()
    # refuses to overwrite, and refuses names that are not built-ins
    assert run(["templates", "eject", "partials/cover.html.j2", "--templates", str(folder)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert run(["templates", "eject", "../pyproject.toml", "--templates", str(folder)]) == 1
    assert run(["templates", "eject", "nope", "--templates", str(folder)]) == 1


def test_summary_budget_warns_and_strict_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINIMAL.read_text("utf-8").replace(
        "ko: 엔비디아 주가가 하루 만에 크게 하락했다[@src-a].",
        "ko: " + "엔비디아 주가가 하루 만에 크게 하락했다. " * 40 + "[@src-a]",
        1,
    )
    brief = tmp_path / "long.yaml"
    brief.write_text(text, "utf-8")
    args = [
        "build",
        str(brief),
        "--out",
        str(tmp_path / "o"),
        "-f",
        "html",
        "-a",
        "government",
        "-l",
        "ko",
    ]
    assert run(args) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"warning: .*long\.yaml:10:\d+: summary: ko summary is \d+ characters; "
        r"the government edition allows 700",
        err,
    )
    assert run([*args, "--strict"]) == 1


@pytest.mark.slow
def test_government_edition_of_flagship_fits_its_page_budget(tmp_path: Path) -> None:
    project = Project()
    result = build_brief(
        FLAGSHIP,
        BuildOptions(out=tmp_path, formats=("pdf",), audiences=("government",)),
        project=project,
    )
    budget = project.profiles["government"].budget.pages
    pages = {o.lang: o.pages for o in result.outputs}
    assert set(pages) == {"ko", "en"}
    for lang, count in pages.items():
        assert count is not None and count <= budget[lang], (lang, count, budget[lang])
    assert not [w for w in result.warnings if "budget" in w.message]


LONG_EN = "A very long English title " * 6


@pytest.mark.parametrize("short", [False, True])
def test_a_title_too_long_for_the_running_head_is_a_positioned_warning(
    brief_copy: Path, short: bool
) -> None:
    text = brief_copy.read_text("utf-8").replace(
        "title: {ko: 최소 브리프, en: Minimal brief}",
        f"title: {{ko: 최소 브리프, en: {LONG_EN.strip()}}}"
        + ("\nshort_title: {ko: 최소, en: Minimal}" if short else ""),
    )
    brief_copy.write_text(text, "utf-8")
    result = build_brief(brief_copy, BuildOptions(out=brief_copy.parent / "out", formats=("pdf",)))
    heads = [w for w in result.warnings if "running head" in w.message]
    if short:
        assert heads == []
        return
    # once for the English title (not once per edition), at its value
    assert len(heads) == 1, heads
    col = text.splitlines()[2].index("A very") + 1
    assert (heads[0].line, heads[0].col) == (3, col)
    assert heads[0].message.startswith("title.en: the en title is too long for the running head")
    assert heads[0].hint == "add a short_title"


def test_a_source_publisher_may_be_named_per_language(brief_copy: Path) -> None:
    text = brief_copy.read_text("utf-8")
    assert "publisher: Gizchina" in text
    brief_copy.write_text(
        text.replace("publisher: Gizchina", "publisher: {ko: 기즈차이나, en: Gizchina}"), "utf-8"
    )
    out = brief_copy.parent / "out"
    build_brief(brief_copy, BuildOptions(out=out, formats=("html",), audiences=("industry",)))
    ko = (out / "minimal" / "industry.ko.html").read_text("utf-8")
    en = (out / "minimal" / "industry.en.html").read_text("utf-8")
    assert "자료: 기즈차이나" in ko
    assert "Source: Gizchina" in en and "기즈차이나" not in en
