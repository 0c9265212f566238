//! The ordered encode window: work items run on several threads, at most `window` ahead of
//! the consumer, and come back in order on the calling thread. Memory thus holds a few
//! results, never all of them, and one slow item does not leave the other threads idle.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};
use std::thread;

/// Run `work(i)` for every `i` in `0..count` on `jobs` threads, none more than `window`
/// items ahead of the consumer, and call `consume(i, result)` on this thread in order
/// `0, 1, 2, …`. Returns how many items were consumed: fewer than `count` only if a worker
/// panicked (its item and every later one are then not consumed).
pub fn run_ordered<T, W, C>(
    count: usize,
    jobs: usize,
    window: usize,
    work: W,
    mut consume: C,
) -> usize
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    C: FnMut(usize, T),
{
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    // How many items the consumer has taken, and a signal when it takes one.
    let consumed = (Mutex::new(0usize), Condvar::new());
    let mut expected = 0;
    thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, T)>();
        for _ in 0..jobs.max(1).min(count) {
            let sender = sender.clone();
            let (next, consumed, work) = (&next, &consumed, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let (lock, taken) = consumed;
                let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                while i >= *done + window {
                    done = taken.wait(done).unwrap_or_else(|e| e.into_inner());
                }
                drop(done);
                if sender.send((i, work(i))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut pending = BTreeMap::new();
        for (i, result) in receiver {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&expected) {
                consume(expected, result);
                expected += 1;
                let (lock, taken) = &consumed;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = expected;
                taken.notify_all();
            }
        }
    });
    expected
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn results_come_in_order_whatever_the_threads_do() {
        let mut seen = Vec::new();
        let n = run_ordered(
            50,
            4,
            5,
            |i| {
                // Early items are slow: later ones finish first.
                thread::sleep(Duration::from_micros(((50 - i) * 20) as u64));
                i * 2
            },
            |i, v| seen.push((i, v)),
        );
        assert_eq!(n, 50);
        assert_eq!(seen, (0..50).map(|i| (i, i * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn workers_stay_within_the_window() {
        let started = AtomicUsize::new(0);
        let consumed = AtomicUsize::new(0);
        let max_ahead = AtomicUsize::new(0);
        run_ordered(
            40,
            3,
            4,
            |_| {
                let s = started.fetch_add(1, Ordering::SeqCst) + 1;
                let ahead = s - consumed.load(Ordering::SeqCst);
                max_ahead.fetch_max(ahead, Ordering::SeqCst);
            },
            |_, ()| {
                thread::sleep(Duration::from_micros(300));
                consumed.fetch_add(1, Ordering::SeqCst);
            },
        );
        // Started but not yet consumed: the window, plus the one being consumed.
        assert!(max_ahead.load(Ordering::SeqCst) <= 5, "{:?}", max_ahead);
    }

    #[test]
    fn nothing_to_do_and_one_thread() {
        assert_eq!(run_ordered(0, 4, 2, |i| i, |_, _| unreachable!()), 0);
        let mut seen = Vec::new();
        run_ordered(3, 1, 1, |i| i, |i, _| seen.push(i));
        assert_eq!(seen, [0, 1, 2]);
    }

    #[test]
    fn a_panicking_worker_stops_the_consumer_at_its_item() {
        let result = std::panic::catch_unwind(|| {
            run_ordered(
                10,
                1,
                2,
                |i| if i == 3 { panic!("boom") } else { i },
                |_, _| {},
            )
        });
        // The panic propagates out of the scope: callers catch it per item instead.
        assert!(result.is_err());
    }
}
