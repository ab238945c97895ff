//! Realistic aligned records for the export, diff and review tests: real corpus sentences
//! (segmented by the real segmenter), English a news desk would write, glossary matches with
//! their spans, fixes, violations, a reviewer's edit, an untranslated segment, datelines and
//! boilerplate, plus one synthetic article of hostile text (markup, tabs, line breaks,
//! backslashes, control characters).

use crate::support::corpus_text;
use selaras::export::{ArticleRecords, ExportContext};
use selaras::glossary::{TermKind, TermMatch, TextSpan, Violation, ViolationKind};
use selaras::model::{Article, BlockKind, Segment, SegmentId, Span};
use selaras::qa::{Check, Finding, Severity};
use selaras::record::{AlignedSegment, Origin, word_diff};
use selaras::segment::{SegmentOptions, segment_article};

pub const A002: &str = "002_5f2940f005814b39";
pub const A003: &str = "003_5e0967db1d361350";
pub const HOSTILE: &str = "999_hostile";

/// 2025-12-01T08:30:00Z, so every export is byte-for-byte reproducible.
pub const CREATED_AT: u64 = 1_764_577_800;

pub fn context() -> ExportContext {
    ExportContext {
        source_lang: "id".to_string(),
        target_lang: "en".to_string(),
        tool_version: "0.1.0".to_string(),
        created_at: CREATED_AT,
        tmx_term_markup: false,
    }
}

fn span_of(text: &str, needle: &str) -> TextSpan {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in {text:?}"));
    TextSpan {
        start,
        end: start + needle.len(),
    }
}

/// A glossary match of `source_term` in the record's source, rendered as `rendering` in its
/// target (when given).
pub fn term(
    record: &AlignedSegment,
    source_term: &str,
    expected: &str,
    kind: TermKind,
    rendering: Option<&str>,
) -> TermMatch {
    TermMatch {
        source_term: source_term.to_string(),
        expected: expected.to_string(),
        term_kind: kind,
        source_span: span_of(&record.source, source_term),
        target_span: rendering
            .map(|rendering| span_of(record.target.as_deref().unwrap_or_default(), rendering)),
    }
}

pub fn forbidden(
    record: &AlignedSegment,
    source_term: &str,
    expected: &str,
    found: &str,
    note: &str,
) -> Violation {
    Violation {
        source_term: source_term.to_string(),
        expected: expected.to_string(),
        kind: ViolationKind::ForbiddenVariant,
        found: Some(found.to_string()),
        target_span: Some(span_of(record.target.as_deref().unwrap_or_default(), found)),
        source_span: Some(span_of(&record.source, source_term)),
        note: note.to_string(),
    }
}

pub fn missing(record: &AlignedSegment, source_term: &str, expected: &str) -> Violation {
    Violation {
        source_term: source_term.to_string(),
        expected: expected.to_string(),
        kind: ViolationKind::Missing,
        found: None,
        target_span: None,
        source_span: Some(span_of(&record.source, source_term)),
        note: String::new(),
    }
}

fn segment(article: &Article, block: usize, index: usize) -> &Segment {
    article
        .segments()
        .find(|segment| segment.id.block == block && segment.id.index == index)
        .unwrap_or_else(|| panic!("{}:{block}.{index} does not exist", article.stem))
}

/// A record for a segment of the article: `raw` is what the engine said, `target` the final
/// text (`None`: untranslated).
pub fn record(
    article: &Article,
    block: usize,
    index: usize,
    origin: Origin,
    raw: Option<&str>,
    target: Option<&str>,
) -> AlignedSegment {
    let mut record = AlignedSegment::untranslated(segment(article, block, index));
    if record.translatable {
        record.origin = origin;
        record.raw = raw.map(str::to_string);
        record.target = target.map(str::to_string);
        if let (Some(raw), Some(target)) = (raw, target) {
            record.diff = word_diff(raw, target);
        }
    }
    record
}

/// A QA finding on `record` spanning the first `source_text` and `target_text`.
fn qa_finding(
    record: &AlignedSegment,
    check: Check,
    severity: Severity,
    source_text: &str,
    target_text: &str,
    message: &str,
) -> Finding {
    let source = record.source.find(source_text).unwrap();
    let target = record.target.as_deref().unwrap().find(target_text).unwrap();
    Finding::new(check, severity, message)
        .with_source(source, source + source_text.len())
        .with_target(target, target + target_text.len())
}

pub fn article_003() -> ArticleRecords {
    let article = segment_article(A003, &corpus_text(A003), &SegmentOptions::default());
    let mut records = Vec::new();

    let raw = "According to Vice Prime Minister and Foreign Minister Bui Thanh Son, the working trip of the General Secretary and President to the United States was a great success, as it achieved all the goals and tasks set at a high level.";
    let fixed = "According to Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son, the working trip of the General Secretary and President to the United States was a great success, as it achieved all the goals and tasks set at a high level.";
    let mut r = record(&article, 1, 1, Origin::Fixed, Some(raw), Some(fixed));
    r.matches = vec![
        term(
            &r,
            "Wakil Perdana Menteri",
            "Deputy Prime Minister",
            TermKind::Title,
            Some("Deputy Prime Minister"),
        ),
        term(
            &r,
            "Menteri Luar Negeri",
            "Minister of Foreign Affairs",
            TermKind::Title,
            Some("Minister of Foreign Affairs"),
        ),
        term(
            &r,
            "Bui Thanh Son",
            "Bui Thanh Son",
            TermKind::Person,
            Some("Bui Thanh Son"),
        ),
        term(
            &r,
            "Sekretaris Jenderal",
            "General Secretary",
            TermKind::Title,
            Some("General Secretary"),
        ),
        term(
            &r,
            "Presiden",
            "President",
            TermKind::Title,
            Some("President"),
        ),
        term(
            &r,
            "Amerika Serikat",
            "United States",
            TermKind::Place,
            Some("United States"),
        ),
    ];
    records.push(r);

    let text = "Working visit of Secretary-General and President To Lam: raising the level of Vietnam-UN relations";
    let mut r = record(&article, 2, 1, Origin::Engine, Some(text), Some(text));
    r.matches = vec![
        term(
            &r,
            "Sekretaris Jenderal",
            "General Secretary",
            TermKind::Title,
            None,
        ),
        term(
            &r,
            "Presiden",
            "President",
            TermKind::Title,
            Some("President"),
        ),
        term(&r, "To Lam", "To Lam", TermKind::Person, Some("To Lam")),
    ];
    r.violations = vec![forbidden(
        &r,
        "Sekretaris Jenderal",
        "General Secretary",
        "Secretary-General",
        "The Party post (Tổng Bí thư) is General Secretary; 'Secretary-General' is the UN post.",
    )];
    records.push(r);

    let text = "General Secretary and President To Lam: Every country plays an important role in the great symphony of our times.";
    let mut r = record(&article, 3, 1, Origin::Cache, Some(text), Some(text));
    r.matches = vec![
        term(
            &r,
            "Sekretaris Jenderal",
            "General Secretary",
            TermKind::Title,
            Some("General Secretary"),
        ),
        term(
            &r,
            "Presiden",
            "President",
            TermKind::Title,
            Some("President"),
        ),
        term(&r, "To Lam", "To Lam", TermKind::Person, Some("To Lam")),
    ];
    r.qa = vec![qa_finding(
        &r,
        Check::Punctuation,
        Severity::Warning,
        " :",
        ":",
        "a space before “:” in the source is dropped in the target",
    )];
    records.push(r);

    // The engine failed on this one.
    let mut r = record(&article, 4, 1, Origin::None, None, None);
    r.matches = vec![term(
        &r,
        "Wakil Perdana Menteri",
        "Deputy Prime Minister",
        TermKind::Title,
        None,
    )];
    records.push(r);

    let text = "General Secretary and President To Lam speaks at the High-level General Debate of the 79th session of the United Nations General Assembly. (Photo: Lam Khanh/VNA)";
    let mut r = record(&article, 5, 1, Origin::Memory, Some(text), Some(text));
    r.matches = vec![
        term(
            &r,
            "Sekretaris Jenderal",
            "General Secretary",
            TermKind::Title,
            Some("General Secretary"),
        ),
        term(
            &r,
            "Presiden",
            "President",
            TermKind::Title,
            Some("President"),
        ),
        term(
            &r,
            "Majelis Umum Perserikatan Bangsa-Bangsa",
            "United Nations General Assembly",
            TermKind::Org,
            Some("United Nations General Assembly"),
        ),
    ];
    // a QA error injected to show how the exports render findings (the English is right)
    r.qa = vec![qa_finding(
        &r,
        Check::Number,
        Severity::Error,
        "ke-79",
        "79th",
        "the source's “ke-79” should be 79th or seventy-ninth in the target",
    )];
    records.push(r);

    records.push(record(
        &article,
        6,
        1,
        Origin::Reviewed,
        Some("Here is the content of the interview:"),
        Some("Following is the full interview:"),
    ));

    let text = "Could the Deputy Prime Minister and Minister tell us about the outstanding results of the General Secretary and President's working trip to attend the Summit of the Future, the High-level Debate of the 79th United Nations General Assembly, and work in the United States?";
    let mut r = record(&article, 7, 1, Origin::Engine, Some(text), Some(text));
    r.matches = vec![
        term(
            &r,
            "Wakil Perdana Menteri",
            "Deputy Prime Minister",
            TermKind::Title,
            Some("Deputy Prime Minister"),
        ),
        term(
            &r,
            "Menteri memberi",
            "Minister",
            TermKind::Title,
            Some("Minister tell"),
        ),
    ];
    // "Menteri memberi" above only locates the span; the term itself is "Menteri".
    r.matches[1].source_term = "Menteri".to_string();
    r.matches[1].source_span.end = r.matches[1].source_span.start + "Menteri".len();
    r.matches[1].target_span = r.matches[1].target_span.map(|span| TextSpan {
        start: span.start,
        end: span.start + "Minister".len(),
    });
    records.push(r);

    let text = "First, this is the first multilateral overseas trip by To Lam to attend the United Nations General Assembly in person.";
    let mut r = record(&article, 11, 1, Origin::Engine, Some(text), Some(text));
    r.matches = vec![
        term(
            &r,
            "Sekretaris Jenderal",
            "General Secretary",
            TermKind::Title,
            None,
        ),
        term(&r, "Presiden", "President", TermKind::Title, None),
        term(&r, "To Lam", "To Lam", TermKind::Person, Some("To Lam")),
        term(
            &r,
            "Majelis Umum Perserikatan Bangsa-Bangsa",
            "United Nations General Assembly",
            TermKind::Org,
            Some("United Nations General Assembly"),
        ),
    ];
    r.violations = vec![
        missing(&r, "Sekretaris Jenderal", "General Secretary"),
        missing(&r, "Presiden", "President"),
    ];
    records.push(r);

    let text = "Deputy Prime Minister and Foreign Minister Bui Thanh Son. (Photo: VNA)";
    let mut r = record(&article, 14, 1, Origin::Engine, Some(text), Some(text));
    r.matches = vec![
        term(
            &r,
            "Wakil Perdana Menteri",
            "Deputy Prime Minister",
            TermKind::Title,
            Some("Deputy Prime Minister"),
        ),
        term(
            &r,
            "Menteri Luar Negeri",
            "Minister of Foreign Affairs",
            TermKind::Title,
            None,
        ),
        term(
            &r,
            "Bui Thanh Son",
            "Bui Thanh Son",
            TermKind::Person,
            Some("Bui Thanh Son"),
        ),
    ];
    r.violations = vec![forbidden(
        &r,
        "Menteri Luar Negeri",
        "Minister of Foreign Affairs",
        "Foreign Minister",
        "House style (MOFA/VNA formal form): never 'Foreign Minister'.",
    )];
    records.push(r);

    ArticleRecords {
        stem: A003.to_string(),
        records,
    }
}

pub fn article_002() -> ArticleRecords {
    let article = segment_article(A002, &corpus_text(A002), &SegmentOptions::default());
    let mut records = Vec::new();
    let text = "Promoting the Pioneering Role of the Diplomatic Service in Serving the Country's Development";
    records.push(record(
        &article,
        1,
        1,
        Origin::Engine,
        Some(text),
        Some(text),
    ));
    records.push(record(&article, 2, 1, Origin::Source, None, None));
    let text = "With the theme \"Promoting the pioneering role, building a comprehensive, modern and strong diplomatic service, successfully implementing the Resolution of the 13th National Congress of the Communist Party of Vietnam (CPV)\", the 32nd Diplomatic Conference and all related conferences took place from December 17 to 19 in Hanoi.";
    records.push(record(
        &article,
        2,
        2,
        Origin::Engine,
        Some(text),
        Some(text),
    ));
    let raw = "Foreign Minister of Vietnam, Bui Thanh Son (Photo: MOFA)";
    let fixed = "Minister of Foreign Affairs of Vietnam, Bui Thanh Son (Photo: MOFA)";
    let mut r = record(&article, 4, 1, Origin::Fixed, Some(raw), Some(fixed));
    r.matches = vec![
        term(
            &r,
            "Menlu",
            "Minister of Foreign Affairs",
            TermKind::Title,
            Some("Minister of Foreign Affairs"),
        ),
        term(
            &r,
            "Bui Thanh Son",
            "Bui Thanh Son",
            TermKind::Person,
            Some("Bui Thanh Son"),
        ),
        term(
            &r,
            "Kemenlu",
            "Ministry of Foreign Affairs",
            TermKind::Org,
            Some("MOFA"),
        ),
    ];
    records.push(r);
    records.push(record(&article, 15, 1, Origin::Source, None, None));
    records.push(record(&article, 16, 1, Origin::Source, None, None));
    ArticleRecords {
        stem: A002.to_string(),
        records,
    }
}

fn synthetic(
    block: usize,
    index: usize,
    kind: BlockKind,
    text: &str,
    translatable: bool,
) -> AlignedSegment {
    AlignedSegment::untranslated(&Segment {
        id: SegmentId::new(HOSTILE, block, index),
        kind,
        text: text.to_string(),
        span: Span::new(0, text.len()),
        translatable,
    })
}

/// The script source text every export must show as text.
pub const SCRIPT_SOURCE: &str =
    "Presiden berkata: <script>alert(1)</script> & \"tidak\" <b>tebal</b>";
pub const SCRIPT_TARGET: &str =
    "The President said: <script>alert(1)</script> & \"no\" <b>bold</b>";
/// Text with everything that breaks naive TSV, XML and Markdown writers.
pub const AWKWARD_SOURCE: &str = "Kolom\tdengan tab, baris\nbaru, CR\r\ndan garis miring \\ serta \\t harfiah | pipa ]]> 'kutip' — Việt Nam “Tô Lâm”";
pub const AWKWARD_TARGET: &str = "Column\twith a tab, a line\nbreak, CR\r\nand a backslash \\ and a literal \\t | pipe ]]> 'quote' — Việt Nam “Tô Lâm”";
/// A control character and a non-character, which XML 1.0 forbids.
pub const CONTROL_SOURCE: &str = "Bel\u{7} dan \u{FFFF} tanda";
pub const CONTROL_TARGET: &str = "Bell\u{7} and \u{FFFF} sign";

pub fn article_hostile() -> ArticleRecords {
    let mut first = synthetic(1, 1, BlockKind::Paragraph, SCRIPT_SOURCE, true);
    first.origin = Origin::Fixed;
    first.raw = Some(SCRIPT_TARGET.replace("President", "Presiden"));
    first.target = Some(SCRIPT_TARGET.to_string());
    first.diff = word_diff(first.raw.as_deref().unwrap(), SCRIPT_TARGET);
    first.matches = vec![term(
        &first,
        "Presiden",
        "President",
        TermKind::Title,
        Some("President"),
    )];
    let mut second = synthetic(1, 2, BlockKind::Paragraph, AWKWARD_SOURCE, true);
    second.origin = Origin::Engine;
    second.raw = Some(AWKWARD_TARGET.to_string());
    second.target = Some(AWKWARD_TARGET.to_string());
    let mut third = synthetic(2, 1, BlockKind::Paragraph, CONTROL_SOURCE, true);
    third.origin = Origin::Engine;
    third.raw = Some(CONTROL_TARGET.to_string());
    third.target = Some(CONTROL_TARGET.to_string());
    let fourth = synthetic(
        3,
        1,
        BlockKind::Boilerplate,
        "[iklan_2] <img src=x onerror=alert(2)>",
        false,
    );
    ArticleRecords {
        stem: HOSTILE.to_string(),
        records: vec![first, second, third, fourth],
    }
}

/// The two realistic articles (no hostile one).
pub fn realistic() -> Vec<ArticleRecords> {
    vec![article_002(), article_003()]
}

/// Every fixture article.
pub fn all() -> Vec<ArticleRecords> {
    vec![article_002(), article_003(), article_hostile()]
}

/// Writes the articles as `translations/<stem>.jsonl` under `folder`.
pub fn write_jsonl_folder(folder: &std::path::Path, articles: &[ArticleRecords]) {
    std::fs::create_dir_all(folder).unwrap();
    for article in articles {
        let mut bytes = Vec::new();
        selaras::record::write_jsonl(&article.records, &mut bytes).unwrap();
        std::fs::write(folder.join(format!("{}.jsonl", article.stem)), bytes).unwrap();
    }
}
