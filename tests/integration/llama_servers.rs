//! `selaras translate` through real OpenAI-compatible servers, no fakes: llama.cpp's
//! `llama-server` (takes `json_schema`) and llama-cpp-python's server (refuses `json_schema`
//! with a 500, takes `json_object` with a schema), both serving the tiny random-weight model of
//! `tools/tiny_gguf.py` on 127.0.0.1. One article, one segment per request: every translatable
//! segment gets a (nonsense) target, the summary names the form the server took, and a rerun
//! sends nothing.
//!
//! The servers and the model are built by `tools/llama-test-servers.sh build` (slow: it
//! compiles llama.cpp twice) into a cache outside the repository; `.ci/run` builds them. Without
//! them these tests skip with a note, except under CI, where they fail.

use crate::support::{Project, project_root, under_ci};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The article translated: the shipped one with the most translatable segments that still
/// keeps the test quick.
const ARTICLE: &str = "001_84540dff08f2d4bc";

/// The longest a server may take to load the tiny model and answer its health check.
const STARTUP: Duration = Duration::from_secs(120);

/// The paths of `needed` (keys of `tools/llama-test-servers.sh paths`: `LLAMA_SERVER`,
/// `LLAMA_CPP_PYTHON`, `TINY_GGUF`), or `None` (after a note) when one is not built; under CI
/// a missing build fails the test.
fn built(needed: &[&str]) -> Option<HashMap<String, String>> {
    let script = project_root().join("tools/llama-test-servers.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg("paths")
        .output()
        .unwrap_or_else(|error| panic!("{}: {error}", script.display()));
    let paths: HashMap<String, String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    if let Some(missing) = needed.iter().find(|key| !paths.contains_key(**key)) {
        assert!(
            !under_ci(),
            "{missing} is not built, and the llama.cpp test servers are required under CI: run `tools/llama-test-servers.sh build` (it is in .ci/run)"
        );
        eprintln!(
            "note: {missing} is not built (run `tools/llama-test-servers.sh build`, about 10 minutes on idle cores); skipping"
        );
        return None;
    }
    Some(paths)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed when dropped; its output goes to a log file kept for failures.
struct Server {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Server {
    fn start(mut command: Command, port: u16, ready_path: &str) -> Server {
        let log = tempfile::NamedTempFile::new().unwrap();
        command
            .stdin(Stdio::null())
            .stdout(log.reopen().unwrap())
            .stderr(log.reopen().unwrap());
        let child = command.spawn().unwrap();
        let mut server = Server { child, port, log };
        server.wait_until_ready(ready_path);
        server
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        let _ = self.log.reopen().unwrap().read_to_string(&mut text);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// True when `GET path` answers 200 (a plain HTTP/1.0 request: nothing to pool).
    fn answers_ok(&self, path: &str) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        if stream
            .write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .is_err()
        {
            return false;
        }
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).is_ok() && head.ends_with(b" 200")
    }

    /// Polls `GET ready_path` until it answers 200, for at most [`STARTUP`].
    fn wait_until_ready(&mut self, ready_path: &str) {
        let started = Instant::now();
        let url = format!("http://127.0.0.1:{}{ready_path}", self.port);
        while started.elapsed() < STARTUP {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}):\n{}", self.log_text());
            }
            if self.answers_ok(ready_path) {
                return;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!(
            "the server did not answer {url} within {STARTUP:?}:\n{}",
            self.log_text()
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A project holding [`ARTICLE`] whose endpoint `local` is the server on `port`, sent
/// `batch_size` segments a request.
fn project(port: u16, batch_size: usize) -> Project {
    Project::empty().with_sources(&[ARTICLE]).with_config(&format!(
        "[translate]\nendpoint = \"local\"\nmemory = []\n\n[qa]\nchecks = []\n\n\
         [endpoints.local]\nkind = \"openai\"\nurl = \"http://127.0.0.1:{port}/v1/chat/completions\"\n\
         model = \"tiny\"\nbatch-size = {batch_size}\nconcurrency = 1\nrequests-per-second = 100\ntimeout-secs = 120\nmax-retries = 2\n"
    ))
}

/// `llama-server` serving the tiny model with a context of `context` tokens.
fn llama_server(paths: &HashMap<String, String>, context: usize) -> Server {
    let port = free_port();
    let mut command = Command::new(&paths["LLAMA_SERVER"]);
    command.args([
        "--model",
        &paths["TINY_GGUF"],
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--ctx-size",
        &context.to_string(),
        "--parallel",
        "1",
        // one thread: on a busy machine ggml's threads wait on each other at every step
        // (a 31-segment article took 92 s with two threads, 3 s with one)
        "--threads",
        "1",
        "--threads-batch",
        "1",
    ]);
    Server::start(command, port, "/health")
}

/// Runs `translate --format json` in `project` against `server`; it must succeed. Its summary.
fn translate_json(project: &Project, server: &Server) -> Value {
    let output = project.run(&["translate", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{stderr}\nserver log:\n{}",
        server.log_text()
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Translates the article twice through `server` and checks everything a user relies on.
fn translate_twice(server: &Server, expected_form: &str, expected_refused: &[&str]) {
    let project = project(server.port, 1);
    let summary = translate_json(&project, server);
    let segments = summary["segments"].as_u64().unwrap();
    assert!(segments > 5, "{summary}");
    assert_eq!(summary["failed"], 0, "{summary}");
    assert_eq!(summary["translated"], segments, "{summary}");
    assert_eq!(summary["from_engine"], segments, "{summary}");
    assert_eq!(summary["retries"], 0, "{summary}");
    assert_eq!(
        summary["response_format"]["used"], expected_form,
        "{summary}"
    );
    assert_eq!(
        summary["response_format"]["refused"],
        serde_json::json!(expected_refused),
        "{summary}"
    );
    assert_eq!(summary["response_format"]["confirmed"], true, "{summary}");
    let records = project.records(ARTICLE);
    let translatable: Vec<&Value> = records
        .iter()
        .filter(|record| record["translatable"] == true)
        .collect();
    assert!(!translatable.is_empty());
    for record in &translatable {
        let target = record["target"].as_str().unwrap_or_default();
        assert!(!target.trim().is_empty(), "no target: {record}");
        assert_eq!(record["origin"], "engine", "{record}");
    }

    // the rerun sends nothing: every answer is in the cache
    let again = translate_json(&project, server);
    assert_eq!(again["requests"], 0, "{again}");
    assert_eq!(again["from_cache"], segments, "{again}");
    assert_eq!(again["response_format"]["used"], expected_form, "{again}");
}

#[test]
fn an_article_goes_through_llama_server_with_json_schema_and_a_rerun_sends_nothing() {
    let Some(paths) = built(&["LLAMA_SERVER", "TINY_GGUF"]) else {
        return;
    };
    let server = llama_server(&paths, 8192);
    translate_twice(&server, "json-schema", &[]);
}

#[test]
fn an_article_goes_through_llama_cpp_python_which_refuses_json_schema_and_a_rerun_sends_nothing() {
    let Some(paths) = built(&["LLAMA_CPP_PYTHON", "TINY_GGUF"]) else {
        return;
    };
    let port = free_port();
    let mut command = Command::new(&paths["LLAMA_CPP_PYTHON"]);
    command.args([
        "-m",
        "llama_cpp.server",
        "--model",
        &paths["TINY_GGUF"],
        "--model_alias",
        "tiny",
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--n_ctx",
        "8192",
        "--n_threads",
        "1",
        "--n_threads_batch",
        "1",
    ]);
    let server = Server::start(command, port, "/v1/models");
    translate_twice(&server, "json-object-schema", &["json-schema"]);
}

#[test]
fn a_batch_over_llama_servers_context_is_split_and_max_characters_lowered() {
    let Some(paths) = built(&["LLAMA_SERVER", "TINY_GGUF"]) else {
        return;
    };
    // the system prompt alone is about 1,100 of the model's byte tokens, the longest segment
    // of the article about 1,100 more: one segment fits in 3,072, eight do not
    let server = llama_server(&paths, 3072);
    let project = project(server.port, 8);
    let summary = translate_json(&project, &server);
    assert_eq!(summary["failed"], 0, "{summary}");
    assert!(summary["splits"].as_u64().unwrap() >= 1, "{summary}");
    let lowered = summary["lowered_max_characters"].as_u64().unwrap();
    assert!(lowered < 3000, "{summary}");
    // (the tiny model answers one item per request, so batches that fit are split too, as
    // malformed: the summary's splits and retries do not isolate the context refusals; the
    // lowered max-characters does)
    assert!(lowered > 0, "{summary}");
}
