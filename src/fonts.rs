//! Font resolution for text deckconv draws itself (title page, captions):
//! `--font FILE` → a system font covering every character → the bundled CJK subset →
//! a warning naming the code points nothing covers.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use ttf_parser::{Face, Tag};

use crate::script;

/// Noto Sans CJK SC reduced to GB2312 + Latin (see `assets/fonts/README.md`), so that
/// Chinese renders on a machine with no fonts installed.
pub static BUNDLED_FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKsc-GB2312.otf");
const BUNDLED_NAME: &str = "Noto Sans CJK SC (bundled GB2312 subset)";

/// A font file in memory, shared by the writers.
#[derive(Clone)]
pub struct FontData {
    pub bytes: Arc<Vec<u8>>,
    /// Face index inside a collection (TTC).
    pub index: u32,
    /// Family name, for messages.
    pub name: String,
}

impl std::fmt::Debug for FontData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontData")
            .field("name", &self.name)
            .field("index", &self.index)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl FontData {
    /// The bundled CJK font.
    pub fn bundled() -> FontData {
        FontData {
            bytes: Arc::new(BUNDLED_FONT.to_vec()),
            index: 0,
            name: BUNDLED_NAME.to_string(),
        }
    }
}

/// The chosen font and the characters of `text` it still cannot show.
#[derive(Debug, Clone)]
pub struct ResolvedFont {
    pub font: FontData,
    pub uncovered: Vec<char>,
}

/// Characters that need no glyph of their own: whitespace (drawn as a space or as
/// nothing) and the [invisible](is_invisible) ones.
pub fn is_ignorable(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// Characters text drawing skips: controls and invisible format characters (soft hyphen,
/// zero-width space and joiners, bidi marks, variation selectors, BOM). They would
/// otherwise show as `.notdef` boxes.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}')
}

/// The distinct characters of `text` that need a glyph, in code point order.
fn needed_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| !is_ignorable(c))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A font file the user named could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot use the font {}: {reason}", path.display())]
pub struct FontError {
    pub path: std::path::PathBuf,
    pub reason: String,
}

/// Why a face cannot be embedded in a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotEmbeddable {
    #[error("the font has neither TrueType nor CFF outlines")]
    NoOutlines,
    #[error("the font's licence forbids embedding")]
    Restricted,
}

/// Pick a font that covers `text`. Fails only when `--font` names an unusable file.
/// Scans the system fonts once per call when no `--font` is given.
pub fn resolve(user_font: Option<&Path>, text: &str) -> Result<ResolvedFont, FontError> {
    if let Some(path) = user_font {
        return resolve_user_font(path, text);
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    Ok(resolve_with(&db, text))
}

/// `--font FILE`: the face of the file that covers most of `text` (the first on a tie).
pub fn resolve_user_font(path: &Path, text: &str) -> Result<ResolvedFont, FontError> {
    let fail = |reason: String| FontError {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let needed = needed_chars(text);
    let count = ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
    let mut best: Option<(u32, Vec<char>, Option<String>)> = None;
    let mut last_error = String::from("not a TrueType/OpenType font");
    for index in 0..count {
        let face = match Face::parse(&bytes, index) {
            Ok(face) => face,
            Err(e) => {
                last_error = e.to_string();
                continue;
            }
        };
        if let Err(e) = check_embeddable(&face) {
            last_error = e.to_string();
            continue;
        }
        let uncovered = uncovered_by(&face, &needed);
        if best
            .as_ref()
            .is_none_or(|(_, u, _)| uncovered.len() < u.len())
        {
            best = Some((index, uncovered, family_name(&face)));
        }
    }
    let (index, uncovered, name) = best.ok_or_else(|| fail(last_error))?;
    Ok(ResolvedFont {
        font: FontData {
            bytes: Arc::new(bytes),
            index,
            name: name.unwrap_or_else(|| path.display().to_string()),
        },
        uncovered,
    })
}

/// The chain without `--font`, over the fonts in `db` (tests pass an empty database to
/// see the bundled fallback). Never fails: at worst the best font and what it misses.
pub fn resolve_with(db: &fontdb::Database, text: &str) -> ResolvedFont {
    let needed = needed_chars(text);
    let scripts = Scripts::of(&needed);

    let mut candidates: Vec<(Preference, &fontdb::FaceInfo)> = db
        .faces()
        .map(|info| (Preference::of(info, scripts), info))
        .collect();
    candidates.sort_by(|a, b| a.0.cmp(&b.0));

    // The most preferred face that covers everything wins; remember the closest miss.
    let mut best_partial: Option<(fontdb::ID, Vec<char>)> = None;
    for (_, info) in &candidates {
        let uncovered = db.with_face_data(info.id, |data, index| {
            let face = Face::parse(data, index).ok()?;
            check_embeddable(&face).ok()?;
            Some(uncovered_by(&face, &needed))
        });
        let Some(Some(uncovered)) = uncovered else {
            continue;
        };
        if uncovered.is_empty() {
            if let Some(font) = load_face(db, info) {
                return ResolvedFont { font, uncovered };
            }
            continue;
        }
        if best_partial
            .as_ref()
            .is_none_or(|(_, u)| uncovered.len() < u.len())
        {
            best_partial = Some((info.id, uncovered));
        }
    }

    let bundled_uncovered = match Face::parse(BUNDLED_FONT, 0) {
        Ok(face) => uncovered_by(&face, &needed),
        Err(_) => needed.clone(),
    };
    if let Some((id, uncovered)) = best_partial {
        if uncovered.len() < bundled_uncovered.len() {
            if let Some(font) = db.face(id).and_then(|info| load_face(db, info)) {
                return ResolvedFont { font, uncovered };
            }
        }
    }
    ResolvedFont {
        font: FontData::bundled(),
        uncovered: bundled_uncovered,
    }
}

fn load_face(db: &fontdb::Database, info: &fontdb::FaceInfo) -> Option<FontData> {
    let name = info
        .families
        .first()
        .map(|(family, _)| family.clone())
        .unwrap_or_else(|| info.post_script_name.clone());
    // Read files directly: copying out of fontdb's memory map would briefly hold a large
    // collection (Noto CJK: 19 MB) twice.
    if let fontdb::Source::File(path) = &info.source {
        let bytes = std::fs::read(path).ok()?;
        return Some(FontData {
            bytes: Arc::new(bytes),
            index: info.index,
            name,
        });
    }
    db.with_face_data(info.id, |data, index| FontData {
        bytes: Arc::new(data.to_vec()),
        index,
        name,
    })
}

fn uncovered_by(face: &Face, needed: &[char]) -> Vec<char> {
    needed
        .iter()
        .copied()
        .filter(|&c| face.glyph_index(c).is_none_or(|g| g.0 == 0))
        .collect()
}

/// Fonts the PDF writer can subset and embed: TrueType or CFF outlines (not CFF2, not
/// bitmap-only), and a licence that allows embedding.
fn check_embeddable(face: &Face) -> Result<(), NotEmbeddable> {
    let raw = face.raw_face();
    if raw.table(Tag::from_bytes(b"glyf")).is_none()
        && raw.table(Tag::from_bytes(b"CFF ")).is_none()
    {
        return Err(NotEmbeddable::NoOutlines);
    }
    if face.permissions() == Some(ttf_parser::Permissions::Restricted) {
        return Err(NotEmbeddable::Restricted);
    }
    Ok(())
}

fn family_name(face: &Face) -> Option<String> {
    let names = face.names();
    let find = |id| {
        names
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    };
    find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY).or_else(|| find(ttf_parser::name_id::FAMILY))
}

/// Which CJK scripts the text uses, to prefer the matching regional face: the same
/// ideograph is drawn differently in SC, TC, JP and KR fonts.
#[derive(Debug, Clone, Copy, Default)]
struct Scripts {
    han: bool,
    kana: bool,
    hangul: bool,
}

impl Scripts {
    fn of(chars: &[char]) -> Scripts {
        let mut s = Scripts::default();
        for &c in chars {
            s.han |= script::is_han(c);
            s.kana |= script::is_kana(c);
            s.hangul |= script::is_hangul(c);
        }
        s
    }

    /// Family-name tokens of faces made for this text's region.
    fn regional_tokens(self) -> &'static [&'static str] {
        if self.kana {
            &["JP", "JA", "JAPANESE"]
        } else if self.hangul {
            &["KR", "KO", "KOREAN"]
        } else if self.han {
            &["SC", "CN", "GB", "HANS", "SIMPLIFIED"]
        } else {
            &[]
        }
    }
}

/// Sort key for system faces: smaller is better. Deterministic whatever order the
/// system lists its fonts in.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Preference {
    other_region: bool,
    /// Math, symbol, emoji and icon fonts: not for running text.
    special: bool,
    not_sans: bool,
    /// The name does not say sans (or a sans style such as Hei or Gothic).
    not_named_sans: bool,
    monospaced: bool,
    italic: bool,
    weight_distance: u16,
    stretch_distance: u16,
    /// Smaller files first: the font is read into memory whole.
    file_size: u64,
    family: String,
    post_script_name: String,
    index: u32,
}

impl Preference {
    fn of(info: &fontdb::FaceInfo, scripts: Scripts) -> Preference {
        let family = info
            .families
            .first()
            .map(|(f, _)| f.clone())
            .unwrap_or_default();
        let upper = family.to_uppercase();
        let tokens: Vec<&str> = upper
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        let regional = scripts.regional_tokens();
        let other_region = !regional.is_empty() && !tokens.iter().any(|t| regional.contains(t));
        let serif_words = ["SERIF", "MINCHO", "SONG", "MING", "BATANG", "MYEONGJO"];
        let not_sans = tokens.iter().any(|t| serif_words.contains(t))
            || upper.contains("SERIF")
            || upper.contains("MONO");
        let special_words = [
            "MATH",
            "SYMBOL",
            "SYMBOLS",
            "EMOJI",
            "ICONS",
            "DINGBATS",
            "WINGDINGS",
        ];
        let special = tokens.iter().any(|t| special_words.contains(t));
        let sans_words = [
            "SANS",
            "HEI",
            "GOTHIC",
            "YAHEI",
            "PINGFANG",
            "ARIAL",
            "HELVETICA",
        ];
        let not_named_sans = !tokens
            .iter()
            .any(|t| sans_words.contains(t) || t.ends_with("SANS"));
        let file_size = match &info.source {
            fontdb::Source::File(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            fontdb::Source::Binary(data) | fontdb::Source::SharedFile(_, data) => {
                (**data).as_ref().len() as u64
            }
        };
        Preference {
            other_region,
            special,
            not_sans,
            not_named_sans,
            monospaced: info.monospaced,
            italic: info.style != fontdb::Style::Normal,
            weight_distance: info.weight.0.abs_diff(400),
            stretch_distance: (info.stretch.to_number()).abs_diff(5),
            file_size,
            family,
            post_script_name: info.post_script_name.clone(),
            index: info.index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_covers_gb2312_title_and_latin() {
        let resolved = resolve_with(
            &fontdb::Database::new(),
            "0到3000万用户微服务之旅 潘志伟 QCon Shanghai 2018 “引号”，。！？（）— 12 slides",
        );
        assert_eq!(resolved.font.name, BUNDLED_NAME);
        assert!(resolved.uncovered.is_empty(), "{:?}", resolved.uncovered);
    }

    #[test]
    fn uncovered_lists_code_points_once_ignoring_whitespace() {
        let resolved = resolve_with(&fontdb::Database::new(), "a\u{1F600} \u{1F600}\n\u{200B}b");
        assert_eq!(resolved.uncovered, vec!['\u{1F600}']);
    }

    fn face(family: &str, weight: u16, style: fontdb::Style, monospaced: bool) -> fontdb::FaceInfo {
        fontdb::FaceInfo {
            id: fontdb::ID::dummy(),
            source: fontdb::Source::Binary(Arc::new(Vec::<u8>::new())),
            index: 0,
            families: vec![(family.to_string(), fontdb::Language::English_UnitedStates)],
            post_script_name: family.replace(' ', ""),
            style,
            weight: fontdb::Weight(weight),
            stretch: fontdb::Stretch::Normal,
            monospaced,
        }
    }

    fn ranked(text: &str) -> Vec<String> {
        let normal = fontdb::Style::Normal;
        let faces = [
            face("Noto Serif CJK SC", 400, normal, false),
            face("Noto Sans CJK JP", 400, normal, false),
            face("Noto Sans Mono CJK SC", 400, normal, true),
            face("Noto Sans CJK SC", 700, normal, false),
            face("Noto Sans CJK SC", 400, fontdb::Style::Italic, false),
            face("DejaVu Math TeX Gyre", 400, normal, false),
            face("Noto Sans CJK SC", 400, normal, false),
            face("DejaVu Sans", 400, normal, false),
        ];
        let needed = needed_chars(text);
        let mut keyed: Vec<_> = faces
            .iter()
            .map(|f| {
                (
                    Preference::of(f, Scripts::of(&needed)),
                    f.families[0].0.clone(),
                )
            })
            .collect();
        keyed.sort();
        keyed.into_iter().map(|(_, name)| name).collect()
    }

    #[test]
    fn preference_order() {
        let han = ranked("微服务");
        assert_eq!(han[0], "Noto Sans CJK SC");
        assert_eq!(han[1], "Noto Sans CJK SC"); // the bold one, before the italic one
        assert!(han.iter().position(|f| f == "Noto Serif CJK SC") > Some(2));
        let kana = ranked("マイクロサービス");
        assert_eq!(kana[0], "Noto Sans CJK JP");
        let latin = ranked("Go 2");
        assert_eq!(latin[0], "DejaVu Sans");
        assert_eq!(
            latin.last().map(String::as_str),
            Some("DejaVu Math TeX Gyre")
        );
    }

    #[test]
    fn regional_preference() {
        assert_eq!(
            Scripts::of(&['微']).regional_tokens(),
            &["SC", "CN", "GB", "HANS", "SIMPLIFIED"]
        );
        assert_eq!(Scripts::of(&['微', 'の']).regional_tokens()[0], "JP");
        assert!(Scripts::of(&['a']).regional_tokens().is_empty());
    }
}
