//! The filter bar of an article's HTML review page and the problem kinds each row carries in
//! `data-problems`, which the page's script (`review.js`) filters on. Must not render rows or
//! decide verdicts: it names what the records say.

use super::html::origin_label;
use crate::qa::Check;
use crate::record::{AlignedSegment, Origin};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// What makes a segment a problem, as the page's filter names it: `violations`, `warnings`,
/// `qa` and `qa-<check>` for each check with a finding, `untranslated`, `fixed`. Empty for a
/// segment that needs no attention (and for every non-translatable one).
pub(super) fn problem_kinds(record: &AlignedSegment) -> Vec<String> {
    let mut kinds = Vec::new();
    if !record.translatable {
        return kinds;
    }
    if record.target.is_none() {
        kinds.push("untranslated".to_string());
    }
    if !record.violations.is_empty() {
        kinds.push("violations".to_string());
    }
    if !record.warnings.is_empty() {
        kinds.push("warnings".to_string());
    }
    if !record.qa.is_empty() {
        kinds.push("qa".to_string());
        for check in Check::ALL {
            if record.qa.iter().any(|finding| finding.check == check) {
                kinds.push(format!("qa-{}", check.as_str()));
            }
        }
    }
    if record.origin == Origin::Fixed {
        kinds.push("fixed".to_string());
    }
    kinds
}

/// What the filter bar counts, summed over an article's records as they come.
#[derive(Debug, Clone, Default)]
pub(super) struct FilterCounts {
    /// Records with at least one problem kind.
    problems: usize,
    /// Records of each problem kind.
    kinds: HashMap<String, usize>,
    /// Records of each origin.
    origins: BTreeMap<Origin, usize>,
}

impl FilterCounts {
    pub(super) fn add(&mut self, records: &[AlignedSegment]) {
        for record in records {
            let kinds = problem_kinds(record);
            if !kinds.is_empty() {
                self.problems += 1;
            }
            for kind in kinds {
                *self.kinds.entry(kind).or_default() += 1;
            }
            *self.origins.entry(record.origin).or_default() += 1;
        }
    }
}

/// The filter bar: hidden in the file and shown by the script, so a reader without it sees no
/// controls that do nothing. Only kinds and origins that occur are offered, with their counts.
pub(super) fn filter_bar(out: &mut String, counts: &FilterCounts) {
    let count = |kind: &str| counts.kinds.get(kind).copied().unwrap_or_default();
    let problems = counts.problems;
    out.push_str(
        "<div class=\"toolbar\" id=\"filters\" role=\"search\" hidden>\
         <label>Show <select id=\"show\"><option value=\"\">all segments</option>",
    );
    let _ = write!(
        out,
        "<option value=\"problem\">problems ({problems})</option>"
    );
    let mut choices: Vec<(String, String)> = vec![
        ("violations".into(), "violations".into()),
        ("warnings".into(), "glossary warnings".into()),
        ("qa".into(), "QA findings".into()),
    ];
    for check in Check::ALL {
        let name = check.as_str();
        choices.push((format!("qa-{name}"), format!("QA: {name}")));
    }
    choices.push(("untranslated".into(), "untranslated".into()));
    choices.push(("fixed".into(), "fixed by the glossary".into()));
    for (value, label) in choices {
        let found = count(&value);
        if found > 0 {
            let _ = write!(out, "<option value=\"{value}\">{label} ({found})</option>");
        }
    }
    out.push_str(
        "</select></label><label>Origin <select id=\"origin\"><option value=\"\">any</option>",
    );
    for (&origin, &found) in &counts.origins {
        let _ = write!(
            out,
            "<option value=\"{}\">{} ({found})</option>",
            origin.as_str(),
            origin_label(origin)
        );
    }
    out.push_str(
        "</select></label>\
         <input type=\"search\" id=\"search\" placeholder=\"Search source or English  ( / )\" aria-label=\"Search source or English\">\
         <span class=\"jump\"><button type=\"button\" id=\"previous-problem\" title=\"previous problem (p)\">↑ prev<span class=\"long\">ious problem</span></button>\
         <button type=\"button\" id=\"next-problem\" title=\"next problem (n)\">↓ next<span class=\"long\"> problem</span></button></span>\
         <output id=\"shown\" aria-live=\"polite\"></output>\
         </div>\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Segment, SegmentId, SegmentKind, Span};
    use crate::qa::{Finding, Severity};

    fn record(translatable: bool) -> AlignedSegment {
        let segment = Segment {
            id: SegmentId::new("a", 1, 1),
            kind: SegmentKind::Paragraph,
            text: "naik 5 persen".to_string(),
            span: Span::new(0, 13),
            translatable,
        };
        AlignedSegment::untranslated(&segment)
    }

    #[test]
    fn problem_kinds_name_each_reason_and_each_qa_check() {
        assert_eq!(problem_kinds(&record(true)), ["untranslated"]);
        assert!(problem_kinds(&record(false)).is_empty());
        let mut fixed = record(true);
        fixed.target = Some("rose 50 percent".to_string());
        fixed.origin = Origin::Fixed;
        fixed.qa = vec![
            Finding::new(Check::Punctuation, Severity::Warning, "full stop"),
            Finding::new(Check::Number, Severity::Error, "5 became 50"),
        ];
        assert_eq!(
            problem_kinds(&fixed),
            ["qa", "qa-number", "qa-punctuation", "fixed"]
        );
        let mut out = String::new();
        let mut counts = FilterCounts::default();
        counts.add(&[fixed]);
        filter_bar(&mut out, &counts);
        assert!(
            out.contains("<option value=\"qa-number\">QA: number (1)</option>"),
            "{out}"
        );
        assert!(
            out.contains("<option value=\"fixed\">engine, fixed by glossary (1)</option>"),
            "{out}"
        );
        assert!(
            !out.contains("value=\"violations\""),
            "only kinds that occur: {out}"
        );
    }
}
