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
use super::text::{Analysed, Token, TokenKind, is_indonesian_function_word};
use super::{Check, Finding, Pair, QaContext, Severity};

/// At most this many unflagged tokens may separate two flagged ones in one finding.
const GAP: usize = 2;

fn is_function_word(word: &str) -> bool {
    is_indonesian_function_word(word)
}

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

/// Whether a target word is Indonesian.
fn is_indonesian(analysed: &Analysed<'_>, index: usize, context: &QaContext) -> bool {
    let token: &Token = &analysed.tokens[index];
    if token.kind != TokenKind::Word {
        return false;
    }
    let word = analysed.folded(token);
    if context.ignores_word(word) || in_name(analysed, index) {
        return false;
    }
    if is_function_word(word) {
        return true;
    }
    let lexicon = context.lexicon();
    if word.len() < 3 || lexicon.is_english_word(word) || lexicon.target_stem(word).is_some() {
        return false;
    }
    if let Some(known) = lexicon.source_word(word) {
        return known.copy_rate() < 0.2;
    }
    !token.capitalised
        && word.len() >= 6
        && word.is_ascii()
        && (word.ends_with("kan") || word.ends_with("nya"))
}

/// Whether a text has any word that marks it as Indonesian.
fn has_indonesian(analysed: &Analysed<'_>, context: &QaContext) -> bool {
    (0..analysed.tokens.len()).any(|index| is_indonesian(analysed, index, context))
}

/// The untranslated findings of one pair.
pub fn check(pair: &Pair<'_>, context: &QaContext) -> Vec<Finding> {
    let source_text = pair.source.text;
    let target_text = pair.target.text;
    let same = source_text
        .split_whitespace()
        .eq(target_text.split_whitespace());
    if same && !target_text.trim().is_empty() {
        if has_indonesian(&pair.target, context) {
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
            !skipped
                .iter()
                .any(|(start, end)| *start <= token.start && token.end <= *end)
                && is_indonesian(target, index, context)
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
    use super::super::text::Analysed;
    use super::super::{Lexicon, QaOptions};
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
        let pair = Pair {
            source: Analysed::new(source),
            target: Analysed::new(target),
            verdict: None,
        };
        check(&pair, &context(&QaOptions::default()))
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
        let pair = Pair {
            source: Analysed::new("ekonomi"),
            target: Analysed::new("the ekonomi desk"),
            verdict: None,
        };
        assert_eq!(check(&pair, &context(&options)), Vec::new());
    }
}
