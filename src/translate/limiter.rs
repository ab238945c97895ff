//! The requests-per-second limit shared by every batch worker of a run, and the pause a
//! rate-limited endpoint asks for. Must not sleep itself: workers wait until the instant it
//! hands out.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Paces request starts to at most `requests_per_second`, and holds every worker back while
/// the server asked for a pause (`Retry-After`).
pub(super) struct Limiter {
    interval: Duration,
    state: Mutex<LimiterState>,
}

struct LimiterState {
    next_start: Instant,
    paused_until: Instant,
}

impl Limiter {
    pub(super) fn new(requests_per_second: f64) -> Self {
        let interval = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            Duration::from_secs_f64(1.0 / requests_per_second)
        } else {
            Duration::ZERO
        };
        let now = Instant::now();
        Limiter {
            interval,
            state: Mutex::new(LimiterState {
                next_start: now,
                paused_until: now,
            }),
        }
    }

    /// The instant the next request may start; books it, so callers never start together.
    pub(super) fn reserve(&self) -> Instant {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let start = Instant::now().max(state.next_start).max(state.paused_until);
        state.next_start = start + self.interval;
        start
    }

    /// Holds every request back for `delay` from now (a rate limit's `Retry-After`).
    pub(super) fn pause(&self, delay: Duration) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        state.paused_until = state.paused_until.max(Instant::now() + delay);
    }
}
