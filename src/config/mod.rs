//! `selaras.toml`: finding it, parsing it strictly, and resolving it into settings.
//!
//! The file is found by walking up from the current directory (or named with `--config`).
//! Every key is optional; unknown keys and values of the wrong type are errors that name the
//! key and the line. Relative paths are resolved against the folder holding the file.
//! Precedence (flags > `SELARAS_*` > file > defaults) is applied by the CLI, which passes its
//! overrides in; this module never reads flags or prints.

use crate::export::ExportFormat;
use crate::qa::{Check, QaOptions, Severity};
use crate::segment::{Abbreviations, Furniture, SegmentOptions};
use crate::translate::is_language_tag;
use crate::translate::providers::{EndpointConfig, EndpointSpec};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The glossary used when `[glossary] files` is not set, if it exists.
pub const DEFAULT_GLOSSARY: &str = "glossary/official-titles.tsv";

/// The file name looked for in the current directory and its ancestors.
pub const CONFIG_FILE_NAME: &str = "selaras.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the configuration: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(
        "{path}: {}key `{key}`: {message}",
        .line.map(|line| format!("line {line}: ")).unwrap_or_default()
    )]
    Invalid {
        path: PathBuf,
        /// The 1-based line of the key, when the file has it.
        line: Option<usize>,
        key: String,
        message: String,
    },
}

/// The file as written. Every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    #[serde(default)]
    pub project: ProjectSection,
    #[serde(default)]
    pub segment: SegmentSection,
    #[serde(default)]
    pub glossary: GlossarySection,
    #[serde(default)]
    pub export: ExportSection,
    #[serde(default)]
    pub translate: TranslateSection,
    #[serde(default)]
    pub qa: QaSection,
    /// Named translation endpoints: `[endpoints.<name>]`.
    #[serde(default)]
    pub endpoints: BTreeMap<String, EndpointSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GlossarySection {
    /// Glossary files (TSV, CSV or TBX), default `["glossary/official-titles.tsv"]`.
    pub files: Option<Vec<PathBuf>>,
    /// What `translate` does with the glossary: check, fix (default) or protect.
    pub mode: Option<GlossaryMode>,
}

pub use crate::glossary::GlossaryMode;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TranslateSection {
    /// The endpoint used when `--endpoint` is not given (default `memory`).
    pub endpoint: Option<String>,
    /// Approved translation memories, TMX files (default `["translations/memory.tmx"]`).
    pub memory: Option<Vec<PathBuf>>,
    /// The memory and cache database (default `.selaras/memory.sqlite`).
    pub database: Option<PathBuf>,
    /// Where `selaras review import` keeps reviewers' edits, a TMX file used after the other
    /// memories so an edit wins (default `translations/reviewed.tmx`).
    pub reviewed_memory: Option<PathBuf>,
}

/// One `[endpoints.<name>]` table as written; the same keys mean the same for every kind.
/// The providers own its shape and its checks.
pub type EndpointSection = EndpointSpec;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectSection {
    /// Folder of the Indonesian sources (default `source_texts`).
    pub source_dir: Option<PathBuf>,
    /// Folder the translations and exports are written to (default `translations`).
    pub output_dir: Option<PathBuf>,
    /// Source language tag (default `id`).
    pub source_lang: Option<String>,
    /// Target language tag (default `en`).
    pub target_lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SegmentSection {
    /// Extra abbreviations whose full stop never ends a sentence (`"Kol."`).
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Extra abbreviations that may end a sentence when a capitalised word follows (`"dst."`).
    #[serde(default)]
    pub sentence_final_abbreviations: Vec<String>,
    /// Extra page furniture: regular expressions matched against each trimmed source line; a
    /// line that matches is kept in the exports but never translated.
    #[serde(default)]
    pub boilerplate_patterns: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExportSection {
    /// The files `translate` and `export` write per article (default: all of
    /// tsv, jsonl, tmx, xliff, md, html, diff; `xliff12` only when listed).
    pub formats: Option<Vec<ExportFormat>>,
    /// Mark glossary terms in the per-article TMX with `<hi type="x-term">` (default false:
    /// plain segments, which CAT tools such as OmegaT match exactly).
    pub tmx_term_markup: Option<bool>,
}

/// `[qa]`: the checks beyond the glossary that `translate` and `check` run.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QaSection {
    /// The checks that run (default: all of number, date, name, untranslated, omission,
    /// addition, punctuation, consistency); `[]` turns QA off.
    pub checks: Option<Vec<Check>>,
    /// Names the name check does not require in the English.
    #[serde(default)]
    pub ignore_names: Vec<String>,
    /// Words the untranslated check accepts in the English (loanwords, house terms).
    #[serde(default)]
    pub ignore_words: Vec<String>,
    /// `[qa.severity]`: a severity per check, replacing the check's own.
    #[serde(default)]
    pub severity: SeveritySection,
}

/// `[qa.severity]`: `error` or `warning` per check; a check left out keeps its own.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeveritySection {
    pub number: Option<Severity>,
    pub date: Option<Severity>,
    pub name: Option<Severity>,
    pub untranslated: Option<Severity>,
    pub omission: Option<Severity>,
    pub addition: Option<Severity>,
    pub punctuation: Option<Severity>,
    pub consistency: Option<Severity>,
}

impl SeveritySection {
    /// The overrides written, in check order.
    fn overrides(&self) -> Vec<(Check, Severity)> {
        [
            (Check::Number, self.number),
            (Check::Date, self.date),
            (Check::Name, self.name),
            (Check::Untranslated, self.untranslated),
            (Check::Omission, self.omission),
            (Check::Addition, self.addition),
            (Check::Punctuation, self.punctuation),
            (Check::Consistency, self.consistency),
        ]
        .into_iter()
        .filter_map(|(check, severity)| Some((check, severity?)))
        .collect()
    }
}

/// The resolved settings every command starts from.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration file in force, if one was found.
    pub config_path: Option<PathBuf>,
    /// The folder relative paths are resolved against.
    pub root: PathBuf,
    pub source_dir: PathBuf,
    pub output_dir: PathBuf,
    pub source_lang: String,
    pub target_lang: String,
    pub abbreviations: Vec<String>,
    pub sentence_final_abbreviations: Vec<String>,
    /// `[segment] boilerplate-patterns`, as written.
    pub boilerplate_patterns: Vec<String>,
    /// The same patterns compiled, with the built-in furniture.
    furniture: Furniture,
    pub glossary_files: Vec<PathBuf>,
    pub glossary_mode: GlossaryMode,
    /// The export formats to write, without duplicates, in the order given.
    pub export_formats: Vec<ExportFormat>,
    /// `[export] tmx-term-markup`: glossary terms as `<hi>` in the per-article TMX.
    pub tmx_term_markup: bool,
    pub translate: TranslateSettings,
    /// The QA checks of `translate` and `check`.
    pub qa: QaOptions,
}

/// The resolved `[translate]` and `[endpoints]` settings.
#[derive(Debug, Clone)]
pub struct TranslateSettings {
    /// The default endpoint's name.
    pub endpoint: String,
    /// Approved TMX files, in priority order (a later file wins).
    pub memory: Vec<PathBuf>,
    /// The memory and cache database.
    pub database: PathBuf,
    /// Reviewers' edits, imported by `selaras review import`; used after `memory`.
    pub reviewed_memory: PathBuf,
    /// Every endpoint by name, the built-in `memory` included.
    pub endpoints: BTreeMap<String, EndpointConfig>,
}

impl TranslateSettings {
    /// The approved memory files in force, in priority order: `memory`, then the reviewed
    /// memory (a later file wins).
    pub fn memory_files(&self) -> Vec<PathBuf> {
        self.memory
            .iter()
            .chain(std::iter::once(&self.reviewed_memory))
            .cloned()
            .collect()
    }
}

impl Settings {
    /// The segmenter's options: the built-in rules extended by the `[segment]` section.
    pub fn segment_options(&self) -> SegmentOptions {
        SegmentOptions {
            abbreviations: Abbreviations::new(
                &self.abbreviations,
                &self.sentence_final_abbreviations,
            ),
            furniture: self.furniture.clone(),
        }
    }
}

/// The name of the built-in offline endpoint.
pub use crate::translate::providers::MEMORY_ENDPOINT;

/// Walks up from `start` looking for `selaras.toml`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|folder| folder.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Parses configuration text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|error| ConfigError::Parse {
        path: path.to_path_buf(),
        message: describe_toml_error(&error, text),
    })
}

fn describe_toml_error(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().trim().to_string();
    match error.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            match key_of_value_at(text, start) {
                Some(key) => format!("line {line}: key `{key}`: {message}"),
                None => format!("line {line}: {message}"),
            }
        }
        None => message,
    }
}

/// The dotted key (`qa.checks`) whose value starts on the line of `offset`, after its `=`:
/// a value of the wrong type is reported with its key, not only its line.
fn key_of_value_at(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let (key, _) = text[line_start..offset].split_once('=')?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('#') || key.starts_with('[') {
        return None;
    }
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.starts_with('['))
        .map(|header| header.trim_matches(|character| character == '[' || character == ']'));
    Some(match table {
        Some(table) if !table.is_empty() => format!("{}.{key}", table.trim()),
        _ => key.to_string(),
    })
}

/// Loads the file at `path` (or the defaults when `None`) and resolves it against its folder.
pub fn load(path: Option<&Path>, working_dir: &Path) -> Result<Settings, ConfigError> {
    let (file, root) = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let file = parse(&text, path)?;
            let root = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .map_or_else(|| working_dir.to_path_buf(), Path::to_path_buf);
            return resolve(file, Some(path), root).map_err(|error| with_line(error, &text));
        }
        None => (ConfigFile::default(), working_dir.to_path_buf()),
    };
    resolve(file, path, root)
}

/// Adds to an invalid value's error the line its key is on in `text`.
fn with_line(error: ConfigError, text: &str) -> ConfigError {
    match error {
        ConfigError::Invalid {
            path,
            line: None,
            key,
            message,
        } => ConfigError::Invalid {
            line: key_line(text, &key),
            path,
            key,
            message,
        },
        other => other,
    }
}

/// The 1-based line of the dotted `key` (`endpoints.local.requests-per-second`) in the TOML
/// `text`; a table name holding dots (`[endpoints."a.b"]`) is matched too.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut rest = key;
    loop {
        // the longest name of this table that `rest` starts with, followed by `.` or the end
        let (spanned_name, value) = table
            .iter()
            .filter(|(name, _)| {
                let name: &str = name.get_ref();
                rest == name
                    || rest
                        .strip_prefix(name)
                        .is_some_and(|after| after.starts_with('.'))
            })
            .max_by_key(|(name, _)| name.get_ref().len())?;
        let name: &str = spanned_name.get_ref();
        if rest == name {
            let offset = spanned_name.span().start.min(text.len());
            return Some(text[..offset].matches('\n').count() + 1);
        }
        rest = &rest[name.len() + 1..];
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => return None,
        }
    }
}

fn resolve(file: ConfigFile, path: Option<&Path>, root: PathBuf) -> Result<Settings, ConfigError> {
    let config_path = path.map(Path::to_path_buf);
    let invalid = |key: &str, message: String| ConfigError::Invalid {
        line: None,
        path: config_path
            .clone()
            .unwrap_or_else(|| PathBuf::from(CONFIG_FILE_NAME)),
        key: key.to_string(),
        message,
    };
    let source_lang = file.project.source_lang.unwrap_or_else(|| "id".to_string());
    let target_lang = file.project.target_lang.unwrap_or_else(|| "en".to_string());
    for (key, tag) in [
        ("project.source-lang", &source_lang),
        ("project.target-lang", &target_lang),
    ] {
        if !is_language_tag(tag) {
            return Err(invalid(
                key,
                format!(
                    "{tag:?} is not a language tag (expected something like \"id\" or \"en-GB\")"
                ),
            ));
        }
    }
    for (key, list) in [
        ("segment.abbreviations", &file.segment.abbreviations),
        (
            "segment.sentence-final-abbreviations",
            &file.segment.sentence_final_abbreviations,
        ),
    ] {
        if let Some(bad) = list.iter().find(|word| {
            word.trim().trim_end_matches('.').is_empty() || word.contains(char::is_whitespace)
        }) {
            return Err(invalid(
                key,
                format!("{bad:?} is not an abbreviation (one word, with or without its full stop)"),
            ));
        }
    }
    for (key, list) in [
        ("qa.ignore-names", &file.qa.ignore_names),
        ("qa.ignore-words", &file.qa.ignore_words),
    ] {
        if let Some(bad) = list.iter().find(|entry| entry.trim().is_empty()) {
            return Err(invalid(key, format!("{bad:?} is empty")));
        }
    }
    let mut checks: Vec<Check> = Vec::new();
    for check in file.qa.checks.unwrap_or_else(|| Check::ALL.to_vec()) {
        if !checks.contains(&check) {
            checks.push(check);
        }
    }
    let qa = QaOptions {
        enabled: checks,
        severity_overrides: file.qa.severity.overrides(),
        ignore_names: file.qa.ignore_names,
        ignore_words: file.qa.ignore_words,
    };
    let furniture = Furniture::new(&file.segment.boilerplate_patterns).map_err(|error| {
        invalid(
            "segment.boilerplate-patterns",
            format!("not a regular expression: {error}"),
        )
    })?;
    let join = |relative: Option<PathBuf>, default: &str| {
        let relative = relative.unwrap_or_else(|| PathBuf::from(default));
        if relative.is_absolute() {
            relative
        } else {
            root.join(relative)
        }
    };
    let mut export_formats: Vec<ExportFormat> = Vec::new();
    for format in file
        .export
        .formats
        .unwrap_or_else(|| ExportFormat::DEFAULT.to_vec())
    {
        if !export_formats.contains(&format) {
            export_formats.push(format);
        }
    }
    let mut endpoints = BTreeMap::new();
    endpoints.insert(
        MEMORY_ENDPOINT.to_string(),
        EndpointConfig::builtin_memory(),
    );
    for (name, section) in file.endpoints {
        let endpoint = EndpointConfig::from_spec(&name, section)
            .map_err(|error| invalid(&format!("endpoints.{name}.{}", error.key), error.message))?;
        endpoints.insert(name, endpoint);
    }
    let endpoint = file
        .translate
        .endpoint
        .unwrap_or_else(|| MEMORY_ENDPOINT.to_string());
    if !endpoints.contains_key(&endpoint) {
        return Err(invalid(
            "translate.endpoint",
            format!(
                "no endpoint named {endpoint:?} (defined: {})",
                endpoints.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let memory = file
        .translate
        .memory
        .unwrap_or_else(|| vec![PathBuf::from("translations/memory.tmx")])
        .into_iter()
        .map(|path| join(Some(path), ""))
        .collect();
    let translate = TranslateSettings {
        endpoint,
        memory,
        database: join(file.translate.database, ".selaras/memory.sqlite"),
        reviewed_memory: join(file.translate.reviewed_memory, "translations/reviewed.tmx"),
        endpoints,
    };
    Ok(Settings {
        export_formats,
        tmx_term_markup: file.export.tmx_term_markup.unwrap_or(false),
        translate,
        qa,
        source_dir: join(file.project.source_dir, "source_texts"),
        output_dir: join(file.project.output_dir, "translations"),
        source_lang,
        target_lang,
        glossary_files: match file.glossary.files {
            Some(files) => files.into_iter().map(|path| join(Some(path), "")).collect(),
            // the default glossary is used when it is there; a configured one must be
            None => Some(join(None, DEFAULT_GLOSSARY))
                .filter(|path| path.is_file())
                .into_iter()
                .collect(),
        },
        glossary_mode: file.glossary.mode.unwrap_or_default(),
        abbreviations: file.segment.abbreviations,
        sentence_final_abbreviations: file.segment.sentence_final_abbreviations,
        boilerplate_patterns: file.segment.boilerplate_patterns,
        furniture,
        config_path,
        root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let text = "[project]\nsource-dir = \"x\"\nsorce-lang = \"id\"\n";
        let error = parse(text, Path::new("selaras.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("sorce-lang"), "{error}");
        assert!(error.contains("line 3"), "{error}");
    }

    #[test]
    fn wrong_types_are_named() {
        let text = "[segment]\nabbreviations = \"Kol.\"\n";
        let error = parse(text, Path::new("selaras.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
    }

    #[test]
    fn boilerplate_patterns_reach_the_segmenter() {
        let text = "[segment]\nboilerplate-patterns = [\"^Simak berita lain di .+$\"]\n";
        let file = parse(text, Path::new("s.toml")).unwrap();
        let settings = resolve(file, Some(Path::new("s.toml")), PathBuf::from("/p")).unwrap();
        assert_eq!(settings.boilerplate_patterns, ["^Simak berita lain di .+$"]);
        let article = crate::segment::segment_article(
            "a",
            "Simak berita lain di Google News\nIa datang.",
            &settings.segment_options(),
        );
        let translatable: Vec<bool> = article.segments().map(|s| s.translatable).collect();
        assert_eq!(translatable, [false, true]);
        let file = parse(
            "[segment]\nboilerplate-patterns = [\"(unclosed\"]\n",
            Path::new("s.toml"),
        )
        .unwrap();
        let error = resolve(file, Some(Path::new("s.toml")), PathBuf::from("/p"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("segment.boilerplate-patterns"), "{error}");
    }

    #[test]
    fn bad_values_name_the_key() {
        let file = parse(
            "[project]\ntarget-lang = \"english!\"\n",
            Path::new("s.toml"),
        )
        .unwrap();
        let error = resolve(file, Some(Path::new("s.toml")), PathBuf::from("/p"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("project.target-lang"), "{error}");
    }

    #[test]
    fn paths_resolve_against_the_config_folder() {
        let file = parse("[project]\noutput-dir = \"out\"\n", Path::new("s.toml")).unwrap();
        let settings = resolve(file, None, PathBuf::from("/p")).unwrap();
        assert_eq!(settings.output_dir, PathBuf::from("/p/out"));
        assert_eq!(settings.source_dir, PathBuf::from("/p/source_texts"));
        assert_eq!(settings.source_lang, "id");
    }

    fn resolve_text(text: &str) -> Result<Settings, String> {
        let file = parse(text, Path::new("s.toml")).map_err(|error| error.to_string())?;
        resolve(file, Some(Path::new("s.toml")), PathBuf::from("/p"))
            .map_err(|error| error.to_string())
    }

    #[test]
    fn translate_defaults_work_with_no_endpoint() {
        let settings = resolve_text("").unwrap();
        assert_eq!(settings.translate.endpoint, "memory");
        assert_eq!(
            settings.translate.memory,
            [PathBuf::from("/p/translations/memory.tmx")]
        );
        assert_eq!(
            settings.translate.database,
            PathBuf::from("/p/.selaras/memory.sqlite")
        );
        assert_eq!(
            settings.translate.endpoints["memory"].kind,
            crate::translate::providers::ProviderKind::Memory
        );
    }

    #[test]
    fn endpoints_resolve_with_defaults_of_their_kind() {
        let settings = resolve_text(
            "[translate]\nendpoint = \"deepl\"\n\n[endpoints.deepl]\nkind = \"deepl\"\napi-key-env = \"DEEPL_AUTH_KEY\"\ntarget-lang = \"EN-GB\"\nconcurrency = 2\n\n[endpoints.local]\nkind = \"openai\"\nurl = \"http://127.0.0.1:8080/v1/chat/completions\"\nmodel = \"qwen2.5-7b-instruct\"\ntimeout-secs = 300\n",
        )
        .unwrap();
        let deepl = &settings.translate.endpoints["deepl"];
        assert_eq!(deepl.batch_size, 50);
        assert_eq!(deepl.concurrency, 2);
        assert_eq!(
            deepl.url.as_ref().unwrap().as_str(),
            "https://api-free.deepl.com/v2/translate"
        );
        assert_eq!(deepl.api_key_env.as_deref(), Some("DEEPL_AUTH_KEY"));
        let local = &settings.translate.endpoints["local"];
        assert_eq!(local.timeout, Duration::from_secs(300));
        assert_eq!(local.model.as_deref(), Some("qwen2.5-7b-instruct"));
    }

    #[test]
    fn bad_endpoint_values_name_the_key() {
        let table = [
            (
                "[endpoints.x]\nkind = \"libretranslate\"\nurl = \"not a url\"\n",
                "endpoints.x.url",
            ),
            (
                "[endpoints.x]\nkind = \"libretranslate\"\nurl = \"ftp://h/x\"\n",
                "endpoints.x.url",
            ),
            (
                "[endpoints.x]\nkind = \"libretranslate\"\n",
                "endpoints.x.url",
            ),
            (
                "[endpoints.x]\nkind = \"libretranslate\"\nurl = \"http://h/translate\"\nbatch-size = 0\n",
                "endpoints.x.batch-size",
            ),
            (
                "[endpoints.x]\nkind = \"deepl\"\n",
                "endpoints.x.api-key-env",
            ),
            (
                "[endpoints.x]\nkind = \"deepl\"\napi-key-env = \"abc-123:fx\"\n",
                "endpoints.x.api-key-env",
            ),
            (
                "[endpoints.x]\nkind = \"openai\"\nurl = \"http://h/v1/chat/completions\"\n",
                "endpoints.x.model",
            ),
            (
                "[endpoints.x]\nkind = \"deepl\"\napi-key-env = \"K\"\nmodel = \"m\"\n",
                "endpoints.x.model",
            ),
            (
                "[endpoints.x]\nkind = \"template\"\nurl = \"http://h/t\"\nbody = \"{}\"\nresponse-pointer = \"/a\"\n",
                "endpoints.x.body",
            ),
            (
                "[endpoints.x]\nkind = \"google\"\napi-key-env = \"K\"\nrequests-per-second = 0\n",
                "endpoints.x.requests-per-second",
            ),
            (
                "[endpoints.memory]\nkind = \"deepl\"\napi-key-env = \"K\"\n",
                "endpoints.memory.kind",
            ),
            (
                "[translate]\nendpoint = \"nowhere\"\n",
                "translate.endpoint",
            ),
        ];
        for (text, key) in table {
            let error = resolve_text(text).unwrap_err();
            assert!(error.contains(key), "{text}: {error}");
        }
        let error = resolve_text("[endpoints.x]\nkind = \"deepl\"\napi-key-env = \"abc-123:fx\"\n")
            .unwrap_err();
        assert!(
            !error.contains("abc-123"),
            "the value is never echoed: {error}"
        );
        let error = resolve_text("[endpoints.x]\nkind = \"bing\"\n").unwrap_err();
        assert!(
            error.contains("line 2") && error.contains("bing"),
            "{error}"
        );
        let error = resolve_text("[endpoints.x]\nkind = \"deepl\"\napi-key = \"k\"\n").unwrap_err();
        assert!(
            error.contains("line 3") && error.contains("api-key"),
            "{error}"
        );
    }

    #[test]
    fn out_of_range_numbers_name_the_key_and_its_line() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("selaras.toml");
        std::fs::write(
            &path,
            "[project]\nsource-lang = \"id\"\n\n[endpoints.\"a.b\"]\nkind = \"libretranslate\"\nurl = \"http://127.0.0.1:1/translate\"\nrequests-per-second = 1e-300\n",
        )
        .unwrap();
        let error = load(Some(&path), folder.path()).unwrap_err().to_string();
        assert!(
            error.contains("line 7: key `endpoints.a.b.requests-per-second`"),
            "{error}"
        );
        assert_eq!(
            key_line("[endpoints.x]\nkind = 1\n", "endpoints.x.kind"),
            Some(2)
        );
        assert_eq!(
            key_line("[endpoints.x]\nkind = 1\n", "endpoints.y.kind"),
            None
        );
        assert_eq!(key_line("a = {b = 2}\n", "a.b"), Some(1));
    }

    #[test]
    fn export_formats_default_to_all_and_unknown_ones_name_the_line() {
        let file = parse("", Path::new("s.toml")).unwrap();
        let settings = resolve(file, None, PathBuf::from("/p")).unwrap();
        assert_eq!(settings.export_formats, ExportFormat::DEFAULT);
        assert!(!settings.tmx_term_markup);
        let file = parse(
            "[export]\nformats = [\"html\", \"xlf\", \"html\"]\ntmx-term-markup = true\n",
            Path::new("s.toml"),
        )
        .unwrap();
        let settings = resolve(file, None, PathBuf::from("/p")).unwrap();
        assert_eq!(
            settings.export_formats,
            [ExportFormat::Html, ExportFormat::Xliff]
        );
        assert!(settings.tmx_term_markup);
        let error = parse(
            "[export]\nformats = [\"tsv\", \"pdf\"]\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("line 2"), "{error}");
        assert!(error.contains("\"pdf\""), "{error}");
    }

    #[test]
    fn qa_defaults_to_every_check_at_its_own_severity() {
        let settings = resolve_text("").unwrap();
        assert_eq!(settings.qa, QaOptions::default());
        assert_eq!(settings.qa.enabled, Check::ALL);
    }

    #[test]
    fn qa_section_resolves_checks_severities_and_ignore_lists() {
        let settings = resolve_text(
            "[qa]\nchecks = [\"number\", \"date\", \"number\", \"consistency\"]\nignore-names = [\"Jokowi\"]\nignore-words = [\"pilkada\"]\n\n[qa.severity]\nconsistency = \"error\"\nnumber = \"warning\"\n",
        )
        .unwrap();
        assert_eq!(
            settings.qa.enabled,
            [Check::Number, Check::Date, Check::Consistency]
        );
        assert_eq!(
            settings.qa.severity_overrides,
            [
                (Check::Number, Severity::Warning),
                (Check::Consistency, Severity::Error)
            ]
        );
        assert_eq!(settings.qa.ignore_names, ["Jokowi"]);
        assert_eq!(settings.qa.ignore_words, ["pilkada"]);
        assert!(
            resolve_text("[qa]\nchecks = []\n")
                .unwrap()
                .qa
                .enabled
                .is_empty()
        );
    }

    #[test]
    fn qa_mistakes_name_the_key_and_line() {
        let table = [
            (
                "[qa]\nchecks = [\"number\", \"spelling\"]\n",
                "line 2",
                "spelling",
            ),
            ("[qa]\nchecks = \"number\"\n", "line 2", "key `qa.checks`"),
            ("[qa]\n\nignore-word = [\"x\"]\n", "line 3", "ignore-word"),
            (
                "[qa]\nignore-names = [1]\n",
                "line 2",
                "key `qa.ignore-names`",
            ),
            (
                "[qa.severity]\nnumber = \"fatal\"\n",
                "line 2",
                "key `qa.severity.number`",
            ),
            (
                "[qa.severity]\nspelling = \"error\"\n",
                "line 2",
                "spelling",
            ),
        ];
        for (text, line, key) in table {
            let error = resolve_text(text).unwrap_err();
            assert!(error.contains(line), "{text}: {error}");
            assert!(error.contains(key), "{text}: {error}");
        }
        let error = resolve_text("[qa]\nignore-words = [\" \"]\n").unwrap_err();
        assert!(error.contains("qa.ignore-words"), "{error}");
    }

    #[test]
    fn language_tags() {
        for good in ["id", "en", "en-GB", "en-US", "ind", "zh-Hant-TW"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english!", "en_GB", "en-", "12"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
