//! `selaras check` and `selaras glossary lint` as a user runs them.

use crate::support::{project_root, selaras};
use std::fs;

const PAIRS: &str = r#"{"id":"001_84540dff08f2d4bc:5.1","source":"Atas nama Kementerian Luar Negeri, Wakil Perdana Menteri sekaligus Menteri Luar Negeri Bui Thanh Son menyampaikan rasa hormatnya.","target":"On behalf of the Foreign Ministry, Vice Prime Minister and Foreign Minister Bui Thanh Son expressed his respect."}
{"id":"001_84540dff08f2d4bc:2.1","source":"Pada sore hari tanggal 12 Desember, di Hanoi , Presiden Luong Cuong mengunjungi dan bekerja dengan Kementerian Luar Negeri.","target":"On the afternoon of December 12, in Hanoi, President Luong Cuong visited and worked with the Ministry of Foreign Affairs."}
{"id":"003_5e0967db1d361350:34.1","source":"Keenam, terus fokus pada dialog, berbagi dan saling mendukung untuk mempersempit perbedaan.","target":"Sixth, continue to focus on dialogue, sharing and mutual support to narrow differences."}
{"id":"003_5e0967db1d361350:17.1","source":"menjelang peringatan 30 tahun terjalinnya hubungan diplomatik Vietnam-AS oleh Sekretaris Jenderal dan Presiden","target":"ahead of the 30th anniversary of Vietnam–US diplomatic relations, by the Secretary-General and President"}
"#;

#[test]
fn check_pairs_reports_violations_as_json_lines_and_exits_1() {
    let folder = tempfile::tempdir().unwrap();
    let pairs = folder.path().join("pairs.jsonl");
    fs::write(&pairs, PAIRS).unwrap();
    let output = selaras()
        .args(["check", "--format", "jsonl", "--pairs"])
        .arg(&pairs)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "one line per checked segment");
    let first = &lines[0];
    assert_eq!(first["id"], "001_84540dff08f2d4bc:5.1");
    let violations: Vec<(String, String, String, String)> = first["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["source_term"].as_str().unwrap().to_string(),
                v["expected"].as_str().unwrap().to_string(),
                v["kind"].as_str().unwrap().to_string(),
                v["found"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        violations,
        [
            (
                "Kementerian Luar Negeri".into(),
                "Ministry of Foreign Affairs".into(),
                "forbidden_variant".into(),
                "Foreign Ministry".into()
            ),
            (
                "Wakil Perdana Menteri".into(),
                "Deputy Prime Minister".into(),
                "forbidden_variant".into(),
                "Vice Prime Minister".into()
            ),
            (
                "Menteri Luar Negeri".into(),
                "Minister of Foreign Affairs".into(),
                "forbidden_variant".into(),
                "Foreign Minister".into()
            ),
        ]
    );
    assert_eq!(lines[1]["violations"], serde_json::json!([]));
    assert_eq!(
        lines[2]["violations"],
        serde_json::json!([]),
        "a segment with no terms is clean"
    );
    assert_eq!(lines[3]["violations"][0]["found"], "Secretary-General");
    assert_eq!(
        lines[3]["violations"].as_array().unwrap().len(),
        1,
        "Vietnam–US satisfies AS"
    );
}

#[test]
fn check_text_output_marks_the_offending_span() {
    let folder = tempfile::tempdir().unwrap();
    let pairs = folder.path().join("pairs.jsonl");
    fs::write(&pairs, PAIRS.lines().next().unwrap()).unwrap();
    let output = selaras()
        .args(["check", "--pairs"])
        .arg(&pairs)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let header = lines
        .iter()
        .position(|line| line.contains("\"Wakil Perdana Menteri\" must be \"Deputy Prime Minister\"; found \"Vice Prime Minister\""))
        .expect(&stdout);
    let target_line = lines[header + 3];
    let caret_line = lines[header + 4];
    assert!(target_line.starts_with("  target: "), "{stdout}");
    let column = caret_line.find('^').unwrap();
    let marked: String = target_line
        .chars()
        .skip(column)
        .take(caret_line.trim().len())
        .collect();
    assert_eq!(marked, "Vice Prime Minister");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 segment(s) checked: 3 violation(s) in 1 segment(s)"),
        "{stderr}"
    );
}

#[test]
fn clean_pairs_exit_0_and_the_glossary_can_be_overridden() {
    let folder = tempfile::tempdir().unwrap();
    let pairs = folder.path().join("pairs.jsonl");
    fs::write(&pairs, PAIRS.lines().nth(1).unwrap()).unwrap();
    selaras()
        .args(["check", "--pairs"])
        .arg(&pairs)
        .assert()
        .code(0);
    let glossary = folder.path().join("strict.tsv");
    fs::write(&glossary, "source\ttarget\nHanoi\tHa Noi\n").unwrap();
    let output = selaras()
        .args(["check", "--format", "jsonl", "--pairs"])
        .arg(&pairs)
        .arg("--glossary")
        .arg(&glossary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["violations"][0]["expected"], "Ha Noi");
    assert_eq!(line["violations"][0]["kind"], "missing");
}

#[test]
fn bad_glossary_or_input_exits_2_naming_file_and_line() {
    let folder = tempfile::tempdir().unwrap();
    let pairs = folder.path().join("pairs.jsonl");
    fs::write(
        &pairs,
        "{\"id\": \"a:1.1\", \"source\": \"x\", \"target\": \"y\"}\nnot json\n",
    )
    .unwrap();
    let output = selaras()
        .args(["check", "--pairs"])
        .arg(&pairs)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}:2:", pairs.display())),
        "{stderr}"
    );

    let glossary = folder.path().join("bad.tsv");
    fs::write(
        &glossary,
        "source\ttarget\tkind\nPresiden\tPresident\tjabatan\n",
    )
    .unwrap();
    let output = selaras()
        .args(["check", "--pairs"])
        .arg(&pairs)
        .arg("--glossary")
        .arg(&glossary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: {}:2: unknown kind \"jabatan\"",
            glossary.display()
        )) && stderr.lines().count() == 1,
        "{stderr}"
    );

    selaras().args(["check", "no/such/folder"]).assert().code(2);
}

#[test]
fn glossary_lint_is_clean_on_the_shipped_glossary_and_reports_lines_otherwise() {
    selaras()
        .args(["glossary", "lint", "glossary/official-titles.tsv"])
        .assert()
        .code(0)
        .stdout("");
    let folder = tempfile::tempdir().unwrap();
    let glossary = folder.path().join("g.tsv");
    fs::write(
        &glossary,
        "source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\n\
Menlu\tMinister of Foreign Affairs\ttitle\t\tForeign Minister\t\t\n\
menlu\tForeign Minister\ttitle\t\t\t\t\n\
***\tStars\tother\t\t\t\t\n",
    )
    .unwrap();
    let output = selaras()
        .args(["glossary", "lint"])
        .arg(&glossary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let name = glossary.display().to_string();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("{name}:3: error: conflicting entry")),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "{name}:4: error: the source \"***\" can never match"
        )),
        "{stdout}"
    );
}

#[test]
fn every_official_in_the_corpus_is_covered() {
    // the people and titles of the five articles, as the glossary must know them
    let glossary = fs::read_to_string(project_root().join("glossary/official-titles.tsv")).unwrap();
    let sources: Vec<&str> = glossary
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split('\t').next())
        .collect();
    for required in [
        "Wakil Perdana Menteri",
        "Menteri Luar Negeri",
        "Wakil Menteri Luar Negeri",
        "Wakil Menteri Luar Negeri Tetap",
        "Sekretaris Jenderal",
        "Presiden",
        "Perdana Menteri",
        "Kementerian Luar Negeri",
        "Komite Sentral Partai",
        "Kepala Kantor Presiden",
        "Bui Thanh Son",
        "To Lam",
        "Luong Cuong",
        "Tran Luu Quang",
        "Nguyen Minh Vu",
        "Nguyen Minh Hang",
        "Le Hoai Trung",
        "Le Khanh Hai",
        "Hoang Dang Quang",
        "Duong Quoc Hung",
        "Pham Minh Chinh",
        "Ho Chi Minh",
        "Xi Jinping",
        "Joe Biden",
        "Menlu",
        "Sekjen",
        "Kemenlu",
        "PBB",
        "KTT",
        "PKV",
        "AS",
        "Resolusi 18-NQ/TW",
        "Kemitraan Strategis Komprehensif",
        "KTT Masa Depan",
        "Politbiro",
    ] {
        assert!(
            sources.contains(&required),
            "the glossary has no entry for {required:?}"
        );
    }
}
