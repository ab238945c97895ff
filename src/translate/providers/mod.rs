//! Translation engines behind one [`Provider`] trait: one file per endpoint kind.
//!
//! A provider turns one batch of texts into one HTTP request in its API's real shape and the
//! answer back into exactly one translation per text, or a typed request-level
//! [`ProviderError`]: each provider file classifies its API's failure statuses itself, on top
//! of the shared HTTP rules of [`classify_status`]. Providers do not retry, wait, split,
//! cache or count: the orchestrator in [`super`] does. Must not print or log, and must never
//! put an API key into an error.

pub mod deepl;
mod error;
pub mod google;
mod http;
pub mod libretranslate;
pub mod memory;
pub mod openai;
pub mod response_format;
mod spec;
pub mod template;

pub use error::{
    Failure, ProviderError, RETRY_AFTER_CEILING, classify_status, error_message, parse_retry_after,
    retry_after, snippet,
};
pub use spec::{EndpointSpec, EndpointSpecError, MEMORY_ENDPOINT};

pub(crate) use http::Http;

use super::secret::{ApiKey, redact_url};
use futures::future::BoxFuture;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The kinds of endpoint selaras speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Deepl,
    Libretranslate,
    Google,
    Openai,
    Template,
    Memory,
}

impl ProviderKind {
    /// True for the kinds that cannot send anything without an API key.
    pub fn requires_key(self) -> bool {
        matches!(self, ProviderKind::Deepl | ProviderKind::Google)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Deepl => "deepl",
            ProviderKind::Libretranslate => "libretranslate",
            ProviderKind::Google => "google",
            ProviderKind::Openai => "openai",
            ProviderKind::Template => "template",
            ProviderKind::Memory => "memory",
        }
    }
}

/// The HTTP method of a `template` endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Post,
    Put,
}

/// The largest answer read unless the endpoint sets `max-response-bytes`: 8 MiB, hundreds of
/// times a real batch's answer.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// One endpoint, resolved from `[endpoints.<name>]`: everything a provider and the orchestrator
/// need, with defaults filled in. The key itself is not here, only the name of its variable.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointConfig {
    /// The name under `[endpoints]` (`memory` for the built-in one).
    pub name: String,
    pub kind: ProviderKind,
    /// The full URL of the request (`None` only for `memory`).
    pub url: Option<url::Url>,
    /// The environment variable holding the key, if the endpoint takes one.
    pub api_key_env: Option<String>,
    /// Texts per request.
    pub batch_size: usize,
    /// Characters (Unicode scalar values) of source text per request.
    pub max_characters: usize,
    /// Requests in flight.
    pub concurrency: usize,
    /// Requests started per second, at most.
    pub requests_per_second: f64,
    pub timeout: Duration,
    /// Retries of one request after its first attempt.
    pub max_retries: u32,
    /// The longest wait before a retry (`max-wait-secs`): a `Retry-After` asking for longer
    /// is cut to this.
    pub max_wait: Duration,
    /// The largest answer body read (`max-response-bytes`); a larger one fails the request.
    pub max_response_bytes: usize,
    /// `openai`: the model name.
    pub model: Option<String>,
    /// `openai`: sampling temperature.
    pub temperature: f64,
    /// `openai`: how the answer's JSON is asked for (`response-format`).
    pub response_format: response_format::ResponseFormatSetting,
    /// `deepl`: the target variant (`EN-US`, `EN-GB`); others use the project's target language.
    pub target_lang: Option<String>,
    /// `template`: the HTTP method.
    pub method: HttpMethod,
    /// `template`: extra headers; `{{api-key}}` in a value is replaced by the key.
    pub headers: BTreeMap<String, String>,
    /// `template`: the JSON body with `{{texts}}`, `{{source}}`, `{{target}}` placeholders.
    pub body: Option<String>,
    /// `template`: a JSON pointer to the translations, `*` standing for each array element.
    pub response_pointer: Option<String>,
}

impl EndpointConfig {
    /// The built-in `memory` endpoint: no network, exact matches from the approved memory.
    pub fn builtin_memory() -> Self {
        EndpointConfig::defaults(MEMORY_ENDPOINT, ProviderKind::Memory)
    }

    /// An endpoint of `kind` with every optional setting at its default for that kind.
    pub fn defaults(name: &str, kind: ProviderKind) -> Self {
        let (batch_size, max_characters, timeout_secs) = match kind {
            ProviderKind::Deepl => (50, 30_000, 30),
            ProviderKind::Libretranslate => (20, 20_000, 60),
            ProviderKind::Google => (128, 30_000, 30),
            ProviderKind::Openai => (8, 3_000, 180),
            ProviderKind::Template => (16, 10_000, 60),
            ProviderKind::Memory => (1_000, 1_000_000, 1),
        };
        let url = match kind {
            ProviderKind::Deepl => url::Url::parse("https://api-free.deepl.com/v2/translate").ok(),
            ProviderKind::Google => {
                url::Url::parse("https://translation.googleapis.com/language/translate/v2").ok()
            }
            _ => None,
        };
        EndpointConfig {
            name: name.to_string(),
            kind,
            url,
            api_key_env: None,
            batch_size,
            max_characters,
            concurrency: 4,
            requests_per_second: 10.0,
            timeout: Duration::from_secs(timeout_secs),
            max_retries: 5,
            max_wait: super::retry::DEFAULT_MAX_WAIT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            model: None,
            temperature: 0.0,
            response_format: response_format::ResponseFormatSetting::Auto,
            target_lang: None,
            method: HttpMethod::Post,
            headers: BTreeMap::new(),
            body: None,
            response_pointer: None,
        }
    }

    /// What identifies the answers of this engine in the cache: kind, URL (without
    /// credentials), model, target variant and prompt version — never the key.
    pub fn identity(&self, target_lang: &str) -> String {
        let url = self.url.as_ref().map(redact_url).unwrap_or_default();
        let model = self.model.as_deref().unwrap_or("");
        let target = match self.kind {
            ProviderKind::Deepl => deepl::target_lang(self, target_lang),
            _ => target_lang.to_string(),
        };
        let prompt = match self.kind {
            ProviderKind::Openai => openai::PROMPT_VERSION,
            ProviderKind::Template => "template-1",
            _ => "1",
        };
        let template = match (&self.body, &self.response_pointer) {
            (Some(body), Some(pointer)) => format!(" body={body} pointer={pointer}"),
            _ => String::new(),
        };
        format!(
            "{} url={url} model={model} target={target} prompt={prompt}{template}",
            self.kind.as_str()
        )
    }
}

/// What a batch is sent with besides its texts. Later stages fill the hints and the
/// placeholder flag; the orchestrator passes it through unchanged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchContext {
    /// Source language tag of the project (`id`).
    pub source_lang: String,
    /// Target language tag of the project (`en`).
    pub target_lang: String,
    /// Glossary hints: (source term, approved target) for terms in this batch. The `openai`
    /// provider puts them into its system prompt; the others ignore them.
    pub glossary_hints: Vec<(String, String)>,
    /// The texts carry XML placeholder tags (`<x id="1"/>`) that must come back unchanged:
    /// `deepl` sends `tag_handling=xml` + `ignore_tags=["x"]`, `libretranslate` and `google`
    /// translate as HTML, `openai` is told to keep them.
    pub xml_placeholders: bool,
}

impl BatchContext {
    /// The `format` of the engines that translate either plain text or markup (Google,
    /// LibreTranslate): `html` when the texts carry placeholder tags, whose markup mode keeps
    /// them, else `text`.
    pub fn text_format(&self) -> &'static str {
        if self.xml_placeholders {
            "html"
        } else {
            "text"
        }
    }
}

/// The answer of a provider for one batch: one entry per input text, in input order. `None`
/// means "this engine has no translation for this text" (only the offline `memory` endpoint
/// answers so); network providers always answer every text or fail the whole request.
pub type BatchAnswer = Vec<Option<String>>;

/// A translation engine.
pub trait Provider: Send + Sync {
    /// Translates one batch; the answer has exactly `texts.len()` entries.
    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        context: &'a BatchContext,
    ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>>;

    /// False for engines that send nothing over the network (requests are then not counted,
    /// not rate-limited and their answers not cached).
    fn sends_requests(&self) -> bool {
        true
    }

    /// The structured-output negotiation of engines that have one (`openai`): where the run
    /// starts it from and what it settled on.
    fn format_negotiation(&self) -> Option<&response_format::Negotiation> {
        None
    }
}

/// Building a provider failed before any request was sent.
#[derive(Debug, thiserror::Error)]
pub enum ProviderSetupError {
    #[error(transparent)]
    Secret(#[from] super::secret::SecretError),
    #[error("endpoint `{endpoint}`: {message}")]
    Invalid { endpoint: String, message: String },
    #[error("endpoint `{endpoint}`: cannot build the HTTP client: {message}")]
    Client { endpoint: String, message: String },
}

/// Builds the provider of `endpoint`, reading its key from the environment (a missing key is
/// an error here, before anything is sent). `memory` gets the approved memory to look in.
pub fn build(
    endpoint: &EndpointConfig,
    approved: Arc<std::collections::HashMap<String, String>>,
) -> Result<Arc<dyn Provider>, ProviderSetupError> {
    let key = match &endpoint.api_key_env {
        Some(variable) => Some(ApiKey::from_env(variable, &endpoint.name)?),
        None => None,
    };
    build_with_key(endpoint, key, approved)
}

/// [`build`] with the key given directly.
pub fn build_with_key(
    endpoint: &EndpointConfig,
    key: Option<ApiKey>,
    approved: Arc<std::collections::HashMap<String, String>>,
) -> Result<Arc<dyn Provider>, ProviderSetupError> {
    if endpoint.kind == ProviderKind::Memory {
        return Ok(Arc::new(memory::MemoryProvider::new(approved)));
    }
    let invalid = |message: &str| ProviderSetupError::Invalid {
        endpoint: endpoint.name.clone(),
        message: message.to_string(),
    };
    let url = endpoint.url.clone().ok_or_else(|| invalid("no url"))?;
    if endpoint.kind.requires_key() && key.is_none() {
        return Err(invalid(
            "this kind needs an API key: set `api-key-env` to the name of the environment variable holding it",
        ));
    }
    let http = Http::new(endpoint, url, key)?;
    let provider: Arc<dyn Provider> = match endpoint.kind {
        ProviderKind::Deepl => with_http(http, deepl::Deepl::new(endpoint)),
        ProviderKind::Libretranslate => with_http(http, libretranslate::LibreTranslate),
        ProviderKind::Google => with_http(http, google::Google),
        ProviderKind::Openai => Arc::new(openai::OpenAi::new(endpoint, http)),
        ProviderKind::Template => {
            let api = template::Template::new(endpoint, http.key.as_ref()).map_err(|message| {
                ProviderSetupError::Invalid {
                    endpoint: endpoint.name.clone(),
                    message,
                }
            })?;
            with_http(http, api)
        }
        ProviderKind::Memory => unreachable!("handled above"),
    };
    Ok(provider)
}

fn with_http<Api: HttpApi + 'static>(http: Http, api: Api) -> Arc<dyn Provider> {
    Arc::new(HttpProvider { http, api })
}

/// What an HTTP API adds to the shared request code: the request for a batch, how its
/// failures classify and how its answers read. [`HttpProvider`] does the rest.
pub(crate) trait HttpApi: Send + Sync {
    /// Maps a non-2xx answer onto a [`ProviderError`]: the shared HTTP rules unless the API
    /// has its own.
    const CLASSIFY: fn(&Failure) -> ProviderError = classify_status;

    /// The request for one batch, sent with the endpoint's client, URL and key.
    fn request(&self, http: &Http, batch: Batch<'_>) -> reqwest::RequestBuilder;

    /// Reads the body of a 2xx answer to the batch: one translation per text, in order.
    fn parse(&self, body: &str, batch: Batch<'_>) -> Result<BatchAnswer, ProviderError>;
}

/// The texts of one request and what the engine needs to know about them.
#[derive(Clone, Copy)]
pub(crate) struct Batch<'a> {
    pub texts: &'a [String],
    pub context: &'a BatchContext,
}

/// A provider speaking an HTTP API: one request per batch; a non-2xx answer is classified by
/// the API's rules, a 2xx one parsed by them.
pub(crate) struct HttpProvider<Api> {
    http: Http,
    api: Api,
}

impl<Api: HttpApi> Provider for HttpProvider<Api> {
    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        context: &'a BatchContext,
    ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>> {
        Box::pin(async move {
            let batch = Batch { texts, context };
            let request = self.api.request(&self.http, batch);
            let response = self.http.send(request).await?;
            if !response.status.is_success() {
                return Err(Api::CLASSIFY(&Failure::read(
                    response.status,
                    &response.headers,
                    &response.body,
                )));
            }
            self.api.parse(&response.body, batch)
        })
    }
}

/// Classifies a non-2xx answer of an endpoint of `kind` by that API's rules.
pub fn classify(
    kind: ProviderKind,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &str,
) -> ProviderError {
    let classify: fn(&Failure) -> ProviderError = match kind {
        ProviderKind::Deepl => deepl::classify,
        ProviderKind::Libretranslate => libretranslate::classify,
        ProviderKind::Google => google::classify,
        ProviderKind::Openai => openai::classify,
        ProviderKind::Template | ProviderKind::Memory => classify_status,
    };
    classify(&Failure::read(status, headers, body))
}

/// Parses the text of a 2xx body as JSON, or fails the batch as malformed.
pub fn parse_json_body(body: &str) -> Result<serde_json::Value, ProviderError> {
    serde_json::from_str(body).map_err(|error| ProviderError::Malformed {
        reason: format!("the answer is not JSON ({error}): {}", snippet(body)),
    })
}

/// Parses a 2xx body as the JSON shape `Answer` of the API named `api`, or fails the batch
/// as malformed.
pub fn parse_typed<Answer: serde::de::DeserializeOwned>(
    body: &str,
    api: &str,
) -> Result<Answer, ProviderError> {
    let json = parse_json_body(body)?;
    serde_json::from_value(json).map_err(|error| ProviderError::Malformed {
        reason: format!("not a {api} answer ({error})"),
    })
}

/// The primary subtag of a language tag (`id` of `id-ID`): what the engines that know
/// languages only by their primary code are sent.
pub fn primary_subtag(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Checks that an answer has one translation per text sent.
pub fn expect_count(translations: Vec<String>, sent: usize) -> Result<BatchAnswer, ProviderError> {
    if translations.len() != sent {
        return Err(ProviderError::Malformed {
            reason: format!(
                "sent {sent} texts but the answer holds {} translations",
                translations.len()
            ),
        });
    }
    Ok(translations.into_iter().map(Some).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_identity_changes_with_what_shapes_the_answer_and_never_holds_a_key() {
        let mut deepl = EndpointConfig::defaults("d", ProviderKind::Deepl);
        let base = deepl.identity("en");
        assert!(
            base.starts_with("deepl url=https://api-free.deepl.com/v2/translate"),
            "{base}"
        );
        assert!(base.contains("target=EN-US"), "{base}");
        deepl.target_lang = Some("EN-GB".to_string());
        assert_ne!(deepl.identity("en"), base);
        deepl.target_lang = None;
        deepl.concurrency = 9; // throughput settings do not change answers
        assert_eq!(deepl.identity("en"), base);

        let mut llm = EndpointConfig::defaults("l", ProviderKind::Openai);
        llm.url = url::Url::parse("http://127.0.0.1:8080/v1/chat/completions").ok();
        llm.model = Some("a".to_string());
        let first = llm.identity("en");
        assert!(first.contains(openai::PROMPT_VERSION), "{first}");
        llm.model = Some("b".to_string());
        assert_ne!(llm.identity("en"), first);

        let mut google = EndpointConfig::defaults("g", ProviderKind::Google);
        google.url = url::Url::parse(
            "https://translation.googleapis.com/language/translate/v2?key=AIzaSECRET",
        )
        .ok();
        assert!(!google.identity("en").contains("AIzaSECRET"));
    }
}
