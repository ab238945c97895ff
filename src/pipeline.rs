//! The order of the stages, and the only module that knows it.
//!
//! `selaras translate`: check the sources ([`record::check_sources`]) → bring the approved
//! memory up to date and open the cache ([`translate::memory`]) → keep the previous run →
//! then a bounded part of the sources at a time, read and segmented a block at a time
//! ([`record::PartReader`]: an article larger than a part is cut into pieces of whole blocks)
//! → translate their segments, glossary terms shielded in protect mode
//! ([`record::translate_articles`]) → as each article's (or piece's) last translation is in,
//! hand it to the finisher thread ([`crate::export::stream`]): its records
//! ([`record::Verdicts`]: reviewers' edits, glossary verdicts, per-pair QA checks) and files,
//! written atomically while the engine works on the next → at the end the consistency check
//! over the run and the index. Deduplication spans the parts: the cache and
//! [`translate::RunMemory`]'s text hashes.
//!
//! Takes resolved options and plain data, returns data and typed errors. Must not print, parse
//! flags or read the configuration file.

use crate::corpus::{self, CorpusError, OutputError};
use crate::diff::DiffError;
use crate::error::{Classified, ErrorClass};
use crate::export::stream::{FinishJob, Piece, RunWriter, check_article_names, spawn_finisher};
use crate::export::{ExportContext, ExportError, ExportFormat};
use crate::glossary::{GlossaryMode, Verifier};
use crate::model::{Article, SegmentId};
use crate::qa::{QaOptions, QaReport};
use crate::record::{
    self, PartLimits, PartPiece, PartReader, RecordFileError, Shield, Sources, Verdicts,
};
use crate::segment::{SegmentOptions, segment_article};
use crate::translate::memory::{self, MemoryError, SyncReport};
use crate::translate::providers::{self, ProviderKind, ProviderSetupError};
use crate::translate::{
    self, Cancellation, Plan, PlanParts, Reporter, RunMemory, Summary, TranslateError,
    TranslateOptions,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

impl TranslateRun {
    fn shield(&self) -> Shield<'_> {
        let (verifier, mode) = (self.glossary.as_deref(), self.glossary_mode);
        Shield { verifier, mode }
    }
}

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
    /// How much of the sources is read and translated at a time.
    pub part_limits: PartLimits,
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
    /// How many files were written.
    pub written: usize,
    pub memory: SyncReport,
    /// What the glossary stage found and did.
    pub glossary: GlossaryReport,
    /// What the QA checks found.
    pub qa: QaReport,
    /// What the exports left out, one line per segment.
    pub notices: Vec<String>,
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

/// What a run would send, sending nothing and needing no key; the sources are read a part at
/// a time, as a run reads them.
pub fn dry_run(run: &TranslateRun) -> Result<DryRunReport, PipelineError> {
    let limits = run.part_limits;
    let sources = record::check_sources(&run.paths, run.lossy, &run.segment, limits)
        .map_err(PipelineError::Sources)?;
    let (store, memory, approved) =
        memory::open_memory(&run.database, &run.memory_files, &run.translate.pair)?;
    let sends = run.translate.endpoint.kind != ProviderKind::Memory;
    let mut plan = PlanParts::default();
    let mut parts = PartReader::new(sources, run.lossy, &run.segment, limits);
    while let Some(part) = parts
        .next_part()
        .map_err(|e| PipelineError::Sources(vec![e]))?
    {
        let (items, _) = record::part_items(part.iter().map(|piece| Some(&piece.article)));
        plan.add(&items, &approved, &store, &run.translate, sends)?;
    }
    let plan = plan.finish();
    Ok(DryRunReport { plan, memory })
}

/// Runs the whole pipeline: sources → segments → translations → records → files, a part of
/// the sources at a time (an article larger than a part in pieces of whole blocks); each
/// article, or piece, is written by the finisher as soon as its last translation is in,
/// while the engine works on the next.
pub async fn translate_run(
    run: &TranslateRun,
    reporter: &dyn Reporter,
    cancellation: &Cancellation,
) -> Result<TranslateReport, PipelineError> {
    let limits = run.part_limits;
    let sources = record::check_sources(&run.paths, run.lossy, &run.segment, limits)
        .map_err(PipelineError::Sources)?;
    // before any request: an output folder that cannot be made would waste the whole run
    corpus::check_output_folder(&run.out_dir)?;
    let stems: Vec<String> = sources
        .iter()
        .map(|checked| checked.source.stem.clone())
        .collect();
    check_article_names(
        stems.iter().map(String::as_str),
        &run.export_formats,
        &run.out_dir,
    )?;
    let (mut store, memory, approved) =
        memory::open_memory(&run.database, &run.memory_files, &run.translate.pair)?;
    let approved = Arc::new(approved);
    // the key is read here: a missing key stops the run before any request
    let provider = providers::build(&run.translate.endpoint, Arc::clone(&approved))?;
    let mut options = run.translate.clone();
    if let Some(verifier) = &run.glossary {
        let terms = verifier.glossary().entries.iter();
        options = options.with_glossary_hints(terms.map(|term| (&*term.source, &*term.target)));
    }
    let verdicts = Verdicts::for_run(run.glossary.clone(), run.glossary_mode, &approved, &run.qa)
        .reviewed(
        run.reviewed_memory.as_deref(),
        &run.translate.pair,
        &run.out_dir,
    )?;
    let (formats, context) = (&run.export_formats, &run.export_context);
    let staging = run.database.with_file_name("staging");
    let writer = RunWriter::new(&run.out_dir, &staging, formats, context, stems)?;
    let finisher = spawn_finisher(writer, run.qa.clone());
    let verdicts = Arc::new(verdicts);
    let (mut summary, mut failed) = (Summary::default(), Vec::new());
    let mut run_memory = RunMemory::default();
    let mut parts = PartReader::new(sources, run.lossy, &run.segment, run.part_limits);
    let source_error = |error| PipelineError::Sources(vec![error]);
    while let Some(part) = parts.next_part().map_err(source_error)? {
        let mut pieces: Vec<Option<PartPiece>> = Vec::with_capacity(part.len());
        for piece in part {
            if piece.article.translatable_segments().next().is_none() {
                // nothing to translate: written at once
                finisher.send(job(&verdicts, piece, Vec::new(), &HashMap::new()));
                pieces.push(None);
            } else {
                pieces.push(Some(piece));
            }
        }
        let articles = pieces
            .iter()
            .map(|piece| piece.as_ref().map(|p| &p.article));
        let (items, owner) = record::part_items(articles);
        let sources = Sources {
            approved: &approved,
            store: &mut store,
            provider: Arc::clone(&provider),
            reporter,
            cancellation,
            memory: &mut run_memory,
        };
        let mut settled = |range: std::ops::Range<usize>, translations, lost: &HashMap<_, _>| {
            if let Some(piece) = pieces[owner[range.start]].take() {
                finisher.send(job(&verdicts, piece, translations, lost));
            }
        };
        let translated =
            record::translate_articles(&items, run.shield(), &options, sources, &mut settled)
                .await?;
        summary.absorb(&translated.summary);
        failed.extend(translated.failed(&items));
    }
    let (written, tally) = finisher.finish()?;
    Ok(TranslateReport {
        summary,
        failed,
        written,
        memory,
        glossary: tally.glossary,
        qa: tally.qa,
        notices: tally.notices,
    })
}

/// The finisher's job for an article or a piece of one: its translations (in document order)
/// and the lost placeholders of its part, with the verdicts that build its records.
fn job(
    verdicts: &Arc<Verdicts>,
    piece: PartPiece,
    translations: Vec<translate::SegmentTranslation>,
    lost: &HashMap<SegmentId, String>,
) -> FinishJob {
    FinishJob {
        number: piece.number as u32,
        piece: Piece {
            first: piece.first,
            last: piece.last,
        },
        segments: piece.article.segments().count(),
        build: verdicts.job(piece.article, translations, lost),
    }
}
