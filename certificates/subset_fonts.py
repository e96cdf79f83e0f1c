#!/usr/bin/env python3
"""Make the certificate fonts: DejaVu Sans and Sans Bold cut down to the scripts names are written in.

    .venv/bin/python scripts/subset_fonts.py PATH/TO/dejavu-fonts-ttf-2.37/ttf

fpdf2 parses the whole font for every PDF; the full DejaVu (6,000 glyphs) took more than half of
the time to render one certificate. The subsets keep Latin (with IPA and Vietnamese), Greek,
Cyrillic, Armenian and Georgian, common punctuation and symbols. The name form refuses what they
cannot print (``elearn.certificates.unsupported_characters`` reads their character maps).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

TARGET = Path(__file__).resolve().parent.parent / "elearn" / "certificates" / "assets" / "fonts"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
UNICODES = (
    "U+0020-007E, U+00A0-024F, U+0250-02FF, U+0300-036F, U+0370-03FF, U+0400-052F, U+0530-058F, "
    "U+10A0-10FF, U+1C90-1CBF, U+1E00-1EFF, U+1F00-1FFF, U+2000-206F, U+20A0-20CF, U+2100-218F, "
    "U+2190-21FF, U+2200-22FF, U+25A0-25FF, U+2C60-2C7F, U+2D00-2D2F, U+A720-A7FF, U+FB00-FB06, U+FFFD"
)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not all((Path(argv[0]) / name).is_file() for name in FONTS):
        print(__doc__, file=sys.stderr)
        return 2
    for name in FONTS:
        subset.main(
            [
                str(Path(argv[0]) / name),
                f"--unicodes={UNICODES}",
                "--layout-features=*",
                "--glyph-names",
                "--drop-tables+=FFTM",
                f"--output-file={TARGET / name}",
            ]
        )
        print(f"{TARGET / name}: {(TARGET / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
