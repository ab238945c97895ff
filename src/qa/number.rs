//! The number check: every number of the source is in the target, converted to English
//! conventions, and the target has no number the source does not.
//!
//! Indonesian numbers are read with a decimal comma and a thousands dot (`3,5` = 3.5,
//! `1.000` = 1000), scaled by `ribu`/`juta`/`miliar`/`triliun`; `ke-13`, Roman numerals
//! (`Kongres XIII`) and number words (`tiga`, `dua puluh`) are numbers too. English numbers
//! are read the English way (`1,000`, `3.5`, `2.5 million`, `13th`, `thirteen`, `XIII`), so
//! an Indonesian `3,5` or `2.500` left as it is does not match. Values are compared, so
//! `2,5 juta` may be `2.5 million` or `2,500,000`. Days and months of dates are left to the
//! date check. Only digits in the target count as extra numbers (`one`, `first` and `I` are
//! too often not numbers).

use super::date::DateMentions;
use super::text::{Analysed, Token, TokenKind};
use super::{Check, Finding, Pair, Severity};

/// A number found on one side: the values it may stand for and where it is.
#[derive(Debug, Clone, PartialEq)]
struct Mention {
    values: Vec<f64>,
    start: usize,
    end: usize,
    /// Written in digits (only those count as extra in a target).
    digits: bool,
}

const INDONESIAN_UNITS: [&str; 9] = [
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];
/// Cardinals and ordinals from zero to nineteen, in order.
const ENGLISH_SMALL: &str = "zero one two three four five six seven eight nine ten eleven twelve \
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen";
const ENGLISH_ORDINALS: &str = "zeroth first second third fourth fifth sixth seventh eighth \
    ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth \
    eighteenth nineteenth";
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

fn indonesian_magnitude(word: &str) -> Option<f64> {
    Some(match word {
        "ribu" => 1e3,
        "juta" => 1e6,
        "miliar" | "milyar" => 1e9,
        "triliun" => 1e12,
        _ => return None,
    })
}

fn english_magnitude(word: &str) -> Option<f64> {
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

fn roman_mention(analysed: &Analysed<'_>, index: usize) -> Option<f64> {
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

fn digits_value(text: &str) -> Option<f64> {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

/// Groups after the first all have three digits (`1.000.000`).
fn thousands_groups(text: &str, separator: char) -> bool {
    let mut groups = text.split(separator);
    let first = groups.next().unwrap_or("");
    !first.is_empty() && first.len() <= 3 && groups.all(|group| group.len() == 3)
}

/// The values an Indonesian digit string may stand for.
fn indonesian_values(text: &str) -> Vec<f64> {
    let has_dot = text.contains('.');
    let has_comma = text.contains(',');
    let mut values = Vec::with_capacity(2);
    match (has_dot, has_comma) {
        (false, false) => values.extend(text.parse::<f64>().ok()),
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
                values.extend(text.replace(',', ".").parse::<f64>().ok());
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
                let fraction: f64 = format!("0.{fraction}").parse().unwrap_or(0.0);
                values.push(whole + fraction);
            }
        }
    }
    values
}

/// The value of an English digit string, or `None` when it is not a well-formed English
/// number (an Indonesian `3,5` or `1.000` left as it was).
fn english_value(text: &str) -> Option<f64> {
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
    let fraction: f64 = fraction
        .map(|fraction| format!("0.{fraction}").parse().unwrap_or(0.0))
        .unwrap_or(0.0);
    Some(whole + fraction)
}

fn next_word<'t>(analysed: &'t Analysed<'_>, index: usize) -> Option<&'t str> {
    let token = analysed.tokens.get(index + 1)?;
    (token.kind == TokenKind::Word).then(|| analysed.folded(token))
}

fn source_mentions(analysed: &Analysed<'_>, skipped: &[usize]) -> Vec<Mention> {
    let tokens = &analysed.tokens;
    let mut mentions = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index];
        if skipped.contains(&index) {
            index += 1;
            continue;
        }
        let mut end_index = index;
        let mut values = match token.kind {
            TokenKind::Number => indonesian_values(analysed.original(&token)),
            TokenKind::Word => {
                if let Some(value) = roman_mention(analysed, index) {
                    vec![value]
                } else if let Some((value, last)) = indonesian_number_words(analysed, index) {
                    end_index = last;
                    vec![value]
                } else {
                    index += 1;
                    continue;
                }
            }
        };
        if let Some(scale) = next_word(analysed, end_index).and_then(indonesian_magnitude) {
            values.iter_mut().for_each(|value| *value *= scale);
            end_index += 1;
        }
        add_time_reading(analysed.original(&token), &mut values);
        mentions.push(Mention {
            values,
            start: token.start,
            end: tokens[end_index].end,
            digits: token.kind == TokenKind::Number,
        });
        index = end_index + 1;
    }
    mentions
}

/// `14.00` may be said `2 pm`.
fn add_time_reading(text: &str, values: &mut Vec<f64>) {
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
fn indonesian_number_words(analysed: &Analysed<'_>, index: usize) -> Option<(f64, usize)> {
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
fn english_number_words(analysed: &Analysed<'_>, index: usize) -> Option<(f64, usize)> {
    let word = analysed.folded(&analysed.tokens[index]);
    let small = |word: &str| {
        ENGLISH_SMALL
            .split_whitespace()
            .position(|name| name == word)
            .or_else(|| {
                ENGLISH_ORDINALS
                    .split_whitespace()
                    .position(|name| name == word)
            })
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

fn target_mentions(analysed: &Analysed<'_>, skipped: &[usize]) -> Vec<Mention> {
    let tokens = &analysed.tokens;
    let mut mentions = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token: Token = tokens[index];
        if skipped.contains(&index) {
            index += 1;
            continue;
        }
        let mut end_index = index;
        let mut values = match token.kind {
            TokenKind::Number => {
                let text = analysed.original(&token);
                // a time: 9:00
                if let Some(next) = tokens.get(index + 1)
                    && next.kind == TokenKind::Number
                    && &analysed.text[token.end..next.start] == ":"
                {
                    end_index += 1;
                }
                english_value(text).into_iter().collect()
            }
            TokenKind::Word => {
                if let Some(value) = roman_mention(analysed, index) {
                    vec![value]
                } else if let Some((value, last)) = english_number_words(analysed, index) {
                    end_index = last;
                    vec![value]
                } else {
                    index += 1;
                    continue;
                }
            }
        };
        if let Some(scale) = next_word(analysed, end_index).and_then(english_magnitude) {
            values.iter_mut().for_each(|value| *value *= scale);
            end_index += 1;
        }
        mentions.push(Mention {
            values,
            start: token.start,
            end: tokens[end_index].end,
            digits: token.kind == TokenKind::Number,
        });
        index = end_index + 1;
    }
    mentions
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The number findings of one pair.
pub fn check(pair: &Pair<'_>, dates: &DateMentions) -> Vec<Finding> {
    let source = source_mentions(&pair.source, &dates.source.consumed);
    let target = target_mentions(&pair.target, &dates.target.consumed);
    let mut target_used = vec![false; target.len()];
    let mut missing: Vec<&Mention> = Vec::new();
    for mention in &source {
        let found = target.iter().enumerate().position(|(index, candidate)| {
            !target_used[index]
                && mention.values.iter().any(|value| {
                    candidate
                        .values
                        .iter()
                        .any(|other| same_value(*value, *other))
                })
        });
        match found {
            Some(index) => target_used[index] = true,
            None => missing.push(mention),
        }
    }
    // extra digits are findings of their own; an extra number word only stands in for a
    // missing number (`tiga` → "four")
    let (mut extra, extra_words): (Vec<&Mention>, Vec<&Mention>) = target
        .iter()
        .zip(&target_used)
        .filter(|(_, used)| !**used)
        .map(|(mention, _)| mention)
        .partition(|mention| mention.digits);
    let paired_words = missing
        .len()
        .saturating_sub(extra.len())
        .min(extra_words.len());
    extra.extend(extra_words.into_iter().take(paired_words));
    let source_text = pair.source.text;
    let target_text = pair.target.text;
    let quote = |text: &str, mention: &Mention| format!("“{}”", &text[mention.start..mention.end]);
    let mut findings = Vec::new();
    for index in 0..missing.len().max(extra.len()) {
        let finding = match (missing.get(index), extra.get(index)) {
            (Some(source_mention), Some(target_mention)) => {
                let written = &target_text[target_mention.start..target_mention.end];
                let left_as_is = written.contains(['.', ','])
                    && source_text[source_mention.start..source_mention.end].starts_with(written);
                let message = if left_as_is {
                    format!(
                        "the number {} keeps its Indonesian form in the target; in English it is {}",
                        quote(target_text, target_mention),
                        english_form(source_mention)
                    )
                } else {
                    format!(
                        "the number {} of the source became {} in the target",
                        quote(source_text, source_mention),
                        quote(target_text, target_mention)
                    )
                };
                Finding::new(Check::Number, Severity::Error, message)
                    .with_source(source_mention.start, source_mention.end)
                    .with_target(target_mention.start, target_mention.end)
            }
            (Some(source_mention), None) => {
                let elsewhere = target
                    .iter()
                    .any(|candidate| shares_value(candidate, source_mention));
                let (severity, message) = if elsewhere || !source_mention.digits {
                    // a number word may be paraphrased (`dua peran` → "a dual role")
                    (
                        Severity::Warning,
                        format!(
                            "the number {} occurs more often in the source than in the target",
                            quote(source_text, source_mention)
                        ),
                    )
                } else {
                    (
                        Severity::Error,
                        format!(
                            "the number {} of the source is not in the target",
                            quote(source_text, source_mention)
                        ),
                    )
                };
                Finding::new(Check::Number, severity, message)
                    .with_source(source_mention.start, source_mention.end)
            }
            (None, Some(target_mention)) => {
                let elsewhere = source
                    .iter()
                    .any(|candidate| shares_value(candidate, target_mention));
                let (severity, message) = if target_mention.values.is_empty() {
                    (
                        Severity::Error,
                        format!(
                            "the number {} of the target is not written the English way",
                            quote(target_text, target_mention)
                        ),
                    )
                } else if elsewhere {
                    (
                        Severity::Warning,
                        format!(
                            "the number {} occurs more often in the target than in the source",
                            quote(target_text, target_mention)
                        ),
                    )
                } else {
                    (
                        Severity::Error,
                        format!(
                            "the number {} of the target is not in the source",
                            quote(target_text, target_mention)
                        ),
                    )
                };
                Finding::new(Check::Number, severity, message)
                    .with_target(target_mention.start, target_mention.end)
            }
            (None, None) => continue,
        };
        findings.push(finding);
    }
    findings
}

fn shares_value(a: &Mention, b: &Mention) -> bool {
    a.values
        .iter()
        .any(|value| b.values.iter().any(|other| same_value(*value, *other)))
}

/// How the source's number is written in English, for messages.
fn english_form(mention: &Mention) -> String {
    match mention.values.first() {
        Some(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            let digits = format!("{}", *value as i64);
            let mut grouped = String::new();
            for (index, digit) in digits.chars().enumerate() {
                if index > 0 && (digits.len() - index) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(digit);
            }
            grouped
        }
        Some(value) => format!("{value}"),
        None => "a different number".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::Analysed;
    use super::*;

    fn run(source: &str, target: &str) -> Vec<Finding> {
        let pair = Pair {
            source: Analysed::new(source),
            target: Analysed::new(target),
            verdict: None,
        };
        let dates = DateMentions::find(&pair);
        check(&pair, &dates)
    }

    #[test]
    fn correct_conversions_are_not_flagged() {
        let cases = [
            ("naik 3,5 persen", "rose 3.5 percent"),
            ("naik 3,5 persen", "rose 3.5 per cent"),
            ("naik 3,5 persen", "rose 3.5%"),
            ("lebih dari 1.000 delegasi", "more than 1,000 delegates"),
            ("mencapai 2,5 juta dolar", "reached 2.5 million dollars"),
            ("mencapai 2,5 juta dolar", "reached 2,500,000 dollars"),
            ("sekitar 300 ribu warga", "about 300,000 people"),
            ("400 miliar dolar AS", "US$400 billion"),
            ("Kongres Partai ke-13", "the 13th Party Congress"),
            ("Kongres Partai ke-13", "the thirteenth Party Congress"),
            ("Kongres Nasional XIII", "the 13th National Congress"),
            ("Kongres Nasional XIII", "the XIII National Congress"),
            ("periode 2021-2025", "the 2021–2025 period"),
            ("periode 2021-2025", "from 2021 to 2025"),
            ("dengan tiga pilar", "with three pillars"),
            ("dengan tiga pilar", "with 3 pillars"),
            ("selama 5 tahun", "for five years"),
            ("dua puluh lima negara", "twenty-five countries"),
            ("abad ke-21", "the 21st century"),
            ("ulang tahun ke-80", "the 80th anniversary"),
            ("Resolusi No. 18-NQ/TW", "Resolution No. 18-NQ/TW"),
            ("bagian XI, hal.C", "Section XI, p. C"),
            ("pukul 09.00 waktu setempat", "at 9:00 local time"),
            ("pukul 14.00 WIB", "at 2 pm"),
            ("KTT G20", "the G20 Summit"),
            ("salah satu negara", "one of the countries"),
            ("Sidang XII", "the 12th Party Central Committee"),
            ("pada 22 Desember 2023", "on December 22, 2023"),
        ];
        for (source, target) in cases {
            assert_eq!(run(source, target), Vec::new(), "{source} → {target}");
        }
    }

    #[test]
    fn wrong_missing_and_mangled_numbers_are_flagged() {
        let cases = [
            (
                "lebih dari 155 kepala negara",
                "more than 150 heads of state",
            ),
            ("naik 3,5 persen", "rose 3,5 percent"),
            ("lebih dari 2.500 mahasiswa", "more than 2.500 students"),
            ("mencapai 2,5 juta dolar", "reached 2.5 billion dollars"),
            ("Kongres Partai ke-13", "the 14th Party Congress"),
            ("Kongres Nasional XIII", "the 12th National Congress"),
            ("periode 2021-2025", "the 2021–2023 period"),
            ("dengan tiga pilar", "with four pillars"),
            ("mengadakan 27 pertemuan", "held meetings"),
            ("mengadakan pertemuan", "held 27 meetings"),
        ];
        for (source, target) in cases {
            let findings = run(source, target);
            assert_eq!(findings.len(), 1, "{source} → {target}: {findings:?}");
            assert_eq!(findings[0].severity, Severity::Error, "{source} → {target}");
        }
    }

    #[test]
    fn a_number_left_in_indonesian_form_says_so() {
        let findings = run("naik 3,5 persen", "rose 3,5 percent");
        assert!(
            findings[0].message.contains("Indonesian form"),
            "{}",
            findings[0].message
        );
        let findings = run("lebih dari 2.500 mahasiswa", "more than 2.500 students");
        assert!(
            findings[0].message.contains("2,500"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn a_repeated_number_written_once_is_a_warning() {
        let findings = run(
            "Resolusi Kongres ke-13 dan pelaksanaan Resolusi Kongres ke-13",
            "the Resolution of the 13th Congress and its implementation",
        );
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn roman_numerals_must_be_well_formed() {
        assert_eq!(roman_value("XIII"), Some(13.0));
        assert_eq!(roman_value("XLIV"), Some(44.0));
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(roman_value("VX"), None);
    }
}
