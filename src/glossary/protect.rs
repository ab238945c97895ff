//! Protect mode: shield glossary terms from the engine and restore the approved English.
//!
//! Before sending, each term occurrence in the source is replaced by an XML placeholder
//! `<x id="N"/>` (DeepL keeps them with `tag_handling=xml` + `ignore_tags`; LibreTranslate in
//! html mode answers `<x id="N"></x>`; LLMs are told to keep them). After the answer, every
//! placeholder must come back exactly once; it is replaced by the approved rendering. A missing,
//! duplicated or unknown placeholder is an error the caller answers by falling back to fixing
//! an unprotected translation. Pure functions; never prints.

use super::Glossary;
use super::matcher::SourceHit;
use regex::Regex;
use std::sync::LazyLock;

/// A source text with its terms replaced by placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// The text to send.
    pub text: String,
    /// Placeholder number (1-based, in order) → the approved English it stands for.
    pub renderings: Vec<String>,
}

/// What went wrong with the placeholders in an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    #[error("placeholder {0} is missing from the translation")]
    Missing(usize),
    #[error("placeholder {0} appears more than once in the translation")]
    Duplicated(usize),
    #[error("the translation holds a placeholder {0} that was never sent")]
    Unknown(String),
}

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    // `<x id="3"/>`, `<x id='3' />`, `<x id="3"></x>`, and the case-mangled `<X ID="3"/>`
    Regex::new(r#"(?i)<\s*x\s+id\s*=\s*["']?([^"'\s/>]*)["']?\s*(?:/\s*>|>\s*<\s*/\s*x\s*>)"#)
        .expect("placeholder pattern is valid")
});

/// Replaces each term occurrence (`hits`, as found in `source`) by a numbered placeholder.
pub fn protect(source: &str, hits: &[SourceHit], glossary: &Glossary) -> Protected {
    let mut text = String::with_capacity(source.len());
    let mut renderings = Vec::with_capacity(hits.len());
    let mut position = 0;
    for hit in hits {
        text.push_str(&source[position..hit.start]);
        renderings.push(glossary.entries[hit.entry].target.clone());
        text.push_str(&format!("<x id=\"{}\"/>", renderings.len()));
        position = hit.end;
    }
    text.push_str(&source[position..]);
    Protected { text, renderings }
}

/// Puts the approved renderings back into an engine's answer.
pub fn restore(translated: &str, protected: &Protected) -> Result<String, PlaceholderError> {
    let mut seen = vec![false; protected.renderings.len()];
    let mut restored = String::with_capacity(translated.len() + 64);
    let mut position = 0;
    for found in PLACEHOLDER.captures_iter(translated) {
        let whole = found.get(0).expect("group 0 always exists");
        let id = &found[1];
        let number: usize = id
            .parse()
            .ok()
            .filter(|number| (1..=protected.renderings.len()).contains(number))
            .ok_or_else(|| PlaceholderError::Unknown(id.to_string()))?;
        if std::mem::replace(&mut seen[number - 1], true) {
            return Err(PlaceholderError::Duplicated(number));
        }
        restored.push_str(&translated[position..whole.start()]);
        let rendering = &protected.renderings[number - 1];
        if restored.trim_end().is_empty() || restored.trim_end().ends_with(['.', '!', '?']) {
            restored.push_str(&capitalize(rendering));
        } else {
            restored.push_str(rendering);
        }
        position = whole.end();
    }
    restored.push_str(&translated[position..]);
    if let Some(missing) = seen.iter().position(|seen| !seen) {
        return Err(PlaceholderError::Missing(missing + 1));
    }
    Ok(restored)
}

fn capitalize(text: &str) -> String {
    let mut characters = text.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{SourceMatcher, load_glossary};
    use std::path::Path;

    fn glossary() -> Glossary {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossary/official-titles.tsv");
        load_glossary(&path, "id", "en").unwrap().0
    }

    #[test]
    fn protect_then_restore_round_trips() {
        let glossary = glossary();
        let source = "Wakil Perdana Menteri sekaligus Menteri Luar Negeri Bui Thanh Son tiba.";
        let hits = SourceMatcher::new(&glossary).find(source);
        let protected = protect(source, &hits, &glossary);
        assert_eq!(
            protected.text,
            "<x id=\"1\"/> sekaligus <x id=\"2\"/> <x id=\"3\"/> tiba."
        );
        assert_eq!(
            protected.renderings,
            [
                "Deputy Prime Minister",
                "Minister of Foreign Affairs",
                "Bui Thanh Son"
            ]
        );
        // DeepL keeps the tags; LibreTranslate re-serialises them; order may change
        let answers = [
            "<x id=\"1\"/> and <x id=\"2\"/> <x id=\"3\"/> arrived.",
            "<x id=\"1\"></x> and <x id=\"2\"></x> <x id=\"3\"></x> arrived.",
            "<X ID='1' /> and <x id=\"2\"/> <x id=\"3\"/> arrived.",
        ];
        for answer in answers {
            assert_eq!(
                restore(answer, &protected).unwrap(),
                "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son arrived.",
                "{answer}"
            );
        }
    }

    #[test]
    fn mangled_placeholders_are_detected() {
        let protected = Protected {
            text: String::new(),
            renderings: vec!["Deputy Prime Minister".into(), "President".into()],
        };
        assert_eq!(
            restore("<x id=\"1\"/> spoke.", &protected),
            Err(PlaceholderError::Missing(2))
        );
        assert_eq!(
            restore("<x id=\"1\"/> <x id=\"1\"/> <x id=\"2\"/>", &protected),
            Err(PlaceholderError::Duplicated(1))
        );
        assert_eq!(
            restore("<x id=\"7\"/> <x id=\"1\"/>", &protected),
            Err(PlaceholderError::Unknown("7".into()))
        );
        assert_eq!(
            restore("<x id=\"one\"/>", &protected),
            Err(PlaceholderError::Unknown("one".into()))
        );
        assert_eq!(
            restore("the <x id=\"2\"/> met. <x id=\"1\"/> too.", &protected).unwrap(),
            "the President met. Deputy Prime Minister too."
        );
    }
}
