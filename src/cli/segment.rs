//! `selaras segment`: print the segments of the sources, as JSON lines or text.

use super::{ManyErrors, write_stdout};
use crate::bitext::english_segment_options;
use crate::config::Settings;
use crate::corpus;
use crate::error::Outcome;
use crate::model::Segment;
use crate::segment::segment_article;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// Source files or folders of .txt files (default: the configured source folder)
    #[arg(value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = SegmentFormat::Jsonl)]
    format: SegmentFormat,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file
    #[arg(long)]
    lossy: bool,

    /// The language of the texts: `en` segments with the English abbreviation lists, as
    /// `selaras align` segments an English version
    #[arg(long, value_enum, default_value_t = SegmentLanguage::Id)]
    lang: SegmentLanguage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SegmentLanguage {
    /// Indonesian (the source language)
    Id,
    /// English (an existing English version)
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SegmentFormat {
    /// One JSON object per segment
    Jsonl,
    /// One segment per line: id, kind, text (non-translatable kinds in brackets)
    Text,
}

/// The JSON line of one segment; the field names are a public contract.
#[derive(Serialize)]
struct SegmentLine<'a> {
    id: String,
    article: &'a str,
    block: usize,
    index: usize,
    kind: &'static str,
    text: &'a str,
    start: usize,
    end: usize,
    translatable: bool,
}

impl<'a> SegmentLine<'a> {
    fn new(segment: &'a Segment) -> Self {
        SegmentLine {
            id: segment.id.to_string(),
            article: &segment.id.article,
            block: segment.id.block,
            index: segment.id.index,
            kind: segment.kind.as_str(),
            text: &segment.text,
            start: segment.span.start,
            end: segment.span.end,
            translatable: segment.translatable,
        }
    }
}

pub fn run(args: SegmentArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![settings.source_dir.clone()]
    } else {
        args.paths
    };
    let sources = corpus::load_sources(&paths, args.lossy)
        .map_err(|errors| ManyErrors(errors.iter().map(ToString::to_string).collect()))?;
    let options = match args.lang {
        SegmentLanguage::Id => settings.segment_options(),
        SegmentLanguage::En => english_segment_options(&settings.segment_options()),
    };
    write_stdout(|out| {
        for source in &sources {
            let article = segment_article(&source.stem, &source.text, &options);
            for segment in article.segments() {
                match args.format {
                    SegmentFormat::Jsonl => {
                        serde_json::to_writer(&mut *out, &SegmentLine::new(segment))?;
                        writeln!(out)?;
                    }
                    SegmentFormat::Text => {
                        let kind = if segment.translatable {
                            segment.kind.to_string()
                        } else {
                            format!("[{}]", segment.kind)
                        };
                        writeln!(out, "{}\t{}\t{}", segment.id, kind, segment.text)?;
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(Outcome::Success)
}
