//! The decoder guard: a panic inside a decoder (a dependency's bug, met on a malformed file)
//! fails that slide instead of the run, and reaches the user as the slide's error only.
//!
//! Catching the panic is not enough: the default panic hook runs first and prints the panic
//! message (and, under `RUST_BACKTRACE`, a backtrace) on stderr. [`install_panic_hook`], which
//! the binary calls once, keeps the default hook for every other panic and, for one inside a
//! guard on the same thread, only records its message for the slide's error (`-v` shows it).
//! A library user who installs no hook keeps Rust's default output; the slide still fails.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// How many guards this thread is inside (a guard may run inside another).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The last guarded panic's message and location, as the hook saw it.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic caught by [`guarded`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the image decoder crashed on this file (a bug in the decoder; -v shows what it said)")]
pub struct Crash {
    /// The panic's message, and where it was raised when the hook saw it.
    pub detail: String,
}

/// Run `work`; a panic inside it becomes a [`Crash`]. Panics on threads that `work` spawns are
/// not covered (the decoders run on the calling thread).
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, Crash> {
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    result.map_err(|payload| {
        let seen = LAST.with(|last| last.borrow_mut().take());
        Crash {
            detail: seen.unwrap_or_else(|| message(payload.as_ref())),
        }
    })
}

/// Install the process's panic hook: silent for panics inside [`guarded`] on this thread,
/// Rust's default (message, backtrace under `RUST_BACKTRACE`) for every other panic, which is
/// a bug in deckconv itself and must stay visible.
pub fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        // `try_with`: a panic while this thread's locals are being torn down is not guarded.
        let inside = DEPTH.try_with(Cell::get).unwrap_or(0) > 0;
        if !inside {
            default(info);
            return;
        }
        let mut detail = message(info.payload());
        if let Some(at) = info.location() {
            detail.push_str(&format!(" (at {}:{})", at.file(), at.line()));
        }
        let _ = LAST.try_with(|last| *last.borrow_mut() = Some(detail));
    }));
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_the_guard_becomes_a_crash_with_its_message() {
        install_panic_hook();
        let crash = guarded(|| -> u8 { panic!("decoder bug {}", 7) }).unwrap_err();
        assert!(crash.detail.starts_with("decoder bug 7"), "{crash:?}");
        assert!(crash.detail.contains("guard.rs:"), "{crash:?}");
        assert_eq!(guarded(|| 5), Ok(5));
        // Nested guards: the inner one catches, the outer one sees a value.
        assert_eq!(
            guarded(|| guarded(|| -> u8 { panic!("inner") }).is_err()),
            Ok(true)
        );
        assert_eq!(DEPTH.with(Cell::get), 0);
    }
}
