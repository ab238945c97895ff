//! selaras: segment Indonesian news, translate it through a configurable engine, enforce a
//! glossary of official titles, and write aligned bilingual files for review.
//!
//! The pipeline, one stage per module, plain data between them:
//!
//! 1. [`corpus`] finds and reads the sources (checked UTF-8, no NUL, not empty);
//! 2. [`segment`] turns each into an [`model::Article`] of classified blocks and segments;
//! 3. later stages (glossary, translate, align, export) take those segments on.
//!
//! Beside the pipeline: [`bitext`] aligns an article with an existing English version
//! (`selaras align`), writing [`align::AlignedSegment`] records or [`tmx`] memory; [`eval`]
//! scores a translation against a reference with sacreBLEU's BLEU and chrF and glossary term
//! accuracy (`selaras eval`).
//!
//! [`config`] resolves `selaras.toml`; [`error`] decides exit codes; [`cli`] is the only module
//! that prints.

pub mod align;
pub mod bitext;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod glossary;
pub mod model;
pub mod segment;
pub mod tmx;
