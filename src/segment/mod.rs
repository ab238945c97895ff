//! Stage 1: source text → an [`Article`] of classified blocks and segments.
//!
//! Each non-blank line is a block. A block is first checked for page furniture (boilerplate),
//! then stripped of markup noise (`| `, ` |`, `![]()`, image alt text), classified (heading,
//! paragraph, caption, question, byline) and split into sentences by [`sentence`]. A few rules
//! look at the neighbours: bare headlines after `Baca juga`, a name after a `Reporter` label, a
//! caption before a credit line, and interview questions (`Tempo: …?`).
//! The rules are data (`data/*.txt`, see [`abbreviations`] and [`furniture`]).
//! Works on text already read and validated; must not touch the file system or print.

pub mod abbreviations;
pub mod block;
mod context;
pub mod furniture;
pub mod sentence;
pub mod stream;

pub use abbreviations::Abbreviations;
pub use furniture::Furniture;

use crate::model::{Article, Block, BlockKind, Segment, SegmentId, Span};
use block::{ClassifiedLine, classify_line};
use context::{Context, LabelCounts};

/// What the segmenter can be told.
#[derive(Debug, Clone, Default)]
pub struct SegmentOptions {
    pub abbreviations: Abbreviations,
    /// Page furniture, credits and datelines (built in, plus `boilerplate-patterns`).
    pub furniture: Furniture,
}

/// Segments one article. `source` is the whole file as read (a leading UTF-8 BOM is skipped but
/// counted in the spans); `stem` becomes the first part of every segment id.
/// [`stream`] gives the same blocks one at a time without the whole text in memory.
pub fn segment_article(stem: &str, source: &str, options: &SegmentOptions) -> Article {
    let body_start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut classified_lines: Vec<(Line, ClassifiedLine)> = lines(source, body_start)
        .filter_map(|line| {
            classify_line(&source[line.start..line.end], &options.furniture)
                .map(|classified| (line, classified))
        })
        .collect();
    let mut labels = LabelCounts::default();
    for (line, classified) in &classified_lines {
        if classified.kind != BlockKind::Boilerplate {
            let (start, end) = classified.content;
            labels.add(&source[line.start + start..line.start + end]);
        }
    }
    let mut context = Context::new(labels.interviewer());
    for index in 0..classified_lines.len() {
        let (before, from) = classified_lines.split_at_mut(index);
        let (line, classified) = &mut from[0];
        let previous = before.last_mut().map(|(_, previous)| previous);
        context.apply(&source[line.start..line.end], classified, previous);
    }
    let mut blocks = Vec::new();
    let mut spans = Vec::new();
    for (line, classified) in classified_lines {
        let text = &source[line.start..line.end];
        let number = blocks.len() + 1;
        spans.clear();
        segment_spans(text, &classified, options, &mut spans);
        let segments = spans
            .iter()
            .enumerate()
            .map(|(index, span)| span.to_segment(stem, number, index + 1, line.start, text))
            .collect();
        blocks.push(Block {
            number,
            line_number: line.number,
            kind: classified.kind,
            span: Span::new(line.start, line.end),
            segments,
        });
    }
    Article {
        stem: stem.to_string(),
        blocks,
    }
}

/// One segment of a line, by byte offsets into the line (without its ending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentSpan {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
    pub translatable: bool,
}

impl SegmentSpan {
    /// The segment `index` of block `block` of article `stem`; the line starts at byte
    /// `line_start` of the source and reads `line`.
    pub fn to_segment(
        self,
        stem: &str,
        block: usize,
        index: usize,
        line_start: usize,
        line: &str,
    ) -> Segment {
        Segment {
            id: SegmentId::new(stem, block, index),
            kind: self.kind,
            text: line[self.start..self.end].to_string(),
            span: Span::new(line_start + self.start, line_start + self.end),
            translatable: self.translatable,
        }
    }
}

/// The segments of one classified line, in order, appended to `spans`.
fn segment_spans(
    line: &str,
    classified: &ClassifiedLine,
    options: &SegmentOptions,
    spans: &mut Vec<SegmentSpan>,
) {
    let mut push = |kind: BlockKind, start: usize, end: usize, translatable: bool| {
        spans.push(SegmentSpan {
            kind,
            start,
            end,
            translatable,
        });
    };
    if classified.kind == BlockKind::Boilerplate {
        let (start, end) = classified.content;
        push(BlockKind::Boilerplate, start, end, false);
        return;
    }
    if let Some((start, end)) = classified.dateline {
        push(BlockKind::Byline, start, end, false);
    }
    let (content_start, content_end) = classified.content;
    let mut parts = [
        (classified.kind, content_start, content_end),
        (classified.kind, 0, 0),
    ];
    let mut part_count = 1;
    if let Some(glued) = classified.glued {
        parts = [
            (BlockKind::Caption, content_start, glued),
            (classified.kind, glued, content_end),
        ];
        part_count = 2;
    }
    // `… kata dia. (ant)`: the sign-off is a segment of its own, never translated
    let sign_off = options
        .furniture
        .sign_off(&line[content_start..content_end])
        .map(|at| content_start + at);
    if let Some(at) = sign_off {
        parts[part_count - 1].2 = at;
    }
    for &(kind, part_start, part_end) in &parts[..part_count] {
        let content = &line[part_start..part_end];
        let mut sentences = sentence::split_sentences(content, &options.abbreviations);
        if let Some(credit) = classified
            .credit
            .filter(|&at| at > part_start && at < part_end)
        {
            keep_credit_with_caption(&mut sentences, credit - part_start);
        }
        for (start, end) in sentences {
            push(kind, part_start + start, part_start + end, true);
        }
    }
    if let Some(at) = sign_off {
        push(BlockKind::Boilerplate, at, content_end, false);
    }
}

/// A credit closing a caption (`… 2015. TEMPO/Dian Triyuli Handoko`) is not a sentence: the
/// sentences from `credit` on are joined to the one before them.
fn keep_credit_with_caption(sentences: &mut Vec<(usize, usize)>, credit: usize) {
    while sentences.len() > 1 && sentences[sentences.len() - 1].0 >= credit {
        let (_, end) = sentences.pop().unwrap_or_default();
        if let Some(last) = sentences.last_mut() {
            last.1 = end;
        }
    }
}

/// A line of the source: its 1-based number and byte range without the line ending.
struct Line {
    number: usize,
    start: usize,
    end: usize,
}

/// Splits on `\n`, `\r\n` and a lone `\r`.
fn lines(source: &str, body_start: usize) -> impl Iterator<Item = Line> + '_ {
    let bytes = source.as_bytes();
    let mut position = body_start;
    let mut number = 0;
    std::iter::from_fn(move || {
        if position >= bytes.len() {
            return None;
        }
        number += 1;
        let start = position;
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..])
            .map_or(bytes.len(), |offset| start + offset);
        position = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        Some(Line { number, start, end })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_the_bom_and_line_endings() {
        let source = "\u{feff}Judul Berita\r\nKalimat satu. Kalimat dua.\rAkhir.\n";
        let article = segment_article("a", source, &SegmentOptions::default());
        let found: Vec<(String, &str, usize)> = article
            .segments()
            .map(|segment| {
                (
                    segment.id.to_string(),
                    segment.text.as_str(),
                    segment.span.start,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a:1.1".to_string(), "Judul Berita", 3),
                ("a:2.1".to_string(), "Kalimat satu.", 17),
                ("a:2.2".to_string(), "Kalimat dua.", 31),
                ("a:3.1".to_string(), "Akhir.", 44),
            ]
        );
        for segment in article.segments() {
            assert_eq!(&source[segment.span.start..segment.span.end], segment.text);
        }
        let line_numbers: Vec<usize> = article.blocks.iter().map(|b| b.line_number).collect();
        assert_eq!(line_numbers, [1, 2, 3]);
    }

    #[test]
    fn a_sign_off_closing_a_paragraph_is_not_translated() {
        let source = "Ia datang. Ia pulang, kata dia. (ant)\nLalu pergi. (rfs/dil)\n";
        let article = segment_article("s", source, &SegmentOptions::default());
        let found: Vec<(&str, bool)> = article
            .segments()
            .map(|segment| (segment.text.as_str(), segment.translatable))
            .collect();
        assert_eq!(
            found,
            [
                ("Ia datang.", true),
                ("Ia pulang, kata dia.", true),
                ("(ant)", false),
                ("Lalu pergi.", true),
                ("(rfs/dil)", false),
            ]
        );
    }

    #[test]
    fn blank_lines_are_not_blocks() {
        let source = "\n\u{a0}\n  \nSatu.\n\n\nDua.";
        let article = segment_article("b", source, &SegmentOptions::default());
        let blocks: Vec<(usize, usize)> = article
            .blocks
            .iter()
            .map(|block| (block.number, block.line_number))
            .collect();
        assert_eq!(blocks, [(1, 4), (2, 7)]);
    }
}
