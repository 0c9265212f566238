//! Download slots: at most `jobs` downloads in flight for the whole run, whichever decks they
//! are for. Several decks fetch at once (an archive's or an anthology's next deck while this
//! one is written), like one pool of parallel `curl`s; the earliest deck's downloads go
//! first, so the deck being written never waits behind the next one's.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::stop::Stop;

pub(crate) struct DownloadSlots {
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    free: usize,
    /// Waiting downloads as (fetch order, arrival): the first is served first.
    waiting: BTreeSet<(u64, u64)>,
    arrivals: u64,
}

/// A slot held; given back when dropped.
pub(crate) struct Slot<'a> {
    slots: &'a DownloadSlots,
}

impl DownloadSlots {
    pub fn new(jobs: usize) -> Self {
        DownloadSlots {
            state: Mutex::new(State {
                free: jobs.max(1),
                waiting: BTreeSet::new(),
                arrivals: 0,
            }),
            freed: Condvar::new(),
        }
    }

    /// Wait for a slot for a download of fetch number `order` (lower is served first, then
    /// first come); `None` once `cancel` is set or the run is stopped while waiting.
    pub fn acquire(&self, order: u64, cancel: &AtomicBool, stop: &Stop) -> Option<Slot<'_>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let ticket = (order, state.arrivals);
        state.arrivals += 1;
        state.waiting.insert(ticket);
        loop {
            if cancel.load(Ordering::Relaxed) || stop.requested() {
                state.waiting.remove(&ticket);
                // The next in line may be able to go now.
                self.freed.notify_all();
                return None;
            }
            if state.free > 0 && state.waiting.first() == Some(&ticket) {
                state.waiting.remove(&ticket);
                state.free -= 1;
                // Another slot may be free for the next in line.
                if state.free > 0 {
                    self.freed.notify_all();
                }
                return Some(Slot { slots: self });
            }
            // A timeout as well: cancelling and stopping do not notify.
            state = self
                .freed
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut state = self.slots.state.lock().unwrap_or_else(|e| e.into_inner());
        state.free += 1;
        self.slots.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn never_more_than_jobs_in_flight() {
        let slots = Arc::new(DownloadSlots::new(3));
        let (in_flight, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let stop = Stop::default();
        thread::scope(|s| {
            for order in 0..12u64 {
                let (slots, in_flight, most, stop) = (&slots, &in_flight, &most, &stop);
                s.spawn(move || {
                    let _slot = slots.acquire(order % 2, &AtomicBool::new(false), stop);
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(5));
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn the_earlier_fetch_is_served_first() {
        let slots = DownloadSlots::new(1);
        let stop = Stop::default();
        let held = slots.acquire(5, &AtomicBool::new(false), &stop);
        let served = Mutex::new(Vec::new());
        thread::scope(|s| {
            // A later deck's download queues first, an earlier deck's second.
            for order in [9u64, 2] {
                let (slots, served, stop) = (&slots, &served, &stop);
                s.spawn(move || {
                    let _slot = slots.acquire(order, &AtomicBool::new(false), stop);
                    served.lock().unwrap().push(order);
                });
                thread::sleep(Duration::from_millis(30));
            }
            drop(held);
        });
        assert_eq!(served.into_inner().unwrap(), vec![2, 9]);
    }

    #[test]
    fn a_cancelled_wait_gives_up_and_lets_the_next_through() {
        let slots = DownloadSlots::new(1);
        let stop = Stop::default();
        let held = slots.acquire(0, &AtomicBool::new(false), &stop);
        let cancel = AtomicBool::new(true);
        assert!(slots.acquire(1, &cancel, &stop).is_none());
        drop(held);
        assert!(slots.acquire(2, &AtomicBool::new(false), &stop).is_some());
    }
}
