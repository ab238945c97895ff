//! Google Cloud Translation Basic (v2): `POST …/language/translate/v2?key=KEY` with repeated
//! `q` form fields.
//!
//! Sends `q=…&q=…&source=id&target=en&format=text` (`format` defaults to `html` at Google, so
//! it is always set) and reads `data.translations[].translatedText`. A 403 with reason
//! `rateLimitExceeded`/`userRateLimitExceeded` is a rate limit, not an auth failure. The key
//! travels in the URL, so every message shows the URL redacted. Must not retry.

use super::{Batch, BatchAnswer, Failure, Http, HttpApi, ProviderError};
use serde::Deserialize;

/// Speaks Google's `/language/translate/v2`.
pub struct Google;

#[derive(Deserialize)]
struct Response {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Translation {
    translated_text: String,
}

impl HttpApi for Google {
    const CLASSIFY: fn(&Failure) -> ProviderError = classify;

    fn request(&self, http: &Http, batch: Batch<'_>) -> reqwest::RequestBuilder {
        let Batch { texts, context } = batch;
        let mut url = http.url.clone();
        if let Some(key) = &http.key {
            url.query_pairs_mut().append_pair("key", key.expose());
        }
        let mut form: Vec<(&str, &str)> = texts.iter().map(|text| ("q", text.as_str())).collect();
        form.push(("source", &context.source_lang));
        form.push(("target", &context.target_lang));
        form.push(("format", context.text_format()));
        http.client.post(url).form(&form)
    }

    fn parse(&self, body: &str, batch: Batch<'_>) -> Result<BatchAnswer, ProviderError> {
        let Batch { texts, context } = batch;
        parse_answer(body, texts.len(), context.xml_placeholders)
    }
}

/// Reads the 2xx body of a `translate/v2` answer to `sent` texts:
/// `data.translations[].translatedText`, in order, exactly one per text. `html`: the request
/// was `format=html`, whose answers carry entities (`&#39;`) to decode.
pub fn parse_answer(body: &str, sent: usize, html: bool) -> Result<BatchAnswer, ProviderError> {
    let answer: Response = super::parse_typed(body, "Google Translate")?;
    let translations = answer
        .data
        .translations
        .into_iter()
        .map(|item| {
            if html {
                quick_xml::escape::unescape(&item.translated_text)
                    .map(|text| text.into_owned())
                    .unwrap_or(item.translated_text)
            } else {
                item.translated_text
            }
        })
        .collect();
    super::expect_count(translations, sent)
}

/// How Google's failures map onto [`ProviderError`]: a 403 or 429 naming
/// `dailyLimitExceeded`/`quotaExceeded` is a spent quota, one naming a rate limit (and every
/// 429) a rate limit, a 400 `keyInvalid` a refused key; the rest keeps its HTTP meaning.
pub fn classify(failure: &Failure) -> ProviderError {
    match failure.status {
        403 | 429 if failure.has_code(&["dailylimitexceeded", "quotaexceeded"]) => {
            failure.quota_exhausted()
        }
        403 | 429
            if failure.status == 429
                || failure.has_code(&["ratelimitexceeded", "userratelimitexceeded"]) =>
        {
            failure.rate_limited()
        }
        400 if failure.has_code(&["keyinvalid"]) => failure.auth(),
        _ => super::classify_status(failure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::providers::error::test_support::{Class, assert_classes};

    #[test]
    fn failures_follow_the_google_api() {
        assert_classes(
            classify,
            &[
                (
                    403,
                    r#"{"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"message":"Rate Limit Exceeded","domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"PERMISSION_DENIED"}}"#,
                    Class::RateLimited,
                ),
                (
                    403,
                    r#"{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}]}}"#,
                    Class::RateLimited,
                ),
                (
                    403,
                    r#"{"error":{"code":403,"message":"Daily Limit Exceeded","errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded"}]}}"#,
                    Class::Quota,
                ),
                (
                    403,
                    r#"{"error":{"code":403,"message":"The request is missing a valid API key.","status":"PERMISSION_DENIED"}}"#,
                    Class::Auth,
                ),
                (
                    400,
                    r#"{"error":{"code":400,"message":"API key not valid.","errors":[{"domain":"global","reason":"keyInvalid"}]}}"#,
                    Class::Auth,
                ),
                (
                    429,
                    r#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}"#,
                    Class::RateLimited,
                ),
            ],
        );
    }
}
