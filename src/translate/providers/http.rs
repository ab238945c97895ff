//! The HTTP layer every network provider shares: the client (the endpoint's timeouts, no
//! redirect away from its origin, no Referer), sending a request and reading its answer with
//! a cap on its size, and turning transport failures into [`ProviderError`]s that never carry
//! the key or a credential of the URL.

use super::{EndpointConfig, ProviderError, ProviderSetupError};
use crate::translate::secret::{ApiKey, redact, redact_url, url_secrets};
use std::time::Duration;

/// What every HTTP provider holds: a client with the endpoint's timeout, the URL and the key.
pub(crate) struct Http {
    pub client: reqwest::Client,
    pub url: url::Url,
    pub key: Option<ApiKey>,
    /// Credentials the URL itself carries (a password, a `?token=`), scrubbed from messages.
    secrets: Vec<String>,
    /// The largest body read; a longer answer fails the request.
    max_response_bytes: usize,
}

/// A response read to the end: status, headers and body.
pub(crate) struct RawResponse {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Http {
    /// The client of `endpoint` for `url`, holding `key`.
    pub(crate) fn new(
        endpoint: &EndpointConfig,
        url: url::Url,
        key: Option<ApiKey>,
    ) -> Result<Http, ProviderSetupError> {
        let client = reqwest::Client::builder()
            .timeout(endpoint.timeout)
            .connect_timeout(endpoint.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("selaras/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(endpoint.concurrency.max(1))
            // a redirect re-sends the key (in the URL, the body or a header): follow only those
            // that stay on the endpoint's own scheme, host and port, and never send a Referer
            .redirect(same_origin_redirects(&url))
            .referer(false)
            .build()
            .map_err(|error| ProviderSetupError::Client {
                endpoint: endpoint.name.clone(),
                message: error.without_url().to_string(),
            })?;
        let http = Http {
            client,
            secrets: url_secrets(&url),
            url,
            key,
            max_response_bytes: endpoint.max_response_bytes,
        };
        Ok(http)
    }

    /// Sends a request and reads the whole answer, at most `max-response-bytes` of it;
    /// transport failures (timeout, refused or dropped connection, body cut short, a body
    /// over the limit) become [`ProviderError::Retryable`], a redirect off the endpoint's
    /// origin [`ProviderError::Redirected`]. The body of a 2xx answer must be UTF-8
    /// ([`ProviderError::Malformed`] otherwise: never read with replacement characters, so
    /// never cached); the body of a failure is only read for its message. Nothing in the
    /// error carries the key or the raw URL.
    pub async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, ProviderError> {
        let mut response = request
            .send()
            .await
            .map_err(|error| self.transport_error(error))?;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = self.max_response_bytes;
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(self.too_large_error());
        }
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| self.transport_error(error))?
        {
            if bytes.len() + chunk.len() > limit {
                return Err(self.too_large_error());
            }
            bytes.extend_from_slice(&chunk);
        }
        let body = if status.is_success() {
            String::from_utf8(bytes).map_err(|error| ProviderError::Malformed {
                reason: format!(
                    "the answer is not valid UTF-8 (at byte {})",
                    error.utf8_error().valid_up_to()
                ),
            })?
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Ok(RawResponse {
            status,
            headers,
            body: self.redact(&body),
        })
    }

    /// The URL with credentials hidden, for messages.
    pub fn shown_url(&self) -> String {
        redact_url(&self.url)
    }

    /// `text` without the key or the credentials of the URL.
    pub fn redact(&self, text: &str) -> String {
        let mut text = redact(text, self.key.as_ref());
        for secret in &self.secrets {
            text = redact(&text, Some(&ApiKey::new(secret.clone())));
        }
        text
    }

    fn too_large_error(&self) -> ProviderError {
        ProviderError::Retryable {
            after: None,
            reason: format!(
                "{}: the answer is larger than {} bytes (`max-response-bytes`)",
                self.shown_url(),
                self.max_response_bytes
            ),
        }
    }

    fn transport_error(&self, error: reqwest::Error) -> ProviderError {
        if error.is_redirect()
            && let Some(refused) = find_source::<RedirectRefused>(&error)
        {
            return ProviderError::Redirected {
                reason: format!(
                    "{} answered {}: selaras follows no redirect away from the endpoint's scheme, host and port (the key would go with it); set `url` to the address that answers, if you trust it",
                    self.shown_url(),
                    refused
                ),
            };
        }
        let what = if error.is_timeout() {
            "timed out"
        } else if error.is_connect() {
            "could not connect"
        } else if error.is_body() || error.is_decode() {
            "the answer was cut short"
        } else {
            "the request failed"
        };
        let detail = self.redact(&error_chain(&error.without_url()));
        ProviderError::Retryable {
            after: None,
            reason: format!("{} {what}: {detail}", self.shown_url()),
        }
    }
}

/// The first error of type `Wanted` in the chain of `error`.
fn find_source<'a, Wanted: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a Wanted> {
    let mut current = Some(error);
    while let Some(cause) = current {
        if let Some(found) = cause.downcast_ref::<Wanted>() {
            return Some(found);
        }
        current = cause.source();
    }
    None
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The most redirects followed within the endpoint's origin before giving up.
const MAX_REDIRECTS: usize = 5;

/// A redirect policy that follows a redirect only to the scheme, host and port of `endpoint`
/// (at most [`MAX_REDIRECTS`] of them), and refuses any other with a [`RedirectRefused`].
fn same_origin_redirects(endpoint: &url::Url) -> reqwest::redirect::Policy {
    let origin = endpoint.origin();
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.url().origin() != origin {
            let refused = RedirectRefused {
                to: redact_url(attempt.url()),
                status: attempt.status().as_u16(),
            };
            attempt.error(refused)
        } else if attempt.previous().len() > MAX_REDIRECTS {
            let refused = RedirectRefused {
                to: format!("{} (too many redirects)", redact_url(attempt.url())),
                status: attempt.status().as_u16(),
            };
            attempt.error(refused)
        } else {
            attempt.follow()
        }
    })
}

/// A redirect the client did not follow: where to (credentials redacted) and the status.
#[derive(Debug, thiserror::Error)]
#[error("HTTP {status}, a redirect to {to}")]
struct RedirectRefused {
    to: String,
    status: u16,
}
