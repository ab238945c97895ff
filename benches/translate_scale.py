#!/usr/bin/env python3
"""Memory at newsroom scale: whole `selaras translate` processes (the `memory` endpoint, the
shipped project's glossary, QA checks and all seven export formats) over the shipped corpus
copied to 2,000 and 8,000 articles, and over one 50 MB article; wall time (best of 3) and peak
RSS (the largest of the 3, from wait4) of each.

    cargo build --release && python3 benches/translate_scale.py [--binary target/release/selaras]
        [--old OTHER_BINARY] [--trials 3] [--work /dev/shm]

The projects live under --work (default /dev/shm, a tmpfs: the figures are about memory and
CPU, not about the disk's fsync latency, which on a shared machine would drown them). The
peer is the same binary on the smaller corpus: 8,000 articles may take at most 1.3x the
2,000-article peak. With --old, the same runs of another binary are printed beside.
"""

import argparse
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
    """A copy of the shipped project (config, glossary, approved memory) with `sources`."""
    os.makedirs(folder)
    shutil.copy(os.path.join(ROOT, "selaras.toml"), folder)
    shutil.copytree(os.path.join(ROOT, "glossary"), os.path.join(folder, "glossary"))
    os.makedirs(os.path.join(folder, "translations"))
    shutil.copy(os.path.join(ROOT, "translations", "memory.tmx"),
                os.path.join(folder, "translations"))
    texts = os.path.join(folder, "source_texts")
    os.makedirs(texts)
    total = 0
    for stem, text in sources:
        with open(os.path.join(texts, stem + ".txt"), "w", encoding="utf-8") as out:
            out.write(text)
        total += len(text.encode())
    return total


def copied_corpus(count):
    articles = shipped_articles()
    return [(f"c{index // len(articles):05}_{stem}", text)
            for index, (stem, text) in enumerate(articles * (count // len(articles)))]


def one_big_article():
    articles = [text for _, text in shipped_articles()]
    parts, size, index = [], 0, 0
    while size < ARTICLE_MB * 1_000_000:
        text = articles[index % len(articles)].strip() + "\n\n"
        parts.append(text)
        size += len(text.encode())
        index += 1
    text = "".join(parts)
    largest_block = max(len(block.encode()) for block in text.split("\n\n"))
    return [("big", text)], largest_block


def run_once(binary, template, work):
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
    shutil.rmtree(project)
    return elapsed, usage.ru_maxrss / 1024  # MiB


def measure(binary, template, work, trials):
    runs = [run_once(binary, template, work) for _ in range(trials)]
    return min(time for time, _ in runs), max(rss for _, rss in runs)


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
        if args.only != "big":
            cases += [(f"{count} articles", copied_corpus(count), None) for count in (2_000, 8_000)]
        if args.only != "articles":
            big, largest_block = one_big_article()
            cases.append((f"one {ARTICLE_MB} MB article", big, largest_block))
        for label, sources, largest_block in cases:
            template = os.path.join(work, "template-" + label.replace(" ", "-"))
            size = make_project(template, sources)
            for name, binary in binaries:
                wall, rss = measure(binary, template, work, args.trials)
                peaks[(name, label)] = rss
                extra = f", largest block {largest_block / 1000:.0f} kB" if largest_block else ""
                print(f"{name}: {label} ({size / 1e6:.1f} MB of text{extra}): "
                      f"best of {args.trials} {wall:.2f} s, peak RSS {rss:.0f} MiB", flush=True)
            shutil.rmtree(template)
        for name, _ in binaries:
            small, large = peaks.get((name, "2000 articles")), peaks.get((name, "8000 articles"))
            if small and large:
                print(f"{name}: 8,000-article peak / 2,000-article peak = {large / small:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
