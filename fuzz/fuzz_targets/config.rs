//! Fuzz the configuration parser: any text is either settings or an error naming the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = selaras::config::parse(text, Path::new("selaras.toml")) {
        assert!(error.to_string().starts_with("selaras.toml: "));
    }
});
