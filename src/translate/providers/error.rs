//! The request-level error every provider returns, and the HTTP rules all endpoints share.
//!
//! A non-2xx answer is read once into a [`Failure`] (status, the body's human message and
//! machine codes, `Retry-After`); [`classify_status`] maps it onto a [`ProviderError`] by the
//! plain HTTP meaning of its status. Each provider file calls it after its own API's special
//! cases (DeepL 456, Google 403 `rateLimitExceeded`, …). Must not decide what happens next:
//! retrying, splitting and stopping belong to [`crate::translate::retry`].

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
    /// The answer is not what the API promises (not JSON, wrong number of items, prose,
    /// not UTF-8).
    #[error("unusable answer: {reason}")]
    Malformed { reason: String },
    /// The endpoint redirected the request away from its own scheme, host and port; it was
    /// not followed (the key would have gone along), and no other request will fare better.
    #[error("redirect refused: {reason}")]
    Redirected { reason: String },
    /// The server refuses the way the request asks for structured output (an `openai`
    /// endpoint's `response-format`): no request in that form can succeed.
    #[error("the server refuses `response-format = \"{format}\"`: {reason}")]
    FormatRefused { format: String, reason: String },
    /// The server does not know the model the endpoint names (404 `model_not_found`): no
    /// request can succeed until `model` changes.
    #[error("the server does not know the model: {reason}")]
    UnknownModel { reason: String },
    /// The server is up but still loading its model (503): a passing failure that may last
    /// minutes.
    #[error("the server is still loading its model: {reason}")]
    Loading {
        after: Option<Duration>,
        reason: String,
    },
}

/// The longest wait a `Retry-After` header is read as: a server asking for more gets this,
/// and the retry policy caps it further (`max-wait-secs`).
pub const RETRY_AFTER_CEILING: Duration = Duration::from_secs(24 * 60 * 60);

/// Parses `Retry-After`: delta-seconds or an HTTP date (see [`parse_retry_after`]).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

/// Reads a `Retry-After` value as a wait from `now`, defensively: delta-seconds are digits
/// (RFC 9110; a decimal fraction is tolerated), an HTTP date is taken as the time left until
/// it (none when it is past). Anything else — exponents (`1e300`), signs, `inf`, `NaN`,
/// garbage — is no `Retry-After` at all, and no value ever waits longer than
/// [`RETRY_AFTER_CEILING`]. Never panics, whatever the header holds.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if !whole.is_empty() && digits(whole) && digits(fraction) {
        // all digits: only an overflow can fail, and an overflow is "very long"
        let seconds = whole.parse::<u64>().unwrap_or(u64::MAX);
        let mut nanos = 0u32;
        for (place, digit) in fraction.bytes().take(9).enumerate() {
            nanos += u32::from(digit - b'0') * 10u32.pow(8 - place as u32);
        }
        let wait = if seconds >= RETRY_AFTER_CEILING.as_secs() {
            RETRY_AFTER_CEILING
        } else {
            Duration::new(seconds, nanos)
        };
        return Some(wait.min(RETRY_AFTER_CEILING));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(RETRY_AFTER_CEILING),
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

/// A non-2xx answer, read once for classification.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The HTTP status code.
    pub status: u16,
    /// `HTTP <status>: <message>`, the reason every error built from this answer carries.
    pub reason: String,
    /// The server's `Retry-After`, if it sent one.
    pub after: Option<Duration>,
    /// The human message of the body, lower-cased, for APIs that signal only in prose.
    message_lower: String,
    /// The machine codes of the body, lower-cased.
    codes: Vec<String>,
    /// The start of the whole body, lower-cased: some servers name the field they refuse only
    /// in a nested validation report, not in the message.
    body_lower: String,
}

/// How much of a failure's body [`Failure::body_mentions`] looks at.
const BODY_LOOKED_AT: usize = 4096;

impl Failure {
    /// Reads a non-2xx answer.
    pub fn read(status: StatusCode, headers: &HeaderMap, body: &str) -> Self {
        let message = error_message(body);
        Failure {
            status: status.as_u16(),
            reason: format!("HTTP {}: {message}", status.as_u16()),
            after: retry_after(headers),
            message_lower: message.to_ascii_lowercase(),
            codes: error_codes(body),
            body_lower: body
                .chars()
                .take(BODY_LOOKED_AT)
                .collect::<String>()
                .to_lowercase(),
        }
    }

    /// True when the body (its start, wherever in it) mentions one of `phrases` (lower-case).
    pub fn body_mentions(&self, phrases: &[&str]) -> bool {
        phrases
            .iter()
            .any(|phrase| self.body_lower.contains(phrase))
    }

    /// True when the body carries one of `wanted` (lower-case) among its machine codes.
    pub fn has_code(&self, wanted: &[&str]) -> bool {
        self.codes
            .iter()
            .any(|code| wanted.contains(&code.as_str()))
    }

    /// True when the body's message mentions one of `phrases` (lower-case).
    pub fn mentions(&self, phrases: &[&str]) -> bool {
        phrases
            .iter()
            .any(|phrase| self.message_lower.contains(phrase))
    }

    /// A passing failure: send again later.
    pub fn retryable(&self) -> ProviderError {
        ProviderError::Retryable {
            after: self.after,
            reason: self.reason.clone(),
        }
    }

    /// The server asks us to slow down.
    pub fn rate_limited(&self) -> ProviderError {
        ProviderError::RateLimited {
            after: self.after,
            reason: self.reason.clone(),
        }
    }

    /// The account's quota is spent.
    pub fn quota_exhausted(&self) -> ProviderError {
        ProviderError::QuotaExhausted {
            reason: self.reason.clone(),
        }
    }

    /// The key is missing, wrong or not allowed.
    pub fn auth(&self) -> ProviderError {
        ProviderError::Auth {
            reason: self.reason.clone(),
        }
    }

    /// The request is too big for the endpoint.
    pub fn too_large(&self) -> ProviderError {
        ProviderError::TooLarge {
            reason: self.reason.clone(),
        }
    }

    /// The request itself is wrong.
    pub fn bad_request(&self) -> ProviderError {
        ProviderError::BadRequest {
            reason: self.reason.clone(),
        }
    }

    /// The server refuses the request's structured-output form (`format` is filled in by
    /// the provider, which knows what it sent).
    pub fn format_refused(&self) -> ProviderError {
        ProviderError::FormatRefused {
            format: String::new(),
            reason: self.reason.clone(),
        }
    }

    /// The server does not know the model.
    pub fn unknown_model(&self) -> ProviderError {
        ProviderError::UnknownModel {
            reason: self.reason.clone(),
        }
    }

    /// The server is still loading its model.
    pub fn loading(&self) -> ProviderError {
        ProviderError::Loading {
            after: self.after,
            reason: self.reason.clone(),
        }
    }
}

/// Classifies a failure by the plain HTTP meaning of its status, for endpoints without
/// special cases and for what a provider's own rules leave over.
pub fn classify_status(failure: &Failure) -> ProviderError {
    match failure.status {
        401 | 403 | 407 => failure.auth(),
        408 | 425 => failure.retryable(),
        413 | 414 | 431 => failure.too_large(),
        429 => failure.rate_limited(),
        500..=599 => failure.retryable(),
        _ => failure.bad_request(),
    }
}

/// The table-driven check every provider's classification test uses.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Failure, ProviderError};
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    /// The kind of error, without its reason.
    #[derive(Debug, PartialEq)]
    pub enum Class {
        Retryable,
        RateLimited,
        Quota,
        Auth,
        Bad,
        TooLarge,
        FormatRefused,
        UnknownModel,
        Loading,
    }

    fn class_of(error: &ProviderError) -> Class {
        match error {
            ProviderError::Retryable { .. } => Class::Retryable,
            ProviderError::RateLimited { .. } => Class::RateLimited,
            ProviderError::QuotaExhausted { .. } => Class::Quota,
            ProviderError::Auth { .. } => Class::Auth,
            ProviderError::BadRequest { .. } => Class::Bad,
            ProviderError::TooLarge { .. } => Class::TooLarge,
            ProviderError::FormatRefused { .. } => Class::FormatRefused,
            ProviderError::UnknownModel { .. } => Class::UnknownModel,
            ProviderError::Loading { .. } => Class::Loading,
            ProviderError::Malformed { .. } => panic!("classification never says malformed"),
            ProviderError::Redirected { .. } => panic!("classification never says redirected"),
        }
    }

    /// Asserts that `classify` puts each `(status, body)` into its class.
    pub fn assert_classes(classify: fn(&Failure) -> ProviderError, table: &[(u16, &str, Class)]) {
        for (status, body, expected) in table {
            let failure = Failure::read(
                StatusCode::from_u16(*status).unwrap(),
                &HeaderMap::new(),
                body,
            );
            assert_eq!(&class_of(&classify(&failure)), expected, "{status} {body}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{Class, assert_classes};
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn headers(retry_after: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn statuses_keep_their_plain_http_meaning() {
        assert_classes(
            classify_status,
            &[
                (502, "<html>bad gateway</html>", Class::Retryable),
                (404, "not found", Class::Bad),
                (408, "", Class::Retryable),
                (401, "", Class::Auth),
                (403, "", Class::Auth),
                (413, "", Class::TooLarge),
                (429, "", Class::RateLimited),
                (503, "", Class::Retryable),
            ],
        );
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
        for hostile in [
            "1e300",
            "99999999999999999999",
            "99999999999999999999.5",
            "-1",
            "+5",
            "inf",
            "NaN",
            "1e-300",
            ".5",
            "5.",
            "0x10",
            "",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            let wait = parse_retry_after(hostile, SystemTime::now());
            assert!(
                wait.is_none_or(|wait| wait <= RETRY_AFTER_CEILING),
                "{hostile:?}: {wait:?}"
            );
        }
        assert_eq!(
            parse_retry_after("99999999999999999999", SystemTime::now()),
            Some(RETRY_AFTER_CEILING)
        );
        assert_eq!(parse_retry_after("1e300", SystemTime::now()), None);
        assert_eq!(
            parse_retry_after("5.", SystemTime::now()),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("2.123456789123", SystemTime::now()),
            Some(Duration::new(2, 123_456_789))
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&headers(Some(&future))).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        let classified = classify_status(&Failure::read(
            StatusCode::TOO_MANY_REQUESTS,
            &headers(Some("3")),
            "{}",
        ));
        assert_eq!(
            classified,
            ProviderError::RateLimited {
                after: Some(Duration::from_secs(3)),
                reason: "HTTP 429: {}".to_string()
            }
        );
    }
}
