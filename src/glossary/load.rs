//! Reading glossaries (TSV, CSV, TBX) and linting them.
//!
//! Every problem is a [`LintIssue`] naming the file and line: malformed rows, unknown kinds or
//! case modes, duplicate or conflicting entries, a forbidden rendering equal to an accepted one,
//! and entries that can never match. Rows with errors are left out of the loaded glossary; the
//! caller decides whether errors stop the run. Must not print.

use super::{CaseMode, Entry, EntryOrigin, Glossary, TermKind};
use quick_xml::events::Event;
use std::collections::HashMap;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in a glossary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintIssue {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is the whole file.
    pub line_number: usize,
    pub severity: Severity,
    pub message: String,
}

impl LintIssue {
    /// `PATH:LINE: MESSAGE` (or `PATH: MESSAGE` for the whole file), without the severity.
    pub fn located_message(&self) -> String {
        if self.line_number == 0 {
            format!("{}: {}", self.path.display(), self.message)
        } else {
            format!(
                "{}:{}: {}",
                self.path.display(),
                self.line_number,
                self.message
            )
        }
    }
}

impl std::fmt::Display for LintIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line_number == 0 {
            write!(f, "{}: {severity}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}: {severity}: {}",
                self.path.display(),
                self.line_number,
                self.message
            )
        }
    }
}

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
    let bytes = std::fs::read(path).map_err(|source| GlossaryError::Read {
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
        GlossaryFormat::Csv => parse_csv(text, path),
        GlossaryFormat::Tbx => parse_tbx(text, path, source_lang, target_lang),
        GlossaryFormat::Tsv => parse_tsv(text, path),
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

fn issue(path: &Path, line_number: usize, severity: Severity, message: String) -> LintIssue {
    LintIssue {
        path: path.to_path_buf(),
        line_number,
        severity,
        message,
    }
}

/// Which column holds which field, from the header row.
struct Header {
    positions: [Option<usize>; 7],
    width: usize,
}

fn parse_header(
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
fn entry_from_fields(
    fields: &[&str],
    header: &Header,
    path: &Path,
    line_number: usize,
    issues: &mut Vec<LintIssue>,
) -> Option<Entry> {
    if fields.len() != header.width {
        issues.push(issue(
            path,
            line_number,
            Severity::Error,
            format!(
                "malformed row: {} fields, the header has {}",
                fields.len(),
                header.width
            ),
        ));
        return None;
    }
    let field = |column: usize| header.positions[column].map_or("", |index| fields[index].trim());
    let source = field(0);
    let target = field(1);
    if source.is_empty() || target.is_empty() {
        issues.push(issue(
            path,
            line_number,
            Severity::Error,
            format!(
                "malformed row: the {} is empty",
                if source.is_empty() {
                    "source"
                } else {
                    "target"
                }
            ),
        ));
        return None;
    }
    let Some(kind) = TermKind::parse(field(2)) else {
        issues.push(issue(
            path,
            line_number,
            Severity::Error,
            format!(
                "unknown kind {:?} (expected title, org, person, place, event, document or other)",
                field(2)
            ),
        ));
        return None;
    };
    let Some(case) = CaseMode::parse(field(5)) else {
        issues.push(issue(
            path,
            line_number,
            Severity::Error,
            format!(
                "unknown case {:?} (expected insensitive, sensitive or source)",
                field(5)
            ),
        ));
        return None;
    };
    Some(Entry {
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

fn parse_tsv(text: &str, path: &Path) -> (Vec<Entry>, Vec<LintIssue>) {
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

fn parse_csv(text: &str, path: &Path) -> (Vec<Entry>, Vec<LintIssue>) {
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

/// One term of a TBX concept.
struct TbxTerm {
    text: String,
    status: String,
}

#[derive(Default)]
struct TbxConcept {
    line_number: usize,
    /// language → terms
    terms: Vec<(String, TbxTerm)>,
    note: String,
    subject: String,
}

/// Reads TBX-Basic, both the 2019 DCA form (`tbx/…/conceptEntry/langSec/termSec`) and the
/// 2008 form (`martif/…/termEntry/langSet/tig`). English terms marked deprecated or superseded
/// become forbidden renderings; admitted ones variants.
fn parse_tbx(
    text: &str,
    path: &Path,
    source_lang: &str,
    target_lang: &str,
) -> (Vec<Entry>, Vec<LintIssue>) {
    let mut issues = Vec::new();
    let line_at = |position: usize| text[..position.min(text.len())].matches('\n').count() + 1;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut concepts: Vec<TbxConcept> = Vec::new();
    let mut current: Option<TbxConcept> = None;
    let mut language = String::new();
    let mut term: Option<TbxTerm> = None;
    let mut capture: Option<String> = None; // what the current text belongs to
    let mut buffer = String::new();
    let mut saw_root = false;
    // the open elements: quick-xml reports a mismatched end tag, not a document cut short
    let mut open: Vec<String> = Vec::new();
    loop {
        let position = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                issues.push(issue(
                    path,
                    line_at(reader.error_position() as usize),
                    Severity::Error,
                    format!("not valid TBX/XML: {error}"),
                ));
                return (Vec::new(), issues);
            }
        };
        match &event {
            Event::Start(element) => {
                open.push(String::from_utf8_lossy(element.local_name().as_ref()).into_owned());
            }
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
        match event {
            Event::Start(element) | Event::Empty(element) if !saw_root => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                if name != "tbx" && name != "martif" {
                    issues.push(issue(path, line_at(position), Severity::Error, format!("not a TBX file: the root element is <{name}>, expected <tbx> or <martif>")));
                    return (Vec::new(), issues);
                }
                saw_root = true;
            }
            Event::Start(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                let attribute = |wanted: &str| {
                    element.attributes().flatten().find_map(|attribute| {
                        let key = attribute.key.as_ref();
                        let local = key.rsplit(|&b| b == b':').next().unwrap_or(key);
                        (local == wanted.as_bytes() || key == wanted.as_bytes()).then(|| {
                            attribute
                                .unescape_value()
                                .map(|v| v.into_owned())
                                .unwrap_or_default()
                        })
                    })
                };
                match name.as_str() {
                    "conceptEntry" | "termEntry" => {
                        current = Some(TbxConcept {
                            line_number: line_at(position),
                            ..TbxConcept::default()
                        });
                    }
                    "langSec" | "langSet" => language = attribute("lang").unwrap_or_default(),
                    "termSec" | "tig" | "ntig" => {
                        term = Some(TbxTerm {
                            text: String::new(),
                            status: String::new(),
                        })
                    }
                    "term" => capture = Some("term".to_string()),
                    "termNote" => {
                        let kind = attribute("type").unwrap_or_default();
                        if kind == "administrativeStatus" || kind == "normativeAuthorization" {
                            capture = Some("status".to_string());
                        }
                    }
                    "note" => capture = Some("note".to_string()),
                    "descrip" => {
                        let kind = attribute("type").unwrap_or_default();
                        capture = Some(if kind == "subjectField" {
                            "subject".to_string()
                        } else {
                            "note".to_string()
                        });
                    }
                    _ => {}
                }
                buffer.clear();
            }
            Event::Text(content) if capture.is_some() => {
                buffer.push_str(
                    &content
                        .decode()
                        .map(|text| text.into_owned())
                        .unwrap_or_default(),
                );
            }
            Event::GeneralRef(reference) if capture.is_some() => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                buffer.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::CData(content) if capture.is_some() => {
                buffer.push_str(&String::from_utf8_lossy(&content));
            }
            Event::End(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                match (name.as_str(), capture.as_deref()) {
                    ("term", Some("term")) => {
                        if let Some(term) = term.as_mut() {
                            term.text = buffer.trim().to_string();
                        }
                        capture = None;
                    }
                    ("termNote", Some("status")) => {
                        if let Some(term) = term.as_mut() {
                            term.status = buffer.trim().to_string();
                        }
                        capture = None;
                    }
                    ("note" | "descrip", Some(kind)) => {
                        if let Some(concept) = current.as_mut() {
                            if kind == "subject" {
                                concept.subject = buffer.trim().to_string();
                            } else if concept.note.is_empty() {
                                concept.note = buffer.trim().to_string();
                            }
                        }
                        capture = None;
                    }
                    _ => {}
                }
                match name.as_str() {
                    "termSec" | "tig" | "ntig" => {
                        if let (Some(term), Some(concept)) = (term.take(), current.as_mut()) {
                            concept.terms.push((language.clone(), term));
                        }
                    }
                    "conceptEntry" | "termEntry" => {
                        if let Some(concept) = current.take() {
                            concepts.push(concept);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        issues.push(issue(
            path,
            0,
            Severity::Error,
            "not a TBX file: no root element".to_string(),
        ));
        return (Vec::new(), issues);
    }
    if let Some(innermost) = open.last() {
        issues.push(issue(
            path,
            line_at(text.len()),
            Severity::Error,
            format!("not valid TBX/XML: the file ends inside <{innermost}> (cut short?)"),
        ));
        return (Vec::new(), issues);
    }
    let language_matches = |tag: &str, wanted: &str| {
        let tag = tag.to_ascii_lowercase();
        let wanted = wanted.to_ascii_lowercase();
        tag == wanted || tag.split('-').next() == wanted.split('-').next()
    };
    let is_forbidden = |status: &str| {
        let status = status.to_ascii_lowercase();
        status.contains("deprecated")
            || status.contains("superseded")
            || status.contains("forbidden")
    };
    let mut entries = Vec::new();
    for concept in concepts {
        let sources: Vec<&TbxTerm> = concept
            .terms
            .iter()
            .filter(|(lang, term)| {
                language_matches(lang, source_lang)
                    && !is_forbidden(&term.status)
                    && !term.text.is_empty()
            })
            .map(|(_, term)| term)
            .collect();
        let mut english: Vec<&TbxTerm> = concept
            .terms
            .iter()
            .filter(|(lang, term)| language_matches(lang, target_lang) && !term.text.is_empty())
            .map(|(_, term)| term)
            .collect();
        // the preferred term first
        english.sort_by_key(|term| !term.status.to_ascii_lowercase().contains("preferred"));
        let accepted: Vec<&str> = english
            .iter()
            .filter(|t| !is_forbidden(&t.status))
            .map(|t| t.text.as_str())
            .collect();
        let forbidden: Vec<String> = english
            .iter()
            .filter(|t| is_forbidden(&t.status))
            .map(|t| t.text.clone())
            .collect();
        if sources.is_empty() || accepted.is_empty() {
            issues.push(issue(
                path,
                concept.line_number,
                Severity::Error,
                format!(
                    "malformed entry: the concept has no usable {} term",
                    if sources.is_empty() {
                        source_lang
                    } else {
                        target_lang
                    }
                ),
            ));
            continue;
        }
        for source in sources {
            entries.push(Entry {
                source: source.text.clone(),
                target: accepted[0].to_string(),
                kind: TermKind::parse(&concept.subject).unwrap_or(TermKind::Other),
                variants: accepted[1..].iter().map(|s| s.to_string()).collect(),
                forbidden: forbidden.clone(),
                case: CaseMode::Insensitive,
                note: concept.note.clone(),
                origin: EntryOrigin {
                    path: path.to_path_buf(),
                    line_number: concept.line_number,
                },
            });
        }
    }
    (entries, issues)
}

/// Cross-entry and per-entry checks on a loaded glossary.
pub fn lint(glossary: &Glossary) -> Vec<LintIssue> {
    let mut issues = Vec::new();
    let mut seen: HashMap<String, &Entry> = HashMap::new();
    for entry in &glossary.entries {
        let at = |severity, message| {
            issue(
                &entry.origin.path,
                entry.origin.line_number,
                severity,
                message,
            )
        };
        if !entry.source.chars().any(char::is_alphanumeric) {
            issues.push(at(
                Severity::Error,
                format!(
                    "the source {:?} can never match: it has no letter or digit",
                    entry.source
                ),
            ));
        }
        if entry.source.contains(['\t', '\n', '\r']) {
            issues.push(at(
                Severity::Error,
                format!(
                    "the source {:?} can never match: segments never hold tabs or line breaks",
                    entry.source
                ),
            ));
        }
        if entry.case == CaseMode::Sensitive
            && entry
                .source
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_lowercase())
            && entry.source.chars().count() <= 3
        {
            issues.push(at(Severity::Warning, format!("the case-sensitive source {:?} is short and lower-case: it will match ordinary words", entry.source)));
        }
        let key = entry_key(&entry.source, entry.case);
        if let Some(first) = seen.get(&key) {
            let same_rendering = fold(&first.target) == fold(&entry.target);
            if same_rendering {
                issues.push(at(
                    Severity::Warning,
                    format!(
                        "duplicate entry: {:?} is already defined at line {}",
                        entry.source, first.origin.line_number
                    ),
                ));
            } else {
                issues.push(at(
                    Severity::Error,
                    format!(
                        "conflicting entry: {:?} → {:?} here, but → {:?} at {}:{}",
                        entry.source,
                        entry.target,
                        first.target,
                        first.origin.path.display(),
                        first.origin.line_number
                    ),
                ));
            }
        } else {
            seen.insert(key, entry);
        }
        let compare = |text: &str| {
            if entry.case.target_is_exact() {
                text.to_string()
            } else {
                fold(text)
            }
        };
        for forbidden in &entry.forbidden {
            if entry
                .accepted()
                .any(|accepted| compare(accepted) == compare(forbidden))
            {
                issues.push(at(Severity::Error, format!("the forbidden rendering {forbidden:?} is also an accepted rendering of {:?}", entry.source)));
            }
        }
        let mut variants_seen = vec![compare(&entry.target)];
        for variant in &entry.variants {
            let key = compare(variant);
            if variants_seen.contains(&key) {
                issues.push(at(
                    Severity::Warning,
                    format!("the variant {variant:?} repeats an accepted rendering"),
                ));
            }
            variants_seen.push(key);
        }
    }
    issues
}

/// The identity of a source term for duplicate detection.
fn entry_key(source: &str, case: CaseMode) -> String {
    let collapsed = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if case.source_is_exact() {
        collapsed
    } else {
        fold(&collapsed)
    }
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(name: &str, text: &str) -> (Glossary, Vec<LintIssue>) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        load_glossary(&path, "id", "en").unwrap()
    }

    fn issue_lines(issues: &[LintIssue]) -> Vec<(usize, Severity, String)> {
        issues
            .iter()
            .map(|i| (i.line_number, i.severity, i.message.clone()))
            .collect()
    }

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

    #[test]
    fn tbx_basic_both_forms() {
        let dca = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="subjectField">title</descrip>
      <langSec xml:lang="id"><termSec><term>Wakil Perdana Menteri</term></termSec></langSec>
      <langSec xml:lang="en">
        <termSec><term>Vice Prime Minister</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>Deputy Prime Minister</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>Deputy PM</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en"><termSec><term>Orphan</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>"#;
        let (glossary, issues) = load_text("g.tbx", dca);
        let entry = &glossary.entries[0];
        assert_eq!(entry.source, "Wakil Perdana Menteri");
        assert_eq!(entry.target, "Deputy Prime Minister");
        assert_eq!(entry.variants, ["Deputy PM"]);
        assert_eq!(entry.forbidden, ["Vice Prime Minister"]);
        assert_eq!(entry.kind, TermKind::Title);
        assert_eq!(
            issue_lines(&issues),
            [(
                14,
                Severity::Error,
                "malformed entry: the concept has no usable id term".to_string()
            )]
        );

        let martif = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1">
  <langSet xml:lang="id"><tig><term>Menlu</term></tig></langSet>
  <langSet xml:lang="en-GB"><tig><term>Minister of Foreign Affairs &amp; more</term></tig>
  <tig><term>Foreign Minister</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig></langSet>
</termEntry></body></text></martif>"#;
        let (glossary, issues) = load_text("g.tbx", martif);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            glossary.entries[0].target,
            "Minister of Foreign Affairs & more"
        );
        assert_eq!(glossary.entries[0].forbidden, ["Foreign Minister"]);
    }

    #[test]
    fn tbx_that_is_not_xml_names_the_line() {
        let (glossary, issues) = load_text("g.tbx", "<tbx>\n<text>\n</body>\n");
        assert!(glossary.entries.is_empty());
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].line_number, 3);
        assert!(
            issues[0].message.contains("not valid TBX/XML"),
            "{}",
            issues[0].message
        );
        let (_, issues) = load_text("g.tbx", "<html><body/></html>");
        assert!(issues[0].message.contains("root element is <html>"));
    }

    #[test]
    fn a_tbx_cut_short_is_an_error_not_an_empty_glossary() {
        let (glossary, issues) = load_text(
            "g.tbx",
            "<martif type=\"TBX\"><text><body>\n<termEntry><langSet xml:lang=\"id\">",
        );
        assert!(glossary.entries.is_empty());
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].line_number, 2);
        assert!(
            issues[0].message.contains("ends inside <langSet>"),
            "{}",
            issues[0].message
        );
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
