//! `index.html`: the corpus index of the HTML review pages, one row per article with its counts
//! and a link to its page. Must not render segments (that is [`super::html`]'s).

use super::html::{escape_html, headline, page_end, page_start, summary_list};
use super::html_filters::FilterCounts;
use super::{ArticleRecords, ExportContext, Summary};
use crate::model::BlockKind;
use crate::record::AlignedSegment;
use std::fmt::Write as _;

/// What the index shows of one article besides its name: enough to render its row without
/// its records.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub summary: Summary,
    /// QA findings over the article.
    pub findings: usize,
    pub headline: Option<Box<str>>,
}

impl IndexEntry {
    pub fn of(article: &ArticleRecords) -> IndexEntry {
        let mut digest = PageDigest::default();
        digest.add(&article.records);
        digest.index_entry()
    }
}

/// What an article's review page shows above its rows and its index row, summed over its
/// records as they come, a piece at a time: counts, the texts the headline is taken from, the
/// filter bar's counts.
#[derive(Debug, Clone, Default)]
pub struct PageDigest {
    pub summary: Summary,
    /// QA findings over the records.
    pub findings: usize,
    /// The final text (or the source) of the first translatable heading and paragraph.
    first_heading: Option<String>,
    first_paragraph: Option<String>,
    pub(super) filters: FilterCounts,
}

impl PageDigest {
    /// Adds the next records of the article.
    pub fn add(&mut self, records: &[AlignedSegment]) {
        self.summary.merge(&Summary::of(records));
        self.findings += records.iter().map(|record| record.qa.len()).sum::<usize>();
        for record in records.iter().filter(|record| record.translatable) {
            let slot = match record.kind {
                BlockKind::Heading => &mut self.first_heading,
                BlockKind::Paragraph => &mut self.first_paragraph,
                _ => continue,
            };
            if slot.is_none() {
                let text = record.target.as_deref().unwrap_or(record.source.as_str());
                *slot = Some(text.to_string());
            }
        }
        self.filters.add(records);
    }

    /// The article's headline (see [`headline`]).
    pub fn headline(&self) -> Option<String> {
        let text = self
            .first_heading
            .as_deref()
            .or(self.first_paragraph.as_deref())?;
        Some(headline(text))
    }

    /// The article's index row.
    pub fn index_entry(&self) -> IndexEntry {
        IndexEntry {
            summary: self.summary,
            findings: self.findings,
            headline: self.headline().map(String::into_boxed_str),
        }
    }
}

/// The corpus index: one row per article with its counts and a link to its page.
pub fn render_index(articles: &[ArticleRecords], context: &ExportContext) -> String {
    let entries: Vec<IndexEntry> = articles.iter().map(IndexEntry::of).collect();
    let named: Vec<(&str, &IndexEntry)> = articles
        .iter()
        .map(|article| article.stem.as_str())
        .zip(&entries)
        .collect();
    render_entries(&named, context)
}

/// [`render_index`] from each article's name and entry.
pub fn render_entries(articles: &[(&str, &IndexEntry)], context: &ExportContext) -> String {
    let mut total = Summary::default();
    let mut total_qa = 0;
    for (_, article) in articles {
        total.merge(&article.summary);
        total_qa += article.findings;
    }
    let mut out = String::with_capacity(8_192 + articles.len() * 512);
    page_start(&mut out, "Review: all articles", false);
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
    summary_list(&mut out, &total, total_qa);
    out.push_str("</div>\n</header>\n<main>\n");
    // a narrow window shows each article as a card (the cells' data-label names the count)
    out.push_str(
        "<div class=\"scroll\"><table class=\"index\">\n<thead><tr><th scope=\"col\">Article</th><th scope=\"col\">Segments</th>\
         <th scope=\"col\">Translated</th><th scope=\"col\">Untranslated</th><th scope=\"col\">Violations</th>\
         <th scope=\"col\">QA</th><th scope=\"col\">Fixed</th><th scope=\"col\">Reviewed</th></tr></thead>\n<tbody>\n",
    );
    for &(stem, article) in articles {
        let summary = article.summary;
        let findings = article.findings;
        let stem = escape_html(stem);
        let headline = article
            .headline
            .as_ref()
            .map(|headline| format!("<span class=\"headline\">{}</span>", escape_html(headline)))
            .unwrap_or_default();
        let bad = |count: usize| if count > 0 { " class=\"bad\"" } else { "" };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"{stem}.html\">{stem}</a>{headline}</td><td data-label=\"segments\">{}</td><td data-label=\"translated\">{}</td><td data-label=\"untranslated\"{}>{}</td><td data-label=\"violations\"{}>{}</td><td data-label=\"QA\"{}>{}</td><td data-label=\"fixed\">{}</td><td data-label=\"reviewed\">{}</td></tr>",
            summary.segments,
            summary.translated,
            bad(summary.untranslated),
            summary.untranslated,
            bad(summary.violations),
            summary.violations,
            bad(findings),
            findings,
            summary.fixed,
            summary.reviewed
        );
    }
    out.push_str("</tbody>\n");
    let _ = writeln!(
        out,
        "<tfoot><tr><td>Total</td><td data-label=\"segments\">{}</td><td data-label=\"translated\">{}</td><td data-label=\"untranslated\">{}</td><td data-label=\"violations\">{}</td><td data-label=\"QA\">{}</td><td data-label=\"fixed\">{}</td><td data-label=\"reviewed\">{}</td></tr></tfoot>",
        total.segments,
        total.translated,
        total.untranslated,
        total.violations,
        total_qa,
        total.fixed,
        total.reviewed
    );
    out.push_str("</table></div>\n</main>\n");
    page_end(&mut out, context);
    out
}
