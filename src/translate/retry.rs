//! Request-level errors, how each API's failures map onto them, and what to do next.
//!
//! [`classify`] turns a non-2xx answer of any endpoint kind into a [`ProviderError`] (DeepL 456
//! is a spent quota, Google 403 `rateLimitExceeded` a rate limit, OpenAI 429
//! `insufficient_quota` a spent quota, …). [`RetryPolicy::decide`] says whether a failed
//! request is retried (after how long: exponential backoff with jitter, never sooner than
//! `Retry-After`), split, given up for its segments, or ends the whole run. Must not sleep,
//! send or print: the orchestrator acts on the decision.

use super::providers::ProviderKind;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// Why a request failed, as far as what to do next is concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// A passing failure: timeout, dropped connection, 5xx, a model still loading.
    #[error("{reason}")]
    Retryable {
        after: Option<Duration>,
        reason: String,
    },
    /// The server asks us to slow down (429, 529, Google 403 `rateLimitExceeded`).
    #[error("rate limited: {reason}")]
    RateLimited {
        after: Option<Duration>,
        reason: String,
    },
    /// The account's quota is spent (DeepL 456, OpenAI `insufficient_quota`, Google
    /// `dailyLimitExceeded`): nothing more can be sent today.
    #[error("quota exhausted: {reason}")]
    QuotaExhausted { reason: String },
    /// The key is missing, wrong or not allowed.
    #[error("the endpoint refused the API key ({reason}); check your key")]
    Auth { reason: String },
    /// The request itself is wrong (unsupported language, one text too long, …).
    #[error("bad request: {reason}")]
    BadRequest { reason: String },
    /// The request is too big for the endpoint (413, a batch or context limit): split it.
    #[error("request too large: {reason}")]
    TooLarge { reason: String },
    /// The answer is not what the API promises (not JSON, wrong number of items, prose).
    #[error("unusable answer: {reason}")]
    Malformed { reason: String },
}

/// What to do after a failed request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Send the same batch again after this delay.
    Retry(Duration),
    /// Send each half of the batch on its own.
    Split,
    /// Give up on the segments of this batch; the run goes on.
    GiveUp,
    /// Stop the whole run: nothing else can succeed (bad key, spent quota).
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
    /// The longest `Retry-After` honoured; a server asking for longer gets this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

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
            ProviderError::Retryable { after, .. } | ProviderError::RateLimited { after, .. } => {
                if attempt >= self.max_retries {
                    return Decision::GiveUp;
                }
                let rate_limited = matches!(error, ProviderError::RateLimited { .. });
                let backoff = self.backoff(attempt, rate_limited, random);
                let delay = match after {
                    Some(after) => (*after).min(self.max_retry_after).max(backoff.min(*after)),
                    None => backoff,
                };
                Decision::Retry(delay)
            }
            ProviderError::Malformed { .. } => {
                if attempt < MALFORMED_RETRIES.min(self.max_retries) {
                    Decision::Retry(self.backoff(attempt, false, random))
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
            ProviderError::Auth { .. } | ProviderError::QuotaExhausted { .. } => Decision::Stop,
        }
    }
}

/// Parses `Retry-After`: delta-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The first characters of a body, for messages.
pub fn snippet(body: &str) -> String {
    const LIMIT: usize = 200;
    let body = body.trim();
    match body.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_string(),
    }
}

/// The human message of an error body in any of the shapes the endpoints use:
/// `{"error": {"message": …}}` (OpenAI, llama.cpp, Google), `{"error": "…"}` (LibreTranslate),
/// `{"message": …}` (DeepL, old vLLM), or the body itself.
pub fn error_message(body: &str) -> String {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
        return snippet(body);
    };
    let text = json
        .pointer("/error/message")
        .or_else(|| json.get("error").filter(|value| value.is_string()))
        .or_else(|| json.get("message"))
        .or_else(|| json.get("detail"))
        .and_then(|value| value.as_str());
    match text {
        Some(text) => snippet(text),
        None => snippet(body),
    }
}

/// The machine-readable codes an error body carries (`error.code`, `error.type`, Google's
/// `error.errors[].reason`, DeepL's `code`), lower-cased.
fn error_codes(body: &str) -> Vec<String> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let mut codes = Vec::new();
    for pointer in [
        "/error/code",
        "/error/type",
        "/error/status",
        "/code",
        "/type",
    ] {
        if let Some(code) = json.pointer(pointer).and_then(|value| value.as_str()) {
            codes.push(code.to_ascii_lowercase());
        }
    }
    if let Some(errors) = json
        .pointer("/error/errors")
        .and_then(|value| value.as_array())
    {
        for error in errors {
            if let Some(reason) = error.get("reason").and_then(|value| value.as_str()) {
                codes.push(reason.to_ascii_lowercase());
            }
        }
    }
    codes
}

/// Classifies a non-2xx answer of an endpoint of `kind`.
pub fn classify(
    kind: ProviderKind,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
) -> ProviderError {
    let message = error_message(body);
    let codes = error_codes(body);
    let has_code = |wanted: &[&str]| codes.iter().any(|code| wanted.contains(&code.as_str()));
    let lower = message.to_ascii_lowercase();
    let reason = format!("HTTP {}: {message}", status.as_u16());
    let after = retry_after(headers);
    let code = status.as_u16();

    // Kind-specific signals first.
    match kind {
        ProviderKind::Deepl if code == 456 => return ProviderError::QuotaExhausted { reason },
        ProviderKind::Deepl if code == 529 => return ProviderError::RateLimited { after, reason },
        ProviderKind::Google if code == 403 || code == 429 => {
            if has_code(&["dailylimitexceeded", "quotaexceeded"]) {
                return ProviderError::QuotaExhausted { reason };
            }
            if code == 429 || has_code(&["ratelimitexceeded", "userratelimitexceeded"]) {
                return ProviderError::RateLimited { after, reason };
            }
        }
        ProviderKind::Google if code == 400 && has_code(&["keyinvalid"]) => {
            return ProviderError::Auth { reason };
        }
        ProviderKind::Openai if code == 429 && has_code(&["insufficient_quota"]) => {
            return ProviderError::QuotaExhausted { reason };
        }
        ProviderKind::Openai
            if code == 400
                && (has_code(&["context_length_exceeded"])
                    || lower.contains("context length")
                    || lower.contains("context size")
                    || lower.contains("maximum context")) =>
        {
            return ProviderError::TooLarge { reason };
        }
        ProviderKind::Libretranslate if code == 400 => {
            if lower.contains("exceeds text limit") || lower.contains("exceeds character limit") {
                return ProviderError::TooLarge { reason };
            }
            if lower.contains("api key") {
                return ProviderError::Auth { reason };
            }
        }
        ProviderKind::Libretranslate if code == 403 && lower.contains("limit") => {
            // a flood ban ("Too many request limits violations"): waiting is the only cure
            return ProviderError::RateLimited { after, reason };
        }
        _ => {}
    }

    match code {
        401 | 403 | 407 => ProviderError::Auth { reason },
        408 | 425 => ProviderError::Retryable { after, reason },
        413 | 414 | 431 => ProviderError::TooLarge { reason },
        429 => ProviderError::RateLimited { after, reason },
        500..=599 => ProviderError::Retryable { after, reason },
        _ => ProviderError::BadRequest { reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn headers(retry_after: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[derive(Debug, PartialEq)]
    enum Class {
        Retryable,
        RateLimited,
        Quota,
        Auth,
        Bad,
        TooLarge,
    }

    fn class_of(error: &ProviderError) -> Class {
        match error {
            ProviderError::Retryable { .. } => Class::Retryable,
            ProviderError::RateLimited { .. } => Class::RateLimited,
            ProviderError::QuotaExhausted { .. } => Class::Quota,
            ProviderError::Auth { .. } => Class::Auth,
            ProviderError::BadRequest { .. } => Class::Bad,
            ProviderError::TooLarge { .. } => Class::TooLarge,
            ProviderError::Malformed { .. } => panic!("classify never says malformed"),
        }
    }

    #[test]
    fn classification_follows_each_api() {
        use ProviderKind::*;
        let table: &[(ProviderKind, u16, &str, Class)] = &[
            (Deepl, 456, r#"{"message":"Quota Exceeded"}"#, Class::Quota),
            (
                Deepl,
                429,
                r#"{"message":"Too many requests"}"#,
                Class::RateLimited,
            ),
            (
                Deepl,
                529,
                r#"{"message":"Too many requests"}"#,
                Class::RateLimited,
            ),
            (Deepl, 403, r#"{"message":"Wrong endpoint"}"#, Class::Auth),
            (
                Deepl,
                413,
                r#"{"message":"Request Entity Too Large"}"#,
                Class::TooLarge,
            ),
            (
                Deepl,
                400,
                r#"{"message":"Value for 'target_lang' not supported."}"#,
                Class::Bad,
            ),
            (Deepl, 500, "", Class::Retryable),
            (Deepl, 504, "", Class::Retryable),
            (
                Google,
                403,
                r#"{"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"message":"Rate Limit Exceeded","domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"PERMISSION_DENIED"}}"#,
                Class::RateLimited,
            ),
            (
                Google,
                403,
                r#"{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}]}}"#,
                Class::RateLimited,
            ),
            (
                Google,
                403,
                r#"{"error":{"code":403,"message":"Daily Limit Exceeded","errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded"}]}}"#,
                Class::Quota,
            ),
            (
                Google,
                403,
                r#"{"error":{"code":403,"message":"The request is missing a valid API key.","status":"PERMISSION_DENIED"}}"#,
                Class::Auth,
            ),
            (
                Google,
                400,
                r#"{"error":{"code":400,"message":"API key not valid.","errors":[{"domain":"global","reason":"keyInvalid"}]}}"#,
                Class::Auth,
            ),
            (
                Google,
                429,
                r#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}"#,
                Class::RateLimited,
            ),
            (
                Libretranslate,
                429,
                r#"{"error":"Slowdown: 30 per 1 minute"}"#,
                Class::RateLimited,
            ),
            (
                Libretranslate,
                403,
                r#"{"error":"Invalid API key"}"#,
                Class::Auth,
            ),
            (
                Libretranslate,
                403,
                r#"{"error":"Too many request limits violations"}"#,
                Class::RateLimited,
            ),
            (
                Libretranslate,
                400,
                r#"{"error":"Please contact the server operator to get an API key"}"#,
                Class::Auth,
            ),
            (
                Libretranslate,
                400,
                r#"{"error":"Invalid request: request (6) exceeds text limit (5)"}"#,
                Class::TooLarge,
            ),
            (
                Libretranslate,
                400,
                r#"{"error":"xx is not supported"}"#,
                Class::Bad,
            ),
            (
                Libretranslate,
                500,
                r#"{"error":"Cannot translate text: boom"}"#,
                Class::Retryable,
            ),
            (
                Openai,
                429,
                r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
                Class::RateLimited,
            ),
            (
                Openai,
                429,
                r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
                Class::Quota,
            ),
            (
                Openai,
                503,
                r#"{"error":{"message":"Loading model","type":"unavailable_error","code":503}}"#,
                Class::Retryable,
            ),
            (
                Openai,
                400,
                r#"{"object":"error","message":"This model's maximum context length is 4096 tokens","type":"BadRequestError","param":null,"code":400}"#,
                Class::TooLarge,
            ),
            (
                Openai,
                400,
                r#"{"error":{"code":400,"message":"'messages' is required","type":"invalid_request_error"}}"#,
                Class::Bad,
            ),
            (
                Openai,
                401,
                r#"{"error":{"message":"Incorrect API key provided"}}"#,
                Class::Auth,
            ),
            (Template, 502, "<html>bad gateway</html>", Class::Retryable),
            (Template, 404, "not found", Class::Bad),
            (Template, 408, "", Class::Retryable),
        ];
        for (kind, status, body, expected) in table {
            let error = classify(
                *kind,
                StatusCode::from_u16(*status).unwrap(),
                &HeaderMap::new(),
                body,
            );
            assert_eq!(&class_of(&error), expected, "{kind:?} {status} {body}");
        }
    }

    #[test]
    fn error_messages_of_every_shape() {
        let table = [
            (r#"{"error":{"message":"a","type":"x"}}"#, "a"),
            (r#"{"error":"b"}"#, "b"),
            (r#"{"message":"c","code":"quota"}"#, "c"),
            (r#"{"object":"error","message":"d","code":400}"#, "d"),
            ("plain text", "plain text"),
        ];
        for (body, expected) in table {
            assert_eq!(error_message(body), expected, "{body}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(Some("7"))),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(Some("0.5"))),
            Some(Duration::from_millis(500))
        );
        assert_eq!(retry_after(&headers(None)), None);
        assert_eq!(retry_after(&headers(Some("soon"))), None);
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(retry_after(&headers(Some(&past))), Some(Duration::ZERO));
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&headers(Some(&future))).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        let classified = classify(
            ProviderKind::Openai,
            StatusCode::TOO_MANY_REQUESTS,
            &headers(Some("3")),
            "{}",
        );
        assert_eq!(
            classified,
            ProviderError::RateLimited {
                after: Some(Duration::from_secs(3)),
                reason: "HTTP 429: {}".to_string()
            }
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let policy = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
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
    fn decisions() {
        let policy = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
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
        let (limited_3, limited_600) = (limited(3), limited(600));
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
            (&malformed, 0, 4, Decision::Retry(Duration::from_millis(50))),
            (&malformed, 1, 4, Decision::Split),
            (&malformed, 1, 1, Decision::GiveUp),
            (&too_large, 0, 2, Decision::Split),
            (&too_large, 0, 1, Decision::GiveUp),
            (&bad, 0, 3, Decision::Split),
            (&bad, 0, 1, Decision::GiveUp),
            (&auth, 0, 3, Decision::Stop),
            (&quota, 0, 3, Decision::Stop),
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
