//! HTML review pages: one self-contained page per article and `index.html` for the corpus.
//!
//! A page is plain HTML with one inline stylesheet: no script, no font, no image, nothing
//! fetched. It shows a sticky header with the summary (segments, translated, violations,
//! fixed, untranslated), then one table row per segment with the source and the target side by
//! side, glossary terms highlighted in both columns from the recorded spans (forbidden or
//! missing renderings in red), each violation with the approved rendering, and the word diff of
//! the engine's output → the final text (insertions and deletions styled; also legible in
//! black and white). Every piece of text goes through [`escape_html`]. Must not compute
//! verdicts or diffs itself; it draws what the records say.

use super::{ArticleRecords, ExportContext, ExportFormat, Exporter, INDEX_FILE_NAME, Summary};
use super::{clean_spans, readable_date};
use crate::glossary::{Violation, ViolationKind};
use crate::record::{AlignedSegment, DiffOp, DiffTag, Status};
use std::fmt::Write as _;

/// Writes `<stem>.html` and `index.html`.
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Html
    }

    fn render_article(&self, article: &ArticleRecords, context: &ExportContext) -> Vec<u8> {
        render_article(article, context).into_bytes()
    }

    fn render_index(
        &self,
        articles: &[ArticleRecords],
        context: &ExportContext,
    ) -> Option<(String, Vec<u8>)> {
        Some((
            INDEX_FILE_NAME.to_string(),
            render_index(articles, context).into_bytes(),
        ))
    }
}

/// Escapes text for HTML element content and quoted attribute values.
///
/// Not [`crate::xml::escape_text`]: HTML writes `'` as `&#39;` (`&apos;` is not HTML 4) and
/// replaces every control and non-character, where XML keeps C1 controls and drops or
/// replaces only what XML 1.0 forbids.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(character),
            // Controls and non-characters are parse errors in HTML: show a replacement mark.
            control if control.is_control() || is_noncharacter(control) => out.push('\u{FFFD}'),
            other => out.push(other),
        }
    }
    out
}

fn is_noncharacter(character: char) -> bool {
    let code = u32::from(character);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// The stylesheet shared by review, index and run-diff pages.
pub const STYLESHEET: &str = r#"
:root {
  --ink: #1f2328; --muted: #59636e; --faint: #818b98; --line: #d1d9e0; --panel: #f6f8fa;
  --term: #fff1b8; --term-edge: #d4a72c;
  --bad: #b3261e; --bad-bg: #ffebe9; --bad-edge: #ff8182;
  --ok: #1a7f37; --ok-bg: #dafbe1;
  --fix: #0550ae; --fix-bg: #ddf4ff;
  --warn: #7d4e00; --warn-bg: #fff8c5;
  --ins: #1a7f37; --ins-bg: #ccf5d6; --del: #b3261e; --del-bg: #ffd7d5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
a { color: var(--fix); }
header.page { position: sticky; top: 0; z-index: 10; background: rgba(255,255,255,0.97);
  border-bottom: 1px solid var(--line); box-shadow: 0 2px 6px rgba(31,35,40,0.06); padding: 14px 28px 12px; }
header.page .crumbs { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
header.page h1 { font-size: 19px; line-height: 1.3; margin: 0; font-weight: 650; }
header.page h1 .stem { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 500; }
header.page .headline { color: var(--muted); font-size: 14px; margin: 2px 0 0; }
.bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 10px 24px; margin-top: 10px; }
ul.summary { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; margin: 0; padding: 0; }
ul.summary li { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: 3px 10px; font-size: 13px; color: var(--muted); white-space: nowrap; }
ul.summary li b { color: var(--ink); font-size: 15px; margin-right: 3px; font-variant-numeric: tabular-nums; }
ul.summary li.bad { background: var(--bad-bg); border-color: var(--bad-edge); color: var(--bad); }
ul.summary li.bad b { color: var(--bad); }
ul.summary li.fix b { color: var(--fix); }
ul.summary li.warn { background: var(--warn-bg); border-color: #e9c46a; color: var(--warn); }
ul.summary li.good { background: var(--ok-bg); border-color: #8fd9a3; color: var(--ok); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); }
.legend span { white-space: nowrap; }
main { padding: 18px 28px 48px; }
table.review { width: 100%; border-collapse: separate; border-spacing: 0; table-layout: fixed;
  border: 1px solid var(--line); border-radius: 8px; }
table.review col.segment { width: 7.5rem; }
table.review col.status { width: 17rem; }
table.review th { text-align: left; font-size: 12px; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase;
  color: var(--muted); background: var(--panel); padding: 8px 12px; border-bottom: 1px solid var(--line); }
table.review th:first-child { border-top-left-radius: 8px; }
table.review th:last-child { border-top-right-radius: 8px; }
table.review td { vertical-align: top; padding: 10px 12px; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
table.review tr:last-child td { border-bottom: 0; }
table.review tr.article th { background: #fff; color: var(--ink); text-transform: none; letter-spacing: 0; font-size: 13px;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border-top: 1px solid var(--line); padding-top: 12px; }
table.review tr.block-start td { border-top: 1px solid #afb8c1; }
table.review td.segment { font-size: 12px; color: var(--muted); }
td.segment a { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; color: var(--ink); text-decoration: none; font-weight: 600; }
td.segment a:hover { text-decoration: underline; }
td.segment .kind { display: block; margin-top: 2px; }
td.source, td.target { font-size: 15px; white-space: pre-wrap; }
td.target .diff, td.target .kept, td.target .placeholder { white-space: normal; }
tr.skip td.source, tr.skip td.target { color: var(--faint); font-size: 14px; }
tr.status-violations td.segment { box-shadow: inset 4px 0 0 var(--bad); }
tr.status-fixed td.segment { box-shadow: inset 4px 0 0 var(--fix); }
tr.status-untranslated td.segment { box-shadow: inset 4px 0 0 #d4a72c; }
tr.status-reviewed td.segment { box-shadow: inset 4px 0 0 var(--ok); }
tr:target td { background: #fffbe6; }
mark.term { background: var(--term); color: inherit; border-bottom: 2px solid var(--term-edge); padding: 0 1px; border-radius: 2px; }
mark.term.bad { background: var(--bad-bg); border-bottom: 2px solid var(--bad); }
.placeholder { color: var(--warn); font-style: italic; }
.kept { color: var(--faint); font-style: italic; font-size: 13px; }
.diff { margin-top: 8px; padding: 6px 9px; background: var(--panel); border-left: 3px solid #afb8c1; border-radius: 0 4px 4px 0; font-size: 13.5px; color: var(--muted); }
.diff .label { display: block; font-size: 11px; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; color: var(--faint); margin-bottom: 1px; }
ins { background: var(--ins-bg); color: var(--ins); text-decoration: underline; text-decoration-thickness: 1px; text-underline-offset: 2px; border-radius: 2px; }
del { background: var(--del-bg); color: var(--del); text-decoration: line-through; border-radius: 2px; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 999px; padding: 1px 9px; border: 1px solid var(--line); background: var(--panel); color: var(--muted); }
.badge.ok { background: var(--ok-bg); border-color: #8fd9a3; color: var(--ok); }
.badge.violations { background: var(--bad-bg); border-color: var(--bad-edge); color: var(--bad); }
.badge.fixed { background: var(--fix-bg); border-color: #80ccff; color: var(--fix); }
.badge.reviewed { background: var(--ok-bg); border-color: #8fd9a3; color: var(--ok); }
.badge.untranslated { background: var(--warn-bg); border-color: #e9c46a; color: var(--warn); }
.origin { display: block; font-size: 12px; color: var(--faint); margin-top: 3px; }
ul.issues { list-style: none; margin: 8px 0 0; padding: 0; font-size: 13px; }
ul.issues li { margin: 0 0 6px; padding: 5px 8px; border-radius: 4px; background: var(--bad-bg); border-left: 3px solid var(--bad); }
ul.issues li.warning { background: var(--warn-bg); border-left-color: #d4a72c; }
ul.issues .what { display: block; font-size: 11px; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; color: var(--bad); }
ul.issues li.warning .what { color: var(--warn); }
ul.issues .approved { font-weight: 650; color: var(--ink); }
ul.issues .forbidden { text-decoration: line-through; }
ul.issues .note { display: block; color: var(--muted); margin-top: 2px; }
table.index { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.index th, table.index td { padding: 8px 12px; border-bottom: 1px solid var(--line); text-align: right; }
table.index th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); background: var(--panel); }
table.index th:first-child, table.index td:first-child { text-align: left; }
table.index td .headline { display: block; color: var(--muted); font-size: 13px; }
table.index td.bad { color: var(--bad); font-weight: 650; }
table.index tfoot td { font-weight: 650; border-top: 2px solid var(--line); }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--faint); font-size: 12px; padding: 0 28px 28px; }
@media (max-width: 900px) { table.review col.status { width: 11rem; } main, header.page { padding-left: 14px; padding-right: 14px; } }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  header.page { position: static; box-shadow: none; padding: 0 0 8px; }
  main { padding: 8px 0 0; }
  table.review { border-radius: 0; }
  table.review thead { display: table-header-group; }
  table.review tr { break-inside: avoid; }
  td.source, td.target { font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  footer { padding: 8px 0 0; }
}
"#;

fn page_start(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"selaras\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        escape_html(title),
        STYLESHEET
    );
}

fn page_end(out: &mut String, context: &ExportContext) {
    let _ = write!(
        out,
        "<footer>Generated by selaras {} on {}.</footer>\n</body>\n</html>\n",
        escape_html(&context.tool_version),
        readable_date(context.created_at)
    );
}

fn summary_list(out: &mut String, summary: &Summary) {
    let item = |out: &mut String, class: &str, count: usize, label: &str| {
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        };
        let _ = write!(out, "<li{class}><b>{count}</b>{label}</li>");
    };
    out.push_str("<ul class=\"summary\" aria-label=\"Summary\">");
    item(out, "", summary.segments, "segments");
    item(out, "", summary.translated, "translated");
    let violations_class = if summary.violations > 0 {
        "bad"
    } else {
        "good"
    };
    item(
        out,
        violations_class,
        summary.violations,
        if summary.violations == 1 {
            "violation"
        } else {
            "violations"
        },
    );
    item(out, "fix", summary.fixed, "fixed");
    let untranslated_class = if summary.untranslated > 0 { "warn" } else { "" };
    item(
        out,
        untranslated_class,
        summary.untranslated,
        "untranslated",
    );
    if summary.reviewed > 0 {
        item(out, "", summary.reviewed, "reviewed");
    }
    if summary.warnings > 0 {
        item(out, "warn", summary.warnings, "warnings");
    }
    out.push_str("</ul>");
}

/// The title of an article for people: the final text of its first heading, or else of its
/// first paragraph (a news lead), shortened to a line.
fn headline(article: &ArticleRecords) -> Option<String> {
    use crate::model::BlockKind;
    let text_of = |kind: BlockKind| {
        article
            .records
            .iter()
            .find(|record| record.kind == kind && record.translatable)
            .map(|record| record.target.as_deref().unwrap_or(record.source.as_str()))
    };
    let text = text_of(BlockKind::Heading).or_else(|| text_of(BlockKind::Paragraph))?;
    const LIMIT: usize = 110;
    if text.chars().count() <= LIMIT {
        return Some(text.to_string());
    }
    let cut: String = text.chars().take(LIMIT).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    Some(format!("{cut} …"))
}

/// The review page of one article.
pub fn render_article(article: &ArticleRecords, context: &ExportContext) -> String {
    let mut out = String::with_capacity(16_384 + article.records.len() * 1_024);
    page_start(&mut out, &format!("Review: {}", article.stem));
    out.push_str("<header class=\"page\">\n");
    let _ = writeln!(
        out,
        "<div class=\"crumbs\"><a href=\"{INDEX_FILE_NAME}\">All articles</a> · {} → {}</div>",
        escape_html(&context.source_lang),
        escape_html(&context.target_lang)
    );
    let _ = writeln!(
        out,
        "<h1>Review <span class=\"stem\">{}</span></h1>",
        escape_html(&article.stem)
    );
    if let Some(headline) = headline(article) {
        let _ = writeln!(out, "<p class=\"headline\">{}</p>", escape_html(&headline));
    }
    out.push_str("<div class=\"bar\">");
    summary_list(&mut out, &article.summary());
    out.push_str(
        "<div class=\"legend\"><span><mark class=\"term\">term</mark> glossary term</span>\
         <span><mark class=\"term bad\">term</mark> forbidden or missing rendering</span>\
         <span><del>deleted</del> / <ins>inserted</ins> after the engine</span></div>",
    );
    out.push_str("</div>\n</header>\n<main>\n");
    if article.records.is_empty() {
        out.push_str("<p class=\"empty\">This article has no segments.</p>\n");
    } else {
        let _ = write!(
            out,
            "<table class=\"review\">\n<colgroup><col class=\"segment\"><col class=\"text\"><col class=\"text\"><col class=\"status\"></colgroup>\n\
             <thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">Source ({})</th><th scope=\"col\">Target ({})</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
            escape_html(&context.source_lang),
            escape_html(&context.target_lang)
        );
        let mut previous_block = None;
        for record in &article.records {
            let block_start = previous_block.is_some_and(|block| block != record.id.block);
            previous_block = Some(record.id.block);
            render_row(&mut out, record, block_start, context);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</main>\n");
    page_end(&mut out, context);
    out
}

fn render_row(
    out: &mut String,
    record: &AlignedSegment,
    block_start: bool,
    context: &ExportContext,
) {
    let status = record.status();
    let mut classes = vec![format!("status-{}", status.as_str())];
    if !record.translatable {
        classes.push("skip".to_string());
    }
    if block_start {
        classes.push("block-start".to_string());
    }
    let id = record.id.to_string();
    let _ = write!(
        out,
        "<tr id=\"{id}\" class=\"{}\">",
        classes.join(" "),
        id = escape_html(&id)
    );
    let _ = write!(
        out,
        "<td class=\"segment\"><a href=\"#{}\">{}.{}</a><span class=\"kind\">{}</span></td>",
        escape_html(&id),
        record.id.block,
        record.id.index,
        record.kind.as_str()
    );
    let _ = write!(
        out,
        "<td class=\"source\" lang=\"{}\">{}</td>",
        escape_html(&context.source_lang),
        highlight(&record.source, &source_marks(record))
    );
    let _ = write!(
        out,
        "<td class=\"target\" lang=\"{}\">",
        escape_html(&context.target_lang)
    );
    match (&record.target, record.translatable) {
        (_, false) => out.push_str("<span class=\"kept\">Kept as is: not translated</span>"),
        (None, true) => out.push_str("<span class=\"placeholder\">Untranslated</span>"),
        (Some(target), true) => {
            out.push_str(&highlight(target, &target_marks(record)));
            if !record.diff.is_empty() {
                out.push_str(
                    "<div class=\"diff\"><span class=\"label\">Engine output → final</span>",
                );
                out.push_str(&render_diff_ops(&record.diff));
                out.push_str("</div>");
            }
        }
    }
    out.push_str("</td><td class=\"status\">");
    let badge = match status {
        Status::NotTranslatable => "not translated",
        Status::Untranslated => "untranslated",
        Status::Violations => "violations",
        Status::Fixed => "fixed",
        Status::Reviewed => "reviewed",
        Status::Ok => "ok",
    };
    let _ = write!(
        out,
        "<span class=\"badge {}\">{}</span>",
        status.as_str(),
        badge
    );
    if record.translatable && record.target.is_some() {
        let _ = write!(
            out,
            "<span class=\"origin\">from {}</span>",
            origin_label(record.origin)
        );
    }
    if !record.violations.is_empty() || !record.warnings.is_empty() {
        out.push_str("<ul class=\"issues\">");
        for violation in &record.violations {
            render_issue(out, violation, false);
        }
        for warning in &record.warnings {
            render_issue(out, warning, true);
        }
        out.push_str("</ul>");
    }
    out.push_str("</td></tr>\n");
}

fn origin_label(origin: crate::record::Origin) -> &'static str {
    use crate::record::Origin;
    match origin {
        Origin::Memory => "approved memory",
        Origin::Cache => "engine (cached)",
        Origin::Engine => "engine",
        Origin::Fixed => "engine, fixed by glossary",
        Origin::Reviewed => "reviewer",
        Origin::Aligned => "aligned published English",
        Origin::Source => "source",
        Origin::None => "nowhere",
    }
}

fn render_issue(out: &mut String, violation: &Violation, warning: bool) {
    let what = match violation.kind {
        ViolationKind::Missing => "Missing term",
        ViolationKind::ForbiddenVariant => "Forbidden rendering",
        ViolationKind::CountMismatch => "Term count",
        ViolationKind::ForbiddenWithoutTerm => "Forbidden rendering",
        ViolationKind::PlaceholderLost => "Protected term damaged",
    };
    let class = if warning { " class=\"warning\"" } else { "" };
    let _ = write!(out, "<li{class}><span class=\"what\">{what}</span>");
    let source_term = escape_html(&violation.source_term);
    let expected = escape_html(&violation.expected);
    match (violation.kind, violation.found.as_deref()) {
        (ViolationKind::ForbiddenVariant | ViolationKind::ForbiddenWithoutTerm, Some(found)) => {
            let _ = write!(
                out,
                "<span class=\"forbidden\">{}</span> → <span class=\"approved\">{expected}</span>",
                escape_html(found)
            );
        }
        (ViolationKind::CountMismatch, _) => {
            let _ = write!(
                out,
                "{source_term} occurs more often than <span class=\"approved\">{expected}</span>"
            );
        }
        _ => {
            let _ = write!(
                out,
                "{source_term} → <span class=\"approved\">{expected}</span>"
            );
        }
    }
    if !violation.note.is_empty() {
        let _ = write!(
            out,
            "<span class=\"note\">{}</span>",
            escape_html(&violation.note)
        );
    }
    out.push_str("</li>");
}

/// A mark to draw over a span of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Term,
    Bad,
}

fn source_marks(record: &AlignedSegment) -> Vec<(usize, usize, Mark)> {
    let bad_source_spans: Vec<(usize, usize)> = record
        .violations
        .iter()
        .filter_map(|violation| violation.source_span.map(|span| (span.start, span.end)))
        .collect();
    record
        .matches
        .iter()
        .map(|term| {
            let span = (term.source_span.start, term.source_span.end);
            let mark = if bad_source_spans.contains(&span) {
                Mark::Bad
            } else {
                Mark::Term
            };
            (span.0, span.1, mark)
        })
        .collect()
}

fn target_marks(record: &AlignedSegment) -> Vec<(usize, usize, Mark)> {
    // Violations first: a forbidden rendering wins over a term span covering the same text.
    let violations = record.violations.iter().filter_map(|violation| {
        violation
            .target_span
            .map(|span| (span.start, span.end, Mark::Bad))
    });
    let terms = record.matches.iter().filter_map(|term| {
        term.target_span
            .map(|span| (span.start, span.end, Mark::Term))
    });
    violations.chain(terms).collect()
}

/// Escapes `text` and wraps the given spans in `<mark>`s.
fn highlight(text: &str, marks: &[(usize, usize, Mark)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut position = 0;
    for (start, end, mark) in clean_spans(text, marks) {
        out.push_str(&escape_html(&text[position..start]));
        let class = match mark {
            Mark::Term => "term",
            Mark::Bad => "term bad",
        };
        let _ = write!(
            out,
            "<mark class=\"{class}\">{}</mark>",
            escape_html(&text[start..end])
        );
        position = end;
    }
    out.push_str(&escape_html(&text[position..]));
    out
}

/// A word diff as inline HTML: `<del>` and `<ins>` around changed words.
pub fn render_diff_ops(ops: &[DiffOp]) -> String {
    let mut out = String::new();
    for op in ops {
        let text = escape_html(&op.text);
        match op.op {
            DiffTag::Equal => out.push_str(&text),
            DiffTag::Delete | DiffTag::Insert => {
                // White space at the edges stays outside the mark, so only words are struck
                // through or underlined.
                let tag = if op.op == DiffTag::Delete {
                    "del"
                } else {
                    "ins"
                };
                let core = text.trim();
                if core.is_empty() {
                    let _ = write!(out, "<{tag}>{text}</{tag}>");
                    continue;
                }
                let leading = &text[..text.len() - text.trim_start().len()];
                let trailing = &text[text.trim_end().len()..];
                let _ = write!(out, "{leading}<{tag}>{core}</{tag}>{trailing}");
            }
        }
    }
    out
}

/// The corpus index: one row per article with its counts and a link to its page.
pub fn render_index(articles: &[ArticleRecords], context: &ExportContext) -> String {
    let mut total = Summary::default();
    for article in articles {
        total.merge(&article.summary());
    }
    let mut out = String::with_capacity(8_192 + articles.len() * 512);
    page_start(&mut out, "Review: all articles");
    out.push_str("<header class=\"page\">\n");
    let _ = writeln!(
        out,
        "<div class=\"crumbs\">selaras · {} → {}</div>",
        escape_html(&context.source_lang),
        escape_html(&context.target_lang)
    );
    let _ = writeln!(
        out,
        "<h1>{} {}</h1>",
        articles.len(),
        if articles.len() == 1 {
            "article"
        } else {
            "articles"
        }
    );
    out.push_str("<div class=\"bar\">");
    summary_list(&mut out, &total);
    out.push_str("</div>\n</header>\n<main>\n");
    out.push_str(
        "<table class=\"index\">\n<thead><tr><th scope=\"col\">Article</th><th scope=\"col\">Segments</th>\
         <th scope=\"col\">Translated</th><th scope=\"col\">Untranslated</th><th scope=\"col\">Violations</th>\
         <th scope=\"col\">Fixed</th><th scope=\"col\">Reviewed</th></tr></thead>\n<tbody>\n",
    );
    for article in articles {
        let summary = article.summary();
        let stem = escape_html(&article.stem);
        let headline = headline(article)
            .map(|headline| format!("<span class=\"headline\">{}</span>", escape_html(&headline)))
            .unwrap_or_default();
        let bad = |count: usize| if count > 0 { " class=\"bad\"" } else { "" };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"{stem}.html\">{stem}</a>{headline}</td><td>{}</td><td>{}</td><td{}>{}</td><td{}>{}</td><td>{}</td><td>{}</td></tr>",
            summary.segments,
            summary.translated,
            bad(summary.untranslated),
            summary.untranslated,
            bad(summary.violations),
            summary.violations,
            summary.fixed,
            summary.reviewed
        );
    }
    out.push_str("</tbody>\n");
    let _ = writeln!(
        out,
        "<tfoot><tr><td>Total</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></tfoot>",
        total.segments,
        total.translated,
        total.untranslated,
        total.violations,
        total.fixed,
        total.reviewed
    );
    out.push_str("</table>\n</main>\n");
    page_end(&mut out, context);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_attributes() {
        assert_eq!(
            escape_html("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn highlights_escape_inside_and_outside_marks() {
        let text = "a <b> Wakil & c";
        let marks = [(6, 13, Mark::Term)];
        assert_eq!(
            highlight(text, &marks),
            "a &lt;b&gt; <mark class=\"term\">Wakil &amp;</mark> c"
        );
    }
}
