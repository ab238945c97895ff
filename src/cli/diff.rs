//! `selaras diff`: what changed between two runs, for people (colored or plain text), diff
//! viewers (unified), browsers (html) and scripts (json).
//!
//! With no paths, compares the previous run (`translations/.previous/`) with the current one.
//! Color is used only for the terminal format, when standard output is a terminal and
//! `NO_COLOR` is not set. `--exit-code` makes differences exit with 1.

use super::write_stdout;
use crate::config::Settings;
use crate::diff::{diff_runs, load_run, previous_run};
use crate::error::Outcome;
use crate::export::run_diff::{RunLabels, render_html, render_json, render_text, render_unified};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old run and the new run: record files (.jsonl) or translation folders
    /// (default: the previous run against the current one)
    #[arg(value_name = "OLD NEW", num_args = 0..=2)]
    paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Color)]
    format: DiffFormat,

    /// Exit with 1 when the runs differ
    #[arg(long)]
    exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// Changed words inline, colored on a terminal ([-deleted-]{+inserted+} otherwise); also
    /// accepted as `text`, the name other commands give their output for people
    #[value(alias = "text")]
    Color,
    /// A unified diff per segment
    Unified,
    /// A self-contained HTML page
    Html,
    /// One JSON document: summary, changed, added, removed
    Json,
}

/// Whether to color terminal output: only on a terminal, and never with `NO_COLOR` set to a
/// non-empty value (https://no-color.org).
fn use_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    !no_color && std::io::stdout().is_terminal()
}

pub fn run(args: DiffArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let (old, new) = match args.paths.as_slice() {
        [] => (
            previous_run(&settings.output_dir)?,
            settings.output_dir.clone(),
        ),
        [old, new] => (old.clone(), new.clone()),
        [only] => anyhow::bail!(
            "one run given ({}); name two (selaras diff OLD NEW) or none to compare the previous run with the current one",
            only.display()
        ),
        _ => unreachable!("clap allows at most two paths"),
    };
    let old_records = load_run(&old)?;
    let new_records = load_run(&new)?;
    let diff = diff_runs(&old_records, &new_records);
    let labels = RunLabels {
        old: old.display().to_string(),
        new: new.display().to_string(),
    };
    write_stdout(|out| match args.format {
        DiffFormat::Color => render_text(&diff, &labels, use_color(), out),
        DiffFormat::Unified => render_unified(&diff, out),
        DiffFormat::Html => render_html(&diff, &labels, out),
        DiffFormat::Json => render_json(&diff, out),
    })?;
    if args.exit_code && !diff.is_empty() {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Success)
    }
}
