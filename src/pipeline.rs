//! The order of the stages, and the only module that knows it.
//!
//! `selaras translate`: load the sources ([`corpus::load_sources`]) → segment each
//! ([`crate::segment::segment_article`]) → bring the approved memory up to date and open the
//! cache ([`translate::memory`]) → shield glossary terms in protect mode
//! ([`crate::glossary::Protection`]) → translate the translatable segments
//! ([`translate::translate`]) → one record per segment ([`record::build_records`]) → mark
//! reviewers' edits, apply the glossary verdicts ([`record::apply_glossary`]), run the QA
//! checks ([`record::apply_qa`]) → keep the previous run → records and exports, atomically.
//!
//! Takes resolved options and plain data, returns data and typed errors. Must not print, parse
//! flags or read the configuration file.

use crate::corpus::{self, CorpusError, OutputError};
use crate::diff::{DiffError, keep_previous};
use crate::error::{Classified, ErrorClass};
use crate::export::{ExportContext, ExportError, ExportFormat, export_articles};
use crate::glossary::{GlossaryMode, Protection, Verifier};
use crate::model::{Article, SegmentId};
use crate::qa::{QaContext, QaOptions, QaReport};
use crate::record::{self, RecordFileError};
use crate::segment::{SegmentOptions, segment_article};
use crate::translate::memory::{self, MemoryError, SyncReport};
use crate::translate::providers::{self, ProviderKind, ProviderSetupError};
use crate::translate::{
    self, Cancellation, Plan, Reporter, Summary, TranslateError, TranslateOptions,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything a translate run needs, resolved.
#[derive(Debug, Clone)]
pub struct TranslateRun {
    /// Source files or folders.
    pub paths: Vec<PathBuf>,
    /// Replace invalid UTF-8 instead of refusing a file.
    pub lossy: bool,
    pub segment: SegmentOptions,
    /// Approved TMX files, in priority order (the reviewed memory last).
    pub memory_files: Vec<PathBuf>,
    /// The reviewed memory (also the last of `memory_files`): its hits are `reviewed`.
    pub reviewed_memory: Option<PathBuf>,
    /// The memory and cache database.
    pub database: PathBuf,
    /// Endpoint, language pair, retry policy, batch context.
    pub translate: TranslateOptions,
    /// Where `<stem>.jsonl` files go.
    pub out_dir: PathBuf,
    /// The glossary to verify (and fix) translations with; `None` when no glossary is in force.
    pub glossary: Option<Arc<Verifier>>,
    pub glossary_mode: GlossaryMode,
    /// Which QA checks run, at which severity.
    pub qa: QaOptions,
    /// The exports written beside the records (`jsonl` is always written).
    pub export_formats: Vec<ExportFormat>,
    pub export_context: ExportContext,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// One or more source files are unusable (each error names its file).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: "))]
    Sources(Vec<CorpusError>),
    #[error(transparent)]
    Memory(#[from] MemoryError),
    #[error(transparent)]
    Provider(#[from] ProviderSetupError),
    #[error(transparent)]
    Translate(#[from] TranslateError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    KeepPrevious(#[from] DiffError),
    #[error(transparent)]
    Records(#[from] RecordFileError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Classified for PipelineError {
    fn class(&self) -> ErrorClass {
        match self {
            PipelineError::Sources(_) | PipelineError::Provider(_) => ErrorClass::Input,
            PipelineError::Memory(error) => error.class(),
            PipelineError::Translate(error) => error.class(),
            PipelineError::Export(error) => error.class(),
            PipelineError::KeepPrevious(error) => error.class(),
            PipelineError::Records(error) => error.class(),
            PipelineError::Output(error) => error.class(),
            PipelineError::Write { source, .. } => crate::error::io_class(source),
        }
    }
}

/// What a finished (or stopped) run did.
#[derive(Debug, Clone)]
pub struct TranslateReport {
    pub summary: Summary,
    /// Translatable segments without a translation, with the reason.
    pub failed: Vec<(SegmentId, String)>,
    /// The files written.
    pub written: Vec<PathBuf>,
    pub memory: SyncReport,
    /// What the glossary stage found and did.
    pub glossary: GlossaryReport,
    /// What the QA checks found.
    pub qa: QaReport,
}

/// The glossary stage's counts over a run (defined by the glossary stage).
pub use crate::glossary::EnforceReport as GlossaryReport;

/// What a dry run found.
#[derive(Debug, Clone)]
pub struct DryRunReport {
    pub plan: Plan,
    pub memory: SyncReport,
}

/// Reads and segments every source.
pub fn load_articles(
    paths: &[PathBuf],
    lossy: bool,
    options: &SegmentOptions,
) -> Result<Vec<Article>, PipelineError> {
    let sources = corpus::load_sources(paths, lossy).map_err(PipelineError::Sources)?;
    Ok(sources
        .iter()
        .map(|source| segment_article(&source.stem, &source.text, options))
        .collect())
}

/// The translatable segments of the articles, as the translate stage takes them.
pub fn translatable_items(articles: &[Article]) -> Vec<(SegmentId, String)> {
    articles
        .iter()
        .flat_map(|article| article.translatable_segments())
        .map(|segment| (segment.id.clone(), segment.text.clone()))
        .collect()
}

/// What a run would send, sending nothing and needing no key.
pub fn dry_run(run: &TranslateRun) -> Result<DryRunReport, PipelineError> {
    let articles = load_articles(&run.paths, run.lossy, &run.segment)?;
    let items = translatable_items(&articles);
    let (store, memory, approved) =
        memory::open_memory(&run.database, &run.memory_files, &run.translate.pair)?;
    let sends = run.translate.endpoint.kind != ProviderKind::Memory;
    let plan = translate::plan(&items, &approved, &store, &run.translate, sends)?;
    Ok(DryRunReport { plan, memory })
}

/// Runs the whole pipeline: sources → segments → translations → records → files.
pub async fn translate_run(
    run: &TranslateRun,
    reporter: &dyn Reporter,
    cancellation: &Cancellation,
) -> Result<TranslateReport, PipelineError> {
    let articles = load_articles(&run.paths, run.lossy, &run.segment)?;
    // before any request: an output folder that cannot be made would waste the whole run
    corpus::check_output_folder(&run.out_dir)?;
    let items = translatable_items(&articles);
    let (mut store, memory, approved) =
        memory::open_memory(&run.database, &run.memory_files, &run.translate.pair)?;
    let approved = Arc::new(approved);
    // the key is read here: a missing key stops the run before any request
    let provider = providers::build(&run.translate.endpoint, Arc::clone(&approved))?;
    let mut options = run.translate.clone();
    if let Some(verifier) = &run.glossary {
        // an LLM endpoint puts the terms of each batch into its prompt; others ignore them
        options.context.glossary_hints = verifier
            .glossary()
            .entries
            .iter()
            .map(|entry| (entry.source.clone(), entry.target.clone()))
            .collect();
    }
    // protect mode: the glossary decides which texts go out with placeholders
    let mut protection = Protection::new(
        run.glossary.as_deref(),
        run.glossary_mode,
        run.translate.endpoint.kind != ProviderKind::Memory,
        items.iter().map(|(_, text)| text.as_str()),
        |text| approved.contains_key(text),
    );
    if protection.engaged() {
        options.context.xml_placeholders = true;
    }
    let sent: Vec<(SegmentId, String)> = items
        .iter()
        .enumerate()
        .map(|(index, (id, text))| (id.clone(), protection.outgoing(index, text).to_string()))
        .collect();
    let mut translated = translate::translate(
        &sent,
        &approved,
        &mut store,
        Arc::clone(&provider),
        &options,
        reporter,
        cancellation,
    )
    .await?;
    for (index, translation) in translated.segments.iter_mut().enumerate() {
        if let Some(restored) = protection.restore(index, translation.target.as_deref()) {
            translation.target = Some(restored.target);
            translation.raw = Some(restored.raw);
        }
    }
    let fallback = protection.fallback(translated.summary.stopped.is_some());
    if !fallback.is_empty() {
        // placeholders the engine mangled or dropped: those texts are translated again
        // unprotected, and the glossary fixes the answers
        let again_items: Vec<(SegmentId, String)> =
            fallback.iter().map(|&index| items[index].clone()).collect();
        let mut plain = options.clone();
        plain.context.xml_placeholders = false;
        let again = translate::translate(
            &again_items,
            &approved,
            &mut store,
            provider,
            &plain,
            reporter,
            cancellation,
        )
        .await?;
        for (&index, translation) in fallback.iter().zip(again.segments) {
            translated.segments[index] = translation;
        }
        translated.summary.combine(&again.summary);
    }
    let lost: HashMap<SegmentId, String> = protection
        .lost_reasons()
        .map(|(index, reason)| (items[index].0.clone(), reason.to_string()))
        .collect();
    translated.summary.count(&translated.segments);

    let failed = translated.failed(&items);
    let by_id: HashMap<&SegmentId, &translate::SegmentTranslation> = items
        .iter()
        .map(|(id, _)| id)
        .zip(&translated.segments)
        .collect();
    let mut records = record::build_records(&articles, &by_id);
    if let Some(path) = &run.reviewed_memory {
        record::mark_reviewed(
            &mut records,
            &memory::read_reviewed(path, &run.translate.pair)?,
            &run.out_dir,
        );
    }
    let glossary = record::apply_glossary(
        &mut records,
        run.glossary.as_deref(),
        run.glossary_mode,
        &lost,
    );
    let qa_context = QaContext::for_run(run.glossary.as_deref(), &approved, &run.qa);
    let qa = record::apply_qa(&mut records, &qa_context, &run.qa);
    // a run killed while writing leaves temporaries; this one holds the run lock
    for folder in [
        run.out_dir.clone(),
        run.out_dir.join(crate::diff::PREVIOUS_DIR_NAME),
    ] {
        corpus::remove_stale_temporaries(&folder).map_err(|source| PipelineError::Write {
            path: folder.clone(),
            source,
        })?;
    }
    keep_previous(&run.out_dir)?;
    let mut written = record::write_article_files(&run.out_dir, &records)?;
    let others: Vec<ExportFormat> = run
        .export_formats
        .iter()
        .copied()
        .filter(|format| *format != ExportFormat::Jsonl)
        .collect();
    written.extend(export_articles(
        &records,
        &others,
        &run.out_dir,
        &run.export_context,
    )?);
    Ok(TranslateReport {
        summary: translated.summary,
        failed,
        written,
        memory,
        glossary,
        qa,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_document_order_and_carry_untranslatable_sources() {
        let article = segment_article(
            "a",
            "Presiden tiba di Jakarta.\nKomentar (0)\nMenteri berbicara.\n",
            &SegmentOptions::default(),
        );
        let items = translatable_items(std::slice::from_ref(&article));
        assert_eq!(items.len(), 2);
        let translation = translate::SegmentTranslation {
            target: Some("The President arrived in Jakarta.".to_string()),
            raw: Some("The President arrived in Jakarta.".to_string()),
            origin: translate::Origin::Engine,
            error: None,
        };
        let by_id = HashMap::from([(&items[0].0, &translation)]);
        let records = record::build_records(std::slice::from_ref(&article), &by_id);
        let shape: Vec<(&str, Option<&str>, crate::record::Origin)> = records[0]
            .records
            .iter()
            .map(|record| {
                (
                    record.source.as_str(),
                    record.target.as_deref(),
                    record.origin,
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (
                    "Presiden tiba di Jakarta.",
                    Some("The President arrived in Jakarta."),
                    crate::record::Origin::Engine
                ),
                (
                    "Komentar (0)",
                    Some("Komentar (0)"),
                    crate::record::Origin::Source
                ),
                ("Menteri berbicara.", None, crate::record::Origin::None),
            ]
        );
    }
}
