#!/usr/bin/env python3
"""QA's share of whole runs on a realistic project (issue #12): the shipped project (memory
endpoint: no engine wait, so QA's share is as large as it gets) with its five articles copied
to --articles articles, in a tmpfs. Times, best of 3 by CPU (user + system, from wait4):
`selaras translate` with all QA checks and with `[qa] checks = []`, then `selaras check
--format jsonl` on the run's records, QA on and off. The distinct-pairs worst case is
`tools/check_bench.py`.

    cargo build --release && python3 benches/qa_share.py [--articles 2000] [--work /dev/shm]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translate_scale  # noqa: E402  (the project builder of the scale benchmark)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(binary, arguments, project, trials):
    """Fastest of `trials` runs by CPU: (wall, cpu, peak RSS MiB)."""
    environment = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    best = None
    for _ in range(trials):
        started = time.perf_counter()
        child = subprocess.Popen([binary] + arguments, cwd=project, env=environment,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(arguments)} in {project} exited {os.waitstatus_to_exitcode(status)}")
        figures = (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
        if best is None or figures[1] < best[1]:
            best = figures
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "selaras"))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--work", default="/dev/shm")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(dir=args.work, prefix="qa-share-")
    try:
        template = os.path.join(work, "template")
        text = translate_scale.make_project(template, translate_scale.copied_corpus(args.articles))
        config = open(os.path.join(template, "selaras.toml"), encoding="utf-8").read()
        if "[qa]" in config:
            sys.exit("the shipped selaras.toml has a [qa] table: this script appends its own")
        with open(os.path.join(template, "qa-off.toml"), "w", encoding="utf-8") as out:
            out.write(config + "\n[qa]\nchecks = []\n")
        print(f"{args.articles} articles, {text / 1e6:.1f} MB of text; fastest of {args.trials} by CPU")
        rows = {}
        for label, extra in (("on", []), ("off", ["--config", "qa-off.toml"])):
            best = None
            for trial in range(args.trials):
                project = os.path.join(work, f"translate-{label}-{trial}")
                shutil.copytree(template, project)
                figures = timed(binary, extra + ["translate"], project, 1)
                best = figures if best is None or figures[1] < best[1] else best
                if trial + 1 < args.trials:
                    shutil.rmtree(project)
            rows[("translate", label)] = best
            rows[("check", label)] = timed(binary, extra + ["check", "--format", "jsonl"],
                                           project, args.trials)
        records = sum(os.path.getsize(os.path.join(project, "translations", name))
                      for name in os.listdir(os.path.join(project, "translations"))
                      if name.endswith(".jsonl"))
        print(f"records checked: {records / 1e6:.1f} MB of JSONL")
        for command in ("translate", "check"):
            for label in ("off", "on"):
                wall, cpu, rss = rows[(command, label)]
                print(f"{command:9} QA {label:3}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MiB")
            on, off = rows[(command, "on")], rows[(command, "off")]
            print(f"{command:9} QA adds {100 * (on[1] / off[1] - 1):+.0f}% CPU, "
                  f"{100 * (on[0] / off[0] - 1):+.0f}% wall")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
