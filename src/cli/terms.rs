//! The glossary as `align` (anchor term pairs) and `eval` (term accuracy) need it: the full
//! glossary loader and matcher, from `--glossary FILE` or the configured glossaries.

use crate::config::Settings;
use crate::glossary::{Verifier, load_glossaries};
use std::path::{Path, PathBuf};

/// The glossary in force: the one named on the command line, or the configured ones; `None`
/// when there is none.
pub fn load_verifier(
    explicit: Option<&Path>,
    settings: &Settings,
) -> anyhow::Result<Option<Verifier>> {
    let files: Vec<PathBuf> = match explicit {
        Some(path) => vec![path.to_path_buf()],
        None => settings.glossary_files.clone(),
    };
    if files.is_empty() {
        return Ok(None);
    }
    let (glossary, _warnings) =
        load_glossaries(&files, &settings.source_lang, &settings.target_lang)?;
    Ok(Some(Verifier::new(glossary)))
}

/// (Indonesian term, English rendering) pairs for alignment anchors: every accepted rendering.
pub fn term_pairs(verifier: Option<&Verifier>) -> Vec<(String, String)> {
    verifier.map_or_else(Vec::new, |verifier| {
        verifier
            .glossary()
            .entries
            .iter()
            .flat_map(|entry| {
                entry
                    .accepted()
                    .map(|rendering| (entry.source.clone(), rendering.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

/// Term accuracy of one segment with the glossary matcher: (term occurrences in the source,
/// those whose accepted rendering is in the hypothesis, violations).
pub fn check_terms(verifier: &Verifier, source: &str, hypothesis: &str) -> (usize, usize, usize) {
    let verdict = verifier.verify(source, Some(hypothesis));
    let satisfied = verdict
        .matches
        .iter()
        .filter(|found| found.target_span.is_some())
        .count();
    (verdict.matches.len(), satisfied, verdict.violations.len())
}
