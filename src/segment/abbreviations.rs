//! The abbreviation lists the sentence splitter consults, as data.
//!
//! Three classes, because Indonesian news uses a full stop after an abbreviation in three ways:
//! titles and prefixes that never end a sentence (`Dr.`, `Prof.`, `Jl.`), references that are
//! followed by a number or a letter (`No. 18`, `hlm. A`) but whose spelling is also an ordinary
//! word (`hal` is "matter"), and list-closers that may well end one (`dll.`, `dsb.`).
//! Users extend the first and the last class from `selaras.toml`. The lists are per language
//! ([`INDONESIAN`] for the sources, [`ENGLISH`] for the English side that `selaras align` reads);
//! the splitter itself is shared. Must not know about files.

use std::collections::HashSet;

/// Never end a sentence: the full stop after them is part of the abbreviation.
const BUILT_IN_ABBREVIATIONS: &[&str] = &[
    // titles and forms of address
    "dr", "drs", "dra", "prof", "ir", "h", "hj", "kh", "bpk", "bp", "sdr", "sdri", "ny", "nn", "tn",
    "yth", "mr", "mrs", "ms", "st", "jend", "letjen", "mayjen", "brigjen", "kol", "letkol",
    "mayor", "kapt", "laksma", "marsma", "pdt", "dipl", // places and addresses
    "jl", "jln", "kec", "kab", "kel", "prov", "kota", "gg",
    // Indonesian office shorthand
    "a.n", "u.p", "u.b", "s.d", "a.l", "mis", "spt", "ttg", "thn", "sbg", "dgn", "krn", "utk", "rp",
    "vs", "cf", "e.g", "i.e", "ca",
];

/// Not a boundary when a number or a short capital reference (`A`, `XI`) follows; otherwise an
/// ordinary word that may end a sentence (`… beberapa hal. Pertama, …`).
const BUILT_IN_REFERENCES: &[&str] = &[
    "no", "nomor", "nmr", "hal", "hlm", "tgl", "vol", "jil", "p", "pp", "psl", "ps", "ayat", "bab",
];

/// May end a sentence: a boundary when a capitalised word follows, never before a number.
const BUILT_IN_SENTENCE_FINAL: &[&str] = &[
    "dll", "dsb", "dst", "dkk", "tsb", "ybs", "etc", "cs", "s.h", "s.e", "s.pd", "m.si", "m.a",
    "ph.d", "s.ip", "s.sos", "m.h",
];

/// The English lists: forms of address and ranks, dotted country and agency names, month
/// names (`Dec. 22`), and list-closers. `May` is a word, not an abbreviation, so it is not here.
const ENGLISH_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "maj", "sgt", "adm", "cmdr",
    "sen", "rep", "gov", "amb", "pres", "rev", "hon", "st", "mt", "ft", "u.s", "u.n", "u.k", "e.u",
    "d.c", "vs", "e.g", "i.e", "cf", "approx", "dept", "est", "fig",
];

/// English references: not a boundary before a number (`No. 18`, `Dec. 22`, `p. 4`).
const ENGLISH_REFERENCES: &[&str] = &[
    "no", "nos", "vol", "p", "pp", "art", "para", "sec", "ch", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// English abbreviations that often end a sentence.
const ENGLISH_SENTENCE_FINAL: &[&str] = &[
    "etc", "a.m", "p.m", "inc", "ltd", "co", "corp", "jr", "sr", "al",
];

/// One language's built-in abbreviation lists, by class (entries lower case, no final stop).
#[derive(Debug, Clone, Copy)]
pub struct AbbreviationData {
    pub prefix: &'static [&'static str],
    pub reference: &'static [&'static str],
    pub sentence_final: &'static [&'static str],
}

/// The Indonesian lists the source segmenter uses.
pub const INDONESIAN: AbbreviationData = AbbreviationData {
    prefix: BUILT_IN_ABBREVIATIONS,
    reference: BUILT_IN_REFERENCES,
    sentence_final: BUILT_IN_SENTENCE_FINAL,
};

/// The English lists the aligner uses for existing English versions.
pub const ENGLISH: AbbreviationData = AbbreviationData {
    prefix: ENGLISH_ABBREVIATIONS,
    reference: ENGLISH_REFERENCES,
    sentence_final: ENGLISH_SENTENCE_FINAL,
};

/// What the splitter needs to know about a word followed by a full stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbreviationClass {
    /// `Dr.`: the full stop never ends a sentence.
    Prefix,
    /// `No.`, `hal.`: not a boundary before a number or a short capital reference.
    Reference,
    /// `dll.`: may end a sentence.
    SentenceFinal,
}

/// The abbreviation lists in force: the built-in ones plus the user's.
#[derive(Debug, Clone)]
pub struct Abbreviations {
    prefix: HashSet<String>,
    reference: HashSet<String>,
    sentence_final: HashSet<String>,
}

impl Default for Abbreviations {
    fn default() -> Self {
        Abbreviations::new(&[], &[])
    }
}

impl Abbreviations {
    /// The built-in Indonesian lists extended by the user's (`abbreviations` never end a
    /// sentence, `sentence_final` may). Entries are matched case-insensitively, with or without
    /// their final full stop.
    pub fn new(extra_prefix: &[String], extra_sentence_final: &[String]) -> Self {
        Abbreviations::for_language(&INDONESIAN, extra_prefix, extra_sentence_final)
    }

    /// The built-in English lists, for segmenting an existing English version.
    pub fn english() -> Self {
        Abbreviations::for_language(&ENGLISH, &[], &[])
    }

    /// One language's built-in lists extended by the user's, as in [`Abbreviations::new`].
    pub fn for_language(
        data: &AbbreviationData,
        extra_prefix: &[String],
        extra_sentence_final: &[String],
    ) -> Self {
        let owned = |list: &[&str]| -> HashSet<String> {
            list.iter().map(|word| word.to_string()).collect()
        };
        let mut prefix = owned(data.prefix);
        let reference = owned(data.reference);
        let mut sentence_final = owned(data.sentence_final);
        for word in extra_prefix {
            let key = normalize(word);
            sentence_final.remove(&key);
            prefix.insert(key);
        }
        for word in extra_sentence_final {
            let key = normalize(word);
            prefix.remove(&key);
            sentence_final.insert(key);
        }
        Abbreviations {
            prefix,
            reference,
            sentence_final,
        }
    }

    /// The class of `word` (the text before a full stop, without it), if it is an abbreviation.
    pub fn classify(&self, word: &str) -> Option<AbbreviationClass> {
        if word.is_empty() {
            return None;
        }
        let key = if word.bytes().all(|byte| !byte.is_ascii_uppercase()) {
            std::borrow::Cow::Borrowed(word)
        } else {
            std::borrow::Cow::Owned(word.to_lowercase())
        };
        if self.prefix.contains(key.as_ref()) {
            Some(AbbreviationClass::Prefix)
        } else if self.sentence_final.contains(key.as_ref()) {
            Some(AbbreviationClass::SentenceFinal)
        } else if self.reference.contains(key.as_ref()) {
            Some(AbbreviationClass::Reference)
        } else {
            None
        }
    }
}

fn normalize(word: &str) -> String {
    word.trim().trim_end_matches('.').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_built_in_and_user_entries() {
        let abbreviations = Abbreviations::new(&["Kemlu.".into()], &["dr".into()]);
        let table = [
            ("Prof", Some(AbbreviationClass::Prefix)),
            ("a.n", Some(AbbreviationClass::Prefix)),
            ("No", Some(AbbreviationClass::Reference)),
            ("hal", Some(AbbreviationClass::Reference)),
            ("dll", Some(AbbreviationClass::SentenceFinal)),
            ("kemlu", Some(AbbreviationClass::Prefix)),
            ("Dr", Some(AbbreviationClass::SentenceFinal)),
            ("Vietnam", None),
            ("", None),
        ];
        for (word, expected) in table {
            assert_eq!(abbreviations.classify(word), expected, "{word:?}");
        }
    }

    #[test]
    fn english_lists_are_separate_data() {
        let english = Abbreviations::english();
        let table = [
            ("Mr", Some(AbbreviationClass::Prefix)),
            ("U.S", Some(AbbreviationClass::Prefix)),
            ("Dec", Some(AbbreviationClass::Reference)),
            ("No", Some(AbbreviationClass::Reference)),
            ("etc", Some(AbbreviationClass::SentenceFinal)),
            ("p.m", Some(AbbreviationClass::SentenceFinal)),
            ("May", None),
            ("dll", None),
            ("Jl", None),
        ];
        for (word, expected) in table {
            assert_eq!(english.classify(word), expected, "{word:?}");
        }
    }
}
