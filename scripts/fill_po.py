"""Fill a .po catalogue from a Python dict of translations (a developer's helper).

Usage: python scripts/fill_po.py CATALOGUE.po TRANSLATIONS.py
TRANSLATIONS.py defines T = {msgid: msgstr, (singular, plural): msgstr}. Reports msgids left
untranslated and exits non-zero if any remain.
"""

from __future__ import annotations

import runpy
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, dict_path: str) -> int:
    translations = runpy.run_path(dict_path)["T"]
    with open(po_path, "rb") as fh:
        catalog = read_po(fh, locale="vi")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if not isinstance(message.id, tuple) else tuple(message.id)
        value = translations.get(key) or message.string
        if isinstance(key, tuple):
            value = value if isinstance(value, str) else (value[0] if value and value[0] else "")
            message.string = (value,) if value else ("",)
        else:
            message.string = value or ""
        message.flags.discard("fuzzy")
        if not (message.string if isinstance(message.string, str) else message.string[0]):
            missing.append(message.id)
    catalog.fuzzy = False
    catalog.locale = "vi"  # writes the Language and Plural-Forms (nplurals=1) headers
    with open(po_path, "wb") as fh:
        write_po(fh, catalog, width=0)
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
