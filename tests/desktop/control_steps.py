"""Desktop e2e steps for transfer control: the conflict question, pause/resume, and an upload
interrupted by a crash (SIGKILL) offered for resume after restart. Mixed into e2e.Scenario."""

import os
import signal
import time

from harness import Failed, app_processes, wait_for

# Starts a command with a channel and keeps its events in window.__e2e[tag] (for steps that
# must act while the transfer runs).
START_JS = r"""
const [tag, cmd, args, channelArg] = arguments;
const T = window.__TAURI_INTERNALS__;
const slot = (window.__e2e ??= {})[tag] = { events: [], result: null, error: null };
const id = T.transformCallback((m) => { if ('message' in m) slot.events.push(m.message); });
if (channelArg) args[channelArg] = `__CHANNEL__:${id}`;
T.invoke(cmd, args).then((r) => { slot.result = r; }, (e) => { slot.error = e; });
"""
POLL_JS = "return (window.__e2e || {})[arguments[0]] || null;"

MIB = 1024 * 1024


class ControlSteps:
    """Needs from the scenario: kura, work, folder, prefix, big, aws(), s3_bytes(), start_app(),
    choose_upload()."""

    def start_async(self, tag: str, cmd: str, args: dict, channel: str = "onEvent"):
        self.kura.driver.execute_script(START_JS, tag, cmd, args, channel)

    def poll(self, tag: str) -> dict:
        return self.kura.driver.execute_script(POLL_JS, tag) or {"events": [], "result": None, "error": None}

    def wait_event(self, tag: str, what: str, probe, timeout: float = 60.0):
        def check():
            slot = self.poll(tag)
            if slot["error"]:
                raise Failed(f"{tag}: {slot['error']}")
            failed = [e for e in slot["events"] if e["event"] == "failed"]
            if failed:
                raise Failed(f"{tag} failed: {failed[0]['error']}")
            return probe(slot["events"])

        return wait_for(what, check, timeout)

    def step_conflict_keep_both(self):
        """Uploading an existing name asks first (conflicts event); keep both adds big (1).bin."""

        self.start_async("dup", "start_upload", {"handle": self.choose_upload([self.big]), "dest": self.folder})
        asked = self.wait_event("dup", "the conflicts event", lambda ev: next((e for e in ev if e["event"] == "conflicts"), None))
        if asked["targets"] != [self.folder + "big.bin"]:
            raise Failed(f"conflicts event lists {asked['targets']}")
        if any(e["event"] == "progress" and e["bytes_done"] > 0 for e in self.poll("dup")["events"]):
            raise Failed("bytes moved before the question was answered")
        answered, _ = self.kura.invoke("answer_conflicts", {"id": asked["id"], "choice": "rename"})
        if answered is not True:
            raise Failed(f"answer_conflicts returned {answered}")
        self.wait_event("dup", "the upload to finish", lambda ev: any(e["event"] == "done" for e in ev))
        if self.s3_bytes(self.prefix + self.folder + "big (1).bin") != self.big.read_bytes():
            raise Failed("big (1).bin differs from the file")
        if self.s3_bytes(self.prefix + self.folder + "big.bin") != self.big.read_bytes():
            raise Failed("the existing big.bin was touched")

    def step_pause_resume_then_crash(self):
        """Pause stops bytes, resume continues; a crash while paused leaves a resumable upload."""

        self.huge = self.work / "upload" / "huge.bin"
        with open(self.huge, "wb") as f:
            for _ in range(40):
                f.write(os.urandom(8 * MIB))
        self.start_async("huge", "start_upload", {"handle": self.choose_upload([self.huge]), "dest": self.folder})
        first = self.wait_event("huge", "first progress", lambda ev: next((e for e in ev if e["event"] == "progress" and e["bytes_done"] > 0), None))
        tid = first["id"]

        def pause_and_settle() -> int:
            paused, _ = self.kura.invoke("pause_transfer", {"id": tid})
            if paused is not True:
                raise Failed(f"pause_transfer returned {paused} (the upload may have finished)")
            self.wait_event("huge", "the paused event", lambda ev: any(e["event"] == "paused" for e in ev))
            time.sleep(2.0)  # parts in flight finish
            settled = self.done_bytes()
            time.sleep(2.0)
            if self.done_bytes() != settled:
                raise Failed("bytes kept moving while paused")
            if settled >= 320 * MIB:
                raise Failed("the whole file was sent before the pause took effect")
            return settled

        at = pause_and_settle()
        resumed, _ = self.kura.invoke("resume_transfer", {"id": tid})
        if resumed is not True:
            raise Failed(f"resume_transfer returned {resumed}")
        self.wait_event("huge", "progress after resume", lambda ev: any(e["event"] == "resumed" for e in ev) and self.done_bytes() > at)
        pause_and_settle()

        # Crash: SIGKILL every app process (no chance to abort the multipart upload).
        for pid in app_processes(self.kura.app):
            os.kill(pid, signal.SIGKILL)
        wait_for("the app to die", lambda: not app_processes(self.kura.app), timeout=10)
        self.kura.quit()

    def done_bytes(self) -> int:
        progress = [e for e in self.poll("huge")["events"] if e["event"] == "progress"]
        return progress[-1]["bytes_done"] if progress else 0

    def step_resume_after_crash(self):
        """After restart the interrupted upload is offered; Resume completes it byte-identical."""

        self.start_app()
        self.kura.wait_css('[data-testid="file-list"]')
        item = self.kura.wait_css('[data-testid="unfinished-item"]')
        # textContent: WebKitWebDriver leaves ellipsised (overflow: hidden) text out of .text.
        shown = item.get_attribute("textContent")
        if "huge.bin" not in shown or "of 320 MiB sent" not in shown:
            raise Failed(f"unfinished upload shows {shown!r}")
        item.find_element("css selector", '[data-testid="unfinished-resume"]').click()

        def finished():
            row = self.kura.find('[data-testid="transfer"]')
            state = row.get_attribute("data-state") if row else None
            if state in ("failed", "cancelled"):
                raise Failed(f"the resumed upload ended {state}: {row.text}")
            return state == "done"

        wait_for("the resumed upload to finish", finished, timeout=60)
        if self.s3_bytes(self.prefix + self.folder + "huge.bin") != self.huge.read_bytes():
            raise Failed("the resumed huge.bin differs from the file")
        listed, _ = self.kura.invoke("unfinished_uploads")
        if listed:
            raise Failed(f"still listed as unfinished: {listed}")
