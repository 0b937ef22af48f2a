"""Desktop e2e step for drag and drop: real files and a folder dragged from another X11 client (a
small GTK drag source, drag_source.py, offering `text/uri-list`) onto Kura's file list with
xdotool, the XDND protocol between two processes under Xvfb. Mixed into e2e.Scenario."""

from __future__ import annotations

import queue
import secrets
import subprocess
import threading
from pathlib import Path

from harness import Failed, app_processes, wait_for, window_geometry, xdotool

DRAG_SOURCE = Path(__file__).with_name("drag_source.py")
# The drag source needs GTK through python3-gi: the system Python, not the devstack venv.
SYSTEM_PYTHON = "/usr/bin/python3"
SOURCE_SIZE = (160, 100)
MOVE_STEPS = 24


class DragSource:
    """drag_source.py running as its own X11 client; its stdout lines arrive on a queue."""

    def __init__(self, paths: list[Path], at: tuple[int, int]):
        self.title = f"kura-e2e-drag-{secrets.token_hex(3)}"
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(DRAG_SOURCE), "--title", self.title, "--at", f"{at[0]},{at[1]}", *map(str, paths)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_line(self, word: str, timeout: float = 15.0) -> str:
        """Waits for a stdout line starting with `word` (earlier lines are kept in `seen`)."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise Failed(f"drag source: no {word!r} within {timeout:.0f}s (said {self.seen}; "
                             f"stderr {self.stderr()!r})") from None
            self.seen.append(line)
            if line.startswith("failed"):
                raise Failed(f"drag source: the drag failed ({self.seen})")
            if line.startswith(word):
                return line

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return ""
        return self.proc.stderr.read().strip()

    def geometry(self) -> tuple[int, int, int, int]:
        window = xdotool("search", "--onlyvisible", "--name", f"^{self.title}$").splitlines()[0]
        return window_geometry(window)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)


class DragDropSteps:
    """Needs from the scenario: kura, work, folder, prefix, bucket, aws()."""

    def kura_window(self) -> tuple[int, int, int, int]:
        """The geometry of the app's visible top-level window (found by the app's pids)."""
        windows = []
        for pid in app_processes(self.kura.app):
            found = xdotool("search", "--all", "--onlyvisible", "--pid", str(pid), "--name", "^Kura$", check=False)
            windows += found.splitlines()
        if len(windows) != 1:
            raise Failed(f"expected one visible Kura window, found {windows}")
        return window_geometry(windows[0])

    def step_drag_drop(self):
        """Drag two files and a folder from another X11 client onto the file list: all uploaded to the open folder."""
        tag = secrets.token_hex(3)
        src = self.work / f"dragged-{tag}"
        (src / f"drop-folder-{tag}" / "inner").mkdir(parents=True)
        files = {
            f"drop-{tag}.txt": b"dropped from another window\n",
            f"drop ü {tag}.bin": secrets.token_bytes(300 * 1024 + 7),
            f"drop-folder-{tag}/d.txt": b"in the dropped folder\n",
            f"drop-folder-{tag}/inner/e ü.bin": secrets.token_bytes(70 * 1024),
        }
        for name, data in files.items():
            (src / name).write_bytes(data)
        top = [src / f"drop-{tag}.txt", src / f"drop ü {tag}.bin", src / f"drop-folder-{tag}"]

        # The list shows the test's folder (upload_visible opened it): a drop uploads there.
        wait_for("the test folder's listing", lambda: self.kura.row(self.folder + "big.bin"))
        wx, wy, ww, wh = self.kura_window()
        rect = self.kura.wait_css('[data-testid="file-list"]').rect
        target = (wx + int(rect["x"] + rect["width"] / 2), wy + int(rect["y"] + rect["height"] / 2))
        sw, sh = (int(v) for v in xdotool("getdisplaygeometry").split())
        # The source sits in the screen's bottom-right corner, on top of whatever is there (no window
        # manager: the last window mapped is on top), away from the drop point.
        at = (sw - SOURCE_SIZE[0] - 10, sh - SOURCE_SIZE[1] - 10)
        if at[0] <= target[0] and at[1] <= target[1]:
            raise Failed(f"the drag source at {at} would cover the drop point {target}")

        source = DragSource(top, at)
        try:
            source.wait_line("ready")
            sx, sy, sw_, sh_ = wait_for("the drag source's window", source.geometry)
            start = (sx + sw_ // 2, sy + sh_ // 2)
            # Press on the source, then move in steps (GTK starts a drag past its threshold; each
            # motion is an XdndPosition the app answers) onto the file list, and hold there.
            path = []
            for i in range(1, MOVE_STEPS + 1):
                x = start[0] + (target[0] - start[0]) * i // MOVE_STEPS
                y = start[1] + (target[1] - start[1]) * i // MOVE_STEPS
                path += ["mousemove", str(x), str(y), "sleep", "0.03"]
            xdotool("mousemove", *map(str, start), "sleep", "0.1", "mousedown", "1", *path)
            source.wait_line("begin")
            # The app forwards the hover (positions only) to the page, which shows its drop state.
            self.kura.wait_css(".file-list.drop-active", timeout=10)
            xdotool("mouseup", "1")
            source.wait_line("sent")
            source.wait_line("end")
            if source.proc.wait(10) != 0:
                raise Failed(f"drag source exited {source.proc.returncode}: {source.seen} {source.stderr()!r}")
        finally:
            xdotool("mouseup", "1", check=False)
            source.stop()

        # The list reloads when the upload into the open folder is done: the dropped names show.
        for name in (p.name + ("/" if p.is_dir() else "") for p in top):
            wait_for(f"the dropped {name!r} in the list", lambda n=name: self.kura.row(self.folder + n), timeout=60)
        if self.kura.find(".file-list.drop-active"):
            raise Failed("the file list still shows the drop state after the drop")
        # What S3 holds under the folder for this drop (one AWS CLI call): exactly the dropped tree.
        got = self.work / f"dropped-in-s3-{tag}"
        self.aws("s3", "cp", "--recursive", "--only-show-errors", "--exclude", "*", "--include", f"*{tag}*",
                 f"s3://{self.bucket}/{self.prefix}{self.folder}", str(got))
        in_s3 = {p.relative_to(got).as_posix(): p.read_bytes() for p in got.rglob("*") if p.is_file()}
        if in_s3.keys() != files.keys():
            raise Failed(f"S3 holds {sorted(in_s3)} for the drop, expected {sorted(files)}")
        for name, data in files.items():
            if in_s3[name] != data:
                raise Failed(f"S3 object {name!r} differs from the dropped file")
