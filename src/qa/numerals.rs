//! How numbers are written, for the number check: Indonesian digit strings (decimal comma,
//! thousands dot), English ones (decimal point, thousands comma), magnitude words, Roman
//! numerals and number words in both languages. Pure readers of single tokens or short token
//! runs; must not compare or report anything.

use super::text::{Analysed, TokenKind};

const INDONESIAN_UNITS: [&str; 9] = [
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];
/// Cardinals and ordinals from zero to nineteen, in order.
const ENGLISH_SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const ENGLISH_ORDINALS: [&str; 20] = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];
const ENGLISH_TENS: [(&str, &str); 8] = [
    ("twenty", "twentieth"),
    ("thirty", "thirtieth"),
    ("forty", "fortieth"),
    ("fifty", "fiftieth"),
    ("sixty", "sixtieth"),
    ("seventy", "seventieth"),
    ("eighty", "eightieth"),
    ("ninety", "ninetieth"),
];

/// Every word [`indonesian_number_words`] may start with.
pub(super) const INDONESIAN_NUMBER_STARTS: &[&str] = &[
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
    "sebelas", "seratus", "seribu", "sejuta",
];

/// Every word [`english_number_words`] may start with.
pub(super) fn english_number_starts() -> impl Iterator<Item = &'static str> {
    ["dual", "double", "both", "twin", "pair"]
        .into_iter()
        .chain(ENGLISH_SMALL)
        .chain(ENGLISH_ORDINALS)
        .chain(
            ENGLISH_TENS
                .iter()
                .flat_map(|(cardinal, ordinal)| [*cardinal, *ordinal]),
        )
}

pub(super) fn indonesian_magnitude(word: &str) -> Option<f64> {
    Some(match word {
        "ribu" => 1e3,
        "juta" => 1e6,
        "miliar" | "milyar" => 1e9,
        "triliun" => 1e12,
        _ => return None,
    })
}

pub(super) fn english_magnitude(word: &str) -> Option<f64> {
    Some(match word {
        "thousand" => 1e3,
        "million" | "mn" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    })
}

/// The value of a Roman numeral made of I, V, X and L, if it is a well-formed one.
pub(super) fn roman_value(text: &str) -> Option<f64> {
    // most capitalised words (`ASEAN`, `VNA`) have another letter: no need to read them
    if !text
        .bytes()
        .all(|byte| matches!(byte, b'I' | b'V' | b'X' | b'L'))
    {
        return None;
    }
    let digit = |character: char| match character {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let values: Vec<i32> = text.chars().map(digit).collect::<Option<_>>()?;
    let mut total = 0;
    for (index, value) in values.iter().enumerate() {
        if values.get(index + 1).is_some_and(|next| next > value) {
            total -= value;
        } else {
            total += value;
        }
    }
    // well-formed only: writing the value back gives the same text
    (total > 0 && to_roman(total) == text).then_some(total as f64)
}

fn to_roman(mut value: i32) -> String {
    let mut text = String::new();
    for (amount, symbol) in [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while value >= amount {
            text.push_str(symbol);
            value -= amount;
        }
    }
    text
}

/// Words after which a single-letter Roman numeral is a number (`bagian V`, `Section X`).
fn introduces_roman(word: &str) -> bool {
    matches!(
        word,
        "bagian"
            | "bab"
            | "pasal"
            | "sidang"
            | "kongres"
            | "section"
            | "chapter"
            | "article"
            | "session"
            | "congress"
            | "part"
    )
}

pub(super) fn roman_mention(analysed: &Analysed<'_>, index: usize) -> Option<f64> {
    let token = &analysed.tokens[index];
    let text = analysed.original(token);
    let single_allowed =
        index > 0 && introduces_roman(analysed.folded(&analysed.tokens[index - 1]));
    if !(token.all_caps || (text.len() == 1 && single_allowed)) {
        return None;
    }
    if text.len() == 1 && !single_allowed {
        return None;
    }
    roman_value(text)
}

/// The values a number may stand for, kept in place: at most three (an Indonesian `1,500`
/// read both ways, and an afternoon time read on a 12-hour clock).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Values {
    items: [f64; 3],
    len: usize,
}

impl Values {
    pub(super) fn one(value: f64) -> Values {
        let mut values = Values::default();
        values.push(value);
        values
    }

    pub(super) fn push(&mut self, value: f64) {
        debug_assert!(
            self.len < self.items.len(),
            "a number has at most three values"
        );
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = value;
            self.len += 1;
        }
    }

    fn extend(&mut self, value: Option<f64>) {
        if let Some(value) = value {
            self.push(value);
        }
    }

    pub(super) fn as_slice(&self) -> &[f64] {
        &self.items[..self.len]
    }

    pub(super) fn as_mut_slice(&mut self) -> &mut [f64] {
        &mut self.items[..self.len]
    }
}

impl From<Option<f64>> for Values {
    fn from(value: Option<f64>) -> Values {
        let mut values = Values::default();
        values.extend(value);
        values
    }
}

impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// Parses `prefix` followed by the bytes of `text` that `map` keeps (as it maps them) as an
/// `f64`: the string a collecting `String` would have built, built on the stack when short.
fn parse_mapped(prefix: &[u8], text: &str, map: impl Fn(u8) -> Option<u8>) -> Option<f64> {
    let mut buffer = [0u8; 64];
    let mut length = 0;
    let mapped = prefix.iter().copied().chain(text.bytes().filter_map(&map));
    for byte in mapped {
        let Some(slot) = buffer.get_mut(length) else {
            // too long for the buffer: collect it
            let long: Vec<u8> = prefix
                .iter()
                .copied()
                .chain(text.bytes().filter_map(&map))
                .collect();
            return String::from_utf8(long).ok()?.parse().ok();
        };
        *slot = byte;
        length += 1;
    }
    std::str::from_utf8(&buffer[..length]).ok()?.parse().ok()
}

/// The number the ASCII digits of a text make, read as one string.
fn digits_value(text: &str) -> Option<f64> {
    // up to 15 digits the number is an integer below 2^53, which an f64 holds exactly
    let mut value = 0u64;
    let mut digits = 0;
    for byte in text.bytes() {
        if byte.is_ascii_digit() {
            value = value * 10 + u64::from(byte - b'0');
            digits += 1;
            if digits > 15 {
                return parse_mapped(b"", text, |byte| byte.is_ascii_digit().then_some(byte));
            }
        }
    }
    (digits > 0).then_some(value as f64)
}

/// `text.parse::<f64>()`, without parsing when the text is up to 15 ASCII digits.
fn parse_number(text: &str) -> Option<f64> {
    if !text.is_empty() && text.len() <= 15 && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return digits_value(text);
    }
    text.parse().ok()
}

/// The value of `0.` followed by `fraction` (0 when that is no number).
fn fraction_value(fraction: &str) -> f64 {
    parse_mapped(b"0.", fraction, Some).unwrap_or(0.0)
}

/// Groups after the first all have three digits (`1.000.000`).
fn thousands_groups(text: &str, separator: char) -> bool {
    let mut groups = text.split(separator);
    let first = groups.next().unwrap_or("");
    !first.is_empty() && first.len() <= 3 && groups.all(|group| group.len() == 3)
}

/// The values an Indonesian digit string may stand for.
pub(super) fn indonesian_values(text: &str) -> Values {
    let has_dot = text.contains('.');
    let has_comma = text.contains(',');
    let mut values = Values::default();
    match (has_dot, has_comma) {
        (false, false) => values.extend(parse_number(text)),
        (true, false) => {
            if thousands_groups(text, '.') {
                values.extend(digits_value(text));
            } else if text.matches('.').count() == 1 {
                // English-style decimal, or a time (`09.00`)
                values.extend(text.parse::<f64>().ok());
            }
        }
        (false, true) => {
            if text.matches(',').count() == 1 {
                let decimal_point = |byte| Some(if byte == b',' { b'.' } else { byte });
                values.extend(parse_mapped(b"", text, decimal_point));
            }
            if thousands_groups(text, ',') {
                values.extend(digits_value(text));
            }
        }
        (true, true) => {
            // 1.000,5 (Indonesian) or 1,000.5 (English written in the source)
            let (integer, fraction) = match (text.rfind(','), text.rfind('.')) {
                (Some(comma), Some(dot)) if comma > dot => (&text[..comma], &text[comma + 1..]),
                (Some(_), Some(dot)) => (&text[..dot], &text[dot + 1..]),
                _ => (text, ""),
            };
            if let Some(whole) = digits_value(integer) {
                values.push(whole + fraction_value(fraction));
            }
        }
    }
    values
}

/// The value of an English digit string, or `None` when it is not a well-formed English
/// number (an Indonesian `3,5` or `1.000` left as it was).
pub(super) fn english_value(text: &str) -> Option<f64> {
    let (integer, fraction) = match text.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (text, None),
    };
    if fraction.is_some_and(|fraction| fraction.contains('.') || fraction.contains(',')) {
        return None;
    }
    if integer.contains(',') && !thousands_groups(integer, ',') {
        return None;
    }
    let whole = digits_value(integer)?;
    let fraction: f64 = fraction.map(fraction_value).unwrap_or(0.0);
    Some(whole + fraction)
}

pub(super) fn next_word<'t>(analysed: &'t Analysed<'_>, index: usize) -> Option<&'t str> {
    let token = analysed.tokens.get(index + 1)?;
    (token.kind == TokenKind::Word).then(|| analysed.folded(token))
}

/// `14.00` may be said `2 pm`.
pub(super) fn add_time_reading(text: &str, values: &mut Values) {
    let Some((hour, minutes)) = text.split_once(['.', ':']) else {
        return;
    };
    if hour.len() <= 2
        && minutes.len() == 2
        && let Ok(hour) = hour.parse::<u32>()
        && (13..=23).contains(&hour)
    {
        values.push(f64::from(hour - 12));
    }
}

/// A number in Indonesian words starting at `index` (`tiga`, `dua puluh lima`, `sebelas`,
/// `seratus`), and the index of its last word. `satu` alone is left out: `salah satu` is
/// "one of", `satu-satunya` "the only".
pub(super) fn indonesian_number_words(
    analysed: &Analysed<'_>,
    index: usize,
) -> Option<(f64, usize)> {
    let word = analysed.folded(&analysed.tokens[index]);
    let unit = |word: &str| {
        INDONESIAN_UNITS
            .iter()
            .position(|unit| *unit == word)
            .map(|position| position as f64 + 1.0)
    };
    let single = match word {
        "sepuluh" => Some(10.0),
        "sebelas" => Some(11.0),
        "seratus" => Some(100.0),
        "seribu" => Some(1000.0),
        "sejuta" => Some(1e6),
        _ => None,
    };
    if let Some(value) = single {
        return Some((value, index));
    }
    let first = unit(word)?;
    let mut value = first;
    let mut last = index;
    match next_word(analysed, index) {
        Some("belas") => {
            value = 10.0 + first;
            last += 1;
        }
        Some("puluh") => {
            value = first * 10.0;
            last += 1;
            if let Some(ones) = next_word(analysed, last).and_then(unit) {
                value += ones;
                last += 1;
            }
        }
        Some("ratus") => {
            value = first * 100.0;
            last += 1;
        }
        _ => {}
    }
    let scaled = last > index
        || next_word(analysed, last)
            .and_then(indonesian_magnitude)
            .is_some();
    if first == 1.0 && !scaled {
        return None;
    }
    Some((value, last))
}

/// A number in English words starting at `index` and the index of its last word.
pub(super) fn english_number_words(analysed: &Analysed<'_>, index: usize) -> Option<(f64, usize)> {
    let word = analysed.folded(&analysed.tokens[index]);
    // called for every word of every target: plain arrays, no splitting per call
    let small = |word: &str| {
        ENGLISH_SMALL
            .iter()
            .position(|name| *name == word)
            .or_else(|| ENGLISH_ORDINALS.iter().position(|name| *name == word))
            .map(|position| position as f64)
    };
    if matches!(word, "dual" | "double" | "both" | "twin" | "pair") {
        return Some((2.0, index));
    }
    if let Some(value) = small(word) {
        if next_word(analysed, index) == Some("hundred") {
            return Some((value * 100.0, index + 1));
        }
        return Some((value, index));
    }
    let tens = ENGLISH_TENS
        .iter()
        .position(|(cardinal, ordinal)| *cardinal == word || *ordinal == word)?;
    let value = (tens as f64 + 2.0) * 10.0;
    if let Some(ones) = next_word(analysed, index)
        .and_then(small)
        .filter(|ones| (1.0..10.0).contains(ones))
    {
        return Some((value + ones, index + 1));
    }
    Some((value, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_start_lists_hold_every_word_a_number_may_start_with() {
        for word in english_number_starts() {
            let analysed = Analysed::new(word);
            assert!(english_number_words(&analysed, 0).is_some(), "{word}");
        }
        for word in INDONESIAN_NUMBER_STARTS {
            // `satu` alone is no number, but starts one (`satu juta`)
            let analysed = Analysed::new(if *word == "satu" { "satu juta" } else { word });
            assert!(indonesian_number_words(&analysed, 0).is_some(), "{word}");
        }
        for word in INDONESIAN_UNITS {
            assert!(INDONESIAN_NUMBER_STARTS.contains(&word), "{word}");
        }
    }

    #[test]
    fn roman_numerals_must_be_well_formed() {
        assert_eq!(roman_value("XIII"), Some(13.0));
        assert_eq!(roman_value("XLIV"), Some(44.0));
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(roman_value("VX"), None);
    }

    /// The readers as first written, collecting strings and vectors.
    fn digits_value_plain(text: &str) -> Option<f64> {
        text.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    }

    fn indonesian_values_plain(text: &str) -> Vec<f64> {
        let has_dot = text.contains('.');
        let has_comma = text.contains(',');
        let mut values = Vec::with_capacity(2);
        match (has_dot, has_comma) {
            (false, false) => values.extend(parse_number(text)),
            (true, false) => {
                if thousands_groups(text, '.') {
                    values.extend(digits_value_plain(text));
                } else if text.matches('.').count() == 1 {
                    values.extend(text.parse::<f64>().ok());
                }
            }
            (false, true) => {
                if text.matches(',').count() == 1 {
                    values.extend(text.replace(',', ".").parse::<f64>().ok());
                }
                if thousands_groups(text, ',') {
                    values.extend(digits_value_plain(text));
                }
            }
            (true, true) => {
                let (integer, fraction) = match (text.rfind(','), text.rfind('.')) {
                    (Some(comma), Some(dot)) if comma > dot => (&text[..comma], &text[comma + 1..]),
                    (Some(_), Some(dot)) => (&text[..dot], &text[dot + 1..]),
                    _ => (text, ""),
                };
                if let Some(whole) = digits_value_plain(integer) {
                    let fraction: f64 = format!("0.{fraction}").parse().unwrap_or(0.0);
                    values.push(whole + fraction);
                }
            }
        }
        values
    }

    fn english_value_plain(text: &str) -> Option<f64> {
        let (integer, fraction) = match text.split_once('.') {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (text, None),
        };
        if fraction.is_some_and(|fraction| fraction.contains('.') || fraction.contains(',')) {
            return None;
        }
        if integer.contains(',') && !thousands_groups(integer, ',') {
            return None;
        }
        let whole = digits_value_plain(integer)?;
        let fraction: f64 = fraction
            .map(|fraction| format!("0.{fraction}").parse().unwrap_or(0.0))
            .unwrap_or(0.0);
        Some(whole + fraction)
    }

    fn roman_value_plain(text: &str) -> Option<f64> {
        let digit = |character: char| match character {
            'I' => Some(1),
            'V' => Some(5),
            'X' => Some(10),
            'L' => Some(50),
            _ => None,
        };
        let values: Vec<i32> = text.chars().map(digit).collect::<Option<_>>()?;
        let mut total = 0;
        for (index, value) in values.iter().enumerate() {
            if values.get(index + 1).is_some_and(|next| next > value) {
                total -= value;
            } else {
                total += value;
            }
        }
        (total > 0 && to_roman(total) == text).then_some(total as f64)
    }

    fn bits(values: &[f64]) -> Vec<u64> {
        values.iter().map(|value| value.to_bits()).collect()
    }

    #[test]
    fn the_readers_agree_with_their_plain_forms() {
        let long = "1234567890".repeat(8);
        let groups = [
            "0",
            "1",
            "5",
            "09",
            "12",
            "123",
            "500",
            "1234",
            "999999999999999",
            "9007199254740993",
            "00000000000000000001",
            "99999999999999999999",
            "1234567890123456789012345",
            long.as_str(),
        ];
        let mut texts = Vec::new();
        for first in groups {
            texts.push(first.to_string());
            for separator in [".", ","] {
                for second in groups {
                    texts.push(format!("{first}{separator}{second}"));
                    for other in [".", ","] {
                        for third in ["0", "5", "000", "123", "1234", long.as_str()] {
                            texts.push(format!("{first}{separator}{second}{other}{third}"));
                        }
                    }
                }
            }
        }
        texts.extend(
            [
                "",
                ".",
                ",",
                "1.",
                ",5",
                "1,2,3",
                "1.2.3",
                "1.000,5,3",
                "x1é2",
            ]
            .map(String::from),
        );
        for text in &texts {
            assert_eq!(
                bits(indonesian_values(text).as_slice()),
                bits(&indonesian_values_plain(text)),
                "{text}"
            );
            let mut values = indonesian_values(text);
            let mut plain = indonesian_values_plain(text);
            add_time_reading(text, &mut values);
            if let Some((hour, minutes)) = text.split_once(['.', ':'])
                && hour.len() <= 2
                && minutes.len() == 2
                && let Ok(hour) = hour.parse::<u32>()
                && (13..=23).contains(&hour)
            {
                plain.push(f64::from(hour - 12));
            }
            assert_eq!(bits(values.as_slice()), bits(&plain), "{text}");
            assert_eq!(
                english_value(text).map(f64::to_bits),
                english_value_plain(text).map(f64::to_bits),
                "{text}"
            );
        }
        for value in 1..200 {
            let roman = to_roman(value);
            for text in [
                roman.clone(),
                format!("{roman}I"),
                format!("I{roman}"),
                roman.to_lowercase(),
            ] {
                assert_eq!(roman_value(&text), roman_value_plain(&text), "{text}");
            }
        }
        for text in ["", "VNA", "ASEAN", "IIII", "VX", "LIX", "Ⅻ", "XIIé"] {
            assert_eq!(roman_value(text), roman_value_plain(text), "{text}");
        }
    }

    #[test]
    fn indonesian_and_english_digit_strings_read_their_own_way() {
        assert_eq!(indonesian_values("1.000").as_slice(), [1000.0]);
        assert_eq!(indonesian_values("3,5").as_slice(), [3.5]);
        assert_eq!(indonesian_values("1.000,5").as_slice(), [1000.5]);
        assert_eq!(indonesian_values("2,500,000").as_slice(), [2_500_000.0]);
        assert_eq!(english_value("2,500,000"), Some(2_500_000.0));
        assert_eq!(english_value("3.5"), Some(3.5));
        assert_eq!(english_value("3,5"), None);
        assert_eq!(english_value("1.000.000"), None);
    }
}
