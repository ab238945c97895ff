//! Fuzz the `template` endpoint: a response pointer (parsed, then applied to an arbitrary JSON
//! answer) and body filling with arbitrary texts: no input panics, a filled body is JSON
//! whenever the template is, and the texts come back out of it unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selaras::translate::providers::template::{check_template, fill, parse_pointer, select};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // pointer \n answer \n text…
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
    let template = r#"{"q": {{texts}}, "source": "{{source}}", "target": "{{target}}", "key": "{{api-key}}"}"#;
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
});
