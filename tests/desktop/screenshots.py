"""Takes the README's screenshots of the real Kura app (run by scripts/screenshots.sh).

Under tests/desktop/run.sh's Xvfb + keyring + tauri-driver, against the local stack:
  desktop-sign-in.png          the sign-in screen
  desktop-files-transfer.png   alice's files with an upload in progress (started from the Upload
                               button: the GTK file chooser is driven with xdotool)
  desktop-search.png           a search from the root (Ctrl+F) for "txt": every match with its folder
  desktop-preview.png          the preview of welcome.txt (Space on its row)
  desktop-tray-menu.png        the tray menu (an XEmbed tray, trayer, hosts the icon)
  desktop-japanese.png         the files again, the app started under LANG=ja_JP.UTF-8
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from e2e import Kura  # noqa: E402
from harness import wait_for, window_geometry, xdotool  # noqa: E402
from i18n_steps import JAPANESE  # noqa: E402
from search_steps import PAINTED_JS  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

SIZE = (1100, 720)  # the default window (src-tauri/tauri.conf.json)


def root_shot(path: Path, crop: str | None = None):
    """Captures the X screen (the webview screenshot cannot show the tray menu)."""
    cmd = ["/usr/bin/import", "-window", "root"]
    if crop:
        cmd += ["-crop", crop]
    subprocess.run([*cmd, str(path)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True)
    parser.add_argument("--app", required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "28",
         "--SetDockType", "true", "--transparent", "false", "--tint", "0xdddddd"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    work = Path(tempfile.mkdtemp(prefix="kura-shots."))
    kura = None
    try:
        time.sleep(0.5)
        kura = Kura(args.driver, args.app)
        kura.driver.set_window_size(*SIZE)
        button = kura.wait_css('[data-testid="sign-in"]')
        time.sleep(0.5)
        kura.screenshot(args.out, "desktop-sign-in")
        print("desktop-sign-in.png")

        button.click()
        wait_for("welcome.txt", lambda: kura.row("welcome.txt"), 60)

        # Search from the root: Ctrl+F, a pattern, Enter; the results stream in with their folders.
        ActionChains(kura.driver).key_down(Keys.CONTROL).send_keys("f").key_up(Keys.CONTROL).perform()
        kura.wait_css('[data-testid="search"]').send_keys("txt", Keys.ENTER)
        wait_for("the search to finish", lambda: kura.find('[data-testid="search-results"][data-status="done"]'), 30)
        time.sleep(0.5)
        kura.screenshot(args.out, "desktop-search")
        print("desktop-search.png")
        ActionChains(kura.driver).send_keys(Keys.ESCAPE).perform()
        wait_for("the folder view", lambda: not kura.find('[data-testid="search-results"]'), 10)

        # Preview: Space on welcome.txt shows its text, fetched by Rust, nothing saved.
        kura.row("welcome.txt").click()
        ActionChains(kura.driver).send_keys(Keys.SPACE).perform()
        def preview_text():
            text = kura.find('[data-testid="preview"] [data-testid="preview-text"]')
            return text and "Welcome" in (text.get_attribute("textContent") or "")

        wait_for("the text preview", preview_text, 30)
        kura.driver.execute_async_script(PAINTED_JS)
        time.sleep(0.5)
        kura.screenshot(args.out, "desktop-preview")
        print("desktop-preview.png")
        ActionChains(kura.driver).send_keys(Keys.ESCAPE).perform()
        wait_for("the preview to close", lambda: not kura.find('[data-testid="preview"]'), 10)

        # An upload big enough to be caught in progress, started from the UI's own Upload button.
        big = work / "Quarterly backup.tar"
        with open(big, "wb") as f:
            for _ in range(48):
                f.write(os.urandom(16 * 1024 * 1024))
        kura.wait_css('[data-testid="upload"]').click()
        dialog = wait_for("the file chooser", lambda: xdotool("search", "--onlyvisible", "--name", "Upload", check=False))
        win = dialog.splitlines()[-1]
        xdotool("windowfocus", "--sync", win)
        xdotool("key", "--window", win, "ctrl+l")
        time.sleep(0.3)
        xdotool("type", "--window", win, "--delay", "5", str(big))
        time.sleep(0.3)
        xdotool("key", "--window", win, "Return")
        # Shown once bytes have moved (a row at 0 % and 0.0 MiB/s looks stuck).
        wait_for("a running transfer past its first part", lambda: (p := kura.find(
            '[data-testid="transfer"][data-state="running"] [data-testid="transfer-percent"]')) and p.text.strip() not in ("", "0%"), 20)
        time.sleep(0.6)
        kura.screenshot(args.out, "desktop-files-transfer")
        print("desktop-files-transfer.png")
        wait_for("the upload to finish", lambda: kura.find('[data-testid="transfer"][data-state="done"]'), 120)

        # The tray menu: click the icon in trayer's panel and capture the screen.
        panel = xdotool("search", "--class", "trayer").splitlines()[-1]
        x, y, w, h = window_geometry(panel)
        xdotool("mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
        time.sleep(1.0)
        # The panel sits at the top right: keep that corner with the menu and the window's edge.
        root_shot(args.out / "desktop-tray-menu.png", crop=f"640x300+{x + w - 640}+0")
        print("desktop-tray-menu.png")
        xdotool("key", "Escape", check=False)

        # The same files in Japanese: the app started under LANG=ja_JP.UTF-8.
        kura.quit()
        kura = Kura(args.driver, args.app, env=JAPANESE)
        kura.driver.set_window_size(*SIZE)
        wait_for("the Japanese file list", lambda: kura.row("welcome.txt") and kura.find('[data-testid="count"]').text.endswith("件"), 60)
        time.sleep(0.5)
        kura.screenshot(args.out, "desktop-japanese")
        print("desktop-japanese.png")
    finally:
        if kura:
            kura.quit()
        tray.terminate()
        for p in work.iterdir():
            p.unlink()
        work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
