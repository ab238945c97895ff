//! The date check: month and weekday names (`Desember` → December, `Selasa` → Tuesday;
//! `Minggu` is Sunday or "week"), day numbers next to a month (`19-23 Desember` → December 19
//! to 23, `tgl 17 hingga tgl 19 Desember`), and numeric `dd/mm(/yyyy)` dates (`6/2` is
//! 6 February). A changed day, month or weekday is a finding.
//!
//! [`DateMentions`] also tells the number check which number tokens are days and months, so
//! that a changed date is reported once, here. Works on analysed tokens only; must not know
//! about numbers other than days, months and the year of a numeric date.

use super::text::{Analysed, Token, TokenKind};
use super::vocabulary::{EN_CALENDAR, ID_CALENDAR, WordInfo};
use super::{Check, Finding, Pair, Severity};

pub(super) const INDONESIAN_MONTHS: [&str; 12] = [
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
/// Indonesian abbreviations that cannot be ordinary words: (abbreviation, month).
pub(super) const INDONESIAN_MONTH_ABBREVIATIONS: [(&str, u32); 7] = [
    ("jan", 1),
    ("feb", 2),
    ("agt", 8),
    ("sept", 9),
    ("okt", 10),
    ("nov", 11),
    ("des", 12),
];
pub(super) const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
pub(super) const ENGLISH_MONTH_ABBREVIATIONS: [(&str, u32); 8] = [
    ("jan", 1),
    ("feb", 2),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];
/// Monday first; `minggu` (Sunday, also "week") last.
pub(super) const INDONESIAN_WEEKDAYS: [&str; 7] = [
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
];
pub(super) const ENGLISH_WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const SUNDAY: u32 = 6;

/// A day of a month: `(day, month)` and the byte span of the expression it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayMention {
    pub day: u32,
    pub month: u32,
    pub start: usize,
    pub end: usize,
    /// Written `dd/mm(/yyyy)`.
    pub numeric: bool,
}

/// A month or weekday name standing alone (its index, 1-based for months, 0 = Monday for
/// weekdays) and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMention {
    pub index: u32,
    pub start: usize,
    pub end: usize,
}

/// The dates of one side of a pair.
#[derive(Debug, Clone, Default)]
pub struct SideDates {
    pub days: Vec<DayMention>,
    /// Months not part of a day mention.
    pub months: Vec<NameMention>,
    pub weekdays: Vec<NameMention>,
    /// Indices of the number tokens that are days or months (the number check skips them).
    pub consumed: Vec<usize>,
}

/// The dates of both sides of a pair.
#[derive(Debug, Clone, Default)]
pub struct DateMentions {
    pub source: SideDates,
    pub target: SideDates,
}

impl DateMentions {
    pub fn find(pair: &Pair<'_>) -> DateMentions {
        DateMentions {
            source: side_dates(&pair.source, &pair.source_words, Language::Indonesian),
            target: side_dates(&pair.target, &pair.target_words, Language::English),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Indonesian,
    English,
}

impl Language {
    /// The vocabulary's flag of the language's month and weekday names.
    fn calendar_flag(self) -> u32 {
        match self {
            Language::Indonesian => ID_CALENDAR,
            Language::English => EN_CALENDAR,
        }
    }
}

fn month_of(
    analysed: &Analysed<'_>,
    token: &Token,
    info: &WordInfo,
    language: Language,
) -> Option<u32> {
    if token.kind != TokenKind::Word || !token.capitalised || !info.has(language.calendar_flag()) {
        return None;
    }
    let word = analysed.folded(token);
    let (names, abbreviations): (&[&str], &[(&str, u32)]) = match language {
        Language::Indonesian => (&INDONESIAN_MONTHS, &INDONESIAN_MONTH_ABBREVIATIONS),
        Language::English => (&ENGLISH_MONTHS, &ENGLISH_MONTH_ABBREVIATIONS),
    };
    if let Some(index) = names.iter().position(|name| *name == word) {
        return Some(index as u32 + 1);
    }
    abbreviations
        .iter()
        .find(|(abbreviation, _)| *abbreviation == word)
        .map(|(_, month)| *month)
}

fn weekday_of(
    analysed: &Analysed<'_>,
    token: &Token,
    info: &WordInfo,
    language: Language,
) -> Option<u32> {
    if token.kind != TokenKind::Word || !info.has(language.calendar_flag()) {
        return None;
    }
    let word = analysed.folded(token);
    let names = match language {
        Language::Indonesian => &INDONESIAN_WEEKDAYS,
        Language::English => &ENGLISH_WEEKDAYS,
    };
    let index = names.iter().position(|name| *name == word)? as u32;
    // lowercase `minggu` is "week"
    if language == Language::Indonesian && index == SUNDAY && !token.capitalised {
        return None;
    }
    Some(index)
}

/// A day number: a plain number token from 1 to 31.
fn day_of(analysed: &Analysed<'_>, token: &Token) -> Option<u32> {
    if token.kind != TokenKind::Number {
        return None;
    }
    let text = analysed.original(token);
    if text.len() > 2 {
        return None;
    }
    text.parse().ok().filter(|day| (1..=31).contains(day))
}

fn is_connector(word: &str, language: Language) -> bool {
    match language {
        Language::Indonesian => matches!(word, "hingga" | "sampai" | "dan" | "s" | "d"),
        Language::English => matches!(word, "to" | "and" | "through" | "until"),
    }
}

/// Words that may stand between a connector and a day (`tgl 17 hingga tgl 19 Desember`).
fn is_day_filler(word: &str, language: Language) -> bool {
    match language {
        Language::Indonesian => matches!(word, "tgl" | "tanggal" | "dengan"),
        Language::English => matches!(word, "st" | "nd" | "rd" | "th" | "the" | "of"),
    }
}

/// Whether only a dash and spaces stand between two tokens.
fn dash_between(text: &str, left: &Token, right: &Token) -> bool {
    let between = text[left.end..right.start].trim();
    matches!(between, "-" | "–" | "—")
}

fn side_dates(analysed: &Analysed<'_>, infos: &[WordInfo], language: Language) -> SideDates {
    let tokens = &analysed.tokens;
    let mut dates = SideDates::default();
    let flag = language.calendar_flag();
    // a day needs a number, a month or weekday name a word of the calendar
    if !tokens
        .iter()
        .zip(infos)
        .any(|(token, info)| token.kind == TokenKind::Number || info.has(flag))
    {
        return dates;
    }
    // numeric dates first: dd/mm or dd/mm/yyyy
    for index in 0..tokens.len() {
        // the cheap tests first: a number, and a `/` straight after it
        if tokens[index].kind != TokenKind::Number {
            continue;
        }
        let Some(next) = tokens.get(index + 1) else {
            continue;
        };
        if &analysed.text[tokens[index].end..next.start] != "/" {
            continue;
        }
        let Some(day) = day_of(analysed, &tokens[index]) else {
            continue;
        };
        let Some(month) = day_of(analysed, next).filter(|month| *month <= 12) else {
            continue;
        };
        let mut end = next.end;
        // a token is used (taken by a date) when it is in `consumed`
        dates.consumed.extend([index, index + 1]);
        if let Some(year) = tokens.get(index + 2)
            && &analysed.text[next.end..year.start] == "/"
            && year.kind == TokenKind::Number
        {
            end = year.end;
        }
        dates.days.push(DayMention {
            day,
            month,
            start: tokens[index].start,
            end,
            numeric: true,
        });
    }
    for index in 0..tokens.len() {
        if let Some(weekday) = weekday_of(analysed, &tokens[index], &infos[index], language) {
            dates.weekdays.push(NameMention {
                index: weekday,
                start: tokens[index].start,
                end: tokens[index].end,
            });
            continue;
        }
        let Some(month) = month_of(analysed, &tokens[index], &infos[index], language) else {
            continue;
        };
        let mut days: Vec<usize> = Vec::new();
        // days before the month (both languages): `19-23 Desember`, `6 February`
        collect_days(
            analysed,
            &dates.consumed,
            index,
            Direction::Backward,
            language,
            &mut days,
        );
        // days after the month (English): `December 19 to 23`
        if language == Language::English && days.is_empty() {
            collect_days(
                analysed,
                &dates.consumed,
                index,
                Direction::Forward,
                language,
                &mut days,
            );
        }
        if days.is_empty() {
            dates.months.push(NameMention {
                index: month,
                start: tokens[index].start,
                end: tokens[index].end,
            });
            continue;
        }
        for &day_index in &days {
            dates.consumed.push(day_index);
            let token = &tokens[day_index];
            let (start, end) = if token.start < tokens[index].start {
                (token.start, tokens[index].end)
            } else {
                (tokens[index].start, token.end)
            };
            dates.days.push(DayMention {
                day: day_of(analysed, token).unwrap_or(0),
                month,
                start,
                end,
                numeric: false,
            });
        }
    }
    dates
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Backward,
    Forward,
}

/// The day tokens next to the month at `month_index`, the nearest first, following range
/// connectors and dashes; `used`: the indices of the tokens already taken by a date.
fn collect_days(
    analysed: &Analysed<'_>,
    used: &[usize],
    month_index: usize,
    direction: Direction,
    language: Language,
    days: &mut Vec<usize>,
) {
    let tokens = &analysed.tokens;
    let step = |index: usize| -> Option<usize> {
        match direction {
            Direction::Backward => index.checked_sub(1),
            Direction::Forward => Some(index + 1).filter(|next| *next < tokens.len()),
        }
    };
    let mut at = month_index;
    // whether a connector (`hingga`, `to`) was crossed since the last day
    let mut expecting_day = true;
    let mut last_day: Option<usize> = None;
    while let Some(index) = step(at) {
        let token = &tokens[index];
        let (left, right) = if index < at { (index, at) } else { (at, index) };
        let crosses_clause = tokens[left].clause != tokens[right].clause;
        if day_of(analysed, token).is_some() && !used.contains(&index) {
            let allowed = if last_day.is_none() || expecting_day {
                !crosses_clause
            } else {
                // `19-23`, `22–23`: a second day straight after a dash
                dash_between(analysed.text, &tokens[left], &tokens[right])
            };
            if !allowed {
                break;
            }
            days.push(index);
            last_day = Some(index);
            expecting_day = false;
            at = index;
            continue;
        }
        if crosses_clause || token.kind != TokenKind::Word {
            break;
        }
        let word = analysed.folded(token);
        if is_day_filler(word, language) {
            at = index;
            continue;
        }
        if last_day.is_some() && !expecting_day && is_connector(word, language) {
            expecting_day = true;
            at = index;
            continue;
        }
        break;
    }
}

fn month_name(month: u32) -> &'static str {
    ENGLISH_MONTHS[(month.clamp(1, 12) - 1) as usize]
}

fn describe(mention: &DayMention, text: &str) -> String {
    format!(
        "“{}” ({} {})",
        &text[mention.start..mention.end],
        mention.day,
        month_name(mention.month)
    )
}

/// The date findings of one pair.
pub fn check(pair: &Pair<'_>, dates: &DateMentions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let source_text = pair.source.text;
    let target_text = pair.target.text;
    // days: multiset difference of (day, month)
    let mut unmatched_target: Vec<DayMention> = dates.target.days.clone();
    let mut unmatched_source: Vec<DayMention> = Vec::new();
    for mention in &dates.source.days {
        match unmatched_target
            .iter()
            .position(|other| (other.day, other.month) == (mention.day, mention.month))
        {
            Some(position) => {
                unmatched_target.remove(position);
            }
            None => unmatched_source.push(*mention),
        }
    }
    pair_up(
        &mut findings,
        unmatched_source,
        unmatched_target,
        |source, target| {
            let mut finding = match (source, target) {
                (Some(source), Some(target)) => Finding::new(
                    Check::Date,
                    Severity::Error,
                    format!(
                        "the date {} of the source became {} in the target",
                        describe(source, source_text),
                        describe(target, target_text)
                    ),
                ),
                (Some(source), None) => Finding::new(
                    Check::Date,
                    Severity::Error,
                    format!(
                        "the date {} of the source is not in the target",
                        describe(source, source_text)
                    ),
                ),
                (None, Some(target)) => Finding::new(
                    Check::Date,
                    Severity::Error,
                    format!(
                        "the date {} of the target is not in the source",
                        describe(target, target_text)
                    ),
                ),
                (None, None) => return None,
            };
            if let Some(source) = source {
                finding = finding.with_source(source.start, source.end);
            }
            if let Some(target) = target {
                finding = finding.with_target(target.start, target.end);
            }
            Some(finding)
        },
    );
    // a numeric date kept in the English reads month first in US usage: `6/2` as June 2
    for mention in &dates.target.days {
        if mention.numeric && mention.day <= 12 && mention.day != mention.month {
            findings.push(
                Finding::new(
                    Check::Date,
                    Severity::Warning,
                    format!(
                        "“{}” may be read as {} {} in English; write the month as a word",
                        &target_text[mention.start..mention.end],
                        month_name(mention.day),
                        mention.month
                    ),
                )
                .with_target(mention.start, mention.end),
            );
        }
    }
    // months standing alone
    let (missing, extra) = difference(&dates.source.months, &dates.target.months, |a, b| a == b);
    pair_up(&mut findings, missing, extra, |source, target| {
        name_finding("month", source, target, source_text, target_text)
    });
    // weekdays: Minggu may be "week", so a missing Sunday is not a finding
    let (missing, extra) = difference(&dates.source.weekdays, &dates.target.weekdays, |a, b| {
        a == b
    });
    let missing: Vec<NameMention> = missing
        .into_iter()
        .filter(|mention| mention.index != SUNDAY)
        .collect();
    pair_up(&mut findings, missing, extra, |source, target| {
        name_finding("weekday", source, target, source_text, target_text)
    });
    findings
}

fn name_finding(
    what: &str,
    source: Option<&NameMention>,
    target: Option<&NameMention>,
    source_text: &str,
    target_text: &str,
) -> Option<Finding> {
    let quote =
        |mention: &NameMention, text: &str| format!("“{}”", &text[mention.start..mention.end]);
    let message = match (source, target) {
        (Some(source), Some(target)) => format!(
            "the {what} {} of the source became {} in the target",
            quote(source, source_text),
            quote(target, target_text)
        ),
        (Some(source), None) => format!(
            "the {what} {} of the source is not in the target",
            quote(source, source_text)
        ),
        (None, Some(target)) => format!(
            "the {what} {} of the target is not in the source",
            quote(target, target_text)
        ),
        (None, None) => return None,
    };
    let mut finding = Finding::new(Check::Date, Severity::Error, message);
    if let Some(source) = source {
        finding = finding.with_source(source.start, source.end);
    }
    if let Some(target) = target {
        finding = finding.with_target(target.start, target.end);
    }
    Some(finding)
}

/// The mentions of `source` with no equal in `target`, and those of `target` left over.
fn difference<T: Copy + HasIndex>(
    source: &[T],
    target: &[T],
    same: impl Fn(u32, u32) -> bool,
) -> (Vec<T>, Vec<T>) {
    let mut left: Vec<T> = target.to_vec();
    let mut missing = Vec::new();
    for mention in source {
        match left
            .iter()
            .position(|other| same(other.index(), mention.index()))
        {
            Some(position) => {
                left.remove(position);
            }
            None => missing.push(*mention),
        }
    }
    (missing, left)
}

/// Something with a comparable index (a month or weekday).
pub trait HasIndex {
    fn index(&self) -> u32;
}

impl HasIndex for NameMention {
    fn index(&self) -> u32 {
        self.index
    }
}

/// Turns leftovers into findings, pairing the n-th missing with the n-th extra one (a changed
/// value is one finding, not two).
fn pair_up<T>(
    findings: &mut Vec<Finding>,
    missing: Vec<T>,
    extra: Vec<T>,
    make: impl Fn(Option<&T>, Option<&T>) -> Option<Finding>,
) {
    let count = missing.len().max(extra.len());
    for index in 0..count {
        if let Some(finding) = make(missing.get(index), extra.get(index)) {
            findings.push(finding);
        }
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
    fn correct_dates_are_not_flagged() {
        let cases = [
            ("Pada 22 Desember di Hanoi", "On December 22 in Hanoi"),
            ("pada tanggal 19-23 Desember", "held from December 19 to 23"),
            (
                "dari tgl 17 hingga tgl 19 Desember",
                "from December 17 to 19",
            ),
            (
                "APEC 2025 (31 Oktober - 1 November)",
                "APEC 2025 (October 31–November 1)",
            ),
            (
                "KTT G20 (22-23 November)",
                "the G20 Summit (November 22–23)",
            ),
            (
                "Pada hari Selasa (6/2), Menteri",
                "On Tuesday (February 6), the Minister",
            ),
            (
                "Pada hari Selasa (6/2), Menteri",
                "On Tuesday, 6 February, the Minister",
            ),
            (
                "Pada Kamis (14/3/2024), delegasi",
                "On Thursday (March 14, 2024), the delegation",
            ),
            (
                "Minggu depan, delegasi tiba",
                "Next week, the delegation arrives",
            ),
            ("dalam dua minggu", "within two weeks"),
            ("Pada hari Minggu (3/3)", "On Sunday (March 3)"),
            ("pada 14 Oktober 2025", "on the 14th of October 2025"),
            ("pada bulan Mei", "in May"),
            ("Jumat, 10 Mei", "Friday, May 10"),
        ];
        for (source, target) in cases {
            assert_eq!(run(source, target), Vec::new(), "{source} → {target}");
        }
    }

    #[test]
    fn changed_dates_are_flagged() {
        let cases = [
            ("Pada 22 Desember di Hanoi", "On December 12 in Hanoi"),
            ("Pada 12 Desember di Hanoi", "On November 12 in Hanoi"),
            ("Pada hari Rabu (6/2)", "On Wednesday (June 2)"),
            ("Pada hari Selasa, delegasi", "On Thursday, the delegation"),
            ("Pada hari Minggu (10/3)", "On Saturday (March 10)"),
            ("Jumat, 10 Mei", "Friday, March 10"),
            ("pada bulan Desember", "in November"),
            ("pada Kamis (14/11/2024)", "on Thursday (November 4, 2024)"),
            ("pada 19-23 Desember", "from December 19 to 22"),
            (
                "Pada hari Selasa (6/2), Menteri",
                "On Tuesday (6/2), the Minister",
            ),
        ];
        for (source, target) in cases {
            let findings = run(source, target);
            assert_eq!(findings.len(), 1, "{source} → {target}: {findings:?}");
            assert_eq!(findings[0].check, Check::Date);
            assert!(findings[0].source_span.is_some() || findings[0].target_span.is_some());
        }
    }

    #[test]
    fn days_and_numeric_dates_are_consumed_for_the_number_check() {
        let context = QaContext::new(None, Lexicon::default(), &QaOptions::default());
        let pair = Pair::new(
            "Selasa (6/2) dan 19-23 Desember 2023",
            "Tuesday (February 6) and December 19 to 23, 2023",
            None,
            &context,
        );
        let dates = DateMentions::find(&pair);
        assert_eq!(dates.source.consumed.len(), 4);
        assert_eq!(dates.target.consumed.len(), 3);
    }
}
