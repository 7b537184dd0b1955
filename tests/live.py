"""A real Vouch server in a subprocess, for browser tests: seeded, on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VOUCH = str(Path(sys.executable).with_name("vouch"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, data_dir: Path, content: Path | None = ROOT / "content", workers: int = 1,
                 database_url: str = ""):
        self.data_dir = data_dir
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "VOUCH_DATA_DIR": str(data_dir), "VOUCH_BASE_URL": self.url,
                    "VOUCH_INDEX_POLL_SECONDS": "0.5"}
        self.env.pop("VOUCH_DATABASE_URL", None)
        if database_url:
            self.env["VOUCH_DATABASE_URL"] = database_url
        self.content = content
        self.process: subprocess.Popen | None = None
        self._tokens: dict[str, str] = {}

    def vouch(self, *args: str) -> str:
        done = subprocess.run([VOUCH, *args], env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"vouch {' '.join(args)} failed: {done.stderr or done.stdout}")
        return done.stdout

    def start(self) -> "LiveServer":
        if self.content:
            self.vouch("seed", str(self.content))
        self.log = open(self.data_dir / "server.log", "w")
        self.process = subprocess.Popen([VOUCH, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                         "--workers", str(self.workers)],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until_answering(self.process, f"{self.url}/api/health", self.data_dir / "server.log", "server")
        return self

    def token_for(self, email: str) -> str:
        if email not in self._tokens:
            self._tokens[email] = self.vouch("token", "create", email).strip().splitlines()[-1]
        return self._tokens[email]

    def api(self, email: str) -> httpx.Client:
        """An HTTP client signed in as `email`."""
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token_for(email)}"},
                            timeout=30)

    def stop(self) -> None:
        stop_process(self.process)
        if getattr(self, "log", None):
            self.log.close()


def wait_until_answering(process: subprocess.Popen, url: str, log: Path, what: str, timeout: float = 30) -> None:
    """Until `url` answers 200; a process that exits first fails the test with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the {what} exited: {log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"the {what} did not answer within {timeout:.0f} s")


def stop_process(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
