//! Fixing a translation: replacing forbidden renderings with the approved one, only where that
//! is safe by construction.
//!
//! A forbidden occurrence is replaced only when the verifier attributed it to a source term
//! whose own entry forbids it (and no other concept of the segment forbids it too); never when
//! it overlaps an accepted rendering of another term of the same segment ("Secretary-General"
//! inside "UN Secretary-General" while `Sekretaris Jenderal PBB` is in the source); never when
//! the words beside it already spell part of the approved rendering (replacing the "Vice
//! Chairman" of "Vice Chairman of the 77th UN General Assembly" by the whole title would say the
//! Assembly twice); never when the term stands right next to an institution or place of the
//! source (`Menteri Luar Negeri AS` is the US Secretary of State, not a Minister of Foreign
//! Affairs: a compound post the glossary does not know). A fix that leaves any term worse off
//! than before is dropped whole.
//! Plural/possessive endings and a leading capital are kept. Pure functions; never prints.

use super::TermKind;
use super::verify::{Verdict, Verifier};

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

impl Verifier {
    /// Replaces each forbidden rendering that may safely be replaced with the approved one,
    /// then verifies the result.
    pub fn fix(&self, source: &str, target: &str) -> FixOutcome {
        let analysis = self.analyze(source, target);
        let before = self.verdict(&analysis, target);
        let source_concepts: Vec<usize> = analysis
            .source_hits
            .iter()
            .map(|hit| self.concept_of[hit.entry])
            .collect();
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for attributed in analysis.forbidden.iter().filter(|a| a.fixable) {
            let hit = &analysis.target_hits[attributed.target_hit];
            let entry = analysis.source_hits[attributed.source_hit].entry;
            let concept = self.concept_of[entry];
            let inside_another =
                self.target
                    .accepted_reaching_beyond(target, hit.start, hit.core_end, |other| {
                        self.concept_of[other] != concept
                            && source_concepts.contains(&self.concept_of[other])
                    });
            let approved = &self.glossary.entries[entry].target;
            let compound =
                self.in_unknown_compound(source, &analysis.source_hits, attributed.source_hit);
            if inside_another
                || compound
                || doubles_words(target, hit.start, hit.core_end, approved)
            {
                continue;
            }
            let original = &target[hit.start..hit.core_end];
            edits.push((hit.start, hit.core_end, match_capital(original, approved)));
        }
        let unchanged = |verdict: Verdict| FixOutcome {
            text: target.to_string(),
            replacements: 0,
            verdict,
        };
        if edits.is_empty() {
            return unchanged(before);
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
        let after = self.verify(source, Some(&fixed));
        if worse_for_some_term(&before, &after) {
            return unchanged(before);
        }
        FixOutcome {
            text: fixed,
            replacements: edits.len(),
            verdict: after,
        }
    }
}

impl Verifier {
    /// Whether the source occurrence stands right next to an institution or a place of another
    /// concept (`Menteri Luar Negeri AS`, `Sekretaris Jenderal PBB` in a glossary without that
    /// title): together they may name another post (the US Secretary of State, the UN
    /// Secretary-General) that the glossary does not know, so its English is not "fixed".
    fn in_unknown_compound(
        &self,
        source: &str,
        hits: &[super::matcher::SourceHit],
        index: usize,
    ) -> bool {
        let hit = &hits[index];
        let concept = self.concept_of[hit.entry];
        let beside = |other: &super::matcher::SourceHit| {
            let between = if other.end <= hit.start {
                &source[other.end..hit.start]
            } else if hit.end <= other.start {
                &source[hit.end..other.start]
            } else {
                return false;
            };
            between.chars().all(|c| c.is_whitespace())
                && matches!(
                    self.glossary.entries[other.entry].kind,
                    TermKind::Org | TermKind::Place
                )
                && self.concept_of[other.entry] != concept
        };
        [index.checked_sub(1), Some(index + 1)]
            .into_iter()
            .flatten()
            .filter_map(|neighbour| hits.get(neighbour))
            .any(beside)
    }
}

/// Whether a fix took a rendering away from a term that had one, or added a violation.
fn worse_for_some_term(before: &Verdict, after: &Verdict) -> bool {
    let rendered = |verdict: &Verdict| {
        verdict
            .matches
            .iter()
            .filter(|found| found.target_span.is_some())
            .count()
    };
    rendered(after) < rendered(before) || after.violations.len() >= before.violations.len()
}

/// The words of a text, lower-cased, without the punctuation around them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2011}')
        .map(|word| {
            word.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// Whether the two words right before `start` or right after `end` are two consecutive words
/// of `approved`: then the forbidden text is only part of a longer rendering, and putting the
/// whole approved rendering in its place would repeat them.
fn doubles_words(target: &str, start: usize, end: usize, approved: &str) -> bool {
    let approved = words(approved);
    let is_pair_of_approved =
        |pair: &[String]| pair.len() == 2 && approved.windows(2).any(|window| window == pair);
    let before = words(&target[..start]);
    let after = words(&target[end..]);
    let tail = &before[before.len().saturating_sub(2)..];
    let head = &after[..after.len().min(2)];
    // a word that ends a sentence does not run on into the next one
    let sentence_ends_after = target[end..]
        .trim_start_matches(|c: char| c.is_alphanumeric() || c == '\'')
        .starts_with(['.', '!', '?', ';', ':']);
    is_pair_of_approved(tail) || (!sentence_ends_after && is_pair_of_approved(head))
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

    fn verifier(rows: &str) -> Verifier {
        let text = format!("source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\n{rows}");
        let (glossary, _) = crate::glossary::parse_glossary_text(
            &text,
            crate::glossary::GlossaryFormat::Tsv,
            std::path::Path::new("g.tsv"),
            "id",
            "en",
        );
        Verifier::new(glossary)
    }

    #[test]
    fn a_post_the_glossary_does_not_know_is_reported_not_fixed() {
        // the glossary as it was before it knew the UN post, and one that never knew the US one
        let verifier = verifier(
            "Sekretaris Jenderal\tGeneral Secretary\ttitle\t\tSecretary-General\t\t\n\
PBB\tUN\torg\tUnited Nations\t\tsensitive\t\n\
Menteri Luar Negeri\tMinister of Foreign Affairs\ttitle\t\tForeign Minister\t\t\n\
AS\tUS\tplace\t\t\tsensitive\t\n",
        );
        for (source, target) in [
            (
                "Sekretaris Jenderal PBB Antonio Guterres tiba.",
                "UN Secretary-General Antonio Guterres arrived.",
            ),
            (
                "Menteri Luar Negeri AS Antony Blinken tiba.",
                "US Foreign Minister Antony Blinken arrived.",
            ),
        ] {
            let outcome = verifier.fix(source, target);
            assert_eq!((outcome.text.as_str(), outcome.replacements), (target, 0));
            assert_eq!(
                outcome.verdict.violations.len(),
                1,
                "still reported: {source}"
            );
        }
        // on its own the Party post is fixed
        let outcome = verifier.fix(
            "Sekretaris Jenderal To Lam tiba.",
            "Secretary-General To Lam arrived.",
        );
        assert_eq!(outcome.text, "General Secretary To Lam arrived.");
    }

    #[test]
    fn doubling_is_seen_on_either_side() {
        let approved = "Vice President of the 77th UN General Assembly";
        let text = "Vice Chairman of the 77th UN General Assembly";
        assert!(doubles_words(text, 0, 13, approved));
        let text = "the Vice Chairman spoke";
        assert!(!doubles_words(text, 4, 17, approved));
        let approved = "Head of the Party Central Committee's Commission for External Relations";
        let text = "Head of the Party Central Committee's Foreign Relations Commission";
        assert!(doubles_words(text, 38, text.len(), approved));
    }

    #[test]
    fn a_capital_is_kept() {
        assert_eq!(match_capital("Foreign ministry", "ministry"), "Ministry");
        assert_eq!(match_capital("foreign ministry", "ministry"), "ministry");
    }
}
