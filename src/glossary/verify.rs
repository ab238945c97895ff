//! Verifying a translation against the glossary: which English occurrence stands for which
//! Indonesian term, and what is wrong.
//!
//! Entries that share an approved rendering (`Menlu`, `Menteri Luar Negeri`) are one concept:
//! any accepted rendering of the concept satisfies any of its source terms. Each source
//! occurrence claims one unclaimed target rendering, so one English occurrence counts once; a
//! longer rendering nobody claimed may satisfy a term whose rendering it holds, unless it is a
//! forbidden rendering ("Directive Project" never counts as the approved "Directive").
//! A forbidden rendering is attributed to the source term whose own `forbidden` list has it
//! (within a concept, to the sibling found when that term is absent); an abbreviation in
//! parentheses right after its long form (`Menteri Luar Negeri (Menlu)`) needs no rendering of
//! its own. A term of a concept with no rendering is `missing` (unless a forbidden rendering
//! stands in its place); fewer renderings than occurrences is a `count_mismatch` warning.
//! Fixing is in [`super::fix`]. Pure functions; never prints.

use super::matcher::{Role, SourceHit, SourceMatcher, TargetHit, TargetMatcher};
use super::{Glossary, TermMatch, TextSpan, Violation, ViolationKind};
use std::collections::HashMap;

/// Per concept of a segment: its occurrences, the satisfied ones, and the index of its first
/// hit.
type ConceptCount = (usize, usize, usize);

/// The glossary's verdict on one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub matches: Vec<TermMatch>,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Violation>,
}

/// A violation or warning as found, before its texts are copied: the glossary entry it is
/// about, its kind, and where it stands. [`Verifier::violation`] makes it a [`Violation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flagged {
    /// Index into the glossary's entries.
    pub entry: usize,
    pub kind: ViolationKind,
    pub source_span: Option<TextSpan>,
    pub target_span: Option<TextSpan>,
}

impl Flagged {
    /// The offending text in `target` (the text it was found in), when there is one.
    pub fn found<'t>(&self, target: &'t str) -> Option<&'t str> {
        self.target_span.map(|span| &target[span.start..span.end])
    }
}

/// The violations and warnings of one segment, as found ([`Flagged`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlaggedVerdict {
    pub violations: Vec<Flagged>,
    pub warnings: Vec<Flagged>,
}

/// A glossary ready for checking: its matchers and concept table.
#[derive(Debug, Clone)]
pub struct Verifier {
    pub(super) glossary: Glossary,
    source: SourceMatcher,
    pub(super) target: TargetMatcher,
    /// entry index → concept index (entries with the same folded approved rendering share one)
    pub(super) concept_of: Vec<usize>,
}

/// A forbidden rendering in the target, and the source term it stands for.
#[derive(Debug, Clone)]
pub(super) struct Attributed {
    /// Index into the target hits.
    pub target_hit: usize,
    /// Index into the source hits: the occurrence it is reported against.
    pub source_hit: usize,
    /// Whether that occurrence's own entry forbids the rendering (not only a sibling of its
    /// concept), and no other concept of the segment forbids it too: only then may it be fixed.
    pub fixable: bool,
}

/// Everything learnt about one segment, for the verdict and the fixer.
pub(super) struct Analysis {
    pub source_hits: Vec<SourceHit>,
    pub target_hits: Vec<TargetHit>,
    /// per source hit: the target hit it claimed
    pub claimed_by_hit: Vec<Option<usize>>,
    /// per source hit: an abbreviation in parentheses right after its long form
    pub covered: Vec<bool>,
    /// forbidden target hits standing for a term of the source
    pub forbidden: Vec<Attributed>,
    /// forbidden target hits whose term is not in the source: (target hit, entry)
    pub stray_forbidden: Vec<(usize, usize)>,
}

/// The glossary size from which the source and target automata are built on two threads: a
/// 10,000-term glossary's took about 60 ms of CPU, a thread's start a few microseconds.
const PARALLEL_BUILD_ENTRIES: usize = 1000;

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Verifier {
    pub fn new(glossary: Glossary) -> Verifier {
        let mut concept_index: HashMap<String, usize> = HashMap::new();
        let concept_of = glossary
            .entries
            .iter()
            .map(|entry| {
                let next = concept_index.len();
                *concept_index.entry(fold(&entry.target)).or_insert(next)
            })
            .collect();
        let (source, target) = if glossary.entries.len() >= PARALLEL_BUILD_ENTRIES {
            // the two automata of a large glossary are built at the same time
            std::thread::scope(|scope| {
                let target = scope.spawn(|| TargetMatcher::new(&glossary));
                let source = SourceMatcher::new(&glossary);
                let target = target
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (source, target)
            })
        } else {
            (SourceMatcher::new(&glossary), TargetMatcher::new(&glossary))
        };
        Verifier {
            source,
            target,
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

    /// Whether two entries name the same thing: one concept, or a shared accepted rendering
    /// (`PBB` accepts "United Nations", the approved rendering of `Perserikatan Bangsa-Bangsa`).
    fn related(&self, first: usize, second: usize) -> bool {
        if self.concept_of[first] == self.concept_of[second] {
            return true;
        }
        let second_accepted: Vec<String> =
            self.glossary.entries[second].accepted().map(fold).collect();
        self.glossary.entries[first]
            .accepted()
            .any(|rendering| second_accepted.contains(&fold(rendering)))
    }

    /// Per source hit: whether it is an abbreviation in parentheses right after a long form of
    /// the same thing (`Menteri Luar Negeri (Menlu)`), which needs no rendering of its own.
    fn parenthesised_abbreviations(&self, source: &str, hits: &[SourceHit]) -> Vec<bool> {
        let mut covered = vec![false; hits.len()];
        for index in 1..hits.len() {
            let (previous, hit) = (&hits[index - 1], &hits[index]);
            let between = source[previous.end..hit.start].trim();
            let closed = source[hit.end..].trim_start().starts_with(')');
            let shorter = hit.end - hit.start < previous.end - previous.start;
            if between == "(" && closed && shorter && self.related(previous.entry, hit.entry) {
                covered[index] = true;
            }
        }
        covered
    }

    /// Claims the first unclaimed target hit that is an accepted rendering of `hit`'s concept.
    fn claim(
        &self,
        hit: &SourceHit,
        target_hits: &[TargetHit],
        claimed: &mut [bool],
    ) -> Option<usize> {
        let concept = self.concept_of[hit.entry];
        let found = target_hits
            .iter()
            .enumerate()
            .position(|(index, target_hit)| {
                !claimed[index]
                    && target_hit.roles.iter().any(|&(entry, role)| {
                        role == Role::Accepted && self.concept_of[entry] == concept
                    })
            })?;
        claimed[found] = true;
        Some(found)
    }

    pub(super) fn analyze(&self, source: &str, target: &str) -> Analysis {
        let source_hits = self.source.find(source);
        let target_hits = self.target.find(target);
        let covered = self.parenthesised_abbreviations(source, &source_hits);
        let mut claimed = vec![false; target_hits.len()];
        let mut claimed_by_hit = vec![None; source_hits.len()];
        for (hit_index, hit) in source_hits.iter().enumerate() {
            if covered[hit_index] {
                continue;
            }
            claimed_by_hit[hit_index] = self.claim(hit, &target_hits, &mut claimed);
        }
        // A longer rendering left unclaimed may hold this term's rendering: "Minister of
        // Foreign Affairs" is a "Minister", "UN General Assembly" a "General Assembly". A
        // forbidden rendering never does: "Directive Project" is not the approved "Directive".
        for (hit_index, hit) in source_hits.iter().enumerate() {
            if claimed_by_hit[hit_index].is_some() || covered[hit_index] {
                continue;
            }
            let concept = self.concept_of[hit.entry];
            let found = target_hits
                .iter()
                .enumerate()
                .position(|(index, target_hit)| {
                    !claimed[index]
                        && target_hit
                            .roles
                            .iter()
                            .all(|(_, role)| *role == Role::Accepted)
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
        // a parenthesised abbreviation takes a rendering of its own only when one is left
        // over: it must never take one from a later occurrence
        for (hit_index, hit) in source_hits.iter().enumerate() {
            if !covered[hit_index] {
                continue;
            }
            claimed_by_hit[hit_index] = self.claim(hit, &target_hits, &mut claimed);
        }
        let (forbidden, stray_forbidden) =
            self.attribute_forbidden(&source_hits, &target_hits, &claimed, &claimed_by_hit);
        Analysis {
            source_hits,
            target_hits,
            claimed_by_hit,
            covered,
            forbidden,
            stray_forbidden,
        }
    }

    /// Attributes each unclaimed forbidden rendering to the source occurrence of the term that
    /// forbids it: first an occurrence of that very entry (one not yet satisfied nor
    /// attributed, if any), else of a sibling of its concept; with neither it is stray.
    fn attribute_forbidden(
        &self,
        source_hits: &[SourceHit],
        target_hits: &[TargetHit],
        claimed: &[bool],
        claimed_by_hit: &[Option<usize>],
    ) -> (Vec<Attributed>, Vec<(usize, usize)>) {
        let mut forbidden: Vec<Attributed> = Vec::new();
        let mut stray = Vec::new();
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
            let direct: Vec<usize> = (0..source_hits.len())
                .filter(|&hit| forbidding.contains(&source_hits[hit].entry))
                .collect();
            let sibling: Vec<usize> = (0..source_hits.len())
                .filter(|&hit| {
                    forbidding.iter().any(|&entry| {
                        self.concept_of[entry] == self.concept_of[source_hits[hit].entry]
                    })
                })
                .collect();
            let candidates = if direct.is_empty() { &sibling } else { &direct };
            let Some(&first) = candidates.first() else {
                stray.push((index, forbidding[0]));
                continue;
            };
            let open = candidates.iter().copied().find(|&hit| {
                claimed_by_hit[hit].is_none()
                    && !forbidden.iter().any(|known| known.source_hit == hit)
            });
            let source_hit = open.unwrap_or(first);
            let concept = self.concept_of[source_hits[source_hit].entry];
            let one_concept = candidates
                .iter()
                .all(|&hit| self.concept_of[source_hits[hit].entry] == concept);
            forbidden.push(Attributed {
                target_hit: index,
                source_hit,
                fixable: !direct.is_empty() && one_concept,
            });
        }
        (forbidden, stray)
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

    /// A violation as found: its entry, kind and spans, no text copied yet.
    fn flag(
        entry: usize,
        kind: ViolationKind,
        source_hit: Option<&SourceHit>,
        target_hit: Option<&TargetHit>,
    ) -> Flagged {
        Flagged {
            entry,
            kind,
            source_span: source_hit.map(|hit| TextSpan {
                start: hit.start,
                end: hit.end,
            }),
            target_span: target_hit.map(|hit| TextSpan {
                start: hit.start,
                end: hit.end,
            }),
        }
    }

    /// The [`Violation`] a flagged one stands for, its texts copied from the glossary entry and
    /// from `target` (the text it was found in).
    pub fn violation(&self, flagged: &Flagged, target: &str) -> Violation {
        let glossary_entry = &self.glossary.entries[flagged.entry];
        Violation {
            source_term: glossary_entry.source.clone(),
            expected: glossary_entry.target.clone(),
            kind: flagged.kind,
            found: flagged.found(target).map(str::to_string),
            target_span: flagged.target_span,
            source_span: flagged.source_span,
            note: glossary_entry.note.clone(),
        }
    }

    /// [`Verifier::verify`] without the `matches` (left empty): the violations and warnings
    /// alone, for a caller that reports nothing else (`check` without QA). Saves copying each
    /// matched term's texts.
    pub fn verify_violations(&self, source: &str, target: &str) -> Verdict {
        let flagged = self.flag_violations(source, target);
        self.verdict_of(flagged, Vec::new(), target)
    }

    /// The violations and warnings of a translation as found ([`Flagged`]): what
    /// [`Verifier::verify_violations`] reports, without copying any text, for a caller that
    /// writes them out at once (`check` without QA).
    pub fn flag_violations(&self, source: &str, target: &str) -> FlaggedVerdict {
        let analysis = self.analyze(source, target);
        self.flagged(&analysis)
    }

    /// [`Verifier::verify`] for a caller that writes the violations out at once (`check` with
    /// QA): the verdict holds only the matches (for the QA checks; its violations and warnings
    /// are left empty), and the violations and warnings come as found ([`Flagged`]), no text
    /// of theirs copied.
    pub fn verify_flagged(&self, source: &str, target: &str) -> (Verdict, FlaggedVerdict) {
        let analysis = self.analyze(source, target);
        let verdict = Verdict {
            matches: self.matches(&analysis),
            ..Verdict::default()
        };
        (verdict, self.flagged(&analysis))
    }

    /// The matched terms of an analysed segment, each with the rendering it claimed.
    fn matches(&self, analysis: &Analysis) -> Vec<TermMatch> {
        analysis
            .source_hits
            .iter()
            .enumerate()
            .map(|(index, hit)| {
                // a parenthesised abbreviation without a rendering of its own shares its
                // long form's
                let claim = match analysis.claimed_by_hit[index] {
                    None if analysis.covered[index] => analysis.claimed_by_hit[index - 1],
                    claim => claim,
                };
                self.term_match(hit, claim.map(|claim| &analysis.target_hits[claim]))
            })
            .collect()
    }

    pub(super) fn verdict(&self, analysis: &Analysis, target: &str) -> Verdict {
        self.verdict_of(self.flagged(analysis), self.matches(analysis), target)
    }

    /// The verdict of the flagged violations and these matches, the texts copied.
    fn verdict_of(
        &self,
        flagged: FlaggedVerdict,
        matches: Vec<TermMatch>,
        target: &str,
    ) -> Verdict {
        let copied = |list: Vec<Flagged>| {
            list.iter()
                .map(|flagged| self.violation(flagged, target))
                .collect()
        };
        Verdict {
            matches,
            violations: copied(flagged.violations),
            warnings: copied(flagged.warnings),
        }
    }

    /// The violations and warnings of an analysed segment.
    fn flagged(&self, analysis: &Analysis) -> FlaggedVerdict {
        let hits = &analysis.source_hits;
        let mut violations = Vec::new();
        let mut warnings = Vec::new();
        for attributed in &analysis.forbidden {
            let hit = &hits[attributed.source_hit];
            violations.push(Verifier::flag(
                hit.entry,
                ViolationKind::ForbiddenVariant,
                Some(hit),
                Some(&analysis.target_hits[attributed.target_hit]),
            ));
        }
        let has_forbidden = |entry: usize| {
            analysis
                .forbidden
                .iter()
                .any(|attributed| hits[attributed.source_hit].entry == entry)
        };
        // per concept, in source order: occurrences, satisfied ones, and its first hit
        // (a segment has a handful of concepts: a list beats a hash table)
        let mut counts: Vec<(usize, ConceptCount)> = Vec::new();
        for (index, hit) in hits.iter().enumerate() {
            if analysis.covered[index] {
                continue;
            }
            let concept = self.concept_of[hit.entry];
            let at = match counts.iter().position(|(known, _)| *known == concept) {
                Some(at) => at,
                None => {
                    counts.push((concept, (0, 0, index)));
                    counts.len() - 1
                }
            };
            let slot = &mut counts[at].1;
            slot.0 += 1;
            if analysis.claimed_by_hit[index].is_some() {
                slot.1 += 1;
            }
        }
        // the concept's source terms: the hit index of each one's first occurrence, in order
        let terms = |concept: usize, from: usize| {
            (from..hits.len()).filter(move |&index| {
                let entry = hits[index].entry;
                !analysis.covered[index]
                    && self.concept_of[entry] == concept
                    && !(from..index)
                        .any(|earlier| !analysis.covered[earlier] && hits[earlier].entry == entry)
            })
        };
        for &(concept, (occurrences, satisfied, first)) in &counts {
            if satisfied == 0 {
                // no rendering of the concept at all: each of its terms is missing, unless a
                // forbidden rendering stands in its place
                for first in terms(concept, first) {
                    let hit = &hits[first];
                    if !has_forbidden(hit.entry) {
                        violations.push(Verifier::flag(
                            hit.entry,
                            ViolationKind::Missing,
                            Some(hit),
                            None,
                        ));
                    }
                }
                continue;
            }
            let unsatisfied = (0..hits.len()).find(|&index| {
                !analysis.covered[index]
                    && self.concept_of[hits[index].entry] == concept
                    && analysis.claimed_by_hit[index].is_none()
                    && !analysis
                        .forbidden
                        .iter()
                        .any(|attributed| attributed.source_hit == index)
            });
            if let Some(unsatisfied) = unsatisfied.filter(|_| satisfied < occurrences) {
                let first = &hits[first];
                warnings.push(Verifier::flag(
                    first.entry,
                    ViolationKind::CountMismatch,
                    Some(&hits[unsatisfied]),
                    None,
                ));
            }
        }
        for (target_index, entry) in &analysis.stray_forbidden {
            warnings.push(Verifier::flag(
                *entry,
                ViolationKind::ForbiddenWithoutTerm,
                None,
                Some(&analysis.target_hits[*target_index]),
            ));
        }
        violations.sort_by_key(|v| v.source_span.map_or(usize::MAX, |span| span.start));
        FlaggedVerdict {
            violations,
            warnings,
        }
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

    #[test]
    fn violations_as_found_are_the_verdicts_once_copied() {
        let verifier = verifier();
        let pairs = [
            (
                "Wakil Perdana Menteri sekaligus Menteri Luar Negeri Bui Thanh Son datang.",
                "Vice Prime Minister and Foreign Minister Bui Thanh Son came.",
            ),
            (
                "Ia datang ke Hanoi.",
                "The Vice Prime Minister came to Hanoi.",
            ),
            (
                "Presiden dan Presiden bertemu Menteri Luar Negeri (Menlu).",
                "The President met the minister.",
            ),
            (
                "Menteri Luar Negeri datang.",
                "The Minister of Foreign Affairs came.",
            ),
        ];
        let (mut found, mut matched) = (0, 0);
        for (source, target) in pairs {
            let flagged = verifier.flag_violations(source, target);
            let verdict = verifier.verify(source, Some(target));
            let copied = |list: &[Flagged]| -> Vec<Violation> {
                list.iter()
                    .map(|flagged| verifier.violation(flagged, target))
                    .collect()
            };
            assert_eq!(copied(&flagged.violations), verdict.violations, "{target}");
            assert_eq!(copied(&flagged.warnings), verdict.warnings, "{target}");
            assert_eq!(
                verifier.verify_violations(source, target),
                Verdict {
                    matches: Vec::new(),
                    ..verdict.clone()
                }
            );
            let (only_matches, also_flagged) = verifier.verify_flagged(source, target);
            assert_eq!(also_flagged, flagged, "{target}");
            assert_eq!(only_matches.matches, verdict.matches, "{target}");
            assert!(only_matches.violations.is_empty() && only_matches.warnings.is_empty());
            for flagged in flagged.violations.iter().chain(&flagged.warnings) {
                let violation = verifier.violation(flagged, target);
                assert_eq!(flagged.found(target), violation.found.as_deref());
            }
            found += flagged.violations.len() + flagged.warnings.len();
            matched += verdict.matches.len();
        }
        assert!(
            matched >= 4,
            "the pairs must have matches to compare: {matched}"
        );
        assert!(
            found >= 4,
            "the pairs must have findings to compare: {found}"
        );
    }

    /// A verifier over a small glossary written as TSV rows (without the header).
    fn small(rows: &str) -> Verifier {
        let text = format!("source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\n{rows}");
        let (glossary, issues) = crate::glossary::parse_glossary_text(
            &text,
            crate::glossary::GlossaryFormat::Tsv,
            Path::new("g.tsv"),
            "id",
            "en",
        );
        assert!(
            issues
                .iter()
                .all(|i| i.severity == crate::glossary::Severity::Warning),
            "{issues:?}"
        );
        Verifier::new(glossary)
    }

    #[test]
    fn the_un_secretary_general_is_left_alone_and_the_party_post_still_fixed() {
        let verifier = verifier();
        let source =
            "Sekretaris Jenderal PBB Antonio Guterres menyambut Sekretaris Jenderal To Lam.";
        for right in [
            "UN Secretary-General Antonio Guterres welcomed General Secretary To Lam.",
            "United Nations Secretary-General Antonio Guterres welcomed General Secretary To Lam.",
        ] {
            assert_eq!(kinds(&verifier.verify(source, Some(right))), [], "{right}");
            let outcome = verifier.fix(source, right);
            assert_eq!((outcome.text.as_str(), outcome.replacements), (right, 0));
        }
        for (sekjen, right) in [
            ("Sekjen PBB", "UN Secretary-General"),
            (
                "Sekretaris Jenderal Perserikatan Bangsa-Bangsa",
                "UN Secretary-General",
            ),
            ("Sekretaris Jenderal ASEAN", "ASEAN Secretary-General"),
        ] {
            let verdict = verifier.verify(
                &format!("{sekjen} tiba."),
                Some(&format!("The {right} arrived.")),
            );
            assert_eq!(kinds(&verdict), [], "{sekjen}");
        }
        let wrong = "UN General Secretary Antonio Guterres welcomed Secretary-General To Lam.";
        assert_eq!(
            kinds(&verifier.verify(source, Some(wrong))),
            [
                (
                    "Sekretaris Jenderal PBB",
                    "forbidden_variant",
                    Some("UN General Secretary")
                ),
                (
                    "Sekretaris Jenderal",
                    "forbidden_variant",
                    Some("Secretary-General")
                ),
            ]
        );
        let outcome = verifier.fix(source, wrong);
        assert_eq!(
            outcome.text,
            "UN Secretary-General Antonio Guterres welcomed General Secretary To Lam."
        );
        assert_eq!(kinds(&outcome.verdict), []);
    }

    #[test]
    fn the_fixer_never_cuts_into_another_terms_accepted_rendering() {
        let verifier = small(
            "Wakil Ketua\tDeputy Chair\ttitle\t\tVice Chairman\t\t\n\
Majelis Nasional\tNational Assembly\torg\tChairman of the National Assembly\t\t\t\n",
        );
        let source = "Wakil Ketua Majelis Nasional tiba.";
        let target = "The Vice Chairman of the National Assembly arrived.";
        // still reported, never "fixed" into "Deputy Chair of the National Assembly"
        assert_eq!(
            kinds(&verifier.verify(source, Some(target))),
            [("Wakil Ketua", "forbidden_variant", Some("Vice Chairman"))]
        );
        let outcome = verifier.fix(source, target);
        assert_eq!((outcome.text.as_str(), outcome.replacements), (target, 0));
    }

    #[test]
    fn the_fixer_never_doubles_the_words_around_a_partial_rendering() {
        let verifier = verifier();
        let source = "Wakil Ketua Majelis Umum PBB angkatan ke-77 berbicara.";
        let target = "The Vice Chairman of the 77th UN General Assembly spoke.";
        let outcome = verifier.fix(source, target);
        assert_eq!((outcome.text.as_str(), outcome.replacements), (target, 0));
        assert_eq!(
            kinds(&outcome.verdict),
            [(
                "Wakil Ketua Majelis Umum PBB angkatan ke-77",
                "forbidden_variant",
                Some("Vice Chairman")
            )]
        );
    }

    #[test]
    fn a_forbidden_rendering_holding_an_approved_one_is_a_violation() {
        let verifier = small("Direktif\tDirective\tdocument\t\tDirective Project\t\t\n");
        let source = "rancangan Direktif itu";
        let verdict = verifier.verify(source, Some("the draft Directive Project"));
        assert_eq!(
            kinds(&verdict),
            [("Direktif", "forbidden_variant", Some("Directive Project"))]
        );
        assert_eq!(
            verifier.fix(source, "the draft Directive Project").text,
            "the draft Directive"
        );
        assert_eq!(
            kinds(&verifier.verify(source, Some("the draft Directive"))),
            []
        );
    }

    #[test]
    fn a_forbidden_short_form_is_the_abbreviations_violation() {
        let verifier = small(
            "Menteri Luar Negeri\tMinister of Foreign Affairs\ttitle\t\tForeign Minister\t\t\n\
Menlu\tMinister of Foreign Affairs\ttitle\t\tFM\t\t\n",
        );
        let source = "Menteri Luar Negeri Bui Thanh Son tiba. Menlu mengatakan hal itu.";
        let verdict = verifier.verify(
            source,
            Some("Minister of Foreign Affairs Bui Thanh Son arrived. The FM said so."),
        );
        assert_eq!(
            kinds(&verdict),
            [("Menlu", "forbidden_variant", Some("FM"))]
        );
        assert_eq!(
            verifier
                .fix(
                    source,
                    "Minister of Foreign Affairs Bui Thanh Son arrived. The FM said so."
                )
                .text,
            "Minister of Foreign Affairs Bui Thanh Son arrived. The Minister of Foreign Affairs said so."
        );
        // no rendering of the concept at all: each of its terms is missing
        let verdict = verifier.verify(source, Some("The top diplomat arrived. He said so."));
        assert_eq!(
            kinds(&verdict),
            [
                ("Menteri Luar Negeri", "missing", None),
                ("Menlu", "missing", None)
            ]
        );
    }

    #[test]
    fn an_abbreviation_in_parentheses_after_its_long_form_needs_no_rendering() {
        let verifier = verifier();
        let source = "Menteri Luar Negeri (Menlu) Bui Thanh Son tiba.";
        let verdict = verifier.verify(
            source,
            Some("Minister of Foreign Affairs Bui Thanh Son arrived."),
        );
        assert_eq!(kinds(&verdict), []);
        assert!(verdict.warnings.is_empty(), "{:?}", verdict.warnings);
        assert!(verdict.matches.iter().all(|m| m.target_span.is_some()));
        // a forbidden rendering of the abbreviation is still its violation
        let verdict = verifier.verify(
            source,
            Some("Minister of Foreign Affairs (Foreign Minister) Bui Thanh Son arrived."),
        );
        assert_eq!(
            kinds(&verdict),
            [("Menlu", "forbidden_variant", Some("Foreign Minister"))]
        );
    }
}
