//! How a run ends, and the one place that turns it into an exit code.
//!
//! Commands return `Result<Outcome, anyhow::Error>`. Every stage error type says which
//! [`ErrorClass`] it is ([`Classified`]): something the user must fix first (flags, config,
//! glossary, an input file: exit 2) or a run that could not finish (a database or disk
//! failure mid-run, a held run lock: exit 3, a rerun resumes). An error no stage classified
//! (a bad flag, a message the CLI made itself) is the user's to fix. A panic exits with 101
//! through Rust's own handler and is always a bug. Must not print.

/// What a command that ran to the end found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Success,
    /// Findings: glossary violations remain, or differences were found.
    Findings,
    /// Some segments could not be translated after retries; a rerun resumes.
    Incomplete,
}

/// What kind of failure an error is; decides its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The user must fix something first: flags, config, glossary or an input file (exit 2).
    Input,
    /// The run could not finish: a database or disk failure, a held lock (exit 3).
    Incomplete,
}

/// An error type that knows its class.
pub trait Classified {
    fn class(&self) -> ErrorClass;
}

/// An I/O failure is the user's to fix when it names a path they gave (missing, not allowed,
/// not a folder, not text); anything else (a full disk, a failing device, an interrupted
/// write) means the run could not finish.
pub fn io_class(error: &std::io::Error) -> ErrorClass {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound
        | ErrorKind::PermissionDenied
        | ErrorKind::AlreadyExists
        | ErrorKind::InvalidInput
        | ErrorKind::InvalidData
        | ErrorKind::IsADirectory
        | ErrorKind::NotADirectory
        | ErrorKind::ReadOnlyFilesystem => ErrorClass::Input,
        _ => ErrorClass::Incomplete,
    }
}

/// The documented exit codes.
pub mod exit_code {
    pub const SUCCESS: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const INCOMPLETE: i32 = 3;
}

/// Maps the result of a command to the process exit code. `classify` gives the class of one
/// error of the chain when its type is known; the outermost classified error decides, and an
/// error nothing classifies is the user's to fix.
pub fn exit_code_for(
    result: &Result<Outcome, anyhow::Error>,
    classify: impl Fn(&(dyn std::error::Error + 'static)) -> Option<ErrorClass>,
) -> i32 {
    match result {
        Ok(Outcome::Success) => exit_code::SUCCESS,
        Ok(Outcome::Findings) => exit_code::FINDINGS,
        Ok(Outcome::Incomplete) => exit_code::INCOMPLETE,
        Err(error) => match error.chain().find_map(classify) {
            Some(ErrorClass::Incomplete) => exit_code::INCOMPLETE,
            Some(ErrorClass::Input) | None => exit_code::USAGE,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_documented_codes() {
        let none = |_: &(dyn std::error::Error + 'static)| None;
        assert_eq!(exit_code_for(&Ok(Outcome::Success), none), 0);
        assert_eq!(exit_code_for(&Ok(Outcome::Findings), none), 1);
        assert_eq!(exit_code_for(&Err(anyhow::anyhow!("bad flag")), none), 2);
        assert_eq!(exit_code_for(&Ok(Outcome::Incomplete), none), 3);
    }

    #[test]
    fn the_outermost_classified_error_decides() {
        let disk = std::io::Error::other("no space left on device");
        let error = anyhow::Error::new(disk).context("writing the exports");
        let io_errors = |cause: &(dyn std::error::Error + 'static)| {
            cause.downcast_ref::<std::io::Error>().map(io_class)
        };
        assert_eq!(exit_code_for(&Err(error), io_errors), 3);
        let unclassified = anyhow::anyhow!("--threshold: 2 is not between 0 and 1");
        assert_eq!(exit_code_for(&Err(unclassified), io_errors), 2);
        let missing = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(exit_code_for(&Err(missing), io_errors), 2);
    }
}
