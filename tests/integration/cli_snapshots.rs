//! Snapshots of what a person reads in the terminal: `check`'s text report, `translate`'s
//! summary, `segment --format text`, `config`'s table and `diff`'s plain text, each run on a
//! temporary copy of the shipped project. Machine-specific parts (the temporary folder, the
//! wall time) are replaced by placeholders; nothing else is filtered.

use crate::support::{Project, selaras, text};
use std::process::Output;

/// The first violating pair of `cli_check`'s examples: three forbidden renderings.
const VIOLATING_PAIR: &str = r#"{"id":"001_84540dff08f2d4bc:5.1","source":"Atas nama Kementerian Luar Negeri, Wakil Perdana Menteri sekaligus Menteri Luar Negeri Bui Thanh Son menyampaikan rasa hormatnya.","target":"On behalf of the Foreign Ministry, Vice Prime Minister and Foreign Minister Bui Thanh Son expressed his respect."}
"#;

/// Both streams of a run, labelled, with the project folder replaced by `[PROJECT]`.
fn streams(project: &Project, output: &Output) -> String {
    redact_project(
        project,
        &format!(
            "--- stdout ---\n{}--- stderr ---\n{}",
            text(&output.stdout),
            text(&output.stderr)
        ),
    )
}

/// `text` with every spelling of the project's folder replaced by `[PROJECT]`.
fn redact_project(project: &Project, text: &str) -> String {
    let mut redacted = text.to_string();
    let canonical = project.path().canonicalize().unwrap();
    // the longer spelling first, in case one is a prefix of the other
    let mut spellings = [canonical, project.path().to_path_buf()];
    spellings.sort_by_key(|path| std::cmp::Reverse(path.as_os_str().len()));
    for path in spellings {
        redacted = redacted.replace(&path.display().to_string(), "[PROJECT]");
    }
    redacted
}

/// A copy of the shipped project after one offline `translate` run.
fn translated_project() -> Project {
    let project = Project::shipped();
    let output = project.run(&["translate"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    project
}

#[test]
fn check_text_on_the_shipped_project() {
    let project = translated_project();
    let output = project.run(&["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!("cli_check_shipped_project", streams(&project, &output));
}

#[test]
fn check_text_on_pairs_with_a_violation() {
    let project = Project::shipped().with_file("pairs.jsonl", VIOLATING_PAIR);
    let output = project.run(&["check", "--pairs", "pairs.jsonl"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    insta::assert_snapshot!("cli_check_pairs_violation", streams(&project, &output));
}

#[test]
fn translate_summary_on_the_shipped_project() {
    let project = Project::shipped();
    let output = project.run(&["translate"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty(), "the summary goes to stderr");
    let wall_time = regex::Regex::new(r"\b\d+\.\d s\b").unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(wall_time.find_iter(&stderr).count(), 1, "{stderr}");
    let summary = wall_time.replace_all(&stderr, "[WALL] s");
    insta::assert_snapshot!("cli_translate_summary", redact_project(&project, &summary));
}

#[test]
fn segment_text_of_one_article() {
    let output = selaras()
        .args([
            "segment",
            "--format",
            "text",
            "source_texts/000_979649cfeebf31a2.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!("cli_segment_text_000", text(&output.stdout));
}

#[test]
fn config_table_of_the_shipped_project_with_an_endpoint() {
    let project = Project::shipped().with_extra_config(
        "\n[endpoints.deepl]\nkind = \"deepl\"\nurl = \"https://api-free.deepl.com/v2/translate\"\napi-key-env = \"SELARAS_TEST_SNAPSHOT_KEY\"\n",
    );
    let output = project.run(&["config"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    insta::assert_snapshot!(
        "cli_config_table",
        redact_project(&project, &text(&output.stdout))
    );
}

#[test]
fn diff_text_between_two_runs() {
    let project = translated_project();
    // a reviewer's better wording lands in the approved memory before the second run
    let memory = project.join("translations/memory.tmx");
    let before = std::fs::read_to_string(&memory).unwrap();
    let after = before.replace(
        "leaders of a number of central ministries and agencies",
        "leaders of several central ministries and agencies",
    );
    assert_ne!(before, after);
    std::fs::write(&memory, after).unwrap();
    let output = project.run(&["translate"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));

    let output = project.run(&["diff"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(!stdout.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("cli_diff_two_runs", redact_project(&project, &stdout));
}
