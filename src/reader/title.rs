//! Display titles from conference file names: `3-最终版+肖军+万亿级交易量下的苏宁支付平台设计`
//! → title `万亿级交易量下的苏宁支付平台设计`, author `肖军`.
//!
//! The cleanup is deliberately conservative: it removes only noise it recognises at the edges of
//! the title (ordinals, status words, copy markers, file extensions) and takes a speaker's name
//! only when it is a segment of its own, separated by `_`, `+` or `-`, and looks like a name
//! (a common Chinese surname, or a capitalised "Firstname Lastname" between underscores).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// A cleaned title and the speaker found in it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanTitle {
    pub title: String,
    pub author: Option<String>,
}

/// Titles longer than this are not cleaned.
const MAX_CLEANED_BYTES: usize = 2048;

/// Status words that mark a file's state, never part of a talk's title.
const STATUS_WORDS: &[&str] = &[
    "最终版",
    "最终稿",
    "最后版",
    "终版",
    "终稿",
    "定稿",
    "定版",
    "可上传",
    "可以公开",
    "可公开",
    "公开版",
    "公开",
    "对外版",
    "发布版",
    "修订版",
    "修改版",
    "演讲版",
    "分享版",
    "的副本",
    "副本",
    "final",
    "finalversion",
    "final version",
    "new",
    "draft",
    "copy",
    "public",
    "release",
];

/// Status words that may be glued to the end of the title without a separator (`架构的副本`).
const GLUED_SUFFIXES: &[&str] = &["的副本", "副本"];

/// File extensions sometimes left in titles taken from file names.
const EXTENSIONS: &[&str] = &[".pdf", ".pptx", ".ppt", ".key", ".md", ".markdown", ".odp"];

/// Common single-character Chinese surnames.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸慕危玉银亢嵇公湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";

/// Two-character Chinese surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "独孤", "南宫", "西门", "端木", "百里", "呼延", "澹台", "太史", "申屠",
    "钟离",
];

/// Characters that occur in technical words but (almost) never in given names: a segment
/// containing one after its surname is a word (`高可用`), not a person.
const NON_NAME_CHARS: &str = "的之与和在用化式性型级度率器件据统务构术计践战网云库量析案理系台端享谈浅深论探篇版稿署测试码编序例法模块层链路流程机制平服架设";

/// Separators between the fields of a file-name title.
fn is_field_separator(c: char) -> bool {
    matches!(c, '_' | '+' | '-' | '—' | '–' | '、' | '|' | '｜')
}

/// Separators that may surround noise at the edges (fields, plus spaces and a few punctuation).
fn is_edge_separator(c: char) -> bool {
    is_field_separator(c) || c.is_whitespace() || matches!(c, '.' | ':' | '·')
}

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Clean a raw title for display. Never returns an empty title: if everything looks like noise,
/// the raw title (trimmed) is kept.
pub fn clean(raw: &str) -> CleanTitle {
    let fallback = CleanTitle {
        title: raw.trim().to_string(),
        author: None,
    };
    // A file-name title is short; anything this long is prose, left alone (and kept linear).
    if raw.len() > MAX_CLEANED_BYTES {
        return fallback;
    }
    let normalized = normalize(raw);
    // A title without spaces but with `+` was form-encoded: `+` stands for a space.
    let plus_encoded = normalized.contains('+') && !normalized.contains(' ');

    let mut text = normalized.trim().to_string();
    let mut author = None;
    // Noise and the speaker may alternate (`最终版_潘志伟_终稿_…`); a few rounds settle it.
    for _ in 0..4 {
        let before = text.clone();
        text = strip_edges(&text, plus_encoded);
        if author.is_none() {
            if let Some((name, rest)) = split_speaker(&text) {
                author = Some(name);
                text = rest;
            }
        }
        if text == before {
            break;
        }
    }

    let title = tidy(&text, plus_encoded);
    if title.is_empty() {
        return fallback;
    }
    CleanTitle { title, author }
}

/// Entities (also double-escaped), percent-encoding of a whole file name, NFKC.
fn normalize(raw: &str) -> String {
    let mut text = raw.to_string();
    for _ in 0..4 {
        let decoded = html_escape::decode_html_entities(&text).into_owned();
        if decoded == text {
            break;
        }
        text = decoded;
    }
    if looks_percent_encoded(&text) {
        if let Ok(decoded) = percent_encoding::percent_decode_str(&text).decode_utf8() {
            text = decoded.into_owned();
        }
    }
    text.nfkc().collect()
}

fn looks_percent_encoded(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(3).any(|w| {
        w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit() && w[1] >= b'2'
    })
}

/// Remove ordinals, status words, copy markers and extensions from both ends until none is left.
fn strip_edges(text: &str, plus_encoded: bool) -> String {
    let mut s = text.trim();
    loop {
        let before = s.len();
        s = strip_prefix_noise(s);
        s = strip_suffix_noise(s, plus_encoded);
        if s.len() == before || s.is_empty() {
            return s.to_string();
        }
    }
}

fn trim_edge_separators_start(s: &str) -> &str {
    s.trim_start_matches(is_edge_separator)
}

fn trim_edge_separators_end(s: &str) -> &str {
    s.trim_end_matches(is_edge_separator)
}

/// One piece of noise at the start, if any, and the separators after it.
fn strip_prefix_noise(s: &str) -> &str {
    // Ordinal: 1 to 3 digits then a separator (`2-`, `1、`, `01_`, `3.`), not `3.5` or `3000万`.
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &s[digits..];
        let mut chars = rest.chars();
        if let Some(sep) = chars.next() {
            let after = chars.next();
            let is_ordinal_sep = matches!(sep, '-' | '_' | '、' | ')' | '.' | ':' | '，' | ',')
                && !after.is_some_and(|c| c.is_ascii_digit());
            if is_ordinal_sep {
                let remainder = trim_edge_separators_start(&rest[sep.len_utf8()..]);
                if !remainder.is_empty() {
                    return remainder;
                }
            }
        }
    }
    if let Some(rest) = strip_bracketed_status_prefix(s) {
        return trim_edge_separators_start(rest);
    }
    for word in status_words_longest_first() {
        if let Some(rest) = strip_prefix_ignore_ascii_case(s, word) {
            // The word must be a field of its own: followed by a separator (or bracket).
            let ends_field = rest
                .chars()
                .next()
                .is_some_and(|c| is_edge_separator(c) || matches!(c, '【' | '[' | '('));
            if ends_field {
                return trim_edge_separators_start(rest);
            }
        }
    }
    if let Some(rest) = strip_version_prefix(s) {
        return trim_edge_separators_start(rest);
    }
    s
}

/// One piece of noise at the end, if any, and the separators before it.
fn strip_suffix_noise(s: &str, plus_encoded: bool) -> &str {
    for ext in EXTENSIONS {
        if let Some(rest) = strip_suffix_ignore_ascii_case(s, ext) {
            if !rest.is_empty() {
                return trim_edge_separators_end(rest);
            }
        }
    }
    // Copy counters: `(1)`, `[2]` (full-width brackets are ASCII after NFKC).
    if let Some(rest) = strip_counter_suffix(s) {
        return trim_edge_separators_end(rest);
    }
    if let Some(rest) = strip_bracketed_status_suffix(s) {
        return trim_edge_separators_end(rest);
    }
    for word in GLUED_SUFFIXES {
        if let Some(rest) = s.strip_suffix(word) {
            if !rest.trim().is_empty() {
                return trim_edge_separators_end(rest);
            }
        }
    }
    for word in status_words_longest_first() {
        if let Some(rest) = strip_suffix_ignore_ascii_case(s, word) {
            let starts_field = rest.chars().next_back().is_some_and(|c| {
                is_edge_separator(c) && (c != '+' || plus_encoded || !rest.ends_with("++"))
            });
            if starts_field {
                return trim_edge_separators_end(rest);
            }
        }
    }
    if let Some(rest) = strip_version_suffix(s) {
        return trim_edge_separators_end(rest);
    }
    s
}

fn status_words_longest_first() -> impl Iterator<Item = &'static str> {
    let mut words: Vec<&'static str> = STATUS_WORDS.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.into_iter()
}

fn strip_prefix_ignore_ascii_case<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let head = s.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| &s[word.len()..])
}

fn strip_suffix_ignore_ascii_case<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let start = s.len().checked_sub(word.len())?;
    let tail = s.get(start..)?;
    tail.eq_ignore_ascii_case(word).then(|| &s[..start])
}

fn is_status_word(inner: &str) -> bool {
    let inner = inner.trim();
    STATUS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(inner)) || is_version(inner)
}

const BRACKETS: &[(char, char)] = &[
    ('【', '】'),
    ('[', ']'),
    ('(', ')'),
    ('〔', '〕'),
    ('「', '」'),
];

fn strip_bracketed_status_prefix(s: &str) -> Option<&str> {
    let open = s.chars().next()?;
    let close = BRACKETS.iter().find(|(o, _)| *o == open)?.1;
    let end = s.find(close)?;
    let inner = &s[open.len_utf8()..end];
    let rest = &s[end + close.len_utf8()..];
    (is_status_word(inner) && !rest.trim().is_empty()).then_some(rest)
}

fn strip_bracketed_status_suffix(s: &str) -> Option<&str> {
    let close = s.chars().next_back()?;
    let open = BRACKETS.iter().find(|(_, c)| *c == close)?.0;
    let body = &s[..s.len() - close.len_utf8()];
    let start = body.rfind(open)?;
    let inner = &body[start + open.len_utf8()..];
    let rest = &s[..start];
    (is_status_word(inner) && !rest.trim().is_empty()).then_some(rest)
}

fn strip_counter_suffix(s: &str) -> Option<&str> {
    let close = s.chars().next_back()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let body = &s[..s.len() - 1];
    let start = body.rfind(open)?;
    let inner = &body[start + 1..];
    let rest = &s[..start];
    let is_counter = (1..=2).contains(&inner.len()) && inner.bytes().all(|b| b.is_ascii_digit());
    (is_counter && !rest.trim().is_empty()).then_some(rest)
}

/// `v2`, `V1.2`, `v3.0.1`.
fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    !rest.is_empty()
        && rest.split('.').all(|part| {
            !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Separators around a version number (not `.`, which is part of `v1.2`).
fn is_version_separator(c: char) -> bool {
    c != '.' && is_edge_separator(c)
}

fn strip_version_prefix(s: &str) -> Option<&str> {
    let end = s.find(is_version_separator)?;
    let (head, rest) = s.split_at(end);
    (is_version(head) && !trim_edge_separators_start(rest).is_empty()).then_some(rest)
}

fn strip_version_suffix(s: &str) -> Option<&str> {
    let start = s.rfind(is_version_separator)?;
    let sep_len = s[start..].chars().next().map_or(1, char::len_utf8);
    let tail = &s[start + sep_len..];
    let rest = &s[..start];
    (is_version(tail) && !trim_edge_separators_end(rest).is_empty()).then_some(rest)
}

/// A speaker's name as the first or last field: returns the name and the rest of the title.
fn split_speaker(s: &str) -> Option<(String, String)> {
    // First field.
    if let Some(end) = s.find(is_field_separator) {
        let (head, rest) = s.split_at(end);
        let rest = trim_edge_separators_start(rest);
        let underscore = rest.len() < s.len() && s[end..].starts_with('_');
        if !rest.is_empty() && is_speaker(head.trim(), underscore) {
            return Some((head.trim().to_string(), rest.to_string()));
        }
    }
    // Last field.
    if let Some(start) = s.rfind(is_field_separator) {
        let sep_len = s[start..].chars().next().map_or(1, char::len_utf8);
        let tail = s[start + sep_len..].trim();
        let rest = trim_edge_separators_end(&s[..start]);
        let underscore = s[start..].starts_with('_');
        if !rest.is_empty() && is_speaker(tail, underscore) {
            return Some((tail.to_string(), rest.to_string()));
        }
    }
    None
}

fn is_speaker(field: &str, underscore_separated: bool) -> bool {
    is_chinese_name(field) || (underscore_separated && is_latin_name(field))
}

/// 2–3 Han characters starting with a common surname, or 3–4 with a compound surname; the
/// given name must not contain characters typical of technical words.
fn is_chinese_name(field: &str) -> bool {
    let chars: Vec<char> = field.chars().collect();
    if chars.is_empty() || !chars.iter().all(|&c| is_han(c)) {
        return false;
    }
    let given_start = match chars.len() {
        2 | 3 if SURNAMES.contains(chars[0]) => 1,
        3 | 4 if COMPOUND_SURNAMES.iter().any(|s| field.starts_with(s)) => 2,
        _ => return false,
    };
    !chars[given_start..]
        .iter()
        .any(|&c| NON_NAME_CHARS.contains(c))
}

/// "Firstname Lastname" (two or three capitalised alphabetic words).
fn is_latin_name(field: &str) -> bool {
    let words: Vec<&str> = field.split(' ').collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            let first_upper = chars.next().is_some_and(|c| c.is_uppercase());
            let rest: Vec<char> = chars.collect();
            first_upper
                && (1..=14).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_lowercase() || *c == '\'' || *c == '-')
        })
}

/// `+` and `_` back to spaces, whitespace collapsed, stray edge separators removed.
fn tidy(text: &str, plus_encoded: bool) -> String {
    let text: Cow<str> = if plus_encoded {
        Cow::Owned(decode_plus(text))
    } else {
        Cow::Borrowed(text)
    };
    let spaced = text.replace('_', " ");
    let collapsed = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '_' | '-' | '+' | '、' | '|'))
        .to_string()
}

/// `+` as a space, `+-+` as ` - `, and `C+++in` as `C++ in` (the last `+` of a run is the space).
fn decode_plus(text: &str) -> String {
    let text = text.replace("+-+", " - ");
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '+' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '+').count();
        let at_end = i + run == chars.len();
        if run == 1 {
            out.push(' ');
        } else if at_end {
            out.extend(std::iter::repeat_n('+', run));
        } else {
            out.extend(std::iter::repeat_n('+', run - 1));
            out.push(' ');
        }
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, title: &str, author: Option<&str>) {
        let got = clean(raw);
        assert_eq!(
            got,
            CleanTitle {
                title: title.to_string(),
                author: author.map(str::to_string)
            },
            "raw: {raw}"
        );
    }

    #[test]
    fn issue_examples() {
        check(
            "最终版_潘志伟_0到3000万用户微服务之旅",
            "0到3000万用户微服务之旅",
            Some("潘志伟"),
        );
        check(
            "3-最终版+肖军+万亿级交易量下的苏宁支付平台设计",
            "万亿级交易量下的苏宁支付平台设计",
            Some("肖军"),
        );
        check(
            "The+past,+present,+and+future+of+Go+2",
            "The past, present, and future of Go 2",
            None,
        );
        check(
            "可上传_陈思远_0到3000万用户微服务之旅",
            "0到3000万用户微服务之旅",
            Some("陈思远"),
        );
    }

    #[test]
    fn html_entities_even_double_escaped() {
        check(
            "Go+&amp;amp;+Rust+in+production",
            "Go & Rust in production",
            None,
        );
        check("&lt;Rust&gt;+at+scale", "<Rust> at scale", None);
        check("Kafka &amp; Flink 实战", "Kafka & Flink 实战", None);
    }

    #[test]
    fn bracketed_status_prefix() {
        check(
            "【可以公开】陈思远_云原生时代的微服务治理",
            "云原生时代的微服务治理",
            Some("陈思远"),
        );
        check(
            "[final] Service Mesh in practice",
            "Service Mesh in practice",
            None,
        );
    }

    #[test]
    fn copy_counters_and_copies() {
        check("云原生时代的微服务治理(1)", "云原生时代的微服务治理", None);
        check(
            "云原生时代的微服务治理（2）",
            "云原生时代的微服务治理",
            None,
        );
        check("微服务架构的副本", "微服务架构", None);
        check(
            "陈思远_0到3000万用户微服务之旅 - 副本",
            "0到3000万用户微服务之旅",
            Some("陈思远"),
        );
    }

    #[test]
    fn full_width_and_compatibility_characters() {
        check("ＱＣｏｎ２０１８：微服务实践", "QCon2018:微服务实践", None);
        // U+2FA6 KANGXI RADICAL GOLD and U+F9B2 (compatibility 零) normalise to 金 and 零.
        check(
            "\u{2FA6}融科技的\u{F9B2}信任架构",
            "金融科技的零信任架构",
            None,
        );
    }

    #[test]
    fn ordinals_and_status_words() {
        check(
            "1、最终版-王小明-大规模容器平台实践",
            "大规模容器平台实践",
            Some("王小明"),
        );
        check(
            "01_终稿_分布式数据库的设计与实现_v2",
            "分布式数据库的设计与实现",
            None,
        );
        check("Go+2+Final", "Go 2", None);
        check("The+future+of+Go+V1.2", "The future of Go", None);
        check(
            "Kubernetes+在+阿里巴巴的实践-new",
            "Kubernetes 在 阿里巴巴的实践",
            None,
        );
        check(
            "公开版_Service Mesh 落地实践",
            "Service Mesh 落地实践",
            None,
        );
        check("架构设计.pptx", "架构设计", None);
    }

    #[test]
    fn numbers_that_are_part_of_the_title_stay() {
        check("2018 QCon keynote", "2018 QCon keynote", None);
        check(
            "3.5 years of Go in production",
            "3.5 years of Go in production",
            None,
        );
        check("0到1构建数据中台", "0到1构建数据中台", None);
    }

    #[test]
    fn speaker_at_the_end() {
        check(
            "定稿-高可用架构演进之路-刘强",
            "高可用架构演进之路",
            Some("刘强"),
        );
    }

    #[test]
    fn words_that_are_not_names_stay() {
        check("微服务_高可用", "微服务 高可用", None);
        check("平台设计_容器化实践", "平台设计 容器化实践", None);
        check(
            "Go Concurrency - Advanced Patterns",
            "Go Concurrency - Advanced Patterns",
            None,
        );
    }

    #[test]
    fn latin_speaker_only_between_underscores() {
        check("Rob Pike_Go at Google", "Go at Google", Some("Rob Pike"));
    }

    #[test]
    fn plus_encoding() {
        check("Modern+C+++in+practice", "Modern C++ in practice", None);
        check(
            "Scaling+Go+-+lessons+learned",
            "Scaling Go - lessons learned",
            None,
        );
        check("C++ in 2019", "C++ in 2019", None);
    }

    #[test]
    fn percent_encoded_file_name() {
        check(
            "%E5%BE%AE%E6%9C%8D%E5%8A%A1%E6%B2%BB%E7%90%86",
            "微服务治理",
            None,
        );
        check("100% uptime", "100% uptime", None);
    }

    #[test]
    fn very_long_titles_are_left_alone_quickly() {
        let long = "1_".repeat(500_000);
        assert_eq!(clean(&long).title, long.trim());
        let just_under = format!("{}微服务", "最终版_".repeat(200));
        assert_eq!(clean(&just_under).title, "微服务");
    }

    #[test]
    fn never_empty() {
        check("最终版", "最终版", None);
        check("  2- ", "2", None);
        check("(1)", "(1)", None);
        assert_eq!(clean("").title, "");
    }
}
