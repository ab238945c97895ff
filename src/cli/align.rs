//! `selaras align`: pair an Indonesian article with an existing English version, sentence by
//! sentence, and write the pairs as aligned records, JSON lines on stdout, or TMX memory.

use super::terms::{load_verifier, term_pairs};
use super::write_stdout;
use crate::bitext::memory::{MemoryLanguages, MemoryMergeError, add_to_memory, memory_link_count};
use crate::bitext::{
    self, AlignOptions, ArticleAlignment, Evidence, LinkKind, align_articles, segment_english,
};
use crate::config::Settings;
use crate::corpus::{self, write_atomic};
use crate::error::Outcome;
use crate::record::{self, write_jsonl};
use crate::segment::segment_article;
use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The Indonesian article (.txt, one paragraph per line)
    #[arg(value_name = "SOURCE.txt")]
    source: PathBuf,

    /// Its existing English version (.txt, one paragraph per line)
    #[arg(value_name = "TARGET.txt")]
    target: PathBuf,

    /// Folder for the aligned records, `<article>.jsonl` (default: the configured output folder)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Print the links on stdout in this format instead of writing records (default: no
    /// --format, the records are written into the output folder and nothing to stdout)
    #[arg(long, value_enum)]
    format: Option<AlignFormat>,

    /// Links whose confidence is below this are flagged for review and kept out of the memory
    #[arg(long, default_value_t = 0.5, value_name = "X", value_parser = parse_threshold)]
    threshold: f64,

    /// Also add the links at or above the threshold to a TMX translation memory
    #[arg(long)]
    into_memory: bool,

    /// The memory --into-memory adds to (default: <output folder>/aligned-memory.tmx)
    #[arg(long, value_name = "FILE", requires = "into_memory")]
    memory_out: Option<PathBuf>,

    /// Glossary (TSV, CSV or TBX) whose term pairs anchor the alignment (default: the
    /// configured glossaries)
    #[arg(long, value_name = "FILE")]
    glossary: Option<PathBuf>,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing a file
    #[arg(long)]
    lossy: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AlignFormat {
    /// One link per line: {"source", "target", "confidence", "link", "source_ids", "target_ids", "flagged"}
    Jsonl,
}

fn parse_threshold(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

/// One printed link; the first three field names are a public contract.
#[derive(Serialize)]
struct LinkLine {
    source: String,
    target: String,
    confidence: f64,
    link: &'static str,
    source_ids: Vec<String>,
    target_ids: Vec<String>,
    flagged: bool,
}

pub fn run(args: AlignArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let source = corpus::read_source(&args.source, args.lossy)?;
    let target = corpus::read_source(&args.target, args.lossy)?;
    let term_pairs = term_pairs(load_verifier(args.glossary.as_deref(), settings)?.as_ref());
    let source_options = settings.segment_options();
    let source_article = segment_article(&source.stem, &source.text, &source_options);
    let target_article = segment_english(&target.stem, &target.text);
    let options = AlignOptions {
        threshold: args.threshold,
        ..AlignOptions::default()
    };
    let evidence = Evidence {
        term_pairs: &term_pairs,
        ..Evidence::default()
    };
    let alignment = align_articles(&source_article, &target_article, &evidence, &options);

    // prepare every output before writing any
    let memory = if args.into_memory {
        let path = args
            .memory_out
            .clone()
            .unwrap_or_else(|| settings.output_dir.join("aligned-memory.tmx"));
        let existing = if path.exists() {
            Some(
                crate::corpus::read_input_to_string(&path)
                    .with_context(|| format!("{}: cannot read the memory", path.display()))?,
            )
        } else {
            None
        };
        let languages = MemoryLanguages {
            source: &settings.source_lang,
            target: &settings.target_lang,
            creation_tool_version: env!("CARGO_PKG_VERSION"),
        };
        let text = add_to_memory(existing.as_deref(), &alignment, args.threshold, languages)
            .map_err(|error| match error {
                MemoryMergeError::NotTmx(cause) => {
                    anyhow::Error::new(cause).context(format!("{}: not a TMX file", path.display()))
                }
                other => anyhow!("{}: {other}", path.display()),
            })?;
        Some((path, text))
    } else {
        None
    };
    match args.format {
        Some(AlignFormat::Jsonl) => {
            write_stdout(|out| print_links(&alignment, out))?;
        }
        None => {
            let folder = args
                .out
                .clone()
                .unwrap_or_else(|| settings.output_dir.clone());
            let records = record::from_alignment(&source_article, &alignment);
            let mut buffer = Vec::new();
            write_jsonl(&records, &mut buffer).context("cannot serialise the records")?;
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
            let path = folder.join(format!("{}.jsonl", source.stem));
            write_atomic(&path, &buffer)
                .with_context(|| format!("{}: cannot write the records", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    if let Some((path, text)) = &memory {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create the folder", parent.display()))?;
        }
        write_atomic(path, text.as_bytes())
            .with_context(|| format!("{}: cannot write the memory", path.display()))?;
    }
    print_summary(
        &alignment,
        args.threshold,
        memory.as_ref().map(|(path, _)| path.as_path()),
    );
    Ok(Outcome::Success)
}

fn print_links(alignment: &ArticleAlignment, out: &mut dyn Write) -> std::io::Result<()> {
    for link in &alignment.links {
        let line = LinkLine {
            source: ArticleAlignment::joined(&link.source, &alignment.source),
            target: ArticleAlignment::joined(&link.target, &alignment.target),
            confidence: bitext::rounded(link.confidence),
            link: link.kind.as_str(),
            source_ids: ArticleAlignment::ids(&link.source, &alignment.source),
            target_ids: ArticleAlignment::ids(&link.target, &alignment.target),
            flagged: link.flagged,
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

fn print_summary(alignment: &ArticleAlignment, threshold: f64, memory: Option<&Path>) {
    let count = |kind: LinkKind| {
        alignment
            .links
            .iter()
            .filter(|link| link.kind == kind)
            .count()
    };
    let flagged = alignment.links.iter().filter(|link| link.flagged).count();
    let added_to_memory = memory_link_count(alignment, threshold);
    let mut message = format!(
        "aligned {} source and {} English sentences: {} 1-1, {} 1-2, {} 2-1, {} swapped, {} omitted (1-0), {} added (0-1); {} flagged below {}",
        alignment.source.len(),
        alignment.target.len(),
        count(LinkKind::OneToOne),
        count(LinkKind::OneToTwo),
        count(LinkKind::TwoToOne),
        count(LinkKind::Swap),
        count(LinkKind::OneToZero),
        count(LinkKind::ZeroToOne),
        flagged,
        threshold,
    );
    if let Some(path) = memory {
        message.push_str(&format!(
            "; {added_to_memory} links added to {}",
            path.display()
        ));
    }
    eprintln!("{message}");
}
