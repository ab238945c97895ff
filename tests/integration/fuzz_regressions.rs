//! Every input a fuzz target ever crashed on, kept under `tests/fuzz-regressions/<target>/`
//! and replayed here through the same checks as the target (see `fuzz/fuzz_targets/`), so a
//! fixed crash stays fixed without cargo-fuzz. Must not depend on the fuzz crate.

use crate::support::project_root;
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use selaras::tmx::{self, TranslationUnit, WriteOptions};
use selaras::translate::providers::template::{check_template, fill, parse_pointer, select};
use selaras::translate::providers::{
    ProviderError, RETRY_AFTER_CEILING, parse_retry_after, retry_after,
};
use selaras::translate::providers::{
    ProviderKind, classify, deepl, error_message, google, libretranslate, openai, parse_json_body,
};
use selaras::translate::retry::{Decision, RetryPolicy};
use selaras::translate::secret::{is_credential_parameter, redact_url, redact_url_text};
use std::time::{Duration, SystemTime};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let folder = project_root().join("tests/fuzz-regressions").join(target);
    if !folder.exists() && matches!(target, "tmx" | "retry_after") {
        // no crash found yet for these targets
        return Vec::new();
    }
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    inputs.sort();
    inputs
}

/// The checks of `fuzz_targets/template_pointer.rs`.
fn template_pointer(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\n');
    let pointer = parts.next().unwrap_or_default();
    let answer = parts.next().unwrap_or_default();
    let texts: Vec<String> = parts
        .next()
        .unwrap_or_default()
        .split('\u{1f}')
        .map(str::to_string)
        .collect();
    if let Ok(tokens) = parse_pointer(pointer)
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(answer)
    {
        let _ = select(&json, &tokens);
    }
    let template =
        r#"{"q": {{texts}}, "source": "{{source}}", "target": "{{target}}", "key": "{{api-key}}"}"#;
    assert!(check_template(template).is_ok());
    let body = fill(template, &texts, pointer, answer, Some(answer));
    let json: serde_json::Value = serde_json::from_str(&body).expect("a filled body is JSON");
    let back: Vec<String> = json["q"]
        .as_array()
        .expect("texts array")
        .iter()
        .map(|value| value.as_str().expect("string").to_string())
        .collect();
    assert_eq!(back, texts);
    assert_eq!(json["source"].as_str(), Some(pointer));
}

/// The checks of `fuzz_targets/responses.rs`.
fn responses(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let sent = usize::from(selector >> 4) % 8 + 1;
    let answer = match selector % 6 {
        0 => deepl::parse_answer(body, sent),
        1 => libretranslate::parse_answer(body, sent),
        2 => google::parse_answer(body, sent, false),
        3 => google::parse_answer(body, sent, true),
        4 => parse_json_body(body).and_then(|json| openai::parse_answer(&json, sent)),
        _ => {
            let _ = error_message(body);
            for (kind, status) in [
                (ProviderKind::Deepl, 456),
                (ProviderKind::Google, 403),
                (ProviderKind::Openai, 429),
                (ProviderKind::Openai, 400),
                (ProviderKind::Libretranslate, 400),
                (ProviderKind::Template, 503),
            ] {
                let status = reqwest::StatusCode::from_u16(status).unwrap();
                let _ = classify(kind, status, &reqwest::header::HeaderMap::new(), body);
            }
            return;
        }
    };
    if let Ok(answer) = answer {
        assert_eq!(answer.len(), sent);
        assert!(answer.iter().all(Option::is_some));
    }
}

#[test]
fn template_pointer_crash_inputs_stay_fixed() {
    let inputs = inputs("template_pointer");
    assert!(!inputs.is_empty());
    for (name, data) in inputs {
        let outcome = std::panic::catch_unwind(|| template_pointer(&data));
        assert!(outcome.is_ok(), "{name} crashes again");
    }
}

#[test]
fn response_parsers_handle_hostile_answers() {
    // the seeds the fuzzer started from, plus any crash input it ever found
    let mut cases: Vec<(String, Vec<u8>)> = inputs("responses");
    for (selector, body) in [
        (0u8, r#"{"translations":[{"text":"One."}]}"#),
        (1, r#"{"translatedText":"One."}"#),
        (0x11, r#"{"translatedText":"One."}"#),
        (
            2,
            r#"{"data":{"translations":[{"translatedText":"&#39;x"}]}}"#,
        ),
        (
            3,
            r#"{"data":{"translations":[{"translatedText":"&#39;x"}]}}"#,
        ),
        (
            4,
            r#"{"choices":[{"message":{"content":"```json\n[{\"id\":1,\"text\":\"a\"}]\n```"}}]}"#,
        ),
        (
            4,
            r#"{"choices":[{"message":{"content":"[{\"id\":18446744073709551615,\"text\":\"a\"}]"}}]}"#,
        ),
        (5, r#"{"error":{"errors":[{"reason":7}]}}"#),
    ] {
        let mut data = vec![selector];
        data.extend_from_slice(body.as_bytes());
        cases.push((format!("seed {selector}"), data));
    }
    for (name, data) in cases {
        let outcome = std::panic::catch_unwind(|| responses(&data));
        assert!(outcome.is_ok(), "{name} panics");
    }
}

const TMX_OPTIONS: WriteOptions<'static> = WriteOptions {
    source_language: "id",
    creation_tool_version: "fuzz",
};

/// The checks of `fuzz_targets/tmx.rs`.
fn tmx_checks(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        let Ok(text) = tmx::from_utf8(rest.to_vec()) else {
            return;
        };
        let Ok(memory) = tmx::read(&text) else {
            return;
        };
        let written = tmx::write(&memory.units, &TMX_OPTIONS);
        let again = tmx::read(&written).expect("what selaras writes reads back");
        assert_eq!(again.units.len(), memory.units.len());
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let units = units_of(text);
    let written = tmx::write(&units, &TMX_OPTIONS);
    assert_eq!(tmx::read(&written).unwrap().units.len(), units.len());
    let end = written.rfind("</tmx>").unwrap() + "</tmx".len();
    let seed = text.bytes().fold(u64::from(selector), |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(u64::from(byte))
    });
    let mut cut = (seed % end as u64) as usize;
    while !written.is_char_boundary(cut) {
        cut -= 1;
    }
    assert!(tmx::read(&written[..cut]).is_err(), "cut at {cut} accepted");
}

/// Units of `id` and `en` text: units split at U+001E, the two texts at U+001F.
fn units_of(text: &str) -> Vec<TranslationUnit> {
    text.split('\u{1e}')
        .map(|unit| {
            let mut parts = unit.splitn(2, '\u{1f}');
            TranslationUnit {
                variants: vec![
                    (
                        "id".to_string(),
                        parts.next().unwrap_or_default().to_string(),
                    ),
                    (
                        "en".to_string(),
                        parts.next().unwrap_or_default().to_string(),
                    ),
                ],
                ..TranslationUnit::default()
            }
        })
        .collect()
}

/// The checks of `fuzz_targets/retry_after.rs` (the endpoint kinds' classifications are the
/// target's; here the shared rules).
fn retry_after_checks(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if let Ok(value) = std::str::from_utf8(rest)
        && !value.contains("S3CRET")
    {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(selector) << 24);
        if let Some(wait) = parse_retry_after(value, now) {
            assert!(wait <= RETRY_AFTER_CEILING, "{value:?}: {wait:?}");
        }
        let url = format!("http://user:S3CRETPW@h/{value}?token=S3CRETTK&q={value}");
        assert!(!redact_url_text(&url).contains("S3CRETPW"));
        if let Ok(parsed) = url::Url::parse(&url) {
            // the contract: no user info, and every credential-named parameter redacted
            let shown = url::Url::parse(&redact_url(&parsed)).expect("a redacted URL parses");
            assert!(!shown.as_str().contains("S3CRETPW"), "{shown}");
            for (name, value) in shown.query_pairs() {
                if is_credential_parameter(&name) {
                    assert_eq!(value, "[redacted]", "{shown}");
                }
            }
        }
    }
    let Ok(value) = HeaderValue::from_bytes(rest) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, value);
    let after = retry_after(&headers);
    assert!(after.is_none_or(|wait| wait <= RETRY_AFTER_CEILING));
    let policy = RetryPolicy {
        max_retries: 20,
        max_wait: Duration::from_secs(u64::from(selector) + 1),
        ..RetryPolicy::default()
    };
    let error = ProviderError::RateLimited {
        after,
        reason: String::new(),
    };
    for attempt in [0, 1, 19] {
        if let Decision::Retry(wait) = policy.decide(&error, attempt, 2, 0.999) {
            assert!(wait <= policy.max_wait);
        }
    }
}

#[test]
fn tmx_and_retry_after_inputs_stay_fixed() {
    let mut cases: Vec<(&str, String, Vec<u8>)> = Vec::new();
    for (name, data) in inputs("tmx") {
        cases.push(("tmx", name, data));
    }
    for (name, data) in inputs("retry_after") {
        cases.push(("retry_after", name, data));
    }
    // seeds: a memory cut inside its last end tag, hostile header values
    for (selector, body) in [
        (0u8, "<tmx><header srclang=\"id\"/><body></body></tmx"),
        (0, "<tmx><body><tu>broken"),
        (1, "Satu.\u{1f}One.\u{1e}Dua.\u{1f}Two."),
        (7, "Satu.\u{1f}One."),
    ] {
        let mut data = vec![selector];
        data.extend_from_slice(body.as_bytes());
        cases.push(("tmx", format!("seed {body:?}"), data));
    }
    for value in [
        "1e300",
        "99999999999999999999",
        "NaN",
        "-1",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let mut data = vec![3u8];
        data.extend_from_slice(value.as_bytes());
        cases.push(("retry_after", format!("seed {value:?}"), data));
    }
    for (target, name, data) in cases {
        let outcome = std::panic::catch_unwind(|| match target {
            "tmx" => tmx_checks(&data),
            _ => retry_after_checks(&data),
        });
        assert!(outcome.is_ok(), "{target} {name} fails");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// The bounded stand-in for `cargo fuzz run tmx` in the test suite: arbitrary text and
    /// arbitrary cuts of written memories.
    #[test]
    fn the_tmx_reader_never_panics_and_refuses_every_cut(
        selector in any::<u8>(),
        text in "(\\PC|[<>&/\"'\u{1e}\u{1f}]|<tu>|</tu>|<tmx>|</tmx>|<seg>|</seg>){0,80}",
    ) {
        let mut data = vec![selector];
        data.extend_from_slice(text.as_bytes());
        tmx_checks(&data);
    }

    /// The bounded stand-in for `cargo fuzz run retry_after`.
    #[test]
    fn retry_after_never_panics_nor_waits_past_its_caps(
        selector in any::<u8>(),
        value in "([0-9.eE+-]{0,30}|\\PC{0,30}|[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT)",
    ) {
        let mut data = vec![selector];
        data.extend_from_slice(value.as_bytes());
        retry_after_checks(&data);
    }
}
