//! Fuzz the segmenter: any UTF-8 text segments without panicking, and every segment is the
//! exact, trimmed, non-empty slice of its span, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selaras::segment::{SegmentOptions, segment_article};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let article = segment_article("fuzz", text, &SegmentOptions::default());
    let mut previous_end = 0;
    for segment in article.segments() {
        assert!(segment.span.start >= previous_end);
        assert!(segment.span.start < segment.span.end);
        assert_eq!(&text[segment.span.start..segment.span.end], segment.text);
        previous_end = segment.span.end;
    }
});
