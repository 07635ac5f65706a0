"""The PDF/UA-1 checker can fail: every rule of tests/conformance/pdfua.py fails on a PDF
broken on purpose, and holds on the same PDF unbroken.

The sample is a small three-page document rendered by briefs' PDF stage (bundled fonts,
briefs' structure tree): running head and page numbers, a list with a nested list, a
description list with ``div``-wrapped items, a table with THead/TBody, an image, two
footnotes after their marks (one mark of two links), a Korean phrase in English text and links. Each negative case
breaks one thing in it: its PDF objects (with pikepdf), or its HTML (a running head as a
fixed element instead of a margin box, an image without alt…), or the tagger (WeasyPrint's
own, which has the defects issue 16 lists).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest

from tests.conformance import pdfua

pytestmark = pytest.mark.slow

SQUARE = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<rect width="40" height="40" fill="#246"/></svg>'
).decode()
FILLER = " ".join(["Words that fill the page so that the sample has some body text."] * 6)
SAMPLE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Checker sample</title>
<meta name="dcterms.created" content="2026-01-01T00:00:00Z">
<style>
@page {{ size: A6; margin: 16mm 10mm;
  @top-left {{ content: "Checker sample"; font-size: 7pt }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 7pt }} }}
html {{ font-family: "Pretendard GOV", sans-serif; font-size: 8pt }}
.footnote {{ float: footnote; font-size: 6pt }}
.footnote::footnote-call {{ content: none }}
.footnote::footnote-marker {{ content: attr(data-n) ") " }}
section {{ break-before: page }}
/*EXTRA*/
</style></head>
<body>
<!--BEFORE-->
<h1>Checker sample</h1>
<p>A <span lang="ko">한국어</span> phrase, a mark<sup><a href="#ref-1" id="mark-1">1</a></sup><span
class="footnote" id="fn-mark-1" data-n="1">First note.</span> and another<sup><a href="#ref-2"
id="mark-2">2</a>,<a href="#ref-1">1</a></sup><span class="footnote" id="fn-mark-2" data-n="2">Second note.</span>.</p>
<ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul>
<dl><div><dt>Term</dt><dd>Description</dd></div></dl>
<p>{FILLER}</p>
<section><h2>Table</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
<tbody><tr><th scope="row">A</th><td>1</td></tr></tbody></table>
<img src="data:image/svg+xml;base64,{SQUARE}" alt="A dark blue square">
<p>{FILLER}</p>
</section>
<section><h2>References</h2>
<ol><li id="ref-1">Source one, <a href="https://example.org/">example.org</a></li>
<li id="ref-2">Source two</li></ol>
<p>{FILLER}</p>
</section>
</body></html>
"""


def render(html: str, tmp: Path) -> bytes:
    from briefs.pdf.weasy import write_pdf

    return write_pdf(html, base_dir=tmp, name="sample.html").data


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return render(SAMPLE, tmp_path_factory.mktemp("pdfua"))


def rules(pdf: pikepdf.Pdf) -> set[str]:
    return {f.rule for f in pdfua.check(pdf)}


def elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    """Structure elements of type ``role``, in tree order."""
    found: list[pikepdf.Dictionary] = []

    def visit(node: object) -> None:
        items = node if isinstance(node, pikepdf.Array) else [node]
        for item in items:
            if isinstance(item, pikepdf.Dictionary) and "/S" in item:
                if str(item.S) == f"/{role}":
                    found.append(item)
                visit(item.get("/K", pikepdf.Array()))

    visit(pdf.Root.StructTreeRoot.K)
    return found


def annotations(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for page in pdf.pages:
        yield from page.obj.get("/Annots", [])


def edit_content(
    pdf: pikepdf.Pdf, page: pikepdf.Page, change: Callable[[list[object]], list[object]]
) -> None:
    instructions = list(pikepdf.parse_content_stream(page))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(change(instructions)))


def op(operands: list[object], operator: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))


def _xmp(pdf: pikepdf.Pdf, pattern: str) -> None:
    data = pdf.Root.Metadata.read_bytes().decode()
    pdf.Root.Metadata = pdf.make_stream(re.sub(pattern, "", data).encode())


def _text_outside_marked_content(pdf: pikepdf.Pdf) -> None:
    font = next(iter(pdf.pages[0].Resources.Font.keys()))
    extra = [
        op([], "BT"),
        op([pikepdf.Name(font), 8], "Tf"),
        op([10, 10], "Td"),
        op([pikepdf.String(b"\x00\x02")], "Tj"),
        op([], "ET"),
    ]
    edit_content(pdf, pdf.pages[0], lambda ops: ops + extra)


def _tagged_inside_artifact(pdf: pikepdf.Pdf) -> None:
    def change(ops: list[object]) -> list[object]:
        start = next(
            i
            for i, o in enumerate(ops)
            if str(o.operator) == "BDC" and "/MCID" in o.operands[1]  # type: ignore[attr-defined]
        )
        depth, end = 0, start
        for end in range(start, len(ops)):
            name = str(ops[end].operator)  # type: ignore[attr-defined]
            depth += name in ("BDC", "BMC")
            depth -= name == "EMC"
            if depth == 0:
                break
        opening = op([pikepdf.Name("/Artifact")], "BMC")
        return [*ops[:start], opening, *ops[start : end + 1], op([], "EMC"), *ops[end + 1 :]]

    edit_content(pdf, pdf.pages[0], change)


def _orphan_mcid(pdf: pikepdf.Pdf) -> None:
    paragraph = elements(pdf, "P")[0]
    paragraph.K = pikepdf.Array([k for k in paragraph.K if not isinstance(k, int)])


def _furniture_tagged(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:

        def change(ops: list[object]) -> list[object]:
            out = []
            for number, o in enumerate(ops):
                props = o.operands[1] if str(o.operator) == "BDC" else None  # type: ignore[attr-defined]
                if isinstance(props, pikepdf.Dictionary) and props.get("/Type") == "/Pagination":
                    o = op([pikepdf.Name("/Span"), pikepdf.Dictionary(MCID=900 + number)], "BDC")
                out.append(o)
            return out

        edit_content(pdf, page, change)


def _set(role: str, key: str, value: object, index: int = 0) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        elements(pdf, role)[index][key] = value

    return change


def _delete(role: str, key: str, index: int = 0) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        del elements(pdf, role)[index][key]

    return change


def _same_note_ids(pdf: pikepdf.Pdf) -> None:
    first, second = elements(pdf, "Note")[:2]
    second.ID = first.ID


def _link_without_objr(pdf: pikepdf.Pdf) -> None:
    link = elements(pdf, "Link")[0]
    link.K = pikepdf.Array(
        [k for k in link.K if not (isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR")]
    )


def _annotation(key: str, value: object | None) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        annot = next(annotations(pdf))
        if value is None:
            del annot[key]
        else:
            annot[key] = value

    return change


def _scope_removed(pdf: pikepdf.Pdf) -> None:
    del elements(pdf, "TH")[0].A.Scope


def _korean_span_unlabelled(pdf: pikepdf.Pdf) -> None:
    (span,) = [s for s in elements(pdf, "Span") if s.get("/Lang") == "ko"]
    del span.Lang


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    yield from pdf.pages[0].Resources.Font.values()


def _font_not_embedded(pdf: pikepdf.Pdf) -> None:
    for font in _fonts(pdf):
        del font.DescendantFonts[0].FontDescriptor.FontFile2


def _glyphs_unmapped(pdf: pikepdf.Pdf) -> None:
    for font in _fonts(pdf):
        data = font.ToUnicode.read_bytes().decode("latin-1")
        data = re.sub(r"beginbfchar.*?endbfchar", "0 beginbfchar\nendbfchar", data, flags=re.S)
        data = re.sub(r"beginbfrange.*?endbfrange", "0 beginbfrange\nendbfrange", data, flags=re.S)
        font.ToUnicode = pdf.make_stream(data.encode("latin-1"))


BREAKAGES: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "DOC-001": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "DOC-002": lambda pdf: _xmp(pdf, r'pdfuaid:part="1"'),
    "DOC-003": lambda pdf: _xmp(pdf, r"<dc:title>.*?</dc:title>"),
    "DOC-004": lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False),
    "DOC-005": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "STR-001": _set("P", "/S", pikepdf.Name("/Paragraph")),
    "STR-002": lambda pdf: _set("P", "/P", pdf.Root.StructTreeRoot)(pdf),
    "CNT-001": _text_outside_marked_content,
    "CNT-002": _tagged_inside_artifact,
    "CNT-003": _orphan_mcid,
    "PAG-001": _furniture_tagged,
    "PAG-002": lambda pdf: pdf.pages[1].obj.__delitem__("/Tabs"),
    "LST-001": _set("LI", "/S", pikepdf.Name("/Div")),
    "LST-002": _set("LBody", "/S", pikepdf.Name("/P")),
    "LST-003": _set("L", "/S", pikepdf.Name("/Div")),
    "HDG-001": _set("H2", "/S", pikepdf.Name("/H3")),
    "HDG-002": _set("H2", "/S", pikepdf.Name("/H")),
    "FIG-001": _delete("Figure", "/Alt"),
    "TBL-001": _scope_removed,
    "TBL-002": _set("TR", "/S", pikepdf.Name("/P")),
    "NTE-001": _delete("Note", "/ID"),
    "NTE-002": _same_note_ids,
    "NTE-003": _set("Reference", "/S", pikepdf.Name("/Span")),
    "LNK-001": _link_without_objr,
    "LNK-002": _annotation("/Contents", None),
    "LNK-003": _annotation("/F", 0),
    "LNG-001": _korean_span_unlabelled,
    "FNT-001": _font_not_embedded,
    "FNT-002": _glyphs_unmapped,
}


def test_every_rule_has_a_breakage() -> None:
    assert sorted(BREAKAGES) == sorted(pdfua.RULES)


def test_the_sample_passes(sample: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample)) as pdf:
        assert len(pdf.pages) == 3
        assert pdfua.check(pdf) == []


@pytest.mark.parametrize("rule", sorted(BREAKAGES))
def test_each_rule_fails_on_its_breakage(sample: bytes, rule: str) -> None:
    with pikepdf.open(io.BytesIO(sample)) as pdf:
        BREAKAGES[rule](pdf)
        # Saved and read back, as a reader would see it.
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as broken:
        found = rules(broken)
    assert rule in found, f"{rule} did not fail; failures: {sorted(found)}"


def test_the_sample_structure_follows_its_html(sample: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample)) as pdf:
        outline = pdfua.structure_outline(pdf)
        roles = [role for role, _ in outline]
        # The bulleted list: each item a label and a body, the nested list inside the body.
        (first_list,) = [
            i
            for i, (role, text) in enumerate(outline)
            if role == "L" and "One" in text and "Nested" in text
        ]
        assert roles[first_list : first_list + 11] == [
            "L",
            "LI",
            "Lbl",
            "LBody",
            "LI",
            "Lbl",
            "LBody",
            "L",
            "LI",
            "Lbl",
            "LBody",
        ]
        # The description list: term as label, description as body.
        assert ("Lbl", "Term") in outline and ("LBody", "Description") in outline
        # The table keeps its header and body groups, and each TH the scope of its HTML.
        assert "THead" in roles and "TBody" in roles
        scopes = [str(th.A.Scope) for th in elements(pdf, "TH")]
        assert scopes == ["/Column", "/Column", "/Row"]
        # Footnotes: Notes with the HTML ids, each right after its mark.
        notes = elements(pdf, "Note")
        assert [str(n.ID) for n in notes] == ["fn-mark-1", "fn-mark-2"]
        assert ("Note", "1) First note.") in outline and ("Note", "2) Second note.") in outline
        # The Korean phrase carries its language; the catalog the document's.
        assert [str(s.Lang) for s in elements(pdf, "Span") if "/Lang" in s] == ["ko"]
        assert str(pdf.Root.Lang) == "en"
        # Links describe themselves and print.
        contents = [str(a.Contents) for a in annotations(pdf)]
        assert {"1", "2", "example.org"} <= set(contents)
        assert all(int(a.F) & 4 for a in annotations(pdf))
        # The image's alt text is the Figure's.
        assert [str(f.Alt) for f in elements(pdf, "Figure")] == ["A dark blue square"]


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        # A running head made with a fixed element is content repeated on every page.
        (
            "PAG-001",
            (
                "/*EXTRA*/",
                ".head { position: fixed; top: -10mm; left: 0 }",
                "<!--BEFORE-->",
                '<p class="head">Running head</p>',
            ),
        ),
        ("FIG-001", (' alt="A dark blue square"', "", "", "")),
        ("HDG-001", ("<h2>Table</h2>", "<h3>Table</h3>", "", "")),
        ("TBL-001", (' scope="col">Value', ">Value", "", "")),
    ],
)
def test_broken_html_fails(tmp_path: Path, rule: str, change: tuple[str, str, str, str]) -> None:
    old, new, old2, new2 = change
    html = SAMPLE.replace(old, new)
    if old2:
        html = html.replace(old2, new2)
    assert html != SAMPLE
    with pikepdf.open(io.BytesIO(render(html, tmp_path))) as pdf:
        found = rules(pdf)
    if rule == "TBL-001":
        # A TH without scope in a header row still gets one (Column): the tagger infers it.
        assert "TBL-001" not in found
    else:
        assert rule in found, sorted(found)


def test_weasyprints_own_tagging_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The defects issue 16 found, on the sample: list items outside lists (the dl's div),
    # running heads and page numbers tagged, links without the Print flag, no inner /Lang.
    import weasyprint.pdf
    import weasyprint.pdf.tags

    monkeypatch.setattr(weasyprint.pdf, "add_tags", weasyprint.pdf.tags.add_tags)
    from weasyprint import HTML

    from briefs.pdf.weasy import font_configuration

    data = HTML(string=SAMPLE).write_pdf(pdf_variant="pdf/ua-1", font_config=font_configuration())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = rules(pdf)
    assert {"LST-001", "LST-003", "PAG-001", "CNT-003", "LNK-003", "LNG-001"} <= found, sorted(
        found
    )
