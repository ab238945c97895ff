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
    #[error(
        "the environment variable {variable} (API key of endpoint `{endpoint}`) holds {what} inside the key, which cannot be sent in a request; set it to the key alone"
    )]
    Unsendable {
        variable: String,
        endpoint: String,
        what: &'static str,
    },
}

impl ApiKey {
    /// Wraps a key (for tests and for callers that already hold one).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// Reads the key of `endpoint` from the environment variable `variable`; surrounding white
    /// space (a pasted newline) is dropped. A key holding a line break, another control
    /// character or a non-ASCII character inside is refused here, before any request: no HTTP
    /// header can carry it, and retrying would never help. The error names the variable, never
    /// its value.
    pub fn from_env(variable: &str, endpoint: &str) -> Result<Self, SecretError> {
        Self::from_variable(variable, endpoint, std::env::var(variable))
    }

    /// [`ApiKey::from_env`] given what reading the variable returned.
    fn from_variable(
        variable: &str,
        endpoint: &str,
        value: Result<String, std::env::VarError>,
    ) -> Result<Self, SecretError> {
        match value {
            Ok(value) if value.trim().is_empty() => Err(SecretError::Empty {
                variable: variable.to_string(),
                endpoint: endpoint.to_string(),
            }),
            Ok(value) => {
                let key = value.trim();
                if let Some(what) = unsendable(key) {
                    return Err(SecretError::Unsendable {
                        variable: variable.to_string(),
                        endpoint: endpoint.to_string(),
                        what,
                    });
                }
                Ok(ApiKey(key.to_string()))
            }
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

/// What in a key no HTTP header can carry, if anything: only visible ASCII and spaces can.
fn unsendable(key: &str) -> Option<&'static str> {
    key.chars().find_map(|character| match character {
        '\r' | '\n' => Some("a line break"),
        ' '..='~' => None,
        character if character.is_control() => Some("a control character"),
        _ => Some("a non-ASCII character"),
    })
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

/// A URL safe to show: user info and the values of query parameters whose name looks like a
/// credential ([`is_credential_parameter`]: `key`, `api-key`, `subscription-key`, `token`,
/// `access_token`, `sig`, `X-Amz-Signature`, …) are replaced by `[redacted]`.
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

/// [`redact_url`] for text that should be a URL but may not parse (a configuration value shown
/// in its own error): the user info before an `@` of the authority and the values of
/// credential-looking query parameters are replaced, whatever else is wrong with it.
pub fn redact_url_text(text: &str) -> String {
    if let Ok(url) = url::Url::parse(text) {
        return redact_url(&url);
    }
    let (before_fragment, fragment) = match text.find('#') {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let (before_query, query) = match before_fragment.find('?') {
        Some(at) => (&before_fragment[..at], Some(&before_fragment[at + 1..])),
        None => (before_fragment, None),
    };
    let authority_start = before_query.find("://").map_or(0, |at| at + 3);
    let authority_end = before_query[authority_start..]
        .find('/')
        .map_or(before_query.len(), |at| authority_start + at);
    let mut shown = String::with_capacity(text.len());
    match before_query[authority_start..authority_end].rfind('@') {
        Some(at) => {
            shown.push_str(&before_query[..authority_start]);
            shown.push_str(REDACTED);
            shown.push_str(&before_query[authority_start + at..]);
        }
        None => shown.push_str(before_query),
    }
    if let Some(query) = query {
        shown.push('?');
        let parts: Vec<String> = query
            .split('&')
            .map(|part| match part.split_once('=') {
                Some((name, _)) if is_credential_parameter(&percent_decoded(name)) => {
                    format!("{name}={REDACTED}")
                }
                _ => part.to_string(),
            })
            .collect();
        shown.push_str(&parts.join("&"));
    }
    shown.push_str(fragment);
    shown
}

fn percent_decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("{text}=").as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}

/// The credentials a URL carries (its password, user name, and the values of its
/// credential-looking query parameters, as written and decoded), to scrub from whatever a
/// server echoes back.
pub fn url_secrets(url: &url::Url) -> Vec<String> {
    let mut secrets = Vec::new();
    if let Some(password) = url.password() {
        secrets.push(password.to_string());
    }
    if !url.username().is_empty() {
        secrets.push(url.username().to_string());
    }
    for (name, value) in url.query_pairs() {
        if is_credential_parameter(&name) {
            secrets.push(value.into_owned());
        }
    }
    secrets.retain(|secret| secret.len() >= 4);
    secrets.sort();
    secrets.dedup();
    secrets
}

/// Whether a query parameter's name looks like it holds a credential: one of its words
/// (split at `-`, `_`, `.`, and lower-to-upper case changes) is a credential word (`sig`,
/// `auth`, `signature`, `credential`, `password`, `session`, …) or ends in `key`, `token`,
/// `secret`, `password` or `signature` (`apikey`, `accesstoken`, `clientsecret`).
pub fn is_credential_parameter(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "sig",
        "signature",
        "auth",
        "authorization",
        "credential",
        "credentials",
        "password",
        "passwd",
        "pwd",
        "pass",
        "passphrase",
        "session",
        "sessionid",
        "sid",
        "jwt",
        "bearer",
        "otp",
    ];
    const ENDINGS: &[&str] = &["key", "token", "secret", "password", "signature"];
    words(name).iter().any(|word| {
        WORDS.contains(&word.as_str()) || ENDINGS.iter().any(|ending| word.ends_with(ending))
    })
}

/// The lower-cased words of a parameter name: split at anything not a letter or digit and
/// where a lower-case letter is followed by an upper-case one (`subscriptionKey`).
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for character in name.chars() {
        if !character.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if character.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = character.is_lowercase();
        current.extend(character.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
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

    #[test]
    fn every_credential_looking_parameter_and_user_info_is_redacted() {
        for name in [
            "key",
            "api-key",
            "api_key",
            "apiKey",
            "subscription-key",
            "Ocp-Apim-Subscription-Key",
            "token",
            "access_token",
            "id_token",
            "auth",
            "auth_key",
            "sig",
            "X-Amz-Signature",
            "X-Amz-Credential",
            "client_secret",
            "password",
            "session",
        ] {
            assert!(is_credential_parameter(name), "{name}");
            let url = url::Url::parse(&format!("http://h/t?{name}=S3CR3T&format=text")).unwrap();
            let shown = redact_url(&url);
            assert!(!shown.contains("S3CR3T"), "{shown}");
            assert!(shown.contains("format=text"), "{shown}");
            assert_eq!(url_secrets(&url), ["S3CR3T"]);
        }
        for name in [
            "q",
            "format",
            "source",
            "target",
            "model",
            "deployment",
            "version",
        ] {
            assert!(!is_credential_parameter(name), "{name}");
        }
        let table = [
            (
                "ftp://alice:secret@h/x",
                "ftp://%5Bredacted%5D:%5Bredacted%5D@h/x",
            ),
            (
                "http://alice:secret@h:99999/x?token=t&q=1",
                "http://[redacted]@h:99999/x?token=[redacted]&q=1",
            ),
            ("not a url?api-key=abc", "not a url?api-key=[redacted]"),
            ("h:1/x#frag", "h:1/x#frag"),
        ];
        for (input, expected) in table {
            assert_eq!(redact_url_text(input), expected, "{input}");
        }
    }

    #[test]
    fn a_key_with_a_line_break_inside_is_refused_naming_the_variable_only() {
        let variable = "SELARAS_TEST_KEY";
        let read = |value: &str| ApiKey::from_variable(variable, "x", Ok(value.to_string()));
        for (value, what) in [
            ("abc\r\ndef-SECRET\n", "line break"),
            ("abc\tSECRET", "control character"),
            ("abcé-SECRET", "non-ASCII"),
        ] {
            let error = read(value).unwrap_err().to_string();
            assert!(error.contains(variable) && error.contains(what), "{error}");
            assert!(!error.contains("SECRET"), "{error}");
        }
        // a trailing line end alone is trimmed
        assert_eq!(read("abc-SECRET\r\n").unwrap().expose(), "abc-SECRET");
    }
}
