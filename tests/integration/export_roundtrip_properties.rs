//! Property tests: what `export` writes as TSV, XLIFF 2 or XLIFF 1.2, the review import reads
//! back to the same targets, whatever the engine produced — tabs, line breaks, carriage
//! returns, `<`, `&`, quotes, non-ASCII, and characters XML 1.0 forbids (TSV keeps them; XLIFF 2
//! writes them as `<cp hex>`, XLIFF 1.2 as `<x ctype="x-selaras-cp">`, so they come back too).
//! Must not touch the file system.

use crate::support::corpus_text;
use proptest::prelude::*;
use selaras::export::{ArticleRecords, ExportContext, tsv, xliff, xliff12};
use selaras::record::{AlignedSegment, Origin};
use selaras::segment::{SegmentOptions, segment_article};
use std::collections::HashMap;

const STEM: &str = "002_5f2940f005814b39";

/// Engine output as hostile as it gets.
fn target_text() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        4 => any::<char>(),
        4 => prop::char::range('a', 'z'),
        1 => Just(' '),
        1 => Just('\t'),
        1 => Just('\n'),
        1 => Just('\r'),
        1 => Just('\\'),
        1 => Just('<'),
        1 => Just('>'),
        1 => Just('&'),
        1 => Just('"'),
        1 => Just('\''),
        1 => Just('\u{0}'),
        1 => Just('\u{b}'),
        1 => Just('\u{1b}'),
        1 => Just('\u{fffe}'),
        1 => Just('\u{ffff}'),
        1 => Just('\u{85}'),
        1 => Just('\u{2028}'),
        1 => Just('é'),
        1 => Just('“'),
        1 => Just(']'),
    ];
    prop::collection::vec(character, 1..40).prop_map(|characters| characters.into_iter().collect())
}

/// The article's records with `targets` as the engine's answers, in order.
fn records_with(targets: &[String]) -> ArticleRecords {
    let article = segment_article(STEM, &corpus_text(STEM), &SegmentOptions::default());
    let mut answers = targets.iter().cycle();
    let records: Vec<AlignedSegment> = article
        .segments()
        .map(|segment| {
            let mut record = AlignedSegment::untranslated(segment);
            if record.translatable {
                let target = answers.next().cloned();
                record.origin = Origin::Engine;
                record.raw = target.clone();
                record.target = target;
            }
            record
        })
        .collect();
    ArticleRecords {
        stem: STEM.to_string(),
        records,
    }
}

fn expected_targets(article: &ArticleRecords) -> HashMap<String, Option<String>> {
    article
        .records
        .iter()
        .filter(|record| record.translatable)
        .map(|record| (record.id.to_string(), record.target.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn tsv_export_then_import_gives_back_every_target(
        targets in prop::collection::vec(target_text(), 1..8)
    ) {
        let article = records_with(&targets);
        let text = tsv::render(&article.records);
        let rows = tsv::read(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(rows.len(), article.records.len(), "one row per segment");
        let expected = expected_targets(&article);
        for row in rows {
            if let Some(target) = expected.get(&row.id.to_string()) {
                prop_assert_eq!(&row.target, target, "row {}", row.id);
            }
        }
    }

    #[test]
    fn xliff_export_then_import_gives_back_every_target(
        targets in prop::collection::vec(target_text(), 1..8)
    ) {
        let article = records_with(&targets);
        let context = ExportContext::new("id", "en", 1_700_000_000);
        let bytes = xliff::render(std::slice::from_ref(&article), &context);
        let text = String::from_utf8(bytes).expect("UTF-8");
        let document = xliff::read(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        let expected = expected_targets(&article);
        let mut seen = 0;
        for segment in document.segments.iter().filter(|segment| segment.translate) {
            let id = format!(
                "{}:{}.{}",
                segment.file_id,
                segment.unit_id,
                segment.segment_id.as_deref().unwrap_or("?")
            );
            let target = expected.get(&id);
            prop_assert!(target.is_some(), "unknown segment {}", id);
            prop_assert_eq!(&segment.target, target.unwrap(), "segment {}", id);
            seen += 1;
        }
        prop_assert_eq!(seen, expected.len(), "every translatable segment read back");
    }

    #[test]
    fn xliff12_export_then_import_gives_back_every_target(
        targets in prop::collection::vec(target_text(), 1..8)
    ) {
        let article = records_with(&targets);
        let context = ExportContext::new("id", "en", 1_700_000_000);
        let bytes = xliff12::render(std::slice::from_ref(&article), &context);
        let text = String::from_utf8(bytes).expect("UTF-8");
        let units = xliff12::read(&text).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(units.len(), article.records.len(), "one trans-unit per segment");
        let expected = expected_targets(&article);
        for unit in units.iter().filter(|unit| unit.translate) {
            let target = expected.get(&unit.id);
            prop_assert!(target.is_some(), "unknown segment {}", unit.id);
            prop_assert_eq!(&unit.target, target.unwrap(), "segment {}", unit.id);
        }
    }
}
