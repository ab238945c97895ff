//! Verdicts on records: the glossary stage's outcome copied into each translatable record
//! (terms, violations, warnings, a fixed English with origin `fixed`), the raw → final word
//! diff, and the QA findings of each translated record (which memory hits are reviewers'
//! edits is [`super::previous`]'s). The policies themselves are [`crate::glossary::enforce_segment`]'s and
//! [`crate::qa`]'s; this only records them.

use super::{AlignedSegment, ArticleRecords, Origin, word_diff};
use crate::glossary::{Candidate, EnforceReport, GlossaryMode, Verdict, Verifier, enforce_segment};
use crate::model::SegmentId;
use crate::qa::{self, ConsistencyItem, QaContext, QaOptions, QaReport};
use std::collections::HashMap;

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
    apply_glossary_counting(records, verifier, mode, lost, &mut report);
    report
}

/// [`apply_glossary`], adding the counts to `report` (a run counted article by article).
pub fn apply_glossary_counting(
    records: &mut [ArticleRecords],
    verifier: Option<&Verifier>,
    mode: GlossaryMode,
    lost: &HashMap<SegmentId, String>,
    report: &mut EnforceReport,
) {
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
}

/// Runs the QA checks on every translated, translatable record (after [`apply_glossary`],
/// whose term matches are reused rather than matched again) and the consistency check over
/// all of them, filling each record's `qa`; returns the counts.
pub fn apply_qa(
    records: &mut [ArticleRecords],
    context: &QaContext,
    options: &QaOptions,
) -> QaReport {
    apply_pair_checks(records, context, options);
    consistency_and_count(records, options)
}

/// Whether the QA checks run on a record: translatable and translated.
fn checked(record: &AlignedSegment) -> bool {
    record.translatable && record.target.is_some()
}

/// The per-pair half of [`apply_qa`] (no consistency check), adding the counts to `report`:
/// for a run written article by article, whose consistency findings come at the end
/// ([`super::ConsistencyLedger`]).
pub fn apply_pair_qa(
    records: &mut [ArticleRecords],
    context: &QaContext,
    options: &QaOptions,
    report: &mut QaReport,
) {
    apply_pair_checks(records, context, options);
    for record in records
        .iter()
        .flat_map(|article| article.records.iter())
        .filter(|record| checked(record))
    {
        report.add(&record.qa);
    }
}

fn apply_pair_checks(records: &mut [ArticleRecords], context: &QaContext, options: &QaOptions) {
    for record in records
        .iter_mut()
        .flat_map(|article| article.records.iter_mut())
    {
        record.qa.clear();
        if !checked(record) || options.enabled.is_empty() {
            continue;
        }
        // the glossary stage's verdict on the final text: only its matches are read
        let verdict = context.verifier().map(|_| Verdict {
            matches: std::mem::take(&mut record.matches),
            violations: Vec::new(),
            warnings: Vec::new(),
        });
        let target = record.target.as_deref().unwrap_or_default();
        record.qa =
            qa::check_pair_with_verdict(&record.source, target, verdict.as_ref(), context, options);
        if let Some(verdict) = verdict {
            record.matches = verdict.matches;
        }
    }
}

fn consistency_and_count(records: &mut [ArticleRecords], options: &QaOptions) -> QaReport {
    let all = || {
        records
            .iter()
            .flat_map(|article| article.records.iter())
            .filter(|record| checked(record))
    };
    let ids: Vec<String> = all().map(|record| record.id.to_string()).collect();
    let items: Vec<ConsistencyItem<'_>> = all()
        .zip(&ids)
        .map(|(record, id)| ConsistencyItem {
            id,
            source: &record.source,
            target: record.target.as_deref().unwrap_or_default(),
        })
        .collect();
    let mut consistency = qa::run_consistency(&items, options).into_iter().peekable();
    drop(items);
    let mut report = QaReport::default();
    for (index, record) in records
        .iter_mut()
        .flat_map(|article| article.records.iter_mut())
        .filter(|record| checked(record))
        .enumerate()
    {
        while let Some((_, finding)) = consistency.next_if(|(at, _)| *at == index) {
            record.qa.push(finding);
        }
        report.add(&record.qa);
    }
    report
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
