//! Sentence boundaries inside one block of Indonesian text.
//!
//! A rule-based scanner over bytes: a boundary is a run of `.`, `!`, `?` or `…`, then any
//! closing quotes or brackets, then white space, then something that can start a sentence.
//! Abbreviations, initials, list numbers, ellipses before lower case and photo credits veto it.
//! Returns byte ranges; must not allocate per character or know about blocks or files.

use super::abbreviations::{AbbreviationClass, Abbreviations};

/// Splits `text` into sentences. Each range is trimmed of white space, non-empty, and the
/// ranges are in order and do not overlap. Text between ranges is only white space.
pub fn split_sentences(text: &str, abbreviations: &Abbreviations) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut sentences = Vec::new();
    let mut sentence_start = 0;
    let mut position = 0;
    // the next `0xE2` byte (which may start `…`), found once and reused until passed
    let mut next_lead_byte = 0;
    while position < bytes.len() {
        if next_lead_byte < position {
            next_lead_byte = memchr::memchr(0xE2, &bytes[position..])
                .map_or(bytes.len(), |offset| position + offset);
        }
        let next_stop = memchr::memchr3(b'.', b'!', b'?', &bytes[position..])
            .map_or(bytes.len(), |offset| position + offset);
        position = next_stop.min(next_lead_byte);
        let terminal_length = terminal_at(bytes, position);
        if terminal_length == 0 {
            position += 1;
            continue;
        }
        let run_start = position;
        let mut run_end = position + terminal_length;
        // a run like `?!` or `...` or `.…`
        loop {
            let more = terminal_at(bytes, run_end);
            if more == 0 {
                break;
            }
            run_end += more;
        }
        let after_closers = skip_closers(bytes, run_end);
        let next_start = skip_white_space(text, after_closers);
        if next_start == after_closers || next_start >= bytes.len() {
            // no white space after it (`1.000`, `hal.C`, `Vietnamplus.vn`) or end of the block
            position = after_closers.max(run_end);
            continue;
        }
        if is_boundary(
            text,
            sentence_start,
            run_start,
            run_end,
            next_start,
            abbreviations,
        ) {
            push_trimmed(text, sentence_start, after_closers, &mut sentences);
            sentence_start = next_start;
        }
        position = next_start;
    }
    push_trimmed(text, sentence_start, bytes.len(), &mut sentences);
    sentences
}

/// The byte length of a sentence-final mark at `position`, or 0.
fn terminal_at(bytes: &[u8], position: usize) -> usize {
    match bytes.get(position) {
        Some(b'.' | b'!' | b'?') => 1,
        Some(0xE2)
            if bytes.get(position + 1) == Some(&0x80) && bytes.get(position + 2) == Some(&0xA6) =>
        {
            3
        } // …
        _ => 0,
    }
}

/// Skips closing quotes and brackets that belong to the sentence just ended: `air".`, `ini.”`.
fn skip_closers(bytes: &[u8], mut position: usize) -> usize {
    loop {
        match bytes.get(position..) {
            Some([b'"' | b'\'' | b')' | b']', ..]) => position += 1,
            // ” ’ (E2 80 9D, E2 80 99) and » (C2 BB)
            Some([0xE2, 0x80, 0x9D | 0x99, ..]) => position += 3,
            Some([0xC2, 0xBB, ..]) => position += 2,
            _ => return position,
        }
    }
}

fn skip_white_space(text: &str, position: usize) -> usize {
    let rest = &text[position..];
    let trimmed = rest.trim_start_matches(is_space);
    position + (rest.len() - trimmed.len())
}

/// White space for segmentation: Unicode white space (with the no-break space) plus the
/// zero-width space and a stray BOM that scrapers leave behind.
pub fn is_space(character: char) -> bool {
    character.is_whitespace() || character == '\u{200b}' || character == '\u{feff}'
}

fn push_trimmed(text: &str, start: usize, end: usize, sentences: &mut Vec<(usize, usize)>) {
    let slice = &text[start..end];
    let leading = slice.len() - slice.trim_start_matches(is_space).len();
    let trailing = slice.len() - slice.trim_end_matches(is_space).len();
    if start + leading < end - trailing {
        sentences.push((start + leading, end - trailing));
    }
}

/// Decides whether the terminal run `[run_start, run_end)` ends the sentence, given that the
/// next sentence would begin at `next_start`.
fn is_boundary(
    text: &str,
    sentence_start: usize,
    run_start: usize,
    run_end: usize,
    next_start: usize,
    abbreviations: &Abbreviations,
) -> bool {
    let next = &text[next_start..];
    let Some(opener) = sentence_opener(next) else {
        return false;
    };
    let bytes = text.as_bytes();
    // Only a single full stop can belong to an abbreviation; `?`, `!` and ellipses cannot.
    if run_end - run_start != 1 || bytes[run_start] != b'.' {
        return true;
    }
    let word = word_before(text, run_start);
    if word.is_empty() {
        return true;
    }
    // an abbreviation alone in brackets: `Letjen TNI (Purn.) Prabowo`, `Brigjen TNI (Mar.) …`
    if bytes.get(run_end) == Some(&b')') && text[..run_start - word.len()].ends_with('(') {
        return false;
    }
    // a list number or letter opening the block: `1. `, `a. `, `II. `
    if text[sentence_start..run_start].trim_start_matches(is_space) == word
        && word.len() <= 4
        && (word.bytes().all(|byte| byte.is_ascii_digit()) || is_roman_or_letter(word))
    {
        return false;
    }
    // an initial: `H. Joko`, `B. J. Habibie`, and dotted forms like `U.S.` / `a.n.`
    let mut characters = word.chars();
    if let (Some(first), None) = (characters.next(), characters.next())
        && first.is_uppercase()
    {
        return false;
    }
    if word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2) {
        return abbreviations.classify(word) == Some(AbbreviationClass::SentenceFinal)
            && opener == Opener::Letter;
    }
    match abbreviations.classify(word) {
        Some(AbbreviationClass::Prefix) => false,
        Some(AbbreviationClass::Reference) => !is_reference_target(next),
        Some(AbbreviationClass::SentenceFinal) => opener == Opener::Letter,
        None => true,
    }
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Opener {
    Letter,
    Digit,
    Quote,
    Bracket,
}

/// What starts the text after a candidate boundary, if it can start a sentence.
fn sentence_opener(next: &str) -> Option<Opener> {
    let mut characters = next.chars();
    let first = characters.next()?;
    if first.is_uppercase() {
        return Some(Opener::Letter);
    }
    if first.is_ascii_digit() {
        return Some(Opener::Digit);
    }
    let rest = characters.as_str();
    match first {
        '“' | '"' | '‘' | '\'' | '«' => {
            let inner = rest.trim_start_matches(is_space);
            // a quotation may open with a bracketed insertion: `"(Sisanya) mereka …`
            let inner = inner.strip_prefix(['(', '[']).unwrap_or(inner);
            let starts_upper = inner
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '…' || c == '.');
            starts_upper.then_some(Opener::Quote)
        }
        '(' | '[' => {
            if is_credit(rest) {
                return None;
            }
            rest.chars()
                .next()
                .is_some_and(|c| c.is_uppercase())
                .then_some(Opener::Bracket)
        }
        _ => None,
    }
}

/// `Foto: …`, `Sumber: VNA` after an opening bracket: a photo credit, which belongs to the
/// caption before it.
pub fn is_credit(after_bracket: &str) -> bool {
    const CREDIT_WORDS: &[&str] = &[
        "foto",
        "sumber",
        "ảnh",
        "photo",
        "dok",
        "dokumentasi",
        "ilustrasi",
        "gambar",
        "source",
        "video",
        "grafis",
    ];
    let word_end = after_bracket
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(after_bracket.len());
    let (word, rest) = after_bracket.split_at(word_end);
    if word.is_empty() || !rest.trim_start().starts_with([':', '.', '/']) {
        return false;
    }
    let lower = word.to_lowercase();
    CREDIT_WORDS.contains(&lower.as_str())
}

/// The word just before the full stop at `dot`: letters, digits and inner full stops
/// (`a.n` in `a.n.`), without any opening bracket or quote.
fn word_before(text: &str, dot: usize) -> &str {
    let head = &text[..dot];
    let start = head
        .char_indices()
        .rev()
        .take_while(|&(_, character)| character.is_alphanumeric() || character == '.')
        .last()
        .map_or(dot, |(index, _)| index);
    head[start..].trim_start_matches('.')
}

fn is_roman_or_letter(word: &str) -> bool {
    let mut characters = word.chars();
    match (characters.next(), characters.next()) {
        (Some(first), None) => first.is_alphabetic(),
        _ => word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')),
    }
}

/// After `No.` or `hlm.`: a number or a short capital reference (`A`, `XI`, `B)`).
fn is_reference_target(next: &str) -> bool {
    let token_end = next
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(next.len());
    let token = &next[..token_end];
    let Some(first) = token.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() {
        return true;
    }
    token.chars().count() <= 4 && token.chars().all(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text, &Abbreviations::default())
            .into_iter()
            .map(|(start, end)| &text[start..end])
            .collect()
    }

    #[test]
    fn boundary_rules_table() {
        let table: &[(&str, &[&str])] = &[
            ("Satu. Dua.", &["Satu.", "Dua."]),
            (
                "Irjen Pol. Karyoto dan Letjen TNI (Purn.) Prabowo hadir. Sept. 2023 usai.",
                &[
                    "Irjen Pol. Karyoto dan Letjen TNI (Purn.) Prabowo hadir.",
                    "Sept. 2023 usai.",
                ],
            ),
            (
                "evakuasi lagi. \"(Sisanya) mereka bertahan,\" kata Agus.",
                &[
                    "evakuasi lagi.",
                    "\"(Sisanya) mereka bertahan,\" kata Agus.",
                ],
            ),
            (
                "PT Bank Syariah Indonesia Tbk. telah menyalurkan. Ir. Mae Rusmi, M.Si. Hadir.",
                &[
                    "PT Bank Syariah Indonesia Tbk. telah menyalurkan.",
                    "Ir. Mae Rusmi, M.Si.",
                    "Hadir.",
                ],
            ),
            ("Apa? Ya! Tidak.", &["Apa?", "Ya!", "Tidak."]),
            (
                "sesuai semangat Resolusi No. 18-NQ/TW tentang reformasi.",
                &["sesuai semangat Resolusi No. 18-NQ/TW tentang reformasi."],
            ),
            (
                "diperdalam” (hlm. A, B). Berdasarkan hasil.",
                &["diperdalam” (hlm. A, B).", "Berdasarkan hasil."],
            ),
            (
                "Oleh B. J. Habibie. Ia presiden.",
                &["Oleh B. J. Habibie.", "Ia presiden."],
            ),
            (
                "Ada beberapa hal. Pertama, ini.",
                &["Ada beberapa hal.", "Pertama, ini."],
            ),
            (
                "(hal.C, bagian XI). Ini bagus.",
                &["(hal.C, bagian XI).", "Ini bagus."],
            ),
            (
                "Dipimpin Prof. Dr. H. Joko di Jl. Sudirman.",
                &["Dipimpin Prof. Dr. H. Joko di Jl. Sudirman."],
            ),
            (
                "Surat a.n. Menteri dan u.p. Direktur.",
                &["Surat a.n. Menteri dan u.p. Direktur."],
            ),
            ("Pada tgl. 17 Desember.", &["Pada tgl. 17 Desember."]),
            (
                "iklim, air, dll. Namun itu cukup.",
                &["iklim, air, dll.", "Namun itu cukup."],
            ),
            (
                "iklim, air, dll. dan seterusnya.",
                &["iklim, air, dll. dan seterusnya."],
            ),
            (
                "Tumbuh 3,5 persen pada 2021-2025. Ke-13 kalinya.",
                &["Tumbuh 3,5 persen pada 2021-2025.", "Ke-13 kalinya."],
            ),
            (
                "Nilainya 1.000 dolar. Itu besar.",
                &["Nilainya 1.000 dolar.", "Itu besar."],
            ),
            (
                "kecerdasan buatan... Kekuatan ditunjukkan.",
                &["kecerdasan buatan...", "Kekuatan ditunjukkan."],
            ),
            ("aktif... tetapi juga", &["aktif... tetapi juga"]),
            ("air... dengan kementerian", &["air... dengan kementerian"]),
            (
                "“untuk menjamin…”, yang baru.",
                &["“untuk menjamin…”, yang baru."],
            ),
            (
                "tentang tanah air\". Ia pergi.",
                &["tentang tanah air\".", "Ia pergi."],
            ),
            ("efisien.\" Presiden juga", &["efisien.\"", "Presiden juga"]),
            (
                "“Kalimat satu. Kalimat dua”.",
                &["“Kalimat satu.", "Kalimat dua”."],
            ),
            (
                "Dia berkata. “Ini benar.”",
                &["Dia berkata.", "“Ini benar.”"],
            ),
            (
                "pertemuan tersebut. (Foto: Nguyen Hong)",
                &["pertemuan tersebut. (Foto: Nguyen Hong)"],
            ),
            (
                "(22-23 November). (Sumber: VNA)",
                &["(22-23 November). (Sumber: VNA)"],
            ),
            (
                "Ia pulang. (Sebelumnya ia pergi.)",
                &["Ia pulang.", "(Sebelumnya ia pergi.)"],
            ),
            ("1. Pertama adalah ini.", &["1. Pertama adalah ini."]),
            (
                "Vietnamplus.vn adalah situs.",
                &["Vietnamplus.vn adalah situs."],
            ),
            (
                "Tahun 2023. 50 kunjungan terjadi.",
                &["Tahun 2023.", "50 kunjungan terjadi."],
            ),
            ("   ", &[]),
            ("", &[]),
        ];
        for (text, expected) in table {
            assert_eq!(split(text), *expected, "splitting {text:?}");
        }
    }

    #[test]
    fn english_abbreviations_come_from_the_english_lists() {
        let english = Abbreviations::english();
        let table: &[(&str, &[&str])] = &[
            (
                "Mr. Son met U.S. President Joe Biden on Dec. 22. Talks ended at 5 p.m. They agreed.",
                &[
                    "Mr. Son met U.S. President Joe Biden on Dec. 22.",
                    "Talks ended at 5 p.m.",
                    "They agreed.",
                ],
            ),
            (
                "Resolution No. 18 covers trade, investment, etc. The U.N. Secretary-General spoke.",
                &[
                    "Resolution No. 18 covers trade, investment, etc.",
                    "The U.N. Secretary-General spoke.",
                ],
            ),
            (
                "Gen. Giap and Dr. J. Smith, e.g. in Hanoi. It rained in May. Then it stopped.",
                &[
                    "Gen. Giap and Dr. J. Smith, e.g. in Hanoi.",
                    "It rained in May.",
                    "Then it stopped.",
                ],
            ),
        ];
        for (text, expected) in table {
            let found: Vec<&str> = split_sentences(text, &english)
                .into_iter()
                .map(|(start, end)| &text[start..end])
                .collect();
            assert_eq!(found, *expected, "splitting {text:?}");
        }
    }

    #[test]
    fn credits_are_recognised() {
        assert!(is_credit("Foto: Nguyen Hong)"));
        assert!(is_credit("Sumber: VGP)"));
        assert!(is_credit("foto : VNA)"));
        assert!(!is_credit("Sebelumnya ia pergi.)"));
        assert!(!is_credit("Fotografer datang)"));
    }
}
