//! The one integration-test binary: the library on real corpus text, and the `selaras` binary
//! as a user runs it. Shared helpers (the binary with a clean environment, the project builder,
//! schema validation) live in `support`; a new test file adds one `mod` line here.

mod align_cli;
mod align_eval;
mod align_gold;
mod bad_input;
mod cat_tools;
mod cli_check;
mod cli_config;
mod cli_format;
mod cli_segment;
mod cli_snapshots;
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
mod glossary_tools;
mod hostile;
mod llama_servers;
mod openai_negotiation;
mod pipeline_glossary;
mod qa_cli;
mod qa_eval;
mod review_import;
mod review_serve;
mod review_serve_browser;
mod segment_corpus;
mod segment_outlets;
mod segment_properties;
mod support;
mod translate_cli;
mod translate_pieces;
mod translate_providers;
mod translate_support;
