"""Fill empty Vietnamese entries of the catalogue from a JSON object {msgid: msgstr}; a plural entry is keyed by
its singular msgid and takes one string (Vietnamese has one plural form).

    .venv/bin/python scripts/merge_translations.py translations.json
"""

from __future__ import annotations

import json
import sys
import unicodedata

from babel.messages.pofile import read_po, write_po

CATALOGUE = "portal/translations/vi/LC_MESSAGES/messages.po"


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        wanted = json.load(fh)
    with open(CATALOGUE, "rb") as fh:
        catalog = read_po(fh)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if message.id in wanted and not message.string:
                message.string = unicodedata.normalize("NFC", wanted[message.id])
                filled += 1
        elif message.id[0] in wanted and not any(message.string):
            message.string = (unicodedata.normalize("NFC", wanted[message.id[0]]),)
            filled += 1
    with open(CATALOGUE, "wb") as fh:
        write_po(fh, catalog, width=76, omit_header=False, sort_output=True, include_previous=False)
    print(f"{filled} entries filled")


if __name__ == "__main__":
    main(sys.argv[1])
