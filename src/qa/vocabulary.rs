//! Everything the checks ask about one folded word, answered by one table lookup: whether it
//! is in one of the fixed word lists (function words, stopwords, calendar and number words,
//! capitalised Indonesian words that are never names), what the [`Lexicon`] knows of it (how
//! it behaved in the approved pairs, its stems' ids), whether the ignore list accepts it, and
//! which names with an English form start with it.
//!
//! Built once per run from the lists, the lexicon, the name table and the options; a word it
//! does not hold is in none of the lists and unknown to the lexicon, so only its stem is
//! looked up. Each side of a pair is looked up once, a word per token ([`WordInfo`]), and
//! every check reads the answers. Must not know about any single check's thresholds.

use super::date::{
    ENGLISH_MONTH_ABBREVIATIONS, ENGLISH_MONTHS, ENGLISH_WEEKDAYS, INDONESIAN_MONTH_ABBREVIATIONS,
    INDONESIAN_MONTHS, INDONESIAN_WEEKDAYS,
};
use super::lexicon::{Lexicon, WordUse};
use super::name::{CALENDAR_WORDS, INDONESIAN_CAPITALISED_WORDS};
use super::numerals::{INDONESIAN_NUMBER_STARTS, english_number_starts};
use super::text::{
    Analysed, ENGLISH_STOPWORDS, INDONESIAN_EXTRA_STOPWORDS, INDONESIAN_FUNCTION_WORDS, TokenKind,
    WordMap,
};
use super::word_table::WordTable;

/// One of [`INDONESIAN_FUNCTION_WORDS`].
pub const ID_FUNCTION: u32 = 1;
/// An Indonesian stopword (function words and a few particles).
pub const ID_STOPWORD: u32 = 1 << 1;
/// One of [`ENGLISH_STOPWORDS`].
pub const EN_STOPWORD: u32 = 1 << 2;
/// A capitalised Indonesian word that is never a copied name, or a month or weekday name.
pub const NOT_A_NAME: u32 = 1 << 3;
/// An Indonesian month name, month abbreviation or weekday name.
pub const ID_CALENDAR: u32 = 1 << 4;
/// An English month name, month abbreviation or weekday name.
pub const EN_CALENDAR: u32 = 1 << 5;
/// A word an Indonesian number in words may start with (`tiga`, `sebelas`).
pub const ID_NUMBER: u32 = 1 << 6;
/// A word an English number in words may start with (`three`, `thirteenth`, `dual`).
pub const EN_NUMBER: u32 = 1 << 7;
/// On the ignore list of the untranslated check.
pub const IGNORED: u32 = 1 << 8;
/// Seen in an approved English target.
pub const ENGLISH_WORD: u32 = 1 << 9;
/// Seen in an approved Indonesian source ([`WordInfo::source_use`] says how).
pub const SOURCE_WORD: u32 = 1 << 10;
/// Two characters or more (a content word unless a stopword).
pub const LONG: u32 = 1 << 11;

/// No id: the stem is unknown, or no name starts with the word.
pub const NONE: u32 = u32::MAX;

/// What the checks know of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordInfo {
    /// The flags above.
    pub flags: u32,
    /// The word's number in the vocabulary ([`NONE`] for a word it does not hold): two words
    /// with the same id are the same word.
    pub id: u32,
    /// How the word behaved in the approved pairs (when [`SOURCE_WORD`] is set).
    pub source_use: WordUse,
    /// The lexicon's id of the word's Indonesian stem ([`NONE`] if unknown); looked up for
    /// source words only (and for words of the vocabulary).
    pub source_stem: u32,
    /// The lexicon's id of the word's English stem ([`NONE`] if unknown); looked up for
    /// target words only (and for words of the vocabulary).
    pub target_stem: u32,
    /// The names with an English form whose first word this is ([`NONE`] if none), an index
    /// the name table gave.
    pub names: u32,
}

impl WordInfo {
    /// A token that is not a word, or a word nothing is known of.
    pub const EMPTY: WordInfo = WordInfo {
        flags: 0,
        id: NONE,
        source_use: WordUse {
            pairs: 0,
            copied: 0,
        },
        source_stem: NONE,
        target_stem: NONE,
        names: NONE,
    };

    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// How the word behaved in the approved pairs, if it occurred there.
    pub fn source_word(&self) -> Option<WordUse> {
        self.has(SOURCE_WORD).then_some(self.source_use)
    }

    /// Whether the word counts for the lexicon on the source side (as
    /// [`super::lexicon::is_content_word`]).
    pub fn is_source_content(&self) -> bool {
        self.has(LONG) && !self.has(ID_STOPWORD)
    }

    /// Whether the word counts for the lexicon on the target side.
    pub fn is_target_content(&self) -> bool {
        self.has(LONG) && !self.has(EN_STOPWORD)
    }

    /// The source stem id, if the lexicon knows it.
    pub fn source_stem(&self) -> Option<u32> {
        (self.source_stem != NONE).then_some(self.source_stem)
    }

    /// The target stem id, if the lexicon knows it.
    pub fn target_stem(&self) -> Option<u32> {
        (self.target_stem != NONE).then_some(self.target_stem)
    }
}

/// Which side of a pair a text is: the stems looked up differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Target,
}

/// The vocabulary being built.
#[derive(Default)]
struct Builder {
    words: WordMap<Box<str>, WordInfo>,
    numeric_names: bool,
}

impl Builder {
    /// The entry of a word, made with what the lexicon knows of it on first use.
    fn entry(&mut self, lexicon: &Lexicon, word: &str) -> &mut WordInfo {
        if !self.words.contains_key(word) {
            let info = WordInfo {
                flags: if word.chars().count() >= 2 { LONG } else { 0 },
                id: self.words.len() as u32,
                source_stem: lexicon.source_stem(word).unwrap_or(NONE),
                target_stem: lexicon.target_stem(word).unwrap_or(NONE),
                ..WordInfo::EMPTY
            };
            self.words.insert(word.into(), info);
        }
        self.words.get_mut(word).expect("inserted above")
    }
}

/// The table of every word the lists, the lexicon, the names and the options know.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: WordTable<WordInfo>,
    /// Whether some name with an English form starts with a number token.
    numeric_names: bool,
}

impl Vocabulary {
    /// The table for a run. `name_starts` gives each first word of a name with an English
    /// form with the index the name table knows it by; `ignored` the folded ignore list.
    pub fn new<'w>(
        lexicon: &Lexicon,
        name_starts: impl IntoIterator<Item = (&'w str, u32)>,
        ignored: impl IntoIterator<Item = &'w str>,
    ) -> Vocabulary {
        let mut vocabulary = Builder::default();
        let lists: [(&[&str], u32); 6] = [
            (INDONESIAN_FUNCTION_WORDS, ID_FUNCTION | ID_STOPWORD),
            (INDONESIAN_EXTRA_STOPWORDS, ID_STOPWORD),
            (ENGLISH_STOPWORDS, EN_STOPWORD),
            (INDONESIAN_CAPITALISED_WORDS, NOT_A_NAME),
            (CALENDAR_WORDS, NOT_A_NAME),
            (INDONESIAN_NUMBER_STARTS, ID_NUMBER),
        ];
        for (list, flag) in lists {
            for word in list {
                vocabulary.entry(lexicon, word).flags |= flag;
            }
        }
        for word in english_number_starts() {
            vocabulary.entry(lexicon, word).flags |= EN_NUMBER;
        }
        let calendar: [(&[&str], u32); 3] = [
            (&INDONESIAN_MONTHS, ID_CALENDAR),
            (&ENGLISH_MONTHS, EN_CALENDAR),
            (&INDONESIAN_WEEKDAYS, ID_CALENDAR),
        ];
        for (list, flag) in calendar {
            for word in list {
                vocabulary.entry(lexicon, word).flags |= flag;
            }
        }
        for word in ENGLISH_WEEKDAYS {
            vocabulary.entry(lexicon, word).flags |= EN_CALENDAR;
        }
        for (word, _) in INDONESIAN_MONTH_ABBREVIATIONS {
            vocabulary.entry(lexicon, word).flags |= ID_CALENDAR;
        }
        for (word, _) in ENGLISH_MONTH_ABBREVIATIONS {
            vocabulary.entry(lexicon, word).flags |= EN_CALENDAR;
        }
        for (word, known) in lexicon.source_words() {
            let info = vocabulary.entry(lexicon, word);
            info.flags |= SOURCE_WORD;
            info.source_use = known;
        }
        for word in lexicon.target_words() {
            vocabulary.entry(lexicon, word).flags |= ENGLISH_WORD;
        }
        for word in ignored {
            vocabulary.entry(lexicon, word).flags |= IGNORED;
        }
        for (word, names) in name_starts {
            vocabulary.entry(lexicon, word).names = names;
            vocabulary.numeric_names |= word.starts_with(|c: char| c.is_ascii_digit());
        }
        Vocabulary {
            words: WordTable::new(by_id(vocabulary.words)),
            numeric_names: vocabulary.numeric_names,
        }
    }

    /// How many words the table holds (their ids are below this).
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the table holds no word.
    pub fn is_empty(&self) -> bool {
        self.words.len() == 0
    }

    /// What is known of a folded word on one side of a pair.
    #[inline]
    pub fn lookup(&self, lexicon: &Lexicon, word: &str, side: Side) -> WordInfo {
        match self.words.get(word) {
            Some(info) => *info,
            None => unknown(lexicon, word, side),
        }
    }

    /// What is known of each token of an analysed side, in token order, into `words`
    /// (emptied first; numbers are looked up only when a name with an English form starts
    /// with one).
    pub fn lookup_all(
        &self,
        lexicon: &Lexicon,
        analysed: &Analysed<'_>,
        side: Side,
        words: &mut Vec<WordInfo>,
    ) {
        words.clear();
        words.resize(analysed.tokens.len(), WordInfo::EMPTY);
        // the table's lookup inlined and each answer copied from the table straight into its
        // place (an answer held across a push that may grow the vector was kept on the stack,
        // written there in two overlapping halves and read back at once: a store the
        // processor cannot forward, the largest cost of the lookups in `perf annotate`)
        for (token, slot) in analysed.tokens.iter().zip(words.iter_mut()) {
            if token.kind == TokenKind::Word || self.numeric_names {
                let word = analysed.folded(token);
                if let Some(info) = self.words.get(word) {
                    *slot = *info;
                } else {
                    *slot = unknown(lexicon, word, side);
                }
            }
        }
    }
}

/// The entries of the vocabulary in the order of their ids: the fixed lists' words (the
/// commonest of a text) first, so that they share a few cache lines of the table.
fn by_id(words: WordMap<Box<str>, WordInfo>) -> Vec<(Box<str>, WordInfo)> {
    let mut entries: Vec<(Box<str>, WordInfo)> = words.into_iter().collect();
    entries.sort_unstable_by_key(|(_, info)| info.id);
    entries
}

/// What is known of a word the vocabulary does not hold: in no list and unknown to the
/// lexicon, so only its stem may be known.
#[inline(never)]
fn unknown(lexicon: &Lexicon, word: &str, side: Side) -> WordInfo {
    let mut info = WordInfo::EMPTY;
    if word.chars().nth(1).is_some() {
        info.flags = LONG;
    }
    match side {
        Side::Source => info.source_stem = lexicon.source_stem(word).unwrap_or(NONE),
        Side::Target => info.target_stem = lexicon.target_stem(word).unwrap_or(NONE),
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_lookup_answers_the_lists_and_the_lexicon() {
        let lexicon = Lexicon::learn(
            [
                ("Presiden Joe Biden tiba.", "President Joe Biden arrived."),
                ("Presiden tiba di Hanoi.", "The President arrived in Hanoi."),
            ],
            None,
        );
        let vocabulary = Vocabulary::new(&lexicon, [("amerika", 3)], ["pilkada"]);
        let yang = vocabulary.lookup(&lexicon, "yang", Side::Target);
        assert!(yang.has(ID_FUNCTION) && yang.has(ID_STOPWORD) && !yang.is_source_content());
        assert!(
            vocabulary
                .lookup(&lexicon, "desember", Side::Source)
                .has(ID_CALENDAR)
        );
        assert!(
            vocabulary
                .lookup(&lexicon, "tiga", Side::Source)
                .has(ID_NUMBER)
        );
        assert!(
            vocabulary
                .lookup(&lexicon, "pilkada", Side::Target)
                .has(IGNORED)
        );
        assert_eq!(
            vocabulary.lookup(&lexicon, "amerika", Side::Source).names,
            3
        );
        let biden = vocabulary.lookup(&lexicon, "biden", Side::Source);
        assert_eq!(biden.source_word(), lexicon.source_word("biden"));
        assert!(biden.has(ENGLISH_WORD));
        // a word of no list: its stem only, on its own side
        let unknown = vocabulary.lookup(&lexicon, "presidennya", Side::Source);
        assert_eq!(unknown.flags, LONG);
        assert_eq!(unknown.source_stem(), lexicon.source_stem("presidennya"));
        assert_eq!(unknown.target_stem(), None);
    }

    #[test]
    fn looking_up_every_token_agrees_with_one_lookup_each() {
        let lexicon = Lexicon::learn(
            [("Presiden Joe Biden tiba.", "President Joe Biden arrived.")],
            None,
        );
        for name_starts in [vec![("amerika", 3)], vec![("7", 1)]] {
            let vocabulary = Vocabulary::new(&lexicon, name_starts, ["pilkada"]);
            let text = "Presiden Biden, 7 orang, PILKADA “tiba” Sơn Kepresidenan yang 2.500";
            let analysed = Analysed::new(text);
            for side in [Side::Source, Side::Target] {
                let mut words = vec![WordInfo::EMPTY; 3];
                vocabulary.lookup_all(&lexicon, &analysed, side, &mut words);
                let one_by_one: Vec<WordInfo> = analysed
                    .tokens
                    .iter()
                    .map(|token| {
                        if token.kind == TokenKind::Word || vocabulary.numeric_names {
                            vocabulary.lookup(&lexicon, analysed.folded(token), side)
                        } else {
                            WordInfo::EMPTY
                        }
                    })
                    .collect();
                assert_eq!(words, one_by_one);
            }
        }
    }
}
