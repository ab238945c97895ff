//! The command line: flags, commands, and everything selaras prints.
//!
//! Parses flags (clap), resolves settings (flags > `SELARAS_*` environment > `selaras.toml` >
//! defaults), runs one command, prints its errors as `error: …` / `caused by: …` lines with a
//! hint, and returns the exit code decided by [`crate::error::exit_code_for`]. The only module
//! that prints.

mod align;
mod check;
mod diff;
mod eval;
mod export;
mod glossary;
mod json_alias;
mod review;
mod segment;
mod show_config;
mod terms;
mod translate;

use crate::config::{self, Settings};
use crate::error::{ErrorClass, Outcome, exit_code, exit_code_for};
use crate::translate::providers::EndpointConfig;
use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit codes:
  0  success, nothing to report
  1  findings: glossary violations remain, or differences were found
  2  the user must fix something first: flags, config, glossary or input files
  3  incomplete: segments left untranslated, or the run could not finish (disk, database,
     another run holding the lock, Ctrl-C); a rerun resumes
  101  a bug (panic)";

/// Segment, translate, glossary-check and align Indonesian news into English.
#[derive(Debug, Parser)]
#[command(name = "selaras", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Configuration file (default: selaras.toml in this folder or the nearest parent)
    #[arg(long, global = true, env = "SELARAS_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Translate the sources: segment, take what the memory and cache have, send the rest to
    /// the endpoint, check and fix the glossary, write translations/ (records and exports)
    Translate(translate::TranslateArgs),
    /// Check translations against the glossary and the QA checks (exit 1 when a violation or an
    /// error-severity finding is found)
    Check(check::CheckArgs),
    /// Write the aligned records of a run as TSV, JSONL, TMX, XLIFF (2, or 1.2), Markdown, HTML
    /// and diffs
    Export(export::ExportArgs),
    /// Show what changed between two runs (default: the previous run and the current one)
    Diff(diff::DiffArgs),
    /// Review a run: `selaras review serve` (the workspace in the browser) or `selaras review
    /// import FILE` (a reviewer's edited TSV or XLIFF)
    Review(review::ReviewArgs),
    /// Work with glossary files
    Glossary(glossary::GlossaryArgs),
    /// Split sources into segments and print them (step 1 of the pipeline, for debugging)
    Segment(segment::SegmentArgs),
    /// Print the settings in force (selaras.toml, environment and defaults resolved; keys never shown)
    Config(show_config::ConfigArgs),
    /// Pair an Indonesian article with its existing English version, sentence by sentence
    Align(align::AlignArgs),
    /// Score a translation against a reference: BLEU, chrF, glossary term accuracy
    Eval(eval::EvalArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                exit_code::USAGE
            } else {
                exit_code::SUCCESS
            };
            // help and version go to stdout, usage errors to stderr
            let _ = error.print();
            return code;
        }
    };
    let result = run(cli);
    if let Err(error) = &result {
        print_error(error);
    }
    exit_code_for(&result, classify)
}

/// Parses the command line as clap does, and refuses `--json` with a conflicting `--format`.
fn parse() -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    let mut matches = command.try_get_matches_from_mut(std::env::args_os())?;
    json_alias::refuse_conflicts(&mut command, &matches)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|error| error.format(&mut command))
}

/// The class of one error of a chain, by its type: the one table of the stage error types.
fn classify(cause: &(dyn std::error::Error + 'static)) -> Option<ErrorClass> {
    use crate::error::Classified;
    macro_rules! by_type {
        ($($error:ty),* $(,)?) => {
            $(if let Some(error) = cause.downcast_ref::<$error>() {
                return Some(error.class());
            })*
        };
    }
    by_type!(
        crate::pipeline::PipelineError,
        crate::translate::TranslateError,
        crate::translate::memory::MemoryError,
        crate::export::ExportError,
        crate::record::RecordFileError,
        crate::diff::DiffError,
        crate::corpus::OutputError,
        crate::corpus::CorpusError,
        crate::review::import::ImportError,
        crate::review::store::StoreError,
    );
    cause
        .downcast_ref::<std::io::Error>()
        .map(crate::error::io_class)
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let settings = load_settings(cli.config.as_deref())?;
    match cli.command {
        Command::Segment(args) => segment::run(args, &settings),
        Command::Config(args) => show_config::run(args, &settings),
        Command::Check(args) => check::run(args, &settings),
        Command::Glossary(args) => glossary::run(args, &settings),
        Command::Export(args) => export::run(args, &settings),
        Command::Diff(args) => diff::run(args, &settings),
        Command::Review(args) => review::run(args, &settings),
        Command::Translate(args) => translate::run(args, &settings),
        Command::Align(args) => align::run(args, &settings),
        Command::Eval(args) => eval::run(args, &settings),
    }
}

fn load_settings(explicit: Option<&std::path::Path>) -> anyhow::Result<Settings> {
    let working_dir = std::env::current_dir().context("cannot read the current directory")?;
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => config::discover(&working_dir),
    };
    Ok(config::load(path.as_deref(), &working_dir)?)
}

/// Errors that are several independent problems (one per bad input file), printed one a line.
#[derive(Debug)]
pub struct ManyErrors(pub Vec<String>);

impl std::fmt::Display for ManyErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\nerror: "))
    }
}

impl std::error::Error for ManyErrors {}

/// Prints `error: …` and one `caused by: …` line per cause the message does not already
/// show (most errors put their cause into their own message: `PATH: cannot write: CAUSE`).
fn print_error(error: &anyhow::Error) {
    let stderr = std::io::stderr();
    let mut stderr = stderr.lock();
    let mut shown = error.to_string();
    let _ = writeln!(stderr, "error: {shown}");
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if shown.contains(&cause) {
            continue;
        }
        let _ = writeln!(stderr, "caused by: {cause}");
        shown.push('\n');
        shown.push_str(&cause);
    }
}

/// The endpoint a command uses: the one named by `--endpoint` (or `SELARAS_ENDPOINT`), else
/// the configured default; its name and configuration. An unknown name is an error listing
/// the defined ones.
pub(crate) fn resolve_endpoint(
    settings: &Settings,
    endpoint: Option<&str>,
) -> anyhow::Result<(String, EndpointConfig)> {
    let name = endpoint.map_or_else(|| settings.translate.endpoint.clone(), str::to_string);
    let config = settings
        .translate
        .endpoints
        .get(&name)
        .cloned()
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no endpoint named {name:?}; defined: {} (add [endpoints.{name}] to selaras.toml)",
                settings
                    .translate
                    .endpoints
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
    Ok((name, config))
}

/// Writes to stdout; a closed pipe (`selaras segment | head`) ends the output quietly.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(error).context("cannot write to standard output"),
    }
}
