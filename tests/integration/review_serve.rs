//! `selaras review serve` over HTTP, as the page and a hostile page see it: the API contract,
//! the refusals (wrong Host, missing token, foreign Origin), conflicts, unknown ids, malformed
//! and oversized bodies, explicit propagation, and a save that survives SIGKILL and is used by
//! the next `selaras translate`. Every test works on a temporary copy of the shipped project.

use crate::support::project_root;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const ARTICLE: &str = "003_5e0967db1d361350";
/// Its English carries "Deputy Prime Minister"; the glossary forbids "Vice Prime Minister".
pub(crate) const TITLED: &str = "003_5e0967db1d361350:4.1";
/// Two segments of the article with the same source.
const TWIN: &str = "003_5e0967db1d361350:5.1";
const TWIN_OTHER: &str = "003_5e0967db1d361350:25.1";

/// A copy of the shipped project (sources, glossary, approved memory, config), translated
/// offline once so that it has records.
pub(crate) fn translated_project() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let root = project_root();
    for sub in ["source_texts", "glossary"] {
        std::fs::create_dir_all(folder.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                folder.path().join(sub).join(entry.file_name()),
            )
            .unwrap();
        }
    }
    std::fs::create_dir_all(folder.path().join("translations")).unwrap();
    for file in ["translations/memory.tmx", "selaras.toml"] {
        std::fs::copy(root.join(file), folder.path().join(file)).unwrap();
    }
    let output = selaras(folder.path(), &["translate"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    folder
}

pub(crate) fn selaras(folder: &Path, args: &[&str]) -> Command {
    let mut command = crate::support::selaras_process();
    command.args(args).current_dir(folder);
    command
}

/// A running `selaras review serve --port 0`; killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`, the first line the server printed.
    pub(crate) url: String,
    pub(crate) folder: PathBuf,
}

impl Server {
    pub(crate) fn start(folder: &Path) -> Server {
        let mut child = selaras(folder, &["review", "serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        // bounded: a server that prints nothing within 30 seconds fails the test
        let line = match receiver.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("review serve printed no URL within 30 seconds");
            }
        };
        let url = line.trim().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "the first line is the URL: {line:?}"
        );
        Server {
            child,
            url,
            folder: folder.to_path_buf(),
        }
    }

    pub(crate) fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// The token the page carries in `<meta name="selaras-token">`.
    pub(crate) async fn token(&self) -> String {
        let page = reqwest::get(&self.url).await.unwrap().text().await.unwrap();
        let marker = "<meta name=\"selaras-token\" content=\"";
        let start = page.find(marker).expect("the page carries the token") + marker.len();
        let end = start + page[start..].find('"').unwrap();
        page[start..end].to_string()
    }

    pub(crate) async fn segment(&self, id: &str) -> Value {
        let article = &id[..id.rfind(':').unwrap()];
        let answer: Value = reqwest::get(self.at(&format!("/api/segments?article={article}")))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["segments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|segment| segment["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no segment {id}"))
    }

    pub(crate) async fn put(&self, id: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .put(self.at(&format!("/api/segments/{id}")))
            .json(body);
        if let Some(token) = token {
            request = request.header("X-Selaras-Token", token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn reviewed_memory(&self) -> String {
        std::fs::read_to_string(self.folder.join("translations/reviewed.tmx")).unwrap_or_default()
    }

    fn record(&self, id: &str) -> Value {
        let article = &id[..id.rfind(':').unwrap()];
        std::fs::read_to_string(self.folder.join(format!("translations/{article}.jsonl")))
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .find(|record| record["id"] == id)
            .unwrap()
    }

    /// Sends a signal and waits (bounded) for the exit status.
    fn stop(mut self, signal: &str) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on {signal}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One raw HTTP/1.1 request, for headers a client library would correct (a foreign Host).
fn raw_status(address: &str, request: &str) -> u16 {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"))
}

fn edit(target: &str, base: &str) -> Value {
    json!({ "target": target, "status": "reviewed", "base": base })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_api_serve_the_run_with_its_counts_and_records() {
    let project = translated_project();
    let server = Server::start(project.path());

    let page = reqwest::get(&server.url).await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<script src=\"/assets/review.js\""), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched from elsewhere"
    );
    assert_eq!(server.token().await.len(), 64);
    for asset in ["/assets/review.js", "/assets/review.css"] {
        assert_eq!(
            reqwest::get(server.at(asset)).await.unwrap().status(),
            200,
            "{asset}"
        );
    }
    // no request path reaches the file system
    for path in [
        "/assets/../selaras.toml",
        "/selaras.toml",
        "/translations/reviewed.tmx",
    ] {
        assert_eq!(
            reqwest::get(server.at(path)).await.unwrap().status(),
            404,
            "{path}"
        );
    }

    let articles: Value = reqwest::get(server.at("/api/articles"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = articles["articles"].as_array().unwrap();
    assert_eq!(list.len(), 5, "{articles}");
    let counted = list.iter().find(|a| a["stem"] == ARTICLE).unwrap();
    assert!(counted["translatable"].as_u64().unwrap() > 20, "{counted}");
    assert!(counted.get("problems").is_some() && counted.get("violations").is_some());

    let answer: Value = reqwest::get(server.at(&format!("/api/segments?article={ARTICLE}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let segments = answer["segments"].as_array().unwrap();
    let on_disk =
        std::fs::read_to_string(project.path().join(format!("translations/{ARTICLE}.jsonl")))
            .unwrap();
    assert_eq!(segments.len(), on_disk.lines().count());
    let first_on_disk: Value = serde_json::from_str(on_disk.lines().next().unwrap()).unwrap();
    for field in [
        "id",
        "kind",
        "translatable",
        "source",
        "target",
        "raw",
        "origin",
        "matches",
        "violations",
        "warnings",
        "diff",
    ] {
        assert_eq!(segments[0][field], first_on_disk[field], "field {field}");
    }
    assert!(segments[0]["status"].is_string());
    assert_eq!(server.segment(TWIN).await["identical"], 1);

    let missing = reqwest::get(server.at("/api/segments?article=nope"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_is_rechecked_and_on_disk_before_the_200_survives_sigkill_and_feeds_translate() {
    let project = translated_project();
    let server = Server::start(project.path());
    let token = server.token().await;
    let before = server.segment(TITLED).await;
    let base = before["target"].as_str().unwrap().to_string();
    assert!(base.contains("Deputy Prime Minister"), "{base}");
    let engine = before["raw"].clone();

    // an edit that breaks the glossary: saved, and the re-check says so at once
    let broken = base.replace("Deputy Prime Minister", "Vice Prime Minister");
    let (status, saved) = server
        .put(TITLED, Some(&token), &edit(&broken, &base))
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["target"], broken.as_str());
    assert_eq!(saved["origin"], "reviewed");
    assert_eq!(saved["status"], "violations");
    assert_eq!(saved["violations"][0]["found"], "Vice Prime Minister");
    assert_eq!(saved["raw"], engine, "the engine's output is kept");
    assert!(
        saved["suggestion"]
            .as_str()
            .unwrap()
            .contains("Deputy Prime Minister")
    );

    // fixed and signed off; the server is killed right after the 200
    let fixed = base.replace(" gave an interview", " was interviewed");
    assert_ne!(fixed, base);
    let (status, saved) = server
        .put(
            TITLED,
            Some(&token),
            &json!({ "target": fixed, "status": "final", "base": broken }),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["status"], "final");
    assert!(
        saved["violations"].as_array().unwrap().is_empty(),
        "{saved}"
    );
    let killed = server.stop("-KILL");
    assert!(!killed.success());

    let memory = std::fs::read_to_string(project.path().join("translations/reviewed.tmx")).unwrap();
    let escaped = fixed.replace('&', "&amp;").replace('\'', "&apos;");
    assert!(
        memory.contains(&fixed) || memory.contains(&escaped),
        "{memory}"
    );
    assert!(
        !memory.contains("Vice Prime Minister"),
        "the later save replaced the earlier"
    );
    let record = record_of(project.path(), TITLED);
    assert_eq!(record["target"], fixed.as_str());
    assert_eq!(record["origin"], "reviewed");

    // the next run uses the edit, as reviewed, and still shows what the engine said
    let output = selaras(project.path(), &["translate"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let record = record_of(project.path(), TITLED);
    assert_eq!(record["target"], fixed.as_str());
    assert_eq!(record["origin"], "reviewed");
    assert_eq!(record["raw"], engine);

    // and a new server shows it as final
    let server = Server::start(project.path());
    let shown = server.segment(TITLED).await;
    assert_eq!(shown["target"], fixed.as_str());
    assert_eq!(shown["status"], "final");
}

fn record_of(folder: &Path, id: &str) -> Value {
    let article = &id[..id.rfind(':').unwrap()];
    std::fs::read_to_string(folder.join(format!("translations/{article}.jsonl")))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|record| record["id"] == id)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicts_unknown_ids_malformed_and_oversized_bodies_change_nothing() {
    let project = translated_project();
    let server = Server::start(project.path());
    let token = server.token().await;
    let base = server.segment(TITLED).await["target"]
        .as_str()
        .unwrap()
        .to_string();

    let (status, _) = server
        .put(TITLED, Some(&token), &edit("First tab's English.", &base))
        .await;
    assert_eq!(status, 200);
    // a second tab that started from the same base: refused, with the current record
    let (status, answer) = server
        .put(TITLED, Some(&token), &edit("Second tab's English.", &base))
        .await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["current"]["target"], "First tab's English.");
    assert_eq!(answer["current"]["id"], TITLED);
    assert_eq!(server.record(TITLED)["target"], "First tab's English.");
    assert!(!server.reviewed_memory().contains("Second tab"));

    for id in ["003_5e0967db1d361350:999.1", "nope:1.1", "not-an-id"] {
        let (status, answer) = server.put(id, Some(&token), &edit("x", "")).await;
        assert_eq!(status, 404, "{id}: {answer}");
    }
    let client = reqwest::Client::new();
    let url = server.at(&format!("/api/segments/{TITLED}"));
    let current = "First tab's English.";
    let malformed = [
        "{\"target\": ".to_string(),
        "[]".to_string(),
        json!({ "target": "x", "base": current }).to_string(),
        json!({ "target": "x", "status": "approved", "base": current }).to_string(),
        json!({ "target": "   ", "status": "reviewed", "base": current }).to_string(),
    ];
    for body in malformed {
        let response = client
            .put(&url)
            .header("X-Selaras-Token", &token)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
    }
    let huge =
        json!({ "target": "a".repeat(1024 * 1024 + 10), "status": "reviewed", "base": current });
    let response = client
        .put(&url)
        .header("X-Selaras-Token", &token)
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(server.record(TITLED)["target"], current);

    // a character XML 1.0 cannot carry: refused by name, nothing stored, no replacement char
    let (status, answer) = server
        .put(TITLED, Some(&token), &edit("Bell \u{7} English.", current))
        .await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("U+0007"),
        "{answer}"
    );
    assert_eq!(server.record(TITLED)["target"], current);
    let memory = server.reviewed_memory();
    assert!(
        !memory.contains("Bell") && !memory.contains('\u{FFFD}'),
        "{memory}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_another_host_origin_or_without_the_token_are_refused() {
    let project = translated_project();
    let server = Server::start(project.path());
    let token = server.token().await;
    let address = server.address().to_string();
    let base = server.segment(TITLED).await["target"]
        .as_str()
        .unwrap()
        .to_string();

    // DNS rebinding: the page of evil.example resolved to 127.0.0.1
    for path in ["/", "/api/articles", "/api/segments"] {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
            address.rsplit(':').next().unwrap()
        );
        assert_eq!(raw_status(&address, &request), 403, "{path}");
    }
    let request =
        format!("GET /api/articles HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    assert_eq!(
        raw_status(&address, &request),
        200,
        "the served address is fine"
    );

    // no token, a wrong token
    let body = edit("Changed by a stranger.", &base);
    assert_eq!(server.put(TITLED, None, &body).await.0, 403);
    assert_eq!(
        server.put(TITLED, Some(&"0".repeat(64)), &body).await.0,
        403
    );
    // a foreign Origin, even with the token
    let client = reqwest::Client::new();
    let foreign = client
        .put(server.at(&format!("/api/segments/{TITLED}")))
        .header("X-Selaras-Token", &token)
        .header("Origin", "http://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let foreign_read = client
        .get(server.at("/api/segments"))
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_read.status(), 403);
    let own = client
        .get(server.at("/api/articles"))
        .header("Origin", format!("http://{address}"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);

    assert_eq!(server.reviewed_memory(), "", "nothing was stored");
    assert_eq!(server.record(TITLED)["target"], base.as_str());

    // SIGTERM ends the server with exit 0
    let status = server.stop("-TERM");
    assert_eq!(status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_segments_change_only_when_asked() {
    let project = translated_project();
    let server = Server::start(project.path());
    let token = server.token().await;
    let base = server.segment(TWIN).await["target"]
        .as_str()
        .unwrap()
        .to_string();
    let first = base.replace("addresses", "speaks at");
    let (status, saved) = server.put(TWIN, Some(&token), &edit(&first, &base)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["identical"], 1);
    assert_eq!(saved["propagated"], json!([]));
    assert_eq!(server.segment(TWIN_OTHER).await["target"], base.as_str());

    let second = base.replace("addresses", "delivers a speech at");
    let (status, saved) = server
        .put(
            TWIN,
            Some(&token),
            &json!({ "target": second, "status": "reviewed", "base": first, "propagate": true }),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["propagated"], json!([TWIN_OTHER]));
    let other = server.segment(TWIN_OTHER).await;
    assert_eq!(other["target"], second.as_str());
    assert_eq!(other["origin"], "reviewed");
    assert_eq!(server.record(TWIN_OTHER)["target"], second.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_is_checked_by_qa_with_the_run_s_checks() {
    const NUMBERED: &str = "003_5e0967db1d361350:16.1";
    let project = translated_project();
    let server = Server::start(project.path());
    let token = server.token().await;
    let base = server.segment(NUMBERED).await["target"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(base.contains("27"), "{base}");

    // a changed number is a QA error at once, with the spans of both numbers
    let wrong = base.replacen("27", "72", 1);
    let (status, saved) = server
        .put(NUMBERED, Some(&token), &edit(&wrong, &base))
        .await;
    assert_eq!(status, 200, "{saved}");
    let findings = saved["qa"].as_array().cloned().unwrap_or_default();
    assert!(
        findings
            .iter()
            .any(|finding| finding["check"] == "number" && finding["severity"] == "error"),
        "{saved}"
    );

    // put right again: no finding left
    let (status, saved) = server
        .put(NUMBERED, Some(&token), &edit(&base, &wrong))
        .await;
    assert_eq!(status, 200, "{saved}");
    assert!(
        saved["qa"]
            .as_array()
            .is_none_or(|findings| findings.is_empty()),
        "{saved}"
    );
    server.stop("-TERM");
}
