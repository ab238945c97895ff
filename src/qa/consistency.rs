//! The consistency check, run over a whole run (or one `--pairs` file): the same source
//! segment translated in different ways. Every pair of such a group is flagged, naming the
//! others. Sources and targets are compared with white space collapsed and curly quotes made
//! straight, so a difference in spacing or quote style is not an inconsistency.
//!
//! Works on plain (id, source, target) items; must not know where they come from.

use super::text::WordMap;
use super::{Check, Finding, Severity};

/// One translated segment of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsistencyItem<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub target: &'a str,
}

/// The ASCII bytes that are not white space (the bytes [`write_key`] copies as they are).
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x80 {
        table[byte] = !matches!(byte as u8, b'\t'..=b'\r' | b' ');
        byte += 1;
    }
    table
};

/// The comparison key of a text, into `key` (cleared first): words joined by single spaces,
/// quotes and apostrophes straight.
fn write_key(text: &str, key: &mut String) {
    key.clear();
    let bytes = text.as_bytes();
    // a space is written before a word only once the key has one
    let mut space = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte < 0x80 {
            if matches!(byte, b'\t'..=b'\r' | b' ') {
                space = !key.is_empty();
                at += 1;
                continue;
            }
            // a run of ASCII words with single spaces between them, copied whole (a space
            // after a word goes into the key as it is)
            let mut end = at;
            loop {
                while bytes
                    .get(end)
                    .is_some_and(|next| ASCII_WORD[*next as usize])
                {
                    end += 1;
                }
                if bytes.get(end) == Some(&b' ')
                    && bytes
                        .get(end + 1)
                        .is_some_and(|next| ASCII_WORD[*next as usize])
                {
                    end += 2;
                    continue;
                }
                break;
            }
            if space {
                key.push(' ');
                space = false;
            }
            key.push_str(&text[at..end]);
            at = end;
            continue;
        }
        let character = text[at..].chars().next().unwrap_or('\u{fffd}');
        at += character.len_utf8();
        if character.is_whitespace() {
            space = !key.is_empty();
            continue;
        }
        if space {
            key.push(' ');
            space = false;
        }
        key.push(match character {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            other => other,
        });
    }
}

/// Whether `text` is its own comparison key: ASCII, single spaces between words and none at
/// either end, no other white space. Most segments are, and need no copy.
fn is_own_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    let odd = |byte: u8| (byte >= 0x80) | (byte.wrapping_sub(b'\t') <= b'\r' - b'\t');
    // one pass the compiler can vectorise (no early exit per byte): a byte beyond ASCII, a
    // control that is white space, or a space after a space
    let found = bytes
        .iter()
        .zip(&bytes[1..])
        .fold(false, |found, (&byte, &next)| {
            found | odd(byte) | ((byte == b' ') & (next == b' '))
        });
    first != b' ' && last != b' ' && !found && !odd(last)
}

/// The comparison key of `text`: `text` itself when it is its own key, else written into
/// `key`.
fn key_of<'t>(text: &'t str, key: &'t mut String) -> &'t str {
    if is_own_key(text) {
        return text;
    }
    write_key(text, key);
    key
}

/// A 128-bit hash of `text`'s comparison key (words joined by single spaces, quotes and
/// apostrophes straight): two texts the consistency check takes for the same have the same
/// hash.
pub fn comparison_hash(text: &str) -> u128 {
    let mut key = String::new();
    key_hash(key_of(text, &mut key))
}

/// A 128-bit hash of a comparison key: XXH3's 128-bit variant (the `xxhash-rust` crate), so
/// that two different keys share a hash with a chance of about 2^-128 per pair of keys. The
/// hashes live only in the memory of one process (the check's first pass, the run's
/// consistency ledger): none is ever written to a file, so the function may change between
/// versions.
fn key_hash(key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(key.as_bytes())
}

/// A 128-bit key hash as two halves: a table entry of 40 bytes instead of the 48 a `u128`'s
/// 16-byte alignment takes.
type Halves = (u64, u64);

fn halves(hash: u128) -> Halves {
    ((hash >> 64) as u64, hash as u64)
}

/// One source group seen so far: its first member's target key hash and number, and, once it
/// has more members, where they are kept.
#[derive(Debug)]
struct Group {
    target: Halves,
    member: u32,
    /// 1 + the index of the group's [`Members`] in [`ConsistencyIndex::many`]; 0 while the
    /// group has one member.
    many: u32,
}

/// The members of a group of several: their distinct target key hashes, in first-seen order,
/// and their numbers.
#[derive(Debug)]
struct Members {
    targets: Vec<Halves>,
    members: Vec<u32>,
}

/// The first pass of a streaming consistency check: every translated segment of the run
/// goes through [`ConsistencyIndex::add`] in order, which keeps only hashes of the comparison
/// keys (a 40-byte entry a distinct source: with the table's slack, 45 to 90 bytes), never the
/// texts. [`ConsistencyIndex::finish`] then says which segments belong to an inconsistent
/// group.
///
/// For a bounded memory whatever the size of the run, an index can take only one of several
/// partitions of the sources ([`ConsistencyIndex::partition`]): a caller makes one pass per
/// partition and merges the plans ([`ConsistencyPlan::merge`]).
#[derive(Debug, Default)]
pub struct ConsistencyIndex {
    groups: WordMap<Halves, Group>,
    /// The groups of several members, in the order they got their second.
    many: Vec<Members>,
    members: u32,
    /// This index keeps the sources whose hash is `partition.0` modulo `partition.1`.
    partition: (u64, u64),
    /// The key being hashed, reused between segments.
    key: String,
}

impl ConsistencyIndex {
    /// An index of the sources of partition `which` of `partitions` (every segment still
    /// counts as a member, so that member numbers are those of the whole run).
    pub fn partition(which: u64, partitions: u64) -> ConsistencyIndex {
        ConsistencyIndex {
            partition: (which, partitions.max(1)),
            ..ConsistencyIndex::default()
        }
    }

    /// Adds the next segment of the run (members are numbered from 0 in the order added).
    pub fn add(&mut self, source: &str, target: &str) {
        let member = self.members;
        self.members += 1;
        let source_key = key_of(source, &mut self.key);
        if source_key.is_empty() {
            return;
        }
        let source = key_hash(source_key);
        let (which, partitions) = self.partition;
        if partitions > 1 && (source as u64) % partitions != which {
            return;
        }
        let target = halves(key_hash(key_of(target, &mut self.key)));
        match self.groups.entry(halves(source)) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(Group {
                    target,
                    member,
                    many: 0,
                });
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                let group = slot.get_mut();
                if group.many == 0 {
                    self.many.push(Members {
                        targets: vec![group.target],
                        members: vec![group.member],
                    });
                    group.many = self.many.len() as u32;
                }
                let many = &mut self.many[group.many as usize - 1];
                if !many.targets.contains(&target) {
                    many.targets.push(target);
                }
                many.members.push(member);
            }
        }
    }

    /// The groups found inconsistent, and which segments share their source with another.
    pub fn finish(self) -> ConsistencyPlan {
        let mut plan = ConsistencyPlan {
            repeated: vec![false; self.members as usize],
            ..ConsistencyPlan::default()
        };
        for Members { targets, members } in self.many {
            for &member in &members {
                plan.repeated[member as usize] = true;
            }
            if targets.len() < 2 {
                continue;
            }
            let index = plan.groups.len() as u32;
            for &member in &members {
                plan.group_of.insert(member, index);
            }
            plan.groups.push((targets.len(), members));
        }
        plan
    }
}

/// What the first pass learnt: the inconsistent groups (their number of distinct
/// translations and their members) and, once [`ConsistencyPlan::set_id`] has been told, the
/// ids of their members. Holds one id per member of an inconsistent group, nothing else.
#[derive(Debug, Default)]
pub struct ConsistencyPlan {
    groups: Vec<(usize, Vec<u32>)>,
    group_of: WordMap<u32, u32>,
    ids: WordMap<u32, String>,
    /// Per member: whether another member has the same source.
    repeated: Vec<bool>,
}

impl ConsistencyPlan {
    /// Adds the plan of another partition of the same run.
    pub fn merge(&mut self, other: ConsistencyPlan) {
        if self.repeated.len() < other.repeated.len() {
            self.repeated.resize(other.repeated.len(), false);
        }
        for (mine, theirs) in self.repeated.iter_mut().zip(other.repeated) {
            *mine |= theirs;
        }
        let offset = self.groups.len() as u32;
        self.group_of.extend(
            other
                .group_of
                .into_iter()
                .map(|(member, group)| (member, group + offset)),
        );
        self.groups.extend(other.groups);
        self.ids.extend(other.ids);
    }

    /// Whether any group is inconsistent (so a pass for the members' ids is needed).
    pub fn has_findings(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Whether `member` is in an inconsistent group, so its id is needed.
    pub fn wants_id(&self, member: u32) -> bool {
        self.group_of.contains_key(&member)
    }

    /// Records the id of a member that [`ConsistencyPlan::wants_id`].
    pub fn set_id(&mut self, member: u32, id: &str) {
        if self.wants_id(member) {
            self.ids.insert(member, id.to_string());
        }
    }

    /// Whether another segment of the run has `member`'s source (compared as the check
    /// compares them).
    pub fn is_repeated(&self, member: u32) -> bool {
        self.repeated.get(member as usize).copied().unwrap_or(false)
    }

    /// The consistency finding of `member`, whose texts have these lengths, if its group is
    /// inconsistent.
    pub fn finding(
        &self,
        member: u32,
        source_length: usize,
        target_length: usize,
    ) -> Option<Finding> {
        let &group = self.group_of.get(&member)?;
        let (variants, members) = &self.groups[group as usize];
        let others: Vec<&str> = members
            .iter()
            .filter(|&&other| other != member)
            .map(|other| self.ids.get(other).map_or("?", String::as_str))
            .collect();
        Some(
            Finding::new(
                Check::Consistency,
                Severity::Warning,
                format!(
                    "the same source is translated {variants} ways in this run; see also {}",
                    others.join(", ")
                ),
            )
            .with_source(0, source_length)
            .with_target(0, target_length),
        )
    }
}

/// The consistency findings of a run: `(index into items, finding)`, in item order. Items
/// with an empty source are left out.
pub fn check_consistency(items: &[ConsistencyItem<'_>]) -> Vec<(usize, Finding)> {
    let mut index = ConsistencyIndex::default();
    for item in items {
        index.add(item.source, item.target);
    }
    let mut plan = index.finish();
    if !plan.has_findings() {
        return Vec::new();
    }
    for (member, item) in items.iter().enumerate() {
        plan.set_id(member as u32, item.id);
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(member, item)| {
            plan.finding(member as u32, item.source.len(), item.target.len())
                .map(|finding| (member, finding))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(id: &'a str, source: &'a str, target: &'a str) -> ConsistencyItem<'a> {
        ConsistencyItem { id, source, target }
    }

    #[test]
    fn keys_are_written_as_words_joined_by_single_spaces() {
        let reference = |text: &str| {
            let mut key = String::new();
            for word in text.split_whitespace() {
                if !key.is_empty() {
                    key.push(' ');
                }
                for character in word.chars() {
                    key.push(match character {
                        '“' | '”' | '„' => '"',
                        '‘' | '’' => '\'',
                        other => other,
                    });
                }
            }
            key
        };
        let pieces = [
            "a", "Kata", " ", "  ", "\t", "\n", "\u{b}", "\u{a0}", "\u{2003}", "\u{3000}", "“",
            "”", "„", "‘", "’", "é", "Sơn", "1.000", ",", "\u{85}", "\u{1c}",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut key = String::new();
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..8 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            write_key(&text, &mut key);
            assert_eq!(key, reference(&text), "{text:?}");
        }
    }

    #[test]
    fn own_keys_are_recognised() {
        let reference = |text: &str| {
            let bytes = text.as_bytes();
            text.is_ascii()
                && bytes.first() != Some(&b' ')
                && bytes.last() != Some(&b' ')
                && !bytes.iter().any(|byte| matches!(byte, b'\t'..=b'\r'))
                && !bytes.windows(2).any(|two| two == b"  ")
        };
        for text in [
            "", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\u{1}b", "a\u{1} b", "é", "a\rb",
            "a \u{1f}", "\u{b}", "ab cd ef",
        ] {
            assert_eq!(is_own_key(text), reference(text), "{text:?}");
        }
        let pieces = [
            "a", "Kata", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "é", "\u{1f}", "\u{7f}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(state % 9) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(1);
            assert_eq!(is_own_key(&text), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn a_text_taken_as_its_own_key_is_the_key_written_out() {
        for text in [
            "",
            " ",
            "Menteri Luar Negeri bertemu",
            " leading",
            "trailing ",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "vertical\u{b}tab",
            "“curly” and ‘single’",
            "no\u{a0}break",
            "unit\u{1f}separator",
        ] {
            let mut written = String::new();
            write_key(text, &mut written);
            let mut scratch = String::new();
            assert_eq!(key_of(text, &mut scratch), written, "{text:?}");
        }
    }

    #[test]
    fn key_hashes_tell_keys_apart_and_texts_with_one_key_share_one() {
        let mut seen = std::collections::HashSet::new();
        for number in 0..50_000 {
            let key = format!("{number}. Menteri Luar Negeri bertemu");
            assert!(seen.insert(key_hash(&key)), "{key}");
            assert!(seen.insert(key_hash(&key[..key.len() - 1])), "{key}");
        }
        assert_eq!(
            comparison_hash("Tema  “Membangun”\n"),
            comparison_hash("Tema \"Membangun\"")
        );
        assert_ne!(comparison_hash("a b"), comparison_hash("ab"));
    }

    #[test]
    fn every_member_of_an_inconsistent_group_is_flagged_naming_the_others() {
        let items = [
            item(
                "a",
                "Namun, inovasi perlu ditingkatkan.",
                "However, reform must be stepped up.",
            ),
            item("b", "Lain.", "Other."),
            item(
                "c",
                "Namun,  inovasi perlu ditingkatkan.",
                "However, innovation must be enhanced.",
            ),
            item(
                "d",
                "Namun, inovasi perlu ditingkatkan.",
                "However, reform must be stepped up.",
            ),
        ];
        let findings = check_consistency(&items);
        let indices: Vec<usize> = findings.iter().map(|(index, _)| *index).collect();
        assert_eq!(indices, [0, 2, 3]);
        assert!(
            findings[0].1.message.contains("c, d"),
            "{}",
            findings[0].1.message
        );
        assert!(findings[0].1.message.contains("2 ways"));
    }

    #[test]
    fn partitioned_passes_merge_into_the_single_pass_plan() {
        let sources = ["Satu.", "Dua.", "Tiga.", "Empat.", "Lima."];
        let items: Vec<(String, String, String)> = (0..40)
            .map(|number| {
                let source = sources[number % sources.len()];
                let target = format!("T{}", number % 3 * usize::from(number % 5 < 2));
                (format!("id{number}"), source.to_string(), target)
            })
            .collect();
        let plan_of = |partitions: u64| {
            let mut merged = ConsistencyPlan::default();
            for which in 0..partitions {
                let mut index = ConsistencyIndex::partition(which, partitions);
                for (_, source, target) in &items {
                    index.add(source, target);
                }
                merged.merge(index.finish());
            }
            for (member, (id, _, _)) in items.iter().enumerate() {
                merged.set_id(member as u32, id);
            }
            (0..items.len() as u32)
                .map(|member| (merged.is_repeated(member), merged.finding(member, 1, 1)))
                .collect::<Vec<_>>()
        };
        let single = plan_of(1);
        assert!(single.iter().any(|(_, finding)| finding.is_some()));
        assert_eq!(plan_of(3), single);
        assert_eq!(plan_of(7), single);
    }

    #[test]
    fn spacing_and_quote_style_are_not_inconsistencies() {
        let items = [
            item("a", "Tema “Membangun”.", "Themed “Building”."),
            item("b", "Tema \"Membangun\".", "Themed  \"Building\"."),
            item("c", "", "x"),
            item("d", "", "y"),
        ];
        assert_eq!(check_consistency(&items), Vec::new());
    }
}
