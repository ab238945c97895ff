//! How `selaras check` shows what it found: violations and QA findings with the segment and the
//! spans marked, for people. Only prints; decides nothing.

use super::input::Pair;
use crate::glossary::{Verdict, ViolationKind};
use crate::qa::Finding;
use std::io::Write;

/// Prints each QA finding with its source and target spans marked.
pub(super) fn print_findings(
    out: &mut dyn Write,
    pair: &Pair<'_>,
    findings: &[Finding],
) -> std::io::Result<()> {
    let target = pair.target.as_deref().unwrap_or_default();
    for finding in findings {
        writeln!(
            out,
            "{}: qa {}: {}: {}",
            pair.id,
            finding.severity.as_str(),
            finding.check.as_str(),
            finding.message
        )?;
        // a span that does not fit the text (a finding read from elsewhere) is not marked
        let fits = |text: &str, span: &crate::glossary::TextSpan| {
            span.start <= span.end && text.get(span.start..span.end).is_some()
        };
        if let Some(span) = finding.source_span.filter(|span| fits(&pair.source, span)) {
            write_marked(out, "source", &pair.source, span.start, span.end)?;
        }
        if let Some(span) = finding.target_span.filter(|span| fits(target, span)) {
            write_marked(out, "target", target, span.start, span.end)?;
        } else {
            writeln!(out, "  target: {}", excerpt(target, 0, 0).0)?;
        }
    }
    Ok(())
}

pub(super) fn print_text(
    out: &mut dyn Write,
    pair: &Pair<'_>,
    verdict: &Verdict,
) -> std::io::Result<()> {
    let target = pair.target.as_deref().unwrap_or_default();
    for (label, findings) in [
        ("violation", &verdict.violations),
        ("warning", &verdict.warnings),
    ] {
        for finding in findings.iter() {
            let what = match (&finding.found, finding.kind) {
                (Some(found), _) => format!("found {found:?}"),
                (None, ViolationKind::CountMismatch) => {
                    "it occurs more often in the source than its renderings in the target"
                        .to_string()
                }
                (None, _) => "no accepted rendering in the target".to_string(),
            };
            writeln!(
                out,
                "{}: {label}: {}: {:?} must be {:?}; {what}",
                pair.id,
                finding.kind.as_str(),
                finding.source_term,
                finding.expected
            )?;
            if let Some(span) = finding.source_span {
                write_marked(out, "source", &pair.source, span.start, span.end)?;
            }
            if let Some(span) = finding.target_span {
                write_marked(out, "target", target, span.start, span.end)?;
            } else {
                writeln!(out, "  target: {}", excerpt(target, 0, 0).0)?;
            }
        }
    }
    Ok(())
}

/// Prints a line of text around `[start, end)` and a caret line under the span.
fn write_marked(
    out: &mut dyn Write,
    label: &str,
    text: &str,
    start: usize,
    end: usize,
) -> std::io::Result<()> {
    let (shown, caret_start, caret_width) = excerpt(text, start, end);
    writeln!(out, "  {label}: {shown}")?;
    writeln!(
        out,
        "  {}  {}{}",
        " ".repeat(label.len()),
        " ".repeat(caret_start),
        "^".repeat(caret_width.max(1))
    )
}

/// A window of at most ~100 characters around the span, and the span's column and width in
/// characters within it.
fn excerpt(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    const CONTEXT: usize = 40;
    let before: Vec<char> = text[..start].chars().collect();
    let inside = text[start..end].chars().count();
    let after: Vec<char> = text[end..].chars().collect();
    let (prefix, cut_before) = if before.len() > CONTEXT {
        (
            before[before.len() - CONTEXT..].iter().collect::<String>(),
            true,
        )
    } else {
        (before.iter().collect(), false)
    };
    let (suffix, cut_after) = if after.len() > CONTEXT && start != end {
        (after[..CONTEXT].iter().collect::<String>(), true)
    } else if start == end && after.len() > 2 * CONTEXT + 20 {
        (after[..2 * CONTEXT + 20].iter().collect::<String>(), true)
    } else {
        (after.iter().collect(), false)
    };
    let lead = if cut_before { "…" } else { "" };
    let shown = format!(
        "{lead}{prefix}{}{suffix}{}",
        &text[start..end],
        if cut_after { "…" } else { "" }
    );
    (shown, lead.chars().count() + prefix.chars().count(), inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_the_span_in_characters() {
        let text = "Wakil “Vice Prime Minister” datang";
        let start = text.find("Vice").unwrap();
        let (shown, column, width) = excerpt(text, start, start + "Vice Prime Minister".len());
        assert_eq!(shown, text);
        assert_eq!((column, width), (7, 19));
        let long = format!("{}Vice Prime Minister{}", "a".repeat(60), "b".repeat(60));
        let (shown, column, width) = excerpt(&long, 60, 79);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(
            &shown.chars().skip(column).take(width).collect::<String>(),
            "Vice Prime Minister"
        );
    }
}
