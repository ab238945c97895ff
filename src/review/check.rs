//! What a reviewer's edit does to a record: the new English becomes the target (origin
//! `reviewed`), the engine's output stays in `raw`, and the glossary verdict and the raw →
//! final diff are computed again with the same [`Verifier`] `translate` uses, and the QA
//! findings with the same checks (a [`Recheck`] carries both).
//!
//! Pure functions on records; must not read or write files.

use crate::glossary::{GlossaryError, Verifier, load_glossaries};
use crate::qa::{self, QaContext, QaOptions};
use crate::record::{AlignedSegment, Origin, word_diff};
use std::path::PathBuf;

/// Loads the glossaries in force into one verifier; `None` when no glossary is configured.
pub fn load_verifier(
    files: &[PathBuf],
    source_language: &str,
    target_language: &str,
) -> Result<Option<Verifier>, GlossaryError> {
    if files.is_empty() {
        return Ok(None);
    }
    let (glossary, _) = load_glossaries(files, source_language, target_language)?;
    Ok(Some(Verifier::new(glossary)))
}

/// The QA checks an edit is re-checked with: the run's context (lexicon, names, ignore lists)
/// and which checks run.
pub struct Recheck<'a> {
    pub context: &'a QaContext,
    pub options: &'a QaOptions,
}

/// Makes `target` the record's reviewed English. What the engine (or memory) produced stays in
/// `raw`, so the history is never lost: a record without `raw` keeps its previous target there
/// unless that target was itself a reviewer's. The glossary verdict and, with `qa`, the QA
/// findings are those of the new English (the run-level consistency check is `translate`'s).
pub fn apply_review(
    record: &mut AlignedSegment,
    target: &str,
    verifier: Option<&Verifier>,
    qa: Option<Recheck<'_>>,
) {
    if record.raw.is_none() && record.origin != Origin::Reviewed {
        record.raw = record.target.clone();
    }
    record.target = Some(target.to_string());
    record.origin = Origin::Reviewed;
    recheck(record, verifier);
    if let Some(Recheck { context, options }) = qa {
        record.qa = if options.enabled.is_empty() {
            Vec::new()
        } else {
            qa::check_pair(&record.source, target, context, options)
        };
    }
}

/// Replaces the record's glossary verdict with the verdict on its current target and recomputes
/// the diff from `raw`.
pub fn recheck(record: &mut AlignedSegment, verifier: Option<&Verifier>) {
    if let Some(verifier) = verifier {
        let verdict = verifier.verify(&record.source, record.target.as_deref());
        record.matches = verdict.matches;
        record.violations = verdict.violations;
        record.warnings = verdict.warnings;
    }
    record.diff = match (&record.raw, &record.target) {
        (Some(raw), Some(target)) => word_diff(raw, target),
        _ => Vec::new(),
    };
}

/// The glossary fixer's proposal for a record with violations: its target with every forbidden
/// rendering that has one unambiguous replacement replaced; `None` when there is nothing to fix.
pub fn suggested_fix(record: &AlignedSegment, verifier: Option<&Verifier>) -> Option<String> {
    let verifier = verifier?;
    let target = record.target.as_deref()?;
    if record.violations.is_empty() {
        return None;
    }
    let outcome = verifier.fix(&record.source, target);
    (outcome.replacements > 0 && outcome.text != target).then_some(outcome.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{GlossaryFormat, parse_glossary_text};
    use crate::model::{BlockKind, Segment, SegmentId, Span};

    fn verifier() -> Verifier {
        let (glossary, _) = parse_glossary_text(
            "source\ttarget\tforbidden\tnote\nWakil Perdana Menteri\tDeputy Prime Minister\tVice Prime Minister\tofficial title\n",
            GlossaryFormat::Tsv,
            std::path::Path::new("terms.tsv"),
            "id",
            "en",
        );
        Verifier::new(glossary)
    }

    fn record(target: &str, raw: Option<&str>, origin: Origin) -> AlignedSegment {
        let mut record = AlignedSegment::untranslated(&Segment {
            id: SegmentId::new("a", 1, 1),
            kind: BlockKind::Paragraph,
            text: "Wakil Perdana Menteri tiba.".to_string(),
            span: Span::new(0, 27),
            translatable: true,
        });
        record.target = Some(target.to_string());
        record.raw = raw.map(str::to_string);
        record.origin = origin;
        record
    }

    #[test]
    fn a_review_keeps_raw_and_is_checked_again() {
        let verifier = verifier();
        let mut engine = record(
            "The Vice Prime Minister arrived.",
            Some("The Vice Prime Minister arrived."),
            Origin::Engine,
        );
        recheck(&mut engine, Some(&verifier));
        assert_eq!(engine.violations.len(), 1);
        assert_eq!(
            suggested_fix(&engine, Some(&verifier)).as_deref(),
            Some("The Deputy Prime Minister arrived.")
        );
        apply_review(
            &mut engine,
            "The Deputy Prime Minister has arrived.",
            Some(&verifier),
            None,
        );
        assert_eq!(engine.origin, Origin::Reviewed);
        assert_eq!(
            engine.raw.as_deref(),
            Some("The Vice Prime Minister arrived.")
        );
        assert!(engine.violations.is_empty(), "{:?}", engine.violations);
        assert!(!engine.diff.is_empty());
        assert_eq!(suggested_fix(&engine, Some(&verifier)), None);

        // a memory hit has no raw: its old target becomes raw
        let mut memory = record("The Vice Prime Minister arrived.", None, Origin::Memory);
        apply_review(&mut memory, "Vice Prime Minister.", Some(&verifier), None);
        assert_eq!(
            memory.raw.as_deref(),
            Some("The Vice Prime Minister arrived.")
        );
        assert_eq!(memory.violations.len(), 1, "the edit is checked too");
    }

    #[test]
    fn a_review_is_checked_by_qa_again() {
        let options = QaOptions::default();
        let context = QaContext::for_run(None, &std::collections::HashMap::new(), &options);
        let mut record = AlignedSegment::untranslated(&Segment {
            id: SegmentId::new("a", 1, 1),
            kind: BlockKind::Paragraph,
            text: "Sebanyak 155 orang hadir.".to_string(),
            span: Span::new(0, 25),
            translatable: true,
        });
        record.target = Some("155 people attended.".to_string());
        let qa = || {
            Some(Recheck {
                context: &context,
                options: &options,
            })
        };
        apply_review(&mut record, "150 people attended.", None, qa());
        assert!(
            record
                .qa
                .iter()
                .any(|finding| finding.check == qa::Check::Number),
            "{:?}",
            record.qa
        );
        apply_review(&mut record, "155 people attended.", None, qa());
        assert!(record.qa.is_empty(), "{:?}", record.qa);
    }
}
