//! The name check: person, place and organisation names copied from the source (`Bui Thanh
//! Son`, `Hanoi`, `ASEAN`) must appear in the target, compared without case or diacritics; a
//! name with an English form (`Amerika Serikat` → United States/U.S./US, `Tiongkok` → China,
//! `PBB` → UN) must appear in one of its forms, taken from the glossary's person and place
//! entries and a small table of country names — never guessed.
//!
//! A capitalised source word counts as a copied name only when it is not an Indonesian word:
//! not a function word, not inside a glossary term, not a word the lexicon saw translated
//! (rather than copied) in the approved pairs, and not an unknown word that merely starts a
//! sentence or a title-case headline or is built like an Indonesian word. A missing name the
//! lexicon saw copied, or one with an English form, is an error; a missing capitalised word
//! the lexicon never saw is a warning. Must not judge anything but names.

use super::numerals::roman_value;
use super::punctuation::items_of;
use super::text::{Analysed, TokenKind, fold_words};
use super::vocabulary::{ID_FUNCTION, NONE, NOT_A_NAME, WordInfo};
use super::{Check, Finding, Pair, QaContext, Severity};
use crate::glossary::{CaseMode, Glossary, TermKind};
use std::collections::HashMap;

/// Indonesian names with an English form: (Indonesian, English forms separated by `|`).
/// All-capital forms of up to three letters (`AS`, `US`, `UK`) match only in capitals.
const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("Afrika", "Africa|African"),
    ("Afrika Selatan", "South Africa|South African"),
    ("Amerika", "America|American|US|U.S."),
    ("Amerika Latin", "Latin America|Latin American"),
    (
        "Amerika Serikat",
        "United States|US|U.S.|USA|America|American",
    ),
    ("Arab Saudi", "Saudi Arabia|Saudi"),
    ("AS", "US|U.S.|United States|USA|American"),
    (
        "Asia Tenggara",
        "Southeast Asia|South-East Asia|Southeast Asian",
    ),
    ("Belanda", "Netherlands|Dutch|Holland"),
    ("Brasil", "Brazil|Brazilian"),
    ("Eropa", "Europe|European"),
    ("Filipina", "Philippines|Philippine|Filipino"),
    (
        "Inggris",
        "UK|United Kingdom|Britain|British|England|English",
    ),
    ("Irak", "Iraq|Iraqi"),
    ("Italia", "Italy|Italian"),
    ("Jepang", "Japan|Japanese"),
    ("Jerman", "Germany|German"),
    ("Kamboja", "Cambodia|Cambodian"),
    ("Kanada", "Canada|Canadian"),
    (
        "Korea Selatan",
        "South Korea|South Korean|Republic of Korea|ROK",
    ),
    ("Korea Utara", "North Korea|North Korean|DPRK"),
    ("Kuba", "Cuba|Cuban"),
    ("Meksiko", "Mexico|Mexican"),
    ("Mesir", "Egypt|Egyptian"),
    ("Palestina", "Palestine|Palestinian"),
    ("PBB", "UN|U.N.|United Nations"),
    ("Perancis", "France|French"),
    ("Prancis", "France|French"),
    ("Rusia", "Russia|Russian"),
    ("Selandia Baru", "New Zealand"),
    ("Singapura", "Singapore|Singaporean"),
    ("Spanyol", "Spain|Spanish"),
    ("Suriah", "Syria|Syrian"),
    ("Tiongkok", "China|Chinese"),
    ("Timur Tengah", "Middle East|Middle Eastern"),
    ("Turki", "Turkey|Turkish|Türkiye"),
    ("Ukraina", "Ukraine|Ukrainian"),
    ("Uni Eropa", "EU|European Union"),
    ("Vietnam", "Vietnam|Vietnamese|Viet Nam"),
    ("Indonesia", "Indonesia|Indonesian"),
    ("Yordania", "Jordan|Jordanian"),
];

/// Capitalised Indonesian words of news text that are never copied names (titles, bodies,
/// compass points), for runs whose lexicon has not seen them.
pub(super) const INDONESIAN_CAPITALISED_WORDS: &[&str] = &[
    "acara",
    "agung",
    "anda",
    "anggota",
    "angkatan",
    "asasi",
    "ayat",
    "badan",
    "bagian",
    "bahkan",
    "bangsa",
    "bank",
    "bapak",
    "barat",
    "bebas",
    "beliau",
    "berikut",
    "besar",
    "bu",
    "bulan",
    "bupati",
    "daerah",
    "deklarasi",
    "dewan",
    "dokumen",
    "draf",
    "duta",
    "ekonomi",
    "forum",
    "foto",
    "gubernur",
    "gunung",
    "hak",
    "hakim",
    "hari",
    "hubungan",
    "ibu",
    "institut",
    "jaksa",
    "jalan",
    "jenderal",
    "kabupaten",
    "kami",
    "kantor",
    "kawan",
    "keamanan",
    "kedutaan",
    "kegiatan",
    "kemenlu",
    "kementerian",
    "kemitraan",
    "kepala",
    "kepolisian",
    "kepulauan",
    "keputusan",
    "kerajaan",
    "kerja",
    "ketua",
    "kita",
    "komisi",
    "komite",
    "komprehensif",
    "konferensi",
    "kongres",
    "konsulat",
    "kota",
    "kunjungan",
    "laporan",
    "laut",
    "lembaga",
    "luar",
    "mahkamah",
    "majelis",
    "malam",
    "manusia",
    "markas",
    "menlu",
    "menteri",
    "menurut",
    "namun",
    "nasional",
    "negara",
    "negeri",
    "nyonya",
    "pagi",
    "pak",
    "partai",
    "pasal",
    "pemerintah",
    "peraturan",
    "perdagangan",
    "perdana",
    "perjanjian",
    "perserikatan",
    "pertemuan",
    "piagam",
    "pidato",
    "pleno",
    "polisi",
    "presiden",
    "program",
    "provinsi",
    "proyek",
    "pulau",
    "pusat",
    "raja",
    "rakyat",
    "rancangan",
    "rencana",
    "republik",
    "resolusi",
    "rumah",
    "sakit",
    "sama",
    "samudra",
    "saudara",
    "sekjen",
    "sekolah",
    "sekretaris",
    "selain",
    "selat",
    "selatan",
    "sementara",
    "siang",
    "sidang",
    "sore",
    "strategi",
    "strategis",
    "sumber",
    "sungai",
    "tahun",
    "teluk",
    "tema",
    "tengah",
    "tenggara",
    "tentara",
    "timur",
    "tinggi",
    "tuan",
    "umum",
    "undang",
    "universitas",
    "upacara",
    "utara",
    "wakil",
];

/// Month and weekday names: the date check's business.
pub(super) const CALENDAR_WORDS: &[&str] = &[
    "agustus",
    "april",
    "desember",
    "februari",
    "januari",
    "juli",
    "jumat",
    "juni",
    "kamis",
    "maret",
    "mei",
    "minggu",
    "november",
    "oktober",
    "rabu",
    "sabtu",
    "selasa",
    "senin",
    "september",
];

/// One form of a name, as folded words; `exact` keeps the original when case matters.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    words: Vec<String>,
    exact: Option<Vec<String>>,
}

impl Form {
    fn new(text: &str, case_sensitive: bool) -> Form {
        let words: Vec<String> = fold_words(text).split(' ').map(str::to_string).collect();
        let short_capitals = text.chars().filter(char::is_ascii_alphabetic).count() <= 3
            && text.chars().all(|c| !c.is_lowercase());
        let exact = (case_sensitive || short_capitals).then(|| {
            let analysed = Analysed::new(text);
            analysed
                .tokens
                .iter()
                .map(|token| analysed.original(token).to_string())
                .collect()
        });
        Form { words, exact }
    }

    /// Whether the form stands at token `index` of `analysed`.
    fn matches_at(&self, analysed: &Analysed<'_>, index: usize) -> bool {
        let tokens = &analysed.tokens;
        if index + self.words.len() > tokens.len() {
            return false;
        }
        self.words.iter().enumerate().all(|(offset, word)| {
            let token = &tokens[index + offset];
            analysed.folded(token) == word
                && self
                    .exact
                    .as_ref()
                    .is_none_or(|exact| analysed.original(token) == exact[offset])
        })
    }

    fn occurs_in(&self, analysed: &Analysed<'_>) -> bool {
        let first = self.words.first().map_or("", String::as_str);
        analysed.tokens.iter().enumerate().any(|(index, token)| {
            analysed.folded(token) == first && self.matches_at(analysed, index)
        })
    }
}

/// A name with an English form.
#[derive(Debug, Clone)]
struct NameEntry {
    source: Form,
    renderings: Vec<Form>,
}

/// The names with an English form: the country table and the glossary's person and place
/// entries, indexed by their first folded word.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    entries: Vec<NameEntry>,
    /// Per first word, the index into `groups` of its entries.
    by_first_word: HashMap<String, u32>,
    /// The entries starting with one word, longest first.
    groups: Vec<Vec<usize>>,
}

impl NameTable {
    pub fn new(glossary: Option<&Glossary>) -> NameTable {
        let mut table = NameTable::default();
        for (source, english) in COUNTRY_NAMES {
            let renderings = english
                .split('|')
                .map(|form| Form::new(form, false))
                .collect();
            table.add(Form::new(source, false), renderings);
        }
        for entry in glossary.map_or(&[][..], |glossary| &glossary.entries) {
            if !matches!(entry.kind, TermKind::Person | TermKind::Place) {
                continue;
            }
            let renderings = entry
                .accepted()
                .map(|form| Form::new(form, entry.case.target_is_exact()))
                .collect();
            table.add(
                Form::new(
                    &entry.source,
                    entry.case.source_is_exact() || entry.case == CaseMode::Sensitive,
                ),
                renderings,
            );
        }
        // longest first, so that `Amerika Serikat` wins over `Amerika`
        for indices in &mut table.groups {
            indices
                .sort_by_key(|&index| std::cmp::Reverse(table.entries[index].source.words.len()));
        }
        table
    }

    fn add(&mut self, source: Form, renderings: Vec<Form>) {
        let Some(first) = source.words.first().cloned() else {
            return;
        };
        let groups = &mut self.groups;
        let group = *self.by_first_word.entry(first).or_insert_with(|| {
            groups.push(Vec::new());
            (groups.len() - 1) as u32
        });
        self.groups[group as usize].push(self.entries.len());
        self.entries.push(NameEntry { source, renderings });
    }

    /// Each first word of a name, with the index [`WordInfo::names`] carries for it.
    pub fn first_words(&self) -> impl Iterator<Item = (&str, u32)> {
        self.by_first_word
            .iter()
            .map(|(word, group)| (word.as_str(), *group))
    }

    /// The entry matching at token `index`, longest first (`words`: the side's word
    /// information, which gives the entries starting with the token's word).
    fn find_at(
        &self,
        analysed: &Analysed<'_>,
        words: &[WordInfo],
        index: usize,
    ) -> Option<&NameEntry> {
        let group = words[index].names;
        if group == NONE {
            return None;
        }
        self.groups[group as usize]
            .iter()
            .map(|&entry| &self.entries[entry])
            .find(|entry| entry.source.matches_at(analysed, index))
    }
}

/// What [`is_name_word`] knows about the whole source.
struct SourceFacts<'t> {
    title_case: bool,
    /// URLs, handles and hashtags: the punctuation check's business.
    copied: &'t [(usize, usize)],
}

fn is_name_word(pair: &Pair<'_>, index: usize, facts: &SourceFacts) -> bool {
    let analysed = &pair.source;
    let token = &analysed.tokens[index];
    if token.kind != TokenKind::Word || !(token.capitalised || token.all_caps) {
        return false;
    }
    let word = analysed.folded(token);
    let info = pair.source_words[index];
    // Roman numerals (`Sidang XII`) are the number check's
    if token.all_caps && roman_value(analysed.original(token)).is_some() {
        return false;
    }
    if info.has(ID_FUNCTION | NOT_A_NAME) {
        return false;
    }
    if facts
        .copied
        .iter()
        .any(|(start, end)| *start <= token.start && token.end <= *end)
    {
        return false;
    }
    let known = info.source_word();
    // inside a glossary term only a word seen copied is a name (`Universitas Oxford`)
    if let Some(verdict) = pair.verdict
        && verdict
            .matches
            .iter()
            .any(|term| term.source_span.start <= token.start && token.end <= term.source_span.end)
    {
        return known.is_some_and(|known| known.copy_rate() >= 0.5);
    }
    match known {
        Some(known) => known.copy_rate() >= 0.5,
        // an unknown capitalised word is a name, unless it is built like an Indonesian word,
        // only starts a sentence or sits in a title-case headline
        None => {
            !facts.title_case
                && !looks_indonesian(word)
                && (!token.sentence_start
                    || token.all_caps
                    || analysed.tokens.get(index + 1).is_some_and(|next| {
                        next.capitalised && analysed.text[token.end..next.start] == *" "
                    }))
        }
    }
}

/// Whether an unknown word is built like an Indonesian derived word: a verbal or nominal
/// prefix and a suffix (`Melengkapi`, `Pembangunan`), or `-kan`/`-nya` alone.
fn looks_indonesian(word: &str) -> bool {
    if word.len() < 6 {
        return false;
    }
    if word.ends_with("kan") || word.ends_with("nya") {
        return true;
    }
    let prefixed = [
        "meng", "meny", "mem", "men", "me", "ber", "ter", "per", "peng", "pem", "pen", "di", "ke",
    ]
    .iter()
    .any(|prefix| word.starts_with(prefix));
    let suffixed = ["an", "i"].iter().any(|suffix| word.ends_with(suffix));
    prefixed && suffixed
}

/// Whether the text is a title-case headline (`Rekam Jejak yang Sukses`): at least three
/// words, every one capitalised but the function words.
fn is_title_case(analysed: &Analysed<'_>, infos: &[WordInfo]) -> bool {
    let mut words = 0;
    for (token, info) in analysed.tokens.iter().zip(infos) {
        if token.kind != TokenKind::Word {
            continue;
        }
        words += 1;
        if !token.capitalised && !info.has(ID_FUNCTION) {
            return false;
        }
    }
    words >= 3
}

/// The name findings of one pair.
pub fn check(pair: &Pair<'_>, context: &QaContext) -> Vec<Finding> {
    let source = &pair.source;
    let target = &pair.target;
    let tokens = &source.tokens;
    let facts = SourceFacts {
        title_case: is_title_case(source, &pair.source_words),
        copied: items_of(source),
    };
    let mut findings = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        if let Some(entry) = context.names().find_at(source, &pair.source_words, index) {
            let length = entry.source.words.len();
            let (start, end) = (tokens[index].start, tokens[index + length - 1].end);
            if !context.ignores_name_words(&entry.source.words)
                && !entry.renderings.iter().any(|form| form.occurs_in(target))
            {
                let forms: Vec<String> = entry
                    .renderings
                    .iter()
                    .map(|form| form.words.join(" "))
                    .collect();
                findings.push(
                    Finding::new(
                        Check::Name,
                        Severity::Error,
                        format!(
                            "the name “{}” has none of its English forms ({}) in the target",
                            &source.text[start..end],
                            forms.join(", ")
                        ),
                    )
                    .with_source(start, end),
                );
            }
            index += length;
            continue;
        }
        let capitalised = tokens[index].capitalised || tokens[index].all_caps;
        if !capitalised || !is_name_word(pair, index, &facts) {
            index += 1;
            continue;
        }
        // a run of name words separated by single spaces is one name
        let mut last = index;
        while last + 1 < tokens.len()
            && source.text[tokens[last].end..tokens[last + 1].start] == *" "
            && context
                .names()
                .find_at(source, &pair.source_words, last + 1)
                .is_none()
            && is_name_word(pair, last + 1, &facts)
        {
            last += 1;
        }
        let words = || tokens[index..=last].iter().map(|word| source.folded(word));
        let (start, end) = (tokens[index].start, tokens[last].end);
        if !copied_into(words, target)
            && !context.ignores_name_words(&words().collect::<Vec<&str>>())
        {
            // a name the approved pairs saw copied is surely one; a capitalised word they never
            // saw may still be an Indonesian word this check does not know, so it only warns
            let known = pair.source_words[index..=last].iter().any(|info| {
                info.source_word()
                    .is_some_and(|known| known.copy_rate() >= 0.5)
            });
            let (severity, doubt) = if known {
                (Severity::Error, "")
            } else {
                (Severity::Warning, " (if it is a name)")
            };
            findings.push(
                Finding::new(
                    Check::Name,
                    severity,
                    format!(
                        "the name “{}” of the source is not in the target{doubt}",
                        &source.text[start..end]
                    ),
                )
                .with_source(start, end),
            );
        }
        index = last + 1;
    }
    findings
}

/// Whether the folded words occur in a row in the target (the last may take an adjective
/// ending: `Australia` → `Australian`), or run together as one word (`Ha Noi` → `Hanoi`).
fn copied_into<'w, W: ExactSizeIterator<Item = &'w str>>(
    words: impl Fn() -> W,
    target: &Analysed<'_>,
) -> bool {
    let tokens = &target.tokens;
    let (count, joined_length) = (words().len(), words().map(str::len).sum::<usize>());
    let last = count.saturating_sub(1);
    let same = |found: &str, word: &str, is_last: bool| {
        found == word
            || (is_last
                && found.strip_prefix(word).is_some_and(|ending| {
                    matches!(ending, "n" | "an" | "ian" | "ese" | "i" | "ish" | "s")
                }))
    };
    let joined = |mut rest: &str| {
        rest.len() == joined_length
            && words().all(|word| rest.strip_prefix(word).map(|after| rest = after).is_some())
    };
    (0..tokens.len()).any(|index| {
        let in_a_row = index + count <= tokens.len()
            && words().enumerate().all(|(offset, word)| {
                same(target.folded(&tokens[index + offset]), word, offset == last)
            });
        in_a_row || joined(target.folded(&tokens[index]))
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Lexicon, QaOptions};
    use super::*;

    fn run_with(source: &str, target: &str, context: &QaContext) -> Vec<Finding> {
        let pair = Pair::new(source, target, None, context);
        check(&pair, context)
    }

    fn context() -> QaContext {
        let lexicon = Lexicon::learn(
            [
                (
                    "Presiden Joe Biden tiba di Hanoi.",
                    "President Joe Biden arrived in Hanoi.",
                ),
                (
                    "Menlu Bui Thanh Son berbicara.",
                    "Minister of Foreign Affairs Bui Thanh Son spoke.",
                ),
                (
                    "Sidang Pleno dibuka di Hanoi.",
                    "The plenary session opened in Hanoi.",
                ),
                ("Kemenlu (Foto: VNA)", "MOFA (Photo: VNA)"),
                ("Politbiro bersidang.", "The Politburo met."),
            ],
            None,
        );
        QaContext::new(None, lexicon, &QaOptions::default())
    }

    #[test]
    fn names_kept_or_rendered_are_not_flagged() {
        let context = context();
        let cases = [
            (
                "Menlu Bùi Thanh Sơn berbicara di Hanoi.",
                "Minister of Foreign Affairs Bui Thanh Son spoke in Hanoi.",
            ),
            (
                "Presiden Amerika Serikat Joe Biden tiba.",
                "US President Joe Biden arrived.",
            ),
            (
                "Presiden Amerika Serikat Joe Biden tiba.",
                "U.S. President Joe Biden arrived.",
            ),
            (
                "Presiden Amerika Serikat Joe Biden tiba.",
                "The President of the United States, Joe Biden, arrived.",
            ),
            (
                "Menlu Tiongkok Wang Yi tiba.",
                "Chinese Minister of Foreign Affairs Wang Yi arrived.",
            ),
            (
                "Sidang Majelis Umum PBB dibuka.",
                "The United Nations General Assembly session opened.",
            ),
            (
                "Duta Besar AS Dan Kritenbrink hadir.",
                "US Ambassador Dan Kritenbrink attended.",
            ),
            (
                "Anggota Politbiro Yang Jiechi hadir.",
                "Politburo member Yang Jiechi attended.",
            ),
            (
                "Bantuan dikirim ke Sudan dan Yordania.",
                "Aid was sent to Sudan and Jordan.",
            ),
            (
                "Delegasi tiba di Ha Noi.",
                "The delegation arrived in Hanoi.",
            ),
            (
                "Sidang Pleno dibuka. (Foto: VNA)",
                "The plenary session opened. (Photo: VNA)",
            ),
            ("Rekam Jejak yang Sukses", "A Successful Track Record"),
        ];
        for (source, target) in cases {
            assert_eq!(
                run_with(source, target, &context),
                Vec::new(),
                "{source} → {target}"
            );
        }
    }

    #[test]
    fn misspelt_dropped_and_wrong_names_are_flagged() {
        let context = context();
        let cases = [
            (
                "Menlu Bui Thanh Son berbicara.",
                "Minister of Foreign Affairs Bui Thanh Sun spoke.",
            ),
            ("Presiden Joe Biden tiba.", "President Biden arrived."),
            (
                "Menlu Tiongkok Wang Yi tiba.",
                "Japanese Minister of Foreign Affairs Wang Yi arrived.",
            ),
            (
                "Presiden Amerika Serikat Joe Biden tiba.",
                "UK President Joe Biden arrived.",
            ),
            (
                "Sekjen PBB Antonio Guterres memuji Vietnam.",
                "UN Secretary-General Antonio Guterez praised Vietnam.",
            ),
            (
                "Sidang Pleno dibuka. (Foto: VNA)",
                "The plenary session opened. (Photo: VNU)",
            ),
        ];
        for (source, target) in cases {
            let findings = run_with(source, target, &context);
            assert_eq!(findings.len(), 1, "{source} → {target}: {findings:?}");
            assert_eq!(findings[0].check, Check::Name);
        }
    }

    #[test]
    fn us_the_pronoun_is_not_the_united_states() {
        let findings = run_with(
            "Amerika Serikat mendukung kami.",
            "The administration supports us.",
            &context(),
        );
        assert_eq!(findings.len(), 1);
    }

    #[test]
    fn ignored_names_are_not_required() {
        let options = QaOptions {
            ignore_names: vec!["Nguyễn Hồng".to_string()],
            ..QaOptions::default()
        };
        let context = QaContext::new(None, Lexicon::default(), &options);
        let findings = run_with("Foto oleh Nguyen Hong", "Photo by the staff", &context);
        assert_eq!(findings, Vec::new());
    }

    #[test]
    fn glossary_person_and_place_entries_give_english_forms() {
        let text = "source\ttarget\tkind\tvariants\n\
                    Kota Hanoi\tHanoi\tplace\tHa Noi|Hà Nội\n\
                    Paman Ho\tUncle Ho\tperson\t\n";
        let (glossary, _) = crate::glossary::parse_glossary_text(
            text,
            crate::glossary::GlossaryFormat::Tsv,
            std::path::Path::new("test.tsv"),
            "id",
            "en",
        );
        let context = QaContext::new(
            Some(crate::glossary::Verifier::new(glossary)),
            Lexicon::default(),
            &QaOptions::default(),
        );
        for target in [
            "He arrived in Hanoi.",
            "He arrived in Hà Nội.",
            "He arrived in Ha Noi.",
        ] {
            assert_eq!(
                run_with("Dia tiba di Kota Hanoi.", target, &context),
                Vec::new()
            );
        }
        assert_eq!(
            run_with(
                "Dia tiba di Kota Hanoi.",
                "He arrived in Haiphong.",
                &context
            )
            .len(),
            1
        );
        assert_eq!(
            run_with("Pesan Paman Ho.", "Uncle Ho's message.", &context),
            Vec::new()
        );
        assert_eq!(
            run_with("Pesan Paman Ho.", "Uncle Hu's message.", &context).len(),
            1
        );
        assert_eq!(
            run_with("Majelis Umum PBB.", "The UN General Assembly.", &context),
            Vec::new()
        );
    }

    /// [`copied_into`] as first written: the words collected, and joined into a new string.
    fn copied_into_plain(words: &[&str], target: &Analysed<'_>) -> bool {
        let tokens = &target.tokens;
        let joined: String = words.concat();
        let last = words.len().saturating_sub(1);
        let same = |found: &str, word: &str, is_last: bool| {
            found == word
                || (is_last
                    && found.strip_prefix(word).is_some_and(|ending| {
                        matches!(ending, "n" | "an" | "ian" | "ese" | "i" | "ish" | "s")
                    }))
        };
        (0..tokens.len()).any(|index| {
            let in_a_row = index + words.len() <= tokens.len()
                && words.iter().enumerate().all(|(offset, word)| {
                    same(target.folded(&tokens[index + offset]), word, offset == last)
                });
            in_a_row || target.folded(&tokens[index]) == joined
        })
    }

    #[test]
    fn copied_into_agrees_with_its_plain_form() {
        let mut pairs: Vec<(String, String)> = vec![
            (
                "Ha Noi dan Australia".into(),
                "Hanoi and the Australian".into(),
            ),
            ("Ha Noi Noi".into(), "Ha Noian hanoinoi".into()),
            (
                "Viet Nam, Jepang".into(),
                "Vietnamese Japan Viet Namese".into(),
            ),
        ];
        for line in include_str!("../../tests/data/qa/pairs.jsonl").lines() {
            let pair: serde_json::Value = serde_json::from_str(line).expect("an evaluation pair");
            if let (Some(source), Some(target)) = (pair["source"].as_str(), pair["target"].as_str())
            {
                pairs.push((source.into(), target.into()));
                pairs.push((source.into(), source.into()));
            }
        }
        let mut copied = 0;
        for (source, target) in &pairs {
            let (source, target) = (Analysed::new(source), Analysed::new(target));
            for first in 0..source.tokens.len() {
                for last in first..source.tokens.len().min(first + 3) {
                    let words: Vec<&str> = source.tokens[first..=last]
                        .iter()
                        .map(|token| source.folded(token))
                        .collect();
                    let expected = copied_into_plain(&words, &target);
                    let found = copied_into(|| words.iter().copied(), &target);
                    assert_eq!(found, expected, "{words:?} in {}", target.text);
                    copied += usize::from(found);
                }
            }
        }
        assert!(copied > 1000, "{copied}");
    }

    #[test]
    fn word_lists_are_sorted() {
        for list in [INDONESIAN_CAPITALISED_WORDS, CALENDAR_WORDS] {
            assert!(list.windows(2).all(|pair| pair[0] < pair[1]));
        }
    }
}
