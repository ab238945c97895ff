//! Engine faults the provider tests do not cover, each against a server this test starts on
//! 127.0.0.1 (or no server at all): a refused connection, a failed DNS lookup, a TLS handshake
//! with a plain-HTTP server, a slow-loris answer past the timeout, 413 (the batch is split),
//! 429 without `Retry-After`, a truncated body, and answers that are empty or the source sent
//! back unchanged. Every test checks that each segment ends with exactly its own translation
//! or none, and that retries stay bounded. Must not talk to any other address.

use crate::translate_support::*;
use selaras::translate::memory::{LanguagePair, Store};
use selaras::translate::providers::ProviderKind;
use selaras::translate::{StopReason, Translated, unusable_answer};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every segment holds `english(its own source)` or nothing at all, never another's text.
fn assert_own_or_none(texts: &[String], translated: &Translated) {
    assert_eq!(translated.segments.len(), texts.len());
    for (text, segment) in texts.iter().zip(&translated.segments) {
        match &segment.target {
            Some(target) => assert_eq!(target, &english(text), "segment {text:?}"),
            None => assert!(segment.error.is_some(), "{text:?} has neither"),
        }
    }
    let translated_count = translated
        .segments
        .iter()
        .filter(|segment| segment.target.is_some())
        .count();
    assert_eq!(translated.summary.translated, translated_count);
    assert_eq!(
        translated.summary.failed,
        texts.len() - translated_count,
        "the summary counts what is missing"
    );
}

fn quick_endpoint(url: &str) -> selaras::translate::providers::EndpointConfig {
    let mut endpoint = endpoint(ProviderKind::Libretranslate, url);
    endpoint.batch_size = 2;
    endpoint.concurrency = 1;
    endpoint.max_retries = 1;
    endpoint.timeout = Duration::from_secs(2);
    endpoint
}

/// A run against an endpoint that cannot be reached: every segment fails with `expected` in
/// its reason, two batches' worth of attempts are made, then the run stops as unavailable.
async fn assert_unreachable(url: &str, expected: &[&str]) {
    let texts = texts(6);
    let started = Instant::now();
    let translated = run(quick_endpoint(url), Some("unreachable-key-1234"), &texts).await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "bounded in time"
    );
    assert_own_or_none(&texts, &translated);
    let summary = &translated.summary;
    assert_eq!(summary.translated, 0);
    assert_eq!(
        summary.requests, 4,
        "two batches of (1 + 1 retry) attempts, then the run stops"
    );
    match &summary.stopped {
        Some(StopReason::Unavailable(message)) => {
            assert!(message.contains("failed 4 requests in a row"), "{message}");
            assert!(!message.contains("unreachable-key-1234"));
        }
        other => panic!("expected the run to stop as unavailable, got {other:?}"),
    }
    let tried = &translated.segments[0];
    let reason = tried.error.as_deref().unwrap();
    assert!(
        expected.iter().any(|word| reason.contains(word)),
        "{reason:?} names none of {expected:?}"
    );
    assert_eq!(
        translated.segments[5].error.as_deref(),
        Some("not sent: the endpoint kept failing")
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_boundedly_then_the_run_stops() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    assert_unreachable(
        &format!("http://127.0.0.1:{port}/translate"),
        &["could not connect"],
    )
    .await;
}

#[tokio::test]
async fn a_host_name_that_does_not_resolve_fails_every_segment_without_hanging() {
    // `.invalid` never resolves (RFC 2606)
    assert_unreachable(
        "http://selaras-fault-test.invalid/translate",
        &["could not connect", "dns", "timed out"],
    )
    .await;
}

#[tokio::test]
async fn a_tls_handshake_with_a_plain_http_server_fails_and_sends_no_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let address = server.address();
    assert_unreachable(
        &format!("https://{address}/translate"),
        &["could not connect", "the request failed"],
    )
    .await;
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "no request got through as HTTP"
    );
}

/// What the raw server does with one connection.
enum Reply {
    /// A whole 200 answer with this JSON body.
    Whole(String),
    /// Headers at once, then the body one byte per `pause`.
    Trickle(String, Duration),
    /// `Content-Length` of the whole body, then only `cut` bytes of it, then close.
    Truncated(String, usize),
}

/// A raw HTTP/1.1 server on 127.0.0.1: `script(connection number, request body)` decides the
/// reply. Returns the URL and the connection counter.
async fn scripted_server(
    script: impl Fn(usize, &[u8]) -> Reply + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let script = Arc::new(script);
    tokio::spawn(async move {
        for _ in 0..100 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let number = counter.fetch_add(1, Ordering::SeqCst);
            let script = Arc::clone(&script);
            tokio::spawn(async move {
                let Some(body) = read_request(&mut socket).await else {
                    return;
                };
                let head = |length: usize| {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
                    )
                };
                match script(number, &body) {
                    Reply::Whole(answer) => {
                        let _ = socket
                            .write_all(format!("{}{answer}", head(answer.len())).as_bytes())
                            .await;
                    }
                    Reply::Trickle(answer, pause) => {
                        if socket
                            .write_all(head(answer.len()).as_bytes())
                            .await
                            .is_err()
                        {
                            return;
                        }
                        for byte in answer.bytes() {
                            tokio::time::sleep(pause).await;
                            if socket.write_all(&[byte]).await.is_err() {
                                return;
                            }
                        }
                    }
                    Reply::Truncated(answer, cut) => {
                        let _ = socket
                            .write_all(
                                format!("{}{}", head(answer.len()), &answer[..cut]).as_bytes(),
                            )
                            .await;
                    }
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{address}/translate"), connections)
}

#[tokio::test]
async fn a_slow_loris_answer_past_the_timeout_is_abandoned_and_retried() {
    let (url, connections) = scripted_server(|number, body| {
        if number == 0 {
            // a 100-byte body at 50 ms a byte takes 5 s; the timeout is 1 s
            Reply::Trickle(libre_body(body), Duration::from_millis(50))
        } else {
            Reply::Whole(libre_body(body))
        }
    })
    .await;
    let mut endpoint = quick_endpoint(&url);
    endpoint.timeout = Duration::from_secs(1);
    let texts = texts(2);
    let started = Instant::now();
    let translated = run(endpoint, None, &texts).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(started.elapsed() < Duration::from_secs(4), "not waited out");
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 1);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_body_cut_short_is_retried_and_never_half_used() {
    let (url, connections) = scripted_server(|number, body| {
        let answer = libre_body(body);
        if number == 0 {
            let cut = answer.len() / 2;
            Reply::Truncated(answer, cut)
        } else {
            Reply::Whole(answer)
        }
    })
    .await;
    let texts = texts(2);
    let translated = run(quick_endpoint(&url), None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 1);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_413_splits_the_batch_until_the_server_takes_it() {
    let server = MockServer::start().await;
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sizes);
    Mock::given(method("POST"))
        .respond_with(move |request: &Request| {
            let body: Value = request.body_json().unwrap();
            let count = body["q"].as_array().unwrap().len();
            seen.lock().unwrap().push(count);
            if count > 2 {
                ResponseTemplate::new(413).set_body_string("Request Entity Too Large")
            } else {
                libre_answer(request)
            }
        })
        .mount(&server)
        .await;
    let mut endpoint = quick_endpoint(&format!("{}/translate", server.uri()));
    endpoint.batch_size = 8;
    let texts = texts(8);
    let translated = run(endpoint, None, &texts).await;
    assert_all_own_translations(&texts, &translated);
    assert_eq!(
        translated.summary.splits, 2,
        "8 → 4 + 4 → 2 + 2, then 2 + 2"
    );
    assert_eq!(translated.summary.retries, 0, "a 413 is split, not resent");
    // after the first 4 was refused, max-characters is lowered for the rest of the run: the
    // second 4 is cut in two before it is sent
    assert_eq!(*sizes.lock().unwrap(), [8, 4, 2, 2, 2, 2]);
    assert!(translated.summary.lowered_max_characters.is_some());
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            // LibreTranslate's flood limit: no Retry-After header
            ResponseTemplate::new(429).set_body_json(json!({"error": "Too many requests"})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(libre_answer)
        .mount(&server)
        .await;
    let mut endpoint = quick_endpoint(&format!("{}/translate", server.uri()));
    endpoint.max_retries = 3;
    let texts = texts(2);
    let started = Instant::now();
    let translated = run(endpoint, None, &texts).await;
    let elapsed = started.elapsed();
    assert_all_own_translations(&texts, &translated);
    assert_eq!(translated.summary.retries, 2);
    assert_eq!(translated.summary.requests, 3);
    // rate limits back off from at least a second (equal jitter: ≥ 0.5 s, then ≥ 1 s)
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    assert!(translated.summary.stopped.is_none());
}

#[tokio::test]
async fn empty_and_unchanged_answers_are_resent_once_then_left_untranslated() {
    let empty = "Kalimat ini selalu mendapat jawaban kosong dari mesin.".to_string();
    let echoed = "Kalimat panjang ini selalu dikembalikan tanpa diterjemahkan.".to_string();
    let hiccup = "Kalimat ini kosong sekali saja lalu diterjemahkan dengan benar.".to_string();
    let short = "Joko Widodo".to_string();
    let mut texts = texts(3);
    texts.extend([empty.clone(), echoed.clone(), hiccup.clone(), short.clone()]);

    let server = MockServer::start().await;
    let sent: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let counts = Arc::clone(&sent);
    let (empty_text, echoed_text, hiccup_text, short_text) =
        (empty.clone(), echoed.clone(), hiccup.clone(), short.clone());
    Mock::given(method("POST"))
        .respond_with(move |request: &Request| {
            let body: Value = request.body_json().unwrap();
            let mut counts = counts.lock().unwrap();
            let answers: Vec<String> = body["q"]
                .as_array()
                .unwrap()
                .iter()
                .map(|text| {
                    let text = text.as_str().unwrap().to_string();
                    let count = counts.entry(text.clone()).or_insert(0);
                    *count += 1;
                    if text == empty_text || (text == hiccup_text && *count == 1) {
                        "  ".to_string()
                    } else if text == echoed_text || text == short_text {
                        text
                    } else {
                        english(&text)
                    }
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "translatedText": answers }))
        })
        .mount(&server)
        .await;
    let mut endpoint = quick_endpoint(&format!("{}/translate", server.uri()));
    endpoint.batch_size = 4;
    let mut store = Store::open_in_memory().unwrap();
    let translated = run_with_store(endpoint.clone(), None, &texts, &mut store).await;

    let by_text: HashMap<&str, _> = texts
        .iter()
        .map(String::as_str)
        .zip(&translated.segments)
        .collect();
    assert_eq!(by_text[empty.as_str()].target, None);
    assert_eq!(
        by_text[empty.as_str()].error.as_deref(),
        Some("the engine returned an empty translation")
    );
    assert_eq!(by_text[echoed.as_str()].target, None);
    assert_eq!(
        by_text[echoed.as_str()].error.as_deref(),
        Some("the engine returned the source text unchanged (wrong language?)")
    );
    assert_eq!(
        by_text[hiccup.as_str()].target.as_deref(),
        Some(english(&hiccup).as_str()),
        "the resend got a real answer"
    );
    assert_eq!(
        by_text[short.as_str()].target.as_deref(),
        Some(short.as_str()),
        "a name is the same in both languages"
    );
    for text in &texts[..3] {
        assert_eq!(
            by_text[text.as_str()].target.as_deref(),
            Some(english(text).as_str())
        );
    }
    assert_eq!(translated.summary.failed, 2);
    assert_eq!(translated.summary.translated, 5);
    let counts = sent.lock().unwrap().clone();
    for text in [&empty, &echoed, &hiccup] {
        assert_eq!(counts[text], 2, "{text:?} is resent exactly once");
    }
    for text in texts[..3].iter().chain([&short]) {
        assert_eq!(counts[text], 1, "{text:?} is sent once");
    }

    // unusable answers are not cached: a rerun asks for exactly those two again
    let options =
        selaras::translate::TranslateOptions::new(endpoint, LanguagePair::new("id", "en"));
    let all: Vec<&str> = texts.iter().map(String::as_str).collect();
    let cached = store
        .cached(&options.engine_identity(), &options.pair, &all)
        .unwrap();
    assert_eq!(cached.len(), 5);
    assert!(!cached.contains_key(&empty) && !cached.contains_key(&echoed));
}

#[test]
fn what_counts_as_an_unusable_answer() {
    let long = "Presiden meresmikan jembatan baru di Kalimantan Timur.";
    let cases: [(&str, &str, bool); 7] = [
        (long, "", true),
        (long, " \n", true),
        (long, long, true),
        (long, &format!("  {long}\n"), true),
        (
            long,
            "The President opened a new bridge in East Kalimantan.",
            false,
        ),
        ("Joko Widodo", "Joko Widodo", false),
        (
            "Jakarta, 12 Mei 2024 — 15.30 WIB",
            "Jakarta, 12 Mei 2024 — 15.30 WIB",
            false,
        ),
    ];
    for (source, answer, unusable) in cases {
        assert_eq!(
            unusable_answer(source, answer).is_some(),
            unusable,
            "{source:?} → {answer:?}"
        );
    }
}
