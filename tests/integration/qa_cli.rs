//! The QA checks through the binary: `selaras check` on pairs with a wrong number and date
//! (the `"qa"` array of `--format jsonl`, the marked text report, exit codes 0/1/2, `[qa]`
//! severities and consistency across the file), and `selaras translate` against a local
//! engine whose answer changes a number (the record's `qa`, the summary, exit 1).

use crate::support::{Project, json_lines, text};
use crate::translate_support::{english, request_texts};
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The issue's example: "155 … 22 Desember" became "150 … December 12".
const WRONG_NUMBER_AND_DATE: &str = r#"{"id":"news:1.1","source":"Sebanyak 155 kepala negara hadir pada 22 Desember 2024.","target":"As many as 150 heads of state attended on December 12, 2024."}"#;

/// The same source, rightly translated: the two translations are inconsistent.
const RIGHT: &str = r#"{"id":"news:2.1","source":"Sebanyak 155 kepala negara hadir pada 22 Desember 2024.","target":"As many as 155 heads of state attended on 22 December 2024."}"#;

/// A pair with nothing wrong.
const CLEAN: &str = r#"{"id":"news:3.1","source":"Presiden tiba di Hanoi.","target":"The President arrived in Hanoi."}"#;

fn pairs_project(lines: &[&str]) -> Project {
    Project::shipped().with_file("pairs.jsonl", format!("{}\n", lines.join("\n")))
}

#[test]
fn check_jsonl_gives_each_pair_a_qa_array_beside_its_violations() {
    let project = pairs_project(&[WRONG_NUMBER_AND_DATE, CLEAN]);
    let output = project.run(&["check", "--pairs", "pairs.jsonl", "--format", "jsonl"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let lines = json_lines(&text(&output.stdout));
    assert_eq!(lines.len(), 2);
    let wrong = &lines[0];
    assert_eq!(wrong["id"], "news:1.1");
    assert_eq!(wrong["violations"], Value::Array(Vec::new()));
    let findings = wrong["qa"].as_array().unwrap();
    let source = "Sebanyak 155 kepala negara hadir pada 22 Desember 2024.";
    let target = "As many as 150 heads of state attended on December 12, 2024.";
    let slice = |text: &'static str, span: &Value| -> &'static str {
        &text[span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize]
    };
    let number = findings
        .iter()
        .find(|finding| finding["check"] == "number")
        .unwrap_or_else(|| panic!("a number finding: {wrong}"));
    assert_eq!(number["severity"], "error");
    assert!(
        number["message"].as_str().unwrap().contains("155"),
        "{number}"
    );
    assert_eq!(slice(source, &number["source_span"]), "155");
    assert_eq!(slice(target, &number["target_span"]), "150");
    let date = findings
        .iter()
        .find(|finding| finding["check"] == "date")
        .unwrap_or_else(|| panic!("a date finding: {wrong}"));
    assert_eq!(date["severity"], "error");
    assert_eq!(slice(source, &date["source_span"]), "22 Desember");
    assert_eq!(slice(target, &date["target_span"]), "December 12");
    for finding in findings {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["check", "message", "severity", "source_span", "target_span"],
            "{finding}"
        );
    }
    assert_eq!(lines[1]["qa"], Value::Array(Vec::new()), "{}", lines[1]);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("qa: 2 error(s) in 1 segment(s)"),
        "{stderr}"
    );
}

#[test]
fn check_text_marks_the_spans_of_each_finding() {
    let project = pairs_project(&[WRONG_NUMBER_AND_DATE]);
    let output = project.run(&["check", "--pairs", "pairs.jsonl"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let heading = lines
        .iter()
        .position(|line| line.starts_with("news:1.1: qa error: number: "))
        .unwrap_or_else(|| panic!("{stdout}"));
    // the source line, its carets under "155", the target line, its carets under "150"
    for (offset, label, marked) in [(1, "source", "155"), (3, "target", "150")] {
        let shown = lines[heading + offset];
        let carets = lines[heading + offset + 1];
        assert!(shown.starts_with(&format!("  {label}: ")), "{stdout}");
        let column = carets.find('^').unwrap();
        let width = carets.matches('^').count();
        let under: String = shown.chars().skip(column).take(width).collect();
        assert_eq!(under, marked, "{stdout}");
    }
    assert!(stdout.contains("news:1.1: qa error: date: "), "{stdout}");
}

#[test]
fn check_exit_codes_follow_the_error_findings() {
    let clean = pairs_project(&[CLEAN]);
    let output = clean.run(&["check", "--pairs", "pairs.jsonl"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));

    // warnings do not change the exit code: errors made warnings by [qa.severity] exit 0
    let softened = pairs_project(&[WRONG_NUMBER_AND_DATE])
        .with_extra_config("\n[qa.severity]\nnumber = \"warning\"\ndate = \"warning\"\n");
    let output = softened.run(&["check", "--pairs", "pairs.jsonl", "--format", "jsonl"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let line = &json_lines(&text(&output.stdout))[0];
    assert!(
        line["qa"]
            .as_array()
            .unwrap()
            .iter()
            .all(|finding| finding["severity"] == "warning"),
        "{line}"
    );

    // checks left out of [qa] checks do not run
    let off = pairs_project(&[WRONG_NUMBER_AND_DATE]).with_extra_config("\n[qa]\nchecks = []\n");
    let output = off.run(&["check", "--pairs", "pairs.jsonl", "--format", "jsonl"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        json_lines(&text(&output.stdout))[0]["qa"],
        Value::Array(Vec::new())
    );

    let broken = pairs_project(&[CLEAN, "{\"id\": 3"]);
    let output = broken.run(&["check", "--pairs", "pairs.jsonl"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("pairs.jsonl:2"));

    let bad_config = pairs_project(&[CLEAN]).with_extra_config("\n[qa]\nchecks = [\"spelling\"]\n");
    let output = bad_config.run(&["check", "--pairs", "pairs.jsonl"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("spelling"));
}

#[test]
fn check_flags_inconsistent_translations_across_the_whole_file() {
    let project = pairs_project(&[RIGHT, CLEAN, WRONG_NUMBER_AND_DATE]);
    let output = project.run(&["check", "--pairs", "pairs.jsonl", "--format", "jsonl"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let lines = json_lines(&text(&output.stdout));
    let consistency = |line: &Value| -> Vec<String> {
        line["qa"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| finding["check"] == "consistency")
            .map(|finding| finding["message"].as_str().unwrap().to_string())
            .collect()
    };
    let first = consistency(&lines[0]);
    assert_eq!(first.len(), 1, "{}", lines[0]);
    assert!(first[0].contains("news:1.1"), "{first:?}");
    assert!(consistency(&lines[1]).is_empty());
    let third = consistency(&lines[2]);
    assert!(third[0].contains("news:2.1"), "{third:?}");
}

/// The new article's one sentence, and the engine's answer with a wrong number.
const NEW_SOURCE: &str = "Sebanyak 155 kepala negara dan pemerintahan hadir pada 22 Desember 2024.";
const WRONG_ANSWER: &str =
    "As many as 150 heads of state and government attended on 22 December 2024.";

/// A LibreTranslate answer: the wrong number for the new sentence, the fake English for
/// anything else (nothing else is sent: the memory has the shipped articles).
fn wrong_number_answer(request: &Request) -> ResponseTemplate {
    let translated: Vec<String> = request_texts(&request.body, "q")
        .iter()
        .map(|text| {
            if text == NEW_SOURCE {
                WRONG_ANSWER.to_string()
            } else {
                english(text)
            }
        })
        .collect();
    ResponseTemplate::new(200).set_body_json(serde_json::json!({ "translatedText": translated }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn translate_records_counts_and_fails_on_a_qa_error_in_an_engine_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(wrong_number_answer)
        .mount(&server)
        .await;
    let project = Project::shipped()
        .with_file("source_texts/900_news.txt", format!("{NEW_SOURCE}\n"))
        .with_extra_config(&format!(
            "\n[endpoints.local]\nkind = \"libretranslate\"\nurl = \"{}/translate\"\nrequests-per-second = 200\n",
            server.uri()
        ));
    let output = project
        .run_async(&["translate", "--endpoint", "local", "--format", "json"])
        .await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .flat_map(|request| request_texts(&request.body, "q"))
        .collect();
    assert_eq!(
        sent,
        [NEW_SOURCE],
        "only the new sentence goes to the engine"
    );

    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["failed"], 0, "{summary}");
    assert_eq!(summary["qa"]["errors"], 1, "{summary}");
    assert_eq!(summary["qa"]["segments_with_errors"], 1, "{summary}");
    assert_eq!(
        summary["qa"]["by_check"]["number"]["errors"], 1,
        "{summary}"
    );

    let records = project.records("900_news");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["target"], WRONG_ANSWER);
    let findings = records[0]["qa"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["check"], "number");
    assert_eq!(findings[0]["severity"], "error");
    // the reviewed memory's records stay clean: the shipped articles carry no QA error
    for stem in ["000_979649cfeebf31a2", "003_5e0967db1d361350"] {
        assert!(
            project.records(stem).iter().all(|record| {
                record["qa"].as_array().is_none_or(|findings| {
                    findings
                        .iter()
                        .all(|finding| finding["severity"] == "warning")
                })
            }),
            "{stem}"
        );
    }
    let tsv = std::fs::read_to_string(project.join("translations/900_news.tsv")).unwrap();
    assert!(tsv.contains("\tnumber error: "), "{tsv}");

    // the text summary says it too
    let output = project
        .run_async(&["translate", "--endpoint", "local"])
        .await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("qa: 1 error(s) in 1 segment(s), ") && stderr.contains("number 1 error"),
        "{stderr}"
    );
}

#[test]
fn check_flags_a_repeated_pair_every_time_it_occurs() {
    // check reuses the findings of a repeated (source, target): each occurrence keeps them
    let again = WRONG_NUMBER_AND_DATE.replace("news:1.1", "news:9.1");
    let project = pairs_project(&[WRONG_NUMBER_AND_DATE, CLEAN, &again]);
    let output = project.run(&["check", "--pairs", "pairs.jsonl", "--format", "jsonl"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let lines = json_lines(&text(&output.stdout));
    let checks = |line: &Value| -> Vec<String> {
        line["qa"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| finding["check"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(lines[2]["id"], "news:9.1");
    assert_eq!(checks(&lines[0]), ["date", "number"]);
    assert_eq!(checks(&lines[2]), checks(&lines[0]));
    assert!(
        text(&output.stderr).contains("qa: 4 error(s) in 2 segment(s)"),
        "{}",
        text(&output.stderr)
    );
}
