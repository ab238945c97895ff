//! Fuzz the glossary readers (TSV, CSV, TBX) and the matcher built from what they accept:
//! no input panics, every issue names a line inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selaras::glossary::{GlossaryFormat, Verifier, parse_glossary_text};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = match selector % 3 {
        0 => GlossaryFormat::Tsv,
        1 => GlossaryFormat::Csv,
        _ => GlossaryFormat::Tbx,
    };
    let (glossary, issues) = parse_glossary_text(text, format, Path::new("fuzz"), "id", "en");
    let lines = text.lines().count().max(1) + 1;
    for issue in &issues {
        assert!(issue.line_number <= lines, "{issue}");
    }
    let verifier = Verifier::new(glossary);
    let verdict = verifier.verify(text, Some(text));
    for found in verdict.matches {
        assert!(text.get(found.source_span.start..found.source_span.end).is_some());
    }
});
