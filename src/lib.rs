//! selaras: segment Indonesian news, translate it through a configurable engine, enforce a
//! glossary of official titles, and write aligned bilingual files for review.
//!
//! The layout is a stack of levels; a module imports only from levels below its own (within a
//! level, only where no circle forms). `../shared/CONVENTIONS.md`, "Layout", is the reference.
//!
//! | level | modules | what they hold |
//! | --- | --- | --- |
//! | 0 | [`model`] | the shared vocabulary: articles, blocks, segments, ids, spans |
//! | 1 | [`corpus`], [`segment`], [`xml`], [`tmx`], [`glossary`] | reading sources and atomic writes, the run lock; text → segments; the one XML and TMX layer; glossary load, match, verify, fix, protect, enforce, write (TBX, CSV, OmegaT) |
//! | 2 | [`translate`], [`bitext`], [`qa`] | memory → cache → engines (plan, limiter, worker, one file per provider); `selaras align`'s sentence aligner; checks beyond the glossary, one module per check |
//! | 3 | [`record`] | the aligned record ([`record::AlignedSegment`], [`record::Origin`]), its JSONL files, record building and verdicts |
//! | 4 | [`export`], [`diff`], [`review`], [`eval`] | one file per format and the diff renderers; run-to-run diffs as data; review import; BLEU/chrF/term accuracy |
//! | 5 | [`pipeline`] | the order of the stages, nothing else |
//! | 6 | [`config`] | `selaras.toml` + `SELARAS_*` + flags → each stage's options |
//! | 7 | [`cli`] | clap, commands, progress bars, printing — the only module that prints |
//!
//! [`error`] gives every stage error a class and turns the outcome into the exit code.
//! Stages take their own options and plain data and return plain data and typed errors.

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
pub mod xml;
