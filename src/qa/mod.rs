//! Stage 5b: quality checks beyond the glossary — numbers, dates, names, untranslated text,
//! omissions and additions, punctuation, and consistency across a run — for Indonesian →
//! English news.
//!
//! Each check is a pure function of (source, target, context) in its own module returning
//! [`Finding`]s; [`check_pair`] runs the per-pair ones, [`check_consistency`] the run-level
//! one. The [`QaContext`] carries what the checks know beyond one pair: the glossary (optional),
//! the [`Lexicon`] learnt from approved pairs, the table of names with an English form, and the
//! ignore lists. Must not import `translate`, `record`, `export`, `review`, `config`,
//! `pipeline` or `cli`, and never prints.

pub mod consistency;
pub mod date;
mod letters;
pub mod lexicon;
pub mod name;
pub mod number;
mod numerals;
pub mod omission;
pub mod punctuation;
pub mod text;
pub mod untranslated;
pub mod vocabulary;
mod word_table;

use crate::glossary::{TextSpan, Verdict, Verifier};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

pub use consistency::{ConsistencyIndex, ConsistencyItem, ConsistencyPlan, check_consistency};
pub use lexicon::Lexicon;
pub use name::NameTable;
pub use vocabulary::{Vocabulary, WordInfo};

/// The checks, by the name findings carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Number,
    Date,
    Name,
    Untranslated,
    Omission,
    Addition,
    Punctuation,
    Consistency,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Check; 8] = [
        Check::Number,
        Check::Date,
        Check::Name,
        Check::Untranslated,
        Check::Omission,
        Check::Addition,
        Check::Punctuation,
        Check::Consistency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Check::Number => "number",
            Check::Date => "date",
            Check::Name => "name",
            Check::Untranslated => "untranslated",
            Check::Omission => "omission",
            Check::Addition => "addition",
            Check::Punctuation => "punctuation",
            Check::Consistency => "consistency",
        }
    }

    /// The check named `text` (as in `selaras.toml` and the findings), if any.
    pub fn parse(text: &str) -> Option<Check> {
        Check::ALL
            .into_iter()
            .find(|check| check.as_str() == text.trim().to_ascii_lowercase())
    }
}

/// How much a finding matters: errors fail `check` and `translate`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing a check found wrong (or doubtful) in one pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// For people: what is wrong, quoting the text concerned.
    pub message: String,
    /// Where it is in the source, when it is about a part of it.
    #[serde(default)]
    pub source_span: Option<TextSpan>,
    /// Where it is in the target, when it is about a part of it.
    #[serde(default)]
    pub target_span: Option<TextSpan>,
}

impl Finding {
    /// A finding with no spans; see [`Finding::with_source`] and [`Finding::with_target`].
    pub fn new(check: Check, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            check,
            severity,
            message: message.into(),
            source_span: None,
            target_span: None,
        }
    }

    pub fn with_source(mut self, start: usize, end: usize) -> Finding {
        self.source_span = Some(TextSpan { start, end });
        self
    }

    pub fn with_target(mut self, start: usize, end: usize) -> Finding {
        self.target_span = Some(TextSpan { start, end });
        self
    }
}

/// Which checks run, at which severity, and what they leave alone. The config layer maps
/// `[qa]` of `selaras.toml` onto it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaOptions {
    /// The checks that run (all of them by default).
    pub enabled: Vec<Check>,
    /// Per check, a severity that replaces the check's own for every finding it makes.
    pub severity_overrides: Vec<(Check, Severity)>,
    /// Names the name check does not require in the target (compared folded: case and
    /// diacritics ignored).
    pub ignore_names: Vec<String>,
    /// Words the untranslated check accepts in an English target (loanwords, house terms).
    pub ignore_words: Vec<String>,
}

impl Default for QaOptions {
    fn default() -> QaOptions {
        QaOptions {
            enabled: Check::ALL.to_vec(),
            severity_overrides: Vec::new(),
            ignore_names: Vec::new(),
            ignore_words: Vec::new(),
        }
    }
}

impl QaOptions {
    pub fn runs(&self, check: Check) -> bool {
        self.enabled.contains(&check)
    }

    /// The severity a finding of `check` is reported at, given the check's own.
    pub fn severity(&self, check: Check, own: Severity) -> Severity {
        self.severity_overrides
            .iter()
            .rev()
            .find(|(overridden, _)| *overridden == check)
            .map_or(own, |(_, severity)| *severity)
    }
}

/// What the checks know beyond one pair. Build it once per run.
#[derive(Debug, Clone)]
pub struct QaContext {
    verifier: Option<Verifier>,
    lexicon: Lexicon,
    names: NameTable,
    vocabulary: Vocabulary,
    ignore_names: HashSet<String, text::WordHashing>,
    ignore_words: HashSet<String, text::WordHashing>,
}

impl QaContext {
    /// A context from the glossary (if the run has one), a lexicon learnt from approved pairs
    /// ([`Lexicon::from_memory`]; [`Lexicon::default`] when there is no memory) and the
    /// options' ignore lists.
    pub fn new(verifier: Option<Verifier>, lexicon: Lexicon, options: &QaOptions) -> QaContext {
        let names = NameTable::new(verifier.as_ref().map(Verifier::glossary));
        let ignore_words: HashSet<String, text::WordHashing> = options
            .ignore_words
            .iter()
            .map(|word| text::fold(word.trim()))
            .collect();
        let vocabulary = Vocabulary::new(
            &lexicon,
            names.first_words(),
            ignore_words.iter().map(String::as_str),
        );
        QaContext {
            verifier,
            lexicon,
            names,
            vocabulary,
            ignore_names: options
                .ignore_names
                .iter()
                .map(|name| text::fold_words(name))
                .collect(),
            ignore_words,
        }
    }

    /// The context of a run: the glossary in force and a lexicon learnt once from the
    /// approved memory in force (source → English), left empty when no check runs.
    pub fn for_run(
        verifier: Option<&Verifier>,
        approved: &std::collections::HashMap<String, String>,
        options: &QaOptions,
    ) -> QaContext {
        QaContext::for_run_owning(verifier.cloned(), approved, options)
    }

    /// [`QaContext::for_run`] taking the run's verifier instead of a copy of it (a large
    /// glossary's copy showed in the profile of `selaras check`).
    pub fn for_run_owning(
        verifier: Option<Verifier>,
        approved: &std::collections::HashMap<String, String>,
        options: &QaOptions,
    ) -> QaContext {
        let lexicon = if options.enabled.is_empty() {
            Lexicon::default()
        } else {
            Lexicon::from_approved(approved, verifier.as_ref().map(Verifier::glossary))
        };
        QaContext::new(verifier, lexicon, options)
    }

    pub fn verifier(&self) -> Option<&Verifier> {
        self.verifier.as_ref()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn names(&self) -> &NameTable {
        &self.names
    }

    /// What the checks know of every word: see [`Vocabulary`].
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Whether the name check leaves alone the name made of these folded words (joined only
    /// when the ignore list has names).
    pub fn ignores_name_words<S: AsRef<str>>(&self, words: &[S]) -> bool {
        if self.ignore_names.is_empty() {
            return false;
        }
        let joined: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        self.ignores_name(&joined.join(" "))
    }

    /// Whether the name check leaves this folded name (words joined by spaces) alone.
    pub fn ignores_name(&self, folded_name: &str) -> bool {
        self.ignore_names.contains(folded_name)
    }

    /// Whether the untranslated check accepts this folded word in a target.
    pub fn ignores_word(&self, folded_word: &str) -> bool {
        self.ignore_words.contains(folded_word)
    }
}

/// One pair, analysed once for every check.
pub struct Pair<'a> {
    pub source: text::Analysed<'a>,
    pub target: text::Analysed<'a>,
    /// The glossary's verdict on the pair, when the run has a glossary.
    pub verdict: Option<&'a Verdict>,
    /// What the vocabulary knows of each source token, in token order.
    pub source_words: Vec<WordInfo>,
    /// What the vocabulary knows of each target token, in token order.
    pub target_words: Vec<WordInfo>,
}

/// The buffers of one pair's analysis, kept per thread between pairs.
#[derive(Default)]
struct PairBuffers {
    folded: [String; 2],
    tokens: [Vec<text::Token>; 2],
    words: [Vec<WordInfo>; 2],
}

thread_local! {
    static PAIR_BUFFERS: std::cell::RefCell<PairBuffers> = std::cell::RefCell::default();
}

/// Buffers larger than this (a very long segment's) are not kept.
const BUFFER_KEPT: usize = 1 << 16;

impl<'a> Pair<'a> {
    /// Analyses both sides and looks every word up once (into buffers an earlier pair of the
    /// thread gave back).
    pub fn new(
        source: &'a str,
        target: &'a str,
        verdict: Option<&'a Verdict>,
        context: &QaContext,
    ) -> Pair<'a> {
        let buffers = PAIR_BUFFERS.with(|buffers| std::mem::take(&mut *buffers.borrow_mut()));
        let PairBuffers {
            folded: [source_folded, target_folded],
            tokens: [source_tokens, target_tokens],
            words: [mut source_words, mut target_words],
        } = buffers;
        let source = text::Analysed::with_buffers(source, source_folded, source_tokens);
        let target = text::Analysed::with_buffers(target, target_folded, target_tokens);
        let vocabulary = context.vocabulary();
        let lexicon = context.lexicon();
        vocabulary.lookup_all(
            lexicon,
            &source,
            vocabulary::Side::Source,
            &mut source_words,
        );
        vocabulary.lookup_all(
            lexicon,
            &target,
            vocabulary::Side::Target,
            &mut target_words,
        );
        Pair {
            source,
            target,
            verdict,
            source_words,
            target_words,
        }
    }
}

impl Drop for Pair<'_> {
    /// Gives the buffers back to the thread for its next pair.
    fn drop(&mut self) {
        if self.source.folded.capacity() + self.target.folded.capacity() > BUFFER_KEPT {
            return;
        }
        let buffers = PairBuffers {
            folded: [
                std::mem::take(&mut self.source.folded),
                std::mem::take(&mut self.target.folded),
            ],
            tokens: [
                std::mem::take(&mut self.source.tokens),
                std::mem::take(&mut self.target.tokens),
            ],
            words: [
                std::mem::take(&mut self.source_words),
                std::mem::take(&mut self.target_words),
            ],
        };
        // a thread being torn down keeps nothing
        let _ = PAIR_BUFFERS.try_with(|kept| *kept.borrow_mut() = buffers);
    }
}

/// Runs every enabled per-pair check (all but consistency) on one pair.
pub fn check_pair(
    source: &str,
    target: &str,
    context: &QaContext,
    options: &QaOptions,
) -> Vec<Finding> {
    let verdict = context
        .verifier()
        .map(|verifier| verifier.verify(source, Some(target)));
    check_pair_with_verdict(source, target, verdict.as_ref(), context, options)
}

/// [`check_pair`] reusing the glossary verdict the glossary stage already computed for this
/// pair (so the glossary is not matched twice); `None` when the run has no glossary.
pub fn check_pair_with_verdict(
    source: &str,
    target: &str,
    verdict: Option<&Verdict>,
    context: &QaContext,
    options: &QaOptions,
) -> Vec<Finding> {
    // consistency is the run's business: without a per-pair check there is nothing to find
    if options
        .enabled
        .iter()
        .all(|check| *check == Check::Consistency)
    {
        return Vec::new();
    }
    let pair = Pair::new(source, target, verdict, context);
    let mut findings = Vec::new();
    if options.runs(Check::Number) || options.runs(Check::Date) {
        let dates = date::DateMentions::find(&pair);
        if options.runs(Check::Date) {
            findings.extend(date::check(&pair, &dates));
        }
        if options.runs(Check::Number) {
            findings.extend(number::check(&pair, &dates));
        }
    }
    if options.runs(Check::Name) {
        findings.extend(name::check(&pair, context));
    }
    if options.runs(Check::Untranslated) {
        findings.extend(untranslated::check(&pair));
    }
    if options.runs(Check::Omission) || options.runs(Check::Addition) {
        findings.extend(
            omission::check(&pair, context)
                .into_iter()
                .filter(|finding| options.runs(finding.check)),
        );
    }
    if options.runs(Check::Punctuation) {
        findings.extend(punctuation::check(&pair));
    }
    for finding in &mut findings {
        finding.severity = options.severity(finding.check, finding.severity);
    }
    findings
}

/// Whether any finding is an error (the exit-code rule of `check` and `translate`).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|finding| finding.severity == Severity::Error)
}

/// [`check_consistency`] when the options run it, at the severity they give it: the run-level
/// findings as `(index into items, finding)`.
pub fn run_consistency(
    items: &[ConsistencyItem<'_>],
    options: &QaOptions,
) -> Vec<(usize, Finding)> {
    if !options.runs(Check::Consistency) {
        return Vec::new();
    }
    let mut findings = check_consistency(items);
    for (_, finding) in &mut findings {
        finding.severity = options.severity(finding.check, finding.severity);
    }
    findings
}

/// Errors and warnings of one check over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CheckCount {
    pub errors: usize,
    pub warnings: usize,
}

/// The QA findings of a run, counted: what `translate` and `check` summarise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QaReport {
    /// Pairs the checks ran on.
    pub checked: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Pairs with at least one error.
    pub segments_with_errors: usize,
    /// Per check that found something, in report order.
    pub by_check: BTreeMap<Check, CheckCount>,
}

impl QaReport {
    /// Counts the final findings of one checked pair.
    pub fn add(&mut self, findings: &[Finding]) {
        self.checked += 1;
        for finding in findings {
            let count = self.by_check.entry(finding.check).or_default();
            match finding.severity {
                Severity::Error => {
                    self.errors += 1;
                    count.errors += 1;
                }
                Severity::Warning => {
                    self.warnings += 1;
                    count.warnings += 1;
                }
            }
        }
        if has_errors(findings) {
            self.segments_with_errors += 1;
        }
    }

    /// `number 2 errors, date 1 warning`: the checks that found something, for a summary line.
    pub fn describe_checks(&self) -> String {
        let plural = |count: usize, word: &str| {
            format!("{count} {word}{}", if count == 1 { "" } else { "s" })
        };
        self.by_check
            .iter()
            .map(|(check, count)| {
                let parts: Vec<String> = [(count.errors, "error"), (count.warnings, "warning")]
                    .into_iter()
                    .filter(|(number, _)| *number > 0)
                    .map(|(number, word)| plural(number, word))
                    .collect();
                format!("{} {}", check.as_str(), parts.join(" "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_serialise_with_the_issue_field_names() {
        let finding = Finding::new(Check::Number, Severity::Error, "155 became 150")
            .with_source(1, 4)
            .with_target(2, 5);
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["check"], "number");
        assert_eq!(json["severity"], "error");
        assert_eq!(json["source_span"]["start"], 1);
        assert_eq!(json["target_span"]["end"], 5);
        let back: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(back, finding);
    }

    #[test]
    fn check_names_parse_back() {
        for check in Check::ALL {
            assert_eq!(Check::parse(check.as_str()), Some(check));
            assert_eq!(
                serde_json::to_value(check).unwrap(),
                serde_json::Value::from(check.as_str())
            );
        }
        assert_eq!(Check::parse("spelling"), None);
    }

    #[test]
    fn reports_count_by_severity_and_check() {
        let mut report = QaReport::default();
        report.add(&[
            Finding::new(Check::Number, Severity::Error, "a"),
            Finding::new(Check::Number, Severity::Error, "b"),
            Finding::new(Check::Date, Severity::Warning, "c"),
        ]);
        report.add(&[]);
        assert_eq!((report.checked, report.errors, report.warnings), (2, 2, 1));
        assert_eq!(report.segments_with_errors, 1);
        assert_eq!(report.describe_checks(), "number 2 errors, date 1 warning");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["by_check"]["number"]["errors"], 2);
    }

    #[test]
    fn run_consistency_follows_the_options() {
        let items = [
            ConsistencyItem {
                id: "a",
                source: "Sama.",
                target: "Same.",
            },
            ConsistencyItem {
                id: "b",
                source: "Sama.",
                target: "Alike.",
            },
        ];
        assert_eq!(run_consistency(&items, &QaOptions::default()).len(), 2);
        let strict = QaOptions {
            severity_overrides: vec![(Check::Consistency, Severity::Error)],
            ..QaOptions::default()
        };
        assert!(
            run_consistency(&items, &strict)
                .iter()
                .all(|(_, finding)| finding.severity == Severity::Error)
        );
        let off = QaOptions {
            enabled: vec![Check::Number],
            ..QaOptions::default()
        };
        assert!(run_consistency(&items, &off).is_empty());
    }

    #[test]
    fn options_disable_checks_and_override_severities() {
        let context = QaContext::new(None, Lexicon::default(), &QaOptions::default());
        let source = "Sebanyak 155 kepala negara hadir.";
        let target = "As many as 150 heads of state attended.";
        let all = check_pair(source, target, &context, &QaOptions::default());
        assert!(all.iter().any(|finding| finding.check == Check::Number));
        assert!(has_errors(&all));
        let softened = QaOptions {
            severity_overrides: vec![(Check::Number, Severity::Warning)],
            ..QaOptions::default()
        };
        let found = check_pair(source, target, &context, &softened);
        assert!(!has_errors(&found), "{found:?}");
        let without = QaOptions {
            enabled: vec![Check::Date],
            ..QaOptions::default()
        };
        assert!(check_pair(source, target, &context, &without).is_empty());
    }
}
