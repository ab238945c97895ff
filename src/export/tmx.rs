//! TMX 1.4b export (Level 1 plus `<hi>`) and a reader for it.
//!
//! The header carries every attribute the DTD requires (creationtool, creationtoolversion,
//! segtype="sentence", o-tmf, adminlang, srclang, datatype="plaintext") and a creation date;
//! each translated, translatable segment becomes one `<tu tuid>` with `x-segment-id`,
//! `x-origin`, `x-kind` and `x-glossary-status` properties, a note per glossary violation, and
//! one `<tuv xml:lang>` per language. Glossary terms are wrapped in `<hi type="x-term" x="n">`
//! on both sides (the same `x` pairs a term with its rendering). Characters XML 1.0 forbids
//! are dropped. Must not write untranslated or non-translatable segments: a translation
//! memory holds translations.

use super::xml::{XmlWriter, line_at, numbered_term_spans, resolve_reference};
use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, clean_spans, tmx_date};
use crate::record::AlignedSegment;
use quick_xml::events::Event;

/// The `o-tmf` (original translation memory format) written in the header.
pub const ORIGINAL_FORMAT: &str = "selaras-jsonl";

/// Writes `<stem>.tmx`.
pub struct TmxExporter;

impl Exporter for TmxExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Tmx
    }

    fn render_article(&self, article: &ArticleRecords, context: &ExportContext) -> Vec<u8> {
        render(&article.stem, &article.records, context)
    }
}

/// The TMX document of one article.
pub fn render(stem: &str, records: &[AlignedSegment], context: &ExportContext) -> Vec<u8> {
    let mut xml = XmlWriter::new();
    xml.doctype("tmx SYSTEM \"tmx14.dtd\"");
    xml.newline(0);
    xml.start("tmx", &[("version", "1.4")]);
    xml.newline(1);
    let date = tmx_date(context.created_at);
    xml.start(
        "header",
        &[
            ("creationtool", "selaras"),
            ("creationtoolversion", &context.tool_version),
            ("segtype", "sentence"),
            ("o-tmf", ORIGINAL_FORMAT),
            ("adminlang", "en"),
            ("srclang", &context.source_lang),
            ("datatype", "plaintext"),
            ("o-encoding", "UTF-8"),
            ("creationdate", &date),
        ],
    );
    xml.newline(2);
    xml.text_element("prop", &[("type", "x-article")], stem);
    xml.newline(1);
    xml.end("header");
    xml.newline(1);
    xml.start("body", &[]);
    for record in records {
        let Some(target) = record.target.as_deref() else {
            continue;
        };
        if !record.translatable {
            continue;
        }
        write_unit(&mut xml, record, target, context);
    }
    xml.newline(1);
    xml.end("body");
    xml.newline(0);
    xml.end("tmx");
    xml.finish()
}

fn write_unit(xml: &mut XmlWriter, record: &AlignedSegment, target: &str, context: &ExportContext) {
    let id = record.id.to_string();
    xml.newline(2);
    xml.start("tu", &[("tuid", &id)]);
    for (kind, value) in [
        ("x-segment-id", id.as_str()),
        ("x-origin", record.origin.as_str()),
        ("x-kind", record.kind.as_str()),
        ("x-glossary-status", record.status().as_str()),
    ] {
        xml.newline(3);
        xml.text_element("prop", &[("type", kind)], value);
    }
    for violation in &record.violations {
        xml.newline(3);
        let found = violation
            .found
            .as_deref()
            .map(|found| format!(" (found \"{found}\")"))
            .unwrap_or_default();
        let note = format!(
            "glossary {}: \"{}\" must be rendered \"{}\"{found}",
            violation.kind.as_str().replace('_', " "),
            violation.source_term,
            violation.expected
        );
        xml.text_element("note", &[], &note);
    }
    // Pair each term with its rendering through the `x` attribute (1-based match number).
    let (source_spans, target_spans) = numbered_term_spans(record);
    write_variant(xml, &context.source_lang, &record.source, &source_spans);
    write_variant(xml, &context.target_lang, target, &target_spans);
    xml.newline(2);
    xml.end("tu");
}

fn write_variant(xml: &mut XmlWriter, lang: &str, text: &str, spans: &[(usize, usize, usize)]) {
    xml.newline(3);
    xml.start("tuv", &[("xml:lang", lang)]);
    xml.start("seg", &[]);
    let mut position = 0;
    for (start, end, number) in clean_spans(text, spans) {
        xml.text(&text[position..start]);
        let number = number.to_string();
        xml.text_element(
            "hi",
            &[("type", "x-term"), ("x", &number)],
            &text[start..end],
        );
        position = end;
    }
    xml.text(&text[position..]);
    xml.end("seg");
    xml.end("tuv");
}

/// One translation unit read back from a TMX file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TmxUnit {
    pub tuid: Option<String>,
    /// `(type, value)` of each `<prop>` of the unit.
    pub properties: Vec<(String, String)>,
    pub notes: Vec<String>,
    /// `(xml:lang, text)` of each variant; inline markup is dropped, its text kept.
    pub variants: Vec<(String, String)>,
}

impl TmxUnit {
    /// The value of a property.
    pub fn property(&self, kind: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(name, _)| name == kind)
            .map(|(_, value)| value.as_str())
    }

    /// The text of the variant in `lang` (compared case-insensitively).
    pub fn text(&self, lang: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(lang))
            .map(|(_, text)| text.as_str())
    }
}

/// A TMX header and its units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TmxDocument {
    /// The header's attributes, in file order.
    pub header: Vec<(String, String)>,
    pub units: Vec<TmxUnit>,
}

/// A TMX file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line_number}: {message}")]
pub struct TmxError {
    pub line_number: usize,
    pub message: String,
}

/// Reads a TMX 1.4 document: the header attributes and every `<tu>` (text inside `<hi>`,
/// `<ph>`, `<bpt>`… is kept as text; `<sub>` content is dropped as it is native code).
pub fn read(text: &str) -> Result<TmxDocument, TmxError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut document = TmxDocument::default();
    let mut unit: Option<TmxUnit> = None;
    // What the text being collected belongs to.
    enum Collecting {
        Nothing,
        Property(String),
        Note,
        Segment(String),
    }
    impl Collecting {
        fn is_active(&self) -> bool {
            !matches!(self, Collecting::Nothing)
        }
    }
    let mut collecting = Collecting::Nothing;
    let mut buffer = String::new();
    let mut variant_lang: Option<String> = None;
    let mut sub_depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let error = |message: String| TmxError {
            line_number: line_at(text, position),
            message,
        };
        let event = reader
            .read_event()
            .map_err(|error_value| error(error_value.to_string()))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let attribute = |wanted: &str| -> Result<Option<String>, TmxError> {
                    for attribute in start.attributes() {
                        let attribute = attribute.map_err(|e| error(e.to_string()))?;
                        if attribute.key.as_ref() == wanted.as_bytes() {
                            let value = attribute
                                .unescape_value()
                                .map_err(|e| error(e.to_string()))?;
                            return Ok(Some(value.into_owned()));
                        }
                    }
                    Ok(None)
                };
                match name.as_str() {
                    "header" => {
                        for attribute in start.attributes() {
                            let attribute = attribute.map_err(|e| error(e.to_string()))?;
                            let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
                            let value = attribute
                                .unescape_value()
                                .map_err(|e| error(e.to_string()))?;
                            document.header.push((key, value.into_owned()));
                        }
                    }
                    "tu" => {
                        unit = Some(TmxUnit {
                            tuid: attribute("tuid")?,
                            ..TmxUnit::default()
                        });
                        if is_empty {
                            return Err(error("a <tu> without <tuv>".to_string()));
                        }
                    }
                    "prop" if unit.is_some() && !is_empty => {
                        let kind = attribute("type")?.unwrap_or_default();
                        collecting = Collecting::Property(kind);
                        buffer.clear();
                    }
                    "note" if unit.is_some() && !is_empty => {
                        collecting = Collecting::Note;
                        buffer.clear();
                    }
                    "tuv" => {
                        variant_lang = attribute("xml:lang")?.or(attribute("lang")?);
                        if variant_lang.is_none() {
                            return Err(error("a <tuv> without xml:lang".to_string()));
                        }
                    }
                    "seg" => {
                        let lang = variant_lang.clone().unwrap_or_default();
                        buffer.clear();
                        if is_empty {
                            if let Some(unit) = unit.as_mut() {
                                unit.variants.push((lang, String::new()));
                            }
                        } else {
                            collecting = Collecting::Segment(lang);
                        }
                    }
                    "sub" if !is_empty => sub_depth += 1,
                    _ => {}
                }
            }
            Event::End(end) => match end.name().as_ref() {
                b"prop" | b"note" | b"seg" => {
                    let finished = std::mem::replace(&mut collecting, Collecting::Nothing);
                    let value = std::mem::take(&mut buffer);
                    if let Some(unit) = unit.as_mut() {
                        match finished {
                            Collecting::Property(kind) => unit.properties.push((kind, value)),
                            Collecting::Note => unit.notes.push(value),
                            Collecting::Segment(lang) => unit.variants.push((lang, value)),
                            Collecting::Nothing => {}
                        }
                    }
                }
                b"sub" => sub_depth = sub_depth.saturating_sub(1),
                b"tu" => {
                    if let Some(unit) = unit.take() {
                        if unit.variants.is_empty() {
                            return Err(error("a <tu> without <tuv>".to_string()));
                        }
                        document.units.push(unit);
                    }
                }
                _ => {}
            },
            Event::Text(content) if sub_depth == 0 && collecting.is_active() => {
                let content = content.xml10_content().map_err(|e| error(e.to_string()))?;
                buffer.push_str(&content);
            }
            Event::CData(content) if sub_depth == 0 && collecting.is_active() => {
                let content = content.xml10_content().map_err(|e| error(e.to_string()))?;
                buffer.push_str(&content);
            }
            Event::GeneralRef(reference) if sub_depth == 0 && collecting.is_active() => {
                buffer.push(resolve_reference(&reference).map_err(error)?);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if document.header.is_empty() {
        return Err(TmxError {
            line_number: 1,
            message: "no <header>: this is not a TMX document".to_string(),
        });
    }
    Ok(document)
}
