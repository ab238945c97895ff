//! `selaras eval`: score a hypothesis translation against a reference — BLEU and chrF as
//! sacreBLEU computes them, glossary term accuracy and violations — per article and overall,
//! as a text table or one JSON object.

use super::json_alias::JsonAlias;
use super::terms::{check_terms, load_verifier};
use super::write_stdout;
use crate::config::Settings;
use crate::error::Outcome;
use crate::eval::input::read_segments;
use crate::eval::{Report, Scores, evaluate, join};
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The reviewed translation: a TMX memory, a JSON-lines file, or a folder of them
    #[arg(long, value_name = "TMX|JSONL|DIR")]
    reference: PathBuf,

    /// The translation to score: a JSON-lines file (id + target) or a folder of them
    #[arg(long, value_name = "JSONL|DIR")]
    hypothesis: PathBuf,

    /// How to print the scores
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    format: EvalFormat,

    #[command(flatten)]
    json_alias: JsonAlias,

    /// Glossary for term accuracy, TSV, CSV or TBX (default: the configured glossaries)
    #[arg(long, value_name = "FILE")]
    glossary: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EvalFormat {
    /// A table: one row per article, then overall, then the sacreBLEU signatures
    Text,
    /// One JSON object (indented): per article and overall scores, and the signatures
    Json,
}

pub fn run(args: EvalArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let reference = read_segments(&args.reference).context("cannot read the reference")?;
    let hypothesis = read_segments(&args.hypothesis).context("cannot read the hypothesis")?;
    let verifier = load_verifier(args.glossary.as_deref(), settings)?;
    let pairs = join(&reference, &hypothesis);
    if pairs.is_empty() {
        anyhow::bail!(
            "{}: no reference segment with a translation to score against",
            args.reference.display()
        );
    }
    let checker = |source: &str, hypothesis: &str| match &verifier {
        Some(verifier) => check_terms(verifier, source, hypothesis),
        None => (0, 0, 0),
    };
    let report = evaluate(&pairs, &checker);
    write_stdout(
        |out| match args.json_alias.resolve(args.format, EvalFormat::Json) {
            EvalFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            EvalFormat::Text => print_table(&report, out),
        },
    )?;
    if report.overall.missing > 0 {
        eprintln!(
            "warning: {} of {} reference segments have no translation in {} (scored as empty)",
            report.overall.missing,
            report.overall.segments,
            args.hypothesis.display()
        );
    }
    Ok(Outcome::Success)
}

fn print_table(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let width = report
        .articles
        .iter()
        .map(|article| article.article.chars().count())
        .max()
        .unwrap_or(0)
        .max("overall".len());
    writeln!(
        out,
        "{:<width$}  {:>8}  {:>7}  {:>6}  {:>6}  {:>9}  {:>8}  {:>10}",
        "article", "segments", "missing", "BLEU", "chrF", "terms", "accuracy", "violations"
    )?;
    let row = |out: &mut dyn Write, name: &str, scores: &Scores| {
        let accuracy = scores
            .term_accuracy
            .map_or_else(|| "-".to_string(), |value| format!("{:.1}%", value * 100.0));
        writeln!(
            out,
            "{:<width$}  {:>8}  {:>7}  {:>6.2}  {:>6.2}  {:>9}  {:>8}  {:>10}",
            name,
            scores.segments,
            scores.missing,
            scores.bleu,
            scores.chrf,
            format!("{}/{}", scores.terms_satisfied, scores.term_occurrences),
            accuracy,
            scores.violations
        )
    };
    for article in &report.articles {
        row(out, &article.article, &article.scores)?;
    }
    row(out, "overall", &report.overall)?;
    writeln!(
        out,
        "BLEU {} · chrF {} (sacreBLEU signatures)",
        report.bleu_signature, report.chrf_signature
    )
}
