//! `selaras review serve`: the review workspace in the browser, served by selaras itself.
//!
//! An axum server on the caller's tokio runtime serves one page (HTML, CSS and JavaScript
//! compiled into the binary, nothing fetched) and the JSON API in [`api`]. A local server is an
//! attack surface for every page open in the same browser, so every request passes
//! [`guard`]: the `Host` header must be the address being served (DNS rebinding), a foreign
//! `Origin` or cross-site fetch is refused, and every request that changes something carries
//! the per-process token the page got in `<meta name="selaras-token">`. Responses carry a
//! Content-Security-Policy that allows only the page's own files. No request path reaches the
//! file system: the only files touched are the run's record files and the reviewed memory.
//!
//! Takes resolved options; must not print or read the configuration.

mod api;

use super::check::load_verifier;
use super::store::{ReviewStatus, ReviewedMemory, StoreError};
use crate::glossary::{GlossaryError, Verifier};
use crate::qa::{QaContext, QaOptions};
use crate::record::{ArticleRecords, RecordFileError, load_articles};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::limit::RequestBodyLimitLayer;

/// The largest request body the API accepts (an edit is a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long requests in flight may take to finish once the server is told to stop.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// The header every changing request must carry.
pub const TOKEN_HEADER: &str = "x-selaras-token";

const INDEX_HTML: &str = include_str!("../assets/index.html");
const REVIEW_CSS: &str = include_str!("../assets/review.css");
const REVIEW_JS: &str = include_str!("../assets/review.js");

/// Only the page's own script, styles and API; no inline code, no frames, no forms elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

/// Everything the server needs, resolved by the caller.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to bind (`127.0.0.1` unless the user asks otherwise).
    pub host: String,
    /// The port; 0 takes a free one.
    pub port: u16,
    /// The output folder with the run's `<stem>.jsonl` records; saves rewrite them there.
    pub output_dir: PathBuf,
    /// The reviewed memory every save goes to.
    pub memory: ReviewedMemory,
    /// The glossaries in force, to re-check every save with.
    pub glossary_files: Vec<PathBuf>,
    /// The QA checks in force, to re-check every save with.
    pub qa: QaOptions,
    /// The approved memory's pairs (source → English), the QA lexicon's evidence.
    pub approved: HashMap<String, String>,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("cannot read the run's records: {0}")]
    Records(#[source] RecordFileError),
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot make a random token: {0}")]
    Random(String),
    #[error("the server stopped: {0}")]
    Server(#[source] std::io::Error),
}

/// The run as the server holds it: records by article, and the status of reviewed sources.
pub(crate) struct Run {
    pub(crate) articles: Vec<ArticleRecords>,
    /// Source text → the status and English of its reviewed memory entry.
    pub(crate) reviewed: HashMap<String, (ReviewStatus, String)>,
    /// Source text → how many translatable segments of the run have it.
    pub(crate) identical: HashMap<String, usize>,
}

/// Shared by every request.
pub(crate) struct Workspace {
    pub(crate) options: ServeOptions,
    pub(crate) verifier: Option<Verifier>,
    /// The QA context of the run (lexicon, names, ignore lists), built once.
    pub(crate) qa: QaContext,
    token: String,
    host: String,
    origin: String,
    /// One lock for the run: saves are serialized, so two saves of one segment cannot both
    /// pass the `base` check.
    pub(crate) run: Mutex<Run>,
}

impl Workspace {
    /// The QA checks a save is re-checked with.
    pub(crate) fn recheck(&self) -> super::check::Recheck<'_> {
        super::check::Recheck {
            context: &self.qa,
            options: &self.options.qa,
        }
    }
}

/// A bound server, ready to run.
pub struct ReviewServer {
    listener: tokio::net::TcpListener,
    workspace: Arc<Workspace>,
    url: String,
}

impl ReviewServer {
    /// Loads the run, the glossary and the reviewed memory, and binds the address. An output
    /// folder without records serves an empty run (the page says to translate first).
    pub async fn bind(options: ServeOptions) -> Result<ReviewServer, ServeError> {
        let articles = match load_articles(std::slice::from_ref(&options.output_dir)) {
            Ok(articles) => articles,
            Err(RecordFileError::NoRecords { .. }) => Vec::new(),
            Err(RecordFileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Vec::new()
            }
            Err(error) => return Err(ServeError::Records(error)),
        };
        let verifier = load_verifier(
            &options.glossary_files,
            &options.memory.source_language,
            &options.memory.target_language,
        )?;
        let pairs = options.memory.load()?;
        let reviewed = pairs
            .entries
            .into_iter()
            .map(|entry| (entry.source, (entry.status, entry.target)))
            .collect();
        let mut identical: HashMap<String, usize> = HashMap::new();
        for record in articles.iter().flat_map(|article| &article.records) {
            if record.translatable {
                *identical
                    .entry(record.source.trim().to_string())
                    .or_default() += 1;
            }
        }
        // an IPv6 address needs brackets before the port
        let address = if options.host.contains(':') && !options.host.starts_with('[') {
            format!("[{}]:{}", options.host, options.port)
        } else {
            format!("{}:{}", options.host, options.port)
        };
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .map_err(|source| ServeError::Bind {
                address: address.clone(),
                source,
            })?;
        let local: SocketAddr = listener
            .local_addr()
            .map_err(|source| ServeError::Bind { address, source })?;
        let host = local.to_string();
        let url = format!("http://{host}/");
        let qa = QaContext::for_run(verifier.as_ref(), &options.approved, &options.qa);
        let workspace = Arc::new(Workspace {
            options,
            verifier,
            qa,
            token: random_token()?,
            origin: format!("http://{host}"),
            host,
            run: Mutex::new(Run {
                articles,
                reviewed,
                identical,
            }),
        });
        Ok(ReviewServer {
            listener,
            workspace,
            url,
        })
    }

    /// `http://ADDRESS:PORT/`, the address actually bound.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight (giving them
    /// [`SHUTDOWN_GRACE`] at most: a save is durable before its answer, so cutting one short
    /// loses nothing that was confirmed).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let app = router(Arc::clone(&self.workspace));
        let stopping = Arc::new(tokio::sync::Notify::new());
        let signal = {
            let stopping = Arc::clone(&stopping);
            async move {
                shutdown.await;
                stopping.notify_one();
            }
        };
        let server = axum::serve(self.listener, app)
            .with_graceful_shutdown(signal)
            .into_future();
        let grace = async {
            stopping.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        tokio::select! {
            result = server => result.map_err(ServeError::Server),
            () = grace => Ok(()),
        }
    }
}

fn router(workspace: Arc<Workspace>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/assets/review.css", get(stylesheet))
        .route("/assets/review.js", get(script))
        .merge(api::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&workspace),
            guard,
        ))
        .with_state(workspace)
}

/// 32 random bytes from the operating system, as hex.
fn random_token() -> Result<String, ServeError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| ServeError::Random(error.to_string()))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Compares without stopping at the first difference, so the time taken tells nothing.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// Refuses what a hostile page could send, and adds the security headers to every answer.
async fn guard(State(workspace): State<Arc<Workspace>>, request: Request, next: Next) -> Response {
    if let Some(refusal) = refusal(&workspace, request.method(), request.headers()) {
        let mut response = (StatusCode::FORBIDDEN, refusal).into_response();
        secure_headers(response.headers_mut());
        return response;
    }
    let mut response = next.run(request).await;
    secure_headers(response.headers_mut());
    response
}

/// Why a request is refused, if it is.
fn refusal(workspace: &Workspace, method: &Method, headers: &HeaderMap) -> Option<&'static str> {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    if host != Some(workspace.host.as_str()) {
        return Some("forbidden: the Host header is not the address being served\n");
    }
    if let Some(origin) = headers.get(header::ORIGIN)
        && origin.as_bytes() != workspace.origin.as_bytes()
    {
        return Some("forbidden: a request from another origin\n");
    }
    if headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"cross-site")
    {
        return Some("forbidden: a cross-site request\n");
    }
    let changes = !matches!(*method, Method::GET | Method::HEAD);
    if changes {
        let token_ok = headers
            .get(TOKEN_HEADER)
            .is_some_and(|token| same_secret(token.as_bytes(), workspace.token.as_bytes()));
        if !token_ok {
            return Some("forbidden: missing or wrong X-Selaras-Token\n");
        }
    }
    None
}

fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
}

async fn index(State(workspace): State<Arc<Workspace>>) -> Response {
    // the token is hex, so it needs no escaping inside the attribute
    let page = INDEX_HTML.replace("{{TOKEN}}", &workspace.token);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        REVIEW_CSS,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        REVIEW_JS,
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        let token = random_token().unwrap();
        assert_eq!(token.len(), 64);
        assert_ne!(token, random_token().unwrap());
    }
}
