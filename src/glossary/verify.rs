//! Verifying a translation against the glossary, and fixing what can be fixed safely.
//!
//! Entries that share an approved rendering (`Menlu`, `Menteri Luar Negeri`) are one concept:
//! any accepted rendering of the concept satisfies any of its source terms. Each source
//! occurrence claims one unclaimed target rendering, so one English occurrence counts once.
//! A concept with no rendering is `missing` (or `forbidden_variant` when a forbidden rendering
//! stands in its place); fewer renderings than occurrences is a `count_mismatch` warning.
//! The fixer replaces a forbidden rendering only when exactly one approved rendering fits,
//! keeping plural/possessive endings and a leading capital. Pure functions; never prints.

use super::matcher::{Role, SourceHit, SourceMatcher, TargetHit, TargetMatcher};
use super::{Glossary, TermMatch, TextSpan, Violation, ViolationKind};
use std::collections::HashMap;

/// The glossary's verdict on one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub matches: Vec<TermMatch>,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Violation>,
}

/// The result of fixing one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    /// The target after the fixes (equal to the input when nothing was fixed).
    pub text: String,
    /// How many forbidden renderings were replaced.
    pub replacements: usize,
    /// The verdict on the fixed text.
    pub verdict: Verdict,
}

/// A glossary ready for checking: its matchers and concept table.
#[derive(Debug, Clone)]
pub struct Verifier {
    glossary: Glossary,
    source: SourceMatcher,
    target: TargetMatcher,
    /// entry index → concept index (entries with the same folded approved rendering share one)
    concept_of: Vec<usize>,
}

/// Everything learnt about one segment, for the verdict and the fixer.
struct Analysis {
    source_hits: Vec<SourceHit>,
    target_hits: Vec<TargetHit>,
    /// per source hit: the target hit it claimed
    claimed_by_hit: Vec<Option<usize>>,
    /// forbidden target hits standing for a concept in the source: (target hit, concept, entry)
    forbidden: Vec<(usize, Vec<usize>, usize)>,
    /// forbidden target hits whose concept is not in the source: (target hit, entry)
    stray_forbidden: Vec<(usize, usize)>,
}

impl Verifier {
    pub fn new(glossary: Glossary) -> Verifier {
        let mut concept_index: HashMap<String, usize> = HashMap::new();
        let concept_of = glossary
            .entries
            .iter()
            .map(|entry| {
                let key = entry
                    .target
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                let next = concept_index.len();
                *concept_index.entry(key).or_insert(next)
            })
            .collect();
        Verifier {
            source: SourceMatcher::new(&glossary),
            target: TargetMatcher::new(&glossary),
            glossary,
            concept_of,
        }
    }

    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }

    /// The glossary terms of a source text, leftmost-longest, with their entries.
    pub fn source_terms(&self, source: &str) -> Vec<SourceHit> {
        self.source.find(source)
    }

    fn analyze(&self, source: &str, target: &str) -> Analysis {
        let source_hits = self.source.find(source);
        let target_hits = self.target.find(target);
        let mut claimed = vec![false; target_hits.len()];
        let mut claimed_by_hit = Vec::with_capacity(source_hits.len());
        for hit in &source_hits {
            let concept = self.concept_of[hit.entry];
            let found = target_hits
                .iter()
                .enumerate()
                .position(|(index, target_hit)| {
                    !claimed[index]
                        && target_hit.roles.iter().any(|&(entry, role)| {
                            role == Role::Accepted && self.concept_of[entry] == concept
                        })
                });
            if let Some(index) = found {
                claimed[index] = true;
            }
            claimed_by_hit.push(found);
        }
        // A longer rendering left unclaimed may hold this term's rendering: "Minister of
        // Foreign Affairs" is a "Minister", "UN General Assembly" a "General Assembly".
        for (hit_index, hit) in source_hits.iter().enumerate() {
            if claimed_by_hit[hit_index].is_some() {
                continue;
            }
            let concept = self.concept_of[hit.entry];
            let found = target_hits
                .iter()
                .enumerate()
                .position(|(index, target_hit)| {
                    !claimed[index]
                        && self
                            .target
                            .accepts_within(&target[target_hit.start..target_hit.end], |entry| {
                                self.concept_of[entry] == concept
                            })
                });
            if let Some(index) = found {
                claimed[index] = true;
                claimed_by_hit[hit_index] = Some(index);
            }
        }
        let source_concepts: Vec<usize> = source_hits
            .iter()
            .map(|hit| self.concept_of[hit.entry])
            .collect();
        let mut forbidden = Vec::new();
        let mut stray_forbidden = Vec::new();
        for (index, target_hit) in target_hits.iter().enumerate() {
            if claimed[index] {
                continue;
            }
            let forbidding: Vec<usize> = target_hit
                .roles
                .iter()
                .filter(|(_, role)| *role == Role::Forbidden)
                .map(|(entry, _)| *entry)
                .collect();
            if forbidding.is_empty() {
                continue;
            }
            let mut concepts: Vec<usize> = forbidding
                .iter()
                .map(|&entry| self.concept_of[entry])
                .filter(|concept| source_concepts.contains(concept))
                .collect();
            concepts.sort_unstable();
            concepts.dedup();
            if concepts.is_empty() {
                stray_forbidden.push((index, forbidding[0]));
            } else {
                let entry = source_hits[source_concepts
                    .iter()
                    .position(|c| *c == concepts[0])
                    .unwrap_or(0)]
                .entry;
                forbidden.push((index, concepts, entry));
            }
        }
        Analysis {
            source_hits,
            target_hits,
            claimed_by_hit,
            forbidden,
            stray_forbidden,
        }
    }

    /// The verdict on a translation; with no target, only the source matches.
    pub fn verify(&self, source: &str, target: Option<&str>) -> Verdict {
        let Some(target) = target else {
            let matches = self
                .source
                .find(source)
                .iter()
                .map(|hit| self.term_match(hit, None))
                .collect();
            return Verdict {
                matches,
                ..Verdict::default()
            };
        };
        let analysis = self.analyze(source, target);
        self.verdict(&analysis, target)
    }

    fn term_match(&self, hit: &SourceHit, target_hit: Option<&TargetHit>) -> TermMatch {
        let entry = &self.glossary.entries[hit.entry];
        TermMatch {
            source_term: entry.source.clone(),
            expected: entry.target.clone(),
            term_kind: entry.kind,
            source_span: TextSpan {
                start: hit.start,
                end: hit.end,
            },
            target_span: target_hit.map(|t| TextSpan {
                start: t.start,
                end: t.end,
            }),
        }
    }

    fn violation(
        &self,
        entry: usize,
        kind: ViolationKind,
        source_hit: Option<&SourceHit>,
        target: Option<(&str, &TargetHit)>,
    ) -> Violation {
        let glossary_entry = &self.glossary.entries[entry];
        Violation {
            source_term: glossary_entry.source.clone(),
            expected: glossary_entry.target.clone(),
            kind,
            found: target.map(|(text, hit)| text[hit.start..hit.end].to_string()),
            target_span: target.map(|(_, hit)| TextSpan {
                start: hit.start,
                end: hit.end,
            }),
            source_span: source_hit.map(|hit| TextSpan {
                start: hit.start,
                end: hit.end,
            }),
            note: glossary_entry.note.clone(),
        }
    }

    fn verdict(&self, analysis: &Analysis, target: &str) -> Verdict {
        let matches = analysis
            .source_hits
            .iter()
            .zip(&analysis.claimed_by_hit)
            .map(|(hit, claimed)| {
                self.term_match(hit, claimed.map(|index| &analysis.target_hits[index]))
            })
            .collect();
        let mut violations = Vec::new();
        let mut warnings = Vec::new();
        for (target_index, concepts, entry) in &analysis.forbidden {
            let source_hit = analysis
                .source_hits
                .iter()
                .find(|hit| concepts.contains(&self.concept_of[hit.entry]));
            violations.push(self.violation(
                *entry,
                ViolationKind::ForbiddenVariant,
                source_hit,
                Some((target, &analysis.target_hits[*target_index])),
            ));
        }
        // per concept, in source order: occurrences and satisfied occurrences
        let mut order: Vec<usize> = Vec::new();
        let mut counts: HashMap<usize, (usize, usize, usize)> = HashMap::new(); // concept → (first hit, occurrences, satisfied)
        for (index, hit) in analysis.source_hits.iter().enumerate() {
            let concept = self.concept_of[hit.entry];
            let slot = counts.entry(concept).or_insert_with(|| {
                order.push(concept);
                (index, 0, 0)
            });
            slot.1 += 1;
            if analysis.claimed_by_hit[index].is_some() {
                slot.2 += 1;
            }
        }
        for concept in order {
            let (first, occurrences, satisfied) = counts[&concept];
            let hit = &analysis.source_hits[first];
            let has_forbidden = analysis
                .forbidden
                .iter()
                .any(|(_, concepts, _)| concepts.contains(&concept));
            if satisfied == 0 && !has_forbidden {
                violations.push(self.violation(hit.entry, ViolationKind::Missing, Some(hit), None));
            } else if satisfied > 0 && satisfied < occurrences {
                let unsatisfied = analysis
                    .source_hits
                    .iter()
                    .zip(&analysis.claimed_by_hit)
                    .find(|(h, claimed)| self.concept_of[h.entry] == concept && claimed.is_none())
                    .map(|(h, _)| h);
                warnings.push(self.violation(
                    hit.entry,
                    ViolationKind::CountMismatch,
                    unsatisfied,
                    None,
                ));
            }
        }
        for (target_index, entry) in &analysis.stray_forbidden {
            warnings.push(self.violation(
                *entry,
                ViolationKind::ForbiddenWithoutTerm,
                None,
                Some((target, &analysis.target_hits[*target_index])),
            ));
        }
        violations.sort_by_key(|v| v.source_span.map_or(usize::MAX, |span| span.start));
        Verdict {
            matches,
            violations,
            warnings,
        }
    }

    /// Replaces each forbidden rendering whose replacement is unambiguous with the approved one,
    /// then verifies the result.
    pub fn fix(&self, source: &str, target: &str) -> FixOutcome {
        let analysis = self.analyze(source, target);
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for (target_index, concepts, entry) in &analysis.forbidden {
            if concepts.len() != 1 {
                continue; // two source concepts forbid this text: which one was meant is unknown
            }
            let hit = &analysis.target_hits[*target_index];
            let approved = &self.glossary.entries[*entry].target;
            let original = &target[hit.start..hit.core_end];
            edits.push((hit.start, hit.core_end, match_capital(original, approved)));
        }
        if edits.is_empty() {
            return FixOutcome {
                text: target.to_string(),
                replacements: 0,
                verdict: self.verdict(&analysis, target),
            };
        }
        edits.sort_by_key(|(start, _, _)| *start);
        let mut fixed = String::with_capacity(target.len() + 32);
        let mut position = 0;
        for (start, end, replacement) in &edits {
            fixed.push_str(&target[position..*start]);
            fixed.push_str(replacement);
            position = *end;
        }
        fixed.push_str(&target[position..]);
        let verdict = self.verify(source, Some(&fixed));
        FixOutcome {
            text: fixed,
            replacements: edits.len(),
            verdict,
        }
    }
}

/// The approved rendering, capitalised like the text it replaces when that starts a sentence
/// in upper case and the rendering does not.
fn match_capital(original: &str, approved: &str) -> String {
    let original_upper = original.chars().next().is_some_and(char::is_uppercase);
    let approved_lower = approved.chars().next().is_some_and(char::is_lowercase);
    if original_upper && approved_lower {
        let mut characters = approved.chars();
        characters
            .next()
            .map(|first| first.to_uppercase().chain(characters).collect())
            .unwrap_or_default()
    } else {
        approved.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::load_glossary;
    use std::path::Path;

    fn verifier() -> Verifier {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/official-titles.tsv");
        Verifier::new(load_glossary(&path, "id", "en").unwrap().0)
    }

    fn kinds(verdict: &Verdict) -> Vec<(&str, &'static str, Option<&str>)> {
        verdict
            .violations
            .iter()
            .map(|v| (v.source_term.as_str(), v.kind.as_str(), v.found.as_deref()))
            .collect()
    }

    #[test]
    fn compound_titles_with_correct_and_wrong_renderings() {
        let verifier = verifier();
        let source = "Wakil Perdana Menteri sekaligus Menteri Luar Negeri Bui Thanh Son menyampaikan rasa hormatnya.";
        let good = verifier.verify(source, Some("Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son expressed his respect."));
        assert_eq!(kinds(&good), []);
        let terms: Vec<&str> = good
            .matches
            .iter()
            .map(|m| m.source_term.as_str())
            .collect();
        assert_eq!(
            terms,
            [
                "Wakil Perdana Menteri",
                "Menteri Luar Negeri",
                "Bui Thanh Son"
            ]
        );
        assert!(good.matches.iter().all(|m| m.target_span.is_some()));

        let bad = verifier.verify(
            source,
            Some("Vice Prime Minister and Foreign Minister Bui Thanh Son expressed his respect."),
        );
        assert_eq!(
            kinds(&bad),
            [
                (
                    "Wakil Perdana Menteri",
                    "forbidden_variant",
                    Some("Vice Prime Minister")
                ),
                (
                    "Menteri Luar Negeri",
                    "forbidden_variant",
                    Some("Foreign Minister")
                ),
            ]
        );
        let missing = verifier.verify(
            source,
            Some("The Deputy PM and top diplomat Bui Thanh Son expressed his respect."),
        );
        assert_eq!(kinds(&missing), [("Menteri Luar Negeri", "missing", None)]);
    }

    #[test]
    fn one_english_occurrence_counts_once() {
        let verifier = verifier();
        // a deputy minister's title does not also satisfy the minister's
        let source =
            "Wakil Menteri Luar Negeri Nguyen Minh Hang bertemu Menteri Luar Negeri Bui Thanh Son.";
        let verdict = verifier.verify(
            source,
            Some("Deputy Minister of Foreign Affairs Nguyen Minh Hang met Bui Thanh Son."),
        );
        assert_eq!(kinds(&verdict), [("Menteri Luar Negeri", "missing", None)]);
    }

    #[test]
    fn repeated_terms_are_a_count_warning_not_a_violation() {
        let verifier = verifier();
        let source = "Presiden menekankan bahwa Presiden juga perlu menjalankan tugas.";
        let verdict = verifier.verify(
            source,
            Some("The President stressed that he also needs to carry out the task."),
        );
        assert_eq!(kinds(&verdict), []);
        assert_eq!(verdict.warnings.len(), 1);
        assert_eq!(verdict.warnings[0].kind, ViolationKind::CountMismatch);
    }

    #[test]
    fn abbreviations_case_and_possessives() {
        let verifier = verifier();
        let verdict = verifier.verify(
            "hubungan diplomatik Vietnam-AS oleh Sekretaris Jenderal",
            Some("Vietnam-US diplomatic relations by the General Secretary's team"),
        );
        assert_eq!(kinds(&verdict), []);
        // `as` in English never satisfies the case-sensitive `AS`
        let verdict = verifier.verify("mitra AS", Some("partners such as these"));
        assert_eq!(kinds(&verdict), [("AS", "missing", None)]);
        // the generic `presiden` is not the title
        assert!(
            verifier
                .verify("para presiden", Some("the leaders"))
                .matches
                .is_empty()
        );
    }

    #[test]
    fn segments_without_terms_have_no_findings() {
        let verdict = verifier().verify(
            "Namun, inovasi perlu terus ditingkatkan.",
            Some("However, innovation must keep improving."),
        );
        assert_eq!(verdict, Verdict::default());
    }

    #[test]
    fn fix_replaces_only_unambiguous_forbidden_renderings() {
        let verifier = verifier();
        let source = "Wakil Perdana Menteri Tran Luu Quang memuji Kementerian Luar Negeri.";
        let outcome = verifier.fix(
            source,
            "Vice Prime Minister Tran Luu Quang praised the Foreign Ministry's work.",
        );
        assert_eq!(
            outcome.text,
            "Deputy Prime Minister Tran Luu Quang praised the Ministry of Foreign Affairs's work."
        );
        assert_eq!(outcome.replacements, 2);
        assert_eq!(kinds(&outcome.verdict), []);
        // nothing to fix: text unchanged
        let clean = "Deputy Prime Minister Tran Luu Quang praised the Ministry of Foreign Affairs.";
        let outcome = verifier.fix(source, clean);
        assert_eq!((outcome.text.as_str(), outcome.replacements), (clean, 0));
        // a missing term cannot be fixed
        let outcome = verifier.fix(
            source,
            "Tran Luu Quang praised the Ministry of Foreign Affairs.",
        );
        assert_eq!(
            kinds(&outcome.verdict),
            [("Wakil Perdana Menteri", "missing", None)]
        );
    }

    #[test]
    fn stray_forbidden_rendering_is_a_warning() {
        let verdict = verifier().verify(
            "Ia datang ke Hanoi.",
            Some("The Vice Prime Minister came to Hanoi."),
        );
        assert!(verdict.violations.is_empty());
        assert_eq!(
            verdict.warnings[0].kind,
            ViolationKind::ForbiddenWithoutTerm
        );
    }
}
