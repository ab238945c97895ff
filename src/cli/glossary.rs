//! `selaras glossary lint`: report every problem in glossary files, with file and line.
//! `selaras glossary export`: write the glossary in force as TBX, CSV or OmegaT's format.

use crate::config::Settings;
use crate::error::Outcome;
use crate::glossary::{ExportFormat, Severity, export_glossary, load_glossaries, load_glossary};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GlossaryArgs {
    #[command(subcommand)]
    command: GlossaryCommand,
}

#[derive(Debug, Subcommand)]
enum GlossaryCommand {
    /// Check glossary files: malformed rows, unknown kinds or TBX statuses, duplicates,
    /// conflicts, forbidden renderings that are also accepted (by the same entry: error; by
    /// another: warning), entries that can never match (exit 1 if any)
    Lint {
        /// Glossary files (TSV, CSV or TBX; default: the configured ones)
        files: Vec<PathBuf>,
    },
    /// Write the glossary for other tools: TBX-Basic (DCA), CSV with the TSV's columns, or
    /// OmegaT's tab-separated glossary (one line per accepted rendering)
    Export {
        /// Glossary files (TSV, CSV or TBX; default: the configured ones)
        files: Vec<PathBuf>,
        /// The format to write
        #[arg(long, value_enum)]
        format: FormatArg,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Tbx,
    Csv,
    Omegat,
}

pub fn run(args: GlossaryArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    match args.command {
        GlossaryCommand::Lint { files } => lint(files, settings),
        GlossaryCommand::Export { files, format, out } => export(files, format, out, settings),
    }
}

fn files_or_configured(files: Vec<PathBuf>, settings: &Settings) -> Vec<PathBuf> {
    if files.is_empty() {
        settings.glossary_files.clone()
    } else {
        files
    }
}

fn export(
    files: Vec<PathBuf>,
    format: FormatArg,
    out: Option<PathBuf>,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
    let files = files_or_configured(files, settings);
    let (glossary, warnings) =
        load_glossaries(&files, &settings.source_lang, &settings.target_lang)?;
    let format = match format {
        FormatArg::Tbx => ExportFormat::Tbx,
        FormatArg::Csv => ExportFormat::Csv,
        FormatArg::Omegat => ExportFormat::OmegaT,
    };
    let text = export_glossary(
        &glossary,
        format,
        &settings.source_lang,
        &settings.target_lang,
    );
    let mut stderr = std::io::stderr().lock();
    for warning in &warnings {
        writeln!(stderr, "{warning}").context("cannot write to standard error")?;
    }
    match &out {
        Some(path) => {
            crate::corpus::write_atomic(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                stderr,
                "{} entries written to {}",
                glossary.entries.len(),
                path.display()
            )
            .context("cannot write to standard error")?;
        }
        None => super::write_stdout(|stdout| stdout.write_all(text.as_bytes()))?,
    }
    Ok(Outcome::Success)
}

fn lint(files: Vec<PathBuf>, settings: &Settings) -> anyhow::Result<Outcome> {
    let files = files_or_configured(files, settings);
    let mut issues = Vec::new();
    let mut entries = 0;
    for file in &files {
        let (glossary, file_issues) =
            load_glossary(file, &settings.source_lang, &settings.target_lang)?;
        entries += glossary.entries.len();
        issues.extend(file_issues);
    }
    let errors = issues
        .iter()
        .filter(|issue| issue.severity == Severity::Error)
        .count();
    super::write_stdout(|out| {
        for issue in &issues {
            writeln!(out, "{issue}")?;
        }
        Ok(())
    })?;
    let mut stderr = std::io::stderr().lock();
    writeln!(
        stderr,
        "{} file(s), {entries} usable entries: {errors} error(s), {} warning(s)",
        files.len(),
        issues.len() - errors
    )
    .context("cannot write to standard error")?;
    Ok(if issues.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}
