//! TMX 1.4b translation memories: reading the translation units of any conforming file and
//! writing plain-text (Level 1) ones that validate against the official DTD.
//!
//! A unit is read as its `tuid`, its `prop`s and the text of each `tuv`'s `seg` (the text of
//! `hi` and `sub` kept, native codes — `bpt`, `ept`, `ph`, `it`, `ut` — dropped). Written
//! files carry every required header attribute, `xml:lang` on each `tuv`, and only the five
//! predefined entities. Must not touch the file system or know where units come from.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// One translation unit, as read or to be written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TranslationUnit {
    /// The `tuid` attribute, if any.
    pub id: Option<String>,
    /// `(type, value)` of each `prop`, in order.
    pub props: Vec<(String, String)>,
    /// `(xml:lang, text)` of each `tuv`, in order.
    pub variants: Vec<(String, String)>,
}

impl TranslationUnit {
    /// The value of the first `prop` of this type.
    pub fn prop(&self, kind: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(found, _)| found == kind)
            .map(|(_, value)| value.as_str())
    }

    /// The text of the first `tuv` in `language` (compared by primary subtag, ignoring case:
    /// `en` matches `en-US`).
    pub fn text_in(&self, language: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(lang, _)| same_language(lang, language))
            .map(|(_, text)| text.as_str())
    }

    /// The text of the first `tuv` not in `language`.
    pub fn text_not_in(&self, language: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(lang, _)| !same_language(lang, language))
            .map(|(_, text)| text.as_str())
    }
}

fn same_language(a: &str, b: &str) -> bool {
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(a) == primary(b)
}

/// A memory: its source language (`srclang` of the header) and units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Memory {
    pub source_language: String,
    pub units: Vec<TranslationUnit>,
}

/// Why a TMX text could not be read; the line is 1-based.
#[derive(Debug, thiserror::Error)]
pub enum TmxError {
    #[error("line {line_number}: not well-formed XML: {message}")]
    Xml { line_number: usize, message: String },
    #[error("line {line_number}: {message}")]
    Structure { line_number: usize, message: String },
}

/// Reads a TMX document.
pub fn read(text: &str) -> Result<Memory, TmxError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let line_at = |position: u64| -> usize {
        let end = usize::try_from(position)
            .unwrap_or(text.len())
            .min(text.len());
        text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let mut memory = Memory::default();
    let mut saw_root = false;
    let mut unit: Option<TranslationUnit> = None;
    // the tuv being read: its language and text; the prop being read: its type and value
    let mut variant: Option<(String, String)> = None;
    let mut prop: Option<(String, String)> = None;
    let mut in_segment = false;
    // depth inside native-code elements whose text is not part of the segment
    let mut skipped_depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|error| TmxError::Xml {
            line_number: line_at(reader.error_position()),
            message: error.to_string(),
        })?;
        let structure = |message: String| TmxError::Structure {
            line_number: line_at(position),
            message,
        };
        match event {
            Event::Start(element) | Event::Empty(element)
                if !saw_root && element.local_name().as_ref() != b"tmx" =>
            {
                return Err(structure(format!(
                    "the root element is <{}>, not <tmx>",
                    String::from_utf8_lossy(element.name().as_ref())
                )));
            }
            Event::Start(element) => {
                let name = element.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"tmx" => saw_root = true,
                    b"header" => read_header(&element, &mut memory).map_err(structure)?,
                    b"tu" => {
                        unit = Some(TranslationUnit {
                            id: attribute(&element, b"tuid").map_err(structure)?,
                            ..TranslationUnit::default()
                        });
                    }
                    b"prop" if unit.is_some() && variant.is_none() => {
                        let kind = attribute(&element, b"type")
                            .map_err(structure)?
                            .unwrap_or_default();
                        prop = Some((kind, String::new()));
                    }
                    b"tuv" => {
                        if unit.is_none() {
                            return Err(structure("<tuv> outside a <tu>".to_string()));
                        }
                        let lang = match attribute(&element, b"xml:lang").map_err(structure)? {
                            Some(lang) => lang,
                            // TMX 1.1–1.3 spelled it `lang`
                            None => attribute(&element, b"lang")
                                .map_err(structure)?
                                .ok_or_else(|| structure("<tuv> without xml:lang".to_string()))?,
                        };
                        variant = Some((lang, String::new()));
                    }
                    b"seg" => in_segment = variant.is_some(),
                    b"bpt" | b"ept" | b"ph" | b"it" | b"ut" if in_segment => skipped_depth += 1,
                    _ => {}
                }
            }
            Event::Empty(element) => match element.local_name().as_ref() {
                b"tmx" => saw_root = true,
                b"header" => read_header(&element, &mut memory).map_err(structure)?,
                b"tuv" | b"seg" if unit.is_some() => {
                    // an empty segment: `<seg/>`
                    if element.local_name().as_ref() == b"seg"
                        && let Some((_, text)) = &mut variant
                    {
                        text.clear();
                    }
                }
                _ => {}
            },
            Event::Text(content) => {
                let content = content
                    .decode()
                    .map_err(|error| structure(error.to_string()))?;
                push_text(
                    &content,
                    in_segment && skipped_depth == 0,
                    &mut variant,
                    &mut prop,
                );
            }
            Event::CData(content) => {
                let content = content
                    .decode()
                    .map_err(|error| structure(error.to_string()))?;
                push_text(
                    &content,
                    in_segment && skipped_depth == 0,
                    &mut variant,
                    &mut prop,
                );
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference
                    .resolve_char_ref()
                    .map_err(|error| structure(error.to_string()))?
                {
                    Some(character) => character.to_string(),
                    None => {
                        let name = reference
                            .decode()
                            .map_err(|error| structure(error.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| {
                                structure(format!("unknown entity &{name}; (TMX declares only the five predefined ones)"))
                            })?
                            .to_string()
                    }
                };
                push_text(
                    &resolved,
                    in_segment && skipped_depth == 0,
                    &mut variant,
                    &mut prop,
                );
            }
            Event::End(element) => match element.local_name().as_ref() {
                b"tu" => {
                    if let Some(unit) = unit.take() {
                        memory.units.push(unit);
                    }
                }
                b"prop" => {
                    if let (Some(found), Some(unit)) = (prop.take(), unit.as_mut()) {
                        unit.props.push(found);
                    }
                }
                b"tuv" => {
                    if let (Some(found), Some(unit)) = (variant.take(), unit.as_mut()) {
                        unit.variants.push(found);
                    }
                }
                b"seg" => in_segment = false,
                b"bpt" | b"ept" | b"ph" | b"it" | b"ut" if in_segment => {
                    skipped_depth = skipped_depth.saturating_sub(1);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(TmxError::Structure {
            line_number: 1,
            message: "no <tmx> element".to_string(),
        });
    }
    Ok(memory)
}

fn push_text(
    content: &str,
    into_segment: bool,
    variant: &mut Option<(String, String)>,
    prop: &mut Option<(String, String)>,
) {
    if into_segment && let Some((_, text)) = variant {
        text.push_str(content);
    } else if let Some((_, value)) = prop {
        value.push_str(content);
    }
}

fn read_header(element: &BytesStart<'_>, memory: &mut Memory) -> Result<(), String> {
    memory.source_language = attribute(element, b"srclang")?
        .ok_or_else(|| "<header> without the required srclang attribute".to_string())?;
    Ok(())
}

fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, String> {
    match element.try_get_attribute(name) {
        Ok(Some(attribute)) => attribute
            .unescape_value()
            .map(|value| Some(value.into_owned()))
            .map_err(|error| error.to_string()),
        Ok(None) => Ok(None),
        Err(error) => Err(error.to_string()),
    }
}

/// The header fields selaras writes; the rest are fixed (`segtype="sentence"`,
/// `datatype="plaintext"`, `adminlang="en"`, `o-tmf="selaras"`).
#[derive(Debug, Clone)]
pub struct WriteOptions<'a> {
    pub source_language: &'a str,
    pub creation_tool_version: &'a str,
}

/// Writes a TMX 1.4b document: UTF-8, the DOCTYPE of the official DTD, one `tu` per unit.
pub fn write(units: &[TranslationUnit], options: &WriteOptions<'_>) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n");
    out.push_str("<tmx version=\"1.4\">\n");
    out.push_str(&format!(
        "  <header creationtool=\"selaras\" creationtoolversion=\"{}\" segtype=\"sentence\" \
         o-tmf=\"selaras\" adminlang=\"en\" srclang=\"{}\" datatype=\"plaintext\"/>\n",
        escape(options.creation_tool_version, true),
        escape(options.source_language, true),
    ));
    out.push_str("  <body>\n");
    for unit in units {
        match &unit.id {
            Some(id) => out.push_str(&format!("    <tu tuid=\"{}\">\n", escape(id, true))),
            None => out.push_str("    <tu>\n"),
        }
        for (kind, value) in &unit.props {
            out.push_str(&format!(
                "      <prop type=\"{}\">{}</prop>\n",
                escape(kind, true),
                escape(value, false)
            ));
        }
        for (lang, text) in &unit.variants {
            out.push_str(&format!(
                "      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n",
                escape(lang, true),
                escape(text, false)
            ));
        }
        out.push_str("    </tu>\n");
    }
    out.push_str("  </body>\n</tmx>\n");
    out
}

/// Escapes text for XML 1.0 with the predefined entities only; characters XML 1.0 forbids
/// (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) become U+FFFD.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if attribute => out.push_str(&format!("&#{};", character as u32)),
            '\t' | '\n' | '\r' => out.push(character),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(character),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, source: &str, target: &str) -> TranslationUnit {
        TranslationUnit {
            id: Some(id.to_string()),
            props: vec![("x-alignment-confidence".to_string(), "0.97".to_string())],
            variants: vec![
                ("id".to_string(), source.to_string()),
                ("en".to_string(), target.to_string()),
            ],
        }
    }

    #[test]
    fn written_units_read_back_unchanged() {
        let units = vec![
            unit(
                "a:1.1",
                "Tab\tdan <b> & \"kutip\" 'x'",
                "Tab\tand <b> & \"quote\" ]]> 'x'",
            ),
            unit("a:\"odd\" & id", "Satu.", "One."),
        ];
        let text = write(
            &units,
            &WriteOptions {
                source_language: "id",
                creation_tool_version: "0.1.0",
            },
        );
        assert!(text.contains("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">"));
        assert!(text.contains("&lt;b&gt; &amp; \"kutip\""));
        let memory = read(&text).unwrap();
        assert_eq!(memory.source_language, "id");
        assert_eq!(memory.units, units);
        assert_eq!(
            memory.units[0].text_in("en-US"),
            Some(units[0].variants[1].1.as_str())
        );
        assert_eq!(
            memory.units[0].text_not_in("id"),
            memory.units[0].text_in("en")
        );
        assert_eq!(memory.units[0].prop("x-alignment-confidence"), Some("0.97"));
    }

    #[test]
    fn reads_inline_markup_entities_and_old_lang_attributes() {
        let text = r#"<?xml version="1.0"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="id-ID" datatype="plaintext"/>
<body>
<tu><prop type="x-segment-id">b:2.1</prop>
<tuv lang="id-ID"><seg>Presiden <hi type="x-term">To Lam</hi><ph x="1">&lt;br/&gt;</ph> &#x201C;hadir&#8221; &amp; <![CDATA[<ok>]]></seg></tuv>
<tuv xml:lang="en-GB"><seg/></tuv>
</tu>
</body></tmx>"#;
        let memory = read(text).unwrap();
        assert_eq!(memory.source_language, "id-ID");
        let unit = &memory.units[0];
        assert_eq!(unit.id, None);
        assert_eq!(unit.prop("x-segment-id"), Some("b:2.1"));
        assert_eq!(unit.text_in("id"), Some("Presiden To Lam “hadir” & <ok>"));
        assert_eq!(unit.text_in("en"), Some(""));
    }

    #[test]
    fn errors_name_the_line() {
        let broken = "<tmx version=\"1.4\">\n<header srclang=\"id\"/>\n<body>\n<tu><tuv><seg>x</seg></tuv></tu>\n</body></tmx>";
        let error = read(broken).unwrap_err().to_string();
        assert!(error.starts_with("line 4:"), "{error}");
        assert!(error.contains("xml:lang"), "{error}");
        let error = read("<tmx>\n<body>\n</tmx>").unwrap_err().to_string();
        assert!(error.starts_with("line 3:"), "{error}");
        let error = read("<html/>").unwrap_err().to_string();
        assert!(error.contains("not <tmx>"), "{error}");
        let error =
            read("<tmx><body><tu><tuv xml:lang=\"id\"><seg>&nbsp;</seg></tuv></tu></body></tmx>")
                .unwrap_err()
                .to_string();
        assert!(error.contains("&nbsp;"), "{error}");
    }
}
