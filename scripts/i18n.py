#!/usr/bin/env python3
"""Translation catalogues: `update` extracts strings and updates nl/en; `compile` writes .mo files.

Interface strings are written in Dutch in the code, so the Dutch catalogue is filled with the
msgid itself; the English catalogue is translated by hand in elearn/translations/en/.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "elearn" / "translations"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def run(*args):
    subprocess.run([PYBABEL, *args], check=True, cwd=ROOT)


def update():
    run(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "--project",
        "Kruispunt",
        "-o",
        str(TRANSLATIONS / "messages.pot"),
        ".",
    )
    for lang in ("nl", "en"):
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            run(
                "update",
                "-i",
                str(TRANSLATIONS / "messages.pot"),
                "-d",
                str(TRANSLATIONS),
                "-l",
                lang,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
            )
        else:
            run("init", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS), "-l", lang)
    fill_dutch()


def fill_dutch():
    path = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="nl")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not isinstance(message.string, tuple) or not all(message.string):
                message.string = message.id
        elif not message.string:
            message.string = message.id
    with path.open("wb") as f:
        write_po(f, catalog, sort_output=True, omit_header=False, width=100)


def compile_all():
    run("compile", "-d", str(TRANSLATIONS), "--use-fuzzy")


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1]]()
