"""What the desktop e2e modules share: the failure type, polling, and finding the app's processes."""

from __future__ import annotations

import os
import time

from selenium.common.exceptions import WebDriverException

TIMEOUT = 30.0


class Failed(Exception):
    pass


def wait_for(what: str, probe, timeout: float = TIMEOUT):
    """Polls probe() until it returns something truthy; raises Failed naming `what`."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except WebDriverException as e:  # element went stale while the list re-rendered, etc.
            last_error = e
        time.sleep(0.1)
    raise Failed(f"timed out after {timeout:.0f}s waiting for {what}" + (f" ({last_error.msg})" if last_error else ""))


def app_processes(app: str) -> list[int]:
    """Pids of running processes whose executable is `app`."""
    target = os.path.realpath(app)
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.path.realpath(f"/proc/{entry}/exe") == target:
                    pids.append(int(entry))
            except OSError:
                continue
    return pids
