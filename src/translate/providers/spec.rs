//! An endpoint as the configuration writes it ([`EndpointSpec`]), checked and completed into
//! an [`EndpointConfig`] with the defaults of its kind.
//!
//! The settings every kind shares (URL, key variable, batch limits, rate, timeout, retries)
//! are checked here; each provider file checks the settings only its API has (`openai`: model
//! and temperature, `deepl`: target variant, `template`: method, headers, body and pointer).
//! Errors name the key as written in the configuration, so the caller can point at it. Must
//! not read files or the environment: the caller owns where the settings come from.

use super::{EndpointConfig, HttpMethod, ProviderKind, deepl, openai, template};
use crate::translate::secret::redact_url_text;
use std::collections::BTreeMap;
use std::time::Duration;

/// The name of the built-in offline endpoint; no configured endpoint of another kind may
/// take it.
pub const MEMORY_ENDPOINT: &str = "memory";

/// One endpoint as written (an `[endpoints.<name>]` table of `selaras.toml`), before any
/// check: only the kind is required; unknown keys are refused.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointSpec {
    pub kind: ProviderKind,
    /// The full URL of the request.
    pub url: Option<String>,
    /// The name of the environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// Texts per request.
    pub batch_size: Option<usize>,
    /// Characters of source text per request.
    pub max_characters: Option<usize>,
    /// Requests in flight.
    pub concurrency: Option<usize>,
    /// Requests started per second, at most.
    pub requests_per_second: Option<f64>,
    /// The timeout of one request, in seconds.
    pub timeout_secs: Option<u64>,
    /// Retries of one request after its first attempt.
    pub max_retries: Option<u32>,
    /// The longest wait before a retry, in seconds (a `Retry-After` asking for longer is cut).
    pub max_wait_secs: Option<u64>,
    /// The largest answer body read, in bytes.
    pub max_response_bytes: Option<u64>,
    /// `openai`: the model.
    pub model: Option<String>,
    /// `openai`: sampling temperature.
    pub temperature: Option<f64>,
    /// `openai`: `auto`, `json-schema`, `json-object-schema`, `json-object` or `none`.
    pub response_format: Option<String>,
    /// `deepl`: the target variant.
    pub target_lang: Option<String>,
    /// `template`: the HTTP method.
    pub method: Option<HttpMethod>,
    /// `template`: extra request headers.
    pub headers: Option<BTreeMap<String, String>>,
    /// `template`: the JSON body template.
    pub body: Option<String>,
    /// `template`: the JSON pointer to the translations.
    pub response_pointer: Option<String>,
}

impl EndpointSpec {
    /// A spec of `kind` with nothing else set.
    pub fn new(kind: ProviderKind) -> Self {
        EndpointSpec {
            kind,
            url: None,
            api_key_env: None,
            batch_size: None,
            max_characters: None,
            concurrency: None,
            requests_per_second: None,
            timeout_secs: None,
            max_retries: None,
            max_wait_secs: None,
            max_response_bytes: None,
            model: None,
            temperature: None,
            response_format: None,
            target_lang: None,
            method: None,
            headers: None,
            body: None,
            response_pointer: None,
        }
    }
}

/// The lowest `requests-per-second`: one request every 1000 seconds.
const MIN_RATE: f64 = 0.001;
/// The highest `requests-per-second`.
const MAX_RATE: f64 = 10_000.0;

/// `value` of the setting `key` when it lies in `min..=max`, else an error naming both ends.
fn check_range<Number>(
    key: &'static str,
    value: Number,
    min: Number,
    max: Number,
) -> Result<Number, EndpointSpecError>
where
    Number: PartialOrd + std::fmt::Display + Copy,
{
    if value < min || value > max {
        Err(EndpointSpecError::new(
            key,
            format!("{value} is not between {min} and {max}"),
        ))
    } else {
        Ok(value)
    }
}

/// A wrong endpoint setting: its key as written (`api-key-env`) and why. The message never
/// repeats the value of `api-key-env`, which might be a key pasted in the wrong place.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{key}`: {message}")]
pub struct EndpointSpecError {
    pub key: &'static str,
    pub message: String,
}

impl EndpointSpecError {
    /// The setting `key` is wrong because of `message`.
    pub fn new(key: &'static str, message: impl Into<String>) -> Self {
        EndpointSpecError {
            key,
            message: message.into(),
        }
    }
}

impl EndpointConfig {
    /// Checks the endpoint `name` as written and fills in the defaults of its kind.
    pub fn from_spec(name: &str, spec: EndpointSpec) -> Result<Self, EndpointSpecError> {
        let kind = spec.kind;
        if name == MEMORY_ENDPOINT && kind != ProviderKind::Memory {
            return Err(EndpointSpecError::new(
                "kind",
                "the name `memory` belongs to the built-in offline endpoint; choose another name",
            ));
        }
        check_kinds(&spec)?;
        let mut endpoint = EndpointConfig::defaults(name, kind);
        apply_shared(&mut endpoint, &spec)?;
        match kind {
            ProviderKind::Openai => openai::apply_spec(&mut endpoint, spec)?,
            ProviderKind::Deepl => deepl::apply_spec(&mut endpoint, spec)?,
            ProviderKind::Template => template::apply_spec(&mut endpoint, spec)?,
            ProviderKind::Libretranslate | ProviderKind::Google | ProviderKind::Memory => {}
        }
        Ok(endpoint)
    }
}

/// Refuses settings the endpoint's kind does not use.
fn check_kinds(spec: &EndpointSpec) -> Result<(), EndpointSpecError> {
    use ProviderKind::*;
    let kind = spec.kind;
    let only_for = |key: &'static str, set: bool, kinds: &[ProviderKind]| {
        if set && !kinds.contains(&kind) {
            let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
            Err(EndpointSpecError::new(
                key,
                format!(
                    "only used by kind {} (this endpoint is {})",
                    names.join(" or "),
                    kind.as_str()
                ),
            ))
        } else {
            Ok(())
        }
    };
    only_for("model", spec.model.is_some(), &[Openai])?;
    only_for("temperature", spec.temperature.is_some(), &[Openai])?;
    only_for("response-format", spec.response_format.is_some(), &[Openai])?;
    only_for("target-lang", spec.target_lang.is_some(), &[Deepl])?;
    only_for("method", spec.method.is_some(), &[Template])?;
    only_for("headers", spec.headers.is_some(), &[Template])?;
    only_for("body", spec.body.is_some(), &[Template])?;
    only_for(
        "response-pointer",
        spec.response_pointer.is_some(),
        &[Template],
    )?;
    if kind == Memory {
        let networked = [Deepl, Libretranslate, Google, Openai, Template];
        only_for("url", spec.url.is_some(), &networked)?;
        only_for("api-key-env", spec.api_key_env.is_some(), &networked)?;
    }
    Ok(())
}

/// Checks and applies the settings every kind shares.
fn apply_shared(
    endpoint: &mut EndpointConfig,
    spec: &EndpointSpec,
) -> Result<(), EndpointSpecError> {
    let kind = spec.kind;
    if let Some(url) = &spec.url {
        // the URL is shown without its credentials, whatever is wrong with it
        let shown = redact_url_text(url);
        let parsed = url::Url::parse(url).map_err(|error| {
            EndpointSpecError::new("url", format!("{shown:?} is not a URL: {error}"))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(EndpointSpecError::new(
                "url",
                format!("{shown:?} is not an http:// or https:// URL"),
            ));
        }
        endpoint.url = Some(parsed);
    }
    if endpoint.url.is_none() && kind != ProviderKind::Memory {
        return Err(EndpointSpecError::new(
            "url",
            format!("kind {} needs the full URL of the request", kind.as_str()),
        ));
    }
    if let Some(variable) = &spec.api_key_env {
        let valid = !variable.is_empty()
            && !variable.starts_with(|c: char| c.is_ascii_digit())
            && variable
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(EndpointSpecError::new(
                "api-key-env",
                "is not the name of an environment variable (letters, digits and _); it names the variable holding the key, it is not the key",
            ));
        }
        endpoint.api_key_env = Some(variable.clone());
    }
    if kind.requires_key() && endpoint.api_key_env.is_none() {
        return Err(EndpointSpecError::new(
            "api-key-env",
            format!(
                "kind {} needs an API key: name the environment variable that holds it",
                kind.as_str()
            ),
        ));
    }
    let in_range = |key: &'static str, value: Option<usize>, default: usize, max: usize| {
        value.map_or(Ok(default), |value| check_range(key, value, 1, max))
    };
    endpoint.batch_size = in_range("batch-size", spec.batch_size, endpoint.batch_size, 10_000)?;
    endpoint.max_characters = in_range(
        "max-characters",
        spec.max_characters,
        endpoint.max_characters,
        10_000_000,
    )?;
    endpoint.concurrency = in_range("concurrency", spec.concurrency, endpoint.concurrency, 256)?;
    if let Some(rate) = spec.requests_per_second {
        if !(rate.is_finite() && (MIN_RATE..=MAX_RATE).contains(&rate)) {
            return Err(EndpointSpecError::new(
                "requests-per-second",
                format!(
                    "{rate} is not between {MIN_RATE} (one request every 1000 seconds) and {MAX_RATE}"
                ),
            ));
        }
        endpoint.requests_per_second = rate;
    }
    if let Some(seconds) = spec.timeout_secs {
        endpoint.timeout = Duration::from_secs(check_range("timeout-secs", seconds, 1, 3_600)?);
    }
    if let Some(retries) = spec.max_retries {
        endpoint.max_retries = check_range("max-retries", retries, 0, 20)?;
    }
    if let Some(seconds) = spec.max_wait_secs {
        endpoint.max_wait = Duration::from_secs(check_range("max-wait-secs", seconds, 1, 86_400)?);
    }
    if let Some(bytes) = spec.max_response_bytes {
        let bytes = check_range("max-response-bytes", bytes, 1_024, 1 << 30)?;
        endpoint.max_response_bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: ProviderKind, change: impl FnOnce(&mut EndpointSpec)) -> EndpointSpec {
        let mut spec = EndpointSpec::new(kind);
        change(&mut spec);
        spec
    }

    #[test]
    fn each_kind_checks_its_own_settings_and_names_the_key() {
        use ProviderKind::*;
        let table: Vec<(EndpointSpec, &str, &str)> = vec![
            (spec(Deepl, |_| {}), "api-key-env", "needs an API key"),
            (
                spec(Deepl, |s| {
                    s.api_key_env = Some("K".to_string());
                    s.target_lang = Some("EN GB".to_string());
                }),
                "target-lang",
                "not a language code",
            ),
            (
                spec(Openai, |s| s.url = Some("http://h/v1".to_string())),
                "model",
                "needs the model name",
            ),
            (
                spec(Openai, |s| {
                    s.url = Some("http://h/v1".to_string());
                    s.model = Some("m".to_string());
                    s.temperature = Some(3.0);
                }),
                "temperature",
                "not between 0 and 2",
            ),
            (
                spec(Openai, |s| {
                    s.url = Some("http://h/v1".to_string());
                    s.model = Some("m".to_string());
                    s.response_format = Some("json_schema".to_string());
                }),
                "response-format",
                "is not one of auto, json-schema, json-object-schema, json-object, none",
            ),
            (
                spec(Deepl, |s| {
                    s.api_key_env = Some("K".to_string());
                    s.response_format = Some("none".to_string());
                }),
                "response-format",
                "only used by kind openai",
            ),
            (
                spec(Template, |s| {
                    s.url = Some("http://h/t".to_string());
                    s.body = Some("{\"q\": {{texts}}}".to_string());
                }),
                "response-pointer",
                "needs a JSON pointer",
            ),
            (
                spec(Libretranslate, |s| s.model = Some("m".to_string())),
                "model",
                "only used by kind openai (this endpoint is libretranslate)",
            ),
            (
                spec(Memory, |s| s.url = Some("http://h/t".to_string())),
                "url",
                "only used by kind",
            ),
        ];
        for (spec, key, fragment) in table {
            let error = EndpointConfig::from_spec("x", spec.clone()).unwrap_err();
            assert_eq!(error.key, key, "{spec:?}");
            assert!(error.message.contains(fragment), "{spec:?}: {error}");
        }
        let error = EndpointConfig::from_spec(MEMORY_ENDPOINT, spec(Google, |_| {})).unwrap_err();
        assert_eq!(error.key, "kind");
    }

    #[test]
    fn a_valid_spec_keeps_the_defaults_of_its_kind_where_unset() {
        let endpoint = EndpointConfig::from_spec(
            "local",
            spec(ProviderKind::Openai, |s| {
                s.url = Some("http://127.0.0.1:8080/v1/chat/completions".to_string());
                s.model = Some("qwen".to_string());
                s.timeout_secs = Some(300);
            }),
        )
        .unwrap();
        let defaults = EndpointConfig::defaults("local", ProviderKind::Openai);
        assert_eq!(endpoint.batch_size, defaults.batch_size);
        assert_eq!(
            endpoint.response_format,
            super::super::response_format::ResponseFormatSetting::Auto
        );
        assert_eq!(endpoint.timeout, Duration::from_secs(300));
        assert_eq!(endpoint.model.as_deref(), Some("qwen"));
    }

    #[test]
    fn numeric_settings_are_kept_in_sane_ranges() {
        let libre = |change: fn(&mut EndpointSpec)| {
            spec(ProviderKind::Libretranslate, |s| {
                s.url = Some("http://h/translate".to_string());
                change(s);
            })
        };
        let table: Vec<(EndpointSpec, &str)> = vec![
            (
                libre(|s| s.requests_per_second = Some(1e-300)),
                "requests-per-second",
            ),
            (
                libre(|s| s.requests_per_second = Some(1e300)),
                "requests-per-second",
            ),
            (
                libre(|s| s.requests_per_second = Some(f64::NAN)),
                "requests-per-second",
            ),
            (
                libre(|s| s.requests_per_second = Some(-1.0)),
                "requests-per-second",
            ),
            (libre(|s| s.batch_size = Some(0)), "batch-size"),
            (libre(|s| s.batch_size = Some(usize::MAX)), "batch-size"),
            (libre(|s| s.max_characters = Some(0)), "max-characters"),
            (libre(|s| s.concurrency = Some(100_000)), "concurrency"),
            (libre(|s| s.timeout_secs = Some(0)), "timeout-secs"),
            (libre(|s| s.timeout_secs = Some(u64::MAX)), "timeout-secs"),
            (libre(|s| s.max_retries = Some(21)), "max-retries"),
            (libre(|s| s.max_wait_secs = Some(0)), "max-wait-secs"),
            (libre(|s| s.max_wait_secs = Some(u64::MAX)), "max-wait-secs"),
            (
                libre(|s| s.max_response_bytes = Some(10)),
                "max-response-bytes",
            ),
            (
                libre(|s| s.max_response_bytes = Some(u64::MAX)),
                "max-response-bytes",
            ),
        ];
        for (spec, key) in table {
            let error = EndpointConfig::from_spec("x", spec.clone()).unwrap_err();
            assert_eq!(error.key, key, "{spec:?}");
            assert!(error.message.contains("not between"), "{error}");
        }
        let fine = EndpointConfig::from_spec(
            "x",
            libre(|s| {
                s.requests_per_second = Some(0.5);
                s.max_wait_secs = Some(2);
                s.max_response_bytes = Some(4096);
            }),
        )
        .unwrap();
        assert_eq!(fine.max_wait, Duration::from_secs(2));
        assert_eq!(fine.max_response_bytes, 4096);
    }

    #[test]
    fn url_errors_never_show_credentials() {
        for url in [
            "ftp://alice:s3cret@h/x",
            "http://alice:s3cret@h:99999/x",
            "http://h/x?subscription-key=s3cret&q=1 2",
            "mailto:x?token=s3cret",
        ] {
            let error = EndpointConfig::from_spec(
                "x",
                spec(ProviderKind::Libretranslate, |s| {
                    s.url = Some(url.to_string())
                }),
            );
            if let Err(error) = error {
                assert!(!error.to_string().contains("s3cret"), "{error}");
            } else {
                let shown = error.unwrap().identity("en");
                assert!(!shown.contains("s3cret"), "{shown}");
            }
        }
    }
}
