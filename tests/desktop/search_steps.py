"""Desktop e2e steps for search and preview, driven through the UI like a person would (the
search box, the keyboard): files the test uploads are found from the root, a folder is opened
from the results, and a text file and a PNG are previewed with the bytes the app fetched from S3.
Mixed into e2e.Scenario; runs after the download step, with the test's folder shown, and leaves
it shown."""

from __future__ import annotations

import secrets
import struct
import zlib

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from harness import Failed, wait_for

# Resolves after two animation frames: what the DOM shows has been painted (for screenshots).
PAINTED_JS = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"

# The preview's <img>: loaded, and its decoded width (0 when the bytes did not decode).
IMAGE_JS = r"""
const img = document.querySelector('[data-testid="preview-image"]');
return img && img.complete ? { width: img.naturalWidth, height: img.naturalHeight, src: img.src } : null;
"""


def png(width: int, height: int) -> bytes:
    """A real PNG (RGB gradient), written with zlib only (PNG spec §5, §11)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 160)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class SearchSteps:
    """Needs from the scenario: kura, work, folder, args, choose_upload()."""

    def search_hits(self) -> list:
        return [h.get_attribute("data-path") for h in self.kura.driver.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]')]

    def step_search(self):
        """Search: the box (Ctrl+F) finds uploaded files and their folder from the root, each with its folder; Stop is gone when done."""
        self.token = f"findme-{secrets.token_hex(3)}"
        src = self.work / "search"
        src.mkdir()
        self.found_dir = f"{self.folder}{self.token}-dir/"
        self.note_text = f"Kura preview test {self.token}\nzweite Zeile: grüße\n"
        (src / f"{self.token}-dir").mkdir()
        (src / f"{self.token}-dir" / f"{self.token}-notes.txt").write_text(self.note_text)
        (src / f"{self.token}-dir" / f"{self.token}-pixel.png").write_bytes(png(40, 24))
        _, events = self.kura.invoke(
            "start_upload",
            {"handle": self.choose_upload([src / f"{self.token}-dir"], "pick_upload_folder"), "dest": self.folder},
            channel="onEvent",
            done_when=("done", "failed", "cancelled"),
        )
        if not events or events[-1]["event"] != "done":
            raise Failed(f"uploading the search fixtures did not finish: {events[-3:]}")

        # From the root: everything below it is searched.
        self.kura.wait_css('.crumb[data-path=""]').click()
        wait_for("the root listing", lambda: self.kura.row(self.folder))
        ActionChains(self.kura.driver).key_down(Keys.CONTROL).send_keys("f").key_up(Keys.CONTROL).perform()
        box = self.kura.wait_css('[data-testid="search"]')
        if self.kura.driver.switch_to.active_element != box or box.get_attribute("type") != "search":
            raise Failed("Ctrl+F did not focus the search box (an input type=search)")
        box.send_keys(self.token.upper(), Keys.ENTER)
        done = wait_for("the search to finish", lambda: self.kura.find('[data-testid="search-results"][data-status="done"]'))
        want = [self.found_dir, f"{self.found_dir}{self.token}-notes.txt", f"{self.found_dir}{self.token}-pixel.png"]
        if self.search_hits() != want:
            raise Failed(f"search for {self.token.upper()} found {self.search_hits()}, not {want}")
        count = self.kura.find('[data-testid="search-count"]')
        if count.get_attribute("data-found") != "3" or not count.text.startswith("3 found"):
            raise Failed(f"the count says {count.text!r}")
        self.kura.screenshot(self.args.screenshots, "search")
        folders = [
            e.get_attribute("textContent")
            for e in done.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"] .col-folder')
        ]
        if folders != [self.folder.rstrip("/"), self.found_dir.rstrip("/"), self.found_dir.rstrip("/")]:
            raise Failed(f"the results' folders are {folders}")
        if self.kura.find('[data-testid="search-stop"]'):
            raise Failed("Stop is still offered after the search finished")

    def step_search_open_folder(self):
        """Search results: Enter on a folder opens it; the list shows its files."""
        self.kura.find(f'[data-testid="search-hit"][data-path="{self.found_dir}"]').click()
        ActionChains(self.kura.driver).send_keys(Keys.ENTER).perform()
        wait_for("the folder's files", lambda: self.kura.row(f"{self.found_dir}{self.token}-notes.txt"))
        if self.kura.find('[data-testid="search-results"]'):
            raise Failed("the results are still shown after opening the folder")
        if self.kura.find('[data-testid="search"]').get_attribute("value"):
            raise Failed("the search box was not emptied")

    def step_preview(self):
        """Preview: Space on the text file shows its text; the right arrow shows the PNG (decoded by the webview)."""
        note = f"{self.found_dir}{self.token}-notes.txt"
        self.kura.row(note).click()
        ActionChains(self.kura.driver).send_keys(Keys.SPACE).perform()
        text = wait_for(
            "the text preview",
            lambda: self.kura.find(f'[data-testid="preview"][data-path="{note}"] [data-testid="preview-text"]'),
        )
        if text.get_attribute("textContent") != self.note_text:
            raise Failed(f"the preview shows {text.get_attribute('textContent')!r}")
        if self.kura.find('[data-testid="preview-truncated"]'):
            raise Failed("a small text file is said to be truncated")
        self.kura.driver.execute_async_script(PAINTED_JS)
        self.kura.screenshot(self.args.screenshots, "preview-text")
        ActionChains(self.kura.driver).send_keys(Keys.ARROW_RIGHT).perform()
        image = wait_for("the image preview to load", lambda: self.kura.driver.execute_script(IMAGE_JS))
        if (image["width"], image["height"]) != (40, 24) or not image["src"].startswith("blob:"):
            raise Failed(f"the image preview is {image}")
        self.kura.screenshot(self.args.screenshots, "preview-image")
        pixel = self.kura.find('[data-testid="preview"]').get_attribute("data-path")
        if pixel != f"{self.found_dir}{self.token}-pixel.png":
            raise Failed(f"the right arrow moved to {pixel}")
        ActionChains(self.kura.driver).send_keys(Keys.ESCAPE).perform()
        wait_for("the preview to close", lambda: not self.kura.find('[data-testid="preview"]'))
        # Back to the test's folder, as the later steps expect.
        self.kura.wait_css(f'.crumb[data-path="{self.folder}"]').click()
        wait_for("the test folder's listing", lambda: self.kura.row(self.folder + "big.bin"))
