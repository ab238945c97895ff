//! Stage 3: translatable segments → translations, from the approved memory, the cache or an
//! engine, without ever losing or mixing up an answer.
//!
//! [`translate`] takes the segments of a run as plain data `(SegmentId, source text)` and:
//! 1. sends each distinct text once, however many segments hold it;
//! 2. looks every text up in the approved memory (TMX), then in the cache of this engine's
//!    earlier answers ([`memory::Store`]);
//! 3. sends the rest in batches (per-endpoint limits on texts and characters per request) with
//!    bounded concurrency (`buffer_unordered`), a requests-per-second limit, a per-request
//!    timeout, retries with exponential backoff and jitter that honour `Retry-After`
//!    ([`retry`]), and splitting of a batch the engine cannot answer as a whole;
//! 4. refuses answers that are not translations — empty, or a long source sent back
//!    unchanged ([`unusable_answer`]) — resending those texts once, then leaving them
//!    untranslated (never cached), and stops the run when the endpoint fails whole batches in
//!    a row ([`StopReason::Unavailable`]) instead of hammering it batch after batch;
//! 5. commits every engine answer to SQLite the moment it arrives, so a crash, a Ctrl-C or a
//!    fatal error loses at most the requests in flight, and a rerun sends only what is missing.
//!
//! It returns one [`SegmentTranslation`] per input, in input order, and a [`Summary`].
//! Progress goes to a [`Reporter`] (the CLI draws bars); cancellation comes in through a
//! [`Cancellation`]. Must not print, read the configuration or know about files other than the
//! memory database.

pub mod format_memory;
mod limiter;
pub mod memory;
mod plan;
pub mod providers;
mod results;
pub mod retry;
pub mod secret;
mod summary;
mod worker;

pub use plan::{batches, plan};
pub use results::Finished;
pub use summary::{PlanParts, Summary};
pub use worker::{UNCHANGED_SOURCE_MIN_WORDS, unusable_answer};

use crate::model::SegmentId;
use futures::StreamExt;
use limiter::Limiter;
use memory::{LanguagePair, MemoryError, Store};
use plan::{Lookup, distinct, look_up};
use providers::{BatchContext, EndpointConfig, Provider};
use results::Results;
use retry::RetryPolicy;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Instant;
use tokio::sync::{mpsc, watch};
use worker::{Event, Shared, run_batch};

/// What a translation run is told.
#[derive(Debug, Clone)]
pub struct TranslateOptions {
    /// The endpoint: kind, limits, concurrency, rate.
    pub endpoint: EndpointConfig,
    /// The language pair of the memory and cache entries.
    pub pair: LanguagePair,
    /// Retry limits and backoff (its `max_retries` is normally the endpoint's).
    pub retry: RetryPolicy,
    /// Sent with every batch (language tags, glossary hints, placeholder flag).
    pub context: BatchContext,
}

impl TranslateOptions {
    /// Options for `endpoint` and `pair` with the default backoff schedule.
    pub fn new(endpoint: EndpointConfig, pair: LanguagePair) -> Self {
        let retry = RetryPolicy {
            max_retries: endpoint.max_retries,
            max_wait: endpoint.max_wait,
            ..RetryPolicy::default()
        };
        let context = BatchContext {
            source_lang: pair.source.clone(),
            target_lang: pair.target.clone(),
            ..BatchContext::default()
        };
        TranslateOptions {
            endpoint,
            pair,
            retry,
            context,
        }
    }

    /// These options with the glossary's terms as hints for the engine (an LLM endpoint
    /// puts the terms of each batch into its prompt; others ignore them).
    pub fn with_glossary_hints<'a>(
        mut self,
        terms: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        self.context.glossary_hints = terms
            .into_iter()
            .map(|(source, target)| (source.to_string(), target.to_string()))
            .collect();
        self
    }

    /// The cache key of the engine's answers. For an LLM endpoint the glossary hints are part
    /// of the prompt, so a changed glossary does not reuse answers given without it.
    pub fn engine_identity(&self) -> String {
        let identity = self.endpoint.identity(&self.pair.target);
        if self.endpoint.kind == providers::ProviderKind::Openai
            && !self.context.glossary_hints.is_empty()
        {
            use sha2::Digest;
            let mut hasher = sha2::Sha256::new();
            for (source_term, target_term) in &self.context.glossary_hints {
                hasher.update(source_term.as_bytes());
                hasher.update([0]);
                hasher.update(target_term.as_bytes());
                hasher.update([0]);
            }
            let digest = hasher.finalize();
            let short: String = digest[..6]
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect();
            format!("{identity} glossary={short}")
        } else {
            identity
        }
    }
}

/// A BCP 47-shaped tag: letters, then `-`-separated alphanumeric subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Where the translate stage found a segment's English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// An approved translation from the memory (TMX).
    Memory,
    /// An engine answer stored by an earlier run.
    Cache,
    /// An engine answer received by this run.
    Engine,
    /// No translation.
    None,
}

/// The translation of one segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentTranslation {
    /// The English, or `None` when there is none.
    pub target: Option<String>,
    /// What the engine or memory returned (the same as `target` at this stage).
    pub raw: Option<String>,
    /// Memory, Cache, Engine, or None.
    pub origin: Origin,
    /// Why there is no translation, when there is none.
    pub error: Option<String>,
}

impl SegmentTranslation {
    fn found(text: String, origin: Origin) -> Self {
        SegmentTranslation {
            target: Some(text.clone()),
            raw: Some(text),
            origin,
            error: None,
        }
    }

    fn missing(reason: String) -> Self {
        SegmentTranslation {
            target: None,
            raw: None,
            origin: Origin::None,
            error: Some(reason),
        }
    }
}

/// Why a run ended before every batch was tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", content = "message", rename_all = "kebab-case")]
pub enum StopReason {
    /// The user interrupted the run (Ctrl-C).
    Cancelled,
    /// The endpoint refused the key.
    Auth(String),
    /// The account's quota is spent.
    QuotaExhausted(String),
    /// The endpoint kept failing (refused connections, timeouts, 5xx, rate limits) until
    /// whole batches ran out of retries with no success in between: sending the rest would
    /// only repeat the failure.
    Unavailable(String),
    /// The endpoint redirected a request away from its scheme, host and port (not followed:
    /// the key would have gone along).
    Redirected(String),
    /// The server refuses the endpoint's fixed `response-format`.
    FormatRefused(String),
    /// The server does not know the endpoint's `model`.
    UnknownModel(String),
    /// The server kept answering that it is still loading its model.
    Loading(String),
}

/// The outcome of [`translate`].
#[derive(Debug, Clone)]
pub struct Translated {
    /// One per input segment, in input order.
    pub segments: Vec<SegmentTranslation>,
    pub summary: Summary,
}

impl Translated {
    /// The items (in the order translated) left without a translation, with the reason.
    pub fn failed(&self, items: &[(SegmentId, String)]) -> Vec<(SegmentId, String)> {
        items
            .iter()
            .zip(&self.segments)
            .filter(|(_, translation)| translation.target.is_none())
            .map(|((id, _), translation)| {
                (id.clone(), translation.error.clone().unwrap_or_default())
            })
            .collect()
    }
}

/// What a dry run would do: figures after the memory and cache lookups.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub segments: usize,
    pub unique_texts: usize,
    pub from_memory: usize,
    pub from_cache: usize,
    /// Segments whose text would be sent.
    pub to_send_segments: usize,
    /// Distinct texts that would be sent.
    pub to_send_texts: usize,
    pub characters: usize,
    /// Requests needed when nothing fails.
    pub requests: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    #[error(transparent)]
    Memory(#[from] MemoryError),
}

impl crate::error::Classified for TranslateError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            TranslateError::Memory(error) => error.class(),
        }
    }
}

/// Progress of a run, for whoever wants to show it. Only the CLI implements it.
pub trait Reporter: Send + Sync {
    /// A part of the run starts (once per part: the work announced grows part by part): its
    /// translatable segments per article, in order.
    fn start(&self, _articles: &[(String, usize)]) {}
    /// `count` more segments of `article` are done (translated or given up).
    fn advance(&self, _article: &str, _count: usize) {}
    /// The run is over: called once by whoever runs the whole of it ([`translate`] or the
    /// caller of the parts), never at the end of a part.
    fn finish(&self) {}
}

/// A reporter that shows nothing.
pub struct SilentReporter;

impl Reporter for SilentReporter {}

/// A cancellation signal shared between the caller (Ctrl-C) and the run.
#[derive(Debug, Clone)]
pub struct Cancellation {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for Cancellation {
    fn default() -> Self {
        Cancellation::new()
    }
}

impl Cancellation {
    pub fn new() -> Self {
        Cancellation {
            sender: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Asks the run to stop sending; what arrived is kept.
    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once [`Cancellation::cancel`] was called.
    pub async fn cancelled(&self) {
        let mut receiver = self.sender.subscribe();
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }
}

/// What a run that translates its articles part by part ([`translate_part`]) remembers between
/// the parts, so that it behaves as one call over every segment would: hashes of the texts
/// seen (for the distinct-text count) and of those the engine answered in this run (read back
/// from the cache, they still count as the engine's), why texts failed (never sent twice),
/// and why the endpoint stopped the run (nothing more is sent). Holds no text.
#[derive(Debug, Default)]
pub struct RunMemory {
    seen: HashSet<u64>,
    answered: HashSet<u64>,
    failed: HashMap<u64, String>,
    stopped: Option<StopReason>,
    /// The endpoint's `max-characters` as lowered by a context limit in an earlier part.
    max_characters: Option<usize>,
}

impl RunMemory {
    /// Why the run stopped early, if it did.
    pub fn stopped(&self) -> Option<&StopReason> {
        self.stopped.as_ref()
    }
}

/// The run-wide identity of a text (collisions only cost a count, never a translation: the
/// texts themselves are looked up by value).
fn text_hash(text: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(text)
}

/// Translates `items` (see the module docs). `approved` is the approved memory (source →
/// target) of the pair; `store` holds the cache and receives every engine answer.
pub async fn translate(
    items: &[(SegmentId, String)],
    approved: &HashMap<String, String>,
    store: &mut Store,
    provider: Arc<dyn Provider>,
    options: &TranslateOptions,
    reporter: &dyn Reporter,
    cancellation: &Cancellation,
) -> Result<Translated, TranslateError> {
    let mut memory = RunMemory::default();
    let mut sources = Sources {
        approved,
        store,
        provider,
        reporter,
        cancellation,
        memory: &mut memory,
    };
    let translated = translate_part(items, options, &mut sources, None).await;
    reporter.finish();
    translated
}

/// Where a part's translations come from and go: the run's shared state.
pub struct Sources<'a> {
    pub approved: &'a HashMap<String, String>,
    pub store: &'a mut Store,
    pub provider: Arc<dyn Provider>,
    pub reporter: &'a dyn Reporter,
    pub cancellation: &'a Cancellation,
    pub memory: &'a mut RunMemory,
}

/// [`translate`] for one part of a run: `sources.memory` carries what earlier parts learnt (see
/// [`RunMemory`]). The summary counts this part only (its `unique_texts`: texts no earlier part
/// held).
pub async fn translate_part(
    items: &[(SegmentId, String)],
    options: &TranslateOptions,
    sources: &mut Sources<'_>,
    finished: Option<Finished<'_>>,
) -> Result<Translated, TranslateError> {
    let (approved, reporter, cancellation) =
        (sources.approved, sources.reporter, sources.cancellation);
    let (store, memory) = (&mut *sources.store, &mut *sources.memory);
    let provider = Arc::clone(&sources.provider);
    let started = Instant::now();
    let network = provider.sends_requests();
    let distinct = distinct(items);
    let lookups = look_up(&distinct, approved, store, options, network)?;
    let identity = options.engine_identity();
    let resumed_format = format_memory::resume(store, &options.endpoint, provider.as_ref())?;

    let hashes: Vec<u64> = distinct.texts.iter().map(|text| text_hash(text)).collect();
    let mut summary = Summary {
        segments: items.len(),
        unique_texts: hashes
            .iter()
            .filter(|&&hash| memory.seen.insert(hash))
            .count(),
        ..Summary::default()
    };

    let mut results = Results::new(items, reporter, finished);

    let mut holders_of: HashMap<String, usize> = HashMap::new();
    let mut to_send = Vec::new();
    for (index, lookup) in lookups.into_iter().enumerate() {
        let holders = &distinct.holders[index];
        let hash = hashes[index];
        let result = match lookup {
            Lookup::Memory(target) => SegmentTranslation::found(target, Origin::Memory),
            // answered by the engine in an earlier part of this run
            Lookup::Cache(target) if memory.answered.contains(&hash) => {
                SegmentTranslation::found(target, Origin::Engine)
            }
            Lookup::Cache(target) => SegmentTranslation::found(target, Origin::Cache),
            Lookup::Send => match (memory.failed.get(&hash), &memory.stopped) {
                (Some(reason), _) => SegmentTranslation::missing(reason.clone()),
                (None, Some(stopped)) => SegmentTranslation::missing(not_sent(Some(stopped))),
                (None, None) => {
                    holders_of.insert(distinct.texts[index].clone(), index);
                    to_send.push(distinct.texts[index].clone());
                    continue;
                }
            },
        };
        results.settle(holders, &result);
    }

    let halt = Cancellation::new();
    if cancellation.is_cancelled() {
        halt.cancel();
    }
    let forward = {
        let external = cancellation.clone();
        let halt = halt.clone();
        tokio::spawn(async move {
            external.cancelled().await;
            halt.cancel();
        })
    };
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let starting_max = memory
        .max_characters
        .unwrap_or(options.endpoint.max_characters);
    let max_characters = Arc::new(AtomicUsize::new(starting_max));
    let shared = Arc::new(Shared {
        provider: Arc::clone(&provider),
        max_characters: Arc::clone(&max_characters),
        limiter: Limiter::new(options.endpoint.requests_per_second),
        policy: options.retry,
        context: options.context.clone(),
        halt: halt.clone(),
        events: sender,
        failures_in_a_row: AtomicUsize::new(0),
    });
    let work = batches(&to_send, options.endpoint.batch_size, starting_max);
    let concurrency = options.endpoint.concurrency.max(1);
    let driver = {
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            futures::stream::iter(work)
                .map(|batch| run_batch(batch, Arc::clone(&shared)))
                .buffer_unordered(concurrency)
                .for_each(|()| async {})
                .await;
        })
    };
    drop(shared);

    // every segment holding `text` gets `result`
    let mut settle = |text: &str, result: SegmentTranslation| {
        let Some(&index) = holders_of.get(text) else {
            return;
        };
        results.settle(&distinct.holders[index], &result);
    };
    let mut stopped: Option<StopReason> = None;
    let mut commit_error: Option<MemoryError> = None;
    while let Some(event) = receiver.recv().await {
        match event {
            Event::Request {
                new_characters,
                resent_characters,
            } => {
                summary.requests += 1;
                summary.characters_sent += new_characters;
                summary.characters_resent += resent_characters;
            }
            Event::Retry => summary.retries += 1,
            Event::Split => summary.splits += 1,
            Event::Answer {
                texts,
                answer,
                committed,
            } => {
                let answered: Vec<(String, String)> = texts
                    .iter()
                    .zip(&answer)
                    .filter_map(|(text, translation)| {
                        translation
                            .as_ref()
                            .map(|translation| (text.clone(), translation.clone()))
                    })
                    .collect();
                if network && !answered.is_empty() && commit_error.is_none() {
                    // committed before it counts: a crash after this line loses nothing
                    if let Err(error) = store.store_answer(&identity, &options.pair, &answered) {
                        commit_error = Some(error);
                        halt.cancel();
                    }
                }
                // the worker may send its next request now
                drop(committed);
                for (text, translation) in texts.into_iter().zip(answer) {
                    let result = match translation {
                        Some(translation) => {
                            memory.answered.insert(text_hash(&text));
                            SegmentTranslation::found(translation, Origin::Engine)
                        }
                        None => SegmentTranslation::missing(if network {
                            "the engine gave no translation".to_string()
                        } else {
                            "no exact match in the translation memory".to_string()
                        }),
                    };
                    if network && result.target.is_none() {
                        memory
                            .failed
                            .insert(text_hash(&text), result.error.clone().unwrap_or_default());
                    }
                    settle(&text, result);
                }
            }
            Event::Failed { texts, reason } => {
                for text in texts {
                    memory.failed.insert(text_hash(&text), reason.clone());
                    settle(&text, SegmentTranslation::missing(reason.clone()));
                }
            }
            Event::Stop(reason) => {
                stopped.get_or_insert(reason);
            }
        }
    }
    // a panic in a worker is a bug: it goes on unwinding here (exit 101 with its message,
    // already printed by the panic hook), never hidden behind an incomplete run
    let driven = driver.await;
    forward.abort();
    if let Err(error) = driven
        && error.is_panic()
    {
        std::panic::resume_unwind(error.into_panic());
    }
    if let Some(error) = commit_error {
        return Err(error.into());
    }
    if stopped.is_none() && cancellation.is_cancelled() {
        stopped = Some(StopReason::Cancelled);
    }
    summary.response_format =
        format_memory::settle(store, &options.endpoint, provider.as_ref(), resumed_format)?;
    let lowered = max_characters.load(std::sync::atomic::Ordering::SeqCst);
    summary.lowered_max_characters = (lowered < options.endpoint.max_characters).then_some(lowered);
    memory.max_characters = summary.lowered_max_characters;

    let segments = results.finish(&SegmentTranslation::missing(not_sent(stopped.as_ref())));
    summary.count(&segments);
    if memory.stopped.is_none() {
        memory.stopped.clone_from(&stopped);
    }
    summary.stopped = stopped;
    summary.wall_seconds = started.elapsed().as_secs_f64();
    Ok(Translated { segments, summary })
}

/// The reason given to a text that was never sent.
fn not_sent(stopped: Option<&StopReason>) -> String {
    match stopped {
        Some(StopReason::Cancelled) => "not sent: the run was interrupted",
        Some(StopReason::Auth(_)) => "not sent: the endpoint refused the key",
        Some(StopReason::QuotaExhausted(_)) => "not sent: the quota is exhausted",
        Some(StopReason::Unavailable(_)) => "not sent: the endpoint kept failing",
        Some(StopReason::Redirected(_)) => "not sent: the endpoint redirects elsewhere",
        Some(StopReason::FormatRefused(_)) => "not sent: the server refuses the response format",
        Some(StopReason::UnknownModel(_)) => "not sent: the server does not know the model",
        Some(StopReason::Loading(_)) => "not sent: the server is still loading its model",
        None => "not sent",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::future::BoxFuture;
    use providers::{BatchAnswer, ProviderError};
    use std::sync::Mutex;
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    /// Answers `EN(text)`; fails any batch holding a text starting with `!` as too large, and
    /// records every batch.
    struct Fake {
        calls: Mutex<Vec<Vec<String>>>,
        failures_left: AtomicUsize,
    }

    impl Provider for Fake {
        fn translate<'a>(
            &'a self,
            texts: &'a [String],
            _context: &'a BatchContext,
        ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>> {
            self.calls.lock().unwrap().push(texts.to_vec());
            Box::pin(async move {
                if self.failures_left.load(Ordering::SeqCst) > 0 {
                    self.failures_left.fetch_sub(1, Ordering::SeqCst);
                    return Err(ProviderError::Retryable {
                        after: None,
                        reason: "HTTP 500".to_string(),
                    });
                }
                if texts.len() > 1 && texts.iter().any(|text| text.starts_with('!')) {
                    return Err(ProviderError::TooLarge {
                        reason: "no".to_string(),
                    });
                }
                Ok(texts
                    .iter()
                    .map(|text| Some(format!("EN({text})")))
                    .collect())
            })
        }
    }

    fn options(batch_size: usize) -> TranslateOptions {
        let mut endpoint = EndpointConfig::defaults("fake", providers::ProviderKind::Template);
        endpoint.batch_size = batch_size;
        endpoint.requests_per_second = 0.0;
        let mut options = TranslateOptions::new(endpoint, LanguagePair::new("id", "en"));
        options.retry.base_delay = Duration::from_millis(1);
        options
    }

    fn items(texts: &[&str]) -> Vec<(SegmentId, String)> {
        texts
            .iter()
            .enumerate()
            .map(|(index, text)| (SegmentId::new("a", index + 1, 1), text.to_string()))
            .collect()
    }

    /// Translates `input` with `fake`, showing nothing.
    async fn run(
        input: &[(SegmentId, String)],
        approved: &HashMap<String, String>,
        store: &mut Store,
        fake: &Arc<Fake>,
        options: &TranslateOptions,
        cancellation: &Cancellation,
    ) -> Translated {
        let provider: Arc<dyn Provider> = fake.clone();
        translate(
            input,
            approved,
            store,
            provider,
            options,
            &SilentReporter,
            cancellation,
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn dedups_looks_up_memory_and_cache_then_sends_the_rest() {
        let mut store = Store::open_in_memory().unwrap();
        let options = options(2);
        store
            .store_answer(
                &options.engine_identity(),
                &options.pair,
                &[("Dua.".to_string(), "Two (cached).".to_string())],
            )
            .unwrap();
        let approved = HashMap::from([("Satu.".to_string(), "One.".to_string())]);
        let fake = Arc::new(Fake {
            calls: Mutex::new(Vec::new()),
            failures_left: AtomicUsize::new(1),
        });
        let input = items(&[
            "Satu.", "Dua.", "Tiga.", "Tiga.", "Empat.", "!Lima.", "Enam.",
        ]);
        let translated = run(
            &input,
            &approved,
            &mut store,
            &fake,
            &options,
            &Cancellation::new(),
        )
        .await;
        let targets: Vec<(Option<&str>, Origin)> = translated
            .segments
            .iter()
            .map(|segment| (segment.target.as_deref(), segment.origin))
            .collect();
        assert_eq!(
            targets,
            [
                (Some("One."), Origin::Memory),
                (Some("Two (cached)."), Origin::Cache),
                (Some("EN(Tiga.)"), Origin::Engine),
                (Some("EN(Tiga.)"), Origin::Engine),
                (Some("EN(Empat.)"), Origin::Engine),
                (Some("EN(!Lima.)"), Origin::Engine),
                (Some("EN(Enam.)"), Origin::Engine),
            ]
        );
        let summary = &translated.summary;
        assert_eq!(
            (summary.segments, summary.translated, summary.failed),
            (7, 7, 0)
        );
        assert_eq!(
            (summary.from_memory, summary.from_cache, summary.from_engine),
            (1, 1, 5)
        );
        assert_eq!(summary.retries, 1);
        assert_eq!(summary.splits, 1);
        let sent: usize = ["Tiga.", "Empat.", "!Lima.", "Enam."]
            .iter()
            .map(|text| text.chars().count())
            .sum();
        assert_eq!(summary.characters_sent, sent);
        // the engine answers are committed: a second run sends nothing
        let again = run(
            &input,
            &approved,
            &mut store,
            &fake,
            &options,
            &Cancellation::new(),
        )
        .await;
        assert_eq!(again.summary.requests, 0);
        assert_eq!(again.summary.from_cache, 6);
        assert_eq!(again.segments, {
            let mut expected = translated.segments.clone();
            for segment in expected.iter_mut().skip(1) {
                segment.origin = Origin::Cache;
            }
            expected
        });
    }

    #[tokio::test]
    async fn a_cancelled_run_sends_nothing_more() {
        let mut store = Store::open_in_memory().unwrap();
        let fake = Arc::new(Fake {
            calls: Mutex::new(Vec::new()),
            failures_left: AtomicUsize::new(0),
        });
        let cancellation = Cancellation::new();
        cancellation.cancel();
        let input = items(&["Satu.", "Dua."]);
        let approved = HashMap::new();
        let translated = run(
            &input,
            &approved,
            &mut store,
            &fake,
            &options(1),
            &cancellation,
        )
        .await;
        assert_eq!(translated.summary.failed, 2);
        assert_eq!(translated.summary.stopped, Some(StopReason::Cancelled));
        assert!(fake.calls.lock().unwrap().is_empty());
    }

    /// Panics on every batch, as a bug in a provider would.
    struct Panicking;

    impl Provider for Panicking {
        fn translate<'a>(
            &'a self,
            _texts: &'a [String],
            _context: &'a BatchContext,
        ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>> {
            Box::pin(async move { panic!("a bug in a provider") })
        }
    }

    #[tokio::test]
    #[should_panic(expected = "a bug in a provider")]
    async fn a_panic_in_a_worker_is_not_hidden_behind_an_incomplete_run() {
        let mut store = Store::open_in_memory().unwrap();
        let input = items(&["Satu.", "Dua."]);
        let _ = translate(
            &input,
            &HashMap::new(),
            &mut store,
            Arc::new(Panicking),
            &options(1),
            &SilentReporter,
            &Cancellation::new(),
        )
        .await;
    }

    /// Counts the calls a run makes to its reporter.
    #[derive(Default)]
    struct Counting {
        starts: Mutex<Vec<usize>>,
        advanced: AtomicUsize,
        finishes: AtomicUsize,
    }

    impl Reporter for Counting {
        fn start(&self, articles: &[(String, usize)]) {
            let segments = articles.iter().map(|(_, count)| count).sum();
            self.starts.lock().unwrap().push(segments);
        }
        fn advance(&self, _article: &str, count: usize) {
            self.advanced.fetch_add(count, Ordering::SeqCst);
        }
        fn finish(&self) {
            self.finishes.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn parts_announce_their_work_and_only_the_whole_run_finishes() {
        let mut store = Store::open_in_memory().unwrap();
        let fake = Arc::new(Fake {
            calls: Mutex::new(Vec::new()),
            failures_left: AtomicUsize::new(0),
        });
        let reporter = Counting::default();
        let (approved, cancellation) = (HashMap::new(), Cancellation::new());
        let mut memory = RunMemory::default();
        let mut sources = Sources {
            approved: &approved,
            store: &mut store,
            provider: fake.clone(),
            reporter: &reporter,
            cancellation: &cancellation,
            memory: &mut memory,
        };
        for part in [
            items(&["Satu.", "Dua."]),
            items(&["Tiga.", "Satu.", "Lima."]),
        ] {
            translate_part(&part, &options(2), &mut sources, None)
                .await
                .unwrap();
        }
        assert_eq!(*reporter.starts.lock().unwrap(), [2, 3]);
        assert_eq!(reporter.advanced.load(Ordering::SeqCst), 5);
        // a bar cleared at the end of a part would restart at the next one
        assert_eq!(reporter.finishes.load(Ordering::SeqCst), 0);
        let input = items(&["Enam."]);
        let provider: Arc<dyn Provider> = fake.clone();
        let options = options(2);
        translate(
            &input,
            &approved,
            &mut store,
            provider,
            &options,
            &reporter,
            &cancellation,
        )
        .await
        .unwrap();
        assert_eq!(reporter.finishes.load(Ordering::SeqCst), 1);
    }
}
