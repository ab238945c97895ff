//! The punctuation check: quotation marks, parentheses and brackets balanced as in the source
//! (curly and straight double quotes are interchangeable; a quotation that continues into the
//! next segment is fine when the source does the same, so it is the parity of the quote count
//! and the bracket balance that must agree), and URLs, e-mail addresses, hashtags, @handles
//! and bare domain names copied exactly (compared without case).
//!
//! Also finds those copied items for the other checks ([`copied_items`]), so that the words
//! inside a URL are not taken for untranslated Indonesian. Must not judge words.

use super::text::{Analysed, ItemHints};
use super::{Check, Finding, Pair, Severity};
use regex::Regex;
use std::sync::LazyLock;

/// URLs, e-mail addresses, @handles, hashtags and bare domains, most specific first.
static COPIED_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:https?://|www\.)[^\s<>“”]+",
        r"|[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}",
        r"|(?:^|[^\w@])(?:@\w+|#\w+)",
        r"|\b[A-Z0-9][A-Z0-9-]*(?:\.[A-Z0-9-]+)*\.(?:com|net|org|gov|edu|int|info|io|vn|id|uk|au|sg|my|cn|jp|kr)\b",
    ))
    .expect("the copied-item pattern is valid")
});

/// The byte spans of the URLs, e-mail addresses, handles, hashtags and domains of a text.
pub fn copied_items(text: &str) -> Vec<(usize, usize)> {
    if !might_have_items(text) {
        return Vec::new();
    }
    find_items(text)
}

/// [`copied_items`] of an analysed text, found once and kept with it.
pub fn items_of<'t>(analysed: &'t Analysed<'_>) -> &'t [(usize, usize)] {
    analysed.copied_items(items_with_hints)
}

/// [`copied_items`] given what the tokenising pass saw. The pattern can match only where there
/// is an `@` or a `#`, a `.` followed by a letter (a domain's ending: ASCII, or one of the
/// characters that case-fold to an ASCII letter), or `://` or `www.`; and [`might_have_items`]
/// must hold. So a text whose only full stops stand before digits (`1.000`, `09.00`) and that
/// has neither `://` nor `www.` has none, without running the pattern.
fn items_with_hints(text: &str, hints: ItemHints) -> Vec<(usize, usize)> {
    let possible = hints.at_or_hash
        || hints.dot_letter
        || (hints.dot_digit && (hints.dot_other || has_scheme_or_www(text)));
    if !possible {
        return Vec::new();
    }
    find_items_near_candidates(text)
}

/// The endings of the domain alternative of [`COPIED_ITEM`], lowercase.
const DOMAIN_ENDINGS: [&[u8]; 17] = [
    b"com", b"net", b"org", b"gov", b"edu", b"int", b"info", b"io", b"vn", b"id", b"uk", b"au",
    b"sg", b"my", b"cn", b"jp", b"kr",
];

/// Where in the text [`COPIED_ITEM`] may match, ascending: every match holds an `@` or a `#`,
/// `://`, `www.`, or a `.` followed by one of [`DOMAIN_ENDINGS`] (in any case), and this gives
/// the byte offset of each. Only ASCII letters and two other characters (the Kelvin sign and
/// the long s, which fold to `k` and `s`) match those letters case-insensitively, so a `.`
/// with a byte beyond ASCII in the four after it is a candidate too. A full stop before a
/// letter that starts no domain ending (`U.S.`, `hal.C`) is not.
fn candidates(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'@', b'#', b'.', bytes)
        .chain(memchr::memmem::find_iter(bytes, b"://"))
        .filter(move |&at| {
            if bytes[at] != b'.' {
                return true;
            }
            let before = &bytes[at.saturating_sub(3)..at];
            let after = &bytes[at + 1..bytes.len().min(at + 5)];
            before.eq_ignore_ascii_case(b"www")
                || !after.is_ascii()
                || DOMAIN_ENDINGS.iter().any(|ending| {
                    after.len() >= ending.len()
                        && after[..ending.len()].eq_ignore_ascii_case(ending)
                })
        })
}

/// [`find_items`], the pattern run only on the stretches of text around [`candidates`]: no
/// match holds white space but for the one character before a handle or hashtag, so each match
/// lies within a run of non-space characters and the space before it that holds a candidate.
/// The pattern runs from the start of each such run (with the text before it as context) on
/// the text up to the run's end, which ends no match early: the one look-ahead, the `\b` after
/// a domain, sees a boundary both before white space and at the end of a text. On a long
/// segment with curly quotes the pattern's backtracking search costs tens of microseconds; on
/// the run around a domain name, little.
fn find_items_near_candidates(text: &str) -> Vec<(usize, usize)> {
    let mut positions: Vec<usize> = candidates(text).collect();
    if positions.is_empty() {
        return Vec::new();
    }
    positions.sort_unstable();
    let mut items = Vec::new();
    let mut covered = 0;
    for at in positions {
        if at < covered {
            continue;
        }
        let start = text[..at].rfind(char::is_whitespace).unwrap_or(0);
        let end = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |offset| at + offset);
        let stretch = &text[..end];
        let mut from = start;
        while from < end
            && let Some(found) = COPIED_ITEM.find_at(stretch, from)
        {
            items.extend(item_span(found.start(), found.as_str()));
            // every alternative takes at least one character
            from = found.end().max(from + 1);
        }
        covered = end;
    }
    items
}

/// Whether `://` or `www.` (in any case) occurs in the text.
fn has_scheme_or_www(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"://").is_some()
        || text
            .as_bytes()
            .windows(4)
            .any(|four| four.eq_ignore_ascii_case(b"www."))
}

/// The items of the whole text, by the pattern run over all of it.
fn find_items(text: &str) -> Vec<(usize, usize)> {
    COPIED_ITEM
        .find_iter(text)
        .filter_map(|found| item_span(found.start(), found.as_str()))
        .collect()
}

/// The span of the item the pattern matched as `item` at byte `start`, if anything is left of
/// it.
fn item_span(mut start: usize, mut item: &str) -> Option<(usize, usize)> {
    // the handle/hashtag alternative includes the character before it
    if let Some(position) = item.find(['@', '#'])
        && !item.starts_with(['@', '#'])
        && !item[..position].contains('.')
    {
        start += position;
        item = &item[position..];
    }
    // trailing sentence punctuation is not part of the item
    let trimmed = item.trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?', '"', '\'']);
    (!trimmed.is_empty()).then_some((start, start + trimmed.len()))
}

/// A quick scan that rules out most news sentences before the regex runs: every item has an
/// `@`, a `#`, or a dot followed straight by a letter or digit.
fn might_have_items(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(index, &byte)| {
        byte == b'@'
            || byte == b'#'
            || (byte == b'.' && bytes.get(index + 1).is_some_and(u8::is_ascii_alphanumeric))
    })
}

/// The punctuation findings of one pair.
pub fn check(pair: &Pair<'_>) -> Vec<Finding> {
    let source_text = pair.source.text;
    let target_text = pair.target.text;
    let source = pair.source.marks;
    let target = pair.target.marks;
    let source_quotes = source.straight + source.curly_open + source.curly_close;
    let target_quotes = target.straight + target.curly_open + target.curly_close;
    let mut findings = Vec::new();
    if source_quotes % 2 != target_quotes % 2 {
        findings.push(Finding::new(
            Check::Punctuation,
            Severity::Error,
            format!(
                "the quotation marks do not pair up as in the source ({} in the source, {} in the target)",
                source_quotes, target_quotes
            ),
        ));
    } else if target.straight == 0
        && source_quotes.is_multiple_of(2)
        && target.curly_open != target.curly_close
    {
        findings.push(Finding::new(
            Check::Punctuation,
            Severity::Error,
            format!(
                "the target opens {} quotations and closes {}",
                target.curly_open, target.curly_close
            ),
        ));
    }
    for (name, source_balance, target_balance) in [
        ("parentheses", source.parentheses, target.parentheses),
        ("square brackets", source.brackets, target.brackets),
    ] {
        if source_balance != target_balance {
            findings.push(Finding::new(
                Check::Punctuation,
                Severity::Error,
                format!(
                    "the {name} do not balance as in the source ({source_balance:+} in the source, {target_balance:+} in the target)"
                ),
            ));
        }
    }
    let items = items_of(&pair.source);
    let target_lower = if items.is_empty() {
        String::new()
    } else {
        target_text.to_lowercase()
    };
    for &(start, end) in items {
        let item = &source_text[start..end];
        if !target_lower.contains(&item.to_lowercase()) {
            findings.push(
                Finding::new(
                    Check::Punctuation,
                    Severity::Error,
                    format!("“{item}” is not copied exactly into the target"),
                )
                .with_source(start, end),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::{Lexicon, QaContext, QaOptions};
    use super::*;

    fn run(source: &str, target: &str) -> Vec<Finding> {
        let context = QaContext::new(None, Lexicon::default(), &QaOptions::default());
        check(&Pair::new(source, target, None, &context))
    }

    #[test]
    fn balanced_and_copied_punctuation_is_not_flagged() {
        let cases = [
            ("tema \"Membangun\".", "themed “Building”."),
            ("tema “Membangun”.", "themed \"Building\"."),
            ("Dia berkata: “Kami siap.", "He said: \"We are ready."),
            ("Kami siap bekerja sama.”", "We are ready to cooperate.”"),
            ("(Foto: VNA)", "(Photo: VNA)"),
            (
                "Menteri Luar Negeri (Menlu) Vietnam",
                "Vietnamese Minister of Foreign Affairs",
            ),
            (
                "Lihat https://www.mofa.gov.vn/id/berita.",
                "See https://www.mofa.gov.vn/id/berita.",
            ),
            (
                "Tulis ke press@mofa.gov.vn sekarang",
                "Write to press@mofa.gov.vn now",
            ),
            (
                "Ikuti @MOFA_Vietnam dan #ASEAN2025",
                "Follow @MOFA_Vietnam and #ASEAN2025",
            ),
            ("Menurut Vietnamplus.vn", "According to VietnamPlus.vn"),
        ];
        for (source, target) in cases {
            assert_eq!(run(source, target), Vec::new(), "{source} → {target}");
        }
    }

    #[test]
    fn unbalanced_or_mangled_punctuation_is_flagged() {
        let cases = [
            ("(Foto: VNA)", "(Photo: VNA"),
            ("tema “Membangun”.", "themed “Building."),
            ("tema “Membangun”.", "themed “Building“."),
            ("Dia berkata: “Kami siap.", "He said: “We are ready.”"),
            ("[Catatan] teks", "Note] text"),
            (
                "Lihat https://www.mofa.gov.vn/id/berita.",
                "See https://www.mofa.gov.vn/en/news.",
            ),
            (
                "Tulis ke press@mofa.gov.vn sekarang",
                "Write to press@mofa.gov now",
            ),
            ("Ikuti @MOFA_Vietnam sekarang", "Follow @MOFAVietnam now"),
            (
                "Tagar #DiplomasiVietnam ramai",
                "The hashtag #VietnamDiplomacy trended",
            ),
            (
                "Siaran di www.vtv.vn hari ini",
                "Broadcast at www.vtv.com.vn today",
            ),
        ];
        for (source, target) in cases {
            let findings = run(source, target);
            assert_eq!(findings.len(), 1, "{source} → {target}: {findings:?}");
        }
    }

    /// Texts around every alternative of the pattern and its near misses.
    const ITEM_TEXTS: &[&str] = &[
        "Lihat https://www.mofa.gov.vn/id/berita.",
        "Lihat http://localhost:8080 sekarang",
        "ftp://files.example sekarang",
        "Siaran di WWW.VTV.VN hari ini",
        "Siaran di www.vtv hari ini",
        "Tulis ke press@mofa.gov.vn sekarang",
        "Ikuti @MOFA_Vietnam dan #ASEAN2025",
        "Menurut Vietnamplus.vn",
        "Menurut VIETNAMPLUS.VN, AS.",
        "Menurut a.Com dan b.INFO dan c.iO",
        "Presiden A.S. dan U.S. (hal.C) tiba",
        "pukul 09.00 dan 1.000 orang",
        "situs contoh.uk dan contoh.uK",
        "situs contoh.ſg dan contoh.Kr",
        "situs contoh.\u{212a}r",
        "“Vietnamplus.vn”, kata dia.",
        "akhir kalimat.",
        "a.b.c.d.e.f",
        "domain.co.id/berita",
        "x.idn y.int z.myself",
        "Gedung Putih.Itu",
        "teks.é dan .",
        "@VNA di awal, lalu\u{a0}@VNB,\u{3000}#Tagar\t#Dua\n@Tiga  @Empat",
        "(@VNA) @VNA@VNB #a#b x@y.com,tulis:a.b@c.com.vn.",
        "http://a b.com www.a.com/path?x=1&y=2. “https://vtv.vn/berita”",
        "kata,@x kata.#y kata-@z é@w ſ@v.com \u{212a}.org.",
        "Vietnamplus.vnà dan Vietnamplus.vn_ dan Vietnamplus.vn-baru www.",
    ];

    /// The texts of the QA evaluation pairs, and [`ITEM_TEXTS`], each also in capitals, in
    /// lowercase, and with its full stops before letters and digits.
    fn gate_texts() -> Vec<String> {
        let mut texts: Vec<String> = ITEM_TEXTS.iter().map(|text| text.to_string()).collect();
        for line in include_str!("../../tests/data/qa/pairs.jsonl").lines() {
            let pair: serde_json::Value = serde_json::from_str(line).expect("an evaluation pair");
            for side in ["source", "target"] {
                if let Some(text) = pair[side].as_str() {
                    texts.push(text.to_string());
                }
            }
        }
        let mut variants = Vec::new();
        for text in &texts {
            variants.push(text.to_uppercase());
            variants.push(text.to_lowercase());
            variants.push(text.replace(' ', "."));
            variants.push(text.replace(", ", ".").replace(" di ", ".id "));
        }
        texts.extend(variants);
        texts
    }

    #[test]
    fn the_pattern_run_near_candidates_finds_what_it_finds_in_the_whole_text() {
        let mut without_candidates = 0;
        for text in gate_texts() {
            let hints = Analysed::new(&text).item_hints;
            let found = find_items(&text);
            assert_eq!(find_items_near_candidates(&text), found, "{text}");
            assert_eq!(
                items_with_hints(&text, hints),
                items_with_hints_plain(&text, hints),
                "{text}"
            );
            without_candidates += usize::from(candidates(&text).next().is_none());
        }
        assert!(without_candidates > 100, "{without_candidates}");
        assert_eq!(candidates("Presiden A.S. dan U.S. (hal.C) tiba").count(), 0);
        // the pattern folds the Kelvin sign and the long s into `k` and `s`
        for text in [
            "situs contoh.\u{212a}r",
            "situs contoh.u\u{212a}",
            "situs contoh.\u{17f}g",
        ] {
            assert!(!find_items(text).is_empty(), "{text}");
            assert!(candidates(text).next().is_some(), "{text}");
        }
    }

    /// [`items_with_hints`] running the pattern over the whole text.
    fn items_with_hints_plain(text: &str, hints: ItemHints) -> Vec<(usize, usize)> {
        let possible = hints.at_or_hash
            || hints.dot_letter
            || (hints.dot_digit && (hints.dot_other || has_scheme_or_www(text)));
        if possible {
            find_items(text)
        } else {
            Vec::new()
        }
    }

    #[test]
    fn copied_items_exclude_trailing_punctuation_and_the_character_before_a_handle() {
        let text = "Lihat (www.vtv.vn), tulis ke a.b@mofa.gov.vn, ikuti @VNA.";
        let items: Vec<&str> = copied_items(text)
            .into_iter()
            .map(|(start, end)| &text[start..end])
            .collect();
        assert_eq!(items, ["www.vtv.vn", "a.b@mofa.gov.vn", "@VNA"]);
    }
}
