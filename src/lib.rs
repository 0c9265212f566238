//! deckconv: a slide deck published as images → a printable PDF handout or an EPUB book.
//!
//! Stages, one job each: [`reader`] (input → [`model::Deck`]), [`fetch`] (local or HTTP,
//! cached), [`normalize`] (probe, orient, colour, resize — only where the target needs it),
//! [`writer`] (a trait; PDF and EPUB backends). [`pipeline`] runs them on [`settings::Settings`].

pub mod error;
pub mod fetch;
pub mod fonts;
pub mod model;
pub mod normalize;
#[cfg(feature = "ocr")]
pub mod ocr;
pub mod pipeline;
pub mod reader;
pub mod settings;
pub mod text;
pub mod writer;
