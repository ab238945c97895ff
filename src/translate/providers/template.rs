//! A generic HTTP JSON endpoint for in-house servers: a request body template and a JSON
//! pointer to the translations in the answer.
//!
//! The body is JSON text with placeholders: `{{texts}}` becomes the JSON array of the batch's
//! texts; `{{source}}`, `{{target}}` and `{{api-key}}` become the language tags and the key,
//! escaped for use inside a JSON string (write `"{{source}}"`). Header values may hold
//! `{{api-key}}` too. The response pointer is a JSON pointer where `*` stands for every
//! element of an array (`/data/translations/*/translatedText`); it must yield one string per
//! text, in order. Must not retry.

use super::{
    ApiKey, Batch, BatchAnswer, EndpointConfig, EndpointSpec, EndpointSpecError, Http, HttpApi,
    HttpMethod, ProviderError,
};
use serde_json::Value;

/// Speaks whatever JSON shape the configuration describes.
pub struct Template {
    method: HttpMethod,
    headers: Vec<(String, String)>,
    body: String,
    pointer: Vec<String>,
}

impl Template {
    /// `key` fills the `{{api-key}}` placeholders of the header values.
    pub(crate) fn new(endpoint: &EndpointConfig, key: Option<&ApiKey>) -> Result<Self, String> {
        let body = endpoint
            .body
            .clone()
            .ok_or_else(|| "a template endpoint needs `body`".to_string())?;
        let pointer = endpoint
            .response_pointer
            .clone()
            .ok_or_else(|| "a template endpoint needs `response-pointer`".to_string())?;
        check_template(&body)?;
        let pointer = parse_pointer(&pointer)?;
        let key = key.map(|key| key.expose().to_string());
        let headers = endpoint
            .headers
            .iter()
            .map(|(name, value)| {
                let value = match &key {
                    Some(key) => value.replace("{{api-key}}", key),
                    None => value.clone(),
                };
                (name.clone(), value)
            })
            .collect();
        Ok(Template {
            method: endpoint.method,
            headers,
            body,
            pointer,
        })
    }
}

impl HttpApi for Template {
    fn request(&self, http: &Http, batch: Batch<'_>) -> reqwest::RequestBuilder {
        let Batch { texts, context } = batch;
        let key = http.key.as_ref().map(|key| key.expose());
        let body = fill(
            &self.body,
            texts,
            &context.source_lang,
            &context.target_lang,
            key,
        );
        let mut request = match self.method {
            HttpMethod::Post => http.client.post(http.url.clone()),
            HttpMethod::Put => http.client.put(http.url.clone()),
        };
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request
    }

    fn parse(&self, body: &str, batch: Batch<'_>) -> Result<BatchAnswer, ProviderError> {
        let texts = batch.texts;
        let json = super::parse_json_body(body)?;
        let translations = select(&json, &self.pointer)?;
        super::expect_count(translations, texts.len())
    }
}

/// Checks and applies the settings only this API has: the method, the header names, and the
/// body template and response pointer, both required.
pub(super) fn apply_spec(
    endpoint: &mut EndpointConfig,
    spec: EndpointSpec,
) -> Result<(), EndpointSpecError> {
    if let Some(method) = spec.method {
        endpoint.method = method;
    }
    if let Some(headers) = spec.headers {
        for name in headers.keys() {
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return Err(EndpointSpecError::new(
                    "headers",
                    format!("{name:?} is not an HTTP header name"),
                ));
            }
        }
        endpoint.headers = headers;
    }
    let body = spec.body.ok_or_else(|| {
        EndpointSpecError::new(
            "body",
            "kind template needs a JSON body template with {{texts}}",
        )
    })?;
    check_template(&body).map_err(|message| EndpointSpecError::new("body", message))?;
    let pointer = spec.response_pointer.ok_or_else(|| {
        EndpointSpecError::new(
            "response-pointer",
            "kind template needs a JSON pointer to the translations",
        )
    })?;
    parse_pointer(&pointer)
        .map_err(|message| EndpointSpecError::new("response-pointer", message))?;
    endpoint.body = Some(body);
    endpoint.response_pointer = Some(pointer);
    Ok(())
}

fn inside_string(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

/// The body for one batch: each placeholder of `template` replaced in one pass, so a value
/// that itself holds a placeholder (a text saying `{{source}}`, a key or language tag holding
/// `{{texts}}`) is never substituted into.
pub fn fill(
    template: &str,
    texts: &[String],
    source: &str,
    target: &str,
    key: Option<&str>,
) -> String {
    let texts_json = serde_json::to_string(texts).unwrap_or_else(|_| "[]".to_string());
    let mut body = String::with_capacity(template.len() + texts_json.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        body.push_str(&rest[..start]);
        let after = &rest[start..];
        let replacement = if after.starts_with("{{texts}}") {
            Some(("{{texts}}", texts_json.clone()))
        } else if after.starts_with("{{source}}") {
            Some(("{{source}}", inside_string(source)))
        } else if after.starts_with("{{target}}") {
            Some(("{{target}}", inside_string(target)))
        } else if let (true, Some(key)) = (after.starts_with("{{api-key}}"), key) {
            Some(("{{api-key}}", inside_string(key)))
        } else {
            None
        };
        match replacement {
            Some((placeholder, value)) => {
                body.push_str(&value);
                rest = &after[placeholder.len()..];
            }
            None => {
                body.push_str("{{");
                rest = &after[2..];
            }
        }
    }
    body.push_str(rest);
    body
}

/// Checks that a body template holds `{{texts}}` and is JSON once filled.
pub fn check_template(template: &str) -> Result<(), String> {
    if !template.contains("{{texts}}") {
        return Err("`body` must contain the placeholder {{texts}}".to_string());
    }
    let sample = fill(template, &["a".to_string()], "id", "en", Some("key"));
    serde_json::from_str::<Value>(&sample)
        .map(|_| ())
        .map_err(|error| format!("`body` is not JSON once its placeholders are filled: {error}"))
}

/// Splits a JSON pointer into its unescaped tokens.
pub fn parse_pointer(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "`response-pointer` {pointer:?} is not a JSON pointer (it starts with /)"
        ));
    };
    Ok(rest
        .split('/')
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// The strings the pointer selects: every `*` fans out over an array. A pointer without `*`
/// may also select an array of strings.
pub fn select(json: &Value, pointer: &[String]) -> Result<Vec<String>, ProviderError> {
    let mut current: Vec<&Value> = vec![json];
    for token in pointer {
        let mut next = Vec::with_capacity(current.len());
        for value in current {
            match (token.as_str(), value) {
                ("*", Value::Array(items)) => next.extend(items.iter()),
                (_, Value::Object(object)) if object.contains_key(token) => {
                    next.push(&object[token])
                }
                (_, Value::Array(items)) => {
                    match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        Some(item) => next.push(item),
                        None => return Err(missing(pointer, token)),
                    }
                }
                _ => return Err(missing(pointer, token)),
            }
        }
        current = next;
    }
    if let [Value::Array(items)] = current.as_slice() {
        current = items.iter().collect();
    }
    current
        .into_iter()
        .map(|value| {
            value
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| ProviderError::Malformed {
                    reason: format!("the response pointer selects {value}, not a string"),
                })
        })
        .collect()
}

fn missing(pointer: &[String], token: &str) -> ProviderError {
    ProviderError::Malformed {
        reason: format!(
            "the answer has nothing at `{token}` of the response pointer /{}",
            pointer.join("/")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Found by the `template_pointer` fuzz target: a language tag holding `{{texts}}` had the
    /// texts substituted into it, and the body was no longer JSON.
    #[test]
    fn values_holding_placeholders_are_not_substituted_into() {
        let template = r#"{"q": {{texts}}, "source": "{{source}}", "key": "{{api-key}}"}"#;
        let texts = vec!["says {{source}} and {{texts}}".to_string()];
        let body = fill(
            template,
            &texts,
            "/,;a{{textst}]{{texts}}",
            "en",
            Some("{{texts}}"),
        );
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["q"][0], "says {{source}} and {{texts}}");
        assert_eq!(json["source"], "/,;a{{textst}]{{texts}}");
        assert_eq!(json["key"], "{{texts}}");
        // an unknown or unfinished placeholder stays as written
        assert_eq!(fill("{{x}} {{", &[], "id", "en", None), "{{x}} {{");
    }

    #[test]
    fn bodies_are_filled_as_json() {
        let template = r#"{"q": {{texts}}, "source": "{{source}}", "target": "{{target}}", "key": "{{api-key}}"}"#;
        check_template(template).unwrap();
        let texts = vec!["say \"{{source}}\"".to_string(), "dua".to_string()];
        let body: Value =
            serde_json::from_str(&fill(template, &texts, "id", "en", Some("k\"1"))).unwrap();
        assert_eq!(
            body,
            json!({"q": ["say \"{{source}}\"", "dua"], "source": "id", "target": "en", "key": "k\"1"})
        );
        assert!(
            check_template(r#"{"q": "x"}"#)
                .unwrap_err()
                .contains("{{texts}}")
        );
        assert!(
            check_template(r#"{"q": {{texts}}"#)
                .unwrap_err()
                .contains("not JSON")
        );
    }

    type PointerCase<'a> = (&'a Value, &'a str, Result<Vec<&'a str>, ()>);

    #[test]
    fn pointers_with_wildcards() {
        let google =
            json!({"data": {"translations": [{"translatedText": "A"}, {"translatedText": "B"}]}});
        let table: &[PointerCase] = &[
            (
                &google,
                "/data/translations/*/translatedText",
                Ok(vec!["A", "B"]),
            ),
            (
                &google,
                "/data/translations/1/translatedText",
                Ok(vec!["B"]),
            ),
            (&google, "/data/missing/*", Err(())),
            (&google, "/data/translations", Err(())),
        ];
        let libre = json!({"translatedText": ["x", "y"]});
        let onmt = json!([[{"tgt": "p"}, {"tgt": "q"}]]);
        let more: &[PointerCase] = &[
            (&libre, "/translatedText", Ok(vec!["x", "y"])),
            (&onmt, "/0/*/tgt", Ok(vec!["p", "q"])),
        ];
        for (json, pointer, expected) in table.iter().chain(more) {
            let tokens = parse_pointer(pointer).unwrap();
            let result = select(json, &tokens).map_err(|_| ());
            let expected = expected
                .clone()
                .map(|items| items.into_iter().map(str::to_string).collect::<Vec<_>>());
            assert_eq!(result, expected, "{pointer}");
        }
        assert!(parse_pointer("data/x").is_err());
        assert_eq!(parse_pointer("/a~1b/c~0d").unwrap(), ["a/b", "c~d"]);
    }
}
