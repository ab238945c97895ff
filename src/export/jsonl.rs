//! JSON lines export: the full [`AlignedSegment`](crate::record::AlignedSegment) record, one
//! object per segment, exactly as `translate` stores it, so `diff`, `export` and `review` can
//! read an exported file back. Must not add or drop fields: the record is the contract.

use super::{ExportContext, ExportFormat, Exporter, PieceWriter};
use crate::record::AlignedSegment;

/// Writes `<stem>.jsonl`.
pub struct JsonlExporter;

impl Exporter for JsonlExporter {
    fn format(&self) -> ExportFormat {
        ExportFormat::Jsonl
    }

    fn pieces(&self, _stem: &str, _context: &ExportContext) -> Box<dyn PieceWriter> {
        Box::new(JsonlPieces)
    }
}

/// One record per line: no head, no tail.
struct JsonlPieces;

impl PieceWriter for JsonlPieces {
    fn body(&mut self, records: &[AlignedSegment], out: &mut Vec<u8>) {
        crate::record::write_jsonl(records, out).expect("aligned records always serialize");
    }

    fn head(&self, _out: &mut Vec<u8>) {}

    fn tail(&self, _out: &mut Vec<u8>) {}

    fn head_is_fixed(&self) -> bool {
        true
    }
}
