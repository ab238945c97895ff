//! An `openai` endpoint against servers that take different `response_format`s, refuse the
//! model, load it, or run out of context — local servers answering with the bodies the real
//! ones send (llama-cpp-python's refusal of `json_schema`, OpenAI's `model_not_found`,
//! llama.cpp's `Loading model` and `exceed_context_size_error`): which form is used, what is
//! remembered, what stops the run and what a refusal costs.

use crate::support::Project;
use crate::translate_support::*;
use selaras::translate::StopReason;
use selaras::translate::memory::Store;
use selaras::translate::providers::ProviderKind;
use selaras::translate::providers::response_format::{ResponseFormat, ResponseFormatSetting};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// llama-cpp-python 0.3.36's answer to `{"type": "json_schema", …}` (its request model takes
/// only `text` and `json_object`), as it sent it to `tests/integration/llama_servers.rs`: a 500
/// whose message is the validation report (the install path shortened).
const LLAMA_CPP_PYTHON_REFUSAL: &str = r#"{"error":{"message":"1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', 'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n  File \"/venv/lib/python3.11/site-packages/llama_cpp/server/app.py\", line 376, in create_chat_completion\n    POST /v1/chat/completions","type":"internal_server_error","param":null,"code":null}}"#;

/// The `response_format.type` of a request (`none` when there is none), and whether it
/// carries a schema.
fn form_of(request: &Request) -> (String, bool) {
    let body: Value = request.body_json().unwrap();
    match body.get("response_format") {
        None => ("none".to_string(), false),
        Some(format) => (
            format["type"].as_str().unwrap().to_string(),
            format.get("schema").is_some() || format.get("json_schema").is_some(),
        ),
    }
}

/// The segments of a request, answered in English.
fn answer(request: &Request) -> ResponseTemplate {
    let body: Value = request.body_json().unwrap();
    let user: Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    let items: Vec<Value> = user["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|segment| json!({"id": segment["id"], "text": english(segment["text"].as_str().unwrap())}))
        .collect();
    let content = json!({"translations": items}).to_string();
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "local",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
    }))
}

/// Runs `texts` through `endpoint` with `form`, on `store`.
async fn run_form(
    endpoint: &selaras::translate::providers::EndpointConfig,
    form: ResponseFormatSetting,
    texts: &[String],
    store: &mut Store,
) -> selaras::translate::Translated {
    let mut endpoint = endpoint.clone();
    endpoint.response_format = form;
    run_with_store(endpoint, None, texts, store).await
}

fn openai(server: &MockServer) -> selaras::translate::providers::EndpointConfig {
    let mut endpoint = endpoint(
        ProviderKind::Openai,
        &format!("{}/v1/chat/completions", server.uri()),
    );
    endpoint.model = Some("tiny".to_string());
    endpoint
}

async fn forms_sent(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| form_of(request).0)
        .collect()
}

/// Upgrades `server` in place: from now on it takes every form.
async fn takes_every_form(server: &MockServer) {
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Answers like llama-cpp-python: refuses `json_schema`, takes the rest.
async fn llama_cpp_python_like() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| match form_of(request).0.as_str() {
            "json_schema" => ResponseTemplate::new(500)
                .set_body_raw(LLAMA_CPP_PYTHON_REFUSAL, "application/json"),
            _ => answer(request),
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_refused_json_schema_steps_down_at_once_and_the_next_run_starts_where_it_worked() {
    let server = llama_cpp_python_like().await;
    let mut store = Store::open_in_memory().unwrap();
    let mut endpoint = openai(&server);
    endpoint.batch_size = 2;
    endpoint.concurrency = 2;
    let first = texts(8);
    let translated = run_with_store(endpoint.clone(), None, &first, &mut store).await;
    assert_all_own_translations(&first, &translated);
    // a refusal is not a passing failure: no retry, no backoff, no split
    assert_eq!(
        (translated.summary.retries, translated.summary.splits),
        (0, 0)
    );
    let report = translated.summary.response_format.clone().unwrap();
    assert_eq!(report.used, ResponseFormat::JsonObjectSchema);
    assert_eq!(report.refused, [ResponseFormat::JsonSchema]);
    assert!(report.confirmed && report.remembered && !report.resumed);
    let sent = forms_sent(&server).await;
    let refused = sent.iter().filter(|form| *form == "json_schema").count();
    // only the requests in flight before the first refusal came back used the refused form
    assert!(
        (1..=2).contains(&refused),
        "{refused} json_schema requests: {sent:?}"
    );
    assert!(
        sent.iter()
            .all(|form| form == "json_schema" || form == "json_object")
    );

    // the next run (new texts, same database) never asks in the refused form
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| match form_of(request).0.as_str() {
            "json_schema" => ResponseTemplate::new(500)
                .set_body_raw(LLAMA_CPP_PYTHON_REFUSAL, "application/json"),
            _ => answer(request),
        })
        .mount(&server)
        .await;
    let second: Vec<String> = texts(12).split_off(8);
    let again = run_with_store(endpoint, None, &second, &mut store).await;
    assert_all_own_translations(&second, &again);
    let sent = forms_sent(&server).await;
    assert_eq!(sent, vec!["json_object".to_string(); 2], "{sent:?}");
    let report = again.summary.response_format.unwrap();
    assert!(report.resumed && !report.remembered && report.refused.is_empty());
    assert_eq!(report.used, ResponseFormat::JsonObjectSchema);
}

#[tokio::test]
async fn a_fixed_stricter_form_that_works_lets_auto_start_from_it_again_and_a_looser_one_does_not()
{
    let server = llama_cpp_python_like().await;
    let mut store = Store::open_in_memory().unwrap();
    let mut endpoint = openai(&server);
    endpoint.concurrency = 1;
    let texts = texts(5);
    let first = run_form(
        &endpoint,
        ResponseFormatSetting::Auto,
        &texts[0..1],
        &mut store,
    )
    .await;
    assert_eq!(
        first.summary.response_format.unwrap().used,
        ResponseFormat::JsonObjectSchema
    );
    // the server is upgraded in place: it takes json_schema now
    takes_every_form(&server).await;
    let stays = run_form(
        &endpoint,
        ResponseFormatSetting::Auto,
        &texts[1..2],
        &mut store,
    )
    .await;
    assert_eq!(forms_sent(&server).await, ["json_object"]);
    assert!(stays.summary.response_format.unwrap().resumed);
    // a fixed looser form that works is not remembered
    let looser = run_form(
        &endpoint,
        ResponseFormatSetting::Fixed(ResponseFormat::None),
        &texts[2..3],
        &mut store,
    )
    .await;
    assert!(!looser.summary.response_format.unwrap().remembered);
    // a fixed stricter one is
    let stricter = run_form(
        &endpoint,
        ResponseFormatSetting::Fixed(ResponseFormat::JsonSchema),
        &texts[3..4],
        &mut store,
    )
    .await;
    assert!(stricter.summary.response_format.unwrap().remembered);
    takes_every_form(&server).await;
    let again = run_form(
        &endpoint,
        ResponseFormatSetting::Auto,
        &texts[4..5],
        &mut store,
    )
    .await;
    assert_eq!(forms_sent(&server).await, ["json_schema"]);
    assert_eq!(
        again.summary.response_format.unwrap().used,
        ResponseFormat::JsonSchema
    );
}

#[tokio::test]
async fn a_server_that_takes_no_response_format_is_reached_through_every_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            if form_of(request).0 == "none" {
                answer(request)
            } else {
                ResponseTemplate::new(400).set_body_json(json!({"error": {
                    "message": "Unrecognized request argument supplied: response_format",
                    "type": "invalid_request_error"}}))
            }
        })
        .mount(&server)
        .await;
    let mut endpoint = openai(&server);
    endpoint.concurrency = 1;
    endpoint.batch_size = 4;
    let texts = texts(8);
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(
        forms_sent(&server).await,
        ["json_schema", "json_object", "json_object", "none", "none"]
    );
    let report = translated.summary.response_format.unwrap();
    assert_eq!(report.used, ResponseFormat::None);
    assert_eq!(
        report.refused,
        [
            ResponseFormat::JsonSchema,
            ResponseFormat::JsonObjectSchema,
            ResponseFormat::JsonObject
        ]
    );
    assert_eq!(translated.summary.retries, 0);
}

#[tokio::test]
async fn a_fixed_response_format_that_the_server_refuses_stops_the_run_at_the_first_refusal() {
    let server = llama_cpp_python_like().await;
    let mut endpoint = openai(&server);
    endpoint.response_format = ResponseFormatSetting::Fixed(ResponseFormat::JsonSchema);
    endpoint.concurrency = 1;
    endpoint.batch_size = 2;
    let translated = run(endpoint, None, &texts(6)).await;
    let Some(StopReason::FormatRefused(message)) = &translated.summary.stopped else {
        panic!("{:?}", translated.summary.stopped);
    };
    assert!(
        message.contains("response-format = \"json-schema\"") && message.contains("HTTP 500"),
        "{message}"
    );
    assert_eq!(forms_sent(&server).await, ["json_schema"]);
    assert_eq!(
        (translated.summary.retries, translated.summary.failed),
        (0, 6)
    );
}

#[tokio::test]
async fn an_unexplained_400_tries_the_looser_forms_once_then_keeps_the_strict_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"message": "Bad Request", "code": 400}})),
        )
        .mount(&server)
        .await;
    let mut endpoint = openai(&server);
    endpoint.concurrency = 1;
    endpoint.batch_size = 1;
    let translated = run(endpoint, None, &texts(3)).await;
    assert_eq!(translated.summary.failed, 3);
    // the first request went through every form; none helped, so the rest keep json-schema
    assert_eq!(
        forms_sent(&server).await,
        [
            "json_schema",
            "json_object",
            "json_object",
            "none",
            "json_schema",
            "json_schema"
        ]
    );
    let report = translated.summary.response_format.unwrap();
    assert_eq!(report.used, ResponseFormat::JsonSchema);
    assert!(report.refused.is_empty() && !report.confirmed && !report.remembered);
}

#[tokio::test]
async fn an_unknown_model_stops_the_run_without_retries_or_splits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {
            "message": "The model `tiny` does not exist or you do not have access to it.",
            "type": "invalid_request_error", "param": null, "code": "model_not_found"}})))
        .expect(1)
        .mount(&server)
        .await;
    let mut endpoint = openai(&server);
    endpoint.concurrency = 1;
    endpoint.batch_size = 4;
    let translated = run(endpoint, None, &texts(8)).await;
    let Some(StopReason::UnknownModel(message)) = &translated.summary.stopped else {
        panic!("{:?}", translated.summary.stopped);
    };
    assert!(message.contains("does not exist"), "{message}");
    assert_eq!(
        (translated.summary.splits, translated.summary.retries),
        (0, 0)
    );
}

#[tokio::test]
async fn a_server_still_loading_its_model_stops_the_run_as_loading() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_json(
            json!({"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}),
        ))
        .mount(&server)
        .await;
    let mut endpoint = openai(&server);
    endpoint.concurrency = 1;
    endpoint.batch_size = 1;
    endpoint.max_retries = 1;
    let translated = run(endpoint, None, &texts(4)).await;
    let Some(StopReason::Loading(message)) = &translated.summary.stopped else {
        panic!("{:?}", translated.summary.stopped);
    };
    assert!(message.contains("still loading its model"), "{message}");
    // still a passing failure: retried, and bounded
    assert!(translated.summary.retries >= 1);
    assert!(server.received_requests().await.unwrap().len() <= 4);
}

#[tokio::test]
async fn a_context_limit_lowers_max_characters_for_the_rest_of_the_run() {
    let server = MockServer::start().await;
    // like llama-server with a small context: more than two segments do not fit
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            let body: Value = request.body_json().unwrap();
            let user: Value =
                serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
            if user["segments"].as_array().unwrap().len() > 2 {
                ResponseTemplate::new(400).set_body_json(json!({"error": {"code": 400,
                    "message": "request (1200 tokens) exceeds the available context size (1024 tokens), try increasing it",
                    "type": "exceed_context_size_error", "n_prompt_tokens": 1200, "n_ctx": 1024}}))
            } else {
                answer(request)
            }
        })
        .mount(&server)
        .await;
    let mut endpoint = openai(&server);
    endpoint.concurrency = 1;
    endpoint.batch_size = 8;
    let texts = texts(32);
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    let sizes: Vec<usize> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            let body: Value = request.body_json().unwrap();
            let user: Value =
                serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
            user["segments"].as_array().unwrap().len()
        })
        .collect();
    // only the first batch met the limit (all 8, then its first 4); every later batch was cut
    // to the lowered max-characters before it was sent
    assert_eq!(sizes[..2], [8, 4], "{sizes:?}");
    assert!(sizes[2..].iter().all(|size| *size <= 2), "{sizes:?}");
    assert!(sizes.len() <= 2 + texts.len(), "{sizes:?}");
    let first_four: usize = texts[..4].iter().map(|text| text.chars().count()).sum();
    assert_eq!(
        translated.summary.lowered_max_characters,
        Some(first_four / 2)
    );
}

#[tokio::test]
async fn the_cli_says_which_form_was_used_and_that_it_is_remembered() {
    let server = llama_cpp_python_like().await;
    let project = Project::empty()
        .with_sources(&["001_84540dff08f2d4bc"])
        .with_config(&format!(
            "[translate]\nendpoint = \"local\"\nmemory = []\n\n[qa]\nchecks = []\n\n[endpoints.local]\nkind = \"openai\"\nurl = \"{}/v1/chat/completions\"\nmodel = \"tiny\"\nrequests-per-second = 100\nconcurrency = 1\n",
            server.uri()
        ));
    let output = project.run_async(&["translate"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "response format: json-object-schema (the server refused json-schema; remembered for the next runs)"
        ),
        "{stderr}"
    );
    // the database remembers it: the rerun sends nothing and says nothing about the form
    let output = project.run_async(&["translate", "--format", "json"]).await;
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["requests"], 0);
    assert_eq!(summary["response_format"]["used"], "json-object-schema");
    assert_eq!(summary["response_format"]["resumed"], true);

    // a fixed form the server refuses: exit 2, and a hint that names the setting
    let fixed = Project::empty()
        .with_sources(&["001_84540dff08f2d4bc"])
        .with_config(&format!(
            "[translate]\nendpoint = \"local\"\nmemory = []\n\n[qa]\nchecks = []\n\n[endpoints.local]\nkind = \"openai\"\nurl = \"{}/v1/chat/completions\"\nmodel = \"tiny\"\nresponse-format = \"json-schema\"\nconcurrency = 1\n",
            server.uri()
        ));
    let output = fixed.run_async(&["translate"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the server refuses `response-format = \"json-schema\"`")
            && stderr.contains("hint: the answers received so far are saved; set `response-format = \"auto\"` for endpoint `local`"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_cli_gives_an_unknown_model_and_a_loading_server_their_own_hints() {
    let unknown = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {
            "message": "model \"tiny\" not found, try pulling it first",
            "type": "api_error", "param": null, "code": null}})))
        .mount(&unknown)
        .await;
    let loading = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_json(
            json!({"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}),
        ))
        .mount(&loading)
        .await;
    let project = |server: &MockServer| {
        Project::empty()
            .with_sources(&["001_84540dff08f2d4bc"])
            .with_config(&format!(
                "[translate]\nendpoint = \"local\"\nmemory = []\n\n[qa]\nchecks = []\n\n[endpoints.local]\nkind = \"openai\"\nurl = \"{}/v1/chat/completions\"\nmodel = \"tiny\"\nconcurrency = 1\nmax-retries = 1\nmax-wait-secs = 1\n",
                server.uri()
            ))
    };
    let output = project(&unknown).run_async(&["translate"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: the server does not know the model: HTTP 404: model \"tiny\" not found"
        ) && stderr.contains("hint: set `model` of endpoint `local` to a model the server serves"),
        "{stderr}"
    );
    // one request: nothing retried, nothing split
    assert_eq!(unknown.received_requests().await.unwrap().len(), 1);

    let output = project(&loading).run_async(&["translate"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("the server is still loading its model: HTTP 503: Loading model")
            && stderr.contains("hint: the answers received so far are saved; the server is up but still loading its model"),
        "{stderr}"
    );
}
