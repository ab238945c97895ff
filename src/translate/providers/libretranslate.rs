//! LibreTranslate: `POST /translate` with `q` as an array and the key as `api_key` in the body.
//!
//! Reads `translatedText` (an array, one per text, in order). LibreTranslate answers 429
//! without `Retry-After` and counts every text of a batch against its limit, so the
//! orchestrator's own backoff and requests-per-second limit matter here. Must not retry.

use super::{BatchAnswer, BatchContext, Http, Provider, ProviderKind};
use crate::translate::retry::ProviderError;
use futures::future::BoxFuture;
use serde::Serialize;

/// Speaks LibreTranslate's `/translate`.
pub struct LibreTranslateProvider {
    http: Http,
}

#[derive(Serialize)]
struct Request<'a> {
    q: &'a [String],
    source: &'a str,
    target: &'a str,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

impl LibreTranslateProvider {
    pub(crate) fn new(http: Http) -> Self {
        LibreTranslateProvider { http }
    }

    async fn call(
        &self,
        texts: &[String],
        context: &BatchContext,
    ) -> Result<BatchAnswer, ProviderError> {
        let body = Request {
            q: texts,
            source: primary(&context.source_lang),
            target: primary(&context.target_lang),
            // html mode keeps tags (re-serialised: `<x id="1"/>` may come back as `<x id="1"></x>`)
            format: if context.xml_placeholders {
                "html"
            } else {
                "text"
            },
            api_key: self.http.key.as_ref().map(|key| key.expose()),
        };
        let request = self.http.client.post(self.http.url.clone()).json(&body);
        let body = self
            .http
            .send_expecting_success(request, ProviderKind::Libretranslate)
            .await?;
        parse_answer(&body, texts.len())
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

/// LibreTranslate knows languages by their primary code (`id`, `en`).
fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

impl Provider for LibreTranslateProvider {
    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        context: &'a BatchContext,
    ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>> {
        Box::pin(self.call(texts, context))
    }
}
