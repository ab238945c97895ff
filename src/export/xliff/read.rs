//! Reading an XLIFF 2 file back: what a reviewer's CAT tool left in it, segment by segment.
//!
//! Inline annotations (`<mrk>`, `<pc>`) keep their text, `<cp hex>` is the character it names,
//! other codes and `<originalData>` are dropped; `<ignorable>`s (the white space between
//! sentences, datelines) are returned flagged as such. Must not interpret a reviewer's edits:
//! [`read`] only returns what the file says.

use super::SegmentState;
use crate::xml::{self, line_at};
use quick_xml::events::{BytesStart, Event};

/// A segment (or ignorable) read back from an XLIFF 2 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffSegment {
    /// The 1-based line of the `<segment>` tag.
    pub line_number: usize,
    pub file_id: String,
    pub unit_id: String,
    /// The segment's `id`, if it has one.
    pub segment_id: Option<String>,
    /// False for `<ignorable>` and for segments of a `translate="no"` unit or file.
    pub translate: bool,
    pub ignorable: bool,
    pub state: SegmentState,
    pub sub_state: Option<String>,
    /// The text of `<source>`; inline annotations keep their text, codes are dropped.
    pub source: String,
    /// The text of `<target>`, `None` when there is no target element.
    pub target: Option<String>,
}

/// A note read back from a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffNote {
    pub file_id: String,
    pub unit_id: String,
    pub category: Option<String>,
    pub text: String,
}

/// An XLIFF 2 document read back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XliffDocument {
    pub version: String,
    pub source_lang: String,
    pub target_lang: Option<String>,
    pub segments: Vec<XliffSegment>,
    pub notes: Vec<XliffNote>,
}

/// An XLIFF file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line_number}: {message}")]
pub struct XliffError {
    pub line_number: usize,
    pub message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextTarget {
    None,
    Source,
    Target,
    Note,
}

/// Reads an XLIFF 2.x document (as written by [`render`], or after a CAT tool edited it).
/// XLIFF 1.2 is refused with a message saying so.
pub fn read(text: &str) -> Result<XliffDocument, XliffError> {
    let mut reader = xml::reader(text);
    let mut document = XliffDocument::default();
    let mut seen_root = false;
    let mut file_id = String::new();
    let mut file_translate = true;
    let mut unit_id = String::new();
    let mut unit_translate = true;
    let mut current: Option<XliffSegment> = None;
    let mut note: Option<XliffNote> = None;
    let mut collecting = TextTarget::None;
    let mut buffer = String::new();
    // Depth inside elements whose content is not text of the segment (`<originalData>`).
    let mut skipped_depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let error = |message: String| XliffError {
            line_number: line_at(text, position),
            message,
        };
        let event = reader
            .read_event()
            .map_err(|error_value| error(error_value.to_string()))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = start.local_name();
                let name = String::from_utf8_lossy(name.as_ref()).into_owned();
                if !seen_root {
                    root_is_xliff(&name).map_err(&error)?;
                    seen_root = true;
                    document.version = xml::local_attribute(start, b"version")
                        .map_err(&error)?
                        .unwrap_or_default();
                    if !document.version.starts_with("2.") {
                        return Err(error(format!(
                            "XLIFF version {:?} is not supported; selaras reads XLIFF 2.x and 1.2 (export with --format xliff or xliff12)",
                            document.version
                        )));
                    }
                    document.source_lang = xml::local_attribute(start, b"srcLang")
                        .map_err(&error)?
                        .ok_or_else(|| error("<xliff> has no srcLang".to_string()))?;
                    document.target_lang =
                        xml::local_attribute(start, b"trgLang").map_err(&error)?;
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
                        file_id = required(start, "id").map_err(&error)?;
                        file_translate = xml::local_attribute(start, b"translate")
                            .map_err(&error)?
                            .as_deref()
                            != Some("no");
                    }
                    "unit" => {
                        unit_id = required(start, "id").map_err(&error)?;
                        unit_translate = file_translate
                            && xml::local_attribute(start, b"translate")
                                .map_err(&error)?
                                .as_deref()
                                != Some("no");
                    }
                    "segment" | "ignorable" => {
                        let ignorable = name == "ignorable";
                        let state = match xml::local_attribute(start, b"state").map_err(&error)? {
                            None => SegmentState::Initial,
                            Some(value) => SegmentState::parse(&value).ok_or_else(|| {
                                error(format!(
                                    "state {value:?} is not one of initial, translated, reviewed, final"
                                ))
                            })?,
                        };
                        current = Some(XliffSegment {
                            line_number: line_at(text, position),
                            file_id: file_id.clone(),
                            unit_id: unit_id.clone(),
                            segment_id: xml::local_attribute(start, b"id").map_err(&error)?,
                            translate: unit_translate && !ignorable,
                            ignorable,
                            state,
                            sub_state: xml::local_attribute(start, b"subState").map_err(&error)?,
                            source: String::new(),
                            target: None,
                        });
                    }
                    "source" if current.is_some() => {
                        buffer.clear();
                        collecting = TextTarget::Source;
                        if is_empty {
                            collecting = TextTarget::None;
                        }
                    }
                    "target" if current.is_some() => {
                        buffer.clear();
                        if let Some(segment) = current.as_mut() {
                            segment.target = Some(String::new());
                        }
                        collecting = if is_empty {
                            TextTarget::None
                        } else {
                            TextTarget::Target
                        };
                    }
                    "note" if !is_empty => {
                        buffer.clear();
                        collecting = TextTarget::Note;
                        note = Some(XliffNote {
                            file_id: file_id.clone(),
                            unit_id: unit_id.clone(),
                            category: xml::local_attribute(start, b"category").map_err(&error)?,
                            text: String::new(),
                        });
                    }
                    "cp" if collecting != TextTarget::None => {
                        let hex = required(start, "hex").map_err(&error)?;
                        let character = xml::hex_char(&hex)
                            .ok_or_else(|| error(format!("<cp hex={hex:?}> is not a character")))?;
                        buffer.push(character);
                    }
                    "originalData" if !is_empty => skipped_depth = 1,
                    _ => {}
                }
            }
            Event::End(end) => {
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                match end.local_name().as_ref() {
                    b"source" if collecting == TextTarget::Source => {
                        if let Some(segment) = current.as_mut() {
                            segment.source = std::mem::take(&mut buffer);
                        }
                        collecting = TextTarget::None;
                    }
                    b"target" if collecting == TextTarget::Target => {
                        if let Some(segment) = current.as_mut() {
                            segment.target = Some(std::mem::take(&mut buffer));
                        }
                        collecting = TextTarget::None;
                    }
                    b"note" if collecting == TextTarget::Note => {
                        if let Some(mut finished) = note.take() {
                            finished.text = std::mem::take(&mut buffer);
                            document.notes.push(finished);
                        }
                        collecting = TextTarget::None;
                    }
                    b"segment" | b"ignorable" => {
                        if let Some(segment) = current.take() {
                            document.segments.push(segment);
                        }
                    }
                    b"unit" => unit_translate = file_translate,
                    _ => {}
                }
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
                if collecting != TextTarget::None && skipped_depth == 0 =>
            {
                xml::push_content(&event, &mut buffer).map_err(&error)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(XliffError {
            line_number: 1,
            message: "no <xliff> element: this is not an XLIFF file".to_string(),
        });
    }
    Ok(document)
}

/// Refuses a document whose root element (local name `name`) is not `<xliff>`.
pub(crate) fn root_is_xliff(name: &str) -> Result<(), String> {
    if name == "xliff" {
        return Ok(());
    }
    Err(format!(
        "the root element is <{name}>, not <xliff>: this is not an XLIFF file"
    ))
}

fn required(start: &BytesStart<'_>, wanted: &str) -> Result<String, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    xml::local_attribute(start, wanted.as_bytes())?
        .ok_or_else(|| format!("<{name}> has no {wanted} attribute"))
}
