//! `selaras review import` and `selaras review serve`: flags → the review library's options,
//! then printing.
//!
//! Import: [`crate::review::import::import_review`] decides which edits to take and stores
//! them; this prints the report (edits, approvals and propagations counted apart, changed
//! targets that were not marked, segments that no longer match the run) and picks the exit
//! code. Serve: [`crate::review::serve::ReviewServer`] on a tokio runtime; the first line on
//! stdout is the URL, and Ctrl-C or SIGTERM stops it with exit 0.

use crate::config::Settings;
use crate::error::Outcome;
use crate::review::import::{ImportOptions, ImportReport, import_review};
use crate::review::serve::{ReviewServer, ServeOptions};
use crate::review::store::ReviewedMemory;
use crate::translate::memory::{LanguagePair, read_approved};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// Import a reviewer's edited TSV or XLIFF (2 or 1.2): segments marked reviewed or final
    /// become approved memory, are re-checked against the glossary, and the post-editing effort
    /// is reported (exit 1 when an edit breaks the glossary, a segment no longer matches the run
    /// or cannot be stored, or a target looks garbled by a tool)
    Import {
        /// The edited file (.tsv, or .xlf/.xliff: XLIFF 2 or 1.2, told apart by its version)
        file: PathBuf,
        /// The run's records, to measure against the engine's output (default: the output folder)
        #[arg(long, value_name = "DIR|FILE")]
        records: Option<PathBuf>,
        /// Import every changed target as reviewed, also those whose status was left alone
        #[arg(long)]
        all_edits: bool,
        /// The report: `text` for people (stdout, warnings on stderr), `json` for one JSON
        /// object on stdout
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// The same as `--format json` (kept for scripts written before `--format`)
        #[arg(long, hide = true, conflicts_with = "format")]
        json: bool,
    },
    /// Serve the review workspace for the current run in the browser (the first line on
    /// stdout is its URL; Ctrl-C stops it)
    Serve {
        /// The address to listen on, and the only one (as the Host header) the server answers
        /// to; a LAN address lets other machines in
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// The port (0 takes a free one)
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

/// What `review import` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// The report for people
    Text,
    /// One JSON object on stdout
    Json,
}

pub fn run(args: ReviewArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    // one lock for every save of the reviewed memory, whichever command saves: it lives with
    // the translate run lock, in the database's folder (`.selaras/`)
    let lock_folder = settings
        .translate
        .database
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .map_or_else(|| settings.root.join(".selaras"), PathBuf::from);
    let memory = ReviewedMemory::new(
        &settings.translate.reviewed_memory,
        &settings.source_lang,
        &settings.target_lang,
    )
    .with_lock(lock_folder.join("review.lock"));
    match args.command {
        ReviewCommand::Import {
            file,
            records,
            all_edits,
            format,
            json,
        } => {
            let format = if json { ReportFormat::Json } else { format };
            let options = ImportOptions {
                file,
                records: records.unwrap_or_else(|| settings.output_dir.clone()),
                memory,
                glossary_files: settings.glossary_files.clone(),
                all_edits,
            };
            let report = import_review(&options)?;
            if format == ReportFormat::Json {
                super::write_stdout(|out| {
                    serde_json::to_writer(&mut *out, &report)?;
                    writeln!(out)
                })?;
            } else {
                print_report(&report)?;
            }
            Ok(if report.has_findings() {
                Outcome::Findings
            } else {
                Outcome::Success
            })
        }
        ReviewCommand::Serve { host, port } => serve(ServeOptions {
            host,
            port,
            output_dir: settings.output_dir.clone(),
            memory,
            glossary_files: settings.glossary_files.clone(),
            qa: settings.qa.clone(),
            approved: read_approved(
                &settings.translate.memory_files(),
                &LanguagePair::new(&settings.source_lang, &settings.target_lang),
            )?,
        }),
    }
}

fn serve(options: ServeOptions) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = ReviewServer::bind(options).await?;
        // the URL first and alone on its line: scripts and tests read it
        super::write_stdout(|out| {
            writeln!(out, "{}", server.url())?;
            writeln!(out, "serving the review workspace; press Ctrl-C to stop")
        })?;
        server.run(stop_signal()).await?;
        anyhow::Ok(())
    })?;
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    Ok(Outcome::Success)
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_report(report: &ImportReport) -> anyhow::Result<()> {
    super::write_stdout(|out| {
        writeln!(
            out,
            "imported {} segment(s) into {}: {} edit(s), {} approval(s); {} identical segment(s) elsewhere in the run get the same English on the next translate",
            report.imported,
            report.memory.display(),
            report.edits,
            report.approvals,
            report.propagations
        )?;
        if report.unchanged > 0 {
            writeln!(
                out,
                "{} segment(s) neither changed nor marked reviewed or final, left out",
                report.unchanged
            )?;
        }
        for article in &report.edit_distance.articles {
            writeln!(
                out,
                "{}: {} edited segment(s); word edit rate {:.1}%, character edit rate {:.1}%",
                article.article,
                article.edited_segments,
                100.0 * article.total.word_rate(),
                100.0 * article.total.character_rate()
            )?;
            for segment in article.segments.iter().filter(|s| s.distance.words > 0) {
                writeln!(
                    out,
                    "  {}: {} word edit(s), {} character edit(s)",
                    segment.id, segment.distance.words, segment.distance.characters
                )?;
            }
        }
        for item in &report.violations {
            for violation in &item.violations {
                writeln!(
                    out,
                    "{}: violation: {}: {:?} must be {:?}{}",
                    item.id,
                    violation.kind.as_str(),
                    violation.source_term,
                    violation.expected,
                    violation
                        .found
                        .as_ref()
                        .map(|found| format!("; found {found:?}"))
                        .unwrap_or_default()
                )?;
            }
        }
        Ok(())
    })?;
    // what needs the reviewer's attention goes to stderr, one line per segment
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    use std::io::Write;
    for unmarked in &report.unmarked_edits {
        writeln!(
            err,
            "warning: {} (line {}): the target was changed but its status is not reviewed or final; not imported (set the status, or import with --all-edits to take every changed target as reviewed)",
            unmarked.id, unmarked.line_number
        )?;
    }
    for suspect in &report.suspect {
        writeln!(
            err,
            "warning: {} (line {}): {}; not imported: correct the target (or make the edit in `selaras review serve`) and import again",
            suspect.id, suspect.line_number, suspect.reason
        )?;
    }
    for mismatch in &report.mismatched {
        writeln!(
            err,
            "error: {} (line {}) {}; not imported: {}",
            mismatch.id, mismatch.line_number, mismatch.reason, mismatch.advice
        )?;
    }
    Ok(())
}
