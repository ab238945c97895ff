//! The second adversarial pass (issue 16), through the binary: keys that would follow a
//! redirect, credentials in URLs, a key with a line break, hostile `Retry-After` values, an
//! endless answer, an answer that is not UTF-8, numbers out of range, truncated TMX memories,
//! `review import` over a damaged reviewed memory and two imports at once, special files
//! (FIFO, `/dev/zero`, a sparse giant) as inputs, and path-like ids in a review TSV. Every
//! server binds 127.0.0.1 and is started here; every loop is bounded in count and time.

use crate::review_serve::{ARTICLE, translated_project};
use crate::support::{Project, output_async, text};
use crate::translate_support::{libre_answer, request_texts};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-hostile-test-4f1c9a7e";
const KEY_VARIABLE: &str = "SELARAS_TEST_HOSTILE_KEY";

/// A small project: one short article of three sentences.
fn small_project(config: &str) -> Project {
    // the mock engines answer with made-up English: the QA checks would rightly flag it, and
    // these tests are about what crosses the network
    let config = format!("{config}\n[qa]\nchecks = []\n");
    Project::empty()
        .with_file(
            "source_texts/berita.txt",
            "Presiden tiba di Jakarta pada hari Senin pagi.\n\nMenteri berbicara kepada wartawan di istana.\n\nHarga beras naik lagi minggu ini.\n",
        )
        .with_config(&config)
}

/// Runs `selaras ARGS` in `project` with the test key set, to the end.
async fn run(project: &Project, args: &[&str]) -> Output {
    let mut command = project.process(args);
    command.env(KEY_VARIABLE, KEY);
    output_async(command).await
}

/// Runs `command`, killing it after `limit` if it has not ended (then `None`).
fn run_bounded(mut command: Command, limit: Duration) -> Option<Output> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn libre_config(url: &str, extra: &str) -> String {
    format!(
        "[translate]\nendpoint = \"local\"\n\n[endpoints.local]\nkind = \"libretranslate\"\nurl = \"{url}\"\napi-key-env = \"{KEY_VARIABLE}\"\nbatch-size = 4\nconcurrency = 1\nrequests-per-second = 200\ntimeout-secs = 10\nmax-retries = 1\n{extra}"
    )
}

// ---------------------------------------------------------------------------------------
// Secrets

/// The endpoint config of `kind` at `url`, its key in [`KEY_VARIABLE`].
fn keyed_config(kind: &str, url: &str) -> String {
    let extra = match kind {
        "template" => {
            "headers = { \"X-Api-Key\" = \"{{api-key}}\" }\nbody = '{\"q\": {{texts}}}'\nresponse-pointer = \"/translatedText\"\n"
        }
        _ => "",
    };
    format!(
        "[translate]\nendpoint = \"e\"\n\n[endpoints.e]\nkind = \"{kind}\"\nurl = \"{url}\"\napi-key-env = \"{KEY_VARIABLE}\"\nbatch-size = 4\nconcurrency = 1\nmax-retries = 1\ntimeout-secs = 10\n{extra}"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_host_never_carries_the_key_and_stops_the_run() {
    for kind in ["google", "libretranslate", "template"] {
        let elsewhere = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(libre_answer)
            .mount(&elsewhere)
            .await;
        let endpoint = MockServer::start().await;
        let location = format!("{}/collect?from=selaras", elsewhere.uri());
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(307).insert_header("Location", location.as_str()))
            .mount(&endpoint)
            .await;
        let project = small_project(&keyed_config(
            kind,
            &format!("{}/translate", endpoint.uri()),
        ));
        let output = run(&project, &["translate"]).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{kind}: {stderr}");
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "{kind}: the other host got a request"
        );
        assert!(stderr.contains("redirect"), "{kind}: {stderr}");
        assert!(
            stderr.contains(&elsewhere.uri()),
            "{kind}: names where to: {stderr}"
        );
        assert!(!stderr.contains(KEY), "{kind}: {stderr}");
        let sent = endpoint.received_requests().await.unwrap();
        assert_eq!(sent.len(), 1, "{kind}: the run stops at the first redirect");
        assert!(sent[0].headers.get("referer").is_none(), "{kind}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_within_the_endpoint_is_followed_without_a_referer() {
    let endpoint = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/old"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/translate"))
        .mount(&endpoint)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/translate"))
        .respond_with(libre_answer)
        .mount(&endpoint)
        .await;
    let project = small_project(&keyed_config(
        "libretranslate",
        &format!("{}/old", endpoint.uri()),
    ));
    let output = run(&project, &["translate"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    for request in endpoint.received_requests().await.unwrap() {
        assert!(request.headers.get("referer").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_the_url_are_never_shown_or_stored() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let address = server.address();
    let secrets = [
        "pw-SECRET-1",
        "SUB-SECRET-2",
        "TOK-SECRET-3",
        "SIG-SECRET-4",
    ];
    let url = format!(
        "http://alice:{}@{address}/translate?subscription-key={}&access_token={}&sig={}&format=text",
        secrets[0], secrets[1], secrets[2], secrets[3]
    );
    let project = small_project(&libre_config(&url, ""));
    let assert_clean = |what: &str, shown: &str| {
        for secret in secrets {
            assert!(!shown.contains(secret), "{what} shows {secret}: {shown}");
        }
    };

    let output = run(&project, &["config", "--json"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_clean("selaras config", &text(&output.stdout));
    let output = run(&project, &["config"]).await;
    assert_clean("selaras config", &text(&output.stdout));

    let output = run(&project, &["translate"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_clean("translate", &text(&output.stderr));
    // the credentials did reach the endpoint: only showing and storing them is refused
    let sent = server.received_requests().await.unwrap();
    assert!(sent[0].url.as_str().contains(secrets[1]));
    let database = rusqlite::Connection::open(project.join(".selaras/memory.sqlite")).unwrap();
    let engines: Vec<String> = database
        .prepare("SELECT DISTINCT engine FROM cache")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(engines.len(), 1);
    assert_clean("the engine identity", &engines[0]);
    assert!(engines[0].contains("format=text"), "{}", engines[0]);

    // error lines: the endpoint gone (a port nothing listens on)
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let project = small_project(&libre_config(
        &url.replace(&address.to_string(), &closed.to_string()),
        "",
    ));
    let output = run(&project, &["translate"]).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("could not connect"));
    assert_clean("error lines", &text(&output.stderr));

    // an invalid URL's own error
    for bad in [
        "ftp://alice:pw-SECRET-1@127.0.0.1/x?token=TOK-SECRET-3",
        "http://alice:pw-SECRET-1@127.0.0.1:99999/x?api-key=SUB-SECRET-2",
    ] {
        let project = small_project(&libre_config(bad, ""));
        let output = run(&project, &["config"]).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("endpoints.local.url"), "{stderr}");
        assert_clean("the URL error", &stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_holding_a_line_break_is_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let project = small_project(&libre_config(&format!("{}/translate", server.uri()), ""));
    for key in [
        "abc-KEYPART\r\ndef",
        "abc-KEYPART\ndef\n",
        "abc\u{7}KEYPART",
    ] {
        let mut command = project.process(&["translate"]);
        command.env(KEY_VARIABLE, key);
        let output = output_async(command).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{key:?}: {stderr}");
        assert!(stderr.contains(KEY_VARIABLE), "{stderr}");
        assert!(!stderr.contains("KEYPART"), "{stderr}");
        assert!(!stderr.contains("rerun"), "not a passing failure: {stderr}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------
// Hostile or broken servers

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_retry_after_values_neither_panic_nor_wait_past_max_wait() {
    // values that are no delta-seconds are ignored (the backoff is used): no setting needed;
    // huge ones are cut to `max-wait-secs`
    for (status, retry_after, extra) in [
        (429, "1e300", ""),
        (429, "inf", ""),
        (503, "-5", ""),
        (503, "99999999999999999999", "max-wait-secs = 2\n"),
        (429, "Fri, 31 Dec 9999 23:59:59 GMT", "max-wait-secs = 2\n"),
    ] {
        let server = MockServer::start().await;
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = calls.clone();
        Mock::given(method("POST"))
            .respond_with(move |request: &Request| {
                if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    ResponseTemplate::new(status).insert_header("Retry-After", retry_after)
                } else {
                    libre_answer(request)
                }
            })
            .mount(&server)
            .await;
        let project = small_project(&libre_config(&format!("{}/translate", server.uri()), extra));
        let started = Instant::now();
        let output = run(&project, &["translate"]).await;
        let stderr = text(&output.stderr);
        assert!(!stderr.contains("panicked"), "{retry_after}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{retry_after}: {stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{retry_after}: waited {:?}",
            started.elapsed()
        );
        assert!(calls.load(std::sync::atomic::Ordering::SeqCst) >= 2);
    }
}

/// A raw HTTP/1.1 server on 127.0.0.1 whose every answer is `200` with a chunked body that
/// never ends: chunks of 64 KiB until the client goes away or 256 MiB are sent (then the
/// connection stays open, the body unfinished), for at most 30 s per connection and at most
/// `connections` connections.
async fn endless_server(connections: usize) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for _ in 0..connections {
            let Ok(Ok((mut socket, _))) =
                tokio::time::timeout(Duration::from_secs(60), listener.accept()).await
            else {
                return;
            };
            tokio::spawn(async move {
                let mut request = vec![0u8; 65_536];
                let _ =
                    tokio::time::timeout(Duration::from_secs(5), socket.read(&mut request)).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                let deadline = Instant::now() + Duration::from_secs(30);
                for _ in 0..4_096 {
                    if Instant::now() > deadline
                        || socket.write_all(chunk.as_bytes()).await.is_err()
                    {
                        return;
                    }
                }
                tokio::time::sleep_until(deadline.into()).await;
            });
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_is_cut_at_max_response_bytes() {
    for (extra, limit) in [("", 8_388_608), ("max-response-bytes = 262144\n", 262_144)] {
        let address = endless_server(16).await;
        let project = small_project(&libre_config(&format!("http://{address}/translate"), extra));
        let started = Instant::now();
        let output = run(&project, &["translate"]).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{stderr}");
        assert!(
            stderr.contains(&format!("larger than {limit} bytes (`max-response-bytes`)")),
            "{stderr}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "cut at the limit, not at the timeout: {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_is_not_utf8_is_retried_reported_and_never_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            let texts = request_texts(&request.body, "q");
            let mut body = b"{\"translatedText\": [".to_vec();
            for (index, _) in texts.iter().enumerate() {
                if index > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(b"\"Caf\xff\xfe\"");
            }
            body.extend_from_slice(b"]}");
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_bytes(body)
        })
        .mount(&server)
        .await;
    let project = small_project(&libre_config(&format!("{}/translate", server.uri()), ""));
    let output = run(&project, &["translate", "--json"]).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["translated"], 0, "{summary}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(
        server.received_requests().await.unwrap().len() > 1,
        "retried"
    );
    for record in project.records("berita") {
        assert!(!record.to_string().contains('\u{fffd}'), "{record}");
    }
    let database = rusqlite::Connection::open(project.join(".selaras/memory.sqlite")).unwrap();
    let cached: i64 = database
        .query_row("SELECT COUNT(*) FROM cache", [], |row| row.get(0))
        .unwrap();
    assert_eq!(cached, 0, "nothing cached");
}

#[test]
fn numbers_out_of_range_name_the_key_and_its_line_and_never_panic() {
    for (setting, key) in [
        ("requests-per-second = 1e-300", "requests-per-second"),
        ("requests-per-second = 1e300", "requests-per-second"),
        ("timeout-secs = 18446744073709551615", "timeout-secs"),
        ("batch-size = 0", "batch-size"),
        ("concurrency = 1000000", "concurrency"),
        ("max-wait-secs = 0", "max-wait-secs"),
        ("max-response-bytes = 1", "max-response-bytes"),
        ("max-retries = 99", "max-retries"),
    ] {
        let config = format!(
            "[translate]\nendpoint = \"local\"\n\n[endpoints.local]\nkind = \"libretranslate\"\nurl = \"http://127.0.0.1:9/translate\"\n{setting}\n"
        );
        let project = small_project(&config);
        let output = project.run(&["translate"]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{setting}: {stderr}");
        assert!(
            stderr.contains(&format!("line 7: key `endpoints.local.{key}`")),
            "{setting}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------
// Files

/// The shipped memory cut at half its length.
fn half_memory() -> String {
    let whole =
        std::fs::read_to_string(crate::support::project_root().join("translations/memory.tmx"))
            .unwrap();
    let mut cut = whole.len() / 2;
    while !whole.is_char_boundary(cut) {
        cut -= 1;
    }
    whole[..cut].to_string()
}

#[test]
fn a_truncated_or_malformed_memory_is_an_error_naming_file_and_line() {
    let half = half_memory();
    let last_line = half.lines().count();
    for (memory, line) in [(half.as_str(), last_line), ("<tmx><body><tu>broken", 1)] {
        for file in ["translations/memory.tmx", "translations/reviewed.tmx"] {
            let project = Project::shipped().with_file(file, memory);
            let output = project.run(&["translate"]);
            let stderr = text(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
            assert!(
                stderr.contains(&format!("{file}: line {line}:")),
                "{file}: {stderr}"
            );
            assert!(stderr.contains("cut short"), "{stderr}");
        }
    }
}

#[test]
fn eval_and_align_refuse_a_truncated_tmx() {
    let project = Project::shipped()
        .with_file("half.tmx", half_memory())
        .with_file(
            "hypothesis.jsonl",
            "{\"id\": \"a:1.1\", \"target\": \"One.\"}\n",
        )
        .with_file("english.txt", "The President arrived in Jakarta.\n");
    let output = project.run(&[
        "eval",
        "--reference",
        "half.tmx",
        "--hypothesis",
        "hypothesis.jsonl",
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("half.tmx: line "), "{stderr}");
    assert!(stderr.contains("cut short"), "{stderr}");

    let before = std::fs::read(project.join("half.tmx")).unwrap();
    let output = project.run(&[
        "align",
        "source_texts/000_979649cfeebf31a2.txt",
        "english.txt",
        "--into-memory",
        "--memory-out",
        "half.tmx",
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("half.tmx") && stderr.contains("cut short"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(project.join("half.tmx")).unwrap(), before);
}

/// A TSV export of the translated project's article with `marker` added to the target of
/// `suffix` (its glossary terms kept), marked reviewed.
fn reviewed_tsv(folder: &Path, suffix: &str, marker: &str) -> String {
    let exported =
        std::fs::read_to_string(folder.join(format!("translations/{ARTICLE}.tsv"))).unwrap();
    let id = format!("{ARTICLE}:{suffix}");
    let mut found = false;
    let lines: Vec<String> = exported
        .lines()
        .map(|line| {
            let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
            if cells[0] == id {
                found = true;
                cells[3] = format!("{} {marker}", cells[3]);
                cells[4] = "reviewed".to_string();
            }
            cells.join("\t")
        })
        .collect();
    assert!(found, "{id} is in the export");
    lines.join("\n") + "\n"
}

fn import(folder: &Path, file: &str) -> Output {
    crate::review_serve::selaras(folder, &["review", "import", file])
        .output()
        .unwrap()
}

#[test]
fn review_import_never_writes_over_a_reviewed_memory_that_does_not_parse() {
    let project = translated_project();
    let folder = project.path();
    std::fs::write(
        folder.join("a.tsv"),
        reviewed_tsv(folder, "1.1", "First edit."),
    )
    .unwrap();
    std::fs::write(
        folder.join("b.tsv"),
        reviewed_tsv(folder, "3.1", "Second edit."),
    )
    .unwrap();
    std::fs::write(
        folder.join("c.tsv"),
        reviewed_tsv(folder, "6.1", "Third edit."),
    )
    .unwrap();
    assert_eq!(import(folder, "a.tsv").status.code(), Some(0));
    assert_eq!(import(folder, "b.tsv").status.code(), Some(0));
    let memory = folder.join("translations/reviewed.tmx");
    let whole = std::fs::read_to_string(&memory).unwrap();
    let cut = whole[..whole.find("Second edit.").unwrap()].to_string();
    std::fs::write(&memory, &cut).unwrap();

    let output = import(folder, "c.tsv");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("reviewed.tmx") && stderr.contains("line "),
        "{stderr}"
    );
    assert!(stderr.contains("nothing is written over it"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&memory).unwrap(), cut, "untouched");
}

#[test]
fn two_review_imports_at_once_lose_no_edit() {
    let project = translated_project();
    let folder = project.path();
    let memory = folder.join("translations/reviewed.tmx");
    let started = Instant::now();
    for round in 0..8 {
        let first = format!("Round {round}, first reviewer.");
        let second = format!("Round {round}, second reviewer.");
        std::fs::write(folder.join("a.tsv"), reviewed_tsv(folder, "1.1", &first)).unwrap();
        std::fs::write(folder.join("b.tsv"), reviewed_tsv(folder, "3.1", &second)).unwrap();
        let children: Vec<std::process::Child> = ["a.tsv", "b.tsv"]
            .iter()
            .map(|file| {
                crate::review_serve::selaras(folder, &["review", "import", file])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        }
        let saved = std::fs::read_to_string(&memory).unwrap();
        assert!(
            saved.contains(&first) && saved.contains(&second),
            "round {round}: an edit was lost"
        );
        assert!(started.elapsed() < Duration::from_secs(120));
    }
    assert!(folder.join(".selaras/review.lock").is_file());
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// Runs `selaras ARGS` in `project` for at most 20 s (a FIFO opened for reading would block
/// it for ever); it must exit 2 naming `named` and saying `what`.
fn assert_refused(project: &Project, args: &[&str], named: &str, what: &str) {
    let output = run_bounded(project.process(args), Duration::from_secs(20))
        .unwrap_or_else(|| panic!("selaras {args:?} hangs on {named}"));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(named), "{args:?}: {stderr}");
    assert!(stderr.contains(what), "{args:?}: {stderr}");
}

#[test]
fn special_files_are_refused_as_inputs_without_blocking() {
    let project = Project::shipped();
    let fifo = project.join("pipe.txt");
    mkfifo(&fifo);
    std::os::unix::fs::symlink("/dev/zero", project.join("zero.txt")).unwrap();
    let sparse = project.join("giant.txt");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(600 * 1024 * 1024)
        .unwrap();
    assert_refused(&project, &["segment", "pipe.txt"], "pipe.txt", "FIFO");
    assert_refused(&project, &["translate", "pipe.txt"], "pipe.txt", "FIFO");
    assert_refused(
        &project,
        &["segment", "/dev/zero"],
        "/dev/zero",
        "character device",
    );
    assert_refused(
        &project,
        &["segment", "zero.txt"],
        "zero.txt",
        "character device",
    );
    assert_refused(
        &project,
        &["segment", "giant.txt"],
        "giant.txt",
        "larger than 512 MiB",
    );

    // a glossary, a memory and a reviewed memory that are FIFOs
    for (key, file) in [
        (
            "[glossary]\nfiles = [\"glossary/pipe.tsv\"]\n",
            "glossary/pipe.tsv",
        ),
        (
            "[translate]\nmemory = [\"translations/pipe.tmx\"]\n",
            "translations/pipe.tmx",
        ),
        (
            "[translate]\nreviewed-memory = \"translations/pipe-reviewed.tmx\"\n",
            "translations/pipe-reviewed.tmx",
        ),
    ] {
        let project = Project::empty()
            .with_sources(&["000_979649cfeebf31a2"])
            .with_config(key);
        std::fs::create_dir_all(project.join(file).parent().unwrap()).unwrap();
        mkfifo(&project.join(file));
        assert_refused(&project, &["translate"], file, "FIFO");
    }

    // a review file
    let project = Project::shipped();
    mkfifo(&project.join("review.tsv"));
    assert_refused(
        &project,
        &["review", "import", "review.tsv"],
        "review.tsv",
        "FIFO",
    );
}

#[test]
fn path_like_ids_in_a_review_tsv_are_refused_by_row_naming_the_line() {
    let project = translated_project();
    let folder = project.path();
    let exported =
        std::fs::read_to_string(folder.join(format!("translations/{ARTICLE}.tsv"))).unwrap();
    let first_row = exported.lines().nth(1).unwrap().to_string();
    for hostile in ["../../etc/passwd:1.1", "/tmp/x:1.1", "a/b:1.1", "..:1.1"] {
        let mut cells: Vec<String> = first_row.split('\t').map(str::to_string).collect();
        cells[0] = hostile.to_string();
        cells[3] = "Hostile English.".to_string();
        cells[4] = "reviewed".to_string();
        let tsv = format!(
            "{}\n{}\n{}\n",
            exported.lines().next().unwrap(),
            exported.lines().nth(2).unwrap(),
            cells.join("\t")
        );
        std::fs::write(folder.join("hostile.tsv"), tsv).unwrap();
        let output = import(folder, "hostile.tsv");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{hostile}: {stderr}");
        let refusal = stderr
            .lines()
            .find(|line| line.contains(hostile))
            .unwrap_or_else(|| panic!("{hostile} is named: {stderr}"));
        assert!(refusal.contains("(line 3)"), "{refusal}");
        assert!(refusal.contains("not a valid segment id"), "{refusal}");
        let memory =
            std::fs::read_to_string(folder.join("translations/reviewed.tmx")).unwrap_or_default();
        assert!(!memory.contains("Hostile English."), "{hostile}: applied");
    }
}
