//! The whole pipeline with the glossary stage: the shipped project offline, engine answers
//! fixed and flagged, and the review round trip (export → edit → import → rerun → diff).

use crate::support::Project;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A fixed export date, so that runs are reproducible.
const SOURCE_DATE_EPOCH: &str = "1764547200";

/// A copy of the shipped project with a fixed export date.
fn shipped_project() -> Project {
    Project::shipped().with_env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_project_translates_everything_offline_and_checks_clean() {
    let project = shipped_project();
    let output = project.run_async(&["translate", "--json"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["segments"], 166);
    assert_eq!(summary["translated"], 166);
    assert_eq!(summary["from_memory"], 166);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["requests"], 0);
    assert_eq!(summary["violations"], 0);
    let check = project.run_async(&["check"]).await;
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    for extension in ["jsonl", "tsv", "tmx", "xlf", "md", "html", "diff"] {
        assert!(
            project
                .path()
                .join(format!("translations/003_5e0967db1d361350.{extension}"))
                .is_file(),
            "{extension}"
        );
    }
    assert!(project.path().join("translations/index.html").is_file());
}

const SOURCE: &str = "Wakil Perdana Menteri Tran Luu Quang memuji Kementerian Luar Negeri.\nMenteri Luar Negeri Bui Thanh Son berbicara dalam pertemuan tersebut.\n";

/// A LibreTranslate-shaped engine that answers each text of a request (and its place in the
/// request) with `render`.
async fn libretranslate_engine(
    render: impl Fn(usize, &str) -> String + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |request: &Request| {
            let body: Value = request.body_json().unwrap();
            let answers: Vec<String> = body["q"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(index, text)| render(index, text.as_str().unwrap()))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "translatedText": answers }))
        })
        .mount(&server)
        .await;
    server
}

/// A LibreTranslate-shaped engine that makes the classic title mistakes.
async fn careless_engine() -> MockServer {
    libretranslate_engine(|_, text| {
        if text.starts_with("Wakil Perdana Menteri") {
            "Vice Prime Minister Tran Luu Quang praised the Foreign Ministry.".to_string()
        } else {
            "The top diplomat Bui Thanh Son spoke at the meeting.".to_string()
        }
    })
    .await
}

fn engine_project(uri: &str, mode: &str) -> Project {
    Project::empty()
        .with_env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .with_file("source_texts/berita.txt", SOURCE)
        .with_shipped("glossary/official-titles.tsv")
        .with_config(&format!(
            "[translate]\nendpoint = \"local\"\nmemory = []\n\n[glossary]\nmode = \"{mode}\"\n\n[endpoints.local]\nkind = \"libretranslate\"\nurl = \"{uri}/translate\"\nrequests-per-second = 100\n"
        ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_answers_with_forbidden_titles_are_fixed_and_missing_ones_flagged() {
    let server = careless_engine().await;
    let project = engine_project(&server.uri(), "fix");
    let output = project.run_async(&["translate", "--json"]).await;
    assert_eq!(
        output.status.code(),
        Some(1),
        "violations remain: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (summary["fixed"].as_u64(), summary["violations"].as_u64()),
        (Some(1), Some(1))
    );

    let records = project.records("berita");
    let fixed = &records[0];
    assert_eq!(fixed["origin"], "fixed");
    assert_eq!(
        fixed["raw"],
        "Vice Prime Minister Tran Luu Quang praised the Foreign Ministry."
    );
    assert_eq!(
        fixed["target"],
        "Deputy Prime Minister Tran Luu Quang praised the Ministry of Foreign Affairs."
    );
    assert_eq!(fixed["violations"], json!([]));
    // the word diff rebuilds both sides
    let side = |skip: &str| -> String {
        fixed["diff"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|op| op["op"] != skip)
            .map(|op| op["text"].as_str().unwrap())
            .collect()
    };
    assert_eq!(side("insert"), fixed["raw"].as_str().unwrap());
    assert_eq!(side("delete"), fixed["target"].as_str().unwrap());
    assert!(
        fixed["diff"]
            .as_array()
            .unwrap()
            .iter()
            .any(|op| op["op"] == "delete" && op["text"] == "Vice")
    );
    let terms: Vec<&str> = fixed["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source_term"].as_str().unwrap())
        .collect();
    assert_eq!(
        terms,
        [
            "Wakil Perdana Menteri",
            "Tran Luu Quang",
            "Kementerian Luar Negeri"
        ]
    );

    let flagged = &records[1];
    assert_eq!(flagged["origin"], "engine");
    assert_eq!(flagged["violations"][0]["kind"], "missing");
    assert_eq!(
        flagged["violations"][0]["expected"],
        "Minister of Foreign Affairs"
    );

    // the review page shows the fix and the violation
    let page = std::fs::read_to_string(project.path().join("translations/berita.html")).unwrap();
    assert!(page.contains("Minister of Foreign Affairs"));
    assert!(page.contains("<del"), "the raw → final diff is on the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_mode_records_violations_without_changing_the_engine_answer() {
    let server = careless_engine().await;
    let project = engine_project(&server.uri(), "check");
    let output = project.run_async(&["translate"]).await;
    assert_eq!(output.status.code(), Some(1));
    let records = project.records("berita");
    assert_eq!(records[0]["origin"], "engine");
    assert_eq!(
        records[0]["target"],
        "Vice Prime Minister Tran Luu Quang praised the Foreign Ministry."
    );
    let kinds: Vec<(&str, &str)> = records[0]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["kind"].as_str().unwrap(), v["found"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("forbidden_variant", "Vice Prime Minister"),
            ("forbidden_variant", "Foreign Ministry")
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_round_trip_edit_import_rerun_and_diff() {
    let project = shipped_project();
    let folder = project.path();
    assert_eq!(
        project.run_async(&["translate"]).await.status.code(),
        Some(0)
    );

    // the reviewer edits one segment of the exported TSV and marks it reviewed
    let tsv_path = folder.join("translations/003_5e0967db1d361350.tsv");
    let edited: Vec<String> = std::fs::read_to_string(&tsv_path)
        .unwrap()
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split('\t').map(str::to_string).collect();
            if fields[0] == "003_5e0967db1d361350:6.1" {
                fields[3] = "The full interview follows:".to_string();
                fields[4] = "reviewed".to_string();
            }
            fields.join("\t")
        })
        .collect();
    let review = folder.join("review.tsv");
    std::fs::write(&review, edited.join("\n") + "\n").unwrap();

    let import = project
        .run_async(&["review", "import", "review.tsv", "--json"])
        .await;
    assert_eq!(
        import.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let report: Value = serde_json::from_slice(&import.stdout).unwrap();
    assert_eq!(report["imported"], 1);
    let segment = &report["edit_distance"]["articles"][0]["segments"][0];
    assert_eq!(segment["id"], "003_5e0967db1d361350:6.1");
    assert_eq!(
        segment["engine"],
        "Following is the content of the interview:"
    );
    assert!(segment["distance"]["words"].as_u64().unwrap() > 0);
    assert!(folder.join("translations/reviewed.tmx").is_file());

    // the next run uses the edit
    assert_eq!(
        project.run_async(&["translate"]).await.status.code(),
        Some(0)
    );
    let records = project.records("003_5e0967db1d361350");
    let record = records
        .iter()
        .find(|r| r["id"] == "003_5e0967db1d361350:6.1")
        .unwrap();
    assert_eq!(record["target"], "The full interview follows:");
    assert_eq!(record["origin"], "reviewed");

    // and the diff against the previous run shows it
    let diff = project
        .run_async(&["diff", "--exit-code", "--format", "json"])
        .await;
    assert_eq!(diff.status.code(), Some(1));
    let diff: Value = serde_json::from_slice(&diff.stdout).unwrap();
    let changed = diff.to_string();
    assert!(changed.contains("003_5e0967db1d361350:6.1"), "{changed}");
    assert!(changed.contains("The full interview follows:"), "{changed}");
}

/// A LibreTranslate-shaped engine for protect mode: it keeps the placeholders it is sent
/// (re-serialised the way LibreTranslate's HTML mode does) unless told to lose them, and
/// renders the rest of the sentence.
async fn placeholder_engine(lose_placeholders: bool) -> MockServer {
    libretranslate_engine(move |_, text| {
        if text.contains("<x id=") {
            if lose_placeholders {
                "The official praised the ministry.".to_string()
            } else {
                "<x id=\"1\"></x> <x id=\"2\"></x> praised the <x id=\"3\"></x>.".to_string()
            }
        } else {
            "Vice Prime Minister Tran Luu Quang praised the Foreign Ministry.".to_string()
        }
    })
    .await
}

fn protect_project(uri: &str) -> Project {
    engine_project(uri, "protect").with_file(
        "source_texts/berita.txt",
        "Wakil Perdana Menteri Tran Luu Quang memuji Kementerian Luar Negeri.\n",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protect_mode_sends_placeholders_and_restores_the_approved_renderings() {
    let server = placeholder_engine(false).await;
    let project = protect_project(&server.uri());
    let output = project.run_async(&["translate"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body: Value = requests[0].body_json().unwrap();
    assert_eq!(
        body["q"][0],
        "<x id=\"1\"/> <x id=\"2\"/> memuji <x id=\"3\"/>."
    );
    let record = &project.records("berita")[0];
    assert_eq!(
        record["target"],
        "Deputy Prime Minister Tran Luu Quang praised the Ministry of Foreign Affairs."
    );
    assert_eq!(
        record["raw"],
        "<x id=\"1\"></x> <x id=\"2\"></x> praised the <x id=\"3\"></x>."
    );
    assert_eq!(record["violations"], json!([]));
    assert_eq!(record["warnings"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_placeholders_fall_back_to_fixing_and_are_flagged() {
    let server = placeholder_engine(true).await;
    let project = protect_project(&server.uri());
    let output = project.run_async(&["translate"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        2,
        "the protected request, then the plain one"
    );
    let second: Value = requests[1].body_json().unwrap();
    assert_eq!(
        second["q"][0],
        "Wakil Perdana Menteri Tran Luu Quang memuji Kementerian Luar Negeri."
    );
    let record = &project.records("berita")[0];
    assert_eq!(record["origin"], "fixed");
    assert_eq!(
        record["target"],
        "Deputy Prime Minister Tran Luu Quang praised the Ministry of Foreign Affairs."
    );
    assert_eq!(record["warnings"][0]["kind"], "placeholder_lost");
    assert!(
        record["warnings"][0]["note"]
            .as_str()
            .unwrap()
            .contains("placeholder 1 is missing")
    );
}

const UNITED_NATIONS_SOURCE: &str = "Sekretaris Jenderal PBB Antonio Guterres menyambut delegasi Vietnam.\nSekretaris Jenderal To Lam tiba di New York.\n";

/// An engine that renders the UN post right and the Party post the UN's way.
async fn united_nations_engine() -> MockServer {
    libretranslate_engine(|_, text| {
        if text.contains("PBB") {
            "UN Secretary-General Antonio Guterres welcomed the Vietnamese delegation.".to_string()
        } else {
            "Secretary-General To Lam arrived in New York.".to_string()
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_mode_leaves_the_united_nations_secretary_general_alone() {
    let server = united_nations_engine().await;
    let project = engine_project(&server.uri(), "fix")
        .with_file("source_texts/berita.txt", UNITED_NATIONS_SOURCE);
    let output = project.run_async(&["translate", "--json"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (summary["fixed"].as_u64(), summary["violations"].as_u64()),
        (Some(1), Some(0))
    );
    let records = project.records("berita");
    assert_eq!(records[0]["origin"], "engine");
    assert_eq!(
        records[0]["target"],
        "UN Secretary-General Antonio Guterres welcomed the Vietnamese delegation."
    );
    assert_eq!(records[0]["violations"], json!([]));
    assert_eq!(records[1]["origin"], "fixed");
    assert_eq!(
        records[1]["target"],
        "General Secretary To Lam arrived in New York."
    );
}

/// An engine that answers with a BEL (U+0007) in its English.
async fn bell_engine() -> MockServer {
    libretranslate_engine(|index, _| format!("Sentence\u{7} number {index}.")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn translate_names_each_segment_the_tmx_leaves_out_for_a_character_xml_cannot_carry() {
    let server = bell_engine().await;
    let project = engine_project(&server.uri(), "check").with_extra_config(
        "\n[qa]\nchecks = []\n[export]\nformats = [\"jsonl\", \"tmx\", \"xliff\"]\n",
    );
    let output = project.run_async(&["translate"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{stderr}"
    );
    for id in ["berita:1.1", "berita:2.1"] {
        assert!(
            stderr.contains(&format!("warning: berita.tmx: segment {id} left out"))
                && stderr.contains("U+0007"),
            "{id}: {stderr}"
        );
    }
    let tmx = std::fs::read_to_string(project.path().join("translations/berita.tmx")).unwrap();
    assert!(!tmx.contains("<tu ") && !tmx.contains('\u{FFFD}'), "{tmx}");
    // the record keeps the English as the engine gave it; the XLIFF carries it as <cp>
    let xliff = std::fs::read_to_string(project.path().join("translations/berita.xlf")).unwrap();
    assert!(xliff.contains("<cp hex=\"0007\"/>"), "{xliff}");
}
