"""Text runs without no-op adjustments (briefs/pdf/text_runs.py).

The rule: a zero adjustment and an empty string are dropped from a ``TJ`` array, and the
strings they separated are joined; nothing else changes. Expected operators below are written
from that rule. On a page of Korean text, kept whole by word joiners, the pages are then the
same pixel for pixel and give the same text, and no zero adjustment or empty string is left.
"""

from __future__ import annotations

import io
import random
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from PIL import Image, ImageChops

from briefs.pdf import text_runs
from briefs.text.korean import keep_words_html

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "templates" / "fonts" / "PretendardGOV-Regular.ttf"


@pytest.mark.parametrize(
    ("run", "operator"),
    [
        ("<2769>0<>0.0<3291>0<0002>0", b"<276932910002> Tj"),
        ("<2769>-12<>0.0<3291>", b"[<2769>-12<3291>] TJ"),
        ("-0.5<0012>", b"[-0.5<0012>] TJ"),
        ("12<>-3<00aa>", b"[12 -3<00aa>] TJ"),
        ("<00aa>-0.0<>0<00bb>7", b"[<00aa00bb>7] TJ"),
        ("<>0.0", b""),
        ("0", b""),
    ],
)
def test_zero_adjustments_and_empty_strings_are_dropped(run: str, operator: bytes) -> None:
    assert text_runs.tight(run) == operator


def test_the_quick_path_writes_what_the_general_one_does() -> None:
    """Runs of WeasyPrint's shape (strings, each followed by at most one number) take two
    substitutions; other runs are read token by token. Both must give the same operator."""
    rng = random.Random(21)
    numbers = ["0", "0.0", "-0", "-0.0", ".0", "00", "13", "-32", "5", "0.5", "-.25", "10"]
    runs = [
        "".join(
            f"<{rng.choice(['', '00aa', '5410', '0002'])}>"
            + (rng.choice(numbers) if rng.random() < 0.8 else "")
            for _ in range(rng.randint(1, 6))
        )
        for _ in range(5000)
    ]
    quick = sum(bool(text_runs._STRINGS_AND_NUMBERS.fullmatch(run)) for run in runs)
    assert quick == len(runs)
    for run in runs:
        assert text_runs.tight(run) == text_runs._general(run), run
    # Numbers first, two numbers in a row and odd numbers go the general way.
    for run in ("12<>-3<00aa>", "<00aa>1 2", "<00aa>1.2.3", "-0.5<0012>"):
        assert not text_runs._STRINGS_AND_NUMBERS.fullmatch(run)
        assert text_runs.tight(run) == text_runs._general(run)


@pytest.mark.parametrize("run", ["abc", "<zz>", "<00aa", "(literal) 3"])
def test_anything_else_is_left_to_pydyf(run: str) -> None:
    assert text_runs.tight(run) is None


@pytest.fixture
def stock() -> Iterator[None]:
    text_runs.uninstall()
    try:
        yield
    finally:
        text_runs.install()


PAGE = f"""<html lang="ko"><style>
@font-face {{ font-family: T; src: url("{FONT.as_uri()}") }}
@page {{ size: A6; margin: 10mm }}
body {{ font-family: T; font-size: 9pt; line-height: 1.5; text-align: justify }}
b {{ font-weight: 400; letter-spacing: 0.3pt }}
sup {{ font-size: 6pt }}
</style><body>{{}}</body></html>"""

TEXT = (
    "<p>딥시크의 저비용 모델은 한국 AI 스타트업에 새로운 기회를 열었다. SK하이닉스는 "
    "엔비디아에 <b>HBM</b>을 공급하며, 2025년 매출은 97조 원을 넘었다<sup>1,2</sup>.</p>"
    "<p>Mixed English text with kerning: AVAWAY, “quotes” — and 5,890억 달러.</p>"
) * 4


def _pdf() -> bytes:
    return weasyprint.HTML(string=PAGE.replace("{}", keep_words_html(TEXT))).write_pdf()


def _runs(data: bytes) -> list[pikepdf.ContentStreamInstruction]:
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for instruction in pikepdf.parse_content_stream(page):
                if str(instruction.operator) in ("TJ", "Tj"):
                    found.append(instruction)
    return found


def _zeros_or_empties(instruction: pikepdf.ContentStreamInstruction) -> int:
    if str(instruction.operator) != "TJ":
        return 0
    return sum(
        1
        for item in instruction.operands[0]
        if (isinstance(item, int | Decimal) and item == 0)
        or (isinstance(item, pikepdf.String) and not bytes(item))
    )


def _pictures_and_text(data: bytes, folder: Path, name: str) -> tuple[list[Path], str]:
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", pdf, folder / name], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    return sorted(folder.glob(f"{name}-*.png")), text


@pytest.mark.slow
def test_korean_pages_are_the_same_pixels_and_text_with_no_no_ops(
    stock: None, tmp_path: Path
) -> None:
    theirs = _pdf()
    text_runs.install()
    ours = _pdf()
    # WeasyPrint's own runs have the no-ops (the test would prove nothing otherwise).
    assert sum(map(_zeros_or_empties, _runs(theirs))) > 100
    assert sum(map(_zeros_or_empties, _runs(ours))) == 0
    assert len(ours) < len(theirs)
    their_pages, their_text = _pictures_and_text(theirs, tmp_path, "theirs")
    our_pages, our_text = _pictures_and_text(ours, tmp_path, "ours")
    assert our_text == their_text and "딥시크의" in our_text
    assert len(our_pages) == len(their_pages) >= 1
    for mine, yours in zip(our_pages, their_pages, strict=True):
        with Image.open(mine) as a, Image.open(yours) as b:
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None
