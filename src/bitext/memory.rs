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

/// One TMX unit per link at or above `threshold` that pairs text on both sides.
pub fn memory_units(
    alignment: &ArticleAlignment,
    threshold: f64,
    languages: MemoryLanguages<'_>,
) -> Vec<TranslationUnit> {
    let mut units = Vec::new();
    for link in &alignment.links {
        if link.kind.is_null() || link.confidence < threshold {
            continue;
        }
        let source_ids = ArticleAlignment::ids(&link.source, &alignment.source);
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
                (
                    languages.source.to_string(),
                    ArticleAlignment::joined(&link.source, &alignment.source),
                ),
                (
                    languages.target.to_string(),
                    ArticleAlignment::joined(&link.target, &alignment.target),
                ),
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
    alignment
        .links
        .iter()
        .filter(|link| !link.kind.is_null() && link.confidence >= threshold)
        .count()
}
