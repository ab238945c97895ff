//! The shared vocabulary of every stage: articles, blocks, segments and their ids.
//!
//! These are plain data types. They know nothing about files, engines or formats; stages take
//! them in and hand them on. Must not depend on any other module of the crate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open byte range `[start, end)` into the source file as it is on disk (a UTF-8 BOM,
/// when present, counts: the first segment of such a file starts at byte 3 or later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// What a block (one source line or paragraph) is, and so how its segments are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A title or section heading: a short line with no sentence-final punctuation.
    Heading,
    /// Running text.
    Paragraph,
    /// A photo caption or teaser bound to an image (`… |`, `| …`, `(Foto: …)`).
    Caption,
    /// An interview question (`- Dapatkah …?`).
    Question,
    /// A dateline or attribution (`(VOVWORLD) -`, `Menurut Vietnamplus.vn`).
    Byline,
    /// Page furniture that is kept but never translated (`Komentar (0)`, `[iklan_2]`, URLs).
    Boilerplate,
}

impl BlockKind {
    pub const ALL: [BlockKind; 6] = [
        BlockKind::Heading,
        BlockKind::Paragraph,
        BlockKind::Caption,
        BlockKind::Question,
        BlockKind::Byline,
        BlockKind::Boilerplate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::Caption => "caption",
            BlockKind::Question => "question",
            BlockKind::Byline => "byline",
            BlockKind::Boilerplate => "boilerplate",
        }
    }
}

impl fmt::Display for BlockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A segment's kind is the kind of text it holds; usually its block's kind, but a dateline
/// inside a paragraph is a `byline` segment of a `paragraph` block.
pub type SegmentKind = BlockKind;

/// The stable identity of a segment: `<article-stem>:<block>.<index>`, both numbers 1-based.
///
/// Blocks are counted over the non-blank lines of the file, so an id survives edits that do not
/// add or remove lines above it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegmentId {
    pub article: String,
    pub block: usize,
    pub index: usize,
}

impl SegmentId {
    pub fn new(article: impl Into<String>, block: usize, index: usize) -> Self {
        SegmentId {
            article: article.into(),
            block,
            index,
        }
    }

    /// Parses `stem:3.2`; the stem may itself contain `:`, the numbers are after the last one.
    pub fn parse(text: &str) -> Option<SegmentId> {
        let (article, numbers) = text.rsplit_once(':')?;
        let (block, index) = numbers.split_once('.')?;
        let block: usize = block.parse().ok()?;
        let index: usize = index.parse().ok()?;
        if article.is_empty() || block == 0 || index == 0 {
            return None;
        }
        Some(SegmentId::new(article, block, index))
    }
}

impl fmt::Display for SegmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}.{}", self.article, self.block, self.index)
    }
}

impl Serialize for SegmentId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SegmentId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        SegmentId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a segment id: {text:?}")))
    }
}

/// One unit of translation: a sentence, a heading, a caption, a question or a piece of
/// boilerplate. `text` is exactly the bytes of `span` in the source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub id: SegmentId,
    pub kind: SegmentKind,
    pub text: String,
    pub span: Span,
    /// False for boilerplate and datelines: kept so exports can show them, never sent to an engine.
    pub translatable: bool,
}

/// One non-blank source line, classified, with its segments in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// 1-based position among the article's non-blank lines.
    pub number: usize,
    /// 1-based line number in the source file.
    pub line_number: usize,
    pub kind: BlockKind,
    /// The whole line, without its line ending.
    pub span: Span,
    pub segments: Vec<Segment>,
}

/// A source file, segmented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The file name without its extension; the first part of every segment id.
    pub stem: String,
    pub blocks: Vec<Block>,
}

impl Article {
    /// Every segment of the article in document order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.blocks.iter().flat_map(|block| block.segments.iter())
    }

    /// The segments an engine should see.
    pub fn translatable_segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments().filter(|segment| segment.translatable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_id_round_trips_through_text() {
        let id = SegmentId::new("000_979649cfeebf31a2", 12, 3);
        assert_eq!(id.to_string(), "000_979649cfeebf31a2:12.3");
        assert_eq!(SegmentId::parse(&id.to_string()), Some(id));
    }

    #[test]
    fn segment_id_rejects_malformed_text() {
        for bad in [
            "", "a", "a:1", "a:1.", "a:.1", ":1.1", "a:0.1", "a:1.0", "a:x.1",
        ] {
            assert_eq!(SegmentId::parse(bad), None, "{bad:?} should not parse");
        }
        assert_eq!(
            SegmentId::parse("odd:name:2.1"),
            Some(SegmentId::new("odd:name", 2, 1))
        );
    }
}
