#!/usr/bin/env python3
"""Engine wait: whole `selaras translate` processes against a DeepL-shaped server that answers
every request after 100 ms, compared with the ideal bound and with a plain Python thread-pool
client (the peer) sending the same batches to the same server in the same run.

The project holds 2,000 distinct sentences plus 200 repeats (spread over 20 articles, the
repeats taken from other articles, so deduplication works across articles); the endpoint sends
batches of 10 with concurrency 4, so 200 requests and an ideal of 200 ÷ 4 × 100 ms = 5.0 s.
Each trial starts from an empty cache and output folder, times the whole process, then reruns
it and asserts the rerun sends zero requests. Best of 3 (`--trials`).

    cargo build --release && python3 benches/translate_engine.py [--binary target/release/selaras]

The server is an asyncio loop on 127.0.0.1 (HTTP/1.1 keep-alive); the peer opens one
keep-alive connection per worker thread. Nothing here talks to anything but that server.
"""

import argparse
import asyncio
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

LATENCY = 0.100
UNIQUE = 2_000
REPEATS = 200
ARTICLES = 20
BATCH = 10
CONCURRENCY = 4
KEY_ENV = "SELARAS_BENCH_DEEPL_KEY"

PLACES = ["Jakarta", "Surabaya", "Medan", "Makassar", "Bandung", "Semarang", "Palembang", "Denpasar"]
SUBJECTS = ["Pemerintah kota", "Dinas kesehatan", "Kepolisian daerah", "Badan pusat statistik",
            "Dewan perwakilan rakyat daerah", "Kementerian perhubungan", "Bank daerah",
            "Panitia pemilihan"]
VERBS = ["mengumumkan program baru", "melaporkan kenaikan anggaran", "meresmikan jembatan",
         "membahas rencana pembangunan", "menyalurkan bantuan sosial", "memeriksa data penduduk",
         "menggelar rapat koordinasi", "menandatangani nota kesepahaman"]


def sentence(index):
    """A distinct Indonesian news sentence: the index is spelled into it."""
    subject = SUBJECTS[index % len(SUBJECTS)]
    verb = VERBS[(index // len(SUBJECTS)) % len(VERBS)]
    place = PLACES[(index // 64) % len(PLACES)]
    return f"{subject} {verb} di {place} untuk {index + 1} warga pada pekan ini."


def make_project(folder):
    sources = os.path.join(folder, "source_texts")
    os.makedirs(sources)
    per_article = UNIQUE // ARTICLES
    repeats_per_article = REPEATS // ARTICLES
    for article in range(ARTICLES):
        lines = [sentence(article * per_article + n) for n in range(per_article)]
        other = (article + 1) % ARTICLES
        lines += [sentence(other * per_article + n) for n in range(repeats_per_article)]
        with open(os.path.join(sources, f"article_{article:03}.txt"), "w", encoding="utf-8") as out:
            out.write("\n\n".join(lines) + "\n")
    return [sentence(index) for index in range(UNIQUE)]


def write_config(folder, port):
    with open(os.path.join(folder, "selaras.toml"), "w", encoding="utf-8") as out:
        out.write(f"""[translate]
endpoint = "bench"
memory = []

[glossary]
files = []

[qa]
checks = []

[endpoints.bench]
kind = "deepl"
url = "http://127.0.0.1:{port}/v2/translate"
api-key-env = "{KEY_ENV}"
batch-size = {BATCH}
concurrency = {CONCURRENCY}
requests-per-second = 10000
""")


class Server:
    """A DeepL-shaped server on an asyncio loop in its own thread: each POST is answered
    after LATENCY with `EN <text>` for every text (HTTP/1.1, keep-alive)."""

    def __init__(self):
        self.requests_served = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _connection(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = json.loads(await reader.readexactly(length))
                self.requests_served += 1
                await asyncio.sleep(LATENCY)
                answer = json.dumps({"translations": [
                    {"detected_source_language": "ID", "text": "EN " + text}
                    for text in body["text"]]}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(answer) + answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def shutdown(self):
        self.loop.call_soon_threadsafe(self.loop.stop)


def peer(port, texts_file):
    """The peer: a thread pool of CONCURRENCY keep-alive clients sending every batch."""
    with open(texts_file, encoding="utf-8") as source:
        texts = json.load(source)
    batches = [texts[start:start + BATCH] for start in range(0, len(texts), BATCH)]
    local = threading.local()

    def send(batch):
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"text": batch, "source_lang": "ID", "target_lang": "EN-US"})
        local.connection.request("POST", "/v2/translate", body, {
            "Content-Type": "application/json", "Authorization": "DeepL-Auth-Key peer"})
        response = local.connection.getresponse()
        answer = json.loads(response.read())
        assert len(answer["translations"]) == len(batch)
        return [item["text"] for item in answer["translations"]]

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        answers = [text for batch in pool.map(send, batches) for text in batch]
    assert len(answers) == len(texts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/selaras")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--peer-port", type=int)
    parser.add_argument("--peer-texts")
    args = parser.parse_args()
    if args.peer_port:
        peer(args.peer_port, args.peer_texts)
        return
    binary = os.path.abspath(args.binary)
    server = Server()
    port = server.port
    requests = UNIQUE // BATCH
    ideal = requests / CONCURRENCY * LATENCY
    work = tempfile.mkdtemp(prefix="selaras-engine-bench-")
    try:
        texts = make_project(os.path.join(work, "template"))
        texts_file = os.path.join(work, "texts.json")
        with open(texts_file, "w", encoding="utf-8") as out:
            json.dump(texts, out)
        environment = dict(os.environ, **{KEY_ENV: "bench-key"})
        selaras_times, peer_times = [], []
        for trial in range(args.trials):
            project = os.path.join(work, f"trial{trial}")
            shutil.copytree(os.path.join(work, "template"), project)
            write_config(project, port)
            before = server.requests_served
            started = time.perf_counter()
            result = subprocess.run([binary, "translate", "--format", "json"], cwd=project,
                                    env=environment, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                sys.exit(f"selaras failed ({result.returncode}): {result.stderr}")
            summary = json.loads(result.stdout)
            sent = server.requests_served - before
            assert sent == requests, f"sent {sent} requests, expected {requests}"
            assert summary["translated"] == UNIQUE + REPEATS, summary
            before = server.requests_served
            rerun = subprocess.run([binary, "translate", "--format", "json"], cwd=project,
                                   env=environment, capture_output=True, text=True)
            assert rerun.returncode == 0, rerun.stderr
            assert server.requests_served == before, "the rerun sent requests"
            selaras_times.append(elapsed)

            before = server.requests_served
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--peer-port", str(port),
                            "--peer-texts", texts_file], check=True)
            peer_times.append(time.perf_counter() - started)
            assert server.requests_served - before == requests
            print(f"trial {trial + 1}: selaras {elapsed:.3f} s ({elapsed / ideal:.3f}x), "
                  f"peer {peer_times[-1]:.3f} s ({peer_times[-1] / ideal:.3f}x), rerun 0 requests",
                  file=sys.stderr)
        best, best_peer = min(selaras_times), min(peer_times)
        print(f"{requests} requests, batch {BATCH}, concurrency {CONCURRENCY}, latency "
              f"{LATENCY * 1000:.0f} ms: ideal {ideal:.2f} s; selaras best of {args.trials} "
              f"{best:.3f} s = {best / ideal:.3f}x the ideal; Python thread pool {best_peer:.3f} s "
              f"= {best_peer / ideal:.3f}x; rerun: 0 requests")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        server.shutdown()


if __name__ == "__main__":
    main()
