//! TSV export and its reader: one segment per line, columns `id`, `kind`, `source`,
//! `target`, `status`, `violations`, `qa`, after a header row.
//!
//! Fields are never quoted; a tab, line feed, carriage return and backslash inside a field are
//! written `\t`, `\n`, `\r` and `\\`, so every line has exactly seven columns and splitting on
//! tabs is always right. Files written before the `qa` column (six columns) still read. The reader undoes this for `selaras review import` and rejects
//! anything it cannot read back exactly (naming the line). Must not decide what an edit means.

use super::{ExportContext, ExportFormat, Exporter, PieceWriter};
use crate::glossary::Violation;
use crate::model::SegmentId;
use crate::qa::Finding;
use crate::record::AlignedSegment;

/// The header row, in column order.
pub const COLUMNS: [&str; 7] = [
    "id",
    "kind",
    "source",
    "target",
    "status",
    "violations",
    "qa",
];

/// The columns of files written before the `qa` column: still read.
const COLUMNS_WITHOUT_QA: usize = 6;

/// Writes the TSV file of an article.
pub struct TsvExporter;

impl Exporter for TsvExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Tsv
    }

    fn pieces(&self, _stem: &str, _context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(TsvPieces)
    }
}

/// The header row, then one row per record.
struct TsvPieces;

impl PieceWriter for TsvPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        let mut rows = String::new();
        write_rows(records, &mut rows);
        out.extend_from_slice(rows.as_bytes());
    }

    fn head(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(COLUMNS.join("\t").as_bytes());
        out.push(b'\n');
    }

    fn tail(&self, _out: &mut Vec<u8>) {}

    fn head_is_fixed(&self) -> bool {
        true
    }
}

/// The TSV text of a list of records.
pub fn render(records: &[AlignedSegment]) -> String {
    let mut out = COLUMNS.join("\t");
    out.push('\n');
    write_rows(records, &mut out);
    out
}

fn write_rows(records: &[AlignedSegment], out: &mut String) {
    for record in records {
        let fields = [
            record.id.to_string(),
            record.kind.as_str().to_string(),
            record.source.clone(),
            record.target.clone().unwrap_or_default(),
            record.status().as_str().to_string(),
            describe_violations(&record.violations),
            describe_findings(&record.qa),
        ];
        let escaped: Vec<String> = fields.iter().map(|field| escape_field(field)).collect();
        out.push_str(&escaped.join("\t"));
        out.push('\n');
    }
}

/// One line per violation joined by `; `: `kind: found → expected (source term)`.
pub fn describe_violations(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|violation| {
            let found = violation
                .found
                .as_deref()
                .map(|found| format!(" \"{found}\""))
                .unwrap_or_default();
            format!(
                "{}:{found} → \"{}\" ({})",
                violation.kind.as_str(),
                violation.expected,
                violation.source_term
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The QA findings joined by `; `: `check: message` (`check error: message` for errors).
pub fn describe_findings(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|finding| match finding.severity {
            crate::qa::Severity::Error => {
                format!("{} error: {}", finding.check.as_str(), finding.message)
            }
            crate::qa::Severity::Warning => {
                format!("{}: {}", finding.check.as_str(), finding.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Escapes one field: `\` → `\\`, tab → `\t`, line feed → `\n`, carriage return → `\r`.
pub fn escape_field(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for character in field.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out
}

/// Undoes [`escape_field`]; an unknown escape or a trailing backslash is an error giving the
/// 1-based character column within the field.
pub fn unescape_field(field: &str) -> Result<String, String> {
    let mut out = String::with_capacity(field.len());
    let mut characters = field.chars().enumerate();
    while let Some((position, character)) = characters.next() {
        if character != '\\' {
            out.push(character);
            continue;
        }
        match characters.next() {
            Some((_, '\\')) => out.push('\\'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, other)) => {
                return Err(format!(
                    "unknown escape \\{other} at character {} (write a backslash as \\\\)",
                    position + 1
                ));
            }
            None => {
                return Err(format!(
                    "lone backslash at character {} (write a backslash as \\\\)",
                    position + 1
                ));
            }
        }
    }
    Ok(out)
}

/// One data row of a TSV export, unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsvRow {
    /// The 1-based line of the row in the file.
    pub line_number: usize,
    pub id: SegmentId,
    pub kind: String,
    pub source: String,
    /// `None` when the cell is empty.
    pub target: Option<String>,
    pub status: String,
    pub violations: String,
    /// The `qa` cell (empty in files written before the column).
    pub qa: String,
}

/// A TSV file that is not a selaras export, or was damaged while edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line_number}: {message}")]
pub struct TsvError {
    pub line_number: usize,
    pub message: String,
}

/// Parses a TSV export back. Tolerates what editors do to a file (a byte order mark, CRLF
/// line ends, dropped empty cells at the end of a line, blank lines) and nothing else: the
/// header must be the selaras header (with or without `qa`) and every row must have a valid
/// id.
pub fn read(text: &str) -> Result<Vec<TsvRow>, TsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split('\n').enumerate().map(|(index, line)| {
        // A raw carriage return is always escaped by the writer, so one at the end of a line
        // comes from a CRLF conversion.
        (index + 1, line.strip_suffix('\r').unwrap_or(line))
    });
    let header = lines.next().map(|(_, line)| line).unwrap_or_default();
    let header_fields: Vec<&str> = header.split('\t').collect();
    let columns = header_fields.len();
    if header_fields[..] != COLUMNS[..columns.min(COLUMNS.len())]
        || !(COLUMNS_WITHOUT_QA..=COLUMNS.len()).contains(&columns)
    {
        return Err(TsvError {
            line_number: 1,
            message: format!(
                "the header is {header:?}; a selaras TSV starts with {:?}",
                COLUMNS.join("\t")
            ),
        });
    }
    let mut rows = Vec::new();
    for (line_number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| TsvError {
            line_number,
            message,
        };
        let fields: Vec<&str> = line.split('\t').collect();
        // the trailing `violations` and `qa` cells may be dropped when empty
        if fields.len() > columns || fields.len() + 2 < columns.max(COLUMNS_WITHOUT_QA + 1) {
            return Err(error(format!(
                "{} columns, expected {columns} (a tab inside a cell must be written \\t)",
                fields.len(),
            )));
        }
        let mut cells = Vec::with_capacity(COLUMNS.len());
        for (column, field) in COLUMNS.iter().zip(fields.iter()) {
            let cell = unescape_field(field)
                .map_err(|message| error(format!("column {column}: {message}")))?;
            cells.push(cell);
        }
        cells.resize(COLUMNS.len(), String::new());
        let id = SegmentId::parse(cells[0].trim())
            .ok_or_else(|| error(format!("{:?} is not a segment id", cells[0])))?;
        let mut cells = cells.into_iter().skip(1);
        let mut next = || cells.next().unwrap_or_default();
        let kind = next();
        let source = next();
        let target = Some(next()).filter(|target| !target.is_empty());
        let status = next().trim().to_string();
        let violations = next();
        let qa = next();
        rows.push(TsvRow {
            line_number,
            id,
            kind,
            source,
            target,
            status,
            violations,
            qa,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_escape_and_unescape() {
        let table = [
            ("plain", "plain"),
            ("a\tb", "a\\tb"),
            ("line\nbreak\r\n", "line\\nbreak\\r\\n"),
            ("C:\\temp\\n", "C:\\\\temp\\\\n"),
            ("\"quoted\" <b>&amp;</b> é", "\"quoted\" <b>&amp;</b> é"),
        ];
        for (raw, escaped) in table {
            assert_eq!(escape_field(raw), escaped, "{raw:?}");
            assert_eq!(unescape_field(escaped).as_deref(), Ok(raw), "{escaped:?}");
        }
        assert!(unescape_field("a\\x").unwrap_err().contains("character 2"));
        assert!(
            unescape_field("end\\")
                .unwrap_err()
                .contains("lone backslash")
        );
    }

    #[test]
    fn damaged_files_name_the_line() {
        let header = COLUMNS.join("\t");
        let table = [
            ("id\tsource\n", 1, "header"),
            (&*format!("{header}\na:1.1\tparagraph\tx\n"), 2, "3 columns"),
            (
                &*format!("{header}\n\nnope\tparagraph\tx\ty\tok\t\n"),
                3,
                "not a segment id",
            ),
            (
                &*format!("{header}\na:1.1\tparagraph\tx\ty\\q\tok\t\n"),
                2,
                "column target",
            ),
        ];
        for (text, line_number, message) in table {
            let error = read(text).unwrap_err();
            assert_eq!(error.line_number, line_number, "{text:?}");
            assert!(error.message.contains(message), "{error}");
        }
    }

    #[test]
    fn files_from_before_the_qa_column_still_read() {
        let old_header = COLUMNS[..COLUMNS_WITHOUT_QA].join("\t");
        let text = format!("{old_header}\na:2.1\tparagraph\tSumber\tSource\tok\t\n");
        let rows = read(&text).unwrap();
        assert_eq!(rows[0].target.as_deref(), Some("Source"));
        assert_eq!(rows[0].qa, "");
        // a seventh cell under a six-column header is damage, not a qa cell
        let error = read(&format!("{old_header}\na:2.1\tp\tS\tT\tok\t\tx\n")).unwrap_err();
        assert!(error.message.contains("7 columns"), "{error}");
    }

    #[test]
    fn findings_are_written_and_read_back_in_the_qa_column() {
        use crate::model::{BlockKind, Segment, Span};
        use crate::qa::{Check, Severity};
        let segment = Segment {
            id: SegmentId::new("a", 1, 1),
            kind: BlockKind::Paragraph,
            text: "Sebanyak 155 orang hadir.".to_string(),
            span: Span::new(0, 25),
            translatable: true,
        };
        let mut record = AlignedSegment::untranslated(&segment);
        record.target = Some("As many as 150 people attended.".to_string());
        record.qa = vec![
            Finding::new(Check::Number, Severity::Error, "155 is missing"),
            Finding::new(Check::Consistency, Severity::Warning, "see also a:2.1"),
        ];
        let text = render(std::slice::from_ref(&record));
        assert!(text.starts_with("id\tkind\tsource\ttarget\tstatus\tviolations\tqa\n"));
        let rows = read(&text).unwrap();
        assert_eq!(
            rows[0].qa,
            "number error: 155 is missing; consistency: see also a:2.1"
        );
    }

    #[test]
    fn editor_artifacts_are_tolerated() {
        let text = format!(
            "\u{feff}{}\r\na:2.1\tparagraph\tSumber\tSource\treviewed\r\n",
            COLUMNS.join("\t")
        );
        let rows = read(&text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].id, SegmentId::new("a", 2, 1));
        assert_eq!(rows[0].target.as_deref(), Some("Source"));
        assert_eq!(rows[0].status, "reviewed");
        assert_eq!(rows[0].violations, "");
    }
}
