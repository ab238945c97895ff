//! Which memory hits are reviewers' edits, and what the engine said before the reviewer
//! changed them: read from the previous run's record file of the article, forward, as the
//! pieces of the article come (records are written in document order, which is segment id
//! order), so that an article of any size costs one record of memory. Must not write files.

use super::{AlignedSegment, ArticleRecords, Origin, RecordReader};
use crate::model::SegmentId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The previous run's records of one article, read forward on demand.
#[derive(Default)]
pub struct PreviousRecords {
    path: Option<PathBuf>,
    reader: Option<RecordReader>,
    /// The record read last and not yet passed.
    current: Option<AlignedSegment>,
    /// The file is missing, unreadable or ended: nothing more to find.
    done: bool,
}

impl PreviousRecords {
    /// The records of `<out_dir>/<stem>.jsonl`, opened at the first look-up.
    pub fn of(out_dir: &Path, stem: &str) -> PreviousRecords {
        PreviousRecords {
            path: Some(out_dir.join(format!("{stem}.jsonl"))),
            ..PreviousRecords::default()
        }
    }

    /// Points these at `<out_dir>/<stem>.jsonl` unless they already point somewhere.
    pub fn open_for(&mut self, out_dir: &Path, stem: &str) {
        if self.path.is_none() {
            *self = PreviousRecords::of(out_dir, stem);
        }
    }

    /// The previous record of segment `id`; the ids looked up must come in increasing order.
    /// An unreadable line ends the history there (it only costs the history, never the run).
    fn find(&mut self, id: &SegmentId) -> Option<&AlignedSegment> {
        loop {
            match &self.current {
                Some(current) if current.id == *id => return self.current.as_ref(),
                Some(current) if current.id > *id => return None,
                _ if self.done => return None,
                _ => {}
            }
            if self.reader.is_none() {
                let opened = self.path.as_deref().map(RecordReader::open);
                match opened {
                    Some(Ok(reader)) => self.reader = Some(reader),
                    _ => self.done = true,
                }
                continue;
            }
            let reader = self.reader.as_mut()?;
            match reader.next_record() {
                Ok(Some(record)) => self.current = Some(record),
                Ok(None) | Err(_) => {
                    self.current = None;
                    self.done = true;
                }
            }
        }
    }
}

/// Memory hits whose English is the reviewed memory's (`reviewed`: source → English) are
/// reviewers' edits: origin `reviewed`. Their `raw` keeps what the engine said before the
/// reviewer changed it, read from the article's `previous` records.
pub fn mark_reviewed(
    article: &mut ArticleRecords,
    reviewed: &HashMap<String, String>,
    previous: &mut PreviousRecords,
) {
    for record in &mut article.records {
        if record.origin != Origin::Memory
            || reviewed.get(&record.source).map(String::as_str) != record.target.as_deref()
        {
            continue;
        }
        record.origin = Origin::Reviewed;
        let engine = previous
            .find(&record.id)
            .filter(|old| old.source == record.source)
            .and_then(|old| match old.origin {
                Origin::Reviewed => old.raw.clone(),
                _ => old.raw.clone().or_else(|| old.target.clone()),
            });
        if engine.is_some() {
            record.raw = engine;
        }
    }
}
