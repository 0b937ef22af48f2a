"""Desktop e2e step for a profile whose credentials come from an Amazon Cognito identity pool:
through the setup screen, the Auth0 preset for the local IdP with credentials from the stack's
identity pool (the Cognito Identity stand-in, enhanced flow) and the prefix
`cognito/{identity_id}/`; alice signs in (deep link), the header shows her identity ID's folder,
an upload lands under `cognito/<identity id>/` in S3 (read back with the admin's keys), the
identity ID is remembered in the keychain (`pool:identity`); then back to the previous profile.
Mixed into e2e.Scenario; runs after the location steps, on `local` signed in as alice."""

from __future__ import annotations

import os
import secrets

from selenium.webdriver.support.select import Select

from harness import Failed, wait_for
from setup_steps import LOCAL, config_file, keychain_accounts, set_test_user

POOL = "pool"
POOL_PREFIX = "cognito/{identity_id}/"


class PoolSteps:
    """Needs from the scenario: kura, fill(), tick(), all_text(), open_switcher(), switch_to(),
    active_profile(), expect_user(), session_prefix(), s3_bytes(), aws(), work, bucket, args."""

    def choose(self, testid: str, value: str):
        """Picks an option of a select (by value); WebKit's driver may not fire `change` for a
        Select click, so fall back to setting it from the page like the person's choice would."""
        css = f'[data-testid="{testid}"]'
        el = self.kura.wait_css(css)
        try:
            Select(el).select_by_value(value)
        except Exception:  # noqa: BLE001 - the fallback below sets it either way
            pass
        if self.kura.wait_css(css).get_attribute("value") != value:
            self.kura.driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", el, value)
        wait_for(f"{testid} = {value}", lambda: self.kura.wait_css(css).get_attribute("value") == value, timeout=5)

    def fill_pool_profile(self):
        """The Auth0 preset for the local IdP, credentials from the stack's identity pool."""
        env = os.environ
        self.kura.wait_css('[data-testid="preset-auth0"]').click()
        self.fill("domain", env["KURA_DEVSTACK_ISSUER"].rstrip("/"))  # http://127.0.0.1:9400
        self.fill("client_id", "kura-desktop")
        self.choose("field-credentials", "identity_pool")
        self.fill("identity_pool_id", env["KURA_DEVSTACK_IDENTITY_POOL"])
        # The provider name Rust derives from the issuer is the stack's Logins key.
        provider = env["KURA_DEVSTACK_IDENTITY_PROVIDER"]  # 127.0.0.1:9400
        wait_for(f"the derived provider name {provider}",
                 lambda: self.kura.wait_css('[data-testid="field-identity_provider"]').get_attribute("placeholder") == provider)
        self.fill("identity_provider", provider)
        self.tick("cognito-custom-endpoint")
        self.fill("cognito_endpoint", env["KURA_DEVSTACK_COGNITO_ENDPOINT"])
        prefix = self.kura.wait_css('[data-testid="field-prefix"]').get_attribute("value")
        if prefix != POOL_PREFIX:
            raise Failed(f"choosing an identity pool left the prefix at {prefix!r}")
        self.fill("bucket", env["KURA_DEVSTACK_BUCKET"])
        self.fill("region", "us-east-1")
        self.tick("s3-compatible")
        self.fill("s3_endpoint", env["KURA_DEVSTACK_S3_ENDPOINT"])
        self.fill("sts_endpoint", env["KURA_DEVSTACK_S3_ENDPOINT"])
        self.tick("field-force_path_style")
        self.fill("name", POOL)
        pool_id = wait_for("the identity pool in the admin panel", lambda: self.kura.find('[data-testid="pool-id"]'))
        if pool_id.get_attribute("textContent") != env["KURA_DEVSTACK_IDENTITY_POOL"]:
            raise Failed(f"admin panel shows pool {pool_id.text!r}")
        trust = self.kura.wait_css('[data-testid="trust-policy"]').get_attribute("textContent")
        if "cognito-identity.amazonaws.com:aud" not in trust:
            raise Failed(f"the trust policy is not the identity pool's:\n{trust}")
        perms = self.kura.wait_css('[data-testid="permission-policy"]').get_attribute("textContent")
        if "cognito/${cognito-identity.amazonaws.com:sub}/" not in perms:
            raise Failed(f"the permission policy does not confine users to their identity ID:\n{perms}")
        self.kura.screenshot(self.args.screenshots, "desktop-setup-pool")

    def step_identity_pool(self):
        """Identity pool profile: set up, sign in, header shows cognito/<identity id>/, upload lands there."""
        previous = self.active_profile()
        self.open_switcher()
        add = self.kura.find('[data-testid="add-connection"]')
        if not add:
            self.kura.wait_css('[data-testid="manage-connections"]').click()
            add = self.kura.wait_css('[data-testid="add-connection"]')
        add.click()
        self.fill_pool_profile()
        self.kura.wait_css('[data-testid="save-profile"]').click()
        wait_for("pool to be active", lambda: self.active_profile() == POOL)
        text = config_file().read_text()
        section = text.split(f"[profiles.{POOL}]", 1)[1].split("\n[", 1)[0]
        for want in (f'identity_pool_id = "{os.environ["KURA_DEVSTACK_IDENTITY_POOL"]}"',
                     f'cognito_endpoint = "{os.environ["KURA_DEVSTACK_COGNITO_ENDPOINT"]}"',
                     f'prefix = "{POOL_PREFIX}"'):
            if want not in section:
                raise Failed(f"{want!r} missing from [profiles.{POOL}]:\n{section}")
        if "role_arn" in section:
            raise Failed(f"the enhanced flow saved a role_arn:\n{section}")

        # Sign in as alice through the deep link; credentials come from the pool.
        set_test_user("alice", "alice-password")
        self.kura.wait_css('[data-testid="sign-in"]').click()
        self.kura.wait_css('[data-testid="file-list"]', timeout=60)
        identity = wait_for("the identity", lambda: (e := self.kura.wait_css('[data-testid="identity"]')) and e.text and e)
        if "alice" not in identity.text:
            raise Failed(f"identity shows {identity.text!r}, expected alice")
        prefix = self.session_prefix()
        if not (prefix.startswith("cognito/us-east-1:") and prefix.endswith("/")):
            raise Failed(f"session prefix {prefix!r}, expected cognito/<identity id>/")
        shown = identity.get_attribute("title")
        if shown != f"{self.bucket}/{prefix}":
            raise Failed(f"the header shows {shown!r}, expected {self.bucket}/{prefix}")
        if f"{POOL}:identity" not in keychain_accounts():
            raise Failed(f"the identity ID is not remembered: keychain holds {sorted(keychain_accounts())}")
        self.kura.screenshot(self.args.screenshots, "desktop-pool-files")

        note = self.work / f"pool-{secrets.token_hex(3)}.txt"
        note.write_text("stored with identity pool credentials\n")
        key = prefix + note.name
        try:
            _, events = self.kura.invoke(
                "start_upload", {"handle": self.choose_upload([note]), "dest": ""}, channel="onEvent",
                done_when=("done", "failed", "cancelled"))
            if not events or events[-1]["event"] != "done":
                raise Failed(f"upload with pool credentials did not finish: {events[-3:]}")
            if self.s3_bytes(key) != note.read_bytes():
                raise Failed(f"{key} in S3 differs from the uploaded file")
            self.kura.wait_css('[data-testid="refresh"]').click()
            wait_for(f"{note.name} in the pool profile's list", lambda: self.kura.row(note.name))
        finally:
            self.aws("s3", "rm", "--only-show-errors", f"s3://{self.bucket}/{key}")

        # Back to the profile before: its session, without a new sign-in.
        self.switch_to(previous or LOCAL)
        wait_for("alice's identity", lambda: "alice" in self.kura.wait_css('[data-testid="identity"]').text)
        self.expect_user("alice")
