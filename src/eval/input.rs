//! Reading what `selaras eval` compares: JSON-lines records (`id` + `target`, optional
//! `source` and `translatable`, as `selaras translate` and `selaras align` write them), TMX
//! memories (`tuid` or `prop type="x-segment-id"` as the id, else the source text), or a folder
//! of such files. Errors name the file and line. Must not score or print.

use crate::model::SegmentId;
use crate::tmx::{self, TmxError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How a segment is joined between reference and hypothesis.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SegmentKey {
    /// A segment id (`<article>:<block>.<n>`, or any other id a memory uses).
    Id(String),
    /// The source text, for memory units with no id.
    Source(String),
}

/// One segment read from a reference or hypothesis file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalSegment {
    pub key: SegmentKey,
    /// The article: the id's stem, or the file's name when there is no segment id.
    pub article: String,
    pub source: Option<String>,
    /// The translation; `None` when the record has none (untranslated).
    pub target: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line_number}: {message}")]
    Record {
        path: PathBuf,
        line_number: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Tmx { path: PathBuf, source: TmxError },
    #[error("{path}: segment {key} appears twice")]
    Duplicate { path: PathBuf, key: String },
    #[error("{path}: not a .jsonl or .tmx file")]
    UnknownKind { path: PathBuf },
    #[error("{path}: the folder holds no .jsonl or .tmx files")]
    EmptyFolder { path: PathBuf },
}

/// Reads a `.jsonl` file, a `.tmx` file, or a folder: its `.jsonl` files (a run's records),
/// or its `.tmx` files when it has no records; sorted by name.
pub fn read_segments(path: &Path) -> Result<Vec<EvalSegment>, InputError> {
    let io_error = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    let files = if metadata.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io_error)?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|file| {
                file.is_file()
                    && !file
                        .file_name()
                        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
                    && kind_of(file).is_some()
            })
            .collect();
        files.sort();
        // a run's folder holds its records (.jsonl) beside TMX exports of the same segments:
        // the records are the run, the TMX files only when there are no records
        if files
            .iter()
            .any(|file| matches!(kind_of(file), Some(Kind::Jsonl)))
        {
            files.retain(|file| matches!(kind_of(file), Some(Kind::Jsonl)));
        }
        if files.is_empty() {
            return Err(InputError::EmptyFolder {
                path: path.to_path_buf(),
            });
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut segments = Vec::new();
    let mut seen: HashMap<SegmentKey, ()> = HashMap::new();
    for file in files {
        let read = match kind_of(&file) {
            Some(Kind::Jsonl) => read_jsonl(&file)?,
            Some(Kind::Tmx) => read_tmx(&file)?,
            None => return Err(InputError::UnknownKind { path: file }),
        };
        for segment in read {
            if seen.insert(segment.key.clone(), ()).is_some() {
                match segment.key {
                    // a memory may hold the same source sentence twice: keep the first
                    SegmentKey::Source(_) => continue,
                    SegmentKey::Id(key) => return Err(InputError::Duplicate { path: file, key }),
                }
            }
            segments.push(segment);
        }
    }
    Ok(segments)
}

enum Kind {
    Jsonl,
    Tmx,
}

fn kind_of(path: &Path) -> Option<Kind> {
    match path
        .extension()?
        .to_string_lossy()
        .to_ascii_lowercase()
        .as_str()
    {
        "jsonl" => Some(Kind::Jsonl),
        "tmx" => Some(Kind::Tmx),
        _ => None,
    }
}

fn file_article(path: &Path) -> String {
    crate::corpus::article_stem(path)
}

fn article_of(id: &str, path: &Path) -> String {
    SegmentId::parse(id).map_or_else(|| file_article(path), |id| id.article)
}

fn read_jsonl(path: &Path) -> Result<Vec<EvalSegment>, InputError> {
    let text = crate::corpus::read_input_to_string(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut segments = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| InputError::Record {
            path: path.to_path_buf(),
            line_number,
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| error(e.to_string()))?;
        let object = value
            .as_object()
            .ok_or_else(|| error("not a JSON object".to_string()))?;
        let id = object
            .get("id")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| error("no `id` string".to_string()))?;
        let text_field = |key: &str| -> Result<Option<String>, InputError> {
            match object.get(key) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(text)) => Ok(Some(text.clone())),
                Some(_) => Err(error(format!("`{key}` is neither a string nor null"))),
            }
        };
        let target = text_field("target")?;
        let source = text_field("source")?;
        if object.get("translatable") == Some(&serde_json::Value::Bool(false)) {
            continue;
        }
        segments.push(EvalSegment {
            key: SegmentKey::Id(id.to_string()),
            article: article_of(id, path),
            source,
            target,
        });
    }
    Ok(segments)
}

fn read_tmx(path: &Path) -> Result<Vec<EvalSegment>, InputError> {
    let text = crate::corpus::read_input_to_string(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let memory = tmx::read(&text).map_err(|source| InputError::Tmx {
        path: path.to_path_buf(),
        source,
    })?;
    let any_source = memory.source_language.eq_ignore_ascii_case("*all*");
    let mut segments = Vec::new();
    for unit in memory.units {
        let (source, target) = if any_source {
            (
                unit.variants.first().map(|(_, text)| text.clone()),
                unit.variants.get(1).map(|(_, text)| text.clone()),
            )
        } else {
            (
                unit.text_in(&memory.source_language).map(str::to_string),
                unit.text_not_in(&memory.source_language)
                    .map(str::to_string),
            )
        };
        let id = unit
            .id
            .clone()
            .or_else(|| unit.prop("x-segment-id").map(str::to_string));
        let (key, article) = match (id, &source) {
            (Some(id), _) => {
                let article = article_of(&id, path);
                (SegmentKey::Id(id), article)
            }
            (None, Some(source)) => (SegmentKey::Source(source.clone()), file_article(path)),
            (None, None) => continue,
        };
        segments.push(EvalSegment {
            key,
            article,
            source,
            target,
        });
    }
    Ok(segments)
}

impl std::fmt::Display for SegmentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SegmentKey::Id(id) => f.write_str(id),
            SegmentKey::Source(text) => write!(f, "with source {text:?}"),
        }
    }
}
