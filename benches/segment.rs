//! Segmentation throughput: the five corpus articles repeated into one 50 MB text.
//! Run with `cargo bench --bench segment`; figures go to BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use selaras::segment::{SegmentOptions, segment_article};
use std::hint::black_box;

const TARGET_BYTES: usize = 50 * 1024 * 1024;

fn corpus() -> String {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("source_texts");
    let mut articles: Vec<_> = std::fs::read_dir(&folder)
        .expect("source_texts/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    articles.sort();
    let mut one_pass = String::new();
    for path in articles {
        one_pass.push_str(&std::fs::read_to_string(path).expect("article"));
        one_pass.push('\n');
    }
    let mut text = String::with_capacity(TARGET_BYTES + one_pass.len());
    while text.len() < TARGET_BYTES {
        text.push_str(&one_pass);
    }
    text
}

fn segment_50_mb(criterion: &mut Criterion) {
    let text = corpus();
    let options = SegmentOptions::default();
    let mut group = criterion.benchmark_group("segment");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("corpus_x_50MB", |bencher| {
        bencher.iter(|| segment_article("bench", black_box(&text), &options))
    });
    group.finish();
}

criterion_group!(benches, segment_50_mb);
criterion_main!(benches);
