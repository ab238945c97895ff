//! The consistency check over a run that is never held whole: per distinct source (a hash of
//! its comparison key) the ledger keeps the hash of its first translation, whether another
//! one differed, and the articles holding it. Once the run is over, only the articles holding
//! a source translated more than one way are read back: once to collect those records
//! ([`ConsistencyLedger::suspects`], [`ConsistencyLedger::collect`]), and once more to be
//! given their findings ([`Collected::findings`], [`add_late_findings`]). The findings are
//! those [`crate::qa::run_consistency`] gives over the whole run at once (a test holds them
//! equal): same grouping (white space collapsed, curly quotes straight), same message, same
//! spans, same severity.
//!
//! Memory: about 70 bytes per distinct source, and 4 per further article holding it. Must not
//! read or write files.

use super::AlignedSegment;
use crate::model::SegmentId;
use crate::qa::consistency::comparison_hash;
use crate::qa::{Check, Finding, QaOptions, QaReport, Severity, has_errors};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug)]
struct Group {
    first_target: u128,
    /// Whether a record of this source has another translation than the first.
    differs: bool,
    /// The article numbers holding the source, in the order noted, each once in a row.
    first_article: u32,
    more_articles: Vec<u32>,
}

/// The summaries of a run's checked records, grouped by source.
#[derive(Debug, Default)]
pub struct ConsistencyLedger {
    groups: HashMap<u128, Group>,
}

/// The records of the inconsistent groups, collected from their articles: per group, its
/// members `(article number, id, target hash)`.
#[derive(Debug, Default)]
pub struct Collected {
    members: HashMap<u128, Vec<(u32, SegmentId, u128)>>,
}

/// A consistency finding waiting for its record: its message and severity (the spans come
/// from the record's own texts).
#[derive(Debug, Clone, PartialEq)]
pub struct LateFinding {
    pub id: SegmentId,
    message: String,
    severity: Severity,
}

/// The checked records of an article with their source and target hashes.
fn checked(records: &[AlignedSegment]) -> impl Iterator<Item = (&AlignedSegment, u128, u128)> {
    records.iter().filter_map(|record| {
        let (true, Some(target)) = (record.translatable, record.target.as_deref()) else {
            return None;
        };
        // an empty source is no group
        record.source.split_whitespace().next()?;
        Some((
            record,
            comparison_hash(&record.source),
            comparison_hash(target),
        ))
    })
}

impl ConsistencyLedger {
    /// Notes the checked records (translatable, with a translation) of the run's article
    /// number `article`.
    pub fn note(&mut self, article: u32, records: &[AlignedSegment]) {
        for (_, source, target) in checked(records) {
            match self.groups.entry(source) {
                std::collections::hash_map::Entry::Occupied(mut slot) => {
                    let group = slot.get_mut();
                    group.differs |= group.first_target != target;
                    let last = group.more_articles.last().unwrap_or(&group.first_article);
                    if *last != article {
                        group.more_articles.push(article);
                    }
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(Group {
                        first_target: target,
                        differs: false,
                        first_article: article,
                        more_articles: Vec::new(),
                    });
                }
            }
        }
    }

    /// The articles holding a record of an inconsistent group (none when the check is off),
    /// in order: the only ones to read back.
    pub fn suspects(&self, options: &QaOptions) -> BTreeSet<u32> {
        if !options.runs(Check::Consistency) {
            return BTreeSet::new();
        }
        self.groups
            .values()
            .filter(|group| group.differs)
            .flat_map(|group| {
                std::iter::once(group.first_article).chain(group.more_articles.iter().copied())
            })
            .collect()
    }

    /// Collects, from the records of a suspect article, those of inconsistent groups.
    pub fn collect(&self, article: u32, records: &[AlignedSegment], into: &mut Collected) {
        for (record, source, target) in checked(records) {
            if self.groups.get(&source).is_some_and(|group| group.differs) {
                into.members
                    .entry(source)
                    .or_default()
                    .push((article, record.id.clone(), target));
            }
        }
    }
}

impl Collected {
    /// The findings of the run, by article number.
    pub fn findings(mut self, options: &QaOptions) -> BTreeMap<u32, Vec<LateFinding>> {
        let mut by_article: BTreeMap<u32, Vec<LateFinding>> = BTreeMap::new();
        let severity = options.severity(Check::Consistency, Severity::Warning);
        for members in self.members.values_mut() {
            // run order: article, then document order
            members.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            let mut variants: Vec<u128> = members.iter().map(|member| member.2).collect();
            variants.sort_unstable();
            variants.dedup();
            let ids: Vec<String> = members.iter().map(|member| member.1.to_string()).collect();
            for (position, (article, id, _)) in members.iter().enumerate() {
                let others: Vec<&str> = ids
                    .iter()
                    .enumerate()
                    .filter(|&(other, _)| other != position)
                    .map(|(_, id)| id.as_str())
                    .collect();
                by_article.entry(*article).or_default().push(LateFinding {
                    id: id.clone(),
                    message: format!(
                        "the same source is translated {} ways in this run; see also {}",
                        variants.len(),
                        others.join(", ")
                    ),
                    severity,
                });
            }
        }
        by_article
    }
}

/// Gives each record of an article its consistency finding (after its own) and counts it in
/// `report`, as if it had been there when the record was counted.
pub fn add_late_findings(
    records: &mut [AlignedSegment],
    findings: &[LateFinding],
    report: &mut QaReport,
) {
    let by_id: HashMap<&SegmentId, &LateFinding> = findings
        .iter()
        .map(|finding| (&finding.id, finding))
        .collect();
    for record in records {
        let Some(late) = by_id.get(&record.id) else {
            continue;
        };
        let had_errors = has_errors(&record.qa);
        let finding = Finding::new(Check::Consistency, late.severity, late.message.clone())
            .with_source(0, record.source.len())
            .with_target(0, record.target.as_deref().unwrap_or_default().len());
        let count = report.by_check.entry(Check::Consistency).or_default();
        match late.severity {
            Severity::Error => {
                report.errors += 1;
                count.errors += 1;
                if !had_errors {
                    report.segments_with_errors += 1;
                }
            }
            Severity::Warning => {
                report.warnings += 1;
                count.warnings += 1;
            }
        }
        record.qa.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockKind, Segment, Span};
    use crate::qa::{Lexicon, QaContext};
    use crate::record::{ArticleRecords, Origin, apply_pair_qa, apply_qa};

    fn record(article: &str, block: usize, source: &str, target: Option<&str>) -> AlignedSegment {
        let mut record = AlignedSegment::untranslated(&Segment {
            id: SegmentId::new(article, block, 1),
            kind: BlockKind::Paragraph,
            text: source.to_string(),
            span: Span::new(0, source.len()),
            translatable: true,
        });
        record.target = target.map(str::to_string);
        record.origin = Origin::Engine;
        record
    }

    /// The ledger's findings, put into articles written one by one, are the whole-run check's.
    #[test]
    fn the_ledger_finds_what_the_whole_run_check_finds() {
        let articles = vec![
            ArticleRecords {
                stem: "b".to_string(),
                records: vec![
                    record("b", 1, "Tema “Membangun”.", Some("Themed “Building”.")),
                    record(
                        "b",
                        2,
                        "Namun, inovasi perlu.",
                        Some("However, reform is needed."),
                    ),
                    record("b", 3, "Lain.", Some("Other.")),
                ],
            },
            ArticleRecords {
                stem: "a".to_string(),
                records: vec![
                    record(
                        "a",
                        1,
                        "Namun,  inovasi perlu.",
                        Some("But innovation is needed."),
                    ),
                    record("a", 2, "Tema \"Membangun\".", Some("Themed  \"Building\".")),
                    record("a", 3, "Lain.", None),
                    record(
                        "a",
                        4,
                        "Namun, inovasi perlu.",
                        Some("However, reform is needed."),
                    ),
                ],
            },
            ArticleRecords {
                stem: "c".to_string(),
                records: vec![record("c", 7, "Lain.", Some("Another."))],
            },
        ];
        for severity in [None, Some(Severity::Error)] {
            let mut options = QaOptions::default();
            if let Some(severity) = severity {
                options
                    .severity_overrides
                    .push((Check::Consistency, severity));
            }
            let context = QaContext::new(None, Lexicon::default(), &options);
            let mut whole = articles.clone();
            let expected_report = apply_qa(&mut whole, &context, &options);

            let mut parts = articles.clone();
            let mut ledger = ConsistencyLedger::default();
            let mut report = QaReport::default();
            // written in another order than the run's: the ledger sorts by article number
            for number in [2u32, 0, 1] {
                let article = &mut parts[number as usize];
                apply_pair_qa(
                    std::slice::from_mut(article),
                    &context,
                    &options,
                    &mut report,
                );
                ledger.note(number, &article.records);
            }
            let suspects = ledger.suspects(&options);
            assert_eq!(suspects.into_iter().collect::<Vec<_>>(), [0, 1, 2]);
            let mut collected = Collected::default();
            for number in [0u32, 1, 2] {
                ledger.collect(number, &parts[number as usize].records, &mut collected);
            }
            for (number, findings) in collected.findings(&options) {
                add_late_findings(&mut parts[number as usize].records, &findings, &mut report);
            }
            assert_eq!(parts, whole);
            assert_eq!(report, expected_report);
            assert!(report.by_check.contains_key(&Check::Consistency));
        }
    }
}
