#!/usr/bin/env python3
"""Whole-process timing of `selaras check --pairs` against its floor (issue #15) and of QA's
cost in `check` (issue #12), best of N runs each, all in the same run of this script.

Generates, under --work (default target/check-bench):
  - pairs-<size>.jsonl: the reviewed memory's pairs (translations/memory.tmx) repeated to
    --size-mb with `<n>. ` put before both source and target, so that no two pairs are equal
    (ids `d<n>:<unit>`); with --repeated, pairs-repeated-<size>.jsonl instead: the same pairs
    repeated as they are (ids `r<n>:<unit>`), which `check` QA-checks once each;
  - glossary-10k.tsv: the shipped glossary padded to 10,000 entries with generated two- to
    four-word Indonesian terms built from corpus vocabulary (so many of them occur), each with
    an English rendering built from the words' English counterparts;
  - one config per setting: the shipped glossary or the 10,000-term one, QA on (all checks,
    the lexicon learnt from the reviewed memory) or off (`[qa] checks = []`).
Then times, with /usr/bin/time, `check_floor GLOSSARY PAIRS` (tools/check_floor.rs) and
`selaras check --pairs PAIRS --format jsonl > /dev/null` in each setting, and prints wall,
CPU (user + system) and peak RSS of the fastest run of each, the ratios floor/check (the issue's "× the
floor's speed") and QA on/off.

With `--compare OLD_SELARAS` every `check` is also timed with another binary (say, main's
release build), the two interleaved run by run so that both see the same load, and the QA
overhead and QA's CPU cost per pair are printed for both.

Usage (from the project root):
    cargo build --release && cargo build --release --example check_floor
    python3 tools/check_bench.py [--size-mb 50] [--runs 3] [--only qa] [--repeated] [--compare OLD_SELARAS]
"""

import argparse
import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

ROOT = pathlib.Path(__file__).resolve().parent.parent
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TERMS = 10_000

# Indonesian vocabulary of the corpus and an English counterpart, for generated terms.
VOCABULARY = [
    ("Komite", "Committee"), ("Dewan", "Council"), ("Badan", "Agency"), ("Kantor", "Office"),
    ("Lembaga", "Institute"), ("Direktorat", "Directorate"), ("Kementerian", "Ministry"),
    ("Komisi", "Commission"), ("Urusan", "Affairs"), ("Hubungan", "Relations"),
    ("Ekonomi", "Economic"), ("Budaya", "Cultural"), ("Pertahanan", "Defence"),
    ("Keamanan", "Security"), ("Nasional", "National"), ("Daerah", "Regional"),
    ("Provinsi", "Provincial"), ("Kota", "City"), ("Pusat", "Central"), ("Tetap", "Standing"),
    ("Khusus", "Special"), ("Umum", "General"), ("Tinggi", "High"), ("Luar", "External"),
    ("Dalam", "Internal"), ("Negeri", "State"), ("Rakyat", "People's"), ("Partai", "Party"),
    ("Negara", "Nation"), ("Pemerintah", "Government"), ("Kerja", "Work"), ("Sama", "Joint"),
    ("Strategis", "Strategic"), ("Komprehensif", "Comprehensive"),
    ("Pembangunan", "Development"), ("Industri", "Industry"), ("Perdagangan", "Trade"),
    ("Investasi", "Investment"), ("Teknologi", "Technology"), ("Sains", "Science"),
    ("Digital", "Digital"),
]


def memory_pairs():
    root = ElementTree.parse(ROOT / "translations" / "memory.tmx").getroot()
    pairs = []
    for unit in root.iter("tu"):
        texts = {}
        for variant in unit.iter("tuv"):
            texts[variant.get(LANG)] = "".join(variant.find("seg").itertext())
        if texts.get("id") and texts.get("en"):
            pairs.append((texts["id"], texts["en"]))
    return pairs


def write_pairs(path, size_bytes, repeated=False):
    """The distinct-pairs file; with `repeated`, the reviewed memory's pairs repeated as they
    are (ids `r<n>:<unit>`), which `check` QA-checks once per distinct pair."""
    pairs = memory_pairs()
    written = 0
    number = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size_bytes:
            for unit, (source, target) in enumerate(pairs):
                number += 1
                record = {"id": f"d{number}:{unit}", "source": f"{number}. {source}",
                          "target": f"{number}. {target}"}
                if repeated:
                    record = {"id": f"r{number // len(pairs) + 1}:{unit}", "source": source,
                              "target": target}
                line = json.dumps(
                    record,
                    ensure_ascii=False,
                ) + "\n"
                written += len(line.encode("utf-8"))
                out.write(line)
    return number


def write_glossary(path):
    shipped = (ROOT / "glossary" / "official-titles.tsv").read_text(encoding="utf-8")
    lines = shipped.rstrip("\n").split("\n")
    header_seen = False
    known = set()
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        if not header_seen:
            header_seen = True
            continue
        known.add(" ".join(line.split("\t")[0].lower().split()))
    entries = sum(1 for line in lines if line.strip() and not line.startswith("#")) - 1
    state = 0x9E3779B97F4A7C15
    mask = (1 << 64) - 1

    def next_random():
        nonlocal state
        state ^= (state << 13) & mask
        state ^= state >> 7
        state ^= (state << 17) & mask
        return state

    generated = []
    while entries + len(generated) < TERMS:
        length = 2 + next_random() % 3
        words = [VOCABULARY[next_random() % len(VOCABULARY)] for _ in range(length)]
        source = " ".join(word for word, _ in words)
        if source.lower() in known:
            continue
        known.add(source.lower())
        target = " ".join(english for _, english in reversed(words))
        generated.append(f"{source}\t{target} {len(generated)}\torg\t\t\t\tgenerated")
    path.write_text("\n".join(lines + generated) + "\n", encoding="utf-8")


def write_config(path, glossary, qa_on):
    checks = "" if qa_on else "checks = []\n"
    path.write_text(
        "[project]\nsource-lang = \"id\"\ntarget-lang = \"en\"\n"
        f"[translate]\nmemory = [\"{ROOT / 'translations' / 'memory.tmx'}\"]\n"
        f"reviewed-memory = \"{path.parent / 'reviewed.tmx'}\"\n"
        f"[glossary]\nfiles = [\"{glossary}\"]\n"
        f"[qa]\n{checks}",
        encoding="utf-8",
    )


def timed(command, runs, stdout=subprocess.DEVNULL):
    """Wall, CPU (user + system) and peak RSS (MB) of each run, and the fastest run's figures."""
    results = []
    for _ in range(runs):
        completed = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", *command],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
        )
        last = completed.stderr.strip().splitlines()[-1]
        if completed.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stderr}")
        wall, user, system, rss = last.split()
        results.append((float(wall), float(user) + float(system), int(rss) / 1024))
    return min(results), results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--selaras", default=str(ROOT / "target" / "release" / "selaras"))
    parser.add_argument(
        "--floor", default=str(ROOT / "target" / "release" / "examples" / "check_floor")
    )
    parser.add_argument("--work", default=str(ROOT / "target" / "check-bench"))
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", choices=["floor", "qa"], help="only the floor comparison or only QA on/off"
    )
    parser.add_argument(
        "--compare", metavar="OLD_SELARAS",
        help="also time every check with this binary, interleaved with --selaras",
    )
    parser.add_argument(
        "--repeated", action="store_true",
        help="time the reviewed memory's pairs repeated as they are (pairs-repeated-<size>.jsonl) "
        "instead of the distinct pairs",
    )
    arguments = parser.parse_args()
    work = pathlib.Path(arguments.work)
    work.mkdir(parents=True, exist_ok=True)
    kind = "pairs-repeated" if arguments.repeated else "pairs"
    pairs = work / f"{kind}-{arguments.size_mb:g}mb.jsonl"
    if not pairs.exists():
        count = write_pairs(pairs, int(arguments.size_mb * 1_000_000), arguments.repeated)
        print(f"wrote {pairs} ({count} pairs)", file=sys.stderr)
    big = work / "glossary-10k.tsv"
    if not big.exists():
        write_glossary(big)
    shipped = ROOT / "glossary" / "official-titles.tsv"
    configs = {}
    for name, glossary, qa_on in [
        ("shipped-qa-off", shipped, False),
        ("shipped-qa-on", shipped, True),
        ("10k-qa-off", big, False),
        ("10k-qa-on", big, True),
    ]:
        folder = work / name
        folder.mkdir(exist_ok=True)
        write_config(folder / "selaras.toml", glossary, qa_on)
        configs[name] = folder / "selaras.toml"
    size = pairs.stat().st_size / 1e6
    print(f"pairs: {pairs} ({size:.1f} MB); runs: {arguments.runs}, fastest shown")
    print("| what | wall | CPU | peak RSS | all walls |")
    print("| --- | --- | --- | --- | --- |")

    def check(name, binary=None):
        return [binary or arguments.selaras, "--config", str(configs[name]), "check", "--pairs",
                str(pairs), "--format", "jsonl"]

    figures = {}
    plan = []
    if arguments.only != "qa":
        plan.append(("floor (10k glossary)", [arguments.floor, str(big), str(pairs)]))
        plan += [("check 10k-qa-off", check("10k-qa-off")), ("check 10k-qa-on", check("10k-qa-on"))]
    if arguments.only != "floor":
        plan += [("check shipped-qa-off", check("shipped-qa-off")),
                 ("check shipped-qa-on", check("shipped-qa-on"))]
        if arguments.only == "qa":
            plan += [("check 10k-qa-off", check("10k-qa-off")),
                     ("check 10k-qa-on", check("10k-qa-on"))]
    for label, command in plan:
        if arguments.compare and label.startswith("check "):
            # old and new alternate run by run
            old_command = [arguments.compare, *command[1:]]
            runs = {label: [], f"old {label}": []}
            for _ in range(arguments.runs):
                runs[f"old {label}"].append(timed(old_command, 1)[0])
                runs[label].append(timed(command, 1)[0])
            results = [(name, min(every), every) for name, every in runs.items()]
        else:
            best, every = timed(command, arguments.runs)
            results = [(label, best, every)]
        for name, best, every in results:
            figures[name] = best
            walls = ", ".join(f"{wall:.2f}" for wall, _, _ in every)
            print(f"| {name} | {best[0]:.2f} s | {best[1]:.2f} s | {best[2]:.0f} MB | {walls} |")
        sys.stdout.flush()
    floor = figures.get("floor (10k glossary)")
    for name in ["10k-qa-off", "10k-qa-on"]:
        if floor and f"check {name}" in figures:
            check = figures[f"check {name}"]
            print(f"check {name} runs at {floor[0] / check[0]:.2f}x the floor's speed "
                  f"(wall; CPU: {floor[1] / check[1]:.2f}x)")
    count = sum(1 for _ in open(pairs, encoding="utf-8"))
    for prefix in ["", "old "] if arguments.compare else [""]:
        for name in ["shipped", "10k"]:
            on = figures.get(f"{prefix}check {name}-qa-on")
            off = figures.get(f"{prefix}check {name}-qa-off")
            if on and off:
                print(f"{prefix}QA with the {name} glossary adds {100 * (on[0] / off[0] - 1):+.0f}% "
                      f"wall ({100 * (on[1] / off[1] - 1):+.0f}% CPU): "
                      f"{1e6 * (on[1] - off[1]) / count:.1f} µs of CPU a pair ({count} pairs)")


if __name__ == "__main__":
    main()
