//! XML helpers shared by the TMX and XLIFF exporters and readers: a quick-xml writer that
//! indents structure but never touches mixed content, escaping that survives a round trip
//! (`&#13;` for carriage returns), and the characters XML 1.0 forbids.
//!
//! Must not know TMX or XLIFF element names; those belong to their own modules.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesRef, BytesStart, BytesText, Event};

/// Whether XML 1.0 allows `character` in a document
/// (`#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`).
/// A byte range and the number of the glossary match it belongs to.
pub(crate) type NumberedSpan = (usize, usize, usize);

/// The glossary terms of a record as numbered spans, `(start, end, n)` with `n` the 1-based
/// match number, in the source and (where the rendering was found) in the target: the same `n`
/// pairs a term with its rendering in TMX `<hi x>` and XLIFF `<mrk id>`.
pub(crate) fn numbered_term_spans(
    record: &crate::record::AlignedSegment,
) -> (Vec<NumberedSpan>, Vec<NumberedSpan>) {
    let source = record
        .matches
        .iter()
        .enumerate()
        .map(|(index, term)| (term.source_span.start, term.source_span.end, index + 1))
        .collect();
    let target = record
        .matches
        .iter()
        .enumerate()
        .filter_map(|(index, term)| {
            term.target_span
                .map(|span| (span.start, span.end, index + 1))
        })
        .collect();
    (source, target)
}

pub(crate) fn is_xml_char(character: char) -> bool {
    matches!(character,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Escapes character data: `&`, `<` and `>` always, and a carriage return as `&#13;` so a
/// parser's end-of-line normalisation does not turn it into a line feed. Characters XML
/// forbids must have been removed or encoded by the caller.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            other => out.push(other),
        }
    }
    out
}

/// A piece of text: either characters XML allows, or one it forbids.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TextPart<'a> {
    Allowed(&'a str),
    Forbidden(char),
}

/// Splits text at the characters XML 1.0 forbids.
pub(crate) fn text_parts(text: &str) -> Vec<TextPart<'_>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (offset, character) in text.char_indices() {
        if !is_xml_char(character) {
            if start < offset {
                parts.push(TextPart::Allowed(&text[start..offset]));
            }
            parts.push(TextPart::Forbidden(character));
            start = offset + character.len_utf8();
        }
    }
    if start < text.len() {
        parts.push(TextPart::Allowed(&text[start..]));
    }
    parts
}

/// Removes the characters XML 1.0 forbids (used for attribute values and by TMX, which has
/// no way to carry them).
pub(crate) fn strip_forbidden(text: &str) -> String {
    text.chars()
        .filter(|&character| is_xml_char(character))
        .collect()
}

/// A writer for documents whose structure is indented by two spaces per level while element
/// content (segments with highlighted terms) is written exactly as given.
pub(crate) struct XmlWriter {
    writer: Writer<Vec<u8>>,
}

impl XmlWriter {
    /// Starts a UTF-8 document with its XML declaration.
    pub(crate) fn new() -> Self {
        let mut writer = Writer::new(Vec::new());
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect("writing to memory cannot fail");
        XmlWriter { writer }
    }

    fn event(&mut self, event: Event<'_>) {
        // The underlying writer is a Vec<u8>: writing cannot fail.
        self.writer
            .write_event(event)
            .expect("writing to memory cannot fail");
    }

    /// `<!DOCTYPE …>`; `content` is written as is.
    pub(crate) fn doctype(&mut self, content: &str) {
        self.newline(0);
        self.event(Event::DocType(BytesText::from_escaped(content)));
    }

    /// A line break and `depth` levels of indentation.
    pub(crate) fn newline(&mut self, depth: usize) {
        let mut indent = String::from("\n");
        indent.push_str(&"  ".repeat(depth));
        self.event(Event::Text(BytesText::from_escaped(indent)));
    }

    fn start_tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for &(key, value) in attributes {
            start.push_attribute((key, strip_forbidden(value).as_str()));
        }
        start
    }

    /// An opening tag.
    pub(crate) fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Start(Self::start_tag(name, attributes)));
    }

    /// A closing tag.
    pub(crate) fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// An empty element.
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Empty(Self::start_tag(name, attributes)));
    }

    /// Character data. The caller has dealt with forbidden characters (see [`text_parts`]);
    /// any left are dropped here so the document stays well-formed.
    pub(crate) fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let escaped = escape_text(&strip_forbidden(text));
        self.event(Event::Text(BytesText::from_escaped(escaped)));
    }

    /// `<name attributes>text</name>`, with forbidden characters dropped.
    pub(crate) fn text_element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start(name, attributes);
        self.text(text);
        self.end(name);
    }

    /// The finished document, ending with a line break.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.newline(0);
        self.writer.into_inner()
    }
}

/// Resolves an entity or character reference met while reading: the five predefined
/// entities and numeric character references.
pub(crate) fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, String> {
    if let Some(character) = reference
        .resolve_char_ref()
        .map_err(|error| error.to_string())?
    {
        return Ok(character);
    }
    let name = reference.decode().map_err(|error| error.to_string())?;
    match name.as_ref() {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(format!("unknown entity &{other};")),
    }
}

/// The 1-based line of a byte offset in `text`.
pub(crate) fn line_at(text: &str, byte_offset: u64) -> usize {
    let end = usize::try_from(byte_offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_split_out() {
        assert_eq!(
            text_parts("a\u{1}b\u{FFFF}"),
            [
                TextPart::Allowed("a"),
                TextPart::Forbidden('\u{1}'),
                TextPart::Allowed("b"),
                TextPart::Forbidden('\u{FFFF}'),
            ]
        );
        assert_eq!(strip_forbidden("x\u{0}\u{B}y\tz"), "xy\tz");
    }

    #[test]
    fn escaping_keeps_carriage_returns_and_markup_as_text() {
        assert_eq!(
            escape_text("<script>a & b</script>\r\n"),
            "&lt;script&gt;a &amp; b&lt;/script&gt;&#13;\n"
        );
    }

    #[test]
    fn writer_indents_structure_only() {
        let mut writer = XmlWriter::new();
        writer.newline(0);
        writer.start("a", &[("x", "1 \"2\"")]);
        writer.newline(1);
        writer.text_element("b", &[], "t<\u{1}");
        writer.newline(0);
        writer.end("a");
        let text = String::from_utf8(writer.finish()).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &quot;2&quot;\">\n  <b>t&lt;</b>\n</a>\n"
        );
    }
}
