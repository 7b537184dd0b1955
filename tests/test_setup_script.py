"""scripts/run and scripts/test install Debian packages: while another install holds the
package lock, they wait for it instead of failing."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELD_S = 4.0

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/apt-get").exists(),
                                reason="holding Debian's package lock needs root and apt")


def _hold(lock: Path, ready: threading.Event) -> None:
    """Hold the lock as another apt or dpkg would (an fcntl lock), from another process."""
    holder = subprocess.Popen(["python3", "-c", (
        "import fcntl, sys, time\n"
        f"f = open({str(lock)!r}, 'w')\n"
        "fcntl.lockf(f, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        f"time.sleep({HELD_S})\n")], stdout=subprocess.PIPE, text=True)
    holder.stdout.readline()
    ready.set()
    holder.wait()


def _apt_get_while_locked(lock: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    ready = threading.Event()
    holder = threading.Thread(target=_hold, args=(lock, ready))
    holder.start()
    assert ready.wait(10)
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", f'source scripts/setup.sh; apt_get {" ".join(args)}'], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "APT_LOCK_WAIT_S": "60"})
    waited = time.monotonic() - started
    holder.join()
    return done, waited


def test_an_install_waits_for_dpkgs_lock():
    # coreutils is always installed: apt takes the lock and finds nothing to do
    done, waited = _apt_get_while_locked(Path("/var/lib/dpkg/lock-frontend"), "install", "-y", "-qq", "coreutils")
    assert done.returncode == 0, done.stderr
    assert waited >= HELD_S - 1


def test_other_apt_locks_are_waited_for_too():
    # apt's own timeout covers dpkg's lock only; the lists' and the archives' locks are
    # tried again (apt-get clean takes the archives' lock and only empties the cache)
    done, waited = _apt_get_while_locked(Path("/var/cache/apt/archives/lock"), "clean")
    assert done.returncode == 0, done.stderr
    assert waited >= HELD_S - 1
    assert "waiting for it" in done.stderr
