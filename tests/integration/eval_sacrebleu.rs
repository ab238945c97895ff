//! `selaras eval` reproduces sacreBLEU: the BLEU and chrF it prints, per article and overall,
//! equal to two decimals what the `sacrebleu` command computes on the same segments. Skips when
//! sacreBLEU is not installed, unless `CI` is set (then it fails).

use crate::support::{project_root, selaras, under_ci};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const REFERENCE: &str = "tests/data/eval/reference.jsonl";
const HYPOTHESES: [&str; 2] = [
    "tests/data/eval/hypothesis.jsonl",
    "tests/data/eval/hypothesis-rough.jsonl",
];

/// The sacreBLEU command: `sacrebleu`, or `python3 -m sacrebleu` when pip put the package
/// where its script is not on the PATH.
fn sacrebleu_command() -> Option<std::process::Command> {
    let candidates: [(&str, &[&str]); 2] = [("sacrebleu", &[]), ("python3", &["-m", "sacrebleu"])];
    candidates.into_iter().find_map(|(program, prefix)| {
        let works = std::process::Command::new(program)
            .args(prefix)
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success());
        works.then(|| {
            let mut command = std::process::Command::new(program);
            command.args(prefix);
            command
        })
    })
}

fn sacrebleu_available() -> bool {
    let found = sacrebleu_command().is_some();
    if !found {
        assert!(
            !under_ci(),
            "sacrebleu is required under CI (pip install sacrebleu)"
        );
        eprintln!("sacrebleu is not installed: comparison skipped");
    }
    found
}

fn records(path: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(project_root().join(path))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Reference and hypothesis lines per article, joined by id the simple way: a missing or
/// untranslated hypothesis is an empty line.
fn joined_lines(hypothesis: &str) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let hypotheses: HashMap<String, String> = records(hypothesis)
        .into_iter()
        .map(|record| {
            (
                record["id"].as_str().unwrap().to_string(),
                record["target"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut articles: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for record in records(REFERENCE) {
        let id = record["id"].as_str().unwrap();
        let article = id.split(':').next().unwrap().to_string();
        let entry = articles.entry(article).or_default();
        entry.0.push(record["target"].as_str().unwrap().to_string());
        entry
            .1
            .push(hypotheses.get(id).cloned().unwrap_or_default());
    }
    articles
}

/// (BLEU, chrF) from the sacrebleu command line.
fn sacrebleu(
    folder: &Path,
    name: &str,
    references: &[String],
    hypotheses: &[String],
) -> (f64, f64) {
    let reference_path = folder.join(format!("{name}.ref.txt"));
    let hypothesis_path = folder.join(format!("{name}.hyp.txt"));
    for line in references.iter().chain(hypotheses) {
        assert!(!line.contains(['\n', '\r']), "one segment per line");
    }
    std::fs::write(&reference_path, references.join("\n") + "\n").unwrap();
    std::fs::write(&hypothesis_path, hypotheses.join("\n") + "\n").unwrap();
    let output = sacrebleu_command()
        .expect("checked before")
        .arg(&reference_path)
        .arg("-i")
        .arg(&hypothesis_path)
        .args(["-m", "bleu", "chrf", "-w", "6", "-f", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let score = |name: &str| {
        scores
            .as_array()
            .unwrap()
            .iter()
            .find(|metric| metric["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {scores}"))["score"]
            .as_f64()
            .unwrap()
    };
    (score("BLEU"), score("chrF2"))
}

fn assert_same(what: &str, ours: f64, theirs: f64) {
    assert_eq!(
        format!("{ours:.2}"),
        format!("{theirs:.2}"),
        "{what}: selaras {ours} vs sacreBLEU {theirs}"
    );
    assert!((ours - theirs).abs() < 1e-4, "{what}: {ours} vs {theirs}");
}

#[test]
fn bleu_and_chrf_equal_sacrebleu_per_article_and_overall() {
    if !sacrebleu_available() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    for hypothesis in HYPOTHESES {
        let output = selaras()
            .args([
                "eval",
                "--json",
                "--reference",
                REFERENCE,
                "--hypothesis",
                hypothesis,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let articles = joined_lines(hypothesis);
        let (mut all_references, mut all_hypotheses) = (Vec::new(), Vec::new());
        for (article, (references, hypotheses)) in &articles {
            let ours = report["articles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|entry| entry["article"] == article.as_str())
                .unwrap();
            let (bleu, chrf) = sacrebleu(folder.path(), article, references, hypotheses);
            assert_same(
                &format!("{hypothesis} {article} BLEU"),
                ours["bleu"].as_f64().unwrap(),
                bleu,
            );
            assert_same(
                &format!("{hypothesis} {article} chrF"),
                ours["chrf"].as_f64().unwrap(),
                chrf,
            );
            all_references.extend(references.iter().cloned());
            all_hypotheses.extend(hypotheses.iter().cloned());
        }
        let (bleu, chrf) = sacrebleu(folder.path(), "overall", &all_references, &all_hypotheses);
        assert_same(
            &format!("{hypothesis} overall BLEU"),
            report["overall"]["bleu"].as_f64().unwrap(),
            bleu,
        );
        assert_same(
            &format!("{hypothesis} overall chrF"),
            report["overall"]["chrf"].as_f64().unwrap(),
            chrf,
        );
    }
}
