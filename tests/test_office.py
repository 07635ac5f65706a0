"""What the DOCX and HWPX editions share: the same bytes twice, images converted or refused
at their line, the command and publish, and reference documents.

A ``reference.hwpx`` in the templates folder supplies the HWPX editions' styles as a
``reference.docx`` does the DOCX's: one made here from a built edition with a style changed
in its ``header.xml``, and python-hwpx's own skeleton document (a 한글 template that knows
none of briefs' own style names but 바탕글, 본문, 개요 1–5, 차례, 캡션, 각주 and 머리말).
A reference that cannot be read is an error at its place; python-hwpx's checks still pass.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hwpx.tools.package_validator import validate_package
from hwpx.tools.validator import validate_document

from briefs.cli.main import run
from briefs.errors import BriefError
from briefs.pipeline.build import BuildOptions, BuildResult, build_brief

pytestmark = pytest.mark.slow

HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
SKELETON = resources.files("hwpx") / "data" / "Skeleton.hwpx"


def _build(brief: Path, out: Path, fmt: str, templates: Path | None = None) -> BuildResult:
    return build_brief(
        brief,
        BuildOptions(out=out, audiences=["government"], formats=(fmt,), templates=templates),  # type: ignore[arg-type]
    )


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _valid(data: bytes) -> None:
    report, checked = validate_document(io.BytesIO(data)), validate_package(io.BytesIO(data))
    assert not report.issues and not checked.issues, [*report.issues, *checked.issues]


class Header:
    """A built HWPX's ``header.xml``: its styles, and their shapes."""

    def __init__(self, data: bytes) -> None:
        self.root = ET.fromstring(_parts(data)["Contents/header.xml"])
        self.styles = {s.get("name"): s for s in self.root.iter(f"{HH}style")}

    def char(self, style: str) -> ET.Element:
        ident = self.styles[style].get("charPrIDRef")
        return next(c for c in self.root.iter(f"{HH}charPr") if c.get("id") == ident)

    def para(self, style: str) -> ET.Element:
        ident = self.styles[style].get("paraPrIDRef")
        return next(p for p in self.root.iter(f"{HH}paraPr") if p.get("id") == ident)

    def face(self, shape: ET.Element, script: str = "HANGUL") -> str:
        ident = shape.find(f"{HH}fontRef").get(script.lower())  # type: ignore[union-attr]
        faces = next(f for f in self.root.iter(f"{HH}fontface") if f.get("lang") == script)
        return next(f.get("face", "") for f in faces if f.get("id") == ident)


FORMATS = ("docx", "hwpx")


@pytest.mark.parametrize(
    ("fmt", "first"), [("docx", ["[Content_Types].xml"]), ("hwpx", ["mimetype", "version.xml"])]
)
def test_two_builds_are_the_same_bytes(
    tmp_path: Path, minimal_path: Path, fmt: str, first: list[str]
) -> None:
    """Same bytes, entries in a fixed order from the format's first ones, every one dated
    from the brief (not the clock)."""
    one = _build(minimal_path, tmp_path / "a", fmt).outputs
    two = _build(minimal_path, tmp_path / "b", fmt).outputs
    assert len(one) == 2 and [o.path.read_bytes() for o in one] == [
        o.path.read_bytes() for o in two
    ]
    with zipfile.ZipFile(one[0].path) as package:
        infos = package.infolist()
    assert [i.filename for i in infos[: len(first)]] == first
    assert {i.date_time for i in infos} == {(2025, 1, 27, 0, 0, 0)}  # the brief's date


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}">'
    '<rect x="0" y="0" width="40" height="20" fill="#036"/></svg>'
)


def _with_image(brief_copy: Path, width: str, height: str) -> Path:
    """The fixture brief whose first finding's Markdown shows an SVG drawing of that size."""
    (brief_copy.parent / "map.svg").write_text(SVG.format(w=width, h=height), "utf-8")
    text = brief_copy.read_text("utf-8")
    old = "      ko: 고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].\n"
    assert old in text
    new = '      ko: "![지도 그림](map.svg)\\n\\n고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b]."\n'
    brief_copy.write_text(text.replace(old, new, 1), "utf-8")
    return brief_copy


@pytest.mark.parametrize(
    ("fmt", "media", "body", "shown"),
    [
        (
            "docx",
            ["word/media/image1.png", "word/media/image1.svg"],  # the drawing beside its bitmap
            "word/document.xml",
            ['descr="지도 그림"', '<wp:extent cx="2540000" cy="1270000"/>'],  # 200 pt in EMU
        ),
        (
            "hwpx",
            ["BinData/image1.png"],
            "Contents/section0.xml",
            ["<hp:shapeComment>지도 그림</hp:shapeComment>", '<hp:sz width="20000"'],  # HWPUNIT
        ),
    ],
)
def test_an_svg_image_is_converted_to_a_picture(
    brief_copy: Path, tmp_path: Path, fmt: str, media: list[str], body: str, shown: list[str]
) -> None:
    """A brief's own 200 × 100 SVG drawing: a 300 dpi PNG, shown 200 pt wide, its alt text
    the picture's description."""
    brief = _with_image(brief_copy, "200", "100")
    parts = _parts(_build(brief, tmp_path / "out", fmt).outputs[0].path.read_bytes())
    assert sorted(n for n in parts if n.startswith(media[0].rsplit("/", 1)[0])) == media
    assert int.from_bytes(parts[media[0]][16:20], "big") == round(200 * 300 / 72)  # 300 dpi
    xml = parts[body].decode("utf-8")
    for expected in shown:
        assert expected in xml, expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_image_the_document_cannot_hold_is_refused_at_its_line(
    brief_copy: Path, tmp_path: Path, fmt: str
) -> None:
    brief = _with_image(brief_copy, "0", "0")
    line = next(
        i for i, text in enumerate(brief.read_text("utf-8").splitlines(), 1) if "지도 그림" in text
    )
    with pytest.raises(BriefError) as caught:
        _build(brief, tmp_path / "out", fmt)
    message = str(caught.value)
    assert f"minimal.yaml:{line}:" in message
    edition = f"{fmt.upper()} edition government.ko"
    assert f"{edition}: image '지도 그림': the SVG drawing is 0 × 0" in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_build_command_writes_the_format(minimal_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    code = run(["build", str(minimal_path), "-a", "government", "-f", fmt, "--out", str(out)])
    assert code == 0
    assert sorted(p.name for p in (out / "minimal").iterdir()) == [
        f"government.en.{fmt}",
        f"government.ko.{fmt}",
    ]


def test_publish_lists_and_links_both(minimal_path: Path, tmp_path: Path) -> None:
    """The manifest, the catalogue (DOCX before HWPX) and the feed's enclosures; HTML is
    always made, PDF only when asked for."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copyfile(minimal_path, inputs / "minimal.yaml")
    out = tmp_path / "site"
    code = run(["publish", str(inputs), "--out", str(out), "-f", "hwpx", "-f", "docx"])
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    formats = {o["path"]: o["format"] for o in manifest["outputs"]}
    assert formats["minimal/public.ko.hwpx"] == "hwpx"
    assert formats["minimal/public.ko.docx"] == "docx"
    assert "minimal/public.ko.html" in formats and "minimal/public.ko.pdf" not in formats
    index = (out / "index.html").read_text("utf-8")
    for fmt in FORMATS:
        assert f'href="minimal/public.ko.{fmt}"' in index and f">{fmt.upper()}</a>" in index
    assert index.index(">DOCX</a>") < index.index(">HWPX</a>")
    feed = (out / "feed.xml").read_text("utf-8")
    assert 'type="application/hwp+zip"' in feed
    assert 'type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"' in feed


def test_a_reference_hwpx_supplies_the_styles(minimal_path: Path, tmp_path: Path) -> None:
    """A built edition with 개요 1 (Heading 1) made 21 pt, dark red and centred in its
    header.xml, used as the reference: the next build's 개요 1 is so, the other styles are
    as they were, no style is missing, and the package still passes python-hwpx's checks."""
    plain = _build(minimal_path, tmp_path / "plain", "hwpx").outputs[0].path.read_bytes()
    parts = _parts(plain)
    head = Header(plain)
    head.char("개요 1").set("height", "2100")
    head.char("개요 1").set("textColor", "#C00000")
    head.para("개요 1").find(f"{HH}align").set("horizontal", "CENTER")  # type: ignore[union-attr]
    parts["Contents/header.xml"] = ET.tostring(head.root)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "reference.hwpx").write_bytes(_zip(parts))

    result = _build(minimal_path, tmp_path / "out", "hwpx", templates)
    assert result.warnings == []
    data = result.outputs[0].path.read_bytes()
    _valid(data)
    made, before = Header(data), Header(plain)
    heading = made.char("개요 1")
    assert (heading.get("height"), heading.get("textColor")) == ("2100", "#C00000")
    assert made.para("개요 1").find(f"{HH}align").get("horizontal") == "CENTER"  # type: ignore[union-attr]
    assert made.char("본문").attrib == before.char("본문").attrib
    section = ET.fromstring(_parts(data)["Contents/section0.xml"])
    ident = made.styles["개요 1"].get("id")
    assert any(p.get("styleIDRef") == ident for p in section.iter(f"{HP}p"))


def test_a_hangul_template_lends_its_styles_and_faces(minimal_path: Path, tmp_path: Path) -> None:
    """python-hwpx's skeleton as the reference: the styles it has (matched by name) take
    its shapes and faces, the heading stays an outline heading, the ones it lacks keep
    their look on its 바탕글 face and are named in one warning."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "reference.hwpx").write_bytes(SKELETON.read_bytes())
    skeleton = Header(SKELETON.read_bytes())

    result = _build(minimal_path, tmp_path / "out", "hwpx", templates)
    data = result.outputs[0].path.read_bytes()
    _valid(data)
    made = Header(data)
    for style in ("바탕글", "본문", "개요 1", "각주"):
        assert made.face(made.char(style)) == skeleton.face(skeleton.char(style)), style
        assert made.char(style).get("height") == skeleton.char(style).get("height"), style
    heading = made.para("개요 1").find(f"{HH}heading")
    assert heading is not None and heading.get("type") == "OUTLINE" and heading.get("level") == "0"
    body = made.face(made.char("바탕글"))
    strong = made.char("진하게")  # Strong: not in the skeleton
    assert made.face(strong) == body != "Pretendard GOV"
    assert strong.find(f"{HH}bold") is not None
    assert made.char("제목").get("height") == "2200"  # Title: the built-in 22 pt
    [warning] = result.warnings
    assert "reference.hwpx" in warning.path and warning.line == 0
    assert "no style 제목 (Title)" in warning.message and "개요 1 " not in warning.message


@pytest.mark.parametrize(
    ("fmt", "content", "where", "says"),
    [
        ("hwpx", b"not a zip", "reference.hwpx", "not a readable HWPX (zip) package"),
        ("docx", b"not a zip", "reference.docx", "cannot use this reference document"),
        (
            "hwpx",
            "header",
            "reference.hwpx/Contents/header.xml:2:6",
            "the XML does not parse (not well-formed (invalid token))",
        ),
        ("hwpx", "no header", "reference.hwpx", "it has no Contents/header.xml"),
        ("hwpx", "bomb", "reference.hwpx", "Contents/header.xml is 5,000,000 bytes unpacked"),
    ],
)
def test_a_broken_reference_is_an_error_at_its_place(
    minimal_path: Path, tmp_path: Path, fmt: str, content: bytes | str, where: str, says: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    if content == "header":
        data = _zip({"mimetype": b"application/hwp+zip", "Contents/header.xml": b"<a>\n  <b <c/>"})
    elif content == "no header":
        data = _zip({"mimetype": b"application/hwp+zip"})
    elif content == "bomb":  # 5 MB of spaces deflate to a few kilobytes
        data = _zip({"Contents/header.xml": b" " * 5_000_000})
    else:
        assert isinstance(content, bytes)
        data = content
    (templates / f"reference.{fmt}").write_bytes(data)
    with pytest.raises(BriefError) as caught:
        _build(minimal_path, tmp_path / "out", fmt, templates)
    [diagnostic] = caught.value.diagnostics
    assert str(diagnostic).split(": ", 1)[0].endswith(where), str(diagnostic)
    assert says in diagnostic.message
    assert not (tmp_path / "out" / "minimal").exists()  # nothing written


def test_the_command_reports_a_broken_reference_without_a_traceback(
    minimal_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "reference.hwpx").write_bytes(b"PK\x03\x04 broken")
    out = tmp_path / "out"
    args = ["build", str(minimal_path), "-a", "government", "-f", "hwpx", "--out", str(out)]
    code = run([*args, "--templates", str(templates)])
    captured = capsys.readouterr()
    assert code == 1
    assert "reference.hwpx: cannot use this reference document" in captured.err
    assert "Traceback" not in captured.err + captured.out
