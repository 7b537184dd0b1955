"""The sidebar's screenshots in docs/: the real extension in Chromium beside the Zammad ticket
page (Zammad's own agent layout, served on a site enabled in the options), on a wide window
where the sidebar makes room instead of covering the ticket's customer panel, in the system's
light theme and in its dark one, against a server seeded with the starter content.

    .venv/bin/python scripts/sidebar_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the test harness is imported from the checkout
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect  # noqa: E402

from tests.extension.browser import enabled_site  # noqa: E402
from tests.live import LiveServer  # noqa: E402

PAGE = "/zammad-ticket-real.html#ticket/zoom/42"
SIZE = {"width": 1440, "height": 900}


def shoot(out: Path) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory(prefix="vouch-screenshots-") as tmp:
        (Path(tmp) / "server").mkdir()
        server = LiveServer(Path(tmp) / "server").start()
        try:
            with enabled_site(Path(tmp), server.url, server.token_for("sam@vouch.example")) as (browser, site):
                for scheme in ("light", "dark"):
                    page = browser.context.new_page()
                    page.set_viewport_size(SIZE)
                    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
                    page.goto(site + PAGE)
                    sidebar = page.locator("#vouch-sidebar-host")
                    expect(sidebar.locator(".suggestions li.result").first).to_be_visible(timeout=20000)
                    expect(sidebar.locator(".panel")).to_have_attribute("data-mode", "push")
                    page.wait_for_timeout(300)
                    path = out / f"sidebar-{scheme}.png"
                    page.screenshot(path=str(path))
                    written.append(path)
                    page.close()
        finally:
            server.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
