//! `selaras export` as a user runs it: default paths from the configuration, format
//! selection, the printed summary, and bad input (exit 2, nothing written).

use crate::export_fixtures::{self as fixtures, A002, A003};
use crate::support::Project;
use std::fs;
use std::path::Path;

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_writes_every_format_for_every_article_and_the_index() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    fixtures::write_jsonl_folder(&folder.path().join("translations"), &fixtures::realistic());
    let output = folder
        .selaras(&["export", "--out", "out"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("cli_export_summary", stdout);
    let mut expected = vec!["index.html".to_string()];
    for stem in [A002, A003] {
        for extension in ["diff", "html", "jsonl", "md", "tmx", "tsv", "xlf"] {
            expected.push(format!("{stem}.{extension}"));
        }
    }
    expected.sort();
    assert_eq!(names(&folder.path().join("out")), expected);
    // The exported JSON lines are the records themselves.
    assert_eq!(
        fs::read(folder.path().join("out").join(format!("{A003}.jsonl"))).unwrap(),
        fs::read(
            folder
                .path()
                .join("translations")
                .join(format!("{A003}.jsonl"))
        )
        .unwrap()
    );
    // Same records, same date: the same bytes.
    let first = fs::read(folder.path().join("out").join(format!("{A003}.tmx"))).unwrap();
    folder
        .selaras(&["export", "--out", "out"])
        .assert()
        .success();
    let second = fs::read(folder.path().join("out").join(format!("{A003}.tmx"))).unwrap();
    assert_eq!(first, second);
    assert!(
        String::from_utf8(first)
            .unwrap()
            .contains("creationdate=\"20251201T083000Z\"")
    );
}

#[test]
fn formats_come_from_the_flag_or_the_config() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    fixtures::write_jsonl_folder(
        &folder.path().join("translations"),
        &[fixtures::article_003()],
    );
    folder
        .selaras(&["export", "--format", "tmx,xliff", "--out", "flag"])
        .assert()
        .success();
    assert_eq!(
        names(&folder.path().join("flag")),
        [format!("{A003}.tmx"), format!("{A003}.xlf")]
    );
    fs::write(
        folder.path().join("selaras.toml"),
        "[export]\nformats = [\"md\"]\n",
    )
    .unwrap();
    let output = folder
        .selaras(&["export", "translations", "--out", "config"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(names(&folder.path().join("config")), [format!("{A003}.md")]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains("review:"),
        "no index without html: {stdout}"
    );
}

#[test]
fn default_output_is_the_configured_folder() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    fixtures::write_jsonl_folder(
        &folder.path().join("translations"),
        &[fixtures::article_002()],
    );
    folder
        .selaras(&["export", "--format", "html"])
        .assert()
        .success();
    let written = names(&folder.path().join("translations"));
    assert!(written.contains(&"index.html".to_string()), "{written:?}");
    assert!(written.contains(&format!("{A002}.html")), "{written:?}");
}

#[test]
fn bad_input_exits_2_naming_the_file_and_line_and_writes_nothing() {
    let folder = Project::empty().with_env("SOURCE_DATE_EPOCH", fixtures::CREATED_AT);
    let translations = folder.path().join("translations");
    fixtures::write_jsonl_folder(&translations, &[fixtures::article_003()]);
    let bad = translations.join("bad.jsonl");
    let good_line = fs::read_to_string(translations.join(format!("{A003}.jsonl")))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    fs::write(
        &bad,
        format!("{good_line}\n{{\"id\": \"bad:1.1\", \"kind\": \n"),
    )
    .unwrap();
    let output = folder
        .selaras(&["export", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: line 2:",
            Path::new("translations").join("bad.jsonl").display()
        )),
        "{stderr}"
    );
    assert!(!folder.path().join("out").exists(), "nothing written");

    let cases: [(&[&str], &str); 3] = [
        (
            &["export", "--format", "pdf"],
            "unknown export format \"pdf\"",
        ),
        (&["export", "missing"], "missing"),
        (&["export", "empty"], "no aligned records"),
    ];
    fs::create_dir(folder.path().join("empty")).unwrap();
    for (arguments, message) in cases {
        let output = folder.selaras(arguments).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{arguments:?}: {stderr}");
    }
}
