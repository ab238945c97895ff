//! The glossary terms of a record as numbered spans, shared by the TMX and XLIFF exporters so
//! both pair a term with its rendering the same way.
//!
//! Must not write XML: that is [`crate::xml`]'s (and [`crate::tmx`]'s for TMX).

/// A byte range and the number of the glossary match it belongs to.
pub(crate) type NumberedSpan = (usize, usize, usize);

/// The glossary terms of a record as numbered spans, `(start, end, n)` with `n` the 1-based
/// match number, in the source and (where the rendering was found) in the target: the same `n`
/// pairs a term with its rendering in TMX `<hi x>` and XLIFF `<mrk id>`.
pub(crate) fn numbered_term_spans(
    record: &crate::record::AlignedSegment,
) -> (Vec<NumberedSpan>, Vec<NumberedSpan>) {
    let source = record
        .matches
        .iter()
        .enumerate()
        .map(|(index, term)| (term.source_span.start, term.source_span.end, index + 1))
        .collect();
    let target = record
        .matches
        .iter()
        .enumerate()
        .filter_map(|(index, term)| {
            term.target_span
                .map(|span| (span.start, span.end, index + 1))
        })
        .collect();
    (source, target)
}
