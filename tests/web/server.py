"""Run ``creativecity serve`` in a subprocess on a free local port, for crash and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1 only)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``creativecity serve`` on 127.0.0.1; ``stop()`` ends it (SIGTERM) unless it was killed."""

    def __init__(self, database_url: str, home: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, CREATIVECITY_HOME=str(home), CREATIVECITY_SECRET_KEY="browser-test-key")
        self.log = (home / "server.log").open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from creativecity.cli import app; app()",  # the command line is a package
                "serve",
                "--port",
                str(self.port),
                "--database",
                database_url,
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early: {(home / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer /healthz within 60 s")

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
