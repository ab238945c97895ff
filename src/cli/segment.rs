//! `selaras segment`: print the segments of the sources, as JSON lines or text.
//!
//! Each source is read twice and never held whole: a first pass checks every file (so a bad
//! one stops the run before anything is written), a second streams its blocks to standard
//! output as they are segmented.

use super::{ManyErrors, write_stdout};
use crate::bitext::english_segment_options;
use crate::config::Settings;
use crate::corpus::{self, CorpusError};
use crate::error::Outcome;
use crate::record;
use crate::segment::stream::{ArticleStream, BlockView, ReadError, SourceLines, Survey, survey};
use crate::segment::{SegmentOptions, SegmentSpan};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

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

pub fn run(args: SegmentArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![settings.source_dir.clone()]
    } else {
        args.paths
    };
    let options = match args.lang {
        SegmentLanguage::Id => settings.segment_options(),
        SegmentLanguage::En => english_segment_options(&settings.segment_options()),
    };
    // every source is checked whole before anything is written, as `corpus::load_sources` does,
    // but read as a stream: memory stays a few lines whatever the size of a file
    let sources = check_sources(&paths, args.lossy, &options)
        .map_err(|errors| ManyErrors(errors.iter().map(ToString::to_string).collect()))?;
    let mut failure = None;
    write_stdout(|out| {
        let mut record = Vec::with_capacity(1 << 16);
        for source in &sources {
            let written = write_source(source, args.lossy, &options, |block| {
                for (position, segment) in block.segments.iter().enumerate() {
                    record_segment(
                        &mut record,
                        &source.stem,
                        &block,
                        position,
                        segment,
                        args.format,
                    );
                    if record.len() >= 1 << 15 {
                        out.write_all(&record)?;
                        record.clear();
                    }
                }
                Ok(())
            });
            match written {
                Ok(()) => {}
                Err(SourceFailure::Write(error)) => return Err(error),
                Err(SourceFailure::Read(error)) => {
                    out.write_all(&record)?;
                    failure = Some(error);
                    return Ok(());
                }
            }
        }
        out.write_all(&record)
    })?;
    match failure {
        // the file changed after it was checked
        Some(error) => Err(error.into()),
        None => Ok(Outcome::Success),
    }
}

/// A source that passed the checks, with what the first pass learnt of it.
struct CheckedSource {
    path: PathBuf,
    stem: String,
    survey: Survey,
}

/// [`corpus::load_sources`] without keeping the texts: the same files, checks, errors and
/// order, each file read through once by [`survey`].
fn check_sources(
    paths: &[PathBuf],
    lossy: bool,
    options: &SegmentOptions,
) -> Result<Vec<CheckedSource>, Vec<CorpusError>> {
    let files = corpus::discover(paths)?;
    let mut sources: Vec<CheckedSource> = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for path in files {
        let survey = match check_source(&path, lossy, options) {
            Ok(survey) => survey,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let stem = corpus::article_stem(&path);
        if let Some(other) = sources.iter().find(|source| source.stem == stem) {
            if same_file(&other.path, &path) {
                continue;
            }
            errors.push(CorpusError::DuplicateStem {
                path,
                other: other.path.clone(),
                stem,
            });
            continue;
        }
        sources.push(CheckedSource { path, stem, survey });
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

fn check_source(path: &Path, lossy: bool, options: &SegmentOptions) -> Result<Survey, CorpusError> {
    let reader = open_source(path)?;
    survey(&mut SourceLines::new(reader, lossy), options)
        .map_err(|problem| record::source_error(path, problem))
}

fn open_source(path: &Path) -> Result<impl std::io::Read, CorpusError> {
    corpus::open_input(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CorpusError::NotFound {
            path: path.to_path_buf(),
        },
        _ => CorpusError::Io {
            path: path.to_path_buf(),
            source,
        },
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

enum SourceFailure {
    Read(CorpusError),
    Write(std::io::Error),
}

/// The second pass over one source: each block to `write` as soon as it is final.
fn write_source(
    source: &CheckedSource,
    lossy: bool,
    options: &SegmentOptions,
    mut write: impl FnMut(BlockView<'_>) -> std::io::Result<()>,
) -> Result<(), SourceFailure> {
    let read_failure = |error: ReadError| {
        let path = source.path.clone();
        SourceFailure::Read(match error {
            ReadError::NotUtf8 { byte_offset } => CorpusError::NotUtf8 { path, byte_offset },
            ReadError::Io(source) => CorpusError::Io { path, source },
        })
    };
    let reader = open_source(&source.path).map_err(SourceFailure::Read)?;
    let mut lines = SourceLines::new(reader, lossy);
    let mut stream = ArticleStream::new(&source.survey, options);
    while let Some(line) = lines.next_line().map_err(read_failure)? {
        if let Some(block) = stream.push(line) {
            write(block).map_err(SourceFailure::Write)?;
        }
    }
    if let Some(block) = stream.finish() {
        write(block).map_err(SourceFailure::Write)?;
    }
    Ok(())
}

/// Appends the record of segment `position` (0-based) of `block` to `record`.
fn record_segment(
    record: &mut Vec<u8>,
    stem: &str,
    block: &BlockView<'_>,
    position: usize,
    segment: &SegmentSpan,
    format: SegmentFormat,
) {
    let index = position + 1;
    let text = &block.line[segment.start..segment.end];
    match format {
        // the fields and their order are a public contract: serde_json's compact output
        // of {id, article, block, index, kind, text, start, end, translatable}
        SegmentFormat::Jsonl => {
            record.extend_from_slice(b"{\"id\":\"");
            push_json_string_contents(record, stem);
            record.push(b':');
            push_number(record, block.number);
            record.push(b'.');
            push_number(record, index);
            record.extend_from_slice(b"\",\"article\":\"");
            push_json_string_contents(record, stem);
            record.extend_from_slice(b"\",\"block\":");
            push_number(record, block.number);
            record.extend_from_slice(b",\"index\":");
            push_number(record, index);
            record.extend_from_slice(b",\"kind\":\"");
            record.extend_from_slice(segment.kind.as_str().as_bytes());
            record.extend_from_slice(b"\",\"text\":\"");
            push_json_string_contents(record, text);
            record.extend_from_slice(b"\",\"start\":");
            push_number(record, block.line_start + segment.start);
            record.extend_from_slice(b",\"end\":");
            push_number(record, block.line_start + segment.end);
            record.extend_from_slice(if segment.translatable {
                b",\"translatable\":true}\n"
            } else {
                b",\"translatable\":false}\n"
            });
        }
        // `id<TAB>kind<TAB>text`, the kind in brackets when the segment is not translated
        SegmentFormat::Text => {
            record.extend_from_slice(stem.as_bytes());
            record.push(b':');
            push_number(record, block.number);
            record.push(b'.');
            push_number(record, index);
            record.push(b'\t');
            let kind = segment.kind.as_str().as_bytes();
            if segment.translatable {
                record.extend_from_slice(kind);
            } else {
                record.push(b'[');
                record.extend_from_slice(kind);
                record.push(b']');
            }
            record.push(b'\t');
            record.extend_from_slice(text.as_bytes());
            record.push(b'\n');
        }
    }
}

/// `value` in decimal.
fn push_number(record: &mut Vec<u8>, mut value: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    record.extend_from_slice(&digits[at..]);
}

/// The inside of a JSON string, escaped as serde_json escapes it: `"`, `\\` and the control
/// characters (`\b \f \n \r \t` short, the rest as `\u00xx`); everything else as it is.
fn push_json_string_contents(record: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut position = 0;
    while let Some(offset) = next_to_escape(&bytes[position..]) {
        let at = position + offset;
        record.extend_from_slice(&bytes[run_start..at]);
        let byte = bytes[at];
        match byte {
            b'"' => record.extend_from_slice(b"\\\""),
            b'\\' => record.extend_from_slice(b"\\\\"),
            b'\x08' => record.extend_from_slice(b"\\b"),
            b'\x0c' => record.extend_from_slice(b"\\f"),
            b'\n' => record.extend_from_slice(b"\\n"),
            b'\r' => record.extend_from_slice(b"\\r"),
            b'\t' => record.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                record.extend_from_slice(b"\\u00");
                record.push(HEX[usize::from(byte >> 4)]);
                record.push(HEX[usize::from(byte & 0xf)]);
            }
        }
        position = at + 1;
        run_start = position;
    }
    record.extend_from_slice(&bytes[run_start..]);
}

/// The offset of the first byte JSON must escape (`"`, `\\`, below 0x20), eight bytes at a
/// time: news text rarely has one.
fn next_to_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // a byte below 0x20, or equal to `"` (0x22) or `\\` (0x5c)
        let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        if below_space | has_zero(word ^ (ONES * 0x22)) | has_zero(word ^ (ONES * 0x5c)) != 0 {
            break;
        }
        offset += 8;
    }
    bytes[offset..]
        .iter()
        .position(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
        .map(|at| offset + at)
}
