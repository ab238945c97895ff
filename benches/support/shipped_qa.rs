//! The shipped project's QA set-up (glossary, reviewed memory, the lexicon learnt from it, the
//! QA context), shared by the QA timing programs: `benches/qa.rs`, `examples/qa_pairs.rs` and
//! `tools/pair_analysis.rs`, each of which includes this file with `#[path]`. Each uses part of
//! it.
#![allow(dead_code)]

use selaras::glossary::{Verifier, load_glossary};
use selaras::qa::{Lexicon, QaContext, QaOptions};
use selaras::tmx::Memory;
use std::path::Path;

pub struct ShippedQa {
    /// `translations/memory.tmx`, the reviewed memory.
    pub memory: Memory,
    /// The shipped glossary's verifier.
    pub verifier: Verifier,
    /// The default QA options: every check.
    pub options: QaOptions,
    pub context: QaContext,
}

/// The set-up of the project at `CARGO_MANIFEST_DIR`; panics if its files do not read.
pub fn shipped_qa() -> ShippedQa {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (glossary, _) =
        load_glossary(&root.join("glossary/official-titles.tsv"), "id", "en").expect("glossary");
    let memory = selaras::tmx::read(
        &std::fs::read_to_string(root.join("translations/memory.tmx")).expect("memory"),
    )
    .expect("memory reads");
    let lexicon = Lexicon::from_memory(&memory, Some(&glossary));
    let verifier = Verifier::new(glossary.clone());
    let options = QaOptions::default();
    let context = QaContext::new(Some(Verifier::new(glossary)), lexicon, &options);
    ShippedQa {
        memory,
        verifier,
        options,
        context,
    }
}
