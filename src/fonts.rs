//! Font resolution for text deckconv draws itself (title page, captions):
//! `--font FILE` → a system font covering every character → the bundled CJK subset →
//! a warning naming the code points nothing covers.

use std::path::Path;
use std::sync::Arc;

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

/// The chosen font and the characters of `text` it still cannot show.
#[derive(Debug, Clone)]
pub struct ResolvedFont {
    pub font: FontData,
    pub uncovered: Vec<char>,
}

/// Pick a font that covers `text`. Fails only when `--font` names an unusable file.
pub fn resolve(user_font: Option<&Path>, text: &str) -> Result<ResolvedFont, String> {
    let _ = (user_font, text);
    Err("font resolution not implemented yet".into())
}
