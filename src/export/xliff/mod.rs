//! XLIFF 2.1 core export; the reader of edited files is in [`read`].
//!
//! Layout: `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang
//! trgLang>`, one `<file id="<stem>">` per article, one `<unit id="<block>">` per block, one
//! `<segment id="<index>">` per segment, so `file/unit/segment` ids spell the segment id back.
//! Between two segments of a unit an `<ignorable>` holds the white space between the
//! sentences (one space, in source and target, `xml:space="preserve"`), so a CAT tool that
//! joins two segments gets `efektif. Diplomasi`, not `efektif.Diplomasi`.
//! States: engine output without violations → `translated`; fixed by the glossary →
//! `translated` + `subState="selaras:term-fixed"`; violations left → `initial` with a
//! `<note category="glossary">` on the unit (QA findings are `<note category="qa">`, priority 1
//! for errors and 5 for warnings, whatever the state); approved memory → `final` +
//! `subState="selaras:memory"`; an imported reviewer's edit → `reviewed` +
//! `subState="selaras:reviewed"`; untranslated → `initial` without a target. A
//! non-translatable segment is an `<ignorable>` among translatable ones, and a block with
//! nothing to translate is a `translate="no"` unit whose segments are `final` with the source
//! copied. Glossary terms are `<mrk type="term">` in source and target (same id); characters
//! XML forbids are written as `<cp hex>` (see [`crate::xml::first_forbidden`] for the rule).
//! Must not interpret a reviewer's edits.

use super::term_spans::numbered_term_spans;
use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, PieceWriter, clean_spans};
use crate::glossary::Violation;
use crate::record::{AlignedSegment, Origin, Status};
use crate::xml::{Escaping, TextPart, XmlWriter, text_parts};
use std::fmt;

mod read;
pub(crate) use read::root_is_xliff;
pub use read::{XliffDocument, XliffError, XliffNote, XliffSegment, read};

/// The XLIFF 2.0/2.1 core namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// Writes `<stem>.xlf`.
pub struct XliffExporter;

impl Exporter for XliffExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Xliff
    }

    fn pieces(&self, stem: &str, context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(XliffPieces {
            stem: stem.to_string(),
            context: context.clone(),
        })
    }
}

/// A document of one `<file>`: its start, a unit per block of each piece, its end.
struct XliffPieces {
    stem: String,
    context: ExportContext,
}

impl PieceWriter for XliffPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        let mut xml = XmlWriter::fragment(Escaping::DropForbidden);
        write_units(&mut xml, records);
        out.extend(xml.into_bytes());
    }

    fn head(&self, out: &mut Vec<u8>) {
        let mut xml = XmlWriter::new();
        start_document(&mut xml, &self.context);
        start_file(&mut xml, &self.stem);
        out.extend(xml.into_bytes());
    }

    fn tail(&self, out: &mut Vec<u8>) {
        close_document(out, end_file);
    }

    fn head_is_fixed(&self) -> bool {
        true
    }
}

/// The end of an XLIFF document (either version): the `<file>` closed by `end_file`, then
/// `<xliff>`.
pub(crate) fn close_document(out: &mut Vec<u8>, end_file: impl FnOnce(&mut XmlWriter)) {
    let mut xml = XmlWriter::fragment(Escaping::DropForbidden);
    end_file(&mut xml);
    xml.newline(0);
    xml.end("xliff");
    out.extend(xml.finish());
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

/// The subState of a segment taken from the approved memory.
pub const SUB_STATE_MEMORY: &str = "selaras:memory";
/// The subState of a segment a reviewer's imported edit gave its English.
pub const SUB_STATE_REVIEWED: &str = "selaras:reviewed";

/// The white space written between two sentences of a block: the records keep each
/// sentence, not what stood between them, and the segmenter splits at white space.
pub const SENTENCE_SPACE: &str = " ";

/// The state and optional subState a record is exported with.
pub fn state_of(record: &AlignedSegment) -> (SegmentState, Option<&'static str>) {
    match record.status() {
        Status::NotTranslatable => (SegmentState::Final, None),
        Status::Untranslated | Status::Violations => (SegmentState::Initial, None),
        Status::Reviewed => (SegmentState::Reviewed, Some(SUB_STATE_REVIEWED)),
        Status::Fixed => (SegmentState::Translated, Some("selaras:term-fixed")),
        // approved before this run: already final, so a file signed off as a whole does not
        // bring the memory back as new approvals
        Status::Ok if record.origin == Origin::Memory => {
            (SegmentState::Final, Some(SUB_STATE_MEMORY))
        }
        Status::Ok => (SegmentState::Translated, None),
    }
}

/// One XLIFF document holding every given article as a `<file>`.
pub fn render(articles: &[ArticleRecords], context: &ExportContext) -> Vec<u8> {
    let mut xml = XmlWriter::new();
    start_document(&mut xml, context);
    for article in articles {
        start_file(&mut xml, &article.stem);
        write_units(&mut xml, &article.records);
        end_file(&mut xml);
    }
    xml.newline(0);
    xml.end("xliff");
    xml.finish()
}

fn start_document(xml: &mut XmlWriter, context: &ExportContext) {
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
}

fn start_file(xml: &mut XmlWriter, stem: &str) {
    xml.newline(1);
    let original = format!("{stem}.txt");
    xml.start("file", &[("id", stem), ("original", &original)]);
}

fn end_file(xml: &mut XmlWriter) {
    xml.newline(1);
    xml.end("file");
}

/// One unit per block of `records` (whole blocks).
fn write_units(xml: &mut XmlWriter, records: &[AlignedSegment]) {
    let mut block_start = 0;
    while block_start < records.len() {
        let block = records[block_start].id.block;
        let block_end = records[block_start..]
            .iter()
            .position(|record| record.id.block != block)
            .map_or(records.len(), |offset| block_start + offset);
        write_unit(xml, &records[block_start..block_end]);
        block_start = block_end;
    }
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
    for (position, record) in records.iter().enumerate() {
        if position > 0 {
            write_space(xml);
        }
        write_segment(xml, record, translatable);
    }
    xml.newline(2);
    xml.end("unit");
}

/// A glossary violation (or warning) in words, for notes.
pub(crate) fn describe(violation: &Violation) -> String {
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

/// The white space between two sentences of a unit, as an `<ignorable>`.
fn write_space(xml: &mut XmlWriter) {
    xml.newline(3);
    xml.start("ignorable", &[]);
    for side in ["source", "target"] {
        xml.text_element(side, &[("xml:space", "preserve")], SENTENCE_SPACE);
    }
    xml.end("ignorable");
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
