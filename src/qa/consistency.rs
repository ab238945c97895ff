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

/// The comparison key of a text: words joined by single spaces, quotes and apostrophes
/// straight.
fn key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
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
}

/// The consistency findings of a run: `(index into items, finding)`, in item order. Items
/// with an empty source are left out.
pub fn check_consistency(items: &[ConsistencyItem<'_>]) -> Vec<(usize, Finding)> {
    let mut groups: WordMap<String, Vec<usize>> =
        WordMap::with_capacity_and_hasher(items.len(), Default::default());
    for (index, item) in items.iter().enumerate() {
        let source = key(item.source);
        if !source.is_empty() {
            groups.entry(source).or_default().push(index);
        }
    }
    let mut findings = Vec::new();
    for members in groups.values() {
        if members.len() < 2 {
            continue;
        }
        let first = key(items[members[0]].target);
        if members[1..]
            .iter()
            .all(|&member| key(items[member].target) == first)
        {
            continue;
        }
        let mut variants: Vec<String> = members
            .iter()
            .map(|&member| key(items[member].target))
            .collect();
        variants.sort_unstable();
        variants.dedup();
        for &member in members {
            let others: Vec<&str> = members
                .iter()
                .filter(|&&other| other != member)
                .map(|&other| items[other].id)
                .collect();
            let item = &items[member];
            findings.push((
                member,
                Finding::new(
                    Check::Consistency,
                    Severity::Warning,
                    format!(
                        "the same source is translated {} ways in this run; see also {}",
                        variants.len(),
                        others.join(", ")
                    ),
                )
                .with_source(0, item.source.len())
                .with_target(0, item.target.len()),
            ));
        }
    }
    findings.sort_by_key(|(index, _)| *index);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(id: &'a str, source: &'a str, target: &'a str) -> ConsistencyItem<'a> {
        ConsistencyItem { id, source, target }
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
