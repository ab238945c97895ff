//! Fuzz what selaras reads from a hostile server's headers: `Retry-After` (delta-seconds,
//! HTTP dates and garbage), the failure classification built on it for every endpoint kind,
//! the retry decision taken from it, and the redaction of URLs shown in messages. No input
//! panics, no wait exceeds the ceilings, and no credential of a URL is ever shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use selaras::translate::providers::{
    ProviderError, ProviderKind, RETRY_AFTER_CEILING, classify, parse_retry_after, retry_after,
};
use selaras::translate::retry::{Decision, RetryPolicy};
use selaras::translate::secret::{is_credential_parameter, redact_url, redact_url_text};
use std::time::{Duration, SystemTime};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if let Ok(value) = std::str::from_utf8(rest)
        && !value.contains("S3CRET")
    {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(selector) << 24);
        if let Some(wait) = parse_retry_after(value, now) {
            assert!(wait <= RETRY_AFTER_CEILING, "{value:?}: {wait:?}");
        }
        // the same text as a URL (or not one) with credentials around it
        let url = format!("http://user:S3CRETPW@h/{value}?token=S3CRETTK&q={value}");
        let shown = redact_url_text(&url);
        assert!(!shown.contains("S3CRETPW"), "{shown}");
        if let Ok(parsed) = url::Url::parse(&url) {
            // the contract: no user info, and every credential-named parameter redacted
            let shown = url::Url::parse(&redact_url(&parsed)).expect("a redacted URL parses");
            assert!(!shown.as_str().contains("S3CRETPW"), "{shown}");
            for (name, value) in shown.query_pairs() {
                if is_credential_parameter(&name) {
                    assert_eq!(value, "[redacted]", "{shown}");
                }
            }
        }
    }
    let Ok(value) = HeaderValue::from_bytes(rest) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, value);
    if let Some(wait) = retry_after(&headers) {
        assert!(wait <= RETRY_AFTER_CEILING);
    }
    let policy = RetryPolicy {
        max_retries: 20,
        max_wait: Duration::from_secs(u64::from(selector) + 1),
        ..RetryPolicy::default()
    };
    for kind in [
        ProviderKind::Deepl,
        ProviderKind::Libretranslate,
        ProviderKind::Google,
        ProviderKind::Openai,
        ProviderKind::Template,
    ] {
        for status in [429u16, 503, 529, 403] {
            let status = reqwest::StatusCode::from_u16(status).unwrap();
            let error = classify(kind, status, &headers, "{}");
            for attempt in [0, 1, 19] {
                if let Decision::Retry(wait) = policy.decide(&error, attempt, 2, 0.999) {
                    assert!(wait <= policy.max_wait, "{error:?}: {wait:?}");
                }
            }
            if let ProviderError::RateLimited { after: Some(after), .. }
            | ProviderError::Retryable { after: Some(after), .. } = error
            {
                assert!(after <= RETRY_AFTER_CEILING);
            }
        }
    }
});
