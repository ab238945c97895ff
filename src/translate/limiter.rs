//! The requests-per-second limit shared by every batch worker of a run, and the pause a
//! rate-limited endpoint asks for. Must not sleep itself: workers wait until the instant it
//! hands out.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest time between two request starts, however low the configured rate.
const MAX_INTERVAL: Duration = Duration::from_secs(3600);

/// The longest pause a rate limit can impose (the retry policy caps it lower).
const MAX_PAUSE: Duration = Duration::from_secs(24 * 60 * 60);

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
        // the configuration keeps the rate in a sane range; whatever comes, this never panics
        let interval = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            Duration::try_from_secs_f64(1.0 / requests_per_second).unwrap_or(MAX_INTERVAL)
        } else {
            Duration::ZERO
        }
        .min(MAX_INTERVAL);
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
        state.next_start = start.checked_add(self.interval).unwrap_or(start);
        start
    }

    /// Holds every request back for `delay` from now (a rate limit's `Retry-After`).
    pub(super) fn pause(&self, delay: Duration) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let now = Instant::now();
        let until = now
            .checked_add(delay.min(MAX_PAUSE))
            .unwrap_or(now + Duration::from_secs(1));
        state.paused_until = state.paused_until.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rate_and_no_pause_can_panic() {
        for rate in [
            1e-300,
            f64::MIN_POSITIVE,
            0.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            1e300,
        ] {
            let limiter = Limiter::new(rate);
            let first = limiter.reserve();
            let second = limiter.reserve();
            assert!(second.duration_since(first) <= MAX_INTERVAL, "{rate}");
        }
        let limiter = Limiter::new(10.0);
        limiter.pause(Duration::MAX);
        assert!(limiter.reserve() <= Instant::now() + MAX_PAUSE);
    }
}
