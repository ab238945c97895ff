//! `selaras glossary lint`: report every problem in glossary files, with file and line.

use crate::config::Settings;
use crate::error::Outcome;
use crate::glossary::{Severity, load_glossary};
use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GlossaryArgs {
    #[command(subcommand)]
    command: GlossaryCommand,
}

#[derive(Debug, Subcommand)]
enum GlossaryCommand {
    /// Check glossary files: malformed rows, unknown kinds, duplicates, conflicts, forbidden
    /// renderings that are also accepted, entries that can never match (exit 1 if any)
    Lint {
        /// Glossary files (TSV, CSV or TBX; default: the configured ones)
        files: Vec<PathBuf>,
    },
}

pub fn run(args: GlossaryArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let GlossaryCommand::Lint { files } = args.command;
    let files = if files.is_empty() {
        settings.glossary_files.clone()
    } else {
        files
    };
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
