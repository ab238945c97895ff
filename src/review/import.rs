//! `review import`: which segments of a reviewer's edited TSV, XLIFF 2 or XLIFF 1.2 become
//! approved memory.
//!
//! Each segment of the file is compared with the run's record of the same id: a changed target
//! marked `reviewed` or `final` is an edit; an unchanged one is an approval only when the
//! reviewer raised its state above the one it was exported with (so the approved memory,
//! exported `final`, never comes back as approvals); a changed target whose status was left
//! alone is named in the report and not imported (unless [`ImportOptions::all_edits`]); a
//! segment whose source no longer matches the run (a CAT tool joined or split it — a join is
//! named as one), that names no segment of the run, or whose target holds a character XML 1.0
//! cannot carry (it could not be stored in the TMX memory unchanged) is reported by id, without
//! refusing the rest of the file. A changed target that repeats the old one after the new text,
//! or every glossary term twice (Translate Toolkit's XLIFF rewrite garbles targets holding
//! inline markup that way), is left out with a warning ([`super::garble`]). Accepted segments
//! are re-checked against the glossary, stored in the reviewed memory ([`super::store`]) and
//! measured against the engine's output.
//!
//! Takes resolved options and returns a report; must not print or read the configuration.

use super::check::load_verifier;
use super::store::{ReviewStatus, ReviewedEntry, ReviewedMemory, StoreError};
use super::{
    EditReport, ReviewEdit, ReviewError, ReviewState, edit_distances, exported_state,
    read_review_file,
};
use crate::glossary::{GlossaryError, Violation};
use crate::model::SegmentId;
use crate::record::AlignedSegment;
use crate::record::{RecordFileError, load_articles};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// Everything an import needs, resolved by the caller.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The reviewer's file (`.tsv`, `.xlf`, `.xliff`).
    pub file: PathBuf,
    /// The run's records: the output folder, or one `.jsonl` file.
    pub records: PathBuf,
    /// Where approved edits go.
    pub memory: ReviewedMemory,
    /// The glossaries in force, to re-check every accepted edit.
    pub glossary_files: Vec<PathBuf>,
    /// Import every changed target as reviewed, whatever its status says.
    pub all_edits: bool,
}

/// A changed target left out because its status was not `reviewed` or `final`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmarkedEdit {
    pub id: SegmentId,
    /// The 1-based line of the segment in the file.
    pub line_number: usize,
}

/// A segment of the file that does not match the run, with what the reviewer can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The segment id, or the file's own ids when they name no selaras segment.
    pub id: String,
    /// The 1-based line of the segment in the file.
    pub line_number: usize,
    /// What does not match, as a clause after the id ("its source differs …").
    pub reason: String,
    /// What the reviewer can do.
    pub advice: String,
}

/// A changed target left out because it looks garbled by the tool that wrote the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspectEdit {
    pub id: SegmentId,
    /// The 1-based line of the segment in the file.
    pub line_number: usize,
    /// What looks wrong, as a clause after the id.
    pub reason: String,
}

/// The glossary findings on one imported segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditViolations {
    pub id: SegmentId,
    /// The glossary violations of the imported English.
    pub violations: Vec<Violation>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The reviewer's file.
    pub file: PathBuf,
    /// The reviewed memory written.
    pub memory: PathBuf,
    /// Segments stored in the reviewed memory (`edits + approvals`).
    pub imported: usize,
    /// Imported segments whose target the reviewer changed.
    pub edits: usize,
    /// Imported segments whose status the reviewer changed, target unchanged.
    pub approvals: usize,
    /// Other segments of the run with the same source as an imported one and a different
    /// target: the next `translate` gives them the imported English too.
    pub propagations: usize,
    /// Segments left out because they were neither changed nor marked.
    pub unchanged: usize,
    /// Changed targets left out because their status was not `reviewed` or `final`.
    pub unmarked_edits: Vec<UnmarkedEdit>,
    /// Segments that no longer match the run; the reviewer has to act on each.
    pub mismatched: Vec<Mismatch>,
    /// Changed targets left out because they look garbled (the old target appended to the
    /// new one, every glossary term twice).
    pub suspect: Vec<SuspectEdit>,
    /// Imported segments whose English breaks the glossary (imported all the same).
    pub violations: Vec<EditViolations>,
    /// How far the reviewer moved each imported segment from the engine's output.
    pub edit_distance: EditReport,
}

impl ImportReport {
    /// Whether anything needs the reviewer's attention (exit 1): glossary violations in an
    /// imported edit, segments that could not be matched with the run or stored,
    /// and garbled-looking targets left out.
    pub fn has_findings(&self) -> bool {
        !self.violations.is_empty() || !self.mismatched.is_empty() || !self.suspect.is_empty()
    }
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error("cannot read the run's records to compare the review with (use --records): {0}")]
    Records(#[source] RecordFileError),
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl crate::error::Classified for ImportError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            ImportError::Records(error) => error.class(),
            ImportError::Store(error) => error.class(),
            ImportError::Review(ReviewError::Read { source, .. }) => crate::error::io_class(source),
            ImportError::Review(_) | ImportError::Glossary(_) => crate::error::ErrorClass::Input,
        }
    }
}

const MISMATCH_ADVICE: &str = "the segment was joined, split or re-exported in another tool: restore the segment as exported (or export the run again and reapply this edit), then import again; or make the edit in `selaras review serve`";

/// Imports a reviewed file; see the module documentation for which segments are accepted.
pub fn import_review(options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let file = read_review_file(&options.file)?;
    let run_records: Vec<AlignedSegment> = load_articles(std::slice::from_ref(&options.records))
        .map_err(ImportError::Records)?
        .into_iter()
        .flat_map(|article| article.records)
        .collect();
    let by_id: HashMap<&SegmentId, &AlignedSegment> = run_records
        .iter()
        .map(|record| (&record.id, record))
        .collect();

    let mut mismatched: Vec<Mismatch> = file
        .unnamed
        .iter()
        .map(|unit| Mismatch {
            id: unit.description.clone(),
            line_number: unit.line_number,
            reason: "does not name a selaras segment (file = article, unit = block number, segment = index)".to_string(),
            advice: MISMATCH_ADVICE.to_string(),
        })
        .collect();
    let mut accepted: Vec<(&ReviewEdit, &AlignedSegment, bool)> = Vec::new();
    let mut unmarked_edits = Vec::new();
    let mut suspect = Vec::new();
    let mut unchanged = 0;
    for edit in &file.edits {
        // an id whose article is a path (`../../etc/passwd:1.1`, `/tmp/x:1.1`) is no id of any
        // run: refused by itself, whatever its source text says
        if !crate::corpus::is_safe_stem(&edit.id.article) {
            mismatched.push(Mismatch {
                id: edit.id.to_string(),
                line_number: edit.line_number,
                reason:
                    "is not a valid segment id (an article name is a plain file name, never a path)"
                        .to_string(),
                advice:
                    "remove the row; ids are written by `selaras export` and must not be changed"
                        .to_string(),
            });
            continue;
        }
        let Some(record) = by_id.get(&edit.id) else {
            mismatched.push(Mismatch {
                id: edit.id.to_string(),
                line_number: edit.line_number,
                reason: "is not a segment of the run".to_string(),
                advice: MISMATCH_ADVICE.to_string(),
            });
            continue;
        };
        if !edit.source.is_empty() && edit.source.trim() != record.source.trim() {
            let reason = match joined_with(&edit.source, record, &run_records) {
                Some(last) => format!(
                    "holds segments {} to {last} joined into one (a CAT tool's merge); selaras keeps one target per segment",
                    edit.id
                ),
                None => "its source differs from the run's segment".to_string(),
            };
            mismatched.push(Mismatch {
                id: edit.id.to_string(),
                line_number: edit.line_number,
                reason,
                advice: MISMATCH_ADVICE.to_string(),
            });
            continue;
        }
        let changed = record.target.as_deref().map(str::trim) != Some(edit.target.trim());
        let marked = matches!(edit.state, ReviewState::Reviewed | ReviewState::Final);
        // only a state above the exported one approves: approved memory is exported `final`,
        // so a file signed off as a whole (or marked `reviewed` by a tool) brings none of it back
        let approved = marked && edit.state > exported_state(record, file.format);
        if changed
            && (marked || options.all_edits)
            && let Some(character) = crate::xml::first_forbidden(&edit.target)
        {
            mismatched.push(Mismatch {
                id: edit.id.to_string(),
                line_number: edit.line_number,
                reason: format!(
                    "its target holds {}, a control character XML 1.0 cannot carry, so the reviewed memory (TMX) cannot store it unchanged",
                    crate::xml::code_point(character)
                ),
                advice: "remove the character from the target (in XLIFF 2 a <cp hex=…/>, in XLIFF 1.2 an <x ctype=\"x-selaras-cp\"/>) and import again".to_string(),
            });
            continue;
        }
        if changed
            && (marked || options.all_edits)
            && let Some(reason) = super::garble::garbled(record, &edit.target)
        {
            suspect.push(SuspectEdit {
                id: edit.id.clone(),
                line_number: edit.line_number,
                reason,
            });
            continue;
        }
        match (marked, changed) {
            (true, true) => accepted.push((edit, record, true)),
            (true, false) if approved => accepted.push((edit, record, false)),
            (true, false) => unchanged += 1,
            (false, true) if options.all_edits => accepted.push((edit, record, true)),
            (false, true) => unmarked_edits.push(UnmarkedEdit {
                id: edit.id.clone(),
                line_number: edit.line_number,
            }),
            (false, false) => unchanged += 1,
        }
    }

    let verifier = load_verifier(
        &options.glossary_files,
        &options.memory.source_language,
        &options.memory.target_language,
    )?;
    let violations: Vec<EditViolations> = accepted
        .iter()
        .filter_map(|(edit, record, _)| {
            let verdict = verifier
                .as_ref()?
                .verify(&record.source, Some(edit.target.trim()));
            (!verdict.violations.is_empty()).then(|| EditViolations {
                id: edit.id.clone(),
                violations: verdict.violations,
            })
        })
        .collect();

    let entries: Vec<ReviewedEntry> = accepted
        .iter()
        .map(|(edit, record, _)| ReviewedEntry {
            source: record.source.trim().to_string(),
            target: edit.target.trim().to_string(),
            status: if edit.state == ReviewState::Final {
                ReviewStatus::Final
            } else {
                ReviewStatus::Reviewed
            },
        })
        .collect();
    if !entries.is_empty() {
        options.memory.store(&entries)?;
    }

    let imported_ids: BTreeSet<&SegmentId> = accepted.iter().map(|(edit, _, _)| &edit.id).collect();
    let new_target: HashMap<&str, &str> = entries
        .iter()
        .map(|entry| (entry.source.as_str(), entry.target.as_str()))
        .collect();
    let propagations = run_records
        .iter()
        .filter(|record| record.translatable && !imported_ids.contains(&record.id))
        .filter(|record| {
            new_target
                .get(record.source.trim())
                .is_some_and(|target| record.target.as_deref().map(str::trim) != Some(*target))
        })
        .count();
    let edits = accepted.iter().filter(|(_, _, changed)| *changed).count();
    let accepted_edits: Vec<ReviewEdit> = accepted
        .iter()
        .map(|(edit, _, _)| (*edit).clone())
        .collect();
    Ok(ImportReport {
        file: options.file.clone(),
        memory: options.memory.path.clone(),
        imported: accepted.len(),
        edits,
        approvals: accepted.len() - edits,
        propagations,
        unchanged,
        unmarked_edits,
        mismatched,
        suspect,
        violations,
        edit_distance: edit_distances(&run_records, &accepted_edits),
    })
}

/// When `source` is `record`'s source followed by the sources of the next segments of its
/// block (joined by white space, as a CAT tool's merge of the segments and the `<ignorable>`
/// space between them gives it), the id of the last segment it holds.
fn joined_with(source: &str, record: &AlignedSegment, run: &[AlignedSegment]) -> Option<SegmentId> {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let wanted = words(source);
    let start = run.iter().position(|other| other.id == record.id)?;
    let mut joined = words(&record.source);
    for next in run[start + 1..]
        .iter()
        .take_while(|next| next.id.article == record.id.article && next.id.block == record.id.block)
    {
        joined = format!("{joined} {}", words(&next.source));
        if joined == wanted {
            return Some(next.id.clone());
        }
        if !wanted.starts_with(&joined) {
            return None;
        }
    }
    None
}
