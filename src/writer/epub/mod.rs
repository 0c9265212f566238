//! EPUB 3 fixed-layout backend on zip + templates.

use std::fs::File;

use crate::normalize::{ImageNeeds, Prepared};
use crate::writer::{Book, SlideInfo, Writer};

#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Kobo edition: `.kepub.epub`.
    pub kobo: bool,
}

pub struct EpubWriter {
    _out: File,
}

pub struct EpubPage {}

impl EpubWriter {
    pub fn create(out: File, book: &Book, options: &EpubOptions) -> Result<Self, String> {
        let _ = (book, options);
        Ok(EpubWriter { _out: out })
    }
}

impl Writer for EpubWriter {
    type Page = EpubPage;

    fn image_needs(&self) -> ImageNeeds {
        ImageNeeds {
            takes_as_is: |_| false,
            orientation_as_transform: false,
            fit: None,
            grayscale_gamma: None,
        }
    }

    fn encode_page(&self, _slide: &SlideInfo, _image: Prepared) -> Result<EpubPage, String> {
        Err("EPUB writer not implemented yet".into())
    }

    fn write_page(&mut self, _slide: &SlideInfo, _page: EpubPage) -> Result<(), String> {
        Err("EPUB writer not implemented yet".into())
    }

    fn finish(self) -> Result<(), String> {
        Err("EPUB writer not implemented yet".into())
    }
}
