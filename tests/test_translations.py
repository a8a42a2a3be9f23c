"""Vietnamese comes first: every catalogue is fully translated, nothing fuzzy, placeholders kept."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_there_are_catalogues():
    assert CATALOGUES, "no Vietnamese catalogue found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    assert "nplurals=1" in catalog.plural_forms
    # the file itself says so, in a header that is not fuzzy: a compiled catalogue without it
    # falls back to English's two forms and shows the English plural on Vietnamese pages
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header and '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    # Vietnamese has one form: a second (msgstr[1]) is an error to gettext's msgfmt
    assert "\nmsgstr[1]" not in path.read_text(encoding="utf-8")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
        if not msgstr:
            problems.append(f"untranslated: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)) and not isinstance(message.id, tuple):
            problems.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
        elif isinstance(message.id, tuple) and set(PLACEHOLDER.findall(message.id[1])) != set(PLACEHOLDER.findall(msgstr)):
            # Vietnamese has one form, used for every count: it says what the plural says
            # (gettext's msgfmt -c refuses a form that drops the plural's count)
            problems.append(f"plural placeholders differ: {message.id[1]!r} -> {msgstr!r}")
    assert not problems, "\n".join(problems)


def _translations_by_msgid() -> dict[str, dict[str, list[str]]]:
    seen: dict[str, dict[str, list[str]]] = {}
    for path in CATALOGUES:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="vi")
        where = str(path.relative_to(ROOT)).split("/locale/")[0] or "locale"
        for message in catalog:
            if not message.id or message.context or isinstance(message.id, tuple) or not message.string:
                continue
            seen.setdefault(message.id, {}).setdefault(message.string, []).append(where)
    return seen


KNOWN_COLLISIONS = ROOT / "tests" / "translation_collisions.txt"


def test_no_new_english_text_is_translated_two_ways_by_two_catalogues():
    """Django merges every catalogue, and for an English text two apps translate differently one
    of them wins everywhere: that is how the call form's "Title (English)" read "Chức danh" (a job
    title, the directory's). A new shared text either reads the same in each catalogue or is given a
    context (pgettext). The texts that already differ are listed in tests/translation_collisions.txt,
    to be reduced, never extended."""
    known = {line for line in KNOWN_COLLISIONS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    collisions = {msgid: ways for msgid, ways in _translations_by_msgid().items() if len(ways) > 1}
    new = {msgid: ways for msgid, ways in collisions.items() if msgid not in known}
    assert not new, "\n".join(f"{msgid!r}: {ways}" for msgid, ways in sorted(new.items()))
