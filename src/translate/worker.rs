//! The batch worker: sends one batch through the rate limiter, retries, splits or gives up
//! as the retry policy decides, refuses answers that are not translations, and reports every
//! step as an [`Event`] to the loop that commits. Must not touch the cache or the results:
//! only the committing loop in [`super`] does.

use super::limiter::Limiter;
use super::providers::{BatchAnswer, BatchContext, Provider, ProviderError};
use super::retry::{Decision, RetryPolicy};
use super::{Cancellation, StopReason};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the batch workers tell the committing loop.
pub(super) enum Event {
    Request {
        new_characters: usize,
        resent_characters: usize,
    },
    Retry,
    Split,
    /// Usable answers; `committed` is dropped once they are committed (the worker waits for
    /// that before its next request, so a kill never finds an answer uncommitted behind a
    /// later request).
    Answer {
        texts: Vec<String>,
        answer: BatchAnswer,
        committed: tokio::sync::oneshot::Sender<()>,
    },
    Failed {
        texts: Vec<String>,
        reason: String,
    },
    Stop(StopReason),
}

pub(super) struct Shared {
    pub(super) provider: Arc<dyn Provider>,
    /// The endpoint's `max-characters`, lowered for the rest of the run when a batch is
    /// refused as too large: a larger batch is split before it is sent.
    pub(super) max_characters: Arc<AtomicUsize>,
    pub(super) limiter: Limiter,
    pub(super) policy: RetryPolicy,
    pub(super) context: BatchContext,
    pub(super) halt: Cancellation,
    pub(super) events: mpsc::UnboundedSender<Event>,
    /// Passing failures (transport, 5xx, rate limits) since the last usable answer.
    pub(super) failures_in_a_row: AtomicUsize,
}

impl Shared {
    fn send(&self, event: Event) {
        // the receiver lives until every worker is done
        let _ = self.events.send(event);
    }

    /// Waits for `delay`, or less when the run is halted; true when halted.
    async fn sleep_or_halt(&self, delay: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(delay) => self.halt.is_cancelled(),
            () = self.halt.cancelled() => true,
        }
    }
}

/// Words (with at least one letter) a source must have before an answer identical to it is
/// taken for an engine that did not translate (wrong language pair, echo). Shorter texts —
/// names, figures, datelines — are often the same in both languages.
pub const UNCHANGED_SOURCE_MIN_WORDS: usize = 5;

/// Why an engine's answer for `source` is not a translation, if it is not: an empty answer,
/// or a long source sent back unchanged. Such answers are never cached.
pub fn unusable_answer(source: &str, answer: &str) -> Option<&'static str> {
    let answer = answer.trim();
    if answer.is_empty() && !source.trim().is_empty() {
        return Some("the engine returned an empty translation");
    }
    let words = source
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .count();
    if words >= UNCHANGED_SOURCE_MIN_WORDS && answer == source.trim() {
        return Some("the engine returned the source text unchanged (wrong language?)");
    }
    None
}

/// Consecutive passing failures, counted in whole batches' worth of attempts, after which a
/// batch that runs out of retries stops the run instead of letting the next batch try.
const BATCHES_OF_FAILURES_BEFORE_STOPPING: usize = 2;

/// A request waiting to be sent: its texts, whether its characters were counted already,
/// and whether it is the one resend of answers that were unusable.
struct Pending {
    texts: Vec<String>,
    first_send: bool,
    recheck: bool,
}

fn characters(texts: &[String]) -> usize {
    texts.iter().map(|text| text.chars().count()).sum()
}

/// Sends one batch to the end: retries, splits, and reports every answer as it arrives.
pub(super) async fn run_batch(batch: Vec<String>, shared: Arc<Shared>) {
    let network = shared.provider.sends_requests();
    let mut queue: VecDeque<Pending> = VecDeque::from([Pending {
        texts: batch,
        first_send: true,
        recheck: false,
    }]);
    while let Some(Pending {
        texts,
        mut first_send,
        recheck,
    }) = queue.pop_front()
    {
        let count = characters(&texts);
        if texts.len() > 1 && count > shared.max_characters.load(Ordering::SeqCst) {
            let mut first = texts;
            let second = first.split_off(first.len() / 2);
            for half in [second, first] {
                queue.push_front(Pending {
                    texts: half,
                    first_send,
                    recheck,
                });
            }
            continue;
        }
        let mut attempt = 0u32;
        loop {
            if shared.halt.is_cancelled() {
                return;
            }
            if network {
                let start = shared.limiter.reserve();
                let wait = start.saturating_duration_since(Instant::now());
                if !wait.is_zero() && shared.sleep_or_halt(wait).await {
                    return;
                }
                let count = characters(&texts);
                shared.send(if first_send {
                    Event::Request {
                        new_characters: count,
                        resent_characters: 0,
                    }
                } else {
                    Event::Request {
                        new_characters: 0,
                        resent_characters: count,
                    }
                });
                first_send = false;
            }
            let result = tokio::select! {
                result = shared.provider.translate(&texts, &shared.context) => result,
                () = shared.halt.cancelled() => return,
            };
            let error = match result {
                Ok(answer) if answer.len() == texts.len() => {
                    shared.failures_in_a_row.store(0, Ordering::SeqCst);
                    let (unusable, committed) = answer_batch(&shared, texts, answer, network);
                    if let Some(committed) = committed {
                        // an error only means the loop is gone: nothing more to wait for
                        let _ = committed.await;
                    }
                    if !unusable.is_empty() {
                        if recheck {
                            for (text, reason) in unusable {
                                shared.send(Event::Failed {
                                    texts: vec![text],
                                    reason: reason.to_string(),
                                });
                            }
                        } else {
                            // one more try: an engine that hiccuped answers the second time
                            queue.push_back(Pending {
                                texts: unusable.into_iter().map(|(text, _)| text).collect(),
                                first_send: false,
                                recheck: true,
                            });
                        }
                    }
                    break;
                }
                Ok(answer) => ProviderError::Malformed {
                    reason: format!("sent {} texts, got {} answers", texts.len(), answer.len()),
                },
                Err(error) => error,
            };
            let passing = matches!(
                error,
                ProviderError::Retryable { .. }
                    | ProviderError::RateLimited { .. }
                    | ProviderError::Loading { .. }
            );
            let failures_in_a_row = if passing {
                shared.failures_in_a_row.fetch_add(1, Ordering::SeqCst) + 1
            } else {
                0
            };
            match shared
                .policy
                .decide(&error, attempt, texts.len(), fastrand::f64())
            {
                Decision::Retry(delay) => {
                    if matches!(error, ProviderError::RateLimited { .. }) {
                        shared.limiter.pause(delay);
                    }
                    shared.send(Event::Retry);
                    if shared.sleep_or_halt(delay).await {
                        return;
                    }
                    attempt += 1;
                }
                Decision::Split => {
                    if matches!(error, ProviderError::TooLarge { .. }) {
                        // later batches this large would fail first: send halves at most
                        let half = (characters(&texts) / 2).max(1);
                        shared.max_characters.fetch_min(half, Ordering::SeqCst);
                    }
                    shared.send(Event::Split);
                    let mut first = texts;
                    let second = first.split_off(first.len() / 2);
                    for half in [second, first] {
                        queue.push_front(Pending {
                            texts: half,
                            first_send: false,
                            recheck,
                        });
                    }
                    break;
                }
                Decision::GiveUp => {
                    let reason = error.to_string();
                    shared.send(Event::Failed { texts, reason });
                    let attempts_per_batch = shared.policy.max_retries as usize + 1;
                    if passing
                        && failures_in_a_row
                            >= BATCHES_OF_FAILURES_BEFORE_STOPPING * attempts_per_batch
                    {
                        let message = format!(
                            "the endpoint failed {failures_in_a_row} requests in a row; last: {error}"
                        );
                        shared.send(Event::Stop(
                            if matches!(error, ProviderError::Loading { .. }) {
                                StopReason::Loading(message)
                            } else {
                                StopReason::Unavailable(message)
                            },
                        ));
                        shared.halt.cancel();
                        return;
                    }
                    break;
                }
                Decision::Stop => {
                    let reason = match &error {
                        ProviderError::QuotaExhausted { .. } => {
                            StopReason::QuotaExhausted(error.to_string())
                        }
                        ProviderError::Redirected { .. } => {
                            StopReason::Redirected(error.to_string())
                        }
                        ProviderError::FormatRefused { .. } => {
                            StopReason::FormatRefused(error.to_string())
                        }
                        ProviderError::UnknownModel { .. } => {
                            StopReason::UnknownModel(error.to_string())
                        }
                        _ => StopReason::Auth(error.to_string()),
                    };
                    shared.send(Event::Failed {
                        texts,
                        reason: error.to_string(),
                    });
                    shared.send(Event::Stop(reason));
                    shared.halt.cancel();
                    return;
                }
            }
        }
    }
}

/// Reports the usable answers of a batch and returns the texts whose answer was unusable
/// (see [`unusable_answer`]), with the reason, and what resolves once the answers reported are
/// committed. Offline answers are taken as they are.
fn answer_batch(
    shared: &Shared,
    texts: Vec<String>,
    answer: BatchAnswer,
    network: bool,
) -> (
    Vec<(String, &'static str)>,
    Option<tokio::sync::oneshot::Receiver<()>>,
) {
    let (committed, waiting) = tokio::sync::oneshot::channel();
    if !network {
        drop(waiting);
        shared.send(Event::Answer {
            texts,
            answer,
            committed,
        });
        // nothing is committed for an offline answer: no need to wait
        return (Vec::new(), None);
    }
    let mut usable_texts = Vec::with_capacity(texts.len());
    let mut usable_answers = Vec::with_capacity(texts.len());
    let mut unusable = Vec::new();
    for (text, translation) in texts.into_iter().zip(answer) {
        match translation
            .as_deref()
            .and_then(|translation| unusable_answer(&text, translation))
        {
            Some(reason) => unusable.push((text, reason)),
            None => {
                usable_texts.push(text);
                usable_answers.push(translation);
            }
        }
    }
    if usable_texts.is_empty() {
        return (unusable, None);
    }
    shared.send(Event::Answer {
        texts: usable_texts,
        answer: usable_answers,
        committed,
    });
    (unusable, Some(waiting))
}
