//! HTML review pages: one self-contained page per article and `index.html` for the corpus.
//!
//! A page is plain HTML with one inline stylesheet and, on article pages, one small inline
//! script (`review.js`): no font, no image, nothing fetched, and a Content-Security-Policy that
//! allows exactly those two by hash. It shows a header with the summary (segments, translated,
//! violations, QA findings, fixed, untranslated), a filter bar (what to show: problems, by kind
//! or by QA check; origin; text search; previous / next problem) that the script shows and
//! drives, then one table row per segment with the source and the target side by side (stacked,
//! source above target, in a narrow window), glossary terms paired by colour in both columns
//! ([`super::html_marks`]), each violation and QA finding with the approved rendering or the
//! check's message, and the word diff of the engine's output → the final text. Every piece of
//! text goes through [`escape_html`]. Must not compute verdicts or diffs itself; it draws what
//! the records say. The corpus index is [`super::html_index`]'s.

use super::html_filters::{filter_bar, problem_kinds};
use super::html_index::PageDigest;
use super::html_marks::{highlight, source_marks, target_marks};
use super::readable_date;
use super::{
    ArticleRecords, ExportContext, ExportFormat, Exporter, INDEX_FILE_NAME, PieceWriter, Summary,
};
use crate::glossary::{Violation, ViolationKind};
use crate::qa::Severity;
use crate::record::{AlignedSegment, DiffOp, DiffTag, Origin, Status};
use std::fmt::Write as _;

pub use super::html_index::render_index;

/// Writes `<stem>.html` and `index.html`.
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Html
    }

    fn pieces(&self, stem: &str, context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(HtmlPieces {
            stem: stem.to_string(),
            context: context.clone(),
            digest: PageDigest::default(),
            previous_block: None,
        })
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
pub const STYLESHEET: &str = concat!("\n", include_str!("review.css"));

/// The script of an article page: filters, previous / next problem, and term pairs outlined on
/// hover and focus. Inline, because the page is opened from disk and mailed around.
pub const SCRIPT: &str = concat!("\n", include_str!("review.js"));

/// The Content-Security-Policy of a page: nothing but its own inline stylesheet and (when
/// `with_script`) its own inline script, both pinned by their SHA-256, so text that slipped
/// through escaping still could not run or load anything.
pub fn content_security_policy(with_script: bool) -> String {
    let script = if with_script {
        format!("'{}'", sha256_source(SCRIPT))
    } else {
        "'none'".to_string()
    };
    format!(
        "default-src 'none'; style-src '{}'; script-src {script}; img-src 'none'; base-uri 'none'; form-action 'none'",
        sha256_source(STYLESHEET)
    )
}

/// `sha256-<base64 of the digest>`, the CSP hash source of an inline element's text.
fn sha256_source(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!("sha256-{}", base64(&digest))
}

/// Standard base64 with padding (RFC 4648 §4); a digest is all it ever encodes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let joined = chunk.iter().enumerate().fold(0u32, |acc, (index, &byte)| {
            acc | u32::from(byte) << (16 - 8 * index)
        });
        for position in 0..4 {
            if position <= chunk.len() {
                let index = (joined >> (18 - 6 * position)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(super) fn page_start(out: &mut String, title: &str, with_script: bool) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"generator\" content=\"selaras\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        content_security_policy(with_script),
        escape_html(title),
        STYLESHEET
    );
}

pub(super) fn page_end(out: &mut String, context: &ExportContext) {
    let _ = write!(
        out,
        "<footer>Generated by selaras {} on {}.</footer>\n</body>\n</html>\n",
        escape_html(&context.tool_version),
        readable_date(context.created_at)
    );
}

pub(super) fn summary_list(out: &mut String, summary: &Summary, qa_findings: usize) {
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
    if qa_findings > 0 {
        let label = if qa_findings == 1 {
            "QA finding"
        } else {
            "QA findings"
        };
        item(out, "warn", qa_findings, label);
    }
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

/// The title of an article for people, from the final text of its first heading, or else of
/// its first paragraph (a news lead), shortened to a line.
pub(super) fn headline(text: &str) -> String {
    const LIMIT: usize = 110;
    if text.chars().count() <= LIMIT {
        return text.to_string();
    }
    let cut: String = text.chars().take(LIMIT).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The review page of one article.
pub fn render_article(article: &ArticleRecords, context: &ExportContext) -> String {
    let bytes = HtmlExporter.render_article(article, context);
    String::from_utf8(bytes).expect("the page is built from strings")
}

/// The rows of each piece as they come; the page's header, filter bar and end once every
/// record has been seen.
struct HtmlPieces {
    stem: String,
    context: ExportContext,
    digest: PageDigest,
    /// The block of the last row written.
    previous_block: Option<usize>,
}

impl HtmlPieces {
    fn with_script(&self) -> bool {
        self.digest.summary.segments > 0
    }

    fn labels(&self) -> (String, String) {
        (
            format!("Source ({})", escape_html(&self.context.source_lang)),
            format!("Target ({})", escape_html(&self.context.target_lang)),
        )
    }
}

impl PieceWriter for HtmlPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        self.digest.add(records);
        let (source_label, target_label) = self.labels();
        let labels = (source_label.as_str(), target_label.as_str());
        let mut rows = String::with_capacity(records.len() * 1_024);
        for record in records {
            let block_start = self
                .previous_block
                .is_some_and(|block| block != record.id.block);
            self.previous_block = Some(record.id.block);
            render_row(&mut rows, record, block_start, &self.context, labels);
        }
        out.extend_from_slice(rows.as_bytes());
    }

    fn head(&self, out: &mut Vec<u8>) {
        let (context, with_script) = (&self.context, self.with_script());
        let mut head = String::with_capacity(16_384);
        page_start(&mut head, &format!("Review: {}", self.stem), with_script);
        head.push_str("<header class=\"page\">\n");
        let _ = writeln!(
            head,
            "<div class=\"crumbs\"><a href=\"{INDEX_FILE_NAME}\">All articles</a> · {} → {}</div>",
            escape_html(&context.source_lang),
            escape_html(&context.target_lang)
        );
        let _ = writeln!(
            head,
            "<h1>Review <span class=\"stem\">{}</span></h1>",
            escape_html(&self.stem)
        );
        if let Some(headline) = self.digest.headline() {
            let _ = writeln!(head, "<p class=\"headline\">{}</p>", escape_html(&headline));
        }
        head.push_str("<div class=\"bar\">");
        summary_list(&mut head, &self.digest.summary, self.digest.findings);
        head.push_str(
            "<div class=\"legend\"><span><mark class=\"term t0\">term</mark> <mark class=\"term t1\">term</mark> glossary terms: one colour per term, the same in source and target (point at one to outline its pair)</span>\
             <span><mark class=\"term bad\">term</mark> forbidden or missing rendering</span>\
             <span><mark class=\"qa\">text</mark> QA finding</span>\
             <span><del>deleted</del> / <ins>inserted</ins> after the engine</span>\
             <span class=\"keys\" id=\"keys\" hidden>keys: <kbd>n</kbd> / <kbd>p</kbd> next / previous problem, <kbd>f</kbd> problems only, <kbd>/</kbd> search</span></div>",
        );
        head.push_str("</div>\n</header>\n");
        if with_script {
            filter_bar(&mut head, &self.digest.filters);
        }
        head.push_str("<main>\n");
        if !with_script {
            head.push_str("<p class=\"empty\">This article has no segments.</p>\n");
        } else {
            let (source_label, target_label) = self.labels();
            let _ = write!(
                head,
                "<table class=\"review\">\n<colgroup><col class=\"segment\"><col class=\"text\"><col class=\"text\"><col class=\"status\"></colgroup>\n\
                 <thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">{source_label}</th><th scope=\"col\">{target_label}</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n"
            );
        }
        out.extend_from_slice(head.as_bytes());
    }

    fn tail(&self, out: &mut Vec<u8>) {
        let mut tail = String::new();
        if self.with_script() {
            tail.push_str("</tbody>\n</table>\n");
            let _ = writeln!(
                tail,
                "<p class=\"none-shown\" id=\"none-shown\" hidden>No segment matches the filters.</p>"
            );
        }
        tail.push_str("</main>\n");
        if self.with_script() {
            let _ = writeln!(tail, "<script>{SCRIPT}</script>");
        }
        page_end(&mut tail, &self.context);
        out.extend_from_slice(tail.as_bytes());
    }

    fn head_is_fixed(&self) -> bool {
        false
    }
}

fn render_row(
    out: &mut String,
    record: &AlignedSegment,
    block_start: bool,
    context: &ExportContext,
    (source_label, target_label): (&str, &str),
) {
    let status = record.status();
    let mut classes = vec![format!("status-{}", status.as_str())];
    if !record.translatable {
        classes.push("skip".to_string());
    }
    if block_start {
        classes.push("block-start".to_string());
    }
    if record
        .qa
        .iter()
        .any(|finding| finding.severity == Severity::Error)
    {
        classes.push("qa-error".to_string());
    }
    let id = record.id.to_string();
    let kinds = problem_kinds(record);
    let problems = if kinds.is_empty() {
        String::new()
    } else {
        format!(" data-problems=\"{}\"", kinds.join(" "))
    };
    let _ = write!(
        out,
        "<tr id=\"{id}\" class=\"{}\" data-origin=\"{}\"{problems}>",
        classes.join(" "),
        record.origin.as_str(),
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
        "<td class=\"source\" lang=\"{}\" data-label=\"{source_label}\">{}</td>",
        escape_html(&context.source_lang),
        highlight(&record.source, &source_marks(record), record)
    );
    let _ = write!(
        out,
        "<td class=\"target\" lang=\"{}\" data-label=\"{target_label}\">",
        escape_html(&context.target_lang)
    );
    match (&record.target, record.translatable) {
        (_, false) => out.push_str("<span class=\"kept\">Kept as is: not translated</span>"),
        (None, true) => out.push_str("<span class=\"placeholder\">Untranslated</span>"),
        (Some(target), true) => {
            out.push_str(&highlight(target, &target_marks(record), record));
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
    if !record.violations.is_empty() || !record.warnings.is_empty() || !record.qa.is_empty() {
        out.push_str("<ul class=\"issues\">");
        for violation in &record.violations {
            render_issue(out, violation, false);
        }
        for warning in &record.warnings {
            render_issue(out, warning, true);
        }
        for finding in &record.qa {
            render_finding(out, record, finding);
        }
        out.push_str("</ul>");
    }
    out.push_str("</td></tr>\n");
}

/// A QA finding in the issue list: the check, its severity, the message, and the marked text
/// it is about.
fn render_finding(out: &mut String, record: &AlignedSegment, finding: &crate::qa::Finding) {
    let severity = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = write!(
        out,
        "<li class=\"qa {severity}\" data-check=\"{check}\"><span class=\"what\">QA · {check} · {severity}</span>{}",
        escape_html(&finding.message),
        check = finding.check.as_str()
    );
    let quote = |text: Option<&str>, span: Option<crate::glossary::TextSpan>| {
        let span = span?;
        text?.get(span.start..span.end).map(escape_html)
    };
    let source = quote(Some(&record.source), finding.source_span);
    let target = quote(record.target.as_deref(), finding.target_span);
    if source.is_some() || target.is_some() {
        out.push_str("<span class=\"note\">");
        if let Some(source) = &source {
            let _ = write!(out, "source <mark class=\"qa\">{source}</mark>");
        }
        if let Some(target) = &target {
            let separator = if source.is_some() { " · " } else { "" };
            let _ = write!(out, "{separator}target <mark class=\"qa\">{target}</mark>");
        }
        out.push_str("</span>");
    }
    out.push_str("</li>");
}

pub(super) fn origin_label(origin: Origin) -> &'static str {
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
    fn base64_matches_rfc_4648_vectors() {
        let table = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (text, expected) in table {
            assert_eq!(base64(text.as_bytes()), expected, "{text:?}");
        }
        // the SHA-256 of "abc", as `openssl dgst -sha256 -binary | base64` prints it
        assert_eq!(
            sha256_source("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    #[test]
    fn the_script_cannot_end_its_element_early_and_is_allowed_by_hash() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!SCRIPT.contains("<!--"));
        assert!(!SCRIPT.contains("eval(") && !SCRIPT.contains("fetch("));
        let policy = content_security_policy(true);
        assert!(policy.contains(&sha256_source(SCRIPT)), "{policy}");
        assert!(policy.contains(&sha256_source(STYLESHEET)), "{policy}");
        assert!(content_security_policy(false).contains("script-src 'none'"));
    }
}
