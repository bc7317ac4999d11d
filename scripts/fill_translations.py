"""Fill the Swedish catalogue from JSON files of translations (a development tool).

    .venv/bin/python scripts/fill_translations.py i18n-export.json [more.json ...]

Each file holds a list of {"msgid", "msgstr", "context" (optional), "plural" (optional list of
two msgstr forms)}. Entries are matched on msgid and context; fuzzy guesses of makemessages are
replaced. Run `make messages` first so that the msgids exist in the .po file.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/sv/LC_MESSAGES/django.po"


def main(paths: list[str]) -> int:
    po = polib.pofile(str(PO))
    entries = {(e.msgctxt, e.msgid): e for e in po}
    missing = 0
    for path in paths:
        for item in json.loads(Path(path).read_text(encoding="utf-8")):
            entry = entries.get((item.get("context"), item["msgid"]))
            if entry is None:
                print(f"not in the catalogue: {item['msgid']!r}", file=sys.stderr)
                missing += 1
                continue
            if entry.msgid_plural:
                forms = item.get("plural") or [item["msgstr"], item["msgstr"]]
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            else:
                entry.msgstr = item["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    for entry in po.obsolete_entries():
        po.remove(entry)  # msgids no longer in the code
    po.save(str(PO))
    untranslated = [e.msgid for e in po if (not e.translated()) and not e.obsolete]
    for msgid in untranslated:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if untranslated or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
