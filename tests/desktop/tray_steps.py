"""Desktop e2e steps for the tray: its menu read and clicked over D-Bus the way a desktop shell does
(StatusNotifierItem → com.canonical.dbusmenu, status_notifier.py), never through the commands
behind it. Mixed into e2e.Scenario, which starts the StatusNotifierWatcher before the app."""

from __future__ import annotations

import time

from harness import Failed, app_processes, wait_for
from setup_steps import LOCAL, keychain_accounts
from status_notifier import Item, MenuEntry, StatusNotifierWatcher

# The labels src-tauri/src/tray.rs gives the items in the test's locale (dbusmenu carries no
# stable id of a GTK menu item, only what a person sees).
REFRESH = "Refresh credentials"
SIGN_OUT = "Sign out"
NOT_SIGNED_IN = "Not signed in"
SIGNED_IN_AS = "Signed in as "


class TraySteps:
    """Needs from the scenario: kura, status_notifier (a StatusNotifierWatcher started before the
    app), session_status via kura.invoke, sign_in_as()."""

    status_notifier: StatusNotifierWatcher

    def tray_item(self) -> Item:
        """The running app's StatusNotifierItem (registered by one of its processes)."""
        return self.status_notifier.item_of(app_processes(self.kura.app))

    def tray_entry(self, item: Item, label: str) -> MenuEntry:
        entries = self.status_notifier.menu(item)
        found = [e for e in entries if e.visible and e.text == label]
        if len(found) != 1:
            raise Failed(f"tray menu has {len(found)} items {label!r}: {[e.text for e in entries]}")
        return found[0]

    def tray_texts(self, item: Item) -> list[str]:
        return [e.text for e in self.status_notifier.menu(item) if e.visible and e.kind != "separator"]

    def step_tray_refresh(self):
        """Tray menu over D-Bus: it names alice; Refresh credentials moves the expiry in the header and session_status."""
        self.kura.wait_css('[data-testid="file-list"]')
        item = self.tray_item()
        texts = wait_for("the tray to name alice",
                         lambda: (t := self.tray_texts(item)) and any(x.startswith(SIGNED_IN_AS) and "alice" in x for x in t) and t)
        if not any(x.startswith("Credentials expire in") for x in texts):
            raise Failed(f"the tray menu shows no expiry: {texts}")
        refresh = self.tray_entry(item, REFRESH)
        if not refresh.enabled:
            raise Failed("Refresh credentials is disabled while signed in")
        before = self.kura.wait_css('[data-testid="expiry"]').get_attribute("data-expires-at")
        time.sleep(1.2)  # STS expirations have whole-second precision
        self.status_notifier.click(item, refresh)
        after = wait_for(
            "the header's expiry to change",
            lambda: (v := self.kura.find('[data-testid="expiry"]').get_attribute("data-expires-at")) != before and v,
        )
        view, _ = self.kura.invoke("session_status")
        if not (after > before and view and view["credentials_expire_at"] == after):
            raise Failed(f"expiry {before} → {after}; session_status says {view}")

    def step_tray_sign_out(self):
        """Tray Sign out over D-Bus: the sign-in screen, session_status null, the keychain emptied, the menu disabled."""
        if self.kura.find('[data-testid="sign-in"]'):
            self.sign_in_as("alice", "alice-password")
        self.kura.wait_css('[data-testid="file-list"]')
        item = self.tray_item()
        sign_out = wait_for("Sign out to be enabled", lambda: (e := self.tray_entry(item, SIGN_OUT)).enabled and e)
        self.status_notifier.click(item, sign_out)
        self.kura.wait_css('[data-testid="sign-in"]')
        view, _ = self.kura.invoke("session_status")
        if view is not None:
            raise Failed(f"still signed in after the tray's Sign out: {view}")
        left = {LOCAL, f"{LOCAL}:session"} & keychain_accounts()
        if left:
            raise Failed(f"the keychain still holds {sorted(left)} after the tray's Sign out")
        wait_for("the tray to say nobody is signed in", lambda: NOT_SIGNED_IN in self.tray_texts(item))
        for label in (REFRESH, SIGN_OUT):
            if self.tray_entry(item, label).enabled:
                raise Failed(f"{label} is still enabled after signing out")
