//! The translation lexicon the QA checks learn from approved pairs (the reviewed memory) and
//! the glossary: which Indonesian word stems go with which English ones (Dice coefficient over
//! the pairs both occur in), which Indonesian words are copied as they are (names) and which
//! are translated, which words English targets use, and how long an English translation
//! usually is next to its source.
//!
//! Learnt once per run; every lookup afterwards is a hash of a folded word or a binary search
//! in a short sorted list. Must not know about any single check's thresholds.

use super::text::{
    Analysed, TokenKind, WordHashing, WordMap, WordSet, english_stem, indonesian_stem,
    is_english_stopword, is_indonesian_stopword,
};
use crate::glossary::Glossary;
use crate::tmx::Memory;
use std::collections::{HashMap, HashSet};

/// The lowest Dice coefficient that makes a stem pair a translation.
const MIN_DICE: f32 = 0.3;
/// How close to a stem's best Dice another link must be to count as a translation too.
const COMPETITION: f32 = 0.7;
/// Pairs with more content words than this on a side are left out of the co-occurrence
/// counts (the counts grow with the square of the length).
const MAX_PAIR_WORDS: usize = 120;
/// At most this many approved pairs are learnt from (the co-occurrence table grows with the
/// pairs; a few thousand reviewed pairs already give the associations their shape).
const MAX_LEARNING_PAIRS: usize = 20_000;
/// At most this many translations are kept for a stem.
const MAX_TRANSLATIONS: usize = 12;

/// How an Indonesian word behaved in the approved pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordUse {
    /// Pairs whose source has the word.
    pub pairs: u32,
    /// Of those, pairs whose target has the same word (folded).
    pub copied: u32,
}

impl WordUse {
    /// The share of pairs in which the word was copied into the English.
    pub fn copy_rate(self) -> f32 {
        if self.pairs == 0 {
            0.0
        } else {
            self.copied as f32 / self.pairs as f32
        }
    }
}

/// A learnt translation lexicon. [`Lexicon::default`] knows nothing (every word unknown).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    source_words: WordMap<String, WordUse>,
    target_words: HashSet<String, WordHashing>,
    source_stems: WordMap<String, u32>,
    target_stems: WordMap<String, u32>,
    /// Per source stem id, the target stem ids it translates to, sorted.
    forward: Links,
    /// Per target stem id, the source stem ids it translates, sorted.
    backward: Links,
    /// Mean and standard deviation of ln(target length / source length) in characters.
    length_ratio: Option<(f64, f64)>,
    pairs: usize,
}

impl Lexicon {
    /// Learns from a TMX memory (its source language side against the other one) and the
    /// glossary's term pairs.
    pub fn from_memory(memory: &Memory, glossary: Option<&Glossary>) -> Lexicon {
        let source_language = if memory.source_language.is_empty() {
            "id"
        } else {
            memory.source_language.as_str()
        };
        let pairs: Vec<(&str, &str)> = memory
            .units
            .iter()
            .filter_map(|unit| {
                Some((
                    unit.text_in(source_language)?,
                    unit.text_not_in(source_language)?,
                ))
            })
            .collect();
        Lexicon::learn(pairs, glossary)
    }

    /// Learns from the approved memory in force (source → English, as the translate stage
    /// holds it), in source order so that the lexicon does not depend on hash order.
    pub fn from_approved(
        approved: &HashMap<String, String>,
        glossary: Option<&Glossary>,
    ) -> Lexicon {
        let mut pairs: Vec<(&str, &str)> = approved
            .iter()
            .map(|(source, target)| (source.as_str(), target.as_str()))
            .collect();
        pairs.sort_unstable();
        Lexicon::learn(pairs, glossary)
    }

    /// Learns from approved (Indonesian, English) pairs and the glossary's term pairs.
    pub fn learn<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        glossary: Option<&Glossary>,
    ) -> Lexicon {
        let mut lexicon = Lexicon::default();
        let mut source_stem_count: Vec<u32> = Vec::new();
        let mut target_stem_count: Vec<u32> = Vec::new();
        let mut together: HashMap<(u32, u32), u32> = HashMap::new();
        let mut log_ratios: Vec<f64> = Vec::new();
        let glossary_pairs: Vec<(String, String)> = glossary
            .map(|glossary| {
                glossary
                    .entries
                    .iter()
                    .flat_map(|entry| {
                        entry
                            .accepted()
                            .map(|accepted| (entry.source.clone(), accepted.to_string()))
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let all = pairs
            .into_iter()
            .take(MAX_LEARNING_PAIRS)
            .map(|pair| (pair, true))
            .chain(
                glossary_pairs
                    .iter()
                    .map(|(source, target)| ((source.as_str(), target.as_str()), false)),
            );
        for ((source, target), is_segment) in all {
            let source = Analysed::new(source);
            let target = Analysed::new(target);
            if is_segment {
                lexicon.pairs += 1;
                let (source_length, target_length) =
                    (source.text.chars().count(), target.text.chars().count());
                if source_length >= 20 && target_length > 0 {
                    log_ratios.push((target_length as f64 / source_length as f64).ln());
                }
                lexicon.count_words(&source, &target);
            }
            let source_ids = stem_ids(
                &source,
                &mut lexicon.source_stems,
                &mut source_stem_count,
                Side::Source,
            );
            let target_ids = stem_ids(
                &target,
                &mut lexicon.target_stems,
                &mut target_stem_count,
                Side::Target,
            );
            if source_ids.len() > MAX_PAIR_WORDS || target_ids.len() > MAX_PAIR_WORDS {
                continue;
            }
            for &source_id in &source_ids {
                for &target_id in &target_ids {
                    *together.entry((source_id, target_id)).or_default() += 1;
                }
            }
        }
        // Dice of every pair of stems seen together, and the best of each stem
        let mut best_source = vec![0.0f32; source_stem_count.len()];
        let mut best_target = vec![0.0f32; target_stem_count.len()];
        let scored: Vec<(u32, u32, f32)> = together
            .into_iter()
            .map(|((source_id, target_id), count)| {
                let dice = 2.0 * count as f32
                    / (source_stem_count[source_id as usize]
                        + target_stem_count[target_id as usize]) as f32;
                let source_best = &mut best_source[source_id as usize];
                *source_best = source_best.max(dice);
                let target_best = &mut best_target[target_id as usize];
                *target_best = target_best.max(dice);
                (source_id, target_id, dice)
            })
            .collect();
        // competitive: a pair counts only when it is (nearly) the best of both its stems, so
        // that `meminta` is not linked to `president` just because presidents often ask
        let mut forward: Vec<Vec<(u32, f32)>> = vec![Vec::new(); source_stem_count.len()];
        for (source_id, target_id, dice) in scored {
            if dice >= MIN_DICE
                && dice >= COMPETITION * best_source[source_id as usize]
                && dice >= COMPETITION * best_target[target_id as usize]
            {
                forward[source_id as usize].push((target_id, dice));
            }
        }
        let mut backward: Vec<Vec<u32>> = vec![Vec::new(); target_stem_count.len()];
        let forward: Vec<Vec<u32>> = forward
            .into_iter()
            .enumerate()
            .map(|(source_id, mut candidates)| {
                candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                candidates.truncate(MAX_TRANSLATIONS);
                let mut ids: Vec<u32> = candidates.into_iter().map(|(id, _)| id).collect();
                for &target_id in &ids {
                    backward[target_id as usize].push(source_id as u32);
                }
                ids.sort_unstable();
                ids
            })
            .collect();
        for list in &mut backward {
            list.sort_unstable();
        }
        lexicon.forward = Links::new(forward);
        lexicon.backward = Links::new(backward);
        if log_ratios.len() >= 10 {
            let mean = log_ratios.iter().sum::<f64>() / log_ratios.len() as f64;
            let variance = log_ratios
                .iter()
                .map(|ratio| (ratio - mean).powi(2))
                .sum::<f64>()
                / log_ratios.len() as f64;
            lexicon.length_ratio = Some((mean, variance.sqrt().max(0.05)));
        }
        lexicon
    }

    fn count_words(&mut self, source: &Analysed<'_>, target: &Analysed<'_>) {
        let target_words: WordSet<'_> = target
            .tokens
            .iter()
            .filter(|token| token.kind == TokenKind::Word)
            .map(|token| target.folded(token))
            .collect();
        let mut seen = WordSet::default();
        for token in &source.tokens {
            let word = source.folded(token);
            if token.kind != TokenKind::Word || !seen.insert(word) {
                continue;
            }
            let counts = self.source_words.entry(word.to_string()).or_default();
            counts.pairs += 1;
            if target_words.contains(word) {
                counts.copied += 1;
            }
        }
        for word in target_words {
            if !self.target_words.contains(word) {
                self.target_words.insert(word.to_string());
            }
        }
    }

    /// How many approved segment pairs it was learnt from.
    pub fn pair_count(&self) -> usize {
        self.pairs
    }

    /// How a folded Indonesian word behaved in the approved pairs, if it occurred.
    pub fn source_word(&self, folded: &str) -> Option<WordUse> {
        self.source_words.get(folded).copied()
    }

    /// Every Indonesian word of the approved pairs and how it behaved.
    pub fn source_words(&self) -> impl Iterator<Item = (&str, WordUse)> {
        self.source_words
            .iter()
            .map(|(word, known)| (word.as_str(), *known))
    }

    /// Every word of the approved English targets.
    pub fn target_words(&self) -> impl Iterator<Item = &str> {
        self.target_words.iter().map(String::as_str)
    }

    /// Whether the folded word occurred in an approved English target.
    pub fn is_english_word(&self, folded: &str) -> bool {
        self.target_words.contains(folded)
    }

    /// The id of an Indonesian word's stem, if the lexicon has seen it.
    pub fn source_stem(&self, folded: &str) -> Option<u32> {
        self.source_stems.get(indonesian_stem(folded)).copied()
    }

    /// The id of an English word's stem, if the lexicon has seen it.
    pub fn target_stem(&self, folded: &str) -> Option<u32> {
        self.target_stems.get(english_stem(folded)).copied()
    }

    /// The target stems a source stem translates to (sorted).
    pub fn translations(&self, source_stem: u32) -> &[u32] {
        self.forward.get(source_stem)
    }

    /// How many source and target stems the lexicon has (stem ids are below these).
    pub fn stem_counts(&self) -> (usize, usize) {
        (self.forward.len(), self.backward.len())
    }

    /// The source stems a target stem translates (sorted).
    pub fn translated_from(&self, target_stem: u32) -> &[u32] {
        self.backward.get(target_stem)
    }

    /// Every learnt translation as (Indonesian stem, English stem), sorted; for callers that
    /// keep or store the associations apart from the lexicon (`selaras align`'s cache).
    pub fn translation_pairs(&self) -> Vec<(&str, &str)> {
        fn names(stems: &WordMap<String, u32>) -> Vec<&str> {
            let mut names = vec![""; stems.len()];
            for (stem, &id) in stems {
                names[id as usize] = stem.as_str();
            }
            names
        }
        let (source_names, target_names) = (names(&self.source_stems), names(&self.target_stems));
        let mut pairs: Vec<(&str, &str)> = self
            .forward
            .lists()
            .enumerate()
            .flat_map(|(source_id, targets)| {
                targets
                    .iter()
                    .map(move |&target_id| (source_id, target_id as usize))
            })
            .map(|(source_id, target_id)| (source_names[source_id], target_names[target_id]))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// How unusual a pair's length ratio is, in standard deviations (negative: the target is
    /// short for its source); `None` when the lexicon has too few pairs to say.
    pub fn length_deviation(&self, source: &str, target: &str) -> Option<f64> {
        let (mean, deviation) = self.length_ratio?;
        let source_length = source.chars().count();
        let target_length = target.chars().count();
        if source_length < 20 || target_length == 0 {
            return None;
        }
        Some(((target_length as f64 / source_length as f64).ln() - mean) / deviation)
    }
}

/// Per stem id, a sorted list of stem ids, stored end to end (one lookup, no pointer to
/// follow per stem).
#[derive(Debug, Clone, Default)]
struct Links {
    /// Where each stem's list starts in `ids`; one more entry than there are stems.
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Links {
    fn new(lists: Vec<Vec<u32>>) -> Links {
        let mut links = Links {
            starts: Vec::with_capacity(lists.len() + 1),
            ids: Vec::with_capacity(lists.iter().map(Vec::len).sum()),
        };
        links.starts.push(0);
        for list in lists {
            links.ids.extend(list);
            links.starts.push(links.ids.len() as u32);
        }
        links
    }

    /// The list of a stem (empty for an unknown id).
    fn get(&self, stem: u32) -> &[u32] {
        let stem = stem as usize;
        match (self.starts.get(stem), self.starts.get(stem + 1)) {
            (Some(&start), Some(&end)) => &self.ids[start as usize..end as usize],
            _ => &[],
        }
    }

    /// How many stems it has lists for.
    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn lists(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len() as u32).map(|stem| self.get(stem))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Source,
    Target,
}

/// Whether a folded word counts for the lexicon (a content word of its language).
pub fn is_content_word(word: &str, source_side: bool) -> bool {
    word.chars().count() >= 2
        && if source_side {
            !is_indonesian_stopword(word)
        } else {
            !is_english_stopword(word)
        }
}

/// The distinct stem ids of a text's content words, interning new stems.
fn stem_ids(
    analysed: &Analysed<'_>,
    stems: &mut WordMap<String, u32>,
    counts: &mut Vec<u32>,
    side: Side,
) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::new();
    for token in &analysed.tokens {
        if token.kind != TokenKind::Word {
            continue;
        }
        let word = analysed.folded(token);
        if !is_content_word(word, side == Side::Source) {
            continue;
        }
        let stem = match side {
            Side::Source => indonesian_stem(word),
            Side::Target => english_stem(word),
        };
        let id = match stems.get(stem) {
            Some(&id) => id,
            None => {
                let id = stems.len() as u32;
                stems.insert(stem.to_string(), id);
                counts.push(0);
                id
            }
        };
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    for &id in &ids {
        counts[id as usize] += 1;
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lexicon {
        let pairs = [
            (
                "Presiden Joe Biden bertemu menteri.",
                "President Joe Biden met the minister.",
            ),
            (
                "Presiden mengunjungi Hanoi.",
                "The President visited Hanoi.",
            ),
            (
                "Menteri mengunjungi pabrik.",
                "The minister visited a factory.",
            ),
            (
                "Kerja sama ekonomi diperkuat.",
                "Economic cooperation was strengthened.",
            ),
            (
                "Kerja sama pertahanan diperluas.",
                "Defence cooperation was expanded.",
            ),
        ];
        Lexicon::learn(pairs, None)
    }

    #[test]
    fn learns_translations_from_co_occurrence() {
        let lexicon = sample();
        let presiden = lexicon.source_stem("presiden").unwrap();
        let president = lexicon.target_stem("president").unwrap();
        assert!(lexicon.translations(presiden).contains(&president));
        assert!(lexicon.translated_from(president).contains(&presiden));
        let kerja = lexicon.source_stem("kerja").unwrap();
        let cooperation = lexicon.target_stem("cooperation").unwrap();
        assert!(lexicon.translations(kerja).contains(&cooperation));
        assert!(!lexicon.translations(presiden).contains(&cooperation));
    }

    #[test]
    fn tells_copied_words_from_translated_ones() {
        let lexicon = sample();
        assert_eq!(lexicon.source_word("biden").unwrap().copy_rate(), 1.0);
        assert_eq!(lexicon.source_word("presiden").unwrap().copy_rate(), 0.0);
        assert!(lexicon.source_word("jakarta").is_none());
        assert!(lexicon.is_english_word("factory"));
        assert!(!lexicon.is_english_word("pabrik"));
        assert_eq!(lexicon.pair_count(), 5);
    }

    #[test]
    fn translation_pairs_name_the_stems() {
        let lexicon = sample();
        let pairs = lexicon.translation_pairs();
        assert!(pairs.contains(&("presiden", "president")), "{pairs:?}");
        assert!(pairs.windows(2).all(|pair| pair[0] <= pair[1]));
        assert!(Lexicon::default().translation_pairs().is_empty());
    }

    #[test]
    fn an_empty_lexicon_knows_nothing() {
        let lexicon = Lexicon::default();
        assert!(lexicon.source_stem("presiden").is_none());
        assert!(
            lexicon
                .length_deviation("a long enough source text", "x")
                .is_none()
        );
    }
}
