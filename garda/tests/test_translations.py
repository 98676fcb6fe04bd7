"""Indonesian first: every UI string has a reviewed Indonesian translation, and the
compiled catalogue that Django reads says the same as the source."""

import ast
import gettext
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _entries():
    """Entries of the .po file as dicts (no extra dependency)."""

    def new():
        return {"flags": "", "msgctxt": None, "msgid": "", "plural": False, "msgstr": ""}

    entry, key = new(), None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if key:
                yield entry
            entry, key = new(), None
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("msgctxt "):
            key = "msgctxt"
            entry["msgctxt"] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith("msgid_plural "):
            entry["plural"], key = True, None
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            key = "msgid" if line.startswith("msgid ") else "msgstr"
            entry[key] += ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith("msgstr["):
            key = None
        elif line.startswith('"') and key in ("msgid", "msgstr"):
            entry[key] += ast.literal_eval(line)


def test_no_fuzzy_or_missing_translation():
    entries = [e for e in _entries() if e["msgid"]]  # skip the header
    assert len(entries) > 300
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    missing = [e["msgid"] for e in entries if not e["msgstr"]]
    assert fuzzy == [], f"guessed by msgmerge, review them: {fuzzy}"
    assert missing == [], f"untranslated: {missing}"


def test_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [
        e["msgid"]
        for e in _entries()
        if e["msgid"]
        and not e["plural"]
        and e["msgctxt"] is None
        and catalogue.gettext(e["msgid"]) != e["msgstr"]
    ]
    assert stale == [], f"recompile the .mo (garda compilemessages): {stale[:5]}"
