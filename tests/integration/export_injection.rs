//! File names cannot be steered outside the output folder: source files named `..txt`,
//! `...txt` or with odd characters, and aligned records whose id claims an article such as
//! `../../etc/x` or an absolute path. Must only write inside its own temporary folders.

use crate::support::{Project, corpus_text, selaras};
use std::fs;
use std::path::Path;

/// A fixed export date, so that runs are reproducible.
const SOURCE_DATE_EPOCH: &str = "1700000000";

/// Every file below `root`, relative to it.
fn files_below(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

fn article_text() -> String {
    corpus_text("000_979649cfeebf31a2")
}

/// A sandbox folder holding, at `project`, a project whose sources are in `src/`: whatever is
/// written into the sandbox outside `project` escaped.
fn sandbox_with_project(project: &str) -> Project {
    Project::empty().with_file(
        &format!("{project}/selaras.toml"),
        "[project]\nsource-dir = \"src\"\n",
    )
}

#[test]
fn source_names_with_dots_and_odd_characters_stay_inside_the_output_folder() {
    let sandbox = sandbox_with_project("project")
        .with_file("project/src/..txt", article_text())
        .with_file("project/src/berita <b>&\"x\".txt", article_text());
    let project = sandbox.join("project");
    // a folder skips hidden files (`..txt` is one); named explicitly, it is read
    let output = selaras()
        .current_dir(&project)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(["translate", "--out", "out", "src", "src/..txt"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let outside: Vec<String> = files_below(sandbox.path())
        .into_iter()
        .filter(|path| !path.starts_with("project/"))
        .collect();
    assert!(outside.is_empty(), "written outside: {outside:?}");
    let written = files_below(&project.join("out"));
    assert!(
        written.contains(&"article.jsonl".to_string()),
        "{written:?}"
    );
    assert!(
        written.contains(&"berita__b___x_.jsonl".to_string()),
        "{written:?}"
    );
    assert!(
        written
            .iter()
            .all(|name| !name.contains("..") && !name.contains('<') && !name.contains('&')),
        "{written:?}"
    );

    // `..txt` and `...txt` both become `article`: refused, not overwritten one by the other
    fs::write(project.join("src/...txt"), article_text()).unwrap();
    let output = selaras()
        .current_dir(&project)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(["translate", "--out", "out2", "src/..txt", "src/...txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\"article\" is also used by"), "{stderr}");
    assert!(!project.join("out2").exists());
}

#[test]
fn a_record_claiming_an_article_outside_the_output_folder_is_refused() {
    let sandbox =
        sandbox_with_project("a/b/project").with_file("a/b/project/src/berita.txt", article_text());
    let project = sandbox.join("a/b/project");
    let output = selaras()
        .current_dir(&project)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(["translate"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let records = fs::read_to_string(project.join("translations/berita.jsonl")).unwrap();
    let absolute = format!("{}/x", sandbox.path().display());
    for article in [
        "../../etc/x",
        "../x",
        "..",
        ".",
        "sub/x",
        absolute.as_str(),
        ".hidden",
    ] {
        let hostile: String = records
            .lines()
            .map(|line| {
                let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
                let id = record["id"].as_str().unwrap().to_string();
                let (_, position) = id.rsplit_once(':').unwrap();
                record["id"] = format!("{article}:{position}").into();
                format!("{record}\n")
            })
            .collect();
        let input = project.join("hostile.jsonl");
        fs::write(&input, hostile).unwrap();
        let before = files_below(sandbox.path());
        let output = selaras()
            .current_dir(&project)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .args(["export", "hostile.jsonl", "--out", "exported"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{article}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("error: ")
                && stderr.contains("hostile.jsonl")
                && stderr.contains(&format!("{article:?}")),
            "{stderr}"
        );
        assert_eq!(
            files_below(sandbox.path()),
            before,
            "{article}: nothing written anywhere"
        );
    }
}
