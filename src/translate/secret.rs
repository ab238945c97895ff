//! API keys: read only from the environment variable a config names, and never shown.
//!
//! [`ApiKey`] prints as `[redacted]` through `Debug` and `Display`; the only way to the bytes is
//! [`ApiKey::expose`], called where a request is built. [`redact`] and [`redact_url`] scrub a
//! key out of text a server or a library echoed back (error bodies, URLs with `?key=`).
//! Must not log, print or store a key anywhere.

use std::fmt;

/// What a redacted secret prints as.
pub const REDACTED: &str = "[redacted]";

/// A secret credential. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

/// Reading a key from the environment failed.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "the environment variable {variable} is not set (it should hold the API key of endpoint `{endpoint}`)"
    )]
    Missing { variable: String, endpoint: String },
    #[error("the environment variable {variable} (API key of endpoint `{endpoint}`) is empty")]
    Empty { variable: String, endpoint: String },
    #[error(
        "the environment variable {variable} (API key of endpoint `{endpoint}`) is not valid Unicode"
    )]
    NotUnicode { variable: String, endpoint: String },
}

impl ApiKey {
    /// Wraps a key (for tests and for callers that already hold one).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// Reads the key of `endpoint` from the environment variable `variable`; surrounding white
    /// space (a pasted newline) is dropped.
    pub fn from_env(variable: &str, endpoint: &str) -> Result<Self, SecretError> {
        match std::env::var(variable) {
            Ok(value) if value.trim().is_empty() => Err(SecretError::Empty {
                variable: variable.to_string(),
                endpoint: endpoint.to_string(),
            }),
            Ok(value) => Ok(ApiKey(value.trim().to_string())),
            Err(std::env::VarError::NotPresent) => Err(SecretError::Missing {
                variable: variable.to_string(),
                endpoint: endpoint.to_string(),
            }),
            Err(std::env::VarError::NotUnicode(_)) => Err(SecretError::NotUnicode {
                variable: variable.to_string(),
                endpoint: endpoint.to_string(),
            }),
        }
    }

    /// The key itself: only for building a request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Replaces every occurrence of the key (and of its URL-encoded form) in `text`.
pub fn redact(text: &str, key: Option<&ApiKey>) -> String {
    let Some(key) = key else {
        return text.to_string();
    };
    let secret = key.expose();
    if secret.is_empty() {
        return text.to_string();
    }
    let mut result = text.replace(secret, REDACTED);
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    if encoded != secret {
        result = result.replace(&encoded, REDACTED);
    }
    result
}

/// A URL safe to show: user info and the values of query parameters that usually hold
/// credentials (`key`, `api_key`, `auth_key`, `token`, …) are replaced by `[redacted]`.
pub fn redact_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    if !shown.username().is_empty() {
        let _ = shown.set_username(REDACTED);
    }
    if shown.password().is_some() {
        let _ = shown.set_password(Some(REDACTED));
    }
    if shown.query().is_some() {
        let pairs: Vec<(String, String)> = shown
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_credential_parameter(&name) {
                    REDACTED.to_string()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    shown.to_string()
}

fn is_credential_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "key" | "api_key" | "apikey" | "api-key" | "auth_key" | "token" | "access_token"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_key() {
        let key = ApiKey::new("sk-live-1234567890");
        assert_eq!(format!("{key}"), REDACTED);
        assert_eq!(format!("{key:?}"), REDACTED);
        assert_eq!(format!("{:?}", Some(&key)), "Some([redacted])");
        assert_eq!(key.expose(), "sk-live-1234567890");
    }

    #[test]
    fn redact_scrubs_plain_and_encoded_keys() {
        let key = ApiKey::new("ab/c+d:fx");
        let text = "bad key ab/c+d:fx in ?key=ab%2Fc%2Bd%3Afx";
        let clean = redact(text, Some(&key));
        assert!(!clean.contains("ab/c+d"), "{clean}");
        assert!(!clean.contains("ab%2Fc"), "{clean}");
        assert_eq!(clean.matches(REDACTED).count(), 2);
        assert_eq!(redact("nothing", None), "nothing");
    }

    #[test]
    fn redact_url_hides_credential_parameters_only() {
        let table = [
            (
                "https://translation.googleapis.com/language/translate/v2?key=AIzaSECRET&format=text",
                "https://translation.googleapis.com/language/translate/v2?key=%5Bredacted%5D&format=text",
            ),
            (
                "http://user:pass@127.0.0.1:5000/translate",
                "http://%5Bredacted%5D:%5Bredacted%5D@127.0.0.1:5000/translate",
            ),
            (
                "http://127.0.0.1/translate?api_key=x&q=1",
                "http://127.0.0.1/translate?api_key=%5Bredacted%5D&q=1",
            ),
            ("http://127.0.0.1/translate", "http://127.0.0.1/translate"),
        ];
        for (input, expected) in table {
            let url = url::Url::parse(input).unwrap();
            assert_eq!(redact_url(&url), expected, "{input}");
        }
    }

    #[test]
    fn missing_and_empty_variables_are_errors_naming_the_variable() {
        let error = ApiKey::from_env("SELARAS_TEST_SURELY_UNSET_VARIABLE", "deepl").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("SELARAS_TEST_SURELY_UNSET_VARIABLE"),
            "{message}"
        );
        assert!(message.contains("`deepl`"), "{message}");
    }
}
