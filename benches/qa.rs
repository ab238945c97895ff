//! QA throughput next to the glossary it runs beside: the reviewed memory's pairs repeated to
//! 50 MB, each verified by the shipped glossary, then checked by the QA stage reusing that
//! verdict (`check_pair_with_verdict`), as `selaras check` will. The budget: QA adds at
//! most 30% to `check`. Run with `cargo bench --bench qa`; figures go to BENCHMARKS.md.

#[path = "support/shipped_qa.rs"]
mod shipped_qa;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use selaras::qa::check_pair_with_verdict;
use shipped_qa::{ShippedQa, shipped_qa};
use std::hint::black_box;

const TARGET_BYTES: usize = 50 * 1024 * 1024;

fn bench(criterion: &mut Criterion) {
    let ShippedQa {
        memory,
        verifier,
        options,
        context,
    } = shipped_qa();
    let units: Vec<(String, String)> = memory
        .units
        .iter()
        .filter_map(|unit| {
            Some((
                unit.text_in("id")?.to_string(),
                unit.text_in("en")?.to_string(),
            ))
        })
        .collect();
    let mut pairs = Vec::new();
    let mut bytes = 0;
    while bytes < TARGET_BYTES {
        for (source, target) in &units {
            bytes += source.len() + target.len();
            pairs.push((source.as_str(), target.as_str()));
        }
    }
    let verdicts: Vec<_> = pairs
        .iter()
        .map(|(source, target)| verifier.verify(source, Some(target)))
        .collect();
    let mut group = criterion.benchmark_group("qa");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("glossary verify, 50 MB of pairs", |bencher| {
        bencher.iter(|| {
            for (source, target) in &pairs {
                black_box(verifier.verify(source, Some(target)));
            }
        })
    });
    group.bench_function("qa checks reusing the verdict, 50 MB of pairs", |bencher| {
        bencher.iter(|| {
            for ((source, target), verdict) in pairs.iter().zip(&verdicts) {
                black_box(check_pair_with_verdict(
                    source,
                    target,
                    Some(verdict),
                    &context,
                    &options,
                ));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
