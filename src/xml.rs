//! The one XML escaper: every XML file deckconv writes (XMP, EPUB package and pages, CBZ
//! metadata) escapes text here.

use std::fmt::Write;

/// Whether XML 1.0 can hold `c` at all, even escaped.
pub fn is_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// `text` without the characters XML cannot hold.
pub fn clean(text: &str) -> String {
    text.chars().filter(|&c| is_allowed(c)).collect()
}

/// Write `text` escaped for character data and attribute values: the five markup
/// characters become references, characters XML cannot hold are dropped.
pub fn escape_into(out: &mut impl Write, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(i) =
        rest.find(|c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || !is_allowed(c))
    {
        out.write_str(&rest[..i])?;
        let c = rest[i..].chars().next().unwrap_or(' ');
        match c {
            '&' => out.write_str("&amp;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '"' => out.write_str("&quot;")?,
            '\'' => out.write_str("&#x27;")?,
            _ => {}
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.write_str(rest)
}

/// [`escape_into`] a new string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_controls_dropped() {
        assert_eq!(
            escape("a/b & <c> \"d\" 'e'\u{1}\u{FFFF}"),
            "a/b &amp; &lt;c&gt; &quot;d&quot; &#x27;e&#x27;"
        );
        assert_eq!(clean("a\u{1}b\tc"), "ab\tc");
    }
}
