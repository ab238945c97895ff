//! The rules that look beyond one line: bare headline links after a `Baca juga` header, a name
//! after a lone `Reporter` label, the caption above a lone credit line, and interview questions
//! marked by the interviewer's name (`Tempo: Apakah …?`) rather than a dash.
//! Works on lines already classified one by one; must not split sentences.

use super::Line;
use super::block::{ClassifiedLine, trim_range};
use super::furniture::Role;
use crate::model::BlockKind;
use std::collections::HashMap;

/// A name after a lone label has at most this many words.
const LONGEST_NAME: usize = 6;

/// Reclassifies lines by their neighbours.
pub(super) fn apply(source: &str, lines: &mut [(Line, ClassifiedLine)]) {
    let interviewer = interviewer_label(source, lines);
    let mut after_related = false;
    let mut after_label = false;
    for index in 0..lines.len() {
        let (line, classified) = &lines[index];
        let (start, end) = classified.content;
        let text = &source[line.start + start..line.start + end];
        if classified.kind == BlockKind::Boilerplate {
            match classified.role {
                Some(Role::RelatedHeader) => after_related = true,
                Some(Role::Credit) if index > 0 => {
                    let previous = &mut lines[index - 1].1;
                    if matches!(previous.kind, BlockKind::Paragraph | BlockKind::Heading) {
                        previous.kind = BlockKind::Caption;
                    }
                }
                _ => {}
            }
            after_label = lines[index].1.role == Some(Role::Label);
            continue;
        }
        let is_heading = classified.kind == BlockKind::Heading;
        let is_name = is_heading && text.split_whitespace().count() <= LONGEST_NAME;
        if (after_related && is_heading) || (after_label && is_name) {
            let whole = &source[line.start..line.end];
            let content = trim_range(whole, 0, whole.len());
            let classified = &mut lines[index].1;
            classified.kind = BlockKind::Boilerplate;
            classified.content = content;
            classified.dateline = None;
            classified.role = Some(Role::Plain);
            classified.credit = None;
            classified.glued = None;
            after_label = false;
            continue;
        }
        after_related = false;
        after_label = false;
        if let Some(label) = &interviewer
            && matches!(classified.kind, BlockKind::Paragraph | BlockKind::Heading)
            && label_of(text) == Some(label.as_str())
        {
            lines[index].1.kind = BlockKind::Question;
        }
    }
}

/// `Tempo` in `Tempo: Apakah …?`: one to three capitalised words before a colon.
fn label_of(text: &str) -> Option<&str> {
    let (label, rest) = text.split_once(": ")?;
    let words = label.split_whitespace().count();
    let capitalised = label
        .split_whitespace()
        .all(|word| word.chars().next().is_some_and(char::is_uppercase));
    (label.len() <= 30 && (1..=3).contains(&words) && capitalised && !rest.trim().is_empty())
        .then_some(label)
}

/// The interviewer's label: the one that opens at least two lines and the most lines ending
/// with a question mark.
fn interviewer_label(source: &str, lines: &[(Line, ClassifiedLine)]) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (line, classified) in lines {
        if classified.kind == BlockKind::Boilerplate {
            continue;
        }
        let (start, end) = classified.content;
        let text = &source[line.start + start..line.start + end];
        if let Some(label) = label_of(text) {
            let count = counts.entry(label).or_default();
            count.0 += 1;
            count.1 += usize::from(text.trim_end_matches(['"', '”']).ends_with('?'));
        }
    }
    counts
        .into_iter()
        .filter(|&(_, (total, questions))| total >= 2 && questions >= 1)
        .max_by_key(|&(label, (_, questions))| (questions, std::cmp::Reverse(label)))
        .map(|(label, _)| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_interview_lines() {
        assert_eq!(label_of("Tempo: Apakah ini benar?"), Some("Tempo"));
        assert_eq!(label_of("Sri Mulyani: Target itu."), Some("Sri Mulyani"));
        assert_eq!(label_of("Sudut pandang ini menyatakan: “Untuk"), None);
        assert_eq!(label_of("Tempo:"), None);
    }
}
