//! The cost of one pair's analysis for the QA checks (`selaras::qa::Pair::new`: both sides
//! folded and tokenised, every word looked up in the run's vocabulary), on its own: the pairs of
//! `target/check-bench/pairs-50mb.jsonl` (written by `tools/check_bench.py`), the lexicon learnt
//! from the reviewed memory, the shipped glossary. The pairs are cut into chunks of 512; each
//! chunk is timed 15 times and its fastest time kept, so that a busy machine's interruptions
//! drop out; the sum of those, per pair, is printed. Not part of the shipped binary.
//!
//! Build and run: `cargo build --release --example pair_analysis`, then
//! `target/release/examples/pair_analysis` from the project root.
#[path = "../benches/support/shipped_qa.rs"]
mod shipped_qa;
use selaras::qa::Pair;
use shipped_qa::{ShippedQa, shipped_qa};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ShippedQa { context, .. } = shipped_qa();
    let text = std::fs::read_to_string(root.join("target/check-bench/pairs-50mb.jsonl"))
        .expect("target/check-bench/pairs-50mb.jsonl (run tools/check_bench.py first)");
    let pairs: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let side = |key: &str| value[key].as_str().expect("source and target").to_string();
            (side("source"), side("target"))
        })
        .collect();
    let chunks: Vec<&[(String, String)]> = pairs.chunks(512).collect();
    let mut mins = vec![f64::MAX; chunks.len()];
    let mut sum = 0usize;
    for _ in 0..15 {
        for (chunk, min) in chunks.iter().zip(mins.iter_mut()) {
            let start = Instant::now();
            for (source, target) in chunk.iter() {
                let pair = Pair::new(source, target, None, &context);
                sum += black_box(&pair).source_words.len() + pair.target.tokens.len();
            }
            *min = min.min(start.elapsed().as_secs_f64());
        }
    }
    let best: f64 = mins.iter().sum();
    println!(
        "Pair::new: {:.1} ns a pair (fastest of 15 per chunk of 512, {} pairs, {} vocabulary words, checksum {})",
        best * 1e9 / pairs.len() as f64,
        pairs.len(),
        context.vocabulary().len(),
        sum % 7
    );
}
