//! The glossary entry point: reads a glossary file, picks the reader for its format (TSV/CSV
//! in `table`, TBX in `tbx`), builds entries from table rows, and runs the
//! lint ([`super::lint::lint`]) over the result.
//!
//! Rows with errors are left out of the loaded glossary; the caller decides whether errors
//! stop the run. Must not print.

use super::lint::issue;
pub use super::lint::{LintIssue, Severity, lint};
use super::{CaseMode, Entry, EntryOrigin, Glossary, TermKind, table, tbx};
use std::path::{Path, PathBuf};

/// The TSV/CSV columns, in their documented order.
pub const COLUMNS: [&str; 7] = [
    "source",
    "target",
    "kind",
    "variants",
    "forbidden",
    "case",
    "note",
];

/// A glossary file that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    #[error("{path}: cannot read the glossary: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not valid UTF-8 at byte offset {byte_offset}")]
    NotUtf8 { path: PathBuf, byte_offset: usize },
    /// Rows or a whole file in error: one problem a line, each naming its file and line (the
    /// CLI prefixes the first with `error: `, the others carry it).
    #[error("{}", issues.iter().map(LintIssue::located_message).collect::<Vec<_>>().join("\nerror: "))]
    Invalid { issues: Vec<LintIssue> },
}

/// Loads one glossary file; the format follows the extension (`.csv`, `.tbx`/`.xml`, else TSV).
/// Returns the entries that are usable and every issue found (including cross-entry ones).
pub fn load_glossary(
    path: &Path,
    source_lang: &str,
    target_lang: &str,
) -> Result<(Glossary, Vec<LintIssue>), GlossaryError> {
    let bytes = crate::corpus::read_input(path).map_err(|source| GlossaryError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|error| GlossaryError::NotUtf8 {
        path: path.to_path_buf(),
        byte_offset: error.utf8_error().valid_up_to(),
    })?;
    Ok(parse_glossary_text(
        &text,
        GlossaryFormat::from_path(path),
        path,
        source_lang,
        target_lang,
    ))
}

/// The file formats a glossary can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryFormat {
    Tsv,
    Csv,
    Tbx,
}

impl GlossaryFormat {
    /// By extension: `.csv`, `.tbx`/`.xml`, anything else TSV.
    pub fn from_path(path: &Path) -> GlossaryFormat {
        let extension = path
            .extension()
            .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "csv" => GlossaryFormat::Csv,
            "tbx" | "xml" => GlossaryFormat::Tbx,
            _ => GlossaryFormat::Tsv,
        }
    }
}

/// Parses glossary text already read; `path` is only used in issues.
pub fn parse_glossary_text(
    text: &str,
    format: GlossaryFormat,
    path: &Path,
    source_lang: &str,
    target_lang: &str,
) -> (Glossary, Vec<LintIssue>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (entries, mut issues) = match format {
        GlossaryFormat::Csv => table::parse_csv(text, path),
        GlossaryFormat::Tbx => tbx::parse_tbx(text, path, source_lang, target_lang),
        GlossaryFormat::Tsv => table::parse_tsv(text, path),
    };
    let glossary = Glossary { entries };
    issues.extend(lint(&glossary));
    issues.sort_by(|a, b| (&a.path, a.line_number).cmp(&(&b.path, b.line_number)));
    (glossary, issues)
}

/// Loads several glossaries into one; errors (not warnings) in any of them fail the load.
pub fn load_glossaries(
    paths: &[PathBuf],
    source_lang: &str,
    target_lang: &str,
) -> Result<(Glossary, Vec<LintIssue>), GlossaryError> {
    let mut all = Glossary::default();
    let mut issues = Vec::new();
    for path in paths {
        let (glossary, file_issues) = load_glossary(path, source_lang, target_lang)?;
        all.entries.extend(glossary.entries);
        issues.extend(file_issues);
    }
    if paths.len() > 1 {
        // conflicts across files; the per-file ones were already reported
        let across: Vec<LintIssue> = lint(&all)
            .into_iter()
            .filter(|issue| !issues.contains(issue))
            .collect();
        issues.extend(across);
    }
    if issues.iter().any(|issue| issue.severity == Severity::Error) {
        return Err(GlossaryError::Invalid {
            issues: issues
                .into_iter()
                .filter(|issue| issue.severity == Severity::Error)
                .collect(),
        });
    }
    Ok((all, issues))
}

/// Which column holds which field, from the header row.
pub(super) struct Header {
    positions: [Option<usize>; 7],
    width: usize,
}

pub(super) fn parse_header(
    fields: &[&str],
    path: &Path,
    line_number: usize,
    issues: &mut Vec<LintIssue>,
) -> Option<Header> {
    let mut positions = [None; 7];
    for (index, field) in fields.iter().enumerate() {
        let name = field.trim().to_ascii_lowercase();
        match COLUMNS.iter().position(|column| *column == name) {
            Some(column) if positions[column].is_none() => positions[column] = Some(index),
            Some(_) => issues.push(issue(
                path,
                line_number,
                Severity::Error,
                format!("column {name:?} appears twice in the header"),
            )),
            None => issues.push(issue(
                path,
                line_number,
                Severity::Error,
                format!(
                    "unknown column {name:?} in the header (expected {})",
                    COLUMNS.join(", ")
                ),
            )),
        }
    }
    if positions[0].is_none() || positions[1].is_none() {
        issues.push(issue(
            path,
            line_number,
            Severity::Error,
            "the header row must name at least the columns source and target".to_string(),
        ));
        return None;
    }
    Some(Header {
        positions,
        width: fields.len(),
    })
}

/// Builds an entry from one row's fields, or reports why it cannot.
pub(super) fn entry_from_fields(
    fields: &[&str],
    header: &Header,
    path: &Path,
    line_number: usize,
    issues: &mut Vec<LintIssue>,
) -> Option<Entry> {
    match row_entry(fields, header, path, line_number) {
        Ok(entry) => Some(entry),
        Err(message) => {
            issues.push(issue(path, line_number, Severity::Error, message));
            None
        }
    }
}

/// The entry one row defines, or what makes the row unusable.
fn row_entry(
    fields: &[&str],
    header: &Header,
    path: &Path,
    line_number: usize,
) -> Result<Entry, String> {
    if fields.len() != header.width {
        return Err(format!(
            "malformed row: {} fields, the header has {}",
            fields.len(),
            header.width
        ));
    }
    let field = |column: usize| header.positions[column].map_or("", |index| fields[index].trim());
    let source = field(0);
    let target = field(1);
    if source.is_empty() || target.is_empty() {
        let empty = if source.is_empty() {
            "source"
        } else {
            "target"
        };
        return Err(format!("malformed row: the {empty} is empty"));
    }
    let kind = TermKind::parse(field(2)).ok_or_else(|| {
        format!(
            "unknown kind {:?} (expected title, org, person, place, event, document or other)",
            field(2)
        )
    })?;
    let case = CaseMode::parse(field(5)).ok_or_else(|| {
        format!(
            "unknown case {:?} (expected insensitive, sensitive or source)",
            field(5)
        )
    })?;
    Ok(Entry {
        source: source.to_string(),
        target: target.to_string(),
        kind,
        variants: split_list(field(3)),
        forbidden: split_list(field(4)),
        case,
        note: field(6).to_string(),
        origin: EntryOrigin {
            path: path.to_path_buf(),
            line_number,
        },
    })
}

fn split_list(text: &str) -> Vec<String> {
    text.split('|')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Writes `text` to a file called `name` and loads it as the CLI does.
    pub(in crate::glossary) fn load_text(name: &str, text: &str) -> (Glossary, Vec<LintIssue>) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        load_glossary(&path, "id", "en").unwrap()
    }

    /// Line, severity and message of each issue, for comparing.
    pub(in crate::glossary) fn issue_lines(issues: &[LintIssue]) -> Vec<(usize, Severity, String)> {
        issues
            .iter()
            .map(|i| (i.line_number, i.severity, i.message.clone()))
            .collect()
    }

    #[test]
    fn the_shipped_glossary_is_clean() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/official-titles.tsv");
        let (glossary, issues) = load_glossary(&path, "id", "en").unwrap();
        assert!(
            issues.is_empty(),
            "{:#?}",
            issues.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
        assert!(glossary.entries.len() >= 100);
    }
}
