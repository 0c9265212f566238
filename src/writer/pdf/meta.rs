//! Document-level data: dates, XMP packet, file identifier, page label ranges.

use pdf_writer::Date;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::writer::Book;

pub use crate::CREATOR;
pub const PRODUCER: &str = concat!("deckconv ", env!("CARGO_PKG_VERSION"), " (pdf-writer)");

fn utc(timestamp: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub fn pdf_date(timestamp: i64) -> Date {
    let t = utc(timestamp);
    Date::new(t.year().clamp(0, 9999) as u16)
        .month(u8::from(t.month()))
        .day(t.day())
        .hour(t.hour())
        .minute(t.minute())
        .second(t.second())
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// The UTC day of `timestamp`, as YYYY-MM-DD.
pub fn iso_day(timestamp: i64) -> String {
    let t = utc(timestamp);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// ISO 8601 as XMP wants it.
fn xmp_date(timestamp: i64) -> String {
    let t = utc(timestamp);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// PDF/A admits only the XMP schemas of its own list or ones the packet describes itself
/// (ISO 19005-2, 6.6.2.3): PDF/UA's identification schema is not on the list, so it is
/// described here, as the PDF/UA-1 standard's own example does.
const PDFUA_EXTENSION_SCHEMA: &str = "  <rdf:Description rdf:about=\"\"\n\
    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n\
    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n\
    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n\
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n\
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n\
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
     <pdfaProperty:name>part</pdfaProperty:name>\n\
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n\
     <pdfaProperty:category>internal</pdfaProperty:category>\n\
     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n\
    </rdf:li></rdf:Seq></pdfaSchema:property>\n\
   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n\
  </rdf:Description>\n";

/// An XMP packet describing the document (Dublin Core, XMP basic, PDF schema) and claiming
/// PDF/A-2u and PDF/UA-1; every entry that the document information dictionary also has
/// carries the same value there (ISO 19005-2, 6.6.3).
pub fn xmp_packet(book: &Book) -> Vec<u8> {
    let meta = &book.meta;
    let date = xmp_date(book.timestamp);
    let mut dc = String::new();
    dc.push_str(&format!(
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        crate::xml::escape(&meta.title)
    ));
    if let Some(author) = meta.author_line() {
        dc.push_str(&format!(
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            crate::xml::escape(&author)
        ));
    }
    if let Some(event) = meta.event.as_deref().filter(|e| !e.is_empty()) {
        dc.push_str(&format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            crate::xml::escape(event)
        ));
    }
    {
        let lang = &crate::writer::locale::language_tag(meta);
        dc.push_str(&format!(
            "   <dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
            crate::xml::escape(lang)
        ));
    }
    if let Some(source) = meta.source.as_deref().filter(|s| !s.is_empty()) {
        dc.push_str(&format!(
            "   <dc:source>{}</dc:source>\n",
            crate::xml::escape(source)
        ));
    }
    dc.push_str(&format!(
        "   <dc:identifier>{}</dc:identifier>\n   <dc:format>application/pdf</dc:format>\n",
        crate::xml::escape(&book.identifier)
    ));
    let uuid = book
        .identifier
        .strip_prefix("urn:uuid:")
        .unwrap_or(&book.identifier);
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
  <rdf:Description rdf:about=\"\"\n\
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n\
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n\
    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n\
    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n\
    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
   <pdfaid:part>2</pdfaid:part>\n\
   <pdfaid:conformance>U</pdfaid:conformance>\n\
   <pdfuaid:part>1</pdfuaid:part>\n\
{dc}\
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>\n\
   <xmp:CreateDate>{date}</xmp:CreateDate>\n\
   <xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
   <xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
   <pdf:Producer>{producer}</pdf:Producer>\n\
   <xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>\n\
   <xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>\n\
  </rdf:Description>\n\
{extension}\
 </rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>",
        creator = CREATOR,
        producer = PRODUCER,
        uuid = crate::xml::escape(uuid),
        extension = PDFUA_EXTENSION_SCHEMA,
    )
    .into_bytes()
}

/// The trailer's /ID: the same deck, metadata and timestamp give the same bytes.
pub fn file_id(book: &Book, pages: usize) -> [u8; 16] {
    let mut hasher = Sha256::new();
    let author_line = book.meta.author_line();
    for part in [
        book.identifier.as_str(),
        book.meta.title.as_str(),
        author_line.as_deref().unwrap_or(""),
        book.meta.event.as_deref().unwrap_or(""),
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(book.timestamp.to_be_bytes());
    hasher.update((pages as u64).to_be_bytes());
    for slide in &book.slides {
        hasher.update(slide.label.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

/// One page label range: from page index `start`, either numbers counting up from `first`
/// or a fixed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelRange {
    Numbers { start: usize, first: i32 },
    Text { start: usize, text: String },
}

/// Group consecutive slide labels into the fewest ranges: "4","5","6" is one range from 4.
pub fn label_ranges<'a>(
    first_page: usize,
    labels: impl Iterator<Item = &'a str>,
) -> Vec<LabelRange> {
    let mut ranges = Vec::new();
    let mut expected: Option<i32> = None;
    for (i, label) in labels.enumerate() {
        let page = first_page + i;
        // A number PDF can count from (St ≥ 1) and written plainly (no leading zeros).
        let number = label
            .parse::<i32>()
            .ok()
            .filter(|n| *n >= 1 && n.to_string() == label);
        match number {
            Some(n) if expected == Some(n) => {}
            Some(n) => ranges.push(LabelRange::Numbers {
                start: page,
                first: n,
            }),
            None => ranges.push(LabelRange::Text {
                start: page,
                text: label.to_string(),
            }),
        }
        expected = number.map(|n| n.saturating_add(1));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_group_consecutive_numbers() {
        let labels = ["4", "5", "6", "8", "A1", "9", "010"];
        assert_eq!(
            label_ranges(1, labels.iter().copied()),
            vec![
                LabelRange::Numbers { start: 1, first: 4 },
                LabelRange::Numbers { start: 4, first: 8 },
                LabelRange::Text {
                    start: 5,
                    text: "A1".into()
                },
                LabelRange::Numbers { start: 6, first: 9 },
                LabelRange::Text {
                    start: 7,
                    text: "010".into()
                },
            ]
        );
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(xmp_date(1_557_736_000), "2019-05-13T08:26:40Z");
        assert_eq!(iso_day(1_557_736_000), "2019-05-13");
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            crate::xml::escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;"
        );
    }
}
