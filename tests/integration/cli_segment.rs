//! `selaras segment` as a user runs it: formats, errors and exit codes.

use crate::support::{Project, selaras};
use predicates::prelude::*;
use std::fs;

#[test]
fn jsonl_has_the_documented_fields() {
    let output = selaras()
        .args(["segment", "source_texts/000_979649cfeebf31a2.txt"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "article",
            "block",
            "end",
            "id",
            "index",
            "kind",
            "start",
            "text",
            "translatable"
        ]
    );
    assert!(stdout.starts_with("{\"id\":"), "id comes first");
    assert_eq!(first["id"], "000_979649cfeebf31a2:1.1");
    assert_eq!(first["kind"], "caption");
    assert_eq!(first["start"], 0);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["text"], "Komentar (0)");
    assert_eq!(last["translatable"], false);
}

#[test]
fn default_paths_come_from_the_config_and_text_format_is_one_line_per_segment() {
    let output = selaras()
        .args(["segment", "--format", "text"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 186, "the five articles have 186 segments");
    assert!(lines.contains(&"002_5f2940f005814b39:2.1\t[byline]\t(VOVWORLD) -"));
    assert!(lines.iter().all(|line| line.split('\t').count() == 3));
}

#[test]
fn bad_inputs_exit_2_with_one_line_naming_the_path() {
    let folder = tempfile::tempdir().unwrap();
    let not_utf8 = folder.path().join("latin1.txt");
    fs::write(&not_utf8, b"Presiden datang ke Hano\xef.").unwrap();
    let empty = folder.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    let no_text = folder.path().join("images");
    fs::create_dir(&no_text).unwrap();
    fs::write(no_text.join("photo.jpg"), b"\xff\xd8").unwrap();
    let missing = folder.path().join("missing.txt");
    let cases = [
        (&not_utf8, "not valid UTF-8 at byte offset 23"),
        (&empty, "the file is empty"),
        (&no_text, "holds no .txt files"),
        (&missing, "no such file or directory"),
    ];
    for (path, message) in cases {
        let output = selaras().arg("segment").arg(path).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", path.display());
        assert!(
            output.stdout.is_empty(),
            "no partial output for {}",
            path.display()
        );
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
    }
}

#[test]
fn lossy_replaces_invalid_bytes() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("latin1.txt");
    fs::write(&path, b"Presiden datang ke Hano\xef.").unwrap();
    selaras()
        .args(["segment", "--lossy", "--format", "text"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("Presiden datang ke Hano\u{fffd}."));
}

#[test]
fn config_errors_name_the_key() {
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("selaras.toml");
    fs::write(
        &config,
        "[project]\nsource-dir = \"x\"\nsource-language = \"id\"\n",
    )
    .unwrap();
    let output = selaras()
        .arg("--config")
        .arg(&config)
        .arg("segment")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("source-language"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains(&config.display().to_string()), "{stderr}");
}

#[test]
fn config_abbreviations_reach_the_segmenter() {
    Project::empty()
        .with_config("[segment]\nabbreviations = [\"Brig.\"]\n")
        .with_file("source_texts/a.txt", "Ia bertemu Brig. Hartono kemarin.\n")
        .selaras(&["segment", "--format", "text"])
        .assert()
        .success()
        .stdout("a:1.1\tparagraph\tIa bertemu Brig. Hartono kemarin.\n");
}

/// The JSON lines are written by hand for speed: each must be byte for byte what serde_json
/// writes for the same record (field order, escapes of quotes, backslashes and control
/// characters, non-ASCII kept as it is).
#[test]
fn jsonl_is_byte_for_byte_serde_json() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Record {
        id: String,
        article: String,
        block: usize,
        index: usize,
        kind: String,
        text: String,
        start: usize,
        end: usize,
        translatable: bool,
    }
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("escapes.txt");
    let text = "\u{feff}Judul \"Kutipan\" dan C:\\jalan\\lain\n\
        Ia berkata:\u{1}\u{8}\u{c}\u{1f}\t“Ya.” Lalu \u{7f}é pergi. (ant)\n\
        Komentar (0)\n";
    fs::write(&path, text).unwrap();
    let output = selaras().arg("segment").arg(&path).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
    for line in stdout.lines() {
        let record: Record = serde_json::from_str(line).unwrap();
        assert_eq!(&text[record.start..record.end], record.text);
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }
    assert!(
        stdout.contains(r#"\"Kutipan\" dan C:\\jalan\\lain"#),
        "{stdout}"
    );
    assert!(stdout.contains(r#"\u0001\b\f\u001f\t“Ya.”"#), "{stdout}");
}

#[test]
fn a_bad_file_among_good_ones_stops_the_run_before_any_output() {
    let folder = tempfile::tempdir().unwrap();
    fs::write(folder.path().join("a.txt"), "Satu. Dua.\n").unwrap();
    fs::write(folder.path().join("b.txt"), b"Tiga.\nEmpat\0.\n").unwrap();
    let output = selaras()
        .arg("segment")
        .arg(folder.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no partial output");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("b.txt: NUL byte at byte offset 11"),
        "{stderr}"
    );
}
