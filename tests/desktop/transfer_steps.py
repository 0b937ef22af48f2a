"""Desktop e2e steps for the UI's file actions, driven by clicks and keys like a person: Retry of
a partly failed upload (only the failed file is sent again), Cancel of a running upload (no
multipart upload is left on S3), and rename, share and delete of a file. Mixed into e2e.Scenario;
they run signed in as alice after the transfer control steps.

Every outcome is checked around the app: objects with the stack's admin keys (AWS CLI), the
share link by fetching it over HTTP.

The injected failure is a file that disappears while the upload waits for the conflict
question's answer (it was listed, and cannot be read when its turn comes): unlike `chmod 000`,
this fails also when the test runs as root.
"""

import json
import os
import secrets
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from harness import Failed, wait_for

MIB = 1024 * 1024


class TransferSteps:
    """Needs from the scenario: kura, work, folder, prefix, bucket, aws(), s3_bytes(), answer_dialog()."""

    # ---- helpers ----------------------------------------------------------------------------
    def open_test_folder(self):
        """Shows the test's folder in the list (from wherever the list is), freshly listed."""
        here = self.kura.wait_css('[data-testid="breadcrumbs"] [aria-current="page"]').get_attribute("data-path")
        if here == self.folder:
            self.kura.wait_css('[data-testid="refresh"]').click()
            return
        root = self.kura.wait_css('[data-testid="breadcrumbs"] [data-path=""]')
        if here:
            root.click()
        row = wait_for(f"the {self.folder} row", lambda: self.kura.row(self.folder))
        ActionChains(self.kura.driver).double_click(row).perform()
        wait_for(
            "the test folder's listing",
            lambda: self.kura.find('[data-testid="breadcrumbs"] [aria-current="page"]').get_attribute("data-path") == self.folder,
        )

    def transfer_row(self, label_has: str, states=None):
        """The transfer row whose label contains `label_has` (in one of `states`, when given)."""
        for row in self.kura.driver.find_elements("css selector", '[data-testid="transfer"]'):
            if label_has in row.get_attribute("textContent") and (states is None or row.get_attribute("data-state") in states):
                return row
        return None

    def key_exists(self, rel: str) -> bool:
        out = self.aws("s3api", "list-objects-v2", "--bucket", self.bucket, "--prefix", self.prefix + rel,
                       "--query", "Contents[].Key", "--output", "json")
        return self.prefix + rel in (json.loads(out) or [])

    def put_object(self, rel: str, body: bytes):
        path = self.work / f"put-{secrets.token_hex(4)}"
        path.write_bytes(body)
        self.aws("s3api", "put-object", "--bucket", self.bucket, "--key", self.prefix + rel, "--body", str(path))

    def select_row(self, path: str):
        row = wait_for(f"the {path} row", lambda: self.kura.row(path))
        row.click()
        wait_for(f"{path} selected", lambda: self.kura.row(path).get_attribute("aria-selected") == "true")
        return row

    # ---- steps ------------------------------------------------------------------------------
    def step_retry_after_failure(self):
        """A folder upload where one file cannot be read: the row lists that file; Retry sends only it."""
        src = self.work / "retry-src"
        src.mkdir()
        files = {name: secrets.token_bytes(3000 + i) for i, name in enumerate(("a.txt", "b.txt", "c.txt"))}
        for name, body in files.items():
            (src / name).write_bytes(body)
        base = self.folder + "retry-src/"
        # a.txt exists already: the upload waits for the conflict question before reading anything.
        self.put_object(base + "a.txt", b"older a\n")
        self.open_test_folder()
        self.answer_dialog([src])
        self.kura.wait_css('[data-testid="upload-folder"]').click()
        listed = self.kura.wait_css('[data-testid="conflict-list"]')
        if "retry-src/a.txt" not in listed.get_attribute("textContent"):
            raise Failed(f"the conflict dialog lists {listed.text!r}")
        # Injected failure: b.txt goes away after the batch was listed.
        away = self.work / "b.txt.away"
        os.rename(src / "b.txt", away)
        self.kura.wait_css('[data-testid="conflict-overwrite"]').click()

        row = wait_for("the upload to fail", lambda: self.transfer_row("retry-src", ("failed",)), timeout=60)
        shown = row.get_attribute("textContent")
        if str(self.work) in shown:
            raise Failed(f"the failed row shows a local path: {shown!r}")
        failed = row.find_elements("css selector", '[data-testid="failed-item"]')
        paths = [f.get_attribute("data-path") for f in failed]
        if paths != [base + "b.txt"] or failed[0].get_attribute("data-code") != "local.io":
            raise Failed(f"failed items {paths} ({[f.get_attribute('data-code') for f in failed]}), wanted only {base}b.txt")
        summary = row.find_element("css selector", '[data-testid="transfer-error"]')
        if (summary.get_attribute("data-failed"), summary.get_attribute("data-total")) != ("1", "3"):
            raise Failed(f"the row says {summary.text!r}")
        if self.s3_bytes(self.prefix + base + "a.txt") != files["a.txt"] or self.s3_bytes(self.prefix + base + "c.txt") != files["c.txt"]:
            raise Failed("a.txt and c.txt were not uploaded by the first run")
        if self.key_exists(base + "b.txt"):
            raise Failed("b.txt is on S3 although it could not be read")

        # Marks on what was uploaded: a retry that sent them again would replace them.
        self.put_object(base + "a.txt", b"mark a\n")
        self.put_object(base + "c.txt", b"mark c\n")
        os.rename(away, src / "b.txt")
        failed_id = row.get_attribute("data-id")
        row.find_element("css selector", '[data-testid="transfer-retry"]').click()

        def retried():
            again = self.transfer_row("retry-src")
            if again is None or again.get_attribute("data-id") == failed_id:
                return False
            if again.get_attribute("data-state") in ("failed", "cancelled"):
                raise Failed(f"the retry ended {again.get_attribute('data-state')}: {again.text}")
            return again.get_attribute("data-state") == "done"

        wait_for("the retry to finish", retried, timeout=60)
        if len([r for r in self.kura.driver.find_elements("css selector", '[data-testid="transfer"]')
                if "retry-src" in r.get_attribute("textContent")]) != 1:
            raise Failed("the retry did not take the failed row's place")
        if self.s3_bytes(self.prefix + base + "b.txt") != files["b.txt"]:
            raise Failed("b.txt in S3 differs from the file")
        if self.s3_bytes(self.prefix + base + "a.txt") != b"mark a\n" or self.s3_bytes(self.prefix + base + "c.txt") != b"mark c\n":
            raise Failed("the retry sent files that had not failed")

    def step_cancel_upload(self):
        """Cancel of a running multipart upload: the row says cancelled, no object and no multipart upload is left."""
        big = self.work / "cancel.bin"
        with open(big, "wb") as f:  # 640 MiB: seconds of sending on loopback, time to click Cancel
            for _ in range(80):
                f.write(os.urandom(8 * MIB))
        self.open_test_folder()
        self.answer_dialog([big])
        self.kura.wait_css('[data-testid="upload"]').click()

        def running():
            row = self.transfer_row("cancel.bin")
            if row is None:
                return None
            if row.get_attribute("data-state") == "done":
                raise Failed("the upload finished before it could be cancelled")
            sent = int(row.find_element("css selector", '[role="progressbar"]').get_attribute("aria-valuenow") or 0)
            return row if row.get_attribute("data-state") == "running" and sent > 0 else None

        row = wait_for("the upload to be under way", running, timeout=60)
        row.find_element("css selector", '[data-testid="transfer-cancel"]').click()
        wait_for("the row to say cancelled", lambda: self.transfer_row("cancel.bin", ("cancelled",)))
        key = self.prefix + self.folder + "cancel.bin"

        def no_upload_left():
            out = self.aws("s3api", "list-multipart-uploads", "--bucket", self.bucket, "--prefix", key, "--output", "json")
            return not (json.loads(out or "{}").get("Uploads") or [])

        wait_for("the multipart upload to be aborted", no_upload_left, timeout=30)
        if self.key_exists(self.folder + "cancel.bin"):
            raise Failed("cancel.bin is on S3 although its upload was cancelled")
        listed, _ = self.kura.invoke("unfinished_uploads")
        if listed:
            raise Failed(f"the cancelled upload is offered for resuming: {listed}")

    def step_rename_in_ui(self):
        """F2 on a file, a new name typed, Enter: the list and S3 have the new name only."""
        self.ops_bytes = secrets.token_bytes(4321)
        self.put_object(self.folder + "ops.txt", self.ops_bytes)
        self.open_test_folder()
        self.select_row(self.folder + "ops.txt")
        ActionChains(self.kura.driver).send_keys(Keys.F2).perform()
        field = self.kura.wait_css('[data-testid="prompt-input"]')
        if field.get_attribute("value") != self.folder + "ops.txt":
            raise Failed(f"the rename field starts with {field.get_attribute('value')!r}")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(self.folder + "ops renamed.txt", Keys.ENTER)
        wait_for("the renamed row", lambda: self.kura.row(self.folder + "ops renamed.txt"))
        wait_for("the old row to go", lambda: self.kura.row(self.folder + "ops.txt") is None)
        if self.key_exists(self.folder + "ops.txt"):
            raise Failed("ops.txt is still on S3 after the rename")
        if self.s3_bytes(self.prefix + self.folder + "ops renamed.txt") != self.ops_bytes:
            raise Failed("the renamed object's bytes differ")

    def step_share_in_ui(self):
        """Share link from the toolbar: the link fetches the file's bytes without any credentials."""
        self.select_row(self.folder + "ops renamed.txt")
        self.kura.wait_css('[data-testid="share"]').click()
        url = wait_for("the share link", lambda: (u := self.kura.find('[data-testid="share-url"]')) and u.get_attribute("value"))
        if "X-Amz-Signature=" not in url or "ops%20renamed.txt" not in url:
            raise Failed(f"unexpected share link {url.split('?')[0]!r}")
        if not self.kura.wait_css('[data-testid="share-expiry"]').text.strip():
            raise Failed("the dialog does not say when the link expires")
        with urllib.request.urlopen(url, timeout=20) as answer:
            got = answer.read()
        if got != self.ops_bytes:
            raise Failed(f"the share link returned {len(got)} bytes that differ from the file")
        ActionChains(self.kura.driver).send_keys(Keys.ESCAPE).perform()
        wait_for("the share dialog to close", lambda: self.kura.find('[data-testid="share-dialog"]') is None)

    def step_delete_in_ui(self):
        """Delete key on a file, confirmed: the row goes and the object is gone from S3."""
        self.select_row(self.folder + "ops renamed.txt")
        ActionChains(self.kura.driver).send_keys(Keys.DELETE).perform()
        message = self.kura.wait_css('[data-testid="confirm-message"]').text
        if "ops renamed.txt" not in message:
            raise Failed(f"the confirmation says {message!r}")
        self.kura.wait_css('[data-testid="dialog-confirm"]').click()
        wait_for("the row to go", lambda: self.kura.row(self.folder + "ops renamed.txt") is None)
        if self.key_exists(self.folder + "ops renamed.txt"):
            raise Failed("the deleted object is still on S3")
        if not self.kura.row(self.folder + "big.bin"):
            raise Failed("the delete took other rows with it")
