//! Fuzz the one TMX reader (`selaras::tmx`), which reads the approved and reviewed memories
//! and the `eval` and `align` inputs: no input panics; whatever it accepts, written back, reads
//! again to as many units; and a memory selaras wrote, cut short anywhere before its end, is
//! always refused (never read as the units before the cut).
#![no_main]

use libfuzzer_sys::fuzz_target;
use selaras::tmx::{self, TranslationUnit, WriteOptions};

const OPTIONS: WriteOptions<'static> = WriteOptions {
    source_language: "id",
    creation_tool_version: "fuzz",
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        // arbitrary bytes, as a file on disk could hold
        let Ok(text) = tmx::from_utf8(rest.to_vec()) else {
            return;
        };
        let Ok(memory) = tmx::read(&text) else {
            return;
        };
        let written = tmx::write(&memory.units, &OPTIONS);
        let again = tmx::read(&written).expect("what selaras writes reads back");
        assert_eq!(again.units.len(), memory.units.len());
        return;
    }
    // units made of the data, written, then cut
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let units: Vec<TranslationUnit> = text
        .split('\u{1e}')
        .map(|unit| {
            let mut parts = unit.splitn(2, '\u{1f}');
            TranslationUnit {
                variants: vec![
                    ("id".to_string(), parts.next().unwrap_or_default().to_string()),
                    ("en".to_string(), parts.next().unwrap_or_default().to_string()),
                ],
                ..TranslationUnit::default()
            }
        })
        .collect();
    let written = tmx::write(&units, &OPTIONS);
    assert_eq!(tmx::read(&written).expect("reads back").units.len(), units.len());
    let end = written.rfind("</tmx>").expect("a root end tag") + "</tmx".len();
    // a cut anywhere up to the closing `>` of the root
    let seed = text.bytes().fold(u64::from(selector), |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(u64::from(byte))
    });
    let mut cut = (seed % end as u64) as usize;
    while !written.is_char_boundary(cut) {
        cut -= 1;
    }
    assert!(
        tmx::read(&written[..cut]).is_err(),
        "a memory cut at byte {cut} of {} was accepted",
        written.len()
    );
});
