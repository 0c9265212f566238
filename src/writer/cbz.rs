//! CBZ backend: a comic-book archive for comic and e-ink readers (KOReader, Kobo, CDisplayEx,
//! YACReader, Panels). The slides in order under zero-padded names that sort right, stored
//! (images are compressed already) and as they are wherever readers take them, and a
//! `ComicInfo.xml` (the ComicRack schema, v2.0) describing the talk. Images stream into the
//! archive as they are encoded; the metadata follows in `finish`.

use std::fmt::Write as _;
use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::fonts::FontData;
use crate::model::DeckMeta;
use crate::normalize::encode::{file_for_reader, jpeg_readers_show, EncodedFile, FileEncoding};
use crate::normalize::{ImageInfo, ImageNeeds, Prepared, SourceFormat};
use crate::writer::devices::DeviceOptions;
use crate::writer::{
    Backend, Book, Page, PageEncoder, PageWriter, Setup, Sink, SlideInfo, WriteError,
};
use crate::xml;

/// The CBZ backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct CbzBackend {
    pub screen: DeviceOptions,
}

/// What every comic reader shows as it is: 8-bit RGB or grey JPEG (CMYK shows inverted or
/// not at all), and PNG.
fn readers_take_as_is(info: &ImageInfo) -> bool {
    match info.format {
        SourceFormat::Jpeg => jpeg_readers_show(info),
        SourceFormat::Png => true,
        _ => false,
    }
}

impl Backend for CbzBackend {
    fn name(&self) -> &str {
        "cbz"
    }

    fn extension(&self) -> &str {
        "cbz"
    }

    fn edition(&self) -> String {
        format!("cbz{}", self.screen.single_image().edition())
    }

    fn image_needs(&self) -> ImageNeeds {
        // Comic readers ignore EXIF orientation: turned JPEGs are decoded and turned.
        self.screen.single_image().image_needs(readers_take_as_is)
    }

    fn create(
        &self,
        sink: Box<dyn Sink>,
        setup: &Setup,
    ) -> Result<Box<dyn PageWriter>, WriteError> {
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(zip_datetime(setup.timestamp))
            .unix_permissions(0o644);
        Ok(Box::new(CbzWriter {
            zip: ZipWriter::new(sink),
            stored,
            deflated: stored.compression_method(CompressionMethod::Deflated),
            digits: setup.slide_count.max(1).to_string().len().max(3),
            encoding: self.screen.file_encoding(),
            screen: self.screen.single_image(),
            grey: self.image_needs().grayscale_gamma.is_some(),
            pages: Vec::new(),
        }))
    }
}

/// A page as `ComicInfo.xml` lists it.
struct PageEntry {
    width: u32,
    height: u32,
    size: usize,
}

struct CbzWriter {
    zip: ZipWriter<Box<dyn Sink>>,
    stored: SimpleFileOptions,
    deflated: SimpleFileOptions,
    /// Zero-padding of the page names: `001.png` … so that every reader sorts them right.
    digits: usize,
    encoding: FileEncoding,
    /// Fitting for the screen, with a stacked fit turned into a rotated one.
    screen: DeviceOptions,
    grey: bool,
    pages: Vec<PageEntry>,
}

struct CbzEncoder {
    encoding: FileEncoding,
    screen: DeviceOptions,
}

impl PageEncoder for CbzEncoder {
    fn encode_page(&self, _slide: &SlideInfo, image: Prepared) -> Result<Page, WriteError> {
        // `--fit rotate`: landscape slides turned for a portrait screen, as for the EPUB.
        let (image, _) = self.screen.turn(image);
        let file = file_for_reader(image, readers_take_as_is, "a CBZ", self.encoding)?;
        Ok(Page::new(file))
    }
}

impl PageWriter for CbzWriter {
    fn encoder(&self) -> Box<dyn PageEncoder> {
        Box::new(CbzEncoder {
            encoding: self.encoding,
            screen: self.screen,
        })
    }

    fn write_page(&mut self, _slide: &SlideInfo, page: Page) -> Result<(), WriteError> {
        let file: EncodedFile = page.downcast()?;
        let name = format!(
            "{:0width$}.{}",
            self.pages.len() + 1,
            file.format.extension(),
            width = self.digits
        );
        self.zip.start_file(name.as_str(), self.stored)?;
        self.zip
            .write_all(&file.bytes)
            .map_err(|e| WriteError::io(format!("{name} into the archive"), e))?;
        self.pages.push(PageEntry {
            width: file.width,
            height: file.height,
            size: file.bytes.len(),
        });
        Ok(())
    }

    fn finish(
        mut self: Box<Self>,
        book: &Book,
        _font: Option<&FontData>,
    ) -> Result<(), WriteError> {
        let info = comic_info(book, &self.pages, self.grey);
        self.zip.start_file("ComicInfo.xml", self.deflated)?;
        self.zip
            .write_all(info.as_bytes())
            .map_err(|e| WriteError::io("ComicInfo.xml into the archive", e))?;
        let mut sink = self.zip.finish()?;
        sink.flush().map_err(|e| WriteError::io("the archive", e))
    }
}

/// `ComicInfo.xml`, elements in the order of the ComicRack schema (v2.0), which validating
/// readers check.
fn comic_info(book: &Book, pages: &[PageEntry], grey: bool) -> String {
    let meta = &book.meta;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ComicInfo \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n",
    );
    let mut element = |name: &str, value: &str| {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if !value.is_empty() {
            let _ = writeln!(out, "  <{name}>{}</{name}>", xml::escape(&value));
        }
    };
    element("Title", &meta.title);
    element("Series", meta.event.as_deref().unwrap_or(""));
    element(
        "Notes",
        &format!("{} ({})", crate::CREATOR, book.identifier),
    );
    if let Some((year, month, day)) = meta.date.as_deref().and_then(date_parts) {
        element("Year", &year.to_string());
        if let Some(month) = month {
            element("Month", &month.to_string());
        }
        if let Some(day) = day {
            element("Day", &day.to_string());
        }
    }
    // An anthology's writers are its talks' speakers, each once, in order.
    let writers = if book.anthology {
        let mut all = DeckMeta::default();
        for talk in &book.talks {
            for author in &talk.meta.authors {
                if !all.authors.contains(author) {
                    all.authors.push(author.clone());
                }
            }
        }
        all.author_line()
    } else {
        meta.author_line()
    };
    element("Writer", &writers.unwrap_or_default());
    if let Some(url) = meta.source.as_deref().filter(|s| s.starts_with("http")) {
        element("Web", url);
    }
    element("PageCount", &pages.len().to_string());
    element("LanguageISO", &crate::writer::locale::language_tag(meta));
    if grey {
        element("BlackAndWhite", "Yes");
    }
    element("Manga", "No");
    out.push_str("  <Pages>\n");
    for (i, page) in pages.iter().enumerate() {
        let cover = if i == 0 { " Type=\"FrontCover\"" } else { "" };
        // Readers (ComicRack, Komga, comicapi) list bookmarks as the archive's chapters: an
        // anthology marks where each talk begins.
        let bookmark = match book.talks.iter().position(|t| t.slides.start == i) {
            Some(n) if book.anthology => {
                let title = book.talks[n]
                    .meta
                    .title
                    .split_whitespace()
                    .collect::<Vec<_>>();
                format!(
                    " Bookmark=\"{}\"",
                    xml::escape(&format!("{}. {}", n + 1, title.join(" ")))
                )
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "    <Page Image=\"{i}\"{cover}{bookmark} ImageSize=\"{}\" ImageWidth=\"{}\" ImageHeight=\"{}\" />",
            page.size, page.width, page.height
        );
    }
    out.push_str("  </Pages>\n</ComicInfo>\n");
    out
}

/// `2018-10-18`, `2018-10` or `2018` as numbers.
fn date_parts(date: &str) -> Option<(u32, Option<u32>, Option<u32>)> {
    let mut parts = date.trim().split('-');
    let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month = parts
        .next()
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m));
    let day = parts
        .next()
        .and_then(|d| d.parse().ok())
        .filter(|d| (1..=31).contains(d));
    Some((year, month, month.and(day)))
}

/// Zip entry times in DOS form, clamped to the range DOS dates can hold.
pub(crate) fn zip_datetime(timestamp: i64) -> zip::DateTime {
    let at = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let year = u16::try_from(at.year().clamp(1980, 2107)).unwrap_or(1980);
    zip::DateTime::from_date_and_time(
        year,
        at.month() as u8,
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeckMeta;

    fn book() -> Book {
        Book::deck(
            DeckMeta {
                title: "TiDB架构与开源之路 & <more>".into(),
                event: Some("QCon北京2018".into()),
                date: Some("2018-04-21".into()),
                source: Some("/home/someone/deck.md".into()),
                ..Default::default()
            },
            Vec::new(),
            0,
            "urn:uuid:x".into(),
        )
    }

    #[test]
    fn anthology_pages_bookmark_each_talk() {
        let talk = |title: &str, author: &str| DeckMeta {
            title: title.into(),
            authors: vec![author.into()],
            ..Default::default()
        };
        let slide = |talk| SlideInfo {
            talk,
            ..Default::default()
        };
        let mut book = Book::deck(
            DeckMeta {
                title: "QCon上海2018".into(),
                ..Default::default()
            },
            vec![slide(0), slide(0), slide(1)],
            0,
            "urn:uuid:x".into(),
        );
        book.anthology = true;
        book.talks = vec![
            crate::writer::Talk {
                meta: talk("服务拆分", "潘志伟"),
                slides: 0..2,
            },
            crate::writer::Talk {
                meta: talk("A & B", "王强"),
                slides: 2..3,
            },
        ];
        let page = || PageEntry {
            width: 4,
            height: 3,
            size: 10,
        };
        let info = comic_info(&book, &[page(), page(), page()], false);
        assert!(info.contains("<Title>QCon上海2018</Title>"), "{info}");
        assert!(info.contains("<Writer>潘志伟、王强</Writer>"), "{info}");
        assert!(
            info.contains("<Page Image=\"0\" Type=\"FrontCover\" Bookmark=\"1. 服务拆分\""),
            "{info}"
        );
        assert!(
            info.contains("<Page Image=\"2\" Bookmark=\"2. A &amp; B\""),
            "{info}"
        );
        assert!(!info.contains("<Page Image=\"1\" Bookmark"), "{info}");
    }

    #[test]
    fn comic_info_names_the_talk_and_lists_pages() {
        let pages = [
            PageEntry {
                width: 1280,
                height: 720,
                size: 10,
            },
            PageEntry {
                width: 1280,
                height: 720,
                size: 20,
            },
        ];
        let info = comic_info(&book(), &pages, true);
        assert!(
            info.contains("<Title>TiDB架构与开源之路 &amp; &lt;more&gt;</Title>"),
            "{info}"
        );
        assert!(info.contains("<Series>QCon北京2018</Series>"));
        assert!(info.contains("<Year>2018</Year>\n  <Month>4</Month>\n  <Day>21</Day>"));
        assert!(info.contains("<PageCount>2</PageCount>"));
        assert!(info.contains("<LanguageISO>zh</LanguageISO>"));
        assert!(info.contains("<BlackAndWhite>Yes</BlackAndWhite>"));
        assert!(info.contains("<Page Image=\"0\" Type=\"FrontCover\" ImageSize=\"10\""));
        assert!(info.contains("<Page Image=\"1\" ImageSize=\"20\""));
        // A local path is nobody else's business.
        assert!(!info.contains("/home/someone"));
    }

    #[test]
    fn dates_in_parts() {
        assert_eq!(date_parts("2018-10-18"), Some((2018, Some(10), Some(18))));
        assert_eq!(date_parts("2018"), Some((2018, None, None)));
        assert_eq!(date_parts("18 Oct"), None);
    }
}
