//! Stages 2 and 4: the glossary of official titles — loading and linting it, finding its terms
//! in Indonesian sources and their renderings in English targets, verifying, fixing and
//! protecting them, the policy that orders those steps in a run ([`enforce`]), and writing the
//! glossary out for other tools ([`write`]: TBX, CSV, OmegaT).
//!
//! The verdict types here ([`TermMatch`], [`Violation`]) are what every later stage records and
//! exports. The module never prints; findings are data.

pub mod enforce;
pub mod fix;
pub mod lint;
pub mod load;
pub mod matcher;
pub mod protect;
mod table;
mod tbx;
pub mod verify;
pub mod write;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub use enforce::{Candidate, EnforceReport, Enforced, Protection, Restored, enforce_segment};
pub use fix::FixOutcome;
pub use load::{
    GlossaryError, GlossaryFormat, LintIssue, Severity, lint, load_glossaries, load_glossary,
    parse_glossary_text,
};
pub use matcher::{SourceHit, SourceMatcher, TargetMatcher};
pub use protect::{PlaceholderError, Protected, protect, restore};
pub use verify::{Verdict, Verifier};
pub use write::{ExportFormat, export_glossary};

/// What a glossary entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    Title,
    Org,
    Person,
    Place,
    Event,
    Document,
    Other,
}

impl TermKind {
    pub fn parse(text: &str) -> Option<TermKind> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "title" => TermKind::Title,
            "org" => TermKind::Org,
            "person" => TermKind::Person,
            "place" => TermKind::Place,
            "event" => TermKind::Event,
            "document" => TermKind::Document,
            "other" | "" => TermKind::Other,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Title => "title",
            TermKind::Org => "org",
            TermKind::Person => "person",
            TermKind::Place => "place",
            TermKind::Event => "event",
            TermKind::Document => "document",
            TermKind::Other => "other",
        }
    }
}

/// How an entry treats letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    /// Case is ignored on both sides (the default).
    #[default]
    Insensitive,
    /// Both the Indonesian term and its English renderings must match case exactly (`AS`).
    Sensitive,
    /// The Indonesian term must match case exactly (`Presiden`, not `presiden`); English ignores it.
    Source,
}

impl CaseMode {
    pub fn parse(text: &str) -> Option<CaseMode> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "" | "insensitive" => CaseMode::Insensitive,
            "sensitive" => CaseMode::Sensitive,
            "source" => CaseMode::Source,
            _ => return None,
        })
    }

    pub fn source_is_exact(self) -> bool {
        matches!(self, CaseMode::Sensitive | CaseMode::Source)
    }

    pub fn target_is_exact(self) -> bool {
        self == CaseMode::Sensitive
    }
}

/// Where an entry was defined, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryOrigin {
    pub path: PathBuf,
    pub line_number: usize,
}

/// One glossary entry: an Indonesian term and the English it must become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub source: String,
    pub target: String,
    pub kind: TermKind,
    pub variants: Vec<String>,
    pub forbidden: Vec<String>,
    pub case: CaseMode,
    pub note: String,
    pub origin: EntryOrigin,
}

impl Entry {
    /// The approved rendering and the accepted variants.
    pub fn accepted(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.target.as_str()).chain(self.variants.iter().map(String::as_str))
    }
}

/// A loaded set of glossary entries, in file order.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub entries: Vec<Entry>,
}

/// A half-open byte range within a segment's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
}

/// A glossary term found in a source segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMatch {
    /// The entry's source term as written in the glossary.
    pub source_term: String,
    /// The approved English rendering.
    pub expected: String,
    pub term_kind: TermKind,
    /// Where the term stands in the source text.
    pub source_span: TextSpan,
    /// Where its rendering was found in the target, if it was.
    pub target_span: Option<TextSpan>,
}

/// What is wrong with a term in a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// The term is in the source; none of its accepted renderings is in the target.
    Missing,
    /// A rendering the glossary forbids for this term is in the target.
    ForbiddenVariant,
    /// Warning: the term occurs more often in the source than its renderings in the target.
    CountMismatch,
    /// Warning: a forbidden rendering is in the target although its term is not in the source.
    ForbiddenWithoutTerm,
    /// Warning (protect mode): a placeholder came back mangled or missing; the segment fell
    /// back to fixing.
    PlaceholderLost,
}

impl ViolationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::Missing => "missing",
            ViolationKind::ForbiddenVariant => "forbidden_variant",
            ViolationKind::CountMismatch => "count_mismatch",
            ViolationKind::ForbiddenWithoutTerm => "forbidden_without_term",
            ViolationKind::PlaceholderLost => "placeholder_lost",
        }
    }
}

/// One finding about one term of one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub source_term: String,
    pub expected: String,
    pub kind: ViolationKind,
    /// The offending text in the target (the forbidden rendering), when there is one.
    pub found: Option<String>,
    /// Where the offending text stands in the target.
    pub target_span: Option<TextSpan>,
    /// Where the term stands in the source.
    pub source_span: Option<TextSpan>,
    /// The entry's note for reviewers.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// How `translate` enforces the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GlossaryMode {
    /// Find and record violations only.
    Check,
    /// Also replace forbidden renderings with the approved one where that is safe (see
    /// [`fix`]).
    #[default]
    Fix,
    /// Shield terms from the engine with placeholders and restore the approved rendering.
    Protect,
}
