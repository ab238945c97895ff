//! The one integration-test binary: the library on real corpus text, and the `selaras` binary
//! as a user runs it.

mod align_cli;
mod align_gold;
mod cli_segment;
mod eval_cli;
mod eval_sacrebleu;
mod segment_corpus;

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
