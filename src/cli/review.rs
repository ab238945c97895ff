//! `selaras review import`: bring a reviewer's edited TSV or XLIFF back into the project.
//!
//! Reads the edits ([`crate::review::read_review_edits`]), keeps those the reviewer marked
//! `reviewed` or `final`, re-checks them against the glossary, stores them as approved in the
//! reviewed memory (a TMX file, so nothing is lost with the database; the next `translate` uses
//! them before any engine), and reports how much post-editing the engine's output needed
//! (word and character edit distance, per segment and per article).

use crate::config::Settings;
use crate::corpus::write_atomic;
use crate::error::Outcome;
use crate::export::xliff::SegmentState as XliffState;
use crate::glossary::{Verifier, Violation, load_glossaries};
use crate::record::load_articles;
use crate::review::{EditReport, ReviewEdit, edit_distances, read_review_edits};
use crate::translate::memory::{LanguagePair, parse_tmx, write_tmx};
use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// Import a reviewer's edited TSV or XLIFF: segments marked reviewed or final become
    /// approved memory, are re-checked against the glossary, and the post-editing effort is
    /// reported (exit 1 when an edit breaks the glossary)
    Import {
        /// The edited file (.tsv, or .xlf/.xliff)
        file: PathBuf,
        /// The run's records, to measure against the engine's output (default: the output folder)
        #[arg(long, value_name = "DIR|FILE")]
        records: Option<PathBuf>,
        /// Print the report as one JSON object on stdout
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct ImportReport<'a> {
    file: String,
    memory: String,
    imported: usize,
    skipped_not_reviewed: usize,
    /// Edits whose source no longer matches the run's segment (an outdated export).
    outdated: Vec<String>,
    violations: Vec<EditViolations<'a>>,
    edit_distance: &'a EditReport,
}

#[derive(Serialize)]
struct EditViolations<'a> {
    id: String,
    violations: &'a [Violation],
}

pub fn run(args: ReviewArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let ReviewCommand::Import {
        file,
        records,
        json,
    } = args.command;
    let edits = read_review_edits(&file)?;
    let (approved, skipped): (Vec<ReviewEdit>, Vec<ReviewEdit>) = edits
        .into_iter()
        .partition(|edit| matches!(edit.state, XliffState::Reviewed | XliffState::Final));

    // the run's records, for the engine's output and to catch a review of an outdated export
    let records_path = records.unwrap_or_else(|| settings.output_dir.clone());
    let run_records: Vec<_> = load_articles(std::slice::from_ref(&records_path))
        .with_context(|| {
            format!(
                "cannot read the run's records to compare the review with (use --records); {}",
                records_path.display()
            )
        })?
        .into_iter()
        .flat_map(|article| article.records)
        .collect();
    let outdated: Vec<String> = approved
        .iter()
        .filter(|edit| {
            run_records
                .iter()
                .find(|record| record.id == edit.id)
                .is_some_and(|record| !edit.source.is_empty() && record.source != edit.source)
        })
        .map(|edit| edit.id.to_string())
        .collect();
    if !outdated.is_empty() {
        return Err(anyhow!(
            "{}: {} edited segment(s) have a source that differs from the current run ({}…); the file was exported from an older run: export again and reapply the edits",
            file.display(),
            outdated.len(),
            outdated[0]
        ));
    }

    // the glossary verdict on every edit
    let verifier = if settings.glossary_files.is_empty() {
        None
    } else {
        let (glossary, _) = load_glossaries(
            &settings.glossary_files,
            &settings.source_lang,
            &settings.target_lang,
        )?;
        Some(Verifier::new(glossary))
    };
    let source_of = |edit: &ReviewEdit| -> String {
        if edit.source.is_empty() {
            run_records
                .iter()
                .find(|record| record.id == edit.id)
                .map(|record| record.source.clone())
                .unwrap_or_default()
        } else {
            edit.source.clone()
        }
    };
    let verdicts: Vec<(String, Vec<Violation>)> = approved
        .iter()
        .filter_map(|edit| {
            let verifier = verifier.as_ref()?;
            let verdict = verifier.verify(&source_of(edit), Some(&edit.target));
            (!verdict.violations.is_empty()).then(|| (edit.id.to_string(), verdict.violations))
        })
        .collect();

    // store: the reviewed memory, merged by source text (a new edit replaces an old one)
    let pair = LanguagePair::new(&settings.source_lang, &settings.target_lang);
    let memory_path = &settings.translate.reviewed_memory;
    let mut entries: Vec<(String, String)> = match std::fs::read_to_string(memory_path) {
        Ok(text) => parse_tmx(&text, &pair).map_err(|(line, message)| {
            anyhow!(
                "{}: line {line}: not a valid TMX file: {message}",
                memory_path.display()
            )
        })?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(error) => {
            return Err(error).with_context(|| format!("{}: cannot read", memory_path.display()));
        }
    };
    for edit in &approved {
        let source = source_of(edit);
        if source.is_empty() {
            continue;
        }
        match entries.iter_mut().find(|(existing, _)| *existing == source) {
            Some(entry) => entry.1 = edit.target.clone(),
            None => entries.push((source, edit.target.clone())),
        }
    }
    if let Some(folder) = memory_path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
    }
    write_atomic(memory_path, write_tmx(&entries, &pair).as_bytes()).with_context(|| {
        format!(
            "{}: cannot write the reviewed memory",
            memory_path.display()
        )
    })?;

    let distances = edit_distances(&run_records, &approved);
    let report = ImportReport {
        file: file.display().to_string(),
        memory: memory_path.display().to_string(),
        imported: approved.len(),
        skipped_not_reviewed: skipped.len(),
        outdated,
        violations: verdicts
            .iter()
            .map(|(id, violations)| EditViolations {
                id: id.clone(),
                violations,
            })
            .collect(),
        edit_distance: &distances,
    };
    if json {
        super::write_stdout(|out| {
            serde_json::to_writer(&mut *out, &report)?;
            writeln!(out)
        })?;
    } else {
        print_report(&report, &distances)?;
    }
    Ok(if verdicts.is_empty() {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}

fn print_report(report: &ImportReport, distances: &EditReport) -> anyhow::Result<()> {
    super::write_stdout(|out| {
        writeln!(
            out,
            "imported {} reviewed segment(s) into {} ({} not marked reviewed or final, left out)",
            report.imported, report.memory, report.skipped_not_reviewed
        )?;
        for article in &distances.articles {
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
        for unknown in &distances.unknown {
            writeln!(
                out,
                "note: {unknown} is not in the run's records; imported without a distance"
            )?;
        }
        for item in &report.violations {
            for violation in item.violations {
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
    })
}
