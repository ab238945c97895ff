//! The rules that look beyond one line: bare headline links after a `Baca juga` header, a name
//! after a lone `Reporter` label, the caption above a lone credit line, and interview questions
//! marked by the interviewer's name (`Tempo: Apakah …?`) rather than a dash.
//! Works on lines already classified one by one, in order, looking back at most one line (so a
//! stream of blocks needs to hold only one); the interviewer's label is counted over the whole
//! article first ([`LabelCounts`]). Must not split sentences.

use super::block::{ClassifiedLine, trim_range};
use super::furniture::Role;
use crate::model::BlockKind;
use std::collections::HashMap;

/// A name after a lone label has at most this many words.
const LONGEST_NAME: usize = 6;

/// The state the rules carry from one line to the next.
#[derive(Debug, Default)]
pub(super) struct Context {
    /// The interviewer's label of the whole article ([`LabelCounts::interviewer`]).
    interviewer: Option<String>,
    after_related: bool,
    after_label: bool,
}

impl Context {
    pub(super) fn new(interviewer: Option<String>) -> Self {
        Context {
            interviewer,
            ..Context::default()
        }
    }

    /// Reclassifies `classified` (the classification of `line`, a whole source line without
    /// its ending) by what came before it; `previous` is the line before it, which a credit
    /// line turns into a caption.
    pub(super) fn apply(
        &mut self,
        line: &str,
        classified: &mut ClassifiedLine,
        previous: Option<&mut ClassifiedLine>,
    ) {
        let (start, end) = classified.content;
        let text = &line[start..end];
        if classified.kind == BlockKind::Boilerplate {
            match classified.role {
                Some(Role::RelatedHeader) => self.after_related = true,
                Some(Role::Credit) => {
                    if let Some(previous) = previous
                        && matches!(previous.kind, BlockKind::Paragraph | BlockKind::Heading)
                    {
                        previous.kind = BlockKind::Caption;
                    }
                }
                _ => {}
            }
            self.after_label = classified.role == Some(Role::Label);
            return;
        }
        let is_heading = classified.kind == BlockKind::Heading;
        let is_name = is_heading && text.split_whitespace().count() <= LONGEST_NAME;
        if (self.after_related && is_heading) || (self.after_label && is_name) {
            classified.kind = BlockKind::Boilerplate;
            classified.content = trim_range(line, 0, line.len());
            classified.dateline = None;
            classified.role = Some(Role::Plain);
            classified.credit = None;
            classified.glued = None;
            self.after_label = false;
            return;
        }
        self.after_related = false;
        self.after_label = false;
        if let Some(label) = &self.interviewer
            && matches!(classified.kind, BlockKind::Paragraph | BlockKind::Heading)
            && label_of(text) == Some(label.as_str())
        {
            classified.kind = BlockKind::Question;
        }
    }
}

/// `Tempo` in `Tempo: Apakah …?`: one to three capitalised words before a colon.
pub(super) fn label_of(text: &str) -> Option<&str> {
    let (label, rest) = text.split_once(": ")?;
    // checked first: a `": "` deep in a paragraph leaves a long "label" not worth counting
    if label.len() > 30 {
        return None;
    }
    let words = label.split_whitespace().count();
    let capitalised = label
        .split_whitespace()
        .all(|word| word.chars().next().is_some_and(char::is_uppercase));
    ((1..=3).contains(&words) && capitalised && !rest.trim().is_empty()).then_some(label)
}

/// Could [`LabelCounts::add`] count anything in this line (or any part of it)? Cheap: a label
/// needs a `": "`.
pub(super) fn may_hold_label(line: &str) -> bool {
    memchr::memmem::find(line.as_bytes(), b": ").is_some()
}

/// How often each label opens a line, and a line ending with a question mark: the evidence for
/// the interviewer's label, gathered over a whole article before any line is reclassified.
#[derive(Debug, Default)]
pub(super) struct LabelCounts {
    counts: HashMap<String, (usize, usize)>,
}

impl LabelCounts {
    /// Counts the content of one line that is not furniture, as classified before
    /// [`Context::apply`].
    pub(super) fn add(&mut self, text: &str) {
        let Some(label) = label_of(text) else {
            return;
        };
        let question = usize::from(text.trim_end_matches(['"', '”']).ends_with('?'));
        match self.counts.get_mut(label) {
            Some(count) => {
                count.0 += 1;
                count.1 += question;
            }
            None => {
                self.counts.insert(label.to_string(), (1, question));
            }
        }
    }

    /// The interviewer's label: the one that opens at least two lines and the most lines ending
    /// with a question mark.
    pub(super) fn interviewer(self) -> Option<String> {
        self.counts
            .into_iter()
            .filter(|&(_, (total, questions))| total >= 2 && questions >= 1)
            .max_by(|(label_a, (_, questions_a)), (label_b, (_, questions_b))| {
                // more questions wins; on a tie, the label that sorts first
                questions_a
                    .cmp(questions_b)
                    .then_with(|| label_b.cmp(label_a))
            })
            .map(|(label, _)| label)
    }
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
