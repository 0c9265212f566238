//! Tagged PDF (PDF/UA-1): every mark on a page is either real content, in a marked-content
//! sequence with an MCID that a structure element owns, or an artifact (headers, footers,
//! frames, rules). Pages record their elements here as they are drawn; the structure tree
//! is written once, after the pages, from this small list (roles, MCIDs, short texts), so
//! nothing but references and descriptions stays in memory.
//!
//! Reading order is the structure tree's, not the drawing order: each element carries a
//! sort key (the slot of its slide on the sheet, then its part: figure, text, notes), so a
//! sheet can draw its notes before its text layer and still be read slide by slide.

use pdf_writer::types::{ArtifactSubtype, ArtifactType, StructRole};
use pdf_writer::{Chunk, Content, Finish, Name, Ref, TextStr};

use crate::script;

/// Where an element goes in the page's reading order: (slot, part).
pub type Order = (usize, u8);

/// The parts of a slide in reading order.
pub const FIGURE: u8 = 0;
pub const TEXT: u8 = 1;
pub const NOTES: u8 = 2;

/// One structure element, owning one marked-content sequence of its page.
#[derive(Debug, Clone)]
pub struct Element {
    pub role: StructRole,
    pub mcid: i32,
    pub order: Order,
    /// Alternate description (figures).
    pub alt: Option<String>,
    /// Language, where it differs from the document's.
    pub lang: Option<String>,
}

/// The elements of one page as it is drawn.
#[derive(Debug, Default)]
pub struct PageTags {
    elements: Vec<Element>,
}

impl PageTags {
    /// Open a marked-content sequence of real content for a new element (close it with
    /// `end`).
    pub fn begin(
        &mut self,
        content: &mut Content,
        role: StructRole,
        order: Order,
        alt: Option<String>,
        lang: Option<String>,
    ) {
        let mcid = self.elements.len() as i32;
        content
            .begin_marked_content_with_properties(role.to_name())
            .properties()
            .identify(mcid);
        self.elements.push(Element {
            role,
            mcid,
            order,
            alt,
            lang,
        });
    }

    /// Open an artifact: what is there for the page's look, not its content (close it with
    /// `end`).
    pub fn artifact(content: &mut Content, kind: ArtifactType, subtype: Option<ArtifactSubtype>) {
        let mut marked = content.begin_marked_content_with_properties(Name(b"Artifact"));
        let mut artifact = marked.properties().artifact();
        artifact.kind(kind);
        if let Some(subtype) = subtype {
            artifact.subtype(subtype);
        }
    }

    pub fn end(content: &mut Content) {
        content.end_marked_content();
    }

    /// The page's elements in reading order.
    /// Mark every element that names no language of its own as being in `lang` (a talk's
    /// title page inside an anthology in another language).
    pub fn set_lang(&mut self, lang: &str) {
        for element in &mut self.elements {
            if element.lang.is_none() {
                element.lang = Some(lang.to_string());
            }
        }
    }

    pub fn into_elements(mut self) -> Vec<Element> {
        self.elements.sort_by_key(|e| e.order);
        self.elements
    }
}

/// Every tagged page's elements, in page order.
#[derive(Debug, Default)]
pub struct Tags {
    pages: Vec<(Ref, Vec<Element>)>,
}

impl Tags {
    /// Record page `page`'s elements; returns its `/StructParents` key.
    pub fn add_page(&mut self, page: Ref, tags: PageTags) -> i32 {
        self.pages.push((page, tags.into_elements()));
        (self.pages.len() - 1) as i32
    }

    /// The structure tree (root at `root`, a Document element holding every element in
    /// reading order) and its parent tree, in chunks of at most a few hundred objects.
    pub fn write(
        &self,
        root: Ref,
        alloc: &mut Ref,
        mut emit: impl FnMut(&Chunk) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let document = alloc.bump();
        // Refs per page, by MCID (the parent tree's arrays) and in reading order.
        let refs: Vec<Vec<Ref>> = self
            .pages
            .iter()
            .map(|(_, elements)| elements.iter().map(|_| alloc.bump()).collect())
            .collect();

        let mut chunk = Chunk::new();
        {
            let mut tree = chunk
                .indirect(root)
                .start::<pdf_writer::writers::StructTreeRoot>();
            tree.child(document);
            {
                // Number tree values are arrays here (one ref per MCID), which pdf-writer's
                // typed number tree does not take: written as a plain dictionary.
                let mut parents = tree.insert(Name(b"ParentTree")).dict();
                let mut nums = parents.insert(Name(b"Nums")).array();
                for (key, ((_, elements), refs)) in self.pages.iter().zip(&refs).enumerate() {
                    let mut by_mcid: Vec<(i32, Ref)> = elements
                        .iter()
                        .zip(refs)
                        .map(|(e, r)| (e.mcid, *r))
                        .collect();
                    by_mcid.sort_by_key(|(mcid, _)| *mcid);
                    nums.item(key as i32);
                    nums.push()
                        .array()
                        .items(by_mcid.into_iter().map(|(_, r)| r));
                }
            }
            tree.parent_tree_next_key(self.pages.len() as i32);
        }
        {
            let mut element = chunk.struct_element(document);
            element.kind(StructRole::Document).parent(root);
            element
                .insert(Name(b"K"))
                .array()
                .items(refs.iter().flatten().copied());
        }
        emit(&chunk)?;

        for ((page, elements), refs) in self.pages.iter().zip(&refs) {
            let mut chunk = Chunk::new();
            for (e, id) in elements.iter().zip(refs) {
                let mut element = chunk.struct_element(*id);
                element.kind(e.role).parent(document).page(*page);
                if let Some(alt) = &e.alt {
                    element.alt(TextStr(alt));
                }
                if let Some(lang) = &e.lang {
                    element.lang(TextStr(lang));
                }
                element.pair(Name(b"K"), e.mcid);
                element.finish();
            }
            emit(&chunk)?;
        }
        Ok(())
    }
}

/// The language of a recognised line where it is known to differ from the document's: the
/// recogniser reads Simplified Chinese and English only, so a line with Han characters is
/// Chinese and one without is English. A Han line in a Japanese or Korean document is left
/// to the document's language (it may well be kanji or hanja).
pub fn line_language(text: &str, document: &str) -> Option<String> {
    let primary = document
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if text.chars().any(script::is_han) {
        (!matches!(primary.as_str(), "zh" | "ja" | "ko")).then(|| "zh".to_string())
    } else if text.chars().any(char::is_alphabetic) {
        (primary != "en").then(|| "en".to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_in_another_language_are_marked() {
        assert_eq!(
            line_language("Each service owns its data", "zh-CN"),
            Some("en".into())
        );
        assert_eq!(line_language("Each service owns its data", "en"), None);
        assert_eq!(line_language("配置中心 Apollo", "en"), Some("zh".into()));
        assert_eq!(line_language("配置中心 Apollo", "zh"), None);
        assert_eq!(line_language("設定", "ja"), None);
        assert_eq!(line_language("2018 · 42", "zh"), None);
    }

    #[test]
    fn elements_are_read_in_slot_order_whatever_the_drawing_order() {
        let mut tags = PageTags::default();
        let mut content = Content::new();
        tags.begin(&mut content, StructRole::P, (0, NOTES), None, None);
        PageTags::end(&mut content);
        tags.begin(
            &mut content,
            StructRole::Figure,
            (0, FIGURE),
            Some("a".into()),
            None,
        );
        PageTags::end(&mut content);
        tags.begin(&mut content, StructRole::P, (0, TEXT), None, None);
        PageTags::end(&mut content);
        let order: Vec<i32> = tags.into_elements().iter().map(|e| e.mcid).collect();
        assert_eq!(order, vec![1, 2, 0]);
        let bytes = content.finish().into_vec();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.starts_with("/P <<") && text.contains("/MCID 0"),
            "{text}"
        );
    }
}
