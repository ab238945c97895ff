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
use super::numerals::{
    Values, add_time_reading, english_magnitude, english_number_words, english_value,
    indonesian_magnitude, indonesian_number_words, indonesian_values, next_word, roman_mention,
};
use super::text::{Analysed, Token, TokenKind};
use super::vocabulary::{EN_NUMBER, ID_NUMBER, WordInfo};
use super::{Check, Finding, Pair, Severity};

/// A number found on one side: the values it may stand for and where it is.
#[derive(Debug, Clone, PartialEq)]
struct Mention {
    values: Values,
    start: usize,
    end: usize,
    /// Written in digits (only those count as extra in a target).
    digits: bool,
    /// A percentage (`persen`; `%`, `percent`, `per cent`, `percentage points`).
    percent: bool,
}
/// Whether a word token may start a number: a Roman numeral is in capitals or one letter, a
/// number in words starts with a word of the vocabulary's `flag`.
fn may_start_number(token: &Token, info: &WordInfo, flag: u32) -> bool {
    token.all_caps || token.end - token.start == 1 || info.has(flag)
}

/// The numbers of a source into `mentions` (emptied first).
fn source_mentions(
    analysed: &Analysed<'_>,
    infos: &[WordInfo],
    skipped: &[usize],
    mentions: &mut Vec<Mention>,
) {
    let tokens = &analysed.tokens;
    mentions.clear();
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        // only number tokens are days or months
        if token.kind == TokenKind::Number && skipped.contains(&index) {
            index += 1;
            continue;
        }
        let mut end_index = index;
        let mut values = match token.kind {
            TokenKind::Number => indonesian_values(analysed.original(token)),
            TokenKind::Word if !may_start_number(token, &infos[index], ID_NUMBER) => {
                index += 1;
                continue;
            }
            TokenKind::Word => {
                if let Some(value) = roman_mention(analysed, index) {
                    Values::one(value)
                } else if let Some((value, last)) = indonesian_number_words(analysed, index) {
                    end_index = last;
                    Values::one(value)
                } else {
                    index += 1;
                    continue;
                }
            }
        };
        if let Some(scale) = next_word(analysed, end_index).and_then(indonesian_magnitude) {
            values
                .as_mut_slice()
                .iter_mut()
                .for_each(|value| *value *= scale);
            end_index += 1;
        }
        add_time_reading(analysed.original(token), &mut values);
        let percent = next_word(analysed, end_index) == Some("persen")
            || analysed.text[tokens[end_index].end..].starts_with('%');
        mentions.push(Mention {
            values,
            start: token.start,
            end: tokens[end_index].end,
            digits: token.kind == TokenKind::Number,
            percent,
        });
        index = end_index + 1;
    }
}
/// The numbers of a target into `mentions` (emptied first).
fn target_mentions(
    analysed: &Analysed<'_>,
    infos: &[WordInfo],
    skipped: &[usize],
    mentions: &mut Vec<Mention>,
) {
    let tokens = &analysed.tokens;
    mentions.clear();
    let mut index = 0;
    while index < tokens.len() {
        let token: &Token = &tokens[index];
        // only number tokens are days or months
        if token.kind == TokenKind::Number && skipped.contains(&index) {
            index += 1;
            continue;
        }
        let mut end_index = index;
        let mut values = match token.kind {
            TokenKind::Number => {
                let text = analysed.original(token);
                // a time: 9:00
                if let Some(next) = tokens.get(index + 1)
                    && next.kind == TokenKind::Number
                    && &analysed.text[token.end..next.start] == ":"
                {
                    end_index += 1;
                }
                Values::from(english_value(text))
            }
            TokenKind::Word if !may_start_number(token, &infos[index], EN_NUMBER) => {
                index += 1;
                continue;
            }
            TokenKind::Word => {
                if let Some(value) = roman_mention(analysed, index) {
                    Values::one(value)
                } else if let Some((value, last)) = english_number_words(analysed, index) {
                    end_index = last;
                    Values::one(value)
                } else {
                    index += 1;
                    continue;
                }
            }
        };
        if let Some(scale) = next_word(analysed, end_index).and_then(english_magnitude) {
            values
                .as_mut_slice()
                .iter_mut()
                .for_each(|value| *value *= scale);
            end_index += 1;
        }
        let after = analysed.text[tokens[end_index].end..].trim_start();
        let percent = after.starts_with('%')
            || matches!(
                next_word(analysed, end_index),
                Some("percent" | "percentage")
            )
            || (next_word(analysed, end_index) == Some("per")
                && next_word(analysed, end_index + 1) == Some("cent"));
        mentions.push(Mention {
            values,
            start: token.start,
            end: tokens[end_index].end,
            digits: token.kind == TokenKind::Number,
            percent,
        });
        index = end_index + 1;
    }
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The mentions of both sides and the marks of the target's matched ones, kept per thread
/// between pairs.
#[derive(Default)]
struct Buffers {
    source: Vec<Mention>,
    target: Vec<Mention>,
    target_used: Vec<bool>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

/// Mention buffers longer than this (a very long segment's) are not kept.
const MENTIONS_KEPT: usize = 1024;

/// The number findings of one pair.
pub fn check(pair: &Pair<'_>, dates: &DateMentions) -> Vec<Finding> {
    let mut buffers = BUFFERS.with(|buffers| std::mem::take(&mut *buffers.borrow_mut()));
    source_mentions(
        &pair.source,
        &pair.source_words,
        &dates.source.consumed,
        &mut buffers.source,
    );
    target_mentions(
        &pair.target,
        &pair.target_words,
        &dates.target.consumed,
        &mut buffers.target,
    );
    buffers.target_used.clear();
    buffers.target_used.resize(buffers.target.len(), false);
    let findings = compare(
        pair,
        &buffers.source,
        &buffers.target,
        &mut buffers.target_used,
    );
    if buffers.source.capacity().max(buffers.target.capacity()) <= MENTIONS_KEPT {
        // a thread being torn down keeps nothing
        let _ = BUFFERS.try_with(|kept| *kept.borrow_mut() = buffers);
    }
    findings
}

/// The findings of the source's and the target's numbers, given a mark per target number
/// (all unset).
fn compare(
    pair: &Pair<'_>,
    source: &[Mention],
    target: &[Mention],
    target_used: &mut [bool],
) -> Vec<Finding> {
    let mut missing: Vec<&Mention> = Vec::new();
    let mut lost_percent: Vec<(&Mention, &Mention)> = Vec::new();
    for mention in source {
        let found = target.iter().enumerate().position(|(index, candidate)| {
            !target_used[index]
                && mention.values.as_slice().iter().any(|value| {
                    candidate
                        .values
                        .as_slice()
                        .iter()
                        .any(|other| same_value(*value, *other))
                })
        });
        match found {
            Some(index) => {
                target_used[index] = true;
                if mention.percent && !target[index].percent {
                    lost_percent.push((mention, &target[index]));
                }
            }
            None => missing.push(mention),
        }
    }
    // extra digits are findings of their own; an extra number word only stands in for a
    // missing number (`tiga` → "four")
    let (mut extra, extra_words): (Vec<&Mention>, Vec<&Mention>) = target
        .iter()
        .zip(target_used.iter())
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
    let mut findings: Vec<Finding> = lost_percent
        .into_iter()
        .map(|(source_mention, target_mention)| {
            Finding::new(
                Check::Number,
                Severity::Error,
                format!(
                    "the percentage {} of the source is not a percentage in the target ({})",
                    quote(source_text, source_mention),
                    quote(target_text, target_mention)
                ),
            )
            .with_source(source_mention.start, source_mention.end)
            .with_target(target_mention.start, target_mention.end)
        })
        .collect();
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
                let (severity, message) = if target_mention.values.as_slice().is_empty() {
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
    a.values.as_slice().iter().any(|value| {
        b.values
            .as_slice()
            .iter()
            .any(|other| same_value(*value, *other))
    })
}

/// How the source's number is written in English, for messages.
fn english_form(mention: &Mention) -> String {
    match mention.values.as_slice().first() {
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
    use super::super::{Lexicon, QaContext, QaOptions};
    use super::*;

    fn run(source: &str, target: &str) -> Vec<Finding> {
        let context = QaContext::new(None, Lexicon::default(), &QaOptions::default());
        let pair = Pair::new(source, target, None, &context);
        let dates = DateMentions::find(&pair);
        check(&pair, &dates)
    }

    #[test]
    fn correct_conversions_are_not_flagged() {
        let cases = [
            ("naik 3,5 persen", "rose 3.5 percent"),
            ("naik 3,5 persen", "rose 3.5 per cent"),
            ("naik 3,5 persen", "rose 3.5%"),
            ("naik 3,5 persen", "rose 3.5 percentage points"),
            ("naik 3,5%", "rose 3.5 %"),
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
            ("naik 12 persen", "rose by 12 points"),
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
}
