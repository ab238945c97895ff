//! Renderers of a run-to-run diff ([`crate::diff::RunDiff`]): colored or plain terminal text,
//! a unified diff, an HTML page or JSON, into any writer. Whether to use color is the
//! caller's decision. Must not compute diffs, read files or print.

use super::html::{STYLESHEET, escape_html, render_diff_ops};
use super::unified::unified_text_diff;
use crate::diff::{ChangedSegment, DiffSummary, RunDiff};
use crate::model::SegmentId;
use crate::record::{DiffOp, DiffTag};
use std::io::{self, Write};

/// How to name the two runs in rendered output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLabels {
    pub old: String,
    pub new: String,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const DELETED: &str = "\x1b[9;31m";
const INSERTED: &str = "\x1b[4;32m";
const RESET: &str = "\x1b[0m";

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// A word diff inline: colored, or with wdiff's `[-…-]` and `{+…+}` markers.
    fn words(&self, ops: &[DiffOp]) -> String {
        let mut out = String::new();
        for op in ops {
            let text = flatten(&op.text);
            match (op.op, self.color) {
                (DiffTag::Equal, _) => out.push_str(&text),
                (DiffTag::Delete, true) => out.push_str(&self.paint(DELETED, &text)),
                (DiffTag::Insert, true) => out.push_str(&self.paint(INSERTED, &text)),
                (DiffTag::Delete, false) => out.push_str(&format!("[-{text}-]")),
                (DiffTag::Insert, false) => out.push_str(&format!("{{+{text}+}}")),
            }
        }
        out
    }
}

/// Keeps a segment on one terminal line: line breaks and tabs are shown as `\n`, `\t`.
fn flatten(text: &str) -> String {
    text.replace('\r', "\\r")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

fn summary_line(summary: &DiffSummary) -> String {
    format!(
        "{} changed, {} added, {} removed, {} unchanged",
        summary.changed, summary.added, summary.removed, summary.unchanged
    )
}

/// Terminal output: one block per changed, added or removed segment, and a summary line.
pub fn render_text(
    diff: &RunDiff,
    labels: &RunLabels,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let painter = Painter { color };
    writeln!(
        out,
        "{}",
        painter.paint(BOLD, &format!("--- {}", labels.old))
    )?;
    writeln!(
        out,
        "{}",
        painter.paint(BOLD, &format!("+++ {}", labels.new))
    )?;
    for change in &diff.changed {
        writeln!(out)?;
        let origins = origins_label(change);
        writeln!(
            out,
            "{} {} {}",
            painter.paint(YELLOW, "changed"),
            painter.paint(BOLD, &change.id.to_string()),
            painter.paint(DIM, &format!("({origins})"))
        )?;
        if !change.source_words.is_empty() {
            writeln!(out, "  source: {}", painter.words(&change.source_words))?;
        }
        match (&change.old_target, &change.new_target) {
            (None, Some(new)) => writeln!(
                out,
                "  {}",
                painter.paint(GREEN, &format!("+ {}", flatten(new)))
            )?,
            (Some(old), None) => writeln!(
                out,
                "  {}",
                painter.paint(RED, &format!("- {}", flatten(old)))
            )?,
            _ => writeln!(out, "  {}", painter.words(&change.words))?,
        }
        if change.old_violations != change.new_violations {
            writeln!(
                out,
                "  {}",
                painter.paint(
                    DIM,
                    &format!(
                        "glossary violations: {} → {}",
                        change.old_violations, change.new_violations
                    )
                )
            )?;
        }
    }
    for (word, style, sign, snapshots) in [
        ("added", GREEN, '+', &diff.added),
        ("removed", RED, '-', &diff.removed),
    ] {
        for snapshot in snapshots {
            writeln!(out)?;
            writeln!(
                out,
                "{} {}",
                painter.paint(style, word),
                painter.paint(BOLD, &snapshot.id.to_string())
            )?;
            let text = snapshot.target.as_deref().unwrap_or("(untranslated)");
            writeln!(
                out,
                "  {}",
                painter.paint(style, &format!("{sign} {}", flatten(text)))
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", summary_line(&diff.summary))?;
    Ok(())
}

/// A unified diff, one file header pair per segment (`a/<id>`, `b/<id>`; `/dev/null` for
/// added and removed segments), readable by any diff viewer.
pub fn render_unified(diff: &RunDiff, out: &mut dyn Write) -> io::Result<()> {
    let mut entries: Vec<(&SegmentId, String)> = Vec::new();
    for change in &diff.changed {
        let old = change.old_target.as_deref().unwrap_or_default();
        let new = change.new_target.as_deref().unwrap_or_default();
        let text = if old.is_empty() || new.is_empty() {
            // One side is untranslated: a whole-line addition or removal.
            unified_or_empty(
                old,
                new,
                &format!("a/{}", change.id),
                &format!("b/{}", change.id),
            )
        } else {
            unified_text_diff(
                old,
                new,
                &format!("a/{}", change.id),
                &format!("b/{}", change.id),
            )
        };
        entries.push((&change.id, text));
    }
    for added in &diff.added {
        let text = unified_or_empty(
            "",
            added.target.as_deref().unwrap_or_default(),
            "/dev/null",
            &format!("b/{}", added.id),
        );
        entries.push((&added.id, text));
    }
    for removed in &diff.removed {
        let text = unified_or_empty(
            removed.target.as_deref().unwrap_or_default(),
            "",
            &format!("a/{}", removed.id),
            "/dev/null",
        );
        entries.push((&removed.id, text));
    }
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (_, text) in entries {
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

fn unified_or_empty(old: &str, new: &str, old_header: &str, new_header: &str) -> String {
    let lines = |text: &str| -> Vec<String> {
        if text.is_empty() {
            Vec::new()
        } else {
            text.replace("\r\n", "\n")
                .split('\n')
                .map(str::to_string)
                .collect()
        }
    };
    let old_lines = lines(old);
    let new_lines = lines(new);
    let mut out = format!("--- {old_header}\n+++ {new_header}\n");
    let range = |count: usize| match count {
        0 => "0,0".to_string(),
        1 => "1".to_string(),
        count => format!("1,{count}"),
    };
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(old_lines.len()),
        range(new_lines.len())
    ));
    for line in &old_lines {
        out.push_str(&format!("-{line}\n"));
    }
    for line in &new_lines {
        out.push_str(&format!("+{line}\n"));
    }
    out
}

/// The diff as one JSON document: `summary`, `changed`, `added`, `removed`.
pub fn render_json(diff: &RunDiff, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, diff)?;
    out.write_all(b"\n")
}

/// A self-contained HTML page of the diff (same look as the review pages, no script).
pub fn render_html(diff: &RunDiff, labels: &RunLabels, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::with_capacity(16_384);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str(&format!(
        "<title>Changes: {} → {}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n",
        escape_html(&labels.old),
        escape_html(&labels.new)
    ));
    page.push_str("<header class=\"page\">\n<div class=\"crumbs\">selaras diff</div>\n");
    page.push_str(&format!(
        "<h1>Changes from <span class=\"stem\">{}</span> to <span class=\"stem\">{}</span></h1>\n",
        escape_html(&labels.old),
        escape_html(&labels.new)
    ));
    let summary = &diff.summary;
    page.push_str(&format!(
        "<div class=\"bar\"><ul class=\"summary\"><li class=\"{}\"><b>{}</b>changed</li><li class=\"fix\"><b>{}</b>added</li><li class=\"{}\"><b>{}</b>removed</li><li><b>{}</b>unchanged</li></ul></div>\n</header>\n<main>\n",
        if summary.changed > 0 { "warn" } else { "good" },
        summary.changed,
        summary.added,
        if summary.removed > 0 { "bad" } else { "" },
        summary.removed,
        summary.unchanged
    ));
    if diff.is_empty() {
        page.push_str("<p class=\"empty\">The two runs are the same.</p>\n");
    } else {
        page.push_str("<table class=\"review\">\n<colgroup><col class=\"segment\"><col class=\"text\"><col class=\"text\"><col class=\"status\"></colgroup>\n<thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">Source</th><th scope=\"col\">Target: old → new</th><th scope=\"col\">Change</th></tr></thead>\n<tbody>\n");
        let mut rows: Vec<(&SegmentId, &str, String)> = Vec::new();
        for change in &diff.changed {
            let source = if change.source_words.is_empty() {
                escape_html(&change.source)
            } else {
                render_diff_ops(&change.source_words)
            };
            let origins = origins_label(change);
            let target = match (&change.old_target, &change.new_target) {
                (None, Some(new)) => format!("<ins>{}</ins>", escape_html(new)),
                (Some(old), None) => format!("<del>{}</del>", escape_html(old)),
                _ => render_diff_ops(&change.words),
            };
            rows.push((
                &change.id,
                "status-fixed",
                format!(
                    "<td class=\"source\">{source}</td><td class=\"target\">{target}</td><td class=\"status\"><span class=\"badge fixed\">changed</span><span class=\"origin\">{}</span></td>",
                    escape_html(&origins)
                ),
            ));
        }
        for (badge, snapshots) in [("added", &diff.added), ("removed", &diff.removed)] {
            for snapshot in snapshots {
                let target = escape_html(snapshot.target.as_deref().unwrap_or_default());
                let (target, class, row_class) = if badge == "added" {
                    (format!("<ins>{target}</ins>"), "ok", "status-reviewed")
                } else {
                    (
                        format!("<del>{target}</del>"),
                        "violations",
                        "status-violations",
                    )
                };
                rows.push((
                    &snapshot.id,
                    row_class,
                    format!(
                        "<td class=\"source\">{}</td><td class=\"target\">{target}</td><td class=\"status\"><span class=\"badge {class}\">{badge}</span></td>",
                        escape_html(&snapshot.source)
                    ),
                ));
            }
        }
        rows.sort_by(|a, b| a.0.cmp(b.0));
        let mut article: Option<&str> = None;
        for (id, row_class, cells) in rows {
            if article != Some(id.article.as_str()) {
                article = Some(id.article.as_str());
                page.push_str(&format!(
                    "<tr class=\"article\"><th colspan=\"4\" scope=\"rowgroup\">{}</th></tr>\n",
                    escape_html(&id.article)
                ));
            }
            let full_id = escape_html(&id.to_string());
            page.push_str(&format!(
                "<tr id=\"{full_id}\" class=\"{row_class}\"><td class=\"segment\"><a href=\"#{full_id}\">{}.{}</a></td>{cells}</tr>\n",
                id.block, id.index
            ));
        }
        page.push_str("</tbody>\n</table>\n");
    }
    page.push_str("</main>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// The origin of a changed segment, or `old → new` when it changed.
fn origins_label(change: &ChangedSegment) -> String {
    if change.old_origin == change.new_origin {
        change.new_origin.as_str().to_string()
    } else {
        format!(
            "{} → {}",
            change.old_origin.as_str(),
            change.new_origin.as_str()
        )
    }
}
