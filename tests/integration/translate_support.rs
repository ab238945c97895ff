//! Shared helpers of the translate tests: a deterministic fake "English" and the LibreTranslate
//! and DeepL answers carrying it, endpoint configs
//! pointing at a local server, a run of the orchestrator, and a raw TCP server that drops
//! connections (wiremock cannot).

use selaras::model::SegmentId;
use selaras::translate::memory::{LanguagePair, Store};
use selaras::translate::providers::{self, EndpointConfig, ProviderKind};
use selaras::translate::secret::ApiKey;
use selaras::translate::{self, Cancellation, SilentReporter, TranslateOptions, Translated};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::{Request, ResponseTemplate};

/// The fake engine's translation of a text: easy to check, different from the source.
pub fn english(text: &str) -> String {
    format!("EN<{text}>")
}

/// The texts of a JSON request body's array `field` (`q` for LibreTranslate, `text` for DeepL).
pub fn request_texts(body: &[u8], field: &str) -> Vec<String> {
    let body: serde_json::Value = serde_json::from_slice(body).unwrap();
    body[field]
        .as_array()
        .unwrap_or_else(|| panic!("no array `{field}` in {body}"))
        .iter()
        .map(|text| text.as_str().unwrap().to_string())
        .collect()
}

/// The LibreTranslate answer to a request body: every text in [`english`].
pub fn libre_body(request: &[u8]) -> String {
    let translated: Vec<String> = request_texts(request, "q")
        .iter()
        .map(|text| english(text))
        .collect();
    serde_json::json!({ "translatedText": translated }).to_string()
}

/// [`libre_body`] as a mock server's answer.
pub fn libre_answer(request: &Request) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(libre_body(&request.body), "application/json")
}

/// The DeepL answer to a request: every text in [`english`].
pub fn deepl_answer(request: &Request) -> ResponseTemplate {
    let translations: Vec<serde_json::Value> = request_texts(&request.body, "text")
        .iter()
        .map(|text| serde_json::json!({"detected_source_language": "ID", "text": english(text)}))
        .collect();
    ResponseTemplate::new(200).set_body_json(serde_json::json!({ "translations": translations }))
}

/// Distinct Indonesian-looking texts.
pub fn texts(count: usize) -> Vec<String> {
    (1..=count)
        .map(|number| format!("Kalimat nomor {number} tentang Menteri Keuangan."))
        .collect()
}

/// An endpoint of `kind` at `url`, fast limits for tests.
pub fn endpoint(kind: ProviderKind, url: &str) -> EndpointConfig {
    let mut endpoint = EndpointConfig::defaults("test", kind);
    endpoint.url = Some(url::Url::parse(url).unwrap());
    endpoint.requests_per_second = 1000.0;
    endpoint.timeout = Duration::from_secs(5);
    endpoint.max_retries = 3;
    endpoint
}

/// Runs the orchestrator on `texts` against `endpoint`, with a tiny backoff.
pub async fn run(endpoint: EndpointConfig, key: Option<&str>, texts: &[String]) -> Translated {
    let mut store = Store::open_in_memory().unwrap();
    run_with_store(endpoint, key, texts, &mut store).await
}

pub async fn run_with_store(
    endpoint: EndpointConfig,
    key: Option<&str>,
    texts: &[String],
    store: &mut Store,
) -> Translated {
    let provider =
        providers::build_with_key(&endpoint, key.map(ApiKey::new), Arc::new(HashMap::new()))
            .unwrap();
    let mut options = TranslateOptions::new(endpoint, LanguagePair::new("id", "en"));
    options.retry.base_delay = Duration::from_millis(5);
    let items: Vec<(SegmentId, String)> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| (SegmentId::new("t", index + 1, 1), text.clone()))
        .collect();
    translate::translate(
        &items,
        &HashMap::new(),
        store,
        provider,
        &options,
        &SilentReporter,
        &Cancellation::new(),
    )
    .await
    .unwrap()
}

/// Asserts every segment got exactly `english(its source)`.
pub fn assert_all_own_translations(texts: &[String], translated: &Translated) {
    assert_eq!(translated.segments.len(), texts.len());
    for (text, segment) in texts.iter().zip(&translated.segments) {
        assert_eq!(
            segment.target.as_deref(),
            Some(english(text).as_str()),
            "segment {text:?}: {:?}",
            segment.error
        );
    }
    assert_eq!(translated.summary.failed, 0);
}

/// A raw HTTP/1.1 server on 127.0.0.1 that closes the first `drops` connections after reading
/// the request, without answering, and answers the others with `respond(body)` as JSON.
pub async fn dropping_server(
    drops: usize,
    respond: impl Fn(&[u8]) -> String + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let number = counter.fetch_add(1, Ordering::SeqCst);
            let respond = Arc::clone(&respond);
            tokio::spawn(async move {
                let Some(body) = read_request(&mut socket).await else {
                    return;
                };
                if number < drops {
                    drop(socket);
                    return;
                }
                let answer = respond(&body);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{address}"), connections)
}

pub async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
        if buffer.len() > 1 << 20 {
            return None;
        }
    };
    let headers = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let length: usize = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some(buffer[header_end..header_end + length].to_vec())
}
