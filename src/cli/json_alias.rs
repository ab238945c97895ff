//! The hidden `--json` flag: the spelling of `--format json` from before every command had
//! `--format`, kept so that existing scripts keep working.
//!
//! Commands that once had `--json` flatten [`JsonAlias`] beside their `--format` and ask it for
//! the format in force; [`refuse_conflicts`] turns `--json` with any other `--format` into a
//! usage error (exit 2) right after parsing. It must not print or know any command's formats.

use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args};

/// The argument id of the hidden flag (the field name below).
const JSON_ID: &str = "json";
/// The argument id every command gives its output format.
const FORMAT_ID: &str = "format";
/// The `--format` value `--json` stands for.
const JSON_VALUE: &str = "json";

/// `--json`, hidden from `--help`: the same as `--format json`.
#[derive(Debug, Clone, Copy, Args)]
pub(super) struct JsonAlias {
    /// The same as `--format json` (kept for scripts written before `--format`)
    #[arg(long, hide = true)]
    json: bool,
}

impl JsonAlias {
    /// The format in force: `json_format` when `--json` was given, else the `--format` value
    /// (conflicts were refused at parse time, by [`refuse_conflicts`]).
    pub(super) fn resolve<Format>(self, format: Format, json_format: Format) -> Format {
        if self.json { json_format } else { format }
    }
}

/// Refuses `--json` together with a `--format` other than `json`, as clap refuses any
/// conflict: an error that prints the command's usage and exits with 2.
///
/// `command` must be the command `matches` were parsed with, so the error shows the usage of
/// the subcommand that was run.
pub(super) fn refuse_conflicts(
    command: &mut clap::Command,
    matches: &ArgMatches,
) -> Result<(), clap::Error> {
    let Some((name, arguments)) = matches.subcommand() else {
        return Ok(());
    };
    // commands without the alias (and nested subcommands such as `review import`) have no
    // `json` id at this level: nothing to check
    if !matches!(arguments.try_get_one::<bool>(JSON_ID), Ok(Some(true))) {
        return Ok(());
    }
    // `value_source` panics on an id the command does not define: ask it only once
    // `try_get_raw` has shown that `format` exists
    let Ok(Some(values)) = arguments.try_get_raw(FORMAT_ID) else {
        return Ok(());
    };
    // a default `--format` is no conflict: only a value the user typed is
    if arguments.value_source(FORMAT_ID) != Some(ValueSource::CommandLine) {
        return Ok(());
    }
    let Some(other) = values.into_iter().find(|value| *value != JSON_VALUE) else {
        return Ok(());
    };
    let message = format!(
        "--json means --format json; it cannot be used with --format {}",
        other.to_string_lossy()
    );
    Err(match command.find_subcommand_mut(name) {
        Some(subcommand) => subcommand.error(ErrorKind::ArgumentConflict, message),
        None => command.error(ErrorKind::ArgumentConflict, message),
    })
}
