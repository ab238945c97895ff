//! What every integration test shares: the `selaras` binary with a clean environment, a
//! temporary project builder (a copy of the shipped project, or an empty folder filled file by
//! file), the shipped corpus, and the one xmllint helper that validates TMX and XLIFF against
//! the schemas vendored in `tests/data/schemas/`.
//!
//! It must not assert what a test is about: helpers here only set things up, run the binary
//! and fail when the set-up itself fails.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

/// Environment variables the binary reads besides the `SELARAS_*` ones (which are all cleared):
/// the diff's colour switch, the export date, and the key variables the documented endpoints
/// name, so that a user's own settings never reach a test.
const FOREIGN_VARIABLES: [&str; 5] = [
    "NO_COLOR",
    "SOURCE_DATE_EPOCH",
    "DEEPL_AUTH_KEY",
    "LIBRETRANSLATE_API_KEY",
    "OPENAI_API_KEY",
];

/// The project root (where `source_texts/` and `selaras.toml` live).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of one of the shipped source articles.
pub fn corpus_text(stem: &str) -> String {
    let path = project_root()
        .join("source_texts")
        .join(format!("{stem}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The (Indonesian, English) pairs of the shipped glossary of official titles.
pub fn glossary_pairs() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(project_root().join("glossary/official-titles.tsv")).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|line| {
            let mut fields = line.split('\t');
            (
                fields.next().unwrap().to_string(),
                fields.next().unwrap().to_string(),
            )
        })
        .collect()
}

/// The gold links of an aligned test article (`tests/data/align/<stem>.gold.jsonl`): source
/// ids, target ids and shape.
pub fn gold_links(stem: &str) -> Vec<(Vec<String>, Vec<String>, String)> {
    let path = project_root()
        .join("tests/data/align")
        .join(format!("{stem}.gold.jsonl"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let ids = |key: &str| -> Vec<String> {
                value[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| id.as_str().unwrap().to_string())
                    .collect()
            };
            (
                ids("source_ids"),
                ids("target_ids"),
                value["link"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Whether the tests run under CI (`CI` set to anything but empty, `0` or `false`), where a
/// missing external tool fails the test instead of skipping it.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "0" | "false"))
}

/// Whether an external tool is available; when it is not, a test skips with a note, except
/// under CI, where it fails.
pub fn tool_available(program: &str, install_hint: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            !under_ci(),
            "{program} is required under CI ({install_hint})"
        );
        eprintln!("note: {program} is not installed ({install_hint}); skipping this check");
    }
    found
}

/// The `selaras` binary as a plain process (to spawn, signal or kill it), with every
/// `SELARAS_*` variable and the other variables it reads removed, standard input closed, run
/// in the shipped project.
pub fn selaras_process() -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("selaras"));
    clean_environment(&mut command);
    command.current_dir(project_root()).stdin(Stdio::null());
    command
}

/// Removes from `command`'s environment every `SELARAS_*` variable and the other variables
/// the binary reads (for a command that runs the binary through another, such as `setpriv`).
pub fn clean_environment(command: &mut std::process::Command) {
    let inherited: Vec<OsString> = std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| name.to_string_lossy().starts_with("SELARAS_"))
        .collect();
    // named even when unset here: the two variables the binary's flags read
    for name in ["SELARAS_CONFIG", "SELARAS_ENDPOINT"]
        .into_iter()
        .map(OsString::from)
        .chain(inherited)
        .chain(FOREIGN_VARIABLES.into_iter().map(OsString::from))
    {
        command.env_remove(name);
    }
}

/// The `selaras` binary for assertions, with the clean environment of [`selaras_process`], run
/// in the shipped project (read only: write into a [`Project`] instead).
pub fn selaras() -> assert_cmd::Command {
    assert_cmd::Command::from_std(selaras_process())
}

/// Runs `command` to the end on a blocking thread, so that a mock server living on the test's
/// runtime keeps answering.
pub async fn output_async(mut command: std::process::Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Lossy UTF-8 text of a process stream.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON values of a JSON-lines text.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}")))
        .collect()
}

/// A project in a temporary folder, removed when dropped. Start from [`Project::shipped`] (the
/// shipped sources, glossary, memory and config) or [`Project::empty`], then add files.
pub struct Project {
    folder: tempfile::TempDir,
    environment: Vec<(String, String)>,
}

impl Project {
    /// An empty project folder: no config, no sources.
    pub fn empty() -> Project {
        Project {
            folder: tempfile::tempdir().unwrap(),
            environment: Vec::new(),
        }
    }

    /// A copy of the shipped project: `source_texts/`, `glossary/`, `selaras.toml` and
    /// `translations/memory.tmx`.
    pub fn shipped() -> Project {
        let mut project = Project::empty();
        for folder in ["source_texts", "glossary"] {
            for entry in std::fs::read_dir(project_root().join(folder)).unwrap() {
                let name = entry.unwrap().file_name();
                project = project.with_shipped(&format!("{folder}/{}", name.to_string_lossy()));
            }
        }
        project
            .with_shipped("selaras.toml")
            .with_shipped("translations/memory.tmx")
    }

    /// Adds (or replaces) the file `relative` with `contents`, creating its folders.
    pub fn with_file(self, relative: &str, contents: impl AsRef<[u8]>) -> Project {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap_or_else(|error| panic!("{relative}: {error}"));
        self
    }

    /// Copies the shipped file `relative` (e.g. `glossary/official-titles.tsv`) to the same
    /// place in the project.
    pub fn with_shipped(self, relative: &str) -> Project {
        let contents = std::fs::read(project_root().join(relative))
            .unwrap_or_else(|error| panic!("{relative}: {error}"));
        self.with_file(relative, contents)
    }

    /// Copies the shipped articles `stems` into `source_texts/`.
    pub fn with_sources(self, stems: &[&str]) -> Project {
        stems.iter().fold(self, |project, stem| {
            project.with_shipped(&format!("source_texts/{stem}.txt"))
        })
    }

    /// Writes `config` as `selaras.toml` (replacing the shipped one).
    pub fn with_config(self, config: &str) -> Project {
        self.with_file("selaras.toml", config)
    }

    /// Appends `extra` to `selaras.toml`: only tables the config does not hold yet (TOML
    /// refuses a table defined twice).
    pub fn with_extra_config(self, extra: &str) -> Project {
        let path = self.path().join("selaras.toml");
        let mut config = std::fs::read_to_string(&path).unwrap_or_default();
        config.push_str(extra);
        self.with_config(&config)
    }

    /// Sets the environment variable `name` for every command run in the project (e.g. a
    /// fixed `SOURCE_DATE_EPOCH`).
    pub fn with_env(mut self, name: &str, value: impl ToString) -> Project {
        self.environment.push((name.to_string(), value.to_string()));
        self
    }

    /// The project folder.
    pub fn path(&self) -> &Path {
        self.folder.path()
    }

    /// `relative` inside the project folder.
    pub fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.path().join(relative)
    }

    /// `selaras ARGS` run in the project, for assertions.
    pub fn selaras(&self, args: &[&str]) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.process(args))
    }

    /// `selaras ARGS` run in the project as a plain process (to spawn, signal or kill it).
    pub fn process(&self, args: &[&str]) -> std::process::Command {
        let mut command = selaras_process();
        command.args(args).current_dir(self.path());
        for (name, value) in &self.environment {
            command.env(name, value);
        }
        command
    }

    /// Runs `selaras ARGS` in the project to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.process(args).output().unwrap()
    }

    /// Runs `selaras ARGS` in the project to the end without blocking the test's runtime.
    pub async fn run_async(&self, args: &[&str]) -> Output {
        output_async(self.process(args)).await
    }

    /// The records of `translations/<stem>.jsonl`.
    pub fn records(&self, stem: &str) -> Vec<serde_json::Value> {
        let path = self.join(format!("translations/{stem}.jsonl"));
        json_lines(
            &std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display())),
        )
    }
}

/// The official grammars vendored in `tests/data/schemas/`.
#[derive(Clone, Copy, Debug)]
pub enum Schema {
    /// The TMX 1.4 DTD.
    Tmx14,
    /// The XLIFF 2.0 core XSD (XLIFF 2.1 core documents validate against it).
    Xliff2,
    /// The XLIFF 1.2 transitional XSD.
    Xliff12,
}

impl Schema {
    fn arguments(self) -> [String; 2] {
        let folder = project_root().join("tests/data/schemas");
        let (option, relative) = match self {
            Schema::Tmx14 => ("--dtdvalid", "tmx14.dtd"),
            Schema::Xliff2 => ("--schema", "xliff-2/xliff_core_2.0.xsd"),
            Schema::Xliff12 => ("--schema", "xliff-1.2/xliff-core-1.2-transitional.xsd"),
        };
        let path = folder.join(relative);
        assert!(path.is_file(), "{} is missing", path.display());
        [option.to_string(), path.display().to_string()]
    }
}

/// Validates `text` against `schema` with xmllint (never touching the network); fails with
/// xmllint's complaint. Without xmllint it skips with a note, except under CI, where it fails.
pub fn validate_xml(document: &str, schema: Schema) {
    if !tool_available("xmllint", "apt-get install libxml2-utils") {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let extension = match schema {
        Schema::Tmx14 => "tmx",
        Schema::Xliff2 | Schema::Xliff12 => "xlf",
    };
    let file = folder.path().join(format!("export.{extension}"));
    std::fs::write(&file, document).unwrap();
    let arguments = schema.arguments();
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet"])
        .args(&arguments)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "xmllint {arguments:?} rejected the file:\n{}\n--- file ---\n{document}",
        text(&output.stderr)
    );
}
