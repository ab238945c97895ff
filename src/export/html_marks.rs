//! The highlights of the HTML review page: which spans of a segment's source and target are
//! marked, and how. Each glossary term of a segment gets its own colour (in order of first
//! appearance, keyed by its approved rendering), the same on both sides, so a reader sees which
//! English term answers which Indonesian one; a forbidden or missing rendering is red but keeps
//! its term's number, and a QA finding's span is underlined.
//!
//! Must not decide verdicts: it draws the spans the record carries.

use super::clean_spans;
use super::html::escape_html;
use crate::record::AlignedSegment;
use std::fmt::Write as _;

/// How many term colours the stylesheet defines (`mark.t0` … `mark.t7`).
pub(super) const TERM_COLOURS: usize = 8;

/// What a mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// Glossary term number `n` of the segment (its colour is `n % TERM_COLOURS`).
    Term(usize),
    /// Glossary term `n` whose rendering is forbidden or missing.
    Bad(usize),
    /// A forbidden rendering that belongs to no term of the segment.
    BadAlone,
    /// The span of QA finding number `n` (an index into `record.qa`).
    Qa(usize),
}

/// The term number of each glossary match: matches with the same approved rendering share one,
/// numbered in order of first appearance.
fn term_numbers(record: &AlignedSegment) -> Vec<usize> {
    let mut seen: Vec<String> = Vec::new();
    record
        .matches
        .iter()
        .map(|term| {
            let key = term.expected.to_lowercase();
            match seen.iter().position(|other| *other == key) {
                Some(number) => number,
                None => {
                    seen.push(key);
                    seen.len() - 1
                }
            }
        })
        .collect()
}

/// The term number of the match at this source span, if any.
fn number_at(
    record: &AlignedSegment,
    numbers: &[usize],
    start: usize,
    end: usize,
) -> Option<usize> {
    record
        .matches
        .iter()
        .position(|term| term.source_span.start == start && term.source_span.end == end)
        .map(|index| numbers[index])
}

pub(super) fn source_marks(record: &AlignedSegment) -> Vec<(usize, usize, Mark)> {
    let numbers = term_numbers(record);
    let bad_source_spans: Vec<(usize, usize)> = record
        .violations
        .iter()
        .filter_map(|violation| violation.source_span.map(|span| (span.start, span.end)))
        .collect();
    let terms = record.matches.iter().zip(&numbers).map(|(term, &number)| {
        let span = (term.source_span.start, term.source_span.end);
        let mark = if bad_source_spans.contains(&span) {
            Mark::Bad(number)
        } else {
            Mark::Term(number)
        };
        (span.0, span.1, mark)
    });
    let findings = record.qa.iter().enumerate().filter_map(|(index, finding)| {
        finding
            .source_span
            .map(|span| (span.start, span.end, Mark::Qa(index)))
    });
    terms.chain(findings).collect()
}

pub(super) fn target_marks(record: &AlignedSegment) -> Vec<(usize, usize, Mark)> {
    let numbers = term_numbers(record);
    // Violations first: a forbidden rendering wins over a term span covering the same text.
    let violations = record.violations.iter().filter_map(|violation| {
        let span = violation.target_span?;
        let mark = violation
            .source_span
            .and_then(|source| number_at(record, &numbers, source.start, source.end))
            .map_or(Mark::BadAlone, Mark::Bad);
        Some((span.start, span.end, mark))
    });
    let terms = record
        .matches
        .iter()
        .zip(&numbers)
        .filter_map(|(term, &number)| {
            term.target_span
                .map(|span| (span.start, span.end, Mark::Term(number)))
        });
    let findings = record.qa.iter().enumerate().filter_map(|(index, finding)| {
        finding
            .target_span
            .map(|span| (span.start, span.end, Mark::Qa(index)))
    });
    violations.chain(terms).chain(findings).collect()
}

/// Escapes `text` and wraps the given spans in `<mark>`s. Term marks carry their number in
/// `data-term` and are focusable, so the page's script can outline the partner of the one
/// under the pointer or the keyboard focus; their `title` names the pair for readers without
/// the script.
pub(super) fn highlight(
    text: &str,
    marks: &[(usize, usize, Mark)],
    record: &AlignedSegment,
) -> String {
    let numbers = term_numbers(record);
    let title_of = |number: usize| {
        record
            .matches
            .iter()
            .zip(&numbers)
            .find(|(_, other)| **other == number)
            .map(|(term, _)| format!("{} → {}", term.source_term, term.expected))
            .unwrap_or_default()
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut position = 0;
    for (start, end, mark) in clean_spans(text, marks) {
        out.push_str(&escape_html(&text[position..start]));
        let inner = escape_html(&text[start..end]);
        match mark {
            Mark::Term(number) | Mark::Bad(number) => {
                let bad = if matches!(mark, Mark::Bad(_)) {
                    " bad"
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "<mark class=\"term t{}{bad}\" data-term=\"{number}\" tabindex=\"0\" title=\"{}\">{inner}</mark>",
                    number % TERM_COLOURS,
                    escape_html(&title_of(number))
                );
            }
            Mark::BadAlone => {
                let _ = write!(out, "<mark class=\"term bad\">{inner}</mark>");
            }
            Mark::Qa(index) => {
                let finding = &record.qa[index];
                let _ = write!(
                    out,
                    "<mark class=\"qa\" title=\"{}: {}\">{inner}</mark>",
                    finding.check.as_str(),
                    escape_html(&finding.message)
                );
            }
        }
        position = end;
    }
    out.push_str(&escape_html(&text[position..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{TermKind, TermMatch, TextSpan};
    use crate::model::{Segment, SegmentId, SegmentKind, Span};

    fn record(source: &str, target: &str) -> AlignedSegment {
        let segment = Segment {
            id: SegmentId::new("a", 1, 1),
            kind: SegmentKind::Paragraph,
            text: source.to_string(),
            span: Span {
                start: 0,
                end: source.len(),
            },
            translatable: true,
        };
        let mut record = AlignedSegment::untranslated(&segment);
        record.target = Some(target.to_string());
        record
    }

    fn term(record: &AlignedSegment, source: &str, expected: &str) -> TermMatch {
        let start = record.source.find(source).unwrap();
        let target = record.target.as_deref().unwrap();
        TermMatch {
            source_term: source.to_string(),
            expected: expected.to_string(),
            term_kind: TermKind::Title,
            source_span: TextSpan {
                start,
                end: start + source.len(),
            },
            target_span: target.find(expected).map(|at| TextSpan {
                start: at,
                end: at + expected.len(),
            }),
        }
    }

    #[test]
    fn a_term_and_its_rendering_share_a_colour_and_different_terms_do_not() {
        let mut pair = record(
            "Presiden dan Menlu <b>",
            "President and Foreign Minister <b>",
        );
        pair.matches = vec![
            term(&pair, "Presiden", "President"),
            term(&pair, "Menlu", "Foreign Minister"),
        ];
        let source = highlight(&pair.source, &source_marks(&pair), &pair);
        let target = highlight(pair.target.as_deref().unwrap(), &target_marks(&pair), &pair);
        assert!(source.starts_with("<mark class=\"term t0\" data-term=\"0\" tabindex=\"0\" title=\"Presiden → President\">Presiden</mark>"), "{source}");
        assert!(
            source.contains("<mark class=\"term t1\" data-term=\"1\""),
            "{source}"
        );
        assert!(source.ends_with(" &lt;b&gt;"), "{source}");
        assert!(
            target.starts_with("<mark class=\"term t0\" data-term=\"0\""),
            "{target}"
        );
        assert!(target.contains("<mark class=\"term t1\" data-term=\"1\" tabindex=\"0\" title=\"Menlu → Foreign Minister\">Foreign Minister</mark>"), "{target}");
    }

    #[test]
    fn a_qa_finding_span_is_marked_with_its_message() {
        let mut pair = record("naik 5 persen", "rose 50 percent");
        pair.qa = vec![
            crate::qa::Finding::new(
                crate::qa::Check::Number,
                crate::qa::Severity::Error,
                "5 became \"50\"",
            )
            .with_source(5, 6)
            .with_target(5, 7),
        ];
        let target = highlight(pair.target.as_deref().unwrap(), &target_marks(&pair), &pair);
        assert_eq!(
            target,
            "rose <mark class=\"qa\" title=\"number: 5 became &quot;50&quot;\">50</mark> percent"
        );
        let source = highlight(&pair.source, &source_marks(&pair), &pair);
        assert!(source.contains("<mark class=\"qa\""), "{source}");
    }
}
