//! The peer of `selaras segment --format jsonl` in `benches/segment_speed.py`: the sentencex
//! crate (Indonesian rules) splitting one file into sentences, one JSON line per sentence
//! (its text and byte offsets) on standard output. Usage: `sentencex-peer FILE`.

use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct SentenceLine<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: sentencex-peer FILE");
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for boundary in sentencex::get_sentence_boundaries("id", &text) {
        let line = SentenceLine {
            text: boundary.text,
            start: boundary.start_byte,
            end: boundary.end_byte,
        };
        serde_json::to_writer(&mut out, &line).expect("write");
        out.write_all(b"\n").expect("write");
    }
    out.flush().expect("write");
}
