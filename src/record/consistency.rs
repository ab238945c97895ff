//! The consistency check over a run that is never held whole: each checked record leaves a
//! small summary (where it is, hashes of its source and target keys); once the run is over,
//! the groups of one source translated more than one way name the records to flag, and only
//! their articles are read back and given their findings. The findings are those
//! [`crate::qa::run_consistency`] gives over the whole run at once (a test holds them equal):
//! same grouping (white space collapsed, curly quotes straight), same message, same spans,
//! same severity.
//!
//! Memory: about 60 bytes per distinct source, 32 per repeat. Must not read or write files.

use super::AlignedSegment;
use crate::model::SegmentId;
use crate::qa::{Check, Finding, QaOptions, QaReport, Severity, has_errors};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

/// Where a checked record is: its article's number in the run, its block and sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Member {
    article: u32,
    block: u32,
    index: u32,
    target: u128,
}

#[derive(Debug)]
struct Group {
    first: Member,
    rest: Vec<Member>,
}

/// The summaries of a run's checked records, grouped by source.
#[derive(Debug, Default)]
pub struct ConsistencyLedger {
    groups: HashMap<u128, Group>,
}

/// A consistency finding waiting for its record: its message and severity (the spans come
/// from the record's own texts).
#[derive(Debug, Clone, PartialEq)]
pub struct LateFinding {
    pub id: SegmentId,
    message: String,
    severity: Severity,
}

/// The comparison key of a text, as the consistency check compares texts: words joined by
/// single spaces, quotes and apostrophes straight.
fn key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for character in word.chars() {
            key.push(match character {
                '“' | '”' | '„' => '"',
                '‘' | '’' => '\'',
                other => other,
            });
        }
    }
    key
}

/// 128 bits of a key: two independent 64-bit hashes (a collision would need both to collide).
fn key_hash(text: &str) -> u128 {
    let key = key(text);
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    (u128::from(hasher.hash_one((0u8, &key))) << 64) | u128::from(hasher.hash_one((1u8, &key)))
}

impl ConsistencyLedger {
    /// Notes the checked records (translatable, with a translation) of the run's article
    /// number `article`.
    pub fn note(&mut self, article: u32, records: &[AlignedSegment]) {
        for record in records {
            let (true, Some(target)) = (record.translatable, record.target.as_deref()) else {
                continue;
            };
            if record.source.split_whitespace().next().is_none() {
                continue;
            }
            let member = Member {
                article,
                block: record.id.block as u32,
                index: record.id.index as u32,
                target: key_hash(target),
            };
            match self.groups.entry(key_hash(&record.source)) {
                std::collections::hash_map::Entry::Occupied(mut group) => {
                    group.get_mut().rest.push(member);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(Group {
                        first: member,
                        rest: Vec::new(),
                    });
                }
            }
        }
    }

    /// The findings of the run, by article number (`stems` names the articles by number).
    pub fn findings(
        &self,
        stems: &[String],
        options: &QaOptions,
    ) -> BTreeMap<u32, Vec<LateFinding>> {
        let mut by_article: BTreeMap<u32, Vec<LateFinding>> = BTreeMap::new();
        if !options.runs(Check::Consistency) {
            return by_article;
        }
        let severity = options.severity(Check::Consistency, Severity::Warning);
        for group in self.groups.values() {
            if group
                .rest
                .iter()
                .all(|member| member.target == group.first.target)
            {
                continue;
            }
            let mut members: Vec<Member> = std::iter::once(group.first)
                .chain(group.rest.iter().copied())
                .collect();
            members.sort_unstable();
            let mut variants: Vec<u128> = members.iter().map(|member| member.target).collect();
            variants.sort_unstable();
            variants.dedup();
            let id = |member: &Member| {
                SegmentId::new(
                    stems[member.article as usize].clone(),
                    member.block as usize,
                    member.index as usize,
                )
            };
            let ids: Vec<String> = members
                .iter()
                .map(|member| id(member).to_string())
                .collect();
            for (position, member) in members.iter().enumerate() {
                let others: Vec<&str> = ids
                    .iter()
                    .enumerate()
                    .filter(|&(other, _)| other != position)
                    .map(|(_, id)| id.as_str())
                    .collect();
                by_article
                    .entry(member.article)
                    .or_default()
                    .push(LateFinding {
                        id: id(member),
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
            let stems: Vec<String> = articles.iter().map(|a| a.stem.clone()).collect();
            let late = ledger.findings(&stems, &options);
            assert_eq!(late.keys().copied().collect::<Vec<_>>(), [0, 1, 2]);
            for (number, findings) in late {
                add_late_findings(&mut parts[number as usize].records, &findings, &mut report);
            }
            assert_eq!(parts, whole);
            assert_eq!(report, expected_report);
            assert!(report.by_check.contains_key(&Check::Consistency));
        }
    }
}
