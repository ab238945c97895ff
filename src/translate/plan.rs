//! The plan of a run before any request: the distinct texts, where each one's translation
//! comes from (the approved memory, the cache, or the engine), and how the texts to send are
//! grouped into requests. Must not send, wait or write anything.

use super::memory::{MemoryError, Store};
use super::{Plan, TranslateError, TranslateOptions};
use crate::model::SegmentId;
use std::collections::HashMap;

/// The distinct texts of a run and which inputs hold each.
pub(super) struct Distinct {
    pub(super) texts: Vec<String>,
    pub(super) holders: Vec<Vec<usize>>,
}

pub(super) fn distinct(items: &[(SegmentId, String)]) -> Distinct {
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    let mut texts = Vec::new();
    let mut holders: Vec<Vec<usize>> = Vec::new();
    for (position, (_, text)) in items.iter().enumerate() {
        let next = texts.len();
        let index = *index_of.entry(text.as_str()).or_insert(next);
        if index == next {
            texts.push(text.clone());
            holders.push(Vec::new());
        }
        holders[index].push(position);
    }
    Distinct { texts, holders }
}

/// Distinct text index → where its translation comes from before any request.
pub(super) enum Lookup {
    Memory(String),
    Cache(String),
    Send,
}

pub(super) fn look_up(
    distinct: &Distinct,
    approved: &HashMap<String, String>,
    store: &Store,
    options: &TranslateOptions,
    use_cache: bool,
) -> Result<Vec<Lookup>, MemoryError> {
    let mut lookups: Vec<Lookup> = distinct
        .texts
        .iter()
        .map(|text| match approved.get(text) {
            Some(target) => Lookup::Memory(target.clone()),
            None => Lookup::Send,
        })
        .collect();
    if use_cache {
        let pending: Vec<&str> = distinct
            .texts
            .iter()
            .zip(&lookups)
            .filter(|(_, lookup)| matches!(lookup, Lookup::Send))
            .map(|(text, _)| text.as_str())
            .collect();
        let cached = store.cached(&options.engine_identity(), &options.pair, &pending)?;
        for (text, lookup) in distinct.texts.iter().zip(lookups.iter_mut()) {
            if matches!(lookup, Lookup::Send)
                && let Some(target) = cached.get(text)
            {
                *lookup = Lookup::Cache(target.clone());
            }
        }
    }
    Ok(lookups)
}

/// Groups texts into requests: at most `batch_size` texts and `max_characters` characters each
/// (a single longer text goes alone).
pub fn batches(texts: &[String], batch_size: usize, max_characters: usize) -> Vec<Vec<String>> {
    let mut batches = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut characters = 0;
    for text in texts {
        let length = text.chars().count();
        if !current.is_empty()
            && (current.len() >= batch_size.max(1) || characters + length > max_characters)
        {
            batches.push(std::mem::take(&mut current));
            characters = 0;
        }
        characters += length;
        current.push(text.clone());
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

/// What a run would send, without sending anything.
pub fn plan(
    items: &[(SegmentId, String)],
    approved: &HashMap<String, String>,
    store: &Store,
    options: &TranslateOptions,
    sends_requests: bool,
) -> Result<Plan, TranslateError> {
    let distinct = distinct(items);
    let lookups = look_up(&distinct, approved, store, options, sends_requests)?;
    let mut plan = Plan {
        segments: items.len(),
        unique_texts: distinct.texts.len(),
        ..Plan::default()
    };
    let mut to_send = Vec::new();
    for (index, lookup) in lookups.iter().enumerate() {
        let holders = distinct.holders[index].len();
        match lookup {
            Lookup::Memory(_) => plan.from_memory += holders,
            Lookup::Cache(_) => plan.from_cache += holders,
            Lookup::Send => {
                plan.to_send_segments += holders;
                to_send.push(distinct.texts[index].clone());
            }
        }
    }
    if sends_requests {
        plan.to_send_texts = to_send.len();
        plan.characters = to_send.iter().map(|text| text.chars().count()).sum();
        plan.requests = batches(
            &to_send,
            options.endpoint.batch_size,
            options.endpoint.max_characters,
        )
        .len();
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_count_and_characters() {
        let texts: Vec<String> = ["aaaa", "bb", "cccccc", "d", "eeeeeeeeeeee", "f"]
            .iter()
            .map(|text| text.to_string())
            .collect();
        let grouped = batches(&texts, 3, 8);
        let shape: Vec<Vec<&str>> = grouped
            .iter()
            .map(|batch| batch.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            shape,
            [
                vec!["aaaa", "bb"],
                vec!["cccccc", "d"],
                vec!["eeeeeeeeeeee"],
                vec!["f"]
            ]
        );
        assert_eq!(batches(&texts, 2, 1000).len(), 3);
        assert!(batches(&[], 2, 10).is_empty());
    }
}
