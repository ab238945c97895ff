//! JSON lines export: the full [`AlignedSegment`](crate::record::AlignedSegment) record, one
//! object per segment, exactly as `translate` stores it, so `diff`, `export` and `review` can
//! read an exported file back. Must not add or drop fields: the record is the contract.

use super::{ArticleRecords, ExportContext, ExportFormat, Exporter};

/// Writes `<stem>.jsonl`.
pub struct JsonlExporter;

impl Exporter for JsonlExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Jsonl
    }

    fn render_article(&self, article: &ArticleRecords, _context: &ExportContext) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing JSON to memory fails only for maps with non-string keys, which the record
        // does not have.
        crate::record::write_jsonl(&article.records, &mut out)
            .expect("aligned records always serialize");
        out
    }
}
