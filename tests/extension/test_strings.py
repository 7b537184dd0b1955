"""Every word the sidebar shows is in _locales/en/messages.json, so a translation is one more
file: each name the code asks for exists (a missing one would show the name itself), each
message is asked for, each $PLACEHOLDER$ is declared, and no English is left in the code."""

import json
import re
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
MESSAGES = json.loads((EXTENSION / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
SIDEBAR = sorted((EXTENSION / "src" / "sidebar").glob("*.js"))
SOURCE = "\n".join(path.read_text(encoding="utf-8") for path in SIDEBAR)

ASKED = set(re.findall(r'\bt\(\s*"(\w+)"', SOURCE))
# Names built from a server's value: t(`reason_${r}`), t(`matchedBy_${how}`), t(`badge${state}`).
FAMILIES = set(re.findall(r"\bt\(\s*`(\w+)\$\{", SOURCE))
# Names picked by a condition: t(waiting ? "verify" : "verifyAgain"), and the error table.
CHOSEN = set(re.findall(r'[?:]\s*"(\w+)"', " ".join(re.findall(r"\bt\(\s*\w[^()]*\?[^()]*\)", SOURCE))))
TABLED = set(re.findall(r':\s*"(error\w+)"', SOURCE))


def test_every_name_the_code_asks_for_has_a_message():
    missing = (ASKED | CHOSEN | TABLED) - set(MESSAGES)
    assert not missing
    assert all(any(name.startswith(family) for name in MESSAGES) for family in FAMILIES)


def test_every_message_is_used():
    def used(name):
        return name in ASKED | CHOSEN | TABLED or any(name.startswith(f) for f in FAMILIES) or f'"{name}"' in SOURCE
    assert [name for name in MESSAGES if not used(name)] == []


def test_placeholders_are_declared_and_described():
    for name, entry in MESSAGES.items():
        assert entry["message"].strip() and entry.get("description"), name
        named = {p.lower() for p in re.findall(r"\$(\w+)\$", entry["message"])}
        assert named == set(entry.get("placeholders", {})), name


def test_no_english_is_left_in_the_sidebar_code():
    # Text set on an element, a label, a placeholder or a tooltip comes from t(), never a literal.
    literal = re.compile(r'\b(?:text|placeholder|title|"aria-label")\s*:\s*"[^"]*[A-Za-z]{2,}[^"]*"')
    found = [(path.name, m.group(0)) for path in SIDEBAR for m in literal.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_manifest_names_its_default_language():
    assert json.loads((EXTENSION / "manifest.json").read_text())["default_locale"] == "en"


def test_every_translation_says_the_same_things():
    """Each language has every name English has, nothing else, and the same $PLACEHOLDERS$
    (a missing one would silently drop a name or a date from the sentence)."""
    translations = [path for path in (EXTENSION / "_locales").glob("*/messages.json") if path.parent.name != "en"]
    assert translations  # Turkish at least
    for path in translations:
        messages = json.loads(path.read_text(encoding="utf-8"))
        assert set(messages) == set(MESSAGES), path.parent.name
        for name, entry in messages.items():
            said = set(re.findall(r"\$(\w+)\$", entry["message"]))
            assert said == set(re.findall(r"\$(\w+)\$", MESSAGES[name]["message"])), (path.parent.name, name)
            assert {p.lower() for p in said} == set(entry.get("placeholders", {})), (path.parent.name, name)
