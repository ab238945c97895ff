//! Markdown export: one side-by-side table per article (id, source, target, status with the
//! glossary violations and QA findings), with a heading and a summary line, for pasting into
//! tickets and wikis.
//!
//! Every cell is escaped so that it stays one cell of plain text in any CommonMark/GFM
//! renderer: pipes and Markdown punctuation get a backslash, `<`, `>` and `&` become entities
//! (so source text is never HTML), line breaks become `<br>`. Must not emit anything but text.

use super::{ArticleRecords, ExportContext, ExportFormat, Exporter};
use crate::record::{AlignedSegment, Status};

/// Writes `<stem>.md`.
pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Markdown
    }

    fn render_article(&self, article: &ArticleRecords, context: &ExportContext) -> Vec<u8> {
        render(article, context).into_bytes()
    }
}

/// The Markdown text of one article.
pub fn render(article: &ArticleRecords, context: &ExportContext) -> String {
    let summary = article.summary();
    let mut out = format!("# {}\n\n", escape_cell(&article.stem));
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
    for record in &article.records {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            record.id.to_string().replace('`', "'"),
            escape_cell(&record.source),
            target_cell(record),
            status_cell(record),
        ));
    }
    out
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
