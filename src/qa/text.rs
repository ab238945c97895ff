//! The text analysis every QA check shares: one pass over a segment that folds it (lowercase,
//! diacritics removed: `Bùi Thanh Sơn` → `bui thanh son`) and cuts it into word and number
//! tokens that keep their original byte spans, their clause and whether they start a sentence.
//! Also the small fixed word lists (Indonesian and English function words) and the crude
//! stemmers the lexicon uses.
//!
//! One allocation for the folded text and one for the tokens per side of a pair; the checks
//! look tokens up by slicing the folded text. Must not know about any single check.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::letters::{
    BYTE_CLASS, LETTER, LOWER, SPACE, ascii_letter_run, fold_char, fold_into,
    is_general_punctuation, push_folded,
};

/// A fast hasher for the short folded words and small ids the checks look up on every pair
/// (the standard SipHash costs more than the lookups themselves). Not resistant to chosen
/// collisions, which is fine here: the keys are words of the project's own texts.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordHasher {
    hash: u64,
}

/// An odd constant with well-mixed bits, multiplied in after every word-sized chunk.
const WORD_HASH_MULTIPLIER: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn mix(&mut self, value: u64) {
        self.hash = (self.hash.rotate_left(5) ^ value).wrapping_mul(WORD_HASH_MULTIPLIER);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.mix(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.mix(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.mix(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }

    fn finish(&self) -> u64 {
        // the table picks buckets from the low bits and tags from the high ones: fold them
        self.hash ^ (self.hash >> 29)
    }
}

/// Builds [`WordHasher`]s.
pub type WordHashing = BuildHasherDefault<WordHasher>;
/// A set of words hashed with [`WordHasher`].
pub type WordSet<'a> = HashSet<&'a str, WordHashing>;
/// A map hashed with [`WordHasher`].
pub type WordMap<Key, Value> = HashMap<Key, Value, WordHashing>;

/// A set built once from a fixed word list.
pub fn word_set(words: &'static [&'static str]) -> WordSet<'static> {
    words.iter().copied().collect()
}

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (a hyphen or an apostrophe ends it).
    Word,
    /// ASCII digits, with `.` or `,` between digit groups (`1.000`, `3,5`, `2,500,000`).
    Number,
}

/// One token of an analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Byte range in the folded text.
    pub folded_start: usize,
    pub folded_end: usize,
    /// Counts clause breaks (`,` `;` `:` brackets, quotes, sentence ends, dashes) before it.
    pub clause: u32,
    /// The first character is an uppercase letter.
    pub capitalised: bool,
    /// Every letter is uppercase and there are at least two (`ASEAN`, `PBB`).
    pub all_caps: bool,
    /// Nothing but white space, an opening quote or bracket stands between it and the start
    /// of the text, a sentence end (`.`, `?`, `!`, `:`) or an opening quotation mark.
    pub sentence_start: bool,
}

/// Counts of the quotation marks and brackets of a text (for the punctuation check), gathered
/// by the same pass that tokenises it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// `"`
    pub straight: usize,
    /// `“` `„` `«`
    pub curly_open: usize,
    /// `”` `»`
    pub curly_close: usize,
    /// `(` less `)`.
    pub parentheses: isize,
    /// `[` less `]`.
    pub brackets: isize,
}

/// What the tokenising pass saw of the full stops and signs a URL, an e-mail address, a handle
/// or a domain needs, so that the copied-item search runs only where it can find something.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemHints {
    /// An `@` or a `#`.
    pub at_or_hash: bool,
    /// A `.` followed straight by an ASCII letter.
    pub dot_letter: bool,
    /// A `.` followed straight by an ASCII digit.
    pub dot_digit: bool,
    /// A `.` followed straight by a character beyond ASCII.
    pub dot_other: bool,
}

/// A text folded and tokenised once.
#[derive(Debug, Clone)]
pub struct Analysed<'a> {
    pub text: &'a str,
    pub folded: String,
    pub tokens: Vec<Token>,
    /// The quotation marks and brackets of the text.
    pub marks: Marks,
    /// See [`ItemHints`].
    pub item_hints: ItemHints,
    /// The copied items of the text (URLs, handles…), found on first use.
    copied: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl<'a> Analysed<'a> {
    /// Folds and tokenises `text` in one pass over its bytes: plain ASCII, most of news text,
    /// is handled a byte at a time without decoding, other characters one by one.
    pub fn new(text: &'a str) -> Analysed<'a> {
        Analysed::with_buffers(text, String::new(), Vec::new())
    }

    /// [`Analysed::new`] into buffers of an earlier analysis (emptied first), so that a run
    /// does not allocate them for every pair.
    pub fn with_buffers(text: &'a str, mut folded: String, mut tokens: Vec<Token>) -> Analysed<'a> {
        folded.clear();
        folded.reserve(text.len());
        tokens.clear();
        tokens.reserve(text.len() / 5 + 1);
        // the folded text first, whole (plain ASCII, most of news text, in a few bulk copies),
        // then the tokens, whose folded offsets follow from their own
        fold_into(text, &mut folded);
        let (marks, item_hints) = scan(text, &mut tokens);
        Analysed {
            text,
            folded,
            tokens,
            marks,
            item_hints,
            copied: std::cell::OnceCell::new(),
        }
    }
}

/// Tokenises `text` into `tokens` and counts its marks and item hints. The folded text
/// ([`fold_into`]) differs from the text only in its characters beyond ASCII, each folded to
/// one character of maybe another length: a token's folded offsets are its own moved by
/// `shift`, what those before it added or took away (kept as a wrapping `usize`).
fn scan(text: &str, tokens: &mut Vec<Token>) -> (Marks, ItemHints) {
    let bytes = text.as_bytes();
    let mut clause = 0u32;
    let mut sentence_start = true;
    let mut marks = Marks::default();
    let mut hints = ItemHints::default();
    let mut shift = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let class = BYTE_CLASS[byte as usize];
        if class == SPACE {
            // the commonest character between tokens
            at += 1;
            continue;
        }
        if class & LETTER != 0 {
            // a run of ASCII letters, eight bytes at a time; a word that goes on beyond ASCII
            // is left to `word_token`
            let (mut end, lower) = ascii_letter_run(bytes, at);
            if bytes.get(end).is_none_or(|next| *next < 0x80) {
                tokens.push(Token {
                    kind: TokenKind::Word,
                    start: at,
                    end,
                    folded_start: at.wrapping_add(shift),
                    folded_end: end.wrapping_add(shift),
                    clause,
                    capitalised: class & LOWER == 0,
                    all_caps: end - at >= 2 && !lower,
                    sentence_start,
                });
            } else {
                let (token, next) = word_token(text, at, &mut shift, clause, sentence_start);
                tokens.push(token);
                end = next;
            }
            sentence_start = false;
            at = end;
            continue;
        }
        let (character, width) = if byte < 0x80 {
            (byte as char, 1)
        } else {
            let character = text[at..].chars().next().unwrap_or('\u{fffd}');
            (character, character.len_utf8())
        };
        if byte.is_ascii_digit() {
            let (token, next) = number_token(text, at, shift, clause, sentence_start, &mut hints);
            tokens.push(token);
            sentence_start = false;
            at = next;
            continue;
        }
        if !is_general_punctuation(character) && character.is_alphabetic() {
            let (token, next) = word_token(text, at, &mut shift, clause, sentence_start);
            tokens.push(token);
            sentence_start = false;
            at = next;
            continue;
        }
        // a character between tokens
        if is_clause_break(character) {
            clause += 1;
        }
        let opens_quotation = character == '“'
            || (character == '"'
                && text[..at]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace));
        if matches!(character, '.' | '?' | '!' | ':' | '…') || opens_quotation {
            // a quotation starts with a capital like a sentence
            sentence_start = true;
        } else if !(character.is_whitespace() || is_opening(character)) {
            sentence_start = false;
        }
        match character {
            '"' => marks.straight += 1,
            '“' | '„' | '«' => marks.curly_open += 1,
            '”' | '»' => marks.curly_close += 1,
            '(' => marks.parentheses += 1,
            ')' => marks.parentheses -= 1,
            '[' => marks.brackets += 1,
            ']' => marks.brackets -= 1,
            '@' | '#' => hints.at_or_hash = true,
            '.' => match bytes.get(at + 1) {
                Some(next) if next.is_ascii_alphabetic() => hints.dot_letter = true,
                Some(next) if next.is_ascii_digit() => hints.dot_digit = true,
                Some(next) if *next >= 0x80 => hints.dot_other = true,
                _ => {}
            },
            _ => {}
        }
        if byte >= 0x80 {
            shift = shift
                .wrapping_add(fold_char(character).len_utf8())
                .wrapping_sub(width);
        }
        at += width;
    }
    (marks, hints)
}

impl<'a> Analysed<'a> {
    /// The folded form of a token.
    pub fn folded(&self, token: &Token) -> &str {
        &self.folded[token.folded_start..token.folded_end]
    }

    /// The original form of a token.
    pub fn original(&self, token: &Token) -> &'a str {
        &self.text[token.start..token.end]
    }

    /// The byte spans of the URLs, e-mail addresses, handles, hashtags and domains of the text
    /// (found once, by `find` — the punctuation check's — given the text and its hints).
    pub fn copied_items(
        &self,
        find: impl FnOnce(&str, ItemHints) -> Vec<(usize, usize)>,
    ) -> &[(usize, usize)] {
        self.copied.get_or_init(|| find(self.text, self.item_hints))
    }
}

/// A number token starting at the ASCII digit at `start`: digits, with `.` or `,` between
/// digits. Returns the token and where the text goes on.
fn number_token(
    text: &str,
    start: usize,
    shift: usize,
    clause: u32,
    sentence_start: bool,
    hints: &mut ItemHints,
) -> (Token, usize) {
    let bytes = text.as_bytes();
    let mut end = start + 1;
    while end < bytes.len() {
        let byte = bytes[end];
        if byte.is_ascii_digit() {
            end += 1;
        } else if matches!(byte, b'.' | b',') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        {
            if byte == b'.' {
                hints.dot_digit = true;
            }
            end += 2;
        } else {
            break;
        }
    }
    // digits and separators fold to themselves
    let token = Token {
        kind: TokenKind::Number,
        start,
        end,
        folded_start: start.wrapping_add(shift),
        folded_end: end.wrapping_add(shift),
        clause,
        capitalised: false,
        all_caps: false,
        sentence_start,
    };
    (token, end)
}

/// A word token starting at the letter at `start`: letters (ASCII ones a run at a time), its
/// characters beyond ASCII moving `shift` by what folding adds or takes away. Returns the
/// token and where the text goes on.
fn word_token(
    text: &str,
    start: usize,
    shift: &mut usize,
    clause: u32,
    sentence_start: bool,
) -> (Token, usize) {
    let bytes = text.as_bytes();
    let folded_start = start.wrapping_add(*shift);
    // every ASCII letter counts as uppercase: it is one unless a lowercase letter was seen,
    // and then the word is not in capitals anyway
    let mut uppercase = 0usize;
    let mut lowercase = false;
    let mut capitalised = false;
    let mut end = start;
    loop {
        // a run of ASCII letters, classified as a whole
        let (run_end, lower) = ascii_letter_run(bytes, end);
        if run_end > end {
            if end == start {
                capitalised = bytes[start].is_ascii_uppercase();
            }
            lowercase |= lower;
            uppercase += run_end - end;
            end = run_end;
        }
        if end >= bytes.len() || bytes[end] < 0x80 {
            break;
        }
        let character = text[end..].chars().next().unwrap_or('\u{fffd}');
        if !character.is_alphabetic() {
            break;
        }
        if character.is_uppercase() {
            uppercase += 1;
            capitalised |= end == start;
        } else if character.is_lowercase() {
            lowercase = true;
        }
        *shift = shift
            .wrapping_add(fold_char(character).len_utf8())
            .wrapping_sub(character.len_utf8());
        end += character.len_utf8();
    }
    let token = Token {
        kind: TokenKind::Word,
        start,
        end,
        folded_start,
        folded_end: end.wrapping_add(*shift),
        clause,
        capitalised,
        all_caps: uppercase >= 2 && !lowercase,
        sentence_start,
    };
    (token, end)
}

fn is_opening(character: char) -> bool {
    matches!(character, '(' | '[' | '"' | '“' | '‘' | '\'' | '«')
}

fn is_clause_break(character: char) -> bool {
    matches!(
        character,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '“'
            | '”'
            | '.'
            | '?'
            | '!'
            | '—'
            | '–'
            | '…'
    )
}

/// Folds a whole string the way [`Analysed`] folds text (for tables and ignore lists).
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars() {
        push_folded(&mut folded, character);
    }
    folded
}

/// Folds a phrase to its words joined by single spaces (`Ha Noi`, `Ha-Noi` → `ha noi`).
pub fn fold_words(text: &str) -> String {
    let analysed = Analysed::new(text);
    let mut words = String::with_capacity(text.len());
    for token in &analysed.tokens {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(analysed.folded(token));
    }
    words
}

/// Indonesian function words: never names, and in an English target a sign of text left
/// untranslated. Kept to words that are not also English words (`pun`, `agar`, `ada`).
pub const INDONESIAN_FUNCTION_WORDS: &[&str] = &[
    "adalah", "akan", "antara", "atas", "atau", "bagi", "bahwa", "beliau", "belum", "berbagai",
    "bersama", "bisa", "dalam", "dan", "dapat", "dari", "dengan", "di", "guna", "harus", "hingga",
    "ia", "ini", "itu", "juga", "kami", "karena", "ke", "kepada", "ketika", "kita", "lebih",
    "masih", "melalui", "menjadi", "mereka", "namun", "oleh", "pada", "para", "saat", "sangat",
    "saya", "sebagai", "sebelum", "secara", "sedang", "sehingga", "sejak", "selama", "seluruh",
    "seperti", "serta", "setelah", "sudah", "tentang", "terhadap", "tersebut", "tetapi", "tidak",
    "untuk", "yaitu", "yakni", "yang",
];

static INDONESIAN_FUNCTION_SET: LazyLock<WordSet<'static>> =
    LazyLock::new(|| word_set(INDONESIAN_FUNCTION_WORDS));

/// Whether a folded word is one of [`INDONESIAN_FUNCTION_WORDS`].
pub fn is_indonesian_function_word(word: &str) -> bool {
    INDONESIAN_FUNCTION_SET.contains(word)
}

/// Indonesian stopwords beyond the function words.
pub const INDONESIAN_EXTRA_STOPWORDS: &[&str] = &[
    "se", "nya", "pun", "lah", "ada", "agar", "juga", "telah", "para", "kedua",
];

/// Words that carry little meaning on the Indonesian side, for the lexicon's coverage.
pub fn is_indonesian_stopword(word: &str) -> bool {
    is_indonesian_function_word(word) || INDONESIAN_EXTRA_STOPWORDS.contains(&word)
}

/// English function words, ignored by the lexicon's coverage.
pub const ENGLISH_STOPWORDS: &[&str] = &[
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "being",
    "both", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
    "he", "her", "his", "how", "i", "in", "into", "is", "it", "its", "may", "more", "most", "must",
    "nd", "of", "on", "or", "our", "rd", "s", "she", "should", "so", "st", "such", "th", "than",
    "that", "the", "their", "them", "there", "these", "they", "this", "those", "through", "to",
    "up", "us", "very", "was", "we", "were", "what", "when", "which", "while", "who", "will",
    "with", "would",
];

static ENGLISH_STOPWORD_SET: LazyLock<WordSet<'static>> =
    LazyLock::new(|| word_set(ENGLISH_STOPWORDS));

/// Whether a folded word is one of [`ENGLISH_STOPWORDS`].
pub fn is_english_stopword(word: &str) -> bool {
    ENGLISH_STOPWORD_SET.contains(word)
}

/// A crude Indonesian stem: common prefixes and suffixes off, so that `pembangunan`,
/// `membangun` and `dibangun` share one lexicon entry. Consistency matters more than
/// linguistic truth: the lexicon only compares stems made by this same function.
pub fn indonesian_stem(word: &str) -> &str {
    let mut stem = word;
    for suffix in ["nya", "kan", "an", "i"] {
        if stem.len() > suffix.len() + 4
            && let Some(rest) = stem.strip_suffix(suffix)
        {
            stem = rest;
            break;
        }
    }
    for prefix in [
        "meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "pe", "ber",
        "ter", "di", "ke", "se",
    ] {
        if stem.len() > prefix.len() + 3
            && let Some(rest) = stem.strip_prefix(prefix)
        {
            stem = rest;
            break;
        }
    }
    stem
}

/// A crude English stem: plural, tense and adverb endings off.
pub fn english_stem(word: &str) -> &str {
    for suffix in [
        "ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "y", "s",
    ] {
        if word.len() > suffix.len() + 3
            && let Some(rest) = word.strip_suffix(suffix)
        {
            return rest;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokeniser as it was before the byte-at-a-time pass: the new one must agree with it.
    fn reference(text: &str) -> (String, Vec<Token>) {
        let mut folded = String::with_capacity(text.len());
        let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
        let mut clause = 0u32;
        let mut sentence_start = true;
        let mut current: Option<Token> = None;
        let mut uppercase_letters = 0usize;
        let mut lowercase_letters = 0usize;
        let mut characters = text.char_indices().peekable();
        while let Some((offset, character)) = characters.next() {
            let folded_offset = folded.len();
            let kind = if character.is_alphabetic() {
                Some(TokenKind::Word)
            } else if character.is_ascii_digit() {
                Some(TokenKind::Number)
            } else if matches!(character, '.' | ',')
                && current.is_some_and(|token| token.kind == TokenKind::Number)
                && characters
                    .peek()
                    .is_some_and(|(_, next)| next.is_ascii_digit())
            {
                // a separator inside a number: part of it
                Some(TokenKind::Number)
            } else {
                None
            };
            match (kind, current.as_mut()) {
                (Some(kind), Some(token)) if token.kind == kind => {
                    token.end = offset + character.len_utf8();
                }
                (Some(kind), _) => {
                    if let Some(token) = current.take() {
                        tokens.push(finish(token, uppercase_letters, lowercase_letters));
                    }
                    uppercase_letters = 0;
                    lowercase_letters = 0;
                    current = Some(Token {
                        kind,
                        start: offset,
                        end: offset + character.len_utf8(),
                        folded_start: folded_offset,
                        folded_end: folded_offset,
                        clause,
                        capitalised: character.is_uppercase(),
                        all_caps: false,
                        sentence_start,
                    });
                    sentence_start = false;
                }
                (None, _) => {
                    if let Some(token) = current.take() {
                        tokens.push(finish(token, uppercase_letters, lowercase_letters));
                    }
                    if is_clause_break(character) {
                        clause += 1;
                    }
                    let opens_quotation = character == '“'
                        || (character == '"'
                            && text[..offset]
                                .chars()
                                .next_back()
                                .is_none_or(char::is_whitespace));
                    if matches!(character, '.' | '?' | '!' | ':' | '…') || opens_quotation {
                        // a quotation starts with a capital like a sentence
                        sentence_start = true;
                    } else if !(character.is_whitespace() || is_opening(character)) {
                        sentence_start = false;
                    }
                }
            }
            if character.is_uppercase() {
                uppercase_letters += 1;
            } else if character.is_lowercase() {
                lowercase_letters += 1;
            }
            push_folded(&mut folded, character);
            if let Some(token) = current.as_mut() {
                token.folded_end = folded.len();
            }
        }
        if let Some(token) = current.take() {
            tokens.push(finish(token, uppercase_letters, lowercase_letters));
        }
        (folded, tokens)
    }

    fn finish(mut token: Token, uppercase: usize, lowercase: usize) -> Token {
        token.all_caps = token.kind == TokenKind::Word && uppercase >= 2 && lowercase == 0;
        token
    }

    #[test]
    fn the_fast_pass_agrees_with_the_reference_tokeniser() {
        let pieces = [
            "Bùi",
            "Thanh",
            "Sơn",
            "ASEAN",
            "PBB",
            "İstanbul",
            "\u{212a}",
            "\u{a0}",
            "\t",
            "\n",
            "«",
            "»",
            "“",
            "”",
            "„",
            "\"",
            "'",
            "’",
            "(",
            ")",
            "[",
            "]",
            "…",
            "—",
            "–",
            "1.000",
            "3,5",
            "2,500,000",
            ",",
            ".",
            ":",
            "?",
            "!",
            "ß",
            "Ǆ",
            "ﬁ",
            "😀",
            "Ⓐ",
            "ǅ",
            "XIII",
            " ",
            "  ",
            "www.vtv.vn",
            "@VNA",
            "#ASEAN",
            ".com",
            "ke-13",
            "6/2",
            "٣",
            "½",
            "²",
            "Σ",
            "ς",
            "kata",
            "Dan",
            "yang",
            "1.",
            ".5",
            "a1b2",
            "x.y",
            "Å",
            // folded to a longer character, and to shorter ones
            "Ⱥ",
            "ſ",
            "ẞ",
            "İ",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            // plain ASCII takes its own path
            let ascii: String = text.chars().filter(char::is_ascii).collect();
            let analysed = Analysed::new(&ascii);
            let (folded, tokens) = reference(&ascii);
            assert_eq!(analysed.folded, folded, "{ascii:?}");
            assert_eq!(analysed.tokens, tokens, "{ascii:?}");
            let analysed = Analysed::new(&text);
            let (folded, tokens) = reference(&text);
            assert_eq!(analysed.folded, folded, "{text:?}");
            assert_eq!(analysed.tokens, tokens, "{text:?}");
            let bytes = text.as_bytes();
            let might = bytes.iter().enumerate().any(|(index, &byte)| {
                byte == b'@'
                    || byte == b'#'
                    || (byte == b'.' && bytes.get(index + 1).is_some_and(u8::is_ascii_alphanumeric))
            });
            let hints = analysed.item_hints;
            assert_eq!(
                might,
                hints.at_or_hash || hints.dot_letter || hints.dot_digit,
                "{text:?}"
            );
            let count = |set: &[char]| text.chars().filter(|c| set.contains(c)).count();
            assert_eq!(analysed.marks.straight, count(&['"']));
            assert_eq!(analysed.marks.curly_open, count(&['“', '„', '«']));
            assert_eq!(analysed.marks.curly_close, count(&['”', '»']));
            assert_eq!(
                analysed.marks.parentheses,
                count(&['(']) as isize - count(&[')']) as isize
            );
        }
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [INDONESIAN_FUNCTION_WORDS, ENGLISH_STOPWORDS] {
            assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "{list:?}");
        }
    }

    #[test]
    fn folding_removes_vietnamese_diacritics_and_keeps_spans() {
        let analysed = Analysed::new("Bùi Thanh Sơn, Hà Nội");
        let words: Vec<&str> = analysed
            .tokens
            .iter()
            .map(|token| analysed.folded(token))
            .collect();
        assert_eq!(words, ["bui", "thanh", "son", "ha", "noi"]);
        assert_eq!(analysed.original(&analysed.tokens[2]), "Sơn");
        assert_eq!(fold_words("Hà-Nội"), "ha noi");
    }

    #[test]
    fn numbers_keep_inner_separators_but_not_trailing_ones() {
        let analysed = Analysed::new("Naik 3,5 persen, 1.000 orang, tahun 2024.");
        let numbers: Vec<&str> = analysed
            .tokens
            .iter()
            .filter(|token| token.kind == TokenKind::Number)
            .map(|token| analysed.original(token))
            .collect();
        assert_eq!(numbers, ["3,5", "1.000", "2024"]);
    }

    #[test]
    fn sentence_starts_clauses_and_capitals_are_marked() {
        let analysed = Analysed::new("Kata PBB. “Yang hadir, Dan");
        let token = |index: usize| analysed.tokens[index];
        assert!(token(0).sentence_start);
        assert!(!token(1).sentence_start && token(1).all_caps);
        assert!(token(2).sentence_start && token(2).capitalised);
        assert!(token(4).clause > token(3).clause);
    }

    #[test]
    fn stemmers_share_stems_across_derivations() {
        assert_eq!(indonesian_stem("pembangunan"), indonesian_stem("membangun"));
        assert_eq!(english_stem("relations"), english_stem("relation"));
        assert_eq!(english_stem("countries"), english_stem("country"));
    }
}
