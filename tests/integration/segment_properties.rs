//! Property tests: segmentation covers every character that is not white space or markup
//! noise exactly once, in order, and never panics.

use proptest::prelude::*;
use selaras::segment::{SegmentOptions, segment_article};

/// Realistic pieces of Indonesian news text, punctuation and abbreviations included.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Presiden".to_string()),
        Just("Wakil Perdana Menteri".to_string()),
        Just("No.".to_string()),
        Just("hlm.".to_string()),
        Just("dll.".to_string()),
        Just("Dr.".to_string()),
        Just("H.".to_string()),
        Just("a.n.".to_string()),
        Just("18-NQ/TW".to_string()),
        Just("3,5".to_string()),
        Just("ke-13".to_string()),
        Just("...".to_string()),
        Just("…".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just("(Foto: VNA)".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(".".to_string()),
        Just("?".to_string()),
        Just("!".to_string()),
        Just(":".to_string()),
        Just("\u{a0}".to_string()),
        Just("(VOVWORLD) -".to_string()),
        Just("Komentar (0)".to_string()),
        "[a-zA-Z]{1,12}",
        "[0-9]{1,4}",
        "\\PC{1,3}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..30).prop_map(|tokens| tokens.join(" "))
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..12),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")],
        any::<bool>(),
    )
        .prop_map(|(lines, ending, bom)| {
            let body = lines.join(ending);
            if bom { format!("\u{feff}{body}") } else { body }
        })
}

/// Characters the segmenter may leave outside every segment: white space, and the pipes that
/// mark captions (lines opening with other markup are kept out of the generated text).
fn is_outside_allowed(character: char) -> bool {
    character.is_whitespace() || matches!(character, '\u{feff}' | '\u{200b}' | '|')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn segments_cover_every_visible_character_once(text in document()) {
        // lines that open with a dash are questions: their marker is noise, so keep them out
        let text: String = text
            .split_inclusive(['\n', '\r'])
            .filter(|line| !line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}').starts_with(['-', '–', '—', '|', '!']))
            .collect();
        let article = segment_article("p", &text, &SegmentOptions::default());
        let mut covered = vec![false; text.len()];
        let mut previous_end = 0;
        for segment in article.segments() {
            prop_assert!(segment.span.start >= previous_end, "segments out of order or overlapping");
            prop_assert!(segment.span.start < segment.span.end, "empty segment");
            prop_assert_eq!(&text[segment.span.start..segment.span.end], segment.text.as_str());
            for flag in &mut covered[segment.span.start..segment.span.end] {
                *flag = true;
            }
            previous_end = segment.span.end;
        }
        for (offset, character) in text.char_indices() {
            if !covered[offset] {
                prop_assert!(
                    is_outside_allowed(character),
                    "{:?} at byte {} is in no segment of {:?}", character, offset, text
                );
            }
        }
    }

    #[test]
    fn caption_markup_is_the_only_other_thing_left_out(body in line(), leading in any::<bool>()) {
        prop_assume!(body.chars().any(char::is_alphanumeric));
        prop_assume!(!body.trim_start().starts_with(['-', '–', '—', '|', '!', '(']));
        let text = if leading { format!("| {body} |") } else { format!("{body} |") };
        let article = segment_article("p", &text, &SegmentOptions::default());
        let inside: String = article.segments().map(|segment| segment.text.as_str()).collect::<Vec<_>>().join(" ");
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '|').collect::<String>();
        prop_assert_eq!(squeeze(&inside), squeeze(&body));
    }
}
