//! Page furniture, photo credits and datelines, as data.
//!
//! The patterns live in `data/furniture.txt` (regular expressions by section) so that a new
//! outlet is taught by adding lines, and users add their own through `[segment]
//! boilerplate-patterns`. This module compiles them once and answers questions about one
//! trimmed line; it must not know about blocks, sentences or files.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::sync::LazyLock;

const DATA: &str = include_str!("data/furniture.txt");

/// Built-in patterns are only tried on lines up to this length: furniture is short, and long
/// lines are running text (user patterns are tried on every line).
const LONGEST_FURNITURE: usize = 300;

/// A credit closing a caption is searched for in this many bytes at its end.
const LONGEST_CREDIT: usize = 160;

/// Room for the built-in sets above the regex crate's default size limit, so that a data-file
/// line with a generous counted repetition still compiles.
const COMPILED_SIZE_LIMIT: usize = 64 << 20;

/// The data-file sections that give a line a role, in the order they are tried: a line that
/// matches a pattern of two sections has the role of the first.
const ROLE_SECTIONS: [(&str, Role); 4] = [
    ("related-header", Role::RelatedHeader),
    ("label", Role::Label),
    ("credit", Role::Credit),
    ("furniture", Role::Plain),
];

/// What a furniture line does to the lines around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Furniture with no effect on its neighbours.
    Plain,
    /// `Baca juga`, `Berita Terkait`: the bare headlines after it are links too.
    RelatedHeader,
    /// `Reporter`, `Editor` alone: the short line after it is a name.
    Label,
    /// `ANTARA FOTO/…`, `• VIVA.co.id/…` alone: the line before it is a caption.
    Credit,
}

/// The compiled furniture patterns in force: the built-in ones plus the user's.
#[derive(Debug, Clone)]
pub struct Furniture {
    /// The patterns of every role at once ([`ROLE_SECTIONS`] in order): most lines match
    /// none, and one search tells.
    roles: RegexSet,
    /// Which patterns of `roles` give which role, in the order the roles are tried.
    role_ranges: Vec<(Role, std::ops::Range<usize>)>,
    user: RegexSet,
    trailing_credit: Vec<Regex>,
    sign_off: Vec<Regex>,
    glued_credit: Vec<Regex>,
    caption_prefix: RegexSet,
    dateline: Vec<Regex>,
    dateline_short: Vec<Regex>,
}

static BUILT_IN: LazyLock<Furniture> = LazyLock::new(|| {
    // the data file is part of the build and covered by the tests: it always compiles
    Furniture::compile().expect("data/furniture.txt compiles")
});

impl Default for Furniture {
    fn default() -> Self {
        BUILT_IN.clone()
    }
}

impl Furniture {
    /// The built-in patterns plus `extra` (whole-line furniture patterns from the user).
    pub fn new(extra: &[String]) -> Result<Self, regex::Error> {
        if extra.is_empty() {
            return Ok(Furniture::default());
        }
        Ok(Furniture {
            user: RegexSet::new(extra)?,
            ..Furniture::default()
        })
    }

    /// The built-in patterns alone.
    fn compile() -> Result<Self, regex::Error> {
        let set = |name: &str| {
            RegexSetBuilder::new(section(name))
                .size_limit(COMPILED_SIZE_LIMIT)
                .build()
        };
        let list = |name: &str| -> Result<Vec<Regex>, regex::Error> {
            section(name)
                .into_iter()
                .map(|pattern| {
                    RegexBuilder::new(pattern)
                        .size_limit(COMPILED_SIZE_LIMIT)
                        .build()
                })
                .collect()
        };
        Ok(Furniture {
            roles: RegexSetBuilder::new(ROLE_SECTIONS.iter().flat_map(|&(name, _)| section(name)))
                .size_limit(COMPILED_SIZE_LIMIT)
                .build()?,
            role_ranges: {
                let mut first = 0;
                ROLE_SECTIONS
                    .iter()
                    .map(|&(name, role)| {
                        let count = section(name).len();
                        first += count;
                        (role, first - count..first)
                    })
                    .collect()
            },
            user: RegexSet::empty(),
            trailing_credit: list("trailing-credit")?,
            sign_off: list("sign-off")?,
            glued_credit: list("glued-credit")?,
            caption_prefix: set("caption-prefix")?,
            dateline: list("dateline")?,
            dateline_short: list("dateline-short")?,
        })
    }

    /// The role of `line` (trimmed) if it is page furniture.
    pub fn role(&self, line: &str) -> Option<Role> {
        if self.user.is_match(line) {
            return Some(Role::Plain);
        }
        if line.len() > LONGEST_FURNITURE {
            return None;
        }
        if !self.roles.is_match(line) {
            return None;
        }
        // furniture is rare: only then is each pattern asked, in the order of the roles
        let matched = self.roles.matches(line);
        self.role_ranges
            .iter()
            .find(|(_, patterns)| patterns.clone().any(|pattern| matched.matched(pattern)))
            .map(|&(role, _)| role)
    }

    /// Where a credit closing a caption starts (`… 2015. TEMPO/Dian Triyuli Handoko`).
    pub fn trailing_credit(&self, text: &str) -> Option<usize> {
        // a credit is short: only the end of a long paragraph is searched
        let mut tail_start = text.len().saturating_sub(LONGEST_CREDIT);
        while !text.is_char_boundary(tail_start) {
            tail_start += 1;
        }
        let tail = &text[tail_start..];
        // every credit pattern has a `/` or a `:`; most paragraphs' ends have neither
        memchr::memchr2(b'/', b':', tail.as_bytes())?;
        self.trailing_credit.iter().find_map(|pattern| {
            pattern
                .captures(tail)
                .and_then(|captures| captures.get(1))
                .map(|credit| tail_start + credit.start())
        })
    }

    /// Where a sign-off closing a paragraph starts (`… kata dia. (ant)`).
    pub fn sign_off(&self, text: &str) -> Option<usize> {
        if !text.ends_with(')') {
            return None;
        }
        self.sign_off.iter().find_map(|pattern| {
            pattern
                .captures(text)
                .and_then(|captures| captures.get(1))
                .map(|sign_off| sign_off.start())
        })
    }

    /// Where the text glued after a caption's credit starts (`… / AFPMenteri …`).
    pub fn glued_credit(&self, text: &str) -> Option<usize> {
        // every glued credit has a `/`
        memchr::memchr(b'/', text.as_bytes())?;
        self.glued_credit.iter().find_map(|pattern| {
            pattern
                .captures(text)
                .and_then(|captures| captures.name("next"))
                .map(|next| next.start())
        })
    }

    /// True when the line opens with a photo label (`Foto: …`).
    pub fn opens_caption(&self, text: &str) -> bool {
        self.caption_prefix.is_match(text)
    }

    /// The length of a dateline opening `text` (`TEMPO.CO, Jakarta -`), dash included, when a
    /// sentence follows it.
    pub fn dateline_length(&self, text: &str) -> Option<usize> {
        let follows = |end: usize, long: bool| {
            let rest = &text[end..];
            let after = rest.trim_start();
            let spaced = after.len() < rest.len();
            let opens = after
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“'‘".contains(c));
            let long_enough = !long
                || (after.split_whitespace().take(6).count() >= 6
                    && after
                        .trim_end_matches(['"', '”', '\'', '’', ')'])
                        .ends_with(['.', '!', '?']));
            spaced && opens && long_enough
        };
        let found = |patterns: &[Regex], long: bool| {
            patterns.iter().find_map(|pattern| {
                pattern
                    .find(text)
                    .map(|found| found.end())
                    .filter(|&end| follows(end, long))
            })
        };
        // every dateline ends with a dash within its first few words
        let head_end = text.char_indices().nth(60).map_or(text.len(), |(at, _)| at);
        if !has_dash(&text.as_bytes()[..head_end]) {
            return None;
        }
        found(&self.dateline, false).or_else(|| found(&self.dateline_short, true))
    }
}

/// `-`, `–` or `—` somewhere in `bytes` (a dash opens no multi-byte character but these two).
fn has_dash(bytes: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = memchr::memchr2(b'-', 0xe2, &bytes[from..]).map(|at| from + at) {
        if bytes[at] == b'-' || bytes[at..].starts_with("–".as_bytes()) {
            return true;
        }
        if bytes[at..].starts_with("—".as_bytes()) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The non-comment lines of one `[section]` of the data file.
fn section(name: &str) -> Vec<&'static str> {
    let mut inside = false;
    let mut lines = Vec::new();
    for line in DATA.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']'))
            && header.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            inside = header == name;
            continue;
        }
        if inside {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_patterns() {
        for name in [
            "furniture",
            "related-header",
            "label",
            "credit",
            "trailing-credit",
            "sign-off",
            "glued-credit",
            "caption-prefix",
            "dateline",
            "dateline-short",
        ] {
            assert!(!section(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn roles_of_furniture_lines() {
        let furniture = Furniture::default();
        let table = [
            (
                "Baca juga: Kemenhub prediksi 193 juta orang mudik",
                Some(Role::Plain),
            ),
            (
                "(Baca: Kemenkes catat cakupan imunisasi dasar naik)",
                Some(Role::Plain),
            ),
            ("Berita Terkait", Some(Role::RelatedHeader)),
            ("Baca Juga :", Some(Role::RelatedHeader)),
            ("Kamis, 09 Nov 2017 13:55 WIB", Some(Role::Plain)),
            ("Sabtu, 16 Maret 2024 | 15:45 WIB", Some(Role::Plain)),
            ("Kompas.com - 12/01/2024, 14:30 WIB", Some(Role::Plain)),
            ("Pewarta: Willi Irawan", Some(Role::Plain)),
            ("Editor : Dani Prabowo", Some(Role::Plain)),
            ("Reporter", Some(Role::Label)),
            ("Photo :", Some(Role::Label)),
            ("• VIVA.co.id/M Ali Wafa", Some(Role::Credit)),
            ("ANTARA FOTO/Didik Suhartono", Some(Role::Credit)),
            ("SCROLL TO CONTINUE WITH CONTENT", Some(Role::Plain)),
            ("Copyright © ANTARA 2024", Some(Role::Plain)),
            ("(jbr/jbr)", Some(Role::Plain)),
            ("(ant)", Some(Role::Plain)),
            ("KOMPAS.com", Some(Role::Plain)),
            ("Beranda / Daerah / Sleman", Some(Role::Plain)),
            ("Jakarta, 14 Agustus 2024", None),
            ("Pangdam IV/Diponegoro Tinjau Banjir", None),
            ("Foto: Kombes Argo Yuwono (Ari Saputra/detikcom)", None),
            ("Presiden datang ke Hanoi.", None),
        ];
        for (line, expected) in table {
            assert_eq!(furniture.role(line), expected, "{line:?}");
        }
    }

    #[test]
    fn datelines_credits_and_user_patterns() {
        let furniture = Furniture::default();
        let text = "TEMPO.CO, Jakarta - Menteri Keuangan datang.";
        assert_eq!(furniture.dateline_length(text), Some(19));
        let text = "REPUBLIKA.CO.ID, JAKARTA -- Penyidik datang.";
        assert_eq!(furniture.dateline_length(text), Some(27));
        assert_eq!(furniture.dateline_length("Persib - Persija Imbang"), None);
        let text = "Jakarta - Polda Metro Jaya menangkap empat anggota komplotan.";
        assert_eq!(furniture.dateline_length(text), Some(9));
        let caption = "di Jakarta, 2 Februari 2015. TEMPO/Dian Triyuli Handoko";
        assert_eq!(furniture.trailing_credit(caption), Some(29));
        let glued = "Desember 2023. ANGELA WEISS / AFPMenteri Luar Negeri";
        assert_eq!(furniture.glued_credit(glued), Some(33));
        let taught = Furniture::new(&["^Simak berita lain di .+$".to_string()]).expect("valid");
        assert_eq!(
            taught.role("Simak berita lain di Google News"),
            Some(Role::Plain)
        );
        assert!(Furniture::new(&["(".to_string()]).is_err());
    }
}
