//! Corpus BLEU exactly as sacreBLEU 2.x computes it by default: the `13a` tokenizer (the
//! mteval-v13a rules), n-grams up to 4, corpus-level sums of the per-segment statistics, the
//! exponential brevity penalty and the `exp` smoothing of mteval (each order with no match
//! gets 1/(2^k · total)). One reference per segment. Must not read files or know about ids.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The highest n-gram order.
pub const MAX_ORDER: usize = 4;

/// White space as Python's `str.split()` and `str.rstrip()` see it (the Unicode White_Space
/// characters plus the four ASCII information separators), so tokens match sacreBLEU's.
pub fn is_python_space(character: char) -> bool {
    character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
}

static SYMBOLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([\{-~\[-` -&\(-\+:-@/])").expect("valid pattern"));
static PERIOD_COMMA_AFTER_NON_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([^0-9])([\.,])").expect("valid pattern"));
static PERIOD_COMMA_BEFORE_NON_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([\.,])([^0-9])").expect("valid pattern"));
static DASH_AFTER_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9])(-)").expect("valid pattern"));

/// The `13a` tokenizer: the tokens of `line`, joined by single spaces.
pub fn tokenize_13a(line: &str) -> String {
    let mut line = line
        .replace("<skipped>", "")
        .replace("-\n", "")
        .replace('\n', " ");
    if line.contains('&') {
        line = line
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    let line = format!(" {line} ");
    let line = SYMBOLS.replace_all(&line, " $1 ");
    let line = PERIOD_COMMA_AFTER_NON_DIGIT.replace_all(&line, "$1 $2 ");
    let line = PERIOD_COMMA_BEFORE_NON_DIGIT.replace_all(&line, " $1 $2");
    let line = DASH_AFTER_DIGIT.replace_all(&line, "$1 $2 ");
    line.split(is_python_space)
        .filter(|token| !token.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sufficient statistics of BLEU, for one segment or summed over many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BleuStatistics {
    pub hypothesis_length: usize,
    pub reference_length: usize,
    /// Matched n-grams per order (clipped by the reference counts).
    pub correct: [usize; MAX_ORDER],
    /// Hypothesis n-grams per order.
    pub total: [usize; MAX_ORDER],
}

impl std::ops::AddAssign for BleuStatistics {
    fn add_assign(&mut self, other: BleuStatistics) {
        self.hypothesis_length += other.hypothesis_length;
        self.reference_length += other.reference_length;
        for order in 0..MAX_ORDER {
            self.correct[order] += other.correct[order];
            self.total[order] += other.total[order];
        }
    }
}

fn ngram_counts(tokens: &[&str]) -> HashMap<Vec<String>, usize> {
    let mut counts = HashMap::new();
    for order in 1..=MAX_ORDER {
        for window in tokens.windows(order) {
            let key: Vec<String> = window.iter().map(|token| token.to_string()).collect();
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

/// The statistics of one hypothesis against its reference (both untokenized).
pub fn segment_statistics(hypothesis: &str, reference: &str) -> BleuStatistics {
    let hypothesis = tokenize_13a(hypothesis.trim_end_matches(is_python_space));
    let reference = tokenize_13a(reference.trim_end_matches(is_python_space));
    let hypothesis_tokens: Vec<&str> = hypothesis.split(' ').filter(|t| !t.is_empty()).collect();
    let reference_tokens: Vec<&str> = reference.split(' ').filter(|t| !t.is_empty()).collect();
    let hypothesis_counts = ngram_counts(&hypothesis_tokens);
    let reference_counts = ngram_counts(&reference_tokens);
    let mut statistics = BleuStatistics {
        hypothesis_length: hypothesis_tokens.len(),
        reference_length: reference_tokens.len(),
        ..BleuStatistics::default()
    };
    for (ngram, count) in &hypothesis_counts {
        let order = ngram.len() - 1;
        statistics.total[order] += count;
        if let Some(reference_count) = reference_counts.get(ngram) {
            statistics.correct[order] += (*count).min(*reference_count);
        }
    }
    statistics
}

/// A BLEU score with the figures sacreBLEU prints beside it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BleuScore {
    /// 0–100.
    pub score: f64,
    /// Per-order precisions, 0–100, after smoothing.
    pub precisions: [f64; MAX_ORDER],
    pub brevity_penalty: f64,
    pub hypothesis_length: usize,
    pub reference_length: usize,
}

/// sacreBLEU's `my_log`: the logarithm, with log 0 floored to a very low number.
fn floored_log(value: f64) -> f64 {
    if value == 0.0 {
        -9_999_999_999.0
    } else {
        value.ln()
    }
}

/// The score of summed statistics (sacreBLEU `BLEU.compute_bleu` with `smooth_method="exp"`).
pub fn score(statistics: &BleuStatistics) -> BleuScore {
    let hypothesis_length = statistics.hypothesis_length;
    let reference_length = statistics.reference_length;
    let brevity_penalty = if hypothesis_length < reference_length {
        if hypothesis_length > 0 {
            (1.0 - reference_length as f64 / hypothesis_length as f64).exp()
        } else {
            0.0
        }
    } else {
        1.0
    };
    let mut precisions = [0.0; MAX_ORDER];
    let result = |score: f64, precisions: [f64; MAX_ORDER]| BleuScore {
        score,
        precisions,
        brevity_penalty,
        hypothesis_length,
        reference_length,
    };
    if statistics.correct.iter().all(|&count| count == 0) {
        return result(0.0, precisions);
    }
    let mut smoothing = 1.0;
    for (precision, (&correct, &total)) in precisions
        .iter_mut()
        .zip(statistics.correct.iter().zip(&statistics.total))
    {
        if total == 0 {
            break;
        }
        *precision = if correct == 0 {
            smoothing *= 2.0;
            100.0 / (smoothing * total as f64)
        } else {
            100.0 * correct as f64 / total as f64
        };
    }
    let mean_log = precisions.iter().map(|&p| floored_log(p)).sum::<f64>() / MAX_ORDER as f64;
    result(brevity_penalty * mean_log.exp(), precisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    /// Expected outputs checked against sacreBLEU 2.6.0's `Tokenizer13a`.
    fn tokenizer_13a_table() {
        let table = [
            ("Hello, world.", "Hello , world ."),
            (
                "It costs $3.50, or 1,000 dong.",
                "It costs $ 3.50 , or 1,000 dong .",
            ),
            ("2021-2025 term", "2021 - 2025 term"),
            ("state-of-the-art", "state-of-the-art"),
            ("“quoted” (UN)", "“quoted” ( UN )"),
            ("a &amp; b &lt;c&gt; &quot;d&quot;", "a & b < c > \" d \""),
            ("Vietnam's U.S. ties", "Vietnam's U . S . ties"),
            ("end.", "end ."),
            ("x<skipped>y", "xy"),
            ("  spaced\tout\u{a0} ", "spaced out"),
        ];
        for (line, expected) in table {
            assert_eq!(tokenize_13a(line), expected, "{line:?}");
        }
    }

    #[test]
    fn perfect_match_scores_100() {
        let statistics = segment_statistics("the cat sat on the mat", "the cat sat on the mat");
        assert_eq!(statistics.correct, [6, 5, 4, 3]);
        assert_eq!(statistics.total, [6, 5, 4, 3]);
        assert!((score(&statistics).score - 100.0).abs() < 1e-9);
    }

    #[test]
    fn hand_computed_score_with_brevity_penalty_and_smoothing() {
        // hypothesis "the cat the" (3 tokens) against "the cat sat on the mat" (6):
        // 1-grams: the×2 (ref has 2) + cat → 3/3; 2-grams: "the cat" ✓, "cat the" ✗ → 1/2;
        // 3-grams: "the cat the" ✗ → 0/1 → smoothed 100/(2·1) = 50; 4-grams: none → loop stops,
        // precision 0 → floored log → score 0.
        let statistics = segment_statistics("the cat the", "the cat sat on the mat");
        assert_eq!(statistics.correct, [3, 1, 0, 0]);
        assert_eq!(statistics.total, [3, 2, 1, 0]);
        let result = score(&statistics);
        assert_eq!(result.precisions, [100.0, 50.0, 50.0, 0.0]);
        assert!((result.brevity_penalty - (1.0f64 - 2.0).exp()).abs() < 1e-12);
        assert!(result.score < 1e-100);
        // summed over two segments, the 4-gram total is no longer 0
        let mut corpus = statistics;
        corpus += segment_statistics("a b c d e", "a b c d e");
        assert_eq!(corpus.total, [8, 6, 4, 2]);
        assert_eq!(corpus.correct, [8, 5, 3, 2]);
        let result = score(&corpus);
        // BP = exp(1 − 11/8); precisions 100, 500/6, 75, 100
        let expected = (1.0f64 - 11.0 / 8.0).exp()
            * ((100.0f64.ln() + (500.0f64 / 6.0).ln() + 75.0f64.ln() + 100.0f64.ln()) / 4.0).exp();
        assert!((result.score - expected).abs() < 1e-9, "{}", result.score);
    }

    #[test]
    fn exp_smoothing_doubles_for_each_order_without_matches() {
        let statistics = BleuStatistics {
            hypothesis_length: 10,
            reference_length: 10,
            correct: [5, 0, 0, 0],
            total: [10, 9, 8, 7],
        };
        let result = score(&statistics);
        assert_eq!(
            result.precisions,
            [50.0, 100.0 / 18.0, 100.0 / 32.0, 100.0 / 56.0]
        );
        assert_eq!(score(&BleuStatistics::default()).score, 0.0);
    }
}
