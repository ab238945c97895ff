//! The untranslated check: Indonesian left in the English target — function words (`yang`,
//! `dan`, `dengan`, `untuk`…), words the lexicon knows as Indonesian (seen translated, never
//! copied, in the approved pairs, and never in an approved English target), unknown words with
//! an unmistakable Indonesian suffix (`-kan`, `-nya`), or a target equal to its source.
//!
//! Names that only look Indonesian (`Yang Jiechi`, `Dan Kritenbrink`, `Jordan`, `Sudan`) are
//! spared: a capitalised function word next to another capitalised word is a name, and only
//! listed function words count, not look-alikes. Words inside URLs, e-mail addresses and
//! handles are skipped, and so are the words of the ignore list (loanwords, house terms).

use super::punctuation::items_of;
use super::text::{Analysed, Token, TokenKind};
use super::vocabulary::{ENGLISH_WORD, ID_FUNCTION, IGNORED, WordInfo};
use super::{Check, Finding, Pair, Severity};

/// At most this many unflagged tokens may separate two flagged ones in one finding.
const GAP: usize = 2;

/// Whether a capitalised token stands in a name (`Yang Jiechi`, `Dan Kritenbrink`).
fn in_name(analysed: &Analysed<'_>, index: usize) -> bool {
    let tokens = &analysed.tokens;
    let token = &tokens[index];
    if !token.capitalised {
        return false;
    }
    let next_is_capital = tokens
        .get(index + 1)
        .is_some_and(|next| next.capitalised && analysed.text[token.end..next.start] == *" ");
    let previous_is_capital = index > 0 && {
        let previous = &tokens[index - 1];
        previous.capitalised
            && analysed.text[previous.end..token.start] == *" "
            && !previous.sentence_start
    };
    next_is_capital || previous_is_capital
}

/// Whether a target word is Indonesian (`words`: the target's word information).
fn is_indonesian(analysed: &Analysed<'_>, words: &[WordInfo], index: usize) -> bool {
    let token: &Token = &analysed.tokens[index];
    if token.kind != TokenKind::Word {
        return false;
    }
    let info = &words[index];
    // what the word is, before whether it stands in a name or on the ignore list: most words
    // are English and end here
    let indonesian = info.has(ID_FUNCTION) || {
        let word = analysed.folded(token);
        if word.len() < 3 || info.has(ENGLISH_WORD) || info.target_stem().is_some() {
            false
        } else if let Some(known) = info.source_word() {
            known.copy_rate() < 0.2
        } else {
            !token.capitalised
                && word.len() >= 6
                && word.is_ascii()
                && (word.ends_with("kan") || word.ends_with("nya"))
        }
    };
    indonesian && !info.has(IGNORED) && !in_name(analysed, index)
}

/// A word seen in approved English targets that is no Indonesian function word, which
/// [`is_indonesian`] never flags: most target words, told in line.
fn surely_english(info: &WordInfo) -> bool {
    info.has(ENGLISH_WORD) && !info.has(ID_FUNCTION)
}

/// Whether a text has any word that marks it as Indonesian.
fn has_indonesian(analysed: &Analysed<'_>, words: &[WordInfo]) -> bool {
    (0..analysed.tokens.len()).any(|index| is_indonesian(analysed, words, index))
}

/// The untranslated findings of one pair.
pub fn check(pair: &Pair<'_>) -> Vec<Finding> {
    let source_text = pair.source.text;
    let target_text = pair.target.text;
    let same = source_text
        .split_whitespace()
        .eq(target_text.split_whitespace());
    if same && !target_text.trim().is_empty() {
        if has_indonesian(&pair.target, &pair.target_words) {
            return vec![
                Finding::new(
                    Check::Untranslated,
                    Severity::Error,
                    "the target is the source, untranslated",
                )
                .with_source(0, source_text.len())
                .with_target(0, target_text.len()),
            ];
        }
        return Vec::new();
    }
    let target = &pair.target;
    let skipped = items_of(target);
    let flagged: Vec<usize> = (0..target.tokens.len())
        .filter(|&index| {
            let token = &target.tokens[index];
            !surely_english(&pair.target_words[index])
                && is_indonesian(target, &pair.target_words, index)
                && !skipped
                    .iter()
                    .any(|(start, end)| *start <= token.start && token.end <= *end)
        })
        .collect();
    let mut findings = Vec::new();
    let mut group_start = 0;
    for position in 0..flagged.len() {
        let ends_group = flagged
            .get(position + 1)
            .is_none_or(|next| next - flagged[position] > GAP + 1);
        if !ends_group {
            continue;
        }
        let first = &target.tokens[flagged[group_start]];
        let last = &target.tokens[flagged[position]];
        let words = &target_text[first.start..last.end];
        findings.push(
            Finding::new(
                Check::Untranslated,
                Severity::Error,
                format!("“{words}” is Indonesian left in the target"),
            )
            .with_target(first.start, last.end),
        );
        group_start = position + 1;
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::{Lexicon, QaContext, QaOptions};
    use super::*;

    fn context(options: &QaOptions) -> QaContext {
        let lexicon = Lexicon::learn(
            [
                (
                    "Kerja sama ekonomi diperkuat.",
                    "Economic cooperation was strengthened.",
                ),
                (
                    "Media dan transformasi digital.",
                    "Media and digital transformation.",
                ),
                ("Foto: Nguyen Hong", "Photo: Nguyen Hong"),
                (
                    "Berbagi dan saling mendukung.",
                    "Sharing and mutual support.",
                ),
            ],
            None,
        );
        QaContext::new(None, lexicon, options)
    }

    fn run(source: &str, target: &str) -> Vec<Finding> {
        let context = context(&QaOptions::default());
        let pair = Pair::new(source, target, None, &context);
        check(&pair)
    }

    #[test]
    fn surely_english_words_are_never_flagged() {
        let context = context(&QaOptions::default());
        let mut english = 0;
        for line in include_str!("../../tests/data/qa/pairs.jsonl").lines() {
            let pair: serde_json::Value = serde_json::from_str(line).expect("an evaluation pair");
            for side in ["source", "target"] {
                let text = pair[side].as_str().unwrap_or_default();
                let pair = Pair::new(text, text, None, &context);
                for index in 0..pair.target.tokens.len() {
                    if surely_english(&pair.target_words[index]) {
                        english += 1;
                        assert!(!is_indonesian(&pair.target, &pair.target_words, index));
                    }
                }
            }
        }
        assert!(english > 100, "{english}");
    }

    #[test]
    fn english_with_indonesian_looking_names_and_loanwords_is_not_flagged() {
        let cases = [
            (
                "Duta Besar AS Dan Kritenbrink hadir.",
                "US Ambassador Dan Kritenbrink attended.",
            ),
            (
                "Anggota Politbiro Yang Jiechi hadir.",
                "Politburo member Yang Jiechi attended.",
            ),
            ("Bantuan ke Sudan dan Yordania.", "Aid to Sudan and Jordan."),
            (
                "Media dan transformasi digital.",
                "The media and digital transformation.",
            ),
            (
                "Lihat https://www.mofa.gov.vn/id/berita",
                "See https://www.mofa.gov.vn/id/berita",
            ),
            ("Joe Biden", "Joe Biden"),
            (
                "Ekonomi digital, e-commerce, dan start-up.",
                "The digital economy, e-commerce and start-ups.",
            ),
        ];
        for (source, target) in cases {
            assert_eq!(run(source, target), Vec::new(), "{source} → {target}");
        }
    }

    #[test]
    fn indonesian_left_in_the_target_is_flagged() {
        let cases = [
            ("Dia menghargai dan memuji.", "He appreciated dan praised."),
            (
                "Berbagi dan saling mendukung.",
                "Berbagi dan saling mendukung.",
            ),
            (
                "Kerja sama ekonomi diperkuat.",
                "Kerja sama ekonomi was strengthened.",
            ),
            ("Foto: Nguyen Hong", "Foto: Nguyen Hong"),
            (
                "Hal itu menunjukkan tekadnya.",
                "It showed menunjukkan resolve.",
            ),
            ("untuk pembangunan", "for the development yang"),
        ];
        for (source, target) in cases {
            let findings = run(source, target);
            assert_eq!(findings.len(), 1, "{source} → {target}: {findings:?}");
            assert!(findings[0].target_span.is_some());
        }
    }

    #[test]
    fn ignored_words_are_accepted() {
        let options = QaOptions {
            ignore_words: vec!["Ekonomi".to_string()],
            ..QaOptions::default()
        };
        let context = context(&options);
        let pair = Pair::new("ekonomi", "the ekonomi desk", None, &context);
        assert_eq!(check(&pair), Vec::new());
    }
}
