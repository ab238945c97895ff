//! Sentence alignment of an Indonesian article with an existing English version, to build a
//! translation memory from past work.
//!
//! Both sides are segmented (the English side with the English abbreviation lists), then
//! [`align_sentences`] finds the most likely monotone sequence of links — 1-1, 1-2 (a sentence
//! split by the translator), 2-1 (two merged), 1-0 (omitted), 0-1 (added) and a swap of two
//! neighbouring sentences — by dynamic programming over a cost that adds up Gale & Church's
//! length model ([`length`]), prior probabilities per link type, anchors ([`anchors`]),
//! paragraph (block) breaks, which links should not cross and both sides should share, and
//! lexical evidence ([`lexical`]: learnt translations, shared words, cognates, an engine's
//! English), whose rates are measured on the confident links of a first pass without it. A
//! sentence whose words find no counterpart is cheaper left unlinked (1-0, 0-1) than forced
//! into a link. Each link's confidence is its posterior probability under the same model
//! (forward–backward), so a link that other alignments compete with scores low and is flagged.
//! Plain data in, plain data out: must not read files, print or know about output formats.

pub mod anchors;
mod dynamic;
pub mod length;
pub mod lexical;
pub mod memory;

use crate::model::{Article, Segment};
use crate::segment::{Abbreviations, SegmentOptions, segment_article};
use anchors::{Anchors, Terms};
use length::LengthModel;
use lexical::{Lexical, TranslationTable, View};
use serde::Serialize;
use std::collections::HashMap;

/// A sentence to align: its text and the block (paragraph) it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    /// Any number that is equal for sentences of the same block and differs between blocks.
    pub block: usize,
}

/// The shape of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum LinkKind {
    /// One sentence translated by one.
    #[serde(rename = "1-1")]
    OneToOne,
    /// One sentence split into two.
    #[serde(rename = "1-2")]
    OneToTwo,
    /// Two sentences merged into one.
    #[serde(rename = "2-1")]
    TwoToOne,
    /// A sentence the English version leaves out.
    #[serde(rename = "1-0")]
    OneToZero,
    /// A sentence only the English version has.
    #[serde(rename = "0-1")]
    ZeroToOne,
    /// One of two neighbouring sentences whose order the translator swapped (a crossing 1-1).
    #[serde(rename = "swap")]
    Swap,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::OneToOne => "1-1",
            LinkKind::OneToTwo => "1-2",
            LinkKind::TwoToOne => "2-1",
            LinkKind::OneToZero => "1-0",
            LinkKind::ZeroToOne => "0-1",
            LinkKind::Swap => "swap",
        }
    }

    /// 1-0 and 0-1: a sentence with no counterpart.
    pub fn is_null(self) -> bool {
        matches!(self, LinkKind::OneToZero | LinkKind::ZeroToOne)
    }
}

/// Prior probabilities of the link types (Gale & Church 1993, Table 5: 1-1 0.89, 1-0 or 0-1
/// 0.0099, 2-1 or 1-2 0.089, 2-2 0.011 — the last taken here for swaps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priors {
    pub one_to_one: f64,
    pub one_to_two: f64,
    pub two_to_one: f64,
    pub one_to_zero: f64,
    pub zero_to_one: f64,
    pub swap: f64,
}

impl Default for Priors {
    fn default() -> Self {
        Priors {
            one_to_one: 0.89,
            one_to_two: 0.0445,
            two_to_one: 0.0445,
            one_to_zero: 0.005,
            zero_to_one: 0.005,
            swap: 0.005,
        }
    }
}

/// Everything the aligner can be told. The defaults are documented on each field.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    pub length: LengthModel,
    pub priors: Priors,
    /// Cost (nats) of a link whose sentences on one side come from two blocks (default 6).
    pub block_crossing_cost: f64,
    /// Cost (nats) when, between two links that both have sentences on each side, one side
    /// starts a new block and the other does not (default 3). 1-0 and 0-1 links in between
    /// absorb the difference, so an omitted last sentence of a paragraph costs nothing extra.
    pub block_mismatch_cost: f64,
    /// Multiplies the weight of every anchor found on both sides of a link (default 1).
    pub anchor_match_weight: f64,
    /// Multiplies the weight of every anchor found on one side of a link only (default 0.5).
    pub anchor_miss_weight: f64,
    /// Multiplies the lexical log-likelihood ratio of a link (default 0.75: both sides of a
    /// link are counted and say much the same thing, so less than 1; chosen on the fitted test
    /// articles, where 0.5 to 1 all score link F1 ≥ 0.98). 0 turns lexical evidence off.
    pub lexical_weight: f64,
    /// First-pass links at least this confident measure the lexical rates (default 0.9).
    pub calibration_confidence: f64,
    /// Inputs with at most this many dynamic-programming cells are aligned in full; longer
    /// ones within a band around the diagonal (default 1,000,000).
    pub full_search_cells: usize,
    /// Half-width of that band, in target sentences (default 100).
    pub band_width: usize,
    /// Links whose confidence is below this are flagged for review (default 0.5).
    pub threshold: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            length: LengthModel::default(),
            priors: Priors::default(),
            block_crossing_cost: 6.0,
            block_mismatch_cost: 3.0,
            anchor_match_weight: 1.0,
            anchor_miss_weight: 0.5,
            lexical_weight: 0.75,
            calibration_confidence: 0.9,
            full_search_cells: 1_000_000,
            band_width: 100,
            threshold: 0.5,
        }
    }
}

/// One link of an alignment: source and target sentence indices (empty on the missing side
/// of a 1-0 or 0-1 link), with the model's posterior probability of the link.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub kind: LinkKind,
    pub source: Vec<usize>,
    pub target: Vec<usize>,
    /// The posterior probability of this link, in [0, 1].
    pub confidence: f64,
    /// `confidence` is below the threshold: a person should look at it.
    pub flagged: bool,
}

/// What the aligner knows beyond the two texts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The glossary's (Indonesian term, approved English rendering) pairs, used as anchors
    /// (`None`: no glossary).
    pub terms: Option<&'a Terms>,
    /// The translation table learnt from approved pairs (`None`: identity and cognates only
    /// make lexical evidence).
    pub table: Option<&'a TranslationTable>,
    /// An engine's English for source sentences, by source text.
    pub engine: Option<&'a HashMap<String, String>>,
}

/// Aligns two sentence sequences; links come in order and cover every sentence exactly once.
///
/// With `options.lexical_weight` above 0, a first pass without lexical evidence finds the
/// confident links the lexical rates are measured on, and a second pass adds the evidence.
pub fn align_sentences(
    source: &[Sentence<'_>],
    target: &[Sentence<'_>],
    evidence: &Evidence<'_>,
    options: &AlignOptions,
) -> Vec<Link> {
    let source_texts: Vec<&str> = source.iter().map(|sentence| sentence.text).collect();
    let target_texts: Vec<&str> = target.iter().map(|sentence| sentence.text).collect();
    let no_terms = Terms::default();
    let terms = evidence.terms.unwrap_or(&no_terms);
    let anchors = Anchors::extract(&source_texts, &target_texts, terms);
    let first = dynamic::Problem::new(source, target, &anchors, None, options).solve();
    let mut links = if options.lexical_weight > 0.0 {
        let mut lexical = lexical_evidence(&source_texts, &target_texts, evidence);
        let confident: Vec<(usize, usize)> = first
            .iter()
            .filter(|link| {
                link.kind == LinkKind::OneToOne && link.confidence >= options.calibration_confidence
            })
            .map(|link| (link.source[0], link.target[0]))
            .collect();
        lexical.calibrate(&confident, target.len());
        if lexical.is_active() {
            dynamic::Problem::new(source, target, &anchors, Some(&lexical), options).solve()
        } else {
            first
        }
    } else {
        first
    };
    for link in &mut links {
        link.flagged = link.confidence < options.threshold;
    }
    links
}

/// The lexical views the evidence allows: always the lexicon view (identity and cognates
/// work without a table), the engine view when there are engine translations.
fn lexical_evidence(source: &[&str], target: &[&str], evidence: &Evidence<'_>) -> Lexical {
    let empty = TranslationTable::default();
    let mut views = vec![View::lexicon(
        source,
        target,
        evidence.table.unwrap_or(&empty),
    )];
    if let Some(engine) = evidence.engine {
        let translations: Vec<Option<&str>> = source
            .iter()
            .map(|text| engine.get(*text).map(String::as_str))
            .collect();
        views.push(View::engine(&translations, target));
    }
    Lexical { views }
}

/// An aligned article: the translatable segments of both sides and the links between them
/// (indices into `source` and `target`).
#[derive(Debug, Clone)]
pub struct ArticleAlignment {
    pub source: Vec<Segment>,
    pub target: Vec<Segment>,
    pub links: Vec<Link>,
}

impl ArticleAlignment {
    /// The texts of the given source (or target) segments, joined by a space.
    pub fn joined(indices: &[usize], segments: &[Segment]) -> String {
        indices
            .iter()
            .map(|&index| segments[index].text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The ids of the given segments, as text.
    pub fn ids(indices: &[usize], segments: &[Segment]) -> Vec<String> {
        indices
            .iter()
            .map(|&index| segments[index].id.to_string())
            .collect()
    }
}

/// Confidences are shown to four decimals: more is noise.
pub fn rounded(confidence: f64) -> f64 {
    (confidence * 10_000.0).round() / 10_000.0
}

/// The options that segment an English version: those of the source (furniture and
/// boilerplate patterns) with the English abbreviation lists instead of the Indonesian ones.
pub fn english_segment_options(source_options: &SegmentOptions) -> SegmentOptions {
    SegmentOptions {
        abbreviations: Abbreviations::english(),
        ..source_options.clone()
    }
}

/// Segments an English text the way the source is segmented (default furniture), with the
/// English abbreviations.
pub fn segment_english(stem: &str, text: &str) -> Article {
    segment_article(
        stem,
        text,
        &english_segment_options(&SegmentOptions::default()),
    )
}

/// Aligns the translatable segments of a segmented Indonesian article with those of its
/// segmented English version (boilerplate and datelines are left out on both sides).
pub fn align_articles(
    source: &Article,
    target: &Article,
    evidence: &Evidence<'_>,
    options: &AlignOptions,
) -> ArticleAlignment {
    let source_segments: Vec<Segment> = source.translatable_segments().cloned().collect();
    let target_segments: Vec<Segment> = target.translatable_segments().cloned().collect();
    let source_sentences = sentences_of(&source_segments);
    let target_sentences = sentences_of(&target_segments);
    let links = align_sentences(&source_sentences, &target_sentences, evidence, options);
    ArticleAlignment {
        source: source_segments,
        target: target_segments,
        links,
    }
}

fn sentences_of(segments: &[Segment]) -> Vec<Sentence<'_>> {
    segments
        .iter()
        .map(|segment| Sentence {
            text: &segment.text,
            block: segment.id.block,
        })
        .collect()
}
