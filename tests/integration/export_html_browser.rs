//! The HTML review page as a browser renders it: headless Chromium loads the exported page
//! from disk (no network) and the rendered DOM must hold the rows, the term highlights paired
//! by colour, the violation marks and the diff marks, with hostile text as text, and the
//! page's own script must have run under its Content-Security-Policy. Then, driven through
//! WebDriver, the page's filters, "next problem" and the outlining of a term's pair.

use crate::export_fixtures::{self as fixtures, A003};
use crate::review_serve_browser::{browser, until};
use fantoccini::{Client, Locator};
use futures::FutureExt;
use selaras::export::{ExportFormat, export_articles};
use serde_json::{Value, json};
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
    // Highlights from the spans, in both columns: a term and its rendering share a colour
    // and a number, the next term of the segment has another.
    let wakil = "<mark class=\"term t0\" data-term=\"0\" tabindex=\"0\" title=\"Wakil Perdana Menteri → Deputy Prime Minister\">";
    assert!(dom.contains(&format!(
        "<td class=\"source\" lang=\"id\" data-label=\"Source (id)\">Menurut {wakil}Wakil Perdana Menteri</mark> dan <mark class=\"term t1\" data-term=\"1\""
    )));
    assert!(dom.contains(&format!(
        "<td class=\"target\" lang=\"en\" data-label=\"Target (en)\">According to {wakil}Deputy Prime Minister</mark> and <mark class=\"term t1\" data-term=\"1\""
    )));
    // The forbidden rendering is flagged in the target, still paired with its term, with the
    // approved one next to it.
    assert!(dom.contains("and <mark class=\"term t1 bad\" data-term=\"1\" tabindex=\"0\" title=\"Menteri Luar Negeri → Minister of Foreign Affairs\">Foreign Minister</mark> <mark class=\"term t2\" data-term=\"2\""));
    assert!(dom.contains("<span class=\"forbidden\">Foreign Minister</span> → <span class=\"approved\">Minister of Foreign Affairs</span>"));
    // A missing rendering is flagged in the source.
    assert!(dom.contains(
        "multilateral pertama <mark class=\"term t0 bad\" data-term=\"0\" tabindex=\"0\" title=\"Sekretaris Jenderal → General Secretary\">Sekretaris Jenderal</mark>"
    ));
    // The engine → final diff.
    assert!(dom.contains("According to <del>Vice</del><ins>Deputy</ins> Prime Minister and <ins>Minister of</ins> Foreign <del>Minister</del><ins>Affairs</ins> Bui Thanh Son"), "{dom}");
    assert!(dom.contains("<li class=\"bad\"><b>4</b>violations</li>"));
    assert!(dom.contains("<li class=\"warn\"><b>1</b>untranslated</li>"));
    // The page's own script ran (its hash is in the policy): the filter bar is shown, counting.
    assert!(
        dom.contains("<div class=\"toolbar\" id=\"filters\" role=\"search\">"),
        "{dom}"
    );
    assert!(dom.contains("<output id=\"shown\" aria-live=\"polite\">9 of 9 shown</output>"));

    let Some(hostile) = dump_dom(&folder.path().join("999_hostile.html")) else {
        return;
    };
    assert_eq!(
        hostile.matches("<script").count(),
        1,
        "no script element but the page's own"
    );
    assert!(!hostile.contains("alert(1)</script>"));
    assert!(!hostile.contains("<img"), "no image element in the DOM");
    assert!(hostile.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    let Some(index) = dump_dom(&folder.path().join("index.html")) else {
        return;
    };
    for article in &articles {
        assert!(index.contains(&format!("<a href=\"{0}.html\">{0}</a>", article.stem)));
    }
}

/// The record of the fixture article given a QA finding for the interactive test.
const QA_RECORD: &str = "003_5e0967db1d361350:5.1";

/// Article 003 with a `number` finding on "ke-79" / "79th" of one record.
fn article_with_a_finding() -> selaras::export::ArticleRecords {
    let mut article = fixtures::article_003();
    let record = article
        .records
        .iter_mut()
        .find(|record| record.id.to_string() == QA_RECORD)
        .unwrap();
    let source = record.source.find("ke-79").unwrap();
    let target = record.target.as_deref().unwrap().find("79th").unwrap();
    record.qa = vec![
        selaras::qa::Finding::new(
            selaras::qa::Check::Number,
            selaras::qa::Severity::Error,
            "79 in the source, check the English",
        )
        .with_source(source, source + 5)
        .with_target(target, target + 4),
    ];
    article
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_static_page_filters_jumps_to_problems_and_outlines_term_pairs_without_a_server() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    export_articles(
        &[article_with_a_finding()],
        &[ExportFormat::Html],
        folder.path(),
        &fixtures::context(),
    )
    .unwrap();
    let url = format!("file://{}/{A003}.html", folder.path().display());
    // the browser is closed even when an assertion fails
    let result = std::panic::AssertUnwindSafe(drive_static_page(&client, &url))
        .catch_unwind()
        .await;
    let _ = client.close().await;
    match result {
        Ok(outcome) => outcome.unwrap(),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

async fn shown_rows(client: &Client) -> Vec<String> {
    let value = client
        .execute(
            "return [...document.querySelectorAll('table.review tbody tr')].filter(r => !r.hidden).map(r => r.id.split(':')[1]);",
            Vec::new(),
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

async fn drive_static_page(client: &Client, url: &str) -> Result<(), fantoccini::error::CmdError> {
    client.goto(url).await?;
    until(
        client,
        "the script to show the filters",
        "return document.getElementById('filters').hidden === false;",
    )
    .await;
    assert_eq!(shown_rows(client).await.len(), 9);
    let show = client.find(Locator::Id("show")).await?;

    // by QA check, then every problem (violations, untranslated, fixed, the QA finding)
    show.select_by_value("qa-number").await?;
    assert_eq!(shown_rows(client).await, ["5.1"]);
    let finding = client
        .execute(
            "const row = document.getElementById('003_5e0967db1d361350:5.1'); return [row.querySelector('li.qa').textContent, [...row.querySelectorAll('td.source mark.qa, td.target mark.qa')].map(m => m.textContent)];",
            Vec::new(),
        )
        .await?;
    assert_eq!(
        finding,
        json!([
            "QA · number · error79 in the source, check the Englishsource ke-79 · target 79th",
            ["ke-79", "79th"]
        ])
    );
    show.select_by_value("problem").await?;
    assert_eq!(
        shown_rows(client).await,
        ["1.1", "2.1", "3.1", "4.1", "5.1", "11.1", "14.1"]
    );
    // text search within the problems, then by origin alone
    let search = client.find(Locator::Id("search")).await?;
    search.send_keys("bui thanh").await?;
    assert_eq!(shown_rows(client).await, ["1.1", "4.1", "14.1"]);
    search.clear().await?;
    search.send_keys("\u{e00c}").await?; // Escape leaves the search
    show.select_by_value("").await?;
    client
        .find(Locator::Id("origin"))
        .await?
        .select_by_value("engine")
        .await?;
    assert_eq!(shown_rows(client).await, ["2.1", "7.1", "11.1", "14.1"]);
    let shown = client.find(Locator::Id("shown")).await?.text().await?;
    assert_eq!(shown, "4 of 9 shown");
    client
        .find(Locator::Id("origin"))
        .await?
        .select_by_value("")
        .await?;

    // next / previous problem, by key and by button
    let body = client.find(Locator::Css("body")).await?;
    let current =
        "return [...document.querySelectorAll('tr.current')].map(r => r.id.split(':')[1]);";
    client
        .execute(
            "window.scrollTo(0, 0); document.activeElement.blur(); return true;",
            Vec::new(),
        )
        .await?;
    body.send_keys("n").await?;
    assert_eq!(client.execute(current, Vec::new()).await?, json!(["1.1"]));
    body.send_keys("n").await?;
    assert_eq!(client.execute(current, Vec::new()).await?, json!(["2.1"]));
    client
        .find(Locator::Id("next-problem"))
        .await?
        .click()
        .await?;
    assert_eq!(client.execute(current, Vec::new()).await?, json!(["3.1"]));
    body.send_keys("p").await?;
    assert_eq!(client.execute(current, Vec::new()).await?, json!(["2.1"]));

    // pointing at a term outlines its rendering, and only that
    client
        .execute(
            "document.getElementById('003_5e0967db1d361350:1.1').scrollIntoView({block: 'center'}); return true;",
            Vec::new(),
        )
        .await?;
    client
        .find(Locator::Css("tr[id$=':1.1'] td.source mark[data-term='1']"))
        .await?
        .click()
        .await?;
    let lit = client
        .execute(
            "return [...document.querySelectorAll('mark.lit')].map(m => m.textContent);",
            Vec::new(),
        )
        .await?;
    assert_eq!(
        lit,
        Value::from(vec!["Menteri Luar Negeri", "Minister of Foreign Affairs"])
    );
    Ok(())
}
