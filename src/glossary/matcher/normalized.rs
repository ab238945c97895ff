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
    /// `map[folded.len()]` is the original length.
    pub(super) map: Vec<u32>,
}

impl Normalized {
    pub fn new(text: &str) -> Normalized {
        let mut normalized = Normalized {
            folded: String::new(),
            exact: String::new(),
            map: Vec::new(),
        };
        normalized.refill(text, true);
        normalized
    }

    /// Normalises `text` into these buffers, reusing their memory; the exact form only when
    /// `with_exact` (else [`Normalized::exact_of`] rebuilds the few spans a case rule needs).
    pub(super) fn refill(&mut self, text: &str, with_exact: bool) {
        let Normalized { folded, exact, map } = self;
        folded.clear();
        exact.clear();
        map.clear();
        folded.reserve(text.len());
        if with_exact {
            exact.reserve(text.len());
        }
        map.reserve(text.len() + 1);
        let mut last_was_space = false;
        let bytes = text.as_bytes();
        let mut offset = 0;
        while offset < bytes.len() {
            let byte = bytes[offset];
            // the commonest case: a run of ASCII that normalising only lowercases (single
            // spaces included), copied whole
            let mut run_end = offset;
            let mut space_before = last_was_space;
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
                map.extend(offset as u32..run_end as u32);
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
                    offset += 1;
                    continue;
                }
                last_was_space = normal == b' ';
                folded.push(normal.to_ascii_lowercase() as char);
                if with_exact {
                    exact.push(normal as char);
                }
                map.push(offset as u32);
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
                offset += width;
                continue;
            }
            last_was_space = normal == ' ';
            let mut lower = normal.to_lowercase();
            let lowered = match (lower.next(), lower.next()) {
                (Some(single), None) if single.len_utf8() == normal.len_utf8() => single,
                _ => normal,
            };
            folded.push(lowered);
            if with_exact {
                exact.push(normal);
            }
            for _ in 0..lowered.len_utf8() {
                map.push(offset as u32);
            }
            offset += width;
        }
        map.push(text.len() as u32);
    }

    /// The original byte range of a folded range.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.map[start] as usize, self.map[end] as usize)
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
            let original = self.map[start + index] as usize;
            exact.push(match folded {
                ' ' | '\'' => folded,
                _ => text[original..].chars().next().unwrap_or(folded),
            });
        }
        Cow::Owned(exact)
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
            if scratch.map.capacity() > SCRATCH_KEPT {
                *scratch = Normalized::new("");
            }
            result
        }
        Err(_) => with(&Normalized::new(text)),
    })
}

/// The most bytes of text whose buffers are kept between segments.
const SCRATCH_KEPT: usize = 1 << 20;
