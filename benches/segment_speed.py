#!/usr/bin/env python3
"""Whole-process speed and peak memory of `selaras segment FILE --format jsonl` on 50 MB of text,
against the sentencex crate (tools/sentencex-peer) writing one JSON line per sentence.

The input is the corpus (source_texts/) repeated with variation until it reaches 50 MB: each
pass puts the articles in a new order and rotates every digit, so no two passes are the same
text. Every program reads the same file and writes to /dev/null; each is run `--runs` times,
interleaved, under `/usr/bin/time -v`: the best wall time, the best CPU time (user + system:
steadier on a shared machine) and the peak RSS, the peer in the same run.

Usage (from the project root):
    cargo build --release
    cargo build --release --manifest-path tools/sentencex-peer/Cargo.toml
    python3 benches/segment_speed.py [--baseline OLD_SELARAS] [--check-identical]
"""

import argparse
import hashlib
import pathlib
import random
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET_BYTES = 50 * 1000 * 1000


def build_input(path):
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "source_texts").glob("*.txt"))]
    chunks = []
    size = 0
    repetition = 0
    while size < TARGET_BYTES:
        order = list(range(len(articles)))
        random.Random(repetition).shuffle(order)
        shift = repetition % 10
        for index in order:
            text = articles[index]
            if shift:
                text = re.sub(r"[0-9]", lambda m: str((int(m.group()) + shift) % 10), text)
            if not text.endswith("\n"):
                text += "\n"
            chunk = text.encode("utf-8")
            chunks.append(chunk)
            size += len(chunk)
        repetition += 1
    path.write_bytes(b"".join(chunks))


def measure(command):
    """(wall seconds, CPU seconds (user + system), peak RSS in KiB) of one run, stdout to
    /dev/null."""
    with open("/dev/null", "wb") as null:
        finished = subprocess.run(["/usr/bin/time", "-v", *command], stdout=null,
                                  stderr=subprocess.PIPE, text=True)
    if finished.returncode != 0:
        sys.exit(f"{command[0]} failed:\n{finished.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", finished.stderr)
    hours, minutes, seconds = wall.groups()
    seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", finished.stderr).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", finished.stderr).group(1))
              for kind in ("User", "System"))
    return seconds, cpu, rss


def digest(command):
    output = subprocess.run(command, check=True, capture_output=True).stdout
    return hashlib.sha256(output).hexdigest(), output.count(b"\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--selaras", default=str(ROOT / "target" / "release" / "selaras"))
    parser.add_argument("--baseline", help="another selaras binary to time (and compare)")
    parser.add_argument("--peer", default=str(ROOT / "tools" / "sentencex-peer" / "target"
                                              / "release" / "sentencex-peer"))
    parser.add_argument("--input", default="/tmp/selaras-segment-50mb.txt")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check-identical", action="store_true",
                        help="also check that --selaras and --baseline print the same bytes")
    arguments = parser.parse_args()
    source = pathlib.Path(arguments.input)
    if not source.exists() or source.stat().st_size < TARGET_BYTES:
        build_input(source)
    size = source.stat().st_size
    programs = [("selaras segment --format jsonl",
                 [arguments.selaras, "segment", "--format", "jsonl", str(source)])]
    if arguments.baseline:
        programs.append(("baseline selaras segment --format jsonl",
                         [arguments.baseline, "segment", "--format", "jsonl", str(source)]))
    programs.append(("sentencex peer (id), JSON lines", [arguments.peer, str(source)]))
    results = {}
    for _ in range(arguments.runs):
        # interleaved, so that a busy moment on the machine hits every program alike
        for name, command in programs:
            results.setdefault(name, []).append(measure(command))
    peer = results[programs[-1][0]]
    peer_wall = min(wall for wall, _, _ in peer)
    peer_cpu = min(cpu for _, cpu, _ in peer)
    print(f"input: {source} ({size} bytes), best of {arguments.runs}")
    print("| program | best wall time | MB/s | × sentencex (wall) | best CPU time | "
          "× sentencex (CPU) | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, _ in programs:
        wall = min(wall for wall, _, _ in results[name])
        cpu = min(cpu for _, cpu, _ in results[name])
        rss = max(rss for _, _, rss in results[name])
        print(f"| {name} | {wall:.3f} s | {size / 1e6 / wall:.0f} | {peer_wall / wall:.2f}× "
              f"| {cpu:.3f} s | {peer_cpu / cpu:.2f}× | {rss / 1024:.0f} MiB |")
    if arguments.check_identical and arguments.baseline:
        new = digest(programs[0][1])
        old = digest(programs[1][1])
        print(f"output identical: {new == old} ({new[1]} lines, sha256 {new[0][:16]}…)")
        if new != old:
            sys.exit(1)


if __name__ == "__main__":
    main()
