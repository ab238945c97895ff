//! Where reviewed work is kept: the reviewed memory (`translations/reviewed.tmx`, the approved
//! source → English pairs the next `translate` uses before any engine) and the run's record
//! files (`<stem>.jsonl`), both replaced atomically so that a file is always either the old one
//! or the whole new one.
//!
//! `review import` and `review serve` both store through here, and this is the only review code
//! that reads or writes TMX (through [`crate::tmx::read`] and [`crate::tmx::write`]). Must not
//! decide which edits to accept or check them against the glossary.

use crate::corpus::write_atomic;
use crate::record::{AlignedSegment, write_jsonl};
use crate::tmx::{self, TranslationUnit};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The `prop` type that carries a reviewed unit's status (TMX leaves `x-` types to tools).
const STATUS_PROP: &str = "x-selaras-status";

/// How far a reviewer took a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// Checked and corrected by a reviewer.
    Reviewed,
    /// Signed off: not to be changed again without reason.
    Final,
}

impl ReviewStatus {
    /// The lower-case name used in files and the HTTP API.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Reviewed => "reviewed",
            ReviewStatus::Final => "final",
        }
    }

    /// Reads a name written by [`ReviewStatus::as_str`].
    pub fn parse(text: &str) -> Option<ReviewStatus> {
        match text {
            "reviewed" => Some(ReviewStatus::Reviewed),
            "final" => Some(ReviewStatus::Final),
            _ => None,
        }
    }
}

/// One approved pair of the reviewed memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedEntry {
    /// The Indonesian segment, trimmed: the key the next `translate` looks up.
    pub source: String,
    /// The reviewer's English.
    pub target: String,
    pub status: ReviewStatus,
}

/// The contents of a reviewed memory file: selaras's pairs, and the units of other language
/// pairs, kept as they are so that a save never drops somebody else's work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewedPairs {
    /// One entry per source text, in file order.
    pub entries: Vec<ReviewedEntry>,
    other_units: Vec<TranslationUnit>,
}

impl ReviewedPairs {
    /// Adds an entry or replaces the one with the same source text; returns whether anything
    /// changed.
    pub fn upsert(&mut self, entry: ReviewedEntry) -> bool {
        match self
            .entries
            .iter_mut()
            .find(|existing| existing.source == entry.source)
        {
            Some(existing) if *existing == entry => false,
            Some(existing) => {
                *existing = entry;
                true
            }
            None => {
                self.entries.push(entry);
                true
            }
        }
    }

    /// The entry for a source text.
    pub fn get(&self, source: &str) -> Option<&ReviewedEntry> {
        self.entries.iter().find(|entry| entry.source == source)
    }
}

/// Why the reviewed memory or a record file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot read the reviewed memory: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: not a valid TMX file: {source}; nothing is written over it (fix it, or restore it from a backup or version control)"
    )]
    Tmx {
        path: PathBuf,
        source: tmx::TmxError,
    },
    #[error(
        "{path}: another selaras review (import or serve) kept the reviewed memory's lock {lock} for {seconds} s; try again"
    )]
    Locked {
        path: PathBuf,
        lock: PathBuf,
        seconds: u64,
    },
    #[error(
        "{path}: segment {source_text:?} not stored: its {side} holds {character}, a control character XML 1.0 cannot carry (TMX has no way to keep it); remove it and save again"
    )]
    Unstorable {
        path: PathBuf,
        source_text: String,
        side: &'static str,
        character: String,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::error::Classified for StoreError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            // another process kept the lock: nothing to fix, try again
            StoreError::Locked { .. } => crate::error::ErrorClass::Incomplete,
            StoreError::Read { .. } | StoreError::Tmx { .. } | StoreError::Unstorable { .. } => {
                crate::error::ErrorClass::Input
            }
            StoreError::Write { source, .. } => crate::error::io_class(source),
        }
    }
}

/// The reviewed memory file of a project, for one language pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedMemory {
    /// `translations/reviewed.tmx` unless configured otherwise.
    pub path: PathBuf,
    /// The language tag of the sources (`id`).
    pub source_language: String,
    /// The language tag of the English (`en`).
    pub target_language: String,
    /// The lock file every read-modify-write of the memory takes (`review import` and
    /// `review serve` share it): `.selaras/review.lock` as the CLI sets it, else a hidden
    /// `.<file name>.lock` beside the memory.
    pub lock: PathBuf,
}

/// How long a save waits for another process's save of the same reviewed memory.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

impl ReviewedMemory {
    /// The memory at `path` for one language pair; nothing is read yet.
    pub fn new(
        path: impl Into<PathBuf>,
        source_language: impl Into<String>,
        target_language: impl Into<String>,
    ) -> ReviewedMemory {
        let path = path.into();
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "reviewed".to_string());
        ReviewedMemory {
            lock: path.with_file_name(format!(".{name}.lock")),
            path,
            source_language: source_language.into(),
            target_language: target_language.into(),
        }
    }

    /// The same memory, locked through the lock file `lock` (`.selaras/review.lock`).
    pub fn with_lock(mut self, lock: impl Into<PathBuf>) -> ReviewedMemory {
        self.lock = lock.into();
        self
    }

    /// Reads the file; a missing file is an empty memory (nobody has reviewed anything yet).
    pub fn load(&self) -> Result<ReviewedPairs, StoreError> {
        let text = match crate::corpus::read_input_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ReviewedPairs::default());
            }
            Err(source) => {
                return Err(StoreError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let memory = tmx::read(&text).map_err(|source| StoreError::Tmx {
            path: self.path.clone(),
            source,
        })?;
        let mut pairs = ReviewedPairs::default();
        for unit in memory.units {
            let source = unit.text_in(&self.source_language).map(str::trim);
            let target = unit.text_in(&self.target_language).map(str::trim);
            match (source, target) {
                (Some(source), Some(target)) if !source.is_empty() => {
                    let status = unit
                        .prop(STATUS_PROP)
                        .and_then(ReviewStatus::parse)
                        .unwrap_or(ReviewStatus::Reviewed);
                    pairs.upsert(ReviewedEntry {
                        source: source.to_string(),
                        target: target.to_string(),
                        status,
                    });
                }
                _ => pairs.other_units.push(unit),
            }
        }
        Ok(pairs)
    }

    /// Writes the pairs as TMX 1.4b through a temporary file and a rename (the folder is made
    /// when missing); when this returns, the new file is on disk.
    pub fn save(&self, pairs: &ReviewedPairs) -> Result<(), StoreError> {
        let mut units: Vec<TranslationUnit> = pairs
            .entries
            .iter()
            .map(|entry| TranslationUnit {
                id: None,
                props: vec![(STATUS_PROP.to_string(), entry.status.as_str().to_string())],
                variants: vec![
                    (self.source_language.clone(), entry.source.clone()),
                    (self.target_language.clone(), entry.target.clone()),
                ],
                ..TranslationUnit::default()
            })
            .collect();
        units.extend(pairs.other_units.iter().cloned());
        let text = tmx::write(
            &units,
            &tmx::WriteOptions {
                source_language: &self.source_language,
                creation_tool_version: env!("CARGO_PKG_VERSION"),
            },
        );
        write_creating_folder(&self.path, text.as_bytes())
    }

    /// Reads the file again, adds or replaces `entries`, and writes it back: the one step both
    /// the server and `review import` take, under the memory's lock file, so an edit saved by
    /// another process in the meantime is kept. A file that does not read as TMX (cut short,
    /// damaged) is an error, and nothing is written over it; so is an entry holding a character
    /// XML 1.0 cannot carry (nothing is stored rather than a changed text).
    pub fn store(&self, entries: &[ReviewedEntry]) -> Result<ReviewedPairs, StoreError> {
        // a character TMX cannot carry would be written changed: refuse the save instead
        for entry in entries {
            for (side, text) in [("source", &entry.source), ("target", &entry.target)] {
                if let Some(character) = crate::xml::first_forbidden(text) {
                    return Err(StoreError::Unstorable {
                        path: self.path.clone(),
                        source_text: entry.source.clone(),
                        side,
                        character: crate::xml::code_point(character),
                    });
                }
            }
        }
        let _lock = crate::corpus::wait_for_lock(&self.lock, LOCK_PATIENCE)
            .map_err(|source| StoreError::Write {
                path: self.lock.clone(),
                source,
            })?
            .ok_or_else(|| StoreError::Locked {
                path: self.path.clone(),
                lock: self.lock.clone(),
                seconds: LOCK_PATIENCE.as_secs(),
            })?;
        let mut pairs = self.load()?;
        let mut changed = false;
        for entry in entries {
            changed |= pairs.upsert(entry.clone());
        }
        if changed || !self.path.exists() {
            self.save(&pairs)?;
        }
        Ok(pairs)
    }
}

/// Writes one article's records to `<folder>/<stem>.jsonl` atomically.
pub fn write_record_file(
    folder: &Path,
    stem: &str,
    records: &[AlignedSegment],
) -> Result<PathBuf, StoreError> {
    let path = folder.join(format!("{stem}.jsonl"));
    let mut buffer = Vec::new();
    write_jsonl(records, &mut buffer).map_err(|source| StoreError::Write {
        path: path.clone(),
        source,
    })?;
    write_creating_folder(&path, &buffer)?;
    Ok(path)
}

fn write_creating_folder(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let write_error = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder).map_err(write_error)?;
    }
    write_atomic(path, contents).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: &str, target: &str, status: ReviewStatus) -> ReviewedEntry {
        ReviewedEntry {
            source: source.to_string(),
            target: target.to_string(),
            status,
        }
    }

    #[test]
    fn store_merges_by_source_and_keeps_other_pairs() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/reviewed.tmx");
        let memory = ReviewedMemory::new(&path, "id", "en");
        assert!(memory.load().unwrap().entries.is_empty(), "missing = empty");
        memory
            .store(&[entry("Satu.", "One.", ReviewStatus::Reviewed)])
            .unwrap();
        // a unit of another language pair, added by some other tool
        let text = std::fs::read_to_string(&path).unwrap().replace(
            "  </body>",
            "    <tu><tuv xml:lang=\"fr\"><seg>Un.</seg></tuv><tuv xml:lang=\"de\"><seg>Eins.</seg></tuv></tu>\n  </body>",
        );
        std::fs::write(&path, text).unwrap();
        let pairs = memory
            .store(&[
                entry("Satu.", "One!", ReviewStatus::Final),
                entry("Dua <b>&</b>.", "Two <b>&</b>.", ReviewStatus::Reviewed),
            ])
            .unwrap();
        assert_eq!(
            pairs.entries,
            [
                entry("Satu.", "One!", ReviewStatus::Final),
                entry("Dua <b>&</b>.", "Two <b>&</b>.", ReviewStatus::Reviewed),
            ]
        );
        let again = memory.load().unwrap();
        assert_eq!(again, pairs);
        assert!(std::fs::read_to_string(&path).unwrap().contains("Eins."));
        assert_eq!(ReviewStatus::parse("final"), Some(ReviewStatus::Final));
        assert_eq!(ReviewStatus::parse("ok"), None);
    }

    #[test]
    fn a_control_character_is_refused_never_stored_as_a_replacement() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("reviewed.tmx");
        let memory = ReviewedMemory::new(&path, "id", "en");
        let error = memory
            .store(&[
                entry("Satu.", "One.", ReviewStatus::Reviewed),
                entry("Dua.", "Two.\u{7}", ReviewStatus::Reviewed),
            ])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("U+0007") && error.contains("\"Dua.\""),
            "{error}"
        );
        assert!(!path.exists(), "nothing stored");
    }

    #[test]
    fn a_memory_that_does_not_parse_is_never_written_over() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("reviewed.tmx");
        let memory = ReviewedMemory::new(&path, "id", "en");
        memory
            .store(&[
                entry("Satu.", "One.", ReviewStatus::Reviewed),
                entry("Dua.", "Two.", ReviewStatus::Reviewed),
            ])
            .unwrap();
        let whole = std::fs::read_to_string(&path).unwrap();
        let cut = &whole[..whole.find("Two.").unwrap()];
        std::fs::write(&path, cut).unwrap();
        let error = memory
            .store(&[entry("Tiga.", "Three.", ReviewStatus::Reviewed)])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("reviewed.tmx") && error.contains("nothing is written"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), cut);
        assert_eq!(memory.lock, folder.path().join(".reviewed.tmx.lock"));
    }
}
