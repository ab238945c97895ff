//! Reading TBX glossaries with quick-xml: TBX-Basic 2019 in both styles — DCA
//! (`<termNote type="administrativeStatus">`, `<descrip type="subjectField">`) and DCT
//! (`<basic:administrativeStatus>`, `<min:subjectField>` in the TBX-Basic and TBX-Min
//! namespaces) — and the 2008 `martif` form that Translate Toolkit's `csv2tbx` writes.
//!
//! Each concept's English terms become the approved rendering (the preferred full form
//! first), variants (admitted) and forbidden renderings (deprecated, superseded); each term in
//! the source language becomes an entry. `termType` abbreviation, acronym and short form rank
//! after full forms; notes become the entry's note; a source term's note `selaras-case: …`
//! carries the case rule, the concept's `subjectField` the kind. A status selaras does not know
//! is a warning naming its line, and its term is left out — never silently accepted.
//!
//! Must not print; a file that is not TBX, or not well-formed XML, is a [`LintIssue`] naming
//! its line.

use super::lint::{LintIssue, Severity, issue};
use super::{CaseMode, Entry, EntryOrigin, TermKind};
use quick_xml::events::{BytesStart, Event};
use std::path::Path;

/// The prefix of a source term's note that carries its case rule (`selaras-case: sensitive`).
pub(super) const CASE_NOTE: &str = "selaras-case:";

/// The administrative statuses of TBX-Basic, as written in the file.
pub(super) const STATUSES: [&str; 4] = [
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
];

/// What a term's administrative status makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Preferred,
    Admitted,
    Forbidden,
}

/// One term of a TBX concept.
#[derive(Default)]
struct TbxTerm {
    text: String,
    /// The status as written, with its line; none means admitted.
    status: Option<(String, usize)>,
    term_type: String,
    notes: Vec<String>,
    line_number: usize,
}

#[derive(Default)]
struct TbxConcept {
    line_number: usize,
    /// (language, term) in file order
    terms: Vec<(String, TbxTerm)>,
    notes: Vec<String>,
    definition: String,
    subject: String,
}

/// What the text being read belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Term,
    Status,
    TermType,
    Note,
    Subject,
    Definition,
}

/// Which capture an element opens, from its local name and `type` attribute: the DCA and 2008
/// forms name the data category in `type`, the DCT form in the element's own name.
fn capture_for(name: &str, kind: Option<&str>) -> Option<Capture> {
    let category = match name {
        "term" => return Some(Capture::Term),
        "note" => return Some(Capture::Note),
        "termNote" | "descrip" => kind?,
        other => other,
    };
    Some(match category {
        "administrativeStatus" | "normativeAuthorization" => Capture::Status,
        "termType" => Capture::TermType,
        "subjectField" => Capture::Subject,
        "definition" => Capture::Definition,
        _ => return None,
    })
}

fn attribute(element: &BytesStart<'_>, wanted: &str) -> Option<String> {
    element.attributes().flatten().find_map(|attribute| {
        let key = attribute.key.as_ref();
        let local = key.rsplit(|&b| b == b':').next().unwrap_or(key);
        (local == wanted.as_bytes()).then(|| {
            attribute
                .unescape_value()
                .map(|value| value.into_owned())
                .unwrap_or_default()
        })
    })
}

/// The concepts of a TBX document, or the error that stops reading it.
fn read_concepts(text: &str, path: &Path) -> Result<Vec<TbxConcept>, LintIssue> {
    let line_at = |position: usize| text[..position.min(text.len())].matches('\n').count() + 1;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut concepts: Vec<TbxConcept> = Vec::new();
    let mut current: Option<TbxConcept> = None;
    let mut language = String::new();
    let mut term: Option<TbxTerm> = None;
    let mut capture: Option<(Capture, usize)> = None;
    let mut buffer = String::new();
    let mut saw_root = false;
    // the open elements: quick-xml reports a mismatched end tag, not a document cut short
    let mut open: Vec<String> = Vec::new();
    loop {
        let position = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|error| {
            issue(
                path,
                line_at(reader.error_position() as usize),
                Severity::Error,
                format!("not valid TBX/XML: {error}"),
            )
        })?;
        match event {
            Event::Start(element) | Event::Empty(element) if !saw_root => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                if name != "tbx" && name != "martif" {
                    return Err(issue(
                        path,
                        line_at(position),
                        Severity::Error,
                        format!(
                            "not a TBX file: the root element is <{name}>, expected <tbx> or <martif>"
                        ),
                    ));
                }
                saw_root = true;
                open.push(name);
            }
            Event::Start(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                let line_number = line_at(position);
                match name.as_str() {
                    "conceptEntry" | "termEntry" => {
                        current = Some(TbxConcept {
                            line_number,
                            ..TbxConcept::default()
                        });
                    }
                    "langSec" | "langSet" => {
                        language = attribute(&element, "lang").unwrap_or_default();
                    }
                    "termSec" | "tig" | "ntig" => {
                        term = Some(TbxTerm {
                            line_number,
                            ..TbxTerm::default()
                        });
                    }
                    _ => {
                        let kind = attribute(&element, "type");
                        if let Some(found) = capture_for(&name, kind.as_deref()) {
                            capture = Some((found, line_number));
                            buffer.clear();
                        }
                    }
                }
                open.push(name);
            }
            Event::Text(content) if capture.is_some() => {
                buffer.push_str(&content.decode().map(|t| t.into_owned()).unwrap_or_default());
            }
            Event::GeneralRef(reference) if capture.is_some() => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let resolved = match name.as_str() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    number => number
                        .strip_prefix("#x")
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .or_else(|| number.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                        .and_then(char::from_u32),
                };
                buffer.extend(resolved);
            }
            Event::CData(content) if capture.is_some() => {
                buffer.push_str(&String::from_utf8_lossy(&content));
            }
            Event::End(element) => {
                open.pop();
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                let closes_capture = capture.is_some_and(|(kind, _)| match kind {
                    Capture::Term => name == "term",
                    Capture::Note => name == "note",
                    _ => name != "hi",
                });
                if closes_capture && let Some((kind, line_number)) = capture.take() {
                    let value = buffer.split_whitespace().collect::<Vec<_>>().join(" ");
                    store(kind, value, line_number, term.as_mut(), current.as_mut());
                }
                match name.as_str() {
                    "termSec" | "tig" | "ntig" => {
                        if let (Some(term), Some(concept)) = (term.take(), current.as_mut()) {
                            concept.terms.push((language.clone(), term));
                        }
                    }
                    "conceptEntry" | "termEntry" => concepts.extend(current.take()),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(issue(
            path,
            0,
            Severity::Error,
            "not a TBX file: no root element".to_string(),
        ));
    }
    if let Some(innermost) = open.last() {
        return Err(issue(
            path,
            line_at(text.len()),
            Severity::Error,
            format!("not valid TBX/XML: the file ends inside <{innermost}> (cut short?)"),
        ));
    }
    Ok(concepts)
}

/// Files a captured value where it belongs: on the open term, else on the concept.
fn store(
    kind: Capture,
    value: String,
    line_number: usize,
    term: Option<&mut TbxTerm>,
    concept: Option<&mut TbxConcept>,
) {
    match (kind, term) {
        (Capture::Term, Some(term)) => term.text = value,
        (Capture::Status, Some(term)) => term.status = Some((value, line_number)),
        (Capture::TermType, Some(term)) => term.term_type = value,
        (Capture::Note | Capture::Definition, Some(term)) if !value.is_empty() => {
            term.notes.push(value)
        }
        (_, _) => {
            let Some(concept) = concept else { return };
            match kind {
                Capture::Subject => concept.subject = value,
                Capture::Definition => concept.definition = value,
                Capture::Note if !value.is_empty() => concept.notes.push(value),
                _ => {}
            }
        }
    }
}

/// A status as written → what it makes of the term; `None` for one selaras does not know.
fn parse_status(written: &str) -> Option<Status> {
    let folded = written.trim().to_ascii_lowercase();
    let name = folded.strip_suffix("-admn-sts").unwrap_or(&folded);
    Some(match name {
        "preferredterm" => Status::Preferred,
        "admittedterm" => Status::Admitted,
        "deprecatedterm" | "supersededterm" => Status::Forbidden,
        _ => return None,
    })
}

fn is_abbreviation(term_type: &str) -> bool {
    matches!(
        term_type.trim().to_ascii_lowercase().as_str(),
        "abbreviation" | "acronym" | "shortform" | "initialism"
    )
}

fn language_matches(tag: &str, wanted: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    let wanted = wanted.to_ascii_lowercase();
    tag == wanted || tag.split(['-', '_']).next() == wanted.split(['-', '_']).next()
}

/// Reads TBX (see the module doc) into entries, with every issue found.
pub(super) fn parse_tbx(
    text: &str,
    path: &Path,
    source_lang: &str,
    target_lang: &str,
) -> (Vec<Entry>, Vec<LintIssue>) {
    let concepts = match read_concepts(text, path) {
        Ok(concepts) => concepts,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let mut issues = Vec::new();
    // Translate Toolkit's csv2tbx writes every file as `en` → `xx`, whatever the languages:
    // with no term at all in the source language, a concept's first language is the source
    // and its second the target, and the user is told so.
    let positional = !concepts.iter().any(|concept| {
        concept
            .terms
            .iter()
            .any(|(language, _)| language_matches(language, source_lang))
    }) && concepts.iter().any(|concept| languages(concept).len() == 2);
    if let Some(first) = concepts.first().filter(|_| positional) {
        let found = languages(first);
        issues.push(issue(
            path,
            first.line_number,
            Severity::Warning,
            format!(
                "no term is in the source language {source_lang:?}: each concept's first language is read as {source_lang:?} and its second as {target_lang:?} (here {:?} and {:?}, as Translate Toolkit's csv2tbx writes them)",
                found.first().map_or("", String::as_str),
                found.get(1).map_or("", String::as_str),
            ),
        ));
    }
    let mut entries = Vec::new();
    for concept in &concepts {
        let found = languages(concept);
        let side = |language: &str| -> Option<bool> {
            if positional {
                match found.iter().position(|known| known == language) {
                    Some(0) => Some(true),
                    Some(1) => Some(false),
                    _ => None,
                }
            } else if language_matches(language, source_lang) {
                Some(true)
            } else if language_matches(language, target_lang) {
                Some(false)
            } else {
                None
            }
        };
        concept_entries(
            concept,
            &side,
            path,
            (source_lang, target_lang),
            &mut entries,
            &mut issues,
        );
    }
    (entries, issues)
}

/// The distinct languages of a concept, in file order.
fn languages(concept: &TbxConcept) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (language, _) in &concept.terms {
        if !found.contains(language) {
            found.push(language.clone());
        }
    }
    found
}

/// The entries of one concept; `side` tells a language's side (true: source).
fn concept_entries(
    concept: &TbxConcept,
    side: &dyn Fn(&str) -> Option<bool>,
    path: &Path,
    (source_lang, target_lang): (&str, &str),
    entries: &mut Vec<Entry>,
    issues: &mut Vec<LintIssue>,
) {
    // every term with its status; an unknown status leaves its term out, loudly
    let mut sources: Vec<&TbxTerm> = Vec::new();
    let mut english: Vec<(Status, bool, &TbxTerm)> = Vec::new();
    for (language, term) in &concept.terms {
        if term.text.is_empty() {
            continue;
        }
        let Some(is_source) = side(language) else {
            continue;
        };
        let status = match &term.status {
            None => Status::Admitted,
            Some((written, line_number)) => match parse_status(written) {
                Some(status) => status,
                None => {
                    issues.push(issue(
                        path,
                        *line_number,
                        Severity::Warning,
                        format!(
                            "unknown administrative status {written:?} of the term {:?}: the term is left out (expected {})",
                            term.text,
                            STATUSES.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        if is_source {
            if status != Status::Forbidden {
                sources.push(term);
            }
        } else {
            english.push((status, is_abbreviation(&term.term_type), term));
        }
    }
    // the preferred full form first, then in file order
    english.sort_by_key(|(status, abbreviation, _)| (*status, *abbreviation));
    let accepted: Vec<&str> = english
        .iter()
        .filter(|(status, _, _)| *status != Status::Forbidden)
        .map(|(_, _, term)| term.text.as_str())
        .collect();
    let forbidden: Vec<String> = english
        .iter()
        .filter(|(status, _, _)| *status == Status::Forbidden)
        .map(|(_, _, term)| term.text.clone())
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
        return;
    }
    let mut concept_notes = concept.notes.clone();
    if concept_notes.is_empty() && !concept.definition.is_empty() {
        concept_notes.push(concept.definition.clone());
    }
    for source in sources {
        let mut case = CaseMode::Insensitive;
        let mut notes = Vec::new();
        for note in &source.notes {
            match note.strip_prefix(CASE_NOTE).map(CaseMode::parse) {
                Some(Some(rule)) => case = rule,
                Some(None) => issues.push(issue(
                    path,
                    source.line_number,
                    Severity::Error,
                    format!("unknown case in the note {note:?} (expected insensitive, sensitive or source)"),
                )),
                None => notes.push(note.clone()),
            }
        }
        notes.extend(concept_notes.iter().cloned());
        entries.push(Entry {
            source: source.text.clone(),
            target: accepted[0].to_string(),
            kind: TermKind::parse(&concept.subject).unwrap_or(TermKind::Other),
            variants: accepted[1..].iter().map(|s| s.to_string()).collect(),
            forbidden: forbidden.clone(),
            case,
            note: notes.join(" "),
            origin: EntryOrigin {
                path: path.to_path_buf(),
                line_number: concept.line_number,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::load::tests::{issue_lines, load_text};
    use super::*;

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
}
