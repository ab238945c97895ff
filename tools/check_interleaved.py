#!/usr/bin/env python3
"""`selaras check --pairs` against its floor (issue #15), interleaved: each round runs the floor
and then every binary named once, so that a change in the machine's load falls on all of them
alike; the fastest of the rounds is kept for each (wall, CPU = user + system, peak RSS), and the
ratio floor / check is printed in wall and in CPU.

Uses the files `tools/check_bench.py` generates (run it once first): the 50 MB pairs file, the
10,000-term glossary and its QA-off config under target/check-bench.

Usage (from the project root):
    cargo build --release && cargo build --release --example check_floor
    python3 tools/check_bench.py --only floor --runs 1   # generates the files
    python3 tools/check_interleaved.py [--rounds 5] [--config 10k-qa-off] \
        [--selaras target/release/selaras] [--selaras OTHER/selaras ...]
"""

import argparse
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed(command):
    """Wall, CPU (user + system) and peak RSS (MB) of one run of `command`, stdout discarded."""
    completed = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if completed.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stderr}")
    wall, user, system, rss = completed.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--selaras", action="append", help="a binary to time (repeatable)")
    parser.add_argument(
        "--floor", default=str(ROOT / "target" / "release" / "examples" / "check_floor")
    )
    parser.add_argument("--work", default=str(ROOT / "target" / "check-bench"))
    parser.add_argument("--pairs", default="pairs-50mb.jsonl")
    parser.add_argument("--config", default="10k-qa-off")
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    work = pathlib.Path(arguments.work)
    pairs = work / arguments.pairs
    glossary = work / "glossary-10k.tsv"
    config = work / arguments.config / "selaras.toml"
    for needed in (pairs, glossary, config):
        if not needed.exists():
            sys.exit(f"{needed}: missing; run `python3 tools/check_bench.py` first")
    binaries = arguments.selaras or [str(ROOT / "target" / "release" / "selaras")]
    plan = [("floor", [arguments.floor, str(glossary), str(pairs)])]
    for binary in binaries:
        plan.append((binary, [binary, "--config", str(config), "check", "--pairs", str(pairs),
                              "--format", "jsonl"]))
    runs = {label: [] for label, _ in plan}
    for _ in range(arguments.rounds):
        for label, command in plan:
            runs[label].append(timed(command))
    print(f"pairs: {pairs}; config: {config}; {arguments.rounds} rounds interleaved, fastest shown")
    print("| what | wall | CPU | peak RSS | × the floor (wall / CPU) | all CPU |")
    print("| --- | --- | --- | --- | --- | --- |")
    floor_wall = min(run[0] for run in runs["floor"])
    floor_cpu = min(run[1] for run in runs["floor"])
    for label, _ in plan:
        wall = min(run[0] for run in runs[label])
        cpu = min(run[1] for run in runs[label])
        rss = max(run[2] for run in runs[label])
        ratio = "" if label == "floor" else f"{floor_wall / wall:.2f} / {floor_cpu / cpu:.2f}"
        every = ", ".join(f"{run[1]:.2f}" for run in runs[label])
        print(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {rss:.0f} MB | {ratio} | {every} |")


if __name__ == "__main__":
    main()
