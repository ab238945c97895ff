//! DeepL API v2: `POST /v2/translate` with `Authorization: DeepL-Auth-Key <key>`.
//!
//! Sends `{"text": [...], "source_lang": "ID", "target_lang": "EN-US"}` (plus
//! `tag_handling=xml` and `ignore_tags=["x"]` when the texts carry placeholder tags) and reads
//! `translations[].text`, in order. 456 (quota) is fatal; 429/529 are rate limits
//! ([`classify`]). Must not retry or split: the orchestrator does.

use super::{
    Batch, BatchAnswer, EndpointConfig, EndpointSpec, EndpointSpecError, Failure, Http, HttpApi,
    ProviderError, primary_subtag,
};
use crate::translate::is_language_tag;
use serde::{Deserialize, Serialize};

/// The DeepL target code of an endpoint: its `target-lang` if set, else the project's target
/// language upper-cased, with the deprecated bare `EN` read as `EN-US`.
pub fn target_lang(endpoint: &EndpointConfig, project_target: &str) -> String {
    resolve_target(endpoint.target_lang.as_deref(), project_target)
}

fn resolve_target(configured: Option<&str>, project_target: &str) -> String {
    let code = configured.unwrap_or(project_target).to_ascii_uppercase();
    if code == "EN" {
        "EN-US".to_string()
    } else {
        code
    }
}

/// Checks and applies the setting only this API has: the target variant (`EN-GB`).
pub(super) fn apply_spec(
    endpoint: &mut EndpointConfig,
    spec: EndpointSpec,
) -> Result<(), EndpointSpecError> {
    if let Some(target) = spec.target_lang {
        if !is_language_tag(&target) {
            return Err(EndpointSpecError::new(
                "target-lang",
                format!("{target:?} is not a language code such as \"EN-GB\""),
            ));
        }
        endpoint.target_lang = Some(target);
    }
    Ok(())
}

/// Speaks DeepL's `/v2/translate`.
pub struct Deepl {
    target_lang: Option<String>,
}

#[derive(Serialize)]
struct Request<'a> {
    text: &'a [String],
    source_lang: String,
    target_lang: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag_handling: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ignore_tags: Option<[&'static str; 1]>,
}

#[derive(Deserialize)]
struct Response {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    text: String,
}

impl Deepl {
    pub(crate) fn new(endpoint: &EndpointConfig) -> Self {
        Deepl {
            target_lang: endpoint.target_lang.clone(),
        }
    }
}

impl HttpApi for Deepl {
    const CLASSIFY: fn(&Failure) -> ProviderError = classify;

    fn request(&self, http: &Http, batch: Batch<'_>) -> reqwest::RequestBuilder {
        let Batch { texts, context } = batch;
        let target = resolve_target(self.target_lang.as_deref(), &context.target_lang);
        let body = Request {
            text: texts,
            // always set: DeepL needs it whenever a glossary is used, and guessing wastes nothing
            source_lang: primary_subtag(&context.source_lang).to_ascii_uppercase(),
            target_lang: target,
            tag_handling: context.xml_placeholders.then_some("xml"),
            ignore_tags: context.xml_placeholders.then_some(["x"]),
        };
        let mut request = http.client.post(http.url.clone()).json(&body);
        if let Some(key) = &http.key {
            request = request.header(
                reqwest::header::AUTHORIZATION,
                format!("DeepL-Auth-Key {}", key.expose()),
            );
        }
        request
    }

    fn parse(&self, body: &str, batch: Batch<'_>) -> Result<BatchAnswer, ProviderError> {
        let texts = batch.texts;
        parse_answer(body, texts.len())
    }
}

/// Reads the 2xx body of a `/v2/translate` answer to `sent` texts: `translations[].text`, in
/// order, exactly one per text.
pub fn parse_answer(body: &str, sent: usize) -> Result<BatchAnswer, ProviderError> {
    let answer: Response = super::parse_typed(body, "DeepL")?;
    super::expect_count(
        answer
            .translations
            .into_iter()
            .map(|item| item.text)
            .collect(),
        sent,
    )
}

/// How DeepL's failures map onto [`ProviderError`]: 456 is a spent quota, 529 ("too many
/// requests") a rate limit; the rest keeps its HTTP meaning.
pub fn classify(failure: &Failure) -> ProviderError {
    match failure.status {
        456 => failure.quota_exhausted(),
        529 => failure.rate_limited(),
        _ => super::classify_status(failure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::providers::ProviderKind;
    use crate::translate::providers::error::test_support::{Class, assert_classes};

    #[test]
    fn failures_follow_the_deepl_api() {
        assert_classes(
            classify,
            &[
                (456, r#"{"message":"Quota Exceeded"}"#, Class::Quota),
                (
                    429,
                    r#"{"message":"Too many requests"}"#,
                    Class::RateLimited,
                ),
                (
                    529,
                    r#"{"message":"Too many requests"}"#,
                    Class::RateLimited,
                ),
                (403, r#"{"message":"Wrong endpoint"}"#, Class::Auth),
                (
                    413,
                    r#"{"message":"Request Entity Too Large"}"#,
                    Class::TooLarge,
                ),
                (
                    400,
                    r#"{"message":"Value for 'target_lang' not supported."}"#,
                    Class::Bad,
                ),
                (500, "", Class::Retryable),
                (504, "", Class::Retryable),
            ],
        );
    }

    #[test]
    fn target_codes() {
        let mut endpoint = EndpointConfig::defaults("d", ProviderKind::Deepl);
        assert_eq!(target_lang(&endpoint, "en"), "EN-US");
        assert_eq!(target_lang(&endpoint, "en-GB"), "EN-GB");
        endpoint.target_lang = Some("en-gb".to_string());
        assert_eq!(target_lang(&endpoint, "en"), "EN-GB");
    }
}
