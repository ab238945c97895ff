//! TMX 1.4b export (Level 1, plus `<hi>` when asked): the units of one article, written by
//! [`crate::tmx::write_document`] (reading TMX is [`crate::tmx::read`]'s).
//!
//! The header carries every attribute the DTD requires (creationtool, creationtoolversion,
//! segtype="sentence", o-tmf, adminlang, srclang, datatype="plaintext") and a creation date;
//! each translated, translatable segment becomes one `<tu tuid>` with `x-segment-id`,
//! `x-origin`, `x-kind` and `x-glossary-status` properties, a `x-term` property per glossary
//! term (`source → rendering`), a note per glossary violation and per QA finding
//! (`qa <check> <severity>: …`), and one `<tuv xml:lang>` per language.
//!
//! Segments are plain text by default: OmegaT (3.6) drops the text inside `<hi>` when it
//! reads a memory and then finds no exact match, so the terms stay in the properties (and the
//! record JSONL keeps every span). With [`ExportContext::tmx_term_markup`] they are also
//! wrapped in `<hi type="x-term" x="n">` on both sides (the same `x` pairs a term with its
//! rendering). A segment holding a character XML 1.0 cannot carry (a control character) is
//! left out and named in a header `<note>`, never written changed. Must not write
//! untranslated or non-translatable segments: a translation memory holds translations.

use super::term_spans::numbered_term_spans;
use super::{ExportContext, ExportFormat, Exporter, PieceWriter, clean_spans, tmx_date};
use crate::record::AlignedSegment;
use crate::tmx::{self, Header, Term, TranslationUnit};
use crate::xml::Escaping;

/// The `o-tmf` (original translation memory format) written in the header.
pub const ORIGINAL_FORMAT: &str = "selaras-jsonl";

/// Writes `<stem>.tmx`.
pub struct TmxExporter;

impl Exporter for TmxExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Tmx
    }

    fn pieces(&self, stem: &str, context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(TmxPieces {
            stem: stem.to_string(),
            context: context.clone(),
            left_out: Vec::new(),
        })
    }
}

/// The units of each piece as they come; the header, which names the segments left out, once
/// every record has been seen.
struct TmxPieces {
    stem: String,
    context: ExportContext,
    left_out: Vec<String>,
}

impl PieceWriter for TmxPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        let units = units(records, &self.context, &mut self.left_out);
        out.extend(tmx::write_units(&units, Escaping::DropForbidden));
    }

    fn head(&self, out: &mut Vec<u8>) {
        let date = tmx_date(self.context.created_at);
        let header = header(&self.stem, &self.context, &date, self.left_out.clone());
        out.extend(tmx::write_head(&header, Escaping::DropForbidden));
    }

    fn tail(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(tmx::DOCUMENT_END.as_bytes());
    }

    fn head_is_fixed(&self) -> bool {
        false
    }
}

/// The units of the translated records, noting in `left_out` why each left out was.
fn units(
    records: &[AlignedSegment],
    context: &ExportContext,
    left_out: &mut Vec<String>,
) -> Vec<TranslationUnit> {
    let mut units: Vec<TranslationUnit> = Vec::new();
    for record in records.iter().filter(|record| record.translatable) {
        let Some(target) = record.target.as_deref() else {
            continue;
        };
        match left_out_because(record, target) {
            Some(reason) => left_out.push(reason),
            None => units.push(unit(record, target, context)),
        }
    }
    units
}

fn header<'a>(
    stem: &'a str,
    context: &'a ExportContext,
    date: &'a str,
    left_out: Vec<String>,
) -> Header<'a> {
    Header {
        creation_tool_version: &context.tool_version,
        source_language: &context.source_lang,
        original_format: ORIGINAL_FORMAT,
        original_encoding: Some("UTF-8"),
        creation_date: Some(date),
        props: vec![("x-article", stem)],
        notes: left_out,
    }
}

/// The TMX document of one article.
pub fn render(stem: &str, records: &[AlignedSegment], context: &ExportContext) -> Vec<u8> {
    let date = tmx_date(context.created_at);
    let mut left_out: Vec<String> = Vec::new();
    let units = units(records, context, &mut left_out);
    let header = header(stem, context, &date, left_out);
    tmx::write_document(&header, &units, Escaping::DropForbidden).into_bytes()
}

/// Why a translated segment cannot be a unit of the memory: a character XML 1.0 cannot carry
/// in its source or target (TMX has no code for it, and dropping it would change the text).
pub fn left_out_because(record: &AlignedSegment, target: &str) -> Option<String> {
    let (side, character) = [("source", record.source.as_str()), ("target", target)]
        .into_iter()
        .find_map(|(side, text)| crate::xml::first_forbidden(text).map(|found| (side, found)))?;
    Some(format!(
        "segment {} left out: its {side} holds {}, a character XML 1.0 cannot carry (the record keeps it; the XLIFF export writes it as <cp>)",
        record.id,
        crate::xml::code_point(character)
    ))
}

/// A QA finding as a note: `qa number error: …`.
fn describe_finding(finding: &crate::qa::Finding) -> String {
    format!(
        "qa {} {}: {}",
        finding.check.as_str(),
        finding.severity.as_str(),
        finding.message
    )
}

fn unit(record: &AlignedSegment, target: &str, context: &ExportContext) -> TranslationUnit {
    let id = record.id.to_string();
    let mut props: Vec<(String, String)> = [
        ("x-segment-id", id.as_str()),
        ("x-origin", record.origin.as_str()),
        ("x-kind", record.kind.as_str()),
        ("x-glossary-status", record.status().as_str()),
    ]
    .into_iter()
    .map(|(kind, value)| (kind.to_string(), value.to_string()))
    .collect();
    props.extend(term_props(record, target));
    let mut notes: Vec<String> = record
        .violations
        .iter()
        .map(|violation| {
            let found = violation
                .found
                .as_deref()
                .map(|found| format!(" (found \"{found}\")"))
                .unwrap_or_default();
            format!(
                "glossary {}: \"{}\" must be rendered \"{}\"{found}",
                violation.kind.as_str().replace('_', " "),
                violation.source_term,
                violation.expected
            )
        })
        .collect();
    notes.extend(record.qa.iter().map(describe_finding));
    let terms = if context.tmx_term_markup {
        term_markup(record, target)
    } else {
        Vec::new()
    };
    TranslationUnit {
        id: Some(id),
        props,
        notes,
        variants: vec![
            (context.source_lang.clone(), record.source.clone()),
            (context.target_lang.clone(), target.to_string()),
        ],
        terms,
    }
}

/// The `<hi>` marks of the glossary terms: each term paired with its rendering through the `x`
/// attribute (1-based match number).
fn term_markup(record: &AlignedSegment, target: &str) -> Vec<Term> {
    let (source_spans, target_spans) = numbered_term_spans(record);
    [
        (0, record.source.as_str(), source_spans),
        (1, target, target_spans),
    ]
    .into_iter()
    .flat_map(|(variant, text, spans)| {
        clean_spans(text, &spans)
            .into_iter()
            .map(move |(start, end, number)| Term {
                variant,
                start,
                end,
                number,
            })
    })
    .collect()
}

/// One `x-term` property per glossary term of the source: `source term → rendering` as the
/// target has it (the approved rendering when the target has none).
fn term_props(record: &AlignedSegment, target: &str) -> Vec<(String, String)> {
    record
        .term_sources()
        .map(|(term, source)| {
            let rendering = term
                .target_span
                .as_ref()
                .and_then(|span| target.get(span.start..span.end))
                .unwrap_or(&term.expected);
            ("x-term".to_string(), format!("{source} → {rendering}"))
        })
        .collect()
}
