//! An article larger than a part goes through `selaras translate` in pieces of whole blocks
//! (read a block at a time, translated a part at a time, its files written a piece at a time
//! and stitched), and must write the same files as the same run holding every article whole.
//! The internal `SELARAS_PART_LIMITS=SEGMENTS,BYTES` knob makes the parts tiny, so that the
//! shipped articles and a few-hundred-kB article are cut into dozens of pieces and streamed.

use crate::support::{Project, corpus_text, project_root, text};
use crate::translate_support::{libre_answer, request_texts};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request};

/// Two sources the consistency check groups together (curly and straight quotes), translated
/// two ways by the extra memory: a finding that lands in the big article after it is written.
const QUOTED: [(&str, &str); 2] = [
    (
        "Juru bicara itu berkata “kami siap”.",
        "The spokesman said “we are ready”.",
    ),
    (
        "Juru bicara itu berkata \"kami siap\".",
        "The spokesperson said \"we are ready\".",
    ),
];

fn memory(units: &[(&str, &str)]) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut tmx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"test\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"test\" adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\"/>\n<body>\n",
    );
    for (source, target) in units {
        tmx.push_str(&format!(
            "<tu><tuv xml:lang=\"id\"><seg>{}</seg></tuv><tuv xml:lang=\"en\"><seg>{}</seg></tuv></tu>\n",
            escape(source),
            escape(target)
        ));
    }
    tmx.push_str("</body>\n</tmx>\n");
    tmx
}

/// The shipped articles, each copied several times, with the two quoted sentences far apart.
fn big_article() -> String {
    let stems: Vec<String> = std::fs::read_dir(project_root().join("source_texts"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut text = format!("{}\n\n", QUOTED[0].0);
    for copy in 0..4 {
        for stem in &stems {
            text.push_str(corpus_text(stem).trim());
            text.push_str("\n\n");
        }
        if copy == 2 {
            text.push_str(QUOTED[1].0);
            text.push_str("\n\n");
        }
    }
    text
}

/// The shipped project with the big article, every export format and an extra memory.
fn project(limits: Option<&str>) -> Project {
    let config = std::fs::read_to_string(project_root().join("selaras.toml"))
        .unwrap()
        .replace(
            "memory = [\"translations/memory.tmx\"]",
            "memory = [\"translations/memory.tmx\", \"translations/extra.tmx\"]",
        )
        .replace(
            "formats = [\"tsv\", \"jsonl\", \"tmx\", \"xliff\", \"md\", \"html\", \"diff\"]",
            "formats = [\"tsv\", \"jsonl\", \"tmx\", \"xliff\", \"xliff12\", \"md\", \"html\", \"diff\"]",
        );
    assert!(config.contains("extra.tmx") && config.contains("xliff12"));
    let project = Project::shipped()
        .with_config(&config)
        .with_file("source_texts/big.txt", big_article())
        .with_file("translations/extra.tmx", memory(&QUOTED))
        .with_env("SOURCE_DATE_EPOCH", 1_700_000_000);
    match limits {
        Some(limits) => project.with_env("SELARAS_PART_LIMITS", limits),
        None => project,
    }
}

/// Every file under `folder` (recursively) by its relative path.
fn files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                found.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

fn translate(project: &Project) {
    let output = project.run(&["translate"]);
    assert!(
        output.status.success() || output.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_same_files(whole: &Project, pieces: &Project) {
    let (whole, pieces) = (
        files(&whole.join("translations")),
        files(&pieces.join("translations")),
    );
    assert_eq!(
        whole.keys().collect::<Vec<_>>(),
        pieces.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &whole {
        assert!(
            bytes == &pieces[name],
            "{name} differs when written in pieces ({} vs {} bytes)",
            bytes.len(),
            pieces[name].len()
        );
    }
}

#[test]
fn an_article_in_pieces_gives_the_files_of_the_whole_article() {
    let whole = project(None);
    let pieces = project(Some("7,1000"));
    translate(&whole);
    translate(&pieces);
    let records = whole.records("big");
    let translatable = records
        .iter()
        .filter(|record| record["translatable"] == true)
        .count();
    assert!(
        translatable > 40 * 7,
        "{translatable} translatable segments: a few pieces only"
    );
    let text = |record: &serde_json::Value| record.to_string();
    assert!(
        records
            .iter()
            .any(|record| text(record).contains("\"consistency\"")),
        "the two quoted sentences give a consistency finding"
    );
    assert_same_files(&whole, &pieces);

    // a reviewer's edit of a sentence the article holds many times: the rerun reads what the
    // engine said from the previous records, a piece at a time
    let memory_hits = || {
        records
            .iter()
            .filter(|record| record["translatable"] == true && record["origin"] == "memory")
            .map(|record| record["source"].as_str().unwrap())
    };
    let source = memory_hits()
        .find(|source| memory_hits().filter(|other| other == source).count() >= 4)
        .expect("a memory hit the article holds four times");
    let reviewed = memory(&[(source, "An edited English sentence.")]);
    for project in [&whole, &pieces] {
        std::fs::write(project.join("translations/reviewed.tmx"), &reviewed).unwrap();
        translate(project);
    }
    let edited = whole
        .records("big")
        .into_iter()
        .filter(|record| record["origin"] == "reviewed")
        .count();
    assert!(edited >= 4, "{edited} reviewed records");
    assert_same_files(&whole, &pieces);
}

/// A project of one large article translated by a LibreTranslate-shaped `uri`, every format.
fn engine_project(uri: &str, limits: Option<&str>) -> Project {
    let config = format!(
        "[translate]\nendpoint = \"local\"\n\n[endpoints.local]\nkind = \"libretranslate\"\n\
         url = \"{uri}/translate\"\nbatch-size = 8\nconcurrency = 2\nrequests-per-second = 500\n\
         timeout-secs = 5\n\n[qa]\nchecks = []\n\n[export]\nformats = [\"tsv\", \"jsonl\", \
         \"tmx\", \"xliff\", \"xliff12\", \"md\", \"html\", \"diff\"]\n"
    );
    let project = Project::empty()
        .with_config(&config)
        .with_file("source_texts/big.txt", big_article())
        .with_env("SOURCE_DATE_EPOCH", 1_700_000_000);
    match limits {
        Some(limits) => project.with_env("SELARAS_PART_LIMITS", limits),
        None => project,
    }
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

async fn texts_sent(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| request_texts(&request.body, "q").len())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_in_pieces_killed_twice_resumes_to_the_files_of_a_whole_uninterrupted_run() {
    let reference_server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&reference_server)
        .await;
    let whole = engine_project(&reference_server.uri(), None);
    // a dry run read a part at a time plans what one over the whole article plans
    let dry_runs = [
        whole.run_async(&["translate", "--dry-run", "--json"]).await,
        engine_project(&reference_server.uri(), Some("7,1000"))
            .run_async(&["translate", "--dry-run", "--json"])
            .await,
    ];
    let plans: Vec<serde_json::Value> = dry_runs
        .iter()
        .map(|output| serde_json::from_slice(&output.stdout).expect("a JSON plan"))
        .collect();
    assert!(plans[0]["requests"].as_u64() > Some(10), "{}", plans[0]);
    assert_eq!(plans[0], plans[1]);
    let output = whole.run_async(&["translate"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            libre_answer(request).set_delay(Duration::from_millis(40))
        })
        .mount(&server)
        .await;
    let pieces = engine_project(&server.uri(), Some("7,1000"));
    for kill_after in [3, 8] {
        let mut child = pieces.process(&["translate"]).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while requests(&server).await < kill_after {
            assert!(Instant::now() < deadline, "never {kill_after} requests");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill().unwrap(); // SIGKILL
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
            .await
            .unwrap();
        assert_eq!(status.code(), None, "killed by a signal");
    }
    let output = pieces.run_async(&["translate"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    // each distinct text once, plus at most what was in flight at each kill (2 requests of 8)
    let (sent, distinct) = (
        texts_sent(&server).await,
        texts_sent(&reference_server).await,
    );
    assert!(
        distinct <= sent && sent <= distinct + 2 * 2 * 8,
        "the reruns sent only what was missing: {sent} texts, {distinct} distinct"
    );
    assert_same_files(&whole, &pieces);
}

#[test]
fn a_malformed_part_limit_is_refused_before_any_work() {
    for limits in ["0,1000", "7", "seven,1000", "7,-1"] {
        let project = Project::shipped().with_env("SELARAS_PART_LIMITS", limits);
        let output = project.run(&["translate"]);
        assert_eq!(output.status.code(), Some(2), "{limits}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("SELARAS_PART_LIMITS") && stderr.contains(limits),
            "{limits}: {stderr}"
        );
        let written: Vec<String> = std::fs::read_dir(project.path().join("translations"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(written, ["memory.tmx"], "{limits}: nothing may be written");
    }
}
