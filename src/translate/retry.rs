//! What to do after a failed request: the retry policy.
//!
//! [`RetryPolicy::decide`] says whether a failed request is retried (after how long:
//! exponential backoff with jitter, never sooner than the server's `Retry-After`, never longer
//! than [`RetryPolicy::max_wait`]), split,
//! given up for its segments, or ends the whole run. How an answer becomes a
//! [`ProviderError`] is each provider's business ([`super::providers`]). Must not sleep, send
//! or print: the orchestrator acts on the decision.

use super::providers::ProviderError;
use std::time::Duration;

/// What to do after a failed request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Send the same batch again after this delay.
    Retry(Duration),
    /// Send each half of the batch on its own.
    Split,
    /// Give up on the segments of this batch; the run goes on.
    GiveUp,
    /// Stop the whole run: nothing else can succeed (bad key, spent quota, a redirect away
    /// from the endpoint, a refused response format, an unknown model).
    Stop,
}

/// Retry limits and the backoff schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries of one request after its first attempt.
    pub max_retries: u32,
    /// The delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// The longest computed backoff.
    pub max_delay: Duration,
    /// The longest wait of any kind: a `Retry-After` asking for longer, or a backoff that
    /// would grow past it, waits this long (`max-wait-secs` of the endpoint).
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_wait: DEFAULT_MAX_WAIT,
        }
    }
}

/// The longest wait before a retry unless the endpoint sets `max-wait-secs`: ten minutes.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(600);

/// Malformed answers (an LLM's prose, a wrong item count) get this many retries before the
/// batch is split: a second sample often succeeds, a third rarely does.
const MALFORMED_RETRIES: u32 = 1;

impl RetryPolicy {
    /// The backoff before retry number `attempt + 1` (`attempt` counts retries already made),
    /// with "equal jitter": uniformly in `[d/2, d]` where `d = base · 2^attempt`, capped.
    /// `random` is a number in `[0, 1)`. Rate limits start from at least one second.
    pub fn backoff(&self, attempt: u32, rate_limited: bool, random: f64) -> Duration {
        let base = if rate_limited {
            self.base_delay.max(Duration::from_secs(1))
        } else {
            self.base_delay
        };
        let factor = 2u32.saturating_pow(attempt.min(20));
        let full = base.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(random.clamp(0.0, 1.0))
    }

    /// What to do after `error` on a request of `batch_len` texts that has been retried
    /// `attempt` times already.
    pub fn decide(
        &self,
        error: &ProviderError,
        attempt: u32,
        batch_len: usize,
        random: f64,
    ) -> Decision {
        let can_split = batch_len > 1;
        match error {
            ProviderError::Retryable { after, .. }
            | ProviderError::RateLimited { after, .. }
            | ProviderError::Loading { after, .. } => {
                if attempt >= self.max_retries {
                    return Decision::GiveUp;
                }
                let rate_limited = matches!(error, ProviderError::RateLimited { .. });
                let backoff = self.backoff(attempt, rate_limited, random);
                let delay = match after {
                    Some(after) => (*after).max(backoff.min(*after)),
                    None => backoff,
                };
                Decision::Retry(delay.min(self.max_wait))
            }
            ProviderError::Malformed { .. } => {
                if attempt < MALFORMED_RETRIES.min(self.max_retries) {
                    Decision::Retry(self.backoff(attempt, false, random).min(self.max_wait))
                } else if can_split {
                    Decision::Split
                } else {
                    Decision::GiveUp
                }
            }
            ProviderError::TooLarge { .. } | ProviderError::BadRequest { .. } => {
                if can_split {
                    Decision::Split
                } else {
                    Decision::GiveUp
                }
            }
            ProviderError::Auth { .. }
            | ProviderError::QuotaExhausted { .. }
            | ProviderError::Redirected { .. }
            | ProviderError::FormatRefused { .. }
            | ProviderError::UnknownModel { .. } => Decision::Stop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let policy = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        };
        let table = [
            (0, 0.0, 50),
            (0, 0.999_999, 100),
            (1, 0.0, 100),
            (2, 0.5, 300),
            (3, 0.0, 400),
            (4, 0.0, 500), // capped at 1 s
            (30, 1.0, 1000),
        ];
        for (attempt, random, millis) in table {
            let delay = policy.backoff(attempt, false, random);
            assert!(
                delay.as_millis().abs_diff(millis) <= 1,
                "attempt {attempt}: {delay:?}"
            );
        }
        assert!(policy.backoff(0, true, 0.0) >= Duration::from_millis(500));
    }

    #[test]
    fn no_wait_is_longer_than_max_wait() {
        let policy = RetryPolicy {
            max_retries: 30,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_wait: Duration::from_secs(2),
        };
        let errors = [
            ProviderError::Retryable {
                after: None,
                reason: String::new(),
            },
            ProviderError::RateLimited {
                after: Some(Duration::MAX),
                reason: String::new(),
            },
            ProviderError::Malformed {
                reason: String::new(),
            },
        ];
        for error in &errors {
            for attempt in 0..30 {
                if let Decision::Retry(wait) = policy.decide(error, attempt, 4, 0.999) {
                    assert!(
                        wait <= Duration::from_secs(2),
                        "{error:?} {attempt}: {wait:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn decisions() {
        let policy = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            max_wait: Duration::from_secs(60),
        };
        let retryable = ProviderError::Retryable {
            after: None,
            reason: String::new(),
        };
        let limited = |after| ProviderError::RateLimited {
            after: Some(Duration::from_secs(after)),
            reason: String::new(),
        };
        let malformed = ProviderError::Malformed {
            reason: String::new(),
        };
        let too_large = ProviderError::TooLarge {
            reason: String::new(),
        };
        let bad = ProviderError::BadRequest {
            reason: String::new(),
        };
        let auth = ProviderError::Auth {
            reason: String::new(),
        };
        let quota = ProviderError::QuotaExhausted {
            reason: String::new(),
        };
        let refused = ProviderError::FormatRefused {
            format: "json-schema".to_string(),
            reason: String::new(),
        };
        let unknown_model = ProviderError::UnknownModel {
            reason: String::new(),
        };
        let loading = ProviderError::Loading {
            after: Some(Duration::from_secs(2)),
            reason: String::new(),
        };
        let (limited_3, limited_600) = (limited(3), limited(600));
        let limited_forever = ProviderError::RateLimited {
            after: Some(Duration::MAX),
            reason: String::new(),
        };
        let table: Vec<(&ProviderError, u32, usize, Decision)> = vec![
            (&retryable, 0, 5, Decision::Retry(Duration::from_millis(50))),
            (
                &retryable,
                1,
                5,
                Decision::Retry(Duration::from_millis(100)),
            ),
            (&retryable, 2, 5, Decision::GiveUp),
            (&limited_3, 0, 5, Decision::Retry(Duration::from_secs(3))),
            (&limited_600, 0, 5, Decision::Retry(Duration::from_secs(60))),
            (&limited_3, 2, 5, Decision::GiveUp),
            (
                &limited_forever,
                0,
                5,
                Decision::Retry(Duration::from_secs(60)),
            ),
            (&malformed, 0, 4, Decision::Retry(Duration::from_millis(50))),
            (&malformed, 1, 4, Decision::Split),
            (&malformed, 1, 1, Decision::GiveUp),
            (&too_large, 0, 2, Decision::Split),
            (&too_large, 0, 1, Decision::GiveUp),
            (&bad, 0, 3, Decision::Split),
            (&bad, 0, 1, Decision::GiveUp),
            (&auth, 0, 3, Decision::Stop),
            (&quota, 0, 3, Decision::Stop),
            // a refused form or an unknown model fails every request alike: never retried
            (&refused, 0, 3, Decision::Stop),
            (&unknown_model, 0, 3, Decision::Stop),
            (&loading, 0, 3, Decision::Retry(Duration::from_secs(2))),
            (&loading, 2, 3, Decision::GiveUp),
        ];
        for (error, attempt, batch_len, expected) in table {
            assert_eq!(
                policy.decide(error, attempt, batch_len, 0.0),
                expected,
                "{error:?} attempt {attempt} batch {batch_len}"
            );
        }
    }
}
