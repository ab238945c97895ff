//! Reading TBX-Basic glossaries with quick-xml: the 2019 DCA form and the 2008 `martif` form.
//!
//! Must not print; a file that is not TBX, or not well-formed XML, is a [`LintIssue`] naming
//! its line.

use super::lint::{LintIssue, Severity, issue};
use super::{CaseMode, Entry, EntryOrigin, TermKind};
use quick_xml::events::Event;
use std::path::Path;

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
pub(super) fn parse_tbx(
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
