//! `selaras diff` as a user runs it: two folders or files, the previous run by default, every
//! output format, `--exit-code`, and the review round trip showing up in the diff.

use crate::export_fixtures::{self as fixtures, A002, A003};
use crate::support::Project;
use selaras::export::ArticleRecords;
use selaras::model::SegmentId;
use selaras::record::{AlignedSegment, Origin, word_diff};
use std::fs;
use std::path::Path;

/// The next run: one segment re-translated, one new segment translated, one segment gone
/// (the article was edited), one source sentence edited.
fn next_run() -> Vec<ArticleRecords> {
    let mut articles = fixtures::realistic();
    let records: &mut Vec<AlignedSegment> = &mut articles[1].records;
    let fourteen = records
        .iter_mut()
        .find(|record| record.id == SegmentId::new(A003, 14, 1))
        .unwrap();
    let raw = fourteen.target.clone().unwrap();
    let fixed = "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son. (Photo: VNA)";
    fourteen.target = Some(fixed.to_string());
    fourteen.origin = Origin::Fixed;
    fourteen.violations.clear();
    fourteen.diff = word_diff(&raw, fixed);
    let four = records
        .iter_mut()
        .find(|record| record.id == SegmentId::new(A003, 4, 1))
        .unwrap();
    four.target = Some("Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son was interviewed at the end of the working visit of General Secretary and President To Lam to the United States.".to_string());
    four.raw = four.target.clone();
    four.origin = Origin::Engine;
    records.retain(|record| record.id != SegmentId::new(A003, 3, 1));
    let heading = &mut articles[0].records[0];
    heading.source = heading.source.replace("Mengabdi", "Melayani");
    heading.target = Some(
        "Promoting the Pioneering Role of the Diplomatic Service in the Country's Development"
            .to_string(),
    );
    let mut added = articles[0].records[1].clone();
    added.id = SegmentId::new(A002, 3, 1);
    added.translatable = true;
    added.kind = selaras::model::BlockKind::Paragraph;
    added.source = "Konferensi diplomatik ke-32 berlangsung di Hanoi.".to_string();
    added.target = Some("The 32nd Diplomatic Conference took place in Hanoi.".to_string());
    added.origin = Origin::Engine;
    articles[0].records.insert(2, added);
    articles
}

fn runs(folder: &Path) {
    fixtures::write_jsonl_folder(&folder.join("old"), &fixtures::realistic());
    fixtures::write_jsonl_folder(&folder.join("new"), &next_run());
}

#[test]
fn text_output_lists_changed_added_and_removed_segments() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    runs(folder.path());
    let output = folder.selaras(&["diff", "old", "new"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "no --exit-code: differences are not an error"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains('\x1b'),
        "no color when stdout is not a terminal"
    );
    insta::assert_snapshot!("cli_diff_text", stdout);
    assert!(
        stdout.ends_with("3 changed, 1 added, 1 removed, 11 unchanged\n"),
        "{stdout}"
    );
}

#[test]
fn exit_code_reports_differences() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    runs(folder.path());
    folder
        .selaras(&["diff", "--exit-code", "old", "new"])
        .assert()
        .code(1);
    folder
        .selaras(&["diff", "--exit-code", "old", "old"])
        .assert()
        .code(0);
    // Two files work as well as two folders.
    let old_file = format!("old/{A003}.jsonl");
    folder
        .selaras(&["diff", "--exit-code", &old_file, &old_file])
        .assert()
        .code(0);
}

#[test]
fn unified_json_and_html_formats() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    runs(folder.path());
    let unified = folder
        .selaras(&["diff", "--format", "unified", "old", "new"])
        .output()
        .unwrap();
    let unified = String::from_utf8(unified.stdout).unwrap();
    insta::assert_snapshot!("cli_diff_unified", unified);

    let json = folder
        .selaras(&["diff", "--format", "json", "old", "new"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["summary"],
        serde_json::json!({"unchanged": 11, "changed": 3, "added": 1, "removed": 1})
    );
    assert_eq!(json["changed"][0]["id"], format!("{A002}:1.1"));
    assert!(
        json["changed"][0]["old_source"]
            .as_str()
            .unwrap()
            .contains("Mengabdi")
    );
    assert_eq!(json["removed"][0]["id"], format!("{A003}:3.1"));
    let words = json["changed"][2]["words"].as_array().unwrap();
    assert!(
        words
            .iter()
            .any(|op| op["op"] == "insert" && op["text"] == "Minister of "),
        "{words:?}"
    );

    let html = folder
        .selaras(&["diff", "--format", "html", "old", "new"])
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<del>Mengabdi</del><ins>Melayani</ins>"),
        "{html}"
    );
    assert!(html.contains("<ins>The 32nd Diplomatic Conference took place in Hanoi.</ins>"));
    assert_eq!(html.matches("<tr id=").count(), 5);
    assert!(!html.contains("<script"));
}

#[test]
fn default_compares_the_previous_run_with_the_current_one() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    let translations = folder.path().join("translations");
    fixtures::write_jsonl_folder(&translations, &fixtures::realistic());
    let output = folder.selaras(&["diff"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no previous run is kept yet"), "{stderr}");

    // What `translate` does before it writes: keep the run it is about to replace.
    assert_eq!(selaras::diff::keep_previous(&translations).unwrap(), 2);
    fixtures::write_jsonl_folder(&translations, &next_run());
    let output = folder.selaras(&["diff", "--exit-code"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(&format!("changed {A003}:14.1 (engine → fixed)")),
        "{stdout}"
    );
    assert!(
        stdout.lines().next().unwrap().ends_with(".previous"),
        "{stdout}"
    );

    let output = folder.selaras(&["diff", "old-only"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("name two")
    );
}

/// Export a TSV, edit it as a reviewer, read the edits back, rerun with them (standing in for
/// `review import` + `translate`, which the memory provides), and the diff shows the edit.
#[test]
fn review_round_trip_shows_in_the_diff() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    let translations = folder.path().join("translations");
    fixtures::write_jsonl_folder(&translations, &fixtures::realistic());
    folder
        .selaras(&["export", "--format", "tsv", "--out", "review"])
        .assert()
        .success();
    let tsv_path = folder.path().join("review").join(format!("{A003}.tsv"));
    let tsv = fs::read_to_string(&tsv_path).unwrap();
    let edited = tsv.replace(
        "Deputy Prime Minister and Foreign Minister Bui Thanh Son. (Photo: VNA)\tviolations",
        "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son. (Photo: VNA)\treviewed",
    );
    assert_ne!(edited, tsv);
    fs::write(&tsv_path, edited).unwrap();
    let edits = selaras::review::read_review_edits(&tsv_path).unwrap();

    selaras::diff::keep_previous(&translations).unwrap();
    let mut rerun = fixtures::realistic();
    for article in &mut rerun {
        for record in &mut article.records {
            if let Some(edit) = edits.iter().find(|edit| {
                edit.id == record.id && record.target.as_deref() != Some(edit.target.as_str())
            }) {
                record.target = Some(edit.target.clone());
                record.origin = Origin::Reviewed;
                record.violations.clear();
            }
        }
    }
    fixtures::write_jsonl_folder(&translations, &rerun);
    let output = folder.selaras(&["diff", "--exit-code"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "changed {A003}:14.1 (engine → reviewed)\n  Deputy Prime Minister and {{+Minister of +}}Foreign [-Minister-]{{+Affairs+}} Bui Thanh Son. (Photo: VNA)\n  glossary violations: 1 → 0\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("1 changed, 0 added, 0 removed, 14 unchanged\n"),
        "{stdout}"
    );
}
