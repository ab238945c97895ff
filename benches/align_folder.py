#!/usr/bin/env python3
"""Times `selaras align SRC_DIR EN_DIR` on a folder of 100 article pairs, whole process, best
of 3, against two floors in the same run: `--no-lexicon` (lengths and anchors only) and
`selaras segment` of the same 200 files (reading and segmenting, no alignment).

The 100 pairs are the four articles with English test versions in tests/data/align/ (000, 001,
002, 003), 25 copies each under distinct stems (the English as `<stem>.en.txt`), in a copy of the shipped project (its memory
teaches the lexicon). The first timed run learns the lexicon and writes its cache; the runs
after it read the cache, as every run after the first does.

    cargo build --release && python3 benches/align_folder.py [target/release/selaras]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTICLES = [
    "000_979649cfeebf31a2",
    "001_84540dff08f2d4bc",
    "002_5f2940f005814b39",
    "003_5e0967db1d361350",
]
COPIES = 25


def best_of(command, cwd, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                             else os.path.join(ROOT, "target/release/selaras"))
    with tempfile.TemporaryDirectory() as project:
        for name in ["selaras.toml", "glossary", "translations"]:
            source = os.path.join(ROOT, name)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(project, name))
            else:
                shutil.copy(source, project)
        os.mkdir(os.path.join(project, "src"))
        os.mkdir(os.path.join(project, "en"))
        for copy in range(1, COPIES + 1):
            for article in ARTICLES:
                shutil.copy(os.path.join(ROOT, "source_texts", article + ".txt"),
                            os.path.join(project, "src", f"{article}_{copy}.txt"))
                shutil.copy(os.path.join(ROOT, "tests/data/align", article + ".en.txt"),
                            os.path.join(project, "en", f"{article}_{copy}.en.txt"))
        pairs = COPIES * len(ARTICLES)
        full = best_of([binary, "align", "src", "en", "--out", "out"], project)
        no_lexicon = best_of([binary, "align", "src", "en", "--out", "out", "--no-lexicon"],
                             project)
        segment = best_of([binary, "segment", "src", "en"], project)
        print(f"{pairs} article pairs, best of 3, whole process")
        print(f"align (lengths, anchors, lexicon): {full:.3f} s")
        print(f"align --no-lexicon:                {no_lexicon:.3f} s "
              f"(full / this = {full / no_lexicon:.2f})")
        print(f"segment of the same files:         {segment:.3f} s "
              f"(full / this = {full / segment:.2f})")


if __name__ == "__main__":
    main()
