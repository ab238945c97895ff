//! Writing a loaded glossary out for other tools: TBX-Basic 2019 (DCA style, one concept per
//! entry, read back by [`super::tbx`] into the same entries), CSV with the TSV's columns, and
//! OmegaT's glossary format (tab-separated source, target, comment; no header; one line per
//! accepted rendering; forbidden renderings and the note in the comment).
//!
//! Returns text; writing files and printing are the caller's. Must not print.

use super::load::COLUMNS;
use super::tbx::{CASE_NOTE, STATUSES};
use super::{CaseMode, Entry, Glossary};

/// The formats a glossary can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Tbx,
    Csv,
    OmegaT,
}

impl ExportFormat {
    /// By name: `tbx`, `csv` or `omegat`.
    pub fn parse(name: &str) -> Option<ExportFormat> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "tbx" => ExportFormat::Tbx,
            "csv" => ExportFormat::Csv,
            "omegat" => ExportFormat::OmegaT,
            _ => return None,
        })
    }
}

/// The glossary in `format`; `source_lang` and `target_lang` label the TBX language sections.
pub fn export_glossary(
    glossary: &Glossary,
    format: ExportFormat,
    source_lang: &str,
    target_lang: &str,
) -> String {
    match format {
        ExportFormat::Tbx => to_tbx(glossary, source_lang, target_lang),
        ExportFormat::Csv => to_csv(glossary),
        ExportFormat::OmegaT => to_omegat(glossary),
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

fn case_name(case: CaseMode) -> &'static str {
    match case {
        CaseMode::Insensitive => "insensitive",
        CaseMode::Sensitive => "sensitive",
        CaseMode::Source => "source",
    }
}

/// TBX-Basic 2019, DCA style: per entry one `conceptEntry` with its kind as `subjectField`,
/// its note as a `note`, the source term (its case rule in a `note` unless insensitive) and the
/// English terms: approved `preferredTerm`, variants `admittedTerm`, forbidden
/// `deprecatedTerm`.
pub fn to_tbx(glossary: &Glossary, source_lang: &str, target_lang: &str) -> String {
    let [preferred, admitted, deprecated, _] = STATUSES;
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"{}\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n",
        escape(target_lang)
    ));
    out.push_str("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>selaras glossary export</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n");
    out.push_str("  <text>\n    <body>\n");
    for (index, entry) in glossary.entries.iter().enumerate() {
        out.push_str(&format!("      <conceptEntry id=\"c{}\">\n", index + 1));
        out.push_str(&format!(
            "        <descrip type=\"subjectField\">{}</descrip>\n",
            entry.kind.as_str()
        ));
        if !entry.note.is_empty() {
            out.push_str(&format!("        <note>{}</note>\n", escape(&entry.note)));
        }
        out.push_str(&format!(
            "        <langSec xml:lang=\"{}\">\n          <termSec>\n            <term>{}</term>\n            <termNote type=\"administrativeStatus\">{preferred}</termNote>\n",
            escape(source_lang),
            escape(&entry.source)
        ));
        if entry.case != CaseMode::Insensitive {
            out.push_str(&format!(
                "            <note>{CASE_NOTE} {}</note>\n",
                case_name(entry.case)
            ));
        }
        out.push_str("          </termSec>\n        </langSec>\n");
        out.push_str(&format!(
            "        <langSec xml:lang=\"{}\">\n",
            escape(target_lang)
        ));
        let terms = std::iter::once((entry.target.as_str(), preferred))
            .chain(entry.variants.iter().map(|v| (v.as_str(), admitted)))
            .chain(entry.forbidden.iter().map(|f| (f.as_str(), deprecated)));
        for (text, status) in terms {
            out.push_str(&format!(
                "          <termSec>\n            <term>{}</term>\n            <termNote type=\"administrativeStatus\">{status}</termNote>\n          </termSec>\n",
                escape(text)
            ));
        }
        out.push_str("        </langSec>\n      </conceptEntry>\n");
    }
    out.push_str("    </body>\n  </text>\n</tbx>\n");
    out
}

/// CSV with the TSV's header and columns; lists `|`-separated as in the TSV.
pub fn to_csv(glossary: &Glossary) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let rows = std::iter::once(COLUMNS.map(str::to_string).to_vec())
        .chain(glossary.entries.iter().map(csv_row));
    for row in rows {
        // writing to memory cannot fail
        writer.write_record(&row).expect("CSV into memory");
    }
    String::from_utf8(writer.into_inner().expect("CSV into memory")).expect("CSV of UTF-8 text")
}

fn csv_row(entry: &Entry) -> Vec<String> {
    vec![
        entry.source.clone(),
        entry.target.clone(),
        entry.kind.as_str().to_string(),
        entry.variants.join("|"),
        entry.forbidden.join("|"),
        match entry.case {
            CaseMode::Insensitive => String::new(),
            other => case_name(other).to_string(),
        },
        entry.note.clone(),
    ]
}

/// A field of OmegaT's tab-separated format: no tab or line break may stand in it.
fn omegat_field(text: &str) -> String {
    text.split(['\t', '\n', '\r'])
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// OmegaT's glossary format: `source<TAB>target<TAB>comment`, no header, one line per
/// accepted rendering; the comment names the approved rendering, the forbidden ones and the
/// note, so that a translator sees in OmegaT what `selaras check` will say.
pub fn to_omegat(glossary: &Glossary) -> String {
    let mut out = String::new();
    for entry in &glossary.entries {
        let mut comment: Vec<String> = Vec::new();
        if !entry.forbidden.is_empty() {
            comment.push(format!("never: {}", entry.forbidden.join(", ")));
        }
        if entry.case == CaseMode::Sensitive {
            comment.push("case-sensitive".to_string());
        }
        if !entry.note.is_empty() {
            comment.push(entry.note.clone());
        }
        for (index, rendering) in entry.accepted().enumerate() {
            let mut line_comment = if index == 0 {
                vec!["approved".to_string()]
            } else {
                vec![format!("variant of {}", entry.target)]
            };
            line_comment.extend(comment.iter().cloned());
            out.push_str(&format!(
                "{}\t{}\t{}\n",
                omegat_field(&entry.source),
                omegat_field(rendering),
                omegat_field(&line_comment.join("; "))
            ));
        }
    }
    out
}
