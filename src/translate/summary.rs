//! The figures of a translation run (the `--format json` summary): counted per origin from
//! the segments' translations, and added up over the parts of a run and protect mode's second
//! pass; and those of a dry run, planned a part at a time ([`PlanParts`]). Must not translate
//! or print.

use super::memory::Store;
use super::plan::{Lookup, distinct, look_up};
use super::{Origin, Plan, SegmentTranslation, StopReason, TranslateError, TranslateOptions};
use crate::model::SegmentId;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The figures of a run; serialised as the `--format json` summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Translatable segments in scope.
    pub segments: usize,
    /// Segments with a translation at the end, whatever its origin.
    pub translated: usize,
    pub from_memory: usize,
    pub from_cache: usize,
    pub from_engine: usize,
    /// Segments without a translation.
    pub failed: usize,
    /// Distinct texts among the segments.
    pub unique_texts: usize,
    /// HTTP requests sent (retries and split halves included).
    pub requests: usize,
    /// Requests sent again after a passing failure.
    pub retries: usize,
    /// Batches split in two after the engine could not answer them whole.
    pub splits: usize,
    /// Characters of distinct texts submitted to the engine (each counted once).
    pub characters_sent: usize,
    /// Characters sent again by retries and splits.
    pub characters_resent: usize,
    pub wall_seconds: f64,
    /// `openai`: the response format the run used, and what it learned about the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<super::format_memory::FormatReport>,
    /// The endpoint's `max-characters` as lowered after the engine refused a batch as too
    /// large (a context limit), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lowered_max_characters: Option<usize>,
    /// Why the run stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopReason>,
}

impl Summary {
    /// Sets the per-origin counts (`translated`, `from_*`, `failed`) from the segments.
    pub fn count(&mut self, segments: &[SegmentTranslation]) {
        self.translated = 0;
        self.from_memory = 0;
        self.from_cache = 0;
        self.from_engine = 0;
        self.failed = 0;
        for segment in segments {
            if segment.target.is_none() {
                self.failed += 1;
                continue;
            }
            self.translated += 1;
            match segment.origin {
                Origin::Memory => self.from_memory += 1,
                Origin::Cache => self.from_cache += 1,
                Origin::Engine | Origin::None => self.from_engine += 1,
            }
        }
    }

    /// Adds the figures of a later part of the same run ([`translate_part`]); the first stop
    /// reason wins.
    pub fn absorb(&mut self, part: &Summary) {
        self.wall_seconds += part.wall_seconds;
        self.segments += part.segments;
        self.translated += part.translated;
        self.from_memory += part.from_memory;
        self.from_cache += part.from_cache;
        self.from_engine += part.from_engine;
        self.failed += part.failed;
        self.unique_texts += part.unique_texts;
        self.requests += part.requests;
        self.retries += part.retries;
        self.splits += part.splits;
        self.characters_sent += part.characters_sent;
        self.characters_resent += part.characters_resent;
        self.absorb_negotiation(part);
        if self.stopped.is_none() {
            self.stopped.clone_from(&part.stopped);
        }
    }

    /// What a later part (or a second pass) learnt about the server: the form it used last,
    /// whether an answer confirmed it, the forms refused so far (the provider keeps them over
    /// the run), and the lowest `max-characters`; `resumed` stays the first part's (a later
    /// part starts from the form the first one stored, which no earlier run remembered).
    fn absorb_negotiation(&mut self, part: &Summary) {
        match (&mut self.response_format, &part.response_format) {
            (None, later) => self.response_format.clone_from(later),
            (Some(first), Some(later)) => {
                first.used = later.used;
                first.confirmed |= later.confirmed;
                first.remembered |= later.remembered;
                if later.refused.len() > first.refused.len() {
                    first.refused.clone_from(&later.refused);
                }
            }
            (Some(_), None) => {}
        }
        self.lowered_max_characters =
            match (self.lowered_max_characters, part.lowered_max_characters) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
    }

    /// Adds the requests of a second pass over some of the segments (protect mode's
    /// fallback): what it sent counts as sent again; the first stop reason wins.
    pub fn combine(&mut self, again: &Summary) {
        self.requests += again.requests;
        self.retries += again.retries;
        self.splits += again.splits;
        self.characters_resent += again.characters_sent + again.characters_resent;
        self.absorb_negotiation(again);
        if self.stopped.is_none() {
            self.stopped = again.stopped.clone();
        }
    }
}

/// A dry run's [`Plan`] built a part of the run at a time, with the figures
/// [`super::plan`] gives for the whole run at once: a text counts as unique, to send and in a
/// request the first time a part holds it (the batches are filled across the parts as
/// [`super::batches`] fills them over the run's texts in order). Keeps a hash per distinct text.
#[derive(Debug, Default)]
pub struct PlanParts {
    plan: Plan,
    seen: HashSet<u64>,
    /// Texts and characters of the batch being filled.
    batch: (usize, usize),
}

impl PlanParts {
    /// Adds the next part's translatable segments.
    pub fn add(
        &mut self,
        items: &[(SegmentId, String)],
        approved: &HashMap<String, String>,
        store: &Store,
        options: &TranslateOptions,
        sends_requests: bool,
    ) -> Result<(), TranslateError> {
        let distinct = distinct(items);
        let lookups = look_up(&distinct, approved, store, options, sends_requests)?;
        self.plan.segments += items.len();
        for (index, lookup) in lookups.iter().enumerate() {
            let text = &distinct.texts[index];
            let first = self.seen.insert(super::text_hash(text));
            self.plan.unique_texts += usize::from(first);
            let holders = distinct.holders[index].len();
            match lookup {
                Lookup::Memory(_) => self.plan.from_memory += holders,
                Lookup::Cache(_) => self.plan.from_cache += holders,
                Lookup::Send => {
                    self.plan.to_send_segments += holders;
                    if first && sends_requests {
                        self.queue(text, options);
                    }
                }
            }
        }
        Ok(())
    }

    /// A text to send, into the batch being filled (the rule of [`super::batches`]).
    fn queue(&mut self, text: &str, options: &TranslateOptions) {
        let length = text.chars().count();
        let (texts, characters) = &mut self.batch;
        if *texts > 0
            && (*texts >= options.endpoint.batch_size.max(1)
                || *characters + length > options.endpoint.max_characters)
        {
            self.plan.requests += 1;
            (*texts, *characters) = (0, 0);
        }
        *texts += 1;
        *characters += length;
        self.plan.to_send_texts += 1;
        self.plan.characters += length;
    }

    /// The plan of every part added.
    pub fn finish(mut self) -> Plan {
        if self.batch.0 > 0 {
            self.plan.requests += 1;
        }
        self.plan
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::translate::memory::LanguagePair;
    use crate::translate::plan;
    use crate::translate::providers::{EndpointConfig, ProviderKind};

    #[test]
    fn a_plan_in_parts_is_the_plan_of_the_whole_run() {
        let mut endpoint = EndpointConfig::defaults("fake", ProviderKind::Template);
        endpoint.batch_size = 3;
        endpoint.max_characters = 40;
        let options = TranslateOptions::new(endpoint, LanguagePair::new("id", "en"));
        let mut store = Store::open_in_memory().unwrap();
        let identity = options.engine_identity();
        let cached = [("Sudah di cache.".to_string(), "Cached.".to_string())];
        store
            .store_answer(&identity, &options.pair, &cached)
            .unwrap();
        let approved = HashMap::from([("Dari memori.".to_string(), "From memory.".to_string())]);
        let texts = [
            "Kalimat satu.",
            "Dari memori.",
            "Kalimat dua yang agak panjang sekali.",
            "Kalimat satu.",
            "Sudah di cache.",
            "Tiga.",
            "Empat.",
            "Kalimat dua yang agak panjang sekali.",
            "Lima lima lima lima lima.",
            "Enam.",
            "Dari memori.",
            "Tujuh.",
        ];
        let items: Vec<(SegmentId, String)> = texts
            .iter()
            .enumerate()
            .map(|(index, text)| (SegmentId::new("a", index + 1, 1), text.to_string()))
            .collect();
        for sends in [true, false] {
            let whole = plan(&items, &approved, &store, &options, sends).unwrap();
            let sent = whole.requests >= 3 && whole.from_cache == 1 && whole.from_memory == 2;
            assert!(sent || !sends, "{whole:?}");
            for size in 1..=items.len() {
                let mut parts = PlanParts::default();
                for part in items.chunks(size) {
                    parts.add(part, &approved, &store, &options, sends).unwrap();
                }
                assert_eq!(parts.finish(), whole, "parts of {size}, sends {sends}");
            }
        }
    }
}
