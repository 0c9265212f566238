//! EPUB writer tests on real outputs: EPUBCheck 5, the zip's structure, image bytes, device
//! fitting, reproducibility, and rendered pages.

use crate::tools;

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use deckconv::model::DeckMeta;
use deckconv::normalize::{self, ColorModel, ImageInfo, ImageNeeds, Limits, SourceFormat};
use deckconv::writer::devices::{self, DeviceOptions, DeviceProfile, Fit, DEFAULT_JPEG_QUALITY};
use deckconv::writer::epub::{self as epub, EpubBackend};
use deckconv::writer::{Backend, Book, Setup, SlideInfo};
use tools::{assert_epubcheck_clean, TestSlide};

/// The options as the tests set them: the book's own and the screen's in one place.
#[derive(Clone)]
struct EpubOptions {
    kobo: bool,
    device: Option<&'static DeviceProfile>,
    color: bool,
    cover: Option<PathBuf>,
    templates: Option<PathBuf>,
    jpeg_quality: u8,
    fit: Option<Fit>,
}

impl Default for EpubOptions {
    fn default() -> Self {
        EpubOptions {
            kobo: false,
            device: None,
            color: false,
            cover: None,
            templates: None,
            jpeg_quality: DEFAULT_JPEG_QUALITY,
            fit: None,
        }
    }
}

impl EpubOptions {
    fn backend(&self) -> EpubBackend {
        EpubBackend {
            options: epub::EpubOptions {
                kobo: self.kobo,
                cover: self.cover.clone(),
                templates: self.templates.clone(),
            },
            screen: DeviceOptions {
                device: self.device,
                color: self.color,
                jpeg_quality: self.jpeg_quality,
                fit: self.fit,
            },
            limits: Limits::default(),
        }
    }
}
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};

const CHINESE_TITLE: &str = "0到3000万用户微服务之旅";

// ---------- fixtures ----------

/// A slide-like picture: white background, a dark title bar, coloured blocks and thin lines.
fn slide_image(w: u32, h: u32, seed: u8) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        if y < h / 6 {
            Rgb([20, 40, 90])
        } else if (x / 40 + y / 40) % 7 == seed as u32 % 7 {
            Rgb([200, 60 + seed, 40])
        } else if y % 37 == 0 || x % 53 == 0 {
            Rgb([0, 0, 0])
        } else {
            Rgb([250, 250, 250])
        }
    })
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn info(format: SourceFormat, w: u32, h: u32, color: ColorModel) -> ImageInfo {
    ImageInfo {
        format,
        width: w,
        height: h,
        orientation: 1,
        color,
        bit_depth: 8,
        has_alpha: false,
        interlaced: false,
        adobe_inverted: false,
    }
}

struct Fixture {
    book: Book,
    /// (source bytes, what the normalizer would hand over)
    pages: Vec<(Vec<u8>, ImageInfo, DynamicImage)>,
}

/// Three slides: PNG RGB 1280x720, JPEG RGB 1280x720, PNG grey 1280x720. Slide 2 has alt text.
fn fixture(title: &str) -> Fixture {
    let rgb = DynamicImage::ImageRgb8(slide_image(1280, 720, 1));
    let photo = DynamicImage::ImageRgb8(slide_image(1280, 720, 3));
    let gray =
        DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(slide_image(1280, 720, 5)).to_luma8());
    let pages = vec![
        (
            encode(&rgb, ImageFormat::Png),
            info(SourceFormat::Png, 1280, 720, ColorModel::Rgb),
            rgb,
        ),
        (
            encode(&photo, ImageFormat::Jpeg),
            info(SourceFormat::Jpeg, 1280, 720, ColorModel::Rgb),
            photo,
        ),
        (
            encode(&gray, ImageFormat::Png),
            info(SourceFormat::Png, 1280, 720, ColorModel::Gray),
            gray,
        ),
    ];
    let slides = pages
        .iter()
        .enumerate()
        .map(|(i, (_, info, _))| SlideInfo {
            position: i + 1,
            label: (i + 4).to_string(),
            alt: if i == 1 {
                "Architecture: gateway & <services>".into()
            } else {
                String::new()
            },
            notes: String::new(),
            width: info.width,
            height: info.height,
            text: None,
            talk: 0,
        })
        .collect();
    Fixture {
        book: Book::deck(
            DeckMeta {
                raw_title: Some(format!("可上传_陈思远_{title}")),
                title: title.into(),
                authors: vec!["陈思远".into()],
                date: Some("2018-10-18".into()),
                event: Some("QCon Shanghai 2018".into()),
                lang: None,
                source: Some("examples/qcon-shanghai-2018/deck.md".into()),
                title_notes: Vec::new(),
                title_is_fallback: false,
                title_score: None,
            },
            slides,
            1_700_000_000,
            "urn:uuid:0b9d7f3e-2a61-5c4e-8f00-1234567890ab".into(),
        ),
        pages,
    }
}

/// Run the fixture's slides through the library's pipeline into a book at `path`.
fn write_book(path: &Path, fixture: &Fixture, options: &EpubOptions) {
    let work = tools::tempdir("deckconv-epub-work");
    let slides: Vec<TestSlide> = fixture
        .book
        .slides
        .iter()
        .zip(&fixture.pages)
        .map(|(slide, (bytes, _, _))| TestSlide {
            alt: slide.alt.clone(),
            notes: slide.notes.clone(),
            ..TestSlide::new(slide.label.clone(), bytes.clone())
        })
        .collect();
    tools::convert(
        work.path(),
        fixture.book.meta.clone(),
        &slides,
        &options.backend(),
        path,
        fixture.book.timestamp,
    )
    .unwrap();
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("deckconv-epub-test")
        .tempdir()
        .unwrap()
}

// ---------- checks ----------

struct Entry {
    name: String,
    stored: bool,
    data: Vec<u8>,
    extra_len: usize,
}

fn entries(book: &Path) -> Vec<Entry> {
    let mut archive = zip::ZipArchive::new(File::open(book).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            Entry {
                name: f.name().unwrap().to_string(),
                stored: f.compression() == zip::CompressionMethod::Stored,
                extra_len: f.extra_data().map_or(0, |e| e.len()),
                data,
            }
        })
        .collect()
}

fn text_of(entries: &[Entry], name: &str) -> String {
    let e = entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} in the book"));
    String::from_utf8(e.data.clone()).unwrap()
}

/// `(idref order of the spine, href of each manifest id)` from the package document.
fn spine_hrefs(opf: &str) -> Vec<String> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let tag = format!(" {tag}");
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_string())
    };
    let items: Vec<(String, String)> = opf
        .split("<item ")
        .skip(1)
        .filter_map(|t| Some((attr(t, "id")?, attr(t, "href")?)))
        .collect();
    opf.split("<itemref ")
        .skip(1)
        .map(|t| {
            let id = attr(t, "idref").unwrap();
            items
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, h)| h.clone())
                .unwrap()
        })
        .collect()
}

fn slide_pages(opf: &str) -> Vec<String> {
    spine_hrefs(opf)
        .into_iter()
        .filter(|h| h.starts_with("pages/slide-"))
        .collect()
}

fn image_hrefs_in_order(entries: &[Entry], opf: &str) -> Vec<String> {
    slide_pages(opf)
        .iter()
        .map(|page| {
            let xhtml = text_of(entries, &format!("OEBPS/{page}"));
            let start = xhtml.find("src=\"../").unwrap() + 8;
            let end = xhtml[start..].find('"').unwrap() + start;
            format!("OEBPS/{}", &xhtml[start..end])
        })
        .collect()
}

// ---------- tests ----------

#[test]
fn plain_book_is_valid_and_keeps_images_byte_for_byte() {
    let dir = temp_dir();
    let path = dir.path().join("book.epub");
    let fx = fixture(CHINESE_TITLE);
    write_book(&path, &fx, &EpubOptions::default());
    assert_epubcheck_clean(&path);

    let entries = entries(&path);
    // OCF: `mimetype` first, stored, no extra field, exact content.
    assert_eq!(entries[0].name, "mimetype");
    assert!(entries[0].stored);
    assert_eq!(entries[0].extra_len, 0);
    assert_eq!(entries[0].data, b"application/epub+zip");
    // Images stored, text deflated.
    for e in &entries[1..] {
        let is_image = e.name.contains("/images/");
        assert_eq!(e.stored, is_image, "{} stored={}", e.name, e.stored);
    }

    let opf = text_of(&entries, "OEBPS/package.opf");
    let spine = spine_hrefs(&opf);
    assert_eq!(
        spine,
        [
            "pages/title.xhtml",
            "pages/slide-0001.xhtml",
            "pages/slide-0002.xhtml",
            "pages/slide-0003.xhtml"
        ]
    );
    // Each slide's image is its source file, unchanged, in deck order.
    let images = image_hrefs_in_order(&entries, &opf);
    for (href, (source, _, _)) in images.iter().zip(&fx.pages) {
        let stored = entries.iter().find(|e| &e.name == href).unwrap();
        assert!(stored.data == *source, "{href} differs from its source");
    }
    assert!(images[1].ends_with(".jpg") && images[0].ends_with(".png"));

    // Metadata.
    assert!(opf.contains("<dc:language>zh</dc:language>"), "{opf}");
    assert!(opf.contains(&format!(
        "<dc:title id=\"title\">{CHINESE_TITLE}</dc:title>"
    )));
    assert!(opf.contains("<dc:creator id=\"creator\">陈思远</dc:creator>"));
    // A name-based UUID from the slides and the edition (see the reproducibility tests).
    assert!(opf.contains(">urn:uuid:") && opf.contains("-5"), "{opf}");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
    assert!(
        opf.contains("<dc:source id=\"source\">examples/qcon-shanghai-2018/deck.md</dc:source>")
    );
    assert!(opf.contains("<meta property=\"rendition:layout\">pre-paginated</meta>"));
    assert!(opf.contains("<meta property=\"rendition:orientation\">landscape</meta>"));
    // A Chinese deck's accessibility summary is in Chinese, like every word of the book.
    assert!(
        opf.contains("<meta property=\"schema:accessibilitySummary\">本书以图片呈现"),
        "{opf}"
    );
    assert!(!opf.contains("This book presents"), "{opf}");
    assert!(!opf.contains("page-spread"));
    // The first slide is the cover.
    assert!(opf.contains(
        "<item id=\"image-0001\" href=\"images/slide-0001.png\" media-type=\"image/png\" properties=\"cover-image\"/>"
    ));

    // Slide pages: viewport = slide size, one <img> with alt text, given or made up.
    let page1 = text_of(&entries, "OEBPS/pages/slide-0001.xhtml");
    assert!(page1.contains("<meta name=\"viewport\" content=\"width=1280, height=720\"/>"));
    // Undescribed slides are named by their own number, in the deck's language.
    assert!(
        page1.contains(&format!("alt=\"《{CHINESE_TITLE}》幻灯片 4\"")),
        "{page1}"
    );
    assert_eq!(page1.matches("<img ").count(), 1);
    let body = &page1[page1.find("<body").unwrap()..page1.find("</body>").unwrap()];
    assert_eq!(
        body.matches('<').count(),
        2,
        "body holds a single img: {body}"
    );
    let page2 = text_of(&entries, "OEBPS/pages/slide-0002.xhtml");
    assert!(page2.contains("alt=\"Architecture: gateway &amp; &lt;services&gt;\""));

    // Navigation: toc entry per slide (alt or "Slide N"), page list with the deck's numbers.
    let nav = text_of(&entries, "OEBPS/nav.xhtml");
    assert!(
        nav.contains("<a href=\"pages/slide-0001.xhtml\">幻灯片 4</a>"),
        "{nav}"
    );
    assert!(nav.contains("role=\"doc-toc\""), "{nav}");
    assert!(nav.contains(
        "<a href=\"pages/slide-0002.xhtml\">Architecture: gateway &amp; &lt;services&gt;</a>"
    ));
    assert!(nav.contains("<a href=\"pages/slide-0003.xhtml\">6</a>"));
    assert!(nav.contains("epub:type=\"landmarks\""));
    let title = text_of(&entries, "OEBPS/pages/title.xhtml");
    assert!(title.contains("epub:type=\"titlepage\""));
    assert!(title.contains("QCon Shanghai 2018 · 2018-10-18"));
    assert!(title.contains("3 张幻灯片"), "{title}");
    let ncx = text_of(&entries, "OEBPS/toc.ncx");
    assert_eq!(ncx.matches("<navPoint ").count(), 4);
}

#[test]
fn same_book_twice_gives_identical_bytes() {
    let dir = temp_dir();
    let fx = fixture("The past, present, and future of Go 2");
    let a = dir.path().join("a.epub");
    let b = dir.path().join("b.epub");
    write_book(&a, &fx, &EpubOptions::default());
    write_book(&b, &fx, &EpubOptions::default());
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    let opf = text_of(&entries(&a), "OEBPS/package.opf");
    assert!(opf.contains("<dc:language>en</dc:language>"));
}

#[test]
fn markup_in_metadata_is_escaped() {
    let dir = temp_dir();
    let mut fx = fixture("Tom & Jerry's <script>\"quoted\"</script>");
    fx.book.meta.authors = vec!["A <b>&amp; B".into()];
    fx.book.meta.event = Some("]]> \u{1} <!-- x -->".into());
    fx.book.meta.date = Some("autumn 2018".into()); // not a W3C date: kept off dc:date
    let path = dir.path().join("escape.epub");
    write_book(&path, &fx, &EpubOptions::default());
    assert_epubcheck_clean(&path);
    let opf = text_of(&entries(&path), "OEBPS/package.opf");
    assert!(!opf.contains("<dc:date>"));
    assert!(opf.contains("Tom &amp; Jerry&#x27;s &lt;script&gt;"));
}

/// Every image fits the device box (in one orientation), is never upscaled, is grey on e-ink,
/// and its page's viewport is its own size.
fn check_device_book(path: &Path, device: &devices::DeviceProfile, expect_gray: bool) {
    assert_epubcheck_clean(path);
    let entries = entries(path);
    let opf = text_of(&entries, "OEBPS/package.opf");
    for (page, href) in slide_pages(&opf)
        .iter()
        .zip(image_hrefs_in_order(&entries, &opf))
    {
        let data = &entries.iter().find(|e| e.name == href).unwrap().data;
        let img = image::load_from_memory(data).unwrap();
        let (w, h) = img.dimensions();
        let fits =
            (w <= device.width && h <= device.height) || (w <= device.height && h <= device.width);
        assert!(fits, "{href} is {w}x{h}, larger than {}", device.name);
        assert!(w <= 1920 && h <= 1920, "never upscaled");
        let gray = matches!(img.color(), image::ColorType::L8 | image::ColorType::L16);
        assert_eq!(gray, expect_gray, "{href} colour type {:?}", img.color());
        let xhtml = text_of(&entries, &format!("OEBPS/{page}"));
        assert!(
            xhtml.contains(&format!("content=\"width={w}, height={h}\"")),
            "{page} viewport is the image size {w}x{h}"
        );
    }
}

fn device_fixture() -> Fixture {
    let mut fx = fixture(CHINESE_TITLE);
    // A big landscape slide and a portrait one on top of the three 1280x720 ones.
    for (w, h, format) in [
        (1920, 1080, SourceFormat::Png),
        (1200, 1800, SourceFormat::Jpeg),
    ] {
        let img = DynamicImage::ImageRgb8(slide_image(w, h, 2));
        let bytes = encode(
            &img,
            if format == SourceFormat::Png {
                ImageFormat::Png
            } else {
                ImageFormat::Jpeg
            },
        );
        let n = fx.book.slides.len() + 1;
        fx.book.slides.push(SlideInfo {
            position: n,
            label: n.to_string(),
            alt: String::new(),
            notes: String::new(),
            width: w,
            height: h,
            text: None,
            talk: 0,
        });
        fx.pages
            .push((bytes, info(format, w, h, ColorModel::Rgb), img));
    }
    fx
}

#[test]
fn eink_device_fits_and_grays_every_slide() {
    let dir = temp_dir();
    let fx = device_fixture();
    let device = devices::find("kindle-paperwhite").unwrap();
    let path = dir.path().join("kindle.epub");
    let options = EpubOptions {
        device: Some(device),
        ..EpubOptions::default()
    };
    write_book(&path, &fx, &options);
    check_device_book(&path, device, true);
    let entries = entries(&path);
    // 1920x1080 on a 1236x1648 reader: fitted to 1648x927, then turned a quarter clockwise
    // (the Paperwhite's default fit) into a portrait page that fills the screen.
    let page4 = text_of(&entries, "OEBPS/pages/slide-0004.xhtml");
    assert!(page4.contains("width=927, height=1648"), "{page4}");
    let image4 = entries
        .iter()
        .find(|e| e.name.starts_with("OEBPS/images/slide-0004."))
        .unwrap();
    let turned = image::load_from_memory(&image4.data).unwrap().to_luma8();
    assert_eq!(turned.dimensions(), (927, 1648));
    // The slide's dark top band is now its right edge.
    let mean = |xs: std::ops::Range<u32>| {
        let n = u64::from(xs.len() as u32) * 1648;
        xs.flat_map(|x| (0..1648).map(move |y| (x, y)))
            .map(|(x, y)| u64::from(turned.get_pixel(x, y).0[0]))
            .sum::<u64>()
            / n
    };
    let (band, body) = (mean(800..920), mean(100..700));
    assert!(band < 60 && body > 150, "band {band}, body {body}");
    // 1280x720 fits as is (not upscaled), turned.
    let page1 = text_of(&entries, "OEBPS/pages/slide-0001.xhtml");
    assert!(page1.contains("width=720, height=1280"));
    // The portrait slide stays upright.
    let page5 = text_of(&entries, "OEBPS/pages/slide-0005.xhtml");
    assert!(page5.contains("width=1098, height=1648"), "{page5}");
    let opf = text_of(&entries, "OEBPS/package.opf");
    assert!(opf.contains("rendition:orientation\">portrait<"), "{opf}");

    // --fit none: the landscape page of before.
    let none = dir.path().join("kindle-none.epub");
    write_book(
        &none,
        &fx,
        &EpubOptions {
            device: Some(device),
            fit: Some(Fit::None),
            ..EpubOptions::default()
        },
    );
    check_device_book(&none, device, true);
    let page4 = text_of(&entries_of(&none), "OEBPS/pages/slide-0004.xhtml");
    assert!(page4.contains("width=1648, height=927"), "{page4}");
}

fn entries_of(path: &Path) -> Vec<Entry> {
    entries(path)
}

/// `--fit stack`: landscape slides two a page, at the screen's size, each under its label;
/// navigation and the page list point at each slide's own box.
#[test]
fn stacked_pages_hold_two_slides_and_navigation_finds_each() {
    let dir = temp_dir();
    let fx = device_fixture();
    let device = devices::find("kindle-paperwhite").unwrap();
    let path = dir.path().join("stack.epub");
    write_book(
        &path,
        &fx,
        &EpubOptions {
            device: Some(device),
            fit: Some(Fit::Stack),
            ..EpubOptions::default()
        },
    );
    assert_epubcheck_clean(&path);
    let entries = entries(&path);
    let opf = text_of(&entries, "OEBPS/package.opf");
    let sheets: Vec<String> = spine_hrefs(&opf)
        .into_iter()
        .filter(|h| h.starts_with("pages/sheet-"))
        .collect();
    // Slides 1-4 landscape, two a page; slide 5 portrait, alone.
    assert_eq!(
        sheets,
        [
            "pages/sheet-0001.xhtml",
            "pages/sheet-0002.xhtml",
            "pages/sheet-0003.xhtml"
        ]
    );
    let first = text_of(&entries, "OEBPS/pages/sheet-0001.xhtml");
    assert!(
        first.contains("content=\"width=1236, height=1648\""),
        "{first}"
    );
    assert_eq!(first.matches("<img ").count(), 2, "{first}");
    assert_eq!(first.matches("class=\"label\"").count(), 2, "{first}");
    // Both slides shown the page's full width: 1236x695 of the 1648 px height, 84%.
    assert_eq!(
        first.matches("width=\"1236\" height=\"695\"").count(),
        2,
        "{first}"
    );
    assert!(first.contains("id=\"slide-0001\"") && first.contains("id=\"slide-0002\""));
    let third = text_of(&entries, "OEBPS/pages/sheet-0003.xhtml");
    assert_eq!(third.matches("<img ").count(), 1, "{third}");
    let nav = text_of(&entries, "OEBPS/nav.xhtml");
    let ncx = text_of(&entries, "OEBPS/toc.ncx");
    for (n, sheet) in [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)] {
        let target = format!("pages/sheet-{sheet:04}.xhtml#slide-{n:04}");
        // In the table of contents and in the page list.
        assert_eq!(
            nav.matches(&format!("href=\"{target}\"")).count(),
            2,
            "{target}: {nav}"
        );
        assert!(
            ncx.contains(&format!("src=\"{target}\"")),
            "{target}: {ncx}"
        );
    }
}

#[test]
fn colour_kept_on_tablet_and_with_color_flag() {
    let dir = temp_dir();
    let fx = device_fixture();
    let tablet = devices::find("tablet").unwrap();
    let path = dir.path().join("tablet.epub");
    write_book(
        &path,
        &fx,
        &EpubOptions {
            device: Some(tablet),
            ..EpubOptions::default()
        },
    );
    // The grey PNG slide stays grey; the others are colour.
    let entries_t = entries(&path);
    let opf = text_of(&entries_t, "OEBPS/package.opf");
    let hrefs = image_hrefs_in_order(&entries_t, &opf);
    let color_of = |href: &String| {
        image::load_from_memory(&entries_t.iter().find(|e| &e.name == href).unwrap().data)
            .unwrap()
            .color()
    };
    assert_eq!(color_of(&hrefs[0]), image::ColorType::Rgb8);
    assert_epubcheck_clean(&path);

    let kobo = devices::find("kobo-clara").unwrap();
    let path = dir.path().join("kobo-color.epub");
    write_book(
        &path,
        &fx,
        &EpubOptions {
            device: Some(kobo),
            color: true,
            ..EpubOptions::default()
        },
    );
    let entries_k = entries(&path);
    let opf = text_of(&entries_k, "OEBPS/package.opf");
    let first = &image_hrefs_in_order(&entries_k, &opf)[0];
    let img = image::load_from_memory(&entries_k.iter().find(|e| &e.name == first).unwrap().data)
        .unwrap();
    assert_eq!(img.color(), image::ColorType::Rgb8);
    // Turned for the portrait screen (the Clara's default fit).
    assert!(img.width() <= 1072 && img.height() <= 1448);
}

#[test]
fn templates_folder_overrides_embedded_templates() {
    let dir = temp_dir();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let embedded = include_str!("../templates/title.xhtml");
    std::fs::write(
        templates.join("title.xhtml"),
        embedded.replace(
            "<h1>{{ title }}</h1>",
            "<h1 class=\"mine\">{{ title }}!</h1>",
        ),
    )
    .unwrap();
    let path = dir.path().join("custom.epub");
    let fx = fixture("A & B");
    write_book(
        &path,
        &fx,
        &EpubOptions {
            templates: Some(templates.clone()),
            ..EpubOptions::default()
        },
    );
    assert_epubcheck_clean(&path);
    let title = text_of(&entries(&path), "OEBPS/pages/title.xhtml");
    assert!(
        title.contains("<h1 class=\"mine\">A &amp; B!</h1>"),
        "{title}"
    );

    // A template naming an unknown variable is an error, not a silent blank.
    std::fs::write(templates.join("title.xhtml"), "{{ no_such_thing }}").unwrap();
    let file = File::create(dir.path().join("bad.epub")).unwrap();
    let backend = EpubOptions {
        templates: Some(templates),
        ..EpubOptions::default()
    }
    .backend();
    let err = backend
        .create(Box::new(file), &Setup::default())
        .err()
        .expect("a broken template fails")
        .to_string();
    assert!(err.contains("title.xhtml"), "{err}");
}

#[test]
fn list_devices_needs_no_input() {
    let out = assert_cmd::Command::cargo_bin("deckconv")
        .unwrap()
        .arg("--list-devices")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, size) in [
        ("kindle-paperwhite", "1236x1648"),
        ("kindle-scribe", "1860x2480"),
        ("kobo-clara", "1072x1448"),
        ("kobo-libra", "1264x1680"),
        ("kobo-sage", "1440x1920"),
        ("remarkable", "1404x1872"),
        ("tablet", "2048x1536"),
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} listed"));
        assert!(line.contains(size), "{line}");
    }
}

#[test]
fn fit_without_a_screen_or_page_for_it_is_a_usage_error() {
    for (args, says) in [
        (&["--epub", "--fit", "rotate"][..], "needs --device"),
        (
            &["--epub", "--fit", "sideways"][..],
            "rotate, stack or none",
        ),
        (
            &["--cbz", "--device", "kobo-clara", "--fit", "stack"][..],
            "use --fit rotate",
        ),
        (
            &["--epub", "--device", "tablet", "--fit", "stack"][..],
            "landscape screen",
        ),
        (
            &["--pdf", "--fit", "none"][..],
            "applies to --epub and --cbz",
        ),
    ] {
        let out = assert_cmd::Command::cargo_bin("deckconv")
            .unwrap()
            .arg("deck.md")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn unknown_device_is_a_usage_error() {
    let out = assert_cmd::Command::cargo_bin("deckconv")
        .unwrap()
        .args(["deck.md", "--epub", "--device", "kindle-voyage-9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("kindle-paperwhite"),
        "lists the known devices: {err}"
    );
}

// ---------- the bundled example deck, through the real probe and normalizer ----------

const EXAMPLE: &str = "examples/qcon-shanghai-2018";

struct ExampleSlide {
    path: PathBuf,
    bytes: Vec<u8>,
    info: ImageInfo,
}

/// The example deck's slides in deck order (the deck uses Windows separators).
fn example_slides() -> Vec<ExampleSlide> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let deck = std::fs::read_to_string(root.join("deck.md")).unwrap();
    deck.lines()
        .filter_map(|l| l.strip_prefix("![](")?.strip_suffix(')'))
        .map(|src| {
            let path = root.join(src.replace('\\', "/"));
            let bytes = std::fs::read(&path).unwrap();
            let info = normalize::probe(&bytes, &Limits::default()).unwrap();
            ExampleSlide { path, bytes, info }
        })
        .collect()
}

fn example_book(slides: &[ExampleSlide]) -> Book {
    let mut fx = fixture(CHINESE_TITLE);
    fx.book.slides = slides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (width, height) = s.info.display_size();
            SlideInfo {
                position: i + 1,
                label: (i + 4).to_string(),
                alt: String::new(),
                notes: String::new(),
                width,
                height,
                text: None,
                talk: 0,
            }
        })
        .collect();
    fx.book
}

/// The example deck through the library's pipeline; what the normalizer was asked for.
fn write_example(path: &Path, slides: &[ExampleSlide], options: &EpubOptions) -> ImageNeeds {
    let book = example_book(slides);
    let work = tools::tempdir("deckconv-epub-example");
    let test_slides: Vec<TestSlide> = book
        .slides
        .iter()
        .zip(slides)
        .map(|(info, s)| TestSlide::new(info.label.clone(), s.bytes.clone()))
        .collect();
    let backend = options.backend();
    tools::convert(
        work.path(),
        book.meta.clone(),
        &test_slides,
        &backend,
        path,
        book.timestamp,
    )
    .unwrap();
    backend.image_needs()
}

#[test]
fn example_deck_keeps_what_readers_show_and_converts_the_rest() {
    let dir = temp_dir();
    let slides = example_slides();
    assert_eq!(slides.len(), 12);
    let path = dir.path().join("example.epub");
    let needs = write_example(&path, &slides, &EpubOptions::default());
    assert_epubcheck_clean(&path);

    let entries = entries(&path);
    let opf = text_of(&entries, "OEBPS/package.opf");
    let hrefs = image_hrefs_in_order(&entries, &opf);
    let mut kept = 0;
    for (href, s) in hrefs.iter().zip(&slides) {
        let data = &entries.iter().find(|e| &e.name == href).unwrap().data;
        let img = image::load_from_memory(data).unwrap();
        // Every page is upright at the slide's displayed size.
        assert_eq!(
            img.dimensions(),
            s.info.display_size(),
            "{}",
            s.path.display()
        );
        let as_is = (needs.takes_as_is)(&s.info) && s.info.orientation == 1;
        if as_is {
            assert!(
                data == &s.bytes,
                "{} must be stored unchanged",
                s.path.display()
            );
            kept += 1;
        } else {
            // CMYK or EXIF-rotated JPEG: re-encoded as an RGB/grey JPEG.
            assert!(data != &s.bytes);
            let probed = normalize::probe(data, &Limits::default()).unwrap();
            assert!(matches!(probed.color, ColorModel::Rgb | ColorModel::Gray));
            assert_eq!(probed.orientation, 1);
        }
    }
    assert!(kept >= 9, "only {kept} of 12 slides kept as they are");

    // Look at it: the title page and a slide page rendered by MuPDF.
    if Command::new("mutool").arg("-v").output().is_ok() {
        let out = dir.path().join("page%d.png");
        let status = Command::new("mutool")
            // MuPDF lays EPUBs out as reflowable: give it the slides' page size.
            .args(["draw", "-q", "-W", "960", "-H", "540", "-r", "72", "-o"])
            .arg(&out)
            .arg(&path)
            .arg("1-2")
            .status()
            .unwrap();
        assert!(status.success());
        let title = image::open(dir.path().join("page1.png"))
            .unwrap()
            .to_luma8();
        let dark = title.pixels().filter(|p| p.0[0] < 128).count();
        assert!(dark > 200, "the title page shows text ({dark} dark pixels)");
        // Characters, not boxes: every character of the Chinese title is drawn with a real glyph.
        let trace = Command::new("mutool")
            .args([
                "draw", "-q", "-W", "960", "-H", "540", "-F", "trace", "-o", "-",
            ])
            .arg(&path)
            .arg("1")
            .output()
            .unwrap();
        let trace = String::from_utf8_lossy(&trace.stdout);
        for c in CHINESE_TITLE.chars().filter(|c| !c.is_ascii()) {
            let tag = format!("unicode=\"{c}\" glyph=\"");
            let at = trace
                .find(&tag)
                .unwrap_or_else(|| panic!("{c} drawn on the title page"));
            let glyph = &trace[at + tag.len()..];
            let glyph = &glyph[..glyph.find('"').unwrap()];
            assert!(
                glyph != "0" && glyph != ".notdef",
                "{c} drawn as .notdef (a box)"
            );
        }
        if let Ok(keep) = std::env::var("DECKCONV_KEEP_RENDERS") {
            for n in 1..=2 {
                std::fs::copy(
                    dir.path().join(format!("page{n}.png")),
                    Path::new(&keep).join(format!("epub-page{n}.png")),
                )
                .unwrap();
            }
        }
    }
}

#[test]
fn example_deck_on_an_eink_reader_is_grey_fitted_and_small() {
    let dir = temp_dir();
    let slides = example_slides();
    let device = devices::find("kobo-clara").unwrap();
    let path = dir.path().join("kobo.epub");
    write_example(
        &path,
        &slides,
        &EpubOptions {
            device: Some(device),
            kobo: true,
            ..EpubOptions::default()
        },
    );
    check_device_book(&path, device, true);
    let source_bytes: u64 = slides.iter().map(|s| s.bytes.len() as u64).sum();
    let book_bytes = std::fs::metadata(&path).unwrap().len();
    assert!(
        book_bytes * 10 < source_bytes * 3,
        "book {book_bytes} bytes is more than 30% of the sources' {source_bytes}"
    );
}

#[test]
fn cover_file_replaces_the_first_slide_as_cover() {
    let dir = temp_dir();
    let slides = example_slides();
    // The EXIF-rotated JPEG: the cover goes through the normalizer too and comes out upright.
    let cover = slides
        .iter()
        .find(|s| s.info.orientation != 1)
        .expect("an EXIF-rotated slide in the example");
    let path = dir.path().join("cover.epub");
    write_example(
        &path,
        &slides,
        &EpubOptions {
            cover: Some(cover.path.clone()),
            ..EpubOptions::default()
        },
    );
    assert_epubcheck_clean(&path);
    let entries = entries(&path);
    let opf = text_of(&entries, "OEBPS/package.opf");
    assert_eq!(opf.matches("properties=\"cover-image\"").count(), 1);
    assert!(opf.contains(
        "<item id=\"cover-image\" href=\"images/cover.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\"/>"
    ));
    assert!(opf.contains("<meta name=\"cover\" content=\"cover-image\"/>"));
    let data = &entries
        .iter()
        .find(|e| e.name == "OEBPS/images/cover.jpg")
        .unwrap()
        .data;
    let img = image::load_from_memory(data).unwrap();
    assert_eq!(img.dimensions(), cover.info.display_size());
}

#[test]
fn command_line_books_are_reproducible_and_kobo_named() {
    let dir = temp_dir();
    let deck = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(EXAMPLE)
        .join("deck.md");
    let run = |out: &Path, extra: &[&str]| {
        let status = assert_cmd::Command::cargo_bin("deckconv")
            .unwrap()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .arg(&deck)
            .args(["--epub", "-q", "-o"])
            .arg(out)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    let a = dir.path().join("a.epub");
    let b = dir.path().join("b.epub");
    run(&a, &[]);
    run(&b, &[]);
    assert!(
        std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
        "SOURCE_DATE_EPOCH makes the book byte-reproducible"
    );
    let opf = text_of(&entries(&a), "OEBPS/package.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
    assert!(opf.contains("<dc:language>zh</dc:language>"));

    // --kobo with a folder: the book is named from the title, .kepub.epub.
    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    run(&folder, &["--kobo", "--device", "kobo-libra"]);
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [format!("{CHINESE_TITLE}.kepub.epub")]);
    check_device_book(
        &folder.join(&names[0]),
        devices::find("kobo-libra").unwrap(),
        true,
    );
}

// ---------- Kobo edition and conformance ----------

/// The kepub spans' ids of an XHTML page, in document order.
fn kobo_ids(xhtml: &str) -> Vec<String> {
    xhtml
        .split("koboSpan\" id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

/// `--kobo`: every page in Kobo's wrappers (`div#book-columns > div#book-inner`), every image
/// and every line of text in a kepub span numbered as kepubify numbers them, the wrappers
/// and page margins zeroed in the stylesheet; the package as Kobo reads a fixed-layout book.
/// The same deck without `--kobo` has none of it.
#[test]
fn kobo_books_carry_kepub_markup() {
    let dir = temp_dir();
    let slides = example_slides();
    let device = devices::find("kobo-libra").unwrap();
    for fit in [Fit::Rotate, Fit::Stack] {
        let path = dir.path().join(format!("{}.kepub.epub", fit.name()));
        write_example(
            &path,
            &slides,
            &EpubOptions {
                kobo: true,
                device: Some(device),
                fit: Some(fit),
                ..EpubOptions::default()
            },
        );
        let entries = entries(&path);
        let opf = text_of(&entries, "OEBPS/package.opf");
        assert!(opf.contains("<meta property=\"rendition:layout\">pre-paginated</meta>"));
        // Single pages, never side by side: a turned slide needs the whole screen.
        assert!(opf.contains("<meta property=\"rendition:spread\">none</meta>"));
        assert_eq!(opf.matches("properties=\"cover-image\"").count(), 1);
        assert!(opf.contains("<meta name=\"cover\" content=\"image-0001\"/>"));
        let css = text_of(&entries, "OEBPS/css/book.css");
        assert!(css.contains("div#book-inner"), "{css}");
        assert!(css.contains("@page"), "{css}");
        let pages: Vec<String> = spine_hrefs(&opf);
        assert!(pages.len() > 2, "{pages:?}");
        let mut images = 0;
        for page in &pages {
            let xhtml = text_of(&entries, &format!("OEBPS/{page}"));
            let body = &xhtml[xhtml.find("<body").unwrap()..];
            let body = &body[body.find('>').unwrap() + 1..];
            assert!(
                body.trim_start()
                    .starts_with("<div id=\"book-columns\"><div id=\"book-inner\">"),
                "{page}: {body}"
            );
            assert!(
                body.trim_end().ends_with("</div></div>\n</body>\n</html>"),
                "{page}"
            );
            // Every image in a span of its own, ids unique and in kepubify's order:
            // paragraph by paragraph, segments counted from 1 within each.
            let ids = kobo_ids(&xhtml);
            assert_eq!(
                xhtml.matches("<span class=\"koboSpan\" id=\"kobo.").count()
                    + xhtml.matches("<span class=\"label koboSpan\"").count(),
                ids.len(),
                "{page}"
            );
            assert_eq!(
                xhtml.matches("<img ").count(),
                xhtml.matches("\"><img ").count(),
                "{page}: an <img> outside a span"
            );
            images += xhtml.matches("<img ").count();
            let mut last = (0, 0);
            for id in &ids {
                let (para, seg) = id
                    .strip_prefix("kobo.")
                    .and_then(|n| n.split_once('.'))
                    .map(|(p, s)| (p.parse::<u32>().unwrap(), s.parse::<u32>().unwrap()))
                    .unwrap_or_else(|| panic!("{page}: {id}"));
                let next = if para == last.0 {
                    seg == last.1 + 1
                } else {
                    para == last.0 + 1 && seg == 1
                };
                assert!(next, "{page}: {id} after {last:?} in {ids:?}");
                last = (para, seg);
            }
            assert!(!ids.is_empty(), "{page}");
        }
        assert_eq!(images, slides.len(), "{fit:?}");
        let title = text_of(&entries, "OEBPS/pages/title.xhtml");
        assert!(
            title.contains(&format!(
                "<h1><span class=\"koboSpan\" id=\"kobo.1.1\">{CHINESE_TITLE}</span></h1>"
            )),
            "{title}"
        );
        if fit == Fit::Stack {
            let sheet = text_of(&entries, "OEBPS/pages/sheet-0002.xhtml");
            assert_eq!(
                kobo_ids(&sheet),
                ["kobo.1.1", "kobo.1.2", "kobo.2.1", "kobo.2.2"],
                "a label, then its slide: {sheet}"
            );
        }
        assert_epubcheck_clean(&path);
    }

    let plain = dir.path().join("plain.epub");
    write_example(
        &plain,
        &slides,
        &EpubOptions {
            device: Some(device),
            ..EpubOptions::default()
        },
    );
    for entry in entries(&plain) {
        let text = String::from_utf8_lossy(&entry.data);
        assert!(
            !text.contains("koboSpan") && !text.contains("book-inner"),
            "{} of the plain book",
            entry.name
        );
    }
}

/// Every book names its conformance: EPUB Accessibility 1.1 at WCAG 2.2 Level A, evaluated
/// by deckconv, when every slide carries the deck's own description; `none` otherwise (a
/// slide named only by its number has no text alternative). Never Level AA: slides are
/// images of text.
#[test]
fn books_claim_conformance_only_where_it_holds() {
    let dir = temp_dir();
    let mut fx = fixture(CHINESE_TITLE);
    let partly = dir.path().join("partly.epub");
    write_book(&partly, &fx, &EpubOptions::default());
    for slide in &mut fx.book.slides {
        slide.alt = format!("幻灯片 {} 的描述", slide.position);
    }
    let described = dir.path().join("described.epub");
    write_book(&described, &fx, &EpubOptions::default());
    let kobo = dir.path().join("described.kepub.epub");
    write_book(
        &kobo,
        &fx,
        &EpubOptions {
            kobo: true,
            ..EpubOptions::default()
        },
    );
    let claim = format!(
        "<meta property=\"dcterms:conformsTo\" id=\"conformance\">{}</meta>\n    \
         <meta property=\"a11y:certifiedBy\" refines=\"#conformance\">deckconv</meta>",
        epub::WCAG_A
    );
    assert_eq!(epub::WCAG_A, "EPUB Accessibility 1.1 - WCAG 2.2 Level A");
    for path in [&described, &kobo] {
        let opf = text_of(&entries(path), "OEBPS/package.opf");
        assert!(opf.contains(&claim), "{opf}");
        assert_eq!(opf.matches("dcterms:conformsTo").count(), 1, "{opf}");
        assert!(!opf.contains("Level AA"), "{opf}");
        for meta in [
            "<meta property=\"schema:accessMode\">visual</meta>",
            "<meta property=\"schema:accessMode\">textual</meta>",
            "<meta property=\"schema:accessModeSufficient\">textual</meta>",
            "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
            "<meta property=\"schema:accessibilityHazard\">none</meta>",
        ] {
            assert!(opf.contains(meta), "{meta} in {opf}");
        }
        assert_epubcheck_clean(path);
    }
    let opf = text_of(&entries(&partly), "OEBPS/package.opf");
    assert!(
        opf.contains("<meta property=\"dcterms:conformsTo\">none</meta>"),
        "{opf}"
    );
    assert!(!opf.contains("a11y:certifiedBy"), "{opf}");
    assert!(!opf.contains("alternativeText"), "{opf}");
    assert!(!opf.contains("accessModeSufficient\">textual"), "{opf}");
    assert_epubcheck_clean(&partly);
}

/// Kobo fills a transparent background with its own colour or pattern and shows no GIF
/// cover: `--kobo` books flatten transparent slides onto white and store GIFs as PNG (the
/// first frame, losslessly). A plain book keeps both as they are, and says that a GIF may
/// flash; the Kobo book has none left. A slide over the 3.8 megapixels Kobo's guide allows a
/// fixed-layout viewport is scaled down (a plain book keeps it).
#[test]
fn kobo_images_are_opaque_and_never_gif() {
    let dir = temp_dir();
    let clear = image::RgbaImage::from_fn(320, 180, |x, _| {
        if x < 160 {
            image::Rgba([200, 30, 30, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut png = Vec::new();
    DynamicImage::ImageRgba8(clear)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    let gif = encode(
        &DynamicImage::ImageRgb8(slide_image(320, 180, 4)),
        ImageFormat::Gif,
    );
    // Over Kobo's 3.8-megapixel viewport: scaled down in the Kobo book only.
    let big = encode(
        &DynamicImage::ImageRgb8(slide_image(2600, 1600, 6)),
        ImageFormat::Png,
    );
    let slides = [
        TestSlide::new("1", gif.clone()),
        TestSlide::new("2", png.clone()),
        TestSlide::new("3", big.clone()),
    ];
    let meta = DeckMeta {
        title: "Transparent".into(),
        ..DeckMeta::default()
    };
    let mut opfs = Vec::new();
    for kobo in [false, true] {
        let work = tools::tempdir("deckconv-epub-kobo-images");
        let path = dir
            .path()
            .join(if kobo { "k.kepub.epub" } else { "p.epub" });
        tools::convert(
            work.path(),
            meta.clone(),
            &slides,
            &EpubOptions {
                kobo,
                ..EpubOptions::default()
            }
            .backend(),
            &path,
            1_700_000_000,
        )
        .unwrap();
        let entries = entries(&path);
        let opf = text_of(&entries, "OEBPS/package.opf");
        let images: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.name.starts_with("OEBPS/images/"))
            .collect();
        assert_eq!(images.len(), 3);
        for image in images {
            let decoded = image::load_from_memory(&image.data).unwrap();
            let (w, h) = decoded.dimensions();
            if image.name.contains("slide-0003") {
                if kobo {
                    assert!(u64::from(w) * u64::from(h) <= 3_800_000, "{w}x{h}");
                    assert!(w > 2400 && (f64::from(w) / f64::from(h) - 1.625).abs() < 0.01);
                    let page = text_of(&entries, "OEBPS/pages/slide-0003.xhtml");
                    assert!(page.contains(&format!("content=\"width={w}, height={h}\"")));
                } else {
                    assert_eq!((w, h), (2600, 1600));
                }
                continue;
            }
            if kobo {
                assert!(!image.name.ends_with(".gif"), "{}", image.name);
                assert!(!decoded.color().has_alpha(), "{}", image.name);
                assert_eq!((w, h), (320, 180));
            }
            if kobo && image.name.ends_with("slide-0002.png") {
                // The transparent half is white now; the opaque half as it was.
                assert_eq!(decoded.to_rgb8().get_pixel(300, 90), &Rgb([255, 255, 255]));
                assert_eq!(decoded.to_rgb8().get_pixel(10, 90), &Rgb([200, 30, 30]));
            }
        }
        if !kobo {
            assert!(entries
                .iter()
                .any(|e| e.name == "OEBPS/images/slide-0001.gif"));
            assert!(
                entries.iter().any(|e| e.data == png),
                "the PNG kept as it is"
            );
        }
        assert_epubcheck_clean(&path);
        opfs.push(opf);
    }
    assert!(
        opfs[0]
            .contains("<meta property=\"schema:accessibilityHazard\">unknownFlashingHazard</meta>"),
        "{}",
        opfs[0]
    );
    assert!(
        opfs[1].contains("<meta property=\"schema:accessibilityHazard\">none</meta>"),
        "{}",
        opfs[1]
    );
}
