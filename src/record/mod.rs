//! Stage 5: segments + translations + glossary verdicts → the aligned record of a run.
//!
//! [`AlignedSegment`] is the one record every export writes and `check`, `diff`, `export` and
//! `review` read back (as JSON lines, `translations/<article>.jsonl`). Its field names are a
//! public contract. Must not know about engines, files or output formats beyond JSON lines.

use crate::glossary::{TermMatch, Violation};
use crate::model::{Segment, SegmentId, SegmentKind};
use serde::{Deserialize, Serialize};

mod build;
mod consistency;
mod files;
mod finish;
mod part;
mod parts;
mod previous;
mod verdicts;

pub use crate::translate::Sources;
pub use build::{build_records, from_alignment};
pub use consistency::{Collected, ConsistencyLedger, LateFinding, add_late_findings};
pub use files::{
    ArticleRecords, RecordError, RecordFileError, RecordReader, Summary, load_articles, read_jsonl,
    read_record_file, record_files, write_article_file, write_article_files, write_jsonl,
};
pub use finish::{BuildJob, Tally, Verdicts};
pub use part::{Settled, Shield, part_items, translate_articles};
pub use parts::{Checked, PartLimits, PartPiece, PartReader, check_sources, source_error};
pub use previous::{PreviousRecords, mark_reviewed};
pub use verdicts::{apply_glossary, apply_glossary_counting, apply_pair_qa, apply_qa};

/// Where the final English of a segment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// An approved translation from the reviewed memory (TMX).
    Memory,
    /// An engine answer stored by an earlier run. Only the run's summary tells these apart:
    /// records say [`Origin::Engine`] so that a resumed run writes the same files as an
    /// uninterrupted one (records of older versions may still hold `cache`).
    Cache,
    /// An engine answer, from this run or read back from the cache of earlier ones.
    Engine,
    /// An engine answer changed by the glossary fixer.
    Fixed,
    /// A reviewer's edit, imported with `selaras review import`.
    Reviewed,
    /// Not translatable: the source is carried over unchanged (boilerplate, datelines).
    Source,
    /// An existing human translation paired with its source by `selaras align`.
    Aligned,
    /// No translation: the engine failed or the memory had no match.
    None,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Memory => "memory",
            Origin::Cache => "cache",
            Origin::Engine => "engine",
            Origin::Fixed => "fixed",
            Origin::Reviewed => "reviewed",
            Origin::Source => "source",
            Origin::Aligned => "aligned",
            Origin::None => "none",
        }
    }
}

/// One step of a word-level diff from the raw engine output to the final text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffOp {
    pub op: DiffTag,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffTag {
    Equal,
    Insert,
    Delete,
}

/// One segment of a run, aligned with its translation and glossary verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignedSegment {
    pub id: SegmentId,
    pub kind: SegmentKind,
    pub translatable: bool,
    pub source: String,
    /// The final English (after glossary fixes or review); `None` when untranslated.
    pub target: Option<String>,
    /// What the engine (or memory) returned, before any glossary fix.
    pub raw: Option<String>,
    pub origin: Origin,
    /// Glossary terms found in the source, with where their rendering was found in the target.
    #[serde(default)]
    pub matches: Vec<TermMatch>,
    /// Glossary violations left in the final text.
    #[serde(default)]
    pub violations: Vec<Violation>,
    /// Lower-severity findings (a term more often in the source than in the target).
    #[serde(default)]
    pub warnings: Vec<Violation>,
    /// Word diff from `raw` to `target`; empty when they are equal.
    #[serde(default)]
    pub diff: Vec<DiffOp>,
    /// How `selaras align` paired this record with an existing English version; absent for
    /// records of a translation run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<AlignmentInfo>,
    /// Findings of the QA checks beyond the glossary (numbers, dates, names, untranslated
    /// text, omissions, punctuation, consistency); absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qa: Vec<crate::qa::Finding>,
}

/// The link behind an aligned record: its shape, every segment it joins and how sure the
/// aligner is. A record of a 2-1 link carries both source segments (joined by a space) under
/// the id of the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignmentInfo {
    /// `1-1`, `1-2`, `2-1`, `1-0` or `swap`.
    pub link: String,
    /// The source segments joined in this record, in order.
    pub source_ids: Vec<SegmentId>,
    /// The ids of the English sentences (`<english-file-stem>:<block>.<n>`), in order.
    pub target_ids: Vec<String>,
    /// The posterior probability of the link, in [0, 1].
    pub confidence: f64,
    /// Below the threshold: to be reviewed before the pair is trusted.
    pub flagged: bool,
}

/// The review status shown in TSV and HTML: derived, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    NotTranslatable,
    Untranslated,
    Violations,
    Fixed,
    Reviewed,
    Ok,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotTranslatable => "not-translatable",
            Status::Untranslated => "untranslated",
            Status::Violations => "violations",
            Status::Fixed => "fixed",
            Status::Reviewed => "reviewed",
            Status::Ok => "ok",
        }
    }
}

impl AlignedSegment {
    /// Each glossary term found in the source with its text there (a term whose span is not
    /// in the source is passed over).
    pub fn term_sources(&self) -> impl Iterator<Item = (&TermMatch, &str)> {
        self.matches.iter().filter_map(|term| {
            let source = self
                .source
                .get(term.source_span.start..term.source_span.end)?;
            Some((term, source))
        })
    }

    /// A segment with no translation yet: non-translatable ones carry their source over.
    pub fn untranslated(segment: &Segment) -> Self {
        let (target, origin) = if segment.translatable {
            (None, Origin::None)
        } else {
            (Some(segment.text.clone()), Origin::Source)
        };
        AlignedSegment {
            id: segment.id.clone(),
            kind: segment.kind,
            translatable: segment.translatable,
            source: segment.text.clone(),
            target,
            raw: None,
            origin,
            matches: Vec::new(),
            violations: Vec::new(),
            warnings: Vec::new(),
            diff: Vec::new(),
            alignment: None,
            qa: Vec::new(),
        }
    }

    pub fn status(&self) -> Status {
        if !self.translatable {
            Status::NotTranslatable
        } else if self.target.is_none() {
            Status::Untranslated
        } else if !self.violations.is_empty() {
            Status::Violations
        } else if self.origin == Origin::Reviewed {
            Status::Reviewed
        } else if self.origin == Origin::Fixed {
            Status::Fixed
        } else {
            Status::Ok
        }
    }
}

/// The word-level diff from `old` to `new` (words and the white space between them).
pub fn word_diff(old: &str, new: &str) -> Vec<DiffOp> {
    if old == new {
        return Vec::new();
    }
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_unicode_words(old, new);
    let mut ops: Vec<DiffOp> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            similar::ChangeTag::Equal => DiffTag::Equal,
            similar::ChangeTag::Insert => DiffTag::Insert,
            similar::ChangeTag::Delete => DiffTag::Delete,
        };
        match ops.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => ops.push(DiffOp {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, Span};

    #[test]
    fn word_diff_groups_changes() {
        let ops = word_diff(
            "the Vice Prime Minister said",
            "the Deputy Prime Minister said",
        );
        let rendered: Vec<(DiffTag, &str)> =
            ops.iter().map(|op| (op.op, op.text.as_str())).collect();
        assert_eq!(
            rendered,
            [
                (DiffTag::Equal, "the "),
                (DiffTag::Delete, "Vice"),
                (DiffTag::Insert, "Deputy"),
                (DiffTag::Equal, " Prime Minister said"),
            ]
        );
        assert!(word_diff("same", "same").is_empty());
    }

    #[test]
    fn records_round_trip_through_json_lines() {
        let segment = Segment {
            id: SegmentId::new("a", 1, 1),
            kind: BlockKind::Paragraph,
            text: "Tab\there, \"quotes\", <b>&</b> dan é".to_string(),
            span: Span::new(0, 10),
            translatable: true,
        };
        let mut record = AlignedSegment::untranslated(&segment);
        record.target = Some("line\nbreak".to_string());
        record.origin = Origin::Engine;
        let mut buffer = Vec::new();
        write_jsonl(std::slice::from_ref(&record), &mut buffer).unwrap();
        assert_eq!(buffer.iter().filter(|&&b| b == b'\n').count(), 1);
        let back = read_jsonl(&buffer[..]).unwrap();
        assert_eq!(back, [record]);
        let error = read_jsonl(&b"\n{\"id\": 3}\n"[..]).unwrap_err();
        assert_eq!(error.line_number, 2);
    }
}
