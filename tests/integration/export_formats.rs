//! Every export format on realistic records: snapshots, parsing each file back, validating TMX
//! and XLIFF against the official DTD and XSD with xmllint, and hostile text (markup, tabs,
//! line breaks, control characters) surviving as text.

use crate::export_fixtures::{self as fixtures, A003, HOSTILE};
use crate::support::{Schema, validate_xml};
use selaras::export::xliff::SegmentState;
use selaras::export::{ArticleRecords, ExportFormat, exporter, tsv, xliff, xliff12};
use selaras::record::{AlignedSegment, Status, read_jsonl};
use selaras::tmx;
use std::path::Path;

fn render(format: ExportFormat, article: &ArticleRecords) -> String {
    let bytes = exporter(format).render_article(article, &fixtures::context());
    String::from_utf8(bytes).expect("exports are UTF-8")
}

fn main_section(html: &str) -> &str {
    let start = html.find("<header").expect("a page header");
    let end = html.find("</main>").expect("a main section") + "</main>".len();
    &html[start..end]
}

#[test]
fn snapshots_of_every_format() {
    let article = fixtures::article_003();
    insta::assert_snapshot!("export_003_tsv", render(ExportFormat::Tsv, &article));
    insta::assert_snapshot!("export_003_jsonl", render(ExportFormat::Jsonl, &article));
    insta::assert_snapshot!("export_003_tmx", render(ExportFormat::Tmx, &article));
    insta::assert_snapshot!("export_003_xliff", render(ExportFormat::Xliff, &article));
    insta::assert_snapshot!(
        "export_003_xliff12",
        render(ExportFormat::Xliff12, &article)
    );
    insta::assert_snapshot!(
        "export_003_markdown",
        render(ExportFormat::Markdown, &article)
    );
    insta::assert_snapshot!("export_003_diff", render(ExportFormat::Diff, &article));
    insta::assert_snapshot!(
        "export_003_html_main",
        main_section(&render(ExportFormat::Html, &article))
    );
    let (name, index) = exporter(ExportFormat::Html)
        .render_index(&fixtures::realistic(), &fixtures::context())
        .expect("HTML has an index");
    assert_eq!(name, "index.html");
    insta::assert_snapshot!(
        "export_index_html_main",
        main_section(&String::from_utf8(index).unwrap())
    );
    let hostile = fixtures::article_hostile();
    insta::assert_snapshot!("export_hostile_tsv", render(ExportFormat::Tsv, &hostile));
    insta::assert_snapshot!(
        "export_hostile_xliff",
        render(ExportFormat::Xliff, &hostile)
    );
}

#[test]
fn tsv_round_trips_every_segment() {
    for article in fixtures::all() {
        let text = render(ExportFormat::Tsv, &article);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines.len(),
            article.records.len() + 1,
            "a header and one line per segment"
        );
        assert!(
            lines.iter().all(|line| line.split('\t').count() == 7),
            "every line has seven columns:\n{text}"
        );
        let rows = tsv::read(&text).unwrap();
        assert_eq!(rows.len(), article.records.len());
        for (row, record) in rows.iter().zip(&article.records) {
            assert_eq!(row.id, record.id);
            assert_eq!(row.kind, record.kind.as_str());
            assert_eq!(row.source, record.source, "{}", record.id);
            assert_eq!(row.target, record.target, "{}", record.id);
            assert_eq!(row.status, record.status().as_str());
            assert_eq!(row.violations.is_empty(), record.violations.is_empty());
            assert_eq!(row.qa.is_empty(), record.qa.is_empty(), "{}", record.id);
        }
    }
}

#[test]
fn tsv_names_the_approved_rendering_of_each_violation() {
    let text = render(ExportFormat::Tsv, &fixtures::article_003());
    let row = text
        .lines()
        .find(|line| line.starts_with(&format!("{A003}:14.1\t")))
        .unwrap();
    assert!(
        row.ends_with("\tviolations\tforbidden_variant: \"Foreign Minister\" → \"Minister of Foreign Affairs\" (Menteri Luar Negeri)\t"),
        "{row}"
    );
}

#[test]
fn jsonl_round_trips_the_full_record() {
    for article in fixtures::all() {
        let text = render(ExportFormat::Jsonl, &article);
        assert_eq!(text.lines().count(), article.records.len());
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        for field in [
            "id",
            "kind",
            "source",
            "target",
            "raw",
            "origin",
            "matches",
            "violations",
            "diff",
        ] {
            assert!(first.get(field).is_some(), "field {field} in {first}");
        }
        let back = read_jsonl(text.as_bytes()).unwrap();
        assert_eq!(back, article.records);
    }
}

fn translated(records: &[AlignedSegment]) -> Vec<&AlignedSegment> {
    records
        .iter()
        .filter(|record| record.translatable && record.target.is_some())
        .collect()
}

#[test]
fn tmx_reads_back_and_validates_against_the_dtd() {
    for article in fixtures::all() {
        let text = render(ExportFormat::Tmx, &article);
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">"), "{text}");
        let document = tmx::read(&text).unwrap();
        let header: std::collections::BTreeMap<&str, &str> = document
            .header
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        for (key, value) in [
            ("creationtool", "selaras"),
            ("creationtoolversion", "0.1.0"),
            ("segtype", "sentence"),
            ("o-tmf", "selaras-jsonl"),
            ("adminlang", "en"),
            ("srclang", "id"),
            ("datatype", "plaintext"),
            ("creationdate", "20251201T083000Z"),
        ] {
            assert_eq!(header.get(key), Some(&value), "header {key}");
        }
        let (expected, left_out): (Vec<&AlignedSegment>, Vec<&AlignedSegment>) =
            translated(&article.records)
                .into_iter()
                .partition(|record| {
                    selaras::xml::first_forbidden(&record.source).is_none()
                        && selaras::xml::first_forbidden(record.target.as_deref().unwrap())
                            .is_none()
                });
        assert_eq!(
            document.units.len(),
            expected.len(),
            "one tu per translated segment XML can carry"
        );
        for record in left_out {
            assert!(
                text.contains(&format!("<note>segment {} left out", record.id)),
                "{text}"
            );
        }
        for (unit, record) in document.units.iter().zip(expected) {
            let id = record.id.to_string();
            assert_eq!(unit.id.as_deref(), Some(id.as_str()));
            assert_eq!(unit.prop("x-segment-id"), Some(id.as_str()));
            assert_eq!(unit.prop("x-origin"), Some(record.origin.as_str()));
            assert_eq!(unit.text_in("id"), Some(record.source.as_str()), "{id}");
            assert_eq!(unit.text_in("en"), record.target.as_deref(), "{id}");
            assert_eq!(
                unit.props
                    .iter()
                    .filter(|(kind, _)| kind == "x-term")
                    .count(),
                record.matches.len(),
                "{id}: one x-term prop per glossary term"
            );
            assert_eq!(
                unit.notes.len(),
                record.violations.len() + record.qa.len(),
                "{id}"
            );
        }
        validate_xml(&text, Schema::Tmx14);
    }
}

/// Regression: OmegaT drops the text inside `<hi>` and then matched none of those segments.
#[test]
fn tmx_segments_are_plain_by_default_with_terms_in_props() {
    let text = render(ExportFormat::Tmx, &fixtures::article_002());
    assert!(!text.contains("<hi"), "{text}");
    assert!(
        text.contains(
            "<seg>Minister of Foreign Affairs of Vietnam, Bui Thanh Son (Photo: MOFA)</seg>"
        ),
        "{text}"
    );
    assert!(
        text.contains("<prop type=\"x-term\">Menlu → Minister of Foreign Affairs</prop>"),
        "{text}"
    );
    validate_xml(&text, Schema::Tmx14);
}

#[test]
fn tmx_pairs_terms_with_hi_elements_when_asked() {
    let bytes = exporter(ExportFormat::Tmx).render_article(
        &fixtures::article_002(),
        &fixtures::context().with_tmx_term_markup(true),
    );
    let text = String::from_utf8(bytes).unwrap();
    validate_xml(&text, Schema::Tmx14);
    assert!(text.contains(
        "<seg><hi type=\"x-term\" x=\"1\">Menlu</hi> Vietnam, <hi type=\"x-term\" x=\"2\">Bui Thanh Son</hi> (Foto: <hi type=\"x-term\" x=\"3\">Kemenlu</hi>)</seg>"
    ), "{text}");
    assert!(text.contains(
        "<seg><hi type=\"x-term\" x=\"1\">Minister of Foreign Affairs</hi> of Vietnam, <hi type=\"x-term\" x=\"2\">Bui Thanh Son</hi> (Photo: <hi type=\"x-term\" x=\"3\">MOFA</hi>)</seg>"
    ), "{text}");
    assert!(
        !text.contains("(VOVWORLD)"),
        "non-translatable segments are not in the memory"
    );
}

#[test]
fn xliff_reads_back_and_validates_against_the_schema() {
    for article in fixtures::all() {
        let text = render(ExportFormat::Xliff, &article);
        assert!(text.contains(
            "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"id\" trgLang=\"en\">"
        ));
        let document = xliff::read(&text).unwrap();
        assert_eq!(document.version, "2.1");
        assert_eq!(document.source_lang, "id");
        assert_eq!(document.target_lang.as_deref(), Some("en"));
        // the white space between two sentences of a unit is an ignorable without an id
        let (segments, spaces): (Vec<_>, Vec<_>) = document
            .segments
            .iter()
            .partition(|segment| segment.segment_id.is_some());
        let blocks = article
            .records
            .iter()
            .map(|record| record.id.block)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        assert_eq!(spaces.len(), article.records.len() - blocks);
        for space in spaces {
            assert!(space.ignorable && !space.translate);
            assert_eq!(
                (space.source.as_str(), space.target.as_deref()),
                (" ", Some(" "))
            );
        }
        assert_eq!(segments.len(), article.records.len());
        for (segment, record) in segments.into_iter().zip(&article.records) {
            let id = record.id.to_string();
            assert_eq!(segment.file_id, article.stem);
            assert_eq!(segment.unit_id, record.id.block.to_string(), "{id}");
            assert_eq!(
                segment.segment_id,
                Some(record.id.index.to_string()),
                "{id}"
            );
            assert_eq!(segment.source, record.source, "{id}");
            assert_eq!(segment.translate, record.translatable, "{id}");
            if record.translatable {
                assert_eq!(segment.target, record.target, "{id}");
            } else {
                assert_eq!(
                    segment.target.as_deref(),
                    Some(record.source.as_str()),
                    "{id}"
                );
            }
            let expected_state = match record.status() {
                Status::NotTranslatable if segment.ignorable => SegmentState::Initial,
                Status::NotTranslatable => SegmentState::Final,
                Status::Untranslated | Status::Violations => SegmentState::Initial,
                Status::Fixed | Status::Ok if record.origin != selaras::record::Origin::Memory => {
                    SegmentState::Translated
                }
                Status::Ok => SegmentState::Final,
                Status::Reviewed => SegmentState::Reviewed,
                Status::Fixed => unreachable!(),
            };
            assert_eq!(segment.state, expected_state, "{id}");
            let expected_sub_state = match record.status() {
                Status::Fixed => Some("selaras:term-fixed"),
                Status::Reviewed => Some("selaras:reviewed"),
                Status::Ok if record.origin == selaras::record::Origin::Memory => {
                    Some("selaras:memory")
                }
                _ => None,
            };
            assert_eq!(segment.sub_state.as_deref(), expected_sub_state, "{id}");
        }
        let violations: usize = article.records.iter().map(|r| r.violations.len()).sum();
        let glossary_notes = document
            .notes
            .iter()
            .filter(|note| note.category.as_deref() == Some("glossary"))
            .count();
        assert_eq!(
            glossary_notes, violations,
            "one glossary note per violation"
        );
        validate_xml(&text, Schema::Xliff2);
    }
}

#[test]
fn xliff_marks_terms_ignorables_and_untranslatable_units() {
    let text = render(ExportFormat::Xliff, &fixtures::article_002());
    assert!(text.contains("<ignorable id=\"1\"><source>(VOVWORLD) -</source><target>(VOVWORLD) -</target></ignorable>"), "{text}");
    assert!(text.contains("<unit id=\"15\" translate=\"no\">"), "{text}");
    assert!(
        text.contains("<source><mrk id=\"m1-1\" type=\"term\">Menlu</mrk> Vietnam,"),
        "{text}"
    );
    assert!(
        text.contains(
            "<target><mrk id=\"m1-1\" type=\"term\">Minister of Foreign Affairs</mrk> of Vietnam,"
        ),
        "{text}"
    );
    let violations = render(ExportFormat::Xliff, &fixtures::article_003());
    assert!(violations.contains("<note category=\"glossary\" appliesTo=\"target\" priority=\"1\">\"Menteri Luar Negeri\" must be rendered \"Minister of Foreign Affairs\", not \"Foreign Minister\". House style (MOFA/VNA formal form): never &apos;Foreign Minister&apos;.</note>")
        || violations.contains("<note category=\"glossary\" appliesTo=\"target\" priority=\"1\">\"Menteri Luar Negeri\" must be rendered \"Minister of Foreign Affairs\", not \"Foreign Minister\". House style (MOFA/VNA formal form): never 'Foreign Minister'.</note>"),
        "{violations}");
}

/// Regression: the TMX silently dropped the control character (`Bell and  sign`).
#[test]
fn forbidden_xml_characters_survive_xliff_as_codes_and_are_named_not_changed_in_tmx() {
    let hostile = fixtures::article_hostile();
    let xliff_text = render(ExportFormat::Xliff, &hostile);
    assert!(
        xliff_text.contains("Bell<cp hex=\"0007\"/> and <cp hex=\"FFFF\"/> sign"),
        "{xliff_text}"
    );
    let xliff12_text = render(ExportFormat::Xliff12, &hostile);
    assert!(
        xliff12_text.contains("Bell<x id=\"cp2\" ctype=\"x-selaras-cp\" ts=\"0007\"/> and <x id=\"cp4\" ctype=\"x-selaras-cp\" ts=\"FFFF\"/> sign"),
        "{xliff12_text}"
    );
    let units = xliff12::read(&xliff12_text).unwrap();
    assert_eq!(units[2].target.as_deref(), Some(fixtures::CONTROL_TARGET));
    let tmx_text = render(ExportFormat::Tmx, &hostile);
    assert!(!tmx_text.contains("Bell"), "{tmx_text}");
    assert!(
        tmx_text.contains(&format!(
            "<note>segment {HOSTILE}:2.1 left out: its source holds U+0007"
        )),
        "{tmx_text}"
    );
    // A carriage return is a character reference, or XML parsers would turn it into a line feed.
    assert!(tmx_text.contains("CR&#13;\nand a backslash"), "{tmx_text}");
}

/// The hostile article's script text, as each format must carry it.
#[test]
fn script_in_the_source_is_text_in_every_export() {
    let hostile = fixtures::article_hostile();
    for format in ExportFormat::ALL {
        let mut text = render(format, &hostile);
        if format == ExportFormat::Html {
            // the page's own filter script is the one script element it may hold
            let own = format!("<script>{}</script>", selaras::export::html::SCRIPT);
            assert_eq!(text.matches("<script").count(), 1, "{text}");
            text = text.replace(&own, "");
        }
        match format {
            ExportFormat::Html | ExportFormat::Markdown => {
                assert!(!text.contains("<script"), "{format}: raw markup\n{text}");
                assert!(!text.contains("<img"), "{format}: raw markup\n{text}");
                assert!(!text.contains("<b>tebal"), "{format}: raw markup\n{text}");
                assert!(!text.contains("<b>bold"), "{format}: raw markup\n{text}");
                assert!(
                    text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                    "{format}: the script text is shown\n{text}"
                );
            }
            ExportFormat::Tmx => {
                assert!(!text.contains("<script"), "{text}");
                let document = tmx::read(&text).unwrap();
                assert_eq!(
                    document.units[0].text_in("id"),
                    Some(fixtures::SCRIPT_SOURCE)
                );
                assert_eq!(
                    document.units[0].text_in("en"),
                    Some(fixtures::SCRIPT_TARGET)
                );
            }
            ExportFormat::Xliff12 => {
                assert!(!text.contains("<script"), "{text}");
                let units = xliff12::read(&text).unwrap();
                assert_eq!(units[0].source, fixtures::SCRIPT_SOURCE);
                assert_eq!(units[0].target.as_deref(), Some(fixtures::SCRIPT_TARGET));
            }
            ExportFormat::Xliff => {
                assert!(!text.contains("<script"), "{text}");
                let document = xliff::read(&text).unwrap();
                assert_eq!(document.segments[0].source, fixtures::SCRIPT_SOURCE);
                assert_eq!(
                    document.segments[0].target.as_deref(),
                    Some(fixtures::SCRIPT_TARGET)
                );
            }
            ExportFormat::Tsv => {
                let rows = tsv::read(&text).unwrap();
                assert_eq!(rows[0].source, fixtures::SCRIPT_SOURCE);
            }
            ExportFormat::Jsonl => {
                let back = read_jsonl(text.as_bytes()).unwrap();
                assert_eq!(back[0].source, fixtures::SCRIPT_SOURCE);
            }
            ExportFormat::Diff => {
                assert!(
                    text.contains(&format!("+{}\n", fixtures::SCRIPT_TARGET)),
                    "{text}"
                );
            }
        }
    }
    let index = exporter(ExportFormat::Html)
        .render_index(&[hostile], &fixtures::context())
        .unwrap()
        .1;
    assert!(!String::from_utf8(index).unwrap().contains("<script"));
}

#[test]
fn markdown_table_has_one_row_per_segment_and_escaped_cells() {
    let hostile = fixtures::article_hostile();
    let text = render(ExportFormat::Markdown, &hostile);
    let rows: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("| `"))
        .collect();
    assert_eq!(rows.len(), hostile.records.len(), "{text}");
    for row in rows {
        // Unescaped pipes separate the four columns: five of them per row.
        let mut pipes = 0;
        let mut escaped = false;
        for character in row.chars() {
            match character {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => pipes += 1,
                _ => escaped = false,
            }
        }
        assert_eq!(pipes, 5, "{row}");
    }
    assert!(text.contains(&format!("| `{HOSTILE}:1.2` | Kolom dengan tab, baris<br>baru, CR<br>dan garis miring \\\\ serta \\\\t harfiah \\| pipa \\]\\]&gt;")), "{text}");
}

#[test]
fn unified_diff_shows_what_the_fixer_changed() {
    let text = render(ExportFormat::Diff, &fixtures::article_003());
    assert!(text.contains(&format!("--- {A003}:1.1 (raw, engine)\n+++ {A003}:1.1 (final, fixed)\n@@ -1 +1 @@\n-According to Vice Prime Minister and Foreign Minister")), "{text}");
    assert!(
        text.contains(&format!(
            "--- {A003}:6.1 (raw, engine)\n+++ {A003}:6.1 (final, reviewed)\n"
        )),
        "{text}"
    );
    assert_eq!(
        text.matches("@@ ").count(),
        2,
        "only the changed segments: {text}"
    );
}

#[test]
fn export_writes_every_file_atomically_and_refuses_an_index_collision() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("out");
    let articles = fixtures::realistic();
    let written =
        selaras::export::export_articles(&articles, &ExportFormat::ALL, &out, &fixtures::context())
            .unwrap();
    assert_eq!(written.len(), ExportFormat::ALL.len() * articles.len() + 1);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"index.html".to_string()));
    assert!(names.contains(&format!("{A003}.xlf")));
    assert!(
        names.iter().all(|name| !name.ends_with(".tmp")),
        "{names:?}"
    );

    let mut clash = fixtures::article_002();
    clash.stem = "index".to_string();
    let other = folder.path().join("other");
    let error = selaras::export::export_articles(
        &[clash],
        &[ExportFormat::Html],
        &other,
        &fixtures::context(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("corpus index"), "{error}");
    assert!(
        !Path::new(&other).exists(),
        "nothing is written when a check fails"
    );
}

#[test]
fn xliff12_reads_back_and_validates_against_the_transitional_schema() {
    for article in fixtures::all() {
        let text = render(ExportFormat::Xliff12, &article);
        assert!(
            text.contains(
                "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">"
            )
        );
        validate_xml(&text, Schema::Xliff12);
        let units = xliff12::read(&text).unwrap();
        assert_eq!(
            units.len(),
            article.records.len(),
            "one trans-unit per segment"
        );
        for (unit, record) in units.iter().zip(&article.records) {
            let id = record.id.to_string();
            assert_eq!(unit.id, id);
            assert_eq!(unit.file_original, format!("{}.txt", article.stem));
            assert_eq!(unit.source, record.source, "{id}");
            assert_eq!(unit.translate, record.translatable, "{id}");
            if record.translatable {
                assert_eq!(unit.target, record.target, "{id}");
                if record.target.is_some() {
                    assert_eq!(unit.state, xliff::state_of(record).0, "{id}");
                }
            } else {
                assert_eq!(unit.target.as_deref(), Some(record.source.as_str()), "{id}");
                assert_eq!(unit.state, SegmentState::Final, "{id}");
            }
        }
        // notes kept: one per violation and QA finding (plus one naming the terms)
        let notes = text.matches("<note from=\"selaras\"").count();
        let expected: usize = article
            .records
            .iter()
            .map(|record| {
                record.violations.len()
                    + record.warnings.len()
                    + record.qa.len()
                    + usize::from(!record.matches.is_empty())
            })
            .sum();
        assert_eq!(notes, expected, "{}", article.stem);
    }
    let text = render(ExportFormat::Xliff12, &fixtures::article_003());
    assert!(
        text.contains("state=\"final\" state-qualifier=\"leveraged-tm\""),
        "approved memory is final: {text}"
    );
    assert!(!text.contains("<mrk"), "plain text, terms in notes: {text}");
}

/// The XML exports are validated in every state a segment can be in: this names the states
/// the fixtures hold, so that a fixture losing one fails here rather than thinning the check.
#[test]
fn every_xml_export_validates_in_every_state() {
    use selaras::record::Origin;
    let articles = fixtures::all();
    let records: Vec<&AlignedSegment> = articles.iter().flat_map(|a| &a.records).collect();
    let has = |wanted: &dyn Fn(&AlignedSegment) -> bool| records.iter().any(|r| wanted(r));
    assert!(has(&|r| r.status() == Status::Untranslated), "untranslated");
    assert!(
        has(&|r| r.status() == Status::Ok && r.origin == Origin::Engine),
        "engine"
    );
    assert!(has(&|r| r.status() == Status::Fixed), "fixed");
    assert!(
        has(&|r| r.status() == Status::Ok && r.origin == Origin::Memory),
        "memory"
    );
    assert!(has(&|r| r.status() == Status::Reviewed), "reviewed");
    assert!(has(&|r| r.status() == Status::Violations), "violations");
    assert!(
        has(&|r| r.status() == Status::NotTranslatable),
        "not translatable"
    );
    assert!(
        has(&|r| r
            .target
            .as_deref()
            .is_some_and(|t| selaras::xml::first_forbidden(t).is_some())),
        "control characters"
    );
    for article in &articles {
        validate_xml(&render(ExportFormat::Tmx, article), Schema::Tmx14);
        let marked = exporter(ExportFormat::Tmx)
            .render_article(article, &fixtures::context().with_tmx_term_markup(true));
        validate_xml(&String::from_utf8(marked).unwrap(), Schema::Tmx14);
        validate_xml(&render(ExportFormat::Xliff, article), Schema::Xliff2);
        validate_xml(&render(ExportFormat::Xliff12, article), Schema::Xliff12);
    }
}
