//! PDF backend on pdf-writer: lossless image embedding, title page, outline, page labels.

pub mod font;
pub mod handout;
pub mod title_page;

use std::fs::File;

use crate::normalize::{ImageInfo, ImageNeeds, Prepared, SourceFormat};
use crate::writer::{Book, SlideInfo, Writer};

#[derive(Debug, Clone, Default)]
pub struct PdfOptions {}

pub struct PdfWriter {
    _out: File,
}

/// An image slide made ready for the PDF off the writing thread.
pub struct PdfPage {}

fn pdf_takes_as_is(info: &ImageInfo) -> bool {
    match info.format {
        SourceFormat::Jpeg => true,
        SourceFormat::Png => info.bit_depth <= 8 && !info.interlaced && !info.has_alpha,
        _ => false,
    }
}

impl PdfWriter {
    pub fn create(out: File, book: &Book, options: &PdfOptions) -> Result<Self, String> {
        let _ = (book, options);
        Ok(PdfWriter { _out: out })
    }
}

impl Writer for PdfWriter {
    type Page = PdfPage;

    fn image_needs(&self) -> ImageNeeds {
        ImageNeeds {
            takes_as_is: pdf_takes_as_is,
            orientation_as_transform: true,
            fit: None,
            grayscale_gamma: None,
        }
    }

    fn encode_page(&self, _slide: &SlideInfo, _image: Prepared) -> Result<PdfPage, String> {
        Err("PDF writer not implemented yet".into())
    }

    fn write_page(&mut self, _slide: &SlideInfo, _page: PdfPage) -> Result<(), String> {
        Err("PDF writer not implemented yet".into())
    }

    fn finish(self) -> Result<(), String> {
        Err("PDF writer not implemented yet".into())
    }
}
