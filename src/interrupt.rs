//! SIGINT and SIGTERM: the first asks the run to stop at the next slide or download chunk,
//! and the pipeline unwinds, removing its temporary files as it goes. A second one (a read
//! stuck on a dead connection can hold the first up to the read timeout) removes the listed
//! temporary files and exits at once.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use deckconv::stop::Stop;

/// The signal that asked the run to stop (0: none yet).
pub type Received = Arc<AtomicI32>;

#[cfg(unix)]
pub fn stop_on_signals(stop: &Stop, on_first: impl Fn(i32) + Send + 'static) -> Received {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;
    use std::sync::atomic::AtomicUsize;

    let received = Received::default();
    // The iterator folds signals that arrive before its thread wakes into one (two quick
    // Ctrl-C would be one), so each delivery is also counted by an action of its own,
    // registered first: actions run in the order of registration, so the count is up to
    // date whenever the iterator wakes.
    let delivered = Arc::new(AtomicUsize::new(0));
    for signal in [SIGINT, SIGTERM] {
        let count = delivered.clone();
        // SAFETY: the action only increments an atomic, which is async-signal-safe.
        let _ = unsafe {
            signal_hook::low_level::register(signal, move || {
                count.fetch_add(1, Ordering::SeqCst);
            })
        };
    }
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        // The signal then does what it does by default: the process dies, and so does any
        // temporary file's chance of removal, but nothing half-written is ever at a target.
        for signal in [SIGINT, SIGTERM] {
            // SAFETY: emulate_default_handler is made to be called from a signal action.
            let _ = unsafe {
                signal_hook::low_level::register(signal, move || {
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                })
            };
        }
        return received;
    };
    let (stop, first) = (stop.clone(), received.clone());
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let is_first = first
                .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok();
            stop.request();
            if is_first && delivered.load(Ordering::SeqCst) < 2 {
                on_first(signal);
                continue;
            }
            // Held until the exit: no new temporary file appears after the sweep.
            let _no_new_files = deckconv::stop::remove_temporary_files();
            std::process::exit(i32::from(exit_code(signal)));
        }
    });
    received
}

#[cfg(not(unix))]
pub fn stop_on_signals(_stop: &Stop, _on_first: impl Fn(i32) + Send + 'static) -> Received {
    Received::default()
}

pub fn received(signalled: &Received) -> i32 {
    signalled.load(Ordering::SeqCst)
}

/// The shell's convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal.clamp(0, 127)).unwrap_or(u8::MAX)
}

pub fn name(signal: i32) -> String {
    match signal {
        2 => "SIGINT".into(),
        15 => "SIGTERM".into(),
        0 => "a stop request".into(),
        n => format!("signal {n}"),
    }
}
