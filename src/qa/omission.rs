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

/// Per thread, marks of the words and stems of the pair being checked, by vocabulary id and
/// stem id: a word or stem is on a side when its mark is the current generation. Reused from
/// pair to pair, so that a pair costs no table and no sort.
#[derive(Default)]
struct Marks {
    generation: u32,
    /// Source word ids, target word ids, source stem ids, target stem ids.
    lists: [Vec<u32>; 4],
    /// The content words of the source and of the target: byte span, token index, stem.
    content: [Vec<Content>; 2],
}

/// A content word: its byte span, the index of its (first) token, its vocabulary id and its
/// stem id.
#[derive(Debug, Clone, Copy)]
struct Content {
    start: usize,
    end: usize,
    index: u32,
    id: u32,
    stem: u32,
}

const SOURCE_WORDS: usize = 0;
const TARGET_WORDS: usize = 1;
const SOURCE_STEMS: usize = 2;
const TARGET_STEMS: usize = 3;

thread_local! {
    static MARKS: std::cell::RefCell<Marks> = std::cell::RefCell::default();
}

impl Marks {
    /// A new generation, the lists long enough for these many ids.
    fn start(&mut self, sizes: [usize; 4]) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            for list in &mut self.lists {
                list.fill(0);
            }
            self.generation = 1;
        }
        for (list, size) in self.lists.iter_mut().zip(sizes) {
            if list.len() < size {
                list.resize(size, 0);
            }
        }
    }

    fn mark(&mut self, list: usize, id: u32) {
        self.lists[list][id as usize] = self.generation;
    }
}

/// Marks the words and content stems of one side; returns the words the vocabulary does not
/// hold, sorted, once each.
fn mark_side<'t>(
    marks: &mut Marks,
    analysed: &'t Analysed<'_>,
    infos: &[WordInfo],
    source_side: bool,
) -> Vec<&'t str> {
    let (words_list, stems_list) = if source_side {
        (SOURCE_WORDS, SOURCE_STEMS)
    } else {
        (TARGET_WORDS, TARGET_STEMS)
    };
    let mut unknown = Vec::new();
    let side = usize::from(!source_side);
    marks.content[side].clear();
    for_each_word(analysed, |index, start, end| {
        let info = &infos[index];
        if info.id == NONE {
            unknown.push(analysed.folded(&analysed.tokens[index]));
        } else {
            marks.mark(words_list, info.id);
        }
        let (content, stem) = content_stem(info, source_side);
        if content {
            marks.content[side].push(Content {
                start,
                end,
                index: index as u32,
                id: info.id,
                stem,
            });
            if stem != NONE {
                marks.mark(stems_list, stem);
            }
        }
    });
    unknown.sort_unstable();
    unknown.dedup();
    unknown
}

/// Whether a word counts for the lexicon on its side, and its stem id there.
fn content_stem(info: &WordInfo, source_side: bool) -> (bool, u32) {
    if source_side {
        (info.is_source_content(), info.source_stem)
    } else {
        (info.is_target_content(), info.target_stem)
    }
}

/// The best run (see [`best_run`]) of one side's content words, each scored by whether the
/// other side accounts for it: the same word is there, a glossary term covers it, or the
/// lexicon `links` its stem to a stem of the other side (`Unknown` when the lexicon knows
/// nothing of it).
fn best_accounted_run<'lexicon>(
    marks: &Marks,
    analysed: &Analysed<'_>,
    source_side: bool,
    other_unknown: &[&str],
    in_glossary: impl Fn(usize, usize) -> bool,
    links: impl Fn(u32) -> &'lexicon [u32],
    unknown_weight: f32,
) -> Option<(usize, usize, f32)> {
    let (other_words, other_stems) = if source_side {
        (TARGET_WORDS, TARGET_STEMS)
    } else {
        (SOURCE_WORDS, SOURCE_STEMS)
    };
    let generation = marks.generation;
    let (other_words, other_stems) = (&marks.lists[other_words], &marks.lists[other_stems]);
    let mut run = Run::new(unknown_weight);
    for content in &marks.content[usize::from(!source_side)] {
        let in_other_side = if content.id == NONE {
            let word = analysed.folded(&analysed.tokens[content.index as usize]);
            other_unknown.binary_search(&word).is_ok()
        } else {
            other_words[content.id as usize] == generation
        };
        let status = if in_other_side || in_glossary(content.start, content.end) {
            Status::Accounted
        } else if content.stem == NONE {
            Status::Unknown
        } else {
            match links(content.stem) {
                [] => Status::Unknown,
                linked => {
                    if linked
                        .iter()
                        .any(|&id| other_stems[id as usize] == generation)
                    {
                        Status::Accounted
                    } else {
                        Status::Unaccounted
                    }
                }
            }
        };
        run.add(Word {
            start: content.start,
            end: content.end,
            status,
        });
    }
    run.best
}

/// The omission and addition findings of one pair.
pub fn check(pair: &Pair<'_>, context: &QaContext) -> Vec<Finding> {
    let lexicon = context.lexicon();
    if lexicon.pair_count() == 0 {
        return Vec::new();
    }
    MARKS.with(|marks| {
        let mut marks = marks.borrow_mut();
        let words = context.vocabulary().len();
        let (source_stems, target_stems) = lexicon.stem_counts();
        marks.start([words, words, source_stems, target_stems]);
        let source_unknown = mark_side(&mut marks, &pair.source, &pair.source_words, true);
        let target_unknown = mark_side(&mut marks, &pair.target, &pair.target_words, false);
        let matches = pair.verdict.map_or(&[][..], |verdict| &verdict.matches[..]);
        let source = best_accounted_run(
            &marks,
            &pair.source,
            true,
            &target_unknown,
            |start, end| {
                matches.iter().any(|term| {
                    term.target_span.is_some()
                        && term.source_span.start <= start
                        && end <= term.source_span.end
                })
            },
            |stem| lexicon.translations(stem),
            0.0,
        );
        let deviation = deviation(pair, context);
        // unknown target words are evidence of added text only when the target is long for
        // its source: otherwise they are just words the lexicon has not met
        let unknown_weight = UNKNOWN_TARGET_WEIGHT * ((deviation - 0.5) as f32).clamp(0.0, 1.0);
        let target = best_accounted_run(
            &marks,
            &pair.target,
            false,
            &source_unknown,
            |start, end| {
                matches.iter().any(|term| {
                    term.target_span
                        .is_some_and(|span| span.start <= start && end <= span.end)
                })
            },
            |stem| lexicon.translated_from(stem),
            unknown_weight,
        );
        findings(pair, source, target, deviation)
    })
}

/// How unusual the pair's length ratio is, weighed by how much a ratio says at its length.
fn deviation(pair: &Pair<'_>, context: &QaContext) -> f64 {
    // a short segment's length ratio says little: its weight grows to full at 100 characters
    let reliability = (pair.source.text.len() as f64 / 100.0).min(1.0);
    context
        .lexicon()
        .length_deviation(pair.source.text, pair.target.text)
        .unwrap_or(0.0)
        * reliability
}

/// The findings of the best omission run (`source`) and the best addition run (`target`).
fn findings(
    pair: &Pair<'_>,
    source: Option<(usize, usize, f32)>,
    target: Option<(usize, usize, f32)>,
    deviation: f64,
) -> Vec<Finding> {
    // the length ratio moves the bar: a short target makes a weak omission run credible, a
    // long one makes it less so (and the other way round for additions)
    let adjusted = |score: f32, toward: f64| {
        score + LENGTH_WEIGHT * toward.clamp(-MAX_LENGTH_SWING, MAX_LENGTH_SWING) as f32
    };
    let mut findings = Vec::new();
    if let Some((start, end, score)) = source
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
    if let Some((start, end, score)) = target
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
/// halves: counted twice, a dropped plural would weigh double in a run. The plain form of
/// [`for_each_word`], which the checks use.
#[cfg(test)]
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

/// Calls `each` with the token index and byte span of every word of a text, in order: a
/// reduplicated word (`komitmen-komitmen`, the Indonesian plural) is one word spanning both
/// halves, as counted twice a dropped plural would weigh double in a run. Only the next token
/// can continue a word, as a `-` stands between the halves.
fn for_each_word(analysed: &Analysed<'_>, mut each: impl FnMut(usize, usize, usize)) {
    let tokens = &analysed.tokens;
    let bytes = analysed.text.as_bytes();
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        let mut next = index + 1;
        if token.kind != TokenKind::Word {
            index = next;
            continue;
        }
        let mut end = token.end;
        while bytes.get(end) == Some(&b'-')
            && let Some(following) = tokens.get(next)
            && following.start == end + 1
            && following.kind == TokenKind::Word
            && analysed.folded(following) == analysed.folded(token)
        {
            end = following.end;
            next += 1;
        }
        each(index, token.start, end);
        index = next;
    }
}

/// The highest-scoring run of words (maximum subarray), found a word at a time.
struct Run {
    unknown_weight: f32,
    current_start: usize,
    current: f32,
    /// The best run so far: its byte span and score.
    best: Option<(usize, usize, f32)>,
}

impl Run {
    fn new(unknown_weight: f32) -> Run {
        Run {
            unknown_weight,
            current_start: 0,
            current: 0.0,
            best: None,
        }
    }

    fn add(&mut self, word: Word) {
        let gain = match word.status {
            Status::Unaccounted => 1.0,
            Status::Accounted => -ACCOUNTED_PENALTY,
            Status::Unknown => self.unknown_weight,
        };
        if self.current <= 0.0 {
            self.current = 0.0;
            self.current_start = word.start;
        }
        self.current += gain;
        if self.current > 0.0 && self.best.is_none_or(|(_, _, score)| self.current > score) {
            self.best = Some((self.current_start, word.end, self.current));
        }
    }
}

/// The highest-scoring run of words (maximum subarray): its byte span and score.
#[cfg(test)]
fn best_run(
    words: impl IntoIterator<Item = Word>,
    unknown_weight: f32,
) -> Option<(usize, usize, f32)> {
    let mut run = Run::new(unknown_weight);
    words.into_iter().for_each(|word| run.add(word));
    run.best
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
    fn the_word_loop_gives_the_words_of_the_iterator() {
        let mut texts: Vec<String> = [
            "komitmen-komitmen khusus, kata-kata-kata kata-kata2 kata - kata kata-kita",
            "Negara-negara dan negara-Negara, anak--anak, anak-anak-",
            "lalu-lalang 1-1 a-a-b-b é-é É-é",
        ]
        .map(String::from)
        .to_vec();
        for line in include_str!("../../tests/data/qa/pairs.jsonl").lines() {
            let pair: serde_json::Value = serde_json::from_str(line).expect("an evaluation pair");
            for side in ["source", "target"] {
                texts.extend(pair[side].as_str().map(String::from));
            }
        }
        for text in &texts {
            let analysed = Analysed::new(text);
            let expected: Vec<(usize, usize, usize)> = words_of(&analysed)
                .map(|(index, (start, end), _)| (index, start, end))
                .collect();
            let mut found = Vec::new();
            for_each_word(&analysed, |index, start, end| {
                found.push((index, start, end))
            });
            assert_eq!(found, expected, "{text}");
        }
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
        let (_, _, score) = best_run(words, 0.0).unwrap();
        assert_eq!(score, 3.0);
    }
}
