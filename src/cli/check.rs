//! `selaras check`: verify translations against the glossary and the QA checks, for people or
//! machines.
//!
//! Reads a run's records (`translations/*.jsonl`, the default) or arbitrary `{"id","source",
//! "target"}` lines from any tool (`--pairs`), re-checks every translated segment against the
//! glossary in force and runs the QA checks (`[qa]`; the lexicon learnt from the approved
//! memory files, consistency over everything read), and prints the violations and findings
//! with the spans marked. Exit 1 when a violation or an error-severity finding is found, 0
//! otherwise, 2 on bad input.

use crate::config::Settings;
use crate::error::Outcome;
use crate::glossary::{Verdict, Verifier, Violation, ViolationKind, load_glossaries};
use crate::qa::{self, ConsistencyItem, Finding, QaContext, QaReport};
use crate::record::read_jsonl;
use crate::translate::memory::{self, LanguagePair};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Translation records: .jsonl files or folders of them (default: the output folder)
    paths: Vec<PathBuf>,

    /// Check arbitrary pairs instead: a JSON-lines file of {"id", "source", "target"}
    #[arg(long, value_name = "FILE.jsonl", conflicts_with = "paths")]
    pairs: Option<PathBuf>,

    /// Glossary file to use instead of the configured ones (repeatable)
    #[arg(long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// Violations and QA findings with the segment and the spans marked
    Text,
    /// One JSON object per checked segment: {"id", "violations": [...], "warnings": [...],
    /// "qa": [...]}
    Jsonl,
}

/// One segment to check.
#[derive(Debug, Deserialize)]
struct Pair {
    id: String,
    source: String,
    target: Option<String>,
}

/// A translated pair with what the glossary and the QA checks found.
struct Checked {
    pair: Pair,
    verdict: Verdict,
    qa: Vec<Finding>,
}

#[derive(Serialize)]
struct ViolationLine<'a> {
    source_term: &'a str,
    expected: &'a str,
    kind: &'static str,
    found: Option<&'a str>,
}

impl<'a> ViolationLine<'a> {
    fn new(violation: &'a Violation) -> Self {
        ViolationLine {
            source_term: &violation.source_term,
            expected: &violation.expected,
            kind: violation.kind.as_str(),
            found: violation.found.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct SegmentLine<'a> {
    id: &'a str,
    violations: Vec<ViolationLine<'a>>,
    warnings: Vec<ViolationLine<'a>>,
    qa: &'a [Finding],
}

pub fn run(args: CheckArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let glossary_files = if args.glossaries.is_empty() {
        settings.glossary_files.clone()
    } else {
        args.glossaries.clone()
    };
    let (glossary, _warnings) = load_glossaries(
        &glossary_files,
        &settings.source_lang,
        &settings.target_lang,
    )?;
    let verifier = Verifier::new(glossary);
    let pairs = match &args.pairs {
        Some(path) => read_pairs(path)?,
        None => {
            let paths = if args.paths.is_empty() {
                vec![settings.output_dir.clone()]
            } else {
                args.paths.clone()
            };
            read_records(&paths)?
        }
    };
    let context = qa_context(verifier, settings)?;
    let checked = check_all(pairs, &context, settings);
    let violations: usize = checked
        .iter()
        .map(|item| item.verdict.violations.len())
        .sum();
    let warnings: usize = checked.iter().map(|item| item.verdict.warnings.len()).sum();
    let segments_with_violations = checked
        .iter()
        .filter(|item| !item.verdict.violations.is_empty())
        .count();
    let mut report = QaReport::default();
    for item in &checked {
        report.add(&item.qa);
    }
    super::write_stdout(|out| {
        for item in &checked {
            match args.format {
                CheckFormat::Jsonl => {
                    let line = SegmentLine {
                        id: &item.pair.id,
                        violations: item
                            .verdict
                            .violations
                            .iter()
                            .map(ViolationLine::new)
                            .collect(),
                        warnings: item
                            .verdict
                            .warnings
                            .iter()
                            .map(ViolationLine::new)
                            .collect(),
                        qa: &item.qa,
                    };
                    serde_json::to_writer(&mut *out, &line)?;
                    writeln!(out)?;
                }
                CheckFormat::Text => {
                    print_text(out, &item.pair, &item.verdict)?;
                    print_findings(out, &item.pair, &item.qa)?;
                }
            }
        }
        Ok(())
    })?;
    let by_check = if report.by_check.is_empty() {
        String::new()
    } else {
        format!(" ({})", report.describe_checks())
    };
    writeln!(
        std::io::stderr().lock(),
        "{} segment(s) checked: {violations} violation(s) in {segments_with_violations} segment(s), {warnings} warning(s); qa: {} error(s) in {} segment(s), {} warning(s){by_check}",
        checked.len(),
        report.errors,
        report.segments_with_errors,
        report.warnings,
    )
    .context("cannot write to standard error")?;
    Ok(if violations > 0 || report.errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

/// The QA context of the check: the glossary and a lexicon learnt from the approved memory
/// files in force (read only when a check runs).
fn qa_context(verifier: Verifier, settings: &Settings) -> anyhow::Result<QaContext> {
    let approved = if settings.qa.enabled.is_empty() {
        HashMap::new()
    } else {
        let pair = LanguagePair::new(&settings.source_lang, &settings.target_lang);
        memory::read_approved(&settings.translate.memory_files(), &pair)?
    };
    Ok(QaContext::for_run(Some(&verifier), &approved, &settings.qa))
}

/// Verifies and QA-checks every translated pair, then runs the consistency check over all.
/// A pair repeated in the input (same source and target: boilerplate, datelines, a file
/// concatenated from runs) is QA-checked once and its findings copied.
fn check_all(pairs: Vec<Pair>, context: &QaContext, settings: &Settings) -> Vec<Checked> {
    let verifier = context.verifier();
    let pairs: Vec<Pair> = pairs
        .into_iter()
        .filter(|pair| pair.target.is_some())
        .collect();
    // hashed with the QA word hasher: SipHash over every whole pair shows in the profile
    let mut first_of: HashMap<(&str, &str), usize, qa::text::WordHashing> =
        HashMap::with_capacity_and_hasher(pairs.len(), Default::default());
    let mut results: Vec<(Verdict, Vec<Finding>)> = Vec::with_capacity(pairs.len());
    for (index, pair) in pairs.iter().enumerate() {
        let target = pair.target.as_deref().unwrap_or_default();
        let verdict = verifier
            .map(|verifier| verifier.verify(&pair.source, Some(target)))
            .unwrap_or_default();
        let qa = if settings.qa.enabled.is_empty() {
            Vec::new()
        } else if let Some(&first) = first_of.get(&(pair.source.as_str(), target)) {
            results[first].1.clone()
        } else {
            first_of.insert((&pair.source, target), index);
            qa::check_pair_with_verdict(&pair.source, target, Some(&verdict), context, &settings.qa)
        };
        results.push((verdict, qa));
    }
    drop(first_of);
    let mut checked: Vec<Checked> = pairs
        .into_iter()
        .zip(results)
        .map(|(pair, (verdict, qa))| Checked { pair, verdict, qa })
        .collect();
    let items: Vec<ConsistencyItem<'_>> = checked
        .iter()
        .map(|item| ConsistencyItem {
            id: &item.pair.id,
            source: &item.pair.source,
            target: item.pair.target.as_deref().unwrap_or_default(),
        })
        .collect();
    let consistency = qa::run_consistency(&items, &settings.qa);
    drop(items);
    for (index, finding) in consistency {
        checked[index].qa.push(finding);
    }
    checked
}

/// Prints each QA finding with its source and target spans marked.
fn print_findings(out: &mut dyn Write, pair: &Pair, findings: &[Finding]) -> std::io::Result<()> {
    let target = pair.target.as_deref().unwrap_or_default();
    for finding in findings {
        writeln!(
            out,
            "{}: qa {}: {}: {}",
            pair.id,
            finding.severity.as_str(),
            finding.check.as_str(),
            finding.message
        )?;
        // a span that does not fit the text (a finding read from elsewhere) is not marked
        let fits = |text: &str, span: &crate::glossary::TextSpan| {
            span.start <= span.end && text.get(span.start..span.end).is_some()
        };
        if let Some(span) = finding.source_span.filter(|span| fits(&pair.source, span)) {
            write_marked(out, "source", &pair.source, span.start, span.end)?;
        }
        if let Some(span) = finding.target_span.filter(|span| fits(target, span)) {
            write_marked(out, "target", target, span.start, span.end)?;
        } else {
            writeln!(out, "  target: {}", excerpt(target, 0, 0).0)?;
        }
    }
    Ok(())
}

fn print_text(out: &mut dyn Write, pair: &Pair, verdict: &Verdict) -> std::io::Result<()> {
    let target = pair.target.as_deref().unwrap_or_default();
    for (label, findings) in [
        ("violation", &verdict.violations),
        ("warning", &verdict.warnings),
    ] {
        for finding in findings.iter() {
            let what = match (&finding.found, finding.kind) {
                (Some(found), _) => format!("found {found:?}"),
                (None, ViolationKind::CountMismatch) => {
                    "it occurs more often in the source than its renderings in the target"
                        .to_string()
                }
                (None, _) => "no accepted rendering in the target".to_string(),
            };
            writeln!(
                out,
                "{}: {label}: {}: {:?} must be {:?}; {what}",
                pair.id,
                finding.kind.as_str(),
                finding.source_term,
                finding.expected
            )?;
            if let Some(span) = finding.source_span {
                write_marked(out, "source", &pair.source, span.start, span.end)?;
            }
            if let Some(span) = finding.target_span {
                write_marked(out, "target", target, span.start, span.end)?;
            } else {
                writeln!(out, "  target: {}", excerpt(target, 0, 0).0)?;
            }
        }
    }
    Ok(())
}

/// Prints a line of text around `[start, end)` and a caret line under the span.
fn write_marked(
    out: &mut dyn Write,
    label: &str,
    text: &str,
    start: usize,
    end: usize,
) -> std::io::Result<()> {
    let (shown, caret_start, caret_width) = excerpt(text, start, end);
    writeln!(out, "  {label}: {shown}")?;
    writeln!(
        out,
        "  {}  {}{}",
        " ".repeat(label.len()),
        " ".repeat(caret_start),
        "^".repeat(caret_width.max(1))
    )
}

/// A window of at most ~100 characters around the span, and the span's column and width in
/// characters within it.
fn excerpt(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    const CONTEXT: usize = 40;
    let before: Vec<char> = text[..start].chars().collect();
    let inside = text[start..end].chars().count();
    let after: Vec<char> = text[end..].chars().collect();
    let (prefix, cut_before) = if before.len() > CONTEXT {
        (
            before[before.len() - CONTEXT..].iter().collect::<String>(),
            true,
        )
    } else {
        (before.iter().collect(), false)
    };
    let (suffix, cut_after) = if after.len() > CONTEXT && start != end {
        (after[..CONTEXT].iter().collect::<String>(), true)
    } else if start == end && after.len() > 2 * CONTEXT + 20 {
        (after[..2 * CONTEXT + 20].iter().collect::<String>(), true)
    } else {
        (after.iter().collect(), false)
    };
    let lead = if cut_before { "…" } else { "" };
    let shown = format!(
        "{lead}{prefix}{}{suffix}{}",
        &text[start..end],
        if cut_after { "…" } else { "" }
    );
    (shown, lead.chars().count() + prefix.chars().count(), inside)
}

fn read_pairs(path: &Path) -> anyhow::Result<Vec<Pair>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut pairs = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{}:{}: cannot read", path.display(), index + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let pair: Pair = serde_json::from_str(&line).with_context(|| {
            format!(
                "{}:{}: expected {{\"id\", \"source\", \"target\"}}",
                path.display(),
                index + 1
            )
        })?;
        pairs.push(pair);
    }
    Ok(pairs)
}

/// Reads translatable records from `.jsonl` files and folders of them (not `.previous/`).
fn read_records(paths: &[PathBuf]) -> anyhow::Result<Vec<Pair>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("{}: cannot list", path.display()))?
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|file| file.extension().is_some_and(|ext| ext == "jsonl"))
                .collect();
            found.sort();
            if found.is_empty() {
                bail!(
                    "{}: no translation records (.jsonl); run `selaras translate` first, or name files",
                    path.display()
                );
            }
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    let mut pairs = Vec::new();
    for file in files {
        let reader = std::io::BufReader::new(
            std::fs::File::open(&file)
                .with_context(|| format!("{}: cannot open", file.display()))?,
        );
        let records =
            read_jsonl(reader).map_err(|error| anyhow::anyhow!("{}:{error}", file.display()))?;
        pairs.extend(
            records
                .into_iter()
                .filter(|record| record.translatable)
                .map(|record| Pair {
                    id: record.id.to_string(),
                    source: record.source,
                    target: record.target,
                }),
        );
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_the_span_in_characters() {
        let text = "Wakil “Vice Prime Minister” datang";
        let start = text.find("Vice").unwrap();
        let (shown, column, width) = excerpt(text, start, start + "Vice Prime Minister".len());
        assert_eq!(shown, text);
        assert_eq!((column, width), (7, 19));
        let long = format!("{}Vice Prime Minister{}", "a".repeat(60), "b".repeat(60));
        let (shown, column, width) = excerpt(&long, 60, 79);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(
            &shown.chars().skip(column).take(width).collect::<String>(),
            "Vice Prime Minister"
        );
    }
}
