//! TMX 1.4b translation memories, the one reader and writer: reading the header and the
//! translation units of any conforming file, and writing Level 1 files (plus `<hi>` term
//! markup) that validate against the official DTD.
//!
//! A unit is read as its `tuid`, its `prop`s, its `note`s and the text of each `tuv`'s `seg`
//! (the text of `hi` and `sub` kept, native codes — `bpt`, `ept`, `ph`, `it`, `ut` — dropped).
//! Written files carry every required header attribute, `xml:lang` on each `tuv`, and only
//! the five predefined entities; the XML itself goes through [`crate::xml`]. Must not touch
//! the file system or know where units come from.

use crate::xml::{self, Escaping, XmlWriter};
use quick_xml::events::{BytesStart, Event};

/// A glossary term marked in one variant of a unit, written as `<hi type="x-term" x="n">`
/// around `text[start..end]` of that variant (the same `n` pairs a term with its rendering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The index of the variant in [`TranslationUnit::variants`].
    pub variant: usize,
    /// Where the term starts in the variant's text (a byte offset).
    pub start: usize,
    /// Where it ends (exclusive).
    pub end: usize,
    /// The `x` attribute: the 1-based number of the glossary match.
    pub number: usize,
}

/// One translation unit, as read or to be written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TranslationUnit {
    /// The `tuid` attribute, if any.
    pub id: Option<String>,
    /// `(type, value)` of each `prop`, in order.
    pub props: Vec<(String, String)>,
    /// The text of each `note` of the unit, in order.
    pub notes: Vec<String>,
    /// `(xml:lang, text)` of each `tuv`, in order.
    pub variants: Vec<(String, String)>,
    /// Terms to mark when writing, sorted by start within each variant and not overlapping;
    /// reading flattens `<hi>` to its text and leaves this empty.
    pub terms: Vec<Term>,
}

impl TranslationUnit {
    /// The value of the first `prop` of this type.
    pub fn prop(&self, kind: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(found, _)| found == kind)
            .map(|(_, value)| value.as_str())
    }

    /// The text of the first `tuv` in `language` (compared by primary subtag, ignoring case:
    /// `en` matches `en-US`).
    pub fn text_in(&self, language: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(lang, _)| same_language(lang, language))
            .map(|(_, text)| text.as_str())
    }

    /// The text of the first `tuv` not in `language`.
    pub fn text_not_in(&self, language: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(lang, _)| !same_language(lang, language))
            .map(|(_, text)| text.as_str())
    }
}

fn same_language(a: &str, b: &str) -> bool {
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(a) == primary(b)
}

/// A memory: its header and units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Memory {
    /// The `srclang` attribute of the header.
    pub source_language: String,
    /// Every attribute of the header as `(name, value)`, in file order.
    pub header: Vec<(String, String)>,
    /// The translation units, in file order.
    pub units: Vec<TranslationUnit>,
}

/// Why a TMX text could not be read; the line is 1-based.
#[derive(Debug, thiserror::Error)]
pub enum TmxError {
    /// The text is not well-formed XML.
    #[error("line {line_number}: not well-formed XML: {message}")]
    Xml { line_number: usize, message: String },
    /// Well-formed, but not a TMX document selaras can read.
    #[error("line {line_number}: {message}")]
    Structure { line_number: usize, message: String },
}

impl TmxError {
    /// The 1-based line the problem is on.
    pub fn line_number(&self) -> usize {
        match self {
            TmxError::Xml { line_number, .. } | TmxError::Structure { line_number, .. } => {
                *line_number
            }
        }
    }

    /// What is wrong, without the line.
    pub fn message(&self) -> &str {
        match self {
            TmxError::Xml { message, .. } | TmxError::Structure { message, .. } => message,
        }
    }
}

/// The text of a TMX file's bytes; invalid UTF-8 is an error naming its line.
pub fn from_utf8(bytes: Vec<u8>) -> Result<String, TmxError> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        TmxError::Structure {
            line_number: xml::line_at(valid, valid.len() as u64),
            message: "not valid UTF-8".to_string(),
        }
    })
}

/// The (source, target) pairs of a TMX document for two languages (compared by primary
/// subtag: `en` matches `en-GB`), both texts trimmed; units without both languages or with an
/// empty source are skipped.
pub fn read_pairs(
    text: &str,
    source_language: &str,
    target_language: &str,
) -> Result<Vec<(String, String)>, TmxError> {
    let memory = read(text)?;
    Ok(memory
        .units
        .iter()
        .filter_map(|unit| {
            let source = unit.text_in(source_language)?.trim();
            let target = unit.text_in(target_language)?.trim();
            (!source.is_empty()).then(|| (source.to_string(), target.to_string()))
        })
        .collect())
}

/// Where the text being read goes.
#[derive(Default)]
struct Collecting {
    unit: Option<TranslationUnit>,
    /// The `tuv` being read: its language and text.
    variant: Option<(String, String)>,
    /// The `prop` being read: its type and value.
    prop: Option<(String, String)>,
    note: Option<String>,
    in_segment: bool,
    /// Depth inside native-code elements whose text is not part of the segment.
    skipped_depth: usize,
}

impl Collecting {
    fn push(&mut self, content: &str) {
        if self.in_segment {
            if self.skipped_depth == 0
                && let Some((_, text)) = &mut self.variant
            {
                text.push_str(content);
            }
        } else if let Some((_, value)) = &mut self.prop {
            value.push_str(content);
        } else if let Some(note) = &mut self.note {
            note.push_str(content);
        }
    }
}

/// Reads a TMX document.
pub fn read(text: &str) -> Result<Memory, TmxError> {
    let mut reader = xml::reader(text);
    let mut memory = Memory::default();
    let mut saw_root = false;
    let mut at = Collecting::default();
    // elements started and not yet ended, with where they start: what is still open at the
    // end of the text shows that the file was cut short
    let mut open: Vec<(Vec<u8>, u64)> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|error| TmxError::Xml {
            line_number: xml::line_at(text, reader.error_position()),
            message: error.to_string(),
        })?;
        let structure = |message: String| TmxError::Structure {
            line_number: xml::line_at(text, position),
            message,
        };
        match event {
            Event::Start(element) | Event::Empty(element)
                if !saw_root && element.local_name().as_ref() != b"tmx" =>
            {
                return Err(structure(format!(
                    "the root element is <{}>, not <tmx>",
                    String::from_utf8_lossy(element.name().as_ref())
                )));
            }
            Event::Start(element) => {
                let name = element.local_name().as_ref().to_vec();
                open.push((element.name().as_ref().to_vec(), position));
                match name.as_slice() {
                    b"tmx" => saw_root = true,
                    b"header" => read_header(&element, &mut memory).map_err(structure)?,
                    b"tu" => {
                        at.unit = Some(TranslationUnit {
                            id: xml::attribute(&element, b"tuid").map_err(structure)?,
                            ..TranslationUnit::default()
                        });
                    }
                    b"prop" if at.unit.is_some() && at.variant.is_none() => {
                        let kind = xml::attribute(&element, b"type")
                            .map_err(structure)?
                            .unwrap_or_default();
                        at.prop = Some((kind, String::new()));
                    }
                    b"note" if at.unit.is_some() && at.variant.is_none() => {
                        at.note = Some(String::new());
                    }
                    b"tuv" => {
                        if at.unit.is_none() {
                            return Err(structure("<tuv> outside a <tu>".to_string()));
                        }
                        at.variant = Some((
                            variant_language(&element).map_err(structure)?,
                            String::new(),
                        ));
                    }
                    b"seg" => at.in_segment = at.variant.is_some(),
                    b"bpt" | b"ept" | b"ph" | b"it" | b"ut" if at.in_segment => {
                        at.skipped_depth += 1;
                    }
                    _ => {}
                }
            }
            Event::Empty(element) => match element.local_name().as_ref() {
                b"tmx" => saw_root = true,
                b"header" => read_header(&element, &mut memory).map_err(structure)?,
                // an empty segment, `<seg/>`, leaves the variant's text empty
                b"seg" if at.unit.is_some() => {
                    if let Some((_, text)) = &mut at.variant {
                        text.clear();
                    }
                }
                _ => {}
            },
            Event::Text(content) => {
                let content = content
                    .decode()
                    .map_err(|error| structure(error.to_string()))?;
                at.push(&content);
            }
            Event::CData(content) => {
                let content = content
                    .decode()
                    .map_err(|error| structure(error.to_string()))?;
                at.push(&content);
            }
            Event::GeneralRef(reference) => {
                let character = xml::resolve_reference(&reference).map_err(|message| {
                    structure(if message.starts_with("unknown entity") {
                        format!("{message} (TMX declares only the five predefined ones)")
                    } else {
                        message
                    })
                })?;
                at.push(character.encode_utf8(&mut [0; 4]));
            }
            Event::End(element) => {
                open.pop();
                end_element(element.local_name().as_ref(), &mut at, &mut memory);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(TmxError::Structure {
            line_number: 1,
            message: "no <tmx> element".to_string(),
        });
    }
    if let Some((name, start)) = open.last() {
        return Err(TmxError::Structure {
            line_number: xml::line_at(text, text.len() as u64),
            message: format!(
                "the file ends inside <{}> (opened on line {}): it is cut short or not closed",
                String::from_utf8_lossy(name),
                xml::line_at(text, *start)
            ),
        });
    }
    Ok(memory)
}

fn end_element(name: &[u8], at: &mut Collecting, memory: &mut Memory) {
    match name {
        b"tu" => {
            if let Some(unit) = at.unit.take() {
                memory.units.push(unit);
            }
        }
        b"prop" => {
            if let (Some(found), Some(unit)) = (at.prop.take(), at.unit.as_mut()) {
                unit.props.push(found);
            }
        }
        b"note" => {
            if let (Some(found), Some(unit)) = (at.note.take(), at.unit.as_mut()) {
                unit.notes.push(found);
            }
        }
        b"tuv" => {
            if let (Some(found), Some(unit)) = (at.variant.take(), at.unit.as_mut()) {
                unit.variants.push(found);
            }
        }
        b"seg" => at.in_segment = false,
        b"bpt" | b"ept" | b"ph" | b"it" | b"ut" if at.in_segment => {
            at.skipped_depth = at.skipped_depth.saturating_sub(1);
        }
        _ => {}
    }
}

fn variant_language(element: &BytesStart<'_>) -> Result<String, String> {
    match xml::attribute(element, b"xml:lang")? {
        Some(lang) => Ok(lang),
        // TMX 1.1–1.3 spelled it `lang`
        None => {
            xml::attribute(element, b"lang")?.ok_or_else(|| "<tuv> without xml:lang".to_string())
        }
    }
}

fn read_header(element: &BytesStart<'_>, memory: &mut Memory) -> Result<(), String> {
    memory.source_language = xml::attribute(element, b"srclang")?
        .ok_or_else(|| "<header> without the required srclang attribute".to_string())?;
    memory.header = xml::attributes(element)?;
    Ok(())
}

/// The header fields selaras writes for a memory; the rest are fixed (`segtype="sentence"`,
/// `datatype="plaintext"`, `adminlang="en"`, `o-tmf="selaras"`).
#[derive(Debug, Clone)]
pub struct WriteOptions<'a> {
    /// `srclang`.
    pub source_language: &'a str,
    /// `creationtoolversion`.
    pub creation_tool_version: &'a str,
}

/// Everything [`write_document`] puts in the `<header>`: `creationtool="selaras"`,
/// `segtype="sentence"`, `adminlang="en"` and `datatype="plaintext"` are fixed.
#[derive(Debug, Clone)]
pub struct Header<'a> {
    /// `creationtoolversion`.
    pub creation_tool_version: &'a str,
    /// `srclang`.
    pub source_language: &'a str,
    /// `o-tmf`: the format the units came from.
    pub original_format: &'a str,
    /// `o-encoding`, written when given.
    pub original_encoding: Option<&'a str>,
    /// `creationdate` (`YYYYMMDDThhmmssZ`), written when given.
    pub creation_date: Option<&'a str>,
    /// `(type, value)` of each `prop` of the header.
    pub props: Vec<(&'a str, &'a str)>,
    /// The text of each `note` of the header (after the props); without props and notes the
    /// header is an empty element.
    pub notes: Vec<String>,
}

/// Writes a memory: [`write_document`] with `o-tmf="selaras"`, no date, no header props, and
/// characters XML forbids replaced by U+FFFD.
pub fn write(units: &[TranslationUnit], options: &WriteOptions<'_>) -> String {
    let header = Header {
        creation_tool_version: options.creation_tool_version,
        source_language: options.source_language,
        original_format: "selaras",
        original_encoding: None,
        creation_date: None,
        props: Vec::new(),
        notes: Vec::new(),
    };
    write_document(&header, units, Escaping::ReplaceForbidden)
}

/// Writes a TMX 1.4b document: UTF-8, the DOCTYPE of the official DTD, one `tu` per unit
/// with its props, notes and variants (terms marked with `<hi>`), escaped as `escaping` says.
pub fn write_document(
    header: &Header<'_>,
    units: &[TranslationUnit],
    escaping: Escaping,
) -> String {
    let mut out = write_head(header, escaping);
    out.extend(write_units(units, escaping));
    out.extend_from_slice(DOCUMENT_END.as_bytes());
    String::from_utf8(out).expect("the writer is given only UTF-8")
}

/// The start of a [`write_document`] document, up to and including `<body>`: a document
/// written in pieces is this, then [`write_units`] of each piece, then [`DOCUMENT_END`].
pub fn write_head(header: &Header<'_>, escaping: Escaping) -> Vec<u8> {
    let mut out = XmlWriter::with_escaping(escaping);
    out.doctype("tmx SYSTEM \"tmx14.dtd\"");
    out.newline(0);
    out.start("tmx", &[("version", "1.4")]);
    out.newline(1);
    write_header(&mut out, header);
    out.newline(1);
    out.start("body", &[]);
    out.into_bytes()
}

/// The `<tu>` elements of `units`, as [`write_document`] writes them inside `<body>`.
pub fn write_units(units: &[TranslationUnit], escaping: Escaping) -> Vec<u8> {
    let mut out = XmlWriter::fragment(escaping);
    for unit in units {
        write_unit(&mut out, unit);
    }
    out.into_bytes()
}

/// What closes a [`write_document`] document after its last unit.
pub const DOCUMENT_END: &str = "\n  </body>\n</tmx>\n";

fn write_header(out: &mut XmlWriter, header: &Header<'_>) {
    let mut attributes = vec![
        ("creationtool", "selaras"),
        ("creationtoolversion", header.creation_tool_version),
        ("segtype", "sentence"),
        ("o-tmf", header.original_format),
        ("adminlang", "en"),
        ("srclang", header.source_language),
        ("datatype", "plaintext"),
    ];
    if let Some(encoding) = header.original_encoding {
        attributes.push(("o-encoding", encoding));
    }
    if let Some(date) = header.creation_date {
        attributes.push(("creationdate", date));
    }
    if header.props.is_empty() && header.notes.is_empty() {
        out.empty("header", &attributes);
        return;
    }
    out.start("header", &attributes);
    for &(kind, value) in &header.props {
        out.newline(2);
        out.text_element("prop", &[("type", kind)], value);
    }
    for note in &header.notes {
        out.newline(2);
        out.text_element("note", &[], note);
    }
    out.newline(1);
    out.end("header");
}

fn write_unit(out: &mut XmlWriter, unit: &TranslationUnit) {
    out.newline(2);
    match &unit.id {
        Some(id) => out.start("tu", &[("tuid", id)]),
        None => out.start("tu", &[]),
    }
    for (kind, value) in &unit.props {
        out.newline(3);
        out.text_element("prop", &[("type", kind)], value);
    }
    for note in &unit.notes {
        out.newline(3);
        out.text_element("note", &[], note);
    }
    for (index, (lang, text)) in unit.variants.iter().enumerate() {
        out.newline(3);
        out.start("tuv", &[("xml:lang", lang)]);
        out.start("seg", &[]);
        write_segment(
            out,
            text,
            unit.terms.iter().filter(|term| term.variant == index),
        );
        out.end("seg");
        out.end("tuv");
    }
    out.newline(2);
    out.end("tu");
}

/// A segment's text with its terms in `<hi>`; a term out of order, overlapping the one
/// before, or not on character boundaries is written as plain text.
fn write_segment<'a>(out: &mut XmlWriter, text: &str, terms: impl Iterator<Item = &'a Term>) {
    let mut position = 0;
    for term in terms {
        let fits = position <= term.start
            && term.start < term.end
            && term.end <= text.len()
            && text.is_char_boundary(term.start)
            && text.is_char_boundary(term.end);
        if !fits {
            continue;
        }
        out.text(&text[position..term.start]);
        let number = term.number.to_string();
        out.text_element(
            "hi",
            &[("type", "x-term"), ("x", &number)],
            &text[term.start..term.end],
        );
        position = term.end;
    }
    out.text(&text[position..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, source: &str, target: &str) -> TranslationUnit {
        TranslationUnit {
            id: Some(id.to_string()),
            props: vec![("x-alignment-confidence".to_string(), "0.97".to_string())],
            variants: vec![
                ("id".to_string(), source.to_string()),
                ("en".to_string(), target.to_string()),
            ],
            ..TranslationUnit::default()
        }
    }

    #[test]
    fn written_units_read_back_unchanged() {
        let units = vec![
            unit(
                "a:1.1",
                "Tab\tdan <b> & \"kutip\" 'x'",
                "Tab\tand <b> & \"quote\" ]]> 'x'",
            ),
            unit("a:\"odd\" & id", "Satu.", "One."),
        ];
        let text = write(
            &units,
            &WriteOptions {
                source_language: "id",
                creation_tool_version: "0.1.0",
            },
        );
        assert!(text.contains("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">"));
        assert!(text.contains("&lt;b&gt; &amp; \"kutip\""));
        let memory = read(&text).unwrap();
        assert_eq!(memory.source_language, "id");
        assert_eq!(memory.units, units);
        assert_eq!(
            memory.units[0].text_in("en-US"),
            Some(units[0].variants[1].1.as_str())
        );
        assert_eq!(
            memory.units[0].text_not_in("id"),
            memory.units[0].text_in("en")
        );
        assert_eq!(memory.units[0].prop("x-alignment-confidence"), Some("0.97"));
    }

    #[test]
    fn reads_inline_markup_entities_and_old_lang_attributes() {
        let text = r#"<?xml version="1.0"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="id-ID" datatype="plaintext"/>
<body>
<tu><prop type="x-segment-id">b:2.1</prop>
<tuv lang="id-ID"><seg>Presiden <hi type="x-term">To Lam</hi><ph x="1">&lt;br/&gt;</ph> &#x201C;hadir&#8221; &amp; <![CDATA[<ok>]]></seg></tuv>
<tuv xml:lang="en-GB"><seg/></tuv>
</tu>
</body></tmx>"#;
        let memory = read(text).unwrap();
        assert_eq!(memory.source_language, "id-ID");
        let unit = &memory.units[0];
        assert_eq!(unit.id, None);
        assert_eq!(unit.prop("x-segment-id"), Some("b:2.1"));
        assert_eq!(unit.text_in("id"), Some("Presiden To Lam “hadir” & <ok>"));
        assert_eq!(unit.text_in("en"), Some(""));
    }

    #[test]
    fn errors_name_the_line() {
        let broken = "<tmx version=\"1.4\">\n<header srclang=\"id\"/>\n<body>\n<tu><tuv><seg>x</seg></tuv></tu>\n</body></tmx>";
        let error = read(broken).unwrap_err().to_string();
        assert!(error.starts_with("line 4:"), "{error}");
        assert!(error.contains("xml:lang"), "{error}");
        let error = read("<tmx>\n<body>\n</tmx>").unwrap_err().to_string();
        assert!(error.starts_with("line 3:"), "{error}");
        let error = read("<html/>").unwrap_err().to_string();
        assert!(error.contains("not <tmx>"), "{error}");
        let error =
            read("<tmx><body><tu><tuv xml:lang=\"id\"><seg>&nbsp;</seg></tuv></tu></body></tmx>")
                .unwrap_err()
                .to_string();
        assert!(error.contains("&nbsp;"), "{error}");
    }

    #[test]
    fn a_truncated_memory_is_an_error_naming_the_last_line() {
        let whole = write(
            &(0..20)
                .map(|n| unit(&format!("a:{n}.1"), "Satu.", "One."))
                .collect::<Vec<_>>(),
            &WriteOptions {
                source_language: "id",
                creation_tool_version: "0.1.0",
            },
        );
        assert_eq!(read(&whole).unwrap().units.len(), 20);
        // every cut is an error (or, cut inside the final end tag's name, still an error)
        let lines = whole.lines().count();
        for cut in (1..whole.len() - 1).filter(|&cut| whole.is_char_boundary(cut)) {
            let text = &whole[..cut];
            let Err(error) = read(text) else {
                panic!(
                    "accepted a memory cut at byte {cut}: …{:?}",
                    &text[cut.saturating_sub(40)..]
                );
            };
            assert!(error.line_number() <= lines, "{error}");
        }
        let error = read("<tmx><body><tu>broken").unwrap_err().to_string();
        assert!(error.contains("ends inside <tu>"), "{error}");
        let error = read("<tmx>\n<body>\n<tu>\n").unwrap_err();
        assert_eq!(error.line_number(), 4, "{error}");
    }

    #[test]
    fn documents_carry_header_props_notes_and_terms() {
        let header = Header {
            creation_tool_version: "0.1.0",
            source_language: "id",
            original_format: "selaras-jsonl",
            original_encoding: Some("UTF-8"),
            creation_date: Some("20251201T083000Z"),
            props: vec![("x-article", "a & b")],
            notes: vec!["left out: a:2.1".to_string()],
        };
        let unit = TranslationUnit {
            id: Some("a:1.1".to_string()),
            notes: vec!["glossary \"x\" <y>".to_string()],
            variants: vec![
                ("id".to_string(), "Presiden Prabowo\u{1} hadir".to_string()),
                ("en".to_string(), "President Prabowo came".to_string()),
            ],
            terms: vec![
                Term {
                    variant: 0,
                    start: 0,
                    end: 8,
                    number: 1,
                },
                // overlaps the first: written as plain text
                Term {
                    variant: 0,
                    start: 4,
                    end: 9,
                    number: 2,
                },
                Term {
                    variant: 1,
                    start: 10,
                    end: 17,
                    number: 1,
                },
            ],
            ..TranslationUnit::default()
        };
        let text = write_document(&header, &[unit], Escaping::DropForbidden);
        assert!(text.contains(
            "<prop type=\"x-article\">a &amp; b</prop>\n    <note>left out: a:2.1</note>\n  </header>"
        ));
        assert!(
            text.contains("<note>glossary \"x\" &lt;y&gt;</note>"),
            "{text}"
        );
        assert!(
            text.contains("<seg><hi type=\"x-term\" x=\"1\">Presiden</hi> Prabowo hadir</seg>"),
            "{text}"
        );
        assert!(
            text.contains("<seg>President <hi type=\"x-term\" x=\"1\">Prabowo</hi> came</seg>"),
            "{text}"
        );
        let memory = read(&text).unwrap();
        assert_eq!(
            memory.header[3],
            ("o-tmf".to_string(), "selaras-jsonl".to_string())
        );
        assert_eq!(memory.header.len(), 9);
        let unit = &memory.units[0];
        assert_eq!(unit.notes, ["glossary \"x\" <y>"]);
        assert_eq!(unit.text_in("id"), Some("Presiden Prabowo hadir"));
        assert!(unit.terms.is_empty());
    }

    #[test]
    fn memories_replace_forbidden_characters_and_keep_attribute_breaks() {
        let unit = TranslationUnit {
            id: Some("a\tb".to_string()),
            variants: vec![("id".to_string(), "x\u{1}\r".to_string())],
            ..TranslationUnit::default()
        };
        let options = WriteOptions {
            source_language: "id",
            creation_tool_version: "0.1.0",
        };
        let text = write(&[unit], &options);
        assert!(text.contains(
            "o-tmf=\"selaras\" adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\"/>"
        ));
        assert!(text.contains("<tu tuid=\"a&#9;b\">"), "{text}");
        assert!(text.contains("<seg>x\u{FFFD}\r</seg>"), "{text}");
    }

    #[test]
    fn pairs_are_read_for_two_languages_and_bad_bytes_name_the_line() {
        let text = "<tmx><header srclang=\"id\"/><body>\n<tu><tuv xml:lang=\"id-ID\"><seg> Satu. </seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu>\n<tu><tuv xml:lang=\"id\"><seg> </seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n</body></tmx>";
        assert_eq!(
            read_pairs(text, "id", "en-GB").unwrap(),
            [("Satu.".to_string(), "One.".to_string())]
        );
        let error = from_utf8(b"<tmx>\n\n\xff</tmx>".to_vec()).unwrap_err();
        assert_eq!(
            (error.line_number(), error.message()),
            (3, "not valid UTF-8")
        );
        assert_eq!(from_utf8(b"<tmx/>".to_vec()).unwrap(), "<tmx/>");
    }
}
