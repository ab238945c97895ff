//! The QA checks on the hand-made evaluation set (`tests/data/qa/pairs.jsonl`: clean pairs from
//! the reviewed memory and the corpus, and pairs with MT errors injected by hand) and on the
//! whole reviewed memory, with the shipped glossary and a lexicon learnt from the memory.
//!
//! Scoring is finding-level by (pair id, check): a check's findings on a pair count once, and
//! match an expected finding with the same id and check. The consistency check runs over each
//! `group` of the set as one run. `cargo test qa_eval -- --nocapture` prints the table.

use crate::support::project_root;
use selaras::glossary::{Verifier, load_glossary};
use selaras::qa::{
    Check, ConsistencyItem, Lexicon, QaContext, QaOptions, Severity, check_consistency, check_pair,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, serde::Deserialize)]
struct Expected {
    check: Check,
}

#[derive(Debug, serde::Deserialize)]
struct EvalPair {
    id: String,
    source: String,
    target: String,
    expected: Vec<Expected>,
    #[serde(default)]
    group: Option<String>,
    /// The reviewed-memory unit the pair was made from (hand-written pairs have none).
    #[serde(default)]
    origin: Option<String>,
}

fn shipped_glossary() -> selaras::glossary::Glossary {
    load_glossary(
        &project_root().join("glossary/official-titles.tsv"),
        "id",
        "en",
    )
    .expect("the shipped glossary loads")
    .0
}

fn shipped_memory() -> selaras::tmx::Memory {
    selaras::tmx::read(
        &std::fs::read_to_string(project_root().join("translations/memory.tmx")).unwrap(),
    )
    .expect("the shipped memory reads")
}

fn shipped_context() -> QaContext {
    let glossary = shipped_glossary();
    let lexicon = Lexicon::from_memory(&shipped_memory(), Some(&glossary));
    QaContext::new(
        Some(Verifier::new(glossary)),
        lexicon,
        &QaOptions::default(),
    )
}

/// The article of a memory unit id (`000_979649cfeebf31a2:2.1` → `000_979649cfeebf31a2`).
fn article_of(unit_id: &str) -> &str {
    unit_id.split(':').next().unwrap_or(unit_id)
}

fn eval_pairs() -> Vec<EvalPair> {
    std::fs::read_to_string(project_root().join("tests/data/qa/pairs.jsonl"))
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{line}: {error}")))
        .collect()
}

/// Precision, recall and F1 from counts; 1.0 where nothing was expected and nothing found.
fn scores(
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
) -> (f64, f64, f64) {
    let ratio = |numerator: usize, denominator: usize| {
        if denominator == 0 {
            1.0
        } else {
            numerator as f64 / denominator as f64
        }
    };
    let precision = ratio(true_positives, true_positives + false_positives);
    let recall = ratio(true_positives, true_positives + false_negatives);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

/// Runs the checks over the set (the context of each pair chosen by `context_of`), prints the
/// table and returns the overall F1 and the lowest F1 of a check.
fn evaluate<'c>(
    title: &str,
    pairs: &[EvalPair],
    context_of: impl Fn(&EvalPair) -> &'c QaContext,
) -> (f64, f64) {
    let options = QaOptions::default();
    let mut found: BTreeSet<(String, Check)> = BTreeSet::new();
    let mut messages: HashMap<(String, Check), String> = HashMap::new();
    for pair in pairs {
        for finding in check_pair(&pair.source, &pair.target, context_of(pair), &options) {
            messages
                .entry((pair.id.clone(), finding.check))
                .or_insert(finding.message.clone());
            found.insert((pair.id.clone(), finding.check));
        }
    }
    let mut groups: BTreeMap<&str, Vec<&EvalPair>> = BTreeMap::new();
    for pair in pairs {
        if let Some(group) = &pair.group {
            groups.entry(group).or_default().push(pair);
        }
    }
    for members in groups.values() {
        let items: Vec<ConsistencyItem<'_>> = members
            .iter()
            .map(|pair| ConsistencyItem {
                id: &pair.id,
                source: &pair.source,
                target: &pair.target,
            })
            .collect();
        for (index, finding) in check_consistency(&items) {
            found.insert((members[index].id.clone(), finding.check));
        }
    }
    let expected: BTreeSet<(String, Check)> = pairs
        .iter()
        .flat_map(|pair| {
            pair.expected
                .iter()
                .map(|expected| (pair.id.clone(), expected.check))
        })
        .collect();
    println!("\n{title}: {} pairs", pairs.len());
    println!(
        "{:<14} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
        "check", "tp", "fp", "fn", "precision", "recall", "F1"
    );
    let mut worst = 1.0f64;
    let (mut all_tp, mut all_fp, mut all_fn) = (0, 0, 0);
    for check in Check::ALL {
        let true_positives = found
            .iter()
            .filter(|key| key.1 == check && expected.contains(*key))
            .count();
        let false_positives = found
            .iter()
            .filter(|key| key.1 == check && !expected.contains(*key))
            .count();
        let false_negatives = expected
            .iter()
            .filter(|key| key.1 == check && !found.contains(*key))
            .count();
        let (precision, recall, f1) = scores(true_positives, false_positives, false_negatives);
        println!(
            "{:<14} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
            check.as_str(),
            true_positives,
            false_positives,
            false_negatives,
            precision,
            recall,
            f1
        );
        worst = worst.min(f1);
        all_tp += true_positives;
        all_fp += false_positives;
        all_fn += false_negatives;
    }
    let (precision, recall, f1) = scores(all_tp, all_fp, all_fn);
    println!(
        "{:<14} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
        "overall", all_tp, all_fp, all_fn, precision, recall, f1
    );
    for key in found.difference(&expected) {
        println!(
            "false positive {} {}: {}",
            key.0,
            key.1.as_str(),
            messages.get(key).map_or("", String::as_str)
        );
    }
    for key in expected.difference(&found) {
        println!("missed {} {}", key.0, key.1.as_str());
    }
    (f1, worst)
}

#[test]
fn qa_checks_find_the_injected_errors_and_leave_clean_pairs_alone() {
    let context = shipped_context();
    let pairs = eval_pairs();
    assert!(pairs.len() >= 150, "the set has {} pairs", pairs.len());
    let (f1, worst) = evaluate("QA evaluation", &pairs, |_| &context);
    assert!(f1 >= 0.85, "overall F1 {f1:.3} is below 0.85");
    assert!(worst >= 0.6, "a check's F1 is {worst:.3}, below 0.6");
}

/// The same set with a lexicon that has not seen the pair's article: the memory-derived pairs
/// are otherwise in the lexicon's own training data, which flatters omission and addition.
#[test]
fn qa_checks_hold_up_with_a_lexicon_that_has_not_seen_the_article() {
    let glossary = shipped_glossary();
    let memory = shipped_memory();
    let full = shipped_context();
    let articles: BTreeSet<&str> = memory
        .units
        .iter()
        .filter_map(|unit| unit.id.as_deref().map(article_of))
        .collect();
    let held_out: HashMap<&str, QaContext> = articles
        .iter()
        .map(|&article| {
            let pairs = memory.units.iter().filter_map(|unit| {
                if unit.id.as_deref().map(article_of) == Some(article) {
                    return None;
                }
                Some((unit.text_in("id")?, unit.text_in("en")?))
            });
            let lexicon = Lexicon::learn(pairs, Some(&glossary));
            let context = QaContext::new(
                Some(Verifier::new(glossary.clone())),
                lexicon,
                &QaOptions::default(),
            );
            (article, context)
        })
        .collect();
    let pairs = eval_pairs();
    let (f1, worst) = evaluate("QA evaluation, held-out lexicon", &pairs, |pair| {
        pair.origin
            .as_deref()
            .and_then(|origin| held_out.get(article_of(origin)))
            .unwrap_or(&full)
    });
    assert!(f1 >= 0.8, "overall F1 {f1:.3} with a held-out lexicon");
    assert!(
        worst >= 0.3,
        "a check's F1 is {worst:.3} with a held-out lexicon"
    );
}

#[test]
fn the_reviewed_memory_has_no_error_findings_and_few_warnings() {
    let context = shipped_context();
    let options = QaOptions::default();
    let memory = shipped_memory();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for unit in &memory.units {
        let id = unit.id.as_deref().unwrap_or("");
        let (Some(source), Some(target)) = (unit.text_in("id"), unit.text_in("en")) else {
            panic!("{id}: a unit without both languages");
        };
        items.push(ConsistencyItem { id, source, target });
        for finding in check_pair(source, target, &context, &options) {
            let line = format!("{id} {}: {}", finding.check.as_str(), finding.message);
            match finding.severity {
                Severity::Error => errors.push(line),
                Severity::Warning => warnings.push(line),
            }
        }
    }
    for (index, finding) in check_consistency(&items) {
        warnings.push(format!(
            "{} consistency: {}",
            items[index].id, finding.message
        ));
    }
    for line in &warnings {
        println!("warning {line}");
    }
    assert_eq!(
        errors,
        Vec::<String>::new(),
        "error findings on the reviewed memory"
    );
    assert!(
        warnings.len() * 20 <= memory.units.len(),
        "{} warnings on {} reviewed pairs",
        warnings.len(),
        memory.units.len()
    );
}
