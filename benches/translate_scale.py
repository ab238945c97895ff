#!/usr/bin/env python3
"""Memory at newsroom scale: whole `selaras translate` processes (the `memory` endpoint, the
shipped project's glossary, QA checks and all seven export formats) over the shipped corpus
copied to 2,000 and 8,000 articles, and over one 50 MB article; wall time (best of 3) and peak
RSS (the largest of the 3, from wait4) of each.

    cargo build --release && python3 benches/translate_scale.py [--binary target/release/selaras]
        [--old OTHER_BINARY] [--trials 3] [--work /dev/shm] [--only articles|big]

The projects live under --work (default /dev/shm, a tmpfs: the figures are about memory and
CPU, not about the disk's fsync latency, which on a shared machine would drown them). The
peer is the same binary on the smaller corpus: 8,000 articles may take at most 1.3x the
2,000-article peak; the 50 MB article's peer is the 2,000-article run (`--only big` runs both).
With --old, the same runs of another binary are printed beside, and the files the two binaries
wrote in their last trial of each case must be byte for byte the same (the script fails if not).
"""

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTICLE_MB = 50


def shipped_articles():
    folder = os.path.join(ROOT, "source_texts")
    names = sorted(name for name in os.listdir(folder) if name.endswith(".txt"))
    return [(name[:-4], open(os.path.join(folder, name), encoding="utf-8").read()) for name in names]


def make_project(folder, sources):
    """A copy of the shipped project (config, glossary, approved memory) with `sources`: an
    iterable of (stem, iterable of text pieces), each piece written as it comes, so that this
    process never holds a 50 MB article (a child's peak RSS, as wait4 reports it, may count
    the pages of the process that forked it)."""
    os.makedirs(folder)
    shutil.copy(os.path.join(ROOT, "selaras.toml"), folder)
    shutil.copytree(os.path.join(ROOT, "glossary"), os.path.join(folder, "glossary"))
    os.makedirs(os.path.join(folder, "translations"))
    shutil.copy(os.path.join(ROOT, "translations", "memory.tmx"),
                os.path.join(folder, "translations"))
    texts = os.path.join(folder, "source_texts")
    os.makedirs(texts)
    total = 0
    for stem, pieces in sources:
        with open(os.path.join(texts, stem + ".txt"), "w", encoding="utf-8") as out:
            for piece in pieces:
                out.write(piece)
                total += len(piece.encode())
    return total


def copied_corpus(count):
    articles = shipped_articles()
    return [(f"c{index // len(articles):05}_{stem}", [text])
            for index, (stem, text) in enumerate(articles * (count // len(articles)))]


def one_big_article():
    """The shipped articles concatenated to 50 MB, a piece at a time; and its largest block (a
    non-blank line: what the segmenter and a piecewise run work by)."""
    articles = [text.strip() + "\n\n" for _, text in shipped_articles()]
    largest_block = max(len(line.encode()) for text in articles for line in text.split("\n"))

    def pieces():
        size, index = 0, 0
        while size < ARTICLE_MB * 1_000_000:
            text = articles[index % len(articles)]
            yield text
            size += len(text.encode())
            index += 1
    return [("big", pieces())], largest_block


def run_once(binary, template, work, keep=False):
    project = tempfile.mkdtemp(dir=work, prefix="run-")
    shutil.rmtree(project)
    shutil.copytree(template, project)
    environment = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    started = time.perf_counter()
    with open(os.path.join(project, "stderr.txt"), "w") as errors:
        child = subprocess.Popen([binary, "translate"], cwd=project, env=environment,
                                 stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{binary} exited {code}: " + open(os.path.join(project, "stderr.txt")).read())
    if not keep:
        shutil.rmtree(project)
        project = None
    return elapsed, usage.ru_maxrss / 1024, project  # MiB


def measure(binary, template, work, trials, keep=False):
    """Best wall, largest peak, and (with keep) the project of the last trial."""
    runs = [run_once(binary, template, work, keep and trial == trials - 1)
            for trial in range(trials)]
    return min(run[0] for run in runs), max(run[1] for run in runs), runs[-1][2]


def same_files(first, second):
    """The relative paths of the files that differ between two folders (or exist in one)."""
    def files(root):
        found = {}
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                found[os.path.relpath(path, root)] = path
        return found
    a, b = files(first), files(second)
    differ = sorted(set(a) ^ set(b))
    differ += [name for name in sorted(set(a) & set(b)) if not filecmp.cmp(a[name], b[name], shallow=False)]
    return differ


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/selaras"))
    parser.add_argument("--old")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--work", default="/dev/shm")
    parser.add_argument("--only", choices=["articles", "big"])
    args = parser.parse_args()
    binaries = [("new", os.path.abspath(args.binary))]
    if args.old:
        binaries.append(("old", os.path.abspath(args.old)))
    work = tempfile.mkdtemp(dir=args.work, prefix="selaras-scale-bench-")
    try:
        peaks = {}
        cases = []
        counts = (2_000,) if args.only == "big" else (2_000, 8_000)
        cases += [(f"{count} articles", copied_corpus(count), None) for count in counts]
        if args.only != "articles":
            big, largest_block = one_big_article()
            cases.append((f"one {ARTICLE_MB} MB article", big, largest_block))
        for label, sources, largest_block in cases:
            template = os.path.join(work, "template-" + label.replace(" ", "-"))
            size = make_project(template, sources)
            outputs = []
            for name, binary in binaries:
                wall, rss, project = measure(binary, template, work, args.trials, keep=args.old)
                peaks[(name, label)] = rss
                extra = f", largest block {largest_block / 1000:.1f} kB" if largest_block else ""
                print(f"{name}: {label} ({size / 1e6:.1f} MB of text{extra}): "
                      f"best of {args.trials} {wall:.2f} s, peak RSS {rss:.0f} MiB", flush=True)
                if project:
                    outputs.append(project)
            if len(outputs) == 2:
                differ = same_files(*(os.path.join(project, "translations") for project in outputs))
                if differ:
                    sys.exit(f"{label}: new and old wrote different files: {differ[:10]}")
                print(f"{label}: new and old wrote byte-identical files", flush=True)
            for project in outputs:
                shutil.rmtree(project)
            shutil.rmtree(template)
        for name, _ in binaries:
            small, large = peaks.get((name, "2000 articles")), peaks.get((name, "8000 articles"))
            if small and large:
                print(f"{name}: 8,000-article peak / 2,000-article peak = {large / small:.2f}x")
            big = peaks.get((name, f"one {ARTICLE_MB} MB article"))
            if small and big:
                print(f"{name}: {ARTICLE_MB} MB-article peak / 2,000-article peak = {big / small:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
