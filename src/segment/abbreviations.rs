//! The abbreviation lists the sentence splitter consults, as data.
//!
//! The lists are data files under `data/`, one per language, read at build time. Three classes,
//! because Indonesian news uses a full stop after an abbreviation in three ways: titles, ranks and
//! prefixes that never end a sentence (`Dr.`, `Prof.`, `Jl.`), references that are
//! followed by a number or a letter (`No. 18`, `hlm. A`) but whose spelling is also an ordinary
//! word (`hal` is "matter"), and list-closers that may well end one (`dll.`, `dsb.`).
//! Users extend the first and the last class from `selaras.toml`. The lists are per language
//! ([`INDONESIAN`] for the sources, [`ENGLISH`] for the English side that `selaras align` reads);
//! the splitter itself is shared. Must not know about files.

use std::collections::HashSet;

/// One language's built-in abbreviation lists: a data file with a `[prefix]`, a `[reference]`
/// and a `[sentence-final]` section of lower-case words without their final full stop.
#[derive(Debug, Clone, Copy)]
pub struct AbbreviationData {
    pub lists: &'static str,
}

/// The Indonesian lists the source segmenter uses (`data/abbreviations-id.txt`).
pub const INDONESIAN: AbbreviationData = AbbreviationData {
    lists: include_str!("data/abbreviations-id.txt"),
};

/// The English lists the aligner uses for existing English versions
/// (`data/abbreviations-en.txt`).
pub const ENGLISH: AbbreviationData = AbbreviationData {
    lists: include_str!("data/abbreviations-en.txt"),
};

impl AbbreviationData {
    /// The words of one section.
    fn words(&self, name: &str) -> impl Iterator<Item = &'static str> {
        let lists = self.lists;
        let mut inside = false;
        lists
            .lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(move |line| {
                if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    inside = header == name;
                    return false;
                }
                inside && !line.is_empty()
            })
            .flat_map(str::split_whitespace)
    }
}

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
        let owned =
            |name: &str| -> HashSet<String> { data.words(name).map(String::from).collect() };
        let mut prefix = owned("prefix");
        let reference = owned("reference");
        let mut sentence_final = owned("sentence-final");
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
