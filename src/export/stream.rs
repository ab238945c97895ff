//! The files of a run written article by article, as each article is finished: its records
//! (`<stem>.jsonl`) and every export format, each file whole and synced, into a staging
//! folder beside the database (never the output folder: a run killed while its requests are
//! in flight leaves the output folder as the previous run left it). An article larger than a
//! part comes in pieces (in document order) and its files are written a piece at a time
//! ([`super::pieces`]). What spans articles is kept as small per-article summaries: the index
//! entries (`index.html` is written from them at the end) and the consistency ledger (at the
//! end, only the articles holding a record of an inconsistent group are read back, a chunk of
//! whole blocks at a time, given their findings and written again). Then the previous run is
//! kept and every staged file is renamed into the output folder, each atomically. The files
//! are byte for byte those [`super::export_articles`] and
//! [`crate::record::write_article_files`] write for the whole run at once. Must not translate
//! or apply verdicts.

use super::html_index::{IndexEntry, render_entries};
use super::pieces::{Chunks, OpenArticle, PIECES_DIR};
use super::{ExportContext, ExportError, ExportFormat, INDEX_FILE_NAME, exporter};
use crate::corpus::write_atomic;
use crate::qa::{QaOptions, QaReport};
use crate::record::{
    ArticleRecords, BuildJob, Collected, ConsistencyLedger, PreviousRecords, RecordReader, Tally,
    add_late_findings, write_article_file,
};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

/// Refuses, before anything is written, article names that cannot be file names inside the
/// output folder and an article that would overwrite the corpus index.
pub fn check_article_names<'a>(
    stems: impl IntoIterator<Item = &'a str>,
    formats: &[ExportFormat],
    out_dir: &Path,
) -> Result<(), ExportError> {
    let indexed = formats.contains(&ExportFormat::Html);
    for stem in stems {
        if !crate::corpus::is_safe_stem(stem) {
            return Err(ExportError::UnsafeArticleName {
                path: out_dir.to_path_buf(),
                stem: stem.to_string(),
            });
        }
        if indexed && format!("{stem}.{}", ExportFormat::Html.extension()) == INDEX_FILE_NAME {
            return Err(ExportError::IndexCollision {
                stem: stem.to_string(),
                path: out_dir.join(INDEX_FILE_NAME),
            });
        }
    }
    Ok(())
}

/// Writes a run's files article by article (see the module docs).
pub struct RunWriter {
    out_dir: PathBuf,
    staging: PathBuf,
    /// The export formats besides the records.
    formats: Vec<ExportFormat>,
    context: ExportContext,
    /// Article names by their number in the run.
    stems: Vec<String>,
    index: Vec<Option<IndexEntry>>,
    /// The articles written in pieces whose last piece has not come yet.
    open: HashMap<u32, OpenArticle>,
    ledger: ConsistencyLedger,
    /// Files written so far.
    written: usize,
}

impl RunWriter {
    /// A writer for the articles named `stems` (numbered by their place in it), writing the
    /// records and `formats` into `staging` (emptied first: the caller holds the run lock),
    /// then into `out_dir`.
    pub fn new(
        out_dir: &Path,
        staging: &Path,
        formats: &[ExportFormat],
        context: &ExportContext,
        stems: Vec<String>,
    ) -> Result<RunWriter, ExportError> {
        let io_error = |source| ExportError::Io {
            path: staging.to_path_buf(),
            source,
        };
        match std::fs::remove_dir_all(staging) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error(error));
            }
            _ => {}
        }
        std::fs::create_dir_all(staging).map_err(io_error)?;
        Ok(RunWriter {
            out_dir: out_dir.to_path_buf(),
            staging: staging.to_path_buf(),
            formats: formats
                .iter()
                .copied()
                .filter(|format| *format != ExportFormat::Jsonl)
                .collect(),
            context: context.clone(),
            index: vec![None; stems.len()],
            open: HashMap::new(),
            stems,
            ledger: ConsistencyLedger::default(),
            written: 0,
        })
    }

    /// Writes `piece`, the whole article numbered `number` or a piece of it, and keeps its
    /// summaries.
    pub fn write(
        &mut self,
        number: u32,
        piece: Piece,
        article: &ArticleRecords,
    ) -> Result<(), ExportError> {
        self.ledger.note(number, &article.records);
        self.put(number, piece, article)?;
        if piece.last {
            self.written += 1 + self.formats.len();
        }
        Ok(())
    }

    /// Writes the files of a whole article at once, or appends a piece of one to its files
    /// (opened at its first piece, finished at its last).
    fn put(
        &mut self,
        number: u32,
        piece: Piece,
        article: &ArticleRecords,
    ) -> Result<(), ExportError> {
        if piece.first && piece.last {
            self.write_files(article)?;
            self.index[number as usize] = Some(IndexEntry::of(article));
            return Ok(());
        }
        let open = match self.open.entry(number) {
            Entry::Occupied(open) => open.into_mut(),
            Entry::Vacant(slot) => slot.insert(OpenArticle::open(
                &self.staging,
                &article.stem,
                &self.formats,
                &self.context,
            )?),
        };
        open.append(&article.records)?;
        if piece.last
            && let Some(open) = self.open.remove(&number)
        {
            self.index[number as usize] = Some(open.close(&self.staging)?);
        }
        Ok(())
    }

    fn write_files(&mut self, article: &ArticleRecords) -> Result<(), ExportError> {
        write_article_file(&self.staging, article)?;
        for &format in &self.formats {
            let contents = exporter(format).render_article(article, &self.context);
            let path = self
                .staging
                .join(format!("{}.{}", article.stem, format.extension()));
            write_atomic(&path, &contents).map_err(|source| ExportError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// Ends the run: the consistency findings go into the articles that hold them (counted
    /// into `report`), the index is written, the previous run is kept
    /// ([`crate::diff::keep_previous`]) and every file moves into the output folder. Returns
    /// how many files were written.
    pub fn finish(
        mut self,
        options: &QaOptions,
        report: &mut QaReport,
    ) -> Result<usize, ExportError> {
        let suspects = self.ledger.suspects(options);
        let mut collected = Collected::default();
        for &number in &suspects {
            let mut chunks = self.read_back(number)?;
            while let Some(records) = chunks.next_chunk()? {
                self.ledger.collect(number, &records, &mut collected);
            }
        }
        for (number, findings) in collected.findings(options) {
            // read back a chunk of whole blocks at a time, and written again the same way
            let mut chunks = self.read_back(number)?;
            let mut next = chunks.next_chunk()?;
            let mut first = true;
            while let Some(records) = next.take() {
                next = chunks.next_chunk()?;
                let mut article = ArticleRecords {
                    stem: self.stems[number as usize].clone(),
                    records,
                };
                add_late_findings(&mut article.records, &findings, report);
                let last = next.is_none();
                self.put(number, Piece { first, last }, &article)?;
                first = false;
            }
        }
        if self.formats.contains(&ExportFormat::Html) {
            let entries: Vec<(&str, &IndexEntry)> = self
                .stems
                .iter()
                .zip(&self.index)
                .filter_map(|(stem, entry)| Some((stem.as_str(), entry.as_ref()?)))
                .collect();
            let path = self.staging.join(INDEX_FILE_NAME);
            write_atomic(&path, render_entries(&entries, &self.context).as_bytes()).map_err(
                |source| ExportError::Io {
                    path: path.clone(),
                    source,
                },
            )?;
            self.written += 1;
        }
        prepare_output(&self.out_dir)?;
        let mut names: Vec<String> = Vec::new();
        for stem in &self.stems {
            names.clear();
            names.push(format!("{stem}.jsonl"));
            names.extend(
                self.formats
                    .iter()
                    .map(|format| format!("{stem}.{}", format.extension())),
            );
            for name in &names {
                self.move_into_place(name)?;
            }
        }
        if self.formats.contains(&ExportFormat::Html) {
            self.move_into_place(INDEX_FILE_NAME)?;
        }
        let _ = std::fs::remove_dir(self.staging.join(PIECES_DIR));
        let _ = std::fs::remove_dir(&self.staging);
        Ok(self.written)
    }

    /// The records of the article numbered `number`, read back from the staging folder a
    /// chunk at a time.
    fn read_back(&self, number: u32) -> Result<Chunks, ExportError> {
        let stem = &self.stems[number as usize];
        let path = self.staging.join(format!("{stem}.jsonl"));
        Ok(Chunks {
            reader: RecordReader::open(&path)?,
            held: None,
        })
    }

    /// Renames a staged file over its place in the output folder; across file systems,
    /// writes its contents there atomically instead.
    fn move_into_place(&self, name: &str) -> Result<(), ExportError> {
        let (staged, path) = (self.staging.join(name), self.out_dir.join(name));
        let moved = match std::fs::rename(&staged, &path) {
            Err(error) if error.kind() == std::io::ErrorKind::CrossesDevices => {
                std::fs::read(&staged)
                    .and_then(|contents| write_atomic(&path, &contents))
                    .and_then(|()| std::fs::remove_file(&staged))
            }
            other => other,
        };
        moved.map_err(|source| ExportError::Io { path, source })
    }
}

/// An article, or a piece of one, ready for its verdicts and files: its number in the run,
/// where the piece stands in the article, and what builds its records (applying the verdicts,
/// counting into the run's tally) on the finisher's thread. The pieces of an article come in
/// document order.
pub struct FinishJob {
    pub number: u32,
    pub piece: Piece,
    /// How many segments the job holds, for the bound on what waits for the finisher.
    pub segments: usize,
    pub build: BuildJob,
}

/// Where a piece of records stands in its article: a whole article is both first and last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub first: bool,
    pub last: bool,
}

impl Piece {
    pub const WHOLE: Piece = Piece {
        first: true,
        last: true,
    };
}

/// Articles waiting for the finisher before the run waits for it: bounds the memory a slow
/// disk can make a run hold.
const QUEUED_ARTICLES: usize = 64;

/// Segments waiting for the finisher before the run waits for it (a single article or piece
/// may hold more): pieces of a large article are large, and a part is read while the
/// finisher is still writing the last.
const QUEUED_SEGMENTS: usize = 4_000;

/// The segments queued for the finisher, and the signal that some were written.
#[derive(Default)]
struct Queued {
    segments: Mutex<usize>,
    drained: Condvar,
}

impl Queued {
    fn release(&self, segments: usize) {
        let mut queued = self.segments.lock().unwrap_or_else(PoisonError::into_inner);
        *queued = queued.saturating_sub(segments);
        self.drained.notify_all();
    }
}

/// The thread that gives finished articles their verdicts and writes their files, so that
/// neither delays the requests of the run (see [`spawn_finisher`]).
pub struct Finisher {
    sender: Option<std::sync::mpsc::SyncSender<FinishJob>>,
    queued: Arc<Queued>,
    handle: std::thread::JoinHandle<Result<(usize, Tally), ExportError>>,
}

/// Starts the finisher: every article sent to it is built and written with `writer`;
/// [`Finisher::finish`] ends the run's writing (the consistency findings of `qa`, the index).
/// After a write fails, the articles that follow are dropped and the error is returned at the
/// end.
pub fn spawn_finisher(mut writer: RunWriter, qa: QaOptions) -> Finisher {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<FinishJob>(QUEUED_ARTICLES);
    let queued = Arc::new(Queued::default());
    let written = Arc::clone(&queued);
    let handle = std::thread::spawn(move || {
        let mut tally = Tally::default();
        let mut failure = None;
        // the previous records of the articles whose last piece has not come yet
        let mut previous: HashMap<u32, PreviousRecords> = HashMap::new();
        for job in receiver {
            let segments = job.segments;
            if failure.is_none() {
                let mut carried = previous.remove(&job.number).unwrap_or_default();
                let records = (job.build)(&mut tally, &mut carried);
                if !job.piece.last {
                    previous.insert(job.number, carried);
                }
                match writer.write(job.number, job.piece, &records) {
                    Ok(()) => tally.notices.extend(super::export_notices(
                        std::slice::from_ref(&records),
                        &writer.formats,
                    )),
                    Err(error) => failure = Some(error),
                }
            }
            // counted as waiting until its files are written
            written.release(segments);
        }
        if let Some(error) = failure {
            return Err(error);
        }
        let written = writer.finish(&qa, &mut tally.qa)?;
        Ok((written, tally))
    });
    Finisher {
        sender: Some(sender),
        queued,
        handle,
    }
}

/// Clears what a killed run left in the output folder and keeps the previous run's records
/// ([`crate::diff::keep_previous`]), before the first file of a run lands there (the caller
/// holds the run lock).
fn prepare_output(out_dir: &Path) -> Result<(), ExportError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExportError::Io { path, source }
    };
    for folder in [
        out_dir.to_path_buf(),
        out_dir.join(crate::diff::PREVIOUS_DIR_NAME),
    ] {
        crate::corpus::remove_stale_temporaries(&folder).map_err(io_error(&folder))?;
    }
    crate::diff::keep_previous(out_dir).map_err(|error| match error {
        crate::diff::DiffError::Records(error) => ExportError::Records(error),
        crate::diff::DiffError::Io { path, source } => ExportError::Io { path, source },
        other => ExportError::Io {
            path: out_dir.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    std::fs::create_dir_all(out_dir).map_err(io_error(out_dir))
}

impl Finisher {
    /// Hands an article over (waiting while the queue is full).
    pub fn send(&self, job: FinishJob) {
        let mut queued = (self.queued.segments.lock()).unwrap_or_else(PoisonError::into_inner);
        while *queued > 0 && *queued + job.segments > QUEUED_SEGMENTS && !self.handle.is_finished()
        {
            let wait = self
                .queued
                .drained
                .wait_timeout(queued, Duration::from_millis(100));
            queued = wait.unwrap_or_else(PoisonError::into_inner).0;
        }
        *queued += job.segments;
        drop(queued);
        if let Some(sender) = &self.sender {
            // a finisher that stopped early reports why at the end
            let _ = sender.send(job);
        }
    }

    /// Waits for every article to be written, then for the consistency findings and the
    /// index; returns how many files were written and the verdicts' counts. A panic in the finisher
    /// goes on unwinding here.
    pub fn finish(mut self) -> Result<(usize, Tally), ExportError> {
        drop(self.sender.take());
        match self.handle.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}
