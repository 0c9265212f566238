//! The words deckconv writes itself — "Title page", "Slide 7", "12 slides", navigation
//! headings — in the deck's language: English, Simplified and Traditional Chinese, Japanese.

use crate::model::DeckMeta;
use crate::script;

/// Languages deckconv has its own words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    SimplifiedChinese,
    TraditionalChinese,
    Japanese,
}

impl Language {
    /// From a BCP 47 tag (`zh`, `zh-CN`, `zh-Hant-TW`, `ja`, `en-GB`); English otherwise.
    pub fn from_tag(tag: &str) -> Language {
        let lower = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = lower.split('-');
        match parts.next() {
            Some("zh") => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest.contains(&"hant")
                    || (!rest.contains(&"hans")
                        && rest.iter().any(|p| matches!(*p, "tw" | "hk" | "mo")));
                if traditional {
                    Language::TraditionalChinese
                } else {
                    Language::SimplifiedChinese
                }
            }
            Some("ja") => Language::Japanese,
            _ => Language::English,
        }
    }
}

/// Every word deckconv writes itself, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub language: Language,
    /// Outline and navigation entry of the title page.
    pub title_page: &'static str,
    /// Page label of the title page.
    pub title_label: &'static str,
    pub cover: &'static str,
    pub contents: &'static str,
    pub pages: &'static str,
    pub landmarks: &'static str,
    /// The slides as a whole (landmark of the body).
    pub slides: &'static str,
    /// Title when a deck has none.
    pub untitled: &'static str,
    slide_pattern: &'static str,
    count_one: &'static str,
    count_many: &'static str,
    slide_of_pattern: &'static str,
    /// An anthology's number of talks (`{}`: the number).
    talks_one: &'static str,
    talks_many: &'static str,
    /// The sentences of the EPUB's `schema:accessibilitySummary`, in this language.
    summary: Summary,
}

/// How a book's slide images are described, for its accessibility summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Described {
    /// Every image has the deck's own description.
    ByTheDeck,
    /// Every image has recognised text.
    ByRecognisedText,
    /// Some images have recognised text, the others only their number.
    PartlyByRecognisedText,
    /// By number and title only.
    ByNumber,
}

/// The parts of an accessibility summary: one sentence each, joined as the language joins them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Summary {
    intro: &'static str,
    text_recognised: &'static str,
    text_in_images: &'static str,
    by_the_deck: &'static str,
    by_recognised_text: &'static str,
    partly_by_recognised_text: &'static str,
    by_number: &'static str,
    outro: &'static str,
    /// Between sentences: a space in English, nothing in Chinese and Japanese.
    gap: &'static str,
}

const EN: Words = Words {
    language: Language::English,
    title_page: "Title page",
    title_label: "Title",
    cover: "Cover",
    contents: "Contents",
    pages: "Pages",
    landmarks: "Landmarks",
    slides: "Slides",
    untitled: "Slides",
    slide_pattern: "Slide {}",
    count_one: "1 slide",
    count_many: "{} slides",
    slide_of_pattern: "Slide {0} of {1}",
    talks_one: "1 talk",
    talks_many: "{} talks",
    summary: Summary {
        intro:
            "This book presents the slides of a talk as images, one fixed-layout page per slide.",
        text_recognised: "The text on the slides was recognised automatically and is searchable.",
        text_in_images:
            "The text on the slides is part of the images and is not available as text.",
        by_the_deck: "Each image carries the short description the deck gives for it.",
        by_recognised_text: "Each image is described by the text recognised on it automatically \
            (OCR), which may contain errors.",
        partly_by_recognised_text: "Images are described by the text recognised on them \
            automatically (OCR), which may contain errors; slides without recognisable text are \
            identified by their number.",
        by_number: "Each image is identified by its slide number and the talk's title, not \
            described.",
        outro: "The title page, table of contents and page list are text.",
        gap: " ",
    },
};

const ZH_HANS: Words = Words {
    language: Language::SimplifiedChinese,
    title_page: "标题页",
    title_label: "标题",
    cover: "封面",
    contents: "目录",
    pages: "页码",
    landmarks: "导航",
    slides: "幻灯片",
    untitled: "幻灯片",
    slide_pattern: "幻灯片 {}",
    count_one: "1 张幻灯片",
    count_many: "{} 张幻灯片",
    slide_of_pattern: "《{1}》幻灯片 {0}",
    talks_one: "1 场演讲",
    talks_many: "{} 场演讲",
    summary: Summary {
        intro: "本书以图片呈现一场演讲的幻灯片，每张幻灯片一个固定版式页面。",
        text_recognised: "幻灯片上的文字经自动识别，可以搜索。",
        text_in_images: "幻灯片上的文字是图片的一部分，不能作为文本使用。",
        by_the_deck: "每张图片都带有演示文稿给出的简短描述。",
        by_recognised_text: "每张图片由自动识别（OCR）出的文字描述，可能有误。",
        partly_by_recognised_text:
            "图片由自动识别（OCR）出的文字描述，可能有误；没有可识别文字的幻灯片以编号标识。",
        by_number: "每张图片以幻灯片编号和演讲标题标识，没有描述。",
        outro: "标题页、目录和页码列表均为文本。",
        gap: "",
    },
};

const ZH_HANT: Words = Words {
    language: Language::TraditionalChinese,
    title_page: "標題頁",
    title_label: "標題",
    cover: "封面",
    contents: "目錄",
    pages: "頁碼",
    landmarks: "導覽",
    slides: "投影片",
    untitled: "投影片",
    slide_pattern: "投影片 {}",
    count_one: "1 張投影片",
    count_many: "{} 張投影片",
    slide_of_pattern: "《{1}》投影片 {0}",
    talks_one: "1 場演講",
    talks_many: "{} 場演講",
    summary: Summary {
        intro: "本書以圖片呈現一場演講的投影片，每張投影片一個固定版面頁面。",
        text_recognised: "投影片上的文字經自動辨識，可以搜尋。",
        text_in_images: "投影片上的文字是圖片的一部分，無法作為文字使用。",
        by_the_deck: "每張圖片都附有簡報提供的簡短描述。",
        by_recognised_text: "每張圖片由自動辨識（OCR）出的文字描述，可能有誤。",
        partly_by_recognised_text:
            "圖片由自動辨識（OCR）出的文字描述，可能有誤；沒有可辨識文字的投影片以編號標示。",
        by_number: "每張圖片以投影片編號和演講標題標示，沒有描述。",
        outro: "標題頁、目錄和頁碼清單均為文字。",
        gap: "",
    },
};

const JA: Words = Words {
    language: Language::Japanese,
    title_page: "タイトルページ",
    title_label: "タイトル",
    cover: "表紙",
    contents: "目次",
    pages: "ページ",
    landmarks: "ランドマーク",
    slides: "スライド",
    untitled: "スライド",
    slide_pattern: "スライド {}",
    count_one: "スライド 1 枚",
    count_many: "スライド {} 枚",
    slide_of_pattern: "「{1}」スライド {0}",
    talks_one: "講演 1 件",
    talks_many: "講演 {} 件",
    summary: Summary {
        intro: "この本は講演のスライドを画像として収め、スライドごとに固定レイアウトの1ページです。",
        text_recognised: "スライドの文字は自動認識されており、検索できます。",
        text_in_images: "スライドの文字は画像の一部で、テキストとしては利用できません。",
        by_the_deck: "各画像には資料に記された短い説明が付いています。",
        by_recognised_text: "各画像は自動認識（OCR）された文字で説明されており、誤りを含む場合があります。",
        partly_by_recognised_text: "画像は自動認識（OCR）された文字で説明されており、誤りを含む場合があります。認識できる文字のないスライドは番号で示されます。",
        by_number: "各画像はスライド番号と講演タイトルで示され、説明はありません。",
        outro: "タイトルページ、目次、ページリストはテキストです。",
        gap: "",
    },
};

impl Words {
    pub fn new(language: Language) -> &'static Words {
        match language {
            Language::English => &EN,
            Language::SimplifiedChinese => &ZH_HANS,
            Language::TraditionalChinese => &ZH_HANT,
            Language::Japanese => &JA,
        }
    }

    /// The words for a deck: its language tag, else the language of its title's script.
    pub fn for_meta(meta: &DeckMeta) -> Words {
        Words::new(language_of(meta)).clone()
    }

    /// The book's `schema:accessibilitySummary`: what the pages are, whether their text is
    /// searchable, how the images are described.
    pub fn accessibility_summary(&self, recognised: bool, described: Described) -> String {
        let s = &self.summary;
        let text = if recognised {
            s.text_recognised
        } else {
            s.text_in_images
        };
        let images = match described {
            Described::ByTheDeck => s.by_the_deck,
            Described::ByRecognisedText => s.by_recognised_text,
            Described::PartlyByRecognisedText => s.partly_by_recognised_text,
            Described::ByNumber => s.by_number,
        };
        [s.intro, text, images, s.outro].join(s.gap)
    }

    /// "Slide 7".
    pub fn slide(&self, label: &str) -> String {
        self.slide_pattern.replacen("{}", label, 1)
    }

    /// "12 slides".
    pub fn slide_count(&self, count: usize) -> String {
        if count == 1 {
            self.count_one.to_string()
        } else {
            self.count_many.replacen("{}", &count.to_string(), 1)
        }
    }

    /// An anthology's size on its title page: "12 talks · 540 slides".
    pub fn collection_count(&self, talks: usize, slides: usize) -> String {
        let talks = if talks == 1 {
            self.talks_one.to_string()
        } else {
            self.talks_many.replacen("{}", &talks.to_string(), 1)
        };
        format!("{talks} · {}", self.slide_count(slides))
    }

    /// "Slide 7 of Title": what an image without a description is called.
    pub fn slide_of(&self, label: &str, title: &str) -> String {
        // The title goes in last, so braces in it stay as written.
        self.slide_of_pattern
            .replace("{0}", label)
            .replace("{1}", title)
    }

    /// Every character these words may put on a page (for choosing a font).
    pub fn all_text(&self) -> String {
        [
            self.title_page,
            self.title_label,
            self.cover,
            self.contents,
            self.pages,
            self.landmarks,
            self.slides,
            self.untitled,
            self.slide_pattern,
            self.count_one,
            self.count_many,
            self.slide_of_pattern,
            self.talks_one,
            self.talks_many,
        ]
        .concat()
    }
}

/// The deck's language: its tag, else detected from the title.
pub fn language_of(meta: &DeckMeta) -> Language {
    Language::from_tag(&language_tag(meta))
}

/// The deck's BCP 47 tag: `--lang` or the front matter's (`zh_CN` → `zh-CN`), else the
/// language of the title's script.
pub fn language_tag(meta: &DeckMeta) -> String {
    meta.lang
        .as_deref()
        .and_then(normalize_tag)
        .unwrap_or_else(|| script::detect_language(&meta.title).to_string())
}

/// A usable BCP 47 tag (`zh_CN` → `zh-CN`); `None` when it is not one.
pub fn normalize_tag(value: &str) -> Option<String> {
    let tag = value.trim().replace('_', "-");
    let valid = !tag.is_empty()
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    valid.then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accessibility_summary_is_in_each_language() {
        let summary = |language| {
            Words::new(language).accessibility_summary(true, Described::PartlyByRecognisedText)
        };
        let en = summary(Language::English);
        assert!(
            en.starts_with("This book presents") && en.contains("OCR"),
            "{en}"
        );
        assert!(en.contains("searchable. Images are"), "{en}");
        let hans = summary(Language::SimplifiedChinese);
        assert!(
            hans.starts_with("本书") && hans.contains("可以搜索。图片"),
            "{hans}"
        );
        let hant = summary(Language::TraditionalChinese);
        assert!(
            hant.starts_with("本書") && hant.contains("投影片"),
            "{hant}"
        );
        let ja = summary(Language::Japanese);
        assert!(ja.starts_with("この本") && ja.contains("スライド"), "{ja}");
        for text in [&hans, &hant, &ja] {
            assert!(!text.is_ascii() && !text.contains("This book"), "{text}");
        }
    }

    #[test]
    fn tags_choose_the_words() {
        assert_eq!(Language::from_tag("zh"), Language::SimplifiedChinese);
        assert_eq!(Language::from_tag("zh-CN"), Language::SimplifiedChinese);
        assert_eq!(Language::from_tag("zh-Hant"), Language::TraditionalChinese);
        assert_eq!(Language::from_tag("zh_TW"), Language::TraditionalChinese);
        assert_eq!(
            Language::from_tag("zh-Hans-HK"),
            Language::SimplifiedChinese
        );
        assert_eq!(Language::from_tag("ja-JP"), Language::Japanese);
        assert_eq!(Language::from_tag("en-GB"), Language::English);
        assert_eq!(Language::from_tag("fr"), Language::English);
    }

    #[test]
    fn slide_words_in_each_language() {
        let en = Words::new(Language::English);
        assert_eq!(en.slide("7"), "Slide 7");
        assert_eq!(en.slide_count(1), "1 slide");
        assert_eq!(en.slide_count(12), "12 slides");
        assert_eq!(en.slide_of("4", "Talk"), "Slide 4 of Talk");
        let zh = Words::new(Language::SimplifiedChinese);
        assert_eq!(zh.slide("7"), "幻灯片 7");
        assert_eq!(zh.slide_count(12), "12 张幻灯片");
        assert_eq!(zh.slide_of("4", "微服务"), "《微服务》幻灯片 4");
        let ja = Words::new(Language::Japanese);
        assert_eq!(ja.slide_count(3), "スライド 3 枚");
    }

    #[test]
    fn language_tags_are_normalised_or_refused() {
        assert_eq!(normalize_tag("zh_CN").as_deref(), Some("zh-CN"));
        assert_eq!(normalize_tag(" en ").as_deref(), Some("en"));
        assert_eq!(normalize_tag("not a tag"), None);
        assert_eq!(normalize_tag(""), None);
    }

    #[test]
    fn untagged_decks_speak_their_title_language() {
        let meta = DeckMeta {
            title: "0到3000万用户微服务之旅".into(),
            ..Default::default()
        };
        assert_eq!(language_of(&meta), Language::SimplifiedChinese);
        let meta = DeckMeta {
            title: "API Best Practices".into(),
            ..Default::default()
        };
        assert_eq!(language_of(&meta), Language::English);
    }
}
