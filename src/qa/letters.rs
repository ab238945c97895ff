//! Letters, a byte or a character at a time, for the tokeniser (`text.rs`): a table that
//! classifies each byte, ASCII letter runs read eight bytes at a time, and the folding of one
//! character (lowercase, diacritics removed). Must not know about tokens or checks.

/// [`BYTE_CLASS`]: the byte is `' '`.
pub const SPACE: u8 = 1;
/// [`BYTE_CLASS`]: an ASCII letter.
pub const LETTER: u8 = 2;
/// [`BYTE_CLASS`]: an ASCII lowercase letter.
pub const LOWER: u8 = 4;

/// What the tokeniser (`text::scan`) needs to know of each byte at once: `SPACE`, `LETTER`,
/// `LETTER | LOWER` or nothing.
pub static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b' ' as usize] = SPACE;
    let mut byte = 0;
    while byte < 26 {
        table[(b'A' + byte) as usize] = LETTER;
        table[(b'a' + byte) as usize] = LETTER | LOWER;
        byte += 1;
    }
    table
};

/// The high bit of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `chunk` that is an ASCII letter, and of each that is an ASCII
/// lowercase letter (no carry crosses a byte: each sum stays below 0x100).
fn letter_masks(chunk: u64) -> (u64, u64) {
    let low = (chunk | 0x2020_2020_2020_2020) & 0x7f7f_7f7f_7f7f_7f7f;
    // the high bit set where the byte, lowercased, is at least `a`, and where beyond `z`
    let from_a = low + 0x1f1f_1f1f_1f1f_1f1f;
    let beyond_z = low + 0x0505_0505_0505_0505;
    let letters = from_a & !beyond_z & !chunk & HIGH_BITS;
    // bit 5 (lowercase) moved to the byte's high bit
    (letters, letters & (chunk << 2))
}

/// The end of the run of ASCII letters starting at `start` and whether any of them is
/// lowercase, read eight bytes at a time where eight are left (a test of the lowercase mask,
/// not a count: without a target feature a count of its bits is a dozen instructions).
pub fn ascii_letter_run(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut end = start;
    let mut lowers_seen = 0u64;
    while let Some(chunk) = bytes.get(end..end + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let (letters, lowers) = letter_masks(u64::from_le_bytes(chunk));
        let run = (!letters & HIGH_BITS).trailing_zeros() / 8;
        end += run as usize;
        if run < 8 {
            // the lowercase bits of the letters before the run's end only
            lowers_seen |= lowers & ((1u64 << (run * 8)) - 1);
            return (end, lowers_seen != 0);
        }
        lowers_seen |= lowers;
    }
    let mut lower = lowers_seen != 0;
    while let Some(&next) = bytes.get(end) {
        let class = BYTE_CLASS[next as usize];
        if class & LETTER == 0 {
            break;
        }
        lower |= class & LOWER != 0;
        end += 1;
    }
    (end, lower)
}

/// Appends the folded form of one character: lowercase, without diacritics.
pub fn push_folded(folded: &mut String, character: char) {
    folded.push(fold_char(character));
}

/// The folded form of one character: lowercase (its first character, where lowercasing gives
/// more than one), without diacritics.
#[inline]
pub fn fold_char(character: char) -> char {
    if character.is_ascii() {
        return character.to_ascii_lowercase();
    }
    if is_general_punctuation(character) {
        // curly quotes, dashes, the ellipsis: no case, no diacritics
        return character;
    }
    let lower = character.to_lowercase().next().unwrap_or(character);
    base_letter(lower).unwrap_or(lower)
}

/// Appends the folded form of a whole text, character by character as [`push_folded`]: its
/// runs of ASCII, found eight bytes at a time, copied and lowercased as a whole.
pub fn fold_into(text: &str, folded: &mut String) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let mut end = at;
        while let Some(chunk) = bytes.get(end..end + 8) {
            let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let high = u64::from_le_bytes(chunk) & HIGH_BITS;
            if high != 0 {
                end += (high.trailing_zeros() / 8) as usize;
                break;
            }
            end += 8;
        }
        while bytes.get(end).is_some_and(|byte| *byte < 0x80) {
            end += 1;
        }
        let start = folded.len();
        folded.push_str(&text[at..end]);
        folded[start..].make_ascii_lowercase();
        at = end;
        if let Some(character) = text[at..].chars().next() {
            folded.push(fold_char(character));
            at += character.len_utf8();
        }
    }
}

/// Latin letters with diacritics (Vietnamese and the common European ones) and their base.
const DIACRITICS: [(char, &str); 10] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậäåāą"),
    ('e', "èéẻẽẹêềếểễệëēęě"),
    ('i', "ìíỉĩịîïī"),
    ('o', "òóỏõọôồốổỗộơờớởỡợöøō"),
    ('u', "ùúủũụưừứửữựûüūů"),
    ('y', "ỳýỷỹỵÿ"),
    ('d', "đď"),
    ('c', "çčć"),
    ('n', "ñńň"),
    ('s', "šś"),
];

/// Whether a character is in the General Punctuation block (U+2000 to U+206F: spaces, dashes,
/// quotation marks, the ellipsis), where no character is a letter or has a case.
#[inline]
pub fn is_general_punctuation(character: char) -> bool {
    ('\u{2000}'..='\u{206f}').contains(&character)
}

/// Whether a character may have a base letter in [`DIACRITICS`] (or the few letters
/// [`base_letter`] names itself): Latin-1 Supplement, Latin Extended-A and -B, Latin Extended
/// Additional.
#[inline]
fn may_have_base(character: char) -> bool {
    ('\u{c0}'..='\u{24f}').contains(&character) || ('\u{1e00}'..='\u{1eff}').contains(&character)
}

fn base_letter(character: char) -> Option<char> {
    if !may_have_base(character) {
        return None;
    }
    if character == 'ž' || character == 'ź' || character == 'ż' {
        return Some('z');
    }
    if character == 'ł' {
        return Some('l');
    }
    if character == 'ř' {
        return Some('r');
    }
    DIACRITICS
        .iter()
        .find(|(_, variants)| variants.contains(character))
        .map(|(base, _)| *base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eight_byte_letter_run_agrees_with_a_byte_loop() {
        let naive = |bytes: &[u8], start: usize| {
            let end = bytes[start..]
                .iter()
                .position(|byte| !byte.is_ascii_alphabetic())
                .map_or(bytes.len(), |length| start + length);
            let lower = bytes[start..end].iter().any(u8::is_ascii_lowercase);
            (end, lower)
        };
        // mixed case, all uppercase, and uppercase with one lowercase letter at a varying place
        for (stop, length, mode) in (0..=255u8)
            .flat_map(|stop| (0..20).flat_map(move |length| (0..3).map(move |m| (stop, length, m))))
        {
            {
                let mut bytes: Vec<u8> = (0..length)
                    .map(|at| match mode {
                        0 if at % 3 == 0 => b'Q',
                        0 => b'z' - (at % 26) as u8,
                        2 if at == length / 2 => b'q',
                        _ => b'A' + (at % 26) as u8,
                    })
                    .collect();
                bytes.push(stop);
                bytes.extend_from_slice(b"ABCDEFGHIJk");
                for start in 0..bytes.len() {
                    if bytes[start].is_ascii_alphabetic() {
                        assert_eq!(
                            ascii_letter_run(&bytes, start),
                            naive(&bytes, start),
                            "{bytes:?} from {start}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_fast_paths_of_folding_hold_for_every_character_they_skip() {
        // every letter of the diacritics table is in the ranges `base_letter` searches
        for (_, variants) in DIACRITICS {
            assert!(variants.chars().all(may_have_base), "{variants}");
        }
        for letter in ['ž', 'ź', 'ż', 'ł', 'ř'] {
            assert!(may_have_base(letter));
        }
        // General Punctuation has no letter, no case and no diacritics
        for character in ('\u{2000}'..='\u{206f}').filter(|c| is_general_punctuation(*c)) {
            assert!(!character.is_alphabetic(), "{character:?}");
            assert_eq!(character.to_lowercase().next(), Some(character));
            assert_eq!(fold_char(character), character);
        }
        assert!(!is_general_punctuation('\u{1fff}') && !is_general_punctuation('\u{2070}'));
    }
}
