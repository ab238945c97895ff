//! `selaras translate` as a user runs it, against local servers: offline memory runs, resume
//! after a killed run, Ctrl-C, the run lock, keys that never leak, dry runs and exit codes.

use crate::support::{Project, output_async, text};
use crate::translate_support::{deepl_answer, english, libre_answer, request_texts};
use selaras::pipeline;
use selaras::segment::SegmentOptions;
use selaras::translate::memory::{LanguagePair, write_tmx};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-selaras-test-9d2f7c41";
const KEY_VARIABLE: &str = "SELARAS_TEST_ENDPOINT_KEY";

/// The two corpus articles the translate projects hold.
const ARTICLES: [&str; 2] = ["000_979649cfeebf31a2", "002_5f2940f005814b39"];

/// A project with two real corpus articles and `config`, QA off: the fake engine's "English"
/// is the Indonesian in brackets, which the QA checks rightly flag in every segment, and these
/// tests are about sending, resuming and exit codes (`qa_cli` tests QA through an engine).
fn two_articles(config: &str) -> Project {
    Project::empty()
        .with_sources(&ARTICLES)
        .with_config(&format!("{config}\n[qa]\nchecks = []\n"))
}

/// Runs `selaras ARGS` to the end, with `key` in the endpoint's key variable.
async fn run(project: &Project, args: &[&str], key: Option<&str>) -> Output {
    let mut command = project.process(args);
    if let Some(key) = key {
        command.env(KEY_VARIABLE, key);
    }
    output_async(command).await
}

/// The distinct translatable texts of the project's sources.
fn distinct_texts(project: &Project) -> BTreeSet<String> {
    let articles = pipeline::load_articles(
        &[project.join("source_texts")],
        false,
        &SegmentOptions::default(),
    )
    .unwrap();
    pipeline::translatable_items(&articles)
        .into_iter()
        .map(|(_, text)| text)
        .collect()
}

/// The project's cache of engine answers.
fn open_database(project: &Project) -> rusqlite::Connection {
    rusqlite::Connection::open(project.join(".selaras/memory.sqlite")).unwrap()
}

fn libre_config(uri: &str, extra: &str) -> String {
    format!(
        "[translate]\nendpoint = \"local\"\n\n[endpoints.local]\nkind = \"libretranslate\"\nurl = \"{uri}/translate\"\nbatch-size = 4\nconcurrency = 1\nrequests-per-second = 200\ntimeout-secs = 5\n{extra}"
    )
}

/// Texts the engine received in `requests`.
fn sent_texts(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .flat_map(|request| request_texts(&request.body, "q"))
        .collect()
}

async fn wait_for_requests(server: &MockServer, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.received_requests().await.unwrap().len() < count {
        assert!(
            Instant::now() < deadline,
            "the server never got {count} requests"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn wait_for_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "selaras did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_memory_endpoint_translates_offline_and_reports_misses_with_exit_3() {
    let project = two_articles("[project]\nsource-dir = \"source_texts\"\n");
    let texts: Vec<String> = distinct_texts(&project).into_iter().collect();
    let approved: Vec<(String, String)> = texts
        .iter()
        .take(5)
        .map(|text| (text.clone(), format!("Approved: {text}")))
        .collect();
    std::fs::create_dir_all(project.path().join("translations")).unwrap();
    std::fs::write(
        project.path().join("translations/memory.tmx"),
        write_tmx(&approved, &LanguagePair::new("id", "en")),
    )
    .unwrap();
    let output = run(&project, &["translate", "--json"], None).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(
        stdout.lines().count(),
        1,
        "one JSON object on stdout: {stdout}"
    );
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    let approved_segments = summary["from_memory"].as_u64().unwrap();
    assert!(approved_segments >= 5, "{summary}");
    assert_eq!(summary["requests"], 0);
    assert_eq!(
        summary["failed"].as_u64().unwrap(),
        summary["segments"].as_u64().unwrap() - approved_segments
    );
    let stderr = text(&output.stderr);
    assert!(stderr.contains("untranslated: "), "{stderr}");
    let approved: HashMap<String, String> = approved.into_iter().collect();
    let mut seen_memory = 0;
    for stem in ARTICLES {
        for record in project.records(stem) {
            let source = record["source"].as_str().unwrap();
            match record["origin"].as_str().unwrap() {
                "memory" => {
                    seen_memory += 1;
                    assert_eq!(
                        record["target"].as_str(),
                        approved.get(source).map(String::as_str)
                    );
                }
                "none" => assert!(record["target"].is_null() && !approved.contains_key(source)),
                "source" => assert_eq!(record["translatable"], false),
                other => panic!("unexpected origin {other}"),
            }
        }
    }
    assert_eq!(seen_memory, approved_segments);

    // a broken TMX is a usage error naming the file and the line
    std::fs::write(
        project.path().join("translations/memory.tmx"),
        "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"id\"><seg>x</tuv>\n</body></tmx>\n",
    )
    .unwrap();
    let output = run(&project, &["translate"], None).await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("memory.tmx: line 3"), "{stderr}");

    // a missing one is only a warning
    std::fs::remove_file(project.path().join("translations/memory.tmx")).unwrap();
    let output = run(&project, &["translate"], None).await;
    assert_eq!(output.status.code(), Some(3));
    let stderr = text(&output.stderr);
    assert_eq!(
        stderr.matches("no such translation memory").count(),
        1,
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_run_resumes_sending_only_the_missing_segments() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            libre_answer(request).set_delay(Duration::from_millis(100))
        })
        .mount(&server)
        .await;
    let project = two_articles(&libre_config(&server.uri(), ""));
    let all = distinct_texts(&project);
    let mut child = project.process(&["translate"]).spawn().unwrap();
    wait_for_requests(&server, 5).await;
    child.kill().unwrap();
    wait_for_exit(&mut child);

    let database = open_database(&project);
    let integrity: String = database
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let cached: BTreeSet<String> = {
        let mut statement = database.prepare("SELECT source FROM cache").unwrap();
        statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    drop(database);
    assert!(cached.len() >= 4, "answers before the kill were committed");
    assert!(cached.len() < all.len(), "the kill came part-way");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let output = run(&project, &["translate", "--json"], None).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let resent = sent_texts(&server.received_requests().await.unwrap());
    let resent_set: BTreeSet<String> = resent.iter().cloned().collect();
    assert_eq!(resent.len(), resent_set.len(), "nothing sent twice");
    let missing: BTreeSet<String> = all.difference(&cached).cloned().collect();
    assert_eq!(
        resent_set, missing,
        "the rerun sends exactly the missing texts"
    );
    let summary: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(summary["failed"], 0);
    assert_eq!(
        summary["from_cache"].as_u64().unwrap() + summary["from_engine"].as_u64().unwrap(),
        summary["segments"].as_u64().unwrap()
    );
    for stem in ARTICLES {
        for record in project.records(stem) {
            if record["translatable"] == true {
                let source = record["source"].as_str().unwrap();
                assert_eq!(record["target"].as_str().unwrap(), english(source));
                assert_eq!(record["raw"].as_str().unwrap(), english(source));
            }
        }
    }
    let integrity: String = open_database(&project)
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");

    // and a third run sends nothing at all
    server.reset().await;
    let output = run(&project, &["translate", "--json"], None).await;
    assert_eq!(output.status.code(), Some(0));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_keeps_what_arrived_writes_the_files_and_exits_3() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            libre_answer(request).set_delay(Duration::from_millis(150))
        })
        .mount(&server)
        .await;
    let project = two_articles(&libre_config(&server.uri(), ""));
    let mut child = project
        .process(&["translate"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_requests(&server, 4).await;
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = wait_for_exit(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("again to resume"), "{stderr}");
    let records = project.records("000_979649cfeebf31a2");
    let engine = records
        .iter()
        .filter(|record| record["origin"] == "engine")
        .count();
    let none = records
        .iter()
        .filter(|record| record["origin"] == "none")
        .count();
    assert!(engine >= 3, "answers before Ctrl-C are in the file");
    assert!(none >= 1, "the rest is marked untranslated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_key_never_appears_in_any_output_or_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(deepl_answer)
        .mount(&server)
        .await;
    let config = format!(
        "[translate]\nendpoint = \"deepl\"\n\n[endpoints.deepl]\nkind = \"deepl\"\nurl = \"{}/v2/translate\"\napi-key-env = \"{KEY_VARIABLE}\"\nrequests-per-second = 200\n",
        server.uri()
    );
    let project = two_articles(&config);
    let mut outputs = Vec::new();
    let ok = run(&project, &["translate", "--json"], Some(KEY)).await;
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let headers = &server.received_requests().await.unwrap()[0].headers;
    assert_eq!(
        headers.get("authorization").unwrap(),
        format!("DeepL-Auth-Key {KEY}").as_str(),
        "the key is sent where it belongs"
    );
    outputs.push(ok);
    outputs.push(run(&project, &["translate", "--dry-run"], Some(KEY)).await);

    // a server that refuses the key and echoes it back
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"message": format!("Invalid auth key {KEY}")})),
        )
        .mount(&server)
        .await;
    std::fs::remove_file(project.path().join(".selaras/memory.sqlite")).unwrap();
    let refused = run(&project, &["translate"], Some(KEY)).await;
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("check your key"), "{stderr}");
    outputs.push(refused);

    for output in &outputs {
        for stream in [&output.stdout, &output.stderr] {
            assert!(
                !text(stream).contains(KEY),
                "a stream holds the key: {}",
                text(stream)
            );
        }
    }
    for entry in walkdir::WalkDir::new(project.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes
                    .windows(KEY.len())
                    .any(|window| window == KEY.as_bytes()),
                "{} holds the key",
                entry.path().display()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_key_is_an_error_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let config = format!(
        "[translate]\nendpoint = \"deepl\"\n\n[endpoints.deepl]\nkind = \"deepl\"\nurl = \"{}/v2/translate\"\napi-key-env = \"{KEY_VARIABLE}\"\n",
        server.uri()
    );
    let project = two_articles(&config);
    let output = run(&project, &["translate"], None).await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(KEY_VARIABLE) && stderr.contains("not set"),
        "{stderr}"
    );
    assert!(
        !project.path().join("translations").exists(),
        "no output written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_and_a_second_run_is_refused_with_3_while_one_runs() {
    let project = two_articles("[endpoints.x]\nkind = \"libretranslate\"\nurl = \"not a url\"\n");
    let output = run(&project, &["translate"], None).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("endpoints.x.url"));

    let project = two_articles("");
    let output = run(&project, &["translate", "--endpoint", "nowhere"], None).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no endpoint named \"nowhere\""));

    let lock = selaras::corpus::acquire_run_lock(&project.path().join(".selaras")).unwrap();
    let output = run(&project, &["translate"], None).await;
    // nothing for the user to fix: the run could not go ahead (exit 3), a rerun will
    assert_eq!(output.status.code(), Some(3));
    assert!(
        text(&output.stderr).contains("another selaras translate is running"),
        "{}",
        text(&output.stderr)
    );
    drop(lock);
    let output = run(&project, &["translate"], None).await;
    assert_eq!(output.status.code(), Some(3), "runs once the lock is free");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_counts_what_is_left_after_the_cache_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let project = two_articles(&libre_config(&server.uri(), ""));
    let distinct = distinct_texts(&project);
    let output = run(&project, &["translate", "--dry-run", "--json"], None).await;
    assert_eq!(output.status.code(), Some(0));
    let plan: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(
        plan["to_send_texts"].as_u64().unwrap() as usize,
        distinct.len()
    );
    let characters: usize = distinct.iter().map(|text| text.chars().count()).sum();
    assert_eq!(plan["characters"].as_u64().unwrap() as usize, characters);
    assert_eq!(
        plan["requests"].as_u64().unwrap() as usize,
        distinct.len().div_ceil(4)
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    // translate one article, then the plan shrinks by what the cache holds
    let one = run(
        &project,
        &["translate", "source_texts/000_979649cfeebf31a2.txt"],
        None,
    )
    .await;
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    let before = server.received_requests().await.unwrap().len();
    let output = run(&project, &["translate", "--dry-run", "--json"], None).await;
    let plan: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert!(plan["from_cache"].as_u64().unwrap() > 0);
    assert_eq!(
        plan["to_send_texts"].as_u64().unwrap() as usize
            + sent_texts(&server.received_requests().await.unwrap()).len(),
        distinct.len()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_storm_ends_boundedly_with_an_honest_summary_and_exit_3() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(json!({"error": "Service Unavailable"})),
        )
        .mount(&server)
        .await;
    let project = two_articles(&libre_config(&server.uri(), "max-retries = 1\n"));
    let started = Instant::now();
    let output = run(&project, &["translate", "--json"], None).await;
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let requests = server.received_requests().await.unwrap().len();
    assert_eq!(
        requests, 4,
        "two batches of (1 + 1 retry), then the run stops instead of trying every batch"
    );
    let summary: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(summary["translated"], 0);
    assert_eq!(summary["failed"], summary["segments"]);
    assert_eq!(summary["requests"], 4);
    assert_eq!(summary["stopped"]["reason"], "unavailable");
    let failed = summary["failed_segments"].as_array().unwrap();
    assert_eq!(failed.len() as u64, summary["segments"].as_u64().unwrap());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error: the endpoint failed 4 requests in a row; last: HTTP 503"),
        "{stderr}"
    );
    assert!(stderr.contains("run the same command again"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "untranslated: {}: HTTP 503",
            failed[0].as_str().unwrap()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("untranslated: … and"), "{stderr}");
    // the files are written all the same, every record without a target
    for stem in ARTICLES {
        for record in project.records(stem) {
            if record["translatable"] == true {
                assert!(record["target"].is_null(), "{record}");
            }
        }
    }
}

const EXPORTS: &str =
    "\n[export]\nformats = [\"tsv\", \"jsonl\", \"tmx\", \"xliff\", \"md\", \"html\", \"diff\"]\n";

/// A project with all five corpus articles, every export format, a fixed `SOURCE_DATE_EPOCH`.
fn crash_project(uri: &str) -> Project {
    two_articles(&format!("{}{EXPORTS}", libre_config(uri, ""))).with_sources(&[
        "001_84540dff08f2d4bc",
        "003_5e0967db1d361350",
        "004_659581821fe23882",
    ])
}

fn reproducible(mut command: Command) -> Command {
    command.env("SOURCE_DATE_EPOCH", "1700000000");
    command
}

/// Every output file present is whole: JSON lines are JSON, TMX/XLIFF/HTML are well-formed
/// XML or a whole page, TSV has a header. Stale temporaries (named `.selaras-*`) may remain
/// after a kill; they are not output.
fn assert_every_output_file_is_whole(out: &Path) {
    if !out.exists() {
        return;
    }
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file()
            || entry
                .path()
                .components()
                .any(|part| part.as_os_str().to_string_lossy().starts_with(".selaras-"))
        {
            continue;
        }
        let path = entry.path();
        let content = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let extension = path.extension().and_then(|extension| extension.to_str());
        // a diff of a run against itself is legitimately empty
        assert!(
            !content.is_empty() || extension == Some("diff"),
            "{} is empty",
            path.display()
        );
        match extension {
            Some("jsonl") => {
                for line in content.lines() {
                    serde_json::from_str::<Value>(line)
                        .unwrap_or_else(|error| panic!("{}: {error}: {line}", path.display()));
                }
                assert!(content.ends_with('\n'), "{} is cut short", path.display());
            }
            Some("tmx") | Some("xlf") | Some("xliff") => {
                let options = roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..roxmltree::ParsingOptions::default()
                };
                roxmltree::Document::parse_with_options(&content, options)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            }
            Some("html") => assert!(
                content.trim_end().ends_with("</html>"),
                "{} is cut short",
                path.display()
            ),
            _ => {}
        }
    }
}

fn cached_texts(project: &Project) -> BTreeSet<String> {
    if !project.path().join(".selaras/memory.sqlite").exists() {
        return BTreeSet::new();
    }
    let database = open_database(project);
    let Ok(mut statement) = database.prepare("SELECT source FROM cache") else {
        return BTreeSet::new();
    };
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The files of a finished run, by path relative to the output folder (the kept previous run
/// and stale temporaries left out).
fn final_files(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        })
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            (
                entry
                    .path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// Polls (bounded) until `condition` holds.
async fn poll_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn newest_change(out: &Path) -> Option<std::time::SystemTime> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok()?.modified().ok())
        .max()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_any_point_loses_nothing_and_resumes_to_the_exports_of_an_uninterrupted_run() {
    // the reference: one uninterrupted run against its own server
    let reference_server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&reference_server)
        .await;
    let reference = crash_project(&reference_server.uri());
    let mut command = reproducible(reference.process(&["translate"]));
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let expected = final_files(&reference.path().join("translations"));
    assert!(expected.len() > 30, "every format of five articles");

    // a slow engine, so that kills land at chosen moments
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            libre_answer(request).set_delay(Duration::from_millis(150))
        })
        .mount(&server)
        .await;
    let project = crash_project(&server.uri());
    let out = project.path().join("translations");
    let mut sends: Vec<Vec<String>> = Vec::new();
    let mut in_flight_at_kills: BTreeSet<String> = BTreeSet::new();
    let kill = |label: &str, child: &mut std::process::Child| {
        child.kill().unwrap(); // SIGKILL
        let status = wait_for_exit(child);
        assert_eq!(status.code(), None, "{label}: killed by a signal");
    };

    // texts whose request was on its way when selaras died: the only ones a rerun may resend
    let note_in_flight = |in_flight: &mut BTreeSet<String>, requests: &[Request]| {
        let cached = cached_texts(&project);
        in_flight.extend(
            sent_texts(requests)
                .into_iter()
                .filter(|text| !cached.contains(text)),
        );
    };

    // 1. before any answer: the first request is on its way
    let mut child = reproducible(project.process(&["translate"]))
        .spawn()
        .unwrap();
    wait_for_requests(&server, 1).await;
    kill("before any answer", &mut child);
    note_in_flight(
        &mut in_flight_at_kills,
        &server.received_requests().await.unwrap(),
    );
    assert_every_output_file_is_whole(&out);
    // 2. while answers arrive
    let mut child = reproducible(project.process(&["translate"]))
        .spawn()
        .unwrap();
    let before = server.received_requests().await.unwrap().len();
    wait_for_requests(&server, before + 4).await;
    kill("while answers arrive", &mut child);
    note_in_flight(
        &mut in_flight_at_kills,
        &server.received_requests().await.unwrap(),
    );
    assert_every_output_file_is_whole(&out);
    assert!(!cached_texts(&project).is_empty(), "answers were committed");
    // 3. after the answers, while the files are written: kill at the first file change
    for round in 0..2 {
        let started = std::time::SystemTime::now();
        std::thread::sleep(Duration::from_millis(20)); // file times are coarse
        let mut child = reproducible(project.process(&["translate"]))
            .spawn()
            .unwrap();
        poll_until("a file of the run appears", || {
            newest_change(&out).is_some_and(|changed| changed > started)
        })
        .await;
        kill(&format!("while writing files, round {round}"), &mut child);
        assert_every_output_file_is_whole(&out);
        note_in_flight(
            &mut in_flight_at_kills,
            &server.received_requests().await.unwrap(),
        );
    }
    // the last run goes to the end
    let mut command = reproducible(project.process(&["translate", "--json"]));
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_every_output_file_is_whole(&out);
    let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".selaras-"))
        .map(|entry| entry.path().to_path_buf())
        .collect();
    assert!(
        leftovers.is_empty(),
        "a finished run sweeps what killed ones left: {leftovers:?}"
    );

    // nothing the engine answered and selaras committed was ever sent again: a text went out
    // twice only if its request was in flight at a kill
    sends.push(sent_texts(&server.received_requests().await.unwrap()));
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for text in sends.iter().flatten() {
        *counts.entry(text.as_str()).or_default() += 1;
    }
    for (text, count) in &counts {
        if !in_flight_at_kills.contains(*text) {
            assert_eq!(*count, 1, "{text:?} was sent {count} times");
        } else {
            assert!(*count <= 2, "{text:?} was sent {count} times");
        }
    }
    assert!(
        in_flight_at_kills.len() <= 8,
        "at most one batch in flight at each of the two kills during requests: {}",
        in_flight_at_kills.len()
    );
    assert_eq!(
        counts
            .keys()
            .map(|text| text.to_string())
            .collect::<BTreeSet<_>>(),
        distinct_texts(&project),
        "every text was sent"
    );

    // byte-identical to the uninterrupted run
    let actual = final_files(&out);
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &expected {
        assert!(
            actual[name] == *bytes,
            "{name} differs from the uninterrupted run:\n{}",
            first_difference(bytes, &actual[name])
        );
    }
}

fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    for (line_number, (left, right)) in expected.lines().zip(actual.lines()).enumerate() {
        if left != right {
            return format!("line {}:\n- {left}\n+ {right}", line_number + 1);
        }
    }
    "lengths differ".to_string()
}
