//! The sources of a run read into bounded parts, a block at a time: a part holds at most
//! [`PartLimits`] of translatable segments and text (whatever comes first; at least one
//! block), so an article larger than that is cut into pieces of whole blocks, each in its own
//! part, and a part may hold the end of one article, whole articles and the start of another.
//! Small sources are read whole and segmented ([`segment_article`]); a large one is streamed
//! ([`crate::segment::stream`]: a first pass checks it before the run starts
//! ([`check_sources`]), a second hands on one block at a time), so memory is the part, never
//! the file. Both give the same blocks. Must not translate or write.

use crate::corpus::{self, CheckedSource, CorpusError};
use crate::model::{Article, Block};
use crate::segment::stream::{ArticleStream, SourceLines, SourceProblem, Survey, survey};
use crate::segment::{SegmentOptions, segment_article};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much of the sources a part holds at most: translatable segments and bytes of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartLimits {
    pub segments: usize,
    pub bytes: usize,
}

impl Default for PartLimits {
    fn default() -> Self {
        PartLimits {
            segments: 4_000,
            bytes: 2 << 20,
        }
    }
}

impl PartLimits {
    /// `SEGMENTS,BYTES` (the internal `SELARAS_PART_LIMITS` knob, for tests that cut small
    /// articles into pieces); `None` unless both are positive numbers.
    pub fn parse(text: &str) -> Option<PartLimits> {
        let (segments, bytes) = text.split_once(',')?;
        let limits = PartLimits {
            segments: segments.trim().parse().ok()?,
            bytes: bytes.trim().parse().ok()?,
        };
        (limits.segments > 0 && limits.bytes > 0).then_some(limits)
    }

    /// Sources larger than this are streamed rather than read whole.
    fn stream_above(&self) -> usize {
        self.bytes / 2
    }
}

/// A source that passed every check, and for a large one what its first pass learnt.
#[derive(Debug)]
pub struct Checked {
    pub source: CheckedSource,
    survey: Option<Survey>,
}

/// Discovers and checks every source as [`corpus::check_sources`] does (the same checks and
/// errors, every problem reported rather than the first), reading one larger than a part's
/// streaming threshold a line at a time ([`survey`]), so that no source is ever whole in
/// memory.
pub fn check_sources(
    paths: &[PathBuf],
    lossy: bool,
    options: &SegmentOptions,
    limits: PartLimits,
) -> Result<Vec<Checked>, Vec<CorpusError>> {
    let files = corpus::discover(paths)?;
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let mut stems: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in files {
        let large = std::fs::metadata(&path)
            .is_ok_and(|metadata| metadata.len() > limits.stream_above() as u64);
        let source = if large {
            check_streamed(&path, lossy, options)
        } else {
            corpus::read_source(&path, lossy).map(|source| Checked {
                source: CheckedSource {
                    bytes: source.text.len(),
                    path: source.path,
                    stem: source.stem,
                },
                survey: None,
            })
        };
        let source = match source {
            Ok(source) => source,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let (stem, path) = (&source.source.stem, &source.source.path);
        if let Some(other) = stems.get(stem) {
            if !same_file(other, path) {
                errors.push(CorpusError::DuplicateStem {
                    path: path.clone(),
                    other: other.to_path_buf(),
                    stem: stem.clone(),
                });
            }
            continue;
        }
        stems.insert(stem.clone(), path.clone());
        checked.push(source);
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// The first pass over a large source: the checks of [`corpus::read_source`], a line at a time.
fn check_streamed(
    path: &Path,
    lossy: bool,
    options: &SegmentOptions,
) -> Result<Checked, CorpusError> {
    let file = corpus::open_input(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CorpusError::NotFound {
            path: path.to_path_buf(),
        },
        _ => CorpusError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let bytes = std::fs::metadata(path).map_or(0, |metadata| metadata.len() as usize);
    let survey = survey(&mut SourceLines::new(file, lossy), options)
        .map_err(|problem| source_error(path, problem))?;
    Ok(Checked {
        source: CheckedSource {
            path: path.to_path_buf(),
            stem: corpus::article_stem(path),
            bytes,
        },
        survey: Some(survey),
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// An article of a part, whole or a piece of whole blocks.
#[derive(Debug)]
pub struct PartPiece {
    /// The article's number in the run.
    pub number: usize,
    /// The article's name and the blocks of this piece.
    pub article: Article,
    /// Whether the piece holds the article's first block, and its last.
    pub first: bool,
    pub last: bool,
}

/// The article being read.
struct Reading<'o> {
    number: usize,
    stem: String,
    blocks: Blocks<'o>,
    /// Whether a piece of it is in an earlier part.
    started: bool,
}

enum Blocks<'o> {
    /// Read and segmented whole.
    Whole(std::vec::IntoIter<Block>),
    /// Streamed.
    Stream(Box<Streamed<'o>>),
}

/// A source read a line at a time; `ended` once the stream gave its last block.
struct Streamed<'o> {
    lines: SourceLines<Box<dyn Read + Send>>,
    stream: ArticleStream<'o>,
    ended: bool,
}

/// Reads the sources of a run one part at a time.
pub struct PartReader<'o> {
    sources: Vec<Checked>,
    lossy: bool,
    options: &'o SegmentOptions,
    limits: PartLimits,
    next_source: usize,
    reading: Option<Reading<'o>>,
    /// A block read while the part was full: the first of the next part.
    pending: Option<Block>,
}

impl<'o> PartReader<'o> {
    pub fn new(
        sources: Vec<Checked>,
        lossy: bool,
        options: &'o SegmentOptions,
        limits: PartLimits,
    ) -> Self {
        PartReader {
            sources,
            lossy,
            options,
            limits,
            next_source: 0,
            reading: None,
            pending: None,
        }
    }

    /// The next part, in run order, or `None` once every source is read.
    pub fn next_part(&mut self) -> Result<Option<Vec<PartPiece>>, CorpusError> {
        let mut pieces: Vec<PartPiece> = Vec::new();
        let (mut segments, mut bytes) = (0, 0);
        loop {
            if self.reading.is_none() {
                if self.next_source == self.sources.len() {
                    return Ok((!pieces.is_empty()).then_some(pieces));
                }
                self.reading = Some(self.open(self.next_source)?);
                self.next_source += 1;
            }
            let reading = self.reading.as_mut().expect("an article is being read");
            let block = match self.pending.take() {
                Some(block) => Some(block),
                None => next_block(reading, &self.sources[reading.number].source.path)?,
            };
            let Some(block) = block else {
                // the article is over: its last piece is in this part
                match pieces.last_mut() {
                    Some(piece) if piece.number == reading.number => piece.last = true,
                    _ => pieces.push(PartPiece {
                        number: reading.number,
                        article: Article {
                            stem: reading.stem.clone(),
                            blocks: Vec::new(),
                        },
                        first: !reading.started,
                        last: true,
                    }),
                }
                self.reading = None;
                continue;
            };
            let full = segments >= self.limits.segments || bytes >= self.limits.bytes;
            if full && !pieces.is_empty() {
                self.pending = Some(block);
                return Ok(Some(pieces));
            }
            segments += block.segments.iter().filter(|s| s.translatable).count();
            bytes += block.span.end - block.span.start;
            match pieces.last_mut() {
                Some(piece) if piece.number == reading.number => piece.article.blocks.push(block),
                _ => {
                    pieces.push(PartPiece {
                        number: reading.number,
                        article: Article {
                            stem: reading.stem.clone(),
                            blocks: vec![block],
                        },
                        first: !reading.started,
                        last: false,
                    });
                    reading.started = true;
                }
            }
        }
    }

    /// Starts reading source `number`: whole when small, else a stream (its first pass done
    /// by [`check_sources`]).
    fn open(&self, number: usize) -> Result<Reading<'o>, CorpusError> {
        let Checked { source, survey } = &self.sources[number];
        let blocks = match survey {
            Some(survey) => Blocks::Stream(Box::new(Streamed {
                lines: SourceLines::new(self.open_file(&source.path)?, self.lossy),
                stream: ArticleStream::new(survey, self.options),
                ended: false,
            })),
            None => {
                let text = corpus::read_source(&source.path, self.lossy)?;
                let article = segment_article(&text.stem, &text.text, self.options);
                Blocks::Whole(article.blocks.into_iter())
            }
        };
        Ok(Reading {
            number,
            stem: source.stem.clone(),
            blocks,
            started: false,
        })
    }

    fn open_file(&self, path: &Path) -> Result<Box<dyn Read + Send>, CorpusError> {
        let file = corpus::open_input(path).map_err(|error| source_error(path, error.into()))?;
        Ok(Box::new(file))
    }
}

/// The next block of the article being read, or `None` at its end.
fn next_block(reading: &mut Reading<'_>, path: &Path) -> Result<Option<Block>, CorpusError> {
    let stem = &reading.stem;
    match &mut reading.blocks {
        Blocks::Whole(blocks) => Ok(blocks.next()),
        Blocks::Stream(streamed) => {
            let Streamed {
                lines,
                stream,
                ended,
            } = &mut **streamed;
            if *ended {
                return Ok(None);
            }
            while let Some(line) = lines
                .next_line()
                .map_err(|error| source_error(path, error.into()))?
            {
                if let Some(block) = stream.push(line) {
                    return Ok(Some(block.to_block(stem)));
                }
            }
            *ended = true;
            Ok(stream.finish().map(|block| block.to_block(stem)))
        }
    }
}

/// A source's problem as the corpus error that names it (also a source that changed into
/// something unusable since the run checked it).
pub fn source_error(path: &Path, problem: SourceProblem) -> CorpusError {
    let path = path.to_path_buf();
    match problem {
        SourceProblem::NotUtf8 { byte_offset } => CorpusError::NotUtf8 { path, byte_offset },
        SourceProblem::NulByte { byte_offset } => CorpusError::NulByte { path, byte_offset },
        SourceProblem::Empty => CorpusError::Empty { path },
        SourceProblem::Io(source) => CorpusError::Io { path, source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: PartLimits = PartLimits {
        segments: 3,
        bytes: 20,
    };

    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let folder = tempfile::tempdir().unwrap();
        for (name, contents) in files {
            std::fs::write(folder.path().join(name), contents).unwrap();
        }
        folder
    }

    #[test]
    fn streamed_checks_refuse_what_whole_reads_refuse() {
        let folder = folder(&[
            ("a.txt", b"Satu kalimat panjang di sini.\nDua\0 kalimat."),
            ("b.txt", b"Kalimat yang cukup panjang.\nHano\xef kalimat."),
            ("c.txt", b"\xef\xbb\xbf  \n\t\r\n                     \n"),
            ("d.txt", b"Kalimat yang baik dan cukup panjang."),
        ]);
        let paths = vec![folder.path().to_path_buf()];
        let options = SegmentOptions::default();
        let streamed = check_sources(&paths, false, &options, TINY).unwrap_err();
        let whole = corpus::check_sources(&paths, false).unwrap_err();
        let text = |errors: &[CorpusError]| errors.iter().map(ToString::to_string).collect();
        let streamed: Vec<String> = text(&streamed);
        assert_eq!(streamed, text(&whole) as Vec<String>);
        assert_eq!(streamed.len(), 3, "{streamed:?}");
        // lossy: the invalid byte is replaced, as in a whole read
        let lossy = folder.path().join("b.txt");
        assert!(check_sources(&[lossy], true, &options, TINY).is_ok());
    }

    #[test]
    fn parts_cut_articles_into_pieces_of_the_whole_articles_blocks() {
        let long = "Presiden tiba di Jakarta. Ia disambut menteri.\nKomentar (0)\n\
                    Menteri berbicara kepada wartawan. Harga naik.\nJudul\n\
                    Warga mengeluh. Pemerintah diam. Besok hujan.\n";
        let folder = folder(&[
            ("a.txt", long.as_bytes()),
            ("b.txt", b"Pendek."),
            ("c.txt", long.as_bytes()),
        ]);
        let options = SegmentOptions::default();
        let paths = vec![folder.path().to_path_buf()];
        let sources = check_sources(&paths, false, &options, TINY).unwrap();
        assert!(sources[0].survey.is_some() && sources[1].survey.is_none());
        let mut reader = PartReader::new(sources, false, &options, TINY);
        let mut by_article: BTreeMap<usize, Vec<Block>> = BTreeMap::new();
        let mut flags: BTreeMap<usize, Vec<(bool, bool)>> = BTreeMap::new();
        let mut parts = 0;
        while let Some(part) = reader.next_part().unwrap() {
            parts += 1;
            let translatable: usize = part
                .iter()
                .map(|piece| piece.article.translatable_segments().count())
                .sum();
            // a part stops at the first block past its limits
            assert!(translatable < TINY.segments + 4, "{translatable}");
            for piece in part {
                flags
                    .entry(piece.number)
                    .or_default()
                    .push((piece.first, piece.last));
                by_article
                    .entry(piece.number)
                    .or_default()
                    .extend(piece.article.blocks);
            }
        }
        assert!(parts >= 4, "{parts} parts");
        for (number, stem, text) in [(0, "a", long), (1, "b", "Pendek."), (2, "c", long)] {
            let whole = segment_article(stem, text, &options);
            assert_eq!(by_article[&number], whole.blocks, "{stem}");
            let pieces = &flags[&number];
            assert!(
                pieces[0].0 && pieces.last().unwrap().1,
                "{stem}: {pieces:?}"
            );
            let inner = pieces.iter().skip(1).all(|(first, _)| !first)
                && pieces.iter().rev().skip(1).all(|(_, last)| !last);
            assert!(inner, "{stem}: {pieces:?}");
        }
        assert!(flags[&0].len() > 1, "the long article is in pieces");
    }
}
