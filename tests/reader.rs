//! Whole decks through the library API: `deckconv::reader`.

use std::fs;
use std::path::{Path, PathBuf};

use deckconv::fetch::{FetchOptions, Fetcher};
use deckconv::model::{Deck, DeckOrigin, SlideSource};
use deckconv::reader::{self, Base, Input, MetaOverrides, ReadError};
use url::Url;

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions::default()).unwrap()
}

fn read_path(path: &Path) -> Result<Deck, ReadError> {
    reader::read(
        &Input::Path(path.to_path_buf()),
        &MetaOverrides::default(),
        &fetcher(),
    )
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

fn local(deck: &Deck, index: usize) -> PathBuf {
    match &deck.slides[index].source {
        SlideSource::Local(p) => p.clone(),
        other => panic!("slide {} is not local: {other}", index + 1),
    }
}

fn labels(deck: &Deck) -> Vec<&str> {
    deck.slides.iter().map(|s| s.label.as_str()).collect()
}

fn lines(deck: &Deck) -> Vec<Option<usize>> {
    deck.slides.iter().map(|s| s.line).collect()
}

/// The slides whose links the reader refused, as the errors the run will report for them
/// (with the failures of fetching and probing, once those are known).
fn slide_errors(result: Result<Deck, ReadError>) -> Vec<deckconv::error::SlideError> {
    let deck = result.expect("a deck, its refused links kept as slides");
    deck.slides
        .iter()
        .filter_map(|slide| match &slide.source {
            SlideSource::Refused(reason) => Some(deckconv::error::SlideError::new(
                &deck,
                slide,
                deckconv::fetch::FetchError::Refused(reason.clone()),
            )),
            _ => None,
        })
        .collect()
}

fn deck_error(result: Result<Deck, ReadError>) -> String {
    match result {
        Err(error) => error.to_string(),
        other => panic!("expected a deck error, got {other:?}"),
    }
}

#[test]
fn bundled_example_deck() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018/deck.md");
    let deck = read_path(&path).unwrap();
    assert_eq!(deck.slides.len(), 12);
    let expected: Vec<String> = (4..=15).map(|n| n.to_string()).collect();
    assert_eq!(labels(&deck), expected);
    assert_eq!(deck.meta.title, "0到3000万用户微服务之旅");
    assert_eq!(deck.meta.author_line().as_deref(), Some("陈思远"));
    assert_eq!(
        deck.meta.raw_title.as_deref(),
        Some("可上传_陈思远_0到3000万用户微服务之旅")
    );
    // A local path is nobody else's business: it goes into no output.
    assert_eq!(deck.meta.source, None);
    let expected_lines: Vec<Option<usize>> = (0..12).map(|i| Some(3 + 2 * i)).collect();
    assert_eq!(lines(&deck), expected_lines);
    for (i, slide) in deck.slides.iter().enumerate() {
        assert_eq!(slide.position, i + 1);
        let path = local(&deck, i);
        assert!(path.is_file(), "{} does not exist", path.display());
        assert!(slide.written.starts_with(r"images\673764946qgTHbi\"));
    }
    assert!(local(&deck, 6).ends_with("images/673764946qgTHbi/201905181115_10.jpg"));
}

#[test]
fn seed_style_absolute_urls_separated_by_two_blank_lines() {
    let md = "# 最终版_潘志伟_0到3000万用户微服务之旅\n\n\
        ![](https://raw.githubusercontent.com/h/ms/master/images/094429655AViPzz/201905130944_4.png)\n\n\n\
        ![](https://raw.githubusercontent.com/h/ms/master/images/094429655AViPzz/201905130944_5.png)\n\n\n\
        ![](https://raw.githubusercontent.com/h/ms/master/images/094429655AViPzz/201905130944_6.png)\n";
    let deck = reader::read_markdown_text(
        md,
        DeckOrigin::File("deck.md".into()),
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(labels(&deck), ["4", "5", "6"]);
    assert_eq!(lines(&deck), [Some(3), Some(6), Some(9)]);
    assert_eq!(deck.meta.title, "0到3000万用户微服务之旅");
    assert_eq!(deck.meta.author_line().as_deref(), Some("潘志伟"));
    assert_eq!(
        deck.slides[1].source,
        SlideSource::Remote(
            Url::parse(
                "https://raw.githubusercontent.com/h/ms/master/images/094429655AViPzz/201905130944_5.png"
            )
            .unwrap()
        )
    );
    assert_eq!(deck.location(&deck.slides[2]), "deck.md:9");
}

#[test]
fn windows_relative_paths_escaped_punctuation_and_percent_encoding() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("images/_x/a.png"), b"a");
    write(&dir.path().join("images/-1/b.png"), b"b");
    write(&dir.path().join("images/my slide.png"), b"c");
    write(
        &dir.path().join("images/091009688pTkGBy/201905130910_4.png"),
        b"d",
    );
    write(&dir.path().join("images/100%25.png"), b"e");
    write(&dir.path().join("images/a&b.png"), b"f");
    let md = "# Deck\n\
        ![](images\\_x\\a.png)\n\
        ![](images\\-1\\b.png \"with title\")\n\
        ![](images/my%20slide.png)\n\
        ![](<images/my slide.png>)\n\
        ![](images\\091009688pTkGBy\\201905130910_4.png)\n\
        ![](images/100%25.png)\n\
        <img src=\"images/a&amp;b.png\">\n";
    let deck_path = dir.path().join("deck.md");
    write(&deck_path, md.as_bytes());
    let deck = read_path(&deck_path).unwrap();
    assert_eq!(deck.slides.len(), 7);
    let expect = [
        "images/_x/a.png",
        "images/-1/b.png",
        "images/my slide.png",
        "images/my slide.png",
        "images/091009688pTkGBy/201905130910_4.png",
        // Decoded `100%.png` does not exist, the name as written does.
        "images/100%25.png",
        "images/a&b.png",
    ];
    for (i, rel) in expect.iter().enumerate() {
        assert_eq!(local(&deck, i), dir.path().join(rel), "slide {}", i + 1);
        assert!(local(&deck, i).is_file());
    }
    assert_eq!(deck.slides[0].written, r"images\_x\a.png");
    assert_eq!(deck.slides[1].written, r"images\-1\b.png");
    // Entities decoded: the name as requested.
    assert_eq!(deck.slides[6].written, "images/a&b.png");
    assert_eq!(lines(&deck), (2..=8).map(Some).collect::<Vec<_>>());
    // Stems `a`, `b`, `my slide` have no number: labels are positions.
    assert_eq!(labels(&deck), ["1", "2", "3", "4", "5", "6", "7"]);
}

#[test]
fn file_urls_and_absolute_paths() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("slide 1.png");
    write(&image, b"x");
    let url = Url::from_file_path(&image).unwrap();
    let md = format!(
        "![]({url})\n\n![]({})\n",
        image.display().to_string().replace(' ', "%20")
    );
    let deck = reader::read_markdown_text(
        &md,
        DeckOrigin::Stdin,
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(local(&deck, 0), image);
    assert_eq!(local(&deck, 1), image);
    assert_eq!(deck.meta.title, "Untitled");
    assert_eq!(deck.meta.source, None);
}

#[test]
fn front_matter_wins_and_is_kept_as_written() {
    let md = "---\ntitle: 'Go 2 (1)'\nauthor: Rob Pike\ndate: 2018-10-19\nevent: QCon Shanghai 2018\nlang: en\n---\n\n\
        # 最终版_潘志伟_0到3000万用户微服务之旅\n\n![](a_1.png)\n";
    let deck = reader::read_markdown_text(
        md,
        DeckOrigin::File("talk.md".into()),
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(deck.meta.title, "Go 2 (1)");
    assert_eq!(deck.meta.raw_title.as_deref(), Some("Go 2 (1)"));
    assert_eq!(deck.meta.author_line().as_deref(), Some("Rob Pike"));
    assert_eq!(deck.meta.date.as_deref(), Some("2018-10-19"));
    assert_eq!(deck.meta.event.as_deref(), Some("QCon Shanghai 2018"));
    assert_eq!(deck.meta.lang.as_deref(), Some("en"));
    assert_eq!(lines(&deck), [Some(11)]);
}

#[test]
fn front_matter_author_wins_over_the_speaker_in_the_heading() {
    let md = "---\nauthor: 潘志伟 (Pan Zhiwei)\n---\n# 可上传_陈思远_0到3000万用户微服务之旅\n![](a.png)\n";
    let deck = reader::read_markdown_text(
        md,
        DeckOrigin::Stdin,
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(deck.meta.title, "0到3000万用户微服务之旅");
    assert_eq!(
        deck.meta.author_line().as_deref(),
        Some("潘志伟 (Pan Zhiwei)")
    );
}

#[test]
fn overrides() {
    let md = "# 3-最终版+肖军+万亿级交易量下的苏宁支付平台设计\n![](a.png)\n";
    let read = |overrides: MetaOverrides| {
        reader::read_markdown_text(
            md,
            DeckOrigin::Stdin,
            &Base::Dir(PathBuf::new()),
            &overrides,
        )
        .unwrap()
        .meta
    };
    let meta = read(MetaOverrides::default());
    assert_eq!(meta.title, "万亿级交易量下的苏宁支付平台设计");
    assert_eq!(meta.author_line().as_deref(), Some("肖军"));

    let meta = read(MetaOverrides {
        raw_title: true,
        ..MetaOverrides::default()
    });
    assert_eq!(meta.title, "3-最终版+肖军+万亿级交易量下的苏宁支付平台设计");
    assert!(meta.authors.is_empty());

    let meta = read(MetaOverrides {
        title: Some("T".into()),
        author: Some("A".into()),
        event: Some("E".into()),
        lang: Some("zh-CN".into()),
        raw_title: false,
    });
    assert_eq!(meta.event.as_deref(), Some("E"));
    assert_eq!(
        (meta.title.as_str(), meta.author_line().as_deref()),
        ("T", Some("A"))
    );
    assert_eq!(meta.lang.as_deref(), Some("zh-CN"));
    assert_eq!(
        meta.raw_title.as_deref(),
        Some("3-最终版+肖军+万亿级交易量下的苏宁支付平台设计")
    );
}

#[test]
fn inline_html_images_alt_and_notes() {
    let md = "# Talk\n\
        \n\
        Intro text is not a note.\n\
        \n\
        ![Architecture overview](s_4.png)\n\
        \n\
        The gateway fans out\n\
        to three services.\n\
        \n\
        Second paragraph.\n\
        \n\
        <img src=\"s_5.png\" alt=\"Latency &amp; throughput\">\n\
        \n\
        <p>Some HTML</p>\n\
        \n\
        ## Section heading\n\
        \n\
        Text with <IMG alt='inline' SRC=s_6.png> in it.\n";
    let deck = reader::read_markdown_text(
        md,
        DeckOrigin::File("talk.md".into()),
        &Base::Dir(PathBuf::from("d")),
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(labels(&deck), ["4", "5", "6"]);
    assert_eq!(lines(&deck), [Some(5), Some(12), Some(18)]);
    let alts: Vec<&str> = deck.slides.iter().map(|s| s.alt.as_str()).collect();
    assert_eq!(
        alts,
        ["Architecture overview", "Latency & throughput", "inline"]
    );
    assert_eq!(
        deck.slides[0].notes,
        "The gateway fans out to three services.\n\nSecond paragraph."
    );
    assert_eq!(deck.slides[1].notes, "Text with");
    assert_eq!(deck.slides[2].notes, "in it.");
    assert_eq!(local(&deck, 1), Path::new("d/s_5.png"));
}

#[test]
fn folder_in_natural_order() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("可上传_陈思远_微服务之旅");
    for name in [
        "201905181115_10.jpg",
        "201905181115_4.png",
        "201905181115_9.PNG",
        "201905181115_11.webp",
        ".201905181115_1.png",
        "notes.txt",
        "deck.md",
    ] {
        write(&dir.join(name), b"x");
    }
    fs::create_dir_all(dir.join("sub.png")).unwrap();
    let deck = read_path(&dir).unwrap();
    let written: Vec<&str> = deck.slides.iter().map(|s| s.written.as_str()).collect();
    assert_eq!(
        written,
        [
            "201905181115_4.png",
            "201905181115_9.PNG",
            "201905181115_10.jpg",
            "201905181115_11.webp"
        ]
    );
    assert_eq!(labels(&deck), ["4", "9", "10", "11"]);
    assert_eq!(lines(&deck), [None, None, None, None]);
    assert_eq!(local(&deck, 2), dir.join("201905181115_10.jpg"));
    assert_eq!(deck.meta.title, "微服务之旅");
    assert_eq!(deck.meta.author_line().as_deref(), Some("陈思远"));
    assert_eq!(deck.origin, DeckOrigin::Folder(dir.clone()));
}

#[test]
fn empty_folder_is_a_deck_error() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("readme.txt"), b"x");
    let message = deck_error(read_path(dir.path()));
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("no slides"), "{message}");
}

#[test]
fn list_file_with_comments_and_urls() {
    let dir = tempfile::tempdir().unwrap();
    let list = "# QCon Shanghai 2018 — slides\n\
        a&amp;b_3.png\n\
        \n\
        images\\a\\slide_4.png\n\
        # a comment in between\n\
        https://example.com/x/slide_5.png\n\
        \n\
        \x20 images/slide_6.png  \n";
    let path = dir.path().join("最终版_潘志伟_微服务之旅.txt");
    write(&path, list.as_bytes());
    let deck = read_path(&path).unwrap();
    assert_eq!(lines(&deck), [Some(2), Some(4), Some(6), Some(8)]);
    assert_eq!(labels(&deck), ["3", "4", "5", "6"]);
    // A list is not HTML: `&amp;` is part of the name.
    assert_eq!(local(&deck, 0), dir.path().join("a&amp;b_3.png"));
    assert_eq!(local(&deck, 1), dir.path().join("images/a/slide_4.png"));
    assert_eq!(
        deck.slides[2].source,
        SlideSource::Remote(Url::parse("https://example.com/x/slide_5.png").unwrap())
    );
    assert_eq!(deck.slides[3].written, "images/slide_6.png");
    assert_eq!(deck.meta.title, "微服务之旅");
    assert_eq!(deck.meta.author_line().as_deref(), Some("潘志伟"));
}

#[test]
fn detection_by_content_for_stdin_texts() {
    let base = Base::Dir(PathBuf::new());
    let list = reader::read_text(
        "# comment\nslides/a.png\n",
        DeckOrigin::Stdin,
        &base,
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(list.slides[0].written, "slides/a.png");
    assert_eq!(local(&list, 0), Path::new("slides/a.png"));
    let markdown = reader::read_text(
        "# Title\n\n<img src=\"slides/a.png\">\n",
        DeckOrigin::Stdin,
        &base,
        &MetaOverrides::default(),
    )
    .unwrap();
    assert_eq!(markdown.meta.title, "Title");
    assert_eq!(markdown.slides[0].line, Some(3));
    // A heading-only Markdown text has no slides, whatever it is read as.
    assert!(matches!(
        reader::read_text(
            "# Title\n",
            DeckOrigin::Stdin,
            &base,
            &MetaOverrides::default()
        ),
        Err(ReadError::NoSlides { .. })
    ));
}

#[test]
fn labels_fall_back_to_positions() {
    let base = Base::Dir(PathBuf::new());
    let read = |md: &str| {
        reader::read_markdown_text(md, DeckOrigin::Stdin, &base, &MetaOverrides::default()).unwrap()
    };
    // Duplicate numbers.
    assert_eq!(
        labels(&read("![](a/s_4.png)\n![](b/s_4.png)\n")),
        ["1", "2"]
    );
    // One slide without a number.
    assert_eq!(labels(&read("![](s_4.png)\n![](cover.png)\n")), ["1", "2"]);
    // Dashes and spaces count too.
    assert_eq!(
        labels(&read("![](s-7.png)\n![](<slide 8.png>)\n")),
        ["7", "8"]
    );
}

#[test]
fn remote_deck_resolves_against_its_url() {
    let url = Url::parse("https://example.com/Qcon/%E6%9C%80%E7%BB%88%E7%89%88_%E6%BD%98%E5%BF%97%E4%BC%9F_%E5%BE%AE%E6%9C%8D%E5%8A%A1.md").unwrap();
    let md = "![](images\\091009688pTkGBy\\201905130910_4.png)\n\
        ![](/abs/201905130910_5.png)\n\
        ![](https://cdn.example.org/201905130910_6.png)\n";
    let deck = reader::read_text(
        md,
        DeckOrigin::Url(url.clone()),
        &Base::Url(url.clone()),
        &MetaOverrides::default(),
    )
    .unwrap();
    let sources: Vec<String> = deck.slides.iter().map(|s| s.source.to_string()).collect();
    assert_eq!(
        sources,
        [
            "https://example.com/Qcon/images/091009688pTkGBy/201905130910_4.png",
            "https://example.com/abs/201905130910_5.png",
            "https://cdn.example.org/201905130910_6.png",
        ]
    );
    assert_eq!(labels(&deck), ["4", "5", "6"]);
    assert_eq!(deck.meta.title, "微服务");
    assert_eq!(deck.meta.author_line().as_deref(), Some("潘志伟"));
    assert_eq!(deck.meta.source.as_deref(), Some(url.as_str()));
}

#[test]
fn remote_deck_may_not_reference_local_files() {
    let url = Url::parse("https://example.com/talks/deck.md").unwrap();
    let md = "# T\n\n![](ok.png)\n\n![](file:///etc/passwd)\n\n![](C:\\slides\\a.png)\n\n![](https://x.org/b.png)\n\n![](\\\\server\\share\\c.png)\n";
    let errors = slide_errors(reader::read_text(
        md,
        DeckOrigin::Url(url.clone()),
        &Base::Url(url),
        &MetaOverrides::default(),
    ));
    let summary: Vec<(usize, &str, &str)> = errors
        .iter()
        .map(|e| (e.position, e.written.as_str(), e.location.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                2,
                "file:///etc/passwd",
                "https://example.com/talks/deck.md:5"
            ),
            (3, r"C:\slides\a.png", "https://example.com/talks/deck.md:7"),
            (
                5,
                r"\\server\share\c.png",
                "https://example.com/talks/deck.md:11"
            ),
        ]
    );
    for error in &errors {
        assert!(error.cause.to_string().contains("only http(s)"), "{error}");
        assert!(error
            .to_string()
            .starts_with(&format!("slide {}", error.position)));
    }
}

#[test]
fn unfetchable_remote_deck_is_a_deck_error_naming_the_url() {
    // Port 9 (discard) on loopback: nothing listens, so the fetch fails fast.
    let url = Url::parse("http://127.0.0.1:9/deck.md").unwrap();
    let result = reader::read(&Input::Url(url), &MetaOverrides::default(), &fetcher());
    let message = deck_error(result);
    assert!(message.contains("http://127.0.0.1:9/deck.md"), "{message}");
}

#[test]
fn missing_and_empty_decks() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.md");
    let message = deck_error(read_path(&missing));
    assert!(
        message.contains("nope.md") && message.contains("no such file"),
        "{message}"
    );

    let empty = dir.path().join("empty.md");
    write(&empty, b"  \n\n");
    let message = deck_error(read_path(&empty));
    assert!(
        message.contains("empty.md") && message.contains("empty"),
        "{message}"
    );

    let no_images = dir.path().join("text.md");
    write(&no_images, b"# Title\n\nJust words.\n");
    let message = deck_error(read_path(&no_images));
    assert!(
        message.contains("text.md") && message.contains("no slides"),
        "{message}"
    );
}

#[test]
fn invalid_front_matter_names_the_deck() {
    let message = deck_error(reader::read_markdown_text(
        "---\ntitle: [unclosed\n---\n# T\n",
        DeckOrigin::File("deck.md".into()),
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    ));
    assert!(message.starts_with("deck.md:1: front matter"), "{message}");
}

#[test]
fn empty_destinations_are_slide_errors() {
    let errors = slide_errors(reader::read_markdown_text(
        "![](a_1.png)\n\n![]()\n\n![](<>)\n",
        DeckOrigin::File("deck.md".into()),
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    ));
    let positions: Vec<(usize, &str)> = errors
        .iter()
        .map(|e| (e.position, e.location.as_str()))
        .collect();
    assert_eq!(positions, [(2, "deck.md:3"), (3, "deck.md:5")]);
}

#[test]
fn utf16_and_bom_decks() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# 标题\r\n\r\n![](a_4.png)\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let path = dir.path().join("utf16.md");
    write(&path, &utf16);
    let deck = read_path(&path).unwrap();
    assert_eq!(deck.meta.title, "标题");
    assert_eq!(lines(&deck), [Some(3)]);

    let path = dir.path().join("bom.md");
    write(&path, format!("\u{FEFF}{text}").as_bytes());
    let deck = read_path(&path).unwrap();
    assert_eq!(deck.meta.title, "标题");
    assert_eq!(lines(&deck), [Some(3)]);
}

#[test]
fn garbage_input_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    binary.extend_from_slice(b"![](\x00\xff)");
    let long_line = format!("![]({}.png)", "a".repeat(1024 * 1024));
    let long_text = "x".repeat(1024 * 1024);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("binary.md", binary.clone()),
        ("binary.bin", binary),
        ("long_image.md", long_line.into_bytes()),
        ("long_text.txt", long_text.into_bytes()),
        (
            "brackets.md",
            b"![[[[[(((((<<<< ![](( ![]( <img src= <img src=\"".to_vec(),
        ),
        ("nested.md", "[".repeat(100_000).into_bytes()),
        ("nested_images.md", "![".repeat(20_000).into_bytes()),
        ("front.md", b"---\n---\n---\n".to_vec()),
        ("front_open.md", b"---\ntitle: x\n![](a.png)\n".to_vec()),
        (
            "html.md",
            b"<img src='a.png' alt=\"\n<!-- <img src=b.png\n".to_vec(),
        ),
        ("setext.md", b"\n=\n-\n#\n# \n![](a.png)".to_vec()),
        ("utf16_odd.md", vec![0xFF, 0xFE, b'#', 0, b' ']),
        (
            "long_title.md",
            format!("# {}\n![](a.png)\n", "1_(".repeat(300_000)).into_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        write(&path, &bytes);
        // Ok or Err, never a panic.
        let _ = read_path(&path);
    }
}

// --- Titles, speakers and events of real decks ---------------------------------------------

/// Letters and digits only: "right ignoring punctuation and spacing".
fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// The whole reader path for one real deck: its H1 as the heading (none when the labelled text
/// is itself a file name), its file name as the origin.
fn meta_of(h1: Option<&str>, file_name: &str) -> deckconv::model::DeckMeta {
    let md = match h1 {
        Some(h1) => format!("# {h1}\n\n![](slide_1.png)\n"),
        None => "![](slide_1.png)\n".to_string(),
    };
    let origin = DeckOrigin::File(PathBuf::from("decks").join(file_name));
    reader::read_markdown_text(
        &md,
        origin,
        &Base::Dir(PathBuf::from("decks")),
        &MetaOverrides::default(),
    )
    .unwrap()
    .meta
}

/// How the reader does on a labelled set (rows `raw, title, authors (、-joined), source`; a
/// source `owner/repo:path` means the raw text is a deck's file name, otherwise it is the H1
/// and the source's last segment the file name): rows, titles right ignoring punctuation,
/// titles exact, authors right, and a report of every deck read wrong.
struct Score {
    rows: usize,
    loose_ok: usize,
    exact_ok: usize,
    authors_ok: usize,
    report: String,
}

fn score(tsv: &str) -> Score {
    score_in_folders(tsv, None)
}

/// As [`score`]; with `folders`, each file-name row is a real file in a folder of that root
/// holding the other rows from the same source folder, so the reader sees its siblings as a
/// collection's folder shows them (the sets hold a sample of each folder, 12 names at most).
/// The folder part of a source `owner/repo:path/to/deck.pdf`.
fn folder_of(source: &str) -> &str {
    source.rsplit_once('/').map_or(source, |(dir, _)| dir)
}

fn score_in_folders(tsv: &str, folders: Option<&Path>) -> Score {
    let mut score = Score {
        rows: 0,
        loose_ok: 0,
        exact_ok: 0,
        authors_ok: 0,
        report: String::new(),
    };
    let rows: Vec<[&str; 4]> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let [raw, title, authors, source, ..] = cols[..] else {
                return None;
            };
            Some([raw, title, authors, source.trim_end_matches("[FN]").trim()])
        })
        .collect();
    let file_name_of = |source: &str| source.rsplit('/').next().unwrap_or(source).to_string();
    for &[raw, want_title, want_authors, source] in &rows {
        let file_row = source.contains(':');
        let meta = match folders {
            Some(root) if file_row => {
                let folder = folder_of(source);
                let siblings: Vec<String> = rows
                    .iter()
                    .filter(|r| folder_of(r[3]) == folder)
                    .map(|r| format!("{}.md", r[0]))
                    .collect();
                read_in_folder(
                    &root.join(folder.replace([':', '/'], "_")),
                    &format!("{raw}.md"),
                    "![](slide_1.png)\n",
                    &siblings,
                )
            }
            // A heading row: its deck file in one folder with the set's other heading rows'.
            Some(root) => {
                let siblings: Vec<String> = rows
                    .iter()
                    .filter(|r| !r[3].contains(':'))
                    .map(|r| file_name_of(r[3]))
                    .collect();
                read_in_folder(
                    &root.join("headings"),
                    &file_name_of(source),
                    &format!("# {raw}\n\n![](slide_1.png)\n"),
                    &siblings,
                )
            }
            None if file_row => meta_of(None, &format!("{raw}.md")),
            None => meta_of(Some(raw), &file_name_of(source)),
        };
        let want: Vec<&str> = want_authors.split('、').filter(|a| !a.is_empty()).collect();
        let got_authors: Vec<&str> = meta.authors.iter().map(String::as_str).collect();
        score.rows += 1;
        let exact = meta.title == want_title;
        let close = loose(&meta.title) == loose(want_title);
        let authors = got_authors == want;
        score.exact_ok += usize::from(exact);
        score.loose_ok += usize::from(close);
        score.authors_ok += usize::from(authors);
        if !(exact && authors) {
            score.report.push_str(&format!(
                "  {raw}\n    title   want `{want_title}` got `{}`{}\n    authors want {want:?} got {got_authors:?}\n    {}\n",
                meta.title,
                if close && !exact { " (right but for punctuation)" } else { "" },
                meta.title_notes.join(" | ")
            ));
        }
    }
    score
}

impl Score {
    fn summary(&self) -> String {
        let pct = |n: usize| n as f64 * 100.0 / self.rows.max(1) as f64;
        format!(
            "{} decks, titles {:.1}% ({}) ignoring punctuation, {:.1}% ({}) exact, authors {:.1}% ({})",
            self.rows,
            pct(self.loose_ok),
            self.loose_ok,
            pct(self.exact_ok),
            self.exact_ok,
            pct(self.authors_ok),
            self.authors_ok
        )
    }
}

#[test]
fn dev_set_of_real_decks() {
    let Score {
        rows,
        loose_ok,
        exact_ok,
        authors_ok,
        ref report,
    } = score(include_str!("data/titles-dev.tsv"));
    assert_eq!(rows, 44, "the dev set has 44 decks");
    assert!(
        loose_ok * 10 >= rows * 9 && exact_ok * 10 >= rows * 8 && authors_ok * 10 >= rows * 9,
        "scores below the bar:\n{report}"
    );
    // Not only above the bar: every dev deck is right.
    assert!(report.is_empty(), "decks read wrong:\n{report}");
}

/// The labelled sets in `tests/data` guided rules once measured, so their scores are no
/// estimate of accuracy on unseen decks (the README's tables are); here they are a floor: a
/// change that reads wrong a deck these rules read right fails, and every name is read without
/// a panic. Floors: rows, then rows right (titles ignoring punctuation, exact titles,
/// authors) when the seventh round's rules were final (sets 23 and 24: the eighth's).
#[test]
fn labelled_sets_do_not_regress() {
    let sets: &[(&str, &str, [usize; 4])] = &[
        (
            "heldout3",
            include_str!("data/titles-heldout3.tsv"),
            [93, 93, 93, 93],
        ),
        (
            "heldout4",
            include_str!("data/titles-heldout4.tsv"),
            [40, 40, 40, 40],
        ),
        (
            "heldout5",
            include_str!("data/titles-heldout5.tsv"),
            [30, 30, 30, 30],
        ),
        (
            "heldout6",
            include_str!("data/titles-heldout6.tsv"),
            [66, 66, 66, 66],
        ),
        (
            "heldout7",
            include_str!("data/titles-heldout7.tsv"),
            [30, 30, 30, 30],
        ),
        (
            "heldout8",
            include_str!("data/titles-heldout8.tsv"),
            [88, 88, 88, 88],
        ),
        (
            "heldout9",
            include_str!("data/titles-heldout9.tsv"),
            [45, 45, 45, 45],
        ),
        (
            "heldout10",
            include_str!("data/titles-heldout10.tsv"),
            [50, 48, 48, 49],
        ),
        (
            "heldout11",
            include_str!("data/titles-heldout11.tsv"),
            [95, 81, 77, 89],
        ),
        (
            "heldout12",
            include_str!("data/titles-heldout12.tsv"),
            [95, 75, 72, 82],
        ),
        (
            "heldout13",
            include_str!("data/titles-heldout13.tsv"),
            [93, 77, 74, 79],
        ),
        (
            "heldout14",
            include_str!("data/titles-heldout14.tsv"),
            [62, 54, 51, 57],
        ),
        (
            "heldout15",
            include_str!("data/titles-heldout15.tsv"),
            [98, 81, 79, 84],
        ),
        (
            "heldout16",
            include_str!("data/titles-heldout16.tsv"),
            [82, 66, 63, 66],
        ),
        (
            "heldout17",
            include_str!("data/titles-heldout17.tsv"),
            [71, 62, 57, 67],
        ),
        (
            "heldout18",
            include_str!("data/titles-heldout18.tsv"),
            [108, 69, 63, 80],
        ),
        (
            "heldout19",
            include_str!("data/titles-heldout19.tsv"),
            [25, 14, 14, 22],
        ),
        (
            "heldout20",
            include_str!("data/titles-heldout20.tsv"),
            [89, 72, 67, 86],
        ),
        (
            "heldout21",
            include_str!("data/titles-heldout21.tsv"),
            [61, 47, 46, 57],
        ),
        (
            "heldout22",
            include_str!("data/titles-heldout22.tsv"),
            [25, 24, 24, 24],
        ),
        (
            "heldout23",
            include_str!("data/titles-heldout23.tsv"),
            [72, 55, 53, 61],
        ),
        (
            "heldout24",
            include_str!("data/titles-heldout24.tsv"),
            [75, 50, 47, 69],
        ),
        (
            "heldout25",
            include_str!("data/titles-heldout25.tsv"),
            [16, 14, 13, 16],
        ),
        (
            "heldout26",
            include_str!("data/titles-heldout26.tsv"),
            [66, 41, 34, 62],
        ),
        (
            "heldout27",
            include_str!("data/titles-heldout27.tsv"),
            [39, 31, 30, 37],
        ),
        (
            "heldout28",
            include_str!("data/titles-heldout28.tsv"),
            [51, 36, 34, 43],
        ),
        (
            "heldout29",
            include_str!("data/titles-heldout29.tsv"),
            [111, 100, 90, 102],
        ),
        (
            "heldout30",
            include_str!("data/titles-heldout30.tsv"),
            [60, 60, 58, 60],
        ),
        (
            "heldout31",
            include_str!("data/titles-heldout31.tsv"),
            [116, 103, 101, 106],
        ),
        (
            "heldout32",
            include_str!("data/titles-heldout32.tsv"),
            [118, 103, 94, 107],
        ),
        (
            "heldout34",
            include_str!("data/titles-heldout34.tsv"),
            [119, 99, 94, 104],
        ),
        (
            "heldout35",
            include_str!("data/titles-heldout35.tsv"),
            [107, 103, 101, 103],
        ),
        (
            "heldout36",
            include_str!("data/titles-heldout36.tsv"),
            [99, 90, 88, 89],
        ),
        (
            "heldout37",
            include_str!("data/titles-heldout37.tsv"),
            [88, 82, 78, 73],
        ),
    ];
    let mut below = Vec::new();
    for (name, tsv, [rows, loose, exact, authors]) in sets {
        let s = score(tsv);
        assert_eq!(s.rows, *rows, "{name}: rows");
        if s.loose_ok < *loose || s.exact_ok < *exact || s.authors_ok < *authors {
            below.push(format!(
                "{name}: {} (floor {loose} / {exact} / {authors})\n{}",
                s.summary(),
                s.report
            ));
        }
    }
    assert!(below.is_empty(), "below the floor:\n{}", below.join("\n"));
}

/// Scores labelled sets kept outside the repository (a held-out score is a measurement, not a
/// pass/fail check): `TITLES_TSV=a.tsv:b.tsv cargo test --test integration
/// reader::title_scores -- --ignored --nocapture`.
#[test]
#[ignore]
fn title_scores() {
    let paths = std::env::var("TITLES_TSV").expect("TITLES_TSV=a.tsv:b.tsv");
    // `TITLES_IN_FOLDERS=1`: each deck read from a folder beside the set's other decks from
    // its source folder.
    let in_folders = std::env::var_os("TITLES_IN_FOLDERS").is_some();
    for path in paths.split(':').filter(|p| !p.is_empty()) {
        let tsv = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = tempfile::tempdir().unwrap();
        let score = score_in_folders(&tsv, in_folders.then(|| root.path()));
        eprintln!("{path}: {}\n{}", score.summary(), score.report);
    }
}

#[test]
fn held_out_style_decks_from_the_issue() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "10.19 宴会厅2 下午第三场 王强-ApacheRocketMQ事务消息",
            "10.19 宴会厅2 下午第三场 王强-ApacheRocketMQ事务消息.md",
            "ApacheRocketMQ事务消息",
            &["王强"],
        ),
        (
            "keshangchuan程怡-百度DStream3",
            "keshangchuan程怡-百度DStream3.md",
            "百度DStream3",
            &["程怡"],
        ),
        (
            "20上2",
            "工业互联网平台的架构实践.md",
            "工业互联网平台的架构实践",
            &[],
        ),
        (
            "杨含飞-终稿",
            "【可以公开】基于Kubernetes的DevOps实践.md",
            "基于Kubernetes的DevOps实践",
            &["杨含飞"],
        ),
        (
            "Neal_Ford-拥抱变化：演进式架构",
            "Neal_Ford-拥抱变化：演进式架构.md",
            "拥抱变化：演进式架构",
            &["Neal Ford"],
        ),
        (
            "【可以公开】19日下2廖雪梅-技术管理的坑与路-修改后发布",
            "x.md",
            "技术管理的坑与路",
            &["廖雪梅"],
        ),
        (
            "可发布版本-张夏-赵明-微服务治理实践(重要)",
            "x.md",
            "微服务治理实践",
            &["张夏", "赵明"],
        ),
        (
            "QCon上海2018-《Jun+Rao+on+Kafka》-Jun+Rao",
            "x.md",
            "Jun Rao on Kafka",
            &["Jun Rao"],
        ),
    ];
    for (h1, file, title, authors) in cases {
        let meta = meta_of(Some(h1), file);
        assert_eq!(
            (
                meta.title.as_str(),
                meta.authors.iter().map(String::as_str).collect::<Vec<_>>()
            ),
            (*title, authors.to_vec()),
            "{h1}: {}",
            meta.title_notes.join(" | ")
        );
    }
    let meta = meta_of(Some("QCon北京2018-《TiDB架构与开源之路》-申砾"), "x.md");
    assert_eq!(meta.event.as_deref(), Some("QCon北京2018"));
}

#[test]
fn front_matter_and_flags_beat_the_file_name() {
    let read = |md: &str, overrides: MetaOverrides| {
        reader::read_markdown_text(
            md,
            DeckOrigin::File(PathBuf::from("产品经理必修之用户细分与产品定位.md")),
            &Base::Dir(PathBuf::new()),
            &overrides,
        )
        .unwrap()
        .meta
    };
    let md = "# 【可以公开】18下1_袁店明\n![](a.png)\n";
    let meta = read(md, MetaOverrides::default());
    assert_eq!(meta.title, "产品经理必修之用户细分与产品定位");
    assert_eq!(meta.authors, ["袁店明"]);
    assert!(
        meta.title_notes.iter().any(|n| n.contains("names no talk")),
        "{:?}",
        meta.title_notes
    );
    let fm =
        "---\ntitle: 用户细分\nevent: QCon上海2018\n---\n# 【可以公开】18下1_袁店明\n![](a.png)\n";
    let meta = read(fm, MetaOverrides::default());
    assert_eq!(meta.title, "用户细分");
    assert_eq!(meta.event.as_deref(), Some("QCon上海2018"));
    let meta = read(
        fm,
        MetaOverrides {
            title: Some("T".into()),
            author: Some("A".into()),
            event: Some("E".into()),
            ..MetaOverrides::default()
        },
    );
    assert_eq!(
        (
            meta.title.as_str(),
            meta.author_line().as_deref(),
            meta.event.as_deref()
        ),
        ("T", Some("A"), Some("E"))
    );
    let meta = read(
        md,
        MetaOverrides {
            raw_title: true,
            ..MetaOverrides::default()
        },
    );
    assert_eq!(meta.title, "【可以公开】18下1_袁店明");
}

#[test]
fn decks_in_legacy_encodings_and_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# QCon北京2018-《TiDB架构与开源之路》-申砾\n\n![幻灯片](a.png)\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("gbk.md", encoding_rs::GBK.encode(text).0.into_owned()),
        (
            "gb18030.md",
            encoding_rs::GB18030.encode(text).0.into_owned(),
        ),
        (
            "utf16le.md",
            text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ),
        (
            "utf16be-bom.md",
            [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
        ),
        (
            "utf8-bom.md",
            [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect(),
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        write(&path, &bytes);
        let deck = read_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(deck.meta.title, "TiDB架构与开源之路", "{name}");
        assert_eq!(deck.slides[0].alt, "幻灯片", "{name}");
    }
    let big5 = "# 微服務架構的過去、現在與未來-王大明\n\n![](a.png)\n";
    let path = dir.path().join("big5.md");
    write(&path, &encoding_rs::BIG5.encode(big5).0);
    assert_eq!(
        read_path(&path).unwrap().meta.title,
        "微服務架構的過去、現在與未來"
    );

    let path = dir.path().join("garbage.md");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    write(&path, &garbage);
    let message = deck_error(read_path(&path));
    assert!(
        message.contains("garbage.md") && message.contains("encoding"),
        "{message}"
    );
}

#[test]
fn file_stem_alt_texts_are_dropped() {
    let md = "# T\n![qcon_2018_1](qcon_2018_1.png)\n![img1](b.png)\n![架构图](c.png)\n";
    let deck = reader::read_markdown_text(
        md,
        DeckOrigin::Stdin,
        &Base::Dir(PathBuf::new()),
        &MetaOverrides::default(),
    )
    .unwrap();
    let alts: Vec<&str> = deck.slides.iter().map(|s| s.alt.as_str()).collect();
    assert_eq!(alts, ["", "", "架构图"]);
}

/// Reads the deck `file_name` (written with `md`) from `dir`, with empty decks `siblings`
/// beside it.
fn read_in_folder(
    dir: &Path,
    file_name: &str,
    md: &str,
    siblings: &[String],
) -> deckconv::model::DeckMeta {
    fs::create_dir_all(dir).unwrap();
    for sibling in siblings {
        let path = dir.join(sibling);
        if !path.exists() {
            fs::write(path, "").unwrap();
        }
    }
    let path = dir.join(file_name);
    fs::write(&path, md).unwrap();
    reader::read_markdown_text(
        md,
        DeckOrigin::File(path),
        &Base::Dir(dir.to_path_buf()),
        &MetaOverrides::default(),
    )
    .unwrap()
    .meta
}

/// Reads the one-slide deck `name.md` from `dir`, beside the decks `siblings` (names without
/// `.md`).
fn meta_in_folder(dir: &Path, name: &str, siblings: &[&str]) -> deckconv::model::DeckMeta {
    let siblings: Vec<String> = siblings.iter().map(|s| format!("{s}.md")).collect();
    read_in_folder(dir, &format!("{name}.md"), "![](slide_1.png)\n", &siblings)
}

#[test]
fn a_folder_of_decks_names_its_collection() {
    let dir = tempfile::tempdir().unwrap();
    // A series nobody listed, shared by the folder's decks.
    let siblings = [
        "techtalk-20210304-raft-elections",
        "techtalk-20210311-bloom-filters",
        "techtalk-20210318-lsm-compaction",
        "techtalk-20210325-write-ahead-logs",
    ];
    let meta = meta_in_folder(dir.path(), "techtalk-20210401-mvcc-snapshots", &siblings);
    assert_eq!(
        meta.title,
        "mvcc snapshots",
        "{}",
        meta.title_notes.join(" | ")
    );
    assert!(
        meta.title_notes
            .iter()
            .any(|n| n.contains("`techtalk` as shared by the folder's decks")),
        "{}",
        meta.title_notes.join(" | ")
    );
    // Alone, the series' name is read as the talk's.
    let alone = tempfile::tempdir().unwrap();
    let meta = meta_in_folder(alone.path(), "techtalk-20210401-mvcc-snapshots", &[]);
    assert_ne!(meta.title, "mvcc snapshots");
}

#[test]
fn a_speakers_own_folder_keeps_the_speaker() {
    let dir = tempfile::tempdir().unwrap();
    let siblings = [
        "周立新-分布式事务",
        "周立新-一致性哈希",
        "周立新-服务发现",
        "周立新-限流与熔断",
    ];
    let meta = meta_in_folder(dir.path(), "周立新-链路追踪实践", &siblings);
    assert_eq!(
        (meta.title.as_str(), meta.authors.clone()),
        ("链路追踪实践", vec!["周立新".to_string()])
    );
}

#[test]
fn a_course_folder_keeps_the_course_name() {
    // Every deck of a course shares its name and differs only by the week: the shared words
    // are the title, not a collection's.
    let dir = tempfile::tempdir().unwrap();
    let siblings: Vec<String> = (1..=4)
        .map(|week| format!("Compilers_Fall_{week}주차"))
        .collect();
    let siblings: Vec<&str> = siblings.iter().map(String::as_str).collect();
    let meta = meta_in_folder(dir.path(), "Compilers_Fall_5주차", &siblings);
    assert_eq!(
        meta.title,
        "Compilers Fall",
        "{}",
        meta.title_notes.join(" | ")
    );
}
