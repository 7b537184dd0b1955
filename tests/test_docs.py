"""Docs stay honest: every setting and every API route is documented."""

import re
from pathlib import Path

from server.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in Settings.documented():
        assert f"`{name}`" in readme, f"{name} is not documented in README.md"


def test_every_api_route_is_in_docs_api(client):
    def placeholders(text: str) -> str:  # {card_id:int} and {id} name the same thing
        return re.sub(r"\{[^}]*\}", "{}", text)

    documented = placeholders((ROOT / "docs" / "api.md").read_text())
    for route in client.app.routes:
        if route.path.startswith("/api/"):
            for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
                entry = f"`{method} {placeholders(route.path)}"
                assert entry in documented, f"{method} {route.path} is missing from docs/api.md"
