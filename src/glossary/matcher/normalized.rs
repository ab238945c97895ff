//! Text normalised for glossary matching (case folded, white space collapsed, hyphens as
//! spaces, apostrophes straight) with a map back to the original byte offsets, and the
//! per-thread buffers the matchers normalise into. Knows no glossary.

use std::borrow::Cow;

/// Text normalised for matching, with a map back to the original byte offsets.
#[derive(Debug)]
pub struct Normalized {
    /// Case-folded, white space collapsed, hyphens as spaces, apostrophes straight.
    pub folded: String,
    /// The same, without case folding (for case-sensitive entries), byte-aligned with `folded`
    /// wherever case folding keeps a character's length (it does for every letter we fold).
    pub(super) exact: String,
    /// `map[i]` is the original offset of the character that produced folded byte `i`;
    /// `map[folded.len()]` is the original length. Left empty while `identity` holds.
    map: Vec<u32>,
    /// Whether every character kept its place and width (nothing collapsed, no hyphen or
    /// apostrophe of another width): the map is then the identity and is not built, which
    /// most news text allows.
    identity: bool,
}

impl Normalized {
    pub fn new(text: &str) -> Normalized {
        let mut normalized = Normalized {
            folded: String::new(),
            exact: String::new(),
            map: Vec::new(),
            identity: true,
        };
        normalized.refill(text, true);
        normalized
    }

    /// Normalises `text` into these buffers, reusing their memory; the exact form only when
    /// `with_exact` (else [`Normalized::exact_of`] rebuilds the few spans a case rule needs).
    pub(super) fn refill(&mut self, text: &str, with_exact: bool) {
        let Normalized {
            folded,
            exact,
            map,
            identity,
        } = self;
        folded.clear();
        exact.clear();
        map.clear();
        *identity = true;
        folded.reserve(text.len());
        if with_exact {
            exact.reserve(text.len());
        }
        let mut last_was_space = false;
        let bytes = text.as_bytes();
        let mut offset = 0;
        while offset < bytes.len() {
            let byte = bytes[offset];
            // the commonest case: a run of ASCII that normalising only lowercases (single
            // spaces included), copied whole
            let mut run_end = offset;
            let mut space_before = last_was_space;
            // eight bytes at a time while they are plain, then byte by byte
            while let Some(chunk) = bytes.get(run_end..run_end + 8) {
                let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
                    break;
                };
                let Some(ends_in_space) = plain_chunk(u64::from_le_bytes(chunk), space_before)
                else {
                    break;
                };
                space_before = ends_in_space;
                run_end += 8;
            }
            while let Some(&next) = bytes.get(run_end) {
                let plain = next.is_ascii()
                    && next != b'-'
                    && (!next.is_ascii_whitespace() || (next == b' ' && !space_before));
                if !plain {
                    break;
                }
                space_before = next == b' ';
                run_end += 1;
            }
            if run_end > offset {
                let run = &text[offset..run_end];
                let from = folded.len();
                folded.push_str(run);
                folded[from..].make_ascii_lowercase();
                if with_exact {
                    exact.push_str(run);
                }
                if !*identity {
                    map.extend(offset as u32..run_end as u32);
                }
                last_was_space = space_before;
                offset = run_end;
                continue;
            }
            if byte.is_ascii() {
                // white space and hyphens, one byte at a time without decoding
                let normal = match byte {
                    b'-' => b' ',
                    b if b.is_ascii_whitespace() => b' ',
                    b => b,
                };
                if normal == b' ' && last_was_space {
                    leave_identity(identity, map, folded, text.len());
                    offset += 1;
                    continue;
                }
                last_was_space = normal == b' ';
                folded.push(normal.to_ascii_lowercase() as char);
                if with_exact {
                    exact.push(normal as char);
                }
                if !*identity {
                    map.push(offset as u32);
                }
                offset += 1;
                continue;
            }
            let character = text[offset..].chars().next().unwrap_or('\u{fffd}');
            let normal = match character {
                '\u{2010}' | '\u{2011}' => ' ',
                '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            let width = character.len_utf8();
            if normal == ' ' && last_was_space {
                leave_identity(identity, map, folded, text.len());
                offset += width;
                continue;
            }
            last_was_space = normal == ' ';
            let mut lower = normal.to_lowercase();
            let lowered = match (lower.next(), lower.next()) {
                (Some(single), None) if single.len_utf8() == normal.len_utf8() => single,
                _ => normal,
            };
            if lowered.len_utf8() != width {
                leave_identity(identity, map, folded, text.len());
            }
            folded.push(lowered);
            if with_exact {
                exact.push(normal);
            }
            if !*identity {
                for _ in 0..lowered.len_utf8() {
                    map.push(offset as u32);
                }
            }
            offset += width;
        }
        if !*identity {
            map.push(text.len() as u32);
        }
    }

    /// The original offset of folded byte `at` (`folded.len()`: the original length).
    fn origin(&self, at: usize) -> usize {
        if self.identity {
            at
        } else {
            self.map[at] as usize
        }
    }

    /// The original byte range of a folded range.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin(start), self.origin(end))
    }

    /// The folded range `start..end` without case folding; `text` is the text normalised.
    pub(super) fn exact_of<'t>(&'t self, text: &str, start: usize, end: usize) -> Cow<'t, str> {
        if self.exact.len() == self.folded.len() {
            return Cow::Borrowed(&self.exact[start..end]);
        }
        // rebuilt: folding keeps each character's length, white space and apostrophes are
        // the same in both forms, and every other character is the original one
        let mut exact = String::with_capacity(end - start);
        for (index, folded) in self.folded[start..end].char_indices() {
            let original = self.origin(start + index);
            exact.push(match folded {
                ' ' | '\'' => folded,
                _ => text[original..].chars().next().unwrap_or(folded),
            });
        }
        Cow::Owned(exact)
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is zero, and of no other.
fn zero_bytes(word: u64) -> u64 {
    let low = !HIGH_BITS;
    !(((word & low).wrapping_add(low)) | word | low)
}

/// Whether eight bytes (little-endian in `word`) are all plain for the normaliser's ASCII
/// runs — ASCII, no hyphen, no white space but single spaces (none right after
/// `space_before`) — and if so whether the last one is a space. Bytes below 0x20 (control
/// characters, tabs, line breaks) make the chunk not plain; the byte-by-byte loop decides them.
fn plain_chunk(word: u64, space_before: bool) -> Option<bool> {
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
    if word & HIGH_BITS != 0 || below_space != 0 || zero_bytes(word ^ (ONES * u64::from(b'-'))) != 0
    {
        return None;
    }
    let spaces = zero_bytes(word ^ (ONES * u64::from(b' ')));
    if spaces & (spaces << 8) != 0 || (space_before && spaces & 0x80 != 0) {
        return None;
    }
    Some(spaces >> 63 == 1)
}

/// Ends the identity of a text's map: builds the map of what is folded so far (each byte
/// mapped to the start of its character, which kept its place), before a character that does
/// not keep its place or width.
fn leave_identity(identity: &mut bool, map: &mut Vec<u32>, folded: &str, text_len: usize) {
    if !*identity {
        return;
    }
    *identity = false;
    map.reserve(text_len + 1);
    for (start, character) in folded.char_indices() {
        for _ in 0..character.len_utf8() {
            map.push(start as u32);
        }
    }
}

thread_local! {
    /// The buffers of the last text normalised on this thread, reused for the next: matching
    /// runs once or twice per segment, and allocating three buffers each time showed in the
    /// profile of `selaras check`.
    static SCRATCH: std::cell::RefCell<Normalized> = std::cell::RefCell::new(Normalized::new(""));
}

/// Calls `with` on `text` normalised, in this thread's reused buffers when they are free (a
/// nested call gets buffers of its own).
pub(super) fn with_normalized<R>(text: &str, with: impl FnOnce(&Normalized) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            scratch.refill(text, false);
            let result = with(&scratch);
            // a huge segment must not keep its buffers for the rest of the run
            if scratch.folded.capacity() > SCRATCH_KEPT {
                *scratch = Normalized::new("");
            }
            result
        }
        Err(_) => with(&Normalized::new(text)),
    })
}

/// The most bytes of text whose buffers are kept between segments.
const SCRATCH_KEPT: usize = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    /// The normaliser's reference: one character at a time, every byte mapped.
    fn reference(text: &str) -> (String, Vec<u32>) {
        let (mut folded, mut map, mut last_was_space) = (String::new(), Vec::new(), false);
        for (offset, character) in text.char_indices() {
            let normal = match character {
                '-' | '\u{2010}' | '\u{2011}' => ' ',
                '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if normal == ' ' && last_was_space {
                continue;
            }
            last_was_space = normal == ' ';
            let mut lower = normal.to_lowercase();
            let lowered = match (lower.next(), lower.next()) {
                (Some(single), None) if single.len_utf8() == normal.len_utf8() => single,
                _ => normal,
            };
            folded.push(lowered);
            map.extend(std::iter::repeat_n(offset as u32, lowered.len_utf8()));
        }
        map.push(text.len() as u32);
        (folded, map)
    }

    #[test]
    fn folding_and_offsets_match_the_character_by_character_reference() {
        let texts = [
            "",
            "Menteri Luar Negeri Bui Thanh Son bertemu dengan Presiden",
            "Menteri  Luar\tNegeri\n\nBangsa-Bangsa -- akhir",
            "Perserikatan\u{a0}Bangsa\u{2011}Bangsa dan the minister\u{2019}s visit",
            "ÜBER Ärzte: İstanbul and ß, Ωmega  tail ",
            "a b c d e f g h  i j k l m n o p q r s t u v w x y z 0123456789",
            "exactly8exactly8 exactly8        exactly8-exactly8\u{7f}\u{1}x",
        ];
        for text in texts {
            let normalized = Normalized::new(text);
            let (folded, map) = reference(text);
            assert_eq!(normalized.folded, folded, "{text:?}");
            for (at, _) in folded.char_indices().chain([(folded.len(), ' ')]) {
                assert_eq!(
                    normalized.origin(at),
                    map[at] as usize,
                    "{text:?} at folded byte {at}"
                );
            }
        }
    }

    #[test]
    fn plain_chunks_are_exactly_the_plain_byte_runs() {
        let chunks: [(&[u8; 8], bool, Option<bool>); 8] = [
            (b"abcdefgh", false, Some(false)),
            (b"abc efg ", false, Some(true)),
            (b" bcdefgh", true, None),
            (b" bcdefgh", false, Some(false)),
            (b"abc  fgh", false, None),
            (b"abc-efgh", false, None),
            (b"abc\tefgh", false, None),
            (b"ab\x7fdefgh", false, Some(false)),
        ];
        for (chunk, space_before, expected) in chunks {
            assert_eq!(
                plain_chunk(u64::from_le_bytes(*chunk), space_before),
                expected,
                "{:?}",
                String::from_utf8_lossy(chunk)
            );
        }
    }
}
