"""Kura desktop end-to-end test: the real app over WebDriver against the real local stack.

Run by tests/desktop/run.sh (which provides Xvfb, D-Bus + keyring, tauri-driver and the stack's
environment). Steps run in order and each depends on the previous ones; the output is TAP-like
(`ok N - step` / `not ok N - step`) ending with `# pass N` and `# fail N`.

The first steps (setup_steps.py) set the app up from nothing: the setup screen, two profiles,
switching, removal. The rest run on the profile `local`, signed in as alice, except the identity
pool step (pool_steps.py), which adds a profile `pool` and switches back. The attack steps
(attack_steps.py) play a script injected into the page and show each attack refused. Files and a
folder are also dragged onto the window from another X11 client (dnd_steps.py), and the tray menu
is read and clicked over D-Bus (tray_steps.py) through a StatusNotifierWatcher the test owns.
The search steps (search_steps.py) search, open a folder from the results and preview a text
file and an image through the UI's keys.

Local files reach the app only through its native dialogs (or a drop): the test answers a dialog
by writing the paths to $KURA_TEST_CHOOSE before calling the dialog's command (debug builds only,
see src-tauri/src/chosen.rs), then passes the handle it returns, like the UI does.

Independent checks go around the app: objects are read back from S3 with the stack's admin keys
(the AWS CLI), downloaded bytes are compared with the uploaded file, the config file is read from
disk, and the keychain is inspected with secret-tool and by the app's own `session_status` after
a restart.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions

from attack_steps import AttackSteps
from control_steps import ControlSteps
from dnd_steps import DragDropSteps
from harness import TIMEOUT, Failed, app_processes, wait_for
from i18n_steps import I18nSteps
from location_steps import LocationSteps
from pool_steps import PoolSteps
from search_steps import SearchSteps
from setup_steps import SetupSteps
from status_notifier import StatusNotifierWatcher
from transfer_steps import TransferSteps
from tray_steps import TraySteps


# Calls a Kura command the way the UI's platform module does, with a channel for its events.
# arguments: cmd, args (object), channelArg (name of the Channel argument or null), doneWhen
# (list of event kinds that end the stream), callback. Resolves to {result, events} or {error}.
INVOKE_JS = r"""
const [cmd, args, channelArg, doneWhen, callback] = arguments;
const T = window.__TAURI_INTERNALS__;
const raw = [];
let result, settled = false, finished = !channelArg;
const finish = (value) => { if (!settled) { settled = true; callback(value); } };
const events = () => raw.sort((a, b) => a.index - b.index).filter((m) => 'message' in m).map((m) => m.message);
const check = () => { if (finished && result !== undefined) finish({ result, events: events() }); };
if (channelArg) {
  const id = T.transformCallback((m) => {
    raw.push(m);
    if ('message' in m && doneWhen.includes(m.message.event)) { finished = true; check(); }
  });
  args[channelArg] = `__CHANNEL__:${id}`;
}
T.invoke(cmd, args).then((r) => { result = r === undefined ? null : r; check(); },
                         (e) => finish({ error: e }));
setTimeout(() => finish({ error: { code: 'e2e.timeout', message: `${cmd}: no end after 60 s`, events: events() } }), 60000);
"""


def launcher(app: str, env: dict) -> str:
    """A script that starts `app` with `env` set (a value of None unsets the variable): WebDriver
    starts the application it is given with the driver's own environment, so a per-start
    environment (e.g. LANG) needs a launcher that `exec`s the app (the process is then the app)."""
    lines = ["#!/bin/sh"]
    for key, value in env.items():
        lines.append(f"unset {key}" if value is None else f"export {key}={shlex.quote(value)}")
    lines.append(f'exec {shlex.quote(app)} "$@"')
    fd, path = tempfile.mkstemp(prefix="kura-launch.", suffix=".sh", dir=os.environ.get("KURA_E2E_SCRATCH"))
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o755)
    return path


def single_instance_free() -> bool:
    """True when nobody owns the app's single-instance D-Bus name (tauri-plugin-single-instance:
    the identifier + `.SingleInstance`) on the session bus."""
    out = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.NameHasOwner", "string:app.kura.desktop.SingleInstance"],
        capture_output=True, text=True, check=False,
    )
    return out.returncode == 0 and "boolean false" in out.stdout


class Kura:
    """One WebDriver session on the app plus helpers that read the UI."""

    def __init__(self, driver_url: str, app: str, env: dict | None = None):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": launcher(app, env) if env else app})
        self.app = app
        if app_processes(app):
            raise Failed(f"{app} is already running; a new session would hand over to it")
        self.driver = webdriver.Remote(command_executor=driver_url, options=options)
        self.driver.set_script_timeout(90)

    def quit(self):
        """Ends the session and waits until the app's processes are gone: a new app started while
        the old one still holds the single-instance name would hand over to it and exit."""
        try:
            self.driver.quit()
        except WebDriverException:
            pass
        wait_for("the app to exit", lambda: not app_processes(self.app), timeout=15)
        # The bus can see the old instance's name a moment after its process is gone (seen after
        # the tray menu was open): a new app would hand over to it and exit.
        wait_for("the single-instance name to be released", single_instance_free, timeout=15)

    def find(self, css: str):
        found = self.driver.find_elements(By.CSS_SELECTOR, css)
        return found[0] if found else None

    def wait_css(self, css: str, timeout: float = TIMEOUT):
        return wait_for(css, lambda: self.find(css), timeout)

    def row(self, path: str):
        return self.find(f'[data-testid="row"][data-path="{path}"]')

    def attempt(self, cmd: str, args: dict | None = None, channel: str | None = None, done_when=()) -> dict:
        """Calls `cmd` from the page; returns {result, events} or {error} as it came."""
        return self.driver.execute_async_script(INVOKE_JS, cmd, args or {}, channel, list(done_when))

    def invoke(self, cmd: str, args: dict | None = None, channel: str | None = None, done_when=()):
        out = self.attempt(cmd, args, channel, done_when)
        if "error" in out:
            raise Failed(f"{cmd} failed: {out['error']}")
        return out["result"], out.get("events", [])

    def screenshot(self, directory: Path | None, name: str):
        if directory:
            directory.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(directory / f"{name}.png"))


class Scenario(
    SetupSteps,
    ControlSteps,
    TransferSteps,
    LocationSteps,
    PoolSteps,
    AttackSteps,
    DragDropSteps,
    TraySteps,
    I18nSteps,
    SearchSteps,
):
    def __init__(self, args):
        self.args = args
        env = os.environ
        self.bucket = env["KURA_DEVSTACK_BUCKET"]
        self.prefix: str | None = None  # alice's prefix, from session_status once signed in
        self.aws_env = dict(
            env,
            AWS_ACCESS_KEY_ID=env["KURA_DEVSTACK_ADMIN_ACCESS_KEY"],
            AWS_SECRET_ACCESS_KEY=env["KURA_DEVSTACK_ADMIN_SECRET_KEY"],
            AWS_DEFAULT_REGION="us-east-1",
            AWS_ENDPOINT_URL=env["KURA_DEVSTACK_S3_ENDPOINT"],
        )
        self.work = Path(tempfile.mkdtemp(prefix="kura-e2e-files."))
        self.folder = f"e2e-{secrets.token_hex(4)}/"
        self.kura: Kura | None = None
        self.expiry_before: str | None = None
        # On the bus before the first app starts: the app registers its tray icon at start.
        self.status_notifier = StatusNotifierWatcher()

    # ---- helpers ----------------------------------------------------------------------------
    def start_app(self):
        self.start_app_on('[data-testid="sign-in"], [data-testid="file-list"]')

    def start_app_on(self, css: str, env: dict | None = None):
        """Starts the app (with `env` changed, see `launcher`) and waits for `css`: the window
        exists before the page has loaded."""
        self.kura = Kura(self.args.driver, self.args.app, env)
        self.kura.wait_css(css)

    def aws(self, *args: str) -> str:
        """Runs the AWS CLI with the stack's admin keys (independent of Kura)."""
        done = subprocess.run(["aws", *args], env=self.aws_env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise Failed(f"aws {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def s3_bytes(self, key: str) -> bytes:
        out = self.work / "s3-object"
        self.aws("s3api", "get-object", "--bucket", self.bucket, "--key", key, str(out))
        return out.read_bytes()

    def answer_dialog(self, paths: list) -> None:
        """The next native dialog answers with `paths` instead of showing ($KURA_TEST_CHOOSE)."""
        Path(os.environ["KURA_TEST_CHOOSE"]).write_text("".join(f"{p}\n" for p in paths))

    def choose_upload(self, paths: list, cmd: str = "pick_upload_files") -> str:
        """Chooses `paths` in the upload dialog; returns the handle (names checked, no path shown)."""
        self.answer_dialog(paths)
        chosen, _ = self.kura.invoke(cmd)
        if not chosen or [i["name"] for i in chosen["items"]] != [Path(p).name for p in paths]:
            raise Failed(f"{cmd} answered {chosen}")
        if any(str(Path(p).parent) in str(chosen) for p in paths):
            raise Failed(f"{cmd} showed the page a local path: {chosen}")
        return chosen["handle"]

    def choose_download_dir(self, path) -> str:
        """Chooses folder `path` in the download dialog; returns the handle."""
        self.answer_dialog([path])
        folder, _ = self.kura.invoke("pick_download_dir")
        if not folder or folder["name"] != Path(path).name:
            raise Failed(f"pick_download_dir answered {folder}")
        return folder["handle"]

    def session_prefix(self) -> str:
        view, _ = self.kura.invoke("session_status")
        if not view:
            raise Failed("session_status says nobody is signed in")
        return view["prefix"]

    # ---- steps ------------------------------------------------------------------------------
    def step_demo_files(self):
        """The file list shows alice's demo files, folders first."""
        wait_for("the welcome.txt row", lambda: self.kura.row("welcome.txt"))
        rows = self.kura.driver.find_elements(By.CSS_SELECTOR, '[data-testid="row"]')
        paths = [r.get_attribute("data-path") for r in rows]
        for want in ("docs/", "photos/", "welcome.txt"):
            if want not in paths:
                raise Failed(f"row {want!r} missing; rows: {paths}")
        if paths.index("photos/") > paths.index("welcome.txt"):
            raise Failed(f"folders are not listed first: {paths}")
        prefix = self.session_prefix()
        if not prefix.startswith("users/auth0|alice"):
            raise Failed(f"unexpected prefix {prefix!r}")
        self.prefix = prefix

    def step_upload(self):
        """Upload a file and a folder chosen in the dialog through start_upload (by handle)."""
        src = self.work / "upload"
        (src / "album" / "inner").mkdir(parents=True)
        self.big = src / "big.bin"
        self.big.write_bytes(secrets.token_bytes(17 * 1024 * 1024 + 123))  # multipart from 16 MiB
        (src / "album" / "a.txt").write_text("first\n")
        (src / "album" / "inner" / "b ü.txt").write_text("second\n")
        handle = self.choose_upload([self.big, src / "album"])
        started, events = self.kura.invoke(
            "start_upload",
            {"handle": handle, "dest": self.folder},
            channel="onEvent",
            done_when=("done", "failed", "cancelled"),
        )
        last = events[-1] if events else None
        if not last or last["event"] != "done":
            raise Failed(f"upload did not finish: {events[-3:]}")
        if last["files"] != 3 or last["bytes"] != self.big.stat().st_size + 13:
            raise Failed(f"upload reported {last}")
        if not any(e["event"] == "progress" for e in events):
            raise Failed("no progress events before done")
        if (started["kind"], started["name"], started["items"], started["to"]) != ("upload", None, 2, self.folder):
            raise Failed(f"start_upload returned {started}")

    def step_upload_visible(self):
        """The uploaded folder appears in the list (after Refresh) and its objects are in S3."""
        self.kura.wait_css('[data-testid="refresh"]').click()
        wait_for(f"the {self.folder} row", lambda: self.kura.row(self.folder))
        base = self.prefix + self.folder
        if self.s3_bytes(base + "big.bin") != self.big.read_bytes():
            raise Failed("S3 object big.bin differs from the uploaded file")
        if self.s3_bytes(base + "album/inner/b ü.txt") != b"second\n":
            raise Failed("S3 object album/inner/b ü.txt differs")
        # Open the folder by double-click: the new file is listed inside it.
        ActionChains(self.kura.driver).double_click(self.kura.row(self.folder)).perform()
        wait_for("big.bin inside the folder", lambda: self.kura.row(self.folder + "big.bin"))
        crumbs = self.kura.wait_css('[data-testid="breadcrumbs"]').text
        if self.folder.rstrip("/") not in crumbs:
            raise Failed(f"breadcrumbs show {crumbs!r}")

    def step_download(self):
        """Download the file and the folder to a directory chosen in the dialog; bytes match."""
        dest = self.work / "downloads"
        dest.mkdir()
        _, events = self.kura.invoke(
            "start_download",
            {"paths": [self.folder + "big.bin", self.folder + "album/"], "destDir": self.choose_download_dir(dest)},
            channel="onEvent",
            done_when=("done", "failed", "cancelled"),
        )
        if not events or events[-1]["event"] != "done":
            raise Failed(f"download did not finish: {events[-3:]}")
        got = dest / "big.bin"
        if hashlib.sha256(got.read_bytes()).digest() != hashlib.sha256(self.big.read_bytes()).digest():
            raise Failed("downloaded big.bin differs from the uploaded bytes")
        if (dest / "album" / "inner" / "b ü.txt").read_text() != "second\n":
            raise Failed("downloaded album/inner/b ü.txt differs")
        leftovers = [p.name for p in dest.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]
        if leftovers:
            raise Failed(f"temporary files left behind: {leftovers}")

    def step_restart_keeps_session(self):
        """Quit and reopen: the refresh token in the keychain signs alice in silently."""
        self.kura.quit()
        self.start_app()
        self.kura.wait_css('[data-testid="file-list"]')
        wait_for("welcome.txt after restart", lambda: self.kura.row("welcome.txt"))
        view, _ = self.kura.invoke("session_status")
        if not view or not view.get("persistent"):
            raise Failed(f"session after restart: {view}")

    def step_refresh_credentials(self):
        """The tray's Refresh credentials command forces new credentials: the expiry moves."""
        expiry = self.kura.wait_css('[data-testid="expiry"]')
        before = expiry.get_attribute("data-expires-at")
        time.sleep(1.2)  # STS expirations have whole-second precision
        view, _ = self.kura.invoke("refresh_credentials")
        after = wait_for(
            "the header's expiry to change",
            lambda: (v := self.kura.find('[data-testid="expiry"]').get_attribute("data-expires-at")) != before and v,
        )
        if not (after > before and view["credentials_expire_at"] == after):
            raise Failed(f"expiry {before} → {after}; command returned {view['credentials_expire_at']}")

    def step_sign_out(self):
        """Sign out returns to the sign-in screen and clears the stored session."""
        self.kura.wait_css('[data-testid="sign-out"]').click()
        self.kura.wait_css('[data-testid="sign-in"]')
        view, _ = self.kura.invoke("session_status")
        if view is not None:
            raise Failed(f"still signed in after sign-out: {view}")
        self.kura.quit()
        self.start_app()
        self.kura.wait_css('[data-testid="sign-in"]')
        time.sleep(1.0)
        if self.kura.find('[data-testid="file-list"]'):
            raise Failed("signed in again after restart: the keychain entry survived sign-out")

    def page_text(self) -> str:
        """What the window shows (its text, 600 characters at most), for a failure's report."""
        try:
            return self.kura.driver.execute_script("return document.body.innerText")[:600] if self.kura else "(no app)"
        except Exception as e:  # noqa: BLE001 - a report, never a second failure
            return f"(unreadable: {type(e).__name__})"

    def cleanup(self):
        if self.kura:
            try:
                self.kura.quit()
            except Failed as e:
                print(f"# cleanup: {e}")
        self.status_notifier.close()
        shutil.rmtree(self.work, ignore_errors=True)
        if self.prefix:
            self.aws("s3", "rm", "--recursive", "--only-show-errors", f"s3://{self.bucket}/{self.prefix}{self.folder}")


STEPS = [
    "setup_screen",
    "setup_local",
    "sign_in_local",
    "second_profile",
    "switch_back",
    "remove_second",
    "demo_files",
    "upload",
    "upload_visible",
    "download",
    "search",
    "search_open_folder",
    "preview",
    "attack_upload_unchosen",
    "attack_download_unchosen",
    "upload_button",
    "drag_drop",
    "attack_inline_markup",
    "attack_events",
    "attack_navigation",
    "conflict_keep_both",
    "pause_resume_then_crash",
    "resume_after_crash",
    "retry_after_failure",
    "cancel_upload",
    "rename_in_ui",
    "share_in_ui",
    "delete_in_ui",
    "team_location",
    "identity_pool",
    "japanese_ui",
    "switch_to_english",
    "english_remembered",
    "restart_keeps_session",
    "refresh_credentials",
    "tray_refresh",
    "sign_out",
    "tray_sign_out",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True, help="tauri-driver URL")
    parser.add_argument("--app", required=True, help="path of the kura-desktop binary")
    parser.add_argument("--screenshots", type=Path, help="save WebDriver screenshots here")
    parser.add_argument("--steps", help="comma-separated subset of the steps, in this order (default: all)")
    parser.add_argument("--keep-going", action="store_true", help="run the later steps after a failure")
    args = parser.parse_args()
    scenario = Scenario(args)
    names = args.steps.split(",") if args.steps else STEPS
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        parser.error(f"unknown steps {unknown}; steps: {', '.join(STEPS)}")
    steps = [getattr(scenario, f"step_{n}") for n in names]
    passed = failed = 0
    broken = False
    print(f"1..{len(steps)}")
    try:
        for n, step in enumerate(steps, 1):
            title = step.__doc__.strip().splitlines()[0]
            if broken:
                print(f"not ok {n} - {title} # not run: an earlier step failed")
                failed += 1
                continue
            t0 = time.monotonic()
            try:
                step()
                print(f"ok {n} - {title} ({time.monotonic() - t0:.1f}s)", flush=True)
                passed += 1
            except Exception as e:  # noqa: BLE001 - every failure is reported, then the run stops
                print(f"not ok {n} - {title}\n#   {type(e).__name__}: {e}", flush=True)
                if not isinstance(e, Failed):
                    traceback.print_exc()
                print(f"#   the page then: {scenario.page_text()!r}", flush=True)
                failed += 1
                broken = not args.keep_going
    finally:
        scenario.cleanup()
    print(f"# pass {passed}")
    print(f"# fail {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
