//! Anchors: tokens that survive translation and so tie an Indonesian sentence to its English
//! counterpart — numbers (`ke-13` ↔ `13th`, `1.000` ↔ `1,000`, `XIII` ↔ `13th`), month names,
//! small number words, names and other capitalised tokens written alike on both sides,
//! glossary term pairs, question marks and quotation marks.
//!
//! A name, term or punctuation anchor only counts when it occurs on both sides somewhere in the
//! document (an Indonesian capitalised word with no English twin says nothing); a number or a
//! month found on one side only counts too, against any link holding it (the other side added
//! or dropped that content). The weight falls with the number of sentences holding an anchor,
//! so a date weighs more than `Vietnam`. Works on texts only:
//! must not know about blocks, lengths or the alignment itself.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::borrow::Cow;
use std::collections::HashMap;

/// Indonesian month names, January first.
const INDONESIAN_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
];

/// English month names and their usual abbreviations, January first.
const ENGLISH_MONTHS: [(&str, &str); 12] = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may", "may"),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
];

/// Number words from two to ten (one is left out: `one` is also a pronoun, `se-` a prefix).
const INDONESIAN_NUMBER_WORDS: [&str; 9] = [
    "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
];
const ENGLISH_NUMBER_WORDS: [&str; 9] = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// The weight of a punctuation anchor: weak evidence, always present in the document's key set.
const PUNCTUATION_WEIGHT: f64 = 0.5;
/// Bounds of the weight of any other anchor (`ln(sentences / sentences holding it)`).
const MIN_WEIGHT: f64 = 0.5;
const MAX_WEIGHT: f64 = 3.0;

/// The anchors of every sentence of both sides, as ids into [`Anchors::weights`].
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    /// Per source sentence, its anchor ids, sorted (repeated ids are repeated occurrences).
    pub source: Vec<Vec<u32>>,
    /// Per target sentence, its anchor ids, sorted.
    pub target: Vec<Vec<u32>>,
    /// The weight of each anchor id.
    pub weights: Vec<f64>,
    /// The key of each anchor id (`n:13`, `w:hanoi`, `g:prime minister`, `p:?`), for tests
    /// and diagnostics.
    pub keys: Vec<String>,
}

impl Anchors {
    /// Finds the anchors of `source` (Indonesian) and `target` (English) sentences.
    /// `terms` finds the glossary's (Indonesian term, approved English) pairs.
    pub fn extract(source: &[&str], target: &[&str], terms: &Terms) -> Anchors {
        let source_keys: Vec<Vec<String>> =
            source.iter().map(|text| source_keys(text, terms)).collect();
        let target_keys: Vec<Vec<String>> =
            target.iter().map(|text| target_keys(text, terms)).collect();
        let mut source_frequency: HashMap<&str, usize> = HashMap::new();
        let mut target_frequency: HashMap<&str, usize> = HashMap::new();
        for (keys, frequency) in [
            (&source_keys, &mut source_frequency),
            (&target_keys, &mut target_frequency),
        ] {
            for sentence in keys {
                let mut seen: Vec<&str> = sentence.iter().map(String::as_str).collect();
                seen.sort_unstable();
                seen.dedup();
                for key in seen {
                    *frequency.entry(key).or_default() += 1;
                }
            }
        }
        let sentence_count = (source.len() + target.len()).max(1) as f64;
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut anchors = Anchors::default();
        let mut intern = |key: &str, anchors: &mut Anchors| -> Option<u32> {
            let in_source = source_frequency.get(key).copied().unwrap_or(0);
            let in_target = target_frequency.get(key).copied().unwrap_or(0);
            // a number or a date survives translation: one on a single side of the document
            // is content the other side added or left out, and counts against linking its
            // sentence; a one-sided name or term may just be translated differently
            let invariant = key.starts_with("n:") || key.starts_with("m:");
            if (in_source == 0 || in_target == 0) && !invariant {
                return None;
            }
            if let Some(&id) = ids.get(key) {
                return Some(id);
            }
            let weight = if key.starts_with("p:") {
                PUNCTUATION_WEIGHT
            } else {
                (sentence_count / (in_source + in_target) as f64)
                    .ln()
                    .clamp(MIN_WEIGHT, MAX_WEIGHT)
            };
            let id = anchors.weights.len() as u32;
            anchors.weights.push(weight);
            anchors.keys.push(key.to_string());
            ids.insert(key.to_string(), id);
            Some(id)
        };
        for keys in &source_keys {
            let mut sentence: Vec<u32> = keys
                .iter()
                .filter_map(|key| intern(key, &mut anchors))
                .collect();
            sentence.sort_unstable();
            anchors.source.push(sentence);
        }
        for keys in &target_keys {
            let mut sentence: Vec<u32> = keys
                .iter()
                .filter_map(|key| intern(key, &mut anchors))
                .collect();
            sentence.sort_unstable();
            anchors.target.push(sentence);
        }
        anchors
    }

    /// The anchor cost of linking the given source and target sentences: matched anchors
    /// lower it by `match_weight` times their weight, anchors on one side only raise it by
    /// `miss_weight` times theirs.
    pub fn link_cost(
        &self,
        source: &[usize],
        target: &[usize],
        match_weight: f64,
        miss_weight: f64,
    ) -> f64 {
        let source_ids = gather(source, &self.source);
        let target_ids = gather(target, &self.target);
        if source_ids.is_empty() && target_ids.is_empty() {
            return 0.0;
        }
        let (mut left, mut right) = (0, 0);
        let mut cost = 0.0;
        while left < source_ids.len() || right < target_ids.len() {
            match (source_ids.get(left), target_ids.get(right)) {
                (Some(a), Some(b)) if a == b => {
                    cost -= match_weight * self.weights[*a as usize];
                    left += 1;
                    right += 1;
                }
                (Some(a), Some(b)) if a < b => {
                    cost += miss_weight * self.weights[*a as usize];
                    left += 1;
                }
                (Some(_), Some(b)) | (None, Some(b)) => {
                    cost += miss_weight * self.weights[*b as usize];
                    right += 1;
                }
                (Some(a), None) => {
                    cost += miss_weight * self.weights[*a as usize];
                    left += 1;
                }
                (None, None) => break,
            }
        }
        cost
    }
}

/// The anchor ids of one or more sentences, sorted; borrowed when there is one sentence.
fn gather<'a>(sentences: &[usize], per_sentence: &'a [Vec<u32>]) -> Cow<'a, [u32]> {
    match sentences {
        [] => Cow::Borrowed(&[]),
        [only] => Cow::Borrowed(&per_sentence[*only]),
        many => {
            let mut ids: Vec<u32> = many
                .iter()
                .flat_map(|&index| per_sentence[index].iter().copied())
                .collect();
            ids.sort_unstable();
            Cow::Owned(ids)
        }
    }
}

/// Finds glossary terms: Indonesian terms in source sentences, approved renderings in target
/// sentences, leftmost-longest, ASCII case ignored, on word boundaries. Built once for a run
/// (building the automata costs more than aligning an article).
#[derive(Debug, Clone, Default)]
pub struct Terms {
    source: Option<AhoCorasick>,
    /// For each source pattern, its rendering's key.
    source_keys: Vec<String>,
    target: Option<AhoCorasick>,
    target_keys: Vec<String>,
}

impl Terms {
    /// The matcher of glossary (Indonesian term, approved English rendering) pairs.
    pub fn new(term_pairs: &[(String, String)]) -> Terms {
        let pairs: Vec<(&str, &str)> = term_pairs
            .iter()
            .map(|(source, target)| (source.trim(), target.trim()))
            .filter(|(source, target)| !source.is_empty() && !target.is_empty())
            .collect();
        let build = |patterns: &[&str]| {
            (!patterns.is_empty()).then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(patterns)
                    .expect("glossary patterns are plain strings")
            })
        };
        let source_patterns: Vec<&str> = pairs.iter().map(|(source, _)| *source).collect();
        let source_keys = pairs
            .iter()
            .map(|(_, target)| format!("g:{}", target.to_lowercase()))
            .collect();
        let mut target_patterns: Vec<&str> = pairs.iter().map(|(_, target)| *target).collect();
        target_patterns.sort_unstable_by_key(|term| term.to_lowercase());
        target_patterns.dedup_by_key(|term| term.to_lowercase());
        let target_keys = target_patterns
            .iter()
            .map(|target| format!("g:{}", target.to_lowercase()))
            .collect();
        Terms {
            source: build(&source_patterns),
            source_keys,
            target: build(&target_patterns),
            target_keys,
        }
    }

    fn find(matcher: &Option<AhoCorasick>, keys: &[String], text: &str, out: &mut Vec<String>) {
        let Some(matcher) = matcher else {
            return;
        };
        for found in matcher.find_iter(text) {
            if is_word_boundary(text, found.start()) && is_word_boundary(text, found.end()) {
                out.push(keys[found.pattern().as_usize()].clone());
            }
        }
    }
}

/// True when no letter or digit touches position `at` on both sides.
fn is_word_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    Indonesian,
    English,
}

fn source_keys(text: &str, terms: &Terms) -> Vec<String> {
    let mut keys = common_keys(text, Language::Indonesian);
    Terms::find(&terms.source, &terms.source_keys, text, &mut keys);
    keys
}

fn target_keys(text: &str, terms: &Terms) -> Vec<String> {
    let mut keys = common_keys(text, Language::English);
    Terms::find(&terms.target, &terms.target_keys, text, &mut keys);
    keys
}

/// Numbers, months, number words, capitalised tokens and punctuation of one sentence.
fn common_keys(text: &str, language: Language) -> Vec<String> {
    let mut keys = Vec::new();
    for number in numbers(text, language) {
        keys.push(format!("n:{number}"));
    }
    for word in words(text) {
        let lower = word.to_lowercase();
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if let Some(month) = month_number(&lower, language) {
            if capitalised {
                keys.push(format!("m:{month}"));
            }
            continue;
        }
        if let Some(value) = number_word(&lower, language) {
            keys.push(format!("n:{value}"));
            continue;
        }
        if let Some(value) = roman_numeral(word) {
            keys.push(format!("n:{value}"));
            continue;
        }
        if capitalised && word.chars().count() >= 2 {
            keys.push(format!("w:{lower}"));
        }
    }
    if text.contains('?') {
        keys.push("p:?".to_string());
    }
    if text.contains(['"', '“', '”', '«', '»']) {
        keys.push("p:quote".to_string());
    }
    keys
}

/// Runs of letters (with their marks); digits are numbers, handled apart.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphabetic() || c.is_ascii_digit()))
        .filter(|word| !word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()))
}

/// The numbers of a text, normalised: `1.000` (Indonesian) and `1,000` (English) are `1000`,
/// `3,5` (Indonesian) and `3.5` (English) are `3.5`; `ke-13`, `13th` and `2021-2025` give
/// their digits.
fn numbers(text: &str, language: Language) -> Vec<String> {
    let (group, decimal) = match language {
        Language::Indonesian => ('.', ','),
        Language::English => (',', '.'),
    };
    let mut found = Vec::new();
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    let mut index = 0;
    while index < characters.len() {
        if !characters[index].1.is_ascii_digit() {
            index += 1;
            continue;
        }
        let start = characters[index].0;
        let mut end_index = index;
        // digits with inner separators followed by a digit
        while end_index + 1 < characters.len() {
            let next = characters[end_index + 1].1;
            if next.is_ascii_digit() {
                end_index += 1;
            } else if (next == '.' || next == ',')
                && characters
                    .get(end_index + 2)
                    .is_some_and(|(_, c)| c.is_ascii_digit())
            {
                end_index += 2;
            } else {
                break;
            }
        }
        let end = characters
            .get(end_index + 1)
            .map_or(text.len(), |(offset, _)| *offset);
        found.push(normalise_number(&text[start..end], group, decimal));
        index = end_index + 1;
    }
    found
}

fn normalise_number(raw: &str, group: char, decimal: char) -> String {
    let groups: Vec<&str> = raw.split(group).collect();
    let grouped = groups.len() > 1
        && !raw.contains(decimal)
        && groups[0].len() <= 3
        && groups[1..].iter().all(|part| part.len() == 3);
    if grouped {
        raw.chars().filter(|&c| c != group).collect()
    } else {
        // a separator not in thousands position is a decimal mark, whichever it is
        raw.replace([group, decimal], ".")
    }
}

fn month_number(lower: &str, language: Language) -> Option<usize> {
    match language {
        Language::Indonesian => INDONESIAN_MONTHS.iter().position(|&name| name == lower),
        Language::English => ENGLISH_MONTHS
            .iter()
            .position(|&(name, short)| name == lower || short == lower),
    }
    .map(|index| index + 1)
}

fn number_word(lower: &str, language: Language) -> Option<usize> {
    let list = match language {
        Language::Indonesian => &INDONESIAN_NUMBER_WORDS,
        Language::English => &ENGLISH_NUMBER_WORDS,
    };
    list.iter()
        .position(|&word| word == lower)
        .map(|index| index + 2)
}

/// `XIII` → 13: upper-case Roman numerals of two letters or more below 400 (congresses,
/// sessions, plenums), written canonically; `MIX` or `CD` are words, not numbers.
fn roman_numeral(word: &str) -> Option<usize> {
    if word.len() < 2 || !word.chars().all(|c| "IVXLC".contains(c)) {
        return None;
    }
    let value_of = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };
    let values: Vec<usize> = word.chars().map(value_of).collect();
    let mut total = 0;
    for (index, &value) in values.iter().enumerate() {
        if values.get(index + 1).is_some_and(|&next| next > value) {
            total -= value as isize;
        } else {
            total += value as isize;
        }
    }
    let total = usize::try_from(total).ok()?;
    // reject non-canonical spellings such as `IIII` or `VX` (and words like `MIX`)
    (to_roman(total) == word).then_some(total)
}

fn to_roman(mut value: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (amount, letters) in TABLE {
        while value >= amount {
            out.push_str(letters);
            value -= amount;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(anchors: &Anchors, ids: &[u32]) -> Vec<String> {
        let mut keys: Vec<String> = ids
            .iter()
            .map(|&id| anchors.keys[id as usize].clone())
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn numbers_are_normalised_per_language() {
        let table: &[(&str, Language, &[&str])] = &[
            (
                "Konferensi ke-32 pada 19-23 Desember",
                Language::Indonesian,
                &["32", "19", "23"],
            ),
            ("the 32nd conference", Language::English, &["32"]),
            (
                "1.000 dolar dan 3,5 persen",
                Language::Indonesian,
                &["1000", "3.5"],
            ),
            (
                "1,000 dollars and 3.5 percent",
                Language::English,
                &["1000", "3.5"],
            ),
            (
                "masa bakti 2023-2025.",
                Language::Indonesian,
                &["2023", "2025"],
            ),
            ("18-NQ/TW", Language::Indonesian, &["18"]),
            ("tahun 2023.", Language::Indonesian, &["2023"]),
        ];
        for (text, language, expected) in table {
            assert_eq!(numbers(text, *language), *expected, "{text:?}");
        }
    }

    #[test]
    fn roman_numerals_and_number_words() {
        assert_eq!(roman_numeral("XIII"), Some(13));
        assert_eq!(roman_numeral("XIV"), Some(14));
        assert_eq!(roman_numeral("IIII"), None);
        assert_eq!(roman_numeral("MIX"), None);
        assert_eq!(roman_numeral("I"), None);
        assert_eq!(number_word("tiga", Language::Indonesian), Some(3));
        assert_eq!(number_word("three", Language::English), Some(3));
    }

    #[test]
    fn only_anchors_present_on_both_sides_count() {
        let source = [
            "Kongres Nasional XIII Partai pada 19 Desember di Hanoi.",
            "Menteri Luar Negeri Bui Thanh Son bertanya: apa?",
        ];
        let target = [
            "the 13th National Party Congress on December 19 in Hanoi.",
            "Minister of Foreign Affairs Bui Thanh Son asked: what?",
        ];
        let pairs = vec![(
            "Menteri Luar Negeri".to_string(),
            "Minister of Foreign Affairs".to_string(),
        )];
        let anchors = Anchors::extract(&source, &target, &Terms::new(&pairs));
        assert_eq!(
            keys_of(&anchors, &anchors.source[0]),
            ["m:12", "n:13", "n:19", "w:hanoi"]
        );
        assert_eq!(
            keys_of(&anchors, &anchors.target[0]),
            ["m:12", "n:13", "n:19", "w:hanoi"]
        );
        assert_eq!(
            keys_of(&anchors, &anchors.source[1]),
            [
                "g:minister of foreign affairs",
                "p:?",
                "w:bui",
                "w:son",
                "w:thanh"
            ]
        );
        // `Kongres`, `Partai`, `National` appear on one side only: no anchors
        assert!(!anchors.keys.iter().any(|key| key.contains("kongres")));
    }

    #[test]
    fn a_number_on_one_side_only_counts_against_its_sentence() {
        let source = ["Kementerian didirikan.", "Pada 22 Desember."];
        let target = [
            "The Ministry was founded in August 1945.",
            "On December 22.",
        ];
        let anchors = Anchors::extract(&source, &target, &Terms::default());
        assert_eq!(keys_of(&anchors, &anchors.target[0]), ["m:8", "n:1945"]);
        assert!(anchors.source[0].is_empty());
        assert!(anchors.link_cost(&[0], &[0], 1.0, 0.5) > 0.0);
        // a capitalised word on one side only is no anchor at all
        assert!(!anchors.keys.iter().any(|key| key == "w:ministry"));
    }

    #[test]
    fn link_cost_rewards_shared_anchors_and_charges_lone_ones() {
        let source = ["Pada 22 Desember di Hanoi.", "Tahun 2030."];
        let target = ["On December 22 in Hanoi.", "By 2030."];
        let anchors = Anchors::extract(&source, &target, &Terms::default());
        let right = anchors.link_cost(&[0], &[0], 1.0, 0.5);
        let wrong = anchors.link_cost(&[0], &[1], 1.0, 0.5);
        let merged = anchors.link_cost(&[0, 1], &[0, 1], 1.0, 0.5);
        assert!(right < 0.0, "{right}");
        assert!(wrong > 0.0, "{wrong}");
        assert!(merged < right, "{merged} {right}");
        assert_eq!(anchors.link_cost(&[], &[], 1.0, 0.5), 0.0);
    }
}
