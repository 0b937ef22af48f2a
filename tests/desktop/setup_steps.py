"""Desktop e2e steps for first-run setup and several profiles. They run first, on an app started
with no config file ($XDG_CONFIG_HOME is a scratch dir, KURA_CONFIG/KURA_PROFILE unset): the setup
screen, the Auth0 preset filled for the local stack, Check, Save as `local`, sign in as alice; a
second profile `second` signed in as bob; switching back to `local` without signing in again;
removing `second` (its keychain entries are gone, checked with secret-tool). Mixed into
e2e.Scenario; the later steps continue on `local`, signed in as alice.
"""

from __future__ import annotations

import os
import time
import subprocess
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from harness import Failed, wait_for

LOCAL, SECOND = "local", "second"


def config_file() -> Path:
    """The app's default config path: $XDG_CONFIG_HOME/kura/config.toml (Config::default_path)."""
    return Path(os.environ["XDG_CONFIG_HOME"]) / "kura" / "config.toml"


def keychain_accounts() -> set[str]:
    """Accounts Kura holds in the Secret Service, read independently of the app: keyring 3 writes
    items with attributes service=kura, username=<account> (+ target, application). secret-tool
    prints attributes on stderr and secrets on stdout; stdout is discarded unread."""
    done = subprocess.run(
        ["secret-tool", "search", "--all", "service", "kura"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
    )
    prefix = "attribute.username = "
    return {line[len(prefix):].strip() for line in done.stderr.splitlines() if line.startswith(prefix)}


def set_test_user(user: str, password: str):
    """The user devstack/test-browser logs in as next (it re-reads $KURA_TEST_USER_FILE per run)."""
    Path(os.environ["KURA_TEST_USER_FILE"]).write_text(f"{user} {password}\n")


class SetupSteps:
    """Needs from the scenario: kura, start_app_on(), session_prefix()."""

    # ---- helpers ----------------------------------------------------------------------------
    def fill(self, field: str, value: str):
        el = self.kura.wait_css(f'[data-testid="field-{field}"]')
        el.click()
        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(Keys.BACKSPACE)
        if value:
            el.send_keys(value)
        wait_for(f"field {field} = {value!r}", lambda: el.get_attribute("value") == value, timeout=5)

    def tick(self, testid: str, on: bool = True):
        """Sets a checkbox. The form re-renders as validation answers arrive (issue lines appear
        and go, moving the layout), so a click can miss: look again and retry a few times."""
        css = f'[data-testid="{testid}"]'
        for _ in range(4):
            box = self.kura.wait_css(css)
            if box.is_selected() != on:
                self.kura.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
                box.click()
            try:
                wait_for(f"{testid} {'on' if on else 'off'}", lambda: self.kura.wait_css(css).is_selected() == on, timeout=1.5)
                return
            except Failed:
                continue
        raise Failed(f"{testid} would not turn {'on' if on else 'off'}")

    def fill_local_stack(self, name: str):
        """The Auth0 preset with the local stack's values; Check must pass."""
        env = os.environ
        self.kura.wait_css('[data-testid="preset-auth0"]').click()
        self.fill("domain", env["KURA_DEVSTACK_ISSUER"].rstrip("/"))  # http://127.0.0.1:9400
        self.fill("client_id", "kura-desktop")
        self.fill("role_arn", env["KURA_DEVSTACK_ROLE_ARN"])
        self.fill("bucket", env["KURA_DEVSTACK_BUCKET"])
        self.fill("region", "us-east-1")
        self.tick("s3-compatible")
        self.fill("s3_endpoint", env["KURA_DEVSTACK_S3_ENDPOINT"])
        self.fill("sts_endpoint", env["KURA_DEVSTACK_S3_ENDPOINT"])
        self.tick("field-force_path_style")
        self.fill("name", name)
        urls = wait_for("the callback URL to register", lambda: self.kura.find('[data-testid="callback-url"]'))
        if "app.kura.desktop:/callback" not in self.all_text('[data-testid="callback-url"]'):
            raise Failed(f"callback URLs shown: {urls.text!r}")
        self.kura.wait_css('[data-testid="trust-policy"]')
        if "users/" not in self.kura.wait_css('[data-testid="permission-policy"]').get_attribute("textContent"):
            raise Failed("the permission policy shown does not confine users to users/<sub>/")
        self.kura.wait_css('[data-testid="check-provider"]').click()
        result = wait_for("the check result", lambda: self.kura.find('[data-testid="check-result"]'), timeout=20)
        if self.args.screenshots:
            self.kura.driver.execute_script(
                "document.querySelector('[data-testid=\"preset-auth0\"]').scrollIntoView({block: 'start'});")
            time.sleep(0.8)  # WebKit paints the scrolled view a moment later
        self.kura.screenshot(self.args.screenshots, f"desktop-setup-{name}")
        if result.get_attribute("data-passed") != "true":
            codes = [f.get_attribute("data-code") for f in self.kura.driver.find_elements("css selector", '[data-testid="finding"]')]
            raise Failed(f"Check failed: {codes} {result.text!r}")

    def all_text(self, css: str) -> str:
        return " ".join(e.get_attribute("textContent") for e in self.kura.driver.find_elements("css selector", css))

    def open_switcher(self):
        self.kura.wait_css('[data-testid="profile-switcher"]').click()

    def switch_to(self, name: str):
        self.open_switcher()
        self.kura.wait_css(f'[data-testid="profile-option"][data-name="{name}"]').click()
        wait_for(f"{name} to be active", lambda: self.active_profile() == name)

    def active_profile(self) -> str | None:
        view, _ = self.kura.invoke("profiles")
        return view["active"]

    def sign_in_as(self, user: str, password: str):
        set_test_user(user, password)
        self.kura.wait_css('[data-testid="sign-in"]').click()
        self.kura.wait_css('[data-testid="file-list"]', timeout=60)
        label = wait_for("the identity", lambda: (t := self.kura.wait_css('[data-testid="identity"]').text) and t)
        if user not in label:
            raise Failed(f"identity shows {label!r}, expected {user}")
        wait_for("welcome.txt", lambda: self.kura.row("welcome.txt"))

    def expect_user(self, user: str):
        prefix = self.session_prefix()
        if not prefix.startswith(f"users/auth0|{user}"):
            raise Failed(f"session prefix {prefix!r}, expected {user}'s")

    # ---- steps ------------------------------------------------------------------------------
    def step_setup_screen(self):
        """No config file: the app opens on the setup screen."""
        if config_file().exists():
            raise Failed(f"{config_file()} exists before the first run")
        self.start_app_on('[data-testid="setup-screen"]')
        view, _ = self.kura.invoke("profiles")
        if view["active"] is not None or view["profiles"] or view["problem"] is not None:
            raise Failed(f"profiles on first run: {view}")
        if view["config_file"] != str(config_file()):
            raise Failed(f"config file {view['config_file']!r}, expected {config_file()}")

    def step_setup_local(self):
        """Auth0 preset for the local stack, Check passes, Save as local: the file is written."""
        self.fill_local_stack(LOCAL)
        self.kura.wait_css('[data-testid="save-profile"]').click()
        button = self.kura.wait_css('[data-testid="sign-in"]')
        self.kura.screenshot(self.args.screenshots, "desktop-setup-saved")
        if not button.is_displayed():
            raise Failed("the sign-in button is hidden")
        text = config_file().read_text()
        for want in ('[profiles.local]', 'issuer = "http://127.0.0.1:9400/"', 'client_id = "kura-desktop"',
                     'default_profile = "local"'):
            if want not in text:
                raise Failed(f"{want!r} missing from the saved config:\n{text}")
        if self.active_profile() != LOCAL:
            raise Failed("the first saved profile is not active")

    def step_sign_in_local(self):
        """Sign in on local: the test browser logs in as alice and hands over the deep link."""
        self.sign_in_as("alice", "alice-password")
        self.expect_user("alice")
        if {LOCAL, f"{LOCAL}:session"} - keychain_accounts():
            raise Failed(f"keychain holds {sorted(keychain_accounts())} after signing in on local")

    def step_second_profile(self):
        """Add `second` (same provider): it opens on its sign-in screen; sign in as bob: bob's files."""
        self.open_switcher()
        add = self.kura.find('[data-testid="add-connection"]')
        if not add:
            self.kura.wait_css('[data-testid="manage-connections"]').click()
            add = self.kura.wait_css('[data-testid="add-connection"]')
        add.click()
        self.fill_local_stack(SECOND)
        self.kura.wait_css('[data-testid="save-profile"]').click()
        wait_for("second in the list", lambda: SECOND in [p["name"] for p in self.kura.invoke("profiles")[0]["profiles"]])
        # A new connection opens at once on its own sign-in screen; local stays signed in.
        wait_for("second to be active", lambda: self.active_profile() == SECOND)
        self.kura.wait_css('[data-testid="sign-in"]')
        self.sign_in_as("bob", "bob-password")
        self.expect_user("bob")
        if 'default_profile = "second"' not in config_file().read_text():
            raise Failed("switching did not write default_profile")

    def step_switch_back(self):
        """Switch back and forth: each profile's files at once, no new sign-in; both stay signed in."""
        runs_before = self.browser_runs()
        self.switch_to(LOCAL)
        self.kura.wait_css('[data-testid="file-list"]')
        label = wait_for("alice's identity", lambda: "alice" in (t := self.kura.wait_css('[data-testid="identity"]').text) and t)
        wait_for("welcome.txt", lambda: self.kura.row("welcome.txt"))
        self.expect_user("alice")
        if self.browser_runs() != runs_before:
            raise Failed(f"switching back opened the browser again (identity {label!r})")
        view, _ = self.kura.invoke("profiles")
        who = {p["name"]: p["signed_in_as"] for p in view["profiles"]}
        if not (who.get(SECOND) or "").startswith("bob"):
            raise Failed(f"second lost its session when switching: {who}")
        # And once more to second, with the switcher: bob's files, no sign-in either.
        self.switch_to(SECOND)
        wait_for("bob's identity", lambda: "bob" in self.kura.wait_css('[data-testid="identity"]').text)
        self.expect_user("bob")
        self.switch_to(LOCAL)
        wait_for("alice's identity", lambda: "alice" in self.kura.wait_css('[data-testid="identity"]').text)
        if self.browser_runs() != runs_before:
            raise Failed("switching between signed-in profiles opened the browser")

    def step_remove_second(self):
        """Remove second: its keychain entries are gone, local's stay, the app shows local."""
        if {SECOND, f"{SECOND}:session"} - keychain_accounts():
            raise Failed(f"second's keychain entries missing before removal: {sorted(keychain_accounts())}")
        self.open_switcher()
        self.kura.wait_css('[data-testid="manage-connections"]').click()
        row = self.kura.wait_css(f'[data-testid="profile-row"][data-name="{SECOND}"]')
        row.find_element("css selector", '[data-testid="remove-profile"]').click()
        self.kura.wait_css('[data-testid="confirm-remove"]').click()
        # The confirmation replaces the list until remove_profile has answered (sign-out, keychain,
        # then the file): only then is a missing row meaningful.
        wait_for("the removal to finish", lambda: not self.kura.find('[data-testid="confirm-remove"]'))
        wait_for("second to disappear", lambda: not self.kura.find(f'[data-testid="profile-row"][data-name="{SECOND}"]'))
        def second_gone():
            accounts = keychain_accounts()
            return None if accounts & {SECOND, f"{SECOND}:session"} else accounts

        accounts = wait_for("second's keychain entries to go", second_gone)
        if {LOCAL, f"{LOCAL}:session"} - accounts:
            raise Failed(f"local's keychain entries went too: {sorted(accounts)}")
        if "[profiles.second]" in config_file().read_text():
            raise Failed("second is still in the config file")
        view, _ = self.kura.invoke("profiles")
        if view["active"] != LOCAL or [p["name"] for p in view["profiles"]] != [LOCAL]:
            raise Failed(f"profiles after removal: {view}")
        # Close the manage dialog: the files of local are behind it.
        self.kura.wait_css('[data-testid="close-manage"]').click()
        wait_for("the manage dialog to close", lambda: not self.kura.find('[data-testid="manage-dialog"]'))
        self.kura.wait_css('[data-testid="file-list"]')
        self.expect_user("alice")

    def browser_runs(self) -> int:
        """How many times the test browser ran (one log line per run)."""
        try:
            return len(Path(os.environ["KURA_TEST_BROWSER_LOG"]).read_text().splitlines())
        except FileNotFoundError:
            return 0
