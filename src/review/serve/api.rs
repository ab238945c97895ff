//! The JSON API of the review workspace (documented in `docs/reference.md`, "Review server
//! API"): the articles with their counts, an article's records, and saving one edit.
//!
//! A save is durable before its `200`: the reviewed memory and the article's record file are
//! both replaced atomically first. A save whose `base` is not the current target changes
//! nothing and answers `409` with the current record. Must not print.

use super::{Run, Workspace};
use crate::model::SegmentId;
use crate::record::{AlignedSegment, Origin};
use crate::record::{Summary, read_record_file};
use crate::review::check::{apply_review, suggested_fix};
use crate::review::store::{ReviewStatus, ReviewedEntry, StoreError, write_record_file};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, put};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(super) fn routes() -> Router<Arc<Workspace>> {
    Router::new()
        .route("/api/articles", get(articles))
        .route("/api/segments", get(segments))
        .route("/api/segments/{id}", put(save))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// A segment that asks for the reviewer's attention: untranslated, a glossary or QA finding,
/// or changed by the glossary fixer.
fn is_problem(record: &AlignedSegment) -> bool {
    record.translatable
        && (record.target.is_none()
            || !record.violations.is_empty()
            || !record.warnings.is_empty()
            || !record.qa.is_empty()
            || record.origin == Origin::Fixed)
}

/// QA findings by check name (only checks with findings), for the article list and the
/// per-check filter.
fn qa_counts<'a>(
    records: impl IntoIterator<Item = &'a AlignedSegment>,
) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for finding in records.into_iter().flat_map(|record| &record.qa) {
        *counts.entry(finding.check.as_str()).or_insert(0) += 1;
    }
    counts
}

/// A record as the API shows it: the JSONL record fields, and `status` (`final` for a
/// reviewer's sign-off), `identical` (other segments of the run with the same source) and
/// `suggestion` (the glossary fixer's proposal, or null).
fn segment_json(workspace: &Workspace, run: &Run, record: &AlignedSegment) -> Value {
    let mut value = serde_json::to_value(record).unwrap_or(Value::Null);
    let source = record.source.trim();
    let status = match run.reviewed.get(source) {
        Some((ReviewStatus::Final, target))
            if record.origin == Origin::Reviewed
                && record.target.as_deref().map(str::trim) == Some(target.as_str()) =>
        {
            "final"
        }
        _ => record.status().as_str(),
    };
    let identical = if record.translatable {
        run.identical
            .get(source)
            .copied()
            .unwrap_or(1)
            .saturating_sub(1)
    } else {
        0
    };
    if let Value::Object(fields) = &mut value {
        fields.insert("status".to_string(), json!(status));
        fields.insert("identical".to_string(), json!(identical));
        fields.insert(
            "suggestion".to_string(),
            json!(suggested_fix(record, workspace.verifier.as_ref())),
        );
    }
    value
}

async fn articles(State(workspace): State<Arc<Workspace>>) -> Response {
    let run = lock(&workspace);
    let list: Vec<Value> = run
        .articles
        .iter()
        .map(|article| {
            let mut value =
                serde_json::to_value(Summary::of(&article.records)).unwrap_or_else(|_| json!({}));
            if let Value::Object(fields) = &mut value {
                fields.insert("stem".to_string(), json!(article.stem));
                fields.insert(
                    "problems".to_string(),
                    json!(article.records.iter().filter(|r| is_problem(r)).count()),
                );
                fields.insert("qa".to_string(), json!(qa_counts(&article.records)));
            }
            value
        })
        .collect();
    Json(json!({
        "source_language": workspace.options.memory.source_language,
        "target_language": workspace.options.memory.target_language,
        "articles": list,
    }))
    .into_response()
}

#[derive(Deserialize)]
struct SegmentsQuery {
    article: Option<String>,
}

async fn segments(
    State(workspace): State<Arc<Workspace>>,
    Query(query): Query<SegmentsQuery>,
) -> Response {
    let run = lock(&workspace);
    let chosen: Vec<_> = run
        .articles
        .iter()
        .filter(|article| {
            query
                .article
                .as_deref()
                .is_none_or(|stem| stem == article.stem)
        })
        .collect();
    if chosen.is_empty()
        && let Some(stem) = &query.article
    {
        return error(StatusCode::NOT_FOUND, format!("no article {stem:?}"));
    }
    let list: Vec<Value> = chosen
        .iter()
        .flat_map(|article| &article.records)
        .map(|record| segment_json(&workspace, &run, record))
        .collect();
    Json(json!({ "segments": list })).into_response()
}

/// The body of `PUT /api/segments/{id}`.
#[derive(Deserialize)]
struct EditRequest {
    target: String,
    status: String,
    /// The target the editor started from (`""` for an untranslated segment).
    base: String,
    /// Also give every other segment with the same source this English.
    #[serde(default)]
    propagate: bool,
}

async fn save(
    State(workspace): State<Arc<Workspace>>,
    Path(raw_id): Path<String>,
    body: Bytes,
) -> Response {
    let request: EditRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(problem) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the body must be JSON {{\"target\", \"status\", \"base\"}}: {problem}"),
            );
        }
    };
    let Some(status) = ReviewStatus::parse(&request.status) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("status {:?} is not reviewed or final", request.status),
        );
    };
    let target = request.target.trim();
    if target.is_empty() {
        return error(StatusCode::BAD_REQUEST, "the English must not be empty");
    }
    if let Some(character) = crate::xml::first_forbidden(target) {
        // one rule in every format: never stored as a replacement, never silently dropped
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the English holds {}, a control character XML 1.0 cannot carry (the reviewed memory is TMX); remove it and save again",
                crate::xml::code_point(character)
            ),
        );
    }
    let Some(id) = SegmentId::parse(&raw_id) else {
        return error(StatusCode::NOT_FOUND, format!("no segment {raw_id:?}"));
    };
    let mut run = lock(&workspace);
    let Some(article_index) = run.articles.iter().position(|a| a.stem == id.article) else {
        return error(StatusCode::NOT_FOUND, format!("no segment {id}"));
    };
    // the file is the truth: another tab's server or a `translate` may have written it
    if let Err(message) = refresh(&workspace, &mut run, article_index) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, message);
    }
    let Some(record_index) = run.articles[article_index]
        .records
        .iter()
        .position(|record| record.id == id && record.translatable)
    else {
        return error(
            StatusCode::NOT_FOUND,
            format!("no translatable segment {id}"),
        );
    };
    let current = &run.articles[article_index].records[record_index];
    if current.target.as_deref().unwrap_or("") != request.base {
        let current = segment_json(&workspace, &run, current);
        return (
            StatusCode::CONFLICT,
            Json(json!({
                "error": "the segment was saved by someone else since you started editing: nothing was changed",
                "current": current,
            })),
        )
            .into_response();
    }
    let source = current.source.trim().to_string();

    // every record to change, by article, on copies: the run changes only once all is on disk
    let mut changed: BTreeMap<usize, Vec<AlignedSegment>> = BTreeMap::new();
    let mut propagated = Vec::new();
    let mut article_records = run.articles[article_index].records.clone();
    apply_review(
        &mut article_records[record_index],
        target,
        workspace.verifier.as_ref(),
        Some(workspace.recheck()),
    );
    changed.insert(article_index, article_records);
    if request.propagate {
        for index in 0..run.articles.len() {
            let holds_same = run.articles[index]
                .records
                .iter()
                .any(|record| record.translatable && record.source.trim() == source);
            if !holds_same {
                continue;
            }
            if index != article_index
                && let Err(message) = refresh(&workspace, &mut run, index)
            {
                return error(StatusCode::INTERNAL_SERVER_ERROR, message);
            }
            let records = changed
                .entry(index)
                .or_insert_with(|| run.articles[index].records.clone());
            for record in records.iter_mut() {
                if record.translatable
                    && record.id != id
                    && record.source.trim() == source
                    && record.target.as_deref() != Some(target)
                {
                    apply_review(
                        record,
                        target,
                        workspace.verifier.as_ref(),
                        Some(workspace.recheck()),
                    );
                    propagated.push(record.id.to_string());
                }
            }
        }
    }

    // durable first: the reviewed memory, then the record files
    let entry = ReviewedEntry {
        source: source.clone(),
        target: target.to_string(),
        status,
    };
    if let Err(problem) = workspace.options.memory.store(&[entry]) {
        let status = match problem {
            // the source holds a character XML cannot carry: the request cannot be stored
            StoreError::Unstorable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        return error(status, problem.to_string());
    }
    for (index, records) in &changed {
        let stem = &run.articles[*index].stem;
        if let Err(problem) = write_record_file(&workspace.options.output_dir, stem, records) {
            return error(StatusCode::INTERNAL_SERVER_ERROR, problem.to_string());
        }
    }
    run.reviewed.insert(source, (status, target.to_string()));
    for (index, records) in changed {
        run.articles[index].records = records;
    }
    let saved = &run.articles[article_index].records[record_index];
    let mut answer = segment_json(&workspace, &run, saved);
    if let Value::Object(fields) = &mut answer {
        fields.insert("propagated".to_string(), json!(propagated));
    }
    Json(answer).into_response()
}

/// Reads an article's record file (`<stem>.jsonl`, as `translate` writes it) again. Records
/// kept in a file of another name cannot be saved: writing `<stem>.jsonl` beside it would put
/// the article into two files.
fn refresh(workspace: &Workspace, run: &mut Run, index: usize) -> Result<(), String> {
    let stem = &run.articles[index].stem;
    let path = workspace.options.output_dir.join(format!("{stem}.jsonl"));
    if !path.is_file() {
        return Err(format!(
            "cannot save: {} is gone or the article's records are in another file; run `selaras translate` and reload",
            path.display()
        ));
    }
    let records = read_record_file(&path).map_err(|problem| problem.to_string())?;
    // only this article's records: a file edited by hand must not smuggle in others
    let records: Vec<AlignedSegment> = records
        .into_iter()
        .filter(|record| &record.id.article == stem)
        .collect();
    run.articles[index].records = records;
    Ok(())
}

fn lock(workspace: &Workspace) -> std::sync::MutexGuard<'_, Run> {
    // a panic while holding the lock leaves the run as it was before that save (copies are
    // changed, then swapped in), so the data is still good
    workspace
        .run
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
