//! `selaras check`: verify translations against the glossary and the QA checks, for people or
//! machines.
//!
//! Reads a run's records (`translations/*.jsonl`, the default) or arbitrary `{"id","source",
//! "target"}` lines from any tool (`--pairs`), re-checks every translated segment against the
//! glossary in force and runs the QA checks (`[qa]`; the lexicon learnt from the approved
//! memory files, consistency over everything read), and prints the violations and findings
//! with the spans marked. Exit 1 when a violation or an error-severity finding is found, 0
//! otherwise, 2 on bad input.
//!
//! Streams: each segment is checked and its verdict written as soon as it is read, so memory
//! does not grow with the input. The consistency check needs the whole run, so when it runs the
//! input is read twice: a first pass keeps only hashes of the texts ([`qa::ConsistencyIndex`])
//! and the ids of the segments in inconsistent groups, the second checks and writes.

mod input;
mod print;

use crate::config::Settings;
use crate::error::Outcome;
use crate::glossary::verify::{Flagged, FlaggedVerdict};
use crate::glossary::{Glossary, Verdict, Verifier, Violation, load_glossaries};
use crate::qa::{self, ConsistencyIndex, ConsistencyPlan, Finding, QaContext, QaReport};
use crate::translate::memory::{self, LanguagePair};
use anyhow::Context;
use clap::{Args, ValueEnum};
use input::{Input, Pair};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

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

    /// The line of a violation as found, its texts borrowed from the glossary and the target.
    fn flagged(flagged: &Flagged, glossary: &'a Glossary, target: &'a str) -> Self {
        let entry = &glossary.entries[flagged.entry];
        ViolationLine {
            source_term: &entry.source,
            expected: &entry.target,
            kind: flagged.kind.as_str(),
            found: flagged.found(target),
        }
    }
}

/// Serialises a list of violations without collecting it first: violations with their texts,
/// or as found ([`Flagged`]) with the glossary and the target they were found in.
enum ViolationLines<'a> {
    Copied(&'a [Violation]),
    Flagged(&'a [Flagged], &'a Glossary, &'a str),
}

impl Serialize for ViolationLines<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            ViolationLines::Copied(list) => {
                serializer.collect_seq(list.iter().map(ViolationLine::new))
            }
            ViolationLines::Flagged(list, glossary, target) => serializer.collect_seq(
                list.iter()
                    .map(|flagged| ViolationLine::flagged(flagged, glossary, target)),
            ),
        }
    }
}

#[derive(Serialize)]
struct SegmentLine<'a> {
    id: &'a str,
    violations: ViolationLines<'a>,
    warnings: ViolationLines<'a>,
    qa: &'a [Finding],
}

/// What the run found so far, for the summary line and the exit code.
#[derive(Default)]
struct Totals {
    checked: usize,
    violations: usize,
    warnings: usize,
    segments_with_violations: usize,
    qa: QaReport,
}

const OUTPUT_ERROR: &str = "cannot write to standard output";

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The most input bytes one pass of the consistency check hashes the sources of (a pass over
/// 200 MB of distinct pairs held about 35 MB of hashes in table entries since halved).
const PARTITION_BYTES: u64 = 128 * 1024 * 1024;

/// The most repeated pairs whose findings are kept for reuse before the table is emptied.
const REPEAT_CACHE_LIMIT: usize = 4096;

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
    let consistency_runs = settings.qa.runs(qa::Check::Consistency);
    let input = match &args.pairs {
        Some(path) => Input::pairs(path, consistency_runs)?,
        None => {
            let paths = if args.paths.is_empty() {
                vec![settings.output_dir.clone()]
            } else {
                args.paths.clone()
            };
            Input::records(&paths)?
        }
    };
    // the first pass: hashes of every translated pair, then the ids of the inconsistent ones
    let plan = if consistency_runs {
        Some(consistency_plan(&input)?)
    } else {
        None
    };
    let context = qa_context(verifier, settings)?;
    let mut totals = Totals::default();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = check_stream(
        &input,
        &context,
        settings,
        plan.as_ref(),
        args.format,
        &mut out,
        &mut totals,
    )
    .and_then(|()| out.flush().context(OUTPUT_ERROR));
    drop(out);
    match written {
        // the reader went away (`| head`): nothing more to say to it
        Err(error) if is_broken_pipe(&error) => {}
        written => written?,
    }
    let by_check = if totals.qa.by_check.is_empty() {
        String::new()
    } else {
        format!(" ({})", totals.qa.describe_checks())
    };
    writeln!(
        std::io::stderr().lock(),
        "{} segment(s) checked: {} violation(s) in {} segment(s), {} warning(s); qa: {} error(s) in {} segment(s), {} warning(s){by_check}",
        totals.checked,
        totals.violations,
        totals.segments_with_violations,
        totals.warnings,
        totals.qa.errors,
        totals.qa.segments_with_errors,
        totals.qa.warnings,
    )
    .context("cannot write to standard error")?;
    // the glossary's automata and tables are freed by the process's exit: freeing them piece
    // by piece took 3% of a 10 MB run with a 10,000-term glossary
    std::mem::forget(context);
    Ok(if totals.violations > 0 || totals.qa.errors > 0 {
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
    Ok(QaContext::for_run_owning(
        Some(verifier),
        &approved,
        &settings.qa,
    ))
}

/// The consistency check's first pass over the input: hashes of every translated pair, then,
/// when a group is inconsistent, a second reading for the ids of its members.
///
/// The hashes of a pass take 45 to 90 bytes a distinct source: an input of more than
/// [`PARTITION_BYTES`] is hashed in several passes, each keeping one partition of the sources,
/// so that memory stays bounded whatever the input's size.
fn consistency_plan(input: &Input) -> anyhow::Result<ConsistencyPlan> {
    let partitions = input.size()? / PARTITION_BYTES + 1;
    let mut plan = ConsistencyPlan::default();
    for which in 0..partitions {
        let mut index = ConsistencyIndex::partition(which, partitions);
        input::for_each_text(input, |source, target| {
            if let Some(target) = target {
                index.add(source, target);
            }
            Ok(())
        })?;
        plan.merge(index.finish());
    }
    if plan.has_findings() {
        let mut member = 0u32;
        input.for_each(|pair| {
            if pair.target.is_some() {
                plan.set_id(member, &pair.id);
                member += 1;
            }
            Ok(())
        })?;
    }
    Ok(plan)
}

/// The streaming pass: verifies and QA-checks every translated pair and writes its verdict at
/// once. A pair whose source occurs more than once in the input (boilerplate, datelines, a
/// file concatenated from runs) keeps its findings in a bounded table, so an exact repeat is
/// QA-checked once.
fn check_stream(
    input: &Input,
    context: &QaContext,
    settings: &Settings,
    plan: Option<&ConsistencyPlan>,
    format: CheckFormat,
    out: &mut dyn Write,
    totals: &mut Totals,
) -> anyhow::Result<()> {
    let verifier = context.verifier();
    let qa_runs = !settings.qa.enabled.is_empty();
    let mut repeats: HashMap<(String, String), Vec<Finding>, qa::text::WordHashing> =
        HashMap::default();
    let mut member = 0u32;
    input.for_each(|pair| {
        let Some(target) = pair.target.as_deref() else {
            return Ok(());
        };
        // a repeated pair QA-checked before has its findings already
        let repeated = plan.is_some_and(|plan| plan.is_repeated(member));
        let known = (qa_runs && repeated)
            .then(|| repeats.get(&(pair.source.to_string(), target.to_string())))
            .flatten()
            .cloned();
        let qa_checks = qa_runs && known.is_none();
        // the QA checks use the matched terms; the violations are written from the glossary
        // and the target without copies
        let (verdict, flagged) = match verifier {
            Some(verifier) if qa_checks => {
                let (verdict, flagged) = verifier.verify_flagged(&pair.source, target);
                (verdict, Some((verifier, flagged)))
            }
            Some(verifier) => (
                Verdict::default(),
                Some((verifier, verifier.flag_violations(&pair.source, target))),
            ),
            None => (Verdict::default(), None),
        };
        let mut findings = match known {
            Some(known) => known,
            None if !qa_runs => Vec::new(),
            None => {
                let found = qa::check_pair_with_verdict(
                    &pair.source,
                    target,
                    Some(&verdict),
                    context,
                    &settings.qa,
                );
                if repeated {
                    if repeats.len() >= REPEAT_CACHE_LIMIT {
                        repeats.clear();
                    }
                    repeats.insert((pair.source.to_string(), target.to_string()), found.clone());
                }
                found
            }
        };
        if let Some(finding) = plan
            .and_then(|plan| plan.finding(member, pair.source.len(), target.len()))
            .filter(|finding| settings.qa.runs(finding.check))
        {
            let mut finding = finding;
            finding.severity = settings.qa.severity(finding.check, finding.severity);
            findings.push(finding);
        }
        member += 1;
        let (violations, warnings) = match &flagged {
            Some((verifier, flagged)) => {
                write_flagged(out, format, pair, verifier, flagged, &findings)
                    .context(OUTPUT_ERROR)?;
                (flagged.violations.len(), flagged.warnings.len())
            }
            None => {
                write_checked(out, format, pair, &verdict, &findings).context(OUTPUT_ERROR)?;
                (verdict.violations.len(), verdict.warnings.len())
            }
        };
        totals.checked += 1;
        totals.violations += violations;
        totals.warnings += warnings;
        totals.segments_with_violations += usize::from(violations > 0);
        totals.qa.add(&findings);
        Ok(())
    })
}

fn write_checked(
    out: &mut dyn Write,
    format: CheckFormat,
    pair: &Pair<'_>,
    verdict: &Verdict,
    findings: &[Finding],
) -> std::io::Result<()> {
    match format {
        CheckFormat::Jsonl => {
            let line = SegmentLine {
                id: &pair.id,
                violations: ViolationLines::Copied(&verdict.violations),
                warnings: ViolationLines::Copied(&verdict.warnings),
                qa: findings,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)
        }
        CheckFormat::Text => {
            print::print_text(out, pair, verdict)?;
            print::print_findings(out, pair, findings)
        }
    }
}

/// [`write_checked`] for a pair whose violations are as found.
fn write_flagged(
    out: &mut dyn Write,
    format: CheckFormat,
    pair: &Pair<'_>,
    verifier: &Verifier,
    flagged: &FlaggedVerdict,
    findings: &[Finding],
) -> std::io::Result<()> {
    let target = pair.target.as_deref().unwrap_or_default();
    match format {
        CheckFormat::Jsonl => {
            let glossary = verifier.glossary();
            let line = SegmentLine {
                id: &pair.id,
                violations: ViolationLines::Flagged(&flagged.violations, glossary, target),
                warnings: ViolationLines::Flagged(&flagged.warnings, glossary, target),
                qa: findings,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)
        }
        CheckFormat::Text => {
            let copied = |list: &[Flagged]| {
                list.iter()
                    .map(|flagged| verifier.violation(flagged, target))
                    .collect()
            };
            let verdict = Verdict {
                matches: Vec::new(),
                violations: copied(&flagged.violations),
                warnings: copied(&flagged.warnings),
            };
            print::print_text(out, pair, &verdict)?;
            print::print_findings(out, pair, findings)
        }
    }
}
