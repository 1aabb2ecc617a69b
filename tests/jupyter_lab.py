"""A private JupyterLab for the tests that open a notebook in chromium: its own dirs, kernel and port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

START_TIMEOUT = 60.0  # seconds for `jupyter lab` to answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def notebook_of(cells: list[str]) -> dict[str, Any]:
    """A notebook (nbformat 4, python3 kernel) of these code cells, unrun."""
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c}
            for c in cells
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@contextmanager
def serve(home: Path, name: str, notebook: dict[str, Any]) -> Iterator[str]:
    """Serve `notebook` as home/notebooks/name in a private `jupyter lab`; yield the notebook's URL.

    The kernel is this venv's python; no news, update or kernel-choice pop-ups; the notebook's
    kernel is started before the page opens. On leaving, the server and its kernels are stopped.
    """
    notebooks, data = home / "notebooks", home / "data"
    notebooks.mkdir()
    (notebooks / name).write_text(json.dumps(notebook), encoding="utf-8")
    kernel = data / "kernels" / "python3"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (backproplab)",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    user_settings = {
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "notebook-extension/tracker": {"autoStartDefaultKernel": True},
    }
    for setting, values in user_settings.items():
        file = home / "settings" / "@jupyterlab" / f"{setting}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values), encoding="utf-8")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "0",
    }
    port = _free_port()
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={notebooks}", "--LabApp.expose_app_in_browser=True",
            "--ServerApp.disable_check_xsrf=True", "--allow-root", "--ServerApp.terminals_enabled=False",
        ],
        env=env, cwd=notebooks, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: {(home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer in {START_TIMEOUT:.0f} s")
            time.sleep(0.25)
        body = {"path": name, "name": name, "type": "notebook", "kernel": {"name": "python3"}}
        request = urllib.request.Request(
            f"{base}/api/sessions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=START_TIMEOUT):
            pass
        yield f"{base}/lab/tree/{name}?reset"
    finally:
        server.send_signal(signal.SIGTERM)  # jupyter shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        log.close()
