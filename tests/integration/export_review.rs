//! The parsing half of the review round trip: a reviewer edits an exported TSV or XLIFF, the
//! edits are read back with their states, the post-editing distance is measured, and a run
//! using the edits differs from the previous run exactly there.

use crate::export_fixtures::{self as fixtures, A003};
use selaras::diff::diff_runs;
use selaras::export::xliff::SegmentState;
use selaras::export::{ExportFormat, exporter};
use selaras::model::SegmentId;
use selaras::record::{AlignedSegment, Origin, word_diff};
use selaras::review::{ReviewEdit, ReviewError, edit_distances, read_review_edits};
use std::path::Path;

const ENGINE_14: &str = "Deputy Prime Minister and Foreign Minister Bui Thanh Son. (Photo: VNA)";
const REVIEWED_14: &str =
    "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son. (Photo: VNA)";
const ENGINE_2: &str = "Working visit of Secretary-General and President To Lam: raising the level of Vietnam-UN relations";
const REVIEWED_2: &str = "Working visit of General Secretary and President To Lam: raising Vietnam-UN relations to a new level";

fn export(format: ExportFormat) -> String {
    String::from_utf8(
        exporter(format).render_article(&fixtures::article_003(), &fixtures::context()),
    )
    .unwrap()
}

fn write(folder: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn edit_for(edits: &[ReviewEdit], block: usize) -> &ReviewEdit {
    edits
        .iter()
        .find(|edit| edit.id == SegmentId::new(A003, block, 1))
        .unwrap_or_else(|| panic!("no edit for block {block}: {edits:?}"))
}

/// What a reviewer does to a TSV export in a text editor: fix two targets and mark them
/// reviewed, and fill in the untranslated segment as final.
fn reviewed_tsv() -> String {
    let mut lines: Vec<String> = export(ExportFormat::Tsv)
        .lines()
        .map(str::to_string)
        .collect();
    for line in &mut lines {
        let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        if cells[0] == format!("{A003}:14.1") {
            cells[3] = REVIEWED_14.to_string();
            cells[4] = "reviewed".to_string();
        } else if cells[0] == format!("{A003}:2.1") {
            cells[3] = REVIEWED_2.to_string();
            cells[4] = "reviewed".to_string();
        } else if cells[0] == format!("{A003}:4.1") {
            cells[3] = "Deputy Prime Minister and Minister of Foreign Affairs Bui Thanh Son was interviewed\\tat the end.".to_string();
            cells[4] = "final".to_string();
        }
        *line = cells.join("\t");
    }
    lines.join("\r\n") + "\r\n"
}

#[test]
fn edited_tsv_reads_back_as_edits_with_states() {
    let folder = tempfile::tempdir().unwrap();
    let path = write(folder.path(), "review.tsv", &reviewed_tsv());
    let edits = read_review_edits(&path).unwrap();
    let article = fixtures::article_003();
    let translated = article
        .records
        .iter()
        .filter(|record| record.translatable && record.target.is_some())
        .count();
    assert_eq!(
        edits.len(),
        translated + 1,
        "every translated segment and the filled-in one"
    );
    let edit = edit_for(&edits, 14);
    assert_eq!(edit.target, REVIEWED_14);
    assert_eq!(edit.state, SegmentState::Reviewed);
    assert_eq!(edit.source, article.records[8].source);
    let filled = edit_for(&edits, 4);
    assert_eq!(filled.state, SegmentState::Final);
    assert!(
        filled.target.contains("interviewed\tat the end."),
        "escapes are undone"
    );
    assert_eq!(
        edit_for(&edits, 3).state,
        SegmentState::Translated,
        "untouched ok row"
    );
    assert_eq!(
        edit_for(&edits, 11).state,
        SegmentState::Initial,
        "untouched row with violations"
    );
}

#[test]
fn edited_xliff_reads_back_as_edits_with_states() {
    let original = export(ExportFormat::Xliff);
    // What a CAT tool writes: the new target (annotations kept where they still fit), the
    // segment state set to reviewed.
    let old_segment = "<segment id=\"1\" state=\"initial\">\n        <source><mrk id=\"m1-1\" type=\"term\">Wakil Perdana Menteri</mrk> dan <mrk id=\"m1-2\" type=\"term\">Menteri Luar Negeri</mrk>";
    assert!(original.contains(old_segment), "{original}");
    let edited = original
        .replacen(
            old_segment,
            &old_segment.replace("state=\"initial\"", "state=\"reviewed\""),
            1,
        )
        .replace(
            "<target><mrk id=\"m1-1\" type=\"term\">Deputy Prime Minister</mrk> and Foreign Minister <mrk id=\"m1-3\" type=\"term\">Bui Thanh Son</mrk>. (Photo: VNA)</target>",
            "<target><mrk id=\"m1-1\" type=\"term\">Deputy Prime Minister</mrk> and <mrk id=\"m1-2\" type=\"term\">Minister of Foreign Affairs</mrk> <mrk id=\"m1-3\" type=\"term\">Bui Thanh Son</mrk>. (Photo: VNA)</target>",
        );
    assert_ne!(edited, original);
    let folder = tempfile::tempdir().unwrap();
    let path = write(folder.path(), "review.xlf", &edited);
    let edits = read_review_edits(&path).unwrap();
    let edit = edit_for(&edits, 14);
    assert_eq!(edit.target, REVIEWED_14);
    assert_eq!(edit.state, SegmentState::Reviewed);
    assert_eq!(edit_for(&edits, 1).state, SegmentState::Translated);
    assert_eq!(edit_for(&edits, 5).state, SegmentState::Final, "memory hit");
    assert!(
        edits
            .iter()
            .all(|edit| edit.id != SegmentId::new(A003, 4, 1)),
        "an untranslated segment without a target is not an edit"
    );
    // The same file without an extension is recognised by its content.
    let sniffed = write(folder.path(), "review", &edited);
    assert_eq!(read_review_edits(&sniffed).unwrap(), edits);
}

#[test]
fn non_translatable_segments_are_never_edits() {
    let article = fixtures::article_002();
    let folder = tempfile::tempdir().unwrap();
    for format in [ExportFormat::Tsv, ExportFormat::Xliff] {
        let text =
            String::from_utf8(exporter(format).render_article(&article, &fixtures::context()))
                .unwrap();
        let path = write(folder.path(), &format!("002.{}", format.extension()), &text);
        let edits = read_review_edits(&path).unwrap();
        assert_eq!(
            edits.len(),
            3,
            "{format}: the heading, the paragraph and the caption"
        );
        assert!(
            edits
                .iter()
                .all(|edit| edit.id.block != 15 && edit.id != SegmentId::new(fixtures::A002, 2, 1))
        );
    }
}

#[test]
fn damaged_review_files_name_the_file_and_line() {
    let folder = tempfile::tempdir().unwrap();
    let tsv = reviewed_tsv().replacen("\treviewed\t", "\treviewed\textra\t", 1);
    let line_number = tsv
        .lines()
        .position(|line| line.contains("\textra\t"))
        .unwrap()
        + 1;
    let cases = [
        ("extra-column.tsv", tsv, line_number, "8 columns"),
        (
            "status.tsv",
            reviewed_tsv().replacen("\treviewed\t", "\tapproved\t", 1),
            line_number,
            "status \"approved\"",
        ),
        (
            "twice.tsv",
            {
                let text = reviewed_tsv();
                let row = text.lines().nth(1).unwrap().to_string();
                format!("{text}{row}\n")
            },
            11,
            "already on line 2",
        ),
        (
            "old.xlf",
            "<?xml version=\"1.0\"?>\n<xliff version=\"3.0\" xmlns=\"urn:oasis:names:tc:xliff:document:3.0\">\n</xliff>\n".to_string(),
            2,
            "version \"3.0\" is not supported",
        ),
        (
            "state.xlf",
            export(ExportFormat::Xliff).replacen("state=\"translated\"", "state=\"approved\"", 1),
            5,
            "state \"approved\"",
        ),
        (
            "broken.xlf",
            export(ExportFormat::Xliff).replacen("</source>", "</sauce>", 1),
            6,
            "",
        ),
    ];
    for (name, text, line_number, message) in cases {
        let path = write(folder.path(), name, &text);
        let error = read_review_edits(&path).unwrap_err();
        let rendered = error.to_string();
        match &error {
            ReviewError::Parse {
                path: error_path,
                line_number: error_line,
                message: error_message,
            } => {
                assert_eq!(error_path, &path, "{rendered}");
                assert_eq!(*error_line, line_number, "{name}: {rendered}");
                assert!(error_message.contains(message), "{name}: {rendered}");
            }
            other => panic!("{name}: {other}"),
        }
        assert!(
            rendered.starts_with(&path.display().to_string()),
            "{rendered}"
        );
    }
    let missing = folder.path().join("missing.tsv");
    assert!(matches!(
        read_review_edits(&missing),
        Err(ReviewError::Read { .. })
    ));
}

#[test]
fn edit_distance_per_segment_and_article() {
    let folder = tempfile::tempdir().unwrap();
    let path = write(folder.path(), "review.tsv", &reviewed_tsv());
    let edits = read_review_edits(&path).unwrap();
    let records = fixtures::article_003().records;
    let report = edit_distances(&records, &edits);
    assert!(report.unknown.is_empty());
    assert_eq!(report.articles.len(), 1);
    let article = &report.articles[0];
    assert_eq!(article.article, A003);
    let segment = |block: usize| {
        article
            .segments
            .iter()
            .find(|segment| segment.id.block == block)
            .unwrap()
    };
    // Measured from the engine's raw output, not from the fixed text.
    let fourteen = segment(14);
    assert_eq!(fourteen.engine, ENGINE_14);
    assert_eq!(
        (fourteen.distance.words, fourteen.distance.word_count),
        (3, 13)
    );
    assert_eq!(
        (
            fourteen.distance.characters,
            fourteen.distance.character_count
        ),
        (20, 81)
    );
    let two = segment(2);
    assert_eq!(two.engine, ENGINE_2);
    assert_eq!((two.distance.words, two.distance.characters), (8, 41));
    let one = segment(1);
    assert!(
        one.distance.words > 0,
        "the glossary fix counts as post-editing of the engine output"
    );
    assert_eq!(segment(3).distance.characters, 0);
    assert_eq!(
        article.edited_segments, 4,
        "1.1 (fixed), 2.1, 6.1 (reviewed earlier) and 14.1"
    );
    let summed: usize = article
        .segments
        .iter()
        .map(|segment| segment.distance.words)
        .sum();
    assert_eq!(article.total.words, summed);
    assert!(article.total.word_rate() > 0.0 && article.total.word_rate() < 1.0);
}

/// Stands in for the lead's import + rerun: the reviewed targets become the segments' final
/// text with origin `reviewed`; the run diff then shows exactly those segments.
fn apply(records: &[AlignedSegment], edits: &[ReviewEdit]) -> Vec<AlignedSegment> {
    records
        .iter()
        .map(|record| {
            let mut record = record.clone();
            if let Some(edit) = edits.iter().find(|edit| edit.id == record.id)
                && record.target.as_deref() != Some(edit.target.as_str())
            {
                record.target = Some(edit.target.clone());
                record.origin = Origin::Reviewed;
                record.violations.clear();
                record.diff = word_diff(record.raw.as_deref().unwrap_or_default(), &edit.target);
            }
            record
        })
        .collect()
}

#[test]
fn a_run_with_the_edits_differs_from_the_previous_run_there() {
    let folder = tempfile::tempdir().unwrap();
    let path = write(folder.path(), "review.tsv", &reviewed_tsv());
    let edits = read_review_edits(&path).unwrap();
    let before = fixtures::article_003().records;
    let after = apply(&before, &edits);
    let diff = diff_runs(&before, &after);
    let changed: Vec<String> = diff
        .changed
        .iter()
        .map(|change| change.id.to_string())
        .collect();
    assert_eq!(
        changed,
        [
            format!("{A003}:2.1"),
            format!("{A003}:4.1"),
            format!("{A003}:14.1")
        ]
    );
    assert!(diff.added.is_empty() && diff.removed.is_empty());
    let fourteen = &diff.changed[2];
    assert_eq!(fourteen.new_origin, Origin::Reviewed);
    assert_eq!((fourteen.old_violations, fourteen.new_violations), (1, 0));
}
