//! The order of the stages, and the only module that knows it.
//!
//! `selaras translate`: load the sources ([`corpus::load_sources`]) → segment each
//! ([`segment::segment_article`]) → bring the approved memory up to date and open the cache
//! ([`translate::memory`]) → translate the translatable segments ([`translate::translate`]) →
//! one [`AlignedSegment`] per segment (non-translatable ones carry their source) →
//! [`after_translation`], the seam where the glossary verify/fix stage and the exporters plug
//! in → `translations/<stem>.jsonl` per article, written atomically.
//!
//! Takes resolved options and plain data, returns data and typed errors. Must not print, parse
//! flags or read the configuration file.

use crate::corpus::{self, CorpusError};
use crate::diff::{DiffError, keep_previous};
use crate::export::{ExportContext, ExportError, ExportFormat, export_articles};
use crate::glossary::GlossaryMode;
use crate::glossary::{Protected, Verifier, Violation, ViolationKind, protect, restore};
use crate::model::{Article, SegmentId};
use crate::record::{self, AlignedSegment, Origin};
use crate::segment::{SegmentOptions, segment_article};
use crate::translate::memory::{LanguagePair, MemoryError, Store, SyncReport};
use crate::translate::providers::{self, ProviderKind, ProviderSetupError};
use crate::translate::{
    self, Cancellation, Plan, Reporter, Summary, TranslateError, TranslateOptions,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
    #[error("{path}: the output folder is a file; name a folder with --out or `output-dir`")]
    OutputIsAFile { path: PathBuf },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "another selaras translate is running on this project (lock {path} is held); wait for it to finish"
    )]
    Locked { path: PathBuf },
    #[error("{path}: cannot take the run lock: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub use crate::export::ArticleRecords;

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
}

/// The glossary stage's counts over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GlossaryReport {
    /// Violations left in the final texts.
    pub violations: usize,
    /// Segments with at least one violation left.
    pub segments_with_violations: usize,
    /// Lower-severity findings (count mismatches, stray forbidden renderings).
    pub warnings: usize,
    /// Segments the fixer changed.
    pub fixed: usize,
}

/// What a dry run found.
#[derive(Debug, Clone)]
pub struct DryRunReport {
    pub plan: Plan,
    pub memory: SyncReport,
}

/// Holds the project's advisory run lock until dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
    pub path: PathBuf,
}

/// Takes the advisory lock `translate.lock` in `folder` (the database's folder, `.selaras/`),
/// or fails at once when another run holds it. The operating system releases it when the
/// process ends, however it ends.
pub fn acquire_run_lock(folder: &Path) -> Result<RunLock, PipelineError> {
    let path = folder.join("translate.lock");
    let lock_error = |source| PipelineError::Lock {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(folder).map_err(lock_error)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(lock_error)?;
    match file.try_lock() {
        Ok(()) => Ok(RunLock { _file: file, path }),
        Err(std::fs::TryLockError::WouldBlock) => Err(PipelineError::Locked { path }),
        Err(std::fs::TryLockError::Error(source)) => Err(lock_error(source)),
    }
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

/// Opens the database and brings the approved memory up to date with the TMX files.
pub fn open_memory(
    database: &Path,
    files: &[PathBuf],
    pair: &LanguagePair,
) -> Result<(Store, SyncReport, HashMap<String, String>), MemoryError> {
    let mut store = Store::open(database)?;
    let report = store.sync_approved(files, pair)?;
    let approved = store.approved(files, pair)?;
    Ok((store, report, approved))
}

/// What a run would send, sending nothing and needing no key.
pub fn dry_run(run: &TranslateRun) -> Result<DryRunReport, PipelineError> {
    let articles = load_articles(&run.paths, run.lossy, &run.segment)?;
    let items = translatable_items(&articles);
    let (store, memory, approved) =
        open_memory(&run.database, &run.memory_files, &run.translate.pair)?;
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
    check_output_folder(&run.out_dir)?;
    let items = translatable_items(&articles);
    let (mut store, memory, approved) =
        open_memory(&run.database, &run.memory_files, &run.translate.pair)?;
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
    // protect mode: terms go out as placeholders (texts the approved memory covers stay as
    // they are, so their exact matches still hit)
    let protected = match (&run.glossary, run.glossary_mode) {
        (Some(verifier), GlossaryMode::Protect)
            if run.translate.endpoint.kind != ProviderKind::Memory =>
        {
            options.context.xml_placeholders = true;
            protect_items(&items, verifier, &approved)
        }
        _ => HashMap::new(),
    };
    let sent: Vec<(SegmentId, String)> = items
        .iter()
        .map(|(id, text)| match protected.get(id) {
            Some(shielded) => (id.clone(), shielded.text.clone()),
            None => (id.clone(), text.clone()),
        })
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
    let lost = restore_placeholders(&items, &protected, &mut translated);
    if !lost.is_empty() && translated.summary.stopped.is_none() {
        // a placeholder the engine mangled or dropped: translate those segments unprotected,
        // then the fixer takes over
        let fallback: Vec<(SegmentId, String)> = items
            .iter()
            .filter(|(id, _)| lost.contains_key(id))
            .cloned()
            .collect();
        let mut plain = options.clone();
        plain.context.xml_placeholders = false;
        let again = translate::translate(
            &fallback,
            &approved,
            &mut store,
            provider,
            &plain,
            reporter,
            cancellation,
        )
        .await?;
        for ((id, _), translation) in fallback.iter().zip(again.segments) {
            if let Some(index) = items.iter().position(|(item, _)| item == id) {
                translated.segments[index] = translation;
            }
        }
        translated.summary.combine(&again.summary);
    }
    translated.summary.count(&translated.segments);

    let failed: Vec<(SegmentId, String)> = items
        .iter()
        .zip(&translated.segments)
        .filter(|(_, translation)| translation.target.is_none())
        .map(|((id, _), translation)| (id.clone(), translation.error.clone().unwrap_or_default()))
        .collect();
    let by_id: HashMap<&SegmentId, &translate::SegmentTranslation> = items
        .iter()
        .map(|(id, _)| id)
        .zip(&translated.segments)
        .collect();
    let mut records = build_records(&articles, &by_id);
    if let Some(path) = &run.reviewed_memory {
        mark_reviewed(&mut records, path, &run.translate.pair, &run.out_dir)?;
    }
    let mut glossary = after_translation(&mut records, run.glossary.as_deref(), run.glossary_mode);
    flag_lost_placeholders(&mut records, &lost, &mut glossary);
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
    let mut written = write_translations(&run.out_dir, &records)?;
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
    })
}

/// Fails when `out_dir`, or the nearest part of it that exists, is not a folder.
pub fn check_output_folder(out_dir: &Path) -> Result<(), PipelineError> {
    let existing = out_dir
        .ancestors()
        .find(|path| !path.as_os_str().is_empty() && std::fs::symlink_metadata(path).is_ok());
    match existing {
        Some(path) if !path.is_dir() => Err(PipelineError::OutputIsAFile {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// One record per segment, in document order: translatable segments with their translation
/// (or none), the others carrying their source. Cached engine answers are recorded as
/// `engine` (the summary still counts them as from the cache).
pub fn build_records(
    articles: &[Article],
    translations: &HashMap<&SegmentId, &translate::SegmentTranslation>,
) -> Vec<ArticleRecords> {
    articles
        .iter()
        .map(|article| ArticleRecords {
            stem: article.stem.clone(),
            records: article
                .segments()
                .map(|segment| {
                    let mut record = AlignedSegment::untranslated(segment);
                    if segment.translatable
                        && let Some(translation) = translations.get(&segment.id)
                    {
                        record.target = translation.target.clone();
                        record.raw = translation.raw.clone();
                        // a record describes the translation, not the run that fetched it: an
                        // engine answer read back from the cache is the engine's, so a run that
                        // resumed after a crash writes the same files as one that never stopped
                        record.origin = match translation.origin {
                            translate::Origin::Memory => Origin::Memory,
                            translate::Origin::Cache | translate::Origin::Engine => Origin::Engine,
                            translate::Origin::None => Origin::None,
                        };
                    }
                    record
                })
                .collect(),
        })
        .collect()
}

/// The glossary stage after translation: records the terms of every segment and the verdict
/// on its English; in `fix` and `protect` mode an engine's answer with a forbidden rendering is
/// fixed where exactly one approved rendering fits (the raw answer stays in `raw`). Approved
/// memory and reviewed translations are verified, never changed. Fills `diff` (raw → final).
pub fn after_translation(
    records: &mut [ArticleRecords],
    verifier: Option<&Verifier>,
    mode: GlossaryMode,
) -> GlossaryReport {
    let mut report = GlossaryReport::default();
    for record in records
        .iter_mut()
        .flat_map(|article| article.records.iter_mut())
    {
        if !record.translatable {
            continue;
        }
        let Some(verifier) = verifier else {
            fill_diff(record);
            continue;
        };
        let Some(target) = record.target.clone() else {
            record.matches = verifier.verify(&record.source, None).matches;
            continue;
        };
        let changeable = matches!(record.origin, Origin::Engine | Origin::Cache);
        let verdict = if changeable && mode != GlossaryMode::Check {
            let outcome = verifier.fix(&record.source, &target);
            if outcome.replacements > 0 {
                if record.raw.is_none() {
                    record.raw = Some(target);
                }
                record.target = Some(outcome.text);
                record.origin = Origin::Fixed;
                report.fixed += 1;
            }
            outcome.verdict
        } else {
            verifier.verify(&record.source, Some(&target))
        };
        record.matches = verdict.matches;
        record.warnings.extend(verdict.warnings);
        record.violations = verdict.violations;
        report.violations += record.violations.len();
        report.warnings += record.warnings.len();
        if !record.violations.is_empty() {
            report.segments_with_violations += 1;
        }
        fill_diff(record);
    }
    report
}

/// Shields the glossary terms of every text the approved memory does not cover.
fn protect_items(
    items: &[(SegmentId, String)],
    verifier: &Verifier,
    approved: &HashMap<String, String>,
) -> HashMap<SegmentId, Protected> {
    items
        .iter()
        .filter(|(_, text)| !approved.contains_key(text))
        .filter_map(|(id, text)| {
            let hits = verifier.source_terms(text);
            (!hits.is_empty()).then(|| (id.clone(), protect(text, &hits, verifier.glossary())))
        })
        .collect()
}

/// Puts the approved renderings back into protected answers; returns the segments whose
/// placeholders did not survive, with what went wrong (their translation is dropped).
fn restore_placeholders(
    items: &[(SegmentId, String)],
    protected: &HashMap<SegmentId, Protected>,
    translated: &mut translate::Translated,
) -> HashMap<SegmentId, String> {
    let mut lost = HashMap::new();
    for ((id, _), translation) in items.iter().zip(translated.segments.iter_mut()) {
        let (Some(shielded), Some(answer)) = (protected.get(id), translation.target.clone()) else {
            continue;
        };
        match restore(&answer, shielded) {
            Ok(restored) => {
                translation.target = Some(restored);
                translation.raw = Some(answer);
            }
            Err(error) => {
                lost.insert(id.clone(), error.to_string());
            }
        }
    }
    lost
}

/// Segments whose placeholders were lost are flagged: a `placeholder_lost` warning.
fn flag_lost_placeholders(
    records: &mut [ArticleRecords],
    lost: &HashMap<SegmentId, String>,
    report: &mut GlossaryReport,
) {
    for record in records
        .iter_mut()
        .flat_map(|article| article.records.iter_mut())
    {
        if let Some(reason) = lost.get(&record.id) {
            record.warnings.push(Violation {
                source_term: String::new(),
                expected: String::new(),
                kind: ViolationKind::PlaceholderLost,
                found: None,
                target_span: None,
                source_span: None,
                note: format!("{reason}; translated again without placeholders and fixed"),
            });
            report.warnings += 1;
        }
    }
}

/// Memory hits that come from the reviewed memory are reviewers' edits: origin `reviewed`.
/// They keep the engine's output of the previous run (`raw` in `out_dir`'s records, not yet
/// replaced) so the reviewer's change stays visible.
fn mark_reviewed(
    records: &mut [ArticleRecords],
    path: &Path,
    pair: &LanguagePair,
    out_dir: &Path,
) -> Result<(), PipelineError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(PipelineError::Memory(MemoryError::Read {
                path: path.to_path_buf(),
                source,
            }));
        }
    };
    let reviewed: HashMap<String, String> = crate::translate::memory::parse_tmx(&text, pair)
        .map_err(|(line_number, message)| {
            PipelineError::Memory(MemoryError::Tmx {
                path: path.to_path_buf(),
                line_number,
                message,
            })
        })?
        .into_iter()
        .collect();
    for article in records.iter_mut() {
        let mut previous: Option<HashMap<SegmentId, AlignedSegment>> = None;
        for record in &mut article.records {
            if record.origin == Origin::Memory
                && reviewed.get(&record.source).map(String::as_str) == record.target.as_deref()
            {
                record.origin = Origin::Reviewed;
                // an unreadable previous file only costs the history, never the run
                let previous = previous.get_or_insert_with(|| {
                    crate::export::read_record_file(
                        &out_dir.join(format!("{}.jsonl", article.stem)),
                    )
                    .map(|old| old.into_iter().map(|r| (r.id.clone(), r)).collect())
                    .unwrap_or_default()
                });
                let engine = previous
                    .get(&record.id)
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
    }
    Ok(())
}

fn fill_diff(record: &mut AlignedSegment) {
    record.diff = match (&record.raw, &record.target) {
        (Some(raw), Some(target)) => record::word_diff(raw, target),
        _ => Vec::new(),
    };
}

/// Writes `<out>/<stem>.jsonl` for every article, each atomically.
pub fn write_translations(
    out_dir: &Path,
    records: &[ArticleRecords],
) -> Result<Vec<PathBuf>, PipelineError> {
    std::fs::create_dir_all(out_dir).map_err(|source| PipelineError::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(records.len());
    for article in records {
        let path = out_dir.join(format!("{}.jsonl", article.stem));
        let mut buffer = Vec::new();
        record::write_jsonl(&article.records, &mut buffer)
            .and_then(|()| corpus::write_atomic(&path, &buffer))
            .map_err(|source| PipelineError::Write {
                path: path.clone(),
                source,
            })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let first = acquire_run_lock(folder.path()).unwrap();
        let second = acquire_run_lock(folder.path()).unwrap_err();
        assert!(matches!(second, PipelineError::Locked { .. }), "{second}");
        assert!(second.to_string().contains("another selaras translate"));
        drop(first);
        acquire_run_lock(folder.path()).unwrap();
    }

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
        let records = build_records(std::slice::from_ref(&article), &by_id);
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
