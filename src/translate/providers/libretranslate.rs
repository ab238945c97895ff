//! LibreTranslate: `POST /translate` with `q` as an array and the key as `api_key` in the body.
//!
//! Reads `translatedText` (an array, one per text, in order). LibreTranslate answers 429
//! without `Retry-After` and counts every text of a batch against its limit, so the
//! orchestrator's own backoff and requests-per-second limit matter here. Must not retry.

use super::{Batch, BatchAnswer, Failure, Http, HttpApi, ProviderError, primary_subtag};
use serde::Serialize;

/// Speaks LibreTranslate's `/translate`.
pub struct LibreTranslate;

#[derive(Serialize)]
struct Request<'a> {
    q: &'a [String],
    source: &'a str,
    target: &'a str,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

impl HttpApi for LibreTranslate {
    const CLASSIFY: fn(&Failure) -> ProviderError = classify;

    fn request(&self, http: &Http, batch: Batch<'_>) -> reqwest::RequestBuilder {
        let Batch { texts, context } = batch;
        let body = Request {
            q: texts,
            source: primary_subtag(&context.source_lang),
            target: primary_subtag(&context.target_lang),
            // html mode keeps tags (re-serialised: `<x id="1"/>` may come back as `<x id="1"></x>`)
            format: context.text_format(),
            api_key: http.key.as_ref().map(|key| key.expose()),
        };
        http.client.post(http.url.clone()).json(&body)
    }

    fn parse(&self, body: &str, batch: Batch<'_>) -> Result<BatchAnswer, ProviderError> {
        let texts = batch.texts;
        parse_answer(body, texts.len())
    }
}

/// Reads the 2xx body of a `/translate` answer to `sent` texts: `translatedText`, an array of
/// strings in order (or one string when one text was sent), exactly one per text.
pub fn parse_answer(body: &str, sent: usize) -> Result<BatchAnswer, ProviderError> {
    let json = super::parse_json_body(body)?;
    let translated = match json.get("translatedText") {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>(),
        Some(serde_json::Value::String(text)) if sent == 1 => Some(vec![text.clone()]),
        _ => None,
    };
    let translated = translated.ok_or_else(|| ProviderError::Malformed {
        reason: "the answer has no `translatedText` array of strings".to_string(),
    })?;
    super::expect_count(translated, sent)
}

/// How LibreTranslate's failures map onto [`ProviderError`]: it signals only in prose, so a
/// 400 about a text or character limit is too large a batch, one about an API key a refused
/// key, and a 403 about limits a flood ban (waiting is the only cure); the rest keeps its
/// HTTP meaning.
pub fn classify(failure: &Failure) -> ProviderError {
    match failure.status {
        400 if failure.mentions(&["exceeds text limit", "exceeds character limit"]) => {
            failure.too_large()
        }
        400 if failure.mentions(&["api key"]) => failure.auth(),
        403 if failure.mentions(&["limit"]) => failure.rate_limited(),
        _ => super::classify_status(failure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::providers::error::test_support::{Class, assert_classes};

    #[test]
    fn failures_follow_the_libretranslate_api() {
        assert_classes(
            classify,
            &[
                (
                    429,
                    r#"{"error":"Slowdown: 30 per 1 minute"}"#,
                    Class::RateLimited,
                ),
                (403, r#"{"error":"Invalid API key"}"#, Class::Auth),
                (
                    403,
                    r#"{"error":"Too many request limits violations"}"#,
                    Class::RateLimited,
                ),
                (
                    400,
                    r#"{"error":"Please contact the server operator to get an API key"}"#,
                    Class::Auth,
                ),
                (
                    400,
                    r#"{"error":"Invalid request: request (6) exceeds text limit (5)"}"#,
                    Class::TooLarge,
                ),
                (400, r#"{"error":"xx is not supported"}"#, Class::Bad),
                (
                    500,
                    r#"{"error":"Cannot translate text: boom"}"#,
                    Class::Retryable,
                ),
            ],
        );
    }
}
