//! deckconv: a slide deck published as images → a printable PDF handout, an EPUB book or a
//! comic-book archive.
//!
//! Stages, one job each: [`reader`] (input → [`model::Deck`]), [`fetch`] (local or HTTP,
//! cached), [`normalize`] (probe, orient, colour, resize — only where the target needs it),
//! [`writer`] (backends behind one object-safe trait, and their registry). [`pipeline`] runs
//! them on [`settings::Settings`] and tells a [`report::Reporter`] what happens; the library
//! itself never prints.

pub mod error;
pub mod fetch;
pub mod fonts;
pub mod model;
pub mod normalize;
pub mod ocr;
pub mod pipeline;
pub mod reader;
pub mod report;
pub mod script;
pub mod settings;
pub mod stop;
pub mod text;
pub mod writer;
pub mod xml;

/// What the documents name as their creator.
pub const CREATOR: &str = concat!("deckconv ", env!("CARGO_PKG_VERSION"));
