//! `selaras eval` as a user runs it: the table, the JSON, the three kinds of reference, term
//! accuracy, and bad input.

use crate::support::{project_root, selaras};

fn eval(arguments: &[&str]) -> std::process::Output {
    selaras().arg("eval").args(arguments).output().unwrap()
}

fn json(arguments: &[&str]) -> serde_json::Value {
    let mut all = arguments.to_vec();
    all.push("--json");
    let output = eval(&all);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn table_lists_articles_then_overall() {
    let output = eval(&[
        "--reference",
        "tests/data/eval/reference.jsonl",
        "--hypothesis",
        "tests/data/eval/hypothesis.jsonl",
    ]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("article"), "{stdout}");
    assert!(lines[0].contains("BLEU") && lines[0].contains("violations"));
    assert!(lines[1].starts_with("000_979649cfeebf31a2"));
    assert!(lines[4].starts_with("overall"));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("2 of 96 reference segments have no translation"),
        "{stderr}"
    );
}

#[test]
fn a_reference_scores_100_against_itself_and_forbidden_titles_cost_term_accuracy() {
    let report = json(&[
        "--reference",
        "tests/data/eval/reference.jsonl",
        "--hypothesis",
        "tests/data/eval/reference.jsonl",
    ]);
    let close_to_100 = |value: &serde_json::Value| (value.as_f64().unwrap() - 100.0).abs() < 1e-9;
    assert!(close_to_100(&report["overall"]["bleu"]), "{report}");
    assert!(close_to_100(&report["overall"]["chrf"]), "{report}");
    assert_eq!(report["overall"]["missing"], 0);
    let perfect_terms = report["overall"]["terms_satisfied"].as_u64().unwrap();
    let occurrences = report["overall"]["term_occurrences"].as_u64().unwrap();
    assert!(occurrences > 200, "{occurrences}");

    let damaged = json(&[
        "--reference",
        "tests/data/eval/reference.jsonl",
        "--hypothesis",
        "tests/data/eval/hypothesis.jsonl",
    ]);
    assert_eq!(
        damaged["overall"]["term_occurrences"].as_u64(),
        Some(occurrences)
    );
    let satisfied = damaged["overall"]["terms_satisfied"].as_u64().unwrap();
    // "Vice Prime Minister", "Foreign Minister", … replace approved titles in the hypothesis
    assert!(satisfied < perfect_terms, "{satisfied} < {perfect_terms}");
    // every unsatisfied occurrence is a violation or a lower-severity count warning
    let violations = damaged["overall"]["violations"].as_u64().unwrap();
    assert!(
        violations > 0 && violations <= occurrences - satisfied,
        "{violations}"
    );
    assert_eq!(damaged["overall"]["missing"], 2);
    assert_eq!(
        damaged["bleu_signature"],
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp"
    );
}

#[test]
fn tmx_and_folder_references_give_the_same_scores_as_jsonl() {
    let hypothesis = "tests/data/eval/hypothesis-rough.jsonl";
    let from_jsonl = json(&[
        "--reference",
        "tests/data/eval/reference.jsonl",
        "--hypothesis",
        hypothesis,
    ]);
    // the TMX names a third of its units by tuid, a third by x-segment-id, a third by source
    let from_tmx = json(&[
        "--reference",
        "tests/data/eval/reference.tmx",
        "--hypothesis",
        hypothesis,
    ]);
    assert_eq!(from_tmx["overall"], from_jsonl["overall"]);
    assert_eq!(from_tmx["articles"], from_jsonl["articles"]);
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        project_root().join(hypothesis),
        folder.path().join("rough.jsonl"),
    )
    .unwrap();
    std::fs::write(folder.path().join("notes.txt"), "ignored").unwrap();
    let from_folder = json(&[
        "--reference",
        "tests/data/eval/reference.jsonl",
        "--hypothesis",
        folder.path().to_str().unwrap(),
    ]);
    assert_eq!(from_folder["overall"], from_jsonl["overall"]);
}

#[test]
fn bad_input_names_the_file_and_line() {
    let folder = tempfile::tempdir().unwrap();
    let broken = folder.path().join("broken.jsonl");
    std::fs::write(
        &broken,
        "{\"id\": \"a:1.1\", \"target\": \"x\"}\n{\"target\": \"y\"}\n",
    )
    .unwrap();
    let output = eval(&[
        "--reference",
        broken.to_str().unwrap(),
        "--hypothesis",
        "tests/data/eval/hypothesis.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("broken.jsonl: line 2: no `id` string"),
        "{stderr}"
    );

    let duplicate = folder.path().join("duplicate.jsonl");
    std::fs::write(
        &duplicate,
        "{\"id\": \"a:1.1\", \"target\": \"x\"}\n{\"id\": \"a:1.1\", \"target\": \"y\"}\n",
    )
    .unwrap();
    let output = eval(&[
        "--reference",
        duplicate.to_str().unwrap(),
        "--hypothesis",
        duplicate.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("segment a:1.1 appears twice")
    );

    let empty = tempfile::tempdir().unwrap();
    let output = eval(&[
        "--reference",
        "tests/data/eval/reference.jsonl",
        "--hypothesis",
        empty.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("holds no .jsonl or .tmx files")
    );
}
