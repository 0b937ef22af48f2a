"""Kura desktop benchmark: a 100,000-entry folder opened in the real app (run by bench/run-desktop,
inside tests/desktop/run.sh's Xvfb + keyring + tauri-driver set-up, against the local stack).

The app signs alice in through the test browser; the CLI (`kura ls`) then uses the same profile and
keychain session. Per run, the page is instrumented (a capturing dblclick listener, a
MutationObserver and a setTimeout(0) probe) and the folder's row is double-clicked:
  first rows   dblclick → the first row of the folder in the DOM        (target < 0.5 s)
  whole folder dblclick → the count shows every entry and loading ends  (target ≤ 1.2 × the CLI)
  longest gap  the longest the page's main thread did not run a task while pages streamed in
               (target < 100 ms: the list stays responsive)
  memory       growth of the app's RSS (app + WebKit processes) over the run (target < 150 MiB)
The CLI's figure is `kura ls FOLDER` to its last line (its first line too), same session, same run.
Medians of --runs; writes bench/results/desktop-<time>.json. Timings mean something for release
builds (bench/run-desktop builds them); --app / --kura point at other binaries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "desktop"))
from e2e import Kura  # noqa: E402
from harness import Failed, app_processes, wait_for  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402

TARGETS = {"first_rows_s": 0.5, "ratio": 1.2, "memory_growth_mib": 150, "longest_gap_ms": 100}

# Instruments the page for one run: t0 at the double-click, the first row of FOLDER, the moment
# the count reads COUNT with loading over, and the longest gap between setTimeout(0) ticks.
PROBE_JS = r"""
const [folder, count] = arguments;
const b = window.__bench = { t0: null, first: null, done: null, gap: 0 };
document.addEventListener('dblclick', () => { if (b.t0 === null) b.t0 = performance.now(); }, { capture: true, once: true });
const check = () => {
  const now = performance.now();
  if (b.t0 === null || b.done !== null) return;
  if (b.first === null && document.querySelector(`[data-testid="row"][data-path^="${CSS.escape(folder)}"]`)) b.first = now;
  const c = document.querySelector('[data-testid="count"]');
  if (c && c.textContent.replace(/\D/g, '') === String(count) && !document.querySelector('[data-testid="loading"]')) {
    b.done = now;
    b.countText = c.textContent.trim();
    observer.disconnect();
  }
};
const observer = new MutationObserver(check);
observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
let last = performance.now();
const tick = () => {
  const now = performance.now();
  if (b.t0 !== null) b.gap = Math.max(b.gap, now - last);
  last = now;
  if (b.done === null) setTimeout(tick, 0);
};
setTimeout(tick, 0);
"""


def run(cmd: list[str], env: dict | None = None) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failed(f"{' '.join(cmd[:4])}… exited {done.returncode}: {done.stderr.strip()[-800:]}")
    return done.stdout


def rss_mib(app: str) -> float:
    """Resident memory of the app and everything it started (WebKit's web and network processes)."""
    pids = set(app_processes(app))
    for pid in list(pids):
        children = Path(f"/proc/{pid}/task/{pid}/children")
        stack = [int(c) for c in children.read_text().split()] if children.exists() else []
        while stack:
            child = stack.pop()
            pids.add(child)
            grand = Path(f"/proc/{child}/task/{child}/children")
            if grand.exists():
                stack += [int(c) for c in grand.read_text().split()]
    total_kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


class Stack:
    """The local stack's S3 with its admin keys (seeding; never timed)."""

    def __init__(self, scratch: Path):
        env = os.environ
        self.bucket = env["KURA_DEVSTACK_BUCKET"]
        self.endpoint = env["KURA_DEVSTACK_S3_ENDPOINT"]
        base = {k: v for k, v in env.items() if not k.startswith("AWS_")}
        key, secret = env["KURA_DEVSTACK_ADMIN_ACCESS_KEY"], env["KURA_DEVSTACK_ADMIN_SECRET_KEY"]
        self.aws = dict(base, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1")
        self.rclone = dict(
            base, RCLONE_CONFIG=str(scratch / "rclone.conf"), RCLONE_CONFIG_KA_TYPE="s3",
            RCLONE_CONFIG_KA_PROVIDER="Other", RCLONE_CONFIG_KA_ACCESS_KEY_ID=key,
            RCLONE_CONFIG_KA_SECRET_ACCESS_KEY=secret, RCLONE_CONFIG_KA_ENDPOINT=self.endpoint,
            RCLONE_CONFIG_KA_REGION="us-east-1", RCLONE_CONFIG_KA_FORCE_PATH_STYLE="true",
            RCLONE_CONFIG_KA_NO_CHECK_BUCKET="true",
        )

    def has(self, key: str) -> bool:
        done = subprocess.run(["aws", "--endpoint-url", self.endpoint, "s3api", "head-object", "--bucket", self.bucket,
                               "--key", key], env=self.aws, capture_output=True, check=False)
        return done.returncode == 0

    def seed(self, prefix: str, count: int, scratch: Path):
        """`count` one-byte keys directly under `prefix` (once per stack: the last key is probed)."""
        if self.has(f"{prefix}k{count - 1:06d}"):
            return
        print(f"bench: seeding {count:,} keys under {prefix} (once per stack)…", flush=True)
        local = scratch / "flat"
        local.mkdir()
        for i in range(count):
            (local / f"k{i:06d}").write_bytes(b"x")
        run(["rclone", "copy", "--transfers", "64", "--checkers", "64", str(local), f"ka:{self.bucket}/{prefix}"],
            env=self.rclone)
        shutil.rmtree(local)


def cli_time(kura: str, folder: str, count: int) -> tuple[float, float]:
    """`kura ls FOLDER`: seconds to its first and its last line; checks it printed every entry."""
    t0 = time.monotonic()
    proc = subprocess.Popen([kura, "ls", folder], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first, lines = None, 0
    for _ in proc.stdout:
        lines += 1
        if first is None:
            first = time.monotonic() - t0
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise Failed(f"kura ls {folder} exited {proc.returncode}: {err.strip()[-400:]}")
    total = time.monotonic() - t0
    if lines < count:
        raise Failed(f"kura ls {folder} printed {lines} lines, expected {count}")
    return first or total, total


def desktop_run(kura: Kura, parent: str, folder: str, count: int) -> dict:
    """One opening of `folder` from its parent's listing, measured in the page."""
    ActionChains(kura.driver).double_click(wait_for("the parent's row", lambda: kura.row(parent))).perform()
    row = wait_for(f"the {folder} row", lambda: kura.row(folder))
    wait_for("the parent's listing to end", lambda: not kura.find('[data-testid="loading"]'))
    time.sleep(1.0)  # let the previous listing's garbage settle before the memory baseline
    before = rss_mib(kura.app)
    kura.driver.execute_script(PROBE_JS, folder, count)
    ActionChains(kura.driver).double_click(row).perform()
    b = wait_for("the whole folder", lambda: (v := kura.driver.execute_script("return window.__bench")) and v["done"] and v,
                 timeout=600)
    after = rss_mib(kura.app)
    return {
        "first_rows_s": (b["first"] - b["t0"]) / 1000,
        "whole_s": (b["done"] - b["t0"]) / 1000,
        "longest_gap_ms": b["gap"],
        "memory_growth_mib": after - before,
        "rss_after_mib": after,
        "count_text": b["countText"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True, help="tauri-driver URL (from tests/desktop/run.sh)")
    parser.add_argument("--app", required=True, help="the kura-desktop binary (from tests/desktop/run.sh)")
    parser.add_argument("--kura", required=True, help="the kura CLI binary")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=100_000, help="entries in the folder")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kura-bench-desktop."))
    folder = f"bench/flat-{args.count}/"
    kura = None
    try:
        kura = Kura(args.driver, args.app)
        kura.wait_css('[data-testid="sign-in"], [data-testid="file-list"]')
        if kura.find('[data-testid="sign-in"]'):
            kura.find('[data-testid="sign-in"]').click()
        wait_for("alice's files", lambda: kura.row("welcome.txt"), 60)
        view, _ = kura.invoke("session_status")
        Stack(scratch).seed(view["prefix"] + folder, args.count, scratch)

        desktop, cli = [], []
        for i in range(args.runs):
            first, total = cli_time(args.kura, folder, args.count)
            cli.append({"first_line_s": first, "whole_s": total})
            # Back to the root, into bench/, then the measured opening of the big folder.
            root = kura.find('[data-testid="breadcrumbs"] button[data-path=""]')
            if root:
                root.click()
            kura.wait_css('[data-testid="refresh"]').click()  # bench/ may be new (seeded just now)
            wait_for("the root listing", lambda: kura.row("welcome.txt"))
            desktop.append(desktop_run(kura, "bench/", folder, args.count))
            d = desktop[-1]
            print(f"  run {i + 1}: desktop first rows {d['first_rows_s']:.2f} s, whole {d['whole_s']:.2f} s, "
                  f"longest gap {d['longest_gap_ms']:.0f} ms, +{d['memory_growth_mib']:.0f} MiB; "
                  f"cli {total:.2f} s", flush=True)
        report(args, folder, desktop, cli)
    finally:
        if kura:
            kura.quit()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(args, folder: str, desktop: list[dict], cli: list[dict]):
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    figures = {
        "first_rows_s": med(desktop, "first_rows_s"),
        "whole_s": med(desktop, "whole_s"),
        "cli_whole_s": med(cli, "whole_s"),
        "cli_first_line_s": med(cli, "first_line_s"),
        "longest_gap_ms": max(r["longest_gap_ms"] for r in desktop),
        "memory_growth_mib": max(r["memory_growth_mib"] for r in desktop),
    }
    figures["ratio"] = figures["whole_s"] / figures["cli_whole_s"]
    verdict = {k: figures[k] < limit if k != "ratio" else figures[k] <= limit for k, limit in TARGETS.items()}
    print(f"\n{args.count:,}-entry folder, median of {args.runs} runs ({desktop[-1]['count_text']!r} shown)")
    print(f"  first rows        {figures['first_rows_s']:6.2f} s    target < {TARGETS['first_rows_s']} s   "
          f"{'ok' if verdict['first_rows_s'] else 'MISSED'}")
    print(f"  whole folder      {figures['whole_s']:6.2f} s    kura ls {figures['cli_whole_s']:.2f} s "
          f"(first line {figures['cli_first_line_s']:.2f} s)")
    print(f"  ratio to the CLI  {figures['ratio']:6.2f}×    target ≤ {TARGETS['ratio']}×   "
          f"{'ok' if verdict['ratio'] else 'MISSED'}")
    print(f"  longest gap       {figures['longest_gap_ms']:6.0f} ms   target < {TARGETS['longest_gap_ms']} ms  "
          f"{'ok' if verdict['longest_gap_ms'] else 'MISSED'}")
    print(f"  memory growth     {figures['memory_growth_mib']:6.0f} MiB  target < {TARGETS['memory_growth_mib']} MiB "
          f"{'ok' if verdict['memory_growth_mib'] else 'MISSED'}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"desktop-{stamp}.json"
    meta = {"when": stamp, "runs": args.runs, "count": args.count, "folder": folder, "cpus": os.cpu_count(),
            "app": args.app, "kura": args.kura, "kura_version": run([args.kura, "--version"]).strip(),
            "targets": TARGETS}
    path.write_text(json.dumps({"meta": meta, "figures": figures, "verdict": verdict, "desktop": desktop, "cli": cli},
                               indent=2))
    print(f"\nwritten {path}")


if __name__ == "__main__":
    sys.exit(main())
