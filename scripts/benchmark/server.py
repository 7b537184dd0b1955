"""Vouch through its command line: `vouch seed` and `vouch reindex` timed (wall and CPU),
`vouch token create`, and `vouch serve` on 127.0.0.1 in a subprocess."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

VOUCH = str(Path(sys.executable).with_name("vouch"))
START_SECONDS = 600  # a server on 100,000 cards may check its index for a while before it answers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(data_dir: Path, url: str = "http://127.0.0.1:8000", extra: Path | None = None,
                meaning: str | None = None) -> dict[str, str]:
    """The bench's `vouch` environment; `extra`: a folder of packages put on its path (the
    semantic extra, installed beside the project's); `meaning`: VOUCH_MEANING, if not the caller's."""
    env = {**os.environ, "VOUCH_DATA_DIR": str(data_dir), "VOUCH_BASE_URL": url, "VOUCH_INDEX_POLL_SECONDS": "0.5"}
    env.pop("VOUCH_DATABASE_URL", None)
    if meaning is not None:
        env["VOUCH_MEANING"] = meaning
    if extra is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra), env.get("PYTHONPATH")]))
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_command(data_dir: Path, args: list[str], progress: Callable[[str], None], budget_s: float | None = None,
                  every: float = 15) -> dict:
    """Runs `vouch ARGS`, passing on its progress every `every` seconds; wall and CPU
    seconds. Past `budget_s` it is stopped, and the result says how far it got."""
    cpu, started, said = _children_cpu(), time.perf_counter(), time.perf_counter()
    process = subprocess.Popen([VOUCH, *args], env=environment(data_dir), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(budget_s, process.terminate) if budget_s else None
    if watchdog:
        watchdog.start()
    last = ""
    for line in process.stdout:
        last = line.strip() or last
        if time.perf_counter() - said >= every:
            progress(f"vouch {args[0]}: {last} ({time.perf_counter() - started:.0f} s)")
            said = time.perf_counter()
    code = process.wait()
    if watchdog:
        watchdog.cancel()
    result = {"wall_s": round(time.perf_counter() - started, 2), "cpu_s": round(_children_cpu() - cpu, 2)}
    if budget_s and result["wall_s"] >= budget_s and code != 0:
        return {**result, "stopped": True, "reached": last}
    if code != 0:
        raise RuntimeError(f"vouch {' '.join(args)} failed: {last}")
    return result


def token(data_dir: Path, email: str) -> str:
    done = subprocess.run([VOUCH, "token", "create", email, "--name", "bench"], env=environment(data_dir),
                          capture_output=True, text=True, timeout=300, check=True)
    return done.stdout.strip().splitlines()[-1]


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


class Server:
    """`vouch serve` on a free port of 127.0.0.1, with the bench's data directory."""

    def __init__(self, data_dir: Path, extra: Path | None = None, meaning: str | None = None):
        self.data_dir, self.extra, self.meaning = data_dir, extra, meaning
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log = open(self.data_dir / "server.log", "w")
        self.process = subprocess.Popen([VOUCH, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                        env=environment(self.data_dir, self.url, self.extra, self.meaning), stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {(self.data_dir / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not answer within {START_SECONDS} s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def client(self, api_token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {api_token}"} if api_token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def rss_bytes(self) -> int:
        """Resident memory of the server process (and any worker it started)."""
        process = psutil.Process(self.process.pid)
        return process.memory_info().rss + sum(child.memory_info().rss for child in process.children(recursive=True))
