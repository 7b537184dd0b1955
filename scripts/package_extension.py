"""Package extension/ for the Chrome Web Store: check the manifest, then zip exactly the files
the extension needs, the same bytes every time.

The checks are the store's reasons to refuse a package, caught before the upload: Manifest V3,
a version the store accepts, every file the manifest or its pages name present, no remote
code (a remote <script>, eval or new Function in our own code, a CSP that lets a remote
script in), and no permission beyond what the extension uses today.

    scripts/package-extension [--extension DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent

# What the extension uses today; a new permission is a decision, so it is added here on purpose.
ALLOWED_PERMISSIONS = ("storage", "scripting", "activeTab")
# Origins that reach every site: only as optional permissions, asked for one site at a time.
BROAD_ORIGINS = ("<all_urls>", "*://*/*", "http://*/*", "https://*/*", "*://*/", "http://*/", "https://*/")
# Chrome: one to four dot-separated whole numbers from 0 to 65535, without leading zeros.
VERSION = re.compile(r"^(0|[1-9]\d{0,4})(\.(0|[1-9]\d{0,4})){0,3}$")
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # https:, http:, data:, //cdn...
EVAL = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(")
STATIC_IMPORT = re.compile(r"""(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|"""
                           r"""(?:^|[;\s])import\s*\(?\s*["']([^"']+)["']""", re.M)
# A file named from the extension's root, as chrome.scripting.executeScript takes them.
PATH_LITERAL = re.compile(r"""["'](\w[\w.-]*/(?:[\w.-]+/)*[\w.-]+\.(?:js|css|html|json|png))["']""")
# Kept beside code they license, so they ship with it.
LICENSES = re.compile(r"(^|/)[^/]*(LICEN[CS]E|COPYING|NOTICE)[^/]*$", re.I)
SAFE_SCRIPT_SOURCES = {"'self'", "'none'", "'wasm-unsafe-eval'"}


class PackageError(Exception):
    """The extension cannot be packaged; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _PageRefs(HTMLParser):
    """The <script src> and <link href> of an HTML page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.links.append(attrs["href"])


def _local(base: str, reference: str) -> str:
    """A reference from the file `base` as a path inside the extension ("/x" is from its root)."""
    reference = reference.split("#")[0].split("?")[0]
    path = PurePosixPath(reference.lstrip("/")) if reference.startswith("/") else PurePosixPath(base).parent / reference
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def _manifest_files(manifest: dict) -> list[tuple[str, str]]:
    """(what names it, file) for each file the manifest names."""
    named = []
    background = manifest.get("background") or {}
    if background.get("service_worker"):
        named.append(("background.service_worker", background["service_worker"]))
    for n, entry in enumerate(manifest.get("content_scripts") or []):
        named += [(f"content_scripts[{n}].{kind}", f) for kind in ("js", "css") for f in entry.get(kind) or []]
    options = (manifest.get("options_ui") or {}).get("page") or manifest.get("options_page")
    if options:
        named.append(("options page", options))
    action = manifest.get("action") or {}
    icons = [("icons", i) for i in (manifest.get("icons") or {}).values()]
    default_icon = action.get("default_icon") or {}
    icons += [("action.default_icon", i) for i in
              ([default_icon] if isinstance(default_icon, str) else default_icon.values())]
    if action.get("default_popup"):
        named.append(("action.default_popup", action["default_popup"]))
    for n, entry in enumerate(manifest.get("web_accessible_resources") or []):
        named += [(f"web_accessible_resources[{n}]", r) for r in entry.get("resources") or []]
    return named + icons


class _Checker:
    def __init__(self, extension: Path):
        self.root, self.problems, self.needed = extension, [], set()
        try:
            self.manifest = json.loads((extension / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise PackageError([f"manifest.json cannot be read: {error}"]) from None
        self.needed.add("manifest.json")

    def need(self, where: str, path: str) -> bool:
        """Mark `path` as shipped; say so when it is missing (a glob ships what it matches)."""
        if "*" in path:
            matches = [p for p in self.root.glob(path) if p.is_file()]
            self.needed.update(p.relative_to(self.root).as_posix() for p in matches)
            return bool(matches) or self.problems.append(f"{where}: {path} matches no file") or False
        if not (self.root / path).is_file():
            self.problems.append(f"{where}: {path} does not exist")
            return False
        self.needed.add(path)
        return True

    def basics(self) -> None:
        if (manifest_version := self.manifest.get("manifest_version")) != 3:
            self.problems.append(f"manifest.json: manifest_version must be 3, not {manifest_version!r}")
        version = str(self.manifest.get("version", ""))
        if not VERSION.match(version) or any(int(n) > 65535 for n in version.split(".") if n.isdigit()):
            self.problems.append(f"manifest.json: version {version!r} must be one to four numbers from 0 to 65535 "
                                 "separated by dots, such as 0.1.0")
        if self.manifest.get("default_locale"):
            self.need("default_locale", f"_locales/{self.manifest['default_locale']}/messages.json")
            self.need("_locales", "_locales/*/messages.json")

    def permissions(self) -> None:
        for permission in self.manifest.get("permissions") or []:
            if permission not in ALLOWED_PERMISSIONS:
                self.problems.append(f"permissions: {permission!r} is not one the extension uses today "
                                     f"({', '.join(ALLOWED_PERMISSIONS)}); add it to ALLOWED_PERMISSIONS in "
                                     "scripts/package_extension.py if it is meant")
        for origin in self.manifest.get("host_permissions") or []:
            if origin in BROAD_ORIGINS:
                self.problems.append(f"host_permissions: {origin} reaches every site; ask for it in "
                                     "optional_host_permissions, one site at a time")
        for n, entry in enumerate(self.manifest.get("content_scripts") or []):
            for pattern in entry.get("matches") or []:
                if pattern in BROAD_ORIGINS:
                    self.problems.append(f"content_scripts[{n}].matches: {pattern} runs on every site; "
                                         "register the script for the sites the user enables instead")

    def csp(self) -> None:
        policy = self.manifest.get("content_security_policy") or {}
        policies = policy.items() if isinstance(policy, dict) else [("content_security_policy", policy)]
        for name, text in policies:
            directives = {d.split()[0].lower(): d.split()[1:] for d in str(text).split(";") if d.split()}
            sources = directives.get("script-src", directives.get("default-src", []))
            remote = [s for s in sources if s.lower() not in SAFE_SCRIPT_SOURCES]
            if remote:
                self.problems.append(f"content_security_policy.{name}: script-src allows {' '.join(remote)}; "
                                     "only 'self', 'none' and 'wasm-unsafe-eval' may run scripts")

    def files(self) -> None:
        """The manifest's files, then what its pages and scripts load, until nothing new turns up."""
        for where, path in _manifest_files(self.manifest):
            self.need(where, path)
        seen: set[str] = set()
        todo = sorted(self.needed)
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen.add(path)
            before = set(self.needed)
            if path.endswith(".html"):
                self.page(path)
            elif path.endswith(".js"):
                self.script(path)
            todo += sorted(self.needed - before)
        shipped_dirs = {PurePosixPath(n).parent for n in self.needed}
        for file in self.root.rglob("*"):
            name = PurePosixPath(file.relative_to(self.root).as_posix())
            if file.is_file() and LICENSES.search(name.as_posix()) and name.parent in shipped_dirs:
                self.needed.add(name.as_posix())

    def page(self, path: str) -> None:
        refs = _PageRefs()
        refs.feed((self.root / path).read_text(encoding="utf-8"))
        for src in refs.scripts:
            if REMOTE.match(src):
                self.problems.append(f"{path}: <script src=\"{src}\"> loads remote code; ship the script "
                                     "in the extension")
            else:
                self.need(f"{path} <script>", _local(path, src))
        for href in refs.links:
            if not REMOTE.match(href):
                self.need(f"{path} <link>", _local(path, href))

    def script(self, path: str) -> None:
        text = (self.root / path).read_text(encoding="utf-8")
        ours = not path.startswith("vendor/")
        if ours and (found := EVAL.search(text)):
            line = text.count("\n", 0, found.start()) + 1
            self.problems.append(f"{path}:{line}: {found.group(0).strip()} runs code made from text; "
                                 "the store refuses it")
        for match in STATIC_IMPORT.finditer(text):
            target = match.group(1) or match.group(2)
            if REMOTE.match(target):
                self.problems.append(f"{path}: imports remote code from {target}")
            elif target.startswith("."):
                self.need(f"{path} import", _local(path, target))
        for literal in PATH_LITERAL.findall(text) if ours else ():
            if not REMOTE.match(literal):  # a file it injects or opens, such as GENERIC_FILES
                self.need(f"{path} names", literal)


def check(extension: Path) -> tuple[dict, list[str]]:
    """The manifest and the sorted files to ship; PackageError lists every problem found."""
    checker = _Checker(extension)
    for step in (checker.basics, checker.permissions, checker.csp, checker.files):
        step()
    if checker.problems:
        raise PackageError(checker.problems)
    return checker.manifest, sorted(checker.needed)


def build(extension: Path, out: Path) -> Path:
    """Check, then write out/vouch-extension-<version>.zip: sorted entries, fixed dates and modes,
    so two builds of the same files are the same bytes."""
    manifest, files = check(extension)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"vouch-extension-{manifest['version']}.zip"
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in files:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type, entry.create_system, entry.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            archive.writestr(entry, (extension / name).read_bytes(), compresslevel=9)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check extension/ and zip it for the Chrome Web Store.")
    parser.add_argument("--extension", type=Path, default=ROOT / "extension", help="the extension's folder")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the zip goes (dist/)")
    args = parser.parse_args(argv)
    try:
        target = build(args.extension, args.out)
    except PackageError as refused:
        print("The extension cannot be packaged:", *(f"  - {p}" for p in refused.problems), sep="\n", file=sys.stderr)
        return 1
    with zipfile.ZipFile(target) as archive:
        count = len(archive.namelist())
    print(f"{target} ({count} files, {target.stat().st_size:,} bytes): upload it in the Chrome Web Store's "
          "developer dashboard.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
