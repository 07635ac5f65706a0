"""PDF: WeasyPrint driven with bundled fonts only, in a pool of worker processes."""
