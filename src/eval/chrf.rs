//! Corpus chrF exactly as sacreBLEU 2.x computes it by default (`CHRF()`): character n-grams
//! of orders 1–6 over the text with all white space removed, no word n-grams (chrF, not
//! chrF++), β = 2, per-order counts summed over the corpus, and the average precision and
//! recall over the orders that both sides have (sacreBLEU's "effective order", not epsilon
//! smoothing). Must not read files or know about ids.

use super::bleu::is_python_space;
use std::collections::HashMap;

/// The highest character n-gram order.
pub const CHARACTER_ORDER: usize = 6;
/// Recall weighs β² = 4 times precision.
pub const BETA: f64 = 2.0;

/// Per order: hypothesis n-grams, reference n-grams, matched n-grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChrfStatistics {
    pub counts: [[usize; 3]; CHARACTER_ORDER],
}

impl std::ops::AddAssign for ChrfStatistics {
    fn add_assign(&mut self, other: ChrfStatistics) {
        for order in 0..CHARACTER_ORDER {
            for field in 0..3 {
                self.counts[order][field] += other.counts[order][field];
            }
        }
    }
}

fn character_ngrams(characters: &[char], order: usize) -> HashMap<&[char], usize> {
    let mut counts = HashMap::new();
    for window in characters.windows(order) {
        *counts.entry(window).or_insert(0) += 1;
    }
    counts
}

/// The statistics of one hypothesis against its reference.
pub fn segment_statistics(hypothesis: &str, reference: &str) -> ChrfStatistics {
    let hypothesis: Vec<char> = hypothesis
        .chars()
        .filter(|&c| !is_python_space(c))
        .collect();
    let reference: Vec<char> = reference.chars().filter(|&c| !is_python_space(c)).collect();
    let mut statistics = ChrfStatistics::default();
    for order in 1..=CHARACTER_ORDER {
        let hypothesis_counts = character_ngrams(&hypothesis, order);
        let reference_counts = character_ngrams(&reference, order);
        let mut hypothesis_total = 0;
        let mut matched = 0;
        for (ngram, count) in &hypothesis_counts {
            hypothesis_total += count;
            if let Some(reference_count) = reference_counts.get(ngram) {
                matched += (*count).min(*reference_count);
            }
        }
        let reference_total: usize = reference_counts.values().sum();
        // sacreBLEU counts no hypothesis n-grams of an order the reference lacks
        let hypothesis_total = if reference_counts.is_empty() {
            0
        } else {
            hypothesis_total
        };
        statistics.counts[order - 1] = [hypothesis_total, reference_total, matched];
    }
    statistics
}

/// The chrF score (0–100) of summed statistics.
pub fn score(statistics: &ChrfStatistics) -> f64 {
    let factor = BETA * BETA;
    let (mut precision_sum, mut recall_sum, mut effective_order) = (0.0, 0.0, 0);
    for [hypothesis, reference, matched] in statistics.counts {
        if hypothesis > 0 && reference > 0 {
            precision_sum += matched as f64 / hypothesis as f64;
            recall_sum += matched as f64 / reference as f64;
            effective_order += 1;
        }
    }
    if effective_order == 0 {
        return 0.0;
    }
    let precision = precision_sum / effective_order as f64;
    let recall = recall_sum / effective_order as f64;
    if precision + recall == 0.0 {
        return 0.0;
    }
    100.0 * (1.0 + factor) * precision * recall / (factor * precision + recall)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_100_and_white_space_is_ignored() {
        let statistics = segment_statistics("a cat", "ac at");
        assert!((score(&statistics) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn hand_computed_tiny_case() {
        // hypothesis "abc", reference "abd":
        // order 1: hyp 3, ref 3, match 2 (a, b); order 2: hyp 2, ref 2, match 1 (ab);
        // order 3: hyp 1, ref 1, match 0; orders 4–6: no n-grams on either side.
        let statistics = segment_statistics("abc", "abd");
        assert_eq!(
            statistics.counts,
            [
                [3, 3, 2],
                [2, 2, 1],
                [1, 1, 0],
                [0, 0, 0],
                [0, 0, 0],
                [0, 0, 0]
            ]
        );
        // effective order 3: P = R = (2/3 + 1/2 + 0)/3 = 7/18; F2 = P when P = R
        assert!((score(&statistics) - 100.0 * 7.0 / 18.0).abs() < 1e-9);
    }

    #[test]
    fn recall_weighs_more_than_precision() {
        // hypothesis "ab" against "abcd": order 1 P = 1, R = 1/2; order 2 P = 1, R = 1/3
        let statistics = segment_statistics("ab", "abcd");
        let precision = 1.0;
        let recall = (0.5 + 1.0 / 3.0) / 2.0;
        let expected = 100.0 * 5.0 * precision * recall / (4.0 * precision + recall);
        assert!((score(&statistics) - expected).abs() < 1e-9);
        // an order the reference lacks does not count hypothesis n-grams
        let statistics = segment_statistics("abc", "a");
        assert_eq!(statistics.counts[1], [0, 0, 0]);
        assert_eq!(score(&ChrfStatistics::default()), 0.0);
    }
}
