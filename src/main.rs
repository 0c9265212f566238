//! `deckconv`: flags → validated settings → pipeline → rendered events → exit code.

mod cli;
mod interrupt;
mod render;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use deckconv::error::Error;

const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let raw = cli::RawArgs::parse(); // clap exits 2 on a usage error, 0 for --help
    tune_allocator();
    // A decoder that panics on a malformed slide fails that slide, reported below like any
    // broken image: the hook keeps the panic's own message and backtrace off the terminal.
    deckconv::normalize::guard::install_panic_hook();
    let verbose = raw.verbose > 0 && !raw.quiet;
    if raw.list_devices {
        print!("{}", deckconv::writer::devices::listing());
        return ExitCode::SUCCESS;
    }
    let terminal = Arc::new(render::Terminal::new(raw.quiet, raw.verbose));
    let settings = match cli::validate(raw) {
        Ok(s) => s,
        Err(message) => {
            terminal.error(&format!("{message}\n\nFor more information, try '--help'."));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let signalled = interrupt::stop_on_signals(&settings.fetch.stop, {
        let terminal = terminal.clone();
        move |signal| terminal.stopping(&interrupt::name(signal))
    });
    let outcome = deckconv::pipeline::run(&settings, terminal.as_ref());
    if let Some(path) = &settings.report {
        if let Err(e) = write_report(path, &outcome.decks) {
            terminal.error(&format!("--report {}: {e}", path.display()));
        }
    }
    let stopped = |error: &Error| matches!(error, Error::Stopped);
    for (input, error) in outcome.failures.iter().filter(|(_, e)| !stopped(e)) {
        match error {
            Error::Slides(errors) => {
                terminal.slides_failed(input, errors);
                if verbose {
                    report_crashes(&terminal, errors);
                }
            }
            // A deck that could not be read is named once, by its own message.
            named if named.names_its_input() => terminal.error(&named.to_string()),
            other => terminal.error(&format!("{input}: {other}")),
        }
    }
    if outcome.failures.iter().any(|(_, e)| stopped(e)) {
        let signal = interrupt::received(&signalled);
        terminal.error(&format!(
            "stopped by {}; unfinished outputs removed",
            interrupt::name(signal)
        ));
        return ExitCode::from(interrupt::exit_code(signal));
    }
    if outcome.failures.iter().any(|(_, e)| e.is_usage()) {
        ExitCode::from(EXIT_USAGE)
    } else if outcome.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

/// `--report FILE`: one JSON object per line and deck, written beside the file and renamed
/// into place, like every output.
fn write_report(
    path: &std::path::Path,
    decks: &[deckconv::pipeline::DeckReport],
) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".deckconv-report-")
        .tempfile_in(dir)?;
    for deck in decks {
        serde_json::to_writer(&mut file, deck)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    file.persist(path).map(drop).map_err(|e| e.error)
}

/// `-v`: what a decoder said when it crashed on a slide (its panic message and location), for
/// a bug report upstream.
fn report_crashes(terminal: &render::Terminal, errors: &[deckconv::error::SlideError]) {
    use deckconv::error::SlideFailure;
    use deckconv::normalize::NormalizeError;
    for error in errors {
        if let SlideFailure::Image(NormalizeError::Crashed(crash)) = &error.cause {
            terminal.error(&format!(
                "slide {}: the decoder panicked: {}",
                error.position, crash.detail
            ));
        }
    }
}

/// glibc raises its mmap threshold after the first large free, so later multi-megabyte image
/// buffers come from the heap, where fragmentation keeps them resident. Pinning the threshold
/// sends them to mmap and back to the system when freed: peak memory follows the live set
/// (400 slides at 1920×1080: 88 → 59 MB peak RSS; deck37 with --ocr: 266 → 246 MB, the
/// recognition runtime keeping its own arena either way).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets an allocator parameter; called before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
