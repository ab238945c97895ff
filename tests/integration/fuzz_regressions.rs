//! Every input a fuzz target ever crashed on, kept under `tests/fuzz-regressions/<target>/`
//! and replayed here through the same checks as the target (see `fuzz/fuzz_targets/`), so a
//! fixed crash stays fixed without cargo-fuzz. Must not depend on the fuzz crate.

use crate::support::project_root;
use selaras::translate::providers::template::{check_template, fill, parse_pointer, select};
use selaras::translate::providers::{
    ProviderKind, classify, deepl, error_message, google, libretranslate, openai, parse_json_body,
};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let folder = project_root().join("tests/fuzz-regressions").join(target);
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
