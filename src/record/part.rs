//! One part of a run — whole articles, their translatable segments in order — through the
//! translate stage, glossary protect mode included: the glossary terms shielded with
//! placeholders, the approved renderings put back into the answers, and the texts whose
//! placeholders the engine lost translated again unprotected. Each article is handed over as
//! soon as its translations are final: at its last answer, or in protect mode when the part's
//! second pass is over. Must not build records or write files.

use crate::glossary::{GlossaryMode, Protection, Verifier};
use crate::model::{Article, SegmentId};
use crate::translate::providers::ProviderKind;
use crate::translate::{
    Finished, SegmentTranslation, Sources, TranslateError, TranslateOptions, Translated,
    translate_part,
};
use std::collections::HashMap;
use std::ops::Range;

/// The glossary policy of a run, for protect mode.
#[derive(Clone, Copy)]
pub struct Shield<'a> {
    pub verifier: Option<&'a Verifier>,
    pub mode: GlossaryMode,
}

/// Receives an article's final translations: the range of its positions among the inputs,
/// the translations in order, and the segments of the part whose placeholders were lost.
pub type Settled<'a> =
    &'a mut dyn FnMut(Range<usize>, Vec<SegmentTranslation>, &HashMap<SegmentId, String>);

/// The translatable segments of a part's articles (whole or pieces), as the translate stage
/// takes them, and for each the place of its article in the part.
pub fn part_items<'a>(
    articles: impl Iterator<Item = Option<&'a Article>>,
) -> (Vec<(SegmentId, String)>, Vec<usize>) {
    let mut items = Vec::new();
    let mut owner = Vec::new();
    for (index, article) in articles.enumerate() {
        for segment in article.into_iter().flat_map(Article::translatable_segments) {
            items.push((segment.id.clone(), segment.text.clone()));
            owner.push(index);
        }
    }
    (items, owner)
}

/// Translates the items of a part (every article's segments together, articles whole) and
/// hands each article to `settled`; returns the part's translations and counted summary.
pub async fn translate_articles(
    items: &[(SegmentId, String)],
    shield: Shield<'_>,
    options: &TranslateOptions,
    sources: Sources<'_>,
    settled: Settled<'_>,
) -> Result<Translated, TranslateError> {
    let mut sources = sources;
    let approved = sources.approved;
    let mut protection = Protection::new(
        shield.verifier,
        shield.mode,
        options.endpoint.kind != ProviderKind::Memory,
        items.iter().map(|(_, text)| text.as_str()),
        |text| approved.contains_key(text),
    );
    if !protection.engaged() {
        let no_loss = HashMap::new();
        let mut finished =
            |range: Range<usize>, translations| settled(range, translations, &no_loss);
        let finished: Finished<'_> = &mut finished;
        let mut translated = translate_part(items, options, &mut sources, Some(finished)).await?;
        translated.summary.count(&translated.segments);
        return Ok(translated);
    }
    let mut shielded = options.clone();
    shielded.context.xml_placeholders = true;
    let sent: Vec<(SegmentId, String)> = items
        .iter()
        .enumerate()
        .map(|(index, (id, text))| (id.clone(), protection.outgoing(index, text).to_string()))
        .collect();
    let mut translated = translate_part(&sent, &shielded, &mut sources, None).await?;
    drop(sent);
    for (index, translation) in translated.segments.iter_mut().enumerate() {
        if let Some(restored) = protection.restore(index, translation.target.as_deref()) {
            translation.target = Some(restored.target);
            translation.raw = Some(restored.raw);
        }
    }
    let fallback = protection.fallback(translated.summary.stopped.is_some());
    if !fallback.is_empty() {
        // placeholders the engine mangled or dropped: those texts are translated again
        // unprotected, and the glossary fixes the answers
        let again_items: Vec<(SegmentId, String)> =
            fallback.iter().map(|&index| items[index].clone()).collect();
        let again = translate_part(&again_items, options, &mut sources, None).await?;
        for (&index, translation) in fallback.iter().zip(again.segments) {
            translated.segments[index] = translation;
        }
        translated.summary.combine(&again.summary);
    }
    let lost: HashMap<SegmentId, String> = protection
        .lost_reasons()
        .map(|(index, reason)| (items[index].0.clone(), reason.to_string()))
        .collect();
    let mut start = 0;
    while start < items.len() {
        let article = &items[start].0.article;
        let end = start
            + items[start..]
                .iter()
                .take_while(|(id, _)| &id.article == article)
                .count();
        settled(start..end, translated.segments[start..end].to_vec(), &lost);
        start = end;
    }
    translated.summary.count(&translated.segments);
    Ok(translated)
}
