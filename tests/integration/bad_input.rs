//! The bad-input matrix: each row runs the binary on input a scraper or a user might produce,
//! and asserts the exit code and the one-line error naming the file, line or key.

use crate::support::{Project, clean_environment, corpus_text, project_root, selaras, text};
use std::fs;
use std::path::Path;
use std::process::Output;

/// (exit code, stdout, stderr) of a finished run.
fn outcome(output: Output) -> (Option<i32>, String, String) {
    (
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

/// Runs `selaras segment ARGS` in `folder`.
fn segment(folder: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    outcome(
        selaras()
            .current_dir(folder)
            .arg("segment")
            .args(args)
            .output()
            .unwrap(),
    )
}

fn one_error_line(stderr: &str, fragments: &[&str]) {
    assert_eq!(stderr.lines().count(), 1, "expected one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for fragment in fragments {
        assert!(stderr.contains(fragment), "{fragment:?} not in {stderr}");
    }
}

#[test]
fn nul_bytes_name_the_offset() {
    let folder = tempfile::tempdir().unwrap();
    fs::write(
        folder.path().join("a.txt"),
        b"Presiden datang.\0\0 Lalu pergi.",
    )
    .unwrap();
    let (code, stdout, stderr) = segment(folder.path(), &["a.txt"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    one_error_line(&stderr, &["a.txt", "NUL byte at byte offset 16"]);
}

#[test]
fn bom_crlf_and_lone_cr_are_plain_line_ends() {
    let folder = tempfile::tempdir().unwrap();
    fs::write(
        folder.path().join("a.txt"),
        "\u{feff}Judul\r\nKalimat satu. Kalimat dua.\rKomentar (0)\r\n",
    )
    .unwrap();
    let (code, stdout, _) = segment(folder.path(), &["--format", "text", "a.txt"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        "a:1.1\theading\tJudul\na:2.1\tparagraph\tKalimat satu.\na:2.2\tparagraph\tKalimat dua.\na:3.1\t[boilerplate]\tKomentar (0)\n"
    );
    let (_, jsonl, _) = segment(folder.path(), &["a.txt"]);
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["start"], 3, "the BOM counts in byte offsets");
}

#[test]
fn a_20_mb_single_line_file_is_segmented() {
    let folder = tempfile::tempdir().unwrap();
    let sentence =
        "Wakil Perdana Menteri menegaskan bahwa sektor diplomatik memiliki tradisi yang gemilang. ";
    let repeats = 20 * 1024 * 1024 / sentence.len() + 1;
    fs::write(folder.path().join("big.txt"), sentence.repeat(repeats)).unwrap();
    let (code, stdout, stderr) = segment(folder.path(), &["--format", "text", "big.txt"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), repeats);
}

#[test]
fn a_directory_of_mixed_files_takes_only_text_files() {
    let folder = tempfile::tempdir().unwrap();
    let corpus = folder.path().join("corpus");
    fs::create_dir_all(corpus.join("nested")).unwrap();
    fs::write(corpus.join("b.txt"), "Satu.\n").unwrap();
    fs::write(corpus.join("nested/a.txt"), "Dua.\n").unwrap();
    fs::write(corpus.join("photo.jpg"), b"\xff\xd8\xff\xe0").unwrap();
    fs::write(corpus.join("notes.md"), "# not a source").unwrap();
    fs::write(corpus.join(".hidden.txt"), "Tersembunyi.\n").unwrap();
    let (code, stdout, stderr) = segment(folder.path(), &["--format", "text", "corpus"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "b:1.1\tparagraph\tSatu.\na:1.1\tparagraph\tDua.\n");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_named() {
    let folder = tempfile::tempdir().unwrap();
    let corpus = folder.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    fs::write(corpus.join("a.txt"), "Satu.\n").unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("sub/loop")).unwrap();
    let (code, stdout, stderr) = segment(folder.path(), &["corpus"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    one_error_line(&stderr, &["loop", "symbolic link loop"]);

    let dangling = folder.path().join("gone");
    fs::create_dir(&dangling).unwrap();
    std::os::unix::fs::symlink(folder.path().join("nowhere.txt"), dangling.join("x.txt")).unwrap();
    let (code, _, stderr) = segment(folder.path(), &["gone"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("x.txt"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_named() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    fs::set_permissions(folder.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = folder.path().join("secret.txt");
    fs::write(&path, "Rahasia.\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let binary = crate::support::selaras_process().get_program().to_owned();
    // Permission bits do not stop root: run as `nobody` then (CI runs as root).
    let output = if fs::read(&path).is_ok() {
        let mut command = std::process::Command::new("setpriv");
        clean_environment(&mut command);
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary)
            .args(["segment", "secret.txt"])
            .current_dir(folder.path())
            .output()
            .expect("setpriv (util-linux) runs the binary as nobody")
    } else {
        selaras()
            .args(["segment", "secret.txt"])
            .current_dir(folder.path())
            .output()
            .unwrap()
    };
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    one_error_line(
        &String::from_utf8_lossy(&output.stderr),
        &["secret.txt", "ermission denied"],
    );
}

#[test]
fn every_bad_file_is_reported_and_nothing_is_printed() {
    let folder = tempfile::tempdir().unwrap();
    fs::write(folder.path().join("good.txt"), "Baik.\n").unwrap();
    fs::write(folder.path().join("empty.txt"), "\u{feff}  \n").unwrap();
    fs::write(folder.path().join("latin.txt"), b"caf\xe9").unwrap();
    let (code, stdout, stderr) = segment(folder.path(), &["."]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty(), "no partial output");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("empty.txt: the file is empty"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("latin.txt: not valid UTF-8 at byte offset 3"))
    );
}

#[test]
fn config_with_unknown_keys_and_wrong_types() {
    let cases = [
        ("[project]\nsource_dir = \"x\"\n", "line 2", "source_dir"),
        ("[segment]\nabbreviations = 3\n", "line 2", "sequence"),
        ("[glossary]\nmode = \"strict\"\n", "line 2", "strict"),
        (
            "[project]\ntarget-lang = \"english please\"\n",
            "project.target-lang",
            "language tag",
        ),
        ("[unknown]\n", "line 1", "unknown"),
        ("not toml at all", "line 1", ""),
    ];
    for (text, where_, what) in cases {
        let folder = tempfile::tempdir().unwrap();
        fs::write(folder.path().join("selaras.toml"), text).unwrap();
        let (code, stdout, stderr) = segment(folder.path(), &[]);
        assert_eq!(code, Some(2), "{text}");
        assert!(stdout.is_empty());
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("selaras.toml"), "{text}: {stderr}");
        assert!(
            stderr.contains(where_) && stderr.contains(what),
            "{text}: {stderr}"
        );
    }
}

#[test]
fn the_shipped_config_and_corpus_are_clean() {
    let (code, _, stderr) = segment(&project_root(), &["--format", "text"]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// A project with one real article under `src/` and `config` in its `selaras.toml`.
fn project(config: &str) -> Project {
    Project::empty()
        .with_file("src/a.txt", corpus_text("000_979649cfeebf31a2"))
        .with_config(&format!("[project]\nsource-dir = \"src\"\n{config}"))
}

fn run_in(project: &Project, args: &[&str]) -> (Option<i32>, String, String) {
    outcome(project.run(args))
}

#[test]
fn a_glossary_with_a_malformed_row_stops_translate_and_check_naming_file_and_line() {
    let folder = project("[glossary]\nfiles = [\"g.tsv\"]\n");
    fs::write(
        folder.path().join("g.tsv"),
        "source\ttarget\nPresiden\tPresident\nbaris tanpa tab\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["g.tsv:3: ", "1 fields, the header has 2"]);
    assert!(!stderr.contains(": error:"), "said once: {stderr}");
    assert!(
        !folder.path().join("translations").exists(),
        "nothing written"
    );
    let (code, _, stderr) = run_in(&folder, &["check"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["g.tsv:3: ", "1 fields, the header has 2"]);

    // two bad rows: one line each, each naming its line
    fs::write(
        folder.path().join("g.tsv"),
        "source\ttarget\nbaris tanpa tab\nMenteri\t\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(&folder, &["check"]);
    assert_eq!(code, Some(2));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains("g.tsv:2: "));
    assert!(lines[1].starts_with("error: ") && lines[1].contains("g.tsv:3: "));
}

#[test]
fn a_tbx_that_is_not_xml_given_to_check_is_named() {
    let folder = project("");
    // a run to check: the memory endpoint translates nothing, exit 3, records written
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(3), "{stderr}");
    fs::write(
        folder.path().join("terms.tbx"),
        "<martif type=\"TBX\"><text><body><termEntry>",
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(&folder, &["check", "--glossary", "terms.tbx"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    one_error_line(&stderr, &["terms.tbx"]);
}

#[test]
fn config_errors_in_endpoints_name_the_file_and_key() {
    let folder = project(
        "[translate]\nendpoint = \"x\"\n\n[endpoints.x]\nkind = \"babelfish\"\nurl = \"http://127.0.0.1:9/\"\n",
    );
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["selaras.toml", "line 7", "babelfish"]);

    let folder = project(
        "[translate]\nendpoint = \"x\"\n\n[endpoints.x]\nkind = \"libretranslate\"\nurl = \"127.0.0.1 port 5000\"\n",
    );
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(2));
    one_error_line(
        &stderr,
        &["selaras.toml", "endpoints.x.url", "is not a URL"],
    );

    let folder = project(
        "[translate]\nendpoint = \"x\"\n\n[endpoints.x]\nkind = \"deepl\"\nurl = \"http://127.0.0.1:9/v2/translate\"\napi-key-env = \"SELARAS_BAD_INPUT_KEY\"\n",
    );
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(2));
    one_error_line(
        &stderr,
        &["SELARAS_BAD_INPUT_KEY", "not set", "endpoint `x`"],
    );
    assert!(!folder.path().join("translations").exists());
}

#[test]
fn an_output_folder_that_is_a_file_is_refused_before_any_work() {
    let folder = project("");
    fs::write(folder.path().join("out"), "a file").unwrap();
    let (code, _, stderr) = run_in(&folder, &["translate", "--out", "out"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["out: the output folder is a file"]);
    assert!(
        !folder.path().join(".selaras/memory.sqlite").exists(),
        "refused before the memory was opened"
    );
    // a folder below a file is refused the same way
    let (code, _, stderr) = run_in(&folder, &["translate", "--out", "out/deeper"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["out: the output folder is a file"]);

    // and `export --out` too
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(3), "{stderr}");
    let (code, _, stderr) = run_in(&folder, &["export", "--out", "out"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["out: the output folder is a file"]);
    assert_eq!(
        fs::read_to_string(folder.path().join("out")).unwrap(),
        "a file"
    );
}

#[test]
fn a_malformed_translation_memory_is_named_with_its_line() {
    let folder = project("[translate]\nmemory = [\"memory.tmx\"]\n");
    fs::write(
        folder.path().join("memory.tmx"),
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"id\"><seg>a</seg>\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(&folder, &["translate"]);
    assert_eq!(code, Some(2));
    one_error_line(&stderr, &["memory.tmx", "line", "not a valid TMX file"]);
    assert!(!folder.path().join("translations").exists());
}
