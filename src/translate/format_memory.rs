//! Remembers, per OpenAI-compatible endpoint, the `response-format` its server took, in a
//! small table of the cache database: the next run with `response-format = "auto"` starts
//! from that form instead of being refused again by the stricter ones.
//!
//! Keyed by what decides which server answers — kind, URL without credentials, model — never
//! the key. Only a form that brought an answer is remembered: any such form of an `auto` run,
//! and a fixed form only when it is stricter than the one remembered (so one run with a fixed
//! `json-schema` lets `auto` start from the top again after a server upgrade, and a fixed
//! `none` never makes `auto` give up a schema). Must not send requests or print; keeps to its
//! own table of the [`Store`]'s connection.

use super::memory::{MemoryError, Store};
use super::providers::response_format::{FormatOutcome, ResponseFormat};
use super::providers::{EndpointConfig, Provider};
use super::secret::redact_url;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS response_formats (
     endpoint TEXT PRIMARY KEY,
     form TEXT NOT NULL,
     stored_at INTEGER NOT NULL
 )";

/// What the summary says about the response format of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormatReport {
    /// The form of the last request: the one that worked when `confirmed`.
    pub used: ResponseFormat,
    /// An answer came back in `used` during this run.
    pub confirmed: bool,
    /// Forms the server refused in this run, strictest first.
    pub refused: Vec<ResponseFormat>,
    /// `auto`, or the fixed form of the endpoint.
    pub setting: &'static str,
    /// The run started from the form an earlier run remembered.
    pub resumed: bool,
    /// The run stored `used` for the next runs.
    pub remembered: bool,
}

/// The key of `endpoint` in the table: kind, URL (credentials hidden) and model.
pub fn endpoint_key(endpoint: &EndpointConfig) -> String {
    format!(
        "{} url={} model={}",
        endpoint.kind.as_str(),
        endpoint.url.as_ref().map(redact_url).unwrap_or_default(),
        endpoint.model.as_deref().unwrap_or("")
    )
}

fn database_error(store: &Store, error: rusqlite::Error) -> MemoryError {
    MemoryError::Database {
        path: store.path().to_path_buf(),
        message: error.to_string(),
    }
}

/// The form remembered for the endpoint `key`, if any (a name this version does not know
/// counts as none).
pub fn remembered(store: &Store, key: &str) -> Result<Option<ResponseFormat>, MemoryError> {
    let connection = store.connection();
    connection
        .execute(CREATE_TABLE, [])
        .map_err(|error| database_error(store, error))?;
    let name: Option<String> = connection
        .query_row(
            "SELECT form FROM response_formats WHERE endpoint = ?1",
            params![key],
            |row| row.get(0),
        )
        .optional()
        .map_err(|error| database_error(store, error))?;
    Ok(name.as_deref().and_then(ResponseFormat::from_name))
}

/// Remembers `form` for the endpoint `key`.
pub fn remember(store: &Store, key: &str, form: ResponseFormat) -> Result<(), MemoryError> {
    let connection = store.connection();
    connection
        .execute(CREATE_TABLE, [])
        .map_err(|error| database_error(store, error))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    connection
        .execute(
            "INSERT INTO response_formats (endpoint, form, stored_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (endpoint) DO UPDATE SET form = excluded.form, stored_at = excluded.stored_at",
            params![key, form.as_str(), i64::try_from(now).unwrap_or(i64::MAX)],
        )
        .map_err(|error| database_error(store, error))?;
    Ok(())
}

/// Before a run: the form remembered for `endpoint`, if any; an `auto` negotiation starts
/// from it. Pass the result to [`settle`].
pub fn resume(
    store: &Store,
    endpoint: &EndpointConfig,
    provider: &dyn Provider,
) -> Result<Option<ResponseFormat>, MemoryError> {
    let Some(negotiation) = provider.format_negotiation() else {
        return Ok(None);
    };
    let form = remembered(store, &endpoint_key(endpoint))?;
    if let Some(form) = form {
        negotiation.resume_from(form);
    }
    Ok(form)
}

/// After a run: remembers the form the negotiation settled on when an answer came back in it
/// and it improves on `remembered` (see the module docs); returns what the summary says.
pub fn settle(
    store: &Store,
    endpoint: &EndpointConfig,
    provider: &dyn Provider,
    remembered: Option<ResponseFormat>,
) -> Result<Option<FormatReport>, MemoryError> {
    let Some(negotiation) = provider.format_negotiation() else {
        return Ok(None);
    };
    let FormatOutcome {
        used,
        confirmed,
        refused,
        auto,
    } = negotiation.outcome();
    let improves = if auto {
        remembered != Some(used)
    } else {
        remembered.is_some_and(|remembered| used < remembered)
    };
    let remember_now = confirmed && improves;
    if remember_now {
        remember(store, &endpoint_key(endpoint), used)?;
    }
    Ok(Some(FormatReport {
        used,
        confirmed,
        refused,
        setting: endpoint.response_format.as_str(),
        resumed: auto && remembered.is_some(),
        remembered: remember_now,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::providers::ProviderKind;

    fn endpoint(url: &str, model: &str) -> EndpointConfig {
        let mut endpoint = EndpointConfig::defaults("local", ProviderKind::Openai);
        endpoint.url = url::Url::parse(url).ok();
        endpoint.model = Some(model.to_string());
        endpoint
    }

    #[test]
    fn a_form_is_remembered_per_url_and_model_and_replaced() {
        let store = Store::open_in_memory().unwrap();
        let llama = endpoint_key(&endpoint("http://127.0.0.1:8080/v1/chat/completions", "a"));
        let other_model = endpoint_key(&endpoint("http://127.0.0.1:8080/v1/chat/completions", "b"));
        assert_eq!(remembered(&store, &llama).unwrap(), None);
        remember(&store, &llama, ResponseFormat::JsonObjectSchema).unwrap();
        assert_eq!(
            remembered(&store, &llama).unwrap(),
            Some(ResponseFormat::JsonObjectSchema)
        );
        assert_eq!(remembered(&store, &other_model).unwrap(), None);
        remember(&store, &llama, ResponseFormat::None).unwrap();
        assert_eq!(
            remembered(&store, &llama).unwrap(),
            Some(ResponseFormat::None)
        );
    }

    #[test]
    fn the_key_never_holds_credentials() {
        let key = endpoint_key(&endpoint(
            "http://alice:s3cret@127.0.0.1:8080/v1/chat/completions?api-key=s3cret",
            "m",
        ));
        assert!(!key.contains("s3cret"), "{key}");
        assert!(key.starts_with("openai url=http://"), "{key}");
    }
}
