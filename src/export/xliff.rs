//! XLIFF 2.1 core export and a reader for edited files.
//!
//! Layout: `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang
//! trgLang>`, one `<file id="<stem>">` per article, one `<unit id="<block>">` per block, one
//! `<segment id="<index>">` per segment, so `file/unit/segment` ids spell the segment id back.
//! States: engine output without violations → `translated`; fixed by
//! the glossary → `translated` + `subState="selaras:term-fixed"`; violations left → `initial`
//! with a `<note category="glossary">` on the unit (QA findings are `<note category="qa">`,
//! priority 1 for errors and 5 for warnings, whatever the state); approved memory → `reviewed` +
//! `subState="selaras:memory"`; a reviewer's edit → `reviewed`; untranslated → `initial`
//! without a target. A non-translatable segment is an `<ignorable>` among translatable ones,
//! and a block with nothing to translate is a `translate="no"` unit whose segments are
//! `final` with the source copied. Glossary terms are `<mrk type="term">` in source and
//! target (same id); characters XML forbids are written as `<cp hex>`.
//! Must not interpret a reviewer's edits; [`read`] only returns what the file says.

use super::term_spans::numbered_term_spans;
use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, clean_spans};
use crate::glossary::Violation;
use crate::record::{AlignedSegment, Origin, Status};
use crate::xml::{self, TextPart, XmlWriter, line_at, resolve_reference, text_parts};
use quick_xml::events::{BytesStart, Event};
use std::fmt;

/// The XLIFF 2.0/2.1 core namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// Writes `<stem>.xlf`.
pub struct XliffExporter;

impl Exporter for XliffExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Xliff
    }

    fn render_article(&self, article: &ArticleRecords, context: &ExportContext) -> Vec<u8> {
        render(std::slice::from_ref(article), context)
    }
}

/// The translation state of an XLIFF 2 segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentState {
    #[default]
    Initial,
    Translated,
    Reviewed,
    Final,
}

impl SegmentState {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentState::Initial => "initial",
            SegmentState::Translated => "translated",
            SegmentState::Reviewed => "reviewed",
            SegmentState::Final => "final",
        }
    }

    pub fn parse(text: &str) -> Option<SegmentState> {
        Some(match text.trim() {
            "initial" => SegmentState::Initial,
            "translated" => SegmentState::Translated,
            "reviewed" => SegmentState::Reviewed,
            "final" => SegmentState::Final,
            _ => return None,
        })
    }
}

impl fmt::Display for SegmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state and optional subState a record is exported with.
pub fn state_of(record: &AlignedSegment) -> (SegmentState, Option<&'static str>) {
    match record.status() {
        Status::NotTranslatable => (SegmentState::Final, None),
        Status::Untranslated | Status::Violations => (SegmentState::Initial, None),
        Status::Reviewed => (SegmentState::Reviewed, None),
        Status::Fixed => (SegmentState::Translated, Some("selaras:term-fixed")),
        Status::Ok if record.origin == Origin::Memory => {
            (SegmentState::Reviewed, Some("selaras:memory"))
        }
        Status::Ok => (SegmentState::Translated, None),
    }
}

/// One XLIFF document holding every given article as a `<file>`.
pub fn render(articles: &[ArticleRecords], context: &ExportContext) -> Vec<u8> {
    let mut xml = XmlWriter::new();
    xml.newline(0);
    xml.start(
        "xliff",
        &[
            ("xmlns", NAMESPACE),
            ("version", "2.1"),
            ("srcLang", &context.source_lang),
            ("trgLang", &context.target_lang),
        ],
    );
    for article in articles {
        xml.newline(1);
        let original = format!("{}.txt", article.stem);
        xml.start("file", &[("id", &article.stem), ("original", &original)]);
        let mut block_start = 0;
        while block_start < article.records.len() {
            let block = article.records[block_start].id.block;
            let block_end = article.records[block_start..]
                .iter()
                .position(|record| record.id.block != block)
                .map_or(article.records.len(), |offset| block_start + offset);
            write_unit(&mut xml, &article.records[block_start..block_end]);
            block_start = block_end;
        }
        xml.newline(1);
        xml.end("file");
    }
    xml.newline(0);
    xml.end("xliff");
    xml.finish()
}

fn write_unit(xml: &mut XmlWriter, records: &[AlignedSegment]) {
    let block = records[0].id.block.to_string();
    let translatable = records.iter().any(|record| record.translatable);
    xml.newline(2);
    if translatable {
        xml.start("unit", &[("id", &block)]);
    } else {
        xml.start("unit", &[("id", &block), ("translate", "no")]);
    }
    let notes: Vec<(String, &'static str, &'static str)> = records
        .iter()
        .flat_map(|record| {
            let several = records.len() > 1;
            let prefix = move || {
                if several {
                    format!("Segment {}: ", record.id.index)
                } else {
                    String::new()
                }
            };
            let violations = record.violations.iter().map(move |violation| {
                (
                    format!("{}{}", prefix(), describe(violation)),
                    "glossary",
                    "1",
                )
            });
            let warnings = record.warnings.iter().map(move |warning| {
                (
                    format!("{}warning: {}", prefix(), describe(warning)),
                    "glossary",
                    "5",
                )
            });
            let findings = record.qa.iter().map(move |finding| {
                (
                    format!(
                        "{}{} {}: {}",
                        prefix(),
                        finding.check.as_str(),
                        finding.severity.as_str(),
                        finding.message
                    ),
                    "qa",
                    match finding.severity {
                        crate::qa::Severity::Error => "1",
                        crate::qa::Severity::Warning => "5",
                    },
                )
            });
            violations.chain(warnings).chain(findings)
        })
        .collect();
    if !notes.is_empty() {
        xml.newline(3);
        xml.start("notes", &[]);
        for (text, category, priority) in &notes {
            xml.newline(4);
            xml.start(
                "note",
                &[
                    ("category", category),
                    ("appliesTo", "target"),
                    ("priority", priority),
                ],
            );
            write_content(xml, text);
            xml.end("note");
        }
        xml.newline(3);
        xml.end("notes");
    }
    for record in records {
        write_segment(xml, record, translatable);
    }
    xml.newline(2);
    xml.end("unit");
}

fn describe(violation: &Violation) -> String {
    use crate::glossary::ViolationKind;
    let found = violation.found.as_deref().unwrap_or_default();
    let mut text = match violation.kind {
        ViolationKind::Missing => format!(
            "\"{}\" must be rendered \"{}\"; no accepted rendering is in the target.",
            violation.source_term, violation.expected
        ),
        ViolationKind::ForbiddenVariant => format!(
            "\"{}\" must be rendered \"{}\", not \"{found}\".",
            violation.source_term, violation.expected
        ),
        ViolationKind::CountMismatch => format!(
            "\"{}\" occurs more often in the source than \"{}\" in the target.",
            violation.source_term, violation.expected
        ),
        ViolationKind::ForbiddenWithoutTerm => format!(
            "\"{found}\" is a rendering the glossary forbids (approved: \"{}\").",
            violation.expected
        ),
        ViolationKind::PlaceholderLost => format!(
            "the protected term \"{}\" came back damaged from the engine; it was fixed instead.",
            violation.source_term
        ),
    };
    if !violation.note.is_empty() {
        text.push(' ');
        text.push_str(&violation.note);
    }
    text
}

fn write_segment(xml: &mut XmlWriter, record: &AlignedSegment, unit_translatable: bool) {
    let index = record.id.index.to_string();
    let segment_id = record.id.index;
    xml.newline(3);
    if !record.translatable && unit_translatable {
        // A dateline among sentences: kept in place, never translated.
        xml.start("ignorable", &[("id", &index)]);
        write_text_element(xml, "source", &[], &record.source, &[], segment_id);
        write_text_element(xml, "target", &[], &record.source, &[], segment_id);
        xml.end("ignorable");
        return;
    }
    let (state, sub_state) = state_of(record);
    let mut attributes = vec![("id", index.as_str()), ("state", state.as_str())];
    if let Some(sub_state) = sub_state {
        attributes.push(("subState", sub_state));
    }
    xml.start("segment", &attributes);
    let (source_spans, target_spans) = numbered_term_spans(record);
    xml.newline(4);
    write_text_element(
        xml,
        "source",
        &[],
        &record.source,
        &source_spans,
        segment_id,
    );
    let target = if record.translatable {
        record.target.as_deref()
    } else {
        Some(record.source.as_str())
    };
    if let Some(target) = target {
        xml.newline(4);
        let spans = if record.translatable {
            &target_spans[..]
        } else {
            &[]
        };
        write_text_element(xml, "target", &[], target, spans, segment_id);
    }
    xml.newline(3);
    xml.end("segment");
}

fn write_text_element(
    xml: &mut XmlWriter,
    name: &str,
    attributes: &[(&str, &str)],
    text: &str,
    spans: &[(usize, usize, usize)],
    segment_id: usize,
) {
    xml.start(name, attributes);
    let mut position = 0;
    for (start, end, number) in clean_spans(text, spans) {
        write_content(xml, &text[position..start]);
        let id = format!("m{segment_id}-{number}");
        xml.start("mrk", &[("id", &id), ("type", "term")]);
        write_content(xml, &text[start..end]);
        xml.end("mrk");
        position = end;
    }
    write_content(xml, &text[position..]);
    xml.end(name);
}

/// Text with forbidden characters as `<cp hex>`.
fn write_content(xml: &mut XmlWriter, text: &str) {
    for part in text_parts(text) {
        match part {
            TextPart::Allowed(text) => xml.text(text),
            TextPart::Forbidden(character) => {
                let hex = format!("{:04X}", u32::from(character));
                xml.empty("cp", &[("hex", &hex)]);
            }
        }
    }
}

/// A segment (or ignorable) read back from an XLIFF 2 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffSegment {
    /// The 1-based line of the `<segment>` tag.
    pub line_number: usize,
    pub file_id: String,
    pub unit_id: String,
    /// The segment's `id`, if it has one.
    pub segment_id: Option<String>,
    /// False for `<ignorable>` and for segments of a `translate="no"` unit or file.
    pub translate: bool,
    pub ignorable: bool,
    pub state: SegmentState,
    pub sub_state: Option<String>,
    /// The text of `<source>`; inline annotations keep their text, codes are dropped.
    pub source: String,
    /// The text of `<target>`, `None` when there is no target element.
    pub target: Option<String>,
}

/// A note read back from a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffNote {
    pub file_id: String,
    pub unit_id: String,
    pub category: Option<String>,
    pub text: String,
}

/// An XLIFF 2 document read back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XliffDocument {
    pub version: String,
    pub source_lang: String,
    pub target_lang: Option<String>,
    pub segments: Vec<XliffSegment>,
    pub notes: Vec<XliffNote>,
}

/// An XLIFF file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line_number}: {message}")]
pub struct XliffError {
    pub line_number: usize,
    pub message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextTarget {
    None,
    Source,
    Target,
    Note,
}

/// Reads an XLIFF 2.x document (as written by [`render`], or after a CAT tool edited it).
/// XLIFF 1.2 is refused with a message saying so.
pub fn read(text: &str) -> Result<XliffDocument, XliffError> {
    let mut reader = xml::reader(text);
    let mut document = XliffDocument::default();
    let mut seen_root = false;
    let mut file_id = String::new();
    let mut file_translate = true;
    let mut unit_id = String::new();
    let mut unit_translate = true;
    let mut current: Option<XliffSegment> = None;
    let mut note: Option<XliffNote> = None;
    let mut collecting = TextTarget::None;
    let mut buffer = String::new();
    // Depth inside elements whose content is not text of the segment (`<originalData>`).
    let mut skipped_depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let error = |message: String| XliffError {
            line_number: line_at(text, position),
            message,
        };
        let event = reader
            .read_event()
            .map_err(|error_value| error(error_value.to_string()))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = start.local_name();
                let name = String::from_utf8_lossy(name.as_ref()).into_owned();
                if !seen_root {
                    if name != "xliff" {
                        return Err(error(format!(
                            "the root element is <{name}>, not <xliff>: this is not an XLIFF file"
                        )));
                    }
                    seen_root = true;
                    document.version = xml::local_attribute(start, b"version")
                        .map_err(&error)?
                        .unwrap_or_default();
                    if !document.version.starts_with("2.") {
                        return Err(error(format!(
                            "XLIFF version {:?} is not supported; selaras reads XLIFF 2.x (export with --format xliff)",
                            document.version
                        )));
                    }
                    document.source_lang = xml::local_attribute(start, b"srcLang")
                        .map_err(&error)?
                        .ok_or_else(|| error("<xliff> has no srcLang".to_string()))?;
                    document.target_lang =
                        xml::local_attribute(start, b"trgLang").map_err(&error)?;
                    continue;
                }
                if skipped_depth > 0 {
                    if !is_empty {
                        skipped_depth += 1;
                    }
                    continue;
                }
                match name.as_str() {
                    "file" => {
                        file_id = required(start, "id").map_err(&error)?;
                        file_translate = xml::local_attribute(start, b"translate")
                            .map_err(&error)?
                            .as_deref()
                            != Some("no");
                    }
                    "unit" => {
                        unit_id = required(start, "id").map_err(&error)?;
                        unit_translate = file_translate
                            && xml::local_attribute(start, b"translate")
                                .map_err(&error)?
                                .as_deref()
                                != Some("no");
                    }
                    "segment" | "ignorable" => {
                        let ignorable = name == "ignorable";
                        let state = match xml::local_attribute(start, b"state").map_err(&error)? {
                            None => SegmentState::Initial,
                            Some(value) => SegmentState::parse(&value).ok_or_else(|| {
                                error(format!(
                                    "state {value:?} is not one of initial, translated, reviewed, final"
                                ))
                            })?,
                        };
                        current = Some(XliffSegment {
                            line_number: line_at(text, position),
                            file_id: file_id.clone(),
                            unit_id: unit_id.clone(),
                            segment_id: xml::local_attribute(start, b"id").map_err(&error)?,
                            translate: unit_translate && !ignorable,
                            ignorable,
                            state,
                            sub_state: xml::local_attribute(start, b"subState").map_err(&error)?,
                            source: String::new(),
                            target: None,
                        });
                    }
                    "source" if current.is_some() => {
                        buffer.clear();
                        collecting = TextTarget::Source;
                        if is_empty {
                            collecting = TextTarget::None;
                        }
                    }
                    "target" if current.is_some() => {
                        buffer.clear();
                        if let Some(segment) = current.as_mut() {
                            segment.target = Some(String::new());
                        }
                        collecting = if is_empty {
                            TextTarget::None
                        } else {
                            TextTarget::Target
                        };
                    }
                    "note" if !is_empty => {
                        buffer.clear();
                        collecting = TextTarget::Note;
                        note = Some(XliffNote {
                            file_id: file_id.clone(),
                            unit_id: unit_id.clone(),
                            category: xml::local_attribute(start, b"category").map_err(&error)?,
                            text: String::new(),
                        });
                    }
                    "cp" if collecting != TextTarget::None => {
                        let hex = required(start, "hex").map_err(&error)?;
                        let character = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| error(format!("<cp hex={hex:?}> is not a character")))?;
                        buffer.push(character);
                    }
                    "originalData" if !is_empty => skipped_depth = 1,
                    _ => {}
                }
            }
            Event::End(end) => {
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                match end.local_name().as_ref() {
                    b"source" if collecting == TextTarget::Source => {
                        if let Some(segment) = current.as_mut() {
                            segment.source = std::mem::take(&mut buffer);
                        }
                        collecting = TextTarget::None;
                    }
                    b"target" if collecting == TextTarget::Target => {
                        if let Some(segment) = current.as_mut() {
                            segment.target = Some(std::mem::take(&mut buffer));
                        }
                        collecting = TextTarget::None;
                    }
                    b"note" if collecting == TextTarget::Note => {
                        if let Some(mut finished) = note.take() {
                            finished.text = std::mem::take(&mut buffer);
                            document.notes.push(finished);
                        }
                        collecting = TextTarget::None;
                    }
                    b"segment" | b"ignorable" => {
                        if let Some(segment) = current.take() {
                            document.segments.push(segment);
                        }
                    }
                    b"unit" => unit_translate = file_translate,
                    _ => {}
                }
            }
            Event::Text(content) if collecting != TextTarget::None && skipped_depth == 0 => {
                let content = content.xml10_content().map_err(|e| error(e.to_string()))?;
                buffer.push_str(&content);
            }
            Event::CData(content) if collecting != TextTarget::None && skipped_depth == 0 => {
                let content = content.xml10_content().map_err(|e| error(e.to_string()))?;
                buffer.push_str(&content);
            }
            Event::GeneralRef(reference)
                if collecting != TextTarget::None && skipped_depth == 0 =>
            {
                buffer.push(resolve_reference(&reference).map_err(&error)?);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(XliffError {
            line_number: 1,
            message: "no <xliff> element: this is not an XLIFF file".to_string(),
        });
    }
    Ok(document)
}

fn required(start: &BytesStart<'_>, wanted: &str) -> Result<String, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    xml::local_attribute(start, wanted.as_bytes())?
        .ok_or_else(|| format!("<{name}> has no {wanted} attribute"))
}
