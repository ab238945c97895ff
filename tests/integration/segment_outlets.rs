//! Segmentation of articles imitating other Indonesian outlets (Antara, Kompas, detik, Tempo,
//! VIVA, a local site), against hand-written segments: every boundary and every kind.
//!
//! `tests/data/segment/outlets/seen/` is what the rules were tuned on and is asserted segment by
//! segment. `held-out/` (Republika, ministry press releases) was written before the rules and is
//! never tuned against: it is only measured, against the bar.

use crate::support::project_root;
use selaras::model::Article;
use selaras::segment::{SegmentOptions, segment_article};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// One expected segment: the kind as written (`[boilerplate]` when not translated), its text
/// and its byte offset in the article.
struct Expected {
    kind: String,
    text: String,
    start: usize,
}

fn articles(part: &str) -> Vec<PathBuf> {
    let folder = project_root().join("tests/data/segment/outlets").join(part);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

/// The article's text and its expected segments, located in order in the text.
fn load(path: &Path) -> (String, Vec<Expected>) {
    let source = std::fs::read_to_string(path).expect("article text");
    let sidecar = path.with_file_name(format!("{}.expected.tsv", stem(path)));
    let table = std::fs::read_to_string(&sidecar).expect("expected segments");
    let mut cursor = 0;
    let expected = table
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (kind, text) = line.split_once('\t').expect("kind<TAB>text");
            let start = cursor
                + source[cursor..]
                    .find(text)
                    .unwrap_or_else(|| panic!("{}: {text:?} not in order", sidecar.display()));
            cursor = start + text.len();
            Expected {
                kind: kind.to_string(),
                text: text.to_string(),
                start,
            }
        })
        .collect();
    (source, expected)
}

/// A segment's kind as the sidecar writes it.
fn written_kind(kind: &str, translatable: bool) -> String {
    if translatable {
        kind.to_string()
    } else {
        format!("[{kind}]")
    }
}

fn segment(path: &Path, source: &str) -> Article {
    segment_article(&stem(path), source, &SegmentOptions::default())
}

#[test]
fn seen_outlets_segment_exactly_as_written() {
    let paths = articles("seen");
    let outlets: BTreeSet<String> = paths
        .iter()
        .map(|path| stem(path).split('-').next().unwrap_or_default().to_string())
        .collect();
    assert!(paths.len() >= 10, "{} articles", paths.len());
    assert!(outlets.len() >= 6, "{outlets:?}");
    let mut wrong = Vec::new();
    for path in &paths {
        let (source, expected) = load(path);
        let article = segment(path, &source);
        let found: Vec<(String, String, usize)> = article
            .segments()
            .map(|segment| {
                assert_eq!(&source[segment.span.start..segment.span.end], segment.text);
                (
                    written_kind(segment.kind.as_str(), segment.translatable),
                    segment.text.clone(),
                    segment.span.start,
                )
            })
            .collect();
        let wanted: Vec<(String, String, usize)> = expected
            .iter()
            .map(|segment| (segment.kind.clone(), segment.text.clone(), segment.start))
            .collect();
        if found != wanted {
            let missing: Vec<_> = wanted.iter().filter(|s| !found.contains(s)).collect();
            let extra: Vec<_> = found.iter().filter(|s| !wanted.contains(s)).collect();
            wrong.push(format!(
                "{}:\n  expected, not found: {missing:#?}\n  found, not expected: {extra:#?}",
                stem(path)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Boundary F1 (segment starts, line starts included) and the share of expected segments whose
/// first byte lands in a segment with the same translatability, over a part of the corpus; and
/// the expected translatable segments that were marked not to translate.
fn measure(part: &str) -> (f64, f64, Vec<String>) {
    let (mut true_positive, mut false_positive, mut false_negative) = (0, 0, 0);
    let (mut kinds, mut kinds_right) = (0, 0);
    let mut lost = Vec::new();
    for path in articles(part) {
        let (source, expected) = load(&path);
        let article = segment(&path, &source);
        let gold: HashSet<usize> = expected.iter().map(|segment| segment.start).collect();
        let found: HashSet<usize> = article.segments().map(|s| s.span.start).collect();
        true_positive += gold.intersection(&found).count();
        false_positive += found.difference(&gold).count();
        false_negative += gold.difference(&found).count();
        for segment in &expected {
            let translatable = !segment.kind.starts_with('[');
            let got = article
                .segments()
                .find(|s| s.span.start <= segment.start && segment.start < s.span.end)
                .is_none_or(|s| s.translatable);
            kinds += 1;
            kinds_right += usize::from(got == translatable);
            if translatable && !got {
                lost.push(format!("{}: {}", stem(&path), segment.text));
            }
        }
    }
    let precision = true_positive as f64 / (true_positive + false_positive) as f64;
    let recall = true_positive as f64 / (true_positive + false_negative) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    (f1, kinds_right as f64 / kinds as f64, lost)
}

#[test]
fn seen_outlets_measure_perfect() {
    let (f1, kind_accuracy, lost) = measure("seen");
    assert_eq!((f1, kind_accuracy), (1.0, 1.0));
    assert!(lost.is_empty(), "{lost:?}");
}

/// The bar, on outlets the rules were never tuned on: boundary F1 at least 0.985, at
/// least 95% of segments translatable or not as written, and nothing that should be translated
/// marked not to be. (Measured 0.986 and 0.958 when the rules were written; see BENCHMARKS.md.)
#[test]
fn held_out_outlets_meet_the_bar() {
    let (f1, kind_accuracy, lost) = measure("held-out");
    assert!(f1 >= 0.985, "boundary F1 {f1:.3}");
    assert!(kind_accuracy >= 0.95, "kind accuracy {kind_accuracy:.3}");
    assert!(lost.is_empty(), "{lost:?}");
}
