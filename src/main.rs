//! `deckconv`: flags → validated settings → pipeline → exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let raw = cli::RawArgs::parse(); // clap exits 2 on a usage error, 0 for --help
    if raw.list_devices {
        print!("{}", deckconv::writer::epub::devices::listing());
        return ExitCode::SUCCESS;
    }
    let settings = match cli::validate(raw) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("deckconv: {message}\n\nFor more information, try '--help'.");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let outcome = deckconv::pipeline::run(&settings);
    for (input, error) in &outcome.failures {
        eprintln!("deckconv: {input}: {error}");
    }
    if outcome.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}
