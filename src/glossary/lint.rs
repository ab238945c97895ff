//! Glossary lint: the problems a glossary can have ([`LintIssue`]) and the per-entry and
//! cross-entry checks on a loaded glossary — duplicate or conflicting entries, a forbidden
//! rendering equal to an accepted one of the same entry (an error) or of another entry (a
//! warning: context decides), entries that can never match.
//!
//! Reading files is not its job (see [`super::load`]). Must not print.

use super::{CaseMode, Entry, Glossary};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in a glossary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintIssue {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is the whole file.
    pub line_number: usize,
    pub severity: Severity,
    pub message: String,
}

impl LintIssue {
    /// `PATH:LINE: MESSAGE` (or `PATH: MESSAGE` for the whole file), without the severity.
    pub fn located_message(&self) -> String {
        if self.line_number == 0 {
            format!("{}: {}", self.path.display(), self.message)
        } else {
            format!(
                "{}:{}: {}",
                self.path.display(),
                self.line_number,
                self.message
            )
        }
    }
}

impl std::fmt::Display for LintIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line_number == 0 {
            write!(f, "{}: {severity}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}: {severity}: {}",
                self.path.display(),
                self.line_number,
                self.message
            )
        }
    }
}

pub(super) fn issue(
    path: &Path,
    line_number: usize,
    severity: Severity,
    message: String,
) -> LintIssue {
    LintIssue {
        path: path.to_path_buf(),
        line_number,
        severity,
        message,
    }
}

/// Cross-entry and per-entry checks on a loaded glossary.
pub fn lint(glossary: &Glossary) -> Vec<LintIssue> {
    let mut issues = Vec::new();
    let mut seen: HashMap<String, &Entry> = HashMap::new();
    for entry in &glossary.entries {
        let at = |severity, message| {
            issue(
                &entry.origin.path,
                entry.origin.line_number,
                severity,
                message,
            )
        };
        if !entry.source.chars().any(char::is_alphanumeric) {
            issues.push(at(
                Severity::Error,
                format!(
                    "the source {:?} can never match: it has no letter or digit",
                    entry.source
                ),
            ));
        }
        if entry.source.contains(['\t', '\n', '\r']) {
            issues.push(at(
                Severity::Error,
                format!(
                    "the source {:?} can never match: segments never hold tabs or line breaks",
                    entry.source
                ),
            ));
        }
        if entry.case == CaseMode::Sensitive
            && entry
                .source
                .chars()
                .all(|c| !c.is_alphabetic() || c.is_lowercase())
            && entry.source.chars().count() <= 3
        {
            issues.push(at(Severity::Warning, format!("the case-sensitive source {:?} is short and lower-case: it will match ordinary words", entry.source)));
        }
        let key = entry_key(&entry.source, entry.case);
        if let Some(first) = seen.get(&key) {
            let same_rendering = fold(&first.target) == fold(&entry.target);
            if same_rendering {
                issues.push(at(
                    Severity::Warning,
                    format!(
                        "duplicate entry: {:?} is already defined at line {}",
                        entry.source, first.origin.line_number
                    ),
                ));
            } else {
                issues.push(at(
                    Severity::Error,
                    format!(
                        "conflicting entry: {:?} → {:?} here, but → {:?} at {}:{}",
                        entry.source,
                        entry.target,
                        first.target,
                        first.origin.path.display(),
                        first.origin.line_number
                    ),
                ));
            }
        } else {
            seen.insert(key, entry);
        }
        let compare = |text: &str| {
            if entry.case.target_is_exact() {
                text.to_string()
            } else {
                fold(text)
            }
        };
        for forbidden in &entry.forbidden {
            if entry
                .accepted()
                .any(|accepted| compare(accepted) == compare(forbidden))
            {
                issues.push(at(Severity::Error, format!("the forbidden rendering {forbidden:?} is also an accepted rendering of {:?}", entry.source)));
            }
        }
        let mut variants_seen = vec![compare(&entry.target)];
        for variant in &entry.variants {
            let key = compare(variant);
            if variants_seen.contains(&key) {
                issues.push(at(
                    Severity::Warning,
                    format!("the variant {variant:?} repeats an accepted rendering"),
                ));
            }
            variants_seen.push(key);
        }
    }
    issues.extend(forbidden_elsewhere_accepted(glossary));
    issues
}

/// One entry forbidding what another accepts: a sign that context decides (the Party's
/// "General Secretary" and the UN's "Secretary-General"), which the glossary must spell out
/// with longer entries instead of a rendering that is both right and wrong.
fn forbidden_elsewhere_accepted(glossary: &Glossary) -> Vec<LintIssue> {
    let mut accepted_by: HashMap<String, &Entry> = HashMap::new();
    for entry in &glossary.entries {
        for rendering in entry.accepted() {
            accepted_by.entry(fold(rendering)).or_insert(entry);
        }
    }
    let mut issues = Vec::new();
    for entry in &glossary.entries {
        for forbidden in &entry.forbidden {
            let Some(other) = accepted_by.get(&fold(forbidden)) else {
                continue;
            };
            // the same entry, or a second entry for the same term: reported above as errors
            if std::ptr::eq(*other, entry)
                || entry_key(&other.source, other.case) == entry_key(&entry.source, entry.case)
            {
                continue;
            }
            issues.push(issue(
                &entry.origin.path,
                entry.origin.line_number,
                Severity::Warning,
                format!(
                    "{:?} forbids {forbidden:?}, which {:?} accepts ({}:{}): context decides which is right, so give each context its own longer entry",
                    entry.source,
                    other.source,
                    other.origin.path.display(),
                    other.origin.line_number
                ),
            ));
        }
    }
    issues
}

/// The identity of a source term for duplicate detection.
fn entry_key(source: &str, case: CaseMode) -> String {
    let collapsed = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if case.source_is_exact() {
        collapsed
    } else {
        fold(&collapsed)
    }
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{EntryOrigin, TermKind};

    fn entry(source: &str, target: &str, file: &str, line_number: usize) -> Entry {
        Entry {
            source: source.to_string(),
            target: target.to_string(),
            kind: TermKind::Title,
            variants: Vec::new(),
            forbidden: Vec::new(),
            case: CaseMode::Insensitive,
            note: String::new(),
            origin: EntryOrigin {
                path: PathBuf::from(file),
                line_number,
            },
        }
    }

    #[test]
    fn one_entry_forbidding_what_another_accepts_is_a_warning() {
        let mut party = entry("Sekretaris Jenderal", "General Secretary", "g.tsv", 2);
        party.forbidden = vec!["Secretary-General".to_string()];
        let mut united_nations = entry("Sekjen PBB", "UN Secretary-General", "g.tsv", 3);
        united_nations.variants = vec!["secretary-general".to_string()];
        let glossary = Glossary {
            entries: vec![party, united_nations],
        };
        let found: Vec<String> = lint(&glossary).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "g.tsv:2: warning: \"Sekretaris Jenderal\" forbids \"Secretary-General\", which \"Sekjen PBB\" accepts (g.tsv:3): context decides which is right, so give each context its own longer entry"
            ]
        );
    }

    #[test]
    fn conflicts_across_files_name_both_places() {
        let glossary = Glossary {
            entries: vec![
                entry(
                    "Menteri Luar Negeri",
                    "Minister of Foreign Affairs",
                    "a.tsv",
                    2,
                ),
                entry("menteri  luar negeri", "Foreign Minister", "b.tsv", 5),
                entry(
                    "MENTERI LUAR NEGERI",
                    "minister of foreign  affairs",
                    "b.tsv",
                    6,
                ),
            ],
        };
        let found: Vec<String> = lint(&glossary).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "b.tsv:5: error: conflicting entry: \"menteri  luar negeri\" → \"Foreign Minister\" here, but → \"Minister of Foreign Affairs\" at a.tsv:2",
                "b.tsv:6: warning: duplicate entry: \"MENTERI LUAR NEGERI\" is already defined at line 2",
            ]
        );
    }
}
