"""Desktop e2e attack steps (issue 10, "the webview holds no file-system power"): each plays a
script injected into the page (an XSS, a compromised npm dependency) calling what the page can
reach — Kura's commands through window.__TAURI_INTERNALS__, Tauri's event plugin, navigation —
and shows it refused, with independent checks that nothing happened (S3 read with the stack's
admin keys, the local directory, the session). Mixed into e2e.Scenario; they run signed in as
alice after the upload and download steps, with the choice hook ($KURA_TEST_CHOOSE) answering
dialogs where a real choice is part of the test.
"""

import os
import secrets
import subprocess
import time
from pathlib import Path

from harness import Failed, wait_for
from setup_steps import set_test_user

DONE = ("done", "failed", "cancelled")

# Markup an injected script could add: an inline handler, an inline script and an inline style.
INJECT_JS = r"""
const box = document.createElement('div');
box.id = 'e2e-injected';
box.innerHTML = '<img src="x-e2e-missing.png" onerror="window.__e2ePwned1 = 1">'
  + '<div id="e2e-styled" style="width: 123px; height: 45px">styled</div>';
document.body.appendChild(box);
const s = document.createElement('script');
s.textContent = 'window.__e2ePwned2 = 1;';
document.body.appendChild(s);
"""
INJECT_RESULT_JS = r"""
const styled = document.getElementById('e2e-styled');
const out = { pwned1: window.__e2ePwned1 ?? null, pwned2: window.__e2ePwned2 ?? null,
              width: getComputedStyle(styled).width };
document.getElementById('e2e-injected').remove();
const spacer = document.querySelector('.list-spacer');
out.spacer = spacer ? spacer.getBoundingClientRect().height : -1;
return out;
"""


def app_log() -> str:
    """The app's log so far (run.sh sends tauri-driver's output, the app's included, there)."""
    try:
        return (Path(os.environ["KURA_E2E_SCRATCH"]) / "driver.log").read_text(errors="replace")
    except (KeyError, FileNotFoundError):
        return ""


class AttackSteps:
    """Needs from the scenario: kura, work, folder, prefix, bucket, aws(), s3_bytes(),
    answer_dialog(), choose_upload(), choose_download_dir(), browser_runs(), start_async(),
    poll(), session_prefix()."""

    def refused(self, what: str, out: dict, code: str | None = "local.not_chosen"):
        """The call's outcome must be an error (with `code`, when given)."""
        if "error" not in out:
            raise Failed(f"{what} was not refused: it returned {out.get('result')} (events {out.get('events', [])[-2:]})")
        error = out["error"]
        if code and not (isinstance(error, dict) and error.get("code") == code):
            raise Failed(f"{what} was refused, but not with {code}: {error}")
        return error

    def keys_under(self, rel: str) -> list[str]:
        """Object keys under alice's prefix + `rel`, listed with the admin keys."""
        out = self.aws("s3api", "list-objects-v2", "--bucket", self.bucket, "--prefix", self.prefix + rel,
                       "--query", "Contents[].Key", "--output", "text")
        return [k for k in out.split() if k != "None"]

    def step_attack_upload_unchosen(self):
        """Injected script: start_upload of /etc/passwd, a file never chosen, or a forged or used handle → refused, nothing in S3."""
        secret = self.work / "never-chosen" / "id_ed25519"
        secret.parent.mkdir(parents=True)
        secret.write_text("-----BEGIN OPENSSH PRIVATE KEY----- e2e " + secrets.token_hex(16) + "\n")
        dest = self.folder + "stolen/"
        # Old and new argument names alike: the path as `paths` and as `handle`.
        for forged in ("/etc/passwd", str(secret), secrets.token_hex(16)):
            out = self.kura.attempt("start_upload", {"paths": [forged], "handle": forged, "dest": dest},
                                    channel="onEvent", done_when=DONE)
            self.refused(f"start_upload of {forged}", out)
        # A real choice uploads once; its handle is then used up.
        chosen = self.work / "chosen-once.txt"
        chosen.write_text("chosen in the dialog\n")
        handle = self.choose_upload([chosen])
        _, events = self.kura.invoke("start_upload", {"handle": handle, "dest": self.folder},
                                     channel="onEvent", done_when=DONE)
        if not events or events[-1]["event"] != "done":
            raise Failed(f"the chosen file's upload did not finish: {events[-2:]}")
        out = self.kura.attempt("start_upload", {"handle": handle, "dest": dest}, channel="onEvent", done_when=DONE)
        self.refused("a second start_upload with a used handle", out)
        # A folder chosen to download into is not an upload source.
        into = self.choose_download_dir(secret.parent)
        out = self.kura.attempt("start_upload", {"handle": into, "dest": dest}, channel="onEvent", done_when=DONE)
        self.refused("start_upload with a download folder's handle", out)
        time.sleep(1.0)
        stolen = self.keys_under(dest)
        if stolen:
            raise Failed(f"objects were uploaded by refused calls: {stolen}")
        if self.s3_bytes(self.prefix + self.folder + chosen.name) != chosen.read_bytes():
            raise Failed("the chosen file did not arrive")
        self.aws("s3", "rm", "--only-show-errors", f"s3://{self.bucket}/{self.prefix}{self.folder}{chosen.name}")

    def step_attack_download_unchosen(self):
        """Injected script: start_download into a directory never chosen (a path, an upload's handle) → refused, nothing written."""
        target = self.work / "never-chosen-dir"
        target.mkdir()
        out = self.kura.attempt("start_download", {"paths": ["welcome.txt"], "destDir": str(target)},
                                channel="onEvent", done_when=DONE)
        self.refused(f"start_download into {target}", out)
        # What the user chose to upload is no place to write into.
        upload_choice = self.choose_upload([target], cmd="pick_upload_folder")
        out = self.kura.attempt("start_download", {"paths": ["welcome.txt"], "destDir": upload_choice},
                                channel="onEvent", done_when=DONE)
        self.refused("start_download into an upload's handle", out)
        time.sleep(1.0)
        written = sorted(p.name for p in target.iterdir())
        if written:
            raise Failed(f"refused downloads wrote {written} into {target}")

    def step_upload_button(self):
        """The Upload button: the dialog's choice (test hook) is uploaded by handle; the page sees its name only."""
        note = self.work / f"button-{secrets.token_hex(3)}.txt"
        note.write_text("uploaded through the Upload button\n")
        # The list shows the test's folder (upload_visible opened it): the upload goes there.
        wait_for("the test folder's listing", lambda: self.kura.row(self.folder + "big.bin"))
        self.answer_dialog([note])
        self.kura.wait_css('[data-testid="upload"]').click()

        def finished():
            for row in self.kura.driver.find_elements("css selector", '[data-testid="transfer"]'):
                text = row.get_attribute("textContent")
                if note.name in text:
                    if str(self.work) in text:
                        raise Failed(f"the transfer row shows a local path: {text!r}")
                    return row.get_attribute("data-state") == "done"
            return False

        wait_for(f"{note.name}'s upload to finish", finished)
        if self.s3_bytes(self.prefix + self.folder + note.name) != note.read_bytes():
            raise Failed(f"{note.name} in S3 differs from the file")

    def step_attack_inline_markup(self):
        """Injected markup runs no inline handler or script and gets no inline style (CSP); the UI's own styles still work."""
        self.kura.driver.execute_script(INJECT_JS)
        time.sleep(0.5)
        got = self.kura.driver.execute_script(INJECT_RESULT_JS)
        if got["pwned1"] is not None or got["pwned2"] is not None:
            raise Failed(f"injected inline script ran: {got}")
        if got["width"] == "123px":
            raise Failed(f"an injected inline style applied: {got}")
        if not got["spacer"] > 0:
            raise Failed(f"the file list's own sizing (set from script) did not apply: {got}")

    def step_attack_events(self):
        """Injected script cannot emit deep-link://new-url nor listen to Tauri's events; a forged callback reaching the plugin completes no sign-in."""
        forged = "app.kura.desktop:/callback?code=forged-code&state=forged-state"
        out = self.kura.attempt("plugin:event|emit", {"event": "deep-link://new-url", "payload": [forged]})
        self.refused("emit(deep-link://new-url)", out, code=None)
        # Tauri's own drag-and-drop events carry the dropped paths: the page must not hear them.
        handler = self.kura.driver.execute_script("return window.__TAURI_INTERNALS__.transformCallback(() => {});")
        out = self.kura.attempt("plugin:event|listen",
                                {"event": "tauri://drag-drop", "target": {"kind": "Any"}, "handler": handler})
        self.refused("listen(tauri://drag-drop)", out, code=None)

        # The same forged link through the real OS path (a second instance, single-instance +
        # deep-link plugins) while a sign-in waits for its callback: ignored, the login waits on.
        set_test_user("alice", "wrong-password")  # the test browser fails at the IdP: no callback
        try:
            runs = self.browser_runs()
            self.start_async("signin", "sign_in", {}, None)
            wait_for("the test browser to run", lambda: self.browser_runs() > runs)
            ignored = app_log().count("ignoring a link that is not the pending sign-in's callback")
            subprocess.run([self.kura.app, forged], env=os.environ, timeout=30, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for("the app to log the forged link as ignored",
                     lambda: app_log().count("ignoring a link that is not the pending sign-in's callback") > ignored)
            if "forged-code" in app_log():
                raise Failed("the app logged the forged callback's query")
            time.sleep(1.0)
            slot = self.poll("signin")
            if slot["result"] is not None or slot["error"] is not None:
                raise Failed(f"the forged callback ended the pending sign-in: {slot}")
            self.kura.invoke("cancel_sign_in")
            wait_for("the sign-in to end cancelled", lambda: (self.poll("signin")["error"] or {}).get("code") == "auth.cancelled")
        finally:
            set_test_user("alice", "alice-password")
        view, _ = self.kura.invoke("session_status")
        if not view or not view["sub"].startswith("auth0|alice"):
            raise Failed(f"the session changed: {view}")

    def step_attack_navigation(self):
        """Injected script: window.location to another origin or a file, and window.open → refused; the page stays."""
        driver = self.kura.driver
        home = driver.execute_script("return location.href;")
        windows = len(driver.window_handles)
        refusals = app_log().count("refused a navigation away from the app")
        for url in ("http://127.0.0.1:9400/.well-known/openid-configuration", "file:///etc/passwd", "https://example.com/"):
            driver.execute_script("setTimeout(() => { window.location.href = arguments[0]; }, 0);", url)
            time.sleep(1.5)
            now = driver.execute_script("return location.href;")
            if now != home:
                raise Failed(f"the page navigated to {now} (set {url})")
        driver.execute_script("window.open('http://127.0.0.1:9400/', '_blank');")
        time.sleep(1.5)
        if len(driver.window_handles) != windows:
            raise Failed(f"window.open opened a window: {driver.window_handles}")
        # The http(s) ones reach the navigation handler (WebKit itself blocks file: from the app's
        # origin, and window.open without a user gesture) and are logged.
        if app_log().count("refused a navigation away from the app") < refusals + 2:
            raise Failed("the navigation handler did not log the refusals")
        # Still the app, still working.
        self.kura.wait_css('[data-testid="file-list"]')
        if not driver.execute_script("return !!window.__TAURI_INTERNALS__;"):
            raise Failed("the app's page is gone")
        self.session_prefix()
