//! Which writing system a character belongs to: one definition of the CJK ranges for the
//! reader (joining soft breaks), the title cleaner, font choice, line breaking and language
//! detection.

/// Han ideographs: CJK Unified Ideographs and their extensions, compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Hiragana, katakana (with phonetic extensions and half-width forms).
pub fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Hangul syllables and jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF)
}

/// CJK punctuation, radicals, bopomofo, enclosed and full-width forms: characters set on
/// the ideographic em square, no script of their own.
pub fn is_cjk_symbol(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3100..=0x312F | 0x31A0..=0x31BF | 0x31C0..=0x31EF
        | 0x3200..=0x33FF | 0xFE30..=0xFE4F | 0xFF00..=0xFF65 | 0xFFE0..=0xFFEF)
}

/// Any character of Chinese, Japanese or Korean text that is set on the em square.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_kana(c) || is_hangul(c) || is_cjk_symbol(c)
}

pub fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

/// Kana → ja, Hangul → ko, other Han → zh, else en.
pub fn detect_language(text: &str) -> &'static str {
    if text.chars().any(is_kana) {
        "ja"
    } else if text.chars().any(is_hangul) {
        "ko"
    } else if text.chars().any(is_han) {
        "zh"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_real_titles() {
        assert!(is_han('微') && !is_han('⾯') && is_cjk('⾯'));
        assert!(is_kana('マ') && !is_han('マ'));
        assert!(is_hangul('마'));
        assert!(is_cjk('，') && is_cjk('《') && !is_cjk(','));
        assert!(has_cjk("QCon北京2018") && !has_cjk("API Best Practices"));
    }

    #[test]
    fn language_from_title_script() {
        assert_eq!(detect_language("0到3000万用户微服务之旅"), "zh");
        assert_eq!(
            detect_language("The past, present, and future of Go 2"),
            "en"
        );
        assert_eq!(detect_language("東京のマイクロサービス"), "ja");
        assert_eq!(detect_language("마이크로서비스"), "ko");
    }
}
