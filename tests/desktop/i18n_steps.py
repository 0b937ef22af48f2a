"""Desktop e2e steps for the app's language: started under `LANG=ja_JP.UTF-8` (the other locale
variables unset) the UI is Japanese — strings read from the Japanese catalogue, the item count
as "N 件" — and so is the tray menu (read over D-Bus, tray_steps.py); choosing English in the
header's language menu switches the UI and the tray at once, the shell remembers it
(`language`, the settings file), and after a restart, still under the Japanese locale, the UI
is English. The choice is then reset to the system's.
Mixed into e2e.Scenario; runs on `local` signed in as alice."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from selenium.webdriver.support.select import Select

from harness import Failed, wait_for

CATALOGUES = Path(__file__).resolve().parents[2] / "ui" / "src" / "i18n"
JAPANESE = {"LANG": "ja_JP.UTF-8", "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None}


def catalogue(lang: str, area: str) -> dict:
    return json.loads((CATALOGUES / lang / f"{area}.json").read_text(encoding="utf-8"))


def settings_file() -> Path:
    """The app's own settings (Tauri's app config dir under the e2e's XDG_CONFIG_HOME)."""
    return Path(os.environ["XDG_CONFIG_HOME"]) / "app.kura.desktop" / "settings.json"


class I18nSteps:
    """Needs from the scenario: kura, start_app_on(css, env), args, tray_item(), tray_texts()."""

    def text_of(self, testid: str) -> str:
        return self.kura.wait_css(f'[data-testid="{testid}"]').get_attribute("textContent")

    def start_japanese(self):
        self.kura.quit()
        self.start_app_on('[data-testid="file-list"]', env=JAPANESE)

    def step_japanese_ui(self):
        """Under LANG=ja_JP.UTF-8 the UI is Japanese: toolbar, header, and the count in 件."""
        self.start_japanese()
        files, app = catalogue("ja", "files"), catalogue("ja", "app")
        wait_for("the Japanese toolbar", lambda: self.text_of("upload") == files["toolbar"]["upload"])
        for testid, want in [
            ("new-folder", files["toolbar"]["newFolder"]),
            ("share", files["toolbar"]["share"]),
            ("sign-out", app["header"]["signOut"]),
        ]:
            if self.text_of(testid) != want:
                raise Failed(f"{testid} shows {self.text_of(testid)!r}, expected {want!r}")
        count = self.kura.wait_css('[data-testid="count"]')
        n = int(wait_for("the listing's count", lambda: count.get_attribute("data-count")))
        want = f"{n:,} 件"
        wait_for(f"the count {want!r}", lambda: self.text_of("count") == want)
        if not re.search(r"[ぁ-んァ-ン一-龯]", self.text_of("expiry")):
            raise Failed(f"the expiry is not Japanese: {self.text_of('expiry')!r}")
        lang = self.kura.driver.execute_script("return document.documentElement.lang")
        view, _ = self.kura.invoke("language")
        if lang != "ja" or view != {"language": "ja", "system": "ja", "chosen": None}:
            raise Failed(f"page lang {lang!r}, language {view}")
        tray = catalogue("ja", "native")["tray"]
        wait_for("the Japanese tray menu", lambda: {tray["refresh"], tray["signOut"], tray["quit"]} <= set(self.tray_texts(self.tray_item())))
        self.kura.screenshot(self.args.screenshots, "desktop-japanese")

    def step_switch_to_english(self):
        """Choosing English in the language menu rewords the UI at once and is saved by the shell."""
        Select(self.kura.wait_css('[data-testid="language"]')).select_by_value("en")
        en = catalogue("en", "files")
        wait_for("the English toolbar", lambda: self.text_of("upload") == en["toolbar"]["upload"])
        wait_for("the count in English", lambda: re.fullmatch(r"[\d,]+ items?", self.text_of("count")))
        view, _ = self.kura.invoke("language")
        if view != {"language": "en", "system": "ja", "chosen": "en"}:
            raise Failed(f"language after choosing English: {view}")
        tray = catalogue("en", "native")["tray"]
        wait_for("the tray menu in English", lambda: {tray["refresh"], tray["signOut"], tray["quit"]} <= set(self.tray_texts(self.tray_item())))
        saved = json.loads(settings_file().read_text())
        if saved.get("language") != "en":
            raise Failed(f"the settings file holds {saved}")

    def step_english_remembered(self):
        """After a restart, still under LANG=ja_JP.UTF-8, the UI is English; back to the system's."""
        self.start_japanese()
        wait_for("the English toolbar after a restart", lambda: self.text_of("upload") == "Upload")
        menu = Select(self.kura.wait_css('[data-testid="language"]'))
        if menu.first_selected_option.get_attribute("value") != "en":
            raise Failed("the language menu does not show the remembered English")
        # Follow the system again: Japanese at once, and nothing remembered any more.
        menu.select_by_value("")
        ja = catalogue("ja", "files")
        wait_for("Japanese again", lambda: self.text_of("upload") == ja["toolbar"]["upload"])
        if "language" in json.loads(settings_file().read_text()):
            raise Failed(f"the settings file still holds a language: {settings_file().read_text()}")
        self.kura.quit()
        self.start_app()
