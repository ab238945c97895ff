//! The parsing half of the review round trip: a reviewer's edited TSV, XLIFF 2 or XLIFF 1.2 →
//! a list of [`ReviewEdit`]s, and how much post-editing the engine needed (word- and
//! character-level Levenshtein distance between the engine's output and the reviewer's version,
//! per segment and per article).
//!
//! The submodules do the rest: [`import`] decides which edits of a file to accept (with
//! [`garble`] spotting targets a tool garbled), [`check`] applies an edit to a record and
//! re-checks it, [`store`] keeps the reviewed memory and the
//! record files, and [`serve`] is the review workspace in the browser. This file only parses
//! and measures: it must not store anything or check the glossary.

pub mod check;
pub mod garble;
pub mod import;
pub mod serve;
pub mod store;

use crate::export::tsv;
use crate::export::xliff::{self, SegmentState};
use crate::export::xliff12;
use crate::model::SegmentId;
use crate::record::AlignedSegment;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The state a reviewer gave a segment (XLIFF's four states; TSV statuses map onto them).
pub type ReviewState = SegmentState;

/// The state a record has in an export of `format`, before anybody touched it.
pub fn exported_state(record: &AlignedSegment, format: ReviewFormat) -> ReviewState {
    match format {
        // the TSV says `ok` for approved memory too, but it is approved already: marking it
        // `reviewed` or `final` must not copy it into the reviewed memory
        ReviewFormat::Tsv if xliff::state_of(record).0 == SegmentState::Final => {
            SegmentState::Final
        }
        ReviewFormat::Tsv => {
            state_from_status(record.status().as_str()).unwrap_or(SegmentState::Initial)
        }
        // XLIFF 1.2 maps the same four states onto its own names
        ReviewFormat::Xliff | ReviewFormat::Xliff12 => xliff::state_of(record).0,
    }
}

/// One segment of a reviewed file: the target as the reviewer left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewEdit {
    pub id: SegmentId,
    /// The source as the file has it, to detect a review of an outdated export.
    pub source: String,
    pub target: String,
    pub state: ReviewState,
    /// The 1-based line of the segment in the file, for messages.
    pub line_number: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line_number}: {message}")]
    Parse {
        path: PathBuf,
        line_number: usize,
        message: String,
    },
}

/// Which reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFormat {
    Tsv,
    /// XLIFF 2.x.
    Xliff,
    /// XLIFF 1.x (the `xliff12` export, or a tool's own).
    Xliff12,
}

impl ReviewFormat {
    /// By extension (`.tsv`, `.xlf`, `.xliff`, `.xml`), else by content (XML starts with `<`);
    /// an XLIFF file whose root says `version="1.x"` is XLIFF 1.2.
    pub fn detect(path: &Path, text: &str) -> ReviewFormat {
        let extension = path
            .extension()
            .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
        let xml = match extension.as_deref() {
            Some("tsv") => false,
            Some("xlf" | "xliff" | "xml") => true,
            _ => text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('<'),
        };
        if !xml {
            ReviewFormat::Tsv
        } else if xliff12::root_version(text).is_some_and(|version| version.starts_with("1.")) {
            ReviewFormat::Xliff12
        } else {
            ReviewFormat::Xliff
        }
    }
}

/// A reviewed file as read: the segments it names, and the units that name no selaras segment
/// (a CAT tool split or renumbered them), which are reported rather than refusing the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFile {
    /// Which export the file is, so that a state can be compared with the one exported.
    pub format: ReviewFormat,
    /// The segments with a target, in file order.
    pub edits: Vec<ReviewEdit>,
    /// Units whose ids name no selaras segment.
    pub unnamed: Vec<UnnamedUnit>,
}

/// A unit of a reviewed XLIFF file whose ids do not name a selaras segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnnamedUnit {
    /// The 1-based line of the segment in the file.
    pub line_number: usize,
    /// `file`, `unit` and `segment` ids as the file has them.
    pub description: String,
}

/// Reads a reviewed TSV or XLIFF export and returns the translatable segments that have a
/// target, in file order. Non-translatable and empty segments are left out. A damaged file,
/// an unknown status or state, a segment listed twice, or a unit that names no selaras segment
/// is an error naming the line (see [`read_review_file`] for the lenient reading).
pub fn read_review_edits(path: &Path) -> Result<Vec<ReviewEdit>, ReviewError> {
    let file = read_review_file(path)?;
    match file.unnamed.first() {
        Some(unit) => Err(ReviewError::Parse {
            path: path.to_path_buf(),
            line_number: unit.line_number,
            message: format!(
                "{} does not name a selaras segment (file = article, unit = block number, segment = index)",
                unit.description
            ),
        }),
        None => Ok(file.edits),
    }
}

/// Like [`read_review_edits`], but units that name no selaras segment are returned in
/// [`ReviewFile::unnamed`] instead of failing the whole file.
pub fn read_review_file(path: &Path) -> Result<ReviewFile, ReviewError> {
    let text = crate::corpus::read_input_to_string(path).map_err(|source| ReviewError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let parse_error = |line_number: usize, message: String| ReviewError::Parse {
        path: path.to_path_buf(),
        line_number,
        message,
    };
    let file = match ReviewFormat::detect(path, &text) {
        ReviewFormat::Tsv => ReviewFile {
            format: ReviewFormat::Tsv,
            edits: edits_from_tsv(&text).map_err(|error| parse_error(error.0, error.1))?,
            unnamed: Vec::new(),
        },
        ReviewFormat::Xliff => {
            edits_from_xliff(&text).map_err(|error| parse_error(error.0, error.1))?
        }
        ReviewFormat::Xliff12 => {
            edits_from_xliff12(&text).map_err(|error| parse_error(error.0, error.1))?
        }
    };
    let mut seen: BTreeMap<&SegmentId, usize> = BTreeMap::new();
    for edit in &file.edits {
        if let Some(first) = seen.insert(&edit.id, edit.line_number) {
            return Err(parse_error(
                edit.line_number,
                format!("segment {} is already on line {first}", edit.id),
            ));
        }
    }
    Ok(file)
}

/// The state a TSV status stands for.
fn state_from_status(status: &str) -> Option<ReviewState> {
    Some(match status.to_ascii_lowercase().as_str() {
        "untranslated" | "violations" | "initial" => SegmentState::Initial,
        "ok" | "fixed" | "translated" => SegmentState::Translated,
        "reviewed" => SegmentState::Reviewed,
        "final" => SegmentState::Final,
        _ => return None,
    })
}

fn edits_from_tsv(text: &str) -> Result<Vec<ReviewEdit>, (usize, String)> {
    let rows = tsv::read(text).map_err(|error| (error.line_number, error.message))?;
    let mut edits = Vec::new();
    for row in rows {
        if row.status == "not-translatable" {
            continue;
        }
        let state = state_from_status(&row.status).ok_or_else(|| {
            (
                row.line_number,
                format!(
                    "status {:?} is not one of ok, fixed, violations, untranslated, reviewed, final",
                    row.status
                ),
            )
        })?;
        let Some(target) = row.target.filter(|target| !target.trim().is_empty()) else {
            continue;
        };
        edits.push(ReviewEdit {
            id: row.id,
            source: row.source,
            target,
            state,
            line_number: row.line_number,
        });
    }
    Ok(edits)
}

fn edits_from_xliff(text: &str) -> Result<ReviewFile, (usize, String)> {
    let document = xliff::read(text).map_err(|error| (error.line_number, error.message))?;
    let mut file = ReviewFile {
        format: ReviewFormat::Xliff,
        edits: Vec::new(),
        unnamed: Vec::new(),
    };
    for segment in document.segments {
        if !segment.translate {
            continue;
        }
        let Some(target) = segment.target.filter(|target| !target.trim().is_empty()) else {
            continue;
        };
        let block: Option<usize> = segment.unit_id.parse().ok();
        let index: Option<usize> = segment.segment_id.as_deref().and_then(|id| id.parse().ok());
        let id = match (block, index) {
            (Some(block), Some(index)) if block > 0 && index > 0 && !segment.file_id.is_empty() => {
                SegmentId::new(segment.file_id.clone(), block, index)
            }
            _ => {
                file.unnamed.push(UnnamedUnit {
                    line_number: segment.line_number,
                    description: format!(
                        "file {:?}, unit {:?}, segment {:?}",
                        segment.file_id,
                        segment.unit_id,
                        segment.segment_id.unwrap_or_default()
                    ),
                });
                continue;
            }
        };
        file.edits.push(ReviewEdit {
            id,
            source: segment.source,
            target,
            state: segment.state,
            line_number: segment.line_number,
        });
    }
    Ok(file)
}

fn edits_from_xliff12(text: &str) -> Result<ReviewFile, (usize, String)> {
    let units = xliff12::read(text).map_err(|error| (error.line_number, error.message))?;
    let mut file = ReviewFile {
        format: ReviewFormat::Xliff12,
        edits: Vec::new(),
        unnamed: Vec::new(),
    };
    for unit in units {
        if !unit.translate {
            continue;
        }
        let Some(target) = unit.target.filter(|target| !target.trim().is_empty()) else {
            continue;
        };
        match SegmentId::parse(&unit.id) {
            Some(id) => file.edits.push(ReviewEdit {
                id,
                source: unit.source,
                target,
                state: unit.state,
                line_number: unit.line_number,
            }),
            None => file.unnamed.push(UnnamedUnit {
                line_number: unit.line_number,
                description: format!("file {:?}, trans-unit {:?}", unit.file_original, unit.id),
            }),
        }
    }
    Ok(file)
}

/// Levenshtein distances between two versions of a text, and the length of the reviewed one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EditDistance {
    /// Word insertions, deletions and substitutions (words split at white space).
    pub words: usize,
    /// Words in the reviewed version.
    pub word_count: usize,
    /// Character (Unicode scalar) insertions, deletions and substitutions.
    pub characters: usize,
    /// Characters in the reviewed version.
    pub character_count: usize,
}

impl EditDistance {
    /// The distance from the engine's output to the reviewer's version.
    pub fn between(engine: &str, reviewed: &str) -> Self {
        let engine_words: Vec<&str> = engine.split_whitespace().collect();
        let reviewed_words: Vec<&str> = reviewed.split_whitespace().collect();
        EditDistance {
            words: strsim::generic_levenshtein(&engine_words, &reviewed_words),
            word_count: reviewed_words.len(),
            characters: strsim::levenshtein(engine, reviewed),
            character_count: reviewed.chars().count(),
        }
    }

    /// Word edits per word of the reviewed version (the HTER convention); 0 for empty text.
    pub fn word_rate(&self) -> f64 {
        rate(self.words, self.word_count)
    }

    /// Character edits per character of the reviewed version.
    pub fn character_rate(&self) -> f64 {
        rate(self.characters, self.character_count)
    }

    fn add(&mut self, other: &EditDistance) {
        self.words += other.words;
        self.word_count += other.word_count;
        self.characters += other.characters;
        self.character_count += other.character_count;
    }
}

fn rate(edits: usize, length: usize) -> f64 {
    if length == 0 {
        if edits == 0 { 0.0 } else { 1.0 }
    } else {
        edits as f64 / length as f64
    }
}

/// How far a reviewer moved one segment from the engine's output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentEditDistance {
    pub id: SegmentId,
    /// What the engine (or memory) produced, before glossary fixes.
    pub engine: String,
    pub reviewed: String,
    pub distance: EditDistance,
}

/// The post-editing effort of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleEditDistance {
    pub article: String,
    pub segments: Vec<SegmentEditDistance>,
    /// Segments the reviewer changed at all.
    pub edited_segments: usize,
    pub total: EditDistance,
}

/// Edit distances of a review, by article, and the edits whose segment is not in the records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditReport {
    pub articles: Vec<ArticleEditDistance>,
    pub unknown: Vec<SegmentId>,
}

/// Compares each edit with the engine output of its segment (`raw`, or the target when the
/// record has no raw output, as for memory hits). Segments with neither are skipped.
pub fn edit_distances(records: &[AlignedSegment], edits: &[ReviewEdit]) -> EditReport {
    let by_id: BTreeMap<&SegmentId, &AlignedSegment> =
        records.iter().map(|record| (&record.id, record)).collect();
    let mut articles: BTreeMap<String, ArticleEditDistance> = BTreeMap::new();
    let mut unknown = Vec::new();
    for edit in edits {
        let Some(record) = by_id.get(&edit.id) else {
            unknown.push(edit.id.clone());
            continue;
        };
        let Some(engine) = record.raw.as_deref().or(record.target.as_deref()) else {
            continue;
        };
        let distance = EditDistance::between(engine, &edit.target);
        let article =
            articles
                .entry(edit.id.article.clone())
                .or_insert_with(|| ArticleEditDistance {
                    article: edit.id.article.clone(),
                    segments: Vec::new(),
                    edited_segments: 0,
                    total: EditDistance::default(),
                });
        if distance.characters > 0 {
            article.edited_segments += 1;
        }
        article.total.add(&distance);
        article.segments.push(SegmentEditDistance {
            id: edit.id.clone(),
            engine: engine.to_string(),
            reviewed: edit.target.clone(),
            distance,
        });
    }
    for article in articles.values_mut() {
        article.segments.sort_by(|a, b| a.id.cmp(&b.id));
    }
    EditReport {
        articles: articles.into_values().collect(),
        unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_words_and_characters() {
        let table = [
            ("same text", "same text", 0, 2, 0),
            (
                "the Vice Prime Minister said",
                "the Deputy Prime Minister said",
                1,
                5,
                6,
            ),
            (
                "Here is the interview:",
                "Following is the full interview:",
                2,
                5,
                14,
            ),
            ("", "New text", 2, 2, 8),
            ("Tô Lâm", "To Lam", 2, 2, 2),
        ];
        for (engine, reviewed, words, word_count, characters) in table {
            let distance = EditDistance::between(engine, reviewed);
            assert_eq!(distance.words, words, "{engine:?} → {reviewed:?}");
            assert_eq!(distance.word_count, word_count, "{reviewed:?}");
            assert_eq!(distance.characters, characters, "{engine:?} → {reviewed:?}");
        }
        let distance = EditDistance::between("a b c d", "a x c d");
        assert!((distance.word_rate() - 0.25).abs() < 1e-9);
        assert_eq!(EditDistance::between("", "").word_rate(), 0.0);
        assert_eq!(EditDistance::between("gone", "").word_rate(), 1.0);
    }

    #[test]
    fn statuses_map_to_states() {
        assert_eq!(state_from_status("Reviewed"), Some(SegmentState::Reviewed));
        assert_eq!(state_from_status("fixed"), Some(SegmentState::Translated));
        assert_eq!(state_from_status("violations"), Some(SegmentState::Initial));
        assert_eq!(state_from_status("approved"), None);
    }
}
