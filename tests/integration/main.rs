//! The one integration-test binary: the library on real corpus text, and the `selaras` binary
//! as a user runs it.

mod align_cli;
mod align_gold;
mod bad_input;
mod cli_check;
mod cli_config;
mod cli_segment;
mod diff_cli;
mod engine_faults;
mod eval_cli;
mod eval_sacrebleu;
mod export_cli;
mod export_fixtures;
mod export_formats;
mod export_html_browser;
mod export_injection;
mod export_review;
mod export_roundtrip_properties;
mod fuzz_regressions;
mod pipeline_glossary;
mod qa_eval;
mod segment_corpus;
mod segment_properties;
mod translate_cli;
mod translate_providers;
mod translate_support;

use std::path::PathBuf;

/// The project root (where `source_texts/` and `selaras.toml` live).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of one of the shipped source articles.
pub fn corpus_text(stem: &str) -> String {
    let path = project_root()
        .join("source_texts")
        .join(format!("{stem}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
