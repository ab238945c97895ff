//! The sources of a run read into bounded parts, a block at a time: a part holds at most
//! [`PartLimits`] of translatable segments and text (whatever comes first; at least one
//! block), so an article larger than that is cut into pieces of whole blocks, each in its own
//! part, and a part may hold the end of one article, whole articles and the start of another.
//! Small sources are read whole and segmented ([`segment_article`]); a large one is streamed
//! ([`crate::segment::stream`]: a first pass checks it, a second hands on one block at a time),
//! so memory is the part, never the file. Both give the same blocks. Must not translate or
//! write.

use crate::corpus::{self, CheckedSource, CorpusError};
use crate::model::{Article, Block};
use crate::segment::stream::{ArticleStream, SourceLines, SourceProblem, survey};
use crate::segment::{SegmentOptions, segment_article};
use std::io::Read;
use std::path::Path;

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
    sources: Vec<CheckedSource>,
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
        sources: Vec<CheckedSource>,
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
                None => next_block(reading, &self.sources[reading.number].path)?,
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

    /// Starts reading source `number`: whole when small, else a stream after its first pass.
    fn open(&self, number: usize) -> Result<Reading<'o>, CorpusError> {
        let source = &self.sources[number];
        let blocks = if source.bytes <= self.limits.stream_above() {
            let text = corpus::read_source(&source.path, self.lossy)?;
            Blocks::Whole(
                segment_article(&text.stem, &text.text, self.options)
                    .blocks
                    .into_iter(),
            )
        } else {
            let problem = |problem| source_error(&source.path, problem);
            let mut first = SourceLines::new(self.open_file(&source.path)?, self.lossy);
            let survey = survey(&mut first, self.options).map_err(problem)?;
            Blocks::Stream(Box::new(Streamed {
                lines: SourceLines::new(self.open_file(&source.path)?, self.lossy),
                stream: ArticleStream::new(&survey, self.options),
                ended: false,
            }))
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

/// A source that changed into something unusable since the run checked it.
fn source_error(path: &Path, problem: SourceProblem) -> CorpusError {
    let path = path.to_path_buf();
    match problem {
        SourceProblem::NotUtf8 { byte_offset } => CorpusError::NotUtf8 { path, byte_offset },
        SourceProblem::NulByte { byte_offset } => CorpusError::NulByte { path, byte_offset },
        SourceProblem::Empty => CorpusError::Empty { path },
        SourceProblem::Io(source) => CorpusError::Io { path, source },
    }
}
