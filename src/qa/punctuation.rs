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
    find_items(text)
}

/// Whether `://` or `www.` (in any case) occurs in the text.
fn has_scheme_or_www(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"://").is_some()
        || text
            .as_bytes()
            .windows(4)
            .any(|four| four.eq_ignore_ascii_case(b"www."))
}

fn find_items(text: &str) -> Vec<(usize, usize)> {
    COPIED_ITEM
        .find_iter(text)
        .map(|found| {
            let mut start = found.start();
            let mut item = found.as_str();
            // the handle/hashtag alternative includes the character before it
            if let Some(position) = item.find(['@', '#'])
                && !item.starts_with(['@', '#'])
                && !item[..position].contains('.')
            {
                start += position;
                item = &item[position..];
            }
            // trailing sentence punctuation is not part of the item
            let trimmed =
                item.trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?', '"', '\'']);
            (start, start + trimmed.len())
        })
        .filter(|(start, end)| end > start)
        .collect()
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
