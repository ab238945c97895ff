//! Verdicts on records: the glossary stage's outcome copied into each translatable record
//! (terms, violations, warnings, a fixed English with origin `fixed`), the raw → final word
//! diff, and which memory hits are reviewers' edits. The policy itself is
//! [`crate::glossary::enforce_segment`]'s; this only records it.

use super::{AlignedSegment, ArticleRecords, Origin, read_record_file, word_diff};
use crate::glossary::{Candidate, EnforceReport, GlossaryMode, Verifier, enforce_segment};
use crate::model::SegmentId;
use std::collections::HashMap;
use std::path::Path;

/// Runs the glossary stage on every translatable record (verify; in `fix` and `protect` mode
/// fix an engine's answer; flag the segments whose placeholders were `lost`) and fills each
/// record's `diff`. Approved memory and reviewed translations are verified, never changed.
pub fn apply_glossary(
    records: &mut [ArticleRecords],
    verifier: Option<&Verifier>,
    mode: GlossaryMode,
    lost: &HashMap<SegmentId, String>,
) -> EnforceReport {
    let mut report = EnforceReport::default();
    for record in records
        .iter_mut()
        .flat_map(|article| article.records.iter_mut())
        .filter(|record| record.translatable)
    {
        if let Some(verifier) = verifier {
            let candidate = Candidate {
                source: &record.source,
                target: record.target.as_deref(),
                raw: record.raw.as_deref(),
                changeable: matches!(record.origin, Origin::Engine | Origin::Cache),
                placeholders_lost: lost.get(&record.id).map(String::as_str),
            };
            let outcome = enforce_segment(verifier, mode, candidate);
            report.add(&outcome);
            if outcome.fixed {
                record.origin = Origin::Fixed;
            }
            record.target = outcome.target;
            record.raw = outcome.raw;
            record.matches = outcome.matches;
            record.violations = outcome.violations;
            record.warnings.extend(outcome.warnings);
        }
        record.fill_diff();
    }
    report
}

/// Memory hits whose English is the reviewed memory's (`reviewed`: source → English) are
/// reviewers' edits: origin `reviewed`. Their `raw` keeps what the engine said before the
/// reviewer changed it, read from the previous records in `out_dir` (an unreadable previous
/// file only costs that history, never the run).
pub fn mark_reviewed(
    records: &mut [ArticleRecords],
    reviewed: &HashMap<String, String>,
    out_dir: &Path,
) {
    for article in records.iter_mut() {
        let mut previous: Option<HashMap<SegmentId, AlignedSegment>> = None;
        for record in &mut article.records {
            if record.origin != Origin::Memory
                || reviewed.get(&record.source).map(String::as_str) != record.target.as_deref()
            {
                continue;
            }
            record.origin = Origin::Reviewed;
            let previous = previous.get_or_insert_with(|| {
                read_record_file(&out_dir.join(format!("{}.jsonl", article.stem)))
                    .map(|old| {
                        old.into_iter()
                            .map(|record| (record.id.clone(), record))
                            .collect()
                    })
                    .unwrap_or_default()
            });
            let engine = previous
                .get(&record.id)
                .filter(|old| old.source == record.source)
                .and_then(|old| match old.origin {
                    Origin::Reviewed => old.raw.clone(),
                    _ => old.raw.clone().or_else(|| old.target.clone()),
                });
            if engine.is_some() {
                record.raw = engine;
            }
        }
    }
}

impl AlignedSegment {
    /// Sets `diff` to the word diff from `raw` to `target` (empty when either is missing).
    pub fn fill_diff(&mut self) {
        self.diff = match (&self.raw, &self.target) {
            (Some(raw), Some(target)) => word_diff(raw, target),
            _ => Vec::new(),
        };
    }
}
