//! `selaras eval`: how close a hypothesis translation comes to a reference — corpus BLEU and
//! chrF computed exactly as sacreBLEU does by default (so figures compare with published
//! ones), per article and overall — and how often it renders the glossary terms right.
//!
//! Reference and hypothesis segments are joined by id (or, for memory units without one, by
//! source text); a reference segment with no hypothesis counts as an empty translation, so
//! missing output lowers the score instead of vanishing from it. Plain data in and out: must
//! not print.

pub mod bleu;
pub mod chrf;
pub mod input;
pub mod terms;

use bleu::{BleuScore, BleuStatistics};
use chrf::ChrfStatistics;
use input::{EvalSegment, SegmentKey};
use serde::Serialize;
use std::collections::HashMap;
use terms::{TermCheck, TermChecker};

/// A reference segment with the hypothesis joined to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentPair {
    pub article: String,
    pub key: SegmentKey,
    /// The source text, from the reference or else the hypothesis (for term accuracy).
    pub source: Option<String>,
    pub reference: String,
    /// `None` when the hypothesis has no such segment or leaves it untranslated.
    pub hypothesis: Option<String>,
}

/// Joins hypothesis segments to reference segments, in reference order. Reference segments
/// with no translation are left out (there is nothing to compare against).
pub fn join(reference: &[EvalSegment], hypothesis: &[EvalSegment]) -> Vec<SegmentPair> {
    let mut by_key: HashMap<&SegmentKey, &EvalSegment> = HashMap::new();
    let mut by_source: HashMap<&str, &EvalSegment> = HashMap::new();
    for segment in hypothesis {
        by_key.entry(&segment.key).or_insert(segment);
        if let Some(source) = &segment.source {
            by_source.entry(source.as_str()).or_insert(segment);
        }
    }
    reference
        .iter()
        .filter_map(|segment| {
            let reference_text = segment.target.clone()?;
            let found = by_key
                .get(&segment.key)
                .copied()
                .or_else(|| match &segment.key {
                    SegmentKey::Source(source) => by_source.get(source.as_str()).copied(),
                    SegmentKey::Id(_) => None,
                });
            // a memory unit known only by its source text belongs to its translation's article
            let article = match (&segment.key, found) {
                (SegmentKey::Source(_), Some(hypothesis)) => hypothesis.article.clone(),
                _ => segment.article.clone(),
            };
            Some(SegmentPair {
                article,
                key: segment.key.clone(),
                source: segment
                    .source
                    .clone()
                    .or_else(|| found.and_then(|hypothesis| hypothesis.source.clone())),
                reference: reference_text,
                hypothesis: found.and_then(|hypothesis| hypothesis.target.clone()),
            })
        })
        .collect()
}

/// The scores of a set of segments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Reference segments scored.
    pub segments: usize,
    /// Of those, how many had no hypothesis (scored as empty).
    pub missing: usize,
    /// Corpus BLEU, 0–100.
    pub bleu: f64,
    /// Corpus chrF (β = 2, character order 6), 0–100.
    pub chrf: f64,
    /// BLEU's n-gram precisions (after smoothing), 0–100.
    pub bleu_precisions: [f64; bleu::MAX_ORDER],
    pub brevity_penalty: f64,
    pub hypothesis_length: usize,
    pub reference_length: usize,
    /// Glossary term occurrences in the sources.
    pub term_occurrences: usize,
    /// Of those, how many have their approved rendering in the hypothesis.
    pub terms_satisfied: usize,
    /// `terms_satisfied / term_occurrences`; `None` when no term occurs.
    pub term_accuracy: Option<f64>,
    /// Glossary violations in the hypotheses.
    pub violations: usize,
}

/// Scores per article (in order of first appearance in the reference) and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub articles: Vec<ArticleScores>,
    pub overall: Scores,
    /// The sacreBLEU signatures these scores reproduce.
    pub bleu_signature: &'static str,
    pub chrf_signature: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleScores {
    pub article: String,
    #[serde(flatten)]
    pub scores: Scores,
}

#[derive(Default)]
struct Accumulator {
    segments: usize,
    missing: usize,
    bleu: BleuStatistics,
    chrf: ChrfStatistics,
    terms: TermCheck,
}

impl Accumulator {
    fn finish(&self) -> Scores {
        let BleuScore {
            score,
            precisions,
            brevity_penalty,
            hypothesis_length,
            reference_length,
        } = bleu::score(&self.bleu);
        Scores {
            segments: self.segments,
            missing: self.missing,
            bleu: score,
            chrf: chrf::score(&self.chrf),
            bleu_precisions: precisions,
            brevity_penalty,
            hypothesis_length,
            reference_length,
            term_occurrences: self.terms.occurrences,
            terms_satisfied: self.terms.satisfied,
            term_accuracy: (self.terms.occurrences > 0)
                .then(|| self.terms.satisfied as f64 / self.terms.occurrences as f64),
            violations: self.terms.violations,
        }
    }
}

/// Scores joined segments with `checker` deciding term accuracy.
pub fn evaluate(pairs: &[SegmentPair], checker: &dyn TermChecker) -> Report {
    let mut order: Vec<&str> = Vec::new();
    let mut articles: HashMap<&str, Accumulator> = HashMap::new();
    let mut overall = Accumulator::default();
    for pair in pairs {
        let hypothesis = pair.hypothesis.as_deref().unwrap_or("");
        let bleu_statistics = bleu::segment_statistics(hypothesis, &pair.reference);
        let chrf_statistics = chrf::segment_statistics(hypothesis, &pair.reference);
        let terms = pair
            .source
            .as_deref()
            .map(|source| checker.check(source, hypothesis))
            .unwrap_or_default();
        let article = articles.entry(pair.article.as_str()).or_insert_with(|| {
            order.push(pair.article.as_str());
            Accumulator::default()
        });
        for accumulator in [article, &mut overall] {
            accumulator.segments += 1;
            accumulator.missing += usize::from(pair.hypothesis.is_none());
            accumulator.bleu += bleu_statistics;
            accumulator.chrf += chrf_statistics;
            accumulator.terms += terms;
        }
    }
    Report {
        articles: order
            .into_iter()
            .map(|article| ArticleScores {
                article: article.to_string(),
                scores: articles[article].finish(),
            })
            .collect(),
        overall: overall.finish(),
        bleu_signature: "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp",
        chrf_signature: "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use terms::SubstringTermChecker;

    fn segment(id: &str, source: Option<&str>, target: Option<&str>) -> EvalSegment {
        EvalSegment {
            key: SegmentKey::Id(id.to_string()),
            article: id.split(':').next().unwrap().to_string(),
            source: source.map(str::to_string),
            target: target.map(str::to_string),
        }
    }

    #[test]
    fn joins_by_id_then_by_source_and_scores_missing_as_empty() {
        let reference = vec![
            segment(
                "a:1.1",
                Some("Presiden datang."),
                Some("The President came."),
            ),
            segment("a:2.1", Some("Dia pergi."), Some("He left.")),
            segment("b:1.1", None, None),
            EvalSegment {
                key: SegmentKey::Source("Satu.".to_string()),
                article: "memory".to_string(),
                source: Some("Satu.".to_string()),
                target: Some("One.".to_string()),
            },
        ];
        let hypothesis = vec![
            segment(
                "a:1.1",
                Some("Presiden datang."),
                Some("The President came."),
            ),
            segment("x:9.9", Some("Satu."), Some("One.")),
        ];
        let pairs = join(&reference, &hypothesis);
        assert_eq!(
            pairs.len(),
            3,
            "the reference segment without a target is left out"
        );
        assert_eq!(pairs[1].hypothesis, None);
        assert_eq!(pairs[2].hypothesis.as_deref(), Some("One."));
        assert_eq!(
            pairs[2].article, "x",
            "a unit known by its source takes the article of its match"
        );
        let checker = SubstringTermChecker::new(&[("Presiden".into(), "President".into())]);
        let report = evaluate(&pairs, &checker);
        assert_eq!(report.articles.len(), 2);
        assert_eq!(report.articles[1].article, "x");
        assert_eq!(report.articles[0].article, "a");
        let a = &report.articles[0].scores;
        assert_eq!((a.segments, a.missing), (2, 1));
        assert_eq!(
            (a.term_occurrences, a.terms_satisfied, a.violations),
            (1, 1, 0)
        );
        assert_eq!(a.term_accuracy, Some(1.0));
        // "The President came ." (4 tokens) + "" against 4 + 3 reference tokens
        assert_eq!((a.hypothesis_length, a.reference_length), (4, 7));
        assert!(a.bleu > 0.0 && a.bleu < 100.0);
        assert_eq!(report.articles[1].scores.term_accuracy, None);
        assert!((report.articles[1].scores.chrf - 100.0).abs() < 1e-9);
        assert_eq!(report.overall.segments, 3);
    }
}
