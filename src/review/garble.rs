//! Targets a tool garbled while rewriting a reviewed file: Translate Toolkit, asked to set a
//! target that holds inline markup (`<mrk>` in XLIFF 2 or 1.2), replaces only the text before
//! the first element and keeps the old marked-up text after the new one, so the file comes
//! back with `new English + old English from the first term on`.
//!
//! Only recognises the two shapes that garble leaves (the old target appended to the new one;
//! every glossary rendering of the segment at least twice as often as before); must not
//! decide what to do about it ([`super::import`] leaves such targets out with a warning).

use crate::record::AlignedSegment;

/// Why `new_target` looks like a garbled rewrite of the record's target, or `None`.
pub fn garbled(record: &AlignedSegment, new_target: &str) -> Option<String> {
    let old = record.target.as_deref()?;
    let new = new_target.trim();
    if old.trim().is_empty() || new == old.trim() {
        return None;
    }
    if new.len() > old.trim().len() && new.ends_with(old.trim()) {
        return Some(
            "the target ends with the whole exported target after new text: a tool appended the old target to the new one".to_string(),
        );
    }
    let mut renderings: Vec<&str> = record
        .matches
        .iter()
        .filter_map(|term| {
            let span = term.target_span.as_ref()?;
            old.get(span.start..span.end)
        })
        .filter(|rendering| !rendering.trim().is_empty())
        .collect();
    renderings.sort_unstable();
    renderings.dedup();
    let doubled = !renderings.is_empty()
        && renderings.iter().all(|rendering| {
            let before = old.matches(rendering).count();
            before > 0 && new.matches(rendering).count() >= 2 * before
        });
    doubled.then(|| {
        format!(
            "the target repeats every glossary term of the segment twice ({}): a tool kept the old marked-up text after the new one",
            renderings
                .iter()
                .map(|rendering| format!("{rendering:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{TermKind, TermMatch, TextSpan};
    use crate::model::{SegmentId, SegmentKind};
    use crate::record::Origin;

    fn record(target: &str, renderings: &[&str]) -> AlignedSegment {
        let matches = renderings
            .iter()
            .map(|rendering| {
                let start = target.find(rendering).unwrap();
                TermMatch {
                    source_term: "x".to_string(),
                    expected: rendering.to_string(),
                    term_kind: TermKind::Title,
                    source_span: TextSpan { start: 0, end: 1 },
                    target_span: Some(TextSpan {
                        start,
                        end: start + rendering.len(),
                    }),
                }
            })
            .collect();
        AlignedSegment {
            id: SegmentId::new("a", 1, 1),
            kind: SegmentKind::Paragraph,
            translatable: true,
            source: "x".to_string(),
            target: Some(target.to_string()),
            raw: None,
            origin: Origin::Memory,
            matches,
            violations: Vec::new(),
            warnings: Vec::new(),
            diff: Vec::new(),
            alignment: None,
            qa: Vec::new(),
        }
    }

    #[test]
    fn the_shapes_of_a_garbled_rewrite_are_named_and_real_edits_pass() {
        let old = "According to Deputy Prime Minister Bui Thanh Son, the trip was a success.";
        let terms = ["Deputy Prime Minister", "Bui Thanh Son"];
        let record = record(old, &terms);
        // Translate Toolkit's rewrite: new text, then the old text from the first term on
        let garbled_text = "Deputy Prime Minister Bui Thanh Son called the trip a success.Deputy Prime Minister Bui Thanh Son, the trip was a success.";
        let reason = garbled(&record, garbled_text).unwrap();
        assert!(reason.contains("twice"), "{reason}");
        let appended = format!("New text. {old}");
        assert!(garbled(&record, &appended).unwrap().contains("appended"));
        for fine in [
            old,
            "Per Deputy Prime Minister Bui Thanh Son, the trip was a success.",
            "The trip was a success, said Bui Thanh Son.",
        ] {
            assert_eq!(garbled(&record, fine), None, "{fine}");
        }
    }
}
