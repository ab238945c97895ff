//! `selaras align` as a user runs it: the JSON-lines links, the aligned records, the TMX memory
//! (validated against the official DTD), and bad input.

use crate::support::{Schema, selaras, validate_xml};

const SOURCE: &str = "source_texts/000_979649cfeebf31a2.txt";
const TARGET: &str = "tests/data/align/000_979649cfeebf31a2.en.txt";

fn jsonl(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn jsonl_prints_one_link_per_line_with_texts() {
    let output = selaras()
        .args(["align", SOURCE, TARGET, "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(stdout.starts_with("{\"source\":"), "source comes first");
    let links = jsonl(&output.stdout);
    assert_eq!(links.len(), 22);
    let merged = &links[6];
    assert_eq!(merged["link"], "2-1");
    assert!(
        merged["source"]
            .as_str()
            .unwrap()
            .starts_with("Menteri Bui Thanh Son mengatakan")
    );
    assert!(
        merged["source"]
            .as_str()
            .unwrap()
            .contains("Pemerintah. Menteri menekankan bahwa")
    );
    assert!(
        merged["target"]
            .as_str()
            .unwrap()
            .starts_with("Minister Bui Thanh Son said")
    );
    let omitted = &links[17];
    assert_eq!(omitted["link"], "1-0");
    assert_eq!(omitted["target"], "");
    // the omission is confident: `modernitas` has no counterpart in the English it is linked to
    assert_eq!(omitted["flagged"], false);
    let added = &links[21];
    assert_eq!(added["link"], "0-1");
    assert_eq!(added["source"], "");
    assert!(
        added["target"]
            .as_str()
            .unwrap()
            .starts_with("Editor's note:")
    );
    for link in &links {
        let confidence = link["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
    }
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 omitted (1-0), 1 added (0-1); 0 flagged below 0.5"),
        "{stderr}"
    );
}

#[test]
fn records_follow_the_source_article_and_carry_the_links() {
    let folder = tempfile::tempdir().unwrap();
    let output = selaras()
        .args(["align", SOURCE, TARGET, "--out"])
        .arg(folder.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read(folder.path().join("000_979649cfeebf31a2.jsonl")).unwrap();
    let records = selaras::record::read_jsonl(&text[..]).unwrap();
    // 25 source segments, 7.2 joined into 7.1's record
    assert_eq!(records.len(), 24);
    let merged = records
        .iter()
        .find(|record| record.id.to_string() == "000_979649cfeebf31a2:7.1")
        .unwrap();
    assert_eq!(merged.origin, selaras::record::Origin::Aligned);
    let info = merged.alignment.as_ref().unwrap();
    assert_eq!(info.link, "2-1");
    assert_eq!(info.source_ids.len(), 2);
    assert_eq!(info.target_ids, ["000_979649cfeebf31a2.en:7.1"]);
    assert!(merged.source.ends_with("pengembangan sektor diplomatik."));
    let omitted = records
        .iter()
        .find(|record| record.id.to_string() == "000_979649cfeebf31a2:17.2")
        .unwrap();
    assert_eq!(omitted.target, None);
    assert_eq!(omitted.origin, selaras::record::Origin::None);
    assert!(!omitted.alignment.as_ref().unwrap().flagged);
    let boilerplate = records.last().unwrap();
    assert_eq!(boilerplate.source, "Komentar (0)");
    assert_eq!(boilerplate.origin, selaras::record::Origin::Source);
    assert!(boilerplate.alignment.is_none());
}

#[test]
fn into_memory_writes_valid_tmx_and_replaces_units_on_a_second_run() {
    let folder = tempfile::tempdir().unwrap();
    let memory = folder.path().join("memory/aligned.tmx");
    for _ in 0..2 {
        let output = selaras()
            .args([
                "align",
                SOURCE,
                TARGET,
                "--format",
                "jsonl",
                "--into-memory",
            ])
            .arg("--memory-out")
            .arg(&memory)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    // a second article adds to the same memory
    let output = selaras()
        .args([
            "align",
            "source_texts/002_5f2940f005814b39.txt",
            "tests/data/align/002_5f2940f005814b39.en.txt",
            "--format",
            "jsonl",
            "--threshold",
            "0.9",
            "--into-memory",
        ])
        .arg("--memory-out")
        .arg(&memory)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    validate_xml(&std::fs::read_to_string(&memory).unwrap(), Schema::Tmx14);
    let parsed = selaras::tmx::read(&std::fs::read_to_string(&memory).unwrap()).unwrap();
    assert_eq!(parsed.source_language, "id");
    let from_000 = parsed
        .units
        .iter()
        .filter(|unit| unit.id.as_deref().unwrap().starts_with("000_"))
        .count();
    // 22 links − 1-0 − 0-1, written once despite two runs (the 17.3 link, flagged by length and
    // anchors alone, is confident with the words)
    assert_eq!(from_000, 20);
    let from_002 = parsed
        .units
        .iter()
        .filter(|unit| unit.id.as_deref().unwrap().starts_with("002_"))
        .count();
    // 27 links − 1-0 − 0-1: with the lexicon learnt from the project's memory every other link
    // is above the 0.9 threshold
    assert_eq!(from_002, 25);
    let merged = parsed
        .units
        .iter()
        .find(|unit| unit.id.as_deref() == Some("000_979649cfeebf31a2:7.1"))
        .unwrap();
    assert_eq!(merged.prop("x-alignment-link"), Some("2-1"));
    assert_eq!(
        merged.prop("x-source-segment-ids"),
        Some("000_979649cfeebf31a2:7.1 000_979649cfeebf31a2:7.2")
    );
    assert!(
        merged
            .text_in("en")
            .unwrap()
            .starts_with("Minister Bui Thanh Son said")
    );
}

#[test]
fn bad_inputs_are_named_and_nothing_is_written() {
    let folder = tempfile::tempdir().unwrap();
    let missing = selaras()
        .args(["align", SOURCE, "tests/data/align/missing.en.txt", "--out"])
        .arg(folder.path())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8(missing.stderr).unwrap();
    assert!(stderr.contains("missing.en.txt: no such file"), "{stderr}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);

    let bad_memory = folder.path().join("bad.tmx");
    std::fs::write(&bad_memory, "<tmx>\n<body><tu>\n</tmx>").unwrap();
    let output = selaras()
        .args(["align", SOURCE, TARGET, "--into-memory", "--out"])
        .arg(folder.path())
        .arg("--memory-out")
        .arg(&bad_memory)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bad.tmx: not a TMX file"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(!folder.path().join("000_979649cfeebf31a2.jsonl").exists());
    assert_eq!(
        std::fs::read_to_string(&bad_memory).unwrap(),
        "<tmx>\n<body><tu>\n</tmx>"
    );

    let threshold = selaras()
        .args(["align", SOURCE, TARGET, "--threshold", "1.5"])
        .output()
        .unwrap();
    assert_eq!(threshold.status.code(), Some(2));
}
