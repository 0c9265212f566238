//! Where outputs go and how they get there: names from the display title, `-o` as a file or
//! a folder, and atomic writing — each output is written beside its target and renamed into
//! place only when complete, so a failed run never leaves half a file at the target.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::Deck;
use crate::stop::TempFile;

/// `-o` is the file itself when one input makes one output; otherwise a folder (`output/`).
/// `stem` is the file name without extension ([`file_stem_for`]); `taken` keeps two decks of
/// the same title from writing one file.
pub fn target_path(
    output: Option<&Path>,
    single: bool,
    stem: &str,
    extension: &str,
    taken: &mut HashSet<PathBuf>,
) -> Result<PathBuf, Error> {
    if let (true, Some(out)) = (single, output) {
        // `-o handouts/` names a folder even before it exists.
        let names_folder = out.as_os_str().to_string_lossy().ends_with(['/', '\\']);
        if !out.is_dir() && !names_folder {
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent)
                    .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
            }
            return Ok(out.to_path_buf());
        }
    }
    let dir = output.map_or_else(|| PathBuf::from("output"), Path::to_path_buf);
    fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let mut candidate = dir.join(format!("{stem}.{extension}"));
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = dir.join(format!("{stem} ({n}).{extension}"));
        n += 1;
    }
    // Found now, before any download, rather than when the finished file is renamed.
    if candidate.is_dir() {
        return Err(Error::io(
            format!("cannot write {}", candidate.display()),
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "a folder is in the way"),
        ));
    }
    Ok(candidate)
}

/// A run never writes over one of its own inputs: `-o deck.md`, `-o slide.png`, or a link to
/// either, is refused before anything is fetched or written.
pub fn refuse_overwriting_inputs(
    target: &Path,
    input: &crate::reader::Input,
    deck: &Deck,
) -> Result<(), Error> {
    // A target that does not exist yet is no input. Handles compare the files themselves
    // (device and inode, or the Windows file index): hard and symbolic links are both caught.
    let Ok(target_file) = same_file::Handle::from_path(target) else {
        return Ok(());
    };
    let is_target =
        |path: &Path| same_file::Handle::from_path(path).is_ok_and(|f| f == target_file);
    let refuse = |what: String| {
        Err(Error::OverwritesInput {
            target: target.to_path_buf(),
            what,
        })
    };
    if let crate::reader::Input::Path(deck_path) = input {
        if is_target(deck_path) {
            return refuse("the deck".into());
        }
    }
    for slide in &deck.slides {
        if let crate::model::SlideSource::Local(path) = &slide.source {
            if is_target(path) {
                return refuse(format!("the image of slide {}", slide.position));
            }
        }
    }
    Ok(())
}

/// A file name from the display title (CJK kept, unsafe characters replaced) or the input's stem.
pub fn file_stem_for(deck: &Deck) -> String {
    let from_title = sanitize_file_stem(&deck.meta.title);
    if !from_title.is_empty() {
        return from_title;
    }
    deck.origin
        .stem()
        .map(|s| sanitize_file_stem(&s))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "deck".to_string())
}

pub fn sanitize_file_stem(name: &str) -> String {
    let replaced: String = name
        .chars()
        // Invisible characters would make a name that reads as another (bidi overrides turn
        // `gnp.exe` around) or two names that look the same (zero-width ones): dropped.
        .filter(|&c| !is_invisible_format_char(c))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced.trim_matches(|c: char| c == '.' || c.is_whitespace());
    // Most file systems allow 255 bytes per name; leave room for the extension.
    let mut out = String::new();
    for c in trimmed.chars() {
        if out.len() + c.len_utf8() > 200 {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// Bidi controls, zero-width characters and other invisible format characters (Unicode
/// category Cf as it occurs in text: marks, embeddings, overrides, isolates, joiners, BOM).
fn is_invisible_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// An output being written: a temporary file beside its target, removed if dropped.
pub struct PartialOutput {
    temp: TempFile,
    target: PathBuf,
}

impl PartialOutput {
    /// Start an output for `target`; the file handle is where the writer writes.
    pub fn begin(target: &Path) -> Result<(PartialOutput, File), Error> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".deckconv-").suffix(".part");
        #[cfg(unix)]
        {
            // Like any new file: 0666 less the umask, not tempfile's private 0600.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temp = TempFile::create(|| builder.tempfile_in(&dir))
            .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
        let file = temp
            .reopen()
            .map_err(|e| Error::io("cannot reopen temporary output", e))?;
        Ok((
            PartialOutput {
                temp,
                target: target.to_path_buf(),
            },
            file,
        ))
    }

    /// Only a complete file reaches the target.
    pub fn commit(self) -> Result<PathBuf, Error> {
        self.temp
            .persist(&self.target)
            .map_err(|e| Error::io(format!("cannot write {}", self.target.display()), e.error))?;
        Ok(self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_names_keep_cjk_and_drop_separators() {
        assert_eq!(
            sanitize_file_stem("0到3000万/用户: 微服务?"),
            "0到3000万_用户_ 微服务_"
        );
        assert_eq!(sanitize_file_stem("  ..hidden.. "), "hidden");
        // A right-to-left override and zero-width characters leave no trace.
        assert_eq!(
            sanitize_file_stem("\u{202E}fdp.exe\u{202C} 微\u{200B}服务\u{FEFF}"),
            "fdp.exe 微服务"
        );
    }

    #[test]
    fn an_abandoned_output_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("talk.pdf");
        let (partial, _file) = PartialOutput::begin(&target).expect("begin");
        drop(partial);
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}
