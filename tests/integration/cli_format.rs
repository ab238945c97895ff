//! `--format`, the one output flag: on the commands that used to take `--json`, `--format json`
//! prints exactly what `--json` printed, `--json` is a hidden alias that refuses a conflicting
//! `--format` with exit 2, and `diff` accepts `text` for its output for people.

use crate::support::{project_root, selaras, text};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// The two shipped articles the temporary projects translate.
const ARTICLES: [&str; 2] = ["000_979649cfeebf31a2", "002_5f2940f005814b39"];

/// The eval arguments every eval run here shares (read-only inputs of the repository).
const EVAL: [&str; 5] = [
    "eval",
    "--reference",
    "tests/data/eval/reference.jsonl",
    "--hypothesis",
    "tests/data/eval/hypothesis.jsonl",
];

/// A temporary project with two corpus articles and a minimal config: translate writes its
/// records, exports and cache here, never into the repository.
fn temporary_project() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let sources = folder.path().join("source_texts");
    std::fs::create_dir_all(&sources).unwrap();
    for stem in ARTICLES {
        let name = format!("{stem}.txt");
        std::fs::copy(
            project_root().join("source_texts").join(&name),
            sources.join(&name),
        )
        .unwrap();
    }
    std::fs::write(
        folder.path().join("selaras.toml"),
        "[project]\nsource-dir = \"source_texts\"\n",
    )
    .unwrap();
    folder
}

fn run(folder: &Path, args: &[&str]) -> Output {
    selaras().current_dir(folder).args(args).output().unwrap()
}

/// Runs `args` + `--json` and `args` + `--format json`, each in a fresh temporary project so
/// a command that writes files sees the same state both times, and returns both outputs.
fn json_both_ways(args: &[&str]) -> (Output, Output) {
    let with_alias = temporary_project();
    let with_format = temporary_project();
    let alias_args: Vec<&str> = args.iter().copied().chain(["--json"]).collect();
    let format_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    (
        run(with_alias.path(), &alias_args),
        run(with_format.path(), &format_args),
    )
}

#[test]
fn config_format_json_prints_what_json_printed() {
    let folder = temporary_project();
    let alias = run(folder.path(), &["config", "--json"]);
    let format = run(folder.path(), &["config", "--format", "json"]);
    assert!(alias.status.success(), "{}", text(&alias.stderr));
    assert_eq!(text(&format.stdout), text(&alias.stdout));
    let default = run(folder.path(), &["config"]);
    let explicit_text = run(folder.path(), &["config", "--format", "text"]);
    assert!(
        text(&default.stdout).contains("[project]"),
        "the default stays the TOML-like text: {}",
        text(&default.stdout)
    );
    assert_eq!(text(&explicit_text.stdout), text(&default.stdout));
}

#[test]
fn eval_format_json_prints_what_json_printed() {
    let root = project_root();
    let alias_args: Vec<&str> = EVAL.iter().copied().chain(["--json"]).collect();
    let format_args: Vec<&str> = EVAL.iter().copied().chain(["--format", "json"]).collect();
    let alias = run(&root, &alias_args);
    let format = run(&root, &format_args);
    assert!(alias.status.success(), "{}", text(&alias.stderr));
    assert!(format.status.success(), "{}", text(&format.stderr));
    assert!(serde_json::from_slice::<Value>(&alias.stdout).is_ok());
    assert_eq!(text(&format.stdout), text(&alias.stdout));
    let table = run(&root, &EVAL);
    let explicit_text: Vec<&str> = EVAL.iter().copied().chain(["--format", "text"]).collect();
    assert!(text(&table.stdout).starts_with("article"));
    assert_eq!(
        text(&run(&root, &explicit_text).stdout),
        text(&table.stdout)
    );
}

#[test]
fn translate_dry_run_format_json_prints_what_json_printed() {
    let (alias, format) = json_both_ways(&["translate", "--dry-run"]);
    assert_eq!(alias.status.code(), Some(0), "{}", text(&alias.stderr));
    assert_eq!(format.status.code(), Some(0), "{}", text(&format.stderr));
    let plan: Value = serde_json::from_slice(&alias.stdout).unwrap();
    assert_eq!(plan["dry_run"], true);
    assert_eq!(text(&format.stdout), text(&alias.stdout));
}

#[test]
fn translate_format_json_prints_what_json_printed() {
    let (alias, format) = json_both_ways(&["translate"]);
    // the memory endpoint with no memory translates nothing: exit 3, a summary all the same
    assert_eq!(alias.status.code(), Some(3), "{}", text(&alias.stderr));
    assert_eq!(format.status.code(), Some(3), "{}", text(&format.stderr));
    assert_eq!(text(&alias.stdout).lines().count(), 1);
    assert_eq!(text(&format.stdout).lines().count(), 1);
    let mut alias: Value = serde_json::from_slice(&alias.stdout).unwrap();
    let mut format: Value = serde_json::from_slice(&format.stdout).unwrap();
    // the one field that measures the clock, not the run
    for summary in [&mut alias, &mut format] {
        let removed = summary.as_object_mut().unwrap().remove("wall_seconds");
        assert!(removed.is_some(), "{summary}");
    }
    assert_eq!(format, alias);
    assert_eq!(alias["endpoint"], "memory");
}

#[test]
fn json_with_format_json_is_accepted() {
    let folder = temporary_project();
    let both = run(folder.path(), &["config", "--json", "--format", "json"]);
    let alias = run(folder.path(), &["config", "--json"]);
    assert_eq!(both.status.code(), Some(0), "{}", text(&both.stderr));
    assert_eq!(text(&both.stdout), text(&alias.stdout));
}

#[test]
fn json_with_a_conflicting_format_is_a_usage_error() {
    let folder = temporary_project();
    let eval_json: Vec<&str> = EVAL
        .iter()
        .copied()
        .chain(["--json", "--format", "text"])
        .collect();
    let cases: [(&Path, Vec<&str>); 5] = [
        (folder.path(), vec!["config", "--json", "--format", "text"]),
        (folder.path(), vec!["config", "--format", "text", "--json"]),
        (&project_root(), eval_json),
        (
            folder.path(),
            vec!["translate", "--json", "--format", "text"],
        ),
        (
            folder.path(),
            vec!["translate", "--dry-run", "--format", "text", "--json"],
        ),
    ];
    for (place, args) in cases {
        let output = run(place, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            output.stdout.is_empty(),
            "{args:?}: {}",
            text(&output.stdout)
        );
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("--json") && stderr.contains("--format text"),
            "{args:?}: {stderr}"
        );
    }
    assert!(
        !folder.path().join("translations").exists(),
        "a refused translate writes nothing"
    );
}

#[test]
fn help_lists_format_and_its_default_but_not_json() {
    let folder = temporary_project();
    for command in ["translate", "eval", "config"] {
        for help in ["--help", "-h"] {
            let output = run(folder.path(), &[command, help]);
            assert_eq!(output.status.code(), Some(0), "{command} {help}");
            let shown = text(&output.stdout);
            assert!(!shown.contains("--json"), "{command} {help}: {shown}");
            assert!(shown.contains("--format"), "{command} {help}: {shown}");
            assert!(
                shown.contains("[default: text]"),
                "{command} {help}: {shown}"
            );
            assert!(shown.contains("json"), "{command} {help}: {shown}");
        }
    }
}

#[test]
fn diff_accepts_text_for_its_output_for_people() {
    let folder = tempfile::tempdir().unwrap();
    let old = folder.path().join("old");
    let aligned = run(
        &project_root(),
        &[
            "align",
            "source_texts/000_979649cfeebf31a2.txt",
            "tests/data/align/000_979649cfeebf31a2.en.txt",
            "--out",
            old.to_str().unwrap(),
        ],
    );
    assert!(aligned.status.success(), "{}", text(&aligned.stderr));
    let new = folder.path().join("new");
    std::fs::create_dir_all(&new).unwrap();
    for entry in std::fs::read_dir(&old).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, new.join(path.file_name().unwrap())).unwrap();
    }
    let diff = |format: &str| {
        selaras()
            .current_dir(folder.path())
            .args(["diff", "old", "new", "--format", format])
            .output()
            .unwrap()
    };
    let color = diff("color");
    let text_output = diff("text");
    assert_eq!(
        text_output.status.code(),
        Some(0),
        "{}",
        text(&text_output.stderr)
    );
    assert!(!color.stdout.is_empty());
    assert_eq!(text(&text_output.stdout), text(&color.stdout));
}

#[test]
fn commands_without_the_alias_parse_as_before() {
    let root = project_root();
    // nested subcommands and commands with no `--json` or no `--format` go past the alias check
    let lint = run(&root, &["glossary", "lint"]);
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint.stderr));
    let segments = run(
        &root,
        &[
            "segment",
            "--format",
            "text",
            "source_texts/000_979649cfeebf31a2.txt",
        ],
    );
    assert_eq!(
        segments.status.code(),
        Some(0),
        "{}",
        text(&segments.stderr)
    );
    assert!(text(&segments.stdout).starts_with("000_979649cfeebf31a2:1.1\t"));
    let refused = run(&root, &["segment", "--json"]);
    assert_eq!(refused.status.code(), Some(2), "segment never had --json");
}
