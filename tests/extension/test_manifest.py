"""The extension's file lists: a file named there and missing stops the extension from
loading at all, and an adapter left out of a list never runs where it is needed."""

import json
import re
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
ADAPTERS = {f"src/hosts/{path.name}" for path in (EXTENSION / "src" / "hosts").glob("*.js")}
SELF_HOSTED = {"src/hosts/zammad.js", "src/hosts/freescout.js"}  # no fixed host to list


def manifest_files() -> list[str]:
    (entry,) = json.loads((EXTENSION / "manifest.json").read_text())["content_scripts"]
    return entry["js"]


def generic_files() -> list[str]:
    source = (EXTENSION / "src" / "generic_sites.js").read_text()
    listed = source.split("GENERIC_FILES = [", 1)[1].split("];", 1)[0]
    return re.findall(r'"([^"]+)"', listed)


def test_every_listed_file_exists():
    for name in manifest_files() + generic_files():
        assert (EXTENSION / name).is_file(), name


def test_every_adapter_runs_on_its_hosts_and_on_enabled_sites():
    assert ADAPTERS - SELF_HOSTED - {"src/hosts/generic.js"} <= set(manifest_files())
    assert ADAPTERS <= set(generic_files())


def test_adapters_load_after_what_they_share_and_before_the_sidebar_starts():
    for files in (manifest_files(), generic_files()):
        assert files.index("src/hosts/registry.js") < min(files.index(a) for a in ADAPTERS & set(files)
                                                          if a != "src/hosts/registry.js")
        assert files[-1] == "src/content.js"
