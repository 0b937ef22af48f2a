"""Kura transfer benchmark (run by bench/run, which signs alice in and sets the environment).

Every tool talks to the same local S3 server with alice's same temporary credentials (from
`kura credential-process`). Each measurement is repeated (--runs, default 3) and the median kept.
Throughput ratios are Kura's throughput divided by the peer's (> 1: Kura is faster); the listing
ratio is Kura's time divided by the AWS CLI's (< 1: Kura is faster). Peak RSS comes from GNU time.
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
import time
from pathlib import Path

MIB = 1024 * 1024
BIG = 1024 * MIB
SMALL_COUNT, SMALL_SIZE = 2000, 64 * 1024
LIST_COUNT = 100_000

ENV = os.environ
KURA = ENV["KURA_BIN"]
SCRATCH = Path(ENV["KURA_BENCH_SCRATCH"])
BUCKET = ENV["KURA_DEVSTACK_BUCKET"]
ENDPOINT = ENV["KURA_DEVSTACK_S3_ENDPOINT"]


def sh(cmd: list[str], env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:4])}… failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done


class Tools:
    """Environments for each tool, all with alice's temporary credentials."""

    def __init__(self):
        creds = json.loads(sh([KURA, "credential-process"]).stdout)
        self.prefix = json.loads(sh([KURA, "whoami", "--json"]).stdout)["prefix"]
        base = {k: v for k, v in ENV.items() if not k.startswith("AWS_")}
        self.aws = dict(
            base,
            AWS_ACCESS_KEY_ID=creds["AccessKeyId"],
            AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
            AWS_SESSION_TOKEN=creds["SessionToken"],
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=str(SCRATCH / "aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(SCRATCH / "aws-creds"),
        )
        self.rclone = dict(
            base,
            RCLONE_CONFIG=str(SCRATCH / "rclone.conf"),
            RCLONE_CONFIG_KB_TYPE="s3",
            RCLONE_CONFIG_KB_PROVIDER="Other",
            RCLONE_CONFIG_KB_ACCESS_KEY_ID=creds["AccessKeyId"],
            RCLONE_CONFIG_KB_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
            RCLONE_CONFIG_KB_SESSION_TOKEN=creds["SessionToken"],
            RCLONE_CONFIG_KB_ENDPOINT=ENDPOINT,
            RCLONE_CONFIG_KB_REGION="us-east-1",
            RCLONE_CONFIG_KB_FORCE_PATH_STYLE="true",
            RCLONE_CONFIG_KB_NO_CHECK_BUCKET="true",
        )
        self.admin = dict(
            base,
            AWS_ACCESS_KEY_ID=ENV["KURA_DEVSTACK_ADMIN_ACCESS_KEY"],
            AWS_SECRET_ACCESS_KEY=ENV["KURA_DEVSTACK_ADMIN_SECRET_KEY"],
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=str(SCRATCH / "aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(SCRATCH / "aws-creds"),
        )

    def s3url(self, rel: str) -> str:
        return f"s3://{BUCKET}/{self.prefix}{rel}"

    def rc(self, rel: str) -> str:
        return f"kb:{BUCKET}/{self.prefix}{rel}"

    def remove(self, rel: str):
        """Deletes everything under `rel` (admin keys; not timed)."""
        sh(["aws", "--endpoint-url", ENDPOINT, "s3", "rm", "--recursive", "--only-show-errors", self.s3url(rel)],
           env=self.admin, check=False)


def timed(cmd: list[str], env: dict | None = None, first_line: bool = False) -> tuple[float, float | None, int]:
    """Runs cmd under GNU time; returns (seconds, seconds to the first stdout line, peak RSS KiB)."""
    rss_file = SCRATCH / "rss"
    full = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *cmd]
    t0 = time.monotonic()
    proc = subprocess.Popen(full, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = None
    lines = 0
    for _ in proc.stdout:
        lines += 1
        if first is None:
            first = time.monotonic() - t0
    err = proc.stderr.read().decode(errors="replace")
    rc = proc.wait()
    elapsed = time.monotonic() - t0
    if rc != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:3])}… exited {rc}: {err.strip()[-800:]}")
    rss = int(rss_file.read_text().strip().splitlines()[-1])
    return elapsed, (first if first_line else None), rss


def median_of(runs: int, prepare, cmd_fn) -> dict:
    times, firsts, rss = [], [], []
    for _ in range(runs):
        prepare()
        os.sync()  # no run pays for write-back of earlier runs' (or the server's) dirty pages
        t, f, r = cmd_fn()
        times.append(t)
        rss.append(r)
        if f is not None:
            firsts.append(f)
    out = {"median_s": statistics.median(times), "runs_s": times, "peak_rss_mib": max(rss) / 1024}
    if firsts:
        out["first_page_median_s"] = statistics.median(firsts)
    return out


def make_data() -> tuple[Path, Path, Path]:
    data = SCRATCH / "data"
    big = data / "big.bin"
    small = data / "small"
    listing = data / "list"
    small.mkdir(parents=True)
    listing.mkdir()
    with open(big, "wb") as f:
        for _ in range(BIG // (16 * MIB)):
            f.write(os.urandom(16 * MIB))
    for i in range(SMALL_COUNT):
        (small / f"s{i:05d}.bin").write_bytes(os.urandom(SMALL_SIZE))
    return big, small, listing


def seed_listing(tools: Tools, listing: Path):
    """100,000 one-byte keys under bench/list/ (once per stack; rclone with many transfers)."""
    probe = sh(["aws", "--endpoint-url", ENDPOINT, "s3api", "head-object", "--bucket", BUCKET,
                "--key", f"{tools.prefix}bench/list/d{(LIST_COUNT - 1) // 1000:03d}/k{LIST_COUNT - 1:06d}"],
               env=tools.admin, check=False)
    if probe.returncode == 0:
        return
    print(f"bench: seeding {LIST_COUNT:,} keys for the listing case (once per stack)…", flush=True)
    for i in range(LIST_COUNT):
        d = listing / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            d.mkdir()
        (d / f"k{i:06d}").write_bytes(b"x")
    sh(["rclone", "copy", "--transfers", "64", "--checkers", "64", str(listing), tools.rc("bench/list")], env=tools.rclone)
    shutil.rmtree(listing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="big,small,list")
    parser.add_argument("--kura-variant", action="append", default=[], metavar="FLAGS",
                        help="also time `kura put/get FLAGS` (e.g. \"--part-concurrency 8\"), to choose defaults")
    args = parser.parse_args()
    variants = [v.split() for v in args.kura_variant]
    cases = set(args.only.split(","))
    tools = Tools()
    print("bench: generating data (1 GiB file, 2,000 × 64 KiB files)…", flush=True)
    big, small, listing = make_data()
    out_dir = SCRATCH / "out"
    results: dict[str, dict] = {}

    def fresh_out():
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir()

    def measure(case: str, tool: str, prepare, cmd_fn):
        print(f"  {case:<16} {tool:<8}", end="", flush=True)
        r = median_of(args.runs, prepare, cmd_fn)
        results.setdefault(case, {})[tool] = r
        print(f" {r['median_s']:7.2f} s  (runs {', '.join(f'{t:.2f}' for t in r['runs_s'])})", flush=True)

    if "big" in cases or "small" in cases:
        print("bench: uploading the download sources with kura…", flush=True)
        tools.remove("bench/src/")
        sh([KURA, "put", str(big), str(small), "bench/src/"])

    if "big" in cases:
        for tool, cmd in {
            "kura": lambda: timed([KURA, "put", str(big), "bench/up/"]),
            "rclone": lambda: timed(["rclone", "copy", str(big), tools.rc("bench/up")], env=tools.rclone),
            "aws-cli": lambda: timed(["aws", "--endpoint-url", ENDPOINT, "s3", "cp", "--only-show-errors", str(big),
                                      tools.s3url("bench/up/big.bin")], env=tools.aws),
        }.items():
            measure("upload 1 GiB", tool, lambda: tools.remove("bench/up/"), cmd)
        for v in variants:
            measure("upload 1 GiB", f"kura {' '.join(v)}", lambda: tools.remove("bench/up/"),
                    lambda v=v: timed([KURA, "put", *v, str(big), "bench/up/"]))
        url = sh([KURA, "presign", "bench/src/big.bin", "--expires", "3600"]).stdout.strip()
        for tool, cmd in {
            "kura": lambda: timed([KURA, "get", "bench/src/big.bin", str(out_dir)]),
            "rclone": lambda: timed(["rclone", "copy", tools.rc("bench/src/big.bin"), str(out_dir)], env=tools.rclone),
            "aws-cli": lambda: timed(["aws", "--endpoint-url", ENDPOINT, "s3", "cp", "--only-show-errors",
                                      tools.s3url("bench/src/big.bin"), str(out_dir / "big.bin")], env=tools.aws),
            "curl": lambda: timed(["curl", "-fsS", "-o", str(out_dir / "big.bin"), url]),
        }.items():
            measure("download 1 GiB", tool, fresh_out, cmd)
        for v in variants:
            measure("download 1 GiB", f"kura {' '.join(v)}", fresh_out,
                    lambda v=v: timed([KURA, "get", *v, "bench/src/big.bin", str(out_dir)]))

    if "small" in cases:
        for tool, cmd in {
            "kura": lambda: timed([KURA, "put", str(small), "bench/up/"]),
            "rclone": lambda: timed(["rclone", "copy", str(small), tools.rc("bench/up/small")], env=tools.rclone),
            "aws-cli": lambda: timed(["aws", "--endpoint-url", ENDPOINT, "s3", "cp", "--recursive", "--only-show-errors",
                                      str(small), tools.s3url("bench/up/small/")], env=tools.aws),
        }.items():
            measure("upload 2000×64K", tool, lambda: tools.remove("bench/up/"), cmd)
        for v in variants:
            measure("upload 2000×64K", f"kura {' '.join(v)}", lambda: tools.remove("bench/up/"),
                    lambda v=v: timed([KURA, "put", *v, str(small), "bench/up/"]))
        for tool, cmd in {
            "kura": lambda: timed([KURA, "get", "-r", "bench/src/small", str(out_dir)]),
            "rclone": lambda: timed(["rclone", "copy", tools.rc("bench/src/small"), str(out_dir / "small")],
                                    env=tools.rclone),
            "aws-cli": lambda: timed(["aws", "--endpoint-url", ENDPOINT, "s3", "cp", "--recursive", "--only-show-errors",
                                      tools.s3url("bench/src/small/"), str(out_dir / "small")], env=tools.aws),
        }.items():
            measure("download 2000×64K", tool, fresh_out, cmd)
        for v in variants:
            measure("download 2000×64K", f"kura {' '.join(v)}", fresh_out,
                    lambda v=v: timed([KURA, "get", *v, "-r", "bench/src/small", str(out_dir)]))

    if "list" in cases:
        seed_listing(tools, listing)
        for tool, cmd in {
            "kura": lambda: timed([KURA, "ls", "-r", "bench/list/"], first_line=True),
            "aws-cli": lambda: timed(["aws", "--endpoint-url", ENDPOINT, "s3api", "list-objects-v2", "--bucket", BUCKET,
                                      "--prefix", f"{tools.prefix}bench/list/", "--output", "text",
                                      "--query", "Contents[].Key"], env=tools.aws, first_line=True),
        }.items():
            measure("list 100k keys", tool, lambda: None, cmd)
        # The AWS CLI prints nothing before the last page; its first page alone, for reference:
        measure("list first page", "aws-cli", lambda: None, lambda: timed(
            ["aws", "--endpoint-url", ENDPOINT, "s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix",
             f"{tools.prefix}bench/list/", "--max-items", "1000", "--output", "text", "--query", "Contents[].Key"],
            env=tools.aws))

    report(results, args.runs)
    tools.remove("bench/up/")
    return 0


def report(results: dict, runs: int):
    rows = []
    sizes = {"upload 1 GiB": (BIG / MIB, "MiB/s"), "download 1 GiB": (BIG / MIB, "MiB/s"),
             "upload 2000×64K": (SMALL_COUNT, "files/s"), "download 2000×64K": (SMALL_COUNT, "files/s")}
    print(f"\nmedian of {runs} runs, same server, same credentials")
    print(f"{'case':<18} {'tool':<8} {'median':>8} {'rate':>14} {'kura ratio':>11} {'peak RSS':>9}")
    for case, by_tool in results.items():
        kura = by_tool.get("kura")
        for tool, r in by_tool.items():
            amount, unit = sizes.get(case, (None, ""))
            rate = f"{amount / r['median_s']:9.1f} {unit}" if amount else ""
            if amount and kura:
                ratio = (amount / kura["median_s"]) / (amount / r["median_s"])
            elif kura and case.startswith("list"):
                ratio = kura["median_s"] / r["median_s"]
            else:
                ratio = None
            r["kura_ratio"] = ratio
            extra = f"  first line {r['first_page_median_s']:.2f} s" if "first_page_median_s" in r else ""
            ratio_s = f"{ratio:.2f}×" if ratio is not None and tool != "kura" else ""
            print(f"{case:<18} {tool:<8} {r['median_s']:7.2f}s {rate:>14} {ratio_s:>11} {r['peak_rss_mib']:6.0f} MiB{extra}")
            rows.append({"case": case, "tool": tool, **r})
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"{stamp}.json"
    meta = {"when": stamp, "runs": runs, "cpus": os.cpu_count(), "kura": sh([KURA, "--version"]).stdout.strip(),
            "rclone": sh(["rclone", "version"]).stdout.splitlines()[0],
            "aws": sh(["aws", "--version"], check=False).stdout.strip() or sh(["aws", "--version"], check=False).stderr.strip(),
            "note": "throughput ratios: kura / peer (>1 faster); list ratio: kura time / peer time (<1 faster)"}
    path.write_text(json.dumps({"meta": meta, "results": rows}, indent=2))
    print(f"\nwritten {path}")


if __name__ == "__main__":
    sys.exit(main())
