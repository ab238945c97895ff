//! Finding glossary terms in Indonesian text and their renderings in English text.
//!
//! Both sides use one mechanism: text and patterns are normalised (case folded, runs of white
//! space and no-break spaces to one space, hyphens to spaces, curly apostrophes to `'`), an
//! Aho-Corasick automaton reports every occurrence, each is checked for word boundaries and the
//! entry's case rule against the original text, and the leftmost-longest non-overlapping ones
//! are kept. So `Wakil Menteri Luar Negeri` wins over `Menteri Luar Negeri`, and the
//! "Minister of Foreign Affairs" inside "Deputy Minister of Foreign Affairs" is not a second hit.
//! On the English side a plural or possessive ending (`s`, `es`, `'s`, `'`) is accepted.

mod normalized;

pub use normalized::Normalized;

use super::{CaseMode, Entry, Glossary};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use daachorse::DoubleArrayAhoCorasick;
use normalized::with_normalized;
use std::cell::RefCell;
use std::collections::HashMap;

/// A pattern normalised the way text is: folded for search, exact for case checks.
fn normalize_pattern(pattern: &str) -> (String, String) {
    let normalized = Normalized::new(pattern.trim());
    (
        normalized.folded.trim().to_string(),
        normalized.exact.trim().to_string(),
    )
}

fn is_word_character(character: char) -> bool {
    character.is_alphanumeric()
}

fn boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_character(c))
}

fn boundary_after(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !is_word_character(c))
}

/// Keeps the leftmost-longest non-overlapping candidates, in place: sorted by start, then
/// longest.
fn leftmost_longest<T>(candidates: &mut Vec<(usize, usize, T)>) {
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut covered_to = None;
    candidates.retain(|candidate| {
        let chosen = covered_to.is_none_or(|covered_to| candidate.0 >= covered_to);
        if chosen {
            covered_to = Some(candidate.1);
        }
        chosen
    });
}

thread_local! {
    /// The candidate lists of the last segment matched on this thread, reused for the next
    /// (growing a fresh list for every segment showed in the profile of `selaras check`).
    static SOURCE_CANDIDATES: RefCell<Vec<(usize, usize, usize)>> =
        const { RefCell::new(Vec::new()) };
    static TARGET_CANDIDATES: RefCell<Vec<Candidate>> = const { RefCell::new(Vec::new()) };
}

/// Runs `with` on this thread's reused candidate list, emptied (a nested call gets a list of
/// its own: the shared one is taken out while in use).
fn with_candidates<T, R>(
    key: &'static std::thread::LocalKey<RefCell<Vec<T>>>,
    with: impl FnOnce(&mut Vec<T>) -> R,
) -> R {
    let mut candidates = key.with(RefCell::take);
    candidates.clear();
    let result = with(&mut candidates);
    candidates.clear();
    // a huge segment must not keep its list for the rest of the run
    if candidates.capacity() <= CANDIDATES_KEPT {
        key.with(|cell| cell.replace(candidates));
    }
    result
}

/// The most candidates whose list is kept between segments.
const CANDIDATES_KEPT: usize = 1 << 14;

/// A glossary term found in source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceHit {
    /// Index into the glossary's entries.
    pub entry: usize,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
}

/// Finds the glossary's Indonesian terms.
#[derive(Debug, Clone)]
pub struct SourceMatcher {
    automaton: Option<Automaton>,
    /// Per automaton pattern: the entries it stands for, with their exact form.
    patterns: Vec<Vec<(usize, String, CaseMode)>>,
}

impl SourceMatcher {
    pub fn new(glossary: &Glossary) -> SourceMatcher {
        let mut table = PatternTable::default();
        for (entry_index, entry) in glossary.entries.iter().enumerate() {
            if let Some((slot, exact)) = table.slot(&entry.source) {
                slot.push((entry_index, exact, entry.case));
            }
        }
        let (automaton, patterns) = table.finish();
        SourceMatcher {
            automaton,
            patterns,
        }
    }

    /// All terms in `text`, leftmost-longest, non-overlapping, in order.
    pub fn find(&self, text: &str) -> Vec<SourceHit> {
        if self.automaton.is_none() {
            return Vec::new();
        }
        with_normalized(text, |normalized| {
            with_candidates(&SOURCE_CANDIDATES, |candidates| {
                self.find_in(text, normalized, candidates)
            })
        })
    }

    fn find_in(
        &self,
        text: &str,
        normalized: &Normalized,
        candidates: &mut Vec<(usize, usize, usize)>,
    ) -> Vec<SourceHit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        {
            let haystack = normalized.folded.as_str();
            automaton.each_occurrence(haystack, |start, end, pattern| {
                if !boundary_before(haystack, start) || !boundary_after(haystack, end) {
                    return;
                }
                let mut actual = None;
                let entry = self.patterns[pattern].iter().find(|(_, exact, case)| {
                    !case.source_is_exact()
                        || *exact
                            == *actual.get_or_insert_with(|| normalized.exact_of(text, start, end))
                });
                if let Some((entry, _, _)) = entry {
                    candidates.push((start, end, *entry));
                }
            });
            leftmost_longest(candidates);
            candidates
                .iter()
                .map(|&(start, end, entry)| {
                    let (start, end) = normalized.original(start, end);
                    SourceHit { entry, start, end }
                })
                .collect()
        }
    }
}

/// Distinct folded patterns in first-seen order, each with what it stands for: several entries
/// or renderings may fold to one pattern, and the automaton must hold each pattern once.
struct PatternTable<T> {
    folded: Vec<String>,
    slots: Vec<Vec<T>>,
    index_of: HashMap<String, usize>,
}

impl<T> Default for PatternTable<T> {
    fn default() -> Self {
        PatternTable {
            folded: Vec::new(),
            slots: Vec::new(),
            index_of: HashMap::new(),
        }
    }
}

impl<T> PatternTable<T> {
    /// What `text`'s folded pattern stands for so far, to add to, with `text`'s exact form;
    /// `None` when `text` folds to nothing (it can never match).
    fn slot(&mut self, text: &str) -> Option<(&mut Vec<T>, String)> {
        let (folded, exact) = normalize_pattern(text);
        if folded.is_empty() {
            return None;
        }
        let index = *self.index_of.entry(folded.clone()).or_insert_with(|| {
            self.folded.push(folded);
            self.slots.push(Vec::new());
            self.slots.len() - 1
        });
        Some((&mut self.slots[index], exact))
    }

    /// The automaton over the patterns, and per pattern what it stands for.
    fn finish(self) -> (Option<Automaton>, Vec<Vec<T>>) {
        (Automaton::build(&self.folded), self.slots)
    }
}

/// An Aho-Corasick automaton over the folded patterns that reports every occurrence,
/// overlapping ones included. A small glossary gets `aho_corasick`'s DFA (the fastest per byte
/// while its table stays small: the shipped glossary's 125 entries); a large one a double array
/// (daachorse), whose transitions are one lookup each like a DFA's and whose size stays linear
/// in the patterns like an NFA's: a 10,000-term glossary's two take about 3.5 MB, where the
/// DFAs took over 100 MB, and `aho_corasick`'s contiguous NFA took half as long again to search.
#[derive(Clone)]
enum Automaton {
    /// aho_corasick's automaton: a DFA for a small glossary (see [`Automaton::build`])
    Classic(AhoCorasick),
    DoubleArray(DoubleArrayAhoCorasick<u32>),
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Automaton::Classic(automaton) => {
                formatter.debug_tuple("Classic").field(automaton).finish()
            }
            Automaton::DoubleArray(automaton) => formatter
                .debug_struct("DoubleArray")
                .field("states", &automaton.num_states())
                .finish(),
        }
    }
}

/// The most automaton states (bounded by the patterns' total length) a DFA is built for: a
/// DFA's table grows with states × alphabet (a 10,000-term glossary's took over 100 MB).
const DFA_STATE_LIMIT: usize = 1 << 16;

impl Automaton {
    /// The automaton over distinct, non-empty `patterns`; `None` when there are none.
    fn build(patterns: &[String]) -> Option<Automaton> {
        Automaton::with_dfa_state_limit(patterns, DFA_STATE_LIMIT)
    }

    /// As [`Automaton::build`], with a DFA only up to `dfa_state_limit` states.
    fn with_dfa_state_limit(patterns: &[String], dfa_state_limit: usize) -> Option<Automaton> {
        if patterns.is_empty() {
            return None;
        }
        let states = 1 + patterns.iter().map(String::len).sum::<usize>();
        if states <= dfa_state_limit {
            let dfa = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(patterns);
            if let Ok(dfa) = dfa {
                return Some(Automaton::Classic(dfa));
            }
        }
        if let Ok(automaton) = DoubleArrayAhoCorasick::new(patterns) {
            return Some(Automaton::DoubleArray(automaton));
        }
        // the double array refuses only past 2^24 patterns or 2^32 states (gigabytes of
        // terms): aho_corasick's own choice of automaton then, slower but with other limits
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .unwrap_or_else(|error| panic!("the glossary is too large for any automaton: {error}"));
        Some(Automaton::Classic(automaton))
    }

    /// Calls `each` with every occurrence of a pattern in `haystack`, overlapping ones
    /// included, in order of their end: `(start, end, pattern index)`.
    fn each_occurrence(&self, haystack: &str, mut each: impl FnMut(usize, usize, usize)) {
        match self {
            Automaton::Classic(automaton) => {
                for found in automaton.find_overlapping_iter(haystack) {
                    each(found.start(), found.end(), found.pattern().as_usize());
                }
            }
            Automaton::DoubleArray(automaton) => {
                for found in automaton.find_overlapping_iter(haystack) {
                    each(found.start(), found.end(), found.value() as usize);
                }
            }
        }
    }
}

/// A rendering occurrence before selection: `(start, end, (core_end, pattern))`, folded
/// offsets.
type Candidate = (usize, usize, (usize, usize));

/// Whether a rendering is one the glossary accepts for an entry, or forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Accepted,
    Forbidden,
}

/// An English rendering found in target text; one span may serve several entries (entries
/// that share a rendering, like `Menlu` and `Menteri Luar Negeri`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetHit {
    /// Byte range in the original text, plural or possessive ending included.
    pub start: usize,
    pub end: usize,
    /// Where the rendering itself ends (before `s`, `'s`…), for fixes that keep the ending.
    pub core_end: usize,
    pub roles: Vec<(usize, Role)>,
}

/// Finds accepted and forbidden English renderings.
#[derive(Debug, Clone)]
pub struct TargetMatcher {
    automaton: Option<Automaton>,
    patterns: Vec<Vec<(usize, Role, String, bool)>>,
}

impl TargetMatcher {
    pub fn new(glossary: &Glossary) -> TargetMatcher {
        let mut table = PatternTable::default();
        let renderings = |entry: &Entry| {
            entry
                .accepted()
                .map(|text| (text.to_string(), Role::Accepted))
                .chain(
                    entry
                        .forbidden
                        .iter()
                        .map(|text| (text.clone(), Role::Forbidden)),
                )
                .collect::<Vec<_>>()
        };
        for (entry_index, entry) in glossary.entries.iter().enumerate() {
            for (rendering, role) in renderings(entry) {
                let Some((slot, exact)) = table.slot(&rendering) else {
                    continue;
                };
                if !slot
                    .iter()
                    .any(|(e, r, x, _)| *e == entry_index && *r == role && *x == exact)
                {
                    slot.push((entry_index, role, exact, entry.case.target_is_exact()));
                }
            }
        }
        let (automaton, patterns) = table.finish();
        TargetMatcher {
            automaton,
            patterns,
        }
    }

    /// Every valid occurrence of a rendering in the folded text, overlapping ones included:
    /// `(start, end, (core_end, pattern))` in folded offsets.
    fn candidates(&self, text: &str, normalized: &Normalized) -> Vec<Candidate> {
        let mut candidates = Vec::new();
        self.candidates_into(text, normalized, &mut candidates);
        candidates
    }

    /// [`TargetMatcher::candidates`], added to `candidates`. An occurrence is valid when one
    /// of its pattern's roles passes its case rule; the roles themselves are listed
    /// ([`TargetMatcher::roles`]) only for the candidates kept, so that the many that lose the
    /// leftmost-longest choice cost no list each.
    fn candidates_into(
        &self,
        text: &str,
        normalized: &Normalized,
        candidates: &mut Vec<Candidate>,
    ) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let haystack = normalized.folded.as_str();
        automaton.each_occurrence(haystack, |start, core_end, pattern| {
            if !boundary_before(haystack, start) {
                return;
            }
            let Some(end) = english_ending(haystack, core_end) else {
                return;
            };
            let candidate = (start, end, (core_end, pattern));
            if self.roles(text, normalized, candidate).next().is_some() {
                candidates.push(candidate);
            }
        });
    }

    /// The entries and roles a candidate stands for: those of its pattern whose case rule the
    /// occurrence passes.
    fn roles<'a>(
        &'a self,
        text: &'a str,
        normalized: &'a Normalized,
        (start, _, (core_end, pattern)): Candidate,
    ) -> impl Iterator<Item = (usize, Role)> + 'a {
        let haystack = normalized.folded.as_str();
        let mut actual = None;
        self.patterns[pattern]
            .iter()
            .filter(move |(_, _, exact, case_exact)| {
                if !case_exact {
                    return true;
                }
                let actual =
                    actual.get_or_insert_with(|| normalized.exact_of(text, start, core_end));
                *exact == *actual
                    || (is_sentence_start(haystack, start) && capitalized(exact) == *actual)
            })
            .map(|(entry, role, _, _)| (*entry, *role))
    }

    /// Whether `text` holds, anywhere (also inside a longer rendering), an accepted rendering
    /// of an entry for which `wanted` is true.
    pub fn accepts_within(&self, text: &str, wanted: impl Fn(usize) -> bool) -> bool {
        with_normalized(text, |normalized| {
            self.candidates(text, normalized)
                .into_iter()
                .any(|candidate| {
                    self.roles(text, normalized, candidate)
                        .any(|(entry, role)| role == Role::Accepted && wanted(entry))
                })
        })
    }

    /// Whether an accepted rendering of an entry for which `wanted` is true overlaps the
    /// original byte range `start..end` of `text` and reaches beyond it, including renderings
    /// that lost the leftmost-longest choice: the range is then part of that rendering, which
    /// the fixer must never cut into. (One lying wholly inside the range is only part of it.)
    pub fn accepted_reaching_beyond(
        &self,
        text: &str,
        start: usize,
        end: usize,
        wanted: impl Fn(usize) -> bool,
    ) -> bool {
        let normalized = Normalized::new(text);
        self.candidates(text, &normalized)
            .into_iter()
            .any(|candidate| {
                let (candidate_start, _, (core_end, _)) = candidate;
                let (original_start, original_end) = normalized.original(candidate_start, core_end);
                original_start < end
                    && start < original_end
                    && (original_start < start || end < original_end)
                    && self
                        .roles(text, &normalized, candidate)
                        .any(|(entry, role)| role == Role::Accepted && wanted(entry))
            })
    }

    /// All renderings in `text`, leftmost-longest, non-overlapping, in order.
    pub fn find(&self, text: &str) -> Vec<TargetHit> {
        with_normalized(text, |normalized| self.find_in(text, normalized))
    }

    fn find_in(&self, text: &str, normalized: &Normalized) -> Vec<TargetHit> {
        with_candidates(&TARGET_CANDIDATES, |candidates| {
            self.candidates_into(text, normalized, candidates);
            leftmost_longest_keep_ties(candidates);
            // several patterns can end at the same span (same text, different entries): merge
            // them
            let mut hits: Vec<TargetHit> = Vec::with_capacity(candidates.len());
            let mut last_span = None;
            for &candidate in candidates.iter() {
                let (start, end, (core_end, _)) = candidate;
                let roles = self.roles(text, normalized, candidate);
                if let Some(last) = hits.last_mut().filter(|_| last_span == Some((start, end))) {
                    for role in roles {
                        if !last.roles.contains(&role) {
                            last.roles.push(role);
                        }
                    }
                    continue;
                }
                last_span = Some((start, end));
                let (original_start, original_end) = normalized.original(start, end);
                let (_, original_core_end) = normalized.original(start, core_end);
                hits.push(TargetHit {
                    start: original_start,
                    end: original_end,
                    core_end: original_core_end,
                    roles: roles.collect(),
                });
            }
            hits
        })
    }
}

/// Like [`leftmost_longest`] but keeps candidates with exactly the chosen span.
fn leftmost_longest_keep_ties<T>(candidates: &mut Vec<(usize, usize, T)>) {
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut last_span: Option<(usize, usize)> = None;
    candidates.retain(|candidate| match last_span {
        Some((start, end)) if candidate.0 == start && candidate.1 == end => true,
        Some((_, end)) if candidate.0 < end => false,
        _ => {
            last_span = Some((candidate.0, candidate.1));
            true
        }
    });
}

/// After an English rendering: nothing, or a plural/possessive ending, then a word boundary.
/// Returns where the match ends.
fn english_ending(haystack: &str, at: usize) -> Option<usize> {
    for ending in ["'s", "es", "s", "'", ""] {
        let end = at + ending.len();
        if haystack[at..].starts_with(ending) && boundary_after(haystack, end) {
            return Some(end);
        }
    }
    None
}

fn is_sentence_start(haystack: &str, at: usize) -> bool {
    let before = haystack[..at].trim_end_matches([' ', '"', '\'', '“', '‘', '(']);
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '…'])
}

fn capitalized(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{EntryOrigin, TermKind};

    fn entry(
        source: &str,
        target: &str,
        variants: &[&str],
        forbidden: &[&str],
        case: CaseMode,
    ) -> Entry {
        Entry {
            source: source.into(),
            target: target.into(),
            kind: TermKind::Title,
            variants: variants.iter().map(|s| s.to_string()).collect(),
            forbidden: forbidden.iter().map(|s| s.to_string()).collect(),
            case,
            note: String::new(),
            origin: EntryOrigin {
                path: "g.tsv".into(),
                line_number: 1,
            },
        }
    }

    fn glossary() -> Glossary {
        Glossary {
            entries: vec![
                entry(
                    "Wakil Perdana Menteri",
                    "Deputy Prime Minister",
                    &[],
                    &["Vice Prime Minister"],
                    CaseMode::Insensitive,
                ),
                entry(
                    "Menteri Luar Negeri",
                    "Minister of Foreign Affairs",
                    &[],
                    &["Foreign Minister"],
                    CaseMode::Insensitive,
                ),
                entry(
                    "Wakil Menteri Luar Negeri",
                    "Deputy Minister of Foreign Affairs",
                    &[],
                    &["Deputy Foreign Minister"],
                    CaseMode::Insensitive,
                ),
                entry("Presiden", "President", &[], &[], CaseMode::Source),
                entry("AS", "US", &["United States"], &[], CaseMode::Sensitive),
                entry(
                    "Perserikatan Bangsa-Bangsa",
                    "United Nations",
                    &["UN"],
                    &[],
                    CaseMode::Insensitive,
                ),
                entry(
                    "Menlu",
                    "Minister of Foreign Affairs",
                    &[],
                    &["Foreign Minister"],
                    CaseMode::Insensitive,
                ),
            ],
        }
    }

    fn source_terms(text: &str) -> Vec<&str> {
        SourceMatcher::new(&glossary())
            .find(text)
            .into_iter()
            .map(|hit| &text[hit.start..hit.end])
            .collect()
    }

    #[test]
    fn source_matching_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "Wakil Perdana Menteri sekaligus Menteri Luar Negeri Bui Thanh Son",
                &["Wakil Perdana Menteri", "Menteri Luar Negeri"],
            ),
            (
                "oleh Wakil Menteri Luar Negeri Tetap",
                &["Wakil Menteri Luar Negeri"],
            ),
            ("Presiden dan presiden lain", &["Presiden"]),
            ("hubungan Vietnam-AS, kerja sama as", &["AS"]),
            (
                "Perserikatan Bangsa Bangsa dan  perserikatan\u{a0}bangsa-bangsa",
                &[
                    "Perserikatan Bangsa Bangsa",
                    "perserikatan\u{a0}bangsa-bangsa",
                ],
            ),
            ("Kepresidenan dan ASEAN tidak", &[]),
            ("Menlu Vietnam", &["Menlu"]),
        ];
        for (text, expected) in table {
            let found = source_terms(text);
            assert_eq!(found, *expected, "{text:?}");
        }
    }

    fn target_hits(text: &str) -> Vec<(String, Vec<(usize, Role)>)> {
        TargetMatcher::new(&glossary())
            .find(text)
            .into_iter()
            .map(|hit| (text[hit.start..hit.end].to_string(), hit.roles))
            .collect()
    }

    #[test]
    fn target_matching_table() {
        let found = target_hits(
            "Deputy Minister of Foreign Affairs Nguyen Minh Hang met the Minister of Foreign Affairs.",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "Deputy Minister of Foreign Affairs");
        assert_eq!(found[0].1, [(2, Role::Accepted)]);
        assert_eq!(
            found[1].1,
            [(1, Role::Accepted), (6, Role::Accepted)],
            "shared rendering serves both entries"
        );

        let found = target_hits(
            "The Vice Prime Minister's speech; two Deputy Prime Ministers; the Deputy Foreign Minister.",
        );
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Vice Prime Minister's",
                "Deputy Prime Ministers",
                "Deputy Foreign Minister"
            ]
        );
        assert_eq!(
            found[2].1,
            [(2, Role::Forbidden)],
            "the longer forbidden rendering wins"
        );

        let found = target_hits("us and the US, United-States and the United\u{a0}States");
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["US", "United-States", "United\u{a0}States"],
            "sensitive US never matches `us`"
        );

        let found = target_hits("president Luong Cuong; the PRESIDENT");
        assert_eq!(found.len(), 2, "case source: English side ignores case");
        assert!(target_hits("Presidential office").is_empty());
    }

    #[test]
    fn the_exact_form_rebuilt_from_the_text_is_the_one_normalising_keeps() {
        for text in [
            "A\u{a0}\u{a0}b–C’s  Wakil-Menteri\tLUAR\n negeri ÀÉ ǅ İstanbul ß",
            "  US and the U.S.' the United\u{2011}States",
            "",
        ] {
            let full = Normalized::new(text);
            let mut lean = Normalized::new("");
            lean.refill(text, false);
            assert_eq!(lean.folded, full.folded, "{text:?}");
            let boundaries: Vec<usize> = (0..=full.folded.len())
                .filter(|&at| full.folded.is_char_boundary(at))
                .collect();
            for &start in &boundaries {
                assert_eq!(
                    lean.original(start, start),
                    full.original(start, start),
                    "{text:?}"
                );
                for &end in boundaries.iter().filter(|&&end| end >= start) {
                    assert_eq!(
                        lean.exact_of(text, start, end),
                        full.exact_of(text, start, end),
                        "{text:?} {start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn normalization_maps_back_to_original_offsets() {
        let text = "A\u{a0}\u{a0}b–C’s";
        let normalized = Normalized::new(text);
        assert_eq!(normalized.folded, "a b–c's");
        let (start, end) = normalized.original(2, normalized.folded.len());
        assert_eq!(&text[start..end], "b–C’s");
    }

    #[test]
    fn the_automaton_reports_every_occurrence_a_naive_search_finds_in_order_of_their_end() {
        let patterns: Vec<String> = [
            "a",
            "ab",
            "bab",
            "b",
            "menteri",
            "menteri luar negeri",
            "wakil menteri luar negeri",
            "luar",
            "ri",
            "ñé",
            "é",
            "a\u{0}b",
            "\u{7f}",
        ]
        .iter()
        .map(|pattern| pattern.to_string())
        .collect();
        let dfa = Automaton::build(&patterns).expect("patterns");
        let double_array = Automaton::with_dfa_state_limit(&patterns, 1).expect("patterns");
        assert!(matches!(dfa, Automaton::Classic(_)));
        assert!(matches!(double_array, Automaton::DoubleArray(_)));
        let haystacks = [
            "abab wakil menteri luar negeri ñé ñ é",
            "",
            "babababa",
            "menteri luar negerimenteri",
            "ba\u{0}b \u{7f}\u{0}",
        ];
        for (automaton, haystack) in [&dfa, &double_array]
            .into_iter()
            .flat_map(|automaton| haystacks.map(|haystack| (automaton, haystack)))
        {
            let mut found = Vec::new();
            automaton.each_occurrence(haystack, |start, end, pattern| {
                found.push((start, end, pattern))
            });
            assert!(
                found.windows(2).all(|pair| pair[0].1 <= pair[1].1),
                "{haystack:?}: {found:?}"
            );
            let mut naive: Vec<(usize, usize, usize)> = (0..haystack.len())
                .flat_map(|start| {
                    patterns
                        .iter()
                        .enumerate()
                        .filter(move |(_, pattern)| {
                            haystack.as_bytes()[start..].starts_with(pattern.as_bytes())
                        })
                        .map(move |(index, pattern)| (start, start + pattern.len(), index))
                })
                .collect();
            let mut sorted = found.clone();
            sorted.sort_unstable();
            naive.sort_unstable();
            assert_eq!(sorted, naive, "{haystack:?}");
        }
        assert!(Automaton::build(&[]).is_none());
    }
}
