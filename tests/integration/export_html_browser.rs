//! The HTML review page as a browser renders it: headless Chromium loads the exported page
//! from disk (no network, no JavaScript needed) and the rendered DOM must hold the rows, the
//! term highlights, the violation marks and the diff marks, with hostile text as text.

use crate::export_fixtures::{self as fixtures, A003};
use selaras::export::{ExportFormat, export_articles};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Renders `page` in headless Chromium and returns the serialized DOM after load.
fn dump_dom(page: &Path) -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            !crate::support::under_ci(),
            "{CHROMIUM} is required under CI (apt-get install chromium)"
        );
        eprintln!("note: {CHROMIUM} is not installed (apt-get install chromium); skipping");
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Bounded: Chromium gets 60 seconds, then it is killed and the test fails.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 60 seconds");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

#[test]
fn review_page_renders_rows_highlights_and_diff_marks() {
    let folder = tempfile::tempdir().unwrap();
    let articles = fixtures::all();
    export_articles(
        &articles,
        &[ExportFormat::Html],
        folder.path(),
        &fixtures::context(),
    )
    .unwrap();
    let Some(dom) = dump_dom(&folder.path().join(format!("{A003}.html"))) else {
        return;
    };
    let article = fixtures::article_003();
    let rows = dom.matches("<tr id=\"").count();
    assert_eq!(rows, article.records.len(), "one row per segment");
    for record in &article.records {
        assert!(
            dom.contains(&format!("<tr id=\"{}\"", record.id)),
            "row {}",
            record.id
        );
    }
    // Highlights from the spans, in both columns.
    assert!(dom.contains(
        "<td class=\"source\" lang=\"id\">Menurut <mark class=\"term\">Wakil Perdana Menteri</mark>"
    ));
    assert!(dom.contains("<td class=\"target\" lang=\"en\">According to <mark class=\"term\">Deputy Prime Minister</mark>"));
    // The forbidden rendering is flagged in the target, with the approved one next to it.
    assert!(dom.contains("and <mark class=\"term bad\">Foreign Minister</mark> <mark class=\"term\">Bui Thanh Son</mark>"));
    assert!(dom.contains("<span class=\"forbidden\">Foreign Minister</span> → <span class=\"approved\">Minister of Foreign Affairs</span>"));
    // A missing rendering is flagged in the source.
    assert!(
        dom.contains("multilateral pertama <mark class=\"term bad\">Sekretaris Jenderal</mark>")
    );
    // The engine → final diff.
    assert!(dom.contains("According to <del>Vice</del><ins>Deputy</ins> Prime Minister and <ins>Minister of</ins> Foreign <del>Minister</del><ins>Affairs</ins> Bui Thanh Son"), "{dom}");
    assert!(dom.contains("<li class=\"bad\"><b>4</b>violations</li>"));
    assert!(dom.contains("<li class=\"warn\"><b>1</b>untranslated</li>"));

    let Some(hostile) = dump_dom(&folder.path().join("999_hostile.html")) else {
        return;
    };
    assert!(!hostile.contains("<script"), "no script element in the DOM");
    assert!(!hostile.contains("<img"), "no image element in the DOM");
    assert!(hostile.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    let Some(index) = dump_dom(&folder.path().join("index.html")) else {
        return;
    };
    for article in &articles {
        assert!(index.contains(&format!("<a href=\"{0}.html\">{0}</a>", article.stem)));
    }
}
