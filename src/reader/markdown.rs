//! Markdown slide lists: front matter, the first H1, and every image in document order with
//! its alt text and the paragraphs after it (the slide's notes).

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::RawSlide;
use crate::script::is_cjk;

/// What a Markdown deck says about itself, before sources are resolved.
#[derive(Debug, Default)]
pub(crate) struct MarkdownDeck {
    pub front: FrontMatter,
    /// The first H1 as written (markup and all) and as plain text.
    pub heading: Option<Heading>,
    pub slides: Vec<RawSlide>,
}

#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub source: String,
    pub text: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub event: Option<String>,
    pub lang: Option<String>,
}

/// A slide's notes are cut here (and end with `…`): speaker notes are a few paragraphs, and
/// megabytes of text after one image would only be laid out, embedded and searched for
/// glyphs by every writer.
pub(crate) const MAX_NOTES_BYTES: usize = 64 * 1024;

/// Stands for a soft line break until a paragraph is finished: it becomes a space, or nothing
/// between two CJK characters (a line break inside Chinese text is not a word break).
const SOFT_BREAK: char = '\u{E000}';

/// Parse a Markdown deck. `Err` only for front matter that is clearly meant as such but is not
/// valid YAML; the message is prefixed with the line by the caller.
pub(crate) fn parse(text: &str) -> Result<MarkdownDeck, (usize, String)> {
    let lines = LineIndex::new(text);
    let (front, body_start) = front_matter(text)?;
    let body = &text[body_start..];

    let mut deck = MarkdownDeck {
        front,
        ..MarkdownDeck::default()
    };
    let mut iter = Parser::new_ext(body, Options::empty()).into_offset_iter();
    let mut state = State::default();

    while let Some((event, range)) = iter.next() {
        if deck.slides.len() > super::MAX_SLIDES {
            // The caller refuses the deck; reading on would only cost memory.
            break;
        }
        let at = |offset: usize| lines.line_of(body_start + offset);
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            }) => {
                if state.image_depth == 0 {
                    let raw = match link_type {
                        LinkType::Inline => body
                            .get(range.clone())
                            .and_then(inline_destination)
                            .map(|(d, _)| d),
                        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => iter
                            .reference_definitions()
                            .get(&id)
                            .and_then(|def| body.get(def.span.clone()))
                            .and_then(reference_destination),
                        _ => None,
                    };
                    let written = choose_destination(raw, &dest_url);
                    state.start_slide(&mut deck.slides, written, at(range.start));
                }
                state.image_depth += 1;
            }
            Event::End(TagEnd::Image) => {
                state.image_depth = state.image_depth.saturating_sub(1);
                if state.image_depth == 0 {
                    if let Some(slide) = deck.slides.last_mut() {
                        slide.alt = finish_text(&state.alt);
                    }
                    state.alt.clear();
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                state.flush(&mut deck.slides);
                let is_title = level == HeadingLevel::H1 && deck.heading.is_none();
                state.heading = Some(HeadingCapture {
                    is_title,
                    text: String::new(),
                    range: range.clone(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(capture) = state.heading.take() {
                    if capture.is_title {
                        let text = finish_text(&capture.text);
                        let source = heading_source(body.get(capture.range).unwrap_or(""));
                        if !text.is_empty() || !source.is_empty() {
                            deck.heading = Some(Heading { source, text });
                        }
                    }
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                state.flush(&mut deck.slides);
                // The whole block at once: one `<img>` tag may span several of its lines.
                let html = body.get(range.clone()).unwrap_or("");
                for tag in img_tags(html) {
                    state.start_slide(&mut deck.slides, tag.src, at(range.start + tag.offset));
                    if let Some(slide) = deck.slides.last_mut() {
                        slide.alt = tag.alt;
                    }
                }
                state.in_html_block = true;
            }
            Event::End(TagEnd::HtmlBlock) => state.in_html_block = false,
            Event::Html(_) => {}
            Event::InlineHtml(html) => {
                for tag in img_tags(&html) {
                    state.start_slide(&mut deck.slides, tag.src, at(range.start + tag.offset));
                    if let Some(slide) = deck.slides.last_mut() {
                        slide.alt = tag.alt;
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => state.push_text(&t),
            Event::SoftBreak => state.push_char(SOFT_BREAK),
            Event::HardBreak => state.push_char('\n'),
            Event::Start(tag) if is_block(&tag) => state.flush(&mut deck.slides),
            Event::End(tag) if is_block_end(&tag) => state.flush(&mut deck.slides),
            _ => {}
        }
    }
    state.flush(&mut deck.slides);
    Ok(deck)
}

#[derive(Default)]
struct State {
    image_depth: usize,
    alt: String,
    heading: Option<HeadingCapture>,
    in_html_block: bool,
    /// Text of the block being read, for the current slide's notes.
    block: String,
}

struct HeadingCapture {
    is_title: bool,
    text: String,
    range: Range<usize>,
}

impl State {
    fn start_slide(&mut self, slides: &mut Vec<RawSlide>, written: String, line: usize) {
        // Text before an image in the same paragraph belongs to the previous slide.
        self.flush(slides);
        slides.push(RawSlide {
            written,
            line: Some(line),
            alt: String::new(),
            notes: String::new(),
        });
    }

    fn push_text(&mut self, text: &str) {
        if self.image_depth > 0 {
            self.alt.push_str(text);
        } else if let Some(heading) = &mut self.heading {
            // Only the title heading is kept; other headings are section names, not notes.
            if heading.is_title {
                heading.text.push_str(text);
            }
        } else if !self.in_html_block && self.block.len() <= MAX_NOTES_BYTES {
            self.block.push_str(text);
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_text(c.encode_utf8(&mut buf));
    }

    fn flush(&mut self, slides: &mut [RawSlide]) {
        let text = finish_text(&self.block);
        self.block.clear();
        if text.is_empty() {
            return;
        }
        if let Some(slide) = slides.last_mut() {
            if slide.notes.len() > MAX_NOTES_BYTES {
                return;
            }
            if !slide.notes.is_empty() {
                slide.notes.push_str("\n\n");
            }
            slide.notes.push_str(&text);
            if slide.notes.len() > MAX_NOTES_BYTES {
                let mut end = MAX_NOTES_BYTES;
                while !slide.notes.is_char_boundary(end) {
                    end -= 1;
                }
                slide.notes.truncate(end);
                slide.notes.push('…');
            }
        }
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_)
    )
}

/// Soft breaks resolved, lines trimmed, the whole trimmed.
fn finish_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.char_indices() {
        if c != SOFT_BREAK {
            out.push(c);
            continue;
        }
        let before = out.trim_end().chars().next_back();
        let after = raw[i + c.len_utf8()..]
            .chars()
            .find(|&c| !c.is_whitespace() && c != SOFT_BREAK);
        let joins_cjk = before.is_some_and(is_cjk) && after.is_some_and(is_cjk);
        if !joins_cjk {
            out.push(' ');
        }
    }
    out.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The title as written: ATX markers or the setext underline removed.
fn heading_source(source: &str) -> String {
    let source = source.trim();
    if source.starts_with('#') {
        let text = source.trim_start_matches('#').trim();
        // A closing sequence counts only after a space (`# C#` keeps its `#`).
        let without_closing = text.trim_end_matches('#');
        if without_closing.len() < text.len()
            && (without_closing.is_empty() || without_closing.ends_with([' ', '\t']))
        {
            return without_closing.trim().to_string();
        }
        return text.to_string();
    }
    let mut lines: Vec<&str> = source.lines().map(str::trim).collect();
    if lines
        .last()
        .is_some_and(|l| !l.is_empty() && l.chars().all(|c| c == '=' || c == '-'))
    {
        lines.pop();
    }
    lines.join(" ").trim().to_string()
}

/// Prefer the destination as written in the source (backslashes kept as path separators), but
/// only if it agrees with the parser's destination once Markdown escapes and entities are
/// applied; otherwise the source scan misread something and the parser is right.
fn choose_destination(raw: Option<String>, parsed: &str) -> String {
    match raw {
        Some(raw) if commonmark_unescape(&html_escape::decode_html_entities(&raw)) == parsed => raw,
        _ => parsed.to_string(),
    }
}

fn commonmark_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_punctuation() {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// `![alt](dest "title")` as written → the destination text and its title, if any.
pub(crate) fn inline_destination(source: &str) -> Option<(String, Option<String>)> {
    let rest = source.strip_prefix("![")?;
    let close = matching_bracket(rest)?;
    let after = rest.get(close + 1..)?.strip_prefix('(')?;
    let after = skip_space(after);
    let (dest, rest) = destination(after, true)?;
    let rest = skip_space(rest);
    let title = link_title(rest);
    Some((dest, title))
}

/// `[label]: dest "title"` as written → the destination text.
fn reference_destination(source: &str) -> Option<String> {
    let start = source.find('[')?;
    let rest = &source[start + 1..];
    let close = matching_bracket(rest)?;
    let after = rest.get(close + 1..)?.strip_prefix(':')?;
    destination(skip_space(after), false).map(|(d, _)| d)
}

/// Index of the `]` that closes the bracket already opened, honouring nesting and `\]`.
fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn skip_space(s: &str) -> &str {
    s.trim_start_matches([' ', '\t', '\r', '\n'])
}

/// A link destination: `<...>` or a run without spaces (and, inline, with balanced parentheses).
/// Backslashes are kept: they are path separators in the decks this reads.
fn destination(s: &str, inline: bool) -> Option<(String, &str)> {
    if let Some(inner) = s.strip_prefix('<') {
        let mut escaped = false;
        for (i, c) in inner.char_indices() {
            match c {
                '\n' | '<' if !escaped => return None,
                '>' if !escaped => return Some((inner[..i].to_string(), &inner[i + 1..])),
                '\\' => escaped = !escaped,
                _ => escaped = false,
            }
        }
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if c.is_ascii_whitespace() || c.is_ascii_control() {
            return Some((s[..i].to_string(), &s[i..]));
        }
        if inline {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => return Some((s[..i].to_string(), &s[i..])),
                ')' => depth -= 1,
                _ => {}
            }
        }
    }
    (!inline).then(|| (s.to_string(), ""))
}

fn link_title(s: &str) -> Option<String> {
    let (open, close) = match s.chars().next()? {
        '"' => ('"', '"'),
        '\'' => ('\'', '\''),
        '(' => ('(', ')'),
        _ => return None,
    };
    let inner = &s[open.len_utf8()..];
    let end = inner.rfind(close)?;
    Some(inner[..end].to_string())
}

/// One `<img>` tag found in HTML: its byte offset in that HTML, `src` and `alt` decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImgTag {
    pub offset: usize,
    pub src: String,
    pub alt: String,
}

/// Every `<img>` with a `src` in a piece of HTML, outside comments.
pub(crate) fn img_tags(html: &str) -> Vec<ImgTag> {
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut pos = 0;
    while pos < html.len() {
        let Some(rel) = lower[pos..].find('<') else {
            break;
        };
        let start = pos + rel;
        if lower[start..].starts_with("<!--") {
            pos = match lower[start + 4..].find("-->") {
                Some(end) => start + 4 + end + 3,
                None => html.len(),
            };
            continue;
        }
        let is_img = lower[start..].starts_with("<img")
            && lower[start + 4..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_whitespace() || c == '/' || c == '>');
        if !is_img {
            pos = start + 1;
            continue;
        }
        let (attrs, end) = attributes(&html[start + 4..]);
        pos = start + 4 + end;
        let find = |name: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        if let Some(src) = find("src") {
            tags.push(ImgTag {
                offset: start,
                src,
                alt: html_escape::decode_html_entities(&find("alt").unwrap_or_default())
                    .trim()
                    .to_string(),
            });
        }
    }
    tags
}

/// Attributes of a tag (after its name) as written, and the byte length consumed up to `>`.
fn attributes(s: &str) -> (Vec<(String, String)>, usize) {
    let bytes = s.as_bytes();
    let mut attrs = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (attrs, i);
        }
        if bytes[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let name = s[name_start..i].to_string();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let value_start = i + 1;
                    let end = s[value_start..]
                        .find(q as char)
                        .map_or(s.len(), |e| value_start + e);
                    i = (end + 1).min(s.len());
                    &s[value_start..end]
                }
                _ => {
                    let value_start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    &s[value_start..i]
                }
            };
            attrs.push((name, value.to_string()));
        } else if !name.is_empty() {
            attrs.push((name, String::new()));
        } else {
            // A stray byte that is neither a name nor a value: step over it.
            i += 1;
        }
    }
}

/// YAML front matter between `---` lines at the very start; returns it and where the body starts.
fn front_matter(text: &str) -> Result<(FrontMatter, usize), (usize, String)> {
    let none = Ok((FrontMatter::default(), 0));
    let Some(first_end) = text.find('\n') else {
        return none;
    };
    if text[..first_end].trim_end() != "---" {
        return none;
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    let mut yaml_end = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            yaml_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = yaml_end else {
        return none;
    };
    let yaml = &text[yaml_start..yaml_end];
    let looks_like_markdown = yaml.contains("![") || yaml.to_ascii_lowercase().contains("<img");
    match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) {
        Ok(serde_yaml_ng::Value::Mapping(map)) => Ok((front_matter_fields(&map), body_start)),
        Ok(serde_yaml_ng::Value::Null) => Ok((FrontMatter::default(), body_start)),
        // A thematic break followed by ordinary Markdown, not front matter.
        _ if looks_like_markdown => none,
        Ok(_) => none,
        Err(e) => Err((1, format!("front matter is not valid YAML: {e}"))),
    }
}

fn front_matter_fields(map: &serde_yaml_ng::Mapping) -> FrontMatter {
    let get = |names: &[&str]| {
        map.iter().find_map(|(k, v)| {
            let key = k.as_str()?;
            names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(key))
                .then(|| yaml_text(v))
                .flatten()
        })
    };
    FrontMatter {
        title: get(&["title"]),
        author: get(&["author", "authors", "speaker", "speakers"]),
        date: get(&["date"]),
        event: get(&["event", "conference"]),
        lang: get(&["lang", "language"]),
    }
}

/// A scalar (or a list of scalars, joined) as text.
fn yaml_text(value: &serde_yaml_ng::Value) -> Option<String> {
    use serde_yaml_ng::Value;
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Sequence(items) => items
            .iter()
            .filter_map(yaml_text)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Tagged(tagged) => return yaml_text(&tagged.value),
        Value::Null | Value::Mapping(_) => return None,
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Byte offset → 1-based line.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dests(md: &str) -> Vec<(String, Option<usize>, String, String)> {
        parse(md)
            .unwrap()
            .slides
            .into_iter()
            .map(|s| (s.written, s.line, s.alt, s.notes))
            .collect()
    }

    #[test]
    fn inline_destinations_from_source() {
        assert_eq!(
            inline_destination(r"![a](images\_x\a.png)"),
            Some((r"images\_x\a.png".into(), None))
        );
        assert_eq!(
            inline_destination(r#"![a [b] c](<my file.png> "T (1)")"#),
            Some(("my file.png".into(), Some("T (1)".into())))
        );
        assert_eq!(
            inline_destination("![](a(1).png 'x')"),
            Some(("a(1).png".into(), Some("x".into())))
        );
    }

    #[test]
    fn escaped_punctuation_is_kept() {
        let md = "# T\n\n![](images\\-1\\a.png)\n![x](images\\_x\\b.png \"title\")\n";
        let got = dests(md);
        assert_eq!(got[0].0, r"images\-1\a.png");
        assert_eq!(got[1].0, r"images\_x\b.png");
        assert_eq!(got[1].2, "x");
        assert_eq!((got[0].1, got[1].1), (Some(3), Some(4)));
    }

    #[test]
    fn reference_images() {
        let md = "![one][a]\n\n![b]\n\n[a]: images\\_1.png \"t\"\n[b]: <b c.png>\n";
        let got = dests(md);
        assert_eq!(got[0].0, r"images\_1.png");
        assert_eq!(got[1].0, "b c.png");
        assert_eq!(got[1].1, Some(3));
    }

    #[test]
    fn html_images() {
        let md = "<p>\n<!-- <img src=\"no.png\"> -->\n<img\n  alt=\"A &amp; B\" src='x y.png'/>\n</p>\n\ntext <IMG SRC=z.png> after\n";
        let got = dests(md);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            ("x y.png".into(), Some(3), "A & B".into(), "text".into())
        );
        assert_eq!(
            got[1],
            ("z.png".into(), Some(7), String::new(), "after".into())
        );
    }

    #[test]
    fn notes_follow_their_image() {
        let md = "# T\n\nintro\n\n![](a.png)\n\nfirst line\nsecond line\n\n- item\n\n## Next\n\n![](b.png) caption\n中文\n换行\n";
        let got = dests(md);
        assert_eq!(got[0].3, "first line second line\n\nitem");
        assert_eq!(got[1].3, "caption 中文换行");
    }

    #[test]
    fn title_and_front_matter() {
        let md = "---\ntitle: FM\nauthor: [A, B]\ndate: 2018-10-19\n---\n\n# H1 &amp; *x* #\n\n![](a.png)\n";
        let deck = parse(md).unwrap();
        assert_eq!(deck.front.title.as_deref(), Some("FM"));
        assert_eq!(deck.front.author.as_deref(), Some("A, B"));
        assert_eq!(deck.front.date.as_deref(), Some("2018-10-19"));
        let heading = deck.heading.unwrap();
        assert_eq!(heading.source, "H1 &amp; *x*");
        assert_eq!(heading.text, "H1 & x");
        assert_eq!(deck.slides[0].line, Some(9));
    }

    #[test]
    fn invalid_front_matter_is_an_error_but_a_thematic_break_is_not() {
        assert!(parse("---\ntitle: [unclosed\n---\n![](a.png)\n").is_err());
        let deck = parse("---\n![](a.png)\n---\n").unwrap();
        assert_eq!(deck.slides.len(), 1);
    }

    #[test]
    fn setext_heading() {
        let deck = parse("My talk\n=======\n\n![](a.png)\n").unwrap();
        assert_eq!(deck.heading.unwrap().source, "My talk");
    }
}
