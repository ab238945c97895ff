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
    if character.is_ascii() {
        folded.push(character.to_ascii_lowercase());
        return;
    }
    let lower = character.to_lowercase().next().unwrap_or(character);
    folded.push(base_letter(lower).unwrap_or(lower));
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

fn base_letter(character: char) -> Option<char> {
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
}
