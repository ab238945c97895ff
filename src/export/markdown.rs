//! Markdown export: one side-by-side table per article (id, source, target, status with the
//! glossary violations and QA findings), with a heading and a summary line, for pasting into
//! tickets and wikis.
//!
//! Every cell is escaped so that it stays one cell of plain text in any CommonMark/GFM
//! renderer: pipes and Markdown punctuation get a backslash, `<`, `>` and `&` become entities
//! (so source text is never HTML), line breaks become `<br>`. Must not emit anything but text.

use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, PieceWriter, Summary};
use crate::record::{AlignedSegment, Status};

/// Writes `<stem>.md`.
pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Markdown
    }

    fn pieces(&self, stem: &str, context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(MarkdownPieces {
            stem: stem.to_string(),
            context: context.clone(),
            summary: Summary::default(),
        })
    }
}

/// The rows of each piece as they come; the title and the counts above the table once every
/// record has been seen.
struct MarkdownPieces {
    stem: String,
    context: ExportContext,
    summary: Summary,
}

impl PieceWriter for MarkdownPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        self.summary.merge(&Summary::of(records));
        let mut rows = String::new();
        write_rows(records, &mut rows);
        out.extend_from_slice(rows.as_bytes());
    }

    fn head(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(head(&self.stem, &self.summary, &self.context).as_bytes());
    }

    fn tail(&self, _out: &mut Vec<u8>) {}

    fn head_is_fixed(&self) -> bool {
        false
    }
}

pub fn render(article: &ArticleRecords, context: &ExportContext) -> String {
    let mut out = head(&article.stem, &article.summary(), context);
    write_rows(&article.records, &mut out);
    out
}

/// The title, the counts and the table's header.
fn head(stem: &str, summary: &Summary, context: &ExportContext) -> String {
    let mut out = format!("# {}\n\n", escape_cell(stem));
    out.push_str(&format!(
        "{} segments · {} translated · {} untranslated · {} with glossary violations · {} fixed by the glossary · {} reviewed\n\n",
        summary.segments,
        summary.translated,
        summary.untranslated,
        summary.segments_with_violations,
        summary.fixed,
        summary.reviewed,
    ));
    out.push_str(&format!(
        "| Segment | Source ({}) | Target ({}) | Status |\n| --- | --- | --- | --- |\n",
        escape_cell(&context.source_lang),
        escape_cell(&context.target_lang)
    ));
    out
}

fn write_rows(records: &[AlignedSegment], out: &mut String) {
    for record in records {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            record.id.to_string().replace('`', "'"),
            escape_cell(&record.source),
            target_cell(record),
            status_cell(record),
        ));
    }
}

fn target_cell(record: &AlignedSegment) -> String {
    match (&record.target, record.translatable) {
        (_, false) => "*(not translated)*".to_string(),
        (None, true) => "*(untranslated)*".to_string(),
        (Some(target), true) => escape_cell(target),
    }
}

fn status_cell(record: &AlignedSegment) -> String {
    let status = record.status();
    let mut cell = match status {
        Status::Violations => "**violations**".to_string(),
        other => other.as_str().to_string(),
    };
    for violation in &record.violations {
        let found = violation
            .found
            .as_deref()
            .map(|found| format!("{} → ", escape_cell(found)))
            .unwrap_or_default();
        cell.push_str(&format!(
            "<br>{}: {found}**{}**",
            violation.kind.as_str().replace('_', " "),
            escape_cell(&violation.expected)
        ));
    }
    for finding in &record.qa {
        let severity = match finding.severity {
            crate::qa::Severity::Error => "**error**",
            crate::qa::Severity::Warning => "warning",
        };
        cell.push_str(&format!(
            "<br>qa {} {severity}: {}",
            finding.check.as_str(),
            escape_cell(&finding.message)
        ));
    }
    cell
}

/// Escapes text for one table cell.
pub fn escape_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if characters.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(character);
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_one_cell_of_text() {
        let table = [
            ("a | b", "a \\| b"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("line\r\nbreak\nagain", "line<br>break<br>again"),
            (
                "*bold* _it_ [link](x) `code` \\",
                "\\*bold\\* \\_it\\_ \\[link\\](x) \\`code\\` \\\\",
            ),
            ("AT&T", "AT&amp;T"),
        ];
        for (raw, escaped) in table {
            assert_eq!(escape_cell(raw), escaped, "{raw:?}");
        }
    }
}
