//! The glossary policy of a translate run, in one place: protect → restore → fallback decision →
//! verify → fix.
//!
//! Before translation, [`Protection`] decides which texts go out with their terms shielded by
//! placeholders; after it, [`Protection::restore`] puts the approved renderings back and notes
//! the answers whose placeholders did not survive, and [`Protection::fallback`] names the texts
//! to translate again unprotected. Then [`enforce_segment`] verifies each final English text and, where
//! the mode and the text's origin allow it, fixes it; [`EnforceReport`] counts the outcome.
//!
//! Works on plain data (texts, flags, positions) and returns plain data: it must not know
//! records, engines, configuration or the pipeline, and must not print. Asking an engine again
//! is the caller's job.

use super::{GlossaryMode, Protected, TermMatch, Verifier, Violation, ViolationKind};
use super::{protect, restore};

/// The glossary stage's counts over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EnforceReport {
    /// Violations left in the final texts.
    pub violations: usize,
    /// Segments with at least one violation left.
    pub segments_with_violations: usize,
    /// Lower-severity findings (count mismatches, stray forbidden renderings, lost
    /// placeholders).
    pub warnings: usize,
    /// Segments the fixer changed.
    pub fixed: usize,
}

impl EnforceReport {
    /// Counts one segment's outcome.
    pub fn add(&mut self, outcome: &Enforced) {
        self.violations += outcome.violations.len();
        self.warnings += outcome.warnings.len();
        if !outcome.violations.is_empty() {
            self.segments_with_violations += 1;
        }
        if outcome.fixed {
            self.fixed += 1;
        }
    }
}

/// The texts of a run shielded from the engine (protect mode), by their position in the run's
/// list of texts, and what became of the placeholders in the answers.
#[derive(Debug, Clone, Default)]
pub struct Protection {
    engaged: bool,
    shields: Vec<Option<Protected>>,
    lost: Vec<Option<String>>,
}

/// An answer with the approved renderings put back in place of its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The answer with the approved renderings.
    pub target: String,
    /// The engine's answer, placeholders and all.
    pub raw: String,
}

impl Protection {
    /// Shields the glossary terms of `texts` when the mode is `protect`, a glossary is in force
    /// and the engine is asked at all (`engine_sends`). Texts `covered` by the approved memory
    /// go out as they are, so that their exact matches still hit.
    pub fn new<'a>(
        verifier: Option<&Verifier>,
        mode: GlossaryMode,
        engine_sends: bool,
        texts: impl IntoIterator<Item = &'a str>,
        covered: impl Fn(&str) -> bool,
    ) -> Protection {
        let Some(verifier) = verifier.filter(|_| mode == GlossaryMode::Protect && engine_sends)
        else {
            return Protection::default();
        };
        let shields: Vec<Option<Protected>> = texts
            .into_iter()
            .map(|text| {
                if covered(text) {
                    return None;
                }
                let hits = verifier.source_terms(text);
                (!hits.is_empty()).then(|| protect(text, &hits, verifier.glossary()))
            })
            .collect();
        Protection {
            engaged: true,
            lost: vec![None; shields.len()],
            shields,
        }
    }

    /// Whether protect mode is in force: the engine must be told to keep XML placeholders.
    pub fn engaged(&self) -> bool {
        self.engaged
    }

    /// The text to send for the text at `index`: shielded when it has terms, else `text`.
    pub fn outgoing<'a>(&'a self, index: usize, text: &'a str) -> &'a str {
        match self.shields.get(index) {
            Some(Some(shielded)) => &shielded.text,
            _ => text,
        }
    }

    /// Puts the approved renderings back into the engine's `answer` for the text at `index`.
    /// `None` when the text was not shielded, there is no answer, or its placeholders were
    /// lost (then the answer must not be used: see [`Protection::fallback`]).
    pub fn restore(&mut self, index: usize, answer: Option<&str>) -> Option<Restored> {
        let (Some(Some(shielded)), Some(answer)) = (self.shields.get(index), answer) else {
            return None;
        };
        match restore(answer, shielded) {
            Ok(target) => Some(Restored {
                target,
                raw: answer.to_string(),
            }),
            Err(error) => {
                self.lost[index] = Some(error.to_string());
                None
            }
        }
    }

    /// The positions of the texts to translate again without placeholders, in order: those
    /// whose placeholders were lost, unless the run was stopped.
    pub fn fallback(&self, stopped: bool) -> Vec<usize> {
        if stopped {
            return Vec::new();
        }
        self.lost_reasons().map(|(index, _)| index).collect()
    }

    /// The texts whose placeholders were lost, with what went wrong.
    pub fn lost_reasons(&self) -> impl Iterator<Item = (usize, &str)> {
        self.lost
            .iter()
            .enumerate()
            .filter_map(|(index, reason)| reason.as_deref().map(|reason| (index, reason)))
    }
}

/// One translated segment, as the glossary stage sees it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The Indonesian source.
    pub source: &'a str,
    /// The English, if there is any.
    pub target: Option<&'a str>,
    /// What the English was before an earlier change (a restored answer's placeholders).
    pub raw: Option<&'a str>,
    /// Whether the English may be changed: an engine's answer may, approved memory and
    /// reviewed translations may not.
    pub changeable: bool,
    /// Why its placeholders were lost, when they were (it was translated again unprotected).
    pub placeholders_lost: Option<&'a str>,
}

/// The glossary's verdict on one segment, and its English after fixing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enforced {
    /// The final English (the input's when nothing was fixed).
    pub target: Option<String>,
    /// What the English was before it changed (the input's `raw`, or the unfixed English).
    pub raw: Option<String>,
    /// Whether the fixer changed the English.
    pub fixed: bool,
    pub matches: Vec<TermMatch>,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Violation>,
}

/// Verifies one segment and, in `fix` and `protect` mode, fixes a changeable English where
/// exactly one approved rendering fits. A segment whose placeholders were lost carries a
/// `placeholder_lost` warning.
pub fn enforce_segment(
    verifier: &Verifier,
    mode: GlossaryMode,
    candidate: Candidate<'_>,
) -> Enforced {
    let mut enforced = Enforced {
        target: candidate.target.map(str::to_string),
        raw: candidate.raw.map(str::to_string),
        fixed: false,
        matches: Vec::new(),
        violations: Vec::new(),
        warnings: Vec::new(),
    };
    match candidate.target {
        // no English: only the terms of the source are recorded
        None => enforced.matches = verifier.verify(candidate.source, None).matches,
        Some(target) => {
            let verdict = if candidate.changeable && mode != GlossaryMode::Check {
                let outcome = verifier.fix(candidate.source, target);
                if outcome.replacements > 0 {
                    enforced.raw.get_or_insert_with(|| target.to_string());
                    enforced.target = Some(outcome.text);
                    enforced.fixed = true;
                }
                outcome.verdict
            } else {
                verifier.verify(candidate.source, Some(target))
            };
            enforced.matches = verdict.matches;
            enforced.violations = verdict.violations;
            enforced.warnings = verdict.warnings;
        }
    }
    if let Some(reason) = candidate.placeholders_lost {
        enforced.warnings.push(placeholder_lost(reason));
    }
    enforced
}

/// The warning a segment carries when its placeholders did not survive the engine.
fn placeholder_lost(reason: &str) -> Violation {
    Violation {
        source_term: String::new(),
        expected: String::new(),
        kind: ViolationKind::PlaceholderLost,
        found: None,
        target_span: None,
        source_span: None,
        note: format!("{reason}; translated again without placeholders and fixed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{GlossaryFormat, parse_glossary_text};
    use std::path::Path;

    fn verifier() -> Verifier {
        let text = "source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\n\
Wakil Perdana Menteri\tDeputy Prime Minister\ttitle\t\tVice Prime Minister\t\t\n\
Menteri Luar Negeri\tMinister of Foreign Affairs\ttitle\t\tForeign Minister\t\t\n";
        let (glossary, issues) =
            parse_glossary_text(text, GlossaryFormat::Tsv, Path::new("g.tsv"), "id", "en");
        assert!(issues.is_empty(), "{issues:?}");
        Verifier::new(glossary)
    }

    const TEXTS: [&str; 3] = [
        "Wakil Perdana Menteri tiba.",
        "Hujan turun.",
        "Menteri Luar Negeri berbicara.",
    ];

    #[test]
    fn only_protect_mode_with_a_sending_engine_shields_terms() {
        let verifier = verifier();
        for (mode, sends) in [
            (GlossaryMode::Fix, true),
            (GlossaryMode::Check, true),
            (GlossaryMode::Protect, false),
        ] {
            let protection = Protection::new(Some(&verifier), mode, sends, TEXTS, |_| false);
            assert!(!protection.engaged(), "{mode:?} {sends}");
            assert_eq!(protection.outgoing(0, TEXTS[0]), TEXTS[0]);
        }
        let protection = Protection::new(None, GlossaryMode::Protect, true, TEXTS, |_| false);
        assert!(!protection.engaged());

        // a text the approved memory covers goes out as it is
        let covered = |text: &str| text == TEXTS[2];
        let protection =
            Protection::new(Some(&verifier), GlossaryMode::Protect, true, TEXTS, covered);
        assert!(protection.engaged());
        assert_eq!(protection.outgoing(0, TEXTS[0]), "<x id=\"1\"/> tiba.");
        assert_eq!(protection.outgoing(1, TEXTS[1]), TEXTS[1]);
        assert_eq!(protection.outgoing(2, TEXTS[2]), TEXTS[2]);
    }

    #[test]
    fn lost_placeholders_are_translated_again_unless_the_run_stopped() {
        let verifier = verifier();
        let mut protection =
            Protection::new(Some(&verifier), GlossaryMode::Protect, true, TEXTS, |_| {
                false
            });
        assert_eq!(
            protection.restore(0, Some("<x id=\"1\"/> arrived.")),
            Some(Restored {
                target: "Deputy Prime Minister arrived.".to_string(),
                raw: "<x id=\"1\"/> arrived.".to_string(),
            })
        );
        assert_eq!(protection.restore(1, Some("It rains.")), None);
        assert_eq!(protection.restore(2, Some("The minister spoke.")), None);
        assert_eq!(protection.fallback(false), [2]);
        assert!(protection.fallback(true).is_empty());
        let lost: Vec<(usize, &str)> = protection.lost_reasons().collect();
        assert_eq!(lost, [(2, "placeholder 1 is missing from the translation")]);
    }

    fn candidate<'a>(target: Option<&'a str>, changeable: bool) -> Candidate<'a> {
        Candidate {
            source: "Wakil Perdana Menteri tiba.",
            target,
            raw: None,
            changeable,
            placeholders_lost: None,
        }
    }

    #[test]
    fn only_a_changeable_answer_outside_check_mode_is_fixed() {
        let verifier = verifier();
        let wrong = "The Vice Prime Minister arrived.";
        let fixed = enforce_segment(&verifier, GlossaryMode::Fix, candidate(Some(wrong), true));
        assert!(fixed.fixed);
        assert_eq!(
            fixed.target.as_deref(),
            Some("The Deputy Prime Minister arrived.")
        );
        assert_eq!(fixed.raw.as_deref(), Some(wrong));
        assert!(fixed.violations.is_empty(), "{:?}", fixed.violations);
        let mut report = EnforceReport::default();
        report.add(&fixed);
        assert_eq!(report.fixed, 1);

        for (mode, changeable) in [(GlossaryMode::Check, true), (GlossaryMode::Fix, false)] {
            let kept = enforce_segment(&verifier, mode, candidate(Some(wrong), changeable));
            assert!(!kept.fixed);
            assert_eq!(kept.target.as_deref(), Some(wrong));
            assert_eq!(kept.raw, None);
            assert_eq!(kept.violations.len(), 1, "{:?}", kept.violations);
            let mut report = EnforceReport::default();
            report.add(&kept);
            assert_eq!((report.violations, report.segments_with_violations), (1, 1));
        }
    }

    #[test]
    fn a_segment_whose_placeholders_were_lost_is_flagged_even_without_english() {
        let verifier = verifier();
        let lost = Candidate {
            placeholders_lost: Some("placeholder 1 is missing from the translation"),
            ..candidate(None, true)
        };
        let outcome = enforce_segment(&verifier, GlossaryMode::Protect, lost);
        assert_eq!(outcome.target, None);
        assert_eq!(outcome.matches.len(), 1);
        assert_eq!(outcome.warnings.len(), 1);
        assert_eq!(outcome.warnings[0].kind, ViolationKind::PlaceholderLost);
        assert_eq!(
            outcome.warnings[0].note,
            "placeholder 1 is missing from the translation; translated again without placeholders and fixed"
        );
    }
}
