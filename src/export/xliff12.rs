//! XLIFF 1.2 export, for the readers that refuse XLIFF 2 (Translate Toolkit's `xlifffile`,
//! Weblate, older CAT tools), and its reader for `review import`.
//!
//! Layout: `<xliff version="1.2">`, one `<file original="<stem>.txt" datatype="plaintext">`
//! per article, one `<trans-unit id="<segment id>">` per segment (so the id alone names the
//! segment), plain text in `<source>` and `<target>` (Translate Toolkit, like OmegaT with TMX
//! `<hi>`, garbles a target holding inline markup when it rewrites it, so glossary terms go
//! into a note instead). States are those of the XLIFF 2 export ([`super::xliff::state_of`])
//! mapped onto XLIFF 1.2's: initial → `needs-translation` (a violation left:
//! `needs-review-translation`), translated → `translated` (`state-qualifier="leveraged-mt"`
//! for engine output, `x-selaras-term-fixed` when the glossary fixed it), reviewed →
//! `signed-off` with `approved="yes"`, final → `final` (approved memory:
//! `state-qualifier="leveraged-tm"`, `approved="yes"`). Non-translatable segments are
//! `translate="no"` units with the source copied. Glossary violations, warnings and QA
//! findings are `<note from="selaras" annotates="target">` (priority 1 for errors, 5 for
//! warnings). A character XML 1.0 cannot carry is an empty code
//! `<x id="cpN" ctype="x-selaras-cp" ts="<hex>"/>`, which [`read`] turns back into it.
//! Must not interpret a reviewer's edits: the reader only returns what the file says.

use super::xliff::{SegmentState, close_document, root_is_xliff, state_of};
use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, PieceWriter};
use crate::record::{AlignedSegment, Origin, Status};
use crate::xml::{self, Escaping, TextPart, XmlWriter, line_at, text_parts};
use quick_xml::events::Event;

/// The XLIFF 1.2 namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// The `ctype` of the code standing for a character XML 1.0 cannot carry.
const CODE_POINT_TYPE: &str = "x-selaras-cp";

/// Writes `<stem>.xliff12.xlf`.
pub struct Xliff12Exporter;

impl Exporter for Xliff12Exporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Xliff12
    }

    fn pieces(&self, stem: &str, context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(Xliff12Pieces {
            stem: stem.to_string(),
            context: context.clone(),
        })
    }
}

/// A document of one `<file>`: its start, a trans-unit per record of each piece, its end.
struct Xliff12Pieces {
    stem: String,
    context: ExportContext,
}

impl PieceWriter for Xliff12Pieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        let mut xml = XmlWriter::fragment(Escaping::DropForbidden);
        for record in records {
            write_unit(&mut xml, record, &self.context);
        }
        out.extend(xml.into_bytes());
    }

    fn head(&self, out: &mut Vec<u8>) {
        let mut xml = XmlWriter::new();
        start_document(&mut xml);
        start_file(&mut xml, &self.stem, &self.context);
        out.extend(xml.into_bytes());
    }

    fn tail(&self, out: &mut Vec<u8>) {
        close_document(out, end_file);
    }

    fn head_is_fixed(&self) -> bool {
        true
    }
}

/// The XLIFF 1.2 `state` of a segment in this state (`violations`: a target with a glossary
/// violation left, which XLIFF 2 calls `initial` too).
pub fn state_name(state: SegmentState, violations: bool) -> &'static str {
    match state {
        SegmentState::Initial if violations => "needs-review-translation",
        SegmentState::Initial => "needs-translation",
        SegmentState::Translated => "translated",
        SegmentState::Reviewed => "signed-off",
        SegmentState::Final => "final",
    }
}

/// The review state an XLIFF 1.2 `state` (and the unit's `approved`) stands for: the
/// `needs-*` states are initial, `translated` is translated, `signed-off` reviewed and
/// `final` final; `approved="yes"` makes anything below reviewed reviewed (that is how
/// Translate Toolkit and Weblate approve). A state selaras does not know (an `x-` value) is
/// initial.
pub fn review_state(state: Option<&str>, approved: bool) -> SegmentState {
    let state = match state.map(str::trim) {
        Some("final") => SegmentState::Final,
        Some("signed-off") => SegmentState::Reviewed,
        Some("translated") | None => SegmentState::Translated,
        Some(_) => SegmentState::Initial,
    };
    if approved && state < SegmentState::Reviewed {
        SegmentState::Reviewed
    } else {
        state
    }
}

/// One XLIFF 1.2 document holding every given article as a `<file>`.
pub fn render(articles: &[ArticleRecords], context: &ExportContext) -> Vec<u8> {
    let mut out = XmlWriter::new();
    start_document(&mut out);
    for article in articles {
        start_file(&mut out, &article.stem, context);
        for record in &article.records {
            write_unit(&mut out, record, context);
        }
        end_file(&mut out);
    }
    out.newline(0);
    out.end("xliff");
    out.finish()
}

fn start_document(out: &mut XmlWriter) {
    out.newline(0);
    out.start("xliff", &[("version", "1.2"), ("xmlns", NAMESPACE)]);
}

fn start_file(out: &mut XmlWriter, stem: &str, context: &ExportContext) {
    let original = format!("{stem}.txt");
    out.newline(1);
    out.start(
        "file",
        &[
            ("original", &original),
            ("source-language", &context.source_lang),
            ("target-language", &context.target_lang),
            ("datatype", "plaintext"),
        ],
    );
    out.newline(2);
    out.start("header", &[]);
    out.newline(3);
    out.empty(
        "tool",
        &[
            ("tool-id", "selaras"),
            ("tool-name", "selaras"),
            ("tool-version", &context.tool_version),
        ],
    );
    out.newline(2);
    out.end("header");
    out.newline(2);
    out.start("body", &[]);
}

fn end_file(out: &mut XmlWriter) {
    out.newline(2);
    out.end("body");
    out.newline(1);
    out.end("file");
}

fn write_unit(out: &mut XmlWriter, record: &AlignedSegment, context: &ExportContext) {
    let id = record.id.to_string();
    let (state, _) = state_of(record);
    let mut attributes = vec![("id", id.as_str())];
    if !record.translatable {
        attributes.push(("translate", "no"));
    }
    if record.translatable && record.target.is_some() && state >= SegmentState::Reviewed {
        attributes.push(("approved", "yes"));
    }
    out.newline(3);
    out.start("trans-unit", &attributes);
    out.newline(4);
    out.start("source", &[("xml:lang", &context.source_lang)]);
    write_content(out, &record.source);
    out.end("source");
    let target = if record.translatable {
        record.target.as_deref()
    } else {
        Some(record.source.as_str())
    };
    if let Some(target) = target {
        let state_attribute = state_name(state, !record.violations.is_empty());
        let mut target_attributes = vec![
            ("xml:lang", context.target_lang.as_str()),
            ("state", state_attribute),
        ];
        if let Some(qualifier) = qualifier(record) {
            target_attributes.push(("state-qualifier", qualifier));
        }
        out.newline(4);
        out.start("target", &target_attributes);
        write_content(out, target);
        out.end("target");
    }
    for (text, priority) in notes(record) {
        out.newline(4);
        out.text_element(
            "note",
            &[
                ("from", "selaras"),
                ("priority", priority),
                ("annotates", "target"),
            ],
            &text,
        );
    }
    out.newline(3);
    out.end("trans-unit");
}

/// Where the English came from, as XLIFF 1.2's `state-qualifier` says it.
fn qualifier(record: &AlignedSegment) -> Option<&'static str> {
    if !record.translatable {
        return None;
    }
    match (record.status(), record.origin) {
        (Status::Fixed, _) => Some("x-selaras-term-fixed"),
        (Status::Reviewed, _) => Some("x-selaras-reviewed"),
        (_, Origin::Memory) => Some("leveraged-tm"),
        (_, Origin::Engine | Origin::Cache) => Some("leveraged-mt"),
        _ => None,
    }
}

/// The notes of a unit: glossary terms, violations, warnings and QA findings, each with its
/// priority.
fn notes(record: &AlignedSegment) -> Vec<(String, &'static str)> {
    let mut notes = Vec::new();
    let terms: Vec<String> = record
        .term_sources()
        .map(|(term, source)| format!("{source} → {}", term.expected))
        .collect();
    if !terms.is_empty() {
        notes.push((format!("glossary terms: {}", terms.join("; ")), "5"));
    }
    for violation in &record.violations {
        notes.push((
            format!("glossary: {}", super::xliff::describe(violation)),
            "1",
        ));
    }
    for warning in &record.warnings {
        notes.push((
            format!("glossary warning: {}", super::xliff::describe(warning)),
            "5",
        ));
    }
    for finding in &record.qa {
        notes.push((
            format!(
                "qa {} {}: {}",
                finding.check.as_str(),
                finding.severity.as_str(),
                finding.message
            ),
            match finding.severity {
                crate::qa::Severity::Error => "1",
                crate::qa::Severity::Warning => "5",
            },
        ));
    }
    notes
}

/// Text with each character XML forbids as an `<x ctype="x-selaras-cp">` code.
fn write_content(out: &mut XmlWriter, text: &str) {
    for (number, part) in text_parts(text).into_iter().enumerate() {
        match part {
            TextPart::Allowed(text) => out.text(text),
            TextPart::Forbidden(character) => {
                let id = format!("cp{}", number + 1);
                let hex = format!("{:04X}", u32::from(character));
                out.empty(
                    "x",
                    &[("id", &id), ("ctype", CODE_POINT_TYPE), ("ts", &hex)],
                );
            }
        }
    }
}

/// A `<trans-unit>` read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xliff12Unit {
    /// The 1-based line of the `<trans-unit>` tag.
    pub line_number: usize,
    /// The `original` of its `<file>`.
    pub file_original: String,
    /// The unit's `id`.
    pub id: String,
    /// False when the unit or its file says `translate="no"`.
    pub translate: bool,
    /// The text of `<source>`: inline elements keep their text, native codes are dropped.
    pub source: String,
    /// The text of `<target>`, `None` when there is none.
    pub target: Option<String>,
    /// The review state of the target ([`review_state`] of its `state` and `approved`).
    pub state: SegmentState,
}

/// An XLIFF 1.2 file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line_number}: {message}")]
pub struct Xliff12Error {
    pub line_number: usize,
    pub message: String,
}

/// The `version` of the root `<xliff>` element, when the text is an XLIFF document.
pub fn root_version(text: &str) -> Option<String> {
    let mut reader = xml::reader(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(start) | Event::Empty(start)) => {
                if start.local_name().as_ref() != b"xliff" {
                    return None;
                }
                return xml::local_attribute(&start, b"version").ok().flatten();
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Collecting {
    None,
    Source,
    Target,
}

/// Reads an XLIFF 1.x document's translation units, in file order.
pub fn read(text: &str) -> Result<Vec<Xliff12Unit>, Xliff12Error> {
    let mut reader = xml::reader(text);
    let mut units = Vec::new();
    let mut seen_root = false;
    let mut file_original = String::new();
    let mut file_translate = true;
    let mut current: Option<(Xliff12Unit, Option<String>, bool)> = None;
    let mut collecting = Collecting::None;
    let mut buffer = String::new();
    // depth inside native code (`<ph>`, `<bpt>`, …) whose text is not the segment's
    let mut skipped_depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let error = |message: String| Xliff12Error {
            line_number: line_at(text, position),
            message,
        };
        let event = reader
            .read_event()
            .map_err(|value| error(value.to_string()))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let attribute = |key: &str| xml::local_attribute(start, key.as_bytes());
                if !seen_root {
                    root_is_xliff(&name).map_err(&error)?;
                    seen_root = true;
                    let version = attribute("version").map_err(&error)?.unwrap_or_default();
                    if !version.starts_with("1.") {
                        return Err(error(format!(
                            "XLIFF version {version:?} is not 1.x (selaras reads XLIFF 2 with the other reader)"
                        )));
                    }
                    continue;
                }
                if skipped_depth > 0 {
                    if !is_empty {
                        skipped_depth += 1;
                    }
                    continue;
                }
                match name.as_str() {
                    "file" => {
                        file_original = attribute("original").map_err(&error)?.unwrap_or_default();
                        file_translate =
                            attribute("translate").map_err(&error)?.as_deref() != Some("no");
                    }
                    "trans-unit" => {
                        let id = attribute("id")
                            .map_err(&error)?
                            .ok_or_else(|| error("<trans-unit> has no id".to_string()))?;
                        let translate = file_translate
                            && attribute("translate").map_err(&error)?.as_deref() != Some("no");
                        let approved =
                            attribute("approved").map_err(&error)?.as_deref() == Some("yes");
                        current = Some((
                            Xliff12Unit {
                                line_number: line_at(text, position),
                                file_original: file_original.clone(),
                                id,
                                translate,
                                source: String::new(),
                                target: None,
                                state: SegmentState::Initial,
                            },
                            None,
                            approved,
                        ));
                    }
                    // `<source>` and `<target>` of the unit itself, not of an `<alt-trans>`
                    "source" | "target" if current.is_some() && collecting == Collecting::None => {
                        buffer.clear();
                        let is_target = name == "target";
                        if is_target && let Some((unit, state, _)) = current.as_mut() {
                            unit.target = Some(String::new());
                            *state = attribute("state").map_err(&error)?;
                        }
                        collecting = match (is_empty, is_target) {
                            (true, _) => Collecting::None,
                            (false, true) => Collecting::Target,
                            (false, false) => Collecting::Source,
                        };
                    }
                    "alt-trans" if !is_empty => skipped_depth = 1,
                    "x" if collecting != Collecting::None
                        && attribute("ctype").map_err(&error)?.as_deref()
                            == Some(CODE_POINT_TYPE) =>
                    {
                        let hex = attribute("ts").map_err(&error)?.unwrap_or_default();
                        let character = xml::hex_char(&hex).ok_or_else(|| {
                            error(format!(
                                "<x ctype=\"{CODE_POINT_TYPE}\" ts={hex:?}> is not a character"
                            ))
                        })?;
                        buffer.push(character);
                    }
                    "ph" | "bpt" | "ept" | "it" | "sub"
                        if collecting != Collecting::None && !is_empty =>
                    {
                        skipped_depth = 1;
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                match end.local_name().as_ref() {
                    b"source" if collecting == Collecting::Source => {
                        if let Some((unit, _, _)) = current.as_mut() {
                            unit.source = std::mem::take(&mut buffer);
                        }
                        collecting = Collecting::None;
                    }
                    b"target" if collecting == Collecting::Target => {
                        if let Some((unit, _, _)) = current.as_mut() {
                            unit.target = Some(std::mem::take(&mut buffer));
                        }
                        collecting = Collecting::None;
                    }
                    b"trans-unit" => {
                        if let Some((mut unit, state, approved)) = current.take() {
                            unit.state = review_state(state.as_deref(), approved);
                            units.push(unit);
                        }
                    }
                    b"file" => file_translate = true,
                    _ => {}
                }
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
                if collecting != Collecting::None && skipped_depth == 0 =>
            {
                xml::push_content(&event, &mut buffer).map_err(&error)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(Xliff12Error {
            line_number: 1,
            message: "no <xliff> element: this is not an XLIFF file".to_string(),
        });
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_map_both_ways() {
        let table = [
            (SegmentState::Initial, false, "needs-translation"),
            (SegmentState::Initial, true, "needs-review-translation"),
            (SegmentState::Translated, false, "translated"),
            (SegmentState::Reviewed, false, "signed-off"),
            (SegmentState::Final, false, "final"),
        ];
        for (state, violations, name) in table {
            assert_eq!(state_name(state, violations), name);
            assert_eq!(review_state(Some(name), false), state, "{name}");
        }
        assert_eq!(review_state(None, false), SegmentState::Translated);
        assert_eq!(review_state(Some("x-odd"), false), SegmentState::Initial);
        // Translate Toolkit and Weblate approve with approved="yes"
        assert_eq!(
            review_state(Some("translated"), true),
            SegmentState::Reviewed
        );
        assert_eq!(review_state(Some("final"), true), SegmentState::Final);
    }

    #[test]
    fn reads_units_codes_and_refuses_xliff_2() {
        let text = r#"<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="id" datatype="plaintext"><body>
<trans-unit id="a:1.1" approved="yes">
<source>Bel<x id="cp1" ctype="x-selaras-cp" ts="0007"/> <g id="1">Presiden</g><ph id="2">&lt;br/&gt;</ph>.</source>
<target state="translated">Bell<x id="cp1" ctype="x-selaras-cp" ts="0007"/> &amp; <mrk mtype="term">President</mrk>.</target>
<alt-trans><target>Other</target></alt-trans>
</trans-unit>
<trans-unit id="a:1.2" translate="no"><source>Jakarta -</source></trans-unit>
</body></file></xliff>"#;
        let units = read(text).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].line_number, 4);
        assert_eq!(units[0].file_original, "a.txt");
        assert_eq!(units[0].source, "Bel\u{7} Presiden.");
        assert_eq!(units[0].target.as_deref(), Some("Bell\u{7} & President."));
        assert_eq!(units[0].state, SegmentState::Reviewed);
        assert!(!units[1].translate);
        assert_eq!(units[1].target, None);
        assert_eq!(root_version(text).as_deref(), Some("1.2"));
        let error = read("<xliff version=\"2.1\"/>").unwrap_err();
        assert!(error.message.contains("not 1.x"), "{error}");
        assert!(read("<tmx/>").unwrap_err().message.contains("not <xliff>"));
    }
}
