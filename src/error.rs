//! How a run ends, and the one place that turns it into an exit code.
//!
//! Commands return `Result<Outcome, anyhow::Error>`; errors are always the user's to fix
//! (bad flags, config, glossary or input) unless a stage says otherwise. A panic exits with 101
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

/// The documented exit codes.
pub mod exit_code {
    pub const SUCCESS: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const INCOMPLETE: i32 = 3;
}

/// Maps the result of a command to the process exit code.
pub fn exit_code_for(result: &Result<Outcome, anyhow::Error>) -> i32 {
    match result {
        Ok(Outcome::Success) => exit_code::SUCCESS,
        Ok(Outcome::Findings) => exit_code::FINDINGS,
        Ok(Outcome::Incomplete) => exit_code::INCOMPLETE,
        Err(_) => exit_code::USAGE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_documented_codes() {
        assert_eq!(exit_code_for(&Ok(Outcome::Success)), 0);
        assert_eq!(exit_code_for(&Ok(Outcome::Findings)), 1);
        assert_eq!(exit_code_for(&Err(anyhow::anyhow!("bad flag"))), 2);
        assert_eq!(exit_code_for(&Ok(Outcome::Incomplete)), 3);
    }
}
