"""Desktop e2e steps for a profile with several locations: "My files" and the tenant's "Team"
folder (`tenants/{tag:tenant}/shared/`, from the session tag the local IdP puts in alice's and
bob's ID tokens). Mixed into the scenario of e2e.py; runs after the transfer steps."""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
from pathlib import Path

from harness import Failed, wait_for
from setup_steps import config_file, set_test_user

LOCATIONS = """
[[profiles.local.locations]]
name = "My files"
prefix = "users/{sub}/"

[[profiles.local.locations]]
name = "Team"
prefix = "tenants/{tag:tenant}/shared/"
"""


class LocationSteps:
    """Needs from the scenario: kura, start_app(), aws(), s3_bytes(), work, args."""

    def click_location(self, name: str):
        self.kura.wait_css(f'[data-testid="location"][data-name="{name}"]').click()
        wait_for(f"{name} to be shown", lambda: self.kura.find(f'[data-testid="location"][data-name="{name}"][data-active="true"]'))

    def step_team_location(self):
        """Locations: switch to Team in the sidebar, upload there; bob (same tenant) sees it."""
        text = config_file().read_text()
        if "prefix =" in text.split("[profiles.local]", 1)[1].split("\n[", 1)[0]:
            raise Failed("the setup wrote a prefix for local; locations replace it")
        config_file().write_text(text + LOCATIONS)
        self.kura.quit()
        self.start_app()
        self.kura.wait_css('[data-testid="location-sidebar"]')
        self.click_location("Team")
        view, _ = self.kura.invoke("session_status")
        if view["location"] != "Team" or view["prefix"] != "tenants/acme/shared/":
            raise Failed(f"session after switching to Team: {view['location']!r} {view['prefix']!r}")
        note = self.work / f"team-{secrets.token_hex(3)}.txt"
        note.write_text("for the whole acme team\n")
        _, events = self.kura.invoke(
            "start_upload", {"handle": self.choose_upload([note]), "dest": ""}, channel="onEvent",
            done_when=("done", "failed", "cancelled"))
        if not events or events[-1]["event"] != "done":
            raise Failed(f"upload into Team did not finish: {events[-3:]}")
        key = f"tenants/acme/shared/{note.name}"
        if self.s3_bytes(key) != note.read_bytes():
            raise Failed(f"{key} in S3 differs from the uploaded file")
        self.kura.wait_css('[data-testid="refresh"]').click()
        wait_for(f"{note.name} in Team's list", lambda: self.kura.row(note.name))
        # bob, with his own sign-in (the CLI, its own profile and keychain entries), sees it.
        listing = self.bob_lists_team()
        if note.name not in listing:
            raise Failed(f"bob's Team listing lacks {note.name}:\n{listing}")
        self.click_location("My files")
        wait_for("welcome.txt back in My files", lambda: self.kura.row("welcome.txt"))

    def bob_lists_team(self) -> str:
        """`kura --location Team ls` as bob through the CLI (loopback sign-in, test browser)."""
        kura = Path(self.args.app).with_name("kura")
        conf = Path(tempfile.mkdtemp(prefix="kura-e2e-bob.")) / "config.toml"
        text = config_file().read_text().replace("[profiles.local", "[profiles.e2e-bob")
        conf.write_text(text.replace('default_profile = "local"', 'default_profile = "e2e-bob"'))
        env = dict(os.environ, KURA_CONFIG=str(conf), KURA_PROFILE="e2e-bob")
        set_test_user("bob", "bob-password")
        try:
            for args in (["login", "--timeout", "30"], ["--location", "Team", "ls"]):
                done = subprocess.run([str(kura), *args], env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    raise Failed(f"kura {' '.join(args)} as bob: {done.stderr.strip()}")
            return done.stdout
        finally:
            subprocess.run([str(kura), "logout"], env=env, capture_output=True, check=False)
            set_test_user("alice", "alice-password")
