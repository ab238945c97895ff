//! Reading glossary tables: TSV (tab-separated, `#` comments) and CSV (quoted fields). The
//! first row is the header; each other row becomes an entry through
//! [`super::load::entry_from_fields`].
//!
//! Must not print; every problem is a [`LintIssue`] with its line.

use super::Entry;
use super::lint::{LintIssue, Severity, issue};
use super::load::{Header, entry_from_fields, parse_header};
use std::path::Path;

/// The rows of a table (TSV or CSV) as they arrive: the first is the header, the others
/// entries; problems are collected with their line numbers.
struct TableReader<'a> {
    path: &'a Path,
    header: Option<Header>,
    entries: Vec<Entry>,
    issues: Vec<LintIssue>,
}

impl<'a> TableReader<'a> {
    fn new(path: &'a Path) -> Self {
        TableReader {
            path,
            header: None,
            entries: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// Takes one row; `false` when reading must stop (an unusable header).
    fn row(&mut self, fields: &[&str], line_number: usize) -> bool {
        match &self.header {
            None => match parse_header(fields, self.path, line_number, &mut self.issues) {
                Some(parsed) => self.header = Some(parsed),
                None => return false,
            },
            Some(header) => {
                if let Some(entry) =
                    entry_from_fields(fields, header, self.path, line_number, &mut self.issues)
                {
                    self.entries.push(entry);
                }
            }
        }
        true
    }

    fn finish(mut self) -> (Vec<Entry>, Vec<LintIssue>) {
        if self.header.is_none()
            && !self
                .issues
                .iter()
                .any(|issue| issue.message.contains("header"))
        {
            self.issues.push(issue(
                self.path,
                0,
                Severity::Error,
                "no header row (expected source, target, kind, variants, forbidden, case, note)"
                    .to_string(),
            ));
        }
        (self.entries, self.issues)
    }
}

pub(super) fn parse_tsv(text: &str, path: &Path) -> (Vec<Entry>, Vec<LintIssue>) {
    let mut table = TableReader::new(path);
    for (index, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if !table.row(&fields, index + 1) {
            break;
        }
    }
    table.finish()
}

pub(super) fn parse_csv(text: &str, path: &Path) -> (Vec<Entry>, Vec<LintIssue>) {
    let mut table = TableReader::new(path);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line_number = error
                    .position()
                    .map_or(0, |position| position.line() as usize);
                table.issues.push(issue(
                    path,
                    line_number,
                    Severity::Error,
                    format!("malformed CSV: {error}"),
                ));
                continue;
            }
        };
        let line_number = record
            .position()
            .map_or(0, |position| position.line() as usize);
        let fields: Vec<&str> = record.iter().collect();
        if fields.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if !table.row(&fields, line_number) {
            break;
        }
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::super::CaseMode;
    use super::super::load::tests::{issue_lines, load_text};
    use super::*;

    #[test]
    fn tsv_lint_reports_every_kind_of_problem_with_its_line() {
        let text = "# comment\n\
source\ttarget\tkind\tvariants\tforbidden\tcase\tnote\n\
Wakil Perdana Menteri\tDeputy Prime Minister\ttitle\t\tVice Prime Minister\t\t\n\
Menteri Luar Negeri\tMinister of Foreign Affairs\ttitle\n\
Presiden\tPresident\tjabatan\t\t\t\t\n\
PBB\tUN\torg\t\t\tsometimes\t\n\
\tEmpty source\ttitle\t\t\t\t\n\
wakil perdana menteri\tDeputy Prime Minister\ttitle\t\t\t\t\n\
Wakil  Perdana Menteri\tVice Premier\ttitle\t\t\t\t\n\
Sekjen\tGeneral Secretary\ttitle\t\tGeneral Secretary\t\t\n\
---\tDash\tother\t\t\t\t\n";
        let (glossary, issues) = load_text("g.tsv", text);
        let lines = issue_lines(&issues);
        let expect = |line: usize, severity: Severity, fragment: &str| {
            assert!(
                lines
                    .iter()
                    .any(|(l, s, m)| *l == line && *s == severity && m.contains(fragment)),
                "no {severity:?} at line {line} containing {fragment:?} in {lines:#?}"
            );
        };
        expect(4, Severity::Error, "malformed row: 3 fields");
        expect(5, Severity::Error, "unknown kind \"jabatan\"");
        expect(6, Severity::Error, "unknown case \"sometimes\"");
        expect(7, Severity::Error, "the source is empty");
        expect(8, Severity::Warning, "duplicate entry");
        expect(9, Severity::Error, "conflicting entry");
        expect(
            10,
            Severity::Error,
            "forbidden rendering \"General Secretary\" is also an accepted",
        );
        expect(11, Severity::Error, "can never match");
        assert_eq!(
            glossary.entries.len(),
            5,
            "rows with parse errors are left out"
        );
    }

    #[test]
    fn csv_is_read_with_quoting() {
        let text = "source,target,kind,variants,forbidden,case,note\n\
\"Amerika Serikat\",\"United States\",place,US,\"America, the\",,\"a note, with comma\"\n\
AS,US,place,,,sensitive,\n\
broken,\"unclosed\n";
        let (glossary, issues) = load_text("g.csv", text);
        assert_eq!(glossary.entries[0].forbidden, ["America, the"]);
        assert_eq!(glossary.entries[0].note, "a note, with comma");
        assert_eq!(glossary.entries[1].case, CaseMode::Sensitive);
        assert!(
            issues
                .iter()
                .any(|i| i.line_number == 4 && i.severity == Severity::Error),
            "{issues:?}"
        );
    }
}
