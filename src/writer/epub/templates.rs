//! The book's text files: templates embedded in the binary, each overridable by a file of the
//! same name in `--templates DIR`, rendered with minijinja.

use std::path::Path;

use crate::writer::WriteError;
use minijinja::{AutoEscape, Environment};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../templates/", $name)))),*]
    };
}

/// (name, embedded source). The names are also the file names looked up in `--templates DIR`.
const EMBEDDED: &[(&str, &str)] = embedded![
    "container.xml",
    "book.css",
    "title.xhtml",
    "contents.xhtml",
    "cover.xhtml",
    "slide.xhtml",
    "nav.xhtml",
    "toc.ncx",
    "package.opf",
];

/// minijinja escapes only `.html`, `.htm` and `.xml` by default; every XML file of the book
/// must be escaped, whatever its extension.
fn escape_for(name: &str) -> AutoEscape {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("xhtml" | "html" | "xml" | "opf" | "ncx") => AutoEscape::Html,
        _ => AutoEscape::None,
    }
}

/// XML escaping of exactly the five markup characters: minijinja's HTML escaping also turns
/// `/` into `&#x2f;`, valid but noisy in every path and URL of the book.
fn xml_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if *state.auto_escape() == AutoEscape::Html && !value.is_safe() {
        if let Some(text) = value.as_str() {
            return Ok(crate::xml::escape_into(out, text)?);
        }
    }
    minijinja::escape_formatter(out, state, value)
}

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The embedded templates, with any file of the same name in `dir` taking precedence.
    pub fn load(dir: Option<&Path>) -> Result<Self, WriteError> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(escape_for);
        env.set_formatter(xml_formatter);
        // Missing variables in a user's template are errors, not silent blanks.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(WriteError::Input {
                    option: "--templates",
                    path: dir.display().to_string(),
                    reason: "not a folder".into(),
                });
            }
        }
        for &(name, embedded) in EMBEDDED {
            let source = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => std::fs::read_to_string(&path).map_err(|e| WriteError::Template {
                    name: path.display().to_string(),
                    reason: format!("cannot read: {e}"),
                })?,
                None => embedded.to_string(),
            };
            env.add_template_owned(name, source)
                .map_err(|e| WriteError::Template {
                    name: name.to_string(),
                    reason: e.to_string(),
                })?;
        }
        Ok(Templates { env })
    }

    pub fn render<S: serde::Serialize>(
        &self,
        name: &str,
        context: S,
    ) -> Result<String, WriteError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(&context)))
            .map_err(|e| WriteError::Template {
                name: name.to_string(),
                reason: format!("{e:#}"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_templates_escape_and_css_does_not() {
        assert_eq!(escape_for("package.opf"), AutoEscape::Html);
        assert_eq!(escape_for("toc.ncx"), AutoEscape::Html);
        assert_eq!(escape_for("title.xhtml"), AutoEscape::Html);
        assert_eq!(escape_for("book.css"), AutoEscape::None);
    }

    #[test]
    fn values_are_escaped_in_xhtml() {
        let mut env = Environment::new();
        env.set_auto_escape_callback(escape_for);
        env.set_formatter(xml_formatter);
        env.add_template("t.xhtml", "<p>{{ v }} {{ n }}</p>")
            .unwrap();
        let out = env
            .get_template("t.xhtml")
            .unwrap()
            .render(minijinja::context! { v => "a/b & <c> \"d\" 'e'", n => 3 })
            .unwrap();
        assert_eq!(
            out,
            "<p>a/b &amp; &lt;c&gt; &quot;d&quot; &#x27;e&#x27; 3</p>"
        );
    }
}
