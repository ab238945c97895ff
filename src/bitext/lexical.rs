//! Lexical evidence: how many words of a candidate link's sentences have a counterpart on the
//! other side — a translation from the [`TranslationTable`] learnt from approved pairs (the Dice
//! lexicon of [`crate::qa::Lexicon`]), the same word (names, loanwords such as `digital`), a
//! cognate (`diplomatik` ~ `diplomatic`, `sektor` ~ `sector`), or, with an engine, a word of the
//! engine's translation of the source.
//!
//! Each kind of evidence is a [`View`]: items on the source side (content words, or the content
//! words of the engine's translation), word types on the target side, and which match which.
//! The number of matched words among a link's words is scored as a binomial log-likelihood
//! ratio, "translation" against "unrelated sentences", whose two rates are measured on the
//! document itself ([`Lexical::calibrate`]): on the confident 1-1 links of a first alignment
//! without lexical evidence, and on the same sentences paired with their neighbours' partners.
//! Must not know about blocks, lengths, anchors or the dynamic program.

use crate::qa::Lexicon;
use crate::qa::lexicon::is_content_word;
use crate::qa::text::{Analysed, TokenKind, english_stem, indonesian_stem};
use std::cell::OnceCell;
use std::collections::HashMap;

/// The first line of a cached table; a file with another first line is not a cache of ours.
const CACHE_MAGIC: &str = "# selaras align translation table v1";
/// Words of a sentence beyond this many distinct content words are not counted.
const MAX_WORDS: usize = 128;
/// Documents with at most this many (source, target) sentence pairs keep each pair's match
/// masks once computed (48 bytes a pair); longer ones compute them again when asked.
const MAX_CACHED_PAIRS: usize = 250_000;
/// Shortest common prefix (after spelling normalisation) that makes two words cognates.
const MIN_COGNATE_PREFIX: usize = 5;
/// And the share of the shorter word it must cover.
const MIN_COGNATE_SHARE: f64 = 0.7;

/// Indonesian word stems and the English stems they translate to, learnt from approved pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TranslationTable {
    forward: HashMap<String, Vec<String>>,
    /// How many approved segment pairs it was learnt from.
    pair_count: usize,
}

impl TranslationTable {
    /// Learns from approved (Indonesian, English) pairs and, when given, the glossary's terms.
    pub fn learn<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        glossary: Option<&crate::glossary::Glossary>,
    ) -> TranslationTable {
        TranslationTable::from_lexicon(&Lexicon::learn(pairs, glossary))
    }

    /// The associations of a learnt QA lexicon.
    pub fn from_lexicon(lexicon: &Lexicon) -> TranslationTable {
        let mut forward: HashMap<String, Vec<String>> = HashMap::new();
        for (source, target) in lexicon.translation_pairs() {
            forward
                .entry(source.to_string())
                .or_default()
                .push(target.to_string());
        }
        TranslationTable {
            forward,
            pair_count: lexicon.pair_count(),
        }
    }

    /// How many Indonesian stems have a translation.
    pub fn len(&self) -> usize {
        self.forward.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forward.is_empty()
    }

    /// How many approved segment pairs the table was learnt from.
    pub fn pair_count(&self) -> usize {
        self.pair_count
    }

    /// The English stems an Indonesian stem translates to.
    pub fn translations(&self, source_stem: &str) -> &[String] {
        self.forward.get(source_stem).map_or(&[], Vec::as_slice)
    }

    /// The table as text, for the cache: a first line with `key`, then one line per stem,
    /// `stem<TAB>translation translation…`, sorted.
    pub fn to_cache_text(&self, key: &str) -> String {
        let mut stems: Vec<(&String, &Vec<String>)> = self.forward.iter().collect();
        stems.sort_unstable();
        let mut text = format!("{CACHE_MAGIC} {key} pairs={}\n", self.pair_count);
        for (stem, translations) in stems {
            text.push_str(stem);
            text.push('\t');
            text.push_str(&translations.join(" "));
            text.push('\n');
        }
        text
    }

    /// Reads a table written by [`TranslationTable::to_cache_text`] with the same `key`;
    /// `None` for any other text (another key, another version, a damaged file).
    pub fn from_cache_text(text: &str, key: &str) -> Option<TranslationTable> {
        let mut lines = text.lines();
        let header = lines.next()?;
        let rest = header.strip_prefix(CACHE_MAGIC)?.strip_prefix(' ')?;
        let (found_key, pairs) = rest.split_once(" pairs=")?;
        if found_key != key {
            return None;
        }
        let pair_count = pairs.parse().ok()?;
        let mut forward = HashMap::new();
        for line in lines {
            let (stem, translations) = line.split_once('\t')?;
            let translations: Vec<String> = translations.split(' ').map(str::to_string).collect();
            if stem.is_empty() || translations.iter().any(String::is_empty) {
                return None;
            }
            forward.insert(stem.to_string(), translations);
        }
        Some(TranslationTable {
            forward,
            pair_count,
        })
    }
}

/// The rates of matched words in true and in unrelated pairs, as per-word log ratios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// Share of words with a counterpart when the sentences translate each other.
    pub translated: f64,
    /// Share when they do not.
    pub unrelated: f64,
}

impl Rates {
    fn weights(self) -> (f64, f64) {
        let (p, q) = (self.translated, self.unrelated);
        ((p / q).ln(), ((1.0 - p) / (1.0 - q)).ln())
    }
}

/// One kind of evidence over one document.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// Per source sentence, its item ids (sorted, distinct, at most [`MAX_WORDS`]).
    source_items: Vec<Vec<u32>>,
    /// Per target sentence, its word type ids (sorted, distinct, at most [`MAX_WORDS`]).
    target_types: Vec<Vec<u32>>,
    /// Per item, the target types it matches (sorted).
    forward: Vec<Vec<u32>>,
    /// Per target type, the items that match it (sorted).
    backward: Vec<Vec<u32>>,
    /// Log ratios per matched and per unmatched word, once calibrated.
    weights: Option<(f64, f64)>,
    /// The rates measured, for diagnostics.
    pub rates: Option<Rates>,
    /// [`View::masks`] of each (source, target) pair, row by row, once computed; empty when
    /// the document has more than [`MAX_CACHED_PAIRS`] pairs.
    masks: Vec<OnceCell<(u128, u128)>>,
}

/// A word interner for one side of one document.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    words: Vec<String>,
}

impl Interner {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.to_string(), id);
        self.words.push(word.to_string());
        id
    }
}

/// The distinct folded content words of a text (in order of first occurrence).
fn content_words(text: &str, source_side: bool) -> Vec<String> {
    let analysed = Analysed::new(text);
    let mut words: Vec<String> = Vec::new();
    for token in &analysed.tokens {
        if token.kind != TokenKind::Word {
            continue;
        }
        let word = analysed.folded(token);
        if is_content_word(word, source_side) && !words.iter().any(|seen| seen == word) {
            words.push(word.to_string());
        }
    }
    words
}

fn interned(texts: &[&str], source_side: bool, interner: &mut Interner) -> Vec<Vec<u32>> {
    texts
        .iter()
        .map(|text| {
            let mut ids: Vec<u32> = content_words(text, source_side)
                .iter()
                .take(MAX_WORDS)
                .map(|word| interner.intern(word))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

/// Spelling normalised towards a shared form, so that cognates share a prefix: `k`, `q` and
/// `ch` are `c`, `ph` is `f`, `th` is `t`, `y` is `i`, `si` is `ti` (`informasi` ~
/// `information`, `nasional` ~ `national`, `teknologi` ~ `technology`).
fn cognate_form(word: &str) -> Vec<u8> {
    let bytes = word.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let pair = bytes.get(index..index + 2);
        match pair {
            Some(b"ch") | Some(b"ph") | Some(b"th") => {
                out.push(match bytes[index] {
                    b'c' => b'c',
                    b'p' => b'f',
                    _ => b't',
                });
                index += 2;
                continue;
            }
            Some(b"si") => {
                out.extend_from_slice(b"ti");
                index += 2;
                continue;
            }
            _ => {}
        }
        out.push(match bytes[index] {
            b'k' | b'q' => b'c',
            b'y' => b'i',
            other => other,
        });
        index += 1;
    }
    out
}

fn are_cognates(source: &[u8], target: &[u8]) -> bool {
    let shorter = source.len().min(target.len());
    if shorter < MIN_COGNATE_PREFIX {
        return false;
    }
    let common = source
        .iter()
        .zip(target)
        .take_while(|(a, b)| a == b)
        .count();
    common >= MIN_COGNATE_PREFIX && common as f64 >= MIN_COGNATE_SHARE * shorter as f64
}

impl View {
    /// The lexicon view: source content words against target content words, matched by the
    /// table, by identity or as cognates. `table` may be empty (identity and cognates only).
    pub fn lexicon(source: &[&str], target: &[&str], table: &TranslationTable) -> View {
        let mut sources = Interner::default();
        let mut targets = Interner::default();
        let source_items = interned(source, true, &mut sources);
        let target_types = interned(target, false, &mut targets);
        // target types by stem and by the first two letters of their cognate form
        let mut by_stem: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut by_word: HashMap<&str, u32> = HashMap::new();
        let mut by_start: HashMap<[u8; 2], Vec<(u32, Vec<u8>)>> = HashMap::new();
        for (id, word) in targets.words.iter().enumerate() {
            let id = id as u32;
            by_stem.entry(english_stem(word)).or_default().push(id);
            by_word.insert(word, id);
            let form = cognate_form(word);
            if form.len() >= MIN_COGNATE_PREFIX {
                by_start
                    .entry([form[0], form[1]])
                    .or_default()
                    .push((id, form));
            }
        }
        let forward: Vec<Vec<u32>> = sources
            .words
            .iter()
            .map(|word| {
                let mut matches: Vec<u32> = Vec::new();
                if let Some(&id) = by_word.get(word.as_str()) {
                    matches.push(id);
                }
                for translation in table.translations(indonesian_stem(word)) {
                    if let Some(ids) = by_stem.get(translation.as_str()) {
                        matches.extend(ids);
                    }
                }
                let form = cognate_form(word);
                if form.len() >= MIN_COGNATE_PREFIX
                    && let Some(candidates) = by_start.get(&[form[0], form[1]])
                {
                    matches.extend(
                        candidates
                            .iter()
                            .filter(|(_, other)| are_cognates(&form, other))
                            .map(|(id, _)| *id),
                    );
                }
                matches.sort_unstable();
                matches.dedup();
                matches
            })
            .collect();
        View::assemble(source_items, target_types, forward, targets.words.len())
    }

    /// The engine view: the content words of the engine's English for each source sentence
    /// (`None`: no translation) against the target's, matched when their stems are equal.
    pub fn engine(translations: &[Option<&str>], target: &[&str]) -> View {
        let mut stems = Interner::default();
        let stemmed = |texts: &mut dyn Iterator<Item = &str>, stems: &mut Interner| {
            texts
                .map(|text| {
                    let mut ids: Vec<u32> = content_words(text, false)
                        .iter()
                        .take(MAX_WORDS)
                        .map(|word| stems.intern(english_stem(word)))
                        .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                })
                .collect::<Vec<_>>()
        };
        let target_types = stemmed(&mut target.iter().copied(), &mut stems);
        let target_count = stems.words.len();
        let source_items = stemmed(
            &mut translations.iter().map(|text| text.unwrap_or("")),
            &mut stems,
        );
        // an item is a stem; it matches the target type of the same id, if the target has it
        let forward = (0..stems.words.len())
            .map(|id| {
                if id < target_count {
                    vec![id as u32]
                } else {
                    Vec::new()
                }
            })
            .collect();
        View::assemble(source_items, target_types, forward, target_count)
    }

    fn assemble(
        source_items: Vec<Vec<u32>>,
        target_types: Vec<Vec<u32>>,
        forward: Vec<Vec<u32>>,
        target_count: usize,
    ) -> View {
        let mut backward = vec![Vec::new(); target_count];
        for (item, matches) in forward.iter().enumerate() {
            for &target in matches {
                backward[target as usize].push(item as u32);
            }
        }
        let pairs = source_items.len().saturating_mul(target_types.len());
        let masks = if pairs <= MAX_CACHED_PAIRS {
            std::iter::repeat_with(OnceCell::new).take(pairs).collect()
        } else {
            Vec::new()
        };
        View {
            source_items,
            target_types,
            forward,
            backward,
            weights: None,
            rates: None,
            masks,
        }
    }

    /// Which words of source sentence `i` have a match in target sentence `j` (bit k: the
    /// k-th item of `i`), and which words of `j` have one in `i`.
    fn masks(&self, i: usize, j: usize) -> (u128, u128) {
        match self.masks.get(i * self.target_types.len() + j) {
            Some(cell) => *cell.get_or_init(|| self.compute_masks(i, j)),
            None => self.compute_masks(i, j),
        }
    }

    fn compute_masks(&self, i: usize, j: usize) -> (u128, u128) {
        let (items, types) = (&self.source_items[i], &self.target_types[j]);
        let mut source_mask = 0u128;
        for (bit, &item) in items.iter().enumerate() {
            if intersects(&self.forward[item as usize], types) {
                source_mask |= 1 << bit;
            }
        }
        let mut target_mask = 0u128;
        for (bit, &kind) in types.iter().enumerate() {
            if intersects(&self.backward[kind as usize], items) {
                target_mask |= 1 << bit;
            }
        }
        (source_mask, target_mask)
    }

    /// (matched, counted) words of both sides of the link `sources` × `targets`.
    fn counts(&self, sources: &[usize], targets: &[usize]) -> (u32, u32) {
        let (mut matched, mut counted) = (0u32, 0u32);
        let masks: Vec<Vec<(u128, u128)>> = sources
            .iter()
            .map(|&i| targets.iter().map(|&j| self.masks(i, j)).collect())
            .collect();
        for (row, &i) in sources.iter().enumerate() {
            let mask = masks[row].iter().fold(0u128, |all, (mask, _)| all | mask);
            matched += mask.count_ones();
            counted += self.source_items[i].len() as u32;
        }
        for (column, &j) in targets.iter().enumerate() {
            let mask = masks.iter().fold(0u128, |all, row| all | row[column].1);
            matched += mask.count_ones();
            counted += self.target_types[j].len() as u32;
        }
        (matched, counted)
    }
}

/// Whether two sorted lists share an element.
fn intersects(a: &[u32], b: &[u32]) -> bool {
    let (mut left, mut right) = (0, 0);
    while left < a.len() && right < b.len() {
        match a[left].cmp(&b[right]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => left += 1,
            std::cmp::Ordering::Greater => right += 1,
        }
    }
    false
}

/// All the lexical evidence of one document.
#[derive(Debug, Clone, Default)]
pub struct Lexical {
    pub views: Vec<View>,
}

/// Fewer confident links than this and the rates are not measured: the view stays silent.
const MIN_CALIBRATION_LINKS: usize = 3;
/// Rates are kept inside these bounds (a rate of 0 or 1 would make one word decisive).
const RATE_BOUNDS: (f64, f64) = (0.01, 0.95);
/// A view whose translated rate does not beat the unrelated one by this much says nothing.
const MIN_RATE_GAP: f64 = 0.05;

impl Lexical {
    /// Measures each view's rates on the confident 1-1 links `pairs` (source, target) of a
    /// first alignment, against the same source sentences paired with targets two and three
    /// places away.
    pub fn calibrate(&mut self, pairs: &[(usize, usize)], target_count: usize) {
        for view in &mut self.views {
            view.weights = None;
            view.rates = None;
            if pairs.len() < MIN_CALIBRATION_LINKS {
                continue;
            }
            let (mut true_matched, mut true_counted) = (0u32, 0u32);
            let (mut false_matched, mut false_counted) = (0u32, 0u32);
            for &(i, j) in pairs {
                let (matched, counted) = view.counts(&[i], &[j]);
                true_matched += matched;
                true_counted += counted;
                for offset in [-3isize, -2, 2, 3] {
                    let Some(other) = j.checked_add_signed(offset).filter(|&k| k < target_count)
                    else {
                        continue;
                    };
                    let (matched, counted) = view.counts(&[i], &[other]);
                    false_matched += matched;
                    false_counted += counted;
                }
            }
            let rate = |matched: u32, counted: u32| {
                ((matched as f64 + 0.5) / (counted as f64 + 1.0))
                    .clamp(RATE_BOUNDS.0, RATE_BOUNDS.1)
            };
            let rates = Rates {
                translated: rate(true_matched, true_counted),
                unrelated: rate(false_matched, false_counted),
            };
            if rates.translated - rates.unrelated >= MIN_RATE_GAP {
                view.weights = Some(rates.weights());
                view.rates = Some(rates);
            }
        }
    }

    /// The log-likelihood ratio (nats) that the link's sentences translate each other rather
    /// than being unrelated, summed over the calibrated views; 0 when none is.
    pub fn log_ratio(&self, sources: &[usize], targets: &[usize]) -> f64 {
        let mut total = 0.0;
        for view in &self.views {
            let Some((per_match, per_miss)) = view.weights else {
                continue;
            };
            let (matched, counted) = view.counts(sources, targets);
            total += matched as f64 * per_match + (counted - matched) as f64 * per_miss;
        }
        total
    }

    /// Whether any view is calibrated.
    pub fn is_active(&self) -> bool {
        self.views.iter().any(|view| view.weights.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognates_share_a_normalised_prefix() {
        let table: &[(&str, &str, bool)] = &[
            ("diplomatik", "diplomatic", true),
            ("sektor", "sector", true),
            ("teknologi", "technology", true),
            ("informasi", "information", true),
            ("nasional", "national", true),
            ("presiden", "president", true),
            ("komprehensif", "comprehensive", true),
            ("menteri", "minister", false),
            ("partai", "part", false),
            ("dan", "and", false),
        ];
        for (source, target, expected) in table {
            assert_eq!(
                are_cognates(&cognate_form(source), &cognate_form(target)),
                *expected,
                "{source} ~ {target}"
            );
        }
    }

    #[test]
    fn the_cache_text_round_trips_and_checks_its_key() {
        let table = TranslationTable::learn(
            [
                (
                    "Presiden bertemu menteri.",
                    "The President met the minister.",
                ),
                (
                    "Presiden mengunjungi pabrik.",
                    "The President visited a factory.",
                ),
                (
                    "Menteri mengunjungi pabrik.",
                    "The minister visited a factory.",
                ),
            ],
            None,
        );
        assert!(!table.is_empty());
        assert_eq!(table.pair_count(), 3);
        let text = table.to_cache_text("abc");
        assert_eq!(TranslationTable::from_cache_text(&text, "abc"), Some(table));
        assert_eq!(TranslationTable::from_cache_text(&text, "abd"), None);
        assert_eq!(TranslationTable::from_cache_text("garbage", "abc"), None);
    }

    #[test]
    fn words_are_matched_by_table_identity_and_cognates() {
        let table = TranslationTable::learn(
            [
                (
                    "Menteri bertemu Presiden.",
                    "The minister met the President.",
                ),
                ("Menteri pergi.", "The minister left."),
                ("Menteri datang.", "The minister came."),
            ],
            None,
        );
        let source = ["Menteri sektor digital bertemu Hanoi.", "Kucing tidur."];
        let target = [
            "The minister of the digital sector met Hanoi.",
            "Dogs bark loudly.",
        ];
        let view = View::lexicon(&source, &target, &table);
        // menteri and bertemu (table), sektor (cognate), digital and hanoi (identity)
        let (matched, counted) = view.counts(&[0], &[0]);
        assert_eq!((matched, counted), (5 + 5, 5 + 5), "{view:?}");
        assert_eq!(view.counts(&[1], &[1]).0, 0);
        assert_eq!(view.counts(&[0], &[1]).0, 0);
        // a merged link counts each word once, and the words of both sources
        assert_eq!(view.counts(&[0, 1], &[0]), (10, 12));
    }

    #[test]
    fn calibration_makes_matches_evidence_and_misses_counter_evidence() {
        let names = [
            "Hanoi",
            "Jakarta",
            "Manila",
            "Bangkok",
            "Yangon",
            "Vientiane",
            "Dili",
            "Seoul",
        ];
        let source: Vec<String> = names
            .iter()
            .map(|name| format!("{name} kucing anjing burung."))
            .collect();
        let target: Vec<String> = names
            .iter()
            .map(|name| format!("{name} cats dogs birds."))
            .collect();
        let source: Vec<&str> = source.iter().map(String::as_str).collect();
        let target: Vec<&str> = target.iter().map(String::as_str).collect();
        let mut lexical = Lexical {
            views: vec![View::lexicon(
                &source,
                &target,
                &TranslationTable::default(),
            )],
        };
        assert_eq!(
            lexical.log_ratio(&[0], &[0]),
            0.0,
            "silent before calibration"
        );
        let pairs: Vec<(usize, usize)> = (0..8).map(|k| (k, k)).collect();
        lexical.calibrate(&pairs, 8);
        assert!(lexical.is_active());
        assert!(lexical.log_ratio(&[3], &[3]) > 3.0);
        assert!(lexical.log_ratio(&[3], &[4]) < -1.0);
        lexical.calibrate(&pairs[..2], 8);
        assert!(!lexical.is_active(), "too few links to measure");
    }

    #[test]
    fn the_engine_view_matches_stems_of_the_engine_translation() {
        let translations = [Some("The ministers visited factories."), None];
        let target = ["A minister visits the factory.", "Something else entirely."];
        let view = View::engine(&translations, &target);
        let (matched, _) = view.counts(&[0], &[0]);
        // minister(s), visit(ed|s), factor(y|ies) on both sides
        assert_eq!(matched, 6, "{view:?}");
        assert_eq!(view.counts(&[1], &[1]).0, 0);
    }
}
