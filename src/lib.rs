//! selaras: segment Indonesian news, translate it through a configurable engine, enforce a
//! glossary of official titles, and write aligned bilingual files for review.
//!
//! The pipeline, one stage per module, plain data between them:
//!
//! 1. [`corpus`] finds and reads the sources (checked UTF-8, no NUL, not empty);
//! 2. [`segment`] turns each into an [`model::Article`] of classified blocks and segments;
//! 3. [`glossary`] finds the terms of each segment (and, in protect mode, shields them);
//! 4. [`translate`] looks each translatable segment up in the approved memory and the cache,
//!    and sends the rest to an engine (DeepL, LibreTranslate, Google, an OpenAI-compatible
//!    server, a templated HTTP endpoint), committing every answer to SQLite as it arrives;
//! 5. [`glossary`] again verifies each translation and fixes what is safe to fix;
//! 6. [`align`] records each segment with its translation and verdicts
//!    ([`align::AlignedSegment`], JSON lines in `translations/<article>.jsonl`);
//! 7. [`export`] writes the records as TSV, JSONL, TMX, XLIFF, Markdown, HTML and diffs;
//!    [`diff`] compares two runs and keeps the previous one; [`review`] reads reviewers' edits
//!    back and measures post-editing.
//!
//! [`qa`] checks a translation beyond the glossary (numbers, dates, names, untranslated text,
//! omissions and additions, punctuation, consistency across a run); it is a library stage
//! that the pipeline, `check` and the records do not call yet.
//!
//! Beside the pipeline: [`bitext`] aligns an article with an existing English version
//! (`selaras align`), writing [`align::AlignedSegment`] records or [`tmx`] memory; [`eval`]
//! scores a translation against a reference with sacreBLEU's BLEU and chrF and glossary term
//! accuracy (`selaras eval`).
//!
//! [`pipeline`] is the only module that knows this order. [`config`] resolves `selaras.toml`;
//! [`error`] decides exit codes; [`cli`] is the only module that prints.

pub mod bitext;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod diff;
pub mod error;
pub mod eval;
pub mod export;
pub mod glossary;
pub mod model;
pub mod pipeline;
pub mod qa;
pub mod record;
pub mod review;
pub mod segment;
pub mod tmx;
pub mod translate;
