//! Each endpoint kind against a local server that follows the real API contract: the requests
//! selaras sends (paths, headers, bodies, batch sizes) and what it makes of the answers,
//! faults included (429 + Retry-After, DeepL 456, Google 403 rate limits, auth failures, 500s,
//! timeouts, dropped connections, invalid JSON, wrong item counts, LLM prose and shuffled ids).

use crate::translate_support::*;
use selaras::translate::StopReason;
use selaras::translate::providers::{self, BatchContext, ProviderKind};
use selaras::translate::secret::ApiKey;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "test-key-5f1c2b7e:fx";

/// The segments of an OpenAI-style request: (id, text).
fn openai_segments(request: &Request) -> Vec<(u64, String)> {
    let body: Value = request.body_json().unwrap();
    let user = body["messages"][1]["content"].as_str().unwrap();
    let user: Value = serde_json::from_str(user).unwrap();
    user["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|segment| {
            (
                segment["id"].as_u64().unwrap(),
                segment["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "local",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
    }))
}

fn openai_items(segments: &[(u64, String)]) -> Vec<Value> {
    segments
        .iter()
        .map(|(id, text)| json!({"id": id, "text": english(text)}))
        .collect()
}

#[tokio::test]
async fn deepl_sends_the_documented_request_in_batches_of_at_most_50() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .and(header(
            "authorization",
            format!("DeepL-Auth-Key {KEY}").as_str(),
        ))
        .respond_with(deepl_answer)
        .expect(3)
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Deepl,
        &format!("{}/v2/translate", server.uri()),
    );
    endpoint.target_lang = Some("EN-GB".to_string());
    let texts = texts(120);
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert_all_own_translations(&texts, &translated);
    let requests = server.received_requests().await.unwrap();
    let mut sizes: Vec<usize> = requests
        .iter()
        .map(|request| {
            let body: Value = request.body_json().unwrap();
            assert_eq!(body["source_lang"], "ID");
            assert_eq!(body["target_lang"], "EN-GB");
            assert!(body.get("tag_handling").is_none());
            assert_eq!(
                request.headers.get("content-type").unwrap(),
                "application/json"
            );
            body["text"].as_array().unwrap().len()
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [20, 50, 50]);
    assert_eq!(translated.summary.requests, 3);
    let characters: usize = texts.iter().map(|text| text.chars().count()).sum();
    assert_eq!(translated.summary.characters_sent, characters);
}

#[tokio::test]
async fn deepl_protects_placeholder_tags_with_xml_tag_handling() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .respond_with(deepl_answer)
        .expect(1)
        .mount(&server)
        .await;
    let endpoint = endpoint(
        ProviderKind::Deepl,
        &format!("{}/v2/translate", server.uri()),
    );
    let provider =
        providers::build_with_key(&endpoint, Some(ApiKey::new(KEY)), Arc::new(HashMap::new()))
            .unwrap();
    let context = BatchContext {
        source_lang: "id".to_string(),
        target_lang: "en".to_string(),
        glossary_hints: Vec::new(),
        xml_placeholders: true,
    };
    let texts = vec!["<x id=\"1\"/> tiba di Jakarta.".to_string()];
    let answer = provider.translate(&texts, &context).await.unwrap();
    assert_eq!(answer, [Some(english(&texts[0]))]);
    let body: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert_eq!(body["tag_handling"], "xml");
    assert_eq!(body["ignore_tags"], json!(["x"]));
    assert_eq!(body["target_lang"], "EN-US", "bare EN is deprecated");
}

#[tokio::test]
async fn deepl_456_quota_exhausted_stops_the_run_without_retrying() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(456).set_body_json(json!({"message": "Quota Exceeded"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Deepl,
        &format!("{}/v2/translate", server.uri()),
    );
    endpoint.batch_size = 2;
    endpoint.concurrency = 1;
    let texts = texts(6);
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert!(
        matches!(
            translated.summary.stopped,
            Some(StopReason::QuotaExhausted(_))
        ),
        "{:?}",
        translated.summary.stopped
    );
    assert_eq!(translated.summary.failed, 6);
    assert_eq!(translated.summary.requests, 1);
    assert_eq!(translated.summary.retries, 0);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"message": "Too many requests"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(deepl_answer)
        .mount(&server)
        .await;
    let endpoint = endpoint(
        ProviderKind::Deepl,
        &format!("{}/v2/translate", server.uri()),
    );
    let texts = texts(3);
    let started = Instant::now();
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured ({:?})",
        started.elapsed()
    );
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 1);
    assert_eq!(translated.summary.requests, 2);
    assert_eq!(
        translated.summary.characters_resent,
        translated.summary.characters_sent
    );
}

#[tokio::test]
async fn libretranslate_sends_q_as_an_array_with_the_key_in_the_body() {
    let server = MockServer::start().await;
    // LibreTranslate's rate limit: 429, no Retry-After
    Mock::given(method("POST"))
        .and(path("/translate"))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(json!({"error": "Slowdown: 30 per 1 minute"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Libretranslate,
        &format!("{}/translate", server.uri()),
    );
    endpoint.batch_size = 4;
    let texts = texts(10);
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 1);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);
    for request in &requests {
        let body: Value = request.body_json().unwrap();
        assert!(body["q"].as_array().unwrap().len() <= 4);
        assert_eq!(body["source"], "id");
        assert_eq!(body["target"], "en");
        assert_eq!(body["format"], "text");
        assert_eq!(body["api_key"], KEY);
        assert!(request.headers.get("authorization").is_none());
    }
}

fn google_answer(request: &Request) -> ResponseTemplate {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    let translations: Vec<Value> = form
        .iter()
        .filter(|(name, _)| name == "q")
        .map(|(_, text)| json!({"translatedText": english(text)}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({"data": {"translations": translations}}))
}

#[tokio::test]
async fn google_sends_repeated_q_and_the_key_and_treats_403_rate_limits_as_rate_limits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/language/translate/v2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": {
            "code": 403, "message": "User Rate Limit Exceeded",
            "errors": [{"message": "User Rate Limit Exceeded", "domain": "usageLimits", "reason": "userRateLimitExceeded"}],
            "status": "PERMISSION_DENIED"}})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/language/translate/v2"))
        .respond_with(google_answer)
        .mount(&server)
        .await;
    let endpoint = endpoint(
        ProviderKind::Google,
        &format!("{}/language/translate/v2", server.uri()),
    );
    let texts = texts(5);
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(
        translated.summary.retries, 1,
        "a rate limit is retried, not an auth failure"
    );
    let request = &server.received_requests().await.unwrap()[1];
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(query, [("key".to_string(), KEY.to_string())]);
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    let sent: Vec<&str> = form
        .iter()
        .filter(|(name, _)| name == "q")
        .map(|(_, text)| text.as_str())
        .collect();
    assert_eq!(sent, texts.iter().map(String::as_str).collect::<Vec<_>>());
    let field = |wanted: &str| {
        form.iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(field("source"), Some("id"));
    assert_eq!(field("target"), Some("en"));
    assert_eq!(field("format"), Some("text"));
}

#[tokio::test]
async fn auth_failures_are_not_retried_say_check_your_key_and_never_show_it() {
    for (kind, route, status) in [
        (ProviderKind::Deepl, "/v2/translate", 403),
        (ProviderKind::Openai, "/v1/chat/completions", 401),
        (ProviderKind::Google, "/language/translate/v2", 403),
        (ProviderKind::Libretranslate, "/translate", 403),
    ] {
        let server = MockServer::start().await;
        // a server that echoes the key back, as some do
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"error": {"message": format!("Invalid API key {KEY}")}})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let mut endpoint = endpoint(kind, &format!("{}{route}", server.uri()));
        endpoint.model = Some("m".to_string());
        endpoint.concurrency = 1;
        endpoint.batch_size = 2;
        let translated = run(endpoint, Some(KEY), &texts(4)).await;
        let Some(StopReason::Auth(message)) = &translated.summary.stopped else {
            panic!("{kind:?}: {:?}", translated.summary.stopped);
        };
        assert!(message.contains("check your key"), "{message}");
        assert!(!message.contains(KEY), "{kind:?} leaked the key: {message}");
        assert_eq!(translated.summary.retries, 0);
        assert_eq!(translated.summary.failed, 4);
        for segment in &translated.segments {
            assert!(!segment.error.as_deref().unwrap_or("").contains(KEY));
        }
    }
}

#[tokio::test]
async fn server_errors_and_timeouts_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error": "Cannot translate text: boom"})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let endpoint_500 = endpoint(
        ProviderKind::Libretranslate,
        &format!("{}/translate", server.uri()),
    );
    let texts = texts(3);
    let translated = run(endpoint_500, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 2);

    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |request: &Request| {
            libre_answer(request).set_delay(Duration::from_secs(3))
        })
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&slow)
        .await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&slow)
        .await;
    let mut endpoint_slow = endpoint(
        ProviderKind::Libretranslate,
        &format!("{}/translate", slow.uri()),
    );
    endpoint_slow.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let translated = run(endpoint_slow, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 1);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the timeout did not cut the request"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let (uri, connections) = dropping_server(2, libre_body).await;
    let endpoint = endpoint(ProviderKind::Libretranslate, &format!("{uri}/translate"));
    let texts = texts(4);
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 2);
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn invalid_json_and_wrong_item_counts_are_split_down_to_single_segments() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            let body: Value = request.body_json().unwrap();
            let texts = body["q"].as_array().unwrap();
            match texts.len() {
                1 => libre_answer(request),
                // one item short
                2 | 3 => ResponseTemplate::new(200).set_body_json(json!({
                    "translatedText": texts[1..].iter().map(|text| english(text.as_str().unwrap())).collect::<Vec<_>>()
                })),
                _ => ResponseTemplate::new(200).set_body_string("<html>not json</html>"),
            }
        })
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Libretranslate,
        &format!("{}/translate", server.uri()),
    );
    endpoint.batch_size = 8;
    let texts = texts(16);
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert!(
        translated.summary.splits >= 2 + 4,
        "{:?}",
        translated.summary
    );
    // no positional guessing: no answer of a wrong-sized batch was kept
    for request in server.received_requests().await.unwrap() {
        let body: Value = request.body_json().unwrap();
        assert!(body["q"].as_array().unwrap().len() <= 8);
    }
}

#[tokio::test]
async fn openai_requests_carry_ids_and_max_tokens_and_answers_are_matched_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(|request: &Request| {
            let mut items = openai_items(&openai_segments(request));
            items.reverse(); // out of order: must be matched by id
            let content = format!("```json\n{}\n```", json!({"translations": items}));
            completion(&content)
        })
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Openai,
        &format!("{}/v1/chat/completions", server.uri()),
    );
    endpoint.model = Some("qwen2.5-7b-instruct".to_string());
    endpoint.batch_size = 4;
    let texts = texts(10);
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert_all_own_translations(&texts, &translated);
    for request in server.received_requests().await.unwrap() {
        let body: Value = request.body_json().unwrap();
        assert_eq!(body["model"], "qwen2.5-7b-instruct");
        assert!(
            body["max_tokens"].as_u64().unwrap() > 0,
            "max_tokens always sent"
        );
        assert_eq!(body["temperature"], 0.0);
        assert_eq!(body["messages"][0]["role"], "system");
        let segments = openai_segments(&request);
        let ids: Vec<u64> = segments.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, (1..=segments.len() as u64).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn an_llm_answer_wrapped_in_prose_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            let items = openai_items(&openai_segments(request));
            completion(&format!(
                "Sure! Here are the translations:\n{}",
                json!({"translations": items})
            ))
        })
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(|request: &Request| {
            completion(
                &json!({"translations": openai_items(&openai_segments(request))}).to_string(),
            )
        })
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Openai,
        &format!("{}/v1/chat/completions", server.uri()),
    );
    endpoint.model = Some("m".to_string());
    let texts = texts(3);
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 1);
    assert!(
        server.received_requests().await.unwrap()[0]
            .headers
            .get("authorization")
            .is_none(),
        "no key configured, no Authorization header"
    );
}

#[tokio::test]
async fn every_segment_gets_its_own_translation_through_a_mix_of_faults() {
    let server = MockServer::start().await;
    // every distinct batch meets one fault (chosen by its content), then a good answer
    let attempts: Arc<std::sync::Mutex<HashMap<String, usize>>> = Arc::default();
    let seen = Arc::clone(&attempts);
    Mock::given(method("POST"))
        .respond_with(move |request: &Request| {
            let segments = openai_segments(request);
            let mut items = openai_items(&segments);
            let batch_key: String = segments.iter().map(|(_, text)| text.as_str()).collect();
            let attempt = {
                let mut seen = seen.lock().unwrap();
                let count = seen.entry(batch_key.clone()).or_insert(0);
                *count += 1;
                *count - 1
            };
            let fault = batch_key.bytes().map(usize::from).sum::<usize>() % 5;
            if attempt > 0 {
                return completion(&json!({"translations": items}).to_string());
            }
            match fault {
                0 => ResponseTemplate::new(503).set_body_json(
                    json!({"error": {"message": "Loading model", "type": "unavailable_error", "code": 503}}),
                ),
                1 => {
                    items.rotate_left(1);
                    completion(&json!({"translations": items}).to_string())
                }
                2 if items.len() > 1 => {
                    items.pop();
                    completion(&json!({"translations": items}).to_string())
                }
                3 => ResponseTemplate::new(200).set_body_string("{\"choices\": ["),
                _ => completion(&format!("```\n{}\n```", json!({"translations": items}))),
            }
        })
        .mount(&server)
        .await;
    let mut endpoint = endpoint(
        ProviderKind::Openai,
        &format!("{}/v1/chat/completions", server.uri()),
    );
    endpoint.model = Some("m".to_string());
    endpoint.batch_size = 5;
    endpoint.concurrency = 4;
    endpoint.max_retries = 6;
    let mut texts = texts(40);
    texts.push(texts[3].clone()); // a duplicate is sent once
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.unique_texts, 40);
}

#[tokio::test]
async fn a_template_endpoint_fills_its_body_and_follows_its_pointer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/mt"))
        .and(header("x-api-key", KEY))
        .respond_with(|request: &Request| {
            let body: Value = request.body_json().unwrap();
            assert_eq!(body["langs"], json!({"from": "id", "to": "en"}));
            let translations: Vec<Value> = body["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|text| json!({"translatedText": english(text.as_str().unwrap())}))
                .collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"translations": translations}}))
        })
        .expect(1)
        .mount(&server)
        .await;
    let mut endpoint = endpoint(ProviderKind::Template, &format!("{}/api/mt", server.uri()));
    endpoint.body = Some(
        r#"{"segments": {{texts}}, "langs": {"from": "{{source}}", "to": "{{target}}"}}"#
            .to_string(),
    );
    endpoint.response_pointer = Some("/data/translations/*/translatedText".to_string());
    endpoint
        .headers
        .insert("x-api-key".to_string(), "{{api-key}}".to_string());
    let texts = texts(3);
    let translated = run(endpoint, Some(KEY), &texts).await;
    assert_all_own_translations(&texts, &translated);
}
