//! Stage 6: aligned records → bilingual files for people and tools.
//!
//! One file per format behind the [`Exporter`] trait: TSV and JSON lines for scripts, TMX 1.4b,
//! XLIFF 2.1 and XLIFF 1.2 for CAT tools, Markdown and HTML for reviewers, and a unified diff of what the
//! glossary fixer changed. Each exporter turns one article's [`crate::record::AlignedSegment`]s into bytes;
//! [`export_articles`] renders everything in memory first and only then writes the files
//! atomically, so a failure never leaves half an export behind. Must not translate, check the
//! glossary or print; the readers here (TSV, XLIFF 2 and 1.2) only parse what a reviewer sends back.

pub mod html;
mod html_filters;
mod html_index;
mod html_marks;
pub mod jsonl;
pub mod markdown;
mod pieces;
pub mod run_diff;
pub mod stream;
mod term_spans;
pub mod tmx;
pub mod tsv;
pub mod unified;
pub mod xliff;
pub mod xliff12;

use crate::corpus::write_atomic;
use crate::record::{AlignedSegment, RecordFileError};
pub use crate::record::{ArticleRecords, Summary};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A format `export` and `translate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportFormat {
    /// Tab-separated values: id, kind, source, target, status, violations.
    Tsv,
    /// The full aligned record, one JSON object per line.
    Jsonl,
    /// TMX 1.4b translation memory.
    Tmx,
    /// XLIFF 2.1 core.
    Xliff,
    /// XLIFF 1.2, for tools that read no XLIFF 2 (not written unless asked for).
    Xliff12,
    /// A side-by-side Markdown table.
    Markdown,
    /// A self-contained HTML review page (plus `index.html`).
    Html,
    /// A unified diff of the engine's output → the final text, per segment.
    Diff,
}

impl ExportFormat {
    /// Every format, in the order they are written.
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Tsv,
        ExportFormat::Jsonl,
        ExportFormat::Tmx,
        ExportFormat::Xliff,
        ExportFormat::Xliff12,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Diff,
    ];

    /// The formats written when `[export] formats` is not set: all but XLIFF 1.2, which only
    /// the tools that cannot read XLIFF 2 need.
    pub const DEFAULT: [ExportFormat; 7] = [
        ExportFormat::Tsv,
        ExportFormat::Jsonl,
        ExportFormat::Tmx,
        ExportFormat::Xliff,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Diff,
    ];

    /// The name used on the command line and in `selaras.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Tsv => "tsv",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Tmx => "tmx",
            ExportFormat::Xliff => "xliff",
            ExportFormat::Xliff12 => "xliff12",
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Diff => "diff",
        }
    }

    /// The file extension of the per-article file.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xliff => "xlf",
            // beside the XLIFF 2 file; CAT tools open `.xlf`
            ExportFormat::Xliff12 => "xliff12.xlf",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a format name that is not one of [`ExportFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown export format {0:?} (expected one of tsv, jsonl, tmx, xliff, xliff12, md, html, diff)"
)]
pub struct UnknownFormat(pub String);

impl FromStr for ExportFormat {
    type Err = UnknownFormat;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "tsv" => ExportFormat::Tsv,
            "jsonl" | "json-lines" => ExportFormat::Jsonl,
            "tmx" => ExportFormat::Tmx,
            "xliff" | "xlf" | "xliff2" => ExportFormat::Xliff,
            "xliff12" | "xliff1.2" => ExportFormat::Xliff12,
            "md" | "markdown" => ExportFormat::Markdown,
            "html" => ExportFormat::Html,
            "diff" => ExportFormat::Diff,
            _ => return Err(UnknownFormat(text.to_string())),
        })
    }
}

impl Serialize for ExportFormat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ExportFormat {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What every exporter may need besides the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportContext {
    /// Source language tag (`id`).
    pub source_lang: String,
    /// Target language tag (`en`).
    pub target_lang: String,
    /// The version written as TMX `creationtoolversion`.
    pub tool_version: String,
    /// Creation time in seconds since the Unix epoch (UTC); fixed by the caller so that two
    /// exports of the same records are byte-identical (the CLI honours `SOURCE_DATE_EPOCH`).
    pub created_at: u64,
    /// Mark glossary terms in the per-article TMX with `<hi type="x-term">` (`[export]
    /// tmx-term-markup`); off by default, because CAT tools such as OmegaT drop the text of
    /// `<hi>` when they read a memory and then find no exact match.
    pub tmx_term_markup: bool,
}

impl ExportContext {
    /// A context for this build of selaras.
    pub fn new(source_lang: &str, target_lang: &str, created_at: u64) -> Self {
        ExportContext {
            source_lang: source_lang.to_string(),
            target_lang: target_lang.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at,
            tmx_term_markup: false,
        }
    }

    /// The same context, with glossary terms marked in the TMX or not.
    pub fn with_tmx_term_markup(mut self, markup: bool) -> Self {
        self.tmx_term_markup = markup;
        self
    }
}

/// The name of the corpus index page written next to the per-article HTML pages.
pub const INDEX_FILE_NAME: &str = "index.html";

/// One output format.
pub trait Exporter {
    /// Which format this is.
    fn format(&self) -> ExportFormat;

    /// The writer of one article's file in pieces (see [`PieceWriter`]).
    fn pieces(&self, stem: &str, context: &ExportContext) -> Box<dyn PieceWriter>;

    /// Renders one article: the head, body and tail of its [`Exporter::pieces`] writer.
    fn render_article(&self, article: &ArticleRecords, context: &ExportContext) -> Vec<u8> {
        let mut writer = self.pieces(&article.stem, context);
        let mut body = Vec::new();
        writer.body(&article.records, &mut body);
        let mut out = Vec::with_capacity(body.len() + 16_384);
        writer.head(&mut out);
        out.append(&mut body);
        writer.tail(&mut out);
        out
    }

    /// Renders the corpus index, for formats that have one (`index.html`): the file name
    /// inside the output folder and its contents.
    fn render_index(
        &self,
        articles: &[ArticleRecords],
        context: &ExportContext,
    ) -> Option<(String, Vec<u8>)> {
        let _ = (articles, context);
        None
    }
}

/// One article's file, written a piece at a time: the body of each piece of the article's
/// records as it comes (whole blocks, in document order), then what goes before the body and
/// after it, known once every record has been seen (counts, notes on what was left out). The
/// file is `head + body + tail`; [`Exporter::render_article`] is the same for a whole article,
/// so both ways give the same bytes. What a writer keeps between pieces is a summary of the
/// records (counts, the first heading), never the records.
pub trait PieceWriter: Send {
    /// Appends the body of `records`, the next records of the article.
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>);
    /// Appends what comes before the body.
    fn head(&self, out: &mut Vec<u8>);
    /// Appends what comes after the body.
    fn tail(&self, out: &mut Vec<u8>);
    /// Whether [`PieceWriter::head`] depends on no record, so that it can be written first.
    fn head_is_fixed(&self) -> bool;
}

/// The exporter of a format.
pub fn exporter(format: ExportFormat) -> Box<dyn Exporter> {
    match format {
        ExportFormat::Tsv => Box::new(tsv::TsvExporter),
        ExportFormat::Jsonl => Box::new(jsonl::JsonlExporter),
        ExportFormat::Tmx => Box::new(tmx::TmxExporter),
        ExportFormat::Xliff => Box::new(xliff::XliffExporter),
        ExportFormat::Xliff12 => Box::new(xliff12::Xliff12Exporter),
        ExportFormat::Markdown => Box::new(markdown::MarkdownExporter),
        ExportFormat::Html => Box::new(html::HtmlExporter),
        ExportFormat::Diff => Box::new(unified::UnifiedDiffExporter),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Records(#[from] RecordFileError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "article {stem:?} would be written to {path}, which is also the corpus index; rename the source file"
    )]
    IndexCollision { stem: String, path: PathBuf },
    #[error(
        "{path}: article name {stem:?} cannot be a file name inside the output folder (only letters, digits, `-`, `_` and `.`, not starting with `.`)"
    )]
    UnsafeArticleName { path: PathBuf, stem: String },
}

impl crate::error::Classified for ExportError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            ExportError::Records(error) => error.class(),
            ExportError::Io { source, .. } => crate::error::io_class(source),
            ExportError::IndexCollision { .. } | ExportError::UnsafeArticleName { .. } => {
                crate::error::ErrorClass::Input
            }
        }
    }
}

/// Renders every format for every article, then writes the files atomically into `out_dir`
/// (created if missing). Returns the paths written, in order. Nothing is written when any
/// check fails.
pub fn export_articles(
    articles: &[ArticleRecords],
    formats: &[ExportFormat],
    out_dir: &Path,
    context: &ExportContext,
) -> Result<Vec<PathBuf>, ExportError> {
    if let Some(article) = articles
        .iter()
        .find(|article| !crate::corpus::is_safe_stem(&article.stem))
    {
        return Err(ExportError::UnsafeArticleName {
            path: out_dir.to_path_buf(),
            stem: article.stem.clone(),
        });
    }
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for &format in formats {
        let exporter = exporter(format);
        if let Some((name, contents)) = exporter.render_index(articles, context) {
            let path = out_dir.join(&name);
            if let Some(article) = articles
                .iter()
                .find(|article| format!("{}.{}", article.stem, format.extension()) == name)
            {
                return Err(ExportError::IndexCollision {
                    stem: article.stem.clone(),
                    path,
                });
            }
            outputs.push((path, contents));
        }
        for article in articles {
            let path = out_dir.join(format!("{}.{}", article.stem, format.extension()));
            outputs.push((path, exporter.render_article(article, context)));
        }
    }
    std::fs::create_dir_all(out_dir).map_err(|source| ExportError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(outputs.len());
    for (path, contents) in outputs {
        write_atomic(&path, &contents).map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// What the files of `formats` leave out of `articles`, one message per segment, for the
/// caller to show: the TMX files leave out a segment holding a character XML 1.0 cannot carry
/// (and name it in their header), rather than write it changed.
pub fn export_notices(articles: &[ArticleRecords], formats: &[ExportFormat]) -> Vec<String> {
    if !formats.contains(&ExportFormat::Tmx) {
        return Vec::new();
    }
    articles
        .iter()
        .flat_map(|article| {
            article.records.iter().filter_map(move |record| {
                let target = record.target.as_deref().filter(|_| record.translatable)?;
                let reason = tmx::left_out_because(record, target)?;
                Some(format!("{}.tmx: {reason}", article.stem))
            })
        })
        .collect()
}

/// Formats seconds since the Unix epoch as the TMX date `YYYYMMDDThhmmssZ`.
pub fn tmx_date(unix_seconds: u64) -> String {
    let (year, month, day, hour, minute, second) = civil_time(unix_seconds);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// Formats seconds since the Unix epoch as ISO 8601 (`2025-01-31 14:05 UTC`) for people.
pub fn readable_date(unix_seconds: u64) -> String {
    let (year, month, day, hour, minute, _) = civil_time(unix_seconds);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// Seconds since the epoch → (year, month, day, hour, minute, second) in UTC, by Howard
/// Hinnant's days-from-civil inverse (proleptic Gregorian calendar).
fn civil_time(unix_seconds: u64) -> (i64, u32, u32, u32, u32, u32) {
    let days = (unix_seconds / 86_400) as i64;
    let seconds_of_day = (unix_seconds % 86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        seconds_of_day / 3_600,
        seconds_of_day % 3_600 / 60,
        seconds_of_day % 60,
    )
}

/// The spans of `text` to highlight, each with a class: sorted, within the text, on character
/// boundaries and without overlaps (an earlier span in `spans` wins over a later one).
pub(crate) fn clean_spans<T: Copy>(
    text: &str,
    spans: &[(usize, usize, T)],
) -> Vec<(usize, usize, T)> {
    let mut accepted: Vec<(usize, usize, T)> = Vec::new();
    for &(start, end, tag) in spans {
        let valid = start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        let overlaps = accepted
            .iter()
            .any(|&(other_start, other_end, _)| start < other_end && other_start < end);
        if valid && !overlaps {
            accepted.push((start, end, tag));
        }
    }
    accepted.sort_by_key(|&(start, _, _)| start);
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_civil_time() {
        let table = [
            (0, "19700101T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (1_735_689_599, "20241231T235959Z"),
            (1_764_547_200, "20251201T000000Z"),
        ];
        for (seconds, expected) in table {
            assert_eq!(tmx_date(seconds), expected, "{seconds}");
        }
        assert_eq!(readable_date(1_764_547_200 + 3_660), "2025-12-01 01:01 UTC");
    }

    #[test]
    fn format_names_parse_and_print() {
        for format in ExportFormat::ALL {
            assert_eq!(format.as_str().parse::<ExportFormat>(), Ok(format));
        }
        assert_eq!("XLF".parse::<ExportFormat>(), Ok(ExportFormat::Xliff));
        assert_eq!(
            "markdown".parse::<ExportFormat>(),
            Ok(ExportFormat::Markdown)
        );
        assert!("pdf".parse::<ExportFormat>().is_err());
        assert_eq!(ExportFormat::Xliff.extension(), "xlf");
        assert_eq!(ExportFormat::Xliff12.extension(), "xliff12.xlf");
        assert_eq!(
            "XLIFF1.2".parse::<ExportFormat>(),
            Ok(ExportFormat::Xliff12)
        );
        assert!(!ExportFormat::DEFAULT.contains(&ExportFormat::Xliff12));
    }

    #[test]
    fn spans_are_cleaned() {
        let text = "Menlu Việt Nam";
        let spans = [
            (0, 5, 'a'),
            (3, 8, 'b'),   // overlaps the first
            (9, 10, 'c'),  // inside the three-byte ệ
            (10, 99, 'd'), // past the end
            (6, 12, 'e'),
        ];
        assert_eq!(clean_spans(text, &spans), [(0, 5, 'a'), (6, 12, 'e')]);
    }
}
