"""Pictures of page 1 of every PDF edition, compared with references in ``tests/pictures/``.

Page 1 is rendered with poppler (``pdftoppm -r 50``) and compared with
``tests/pictures/<brief>.<audience>.<lang>.png`` within a tolerance, so that a layout change
shows up in review as a changed picture. After an intended change, regenerate the
references with ``make pictures`` (``python -m tests.conformance.pictures --update``) and look
at them in the diff.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from tests.conformance.tools import ROOT

PICTURES = ROOT / "tests" / "pictures"
DPI = 50
MAX_MEAN_DIFFERENCE = 0.005
"""Mean absolute difference over all pixels and channels, as a fraction of full scale."""
MAX_DIFFERING_PIXELS = 0.005
"""Fraction of pixels whose largest channel difference exceeds ``PIXEL_THRESHOLD``.

Builds are byte-identical and poppler renders them the same way each time, so the tolerance
only has to absorb rendering differences between poppler versions. It is this tight because
page 1 of two different editions of the same brief (another edition label, another first
section) differs in only about 2% of its pixels at 50 dpi.
"""
PIXEL_THRESHOLD = 16
"""A pixel differs when a channel moves by more than this (of 255): ignores anti-aliasing."""


def reference(name: str) -> Path:
    """The committed reference picture of the edition ``name``."""
    return PICTURES / f"{name}.png"


def render_page1(pdf: Path, dest: Path, pdftoppm: str = "pdftoppm") -> Path:
    """Page 1 of ``pdf`` as a PNG at ``dest`` (``DPI`` dots per inch)."""
    if dest.suffix != ".png":
        raise ValueError(f"{dest} must end in .png")
    dest.parent.mkdir(parents=True, exist_ok=True)
    prefix = str(dest)[: -len(".png")]  # pdftoppm -singlefile writes PREFIX.png
    subprocess.run(
        [pdftoppm, "-r", str(DPI), "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), prefix],
        check=True,
        capture_output=True,
        timeout=60,
    )
    if not dest.is_file():
        raise FileNotFoundError(f"pdftoppm wrote no {dest}")
    return dest


@dataclass(frozen=True)
class Difference:
    """How far a picture is from its reference."""

    size: tuple[tuple[int, int], tuple[int, int]] | None = None
    """(reference size, actual size) when they differ; then nothing else is measured."""
    mean: float = 0.0
    """Mean absolute difference, 0–1."""
    differing: float = 0.0
    """Fraction of pixels that differ by more than ``PIXEL_THRESHOLD``."""

    @property
    def ok(self) -> bool:
        return (
            self.size is None
            and self.mean < MAX_MEAN_DIFFERENCE
            and self.differing < MAX_DIFFERING_PIXELS
        )

    def __str__(self) -> str:
        if self.size is not None:
            (rw, rh), (aw, ah) = self.size
            return f"size {aw}×{ah} px, reference {rw}×{rh} px"
        return (
            f"mean difference {self.mean:.2%} (limit {MAX_MEAN_DIFFERENCE:.1%}), "
            f"{self.differing:.2%} of pixels differ (limit {MAX_DIFFERING_PIXELS:.1%})"
        )


def _peak(diff: Image.Image) -> Image.Image:
    """The largest channel difference of each pixel."""
    r, g, b = diff.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def compare(expected: Path, actual: Path, diff_out: Path | None = None) -> Difference:
    """Compare two pictures; with ``diff_out``, write a picture of where they differ."""
    with Image.open(expected) as e_file, Image.open(actual) as a_file:
        e_img = e_file.convert("RGB")
        a_img = a_file.convert("RGB")
    if e_img.size != a_img.size:
        return Difference(size=(e_img.size, a_img.size))
    width, height = e_img.size
    pixels = width * height
    diff = ImageChops.difference(e_img, a_img)
    histogram = diff.histogram()  # 3 × 256 counts
    mean = sum((i % 256) * n for i, n in enumerate(histogram)) / (pixels * 3 * 255)
    peak = _peak(diff)
    differing = sum(peak.histogram()[PIXEL_THRESHOLD + 1 :]) / pixels
    if diff_out is not None:
        # The reference, faded, with every differing pixel in red.
        faded = Image.blend(
            e_img.convert("L").convert("RGB"), Image.new("RGB", e_img.size, "white"), 0.7
        )
        mask = peak.point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
        Image.composite(Image.new("RGB", e_img.size, (220, 0, 0)), faded, mask).save(diff_out)
    return Difference(mean=mean, differing=differing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the reference pictures")
    args = parser.parse_args(argv)
    from tests.conformance.corpus import build_all

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print(
            "pdftoppm is missing: install poppler-utils (scripts/system-deps.sh)", file=sys.stderr
        )
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        built = build_all(work / "out")
        rendered = {
            e.name: render_page1(b.pdf, work / "png" / f"{e.name}.png", pdftoppm)
            for e, b in built.items()
        }
        if not args.update:
            bad = [
                f"{name}: " + ("no reference" if not reference(name).is_file() else str(d))
                for name, png in rendered.items()
                if not reference(name).is_file() or not (d := compare(reference(name), png)).ok
            ]
            print("\n".join(bad) or "reference pictures are up to date")
            return 1 if bad else 0
        PICTURES.mkdir(parents=True, exist_ok=True)
        for old in PICTURES.glob("*.png"):
            if old.stem not in rendered:
                old.unlink()
        for name, png in rendered.items():
            shutil.copyfile(png, reference(name))
    print(f"wrote {len(rendered)} reference pictures to {PICTURES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
