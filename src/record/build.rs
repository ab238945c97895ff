//! Record building: the segments of each article with the translate stage's answers, one
//! record per segment in document order. Must not know about the glossary policy or files.

use super::{AlignedSegment, ArticleRecords, Origin};
use crate::model::{Article, SegmentId};
use crate::translate;
use std::collections::HashMap;

/// One record per segment, in document order: translatable segments with their translation
/// (or none), the others carrying their source. Cached engine answers are recorded as
/// `engine` (the summary still counts them as from the cache).
pub fn build_records(
    articles: &[Article],
    translations: &HashMap<&SegmentId, &translate::SegmentTranslation>,
) -> Vec<ArticleRecords> {
    articles
        .iter()
        .map(|article| ArticleRecords {
            stem: article.stem.clone(),
            records: article
                .segments()
                .map(|segment| {
                    let mut record = AlignedSegment::untranslated(segment);
                    if segment.translatable
                        && let Some(translation) = translations.get(&segment.id)
                    {
                        record.target = translation.target.clone();
                        record.raw = translation.raw.clone();
                        // a record describes the translation, not the run that fetched it: an
                        // engine answer read back from the cache is the engine's, so a run that
                        // resumed after a crash writes the same files as one that never stopped
                        record.origin = match translation.origin {
                            translate::Origin::Memory => Origin::Memory,
                            translate::Origin::Cache | translate::Origin::Engine => Origin::Engine,
                            translate::Origin::None => Origin::None,
                        };
                    }
                    record
                })
                .collect(),
        })
        .collect()
}
