//! `selaras review import` round trips that used to lose work: targets changed without a new
//! status are named (and taken with `--all-edits`), edits, approvals and propagations are
//! counted apart, a unit a CAT tool joined or split is reported by id while the rest of the
//! file is imported (exit 1), and reviewed records keep the engine's output in `raw`.

use crate::review_serve::{ARTICLE, selaras, translated_project};
use serde_json::Value;
use std::path::Path;

fn id(suffix: &str) -> String {
    format!("{ARTICLE}:{suffix}")
}

/// The article's TSV export with `(id, target, status)` changes applied.
fn edited_tsv(folder: &Path, changes: &[(&str, Option<&str>, Option<&str>)]) -> String {
    let text = std::fs::read_to_string(folder.join(format!("translations/{ARTICLE}.tsv"))).unwrap();
    let mut found = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
            for (suffix, target, status) in changes {
                if cells[0] == id(suffix) {
                    found += 1;
                    if let Some(target) = target {
                        cells[3] = target.to_string();
                    }
                    if let Some(status) = status {
                        cells[4] = status.to_string();
                    }
                }
            }
            cells.join("\t")
        })
        .collect();
    assert_eq!(found, changes.len(), "every changed row exists");
    lines.join("\n") + "\n"
}

fn record(folder: &Path, suffix: &str) -> Value {
    std::fs::read_to_string(folder.join(format!("translations/{ARTICLE}.jsonl")))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|record| record["id"] == id(suffix))
        .unwrap()
}

fn reviewed_memory(folder: &Path) -> String {
    std::fs::read_to_string(folder.join("translations/reviewed.tmx")).unwrap_or_default()
}

const FOLLOWS: &str = "The full interview follows:";
const ENGINE_6: &str = "Following is the content of the interview:";

#[test]
fn changed_targets_left_unmarked_are_named_not_imported_and_all_edits_takes_them() {
    let project = translated_project();
    let folder = project.path();
    let unmarked_target = record(folder, "1.1")["target"]
        .as_str()
        .unwrap()
        .to_string();
    let unmarked = unmarked_target.replace("a great success", "a resounding success");
    assert_ne!(unmarked, unmarked_target);
    let tsv = edited_tsv(
        folder,
        &[
            ("1.1", Some(&unmarked), None),
            ("6.1", Some(FOLLOWS), Some("reviewed")),
            ("3.1", None, Some("final")),
        ],
    );
    std::fs::write(folder.join("review.tsv"), tsv).unwrap();

    let output = selaras(folder, &["review", "import", "review.tsv"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    // 3.1 is approved memory (exported `ok` in the TSV, `final` in XLIFF): marking it final
    // approves nothing new
    assert!(stdout.contains("1 edit(s), 0 approval(s)"), "{stdout}");
    let warning = stderr
        .lines()
        .find(|line| line.contains(&id("1.1")))
        .unwrap_or_else(|| panic!("the unmarked edit is named: {stderr}"));
    assert!(warning.starts_with("warning:"), "{warning}");
    assert!(warning.contains("--all-edits"), "{warning}");
    let memory = reviewed_memory(folder);
    assert!(memory.contains(FOLLOWS), "{memory}");
    assert!(!memory.contains("a resounding success"), "{memory}");

    let output = selaras(
        folder,
        &["review", "import", "review.tsv", "--json", "--all-edits"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["edits"], 2, "{report}");
    assert_eq!(report["approvals"], 0, "{report}");
    assert_eq!(report["unmarked_edits"], serde_json::json!([]), "{report}");
    assert!(reviewed_memory(folder).contains("a resounding success"));

    // the next run uses the edits as reviewed, and keeps what the engine (memory) said
    let output = selaras(folder, &["translate"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let edited = record(folder, "6.1");
    assert_eq!(edited["target"], FOLLOWS);
    assert_eq!(edited["origin"], "reviewed");
    assert_eq!(edited["raw"], ENGINE_6);
    assert!(!edited["diff"].as_array().unwrap().is_empty(), "{edited}");

    // a reviewed segment signed off without a change is an approval: reviewed → final
    let tsv = edited_tsv(folder, &[("6.1", None, Some("final"))]);
    std::fs::write(folder.join("review.tsv"), tsv).unwrap();
    let output = selaras(folder, &["review", "import", "review.tsv", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["approvals"], 1, "{report}");
    let memory = reviewed_memory(folder);
    let unit = &memory[memory.find(FOLLOWS).unwrap().saturating_sub(400)..];
    assert!(
        unit.contains("<prop type=\"x-selaras-status\">final</prop>"),
        "{memory}"
    );
}

#[test]
fn an_edit_of_a_repeated_segment_counts_its_propagation_apart() {
    let project = translated_project();
    let folder = project.path();
    let twin = record(folder, "5.1")["target"]
        .as_str()
        .unwrap()
        .to_string();
    let edited = twin.replace("addresses", "speaks at");
    let tsv = edited_tsv(folder, &[("5.1", Some(&edited), Some("reviewed"))]);
    std::fs::write(folder.join("review.tsv"), tsv).unwrap();
    let output = selaras(
        folder,
        &["review", "import", "review.tsv", "--format", "json"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["edits"], 1, "{report}");
    assert_eq!(report["approvals"], 0, "{report}");
    assert_eq!(report["propagations"], 1, "{report}");
    assert_eq!(report["imported"], 1, "{report}");

    let output = selaras(folder, &["translate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    for suffix in ["5.1", "25.1"] {
        let twin = record(folder, suffix);
        assert_eq!(twin["target"], edited.as_str(), "{suffix}");
        assert_eq!(twin["origin"], "reviewed", "{suffix}");
    }
}

/// The text between `<unit id="N">` and its `</unit>`.
fn unit_range(text: &str, unit: usize) -> std::ops::Range<usize> {
    let start = text
        .find(&format!("<unit id=\"{unit}\">"))
        .unwrap_or_else(|| panic!("no unit {unit}"));
    let end = start + text[start..].find("</unit>").unwrap() + "</unit>".len();
    start..end
}

#[test]
fn units_a_cat_tool_joined_or_split_are_reported_by_id_and_the_rest_is_imported_with_exit_1() {
    let project = translated_project();
    let folder = project.path();
    let mut xliff =
        std::fs::read_to_string(folder.join(format!("translations/{ARTICLE}.xlf"))).unwrap();
    // unit 6: an edit, signed off
    let range = unit_range(&xliff, 6);
    let unit = xliff[range.clone()]
        .replace(ENGINE_6, FOLLOWS)
        .replace("state=\"reviewed\"", "state=\"final\"");
    xliff.replace_range(range, &unit);
    // unit 2 absorbed unit 3 (joined): its source grew, unit 3 is gone
    let range = unit_range(&xliff, 2);
    let unit = xliff[range.clone()]
        .replacen(
            "</source>",
            " Setiap negara memainkan peran penting.</source>",
            1,
        )
        .replacen(
            "</target>",
            " Every country plays an important role.</target>",
            1,
        );
    xliff.replace_range(range, &unit);
    let range = unit_range(&xliff, 3);
    xliff.replace_range(range, "");
    // unit 4 was split: its segment got an id selaras never wrote
    let range = unit_range(&xliff, 4);
    let unit = xliff[range.clone()].replacen("<segment id=\"1\"", "<segment id=\"1a\"", 1);
    xliff.replace_range(range, &unit);
    std::fs::write(folder.join("review.xlf"), &xliff).unwrap();

    let output = selaras(folder, &["review", "import", "review.xlf", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["imported"], 1, "only the matching edit: {report}");
    assert_eq!(report["edits"], 1, "{report}");
    assert_eq!(
        report["approvals"], 0,
        "memory already exported as reviewed: {report}"
    );
    let mismatched: Vec<String> = report["mismatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(mismatched.len(), 2, "{report}");
    assert!(
        mismatched.iter().any(|id_text| *id_text == id("2.1")),
        "{mismatched:?}"
    );
    assert!(
        mismatched.iter().any(|id_text| id_text.contains("\"1a\"")),
        "{mismatched:?}"
    );
    for item in report["mismatched"].as_array().unwrap() {
        assert!(
            item["advice"].as_str().unwrap().contains("import again"),
            "{item}"
        );
    }
    let memory = reviewed_memory(folder);
    assert!(memory.contains(FOLLOWS), "{memory}");
    assert!(
        !memory.contains("Every country plays an important role."),
        "{memory}"
    );

    // the text report names each one with what to do
    let output = selaras(folder, &["review", "import", "review.xlf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&id("2.1")) && stderr.contains("restore"),
        "{stderr}"
    );
}
