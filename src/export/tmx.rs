//! TMX 1.4b export (Level 1 plus `<hi>`): the units of one article, written by
//! [`crate::tmx::write_document`] (reading TMX is [`crate::tmx::read`]'s).
//!
//! The header carries every attribute the DTD requires (creationtool, creationtoolversion,
//! segtype="sentence", o-tmf, adminlang, srclang, datatype="plaintext") and a creation date;
//! each translated, translatable segment becomes one `<tu tuid>` with `x-segment-id`,
//! `x-origin`, `x-kind` and `x-glossary-status` properties, a note per glossary violation and
//! per QA finding (`qa <check> <severity>: …`), and one `<tuv xml:lang>` per language. Glossary terms are wrapped in `<hi type="x-term" x="n">`
//! on both sides (the same `x` pairs a term with its rendering). Characters XML 1.0 forbids
//! are dropped. Must not write untranslated or non-translatable segments: a translation
//! memory holds translations.

use super::term_spans::numbered_term_spans;
use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, clean_spans, tmx_date};
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

    fn render_article(&self, article: &ArticleRecords, context: &ExportContext) -> Vec<u8> {
        render(&article.stem, &article.records, context)
    }
}

/// The TMX document of one article.
pub fn render(stem: &str, records: &[AlignedSegment], context: &ExportContext) -> Vec<u8> {
    let date = tmx_date(context.created_at);
    let header = Header {
        creation_tool_version: &context.tool_version,
        source_language: &context.source_lang,
        original_format: ORIGINAL_FORMAT,
        original_encoding: Some("UTF-8"),
        creation_date: Some(&date),
        props: vec![("x-article", stem)],
    };
    let units: Vec<TranslationUnit> = records
        .iter()
        .filter(|record| record.translatable)
        .filter_map(|record| {
            let target = record.target.as_deref()?;
            Some(unit(record, target, context))
        })
        .collect();
    // Exports drop the characters XML forbids (the JSONL record keeps them).
    tmx::write_document(&header, &units, Escaping::DropForbidden).into_bytes()
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
    let props = [
        ("x-segment-id", id.as_str()),
        ("x-origin", record.origin.as_str()),
        ("x-kind", record.kind.as_str()),
        ("x-glossary-status", record.status().as_str()),
    ]
    .into_iter()
    .map(|(kind, value)| (kind.to_string(), value.to_string()))
    .collect();
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
    // Pair each term with its rendering through the `x` attribute (1-based match number).
    let (source_spans, target_spans) = numbered_term_spans(record);
    let terms = [
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
    .collect();
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
