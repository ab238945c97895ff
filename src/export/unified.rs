//! `<stem>.diff`: what happened between the engine's output and the final text, as a unified
//! diff per segment (`--- <id> (raw)` / `+++ <id> (final)`), built with the `similar` crate.
//!
//! Only translatable segments whose final text differs from the raw output appear; a file with
//! no hunks means nothing was changed after the engine. Must not diff two runs (that is
//! [`crate::diff`]).

use super::{ExportContext, ExportFormat, Exporter, PieceWriter};
use crate::record::AlignedSegment;

/// Writes `<stem>.diff`.
pub struct UnifiedDiffExporter;

impl Exporter for UnifiedDiffExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Diff
    }

    fn pieces(&self, _stem: &str, _context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(DiffPieces)
    }
}

/// One hunk per changed record: no head, no tail.
struct DiffPieces;

impl PieceWriter for DiffPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        out.extend_from_slice(render(records).as_bytes());
    }

    fn head(&self, _out: &mut Vec<u8>) {}

    fn tail(&self, _out: &mut Vec<u8>) {}

    fn head_is_fixed(&self) -> bool {
        true
    }
}

/// The unified diffs of every segment the glossary fixer or a reviewer changed.
pub fn render(records: &[AlignedSegment]) -> String {
    let mut out = String::new();
    for record in records {
        let (Some(raw), Some(target)) = (record.raw.as_deref(), record.target.as_deref()) else {
            continue;
        };
        if !record.translatable || raw == target {
            continue;
        }
        let old_header = format!("{} (raw, {})", record.id, "engine");
        let new_header = format!("{} (final, {})", record.id, record.origin.as_str());
        out.push_str(&unified_text_diff(raw, target, &old_header, &new_header));
    }
    out
}

/// A unified diff of two texts, line by line, with the given file headers. Both texts are
/// treated as ending with a line break so a one-line segment gives a plain `-`/`+` pair.
pub fn unified_text_diff(old: &str, new: &str, old_header: &str, new_header: &str) -> String {
    let old = with_final_newline(old);
    let new = with_final_newline(new);
    let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
    diff.unified_diff()
        .context_radius(3)
        .header(old_header, new_header)
        .to_string()
}

fn with_final_newline(text: &str) -> String {
    let mut text = text.replace("\r\n", "\n");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_segments_give_one_hunk() {
        let diff = unified_text_diff(
            "Vice Prime Minister Bui Thanh Son",
            "Deputy Prime Minister Bui Thanh Son",
            "a:1.1 (raw)",
            "a:1.1 (final)",
        );
        assert_eq!(
            diff,
            "--- a:1.1 (raw)\n+++ a:1.1 (final)\n@@ -1 +1 @@\n-Vice Prime Minister Bui Thanh Son\n+Deputy Prime Minister Bui Thanh Son\n"
        );
    }
}
