//! The one XML layer: the quick-xml reader set-up every reader uses, reading attributes and
//! references, the writer (indented structure, mixed content written exactly as given),
//! escaping, the characters XML 1.0 forbids, and the line of a byte offset for messages.
//!
//! Must not know any format's element names (TMX, XLIFF and TBX belong to their own modules)
//! and imports nothing of the crate.

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesRef, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::reader::Reader;
use std::borrow::Cow;

/// A reader over `text` set up the way every selaras reader needs it: end tags must match
/// their start tags (a mismatch is an error, not silently accepted), text is not trimmed.
pub fn reader(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader
}

/// The unescaped value of the attribute named exactly `name` (a qualified name such as
/// `xml:lang` included), if the element has it.
pub fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, String> {
    match element.try_get_attribute(name) {
        Ok(Some(attribute)) => attribute
            .unescape_value()
            .map(|value| Some(value.into_owned()))
            .map_err(|error| error.to_string()),
        Ok(None) => Ok(None),
        Err(error) => Err(error.to_string()),
    }
}

/// The unescaped value of the first attribute whose full name or local name (the prefix
/// ignored) is `name`, if the element has one.
pub fn local_attribute(element: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, String> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|error| error.to_string())?;
        if attribute.key.local_name().as_ref() == name || attribute.key.as_ref() == name {
            let value = attribute
                .unescape_value()
                .map_err(|error| error.to_string())?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// Every attribute of an element as `(name, unescaped value)`, in document order.
pub fn attributes(element: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    element
        .attributes()
        .map(|attribute| {
            let attribute = attribute.map_err(|error| error.to_string())?;
            let value = attribute
                .unescape_value()
                .map_err(|error| error.to_string())?;
            Ok((
                String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
                value.into_owned(),
            ))
        })
        .collect()
}

/// Resolves an entity or character reference met while reading: the five predefined
/// entities and numeric character references; any other entity is an error naming it.
pub fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, String> {
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

/// Appends the character content an event carries (text, CDATA, an entity or character
/// reference) to `buffer`; any other event is left alone. Returns whether it was content.
pub fn push_content(event: &Event<'_>, buffer: &mut String) -> Result<bool, String> {
    match event {
        Event::Text(content) => {
            buffer.push_str(&content.xml10_content().map_err(|e| e.to_string())?);
        }
        Event::CData(content) => {
            buffer.push_str(&content.xml10_content().map_err(|e| e.to_string())?);
        }
        Event::GeneralRef(reference) => buffer.push(resolve_reference(reference)?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// The character a hexadecimal code point names (`"1F"` → U+001F), if it names one.
pub fn hex_char(hex: &str) -> Option<char> {
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

/// The 1-based line of a byte offset in `text` (offsets past the end count as the end).
pub fn line_at(text: &str, byte_offset: u64) -> usize {
    let end = usize::try_from(byte_offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

/// Whether XML 1.0 allows `character` in a document
/// (`#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`).
pub fn is_xml_char(character: char) -> bool {
    matches!(character,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// The first character of `text` that XML 1.0 cannot carry, if any.
///
/// selaras's one rule for such characters (a control character an engine sent back, say):
/// they are never changed silently. A format with an inline code for them carries them as
/// that code and reads them back (XLIFF 2 `<cp hex>`, XLIFF 1.2 `<ph ctype="x-selaras-cp">`);
/// a format without one (TMX, the approved memory) leaves the unit out and says so, naming
/// the segment.
pub fn first_forbidden(text: &str) -> Option<char> {
    text.chars().find(|&character| !is_xml_char(character))
}

/// A character as people name it in messages: `U+0007`.
pub fn code_point(character: char) -> String {
    format!("U+{:04X}", u32::from(character))
}

/// A piece of text: either characters XML allows, or one it forbids.
#[derive(Debug, PartialEq, Eq)]
pub enum TextPart<'a> {
    /// A run of characters XML 1.0 allows.
    Allowed(&'a str),
    /// One character XML 1.0 forbids.
    Forbidden(char),
}

/// Splits text at the characters XML 1.0 forbids (for formats that can encode them, such as
/// XLIFF's `<cp>`).
pub fn text_parts(text: &str) -> Vec<TextPart<'_>> {
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

/// How a writer deals with what XML cannot carry as is. Both keep a document well-formed and
/// only use the five predefined entities; they differ in what survives a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Escaping {
    /// Characters XML 1.0 forbids are dropped; a carriage return in text becomes `&#13;` (so
    /// end-of-line normalisation keeps it); attribute values keep tabs and line breaks.
    #[default]
    DropForbidden,
    /// Characters XML 1.0 forbids become U+FFFD; tabs and line breaks in attribute values
    /// become character references (so attribute-value normalisation keeps them); text keeps
    /// them as they are.
    ReplaceForbidden,
}

/// Escapes character data: `&`, `<` and `>`, then what `escaping` says.
pub fn escape_text(text: &str, escaping: Escaping) -> String {
    escape(text, escaping, false)
}

/// Escapes an attribute value (to be written between double quotes): `&`, `<`, `>`, `"` and
/// `'`, then what `escaping` says.
pub fn escape_attribute(value: &str, escaping: Escaping) -> String {
    escape(value, escaping, true)
}

fn escape(text: &str, escaping: Escaping, attribute: bool) -> String {
    let replace = escaping == Escaping::ReplaceForbidden;
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if attribute && replace => {
                out.push_str(&format!("&#{};", u32::from(character)));
            }
            '\r' if !attribute && !replace => out.push_str("&#13;"),
            forbidden if !is_xml_char(forbidden) => {
                if replace {
                    out.push('\u{FFFD}');
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A writer for documents whose structure is indented by two spaces per level while element
/// content (segments with highlighted terms) is written exactly as given.
pub struct XmlWriter {
    writer: Writer<Vec<u8>>,
    escaping: Escaping,
}

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter::new()
    }
}

impl XmlWriter {
    /// Starts a UTF-8 document with its XML declaration; forbidden characters are dropped.
    pub fn new() -> Self {
        XmlWriter::with_escaping(Escaping::DropForbidden)
    }

    /// Starts a UTF-8 document with its XML declaration, escaping as `escaping` says.
    pub fn with_escaping(escaping: Escaping) -> Self {
        let mut writer = XmlWriter {
            writer: Writer::new(Vec::new()),
            escaping,
        };
        writer.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        writer
    }

    /// A writer for a piece of a document (no XML declaration), to be joined to the rest of
    /// the document with [`XmlWriter::into_bytes`].
    pub fn fragment(escaping: Escaping) -> Self {
        XmlWriter {
            writer: Writer::new(Vec::new()),
            escaping,
        }
    }

    /// What was written so far, as is (no final line break).
    pub fn into_bytes(self) -> Vec<u8> {
        self.writer.into_inner()
    }

    fn event(&mut self, event: Event<'_>) {
        // The underlying writer is a Vec<u8>: writing cannot fail.
        self.writer
            .write_event(event)
            .expect("writing to memory cannot fail");
    }

    /// `<!DOCTYPE …>` on a line of its own; `content` is written as is.
    pub fn doctype(&mut self, content: &str) {
        self.newline(0);
        self.event(Event::DocType(BytesText::from_escaped(content)));
    }

    /// A line break and `depth` levels of indentation.
    pub fn newline(&mut self, depth: usize) {
        let mut indent = String::from("\n");
        indent.push_str(&"  ".repeat(depth));
        self.event(Event::Text(BytesText::from_escaped(indent)));
    }

    fn start_tag<'a>(&self, name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for &(key, value) in attributes {
            // Escaped here rather than by quick-xml so both escapings share one rule set.
            let escaped = escape_attribute(value, self.escaping);
            start.push_attribute(Attribute {
                key: QName(key.as_bytes()),
                value: Cow::Owned(escaped.into_bytes()),
            });
        }
        start
    }

    /// An opening tag.
    pub fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = self.start_tag(name, attributes);
        self.event(Event::Start(start));
    }

    /// A closing tag.
    pub fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// An empty element.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = self.start_tag(name, attributes);
        self.event(Event::Empty(start));
    }

    /// Character data, escaped as this writer's [`Escaping`] says.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let escaped = escape_text(text, self.escaping);
        self.event(Event::Text(BytesText::from_escaped(escaped)));
    }

    /// `<name attributes>text</name>`.
    pub fn text_element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start(name, attributes);
        self.text(text);
        self.end(name);
    }

    /// The finished document, ending with a line break.
    pub fn finish(mut self) -> Vec<u8> {
        self.newline(0);
        self.writer.into_inner()
    }
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
    }

    #[test]
    fn the_first_forbidden_character_is_named_by_its_code_point() {
        assert_eq!(first_forbidden("ok\ttab\r\n"), None);
        assert_eq!(first_forbidden("a\u{7}b\u{1}"), Some('\u{7}'));
        assert_eq!(code_point('\u{7}'), "U+0007");
        assert_eq!(code_point('\u{FFFF}'), "U+FFFF");
    }

    #[test]
    fn escaping_drops_or_replaces_what_xml_forbids() {
        let drop = Escaping::DropForbidden;
        let replace = Escaping::ReplaceForbidden;
        assert_eq!(
            escape_text("<script>a & b</script>\r\n\u{0}'\"", drop),
            "&lt;script&gt;a &amp; b&lt;/script&gt;&#13;\n'\""
        );
        assert_eq!(escape_text("a\r\n\t\u{1}b", replace), "a\r\n\t\u{FFFD}b");
        assert_eq!(escape_attribute("x\t\u{B}\"'", drop), "x\t&quot;&apos;");
        assert_eq!(
            escape_attribute("x\t\n\u{B}", replace),
            "x&#9;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn writer_indents_structure_only() {
        let mut writer = XmlWriter::new();
        writer.newline(0);
        writer.start("a", &[("x", "1 \"2\"")]);
        writer.newline(1);
        writer.text_element("b", &[], "t<\u{1}");
        writer.newline(1);
        writer.empty("c", &[("y", "\u{2}")]);
        writer.newline(0);
        writer.end("a");
        let text = String::from_utf8(writer.finish()).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &quot;2&quot;\">\n  <b>t&lt;</b>\n  <c y=\"\"/>\n</a>\n"
        );
    }

    #[test]
    fn reading_helpers_name_lines_and_attributes() {
        let text = "<a\n x=\"1&amp;2\" xml:lang=\"id\">&#x41;&amp;&nbsp;</a>";
        assert_eq!(line_at(text, 3), 2);
        assert_eq!(line_at(text, 10_000), 2);
        let mut reader = reader(text);
        let Ok(Event::Start(start)) = reader.read_event() else {
            panic!("a start tag first");
        };
        assert_eq!(attribute(&start, b"x").unwrap().as_deref(), Some("1&2"));
        assert_eq!(attribute(&start, b"y").unwrap(), None);
        assert_eq!(attribute(&start, b"lang").unwrap(), None);
        assert_eq!(
            local_attribute(&start, b"lang").unwrap().as_deref(),
            Some("id")
        );
        assert_eq!(
            attributes(&start).unwrap(),
            [
                ("x".to_string(), "1&2".to_string()),
                ("xml:lang".to_string(), "id".to_string())
            ]
        );
        let mut resolved = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                Event::GeneralRef(reference) => resolved.push(resolve_reference(&reference)),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(resolved[0], Ok('A'));
        assert_eq!(resolved[1], Ok('&'));
        assert!(resolved[2].as_ref().unwrap_err().contains("&nbsp;"));
        assert!(reader_rejects_mismatched_end_names());
    }

    fn reader_rejects_mismatched_end_names() -> bool {
        let mut reader = reader("<a></b>");
        loop {
            match reader.read_event() {
                Err(_) => return true,
                Ok(Event::Eof) => return false,
                Ok(_) => {}
            }
        }
    }
}
