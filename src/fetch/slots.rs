//! Download slots: at most `jobs` downloads in flight for the whole run, whichever decks they
//! are for. Several decks fetch at once (an archive's or an anthology's next deck while this
//! one is written), like one pool of parallel `curl`s. Each deck's fetch has a turn, taken in
//! deck order before its thread starts: a deck's downloads take slots only once every
//! earlier deck has started all of its own, so the deck being written never waits behind the
//! next one, and the next one fills the slots this one's last downloads free.

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
    /// Waiting downloads as (turn, arrival): the first is served first.
    waiting: BTreeSet<(u64, u64)>,
    arrivals: u64,
    /// Turns handed out so far.
    turns: u64,
    /// The earliest turn that has not yet started all its downloads; later turns wait.
    front: u64,
    /// Turns after `front` that have started all theirs.
    started: BTreeSet<u64>,
}

/// A deck's place in the order of fetches, taken before its fetch begins; once dropped (or
/// [`DownloadSlots::all_started`] for it), later turns may take slots.
pub struct FetchTurn<'a> {
    slots: &'a DownloadSlots,
    order: u64,
}

impl FetchTurn<'_> {
    pub(crate) fn order(&self) -> u64 {
        self.order
    }

    pub(crate) fn all_started(&self) {
        self.slots.all_started(self.order);
    }
}

impl Drop for FetchTurn<'_> {
    fn drop(&mut self) {
        self.slots.all_started(self.order);
    }
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
                turns: 0,
                front: 0,
                started: BTreeSet::new(),
            }),
            freed: Condvar::new(),
        }
    }

    /// The next fetch's turn.
    pub fn turn(&self) -> FetchTurn<'_> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let order = state.turns;
        state.turns += 1;
        FetchTurn { slots: self, order }
    }

    /// Turn `order` has started every download it has (or stopped): later turns may go.
    fn all_started(&self, order: u64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if order < state.front {
            return;
        }
        state.started.insert(order);
        loop {
            let front = state.front;
            if !state.started.remove(&front) {
                break;
            }
            state.front += 1;
        }
        self.freed.notify_all();
    }

    /// Wait for a slot for a download of turn `order`: served once every earlier turn has
    /// started all its downloads, lower turns first, then first come; `None` once `cancel` is
    /// set or the run is stopped while waiting.
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
            if state.free > 0 && order <= state.front && state.waiting.first() == Some(&ticket) {
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
        let turns = [slots.turn(), slots.turn()];
        let orders = [turns[0].order(), turns[1].order()];
        turns[0].all_started();
        thread::scope(|s| {
            for i in 0..12usize {
                let (slots, in_flight, most, stop) = (&slots, &in_flight, &most, &stop);
                let order = orders[i % 2];
                s.spawn(move || {
                    let _slot = slots.acquire(order, &AtomicBool::new(false), stop);
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
    fn a_later_turn_waits_until_the_earlier_has_started_all_its_downloads() {
        let slots = DownloadSlots::new(2);
        let stop = Stop::default();
        let (first, second) = (slots.turn(), slots.turn());
        let (first_order, second_order) = (first.order(), second.order());
        let served = Mutex::new(Vec::new());
        thread::scope(|s| {
            let (slots, served, stop) = (&slots, &served, &stop);
            // The next deck's download asks first, while slots are free: it waits.
            s.spawn(move || {
                let _slot = slots.acquire(second_order, &AtomicBool::new(false), stop);
                served.lock().unwrap().push(second_order);
            });
            thread::sleep(Duration::from_millis(60));
            assert!(served.lock().unwrap().is_empty());
            s.spawn(move || {
                let _slot = slots.acquire(first_order, &AtomicBool::new(false), stop);
                served.lock().unwrap().push(first_order);
            });
            thread::sleep(Duration::from_millis(60));
            // This deck has started all it had: the next one goes.
            drop(first);
        });
        assert_eq!(
            served.into_inner().unwrap(),
            vec![first_order, second_order]
        );
        drop(second);
    }

    #[test]
    fn a_cancelled_wait_gives_up_and_lets_the_next_through() {
        let slots = DownloadSlots::new(1);
        let stop = Stop::default();
        let turn = slots.turn();
        let held = slots.acquire(turn.order(), &AtomicBool::new(false), &stop);
        let cancel = AtomicBool::new(true);
        assert!(slots.acquire(turn.order(), &cancel, &stop).is_none());
        drop(held);
        assert!(slots
            .acquire(turn.order(), &AtomicBool::new(false), &stop)
            .is_some());
    }
}
