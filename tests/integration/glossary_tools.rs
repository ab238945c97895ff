//! The glossary as other tools write and read it: TBX-Basic 2019 in both styles (DCA and DCT)
//! and the 2008 form Translate Toolkit's `csv2tbx` writes; `selaras glossary export` to TBX,
//! CSV and OmegaT (read back by OmegaT's own glossary reader when OmegaT is installed); and the
//! context-dependent titles of issue 13 through the binary.

use crate::support::{Project, project_root, selaras, text, tool_available, under_ci};
use selaras::glossary::{Entry, Glossary, Verifier, ViolationKind, load_glossary};
use std::path::Path;
use std::process::Command;

fn glossary_data(name: &str) -> std::path::PathBuf {
    project_root().join("tests/data/glossary").join(name)
}

/// An entry without where it came from: source, target, kind, variants, forbidden, case, note.
type Content = (
    String,
    String,
    String,
    Vec<String>,
    Vec<String>,
    String,
    String,
);

/// An entry without where it came from, for comparing entries read from different files.
fn content(entry: &Entry) -> Content {
    (
        entry.source.clone(),
        entry.target.clone(),
        entry.kind.as_str().to_string(),
        entry.variants.clone(),
        entry.forbidden.clone(),
        format!("{:?}", entry.case),
        entry.note.clone(),
    )
}

fn contents(glossary: &Glossary) -> Vec<Content> {
    glossary.entries.iter().map(content).collect()
}

#[test]
fn tbx_basic_dct_reads_like_dca_with_every_status_term_type_and_note() {
    let (dca, dca_issues) = load_glossary(&glossary_data("basic-dca.tbx"), "id", "en").unwrap();
    let (dct, dct_issues) = load_glossary(&glossary_data("basic-dct.tbx"), "id", "en").unwrap();
    assert_eq!(contents(&dca), contents(&dct));
    let party = &dca.entries[0];
    assert_eq!(party.source, "Sekretaris Jenderal");
    assert_eq!(party.target, "General Secretary");
    assert_eq!(party.variants, ["Party General Secretary"]);
    assert_eq!(party.forbidden, ["Secretary-General", "Secretary General"]);
    assert_eq!(party.kind.as_str(), "title");
    assert!(party.note.starts_with("The Party post"), "{}", party.note);
    assert_eq!(
        dca.entries[1].source, "Sekjen",
        "an admitted abbreviation is a source term too"
    );
    let united_nations_post = &dca.entries[2];
    assert_eq!(
        united_nations_post.target, "UN Secretary-General",
        "the preferred full form wins over the preferred acronym"
    );
    assert_eq!(
        united_nations_post.variants,
        ["UNSG", "United Nations Secretary-General"]
    );
    assert_eq!(united_nations_post.forbidden, ["UN General Secretary"]);
    assert_eq!(
        united_nations_post.note,
        "The head of the United Nations Secretariat."
    );
    let abbreviation = &dca.entries[3];
    assert_eq!(abbreviation.source, "PBB");
    assert_eq!(format!("{:?}", abbreviation.case), "Sensitive");
    assert_eq!(
        abbreviation.note,
        "Indonesian abbreviation, also inside Vietnam-PBB."
    );
    assert_eq!(
        abbreviation.variants,
        ["United Nations"],
        "the unknown status is left out"
    );

    // the same verdicts on the same pairs
    let cases = [
        (
            "Sekretaris Jenderal To Lam tiba.",
            "Secretary-General To Lam arrived.",
        ),
        (
            "Sekjen PBB tidak ada; Sekretaris Jenderal PBB tiba.",
            "The UN General Secretary arrived.",
        ),
        (
            "Sekretaris Jenderal PBB tiba di PBB.",
            "The UN Secretary-General arrived at the UN.",
        ),
        ("Sekjen To Lam tiba.", "General Secretary To Lam arrived."),
    ];
    let (dca, dct) = (Verifier::new(dca), Verifier::new(dct));
    for (source, target) in cases {
        assert_eq!(
            dca.verify(source, Some(target)),
            dct.verify(source, Some(target)),
            "{source}"
        );
        assert_eq!(dca.fix(source, target), dct.fix(source, target), "{source}");
    }
    let verdict = dct.verify(cases[0].0, Some(cases[0].1));
    assert_eq!(verdict.violations[0].kind, ViolationKind::ForbiddenVariant);
    assert!(
        dct.verify(cases[2].0, Some(cases[2].1))
            .violations
            .is_empty()
    );

    // an unknown status is a warning naming its line, in both styles
    for (issues, file) in [
        (&dca_issues, "basic-dca.tbx"),
        (&dct_issues, "basic-dct.tbx"),
    ] {
        assert_eq!(issues.len(), 1, "{issues:?}");
        let source = std::fs::read_to_string(glossary_data(file)).unwrap();
        let line = source
            .lines()
            .position(|line| line.contains("rejectedTerm-admn-sts"))
            .unwrap()
            + 1;
        assert_eq!(issues[0].line_number, line);
        assert!(
            issues[0]
                .message
                .contains("unknown administrative status \"rejectedTerm-admn-sts\""),
            "{}",
            issues[0].message
        );
    }
}

#[test]
fn glossary_lint_names_the_line_of_an_unknown_tbx_status() {
    let output = selaras()
        .args(["glossary", "lint", "tests/data/glossary/basic-dct.tbx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "a warning is a finding");
    let stdout = text(&output.stdout);
    let source = std::fs::read_to_string(glossary_data("basic-dct.tbx")).unwrap();
    let line = source
        .lines()
        .position(|line| line.contains("rejectedTerm-admn-sts"))
        .unwrap()
        + 1;
    assert!(
        stdout.contains(&format!(
            "basic-dct.tbx:{line}: warning: unknown administrative status \"rejectedTerm-admn-sts\" of the term \"U.N.O.\""
        )),
        "{stdout}"
    );
}

#[test]
fn a_tbx_written_by_translate_toolkit_csv2tbx_is_read() {
    if !tool_available("csv2tbx", "python3 -m pip install translate-toolkit") {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("titles.csv");
    std::fs::write(
        &csv,
        "\"source\",\"target\"\n\"Wakil Perdana Menteri\",\"Deputy Prime Minister\"\n\"Sekretaris Jenderal PBB\",\"UN Secretary-General\"\n\"Kementerian Luar Negeri\",\"Ministry of Foreign Affairs & Trade\"\n",
    )
    .unwrap();
    let tbx = folder.path().join("titles.tbx");
    let output = Command::new("csv2tbx")
        .arg(&csv)
        .arg(&tbx)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&tbx).unwrap();
    assert!(
        written.contains("<martif"),
        "csv2tbx writes the 2008 form: {written}"
    );
    let (glossary, issues) = load_glossary(&tbx, "id", "en").unwrap();
    let pairs: Vec<(&str, &str)> = glossary
        .entries
        .iter()
        .map(|entry| (entry.source.as_str(), entry.target.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Wakil Perdana Menteri", "Deputy Prime Minister"),
            ("Sekretaris Jenderal PBB", "UN Secretary-General"),
            (
                "Kementerian Luar Negeri",
                "Ministry of Foreign Affairs & Trade"
            ),
        ]
    );
    // csv2tbx labels every file en → xx: the user is told how the languages were read
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(
        issues[0]
            .message
            .contains("first language is read as \"id\""),
        "{}",
        issues[0].message
    );
}

/// The shipped glossary exported by the binary to `format` in `folder`.
fn export(folder: &Path, format: &str, name: &str) -> std::path::PathBuf {
    let out = folder.join(name);
    let output = selaras()
        .args(["glossary", "export", "--format", format, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    out
}

#[test]
fn glossary_export_tbx_and_csv_round_trip_the_shipped_glossary() {
    let shipped_path = project_root().join("glossary/official-titles.tsv");
    let (shipped, _) = load_glossary(&shipped_path, "id", "en").unwrap();
    let folder = tempfile::tempdir().unwrap();
    for (format, name) in [("tbx", "titles.tbx"), ("csv", "titles.csv")] {
        let path = export(folder.path(), format, name);
        let (read_back, issues) = load_glossary(&path, "id", "en").unwrap();
        assert!(issues.is_empty(), "{format}: {issues:?}");
        assert_eq!(contents(&read_back), contents(&shipped), "{format}");
    }
    // standard output when no --out is given; the TBX is DCA-style TBX-Basic
    let output = selaras()
        .args(["glossary", "export", "--format", "tbx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let tbx = text(&output.stdout);
    assert!(
        tbx.contains("<tbx type=\"TBX-Basic\" style=\"dca\""),
        "{}",
        &tbx[..200]
    );
    assert!(
        tbx.contains("<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>")
    );
}

#[test]
fn glossary_export_omegat_writes_one_line_per_accepted_rendering_without_a_header() {
    let folder = tempfile::tempdir().unwrap();
    let path = export(folder.path(), "omegat", "titles.utf8");
    let written = std::fs::read_to_string(&path).unwrap();
    let (shipped, _) = load_glossary(
        &project_root().join("glossary/official-titles.tsv"),
        "id",
        "en",
    )
    .unwrap();
    let expected_lines: usize = shipped.entries.iter().map(|e| e.accepted().count()).sum();
    let lines: Vec<Vec<&str>> = written
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(lines.len(), expected_lines);
    assert!(
        lines.iter().all(|fields| fields.len() == 3),
        "source, target, comment"
    );
    assert_ne!(lines[0][0], "source", "no header row");
    assert!(
        lines.contains(&vec![
            "Wakil Perdana Menteri",
            "Deputy PM",
            "variant of Deputy Prime Minister; never: Vice Prime Minister, Vice Premier, Vice-Premier; VNA/VietnamPlus: 'Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son'. 'dan/sekaligus Menteri Luar Negeri' is checked by the separate Menteri Luar Negeri entry."
        ]),
        "{written}"
    );
    assert!(
        lines.iter().any(
            |fields| fields[..2] == ["Sekjen PBB", "UN Secretary-General"]
                && fields[2].starts_with("approved; never: UN General Secretary")
        ),
        "{written}"
    );
}

/// A small Java program that reads a glossary file with OmegaT's own tab-separated glossary
/// reader and prints each entry as `source<TAB>target<TAB>comment`.
const OMEGAT_READER: &str = r#"
import java.io.File;
import java.util.List;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTSV;

public class ReadGlossary {
    public static void main(String[] arguments) throws Exception {
        List<GlossaryEntry> entries = GlossaryReaderTSV.read(new File(arguments[0]), false);
        for (GlossaryEntry entry : entries) {
            System.out.println(entry.getSrcText() + "\t" + entry.getLocText() + "\t" + entry.getCommentText());
        }
    }
}
"#;

/// Where Debian's `omegat` package puts OmegaT's classes.
const OMEGAT_JAR: &str = "/usr/share/omegat/OmegaT.jar";

#[test]
fn omegat_reads_the_exported_glossary_with_every_rendering() {
    let installed = Path::new(OMEGAT_JAR).is_file()
        && tool_available("javac", "apt-get install default-jdk-headless");
    if !installed {
        assert!(
            !under_ci(),
            "OmegaT is required under CI (apt-get install omegat)"
        );
        eprintln!("note: OmegaT is not installed (apt-get install omegat); skipping this check");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let glossary = export(folder.path(), "omegat", "titles.utf8");
    let program = folder.path().join("ReadGlossary.java");
    std::fs::write(&program, OMEGAT_READER).unwrap();
    let output = Command::new("java")
        .args(["-cp", OMEGAT_JAR])
        .arg(&program)
        .arg(&glossary)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let read: Vec<String> = text(&output.stdout).lines().map(str::to_string).collect();
    let written: Vec<String> = std::fs::read_to_string(&glossary)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        read, written,
        "OmegaT reads every line as written, none as a header"
    );
    assert!(read.iter().any(|line| {
        line.starts_with("Sekretaris Jenderal PBB\tUnited Nations Secretary-General\t")
    }));
}

const UNITED_NATIONS_PAIRS: &str = r#"{"id":"un:1","source":"Sekretaris Jenderal PBB Antonio Guterres menyambut delegasi.","target":"UN Secretary-General Antonio Guterres welcomed the delegation."}
{"id":"un:2","source":"Sekjen PBB Antonio Guterres menyambut delegasi.","target":"United Nations Secretary-General Antonio Guterres welcomed the delegation."}
{"id":"un:3","source":"Sekretaris Jenderal To Lam bertemu Sekretaris Jenderal PBB.","target":"General Secretary To Lam met the UN Secretary-General."}
"#;

#[test]
fn check_pairs_leaves_the_united_nations_secretary_general_alone() {
    let folder = tempfile::tempdir().unwrap();
    let pairs = folder.path().join("pairs.jsonl");
    std::fs::write(&pairs, UNITED_NATIONS_PAIRS).unwrap();
    let output = selaras()
        .args(["check", "--format", "jsonl", "--pairs"])
        .arg(&pairs)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    for line in crate::support::json_lines(&text(&output.stdout)) {
        assert_eq!(line["violations"], serde_json::json!([]), "{line}");
    }
}

#[test]
fn check_pairs_reports_a_forbidden_rendering_that_holds_an_approved_one() {
    let project = Project::empty()
        .with_file(
            "glossary.tsv",
            "source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\nDirektif\tDirective\tdocument\t\tDirective Project\t\t\n",
        )
        .with_file(
            "pairs.jsonl",
            "{\"id\":\"d:1\",\"source\":\"rancangan Direktif itu\",\"target\":\"the draft Directive Project\"}\n",
        );
    let output = project.run(&[
        "check",
        "--format",
        "jsonl",
        "--glossary",
        "glossary.tsv",
        "--pairs",
        "pairs.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let lines = crate::support::json_lines(&text(&output.stdout));
    assert_eq!(lines[0]["violations"][0]["kind"], "forbidden_variant");
    assert_eq!(lines[0]["violations"][0]["found"], "Directive Project");
}

const MENLU_GLOSSARY: &str = "source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\n\
Menteri Luar Negeri\tMinister of Foreign Affairs\ttitle\t\tForeign Minister\t\t\n\
Menlu\tMinister of Foreign Affairs\ttitle\t\tFM\t\t\n\
Sekretaris Jenderal\tGeneral Secretary\ttitle\t\tSecretary-General\t\t\n\
Sekjen PBB\tUN Secretary-General\ttitle\tSecretary-General\t\t\t\n";

#[test]
fn check_pairs_attributes_a_forbidden_short_form_to_the_abbreviation_that_forbids_it() {
    let project = Project::empty()
        .with_file("glossary.tsv", MENLU_GLOSSARY)
        .with_file(
            "pairs.jsonl",
            "{\"id\":\"m:1\",\"source\":\"Menteri Luar Negeri Bui Thanh Son tiba. Menlu mengatakan hal itu.\",\"target\":\"Minister of Foreign Affairs Bui Thanh Son arrived. The FM said so.\"}\n\
{\"id\":\"m:2\",\"source\":\"Menteri Luar Negeri (Menlu) Bui Thanh Son tiba.\",\"target\":\"Minister of Foreign Affairs Bui Thanh Son arrived.\"}\n",
        );
    let output = project.run(&[
        "check",
        "--format",
        "jsonl",
        "--glossary",
        "glossary.tsv",
        "--pairs",
        "pairs.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let lines = crate::support::json_lines(&text(&output.stdout));
    let violations = lines[0]["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0]["source_term"], "Menlu");
    assert_eq!(violations[0]["kind"], "forbidden_variant");
    assert_eq!(violations[0]["found"], "FM");
    // the abbreviation in parentheses needs no rendering of its own: no count warning
    assert_eq!(lines[1]["violations"], serde_json::json!([]));
    assert_eq!(lines[1]["warnings"], serde_json::json!([]), "{}", lines[1]);
}

#[test]
fn glossary_lint_warns_when_one_entry_forbids_what_another_accepts() {
    let project = Project::empty().with_file("glossary.tsv", MENLU_GLOSSARY);
    let output = project.run(&["glossary", "lint", "glossary.tsv"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "glossary.tsv:4: warning: \"Sekretaris Jenderal\" forbids \"Secretary-General\", which \"Sekjen PBB\" accepts (glossary.tsv:5)"
        ),
        "{stdout}"
    );
}

#[test]
fn check_gives_the_same_verdicts_with_a_dct_and_a_dca_glossary() {
    let folder = tempfile::tempdir().unwrap();
    let pairs = folder.path().join("pairs.jsonl");
    std::fs::write(
        &pairs,
        "{\"id\":\"t:1\",\"source\":\"Sekretaris Jenderal To Lam tiba.\",\"target\":\"Secretary-General To Lam arrived.\"}\n\
{\"id\":\"t:2\",\"source\":\"Sekretaris Jenderal PBB tiba.\",\"target\":\"The UN Secretary-General arrived.\"}\n\
{\"id\":\"t:3\",\"source\":\"Sekjen tiba.\",\"target\":\"The Secretary General arrived.\"}\n",
    )
    .unwrap();
    let run = |glossary: &str| {
        let output = selaras()
            .args([
                "check",
                "--format",
                "jsonl",
                "--glossary",
                glossary,
                "--pairs",
            ])
            .arg(&pairs)
            .output()
            .unwrap();
        (output.status.code(), text(&output.stdout))
    };
    let dca = run("tests/data/glossary/basic-dca.tbx");
    let dct = run("tests/data/glossary/basic-dct.tbx");
    assert_eq!(dca, dct);
    assert_eq!(dct.0, Some(1), "{}", dct.1);
    let kinds: Vec<serde_json::Value> = crate::support::json_lines(&dct.1)
        .iter()
        .map(|line| line["violations"].clone())
        .collect();
    assert_eq!(kinds[0][0]["found"], "Secretary-General");
    assert_eq!(kinds[1], serde_json::json!([]));
    assert_eq!(kinds[2][0]["source_term"], "Sekjen");
    assert_eq!(kinds[2][0]["found"], "Secretary General");
}
