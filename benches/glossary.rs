//! Glossary matching throughput: a 10,000-term glossary (the shipped one plus generated
//! multiword terms) over the corpus repeated to 50 MB, matched block by block.
//! Run with `cargo bench --bench glossary`; figures go to BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use selaras::glossary::{
    CaseMode, Entry, EntryOrigin, Glossary, SourceMatcher, TermKind, load_glossary,
};
use std::hint::black_box;
use std::path::Path;

const TARGET_BYTES: usize = 50 * 1024 * 1024;
const TERMS: usize = 10_000;

fn corpus_lines() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("source_texts");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("source_texts/")
        .map(|entry| entry.expect("entry").path())
        .collect();
    paths.sort();
    let lines: Vec<String> = paths
        .iter()
        .flat_map(|path| {
            std::fs::read_to_string(path)
                .expect("article")
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.trim().is_empty())
        .collect();
    let mut repeated = Vec::new();
    let mut bytes = 0;
    while bytes < TARGET_BYTES {
        for line in &lines {
            bytes += line.len();
            repeated.push(line.clone());
        }
    }
    repeated
}

/// The shipped glossary padded with generated two- and three-word terms built from corpus
/// vocabulary, so the automaton is as large as a real newsroom glossary.
fn glossary() -> Glossary {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/official-titles.tsv");
    let (mut glossary, _) = load_glossary(&path, "id", "en").expect("shipped glossary");
    let words = [
        "Komite",
        "Dewan",
        "Badan",
        "Kantor",
        "Lembaga",
        "Direktorat",
        "Kementerian",
        "Komisi",
        "Urusan",
        "Hubungan",
        "Ekonomi",
        "Budaya",
        "Pertahanan",
        "Keamanan",
        "Nasional",
        "Daerah",
        "Provinsi",
        "Kota",
        "Pusat",
        "Tetap",
        "Khusus",
        "Umum",
        "Tinggi",
        "Luar",
        "Dalam",
        "Negeri",
        "Rakyat",
        "Partai",
        "Negara",
        "Pemerintah",
        "Kerja",
        "Sama",
        "Strategis",
        "Komprehensif",
        "Pembangunan",
        "Industri",
        "Perdagangan",
        "Investasi",
        "Teknologi",
        "Sains",
        "Digital",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut seen = std::collections::HashSet::new();
    while glossary.entries.len() < TERMS {
        let length = 2 + (next() % 3) as usize;
        let term: Vec<&str> = (0..length)
            .map(|_| words[(next() % words.len() as u64) as usize])
            .collect();
        let source = term.join(" ");
        if !seen.insert(source.clone()) {
            continue;
        }
        glossary.entries.push(Entry {
            target: format!("Term {}", glossary.entries.len()),
            source,
            kind: TermKind::Org,
            variants: Vec::new(),
            forbidden: Vec::new(),
            case: CaseMode::Insensitive,
            note: String::new(),
            origin: EntryOrigin {
                path: "generated".into(),
                line_number: 0,
            },
        });
    }
    glossary
}

fn match_50_mb(criterion: &mut Criterion) {
    let lines = corpus_lines();
    let bytes: usize = lines.iter().map(String::len).sum();
    let matcher = SourceMatcher::new(&glossary());
    let mut group = criterion.benchmark_group("glossary");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("source_terms_10k_x_50MB", |bencher| {
        bencher.iter(|| {
            let mut hits = 0;
            for line in &lines {
                hits += matcher.find(black_box(line)).len();
            }
            hits
        })
    });
    group.finish();
}

criterion_group!(benches, match_50_mb);
criterion_main!(benches);
