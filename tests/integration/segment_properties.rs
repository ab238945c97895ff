//! Property tests: segmentation covers every character that is not white space or markup
//! noise exactly once, in order, and never panics; the streaming segmenter gives the blocks of
//! the whole-text one, however the source is cut into reads.

use proptest::prelude::*;
use selaras::model::Block;
use selaras::segment::stream::{ArticleStream, SourceLines, survey};
use selaras::segment::{SegmentOptions, segment_article};
use std::io::Read;

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

/// Whole lines that make the rules look at their neighbours or at the whole article, and
/// bytes that are not UTF-8.
fn context_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        line().prop_map(String::into_bytes),
        Just(b"Tempo: Apakah ini benar?".to_vec()),
        Just(b"Tempo: Bagaimana kelanjutannya?".to_vec()),
        Just(b"Sri Mulyani: Kami bekerja keras.".to_vec()),
        Just(b"ANTARA FOTO/Didik Suhartono".to_vec()),
        Just(b"Baca juga".to_vec()),
        Just(b"Reporter".to_vec()),
        Just(b"Kemenhub Prediksi Mudik".to_vec()),
        Just(b"Ia pulang, kata dia. (ant)".to_vec()),
        Just(b"| Presiden datang. (Foto: VNA) |".to_vec()),
        Just(b"TEMPO.CO, Jakarta - Menteri Keuangan datang ke kantor pada Senin pagi.".to_vec()),
        Just(b"Hano\xef. Dua\xe2\x80".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
    ]
}

fn context_document() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(context_line(), 0..16),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")],
        any::<bool>(),
    )
        .prop_map(|(lines, ending, bom)| {
            let mut document = if bom {
                "\u{feff}".as_bytes().to_vec()
            } else {
                Vec::new()
            };
            document.extend(lines.join(ending.as_bytes()));
            document
        })
}

/// A reader that hands out the source in the given sizes of read, in turn.
struct Cut<'a> {
    source: &'a [u8],
    sizes: Vec<usize>,
    turn: usize,
}

impl Read for Cut<'_> {
    fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.turn % self.sizes.len()];
        self.turn += 1;
        let count = self.source.len().min(into.len()).min(size);
        into[..count].copy_from_slice(&self.source[..count]);
        self.source = &self.source[count..];
        Ok(count)
    }
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

    #[test]
    fn streaming_gives_the_blocks_of_the_whole_text(
        source in context_document(),
        sizes in prop::collection::vec(1usize..40, 1..5),
    ) {
        // `--lossy`: the whole text as `String::from_utf8_lossy` makes it
        let whole = String::from_utf8_lossy(&source);
        let options = SegmentOptions::default();
        let expected = segment_article("p", &whole, &options).blocks;
        let surveyed = survey(&mut SourceLines::new(&source[..], true), &options);
        prop_assume!(surveyed.is_ok(), "an empty document");
        let surveyed = surveyed.unwrap();
        let mut lines = SourceLines::new(Cut { source: &source, sizes, turn: 0 }, true);
        let mut stream = ArticleStream::new(&surveyed, &options);
        let mut blocks: Vec<Block> = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            if let Some(block) = stream.push(line) {
                blocks.push(block.to_block("p"));
            }
        }
        if let Some(block) = stream.finish() {
            blocks.push(block.to_block("p"));
        }
        prop_assert_eq!(blocks, expected);
    }
}
