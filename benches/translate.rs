//! Translation throughput: 2,000 segments against a local LibreTranslate-shaped server that
//! answers every request after a fixed latency, compared with the ideal bound
//! `requests ÷ concurrency × latency`; then a second run over the same database, which must
//! send zero requests. Run with `cargo bench --bench translate`; figures go to BENCHMARKS.md.
//!
//! Batch size and concurrency come from an endpoint config (defaults 20 and 8; override with
//! `SELARAS_BENCH_BATCH_SIZE` and `SELARAS_BENCH_CONCURRENCY`).

use criterion::{Criterion, criterion_group, criterion_main};
use selaras::model::SegmentId;
use selaras::translate::memory::{LanguagePair, Store};
use selaras::translate::providers::{self, EndpointConfig, ProviderKind};
use selaras::translate::{self, Cancellation, SilentReporter, TranslateOptions};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SEGMENTS: usize = 2_000;
const LATENCY: Duration = Duration::from_millis(50);

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// 2,000 distinct segment texts made from the corpus sentences.
fn items() -> Vec<(SegmentId, String)> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("source_texts");
    let articles = selaras::pipeline::load_articles(
        &[folder],
        false,
        &selaras::segment::SegmentOptions::default(),
    )
    .expect("the corpus");
    let sentences: Vec<String> = selaras::pipeline::translatable_items(&articles)
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    (0..SEGMENTS)
        .map(|index| {
            let text = format!("{} ({index})", sentences[index % sentences.len()]);
            (SegmentId::new("bench", index + 1, 1), text)
        })
        .collect()
}

fn answer(request: &Request) -> ResponseTemplate {
    let body: Value = request.body_json().expect("JSON");
    let translated: Vec<String> = body["q"]
        .as_array()
        .expect("q")
        .iter()
        .map(|text| format!("EN {}", text.as_str().unwrap_or_default()))
        .collect();
    ResponseTemplate::new(200)
        .set_body_json(json!({ "translatedText": translated }))
        .set_delay(LATENCY)
}

fn translate_2000(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(answer)
            .mount(&server)
            .await;
        server
    });
    let mut endpoint = EndpointConfig::defaults("bench", ProviderKind::Libretranslate);
    endpoint.url = Some(url::Url::parse(&format!("{}/translate", server.uri())).expect("url"));
    endpoint.batch_size = setting("SELARAS_BENCH_BATCH_SIZE", 20);
    endpoint.concurrency = setting("SELARAS_BENCH_CONCURRENCY", 8);
    endpoint.max_characters = 1_000_000;
    endpoint.requests_per_second = 10_000.0;
    let items = items();
    let requests = SEGMENTS.div_ceil(endpoint.batch_size);
    let ideal = LATENCY.mul_f64(requests as f64 / endpoint.concurrency as f64);
    let options = TranslateOptions::new(endpoint.clone(), LanguagePair::new("id", "en"));
    let provider =
        providers::build_with_key(&endpoint, None, Arc::new(HashMap::new())).expect("provider");
    let approved = HashMap::new();

    let mut group = criterion.benchmark_group("translate");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    let mut measured = Vec::new();
    group.bench_function("2000_segments_50ms_latency", |bencher| {
        bencher.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let folder = tempfile::tempdir().expect("tempdir");
                let mut store = Store::open(&folder.path().join("memory.sqlite")).expect("store");
                let started = Instant::now();
                let first = runtime
                    .block_on(translate::translate(
                        &items,
                        &approved,
                        &mut store,
                        Arc::clone(&provider),
                        &options,
                        &SilentReporter,
                        &Cancellation::new(),
                    ))
                    .expect("first run");
                let elapsed = started.elapsed();
                total += elapsed;
                measured.push(elapsed);
                assert_eq!(first.summary.translated, SEGMENTS);
                assert_eq!(first.summary.requests, requests);
                let second = runtime
                    .block_on(translate::translate(
                        &items,
                        &approved,
                        &mut store,
                        Arc::clone(&provider),
                        &options,
                        &SilentReporter,
                        &Cancellation::new(),
                    ))
                    .expect("second run");
                assert_eq!(second.summary.requests, 0, "a second run sends nothing");
                assert_eq!(second.summary.from_cache, SEGMENTS);
            }
            total
        })
    });
    group.finish();
    measured.sort();
    if let Some(median) = measured.get(measured.len() / 2) {
        eprintln!(
            "translate: {SEGMENTS} segments, {requests} requests, batch {} × concurrency {}, latency {} ms: \
             median {:.0} ms vs ideal {:.0} ms ({:+.1}%); second run: 0 requests",
            endpoint.batch_size,
            endpoint.concurrency,
            LATENCY.as_millis(),
            median.as_secs_f64() * 1000.0,
            ideal.as_secs_f64() * 1000.0,
            (median.as_secs_f64() / ideal.as_secs_f64() - 1.0) * 100.0
        );
    }
}

criterion_group!(benches, translate_2000);
criterion_main!(benches);
