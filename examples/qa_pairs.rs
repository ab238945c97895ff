//! The per-pair QA checks alone, on the first N pairs of the distinct-pairs file that
//! `tools/check_bench.py` writes (`target/check-bench/pairs-50mb.jsonl`), with the shipped
//! glossary's verdicts computed beforehand and a lexicon learnt from `translations/memory.tmx`.
//!
//! `qa_pairs N 0` runs `check_pair_with_verdict` once over the pairs (for instruction counts:
//! `valgrind --tool=callgrind target/release/examples/qa_pairs 3000 0`, then
//! `callgrind_annotate --inclusive=yes`); `qa_pairs N R` times each check separately, fastest
//! of R rounds, in µs a pair (noisy on a shared machine: the instruction counts are not).
//!
//!     cargo build --release --example qa_pairs && target/release/examples/qa_pairs 30000 5

#[path = "../benches/support/shipped_qa.rs"]
mod shipped_qa;
use selaras::qa::{self, Pair};
use shipped_qa::{ShippedQa, shipped_qa};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let limit: usize = args
        .get(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(30_000);
    let rounds: usize = args.get(2).and_then(|arg| arg.parse().ok()).unwrap_or(3);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ShippedQa {
        verifier,
        options,
        context,
        ..
    } = shipped_qa();
    let file = root.join("target/check-bench/pairs-50mb.jsonl");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("{}: {error} (run tools/check_bench.py)", file.display()));
    let mut pairs = Vec::new();
    for line in text.lines().take(limit) {
        let value: serde_json::Value = serde_json::from_str(line).expect("a JSON pair");
        let side = |name: &str| value[name].as_str().unwrap_or_default().to_string();
        pairs.push((side("source"), side("target")));
    }
    let verdicts: Vec<_> = pairs
        .iter()
        .map(|(source, target)| verifier.verify(source, Some(target)))
        .collect();
    // every check of every pair, as `selaras check` runs them
    let check_all = || {
        for ((source, target), verdict) in pairs.iter().zip(&verdicts) {
            black_box(qa::check_pair_with_verdict(
                source,
                target,
                Some(verdict),
                &context,
                &options,
            ));
        }
    };
    if rounds == 0 {
        check_all();
        return;
    }
    let names = [
        "analysis",
        "dates",
        "date",
        "number",
        "name",
        "untranslated",
        "omission",
        "punctuation",
        "all",
    ];
    let mut best = [f64::MAX; 9];
    for _ in 0..rounds {
        let mut sums = [0f64; 9];
        for ((source, target), verdict) in pairs.iter().zip(&verdicts) {
            let mut times = [Instant::now(); 9];
            let pair = Pair::new(source, target, Some(verdict), &context);
            times[1] = Instant::now();
            let dates = qa::date::DateMentions::find(&pair);
            times[2] = Instant::now();
            black_box(qa::date::check(&pair, &dates));
            times[3] = Instant::now();
            black_box(qa::number::check(&pair, &dates));
            times[4] = Instant::now();
            black_box(qa::name::check(&pair, &context));
            times[5] = Instant::now();
            black_box(qa::untranslated::check(&pair));
            times[6] = Instant::now();
            black_box(qa::omission::check(&pair, &context));
            times[7] = Instant::now();
            black_box(qa::punctuation::check(&pair));
            times[8] = Instant::now();
            for (sum, window) in sums.iter_mut().zip(times.windows(2)) {
                *sum += (window[1] - window[0]).as_secs_f64();
            }
        }
        let start = Instant::now();
        check_all();
        sums[8] = start.elapsed().as_secs_f64();
        for (best, sum) in best.iter_mut().zip(sums) {
            *best = best.min(sum);
        }
    }
    for (name, time) in names.iter().zip(best) {
        print!("{name} {:.3}  ", time / pairs.len() as f64 * 1e6);
    }
    println!("(µs a pair, {} pairs)", pairs.len());
}
