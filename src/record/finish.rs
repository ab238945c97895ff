//! One article of a run from its translations to its final records: build them, mark the
//! reviewers' edits, apply the glossary verdicts and the per-pair QA checks, counting into the
//! run's tallies. A run finishes its articles one at a time with this (the consistency check
//! over the run comes at the end: [`super::ConsistencyLedger`]). Must not write files.

use super::previous::{PreviousRecords, mark_reviewed};
use super::{ArticleRecords, apply_glossary_counting, apply_pair_qa, build_records};
use crate::glossary::{EnforceReport, GlossaryMode, Verifier};
use crate::model::{Article, SegmentId};
use crate::qa::{QaContext, QaOptions, QaReport};
use crate::translate::SegmentTranslation;
use crate::translate::memory::{LanguagePair, MemoryError, read_reviewed};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What builds the records of an article, or of a piece of it, on the finisher's thread:
/// counting into the run's tally, reading the article's previous records forward.
pub type BuildJob = Box<dyn FnOnce(&mut Tally, &mut PreviousRecords) -> ArticleRecords + Send>;

/// What the verdicts of a run need, shared by every article.
pub struct Verdicts {
    pub verifier: Option<Arc<Verifier>>,
    pub mode: GlossaryMode,
    pub qa_context: QaContext,
    pub qa: QaOptions,
    /// The reviewed memory (source → English), when there is one.
    pub reviewed: Option<HashMap<String, String>>,
    /// The output folder, whose previous records tell what the engine said before a review.
    pub out_dir: PathBuf,
}

/// The counts of a run's verdicts so far.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub glossary: EnforceReport,
    pub qa: QaReport,
    /// What the exports left out, one line per segment (a TMX leaves out a segment holding a
    /// character XML 1.0 cannot carry), for the caller to show.
    pub notices: Vec<String>,
}

impl Verdicts {
    /// The verdicts of a run: its glossary (the QA checks learn their lexicon from the
    /// `approved` memory); no reviewed memory yet ([`Verdicts::reviewed`]).
    pub fn for_run(
        verifier: Option<Arc<Verifier>>,
        mode: GlossaryMode,
        approved: &HashMap<String, String>,
        qa: &QaOptions,
    ) -> Verdicts {
        Verdicts {
            qa_context: QaContext::for_run(verifier.as_deref(), approved, qa),
            verifier,
            mode,
            qa: qa.clone(),
            reviewed: None,
            out_dir: PathBuf::new(),
        }
    }

    /// These verdicts with the reviewed memory read from `path` (when there is one; a file
    /// that does not exist yet is an empty memory) and the output folder whose previous
    /// records tell what the engine said before a review.
    pub fn reviewed(
        mut self,
        path: Option<&std::path::Path>,
        pair: &LanguagePair,
        out_dir: &std::path::Path,
    ) -> Result<Verdicts, MemoryError> {
        if let Some(path) = path {
            self.reviewed = Some(read_reviewed(path, pair)?);
        }
        self.out_dir = out_dir.to_path_buf();
        Ok(self)
    }

    /// What builds the records of `article` (the whole article, or a piece of it: whole blocks)
    /// on the finisher's thread ([`Verdicts::finish`]), given the lost placeholders of its part
    /// (only the article's own are kept).
    pub fn job(
        self: &Arc<Self>,
        article: Article,
        translations: Vec<SegmentTranslation>,
        lost: &HashMap<SegmentId, String>,
    ) -> BuildJob {
        let lost: HashMap<SegmentId, String> = lost
            .iter()
            .filter(|(id, _)| id.article == article.stem)
            .map(|(id, reason)| (id.clone(), reason.clone()))
            .collect();
        let verdicts = Arc::clone(self);
        Box::new(move |tally, previous| {
            verdicts.finish(&article, &translations, &lost, tally, previous)
        })
    }

    /// The records of `article` (or of a piece of it) given the translations of its
    /// translatable segments (in document order); `lost` names the segments whose placeholders
    /// were lost; `previous` reads the article's previous records forward across its pieces.
    pub fn finish(
        &self,
        article: &Article,
        translations: &[SegmentTranslation],
        lost: &HashMap<SegmentId, String>,
        tally: &mut Tally,
        previous: &mut PreviousRecords,
    ) -> ArticleRecords {
        let by_id: HashMap<&SegmentId, &SegmentTranslation> = article
            .translatable_segments()
            .map(|segment| &segment.id)
            .zip(translations)
            .collect();
        let mut records = build_records(std::slice::from_ref(article), &by_id);
        if let (Some(reviewed), Some(article)) = (&self.reviewed, records.first_mut()) {
            previous.open_for(&self.out_dir, &article.stem);
            mark_reviewed(article, reviewed, previous);
        }
        apply_glossary_counting(
            &mut records,
            self.verifier.as_deref(),
            self.mode,
            lost,
            &mut tally.glossary,
        );
        apply_pair_qa(&mut records, &self.qa_context, &self.qa, &mut tally.qa);
        records.pop().unwrap_or_else(|| ArticleRecords {
            stem: article.stem.clone(),
            records: Vec::new(),
        })
    }
}
