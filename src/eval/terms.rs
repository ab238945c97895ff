//! Glossary term accuracy: how many glossary terms of a source segment have their approved
//! rendering in the hypothesis. The checker is a trait so the real glossary matcher plugs in;
//! [`SubstringTermChecker`] is the plain exact-substring version used when no better one is
//! given. Must not print or read files.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// What a checker found in one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TermCheck {
    /// Glossary term occurrences in the source.
    pub occurrences: usize,
    /// Of those, how many have their approved rendering in the hypothesis.
    pub satisfied: usize,
    /// Glossary violations in the hypothesis (missing or forbidden renderings).
    pub violations: usize,
}

impl std::ops::AddAssign for TermCheck {
    fn add_assign(&mut self, other: TermCheck) {
        self.occurrences += other.occurrences;
        self.satisfied += other.satisfied;
        self.violations += other.violations;
    }
}

/// Checks the glossary terms of one source segment against a hypothesis translation.
pub trait TermChecker {
    fn check(&self, source: &str, hypothesis: &str) -> TermCheck;
}

/// Any `Fn(source, hypothesis) -> (occurrences, satisfied, violations)` is a checker.
impl<F> TermChecker for F
where
    F: Fn(&str, &str) -> (usize, usize, usize),
{
    fn check(&self, source: &str, hypothesis: &str) -> TermCheck {
        let (occurrences, satisfied, violations) = self(source, hypothesis);
        TermCheck {
            occurrences,
            satisfied,
            violations,
        }
    }
}

/// Exact, case-sensitive substring matching on word boundaries, leftmost-longest on both sides
/// (so `Wakil Perdana Menteri` is one term, not also `Perdana Menteri`). A term occurrence is
/// satisfied while its rendering occurs in the hypothesis at least as often; each unsatisfied
/// occurrence is a violation.
#[derive(Debug, Clone)]
pub struct SubstringTermChecker {
    source: Option<AhoCorasick>,
    /// For each source pattern, the index of its rendering.
    rendering_of: Vec<usize>,
    target: Option<AhoCorasick>,
}

impl SubstringTermChecker {
    /// `pairs` are (Indonesian term, approved English rendering).
    pub fn new(pairs: &[(String, String)]) -> SubstringTermChecker {
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(source, target)| (source.trim(), target.trim()))
            .filter(|(source, target)| !source.is_empty() && !target.is_empty())
            .collect();
        let mut renderings: Vec<&str> = Vec::new();
        let mut rendering_index: HashMap<&str, usize> = HashMap::new();
        let mut rendering_of = Vec::new();
        for (_, target) in &pairs {
            let index = *rendering_index.entry(target).or_insert_with(|| {
                renderings.push(target);
                renderings.len() - 1
            });
            rendering_of.push(index);
        }
        let build = |patterns: &[&str]| {
            (!patterns.is_empty()).then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(patterns)
                    .expect("plain string patterns")
            })
        };
        let source_patterns: Vec<&str> = pairs.iter().map(|(source, _)| *source).collect();
        SubstringTermChecker {
            source: build(&source_patterns),
            rendering_of,
            target: build(&renderings),
        }
    }
}

fn is_word_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

fn count_matches(matcher: &AhoCorasick, text: &str, mut found: impl FnMut(usize)) {
    for hit in matcher.find_iter(text) {
        if is_word_boundary(text, hit.start()) && is_word_boundary(text, hit.end()) {
            found(hit.pattern().as_usize());
        }
    }
}

impl TermChecker for SubstringTermChecker {
    fn check(&self, source: &str, hypothesis: &str) -> TermCheck {
        let (Some(source_matcher), Some(target_matcher)) = (&self.source, &self.target) else {
            return TermCheck::default();
        };
        let mut expected: HashMap<usize, usize> = HashMap::new();
        count_matches(source_matcher, source, |pattern| {
            *expected.entry(self.rendering_of[pattern]).or_default() += 1;
        });
        if expected.is_empty() {
            return TermCheck::default();
        }
        let mut present: HashMap<usize, usize> = HashMap::new();
        count_matches(target_matcher, hypothesis, |pattern| {
            *present.entry(pattern).or_default() += 1;
        });
        let mut check = TermCheck::default();
        for (rendering, count) in expected {
            let satisfied = count.min(present.get(&rendering).copied().unwrap_or(0));
            check.occurrences += count;
            check.satisfied += satisfied;
            check.violations += count - satisfied;
        }
        check
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker() -> SubstringTermChecker {
        let pairs = [
            ("Wakil Perdana Menteri", "Deputy Prime Minister"),
            ("Perdana Menteri", "Prime Minister"),
            ("Menteri Luar Negeri", "Minister of Foreign Affairs"),
            ("Menlu", "Minister of Foreign Affairs"),
        ];
        SubstringTermChecker::new(
            &pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn counts_occurrences_satisfied_and_violations() {
        let table = [
            (
                "Wakil Perdana Menteri bertemu Perdana Menteri.",
                "The Deputy Prime Minister met the Prime Minister.",
                (2, 2, 0),
            ),
            (
                "Wakil Perdana Menteri bertemu Perdana Menteri.",
                "The Vice Prime Minister met the Prime Minister.",
                // "Prime Minister" occurs twice: the inner one of "Vice Prime Minister" counts
                (2, 1, 1),
            ),
            (
                "Menlu dan Menteri Luar Negeri",
                "the Foreign Minister and the Minister of Foreign Affairs",
                (2, 1, 1),
            ),
            (
                "Kementerian Luar Negeri",
                "the Ministry of Foreign Affairs",
                (0, 0, 0),
            ),
            ("menteri luar negeri", "foreign minister", (0, 0, 0)),
        ];
        let checker = checker();
        for (source, hypothesis, (occurrences, satisfied, violations)) in table {
            assert_eq!(
                checker.check(source, hypothesis),
                TermCheck {
                    occurrences,
                    satisfied,
                    violations
                },
                "{source:?} → {hypothesis:?}"
            );
        }
    }

    #[test]
    fn closures_are_checkers() {
        let always_one = |_: &str, _: &str| (1, 0, 1);
        let check = always_one.check("a", "b");
        assert_eq!(check.violations, 1);
        let empty = SubstringTermChecker::new(&[]);
        assert_eq!(empty.check("Menlu", "x"), TermCheck::default());
    }
}
