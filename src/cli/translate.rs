//! `selaras translate`: run the pipeline through an endpoint and report what happened.
//!
//! Resolves the endpoint (`--endpoint` > `SELARAS_ENDPOINT` > `[translate] endpoint` >
//! `memory`), takes the project's run lock, runs the pipeline on a tokio runtime with Ctrl-C
//! wired to a [`Cancellation`], draws progress bars on stderr when it is a terminal, and prints
//! the summary (text on stderr, or with `--format json` one object on stdout) and the segments that
//! failed. Exit 0 when every translatable segment has a translation and no glossary violation
//! or QA error remains, 1 when one does, 3 when some segments have none (a rerun resumes; 3
//! wins over 1), 2 for usage, config and key errors.

use super::json_alias::JsonAlias;
use crate::config::Settings;
use crate::error::Outcome;
use crate::export::ExportContext;
use crate::glossary::{Verifier, load_glossaries};
use crate::pipeline::{self, DryRunReport, TranslateReport, TranslateRun};
use crate::translate::memory::{LanguagePair, SyncReport};
use crate::translate::{Cancellation, Reporter, StopReason, TranslateOptions};
use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;

#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// Source files or folders of .txt files (default: the configured source folder)
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// The endpoint to use, a name under [endpoints] in selaras.toml, or `memory`
    #[arg(long, env = "SELARAS_ENDPOINT", value_name = "NAME")]
    endpoint: Option<String>,

    /// Folder for the records (<article>.jsonl) and exports (default: the configured output folder)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Print how many segments, characters and requests the run would need; send nothing
    #[arg(long)]
    dry_run: bool,

    /// How to print the summary (of the run, or of the plan with --dry-run)
    #[arg(long, value_enum, default_value_t = TranslateFormat::Text)]
    format: TranslateFormat,

    #[command(flatten)]
    json_alias: JsonAlias,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing the file
    #[arg(long)]
    lossy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TranslateFormat {
    /// Lines for people, on stderr
    Text,
    /// One JSON object on stdout
    Json,
}

/// How many failed segments are listed before "and N more".
const LISTED_FAILURES: usize = 20;

pub fn run(args: TranslateArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let json = args.json_alias.resolve(args.format, TranslateFormat::Json) == TranslateFormat::Json;
    let (name, endpoint) = super::resolve_endpoint(settings, args.endpoint.as_deref())?;
    let pair = LanguagePair::new(&settings.source_lang, &settings.target_lang);
    let run = TranslateRun {
        paths: if args.paths.is_empty() {
            vec![settings.source_dir.clone()]
        } else {
            args.paths.clone()
        },
        lossy: args.lossy,
        segment: settings.segment_options(),
        memory_files: settings.translate.memory_files(),
        reviewed_memory: Some(settings.translate.reviewed_memory.clone()),
        database: settings.translate.database.clone(),
        translate: TranslateOptions::new(endpoint, pair),
        out_dir: args
            .out
            .clone()
            .unwrap_or_else(|| settings.output_dir.clone()),
        glossary: load_verifier(settings)?,
        glossary_mode: settings.glossary_mode,
        qa: settings.qa.clone(),
        export_formats: settings.export_formats.clone(),
        export_context: ExportContext::new(
            &settings.source_lang,
            &settings.target_lang,
            super::export::creation_time()?,
        )
        .with_tmx_term_markup(settings.tmx_term_markup),
        part_limits: part_limits()?,
    };

    let lock_folder = run
        .database
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .map_or_else(|| settings.root.join(".selaras"), PathBuf::from);
    let _lock = crate::corpus::acquire_run_lock(&lock_folder)?;

    if args.dry_run {
        let report = pipeline::dry_run(&run)?;
        warn_missing_memory(&report.memory, settings);
        print_dry_run(&report, &name, json)?;
        return Ok(Outcome::Success);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let cancellation = Cancellation::new();
    let reporter = BarReporter::new(std::io::stderr().is_terminal());
    let result = runtime.block_on(async {
        let interrupt = {
            let cancellation = cancellation.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    cancellation.cancel();
                }
            })
        };
        let result = pipeline::translate_run(&run, &reporter, &cancellation).await;
        interrupt.abort();
        result
    });
    reporter.finish();
    // do not wait for requests abandoned by Ctrl-C
    runtime.shutdown_background();
    let report = result?;
    warn_missing_memory(&report.memory, settings);
    report_run(&report, &name, json)
}

/// The internal `SELARAS_PART_LIMITS` knob (`SEGMENTS,BYTES`, for tests that cut small
/// articles into pieces), or the defaults; a malformed value is refused, never ignored.
fn part_limits() -> anyhow::Result<crate::record::PartLimits> {
    match std::env::var("SELARAS_PART_LIMITS") {
        Err(std::env::VarError::NotPresent) => Ok(Default::default()),
        Ok(limits) => crate::record::PartLimits::parse(&limits).ok_or_else(|| {
            anyhow!("SELARAS_PART_LIMITS: expected SEGMENTS,BYTES (two whole numbers above 0), got `{limits}`")
        }),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(anyhow!("SELARAS_PART_LIMITS: expected SEGMENTS,BYTES, got a value that is not UTF-8"))
        }
    }
}

fn warn_missing_memory(report: &SyncReport, settings: &Settings) {
    // the reviewed memory only exists once a review has been imported
    for path in report
        .missing
        .iter()
        .filter(|path| **path != settings.translate.reviewed_memory)
    {
        eprintln!(
            "warning: {}: no such translation memory (configured in [translate] memory); going on without it",
            path.display()
        );
    }
}

fn print_dry_run(report: &DryRunReport, endpoint: &str, json: bool) -> anyhow::Result<()> {
    let plan = &report.plan;
    if json {
        let mut value = serde_json::to_value(plan)?;
        value["endpoint"] = endpoint.into();
        value["dry_run"] = true.into();
        return super::write_stdout(|out| {
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)
        });
    }
    eprintln!(
        "dry run with endpoint `{endpoint}`: {} translatable segments ({} distinct texts)",
        plan.segments, plan.unique_texts
    );
    eprintln!(
        "  from memory: {}, from cache: {}, to send: {} segments",
        plan.from_memory, plan.from_cache, plan.to_send_segments
    );
    if plan.requests > 0 || endpoint != crate::config::MEMORY_ENDPOINT {
        eprintln!(
            "  would send {} texts, {} characters, in {} requests",
            plan.to_send_texts, plan.characters, plan.requests
        );
    } else {
        eprintln!("  the memory endpoint sends nothing; the rest would stay untranslated");
    }
    Ok(())
}

/// The glossary in force, checked before any request: a glossary with errors stops the run.
fn load_verifier(settings: &Settings) -> anyhow::Result<Option<Arc<Verifier>>> {
    if settings.glossary_files.is_empty() {
        return Ok(None);
    }
    let (glossary, _warnings) = load_glossaries(
        &settings.glossary_files,
        &settings.source_lang,
        &settings.target_lang,
    )?;
    Ok(Some(Arc::new(Verifier::new(glossary))))
}

fn report_run(report: &TranslateReport, endpoint: &str, json: bool) -> anyhow::Result<Outcome> {
    let summary = &report.summary;
    for notice in &report.notices {
        eprintln!("warning: {notice}");
    }
    if json {
        let mut value = serde_json::to_value(summary)?;
        value["endpoint"] = endpoint.into();
        value["violations"] = report.glossary.violations.into();
        value["segments_with_violations"] = report.glossary.segments_with_violations.into();
        value["glossary_warnings"] = report.glossary.warnings.into();
        value["fixed"] = report.glossary.fixed.into();
        value["qa"] = serde_json::to_value(&report.qa)?;
        value["failed_segments"] = report
            .failed
            .iter()
            .map(|(id, _)| serde_json::Value::from(id.to_string()))
            .collect();
        super::write_stdout(|out| {
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)
        })?;
    } else {
        eprintln!(
            "translated {} of {} segments with `{endpoint}` (memory {}, cache {}, engine {}); {} failed",
            summary.translated,
            summary.segments,
            summary.from_memory,
            summary.from_cache,
            summary.from_engine,
            summary.failed
        );
        eprintln!(
            "{} requests, {} retries, {} characters sent, {:.1} s; wrote {} files",
            summary.requests,
            summary.retries,
            summary.characters_sent,
            summary.wall_seconds,
            report.written
        );
        for line in engine_notes(summary, endpoint) {
            eprintln!("{line}");
        }
        eprintln!(
            "glossary: {} violation(s) left in {} segment(s), {} fixed, {} warning(s){}",
            report.glossary.violations,
            report.glossary.segments_with_violations,
            report.glossary.fixed,
            report.glossary.warnings,
            if report.glossary.violations > 0 {
                " (see the review pages, or run `selaras check`)"
            } else {
                ""
            }
        );
        let qa = &report.qa;
        eprintln!(
            "qa: {} error(s) in {} segment(s), {} warning(s){}",
            qa.errors,
            qa.segments_with_errors,
            qa.warnings,
            if qa.by_check.is_empty() {
                String::new()
            } else {
                format!(
                    " ({}){}",
                    qa.describe_checks(),
                    if qa.errors > 0 {
                        "; run `selaras check` to see them"
                    } else {
                        ""
                    }
                )
            }
        );
    }
    // after a refused key every segment failed for the same reason: the error says it once
    let listed = if matches!(
        summary.stopped,
        Some(
            StopReason::Auth(_)
                | StopReason::Redirected(_)
                | StopReason::FormatRefused(_)
                | StopReason::UnknownModel(_)
        )
    ) {
        0
    } else {
        LISTED_FAILURES
    };
    for (id, reason) in report.failed.iter().take(listed) {
        eprintln!("untranslated: {id}: {reason}");
    }
    if listed > 0 && report.failed.len() > listed {
        eprintln!("untranslated: … and {} more", report.failed.len() - listed);
    }
    match &summary.stopped {
        Some(StopReason::Auth(message)) => {
            return Err(anyhow!(
                "{message}\nhint: set the environment variable named by `api-key-env` of endpoint `{endpoint}` to a valid key"
            ));
        }
        Some(StopReason::Redirected(message)) => {
            return Err(anyhow!(
                "{message}\nhint: the answers received so far are saved; check `url` of endpoint `{endpoint}`"
            ));
        }
        Some(StopReason::FormatRefused(message)) => {
            return Err(anyhow!(
                "{message}\nhint: the answers received so far are saved; set `response-format = \"auto\"` for endpoint `{endpoint}` to let selaras find the form this server takes (or one of json-object-schema, json-object, none; see the README's local-LLM section)"
            ));
        }
        Some(StopReason::UnknownModel(message)) => {
            return Err(anyhow!(
                "{message}\nhint: set `model` of endpoint `{endpoint}` to a model the server serves (GET /v1/models on the server lists them)"
            ));
        }
        Some(StopReason::Loading(message)) => {
            eprintln!(
                "error: {message}\nhint: the answers received so far are saved; the server is up but still loading its model: wait until it is ready (or raise `max-retries`/`max-wait-secs`), then run the same command again to send only the rest"
            );
        }
        Some(StopReason::QuotaExhausted(message)) => {
            eprintln!(
                "error: {message}\nhint: the answers received so far are saved; rerun when the quota allows to translate the rest"
            );
        }
        Some(StopReason::Unavailable(message)) => {
            eprintln!(
                "error: {message}\nhint: the answers received so far are saved; check that the endpoint is up and its `url` is right, then run the same command again to send only the rest"
            );
        }
        Some(StopReason::Cancelled) => {
            eprintln!(
                "interrupted: the answers received so far are saved; run the same command again to resume"
            );
        }
        None => {}
    }
    if summary.failed > 0 {
        if summary.stopped.is_none()
            && summary.requests == 0
            && summary.from_engine == 0
            && endpoint == crate::config::MEMORY_ENDPOINT
        {
            eprintln!(
                "{} segments have no match in the translation memory; translate them with an engine (--endpoint NAME, see [endpoints] in selaras.toml)",
                summary.failed
            );
        } else if summary.stopped.is_none() {
            eprintln!(
                "{} segments have no translation; run the same command again to retry only those (answers already received are not sent again)",
                summary.failed
            );
        }
        Ok(Outcome::Incomplete)
    } else if report.glossary.violations > 0 || report.qa.errors > 0 {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Success)
    }
}

/// The summary lines about how the engine was spoken to: the response format an `openai`
/// endpoint used (when a request told anything about it) and a lowered `max-characters`.
fn engine_notes(summary: &crate::translate::Summary, endpoint: &str) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(format) = &summary.response_format
        && (format.confirmed || !format.refused.is_empty())
    {
        let mut notes = Vec::new();
        if !format.refused.is_empty() {
            let refused: Vec<&str> = format.refused.iter().map(|form| form.as_str()).collect();
            notes.push(format!("the server refused {}", refused.join(", ")));
        }
        if format.remembered {
            notes.push("remembered for the next runs".to_string());
        } else if format.resumed {
            notes.push("as remembered from an earlier run".to_string());
        }
        if format.setting != "auto" {
            notes.push("set by `response-format`".to_string());
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        lines.push(format!("response format: {}{notes}", format.used.as_str()));
    }
    if let Some(lowered) = summary.lowered_max_characters {
        lines.push(format!(
            "max-characters lowered to {lowered} for the rest of the run: the server refused a larger batch as too large (set `max-characters = {lowered}` for endpoint `{endpoint}` to start there)"
        ));
    }
    lines
}

/// Progress bars on stderr: one for the whole run (it grows as the run reads its parts), one
/// per article for up to a dozen articles.
struct BarReporter {
    enabled: bool,
    multi: MultiProgress,
    state: Mutex<BarState>,
}

#[derive(Default)]
struct BarState {
    total: Option<ProgressBar>,
    articles: HashMap<String, ProgressBar>,
    /// A part had more articles than get bars: no new article bar from then on.
    overall_only: bool,
}

impl BarState {
    /// A part of the run starts: the run's bar (made by the first part) grows by the part's
    /// segments, and so does the bar of an article that goes on from the previous part; a run
    /// shows article bars only while it has met at most [`ARTICLE_BARS`] articles.
    fn announce(&mut self, multi: &MultiProgress, articles: &[(String, usize)]) {
        if articles.is_empty() {
            // a part with nothing to translate: no bar of 0/0
            return;
        }
        let style = ProgressStyle::with_template(
            "{prefix:>24} [{bar:30}] {pos}/{len} segments {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let added: usize = articles.iter().map(|(_, count)| count).sum();
        let total = self.total.get_or_insert_with(|| {
            let bar = multi.add(ProgressBar::new(0));
            bar.set_style(style.clone());
            bar.set_prefix("all articles");
            bar
        });
        total.inc_length(added as u64);
        let new = articles
            .iter()
            .filter(|(article, _)| !self.articles.contains_key(article))
            .count();
        if self.articles.len() + new > ARTICLE_BARS {
            self.overall_only = true;
        }
        for (article, count) in articles {
            if let Some(bar) = self.articles.get(article) {
                bar.inc_length(*count as u64);
            } else if !self.overall_only {
                let bar = multi.add(ProgressBar::new(*count as u64));
                bar.set_style(style.clone());
                let shown: String = article.chars().take(24).collect();
                bar.set_prefix(shown);
                self.articles.insert(article.clone(), bar);
            }
        }
    }
}

/// More articles than this get only the overall bar.
const ARTICLE_BARS: usize = 12;

impl BarReporter {
    fn new(enabled: bool) -> Self {
        let multi = MultiProgress::with_draw_target(if enabled {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        });
        BarReporter {
            enabled,
            multi,
            state: Mutex::new(BarState::default()),
        }
    }

    /// The bars, when they are shown.
    fn bars(&self) -> Option<std::sync::MutexGuard<'_, BarState>> {
        self.enabled.then(|| {
            self.state
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
        })
    }
}

impl Reporter for BarReporter {
    fn start(&self, articles: &[(String, usize)]) {
        let Some(mut state) = self.bars() else {
            return;
        };
        state.announce(&self.multi, articles);
    }

    fn advance(&self, article: &str, count: usize) {
        let Some(state) = self.bars() else {
            return;
        };
        if let Some(bar) = &state.total {
            bar.inc(count as u64);
        }
        if let Some(bar) = state.articles.get(article) {
            bar.inc(count as u64);
        }
    }

    fn finish(&self) {
        let Some(state) = self.bars() else {
            return;
        };
        for bar in state.articles.values().chain(state.total.iter()) {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(bar: Option<&ProgressBar>) -> Option<u64> {
        bar.and_then(ProgressBar::length)
    }

    #[test]
    fn bars_grow_across_the_parts_of_a_run() {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let mut state = BarState::default();
        state.announce(&multi, &[("big".into(), 3)]);
        // the next part: the rest of `big`, and a new article; one bar for the run, grown
        state.announce(&multi, &[("big".into(), 2), ("small".into(), 4)]);
        assert_eq!(length(state.total.as_ref()), Some(9));
        assert_eq!(length(state.articles.get("big")), Some(5));
        assert_eq!(length(state.articles.get("small")), Some(4));
    }

    #[test]
    fn many_articles_get_the_overall_bar_only() {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let mut state = BarState::default();
        let part: Vec<(String, usize)> = (0..ARTICLE_BARS + 1)
            .map(|index| (format!("a{index}"), 2))
            .collect();
        state.announce(&multi, &part);
        state.announce(&multi, &[("late".into(), 1)]);
        assert!(state.articles.is_empty());
        assert_eq!(length(state.total.as_ref()), Some(2 * 13 + 1));
    }
}
