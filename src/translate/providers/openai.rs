//! OpenAI-compatible chat completions (OpenAI, vLLM, llama.cpp `llama-server`, Ollama):
//! `POST …/v1/chat/completions`, several segments per request as JSON with explicit ids.
//!
//! The system prompt asks for news translation and, when a later stage passes them, for the
//! glossary's approved renderings and for placeholder tags kept verbatim. The user message is
//! `{"segments":[{"id":1,"text":"…"}]}`; the answer must be exactly
//! `{"translations":[{"id":1,"text":"…"}]}` (a Markdown code fence around it is tolerated,
//! prose is not), with the same set of ids, none twice, none empty. Translations are matched
//! to segments by id, never by position. `max_tokens` is always sent: a local model without it
//! can generate until its context is full.
//!
//! The answer is asked for in the endpoint's `response-format` ([`ResponseFormat`]); with
//! `auto`, a form the server refuses is stepped down from at once, within the same call
//! ([`Negotiation`]). Apart from that, must not retry or split.

use super::response_format::{Negotiation, Next, Refusal, ResponseFormat, ResponseFormatSetting};
use super::{
    BatchAnswer, BatchContext, EndpointConfig, EndpointSpec, EndpointSpecError, Failure, Http,
    Provider, ProviderError, snippet,
};
use futures::future::BoxFuture;
use serde_json::{Value, json};

/// Part of the cache key: change it whenever the prompt or the answer format changes, so old
/// answers are not reused for a different request. The `response-format` is not part of it:
/// every form carries the same prompt and is read the same way.
pub const PROMPT_VERSION: &str = "openai-news-1";

/// Speaks `/v1/chat/completions`, negotiating the `response_format` the server takes.
pub struct OpenAi {
    http: Http,
    model: String,
    temperature: f64,
    negotiation: Negotiation,
}

impl OpenAi {
    pub(crate) fn new(endpoint: &EndpointConfig, http: Http) -> Self {
        OpenAi {
            http,
            model: endpoint.model.clone().unwrap_or_default(),
            temperature: endpoint.temperature,
            negotiation: Negotiation::new(endpoint.response_format),
        }
    }

    fn request(
        &self,
        form: ResponseFormat,
        texts: &[String],
        context: &BatchContext,
    ) -> reqwest::RequestBuilder {
        let body = request_body(&self.model, self.temperature, form, texts, context);
        let mut request = self.http.client.post(self.http.url.clone()).json(&body);
        if let Some(key) = &self.http.key {
            request = request.bearer_auth(key.expose());
        }
        request
    }
}

impl Provider for OpenAi {
    /// Sends the batch in the current form; when the server refuses the form and the setting
    /// is `auto`, sends it again at once in the next looser form (at most four sends, see
    /// [`Negotiation::refused`]): a refusal is not a passing failure for the retry policy.
    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        context: &'a BatchContext,
    ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>> {
        Box::pin(async move {
            loop {
                let form = self.negotiation.current();
                let response = self.http.send(self.request(form, texts, context)).await?;
                if response.status.is_success() {
                    // the server took the form, whatever the model made of it
                    self.negotiation.accepted();
                    let json = super::parse_json_body(&response.body)?;
                    return parse_answer(&json, texts.len());
                }
                let failure = Failure::read(response.status, &response.headers, &response.body);
                let error = classify(&failure);
                let refusal = match &error {
                    ProviderError::FormatRefused { .. } => Refusal::Named,
                    ProviderError::BadRequest { .. } if matches!(failure.status, 400 | 422) => {
                        Refusal::Unexplained
                    }
                    _ => Refusal::Unrelated,
                };
                if self.negotiation.refused(form, refusal) == Next::Fail {
                    return Err(match error {
                        // nothing was asked for: the server cannot be refusing a format
                        ProviderError::FormatRefused { .. } if form == ResponseFormat::None => {
                            failure.bad_request()
                        }
                        ProviderError::FormatRefused { reason, .. } => {
                            ProviderError::FormatRefused {
                                format: form.as_str().to_string(),
                                reason,
                            }
                        }
                        other => other,
                    });
                }
            }
        })
    }

    fn format_negotiation(&self) -> Option<&Negotiation> {
        Some(&self.negotiation)
    }
}

/// How an OpenAI-compatible server's failures map onto [`ProviderError`]: a 429
/// `insufficient_quota` is a spent quota; a context limit (OpenAI `context_length_exceeded`,
/// llama.cpp `exceed_context_size_error`, vLLM's and llama-cpp-python's prose) too large a
/// batch; `model_not_found` (or a 404 about the model) an unknown model; a 503 about loading a
/// model still loading; a 400, 422 or 500 naming `response_format`, `json_schema`, a schema or
/// a grammar a refused format; the rest keeps its HTTP meaning.
pub fn classify(failure: &Failure) -> ProviderError {
    match failure.status {
        429 if failure.has_code(&["insufficient_quota"]) => failure.quota_exhausted(),
        400 | 413
            if failure.has_code(&["context_length_exceeded", "exceed_context_size_error"])
                || failure.mentions(&[
                    "context length",
                    "context size",
                    "maximum context",
                    "context window",
                ]) =>
        {
            failure.too_large()
        }
        _ if failure.has_code(&["model_not_found"]) => failure.unknown_model(),
        404 if failure.mentions(&["model"])
            && failure.mentions(&[
                "not found",
                "does not exist",
                "not exist",
                "no such",
                "unknown",
            ]) =>
        {
            failure.unknown_model()
        }
        503 if failure.mentions(&["loading"]) => failure.loading(),
        400 | 422 | 500
            if failure.body_mentions(&[
                "response_format",
                "json_schema",
                "json_object",
                "schema",
                "grammar",
            ]) =>
        {
            failure.format_refused()
        }
        _ => super::classify_status(failure),
    }
}

/// Checks and applies the settings only this API has: the sampling temperature and the
/// model, which is required.
pub(super) fn apply_spec(
    endpoint: &mut EndpointConfig,
    spec: EndpointSpec,
) -> Result<(), EndpointSpecError> {
    if let Some(temperature) = spec.temperature {
        if !(0.0..=2.0).contains(&temperature) {
            return Err(EndpointSpecError::new(
                "temperature",
                format!("{temperature} is not between 0 and 2"),
            ));
        }
        endpoint.temperature = temperature;
    }
    if let Some(text) = &spec.response_format {
        endpoint.response_format = ResponseFormatSetting::parse(text)
            .map_err(|message| EndpointSpecError::new("response-format", message))?;
    }
    if let Some(model) = spec.model {
        if model.trim().is_empty() {
            return Err(EndpointSpecError::new("model", "is empty"));
        }
        endpoint.model = Some(model);
    }
    if endpoint.model.is_none() {
        return Err(EndpointSpecError::new(
            "model",
            "kind openai needs the model name",
        ));
    }
    Ok(())
}

fn language_name(tag: &str) -> String {
    match tag
        .split('-')
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
        .as_str()
    {
        "id" | "ind" => "Indonesian".to_string(),
        "en" | "eng" => match tag.to_ascii_uppercase().as_str() {
            "EN-GB" => "British English".to_string(),
            "EN-US" => "American English".to_string(),
            _ => "English".to_string(),
        },
        "ms" | "zlm" => "Malay".to_string(),
        _ => format!("the language with tag {tag}"),
    }
}

/// The system prompt for one batch. Only the glossary hints whose source term occurs in one
/// of `texts` (ignoring case) are listed, which keeps prompts short.
pub fn system_prompt(context: &BatchContext, texts: &[String]) -> String {
    let source = language_name(&context.source_lang);
    let target = language_name(&context.target_lang);
    let mut prompt = format!(
        "You are a professional news translator. Translate each segment from {source} into {target}, \
         in the plain, precise register of an international news agency.\n\
         Rules:\n\
         - Translate every segment on its own, completely and faithfully; do not add, drop, merge, split, summarise or explain.\n\
         - Keep names of people, places and organisations, numbers, dates and quotations exact.\n\
         - The input is JSON: {{\"segments\":[{{\"id\":1,\"text\":\"...\"}}]}}.\n\
         - Answer with JSON only, no other text: {{\"translations\":[{{\"id\":1,\"text\":\"...\"}}]}}, \
           exactly one item for every id you were given, with the same id.\n"
    );
    if context.xml_placeholders {
        prompt.push_str(
            "- The texts contain XML placeholder tags such as <x id=\"1\"/>: copy every tag unchanged into the translation, at the matching place.\n",
        );
    }
    let lowered: Vec<String> = texts.iter().map(|text| text.to_lowercase()).collect();
    let hints: Vec<&(String, String)> = context
        .glossary_hints
        .iter()
        .filter(|(source_term, _)| {
            let term = source_term.to_lowercase();
            lowered.iter().any(|text| text.contains(&term))
        })
        .collect();
    if !hints.is_empty() {
        prompt.push_str("Use these translations exactly:\n");
        for (source_term, target_term) in hints {
            prompt.push_str(&format!("- {source_term} => {target_term}\n"));
        }
    }
    prompt
}

/// The JSON schema of an answer: `{"translations":[{"id":1,"text":"…"}]}`.
fn answer_schema() -> Value {
    json!({
        "type": "object",
        "required": ["translations"],
        "additionalProperties": false,
        "properties": {"translations": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "text"],
            "additionalProperties": false,
            "properties": {"id": {"type": "integer"}, "text": {"type": "string"}}
        }}}
    })
}

/// The whole request body, asking for JSON in `form`.
pub fn request_body(
    model: &str,
    temperature: f64,
    form: ResponseFormat,
    texts: &[String],
    context: &BatchContext,
) -> Value {
    let segments: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| json!({"id": index + 1, "text": text}))
        .collect();
    let characters: usize = texts.iter().map(|text| text.chars().count()).sum();
    // English runs about four characters a token; allow twice that plus the JSON around it
    let max_tokens = 128 + characters / 2 + 32 * texts.len();
    let mut body = json!({
        "model": model,
        "temperature": temperature,
        "seed": 1,
        "max_tokens": max_tokens,
        "stream": false,
        "messages": [
            {"role": "system", "content": system_prompt(context, texts)},
            {"role": "user", "content": json!({"segments": segments}).to_string()},
        ],
    });
    let response_format = match form {
        ResponseFormat::JsonSchema => Some(json!({
            "type": "json_schema",
            "json_schema": {"name": "translations", "strict": true, "schema": answer_schema()}
        })),
        ResponseFormat::JsonObjectSchema => {
            Some(json!({"type": "json_object", "schema": answer_schema()}))
        }
        ResponseFormat::JsonObject => Some(json!({"type": "json_object"})),
        ResponseFormat::None => None,
    };
    if let Some(response_format) = response_format {
        body["response_format"] = response_format;
    }
    body
}

fn malformed(reason: impl Into<String>) -> ProviderError {
    ProviderError::Malformed {
        reason: reason.into(),
    }
}

/// Reads a chat completion into one translation per id `1..=sent`.
pub fn parse_answer(json: &Value, sent: usize) -> Result<BatchAnswer, ProviderError> {
    let choice = json
        .pointer("/choices/0")
        .ok_or_else(|| malformed("the answer has no choices"))?;
    if choice.get("finish_reason").and_then(Value::as_str) == Some("length") {
        return Err(ProviderError::TooLarge {
            reason: "the model stopped at max_tokens; the answer is cut short".to_string(),
        });
    }
    let content = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("the answer has no message content"))?;
    let payload = strip_code_fence(content);
    let parsed: Value = serde_json::from_str(payload).map_err(|_| {
        malformed(format!(
            "the model did not answer with JSON alone: {}",
            snippet(content)
        ))
    })?;
    let items = match &parsed {
        Value::Object(object) => object.get("translations").and_then(Value::as_array),
        Value::Array(items) => Some(items),
        _ => None,
    }
    .ok_or_else(|| malformed("the JSON has no `translations` array"))?;
    let mut slots: Vec<Option<String>> = vec![None; sent];
    for item in items {
        let id = match item.get("id") {
            Some(Value::Number(number)) => number.as_u64(),
            Some(Value::String(text)) => text.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| malformed(format!("an item has no usable id: {item}")))?;
        let text = item
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed(format!("item {id} has no text")))?;
        let index = usize::try_from(id)
            .ok()
            .filter(|&id| (1..=sent).contains(&id))
            .ok_or_else(|| malformed(format!("id {id} was not sent (sent 1 to {sent})")))?
            - 1;
        if slots[index].is_some() {
            return Err(malformed(format!("id {id} answered twice")));
        }
        if text.trim().is_empty() {
            return Err(malformed(format!("id {id} has an empty translation")));
        }
        slots[index] = Some(text.to_string());
    }
    if let Some(missing) = slots.iter().position(Option::is_none) {
        return Err(malformed(format!(
            "sent {sent} segments, the answer holds {} (id {} is missing)",
            items.len(),
            missing + 1
        )));
    }
    Ok(slots)
}

/// `content` without a surrounding Markdown code fence (```` ```json … ``` ````).
fn strip_code_fence(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(rest) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let Some(body) = rest.strip_suffix("```") else {
        return trimmed;
    };
    // drop the info string (`json`) on the opening line
    match body.split_once('\n') {
        Some((info, inner)) if !info.trim_start().starts_with(['{', '[']) => inner.trim(),
        _ => body.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::providers::error::test_support::{Class, assert_classes};

    #[test]
    fn failures_follow_the_openai_api() {
        assert_classes(
            classify,
            &[
                (
                    429,
                    r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
                    Class::RateLimited,
                ),
                (
                    429,
                    r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
                    Class::Quota,
                ),
                (
                    503,
                    r#"{"error":{"message":"Loading model","type":"unavailable_error","code":503}}"#,
                    Class::Loading,
                ),
                (
                    503,
                    r#"{"error":{"message":"Service Unavailable","type":"unavailable_error"}}"#,
                    Class::Retryable,
                ),
                (
                    400,
                    r#"{"error":{"code":400,"message":"request (3019 tokens) exceeds the available context size (1024 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":3019,"n_ctx":1024}}"#,
                    Class::TooLarge,
                ),
                (
                    400,
                    r#"{"error":{"message":"This model's maximum context length is 8192 tokens. However, you requested 30039 tokens (30019 in the messages, 20 in the completion). Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
                    Class::TooLarge,
                ),
                (
                    400,
                    r#"{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
                    Class::TooLarge,
                ),
                (
                    404,
                    r#"{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
                    Class::UnknownModel,
                ),
                (
                    404,
                    r#"{"object":"error","message":"The model `qwen` does not exist.","type":"NotFoundError","param":null,"code":404}"#,
                    Class::UnknownModel,
                ),
                (
                    404,
                    r#"{"error":{"message":"model \"qwen3\" not found, try pulling it first","type":"api_error","param":null,"code":null}}"#,
                    Class::UnknownModel,
                ),
                (
                    404,
                    r#"{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}"#,
                    Class::Bad,
                ),
                (
                    400,
                    r#"{"error":{"message":"'response_format.type' must be 'json_schema' or 'text'"}}"#,
                    Class::FormatRefused,
                ),
                (
                    422,
                    r#"{"detail":[{"type":"literal_error","loc":["body","response_format","type"],"msg":"Input should be 'text' or 'json_object'"}]}"#,
                    Class::FormatRefused,
                ),
                (
                    500,
                    r#"{"error":{"code":500,"message":"failed to parse grammar","type":"server_error"}}"#,
                    Class::FormatRefused,
                ),
                (
                    500,
                    r#"{"error":{"code":500,"message":"out of memory","type":"server_error"}}"#,
                    Class::Retryable,
                ),
                (
                    400,
                    r#"{"object":"error","message":"This model's maximum context length is 4096 tokens","type":"BadRequestError","param":null,"code":400}"#,
                    Class::TooLarge,
                ),
                (
                    400,
                    r#"{"error":{"code":400,"message":"'messages' is required","type":"invalid_request_error"}}"#,
                    Class::Bad,
                ),
                (
                    401,
                    r#"{"error":{"message":"Incorrect API key provided"}}"#,
                    Class::Auth,
                ),
            ],
        );
    }

    fn completion(content: &str, finish: &str) -> Value {
        json!({"id": "x", "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
        ]})
    }

    #[test]
    fn answers_are_matched_by_id() {
        let table: &[(&str, Result<Vec<&str>, &str>)] = &[
            (
                r#"{"translations":[{"id":2,"text":"B"},{"id":1,"text":"A"}]}"#,
                Ok(vec!["A", "B"]),
            ),
            (
                "```json\n{\"translations\":[{\"id\":1,\"text\":\"A\"},{\"id\":2,\"text\":\"B\"}]}\n```",
                Ok(vec!["A", "B"]),
            ),
            (
                r#"[{"id":"2","text":"B"},{"id":"1","text":"A"}]"#,
                Ok(vec!["A", "B"]),
            ),
            (
                "Here is the translation:\n{\"translations\":[{\"id\":1,\"text\":\"A\"},{\"id\":2,\"text\":\"B\"}]}",
                Err("JSON alone"),
            ),
            (r#"{"translations":[{"id":1,"text":"A"}]}"#, Err("missing")),
            (
                r#"{"translations":[{"id":1,"text":"A"},{"id":1,"text":"A"}]}"#,
                Err("twice"),
            ),
            (
                r#"{"translations":[{"id":1,"text":"A"},{"id":2,"text":"B"},{"id":3,"text":"C"}]}"#,
                Err("was not sent"),
            ),
            (
                r#"{"translations":[{"id":1,"text":"A"},{"id":2,"text":" "}]}"#,
                Err("empty"),
            ),
            (r#"{"result":[]}"#, Err("no `translations`")),
        ];
        for (content, expected) in table {
            let result = parse_answer(&completion(content, "stop"), 2);
            match (result, expected) {
                (Ok(answer), Ok(expected)) => {
                    let expected: Vec<Option<String>> =
                        expected.iter().map(|text| Some(text.to_string())).collect();
                    assert_eq!(answer, expected, "{content}");
                }
                (Err(error), Err(fragment)) => {
                    assert!(
                        matches!(error, ProviderError::Malformed { .. }),
                        "{content}: {error:?}"
                    );
                    assert!(error.to_string().contains(fragment), "{content}: {error}");
                }
                (result, expected) => panic!("{content}: {result:?} vs {expected:?}"),
            }
        }
    }

    #[test]
    fn a_truncated_answer_is_too_large() {
        let error = parse_answer(&completion("{\"translations\":[", "length"), 2).unwrap_err();
        assert!(matches!(error, ProviderError::TooLarge { .. }), "{error:?}");
    }

    #[test]
    fn each_response_format_asks_for_json_its_own_way() {
        let texts = vec!["Satu.".to_string()];
        let context = BatchContext::default();
        let format_of = |form| {
            request_body("m", 0.0, form, &texts, &context)
                .get("response_format")
                .cloned()
        };
        let schema = format_of(ResponseFormat::JsonSchema).unwrap();
        assert_eq!(schema["type"], "json_schema");
        assert_eq!(schema["json_schema"]["strict"], true);
        assert_eq!(
            schema["json_schema"]["schema"]["required"],
            json!(["translations"])
        );
        let object_schema = format_of(ResponseFormat::JsonObjectSchema).unwrap();
        assert_eq!(object_schema["type"], "json_object");
        assert_eq!(object_schema["schema"], schema["json_schema"]["schema"]);
        assert_eq!(
            format_of(ResponseFormat::JsonObject).unwrap(),
            json!({"type": "json_object"})
        );
        assert_eq!(format_of(ResponseFormat::None), None);
        // every form carries the same prompt, which spells the JSON out
        let prompts: Vec<Value> = ResponseFormat::ALL
            .iter()
            .map(|form| request_body("m", 0.0, *form, &texts, &context)["messages"].clone())
            .collect();
        assert!(prompts.windows(2).all(|pair| pair[0] == pair[1]));
    }

    #[test]
    fn the_request_carries_ids_max_tokens_and_hints() {
        let context = BatchContext {
            source_lang: "id".to_string(),
            target_lang: "en".to_string(),
            glossary_hints: vec![(
                "Menteri Keuangan".to_string(),
                "Minister of Finance".to_string(),
            )],
            xml_placeholders: true,
        };
        let texts = vec![
            "Satu menteri keuangan.".to_string(),
            "Dua <x id=\"1\"/>.".to_string(),
        ];
        let body = request_body("qwen", 0.0, ResponseFormat::JsonSchema, &texts, &context);
        assert!(body["max_tokens"].as_u64().unwrap() > 0);
        let system = body["messages"][0]["content"].as_str().unwrap();
        assert!(
            system.contains("Menteri Keuangan => Minister of Finance"),
            "{system}"
        );
        assert!(system.contains("<x id=\"1\"/>"), "{system}");
        assert!(system.contains("Indonesian") && system.contains("English"));
        let user: Value =
            serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
        assert_eq!(user["segments"][0]["text"], "Satu menteri keuangan.");
        assert_eq!(user["segments"][1]["id"], 2);
        assert_eq!(user["segments"][1]["text"], "Dua <x id=\"1\"/>.");
        let plain = system_prompt(&BatchContext::default(), &texts);
        assert!(!plain.contains("Use these translations"));
    }
}
