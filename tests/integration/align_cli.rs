//! `selaras align` as a user runs it: the JSON-lines links, the aligned records, the TMX memory
//! (validated against the official DTD), and bad input.

use crate::support::{Project, Schema, selaras, validate_xml};

const SOURCE: &str = "source_texts/000_979649cfeebf31a2.txt";
const TARGET: &str = "tests/data/align/000_979649cfeebf31a2.en.txt";

fn jsonl(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn jsonl_prints_one_link_per_line_with_texts() {
    let output = selaras()
        .args(["align", SOURCE, TARGET, "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(stdout.starts_with("{\"source\":"), "source comes first");
    let links = jsonl(&output.stdout);
    assert_eq!(links.len(), 22);
    let merged = &links[6];
    assert_eq!(merged["link"], "2-1");
    assert!(
        merged["source"]
            .as_str()
            .unwrap()
            .starts_with("Menteri Bui Thanh Son mengatakan")
    );
    assert!(
        merged["source"]
            .as_str()
            .unwrap()
            .contains("Pemerintah. Menteri menekankan bahwa")
    );
    assert!(
        merged["target"]
            .as_str()
            .unwrap()
            .starts_with("Minister Bui Thanh Son said")
    );
    let omitted = &links[17];
    assert_eq!(omitted["link"], "1-0");
    assert_eq!(omitted["target"], "");
    // the omission is confident: `modernitas` has no counterpart in the English it is linked to
    assert_eq!(omitted["flagged"], false);
    let added = &links[21];
    assert_eq!(added["link"], "0-1");
    assert_eq!(added["source"], "");
    assert!(
        added["target"]
            .as_str()
            .unwrap()
            .starts_with("Editor's note:")
    );
    for link in &links {
        let confidence = link["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
    }
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 omitted (1-0), 1 added (0-1); 0 flagged below 0.5"),
        "{stderr}"
    );
}

#[test]
fn records_follow_the_source_article_and_carry_the_links() {
    let folder = tempfile::tempdir().unwrap();
    let output = selaras()
        .args(["align", SOURCE, TARGET, "--out"])
        .arg(folder.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read(folder.path().join("000_979649cfeebf31a2.jsonl")).unwrap();
    let records = selaras::record::read_jsonl(&text[..]).unwrap();
    // 25 source segments, 7.2 joined into 7.1's record
    assert_eq!(records.len(), 24);
    let merged = records
        .iter()
        .find(|record| record.id.to_string() == "000_979649cfeebf31a2:7.1")
        .unwrap();
    assert_eq!(merged.origin, selaras::record::Origin::Aligned);
    let info = merged.alignment.as_ref().unwrap();
    assert_eq!(info.link, "2-1");
    assert_eq!(info.source_ids.len(), 2);
    assert_eq!(info.target_ids, ["000_979649cfeebf31a2.en:7.1"]);
    assert!(merged.source.ends_with("pengembangan sektor diplomatik."));
    let omitted = records
        .iter()
        .find(|record| record.id.to_string() == "000_979649cfeebf31a2:17.2")
        .unwrap();
    assert_eq!(omitted.target, None);
    assert_eq!(omitted.origin, selaras::record::Origin::None);
    assert!(!omitted.alignment.as_ref().unwrap().flagged);
    let boilerplate = records.last().unwrap();
    assert_eq!(boilerplate.source, "Komentar (0)");
    assert_eq!(boilerplate.origin, selaras::record::Origin::Source);
    assert!(boilerplate.alignment.is_none());
}

#[test]
fn into_memory_writes_valid_tmx_and_replaces_units_on_a_second_run() {
    let folder = tempfile::tempdir().unwrap();
    let memory = folder.path().join("memory/aligned.tmx");
    for _ in 0..2 {
        let output = selaras()
            .args([
                "align",
                SOURCE,
                TARGET,
                "--format",
                "jsonl",
                "--into-memory",
            ])
            .arg("--memory-out")
            .arg(&memory)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    // a second article adds to the same memory
    let output = selaras()
        .args([
            "align",
            "source_texts/002_5f2940f005814b39.txt",
            "tests/data/align/002_5f2940f005814b39.en.txt",
            "--format",
            "jsonl",
            "--threshold",
            "0.9",
            "--into-memory",
        ])
        .arg("--memory-out")
        .arg(&memory)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    validate_xml(&std::fs::read_to_string(&memory).unwrap(), Schema::Tmx14);
    let parsed = selaras::tmx::read(&std::fs::read_to_string(&memory).unwrap()).unwrap();
    assert_eq!(parsed.source_language, "id");
    let from_000 = parsed
        .units
        .iter()
        .filter(|unit| unit.id.as_deref().unwrap().starts_with("000_"))
        .count();
    // 22 links − 1-0 − 0-1, written once despite two runs (the 17.3 link, flagged by length and
    // anchors alone, is confident with the words)
    assert_eq!(from_000, 20);
    let from_002 = parsed
        .units
        .iter()
        .filter(|unit| unit.id.as_deref().unwrap().starts_with("002_"))
        .count();
    // 27 links − 1-0 − 0-1: with the lexicon learnt from the project's memory every other link
    // is above the 0.9 threshold
    assert_eq!(from_002, 25);
    let merged = parsed
        .units
        .iter()
        .find(|unit| unit.id.as_deref() == Some("000_979649cfeebf31a2:7.1"))
        .unwrap();
    assert_eq!(merged.prop("x-alignment-link"), Some("2-1"));
    assert_eq!(
        merged.prop("x-source-segment-ids"),
        Some("000_979649cfeebf31a2:7.1 000_979649cfeebf31a2:7.2")
    );
    assert!(
        merged
            .text_in("en")
            .unwrap()
            .starts_with("Minister Bui Thanh Son said")
    );
}

#[test]
fn a_link_xml_cannot_carry_is_left_out_of_the_memory_by_name_never_replaced() {
    let folder = tempfile::tempdir().unwrap();
    let source = folder.path().join("a.txt");
    let english = folder.path().join("a.en.txt");
    std::fs::write(
        &source,
        "Presiden tiba di Jakarta\u{7} hari ini.\n\nMenteri berbicara di depan wartawan.\n",
    )
    .unwrap();
    std::fs::write(
        &english,
        "The President arrived in Jakarta\u{7} today.\n\nThe minister spoke to reporters.\n",
    )
    .unwrap();
    let memory = folder.path().join("aligned.tmx");
    let output = selaras()
        .args([
            "align",
            "--format",
            "jsonl",
            "--into-memory",
            "--no-lexicon",
        ])
        .arg(&source)
        .arg(&english)
        .arg("--memory-out")
        .arg(&memory)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("segment a:1.1 left out") && stderr.contains("U+0007"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&memory).unwrap();
    assert!(!text.contains('\u{FFFD}'), "{text}");
    validate_xml(&text, Schema::Tmx14);
    let parsed = selaras::tmx::read(&text).unwrap();
    let ids: Vec<_> = parsed
        .units
        .iter()
        .filter_map(|unit| unit.id.as_deref())
        .collect();
    assert_eq!(ids, ["a:2.1"]);
}

#[test]
fn bad_inputs_are_named_and_nothing_is_written() {
    let folder = tempfile::tempdir().unwrap();
    let missing = selaras()
        .args(["align", SOURCE, "tests/data/align/missing.en.txt", "--out"])
        .arg(folder.path())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8(missing.stderr).unwrap();
    assert!(stderr.contains("missing.en.txt: no such file"), "{stderr}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);

    let bad_memory = folder.path().join("bad.tmx");
    std::fs::write(&bad_memory, "<tmx>\n<body><tu>\n</tmx>").unwrap();
    let output = selaras()
        .args(["align", SOURCE, TARGET, "--into-memory", "--out"])
        .arg(folder.path())
        .arg("--memory-out")
        .arg(&bad_memory)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bad.tmx: not a TMX file"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(!folder.path().join("000_979649cfeebf31a2.jsonl").exists());
    assert_eq!(
        std::fs::read_to_string(&bad_memory).unwrap(),
        "<tmx>\n<body><tu>\n</tmx>"
    );

    let threshold = selaras()
        .args(["align", SOURCE, TARGET, "--threshold", "1.5"])
        .output()
        .unwrap();
    assert_eq!(threshold.status.code(), Some(2));
}

const STEM_000: &str = "000_979649cfeebf31a2";
const STEM_002: &str = "002_5f2940f005814b39";

/// The shipped project with an `en/` folder: the English versions of 000 (as `<stem>.en.txt`)
/// and 002 (as `<stem>.txt`), and an English file no article has.
fn project_with_english_folder() -> Project {
    let english = |stem: &str| {
        std::fs::read(
            crate::support::project_root().join(format!("tests/data/align/{stem}.en.txt")),
        )
        .unwrap()
    };
    Project::shipped()
        .with_file(&format!("en/{STEM_000}.en.txt"), english(STEM_000))
        .with_file(&format!("en/{STEM_002}.txt"), english(STEM_002))
        .with_file(
            "en/999_orphan.txt",
            "An English article nobody wrote in Indonesian.\n",
        )
}

#[test]
fn folders_align_every_article_with_the_english_file_of_its_stem() {
    let project = project_with_english_folder();
    let output = project.run(&["align", "source_texts", "en", "--into-memory"]);
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{STEM_000}: aligned 22 source and 22 English")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{STEM_002}: aligned 26 source and 27 English")),
        "{stderr}"
    );
    assert!(
        stderr.contains("overall, 2 articles: aligned 48 source and 49 English"),
        "{stderr}"
    );
    assert!(
        stderr.contains("003_5e0967db1d361350.txt: no English version"),
        "{stderr}"
    );
    assert!(
        stderr.contains("999_orphan.txt: no Indonesian article"),
        "{stderr}"
    );
    for stem in [STEM_000, STEM_002] {
        let records = project.records(stem);
        assert!(
            records.iter().any(|record| record["origin"] == "aligned"),
            "{stem}"
        );
    }
    assert!(
        !project
            .join("translations/003_5e0967db1d361350.jsonl")
            .exists()
    );
    let memory = std::fs::read_to_string(project.join("translations/aligned-memory.tmx")).unwrap();
    validate_xml(&memory, Schema::Tmx14);
    let parsed = selaras::tmx::read(&memory).unwrap();
    for stem in [STEM_000, STEM_002] {
        assert!(
            parsed
                .units
                .iter()
                .any(|unit| unit.id.as_deref().unwrap().starts_with(stem))
        );
    }
    // a folder and a file do not make a pair
    let output = project.run(&["align", "source_texts", &format!("en/{STEM_002}.txt")]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a folder"));
}

#[test]
fn the_lexicon_is_cached_and_learnt_again_only_when_the_memory_changes() {
    let project = project_with_english_folder();
    let source = format!("source_texts/{STEM_000}.txt");
    let target = format!("en/{STEM_000}.en.txt");
    let args = [
        "align",
        source.as_str(),
        target.as_str(),
        "--format",
        "jsonl",
    ];
    let first = project.run(&args);
    assert!(first.status.success(), "{first:?}");
    let cache = project.join(".selaras/align-lexicon.tsv");
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(
        text.starts_with("# selaras align translation table v1 "),
        "{text}"
    );
    assert!(
        text.contains("pairs=165"), // 166 units, 165 distinct sources
        "{}",
        text.lines().next().unwrap()
    );
    // a cache with the right key is read, not learnt again: an entry planted in it survives
    std::fs::write(&cache, format!("{text}zzzplanted\tqqq\n")).unwrap();
    let again = project.run(&args);
    assert!(again.status.success());
    assert_eq!(again.stdout, first.stdout);
    assert!(
        std::fs::read_to_string(&cache)
            .unwrap()
            .contains("zzzplanted")
    );
    // another memory (a TMX given with --lexicon-memory) changes the key: learnt again
    let extra = project.join("extra.tmx");
    std::fs::write(
        &extra,
        selaras::translate::memory::write_tmx(
            &[("Kucing tidur.".to_string(), "The cat sleeps.".to_string())],
            &selaras::translate::memory::LanguagePair::new("id", "en"),
        ),
    )
    .unwrap();
    let mut with_extra = args.to_vec();
    with_extra.extend(["--lexicon-memory", "extra.tmx"]);
    assert!(project.run(&with_extra).status.success());
    let relearnt = std::fs::read_to_string(&cache).unwrap();
    assert!(!relearnt.contains("zzzplanted"));
    assert!(
        relearnt.contains("pairs=166"),
        "{}",
        relearnt.lines().next().unwrap()
    );
    // a missing --lexicon-memory file is bad input
    let output = project.run(&["align", &source, &target, "--lexicon-memory", "nope.tmx"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("nope.tmx"));
}

#[test]
fn with_engine_goes_through_the_translate_stage() {
    // the shipped project's endpoint is the offline memory endpoint: its "translation" of each
    // source sentence is the approved one, which the English version was edited from
    let project = project_with_english_folder();
    let source = format!("source_texts/{STEM_000}.txt");
    let target = format!("en/{STEM_000}.en.txt");
    let output = project.run(&[
        "align",
        &source,
        &target,
        "--with-engine",
        "--format",
        "jsonl",
    ]);
    assert!(output.status.success(), "{output:?}");
    let links = jsonl(&output.stdout);
    assert_eq!(links.len(), 22);
    assert!(
        links.iter().all(|link| link["flagged"] == false),
        "{links:?}"
    );
    assert!(project.join(".selaras/memory.sqlite").exists());
    let output = project.run(&[
        "align",
        &source,
        &target,
        "--with-engine",
        "--endpoint",
        "nowhere",
    ]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no endpoint named \"nowhere\""));
}

/// The reviewed memory's English for each Indonesian text.
fn reviewed_english() -> std::collections::HashMap<String, String> {
    let text =
        std::fs::read_to_string(crate::support::project_root().join("translations/memory.tmx"))
            .unwrap();
    selaras::tmx::read_pairs(&text, "id", "en")
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_engine_sends_each_sentence_once_and_a_rerun_nothing() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};
    // a LibreTranslate-shaped engine that answers with real English: the reviewed translation
    // of each sentence (written apart from the English version of 001 under test)
    let reviewed = reviewed_english();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |request: &Request| {
            let translated: Vec<String> =
                crate::translate_support::request_texts(&request.body, "q")
                    .iter()
                    .map(|text| reviewed.get(text).cloned().unwrap_or_default())
                    .collect();
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "translatedText": translated }))
        })
        .mount(&server)
        .await;
    let stem = "001_84540dff08f2d4bc";
    // no approved memory in force, so every sentence goes to the engine; the lexicon is learnt
    // from the reviewed memory given apart
    let project = Project::empty()
        .with_sources(&[stem])
        .with_shipped(&format!("tests/data/align/{stem}.en.txt"))
        .with_shipped("translations/memory.tmx")
        .with_shipped("glossary/official-titles.tsv")
        .with_config(&format!(
            "[glossary]\nfiles = [\"glossary/official-titles.tsv\"]\n\n[translate]\nendpoint = \"local\"\nmemory = []\n\n[endpoints.local]\nkind = \"libretranslate\"\nurl = \"{}/translate\"\nbatch-size = 8\nconcurrency = 1\nrequests-per-second = 200\ntimeout-secs = 5\n",
            server.uri()
        ));
    let source = format!("source_texts/{stem}.txt");
    let target = format!("tests/data/align/{stem}.en.txt");
    let args = [
        "align",
        source.as_str(),
        target.as_str(),
        "--with-engine",
        "--format",
        "jsonl",
    ];
    let first = crate::support::output_async(project.process(&args)).await;
    assert!(first.status.success(), "{first:?}");
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .flat_map(|request| crate::translate_support::request_texts(&request.body, "q"))
        .collect();
    // 31 translatable sentences, all distinct, each sent once
    assert_eq!(sent.len(), 31);
    let links = jsonl(&first.stdout);
    let gold: Vec<(Vec<String>, Vec<String>)> = std::fs::read_to_string(
        crate::support::project_root().join(format!("tests/data/align/{stem}.gold.jsonl")),
    )
    .unwrap()
    .lines()
    .map(|line| {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let ids = |key: &str| serde_json::from_value::<Vec<String>>(value[key].clone()).unwrap();
        (ids("source_ids"), ids("target_ids"))
    })
    .collect();
    let found: Vec<(Vec<String>, Vec<String>)> = links
        .iter()
        .map(|link| {
            let ids = |key: &str| serde_json::from_value::<Vec<String>>(link[key].clone()).unwrap();
            (ids("source_ids"), ids("target_ids"))
        })
        .collect();
    let mut sorted_gold = gold.clone();
    let mut sorted_found = found.clone();
    sorted_gold.sort();
    sorted_found.sort();
    let wrong: Vec<_> = sorted_found
        .iter()
        .filter(|link| !sorted_gold.contains(link))
        .collect();
    let missed: Vec<_> = sorted_gold
        .iter()
        .filter(|link| !sorted_found.contains(link))
        .collect();
    // the alignment's quality is align_eval's business; here the engine's English must be
    // used and good: link F1 at least 0.95 (the 2-1 merge of a four-word sentence comes out as
    // 1-1 + 1-0 in this configuration)
    let correct = sorted_found.len() - wrong.len();
    let f1 = 2.0 * correct as f64 / (sorted_found.len() + sorted_gold.len()) as f64;
    assert!(f1 >= 0.95, "F1 {f1}: wrong {wrong:?}, missed {missed:?}");
    // the rerun takes every translation from the cache
    server.reset().await;
    let again = crate::support::output_async(project.process(&args)).await;
    assert!(again.status.success(), "{again:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
    assert_eq!(again.stdout, first.stdout);
}

#[test]
fn segment_lang_en_gives_the_segments_align_links() {
    let output = selaras()
        .args(["segment", "--lang", "en", TARGET])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let segments = jsonl(&output.stdout);
    // `Dec. 22` is one sentence with the English lists, two with the Indonesian ones
    let note = segments
        .iter()
        .find(|segment| {
            segment["text"]
                .as_str()
                .unwrap()
                .starts_with("Editor's note")
        })
        .unwrap();
    assert!(
        note["text"]
            .as_str()
            .unwrap()
            .ends_with("edited for length."),
        "{note}"
    );
    let indonesian = jsonl(&selaras().args(["segment", TARGET]).output().unwrap().stdout);
    assert_eq!(indonesian.len(), segments.len() + 1);
    // the English ids align links are exactly the translatable segments of `segment --lang en`
    let translatable: std::collections::BTreeSet<String> = segments
        .iter()
        .filter(|segment| segment["translatable"] == true)
        .map(|segment| segment["id"].as_str().unwrap().to_string())
        .collect();
    let links = jsonl(
        &selaras()
            .args(["align", SOURCE, TARGET, "--format", "jsonl"])
            .output()
            .unwrap()
            .stdout,
    );
    let linked: std::collections::BTreeSet<String> = links
        .iter()
        .flat_map(|link| link["target_ids"].as_array().unwrap().clone())
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    assert_eq!(linked, translatable);
}
