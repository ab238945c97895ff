//! Confident links of an alignment as translation memory: TMX units (`x-origin` aligned,
//! the link shape and confidence as props), merged into an existing memory by segment id.
//! Must not read or write files.

use super::ArticleAlignment;
use crate::tmx::{self, TmxError, TranslationUnit};
use std::collections::HashSet;

/// An existing memory the links cannot be added to.
#[derive(Debug, thiserror::Error)]
pub enum MemoryMergeError {
    #[error("not a TMX file")]
    NotTmx(#[source] TmxError),
    #[error("the memory's source language is {found:?}, not {expected:?}")]
    SourceLanguage { found: String, expected: String },
}

/// The languages and tool version of the memory written.
#[derive(Debug, Clone, Copy)]
pub struct MemoryLanguages<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub creation_tool_version: &'a str,
}

/// A confident link left out of the memory: one of its sides holds a character XML 1.0
/// cannot carry (TMX has no way to keep it, and a replacement character would be a silent
/// change of approved memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unstorable {
    /// The link's first source segment id.
    pub id: String,
    /// `source` or `English`.
    pub side: &'static str,
    pub character: char,
}

/// The confident links (at or above `threshold`, text on both sides) with the texts they pair.
fn confident_links(
    alignment: &ArticleAlignment,
    threshold: f64,
) -> impl Iterator<Item = (&super::Link, String, String)> {
    alignment
        .links
        .iter()
        .filter(move |link| !link.kind.is_null() && link.confidence >= threshold)
        .map(|link| {
            (
                link,
                ArticleAlignment::joined(&link.source, &alignment.source),
                ArticleAlignment::joined(&link.target, &alignment.target),
            )
        })
}

fn unstorable(id: &str, source: &str, target: &str) -> Option<Unstorable> {
    let found = |side, text: &str| {
        crate::xml::first_forbidden(text).map(|character| Unstorable {
            id: id.to_string(),
            side,
            character,
        })
    };
    found("source", source).or_else(|| found("English", target))
}

/// The confident links [`memory_units`] leaves out, each with the character that keeps it out.
pub fn unstorable_links(alignment: &ArticleAlignment, threshold: f64) -> Vec<Unstorable> {
    confident_links(alignment, threshold)
        .filter_map(|(link, source, target)| {
            let ids = ArticleAlignment::ids(&link.source, &alignment.source);
            unstorable(&ids[0], &source, &target)
        })
        .collect()
}

/// One TMX unit per link at or above `threshold` that pairs text on both sides, except the
/// links whose text XML cannot carry ([`unstorable_links`]).
pub fn memory_units(
    alignment: &ArticleAlignment,
    threshold: f64,
    languages: MemoryLanguages<'_>,
) -> Vec<TranslationUnit> {
    let mut units = Vec::new();
    for (link, source_text, target_text) in confident_links(alignment, threshold) {
        let source_ids = ArticleAlignment::ids(&link.source, &alignment.source);
        if unstorable(&source_ids[0], &source_text, &target_text).is_some() {
            continue;
        }
        let mut props = vec![
            ("x-segment-id".to_string(), source_ids[0].clone()),
            ("x-origin".to_string(), "aligned".to_string()),
            (
                "x-alignment-link".to_string(),
                link.kind.as_str().to_string(),
            ),
            (
                "x-alignment-confidence".to_string(),
                format!("{:.4}", link.confidence),
            ),
        ];
        if source_ids.len() > 1 {
            props.push(("x-source-segment-ids".to_string(), source_ids.join(" ")));
        }
        units.push(TranslationUnit {
            id: Some(source_ids[0].clone()),
            props,
            variants: vec![
                (languages.source.to_string(), source_text),
                (languages.target.to_string(), target_text),
            ],
            ..TranslationUnit::default()
        });
    }
    units
}

/// The memory text after adding this alignment's confident links to `existing` (the text of
/// the memory file, when there is one): units with the same tuid are replaced.
pub fn add_to_memory(
    existing: Option<&str>,
    alignment: &ArticleAlignment,
    threshold: f64,
    languages: MemoryLanguages<'_>,
) -> Result<String, MemoryMergeError> {
    let mut units = match existing {
        Some(text) => {
            let memory = tmx::read(text).map_err(MemoryMergeError::NotTmx)?;
            if !memory
                .source_language
                .eq_ignore_ascii_case(languages.source)
                && memory.source_language != "*all*"
            {
                return Err(MemoryMergeError::SourceLanguage {
                    found: memory.source_language,
                    expected: languages.source.to_string(),
                });
            }
            memory.units
        }
        None => Vec::new(),
    };
    let new_units = memory_units(alignment, threshold, languages);
    let replaced: HashSet<&str> = new_units
        .iter()
        .filter_map(|unit| unit.id.as_deref())
        .collect();
    units.retain(|unit| !unit.id.as_deref().is_some_and(|id| replaced.contains(id)));
    units.extend(new_units);
    Ok(tmx::write(
        &units,
        &tmx::WriteOptions {
            source_language: languages.source,
            creation_tool_version: languages.creation_tool_version,
        },
    ))
}

/// How many links [`memory_units`] would add.
pub fn memory_link_count(alignment: &ArticleAlignment, threshold: f64) -> usize {
    confident_links(alignment, threshold).count() - unstorable_links(alignment, threshold).len()
}
