//! `selaras export`: read the aligned records of a run and write the bilingual files.
//!
//! Reads `translations/*.jsonl` (or the files and folders named), renders every requested
//! format in memory, then writes them atomically into the output folder, and prints one
//! summary line. A malformed record file stops the run before anything is written.

use super::write_stdout;
use crate::config::Settings;
use crate::error::Outcome;
use crate::export::{
    ExportContext, ExportFormat, INDEX_FILE_NAME, Summary, export_articles, export_notices,
};
use crate::record::load_articles;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Aligned record files (.jsonl) or folders of them (default: the configured output folder)
    #[arg(value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,

    /// Formats to write, comma-separated: tsv, jsonl, tmx, xliff, xliff12, md, html, diff
    /// (default: `[export] formats` in selaras.toml, else all but xliff12)
    #[arg(long, value_delimiter = ',', value_name = "FORMAT")]
    format: Vec<ExportFormat>,

    /// Folder to write to (default: the configured output folder)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Seconds since the epoch for file dates: `SOURCE_DATE_EPOCH` when set (reproducible
/// exports), else now.
pub(crate) fn creation_time() -> anyhow::Result<u64> {
    if let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let value = value.to_string_lossy();
        return value.trim().parse().with_context(|| {
            format!("SOURCE_DATE_EPOCH={value:?} is not a number of seconds since 1970")
        });
    }
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default())
}

pub fn run(args: ExportArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![settings.output_dir.clone()]
    } else {
        args.paths
    };
    let mut formats: Vec<ExportFormat> = Vec::new();
    let requested = if args.format.is_empty() {
        settings.export_formats.clone()
    } else {
        args.format
    };
    for format in requested {
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    let out = args.out.unwrap_or_else(|| settings.output_dir.clone());
    crate::corpus::check_output_folder(&out)?;
    let articles = load_articles(&paths)?;
    let context = ExportContext::new(
        &settings.source_lang,
        &settings.target_lang,
        creation_time()?,
    )
    .with_tmx_term_markup(settings.tmx_term_markup);
    let written = export_articles(&articles, &formats, &out, &context)?;
    for notice in export_notices(&articles, &formats) {
        eprintln!("warning: {notice}");
    }
    let mut total = Summary::default();
    for article in &articles {
        total.merge(&article.summary());
    }
    let format_names: Vec<&str> = formats.iter().map(|format| format.as_str()).collect();
    write_stdout(|stdout| {
        writeln!(
            stdout,
            "exported {} {} ({} segments: {} translated, {} untranslated, {} with glossary violations) as {}: {} files in {}",
            articles.len(),
            if articles.len() == 1 {
                "article"
            } else {
                "articles"
            },
            total.segments,
            total.translated,
            total.untranslated,
            total.segments_with_violations,
            if format_names.is_empty() {
                "nothing".to_string()
            } else {
                format_names.join(", ")
            },
            written.len(),
            out.display()
        )?;
        if formats.contains(&ExportFormat::Html) {
            writeln!(stdout, "review: {}", out.join(INDEX_FILE_NAME).display())?;
        }
        Ok(())
    })?;
    Ok(Outcome::Success)
}
