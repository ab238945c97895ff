//! Record building: the segments of each article with the translate stage's answers, one
//! record per segment in document order; or the links `selaras align` found. Must not know
//! about the glossary policy or files.

use super::{AlignedSegment, AlignmentInfo, ArticleRecords, Origin};
use crate::bitext::{self, ArticleAlignment, Link, LinkKind};
use crate::model::{Article, SegmentId};
use crate::translate;
use std::collections::{HashMap, HashSet};

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

/// One record per source segment a translation run would write, in document order: the
/// untranslatable ones carried over, each link's under the id of its first source segment
/// (a 2-1 link's second segment joins that record). English sentences with no source (0-1)
/// have no record.
pub fn from_alignment(article: &Article, alignment: &ArticleAlignment) -> Vec<AlignedSegment> {
    let mut by_first_source: HashMap<&SegmentId, &Link> = HashMap::new();
    let mut joined_later: HashSet<&SegmentId> = HashSet::new();
    for link in &alignment.links {
        if let Some((&first, rest)) = link.source.split_first() {
            by_first_source.insert(&alignment.source[first].id, link);
            for &index in rest {
                joined_later.insert(&alignment.source[index].id);
            }
        }
    }
    let mut records = Vec::new();
    for segment in article.segments() {
        if joined_later.contains(&segment.id) {
            continue;
        }
        let mut record = AlignedSegment::untranslated(segment);
        if let Some(link) = by_first_source.get(&segment.id) {
            record.source = ArticleAlignment::joined(&link.source, &alignment.source);
            if link.kind != LinkKind::OneToZero {
                let target = ArticleAlignment::joined(&link.target, &alignment.target);
                record.target = Some(target.clone());
                record.raw = Some(target);
                record.origin = Origin::Aligned;
            }
            record.alignment = Some(AlignmentInfo {
                link: link.kind.as_str().to_string(),
                source_ids: link
                    .source
                    .iter()
                    .map(|&index| alignment.source[index].id.clone())
                    .collect(),
                target_ids: ArticleAlignment::ids(&link.target, &alignment.target),
                confidence: bitext::rounded(link.confidence),
                flagged: link.flagged,
            });
        }
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{SegmentOptions, segment_article};

    #[test]
    fn records_keep_document_order_and_carry_untranslatable_sources() {
        let article = segment_article(
            "a",
            "Presiden tiba di Jakarta.\nKomentar (0)\nMenteri berbicara.\n",
            &SegmentOptions::default(),
        );
        let items: Vec<(SegmentId, String)> = article
            .translatable_segments()
            .map(|segment| (segment.id.clone(), segment.text.clone()))
            .collect();
        assert_eq!(items.len(), 2);
        let translation = translate::SegmentTranslation {
            target: Some("The President arrived in Jakarta.".to_string()),
            raw: Some("The President arrived in Jakarta.".to_string()),
            origin: translate::Origin::Engine,
            error: None,
        };
        let by_id = HashMap::from([(&items[0].0, &translation)]);
        let records = build_records(std::slice::from_ref(&article), &by_id);
        let shape: Vec<(&str, Option<&str>, Origin)> = records[0]
            .records
            .iter()
            .map(|record| {
                (
                    record.source.as_str(),
                    record.target.as_deref(),
                    record.origin,
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (
                    "Presiden tiba di Jakarta.",
                    Some("The President arrived in Jakarta."),
                    Origin::Engine
                ),
                ("Komentar (0)", Some("Komentar (0)"), Origin::Source),
                ("Menteri berbicara.", None, Origin::None),
            ]
        );
    }
}
