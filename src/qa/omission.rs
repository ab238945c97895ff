//! The omission and addition checks: a stretch of the source that nothing in the target
//! accounts for (a dropped clause), or a stretch of the target that nothing in the source
//! accounts for (an added one).
//!
//! Each content word is accounted for when it is copied to the other side, when it is inside a
//! glossary term whose rendering was found, or when the [`Lexicon`](super::Lexicon) knows one
//! of its translations and that translation is on the other side; a word the lexicon has no
//! translation for says nothing. The longest-scoring run of words (unaccounted +1, accounted
//! −[`ACCOUNTED_PENALTY`], unknown words neutral on the source side and half a point on the
//! target side, where added text is made of words the source does not explain) is a finding
//! when its score, plus points for an unusual length ratio in the same direction (learnt from
//! the approved pairs; minus points in the other), reaches [`MIN_SCORE`]. So a dropped clause is found without relying on length alone, and a
//! paraphrase that keeps the meaning is not. Must not judge numbers, names or punctuation.

use super::text::{Analysed, TokenKind};
use super::vocabulary::{NONE, WordInfo};
use super::{Check, Finding, Pair, QaContext, Severity};

/// What a run must score, with the length adjustment, to be a finding.
pub const MIN_SCORE: f32 = 4.5;
/// What an accounted-for word takes off a run's score.
pub const ACCOUNTED_PENALTY: f32 = 1.5;
/// What an unknown target word adds to an addition run, at most (see `unknown_weight`).
const UNKNOWN_TARGET_WEIGHT: f32 = 0.5;
/// Points per standard deviation of length ratio toward the finding (a short target for an
/// omission, a long one for an addition), and the most the ratio can move the bar.
const LENGTH_WEIGHT: f32 = 0.8;
const MAX_LENGTH_SWING: f64 = 6.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Accounted,
    Unaccounted,
    Unknown,
}

/// One content word of a side and whether the other side accounts for it.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    status: Status,
}

/// The words of one side of a pair, as the omission and addition runs need them.
struct SideWords<'t> {
    /// The content words: their byte span, the index of their (first) token and their stem.
    content: Vec<((usize, usize), usize, u32)>,
    /// The vocabulary ids of every word of the side, sorted, once each.
    ids: Vec<u32>,
    /// The words the vocabulary does not hold, sorted, once each.
    unknown: Vec<&'t str>,
    /// The stems of the content words, sorted, once each.
    stems: Vec<u32>,
}

impl<'t> SideWords<'t> {
    fn new(analysed: &'t Analysed<'_>, infos: &[WordInfo], source_side: bool) -> SideWords<'t> {
        let mut side = SideWords {
            content: Vec::with_capacity(analysed.tokens.len()),
            ids: Vec::with_capacity(analysed.tokens.len()),
            unknown: Vec::new(),
            stems: Vec::with_capacity(analysed.tokens.len()),
        };
        for (index, span, word) in words_of(analysed) {
            let info = &infos[index];
            if info.id == NONE {
                side.unknown.push(word);
            } else {
                side.ids.push(info.id);
            }
            let (content, stem) = if source_side {
                (info.is_source_content(), info.source_stem)
            } else {
                (info.is_target_content(), info.target_stem)
            };
            if content {
                side.content.push((span, index, stem));
                if stem != NONE {
                    side.stems.push(stem);
                }
            }
        }
        for list in [&mut side.ids, &mut side.stems] {
            list.sort_unstable();
            list.dedup();
        }
        side.unknown.sort_unstable();
        side.unknown.dedup();
        side
    }

    /// Whether the side has this word (given with what the vocabulary knows of it).
    fn has(&self, word: &str, info: &WordInfo) -> bool {
        if info.id == NONE {
            self.unknown.binary_search(&word).is_ok()
        } else {
            self.ids.binary_search(&info.id).is_ok()
        }
    }
}

/// Each content word of one side with whether the other side accounts for it: the same word
/// is there, a glossary term covers it, or the lexicon `links` its stem to a stem of the other
/// side (`Unknown` when the lexicon knows nothing of it).
fn account<'lexicon>(
    analysed: &Analysed<'_>,
    infos: &[WordInfo],
    side: &SideWords<'_>,
    other: &SideWords<'_>,
    in_glossary: impl Fn(usize, usize) -> bool,
    links: impl Fn(u32) -> &'lexicon [u32],
) -> Vec<Word> {
    side.content
        .iter()
        .map(|&((start, end), index, stem)| {
            let info = &infos[index];
            let word = analysed.folded(&analysed.tokens[index]);
            let status = if other.has(word, info) || in_glossary(start, end) {
                Status::Accounted
            } else if stem == NONE {
                Status::Unknown
            } else {
                match links(stem) {
                    [] => Status::Unknown,
                    linked => {
                        if linked
                            .iter()
                            .any(|id| other.stems.binary_search(id).is_ok())
                        {
                            Status::Accounted
                        } else {
                            Status::Unaccounted
                        }
                    }
                }
            };
            Word { start, end, status }
        })
        .collect()
}

/// The omission and addition findings of one pair.
pub fn check(pair: &Pair<'_>, context: &QaContext) -> Vec<Finding> {
    let lexicon = context.lexicon();
    if lexicon.pair_count() == 0 {
        return Vec::new();
    }
    let source_side = SideWords::new(&pair.source, &pair.source_words, true);
    let target_side = SideWords::new(&pair.target, &pair.target_words, false);
    let matches = pair.verdict.map_or(&[][..], |verdict| &verdict.matches[..]);
    let source = account(
        &pair.source,
        &pair.source_words,
        &source_side,
        &target_side,
        |start, end| {
            matches.iter().any(|term| {
                term.target_span.is_some()
                    && term.source_span.start <= start
                    && end <= term.source_span.end
            })
        },
        |stem| lexicon.translations(stem),
    );
    let target = account(
        &pair.target,
        &pair.target_words,
        &target_side,
        &source_side,
        |start, end| {
            matches.iter().any(|term| {
                term.target_span
                    .is_some_and(|span| span.start <= start && end <= span.end)
            })
        },
        |stem| lexicon.translated_from(stem),
    );
    // a short segment's length ratio says little: its weight grows to full at 100 characters
    let reliability = (pair.source.text.len() as f64 / 100.0).min(1.0);
    let deviation = lexicon
        .length_deviation(pair.source.text, pair.target.text)
        .unwrap_or(0.0)
        * reliability;
    // the length ratio moves the bar: a short target makes a weak omission run credible, a
    // long one makes it less so (and the other way round for additions)
    let adjusted = |score: f32, toward: f64| {
        score + LENGTH_WEIGHT * toward.clamp(-MAX_LENGTH_SWING, MAX_LENGTH_SWING) as f32
    };
    let mut findings = Vec::new();
    if let Some((start, end, score)) = best_run(&source, 0.0)
        && adjusted(score, -deviation) >= MIN_SCORE
    {
        findings.push(
            Finding::new(
                Check::Omission,
                Severity::Warning,
                format!(
                    "nothing in the target seems to say “{}”",
                    &pair.source.text[start..end]
                ),
            )
            .with_source(start, end),
        );
    }
    // unknown target words are evidence of added text only when the target is long for its
    // source: otherwise they are just words the lexicon has not met
    let unknown_weight = UNKNOWN_TARGET_WEIGHT * ((deviation - 0.5) as f32).clamp(0.0, 1.0);
    if let Some((start, end, score)) = best_run(&target, unknown_weight)
        && adjusted(score, deviation) >= MIN_SCORE
    {
        findings.push(
            Finding::new(
                Check::Addition,
                Severity::Warning,
                format!(
                    "nothing in the source seems to say “{}”",
                    &pair.target.text[start..end]
                ),
            )
            .with_target(start, end),
        );
    }
    findings
}

/// The folded words of a text with the index of their token and their byte spans. A
/// reduplicated word (`komitmen-komitmen`, the Indonesian plural) is one word spanning both
/// halves: counted twice, a dropped plural would weigh double in a run.
fn words_of<'t>(
    analysed: &'t Analysed<'_>,
) -> impl Iterator<Item = (usize, (usize, usize), &'t str)> {
    let mut words = analysed
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| token.kind == TokenKind::Word)
        .map(move |(index, token)| (index, (token.start, token.end), analysed.folded(token)))
        .peekable();
    std::iter::from_fn(move || {
        let (index, (start, mut end), word) = words.next()?;
        while let Some(&(_, (next_start, next_end), next_word)) = words.peek()
            && next_word == word
            && next_start == end + 1
            && analysed.text.as_bytes()[end] == b'-'
        {
            end = next_end;
            words.next();
        }
        Some((index, (start, end), word))
    })
}

/// The highest-scoring run of words (maximum subarray): its byte span and score.
fn best_run(words: &[Word], unknown_weight: f32) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    let mut current_start = 0usize;
    let mut current = 0.0f32;
    for (index, word) in words.iter().enumerate() {
        let gain = match word.status {
            Status::Unaccounted => 1.0,
            Status::Accounted => -ACCOUNTED_PENALTY,
            Status::Unknown => unknown_weight,
        };
        if current <= 0.0 {
            current = 0.0;
            current_start = index;
        }
        current += gain;
        if current > 0.0 && best.is_none_or(|(_, _, score)| current > score) {
            best = Some((words[current_start].start, word.end, current));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::text::Analysed;
    use super::super::{Lexicon, QaOptions};
    use super::*;

    const MEMORY: [(&str, &str); 10] = [
        (
            "Presiden memuji sektor diplomatik dan meminta kementerian meningkatkan pelatihan pejabat.",
            "The President praised the diplomatic sector and asked the ministry to improve the training of officials.",
        ),
        (
            "Kementerian akan meningkatkan pelatihan pejabat muda.",
            "The ministry will improve the training of young officials.",
        ),
        (
            "Sektor diplomatik mencapai hasil penting.",
            "The diplomatic sector achieved important results.",
        ),
        (
            "Presiden meminta kerja sama ekonomi diperkuat.",
            "The President asked for economic cooperation to be strengthened.",
        ),
        (
            "Kerja sama ekonomi dan perdagangan terus berkembang.",
            "Economic and trade cooperation continues to develop.",
        ),
        (
            "Hasil penting dicapai dalam perdagangan.",
            "Important results were achieved in trade.",
        ),
        (
            "Pejabat muda memuji kementerian.",
            "Young officials praised the ministry.",
        ),
        (
            "Presiden memuji hasil kerja sama.",
            "The President praised the results of cooperation.",
        ),
        (
            "Kementerian memuji pejabat muda.",
            "The ministry praised the young officials.",
        ),
        (
            "Perdagangan mencapai hasil penting.",
            "Trade achieved important results.",
        ),
    ];

    fn run(source: &str, target: &str) -> Vec<Finding> {
        let context = QaContext::new(None, Lexicon::learn(MEMORY, None), &QaOptions::default());
        let pair = Pair::new(source, target, None, &context);
        check(&pair, &context)
    }

    #[test]
    fn faithful_translations_are_not_flagged() {
        for (source, target) in MEMORY {
            assert_eq!(run(source, target), Vec::new(), "{source} → {target}");
        }
    }

    #[test]
    fn a_dropped_clause_is_an_omission() {
        let findings = run(
            "Presiden memuji sektor diplomatik dan meminta kementerian meningkatkan pelatihan pejabat muda serta kerja sama ekonomi dan perdagangan.",
            "The President praised the diplomatic sector.",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, Check::Omission);
        assert!(
            findings[0].message.contains("kerja sama"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn an_added_clause_is_an_addition() {
        let findings = run(
            "Sektor diplomatik mencapai hasil penting.",
            "The diplomatic sector achieved important results, although critics say the budget was wasted on lavish receptions and banquets abroad.",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, Check::Addition);
    }

    #[test]
    fn a_reduplicated_plural_is_one_word() {
        let analysed = Analysed::new("komitmen-komitmen khusus, kata-kata");
        let words: Vec<(usize, (usize, usize), &str)> = words_of(&analysed).collect();
        assert_eq!(
            words,
            [
                (0, (0, 17), "komitmen"),
                (2, (18, 24), "khusus"),
                (3, (26, 35), "kata")
            ]
        );
    }

    #[test]
    fn the_best_run_skips_accounted_words() {
        let word = |status| Word {
            start: 0,
            end: 1,
            status,
        };
        let words = [
            word(Status::Accounted),
            word(Status::Unaccounted),
            word(Status::Unaccounted),
            word(Status::Unknown),
            word(Status::Unaccounted),
        ];
        let (_, _, score) = best_run(&words, 0.0).unwrap();
        assert_eq!(score, 3.0);
    }
}
