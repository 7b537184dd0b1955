"""scripts/package-extension: the real extension packages with exactly the files it needs, the
same bytes every time, and a broken copy is refused with a message naming the problem."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from package_extension import PackageError, build, check  # noqa: E402

EXTENSION = ROOT / "extension"


def _shipped(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


def test_the_real_extension_ships_every_file_it_needs_and_nothing_else(tmp_path):
    manifest, needed = check(EXTENSION)
    target = build(EXTENSION, tmp_path)
    assert target.name == f"vouch-extension-{manifest['version']}.zip"
    assert _shipped(target) == needed == sorted(needed)
    every = sorted(p.relative_to(EXTENSION).as_posix() for p in EXTENSION.rglob("*") if p.is_file())
    # Today the extension needs every file it has but its README; a file nothing names is a leftover.
    assert needed == [p for p in every if p != "README.md" and not any(part.startswith(".") for part in p.split("/"))]
    named = [manifest["background"]["service_worker"], manifest["options_ui"]["page"], "options.js", "options.css",
             *manifest["content_scripts"][0]["js"], *manifest["icons"].values(), "src/hosts/generic.js",
             "vendor/DOMPURIFY-LICENSE"]
    assert set(named) <= set(needed)
    assert not [p for p in needed if "README" in p or "test" in p.lower() or "/." in f"/{p}"]


def test_two_builds_are_byte_identical_whatever_the_files_dates(tmp_path):
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    first = build(copy, tmp_path / "one").read_bytes()
    for path in copy.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    assert build(copy, tmp_path / "two").read_bytes() == first


def _broken(tmp_path: Path, change) -> Path:
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    change(copy)
    return copy


def _manifest(change):
    def edit(copy: Path):
        path = copy / "manifest.json"
        manifest = json.loads(path.read_text())
        change(manifest)
        path.write_text(json.dumps(manifest, indent=2))
    return edit


def _append(name: str, text: str):
    def edit(copy: Path):
        with (copy / name).open("a") as file:
            file.write(text)
    return edit


BROKEN = {
    "missing content script": (lambda copy: (copy / "src/sidebar/search.js").unlink(),
                               "content_scripts[0].js: src/sidebar/search.js does not exist"),
    "all urls": (_manifest(lambda m: m["host_permissions"].append("<all_urls>")),
                 "host_permissions: <all_urls> reaches every site"),
    "remote script": (lambda copy: (copy / "options.html").write_text((copy / "options.html").read_text().replace(
        "</body>", '<script src="https://cdn.example.com/tracker.js"></script></body>')),
        'options.html: <script src="https://cdn.example.com/tracker.js"> loads remote code'),
    "eval": (_append("src/sidebar/search.js", "\nconst run = (text) => eval(text);\n"),
             "src/sidebar/search.js:"),
    "new Function": (_append("src/content.js", "\nconst f = new Function('return 1');\n"),
                     "new Function( runs code made from text"),
    "manifest v2": (_manifest(lambda m: m.update(manifest_version=2)), "manifest_version must be 3, not 2"),
    "bad version": (_manifest(lambda m: m.update(version="1.0-beta")), "version '1.0-beta' must be one to four"),
    "extra permission": (_manifest(lambda m: m["permissions"].append("tabs")),
                         "permissions: 'tabs' is not one the extension uses today"),
    "remote csp": (_manifest(lambda m: m.update(content_security_policy={
        "extension_pages": "script-src 'self' https://cdn.example.com; object-src 'self'"})),
        "content_security_policy.extension_pages: script-src allows https://cdn.example.com"),
    "missing icon": (lambda copy: (copy / "icons/48.png").unlink(), "icons: icons/48.png does not exist"),
    "missing injected file": (lambda copy: (copy / "src/hosts/generic.js").unlink(),
                              "src/generic_sites.js names: src/hosts/generic.js does not exist"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_extension_is_refused_naming_the_problem(tmp_path, case):
    change, message = BROKEN[case]
    copy = _broken(tmp_path, change)
    with pytest.raises(PackageError) as refused:
        build(copy, tmp_path / "dist")
    assert message in str(refused.value), refused.value.problems
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_eval_in_vendored_code_is_its_own_business(tmp_path):
    copy = _broken(tmp_path, _append("vendor/purify.min.js", "\n;eval('1');\n"))
    assert "vendor/purify.min.js" in check(copy)[1]


def test_the_script_says_what_is_wrong_and_fails(tmp_path):
    copy = _broken(tmp_path, _manifest(lambda m: m["host_permissions"].append("*://*/*")))
    run = subprocess.run([ROOT / "scripts" / "package-extension", "--extension", copy, "--out", tmp_path / "dist"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "The extension cannot be packaged" in run.stderr and "*://*/*" in run.stderr
    good = subprocess.run([ROOT / "scripts" / "package-extension", "--out", tmp_path / "dist"],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stderr
    assert "vouch-extension-" in good.stdout and list((tmp_path / "dist").glob("vouch-extension-*.zip"))
