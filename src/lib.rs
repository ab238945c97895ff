//! selaras: segment Indonesian news, translate it through a configurable engine, enforce a
//! glossary of official titles, and write aligned bilingual files for review.
//!
//! The pipeline, one stage per module, plain data between them:
//!
//! 1. [`corpus`] finds and reads the sources (checked UTF-8, no NUL, not empty);
//! 2. [`segment`] turns each into an [`model::Article`] of classified blocks and segments;
//! 3. [`translate`] looks each translatable segment up in the approved memory and the cache,
//!    and sends the rest to an engine (DeepL, LibreTranslate, Google, an OpenAI-compatible
//!    server, a templated HTTP endpoint), committing every answer to SQLite as it arrives;
//! 4. [`align`] makes one [`align::AlignedSegment`] per segment; the glossary check and the
//!    exporters plug in after it; `translations/<article>.jsonl` is written.
//!
//! [`pipeline`] is the only module that knows this order. [`config`] resolves `selaras.toml`;
//! [`error`] decides exit codes; [`cli`] is the only module that prints.

pub mod align;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod error;
pub mod glossary;
pub mod model;
pub mod pipeline;
pub mod segment;
pub mod translate;
