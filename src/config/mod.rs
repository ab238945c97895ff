//! `selaras.toml`: finding it, parsing it strictly, and resolving it into settings.
//!
//! The file is found by walking up from the current directory (or named with `--config`).
//! Every key is optional; unknown keys and values of the wrong type are errors that name the
//! key and the line. Relative paths are resolved against the folder holding the file.
//! Precedence (flags > `SELARAS_*` > file > defaults) is applied by the CLI, which passes its
//! overrides in; this module never reads flags or prints.

use crate::export::ExportFormat;
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        path: PathBuf,
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GlossarySection {
    /// Glossary files (TSV, CSV or TBX), default `["glossary/official-titles.tsv"]`.
    pub files: Option<Vec<PathBuf>>,
    /// What `translate` does with the glossary: check, fix (default) or protect.
    pub mode: Option<GlossaryMode>,
}

/// How `translate` enforces the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GlossaryMode {
    /// Find and record violations only.
    Check,
    /// Also replace forbidden renderings with the approved one where that is unambiguous.
    #[default]
    Fix,
    /// Shield terms from the engine with placeholders and restore the approved rendering.
    Protect,
}

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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExportSection {
    /// The files `translate` and `export` write per article (default: all of
    /// tsv, jsonl, tmx, xliff, md, html, diff).
    pub formats: Option<Vec<ExportFormat>>,
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
    pub glossary_files: Vec<PathBuf>,
    pub glossary_mode: GlossaryMode,
    /// The export formats to write, without duplicates, in the order given.
    pub export_formats: Vec<ExportFormat>,
}

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
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
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
            (file, root)
        }
        None => (ConfigFile::default(), working_dir.to_path_buf()),
    };
    resolve(file, path, root)
}

fn resolve(file: ConfigFile, path: Option<&Path>, root: PathBuf) -> Result<Settings, ConfigError> {
    let config_path = path.map(Path::to_path_buf);
    let invalid = |key: &str, message: String| ConfigError::Invalid {
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
        .unwrap_or_else(|| ExportFormat::ALL.to_vec())
    {
        if !export_formats.contains(&format) {
            export_formats.push(format);
        }
    }
    Ok(Settings {
        export_formats,
        source_dir: join(file.project.source_dir, "source_texts"),
        output_dir: join(file.project.output_dir, "translations"),
        source_lang,
        target_lang,
        glossary_files: file
            .glossary
            .files
            .unwrap_or_else(|| vec![PathBuf::from("glossary/official-titles.tsv")])
            .into_iter()
            .map(|path| join(Some(path), ""))
            .collect(),
        glossary_mode: file.glossary.mode.unwrap_or_default(),
        abbreviations: file.segment.abbreviations,
        sentence_final_abbreviations: file.segment.sentence_final_abbreviations,
        config_path,
        root,
    })
}

/// A BCP 47-shaped tag: letters, then `-`-separated alphanumeric subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn export_formats_default_to_all_and_unknown_ones_name_the_line() {
        let file = parse("", Path::new("s.toml")).unwrap();
        let settings = resolve(file, None, PathBuf::from("/p")).unwrap();
        assert_eq!(settings.export_formats, ExportFormat::ALL);
        let file = parse(
            "[export]\nformats = [\"html\", \"xlf\", \"html\"]\n",
            Path::new("s.toml"),
        )
        .unwrap();
        let settings = resolve(file, None, PathBuf::from("/p")).unwrap();
        assert_eq!(
            settings.export_formats,
            [ExportFormat::Html, ExportFormat::Xliff]
        );
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
    fn language_tags() {
        for good in ["id", "en", "en-GB", "en-US", "ind", "zh-Hant-TW"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english!", "en_GB", "en-", "12"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
