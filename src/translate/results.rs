//! The results of one translation call as they come in: one slot per input segment, filled
//! once; progress reported per article; and each article handed over whole (its segments'
//! translations, in input order) the moment its last one is in, so that the caller can write
//! it while the engine works on the next. Must not send, wait or store anything.

use super::{Reporter, SegmentTranslation};
use crate::model::SegmentId;
use std::ops::Range;

/// Receives an article as soon as all its segments are settled: the range of its positions
/// among the inputs and their translations, in order.
pub type Finished<'a> = &'a mut dyn FnMut(Range<usize>, Vec<SegmentTranslation>);

pub(super) struct Results<'a, 'f> {
    slots: Vec<Option<SegmentTranslation>>,
    /// Input position → index into `ranges`.
    article_of: Vec<u32>,
    /// The positions of each article (inputs hold an article's segments together).
    ranges: Vec<Range<usize>>,
    names: Vec<&'a str>,
    /// Unsettled segments per article.
    remaining: Vec<usize>,
    reporter: &'a dyn Reporter,
    finished: Option<Finished<'f>>,
}

impl<'a, 'f> Results<'a, 'f> {
    /// Empty slots for `items`; tells the reporter the run starts.
    pub(super) fn new(
        items: &'a [(SegmentId, String)],
        reporter: &'a dyn Reporter,
        finished: Option<Finished<'f>>,
    ) -> Self {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        let mut article_of = Vec::with_capacity(items.len());
        for (position, (id, _)) in items.iter().enumerate() {
            match ranges.last_mut() {
                Some(range) if names.last() == Some(&id.article.as_str()) => {
                    range.end = position + 1;
                }
                _ => {
                    ranges.push(position..position + 1);
                    names.push(id.article.as_str());
                }
            }
            article_of.push((ranges.len() - 1) as u32);
        }
        let remaining: Vec<usize> = ranges.iter().map(ExactSizeIterator::len).collect();
        let counts: Vec<(String, usize)> = names
            .iter()
            .zip(&remaining)
            .map(|(name, &count)| ((*name).to_string(), count))
            .collect();
        reporter.start(&counts);
        Results {
            slots: vec![None; items.len()],
            article_of,
            ranges,
            names,
            remaining,
            reporter,
            finished,
        }
    }

    /// Gives `result` to every position in `positions` not settled yet.
    pub(super) fn settle(&mut self, positions: &[usize], result: &SegmentTranslation) {
        let mut run: Option<(usize, usize)> = None;
        for &position in positions {
            if self.slots[position].is_some() {
                continue;
            }
            self.slots[position] = Some(result.clone());
            let article = self.article_of[position] as usize;
            match run {
                Some((current, count)) if current == article => run = Some((current, count + 1)),
                Some((current, count)) => {
                    self.reporter.advance(self.names[current], count);
                    run = Some((article, 1));
                }
                None => run = Some((article, 1)),
            }
            self.remaining[article] -= 1;
            if self.remaining[article] == 0 {
                self.hand_over(article);
            }
        }
        if let Some((article, count)) = run {
            self.reporter.advance(self.names[article], count);
        }
    }

    fn hand_over(&mut self, article: usize) {
        if let Some(finished) = self.finished.as_mut() {
            let range = self.ranges[article].clone();
            let translations = self.slots[range.clone()]
                .iter()
                .map(|slot| {
                    slot.clone()
                        .unwrap_or_else(|| SegmentTranslation::missing(String::new()))
                })
                .collect();
            finished(range, translations);
        }
    }

    /// Fills the slots never settled with `missing`, hands over the articles not handed over
    /// yet (in order), and returns every translation in input order.
    pub(super) fn finish(mut self, missing: &SegmentTranslation) -> Vec<SegmentTranslation> {
        for article in 0..self.ranges.len() {
            if self.remaining[article] == 0 {
                continue;
            }
            for slot in &mut self.slots[self.ranges[article].clone()] {
                if slot.is_none() {
                    *slot = Some(missing.clone());
                }
            }
            self.remaining[article] = 0;
            self.hand_over(article);
        }
        self.slots
            .into_iter()
            .map(|slot| slot.unwrap_or_else(|| missing.clone()))
            .collect()
    }
}
