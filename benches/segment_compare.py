#!/usr/bin/env python3
"""Boundary F1 and kind accuracy of selaras's segmenter and of general-purpose splitters.

Reads the outlet corpus under tests/data/segment/outlets/{seen,held-out}: each ARTICLE.txt has
a hand-written ARTICLE.expected.tsv, one segment a line, `kind<TAB>text`, the kind in brackets
when the segment is not translated (`[boilerplate]`, `[byline]` for a dateline).

Boundaries are the byte offsets where segments start (white space skipped), over the whole
file: a line start counts, so a splitter fed line by line gets those for free. "Within lines"
leaves the line starts out and counts only the cuts inside a line. Kind accuracy: for each
expected segment, the segment a system puts its first byte in must agree on translatable or
not (general-purpose splitters translate everything). Every system is fed the same text, one
non-blank line at a time.

Usage (from the project root, after `cargo build`):
    python3 benches/segment_compare.py --selaras target/debug/selaras
Splitters that are not installed are skipped and named.
"""

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "segment" / "outlets"
SPACE = b" \t\r\n\xc2\xa0"


def load_expected(txt_path):
    """The expected segments as (start, end, kind, translatable), in byte offsets."""
    source = txt_path.read_bytes()
    segments = []
    cursor = 0
    sidecar = txt_path.with_name(txt_path.name[: -len(".txt")] + ".expected.tsv")
    for number, line in enumerate(sidecar.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        kind, text = line.split("\t", 1)
        translatable = not kind.startswith("[")
        kind = kind.strip("[]")
        needle = text.encode("utf-8")
        at = source.find(needle, cursor)
        if at < 0:
            sys.exit(f"{sidecar}:{number}: segment not found in order in the article: {text!r}")
        segments.append((at, at + len(needle), kind, translatable))
        cursor = at + len(needle)
    return source, segments


def source_lines(source):
    """(start, text) of every non-blank line, byte offsets."""
    position = 0
    for raw in source.split(b"\n"):
        if raw.strip(SPACE):
            yield position, raw.rstrip(b"\r")
        position += len(raw) + 1


def locate(line_start, line, pieces):
    """Byte spans of the splitter's sentences, found in order in the line."""
    spans = []
    cursor = 0
    for piece in pieces:
        needle = piece.strip().encode("utf-8")
        if not needle:
            continue
        at = line.find(needle, cursor)
        if at < 0:
            # a splitter that rewrote white space: anchor on the first word instead
            first = needle.split()[0]
            at = line.find(first, cursor)
            if at < 0:
                continue
            end = at + len(first)
        else:
            end = at + len(needle)
        spans.append((line_start + at, line_start + end, True))
        cursor = end
    return spans


def splitter_spans(split, source):
    spans = []
    for start, line in source_lines(source):
        text = line.decode("utf-8")
        spans.extend(locate(start, line, split(text)))
    return spans


def selaras_spans(binary, paths):
    """(start, end, translatable) per article stem, from `selaras segment --format jsonl`."""
    output = subprocess.run(
        [binary, "segment", "--format", "jsonl", *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in output.splitlines():
        record = json.loads(line)
        found.setdefault(record["article"], []).append(
            (record["start"], record["end"], record["translatable"], record["kind"])
        )
    return found


def line_starts(source):
    starts = set()
    for start, line in source_lines(source):
        starts.add(start + len(line) - len(line.lstrip(SPACE)))
    return starts


def score(articles, predictions):
    """Totals for boundary F1 (all, within lines) and kind agreement."""
    totals = dict(tp=0, fp=0, fn=0, tp_in=0, fp_in=0, fn_in=0, kinds=0, kinds_right=0,
                  exact_right=0, lost=0, leaked=0)
    for stem, (source, expected) in articles.items():
        predicted = predictions.get(stem, [])
        gold = {segment[0] for segment in expected}
        mine = {span[0] for span in predicted}
        firsts = line_starts(source)
        totals["tp"] += len(gold & mine)
        totals["fp"] += len(mine - gold)
        totals["fn"] += len(gold - mine)
        totals["tp_in"] += len((gold & mine) - firsts)
        totals["fp_in"] += len((mine - gold) - firsts)
        totals["fn_in"] += len((gold - mine) - firsts)
        for start, _, kind, translatable in expected:
            covering = next((span for span in predicted if span[0] <= start < span[1]), None)
            got = covering[2] if covering else True
            totals["kinds"] += 1
            totals["kinds_right"] += got == translatable
            if covering and len(covering) > 3:
                totals["exact_right"] += covering[3] == kind and got == translatable
            totals["lost"] += translatable and not got
            totals["leaked"] += (not translatable) and got
    return totals


def f1(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def splitters():
    found = {}
    try:
        import blingfire

        found["blingfire"] = lambda text: blingfire.text_to_sentences(text).split("\n")
    except ImportError:
        print("blingfire not installed: skipped", file=sys.stderr)
    try:
        import pysbd

        # pySBD has no Indonesian rules; English is its default and the closest fit
        segmenter = pysbd.Segmenter(language="en", clean=False)
        found["pySBD (en)"] = segmenter.segment
    except ImportError:
        print("pysbd not installed: skipped", file=sys.stderr)
    try:
        import sentencex

        found["sentencex (id)"] = lambda text: list(sentencex.segment("id", text))
    except ImportError:
        print("sentencex not installed: skipped", file=sys.stderr)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--selaras", default=str(ROOT / "target" / "debug" / "selaras"))
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    arguments = parser.parse_args()
    rows = []
    for part in ("seen", "held-out"):
        paths = sorted((CORPUS / part).glob("*.txt"))
        articles = {path.stem: load_expected(path) for path in paths}
        systems = {"selaras": selaras_spans(arguments.selaras, paths)}
        for name, split in splitters().items():
            systems[name] = {stem: splitter_spans(split, source)
                             for stem, (source, _) in articles.items()}
        for name, predictions in systems.items():
            t = score(articles, predictions)
            rows.append((part, name, len(articles), t["kinds"],
                         f1(t["tp"], t["fp"], t["fn"]), f1(t["tp_in"], t["fp_in"], t["fn_in"]),
                         t["kinds_right"] / t["kinds"],
                         t["exact_right"] / t["kinds"] if name == "selaras" else None,
                         t["lost"], t["leaked"]))
    header = ("part", "system", "articles", "segments", "boundary F1", "F1 within lines",
              "translatable right", "kind right", "translatable lost", "furniture leaked")
    if arguments.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
    else:
        print("\t".join(header))
    for row in rows:
        cells = [f"{cell:.3f}" if isinstance(cell, float) else ("–" if cell is None else str(cell))
                 for cell in row]
        print(("| " + " | ".join(cells) + " |") if arguments.markdown else "\t".join(cells))


if __name__ == "__main__":
    main()
