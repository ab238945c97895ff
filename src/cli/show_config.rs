//! `selaras config`: print the settings in force after flags, environment, `selaras.toml` and
//! defaults are resolved. Keys are never shown: only the names of the variables that hold
//! them, and whether those are set.

use super::json_alias::JsonAlias;
use crate::config::Settings;
use crate::error::Outcome;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::io::Write;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// How to print the settings
    #[arg(long, value_enum, default_value_t = ConfigFormat::Text)]
    format: ConfigFormat,

    #[command(flatten)]
    json_alias: JsonAlias,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConfigFormat {
    /// TOML-like `[section]` tables of `key = value` lines (unset values left out)
    Text,
    /// One JSON object (unset values as null)
    Json,
}

pub fn run(args: ConfigArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let display = |path: &std::path::Path| path.display().to_string();
    let endpoints: serde_json::Map<String, Value> = settings
        .translate
        .endpoints
        .iter()
        .map(|(name, endpoint)| {
            let key = endpoint.api_key_env.as_ref().map(|variable| {
                let set = std::env::var_os(variable).is_some_and(|value| !value.is_empty());
                json!({ "variable": variable, "set": set })
            });
            (
                name.clone(),
                json!({
                    "kind": format!("{:?}", endpoint.kind).to_lowercase(),
                    "url": endpoint.url.as_ref().map(crate::translate::secret::redact_url),
                    "api-key": key,
                    "batch-size": endpoint.batch_size,
                    "max-characters": endpoint.max_characters,
                    "concurrency": endpoint.concurrency,
                    "requests-per-second": endpoint.requests_per_second,
                    "timeout-secs": endpoint.timeout.as_secs(),
                    "max-retries": endpoint.max_retries,
                    "model": endpoint.model,
                    "response-format": (endpoint.kind == crate::translate::providers::ProviderKind::Openai)
                        .then(|| endpoint.response_format.as_str()),
                    "target-lang": endpoint.target_lang,
                }),
            )
        })
        .collect();
    let resolved = json!({
        "config-file": settings.config_path.as_deref().map(display),
        "project": {
            "source-dir": display(&settings.source_dir),
            "output-dir": display(&settings.output_dir),
            "source-lang": settings.source_lang,
            "target-lang": settings.target_lang,
        },
        "segment": {
            "abbreviations": settings.abbreviations,
            "sentence-final-abbreviations": settings.sentence_final_abbreviations,
        },
        "glossary": {
            "files": settings.glossary_files.iter().map(|path| display(path)).collect::<Vec<_>>(),
            "mode": settings.glossary_mode,
        },
        "translate": {
            "endpoint": settings.translate.endpoint,
            "memory": settings.translate.memory.iter().map(|path| display(path)).collect::<Vec<_>>(),
            "reviewed-memory": display(&settings.translate.reviewed_memory),
            "database": display(&settings.translate.database),
        },
        "endpoints": endpoints,
        "qa": {
            "checks": settings.qa.enabled.iter().map(|check| check.as_str()).collect::<Vec<_>>(),
            "ignore-names": settings.qa.ignore_names,
            "ignore-words": settings.qa.ignore_words,
            "severity": settings
                .qa
                .severity_overrides
                .iter()
                .map(|(check, severity)| (check.as_str().to_string(), Value::from(severity.as_str())))
                .collect::<serde_json::Map<String, Value>>(),
        },
        "export": {
            "formats": settings.export_formats.iter().map(|format| format.as_str()).collect::<Vec<_>>(),
            "tmx-term-markup": settings.tmx_term_markup,
        },
    });
    super::write_stdout(
        |out| match args.json_alias.resolve(args.format, ConfigFormat::Json) {
            ConfigFormat::Json => {
                serde_json::to_writer(&mut *out, &resolved)?;
                writeln!(out)
            }
            ConfigFormat::Text => write_tables(out, &resolved, ""),
        },
    )?;
    Ok(Outcome::Success)
}

/// Writes nested objects as TOML-like `[section]` tables of `key = value` lines.
fn write_tables(out: &mut dyn Write, value: &Value, prefix: &str) -> std::io::Result<()> {
    let Value::Object(map) = value else {
        return Ok(());
    };
    let is_table = |value: &Value| value.is_object() && !is_leaf_object(value);
    // TOML has no null: unset values are left out
    let plain: Vec<_> = map
        .iter()
        .filter(|(_, value)| !is_table(value) && !value.is_null())
        .collect();
    if !plain.is_empty() {
        if !prefix.is_empty() {
            writeln!(out, "[{prefix}]")?;
        }
        for (key, value) in plain {
            writeln!(out, "{key} = {value}")?;
        }
        writeln!(out)?;
    }
    for (key, value) in map.iter().filter(|(_, value)| is_table(value)) {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        write_tables(out, value, &name)?;
    }
    Ok(())
}

/// `{"variable": …, "set": …}` prints inline, as a value, not as a table.
fn is_leaf_object(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|map| map.contains_key("variable"))
}
