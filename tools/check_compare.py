#!/usr/bin/env python3
"""Whether two `selaras` binaries give byte-identical `check --pairs` results: standard output,
standard error (the summary) and exit code, with `--format jsonl` and `--format text`, the
shipped and the 10,000-term glossary, QA on and off (the configs `tools/check_bench.py` writes).

Inputs: the QA evaluation pairs (tests/data/qa/pairs.jsonl); a stress file generated here (the
reviewed memory's pairs with targets of other pairs, changed digits, targets equal to their
source, upper-cased pairs, doubled spaces, no-break spaces, curly apostrophes, hyphens and
non-breaking hyphens, consistent and inconsistent repeats, and a pair without target, so that
every glossary and QA check fires); a 10 MB pairs file; and the 50 MB one of check_bench.py.

Usage (from the project root, after `python3 tools/check_bench.py` has written its files):
    python3 tools/check_compare.py OLD/selaras NEW/selaras [--quick]
--quick leaves out the 50 MB file. Exits 1 if any setting differs.
"""

import argparse
import hashlib
import json
import pathlib
import subprocess
import sys

import check_bench

ROOT = pathlib.Path(__file__).resolve().parent.parent


def write_stress(path):
    pairs = check_bench.memory_pairs()
    lines = []

    def add(source, target, pair_id=None):
        record = {"id": pair_id or f"s{len(lines) + 1}", "source": source}
        if target is not None:
            record["target"] = target
        lines.append(json.dumps(record, ensure_ascii=False))

    for round_ in range(30):
        for index, (source, target) in enumerate(pairs):
            kind = (index + round_) % 9
            if kind == 0:
                add(source, target)
            elif kind == 1:
                add(source, pairs[(index * 7 + round_) % len(pairs)][1])
            elif kind == 2:
                add(source, "".join(str((int(c) + 1) % 10) if c.isdigit() else c for c in target))
            elif kind == 3:
                add(source, source)
            elif kind == 4:
                add(source.upper(), target.upper())
            elif kind == 5:
                add(source.replace(" ", "  ").replace("Menteri", "menteri"),
                    target.replace(" ", "\u00a0", 3).replace("'", "\u2019"))
            elif kind == 6:
                add(source.replace(" ", "-", 4), target.replace(" ", "\u2011", 4).lower())
            elif kind == 7:
                add(source, target, f"rep{index}")
            else:
                add(source, target + (" extra" if round_ % 2 else ""), f"inc{index}")
    add("Presiden tanpa terjemahan", None)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(binary, config, pairs, format_):
    completed = subprocess.run(
        [binary, "--config", str(config), "check", "--pairs", str(pairs), "--format", format_],
        capture_output=True,
    )
    digest = lambda data: hashlib.sha256(data).hexdigest()[:12]
    return digest(completed.stdout), digest(completed.stderr), completed.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--work", default=str(ROOT / "target" / "check-bench"))
    parser.add_argument("--quick", action="store_true", help="leave out the 50 MB file")
    arguments = parser.parse_args()
    work = pathlib.Path(arguments.work)
    big = work / "pairs-50mb.jsonl"
    if not big.exists() or not (work / "10k-qa-on" / "selaras.toml").exists():
        sys.exit(f"{work}: run `python3 tools/check_bench.py` first")
    stress = work / "stress.jsonl"
    write_stress(stress)
    ten = work / "pairs-10mb.jsonl"
    if not ten.exists():
        check_bench.write_pairs(ten, 10_000_000)
    inputs = [ROOT / "tests" / "data" / "qa" / "pairs.jsonl", stress, ten]
    if not arguments.quick:
        inputs.append(big)
    differing = 0
    for pairs in inputs:
        for setting in ["shipped-qa-off", "shipped-qa-on", "10k-qa-off", "10k-qa-on"]:
            config = work / setting / "selaras.toml"
            for format_ in ["jsonl", "text"]:
                old = run(arguments.old, config, pairs, format_)
                new = run(arguments.new, config, pairs, format_)
                same = "same" if old == new else "DIFFERENT"
                differing += old != new
                print(f"{same} {pairs.name} {setting} {format_}: stdout {old[0]} stderr {old[1]} "
                      f"exit {old[2]}" + ("" if old == new else f" | {new}"))
    print(f"{differing} setting(s) differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
