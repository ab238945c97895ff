//! Records on disk: JSON lines (`translations/<article>.jsonl`), the record files of a run
//! folder, grouping by article, and the per-state counts of a set of records.
//!
//! Reads refuse a malformed line (naming file and line), an article in two files, and an
//! article name that cannot be a file name inside the output folder. Writes are atomic. Must
//! not know about engines or export formats.

use super::{AlignedSegment, Origin};
use crate::corpus::write_atomic;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// Reading or writing record files failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordFileError {
    #[error("{path}: line {line_number}: {message}")]
    Record {
        path: PathBuf,
        line_number: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// Writing a record file failed (a full disk, a read-only folder).
    #[error("{path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("{path}: no aligned records (*.jsonl) found; run `selaras translate` first")]
    NoRecords { path: PathBuf },
    #[error(
        "{path}: article name {stem:?} cannot be a file name inside the output folder (only letters, digits, `-`, `_` and `.`, not starting with `.`)"
    )]
    UnsafeArticleName { path: PathBuf, stem: String },
    #[error("{path}: article {stem:?} is in more than one input file (also {other})")]
    DuplicateArticle {
        path: PathBuf,
        other: PathBuf,
        stem: String,
    },
}

impl crate::error::Classified for RecordFileError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            RecordFileError::Write { source, .. } => crate::error::io_class(source),
            _ => crate::error::ErrorClass::Input,
        }
    }
}

impl RecordFileError {
    fn record(path: &Path, error: RecordError) -> Self {
        RecordFileError::Record {
            path: path.to_path_buf(),
            line_number: error.line_number,
            message: error.message,
        }
    }
}

/// The records of one article, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRecords {
    /// The article name: the first part of every segment id, and the output file name.
    pub stem: String,
    pub records: Vec<AlignedSegment>,
}

impl ArticleRecords {
    /// Groups records by article, keeping the order in which articles first appear and sorting
    /// each article's records by segment id.
    pub fn group(records: Vec<AlignedSegment>) -> Vec<ArticleRecords> {
        let mut order: Vec<String> = Vec::new();
        let mut by_article: BTreeMap<String, Vec<AlignedSegment>> = BTreeMap::new();
        for record in records {
            let article = record.id.article.clone();
            if !by_article.contains_key(&article) {
                order.push(article.clone());
            }
            by_article.entry(article).or_default().push(record);
        }
        order
            .into_iter()
            .map(|stem| {
                let mut records = by_article.remove(&stem).unwrap_or_default();
                records.sort_by(|a, b| a.id.cmp(&b.id));
                ArticleRecords { stem, records }
            })
            .collect()
    }

    /// Counts for the summary lines of reviews and indexes.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.records)
    }
}

/// How many segments of a set are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub segments: usize,
    pub translatable: usize,
    pub translated: usize,
    pub untranslated: usize,
    /// Segments with at least one glossary violation left.
    pub segments_with_violations: usize,
    /// Glossary violations left, over all segments.
    pub violations: usize,
    pub warnings: usize,
    /// Segments the glossary fixer changed.
    pub fixed: usize,
    pub reviewed: usize,
}

impl Summary {
    pub fn of(records: &[AlignedSegment]) -> Summary {
        let mut summary = Summary::default();
        for record in records {
            summary.add(record);
        }
        summary
    }

    fn add(&mut self, record: &AlignedSegment) {
        self.segments += 1;
        if !record.translatable {
            return;
        }
        self.translatable += 1;
        if record.target.is_some() {
            self.translated += 1;
        } else {
            self.untranslated += 1;
        }
        if !record.violations.is_empty() {
            self.segments_with_violations += 1;
        }
        self.violations += record.violations.len();
        self.warnings += record.warnings.len();
        match record.origin {
            Origin::Fixed => self.fixed += 1,
            Origin::Reviewed => self.reviewed += 1,
            _ => {}
        }
    }

    /// Adds another summary to this one (for corpus totals).
    pub fn merge(&mut self, other: &Summary) {
        self.segments += other.segments;
        self.translatable += other.translatable;
        self.translated += other.translated;
        self.untranslated += other.untranslated;
        self.segments_with_violations += other.segments_with_violations;
        self.violations += other.violations;
        self.warnings += other.warnings;
        self.fixed += other.fixed;
        self.reviewed += other.reviewed;
    }
}

/// Writes records as JSON lines.
pub fn write_jsonl(records: &[AlignedSegment], out: &mut dyn Write) -> io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
#[error("line {line_number}: {message}")]
pub struct RecordError {
    pub line_number: usize,
    pub message: String,
}

/// Reads records written by [`write_jsonl`]; blank lines are skipped.
pub fn read_jsonl(input: impl BufRead) -> Result<Vec<AlignedSegment>, RecordError> {
    let mut records = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line_number = index + 1;
        let line = line.map_err(|error| RecordError {
            line_number,
            message: error.to_string(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(&line).map_err(|error| RecordError {
            line_number,
            message: error.to_string(),
        })?;
        records.push(record);
    }
    Ok(records)
}

/// Reads a record file one record at a time (blank lines skipped): memory is one line,
/// whatever the size of the file.
pub struct RecordReader {
    path: PathBuf,
    lines: io::Lines<io::BufReader<std::fs::File>>,
    line_number: usize,
}

impl RecordReader {
    pub fn open(path: &Path) -> Result<RecordReader, RecordFileError> {
        let file = std::fs::File::open(path).map_err(|source| RecordFileError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(RecordReader {
            path: path.to_path_buf(),
            lines: io::BufReader::new(file).lines(),
            line_number: 0,
        })
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<AlignedSegment>, RecordFileError> {
        for line in self.lines.by_ref() {
            self.line_number += 1;
            let error = |message: String| RecordFileError::Record {
                path: self.path.clone(),
                line_number: self.line_number,
                message,
            };
            let line = line.map_err(|source| error(source.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            return serde_json::from_str(&line)
                .map(Some)
                .map_err(|source| error(source.to_string()));
        }
        Ok(None)
    }
}

/// The aligned record files named by `paths`: a file stands for itself, a folder for the
/// `*.jsonl` files directly inside it (hidden ones, such as `.previous/`, are skipped), in
/// name order.
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RecordFileError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| RecordFileError::Io {
            path: path.clone(),
            source,
        })?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|source| RecordFileError::Io {
            path: path.clone(),
            source,
        })?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| RecordFileError::Io {
                path: path.clone(),
                source,
            })?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let file_path = entry.path();
            if !name.starts_with('.') && name.ends_with(".jsonl") && file_path.is_file() {
                found.push(file_path);
            }
        }
        if found.is_empty() {
            return Err(RecordFileError::NoRecords { path: path.clone() });
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// Reads aligned record files (see [`record_files`]) and groups them by article. A malformed
/// line is an error naming the file and the line; an article found in two files is an error.
pub fn load_articles(paths: &[PathBuf]) -> Result<Vec<ArticleRecords>, RecordFileError> {
    let mut all = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in record_files(paths)? {
        let records = read_record_file(&file)?;
        let mut articles_here: Vec<String> = records
            .iter()
            .map(|record| record.id.article.clone())
            .collect();
        articles_here.dedup();
        for stem in articles_here {
            // the article name becomes a file name: a record must not steer a write outside
            if !crate::corpus::is_safe_stem(&stem) {
                return Err(RecordFileError::UnsafeArticleName { path: file, stem });
            }
            if let Some(other) = seen.get(&stem)
                && other != &file
            {
                return Err(RecordFileError::DuplicateArticle {
                    path: file.clone(),
                    other: other.clone(),
                    stem,
                });
            }
            seen.insert(stem, file.clone());
        }
        all.extend(records);
    }
    Ok(ArticleRecords::group(all))
}

/// Reads one JSON lines file of aligned records.
pub fn read_record_file(path: &Path) -> Result<Vec<AlignedSegment>, RecordFileError> {
    let file = std::fs::File::open(path).map_err(|source| RecordFileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_jsonl(io::BufReader::new(file)).map_err(|error| RecordFileError::record(path, error))
}

/// Writes `<out>/<stem>.jsonl` for every article, each atomically.
pub fn write_article_files(
    out_dir: &Path,
    records: &[ArticleRecords],
) -> Result<Vec<PathBuf>, RecordFileError> {
    std::fs::create_dir_all(out_dir).map_err(|source| RecordFileError::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(records.len());
    for article in records {
        written.push(write_article_file(out_dir, article)?);
    }
    Ok(written)
}

/// Writes `<dir>/<stem>.jsonl` for one article, atomically; returns its path.
pub fn write_article_file(
    dir: &Path,
    article: &ArticleRecords,
) -> Result<PathBuf, RecordFileError> {
    let path = dir.join(format!("{}.jsonl", article.stem));
    let mut buffer = Vec::new();
    write_jsonl(&article.records, &mut buffer)
        .and_then(|()| write_atomic(&path, &buffer))
        .map_err(|source| RecordFileError::Write {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}
