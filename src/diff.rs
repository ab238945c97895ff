//! Differences between two runs, as data, and the renderers that format them.
//!
//! [`diff_runs`] pairs the records of an old and a new run by segment id and returns which
//! segments changed (with a word-level diff of the target, from the `similar` crate), which
//! were added and which removed. [`keep_previous`] copies the current run's JSON lines into
//! `translations/.previous/` before a run overwrites them, so a diff against the previous run
//! is always available. The renderers are in `export::run_diff`. Must not render,
//! print, read settings or decide exit codes.

use crate::error::{Classified, ErrorClass};
use crate::model::SegmentId;
use crate::record::{AlignedSegment, DiffOp, Origin, word_diff};
use crate::record::{RecordFileError, read_record_file, record_files};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// The hidden folder, inside the output folder, holding the previous run's records.
pub const PREVIOUS_DIR_NAME: &str = ".previous";

#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(transparent)]
    Records(#[from] RecordFileError),
    #[error(
        "{path}: no previous run is kept yet; it appears after the next `selaras translate`, or name two runs: selaras diff OLD NEW"
    )]
    NoPrevious { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl Classified for DiffError {
    fn class(&self) -> ErrorClass {
        match self {
            DiffError::Records(error) => error.class(),
            DiffError::NoPrevious { .. } => ErrorClass::Input,
            // keeping the previous run copies files: a write failure
            DiffError::Io { source, .. } => crate::error::io_class(source),
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> DiffError + '_ {
    move |source| DiffError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The records of a run: a JSON lines file, or a folder of them (`translations/`).
pub fn load_run(path: &Path) -> Result<Vec<AlignedSegment>, DiffError> {
    let mut records = Vec::new();
    for file in record_files(&[path.to_path_buf()])? {
        records.extend(read_record_file(&file)?);
    }
    Ok(records)
}

/// The folder holding the previous run of `output_dir`; an error when there is none.
pub fn previous_run(output_dir: &Path) -> Result<PathBuf, DiffError> {
    let previous = output_dir.join(PREVIOUS_DIR_NAME);
    let has_records = std::fs::read_dir(&previous)
        .map(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().ends_with(".jsonl"))
        })
        .unwrap_or(false);
    if has_records {
        Ok(previous)
    } else {
        Err(DiffError::NoPrevious { path: previous })
    }
}

/// Copies the current run's `*.jsonl` files from `output_dir` into `output_dir/.previous/`,
/// replacing what was kept before, and returns how many files were kept. The copy is built
/// in a temporary folder beside it and renamed into place, so `.previous/` always holds one
/// whole run. With no records in `output_dir` (a first run) nothing changes.
pub fn keep_previous(output_dir: &Path) -> Result<usize, DiffError> {
    let files = match record_files(&[output_dir.to_path_buf()]) {
        Ok(files) => files,
        Err(RecordFileError::NoRecords { .. }) => return Ok(0),
        Err(RecordFileError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            return Ok(0);
        }
        Err(error) => return Err(error.into()),
    };
    let staging = tempfile::Builder::new()
        .prefix(".selaras-previous-new-")
        .tempdir_in(output_dir)
        .map_err(io_error(output_dir))?;
    for file in &files {
        let Some(name) = file.file_name() else {
            continue;
        };
        let copy = staging.path().join(name);
        std::fs::copy(file, &copy).map_err(io_error(file))?;
    }
    let previous = output_dir.join(PREVIOUS_DIR_NAME);
    // Move the old copy aside (into an empty folder name of our own), put the new one in
    // place, then delete the old one.
    let retired = tempfile::Builder::new()
        .prefix(".selaras-previous-old-")
        .tempdir_in(output_dir)
        .map_err(io_error(output_dir))?;
    let retired_path = retired.path().join("run");
    let had_previous = previous.exists();
    if had_previous {
        std::fs::rename(&previous, &retired_path).map_err(io_error(&previous))?;
    }
    let staging_path = staging.keep();
    if let Err(source) = std::fs::rename(&staging_path, &previous) {
        if had_previous {
            let _ = std::fs::rename(&retired_path, &previous);
        }
        let _ = std::fs::remove_dir_all(&staging_path);
        return Err(DiffError::Io {
            path: previous,
            source,
        });
    }
    drop(retired);
    Ok(files.len())
}

/// A segment in only one of the two runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSnapshot {
    pub id: SegmentId,
    pub source: String,
    pub target: Option<String>,
    pub origin: Origin,
}

impl SegmentSnapshot {
    fn of(record: &AlignedSegment) -> Self {
        SegmentSnapshot {
            id: record.id.clone(),
            source: record.source.clone(),
            target: record.target.clone(),
            origin: record.origin,
        }
    }
}

/// A segment whose source or target differs between the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedSegment {
    pub id: SegmentId,
    /// The source in the new run.
    pub source: String,
    /// The source in the old run, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_source: Option<String>,
    pub old_target: Option<String>,
    pub new_target: Option<String>,
    pub old_origin: Origin,
    pub new_origin: Origin,
    pub old_violations: usize,
    pub new_violations: usize,
    /// Word diff from the old target to the new one.
    pub words: Vec<DiffOp>,
    /// Word diff from the old source to the new one, when the source changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_words: Vec<DiffOp>,
}

/// Counts of a run diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub unchanged: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
}

/// What changed from one run to the next, in segment id order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDiff {
    pub summary: DiffSummary,
    pub changed: Vec<ChangedSegment>,
    pub added: Vec<SegmentSnapshot>,
    pub removed: Vec<SegmentSnapshot>,
}

impl RunDiff {
    /// True when the runs hold the same segments with the same text.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares two runs segment by segment. A segment counts as changed when its source or its
/// target text differs; a change of origin alone (engine → cache) is not a difference.
pub fn diff_runs(old: &[AlignedSegment], new: &[AlignedSegment]) -> RunDiff {
    let old_by_id: BTreeMap<&SegmentId, &AlignedSegment> =
        old.iter().map(|record| (&record.id, record)).collect();
    let new_by_id: BTreeMap<&SegmentId, &AlignedSegment> =
        new.iter().map(|record| (&record.id, record)).collect();
    let mut diff = RunDiff {
        summary: DiffSummary::default(),
        changed: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
    };
    for (id, new_record) in &new_by_id {
        let Some(old_record) = old_by_id.get(id) else {
            diff.added.push(SegmentSnapshot::of(new_record));
            continue;
        };
        let source_changed = old_record.source != new_record.source;
        if !source_changed && old_record.target == new_record.target {
            diff.summary.unchanged += 1;
            continue;
        }
        let old_target = old_record.target.as_deref().unwrap_or_default();
        let new_target = new_record.target.as_deref().unwrap_or_default();
        diff.changed.push(ChangedSegment {
            id: (*id).clone(),
            source: new_record.source.clone(),
            old_source: source_changed.then(|| old_record.source.clone()),
            old_target: old_record.target.clone(),
            new_target: new_record.target.clone(),
            old_origin: old_record.origin,
            new_origin: new_record.origin,
            old_violations: old_record.violations.len(),
            new_violations: new_record.violations.len(),
            words: word_diff(old_target, new_target),
            source_words: if source_changed {
                word_diff(&old_record.source, &new_record.source)
            } else {
                Vec::new()
            },
        });
    }
    for (id, old_record) in &old_by_id {
        if !new_by_id.contains_key(id) {
            diff.removed.push(SegmentSnapshot::of(old_record));
        }
    }
    diff.summary.changed = diff.changed.len();
    diff.summary.added = diff.added.len();
    diff.summary.removed = diff.removed.len();
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::run_diff::{RunLabels, render_text, render_unified};
    use crate::model::{BlockKind, Segment, Span};

    fn record(block: usize, source: &str, target: Option<&str>) -> AlignedSegment {
        let mut record = AlignedSegment::untranslated(&Segment {
            id: SegmentId::new("a", block, 1),
            kind: BlockKind::Paragraph,
            text: source.to_string(),
            span: Span::new(0, source.len()),
            translatable: true,
        });
        record.target = target.map(str::to_string);
        record.origin = if target.is_some() {
            Origin::Engine
        } else {
            Origin::None
        };
        record
    }

    #[test]
    fn runs_pair_by_id() {
        let old = [
            record(1, "Presiden datang.", Some("The President came.")),
            record(2, "Menlu berkata.", Some("The Foreign Minister said.")),
            record(3, "Hilang.", Some("Gone.")),
            record(10, "Belum.", None),
        ];
        let mut same_text = record(1, "Presiden datang.", Some("The President came."));
        same_text.origin = Origin::Cache;
        let new = [
            same_text,
            record(
                2,
                "Menlu berkata.",
                Some("The Minister of Foreign Affairs said."),
            ),
            record(4, "Baru.", Some("New.")),
            record(10, "Belum.", Some("Not yet.")),
        ];
        let diff = diff_runs(&old, &new);
        assert_eq!(
            diff.summary,
            DiffSummary {
                unchanged: 1,
                changed: 2,
                added: 1,
                removed: 1
            }
        );
        assert_eq!(diff.changed[0].id, SegmentId::new("a", 2, 1));
        assert_eq!(
            diff.changed[1].id,
            SegmentId::new("a", 10, 1),
            "numeric id order"
        );
        assert_eq!(diff.added[0].id, SegmentId::new("a", 4, 1));
        assert_eq!(diff.removed[0].id, SegmentId::new("a", 3, 1));
        let mut text = Vec::new();
        let labels = RunLabels {
            old: "old".to_string(),
            new: "new".to_string(),
        };
        render_text(&diff, &labels, false, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.contains("  The {+Minister of +}Foreign [-Minister-]{+Affairs+} said.\n"),
            "{text}"
        );
        assert!(
            text.ends_with("2 changed, 1 added, 1 removed, 1 unchanged\n"),
            "{text}"
        );
        assert!(!text.contains('\x1b'), "no escape codes without color");
        let mut colored = Vec::new();
        render_text(&diff, &labels, true, &mut colored).unwrap();
        assert!(
            String::from_utf8(colored)
                .unwrap()
                .contains("\x1b[4;32mAffairs\x1b[0m")
        );
        assert!(diff_runs(&old, &old).is_empty());
    }

    #[test]
    fn unified_diff_has_headers_for_added_and_removed_segments() {
        let old = [
            record(1, "Satu.", Some("One.")),
            record(2, "Dua.", Some("Two.")),
        ];
        let new = [
            record(1, "Satu.", Some("One!")),
            record(3, "Tiga.", Some("Three.")),
        ];
        let mut out = Vec::new();
        render_unified(&diff_runs(&old, &new), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "--- a/a:1.1\n+++ b/a:1.1\n@@ -1 +1 @@\n-One.\n+One!\n\
             --- a/a:2.1\n+++ /dev/null\n@@ -1 +0,0 @@\n-Two.\n\
             --- /dev/null\n+++ b/a:3.1\n@@ -0,0 +1 @@\n+Three.\n"
        );
    }

    #[test]
    fn keep_previous_replaces_the_whole_copy() {
        let folder = tempfile::tempdir().unwrap();
        let output = folder.path();
        assert_eq!(keep_previous(&output.join("missing")).unwrap(), 0);
        assert_eq!(
            keep_previous(output).unwrap(),
            0,
            "a first run keeps nothing"
        );
        assert!(previous_run(output).is_err());
        std::fs::write(output.join("a.jsonl"), "first a\n").unwrap();
        std::fs::write(output.join("b.jsonl"), "first b\n").unwrap();
        std::fs::write(output.join("a.html"), "not a record").unwrap();
        assert_eq!(keep_previous(output).unwrap(), 2);
        std::fs::remove_file(output.join("b.jsonl")).unwrap();
        std::fs::write(output.join("a.jsonl"), "second a\n").unwrap();
        assert_eq!(keep_previous(output).unwrap(), 1);
        let previous = previous_run(output).unwrap();
        let mut kept: Vec<String> = std::fs::read_dir(&previous)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        kept.sort();
        assert_eq!(kept, ["a.jsonl"], "b.jsonl of the older run is gone");
        assert_eq!(
            std::fs::read_to_string(previous.join("a.jsonl")).unwrap(),
            "second a\n"
        );
        let leftovers: Vec<String> = std::fs::read_dir(output)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".previous-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
