//! Segmentation of a source that is never whole in memory.
//!
//! [`SourceLines`] reads a source one line at a time with its exact byte offset (a leading BOM
//! skipped but counted, `\n`, `\r\n` and a lone `\r` ending a line, invalid UTF-8 refused or
//! replaced). A first pass, [`survey`], checks the whole source (UTF-8, NUL bytes, not empty)
//! and gathers the one fact the rules need from the whole article, the interviewer's label; a
//! second, [`ArticleStream`], classifies and splits one line at a time and hands on each block
//! as soon as the line after it is read (a credit line can still turn it into a caption).
//! Memory is a small multiple of the longest line, whatever the size of the source. The blocks
//! are exactly those of [`segment_article`](super::segment_article) on the whole text.
//! Reads from any [`Read`] the caller opened; must not open files or print.

use super::block::{ClassifiedLine, classify_line, content_where};
use super::context::{Context, LabelCounts, label_of, may_hold_label};
use super::{SegmentOptions, SegmentSpan, segment_spans};
use crate::model::{Block, BlockKind, Span};
use std::io::{self, Read};

/// How much is read from the source at a time.
const READ_SIZE: usize = 256 * 1024;

/// One line of a source, without its line ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine<'a> {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the line in the source text (after `--lossy` replacement, if any).
    pub start: usize,
    pub text: &'a str,
}

/// Why a source cannot be read as text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not valid UTF-8 at byte offset {byte_offset}")]
    NotUtf8 { byte_offset: usize },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads a source line by line. With `lossy`, invalid UTF-8 is replaced by U+FFFD and the
/// offsets count the replacement, as in `String::from_utf8_lossy` of the whole source (a line
/// ending is ASCII, so no invalid sequence spans two lines).
pub struct SourceLines<R> {
    reader: R,
    lossy: bool,
    /// Bytes `[consumed, filled)` are read and not yet handed on; `[consumed, scanned)` holds
    /// no line ending.
    buffer: Vec<u8>,
    consumed: usize,
    scanned: usize,
    filled: usize,
    at_end: bool,
    started: bool,
    number: usize,
    /// The offset in the source text of the next line.
    offset: usize,
    /// The current line with invalid UTF-8 replaced.
    replaced: String,
}

impl<R: Read> SourceLines<R> {
    pub fn new(reader: R, lossy: bool) -> Self {
        SourceLines {
            reader,
            lossy,
            buffer: Vec::new(),
            consumed: 0,
            scanned: 0,
            filled: 0,
            at_end: false,
            started: false,
            number: 0,
            offset: 0,
            replaced: String::new(),
        }
    }

    /// The next line, or `None` at the end of the source.
    pub fn next_line(&mut self) -> Result<Option<SourceLine<'_>>, ReadError> {
        if !self.started {
            while self.filled < 3 && !self.at_end {
                self.read_more()?;
            }
            if self.buffer[..self.filled].starts_with(b"\xef\xbb\xbf") {
                self.consumed = 3;
                self.scanned = 3;
                self.offset = 3;
            }
            self.started = true;
        }
        let (start, end, ending) = loop {
            let from = self.scanned.max(self.consumed);
            let found = memchr::memchr2(b'\n', b'\r', &self.buffer[from..self.filled]);
            if let Some(at) = found.map(|at| from + at) {
                if self.buffer[at] == b'\n' {
                    break (self.consumed, at, 1);
                }
                if at + 1 < self.filled {
                    let ending = if self.buffer[at + 1] == b'\n' { 2 } else { 1 };
                    break (self.consumed, at, ending);
                }
                if self.at_end {
                    break (self.consumed, at, 1);
                }
                // a `\r` last in the buffer: is it `\r\n`?
                self.scanned = at;
                self.read_more()?;
                continue;
            }
            self.scanned = self.filled;
            if self.at_end {
                if self.consumed == self.filled {
                    return Ok(None);
                }
                break (self.consumed, self.filled, 0);
            }
            self.read_more()?;
        };
        self.consumed = end + ending;
        self.number += 1;
        let line_start = self.offset;
        let raw = &self.buffer[start..end];
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(_) if self.lossy => {
                self.replaced = String::from_utf8_lossy(raw).into_owned();
                self.replaced.as_str()
            }
            Err(error) => {
                return Err(ReadError::NotUtf8 {
                    byte_offset: line_start + error.valid_up_to(),
                });
            }
        };
        self.offset += text.len() + ending;
        Ok(Some(SourceLine {
            number: self.number,
            start: line_start,
            text,
        }))
    }

    /// Reads more of the source after what is not yet handed on (moved to the front).
    fn read_more(&mut self) -> io::Result<()> {
        if self.consumed > 0 {
            self.buffer.copy_within(self.consumed..self.filled, 0);
            self.filled -= self.consumed;
            self.scanned = self.scanned.saturating_sub(self.consumed);
            self.consumed = 0;
        }
        if self.buffer.len() < self.filled + READ_SIZE {
            self.buffer.resize(self.filled + READ_SIZE, 0);
        }
        loop {
            match self.reader.read(&mut self.buffer[self.filled..]) {
                Ok(0) => {
                    self.at_end = true;
                    return Ok(());
                }
                Ok(read) => {
                    self.filled += read;
                    return Ok(());
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
}

/// Why a source cannot be segmented: the checks every source passes before any output.
#[derive(Debug, thiserror::Error)]
pub enum SourceProblem {
    #[error("not valid UTF-8 at byte offset {byte_offset}")]
    NotUtf8 { byte_offset: usize },
    #[error("NUL byte at byte offset {byte_offset}")]
    NulByte { byte_offset: usize },
    #[error("the file is empty")]
    Empty,
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl From<ReadError> for SourceProblem {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::NotUtf8 { byte_offset } => SourceProblem::NotUtf8 { byte_offset },
            ReadError::Io(error) => SourceProblem::Io(error),
        }
    }
}

/// What the first pass learnt of a whole source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Survey {
    /// The interviewer's label (`Tempo` in `Tempo: Apakah …?`), if the article has one.
    interviewer: Option<String>,
}

/// The first pass over a source: reads it to the end, checking that it is text (UTF-8 unless
/// the reader is lossy, no NUL byte, not only white space) and counting the labels that open
/// lines. Only what a label could open is looked at closely, so it costs a fraction of the
/// second pass.
pub fn survey<R: Read>(
    lines: &mut SourceLines<R>,
    options: &SegmentOptions,
) -> Result<Survey, SourceProblem> {
    let mut labels = LabelCounts::default();
    let mut first_nul = None;
    let mut empty = true;
    while let Some(line) = lines.next_line()? {
        if first_nul.is_none() {
            first_nul = memchr::memchr(0, line.text.as_bytes()).map(|at| line.start + at);
        }
        if empty {
            // as `trim_start_matches('\u{feff}').trim()` of the whole text
            let text = if line.number == 1 {
                line.text.trim_start_matches('\u{feff}')
            } else {
                line.text
            };
            empty = text.trim().is_empty();
        }
        if may_hold_label(line.text)
            && let Some(content) = content_where(line.text, &options.furniture, |content| {
                label_of(content).is_some()
            })
        {
            labels.add(content);
        }
    }
    if let Some(byte_offset) = first_nul {
        return Err(SourceProblem::NulByte { byte_offset });
    }
    if empty {
        return Err(SourceProblem::Empty);
    }
    Ok(Survey {
        interviewer: labels.interviewer(),
    })
}

/// One block of a stream: borrowed, valid until the next line is pushed.
#[derive(Debug, Clone, Copy)]
pub struct BlockView<'a> {
    /// 1-based position among the article's non-blank lines.
    pub number: usize,
    /// 1-based line number in the source.
    pub line_number: usize,
    pub kind: BlockKind,
    /// Byte offset of the line in the source.
    pub line_start: usize,
    /// The whole line, without its ending.
    pub line: &'a str,
    /// The segments, by offsets into `line`, in order (segment `i` has index `i + 1`).
    pub segments: &'a [SegmentSpan],
}

impl BlockView<'_> {
    /// The block as the model has it, with segment ids under article `stem`.
    pub fn to_block(&self, stem: &str) -> Block {
        Block {
            number: self.number,
            line_number: self.line_number,
            kind: self.kind,
            span: Span::new(self.line_start, self.line_start + self.line.len()),
            segments: self
                .segments
                .iter()
                .enumerate()
                .map(|(index, span)| {
                    span.to_segment(stem, self.number, index + 1, self.line_start, self.line)
                })
                .collect(),
        }
    }
}

/// A line kept until the next one is classified.
#[derive(Debug, Default)]
struct HeldLine {
    number: usize,
    start: usize,
    text: String,
    classified: Option<ClassifiedLine>,
}

/// The second pass: lines in, blocks out, one line behind.
pub struct ArticleStream<'o> {
    options: &'o SegmentOptions,
    context: Context,
    /// The last non-blank line, waiting for the next.
    held: HeldLine,
    /// The line whose block was handed on last (its buffer is reused).
    out: HeldLine,
    spans: Vec<SegmentSpan>,
    blocks: usize,
}

impl<'o> ArticleStream<'o> {
    pub fn new(survey: &Survey, options: &'o SegmentOptions) -> Self {
        ArticleStream {
            options,
            context: Context::new(survey.interviewer.clone()),
            held: HeldLine::default(),
            out: HeldLine::default(),
            spans: Vec::new(),
            blocks: 0,
        }
    }

    /// Takes the next line of the source; gives the block of the non-blank line before it,
    /// now that nothing can change it any more.
    pub fn push(&mut self, line: SourceLine<'_>) -> Option<BlockView<'_>> {
        let mut classified = classify_line(line.text, &self.options.furniture)?;
        self.context
            .apply(line.text, &mut classified, self.held.classified.as_mut());
        std::mem::swap(&mut self.held, &mut self.out);
        self.held.number = line.number;
        self.held.start = line.start;
        self.held.text.clear();
        self.held.text.push_str(line.text);
        self.held.classified = Some(classified);
        self.hand_on()
    }

    /// The block of the last non-blank line, once the source has ended.
    pub fn finish(&mut self) -> Option<BlockView<'_>> {
        std::mem::swap(&mut self.held, &mut self.out);
        self.held.classified = None;
        self.hand_on()
    }

    fn hand_on(&mut self) -> Option<BlockView<'_>> {
        let classified = self.out.classified.take()?;
        self.blocks += 1;
        self.spans.clear();
        segment_spans(&self.out.text, &classified, self.options, &mut self.spans);
        Some(BlockView {
            number: self.blocks,
            line_number: self.out.number,
            kind: classified.kind,
            line_start: self.out.start,
            line: &self.out.text,
            segments: &self.spans,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment_article;

    fn lines_of(source: &[u8], lossy: bool) -> Result<Vec<(usize, usize, String)>, ReadError> {
        let mut lines = SourceLines::new(source, lossy);
        let mut found = Vec::new();
        while let Some(line) = lines.next_line()? {
            found.push((line.number, line.start, line.text.to_string()));
        }
        Ok(found)
    }

    /// Hands out a few bytes per read, so that every line ending falls across two reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
            let count = self.0.len().min(into.len()).min(2);
            into[..count].copy_from_slice(&self.0[..count]);
            self.0 = &self.0[count..];
            Ok(count)
        }
    }

    fn streamed(stem: &str, source: &[u8], reader: impl Read) -> Vec<Block> {
        let options = SegmentOptions::default();
        let survey = survey(&mut SourceLines::new(source, false), &options).expect("text");
        let mut lines = SourceLines::new(reader, false);
        let mut stream = ArticleStream::new(&survey, &options);
        let mut blocks = Vec::new();
        while let Some(line) = lines.next_line().expect("text") {
            if let Some(block) = stream.push(line) {
                blocks.push(block.to_block(stem));
            }
        }
        if let Some(block) = stream.finish() {
            blocks.push(block.to_block(stem));
        }
        blocks
    }

    #[test]
    fn line_endings_bom_and_offsets() {
        let source = "\u{feff}Satu\r\nDua\rTiga\n\nEmpat";
        let expected = vec![
            (1, 3, "Satu".to_string()),
            (2, 9, "Dua".to_string()),
            (3, 13, "Tiga".to_string()),
            (4, 18, String::new()),
            (5, 19, "Empat".to_string()),
        ];
        assert_eq!(lines_of(source.as_bytes(), false).unwrap(), expected);
        let mut trickled = SourceLines::new(Trickle(source.as_bytes()), false);
        let mut found = Vec::new();
        while let Some(line) = trickled.next_line().unwrap() {
            found.push((line.number, line.start, line.text.to_string()));
        }
        assert_eq!(found, expected);
        assert_eq!(lines_of(b"a\r", false).unwrap(), [(1, 0, "a".to_string())]);
        assert_eq!(lines_of(b"", false).unwrap(), []);
    }

    #[test]
    fn invalid_utf8_is_refused_or_replaced_with_offsets_of_the_replaced_text() {
        let source = b"Satu\nHano\xef.\nDua\xe2\x80\n";
        match lines_of(source, false) {
            Err(ReadError::NotUtf8 { byte_offset }) => assert_eq!(byte_offset, 9),
            other => panic!("{other:?}"),
        }
        let whole = String::from_utf8_lossy(source);
        let found = lines_of(source, true).unwrap();
        for (_, start, text) in &found {
            assert_eq!(&whole[*start..*start + text.len()], text);
        }
        assert_eq!(found[2].2, "Dua\u{fffd}");
    }

    #[test]
    fn survey_refuses_what_reading_the_whole_file_refuses() {
        let options = SegmentOptions::default();
        let check = |source: &[u8]| survey(&mut SourceLines::new(source, false), &options);
        assert!(matches!(
            check(b"\xef\xbb\xbf \n\t\r\n"),
            Err(SourceProblem::Empty)
        ));
        assert!(matches!(check(b""), Err(SourceProblem::Empty)));
        assert!(check("\u{feff}\n\u{feff}".as_bytes()).is_ok());
        assert!(matches!(
            check(b"Satu.\nDu\0a."),
            Err(SourceProblem::NulByte { byte_offset: 8 })
        ));
        // UTF-8 is checked first, over the whole file
        assert!(matches!(
            check(b"\0\nHano\xef."),
            Err(SourceProblem::NotUtf8 { byte_offset: 6 })
        ));
    }

    #[test]
    fn stream_gives_the_blocks_of_the_whole_article() {
        // a credit line turning the line before into a caption, an interviewer's label known
        // only from later lines, a related-links header, a BOM and every line ending
        let source = "\u{feff}Judul Berita Hari Ini\r\n\
            Presiden meninjau banjir di Semarang, Kamis (4/1/2024).\n\
            ANTARA FOTO/Didik Suhartono\n\n\
            Tempo: Bagaimana kabar Anda hari ini?\r\
            Sri Mulyani: Baik, terima kasih. Kami bekerja keras.\n\
            Tempo: Apa rencana berikutnya?\n\
            Baca juga\n\
            Kemenhub Prediksi Mudik\n\
            Ia pulang, kata dia. (ant)";
        let expected = segment_article("s", source, &SegmentOptions::default()).blocks;
        assert!(
            expected
                .iter()
                .any(|block| block.kind == BlockKind::Question),
            "the example has an interview"
        );
        assert_eq!(
            streamed("s", source.as_bytes(), source.as_bytes()),
            expected
        );
        assert_eq!(
            streamed("s", source.as_bytes(), Trickle(source.as_bytes())),
            expected
        );
    }
}
