//! What `selaras align` learns or asks for beyond the two texts: the translation table learnt
//! from the approved memory (cached under `.selaras/`, keyed by a digest of the pairs it was
//! learnt from) and, with `--with-engine`, the endpoint's translation of every source sentence,
//! through the translate stage, its approved memory and its cache.

use crate::bitext::lexical::TranslationTable;
use crate::config::Settings;
use crate::corpus::write_atomic;
use crate::model::{Article, SegmentId};
use crate::translate::memory::{LanguagePair, open_memory, read_approved};
use crate::translate::{self, Cancellation, SilentReporter, TranslateOptions, providers};
use anyhow::{Context, anyhow};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The cache file of the translation table, in the folder of the translate database.
const TABLE_CACHE: &str = "align-lexicon.tsv";

/// The folder of the translate database (`.selaras/` by default).
fn cache_folder(settings: &Settings) -> PathBuf {
    settings
        .translate
        .database
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .map_or_else(|| settings.root.join(".selaras"), PathBuf::from)
}

/// The translation table learnt from the configured memories and `extra` TMX files: read from
/// the cache when it was learnt from the same pairs, else learnt and cached.
pub fn translation_table(
    settings: &Settings,
    extra: &[PathBuf],
) -> anyhow::Result<TranslationTable> {
    let pair = LanguagePair::new(&settings.source_lang, &settings.target_lang);
    for path in extra {
        if !path.is_file() {
            return Err(anyhow!(
                "{}: no such TMX file (--lexicon-memory)",
                path.display()
            ));
        }
    }
    let mut files = settings.translate.memory_files();
    files.extend(extra.iter().cloned());
    let approved = read_approved(&files, &pair)?;
    let mut pairs: Vec<(&str, &str)> = approved
        .iter()
        .map(|(source, target)| (source.as_str(), target.as_str()))
        .collect();
    pairs.sort_unstable();
    let mut hasher = Sha256::new();
    for (source, target) in &pairs {
        hasher.update(source.as_bytes());
        hasher.update([0]);
        hasher.update(target.as_bytes());
        hasher.update([0]);
    }
    let key: String = hasher.finalize()[..12]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let path = cache_folder(settings).join(TABLE_CACHE);
    if let Some(table) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| TranslationTable::from_cache_text(&text, &key))
    {
        return Ok(table);
    }
    let table = TranslationTable::learn(pairs, None);
    // a cache that cannot be written costs time on the next run, nothing else
    let written = std::fs::create_dir_all(cache_folder(settings))
        .and_then(|()| write_atomic(&path, table.to_cache_text(&key).as_bytes()));
    if let Err(error) = written {
        eprintln!(
            "warning: {}: cannot cache the lexicon: {error}",
            path.display()
        );
    }
    Ok(table)
}

/// The engine's English for the translatable segments of `articles`, by source text, through
/// the translate stage: approved memory first, then the cache, then the endpoint (whose answers
/// are cached). The endpoint is resolved as `translate` resolves it.
pub fn engine_translations(
    settings: &Settings,
    endpoint: Option<&str>,
    articles: &[&Article],
) -> anyhow::Result<HashMap<String, String>> {
    let (name, config) = super::super::resolve_endpoint(settings, endpoint)?;
    let pair = LanguagePair::new(&settings.source_lang, &settings.target_lang);
    let items: Vec<(SegmentId, String)> = articles
        .iter()
        .flat_map(|article| article.translatable_segments())
        .map(|segment| (segment.id.clone(), segment.text.clone()))
        .collect();
    let _lock = crate::corpus::acquire_run_lock(&cache_folder(settings))?;
    let (mut store, _report, approved) = open_memory(
        &settings.translate.database,
        &settings.translate.memory_files(),
        &pair,
    )?;
    let approved = Arc::new(approved);
    let provider = providers::build(&config, Arc::clone(&approved))?;
    let options = TranslateOptions::new(config, pair);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let translated = runtime.block_on(translate::translate(
        &items,
        &approved,
        &mut store,
        provider,
        &options,
        &SilentReporter,
        &Cancellation::new(),
    ))?;
    runtime.shutdown_background();
    let mut translations = HashMap::new();
    let mut missing = 0;
    for ((_, source), translation) in items.iter().zip(translated.segments) {
        match translation.target {
            Some(target) => {
                translations.insert(source.clone(), target);
            }
            None => missing += 1,
        }
    }
    if missing > 0 {
        eprintln!(
            "warning: endpoint `{name}` left {missing} of {} sentences untranslated; they are aligned without the engine",
            items.len()
        );
    }
    Ok(translations)
}
