//! Fuzz the endpoint answer parsers (DeepL, LibreTranslate, Google, OpenAI-style chat
//! completions) and the error-body classifier on arbitrary bodies: no input panics, and an
//! accepted answer holds exactly one translation per text sent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selaras::translate::providers::{ProviderKind, deepl, google, libretranslate, openai};
use selaras::translate::providers::{classify, error_message};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    // 1..=8 texts sent
    let sent = usize::from(selector >> 4) % 8 + 1;
    let answer = match selector % 6 {
        0 => deepl::parse_answer(body, sent),
        1 => libretranslate::parse_answer(body, sent),
        2 => google::parse_answer(body, sent, false),
        3 => google::parse_answer(body, sent, true),
        4 => selaras::translate::providers::parse_json_body(body)
            .and_then(|json| openai::parse_answer(&json, sent)),
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
        assert_eq!(answer.len(), sent, "one translation per text sent");
        assert!(answer.iter().all(Option::is_some), "network answers are complete");
    }
});
