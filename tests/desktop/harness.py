"""What the desktop e2e modules share: the failure type, polling, finding the app's processes, and
xdotool (X11 input and window geometry)."""

from __future__ import annotations

import os
import subprocess
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


def xdotool(*args: str, check: bool = True) -> str:
    """Runs xdotool on $DISPLAY; returns its output (stripped)."""
    done = subprocess.run(["xdotool", *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise Failed(f"xdotool {' '.join(args)}: rc {done.returncode} {done.stderr.strip()}")
    return done.stdout.strip()


def window_geometry(window: str) -> tuple[int, int, int, int]:
    """x, y, width, height of an X window (root coordinates), from xdotool getwindowgeometry."""
    geo = dict(line.split("=", 1) for line in xdotool("getwindowgeometry", "--shell", window).splitlines())
    return tuple(int(geo[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
