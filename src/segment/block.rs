//! Block classification: what one source line is, and which part of it is text.
//!
//! Recognises the page furniture of scraped news (comment counters, ad slots, source links,
//! image stubs, separators), strips markup noise around captions, and tells headings,
//! captions, interview questions, bylines and paragraphs apart. Pure functions over one line.

use super::furniture::{Furniture, Role};
use super::sentence::{is_credit, is_space};
use crate::model::BlockKind;
use std::sync::LazyLock;

/// One classified line: its kind, the byte range of its text inside the line (markup noise
/// excluded), and the range of a leading dateline such as `(VOVWORLD) -`, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassifiedLine {
    pub kind: BlockKind,
    pub content: (usize, usize),
    pub dateline: Option<(usize, usize)>,
    /// For page furniture: what it does to its neighbours.
    pub role: Option<Role>,
    /// Where a credit closing a caption starts (it stays with the caption's last sentence).
    pub credit: Option<usize>,
    /// Where the text glued after a caption's credit starts (`… / AFPMenteri …`): the part
    /// before is a caption, the part from here on is the block's own text.
    pub glued: Option<usize>,
}

/// Classifies a line; `None` for a blank one.
pub fn classify_line(line: &str, furniture: &Furniture) -> Option<ClassifiedLine> {
    let (start, end) = trim_range(line, 0, line.len());
    if start == end {
        return None;
    }
    if let Some(role) = furniture_role(&line[start..end], furniture) {
        return Some(ClassifiedLine {
            kind: BlockKind::Boilerplate,
            content: (start, end),
            dateline: None,
            role: Some(role),
            credit: None,
            glued: None,
        });
    }
    let Some(located) = locate_content(line, start, end, furniture) else {
        // nothing but markup, e.g. `![]() |` or a lone `|`
        return Some(ClassifiedLine {
            kind: BlockKind::Boilerplate,
            content: (start, end),
            dateline: None,
            role: Some(Role::Plain),
            credit: None,
            glued: None,
        });
    };
    let Located {
        mut kind,
        start,
        end,
        mut dateline,
        markup,
    } = located;
    let text = &line[start..end];
    let glued = furniture.glued_credit(text).map(|at| start + at);
    let credit = match glued {
        Some(at) => furniture.trailing_credit(line[start..at].trim_end()),
        None => furniture.trailing_credit(text),
    }
    .map(|at| start + at);
    if kind == BlockKind::Paragraph {
        if markup
            || ends_with_credit(text)
            || (credit.is_some() && glued.is_none())
            || furniture.opens_caption(text)
        {
            kind = BlockKind::Caption;
        } else if is_byline(text) {
            kind = BlockKind::Byline;
        } else if is_heading(text) && dateline.is_none() {
            kind = BlockKind::Heading;
        }
    }
    if start == end {
        // a dateline alone on its line
        let (dateline_start, dateline_end) = dateline.take().unwrap_or((start, end));
        return Some(ClassifiedLine {
            kind: BlockKind::Byline,
            content: (dateline_start, dateline_end),
            dateline: None,
            role: None,
            credit: None,
            glued: None,
        });
    }
    Some(ClassifiedLine {
        kind,
        content: (start, end),
        dateline,
        role: None,
        credit,
        glued,
    })
}

/// The content [`classify_line`] gives `line`, when `wanted` accepts it and the line is neither
/// blank nor furniture. The furniture patterns run only on what `wanted` accepts, so looking for
/// one kind of line (interview labels) costs little.
pub(super) fn content_where<'a>(
    line: &'a str,
    furniture: &Furniture,
    wanted: impl FnOnce(&str) -> bool,
) -> Option<&'a str> {
    let (start, end) = trim_range(line, 0, line.len());
    if start == end {
        return None;
    }
    let located = locate_content(line, start, end, furniture)?;
    let (content_start, content_end) = match located.dateline {
        // a dateline alone on its line is the content
        Some(dateline) if located.start == located.end => dateline,
        _ => (located.start, located.end),
    };
    let content = &line[content_start..content_end];
    (wanted(content) && furniture_role(&line[start..end], furniture).is_none()).then_some(content)
}

/// The role of a trimmed line that is page furniture, by the patterns or the built-in checks.
fn furniture_role(trimmed: &str, furniture: &Furniture) -> Option<Role> {
    let role = furniture.role(trimmed);
    (role.is_some() || is_boilerplate(trimmed)).then(|| role.unwrap_or(Role::Plain))
}

/// Where the text of a line that is not furniture lies, before its kind is decided.
struct Located {
    /// `Paragraph`, or `Question` after a question marker.
    kind: BlockKind,
    start: usize,
    end: usize,
    dateline: Option<(usize, usize)>,
    /// Caption markup was removed.
    markup: bool,
}

/// Strips the markup, a question marker and a dateline off the trimmed line `[start, end)`;
/// `None` when nothing but markup is left.
fn locate_content(line: &str, start: usize, end: usize, furniture: &Furniture) -> Option<Located> {
    let stripped = strip_markup(line, start, end);
    let (mut start, end) = (stripped.start, stripped.end);
    if start == end {
        return None;
    }
    let mut kind = BlockKind::Paragraph;
    if let Some(after_marker) = question_marker(&line[start..end]) {
        start += after_marker;
        kind = BlockKind::Question;
    }
    let mut dateline = None;
    if kind == BlockKind::Paragraph
        && let Some(length) = dateline_length(&line[start..end])
            .or_else(|| furniture.dateline_length(&line[start..end]))
    {
        let dateline_end = start + line[start..start + length].trim_end_matches(is_space).len();
        dateline = Some((start, dateline_end));
        start = trim_range(line, start + length, end).0;
    }
    Some(Located {
        kind,
        start,
        end,
        dateline,
        markup: stripped.markup,
    })
}

/// The range `[start, end)` of `line` without surrounding white space (as [`is_space`] sees it).
pub(super) fn trim_range(line: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &line[start..end];
    let leading = slice.len() - slice.trim_start_matches(is_space).len();
    let trailing = slice.len() - slice.trim_end_matches(is_space).len();
    if leading == slice.len() {
        return (start, start);
    }
    (start + leading, end - trailing)
}

/// Page furniture kept in the model but never translated.
fn is_boilerplate(text: &str) -> bool {
    const EXACT: &[&str] = &[
        "komentar",
        "yang lain",
        "sumber",
        "baca juga",
        "lihat juga",
        "berita terkait",
        "bagikan",
        "share",
        "tag",
        "tags",
    ];
    // every furniture pattern is short; long lines are running text (checked cheaply)
    if text.len() > 300 {
        return false;
    }
    let lower = text.to_lowercase();
    let lower = lower.trim_end_matches(':');
    if EXACT.contains(&lower) {
        return true;
    }
    // `Komentar (0)`, `Komentar (12)`
    if let Some(count) = lower.strip_prefix("komentar") {
        let count = count.trim_matches(is_space);
        if count.starts_with('(')
            && count.ends_with(')')
            && count[1..count.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            return true;
        }
    }
    // `[iklan_2]`, `[ads]`: a bracketed token with no spaces
    if text.starts_with('[')
        && text.ends_with(']')
        && !text.contains(char::is_whitespace)
        && text.len() <= 40
    {
        return true;
    }
    if is_url(text) {
        return true;
    }
    // `Sumber: https://…`
    if let Some((label, rest)) = text.split_once(':')
        && matches!(
            label.trim().to_lowercase().as_str(),
            "sumber" | "source" | "link" | "tautan"
        )
        && is_url(rest.trim_matches(is_space))
    {
        return true;
    }
    // `***`, `---`, `|`: nothing a translator could read
    !text.chars().any(char::is_alphanumeric)
}

fn is_url(text: &str) -> bool {
    (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
        && !text.contains(char::is_whitespace)
}

struct Stripped {
    start: usize,
    end: usize,
    /// True when caption markup was removed: pipes, an image stub or image alt text.
    markup: bool,
}

/// Removes the markup noise around a caption: leading `| `, trailing ` |`, `![alt](url)` image
/// stubs, and the `<headline> - ảnh 1` alt text a scraper glues before a caption.
fn strip_markup(line: &str, start: usize, end: usize) -> Stripped {
    let (mut start, mut end) = (start, end);
    let mut markup = false;
    loop {
        let text = &line[start..end];
        if let Some(rest) = text.strip_prefix('|') {
            start = trim_range(line, end - rest.len(), end).0;
            markup = true;
        } else if let Some(rest) = text.strip_suffix('|') {
            end = trim_range(line, start, start + rest.len()).1;
            markup = true;
        } else if let Some(length) = image_stub_length(text) {
            start = trim_range(line, start + length, end).0;
            markup = true;
        } else if let Some(length) = alt_text_length(text) {
            start = trim_range(line, start + length, end).0;
            markup = true;
        } else {
            return Stripped { start, end, markup };
        }
        if start >= end {
            return Stripped {
                start: end,
                end,
                markup,
            };
        }
    }
}

/// `![alt](url)` at the start of `text`: its length.
fn image_stub_length(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("![")?;
    let alt_end = rest.find("](")?;
    let url_end = rest[alt_end + 2..].find(')')?;
    Some(2 + alt_end + 2 + url_end + 1)
}

/// `Some headline - ảnh 1` (Vietnamese "image 1") at the start of a caption: its length.
fn alt_text_length(text: &str) -> Option<usize> {
    const MARKER: &str = " - ảnh ";
    static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(MARKER));
    let at = FINDER.find(text.as_bytes())?;
    let digits = text[at + MARKER.len()..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    (digits > 0).then_some(at + MARKER.len() + digits)
}

/// `- ` (or an en or em dash) opening an interview question: the marker's length.
fn question_marker(text: &str) -> Option<usize> {
    let dash = ['-', '–', '—'].into_iter().find(|&d| text.starts_with(d))?;
    let rest = &text[dash.len_utf8()..];
    let after = rest.trim_start_matches(is_space);
    (after.len() < rest.len() && !after.is_empty()).then_some(text.len() - after.len())
}

/// `(VOVWORLD) - ` or `HANOI (VNA) – ` opening a paragraph: its length, dash included.
fn dateline_length(text: &str) -> Option<usize> {
    let mut position = 0;
    if !text.starts_with('(') {
        // an upper-case place name before the agency
        let place = text
            .find('(')
            .filter(|&at| at <= 30 && at > 0)
            .map(|at| &text[..at])?;
        if !place
            .trim_end()
            .chars()
            .all(|c| c.is_uppercase() || c == ' ' || c == ',' || c == '.')
        {
            return None;
        }
        position = place.len();
    }
    let agency_end = position + text[position..].find(')')?;
    let agency = &text[position + 1..agency_end];
    if agency.is_empty()
        || agency.len() > 30
        || !agency.chars().any(|c| c.is_uppercase())
        || agency.chars().any(|c| c.is_lowercase())
    {
        return None;
    }
    let rest = &text[agency_end + 1..];
    let after_space = rest.trim_start_matches(is_space);
    let dash = ['-', '–', '—']
        .into_iter()
        .find(|&d| after_space.starts_with(d))?;
    let after_dash = &after_space[dash.len_utf8()..];
    let after = after_dash.trim_start_matches(is_space);
    if after.len() == after_dash.len() {
        return None;
    }
    Some(text.len() - after.len())
}

/// The text ends with a photo credit: `… (Foto: Nguyen Hong)`.
fn ends_with_credit(text: &str) -> bool {
    let Some(inner) = text.strip_suffix(')') else {
        return false;
    };
    inner
        .rfind('(')
        .is_some_and(|at| is_credit(&inner[at + 1..]))
}

/// `Menurut Vietnamplus.vn`, `Oleh: Nguyen Van A`: a short attribution line.
fn is_byline(text: &str) -> bool {
    let attribution = [
        "menurut ",
        "oleh ",
        "oleh:",
        "penulis:",
        "reporter:",
        "editor:",
    ]
    .iter()
    .any(|prefix| {
        text.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    });
    attribution && text.split_whitespace().take(7).count() <= 6 && !ends_sentence(text)
}

/// A short line with no sentence-final punctuation.
fn is_heading(text: &str) -> bool {
    !ends_sentence(text) && text.split_whitespace().take(21).count() <= 20
}

fn ends_sentence(text: &str) -> bool {
    let core = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    core.ends_with(['.', '!', '?', '…', ':', ';', ','])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(line: &str) -> (BlockKind, &str, Option<&str>) {
        let classified = classify_line(line, &Furniture::default()).expect("not blank");
        let (start, end) = classified.content;
        (
            classified.kind,
            &line[start..end],
            classified.dateline.map(|(s, e)| &line[s..e]),
        )
    }

    #[test]
    fn classification_table() {
        use BlockKind::*;
        let table: &[(&str, BlockKind, &str)] = &[
            ("Komentar (0)", Boilerplate, "Komentar (0)"),
            ("Komentar", Boilerplate, "Komentar"),
            ("Yang lain", Boilerplate, "Yang lain"),
            ("Sumber", Boilerplate, "Sumber"),
            ("[iklan_2]", Boilerplate, "[iklan_2]"),
            (
                "https://www.vietnamplus.vn/a-post979831.vnp",
                Boilerplate,
                "https://www.vietnamplus.vn/a-post979831.vnp",
            ),
            (
                "Sumber: https://thoidai.com.vn/x.html",
                Boilerplate,
                "Sumber: https://thoidai.com.vn/x.html",
            ),
            ("![]() |", Boilerplate, "![]() |"),
            ("|", Boilerplate, "|"),
            ("***", Boilerplate, "***"),
            (
                "\u{a0}Rekam Jejak yang Sukses\u{a0}",
                Heading,
                "Rekam Jejak yang Sukses",
            ),
            ("Menurut Vietnamplus.vn", Byline, "Menurut Vietnamplus.vn"),
            (
                "Berikut ini isi wawancaranya:",
                Paragraph,
                "Berikut ini isi wawancaranya:",
            ),
            (
                "Menteri berbicara dalam pertemuan tersebut. (Foto: Nguyen Hong) |",
                Caption,
                "Menteri berbicara dalam pertemuan tersebut. (Foto: Nguyen Hong)",
            ),
            (
                "| Perdana Menteri Pham Minh Chinh menghadiri KTT G20. (Sumber: VNA) |",
                Caption,
                "Perdana Menteri Pham Minh Chinh menghadiri KTT G20. (Sumber: VNA)",
            ),
            (
                "Judul Artikel Ini - ảnh 1Menlu Vietnam, Bui Thanh Son (Foto: Kemenlu)",
                Caption,
                "Menlu Vietnam, Bui Thanh Son (Foto: Kemenlu)",
            ),
            (
                "Kunjungan kerja Presiden To Lam: meningkatkan level hubungan Vietnam-PBB |",
                Caption,
                "Kunjungan kerja Presiden To Lam: meningkatkan level hubungan Vietnam-PBB",
            ),
            (
                "- Dapatkah Anda memberi tahu kami?",
                Question,
                "Dapatkah Anda memberi tahu kami?",
            ),
            (
                "Presiden datang ke Hanoi.",
                Paragraph,
                "Presiden datang ke Hanoi.",
            ),
        ];
        for (line, kind, content) in table {
            let (found_kind, found_content, _) = classify(line);
            assert_eq!((found_kind, found_content), (*kind, *content), "{line:?}");
        }
    }

    #[test]
    fn datelines_are_split_off() {
        let line = "(VOVWORLD) -\u{a0}Dengan tema: “Mengembangkan peranan pelopor”, konferensi.";
        assert_eq!(
            classify(line),
            (
                BlockKind::Paragraph,
                "Dengan tema: “Mengembangkan peranan pelopor”, konferensi.",
                Some("(VOVWORLD) -")
            )
        );
        let line = "HANOI (VNA) – Presiden datang.";
        assert_eq!(classify(line).2, Some("HANOI (VNA) –"));
        assert_eq!(classify("(Foto: VNA) - x").2, None);
        assert_eq!(classify("Presiden (PKV) - partai").2, None);
    }

    #[test]
    fn blank_lines_are_none() {
        assert_eq!(classify_line("", &Furniture::default()), None);
        assert_eq!(classify_line(" \u{a0}\t", &Furniture::default()), None);
    }
}
