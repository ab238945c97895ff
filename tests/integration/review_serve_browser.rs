//! The review workspace in a real browser: headless Chromium, driven through WebDriver
//! (Debian's `chromedriver`) with fantoccini, opens the page, filters to the problems, walks to
//! one with the keyboard, edits and saves it, reloads, and sees the edit; and filters by a QA
//! check to a record that carries a finding. Skipped with a note when Chromium or
//! chromedriver is missing, except under CI (`CI=true`), where that fails.

use crate::review_serve::{Server, translated_project};
use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The one problem of the freshly translated project: a glossary warning.
const PROBLEM: &str = "002_5f2940f005814b39:7.5";
/// The record given a QA finding (a `number` error on its "27") before the server starts.
const QA_RECORD: &str = "003_5e0967db1d361350:16.1";

/// Writes a QA finding into the record of [`QA_RECORD`] in the project's record file, as
/// `translate` will once the QA checks run: the fixture for the per-check filter.
fn add_qa_finding(folder: &Path) {
    let article = &QA_RECORD[..QA_RECORD.rfind(':').unwrap()];
    let path = folder.join(format!("translations/{article}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut record: Value = serde_json::from_str(line).unwrap();
            if record["id"] == QA_RECORD {
                let source = record["source"].as_str().unwrap();
                let target = record["target"].as_str().unwrap();
                let in_source = source.find("27").unwrap();
                let in_target = target.find("27").unwrap();
                record["qa"] = json!([{
                    "check": "number",
                    "severity": "error",
                    "message": "fixture: 27 in the source, check the English",
                    "source_span": {"start": in_source, "end": in_source + 2},
                    "target_span": {"start": in_target, "end": in_target + 2},
                }]);
                found = true;
            }
            record.to_string()
        })
        .collect();
    assert!(found, "{QA_RECORD} is in {}", path.display());
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// chromedriver on a free port; killed when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver and a headless Chromium session, or says why it cannot.
pub(crate) async fn browser() -> Option<(Driver, Client)> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|tool| !Path::new(tool).exists())
        .collect();
    if !missing.is_empty() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "{} required under CI (apt-get install chromium chromium-driver)",
                missing.join(" and ")
            );
        }
        eprintln!(
            "note: {} not installed (apt-get install chromium chromium-driver); skipping the browser test",
            missing.join(" and ")
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _profile: profile,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let capabilities: serde_json::Map<String, Value> = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1400,900",
                format!("--user-data-dir={}", driver._profile.path().display()),
            ]
        }
    })
    .as_object()
    .unwrap()
    .clone();
    let client = tokio::time::timeout(
        Duration::from_secs(60),
        // chromedriver speaks plain HTTP on 127.0.0.1: no TLS stack, no certificate store
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url),
    )
    .await
    .expect("a browser session within 60 seconds")
    .expect("a browser session");
    Some((driver, client))
}

/// Waits (bounded) until the script returns true.
pub(crate) async fn until(client: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = client.execute(script, Vec::new()).await.unwrap();
        if value == Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn visible_rows(client: &Client) -> Vec<String> {
    let value = client
        .execute(
            "return [...document.querySelectorAll('.segment')].filter(r => r.getClientRects().length > 0).map(r => r.id);",
            Vec::new(),
        )
        .await
        .unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_filters_to_problems_edits_saves_and_shows_the_edit_after_a_reload() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let project = project_with_one_problem();
    add_qa_finding(project.path());
    let server = Server::start(project.path());
    // the browser is closed even when an assertion fails, so no Chromium is left behind
    let result = std::panic::AssertUnwindSafe(drive(&client, &server))
        .catch_unwind()
        .await;
    let _ = client.close().await;
    match result {
        Ok(outcome) => outcome.unwrap(),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The shipped project, translated, with one segment to review. The shipped memory checks
/// clean (its one count warning, on `Menteri Luar Negeri (Menlu)`, was a false one), so a test
/// glossary line forbids "affirmed:", which ends that segment's English alone: a warning on it.
fn project_with_one_problem() -> tempfile::TempDir {
    let project = translated_project();
    let glossary = project.path().join("glossary/official-titles.tsv");
    let mut text = std::fs::read_to_string(&glossary).unwrap();
    text.push_str("Uji Peninjauan\tReview Test\tother\t\taffirmed:\t\tTest only.\n");
    std::fs::write(&glossary, text).unwrap();
    // the QA checks are off: the one QA finding is the fixture's, whatever the checks find
    let config = project.path().join("selaras.toml");
    let mut settings = std::fs::read_to_string(&config).unwrap();
    settings.push_str("\n[qa]\nchecks = []\n");
    std::fs::write(&config, settings).unwrap();
    let output = crate::review_serve::selaras(project.path(), &["translate"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    project
}

async fn drive(client: &Client, server: &Server) -> Result<(), fantoccini::error::CmdError> {
    client.goto(&server.url).await?;
    until(
        client,
        "the page to load",
        "return document.body.dataset.ready === 'true';",
    )
    .await;
    let all = visible_rows(client).await;
    assert!(all.len() > 150, "every segment is shown: {}", all.len());

    // the QA finding: counted per check in the article list, shown in its segment with its
    // span marked, and the only row left when filtering by its check
    let counts = client
        .execute(
            "return [...document.querySelectorAll('.count-qa')].map(n => n.textContent);",
            Vec::new(),
        )
        .await?;
    assert_eq!(counts, json!(["1 number"]));
    let shown_finding = client
        .execute(
            &format!("const row = document.getElementById('s-{QA_RECORD}'); return [row.querySelector('.findings .qa').textContent, [...row.querySelectorAll('mark.qa')].map(m => m.textContent)];"),
            Vec::new(),
        )
        .await?;
    assert_eq!(
        shown_finding,
        json!([
            "QA number (error): fixture: 27 in the source, check the English",
            ["27", "27"]
        ])
    );
    client
        .find(Locator::Id("check-filter"))
        .await?
        .select_by_value("number")
        .await?;
    until(
        client,
        "the check filter",
        "return document.querySelectorAll('.segment:not([hidden])').length < 20;",
    )
    .await;
    assert_eq!(visible_rows(client).await, [format!("s-{QA_RECORD}")]);
    client
        .find(Locator::Id("check-filter"))
        .await?
        .select_by_value("")
        .await?;
    until(
        client,
        "the check filter to be cleared",
        "return document.querySelectorAll('.segment:not([hidden])').length > 150;",
    )
    .await;

    // problems only
    client
        .find(Locator::Id("problems-only"))
        .await?
        .click()
        .await?;
    until(
        client,
        "the filter",
        "return document.querySelectorAll('.segment:not([hidden])').length < 20;",
    )
    .await;
    // the glossary warning and the QA finding, in document order
    let problems = visible_rows(client).await;
    assert_eq!(problems, [format!("s-{PROBLEM}"), format!("s-{QA_RECORD}")]);
    let shown = client.find(Locator::Id("shown")).await?.text().await?;
    assert!(shown.starts_with("2 of "), "{shown}");

    // keyboard: next problem, edit
    let body = client.find(Locator::Css("body")).await?;
    body.send_keys("n").await?;
    until(
        client,
        "the current segment",
        &format!("return document.getElementById('s-{PROBLEM}').classList.contains('current');"),
    )
    .await;
    client
        .execute("document.activeElement.blur(); return true;", Vec::new())
        .await?;
    body.send_keys("e").await?;
    let editor = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".editor textarea"))
        .await?;
    let edited = "Minister of Foreign Affairs (Menlu) of Vietnam Bui Thanh Son affirmed: <b>&</b>";
    editor.clear().await?;
    editor.send_keys(edited).await?;
    client
        .find(Locator::Css(".editor .save"))
        .await?
        .click()
        .await?;
    until(
        client,
        "the save",
        "const m = document.getElementById('message'); return m.textContent.startsWith('saved ');",
    )
    .await;

    // on disk before the page said so
    let memory = std::fs::read_to_string(server.folder.join("translations/reviewed.tmx")).unwrap();
    assert!(
        memory.contains("Vietnam Bui Thanh Son affirmed: &lt;b&gt;&amp;&lt;/b&gt;"),
        "{memory}"
    );

    // reload: the edit is there, as text (not markup), reviewed
    client.refresh().await?;
    until(
        client,
        "the page to load again",
        "return document.body.dataset.ready === 'true';",
    )
    .await;
    let target = client
        .execute(
            &format!("const row = document.getElementById('s-{PROBLEM}'); return [row.querySelector('.target').textContent, row.querySelector('.badge.origin-reviewed') !== null, row.querySelectorAll('b').length];"),
            Vec::new(),
        )
        .await?;
    assert_eq!(target, json!([edited, true, 0]));
    Ok(())
}
