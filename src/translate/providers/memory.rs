//! The built-in `memory` endpoint: no network, exact matches from the approved memory only.
//!
//! The orchestrator already looks every text up in the approved memory before any engine, so
//! this provider answers the rest with "no translation" (`None`), and the run reports those
//! segments as untranslated. It exists so a fresh clone with no server and no key can run
//! `selaras translate`. Must not send anything anywhere.

use super::{BatchAnswer, BatchContext, Provider, ProviderError};
use futures::future::BoxFuture;
use std::collections::HashMap;
use std::sync::Arc;

/// Looks texts up in a snapshot of the approved memory (source text → approved target).
pub struct MemoryProvider {
    approved: Arc<HashMap<String, String>>,
}

impl MemoryProvider {
    pub fn new(approved: Arc<HashMap<String, String>>) -> Self {
        MemoryProvider { approved }
    }
}

impl Provider for MemoryProvider {
    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        _context: &'a BatchContext,
    ) -> BoxFuture<'a, Result<BatchAnswer, ProviderError>> {
        let answer = texts
            .iter()
            .map(|text| self.approved.get(text).cloned())
            .collect();
        Box::pin(async move { Ok(answer) })
    }

    fn sends_requests(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_matches_only() {
        let approved = Arc::new(HashMap::from([(
            "Presiden tiba.".to_string(),
            "The President arrived.".to_string(),
        )]));
        let provider = MemoryProvider::new(approved);
        let texts = vec!["Presiden tiba.".to_string(), "presiden tiba.".to_string()];
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let answer = runtime
            .block_on(provider.translate(&texts, &BatchContext::default()))
            .unwrap();
        assert_eq!(answer, [Some("The President arrived.".to_string()), None]);
        assert!(!provider.sends_requests());
    }
}
