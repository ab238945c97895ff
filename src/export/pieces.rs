//! An article's files written a piece at a time, for an article too large to hold whole: each
//! file is opened at the article's first piece, each piece's body appended as it comes, and
//! the file finished at the last piece. A format whose start is known before any record
//! (JSON lines, TSV, XLIFF) writes it first; one whose start depends on every record (the
//! counts of Markdown and HTML, the TMX header's notes on what was left out) writes its body
//! into a file of its own and, at the end, its start, then the body copied a buffer at a time,
//! then its end. Memory is one piece, whatever the size of the article. The bytes are those of
//! [`super::Exporter::render_article`] for the whole article ([`super::PieceWriter`]). Also
//! the reader that gives an article's records back a chunk of whole blocks at a time. Must not
//! apply verdicts.

use super::html_index::{IndexEntry, PageDigest};
use super::{ExportContext, ExportError, ExportFormat, PieceWriter, exporter};
use crate::record::{AlignedSegment, RecordReader};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The folder inside the staging folder holding the files being written in pieces (a name no
/// article can have: article names never start with `.`).
pub const PIECES_DIR: &str = ".pieces";

/// One file being written in pieces.
struct PieceFile {
    writer: Box<dyn PieceWriter>,
    /// The file name in the staging folder once finished.
    name: String,
    /// The file being written: the whole file when its start was written first, else its body.
    path: PathBuf,
    out: BufWriter<File>,
}

/// The files of an article written in pieces, and what its index row needs.
pub struct OpenArticle {
    files: Vec<PieceFile>,
    digest: PageDigest,
    buffer: Vec<u8>,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl OpenArticle {
    /// Opens the records file and the files of `formats` of article `stem`, in `staging`.
    pub fn open(
        staging: &Path,
        stem: &str,
        formats: &[ExportFormat],
        context: &ExportContext,
    ) -> Result<OpenArticle, ExportError> {
        let folder = staging.join(PIECES_DIR);
        std::fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        let mut files = Vec::new();
        for format in std::iter::once(ExportFormat::Jsonl).chain(formats.iter().copied()) {
            let writer = exporter(format).pieces(stem, context);
            let name = format!("{stem}.{}", format.extension());
            let fixed = writer.head_is_fixed();
            let path = folder.join(format!("{name}.{}", if fixed { "part" } else { "body" }));
            let file = File::create(&path).map_err(io_error(&path))?;
            let mut out = BufWriter::with_capacity(64 * 1024, file);
            if fixed {
                let mut head = Vec::new();
                writer.head(&mut head);
                out.write_all(&head).map_err(io_error(&path))?;
            }
            files.push(PieceFile {
                writer,
                name,
                path,
                out,
            });
        }
        Ok(OpenArticle {
            files,
            digest: PageDigest::default(),
            buffer: Vec::new(),
        })
    }

    /// Appends the next records of the article (whole blocks) to every file, a few blocks at
    /// a time (a body is several times the size of its records' text).
    pub fn append(&mut self, records: &[AlignedSegment]) -> Result<(), ExportError> {
        self.digest.add(records);
        let mut rest = records;
        while !rest.is_empty() {
            let end = block_end(rest, WRITE_RECORDS);
            let (chunk, after) = rest.split_at(end);
            for file in &mut self.files {
                self.buffer.clear();
                file.writer.body(chunk, &mut self.buffer);
                file.out
                    .write_all(&self.buffer)
                    .map_err(io_error(&file.path))?;
            }
            rest = after;
        }
        Ok(())
    }

    /// Finishes every file (start, body, end), synced, under its name in `staging`; returns
    /// the article's index row.
    pub fn close(mut self, staging: &Path) -> Result<IndexEntry, ExportError> {
        for file in self.files {
            let PieceFile {
                writer,
                name,
                path,
                out,
            } = file;
            let mut out = out;
            let finished = staging.join(&name);
            if writer.head_is_fixed() {
                self.buffer.clear();
                writer.tail(&mut self.buffer);
                out.write_all(&self.buffer).map_err(io_error(&path))?;
                finish_file(out, &path)?;
            } else {
                out.flush().map_err(io_error(&path))?;
                drop(out);
                let whole = path.with_extension("part");
                let file = File::create(&whole).map_err(io_error(&whole))?;
                let mut whole_out = BufWriter::with_capacity(64 * 1024, file);
                self.buffer.clear();
                writer.head(&mut self.buffer);
                whole_out
                    .write_all(&self.buffer)
                    .map_err(io_error(&whole))?;
                let mut body = File::open(&path).map_err(io_error(&path))?;
                std::io::copy(&mut body, &mut whole_out).map_err(io_error(&whole))?;
                self.buffer.clear();
                writer.tail(&mut self.buffer);
                whole_out
                    .write_all(&self.buffer)
                    .map_err(io_error(&whole))?;
                finish_file(whole_out, &whole)?;
                std::fs::remove_file(&path).map_err(io_error(&path))?;
                std::fs::rename(&whole, &finished).map_err(io_error(&finished))?;
                continue;
            }
            std::fs::rename(&path, &finished).map_err(io_error(&finished))?;
        }
        Ok(self.digest.index_entry())
    }
}

/// Records rendered into one buffer at a time: at least this many, then to the end of their
/// block.
const WRITE_RECORDS: usize = 256;

/// Where the first `at_least` records of `records` end, extended to the end of their block.
fn block_end(records: &[AlignedSegment], at_least: usize) -> usize {
    if records.len() <= at_least {
        return records.len();
    }
    let block = records[at_least - 1].id.block;
    at_least
        + records[at_least..]
            .iter()
            .take_while(|record| record.id.block == block)
            .count()
}

/// Flushes and syncs a finished file.
fn finish_file(out: BufWriter<File>, path: &Path) -> Result<(), ExportError> {
    let file = out
        .into_inner()
        .map_err(|error| io_error(path)(error.into_error()))?;
    file.sync_all().map_err(io_error(path))
}

/// Records read back per chunk: at least this many, then to the end of their block.
const CHUNK_RECORDS: usize = 2_000;

/// An article's records read back from its record file a chunk of whole blocks at a time.
pub struct Chunks {
    pub(super) reader: RecordReader,
    /// The first record of the next chunk, read while ending the last.
    pub(super) held: Option<AlignedSegment>,
}

impl Chunks {
    /// The next chunk (whole blocks, in file order), or `None` at the end.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<AlignedSegment>>, ExportError> {
        let mut chunk: Vec<AlignedSegment> = self.held.take().into_iter().collect();
        while let Some(record) = self.reader.next_record()? {
            let block_ends = chunk
                .last()
                .is_some_and(|last| last.id.block != record.id.block);
            if block_ends && chunk.len() >= CHUNK_RECORDS {
                self.held = Some(record);
                break;
            }
            chunk.push(record);
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Origin;
    use crate::segment::{SegmentOptions, segment_article};

    /// Records of a few blocks: translated, untranslated, not translatable, one holding a
    /// character XML cannot carry (left out of the TMX and named in its header), one with a
    /// QA finding, a heading after the first paragraph.
    fn records() -> Vec<AlignedSegment> {
        let text = "Presiden tiba di Jakarta. Ia disambut menteri.\n\
                    Komentar (0)\n\
                    Menteri berbicara\u{1} kepada wartawan.\n\
                    Judul Berita\n\
                    Harga naik 5 persen. Warga mengeluh. Pemerintah diam.\n";
        let article = segment_article("a", text, &SegmentOptions::default());
        article
            .segments()
            .enumerate()
            .map(|(position, segment)| {
                let mut record = AlignedSegment::untranslated(segment);
                if segment.translatable && position != 1 {
                    record.raw = Some(segment.text.clone());
                    record.target = Some(segment.text.to_uppercase());
                    record.origin = Origin::Engine;
                    record.fill_diff();
                }
                if position == 4 {
                    record.qa.push(crate::qa::Finding::new(
                        crate::qa::Check::Number,
                        crate::qa::Severity::Error,
                        "5 became 50",
                    ));
                }
                record
            })
            .collect()
    }

    #[test]
    fn every_format_in_pieces_is_the_whole_article() {
        let records = records();
        let blocks: std::collections::BTreeSet<usize> =
            records.iter().map(|record| record.id.block).collect();
        assert!(blocks.len() >= 4, "{blocks:?}");
        let context = ExportContext::new("id", "en", 1_700_000_000);
        let article = crate::record::ArticleRecords {
            stem: "a".to_string(),
            records: records.clone(),
        };
        for format in ExportFormat::ALL {
            let whole = exporter(format).render_article(&article, &context);
            // one piece per block
            let mut writer = exporter(format).pieces("a", &context);
            let mut body = Vec::new();
            for block in &blocks {
                let piece: Vec<AlignedSegment> = records
                    .iter()
                    .filter(|record| record.id.block == *block)
                    .cloned()
                    .collect();
                writer.body(&piece, &mut body);
            }
            let mut joined = Vec::new();
            writer.head(&mut joined);
            joined.extend(body);
            writer.tail(&mut joined);
            assert_eq!(
                String::from_utf8_lossy(&joined),
                String::from_utf8_lossy(&whole),
                "{format}"
            );
        }
        let tmx = String::from_utf8(exporter(ExportFormat::Tmx).render_article(&article, &context))
            .unwrap();
        assert!(tmx.contains("left out"), "{tmx}");
    }

    #[test]
    fn files_written_in_pieces_are_the_rendered_files() {
        let staging = tempfile::tempdir().unwrap();
        let records = records();
        let context = ExportContext::new("id", "en", 1_700_000_000);
        let formats: Vec<ExportFormat> = ExportFormat::ALL
            .into_iter()
            .filter(|format| *format != ExportFormat::Jsonl)
            .collect();
        let mut open = OpenArticle::open(staging.path(), "a", &formats, &context).unwrap();
        for piece in records.chunk_by(|a, b| a.id.block == b.id.block) {
            open.append(piece).unwrap();
        }
        let entry = open.close(staging.path()).unwrap();
        let article = crate::record::ArticleRecords {
            stem: "a".to_string(),
            records,
        };
        assert_eq!(entry, IndexEntry::of(&article));
        for format in ExportFormat::ALL {
            let path = staging.path().join(format!("a.{}", format.extension()));
            let written = std::fs::read(&path).unwrap();
            assert_eq!(
                written,
                exporter(format).render_article(&article, &context),
                "{format}"
            );
        }
        let left: Vec<_> = std::fs::read_dir(staging.path().join(PIECES_DIR))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "no piece file is left behind");
    }
}
