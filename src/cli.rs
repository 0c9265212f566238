//! Raw command-line flags (clap) and their validation into [`Settings`].

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command, Parser};

use std::sync::Arc;

use deckconv::fetch::{FetchOptions, DEFAULT_CACHE_LIMIT_MIB, DEFAULT_DOWNLOAD_TIMEOUT_SECS};
use deckconv::normalize::Limits;
use deckconv::pipeline::{AnthologyOptions, ConvertOptions, OcrOptions};
use deckconv::reader::{Input, MetaOverrides};
use deckconv::settings::Settings;
use deckconv::writer::devices::{self, DeviceOptions, Fit, DEFAULT_JPEG_QUALITY};
use deckconv::writer::epub::EpubOptions;
use deckconv::writer::pdf::{Layout, Order, Orientation, Paper, PdfOptions};
use deckconv::writer::registry::{self, BackendEntry, OutputOptions};

const EXAMPLES: &str = "\
Examples:
  deckconv deck.md --pdf                      PDF with a title page, into output/
  deckconv deck.md --pdf -o talk.pdf          ... to a file of your choosing
  deckconv https://host/talk.md --pdf         a published deck, fetched and cached
  deckconv talk.md --pdf --skip-broken        leave out slides whose links are dead
  deckconv slides/ --pdf --title \"My talk\"    a folder of images, in natural order
  deckconv list.txt --epub                    one path or URL per line
  deckconv deck.md --epub --device kobo-clara an EPUB fitted to an e-reader (--list-devices)
  deckconv deck.md --cbz --device kobo-clara  a comic-book archive for comic readers
  cat deck.md | deckconv - --pdf              from standard input
  deckconv *.md --pdf -o handouts/            many decks, one folder
  deckconv decks/ --anthology --epub          a whole conference as one book
  deckconv decks/ --anthology --pdf --sort session --layout handout-6
  deckconv deck.md --pdf --layout handout-3   3 slides a sheet with lines for notes
  deckconv deck.md --pdf --layout handout-6 --paper letter --landscape
  deckconv deck.md --pdf --layout notes       one slide a sheet, its notes beneath

Handout paper defaults to the locale's (LC_ALL, LC_PAPER, then LANG: US and Canada
Letter, elsewhere A4). --paper, --landscape, --portrait, --order and --no-frame apply
to the handout and notes layouts only; with --layout slides they are a usage error.

Exit status: 0 success, 1 conversion failed (with many decks: some failed, the others
were written; --report FILE lists each), 2 usage error, 130 or 143 stopped by
SIGINT or SIGTERM (a second signal exits at once; no partial file is left).";

#[derive(Debug, Parser)]
#[command(
    name = "deckconv",
    version,
    about = "Turn a slide deck published as images into a PDF handout, an EPUB book or a CBZ",
    after_help = EXAMPLES
)]
pub struct RawArgs {
    /// Markdown slide list, folder of images, list file, URL, or - for stdin.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<std::ffi::OsString>,

    /// `--pdf`, `--epub`, `--cbz`: one flag per entry of the writer registry.
    #[command(flatten)]
    pub formats: FormatFlags,

    /// Output file (one input, one format) or folder [default: output/].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Title to use instead of the deck's (with --anthology: the collection's title).
    #[arg(long)]
    pub title: Option<String>,

    /// Write every input's talks into ONE book: a collection title page, a contents page,
    /// then each talk with its own title page. Folders of Markdown decks are opened; a talk
    /// given twice is kept once.
    #[arg(long)]
    pub anthology: bool,

    /// Order of an anthology's talks: title, speaker or session (session codes such as
    /// `19日上1`, `10.20 上午第一场`) [default: as given, a folder's decks in natural order].
    #[arg(long, value_name = "KEY", requires = "anthology")]
    pub sort: Option<String>,

    /// Write one JSON line per deck to FILE: input, output, title, speakers, slides,
    /// warnings, error.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Author to use instead of the deck's.
    #[arg(long)]
    pub author: Option<String>,

    /// Event (conference) to name instead of the deck's.
    #[arg(long)]
    pub event: Option<String>,

    /// Keep the title exactly as written (no cleanup of `+`, status words, speaker names).
    #[arg(long)]
    pub raw_title: bool,

    /// Language of the deck (BCP 47, e.g. zh, en).
    #[arg(long)]
    pub lang: Option<String>,

    /// Font for the title page and captions (TTF/OTF/TTC).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,

    /// Downloads in flight at once, for the whole run (decks fetched together share them).
    #[arg(short, long, default_value_t = 8, value_name = "N")]
    pub jobs: usize,

    /// Cache folder [default: the platform cache folder].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Keep the download cache under this many MiB; least recently used images go first.
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_CACHE_LIMIT_MIB)]
    pub cache_limit: u64,

    /// Build from the cache alone; no network.
    #[arg(long, conflicts_with = "refresh")]
    pub offline: bool,

    /// Ignore the cache and download everything again.
    #[arg(long)]
    pub refresh: bool,

    /// Longest one download may take, in seconds, before the slide fails as too slow.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_DOWNLOAD_TIMEOUT_SECS)]
    pub timeout: u64,

    /// Let a deck read from a URL (and the URL itself) reach this machine and its local
    /// network (loopback, private, link-local addresses); by default it may reach public
    /// addresses only.
    #[arg(long)]
    pub allow_local_network: bool,

    /// Leave out slides that cannot be fetched or read (each one is reported) instead of
    /// writing no output.
    #[arg(long)]
    pub skip_broken: bool,

    /// Page layout: slides (one slide a page), handout-1|2|3|4|6|9 (slides on printable
    /// sheets; 3 has lines for notes), notes (one slide a sheet with its notes).
    #[arg(
        long,
        default_value = "slides",
        value_name = "LAYOUT",
        help_heading = "PDF"
    )]
    pub layout: String,

    /// Sheet paper: a4, letter, a3, legal, or WxH in mm or in (210x297mm, 8.5x11in)
    /// [default: from the locale].
    #[arg(long, value_name = "PAPER", help_heading = "PDF")]
    pub paper: Option<String>,

    /// Sheets in landscape [default: whichever shows slides largest].
    #[arg(long, conflicts_with = "portrait", help_heading = "PDF")]
    pub landscape: bool,

    /// Sheets in portrait.
    #[arg(long, help_heading = "PDF")]
    pub portrait: bool,

    /// No frame around the slides on sheets.
    #[arg(long, help_heading = "PDF")]
    pub no_frame: bool,

    /// Reading order on sheets: horizontal (rows first) or vertical (columns first).
    #[arg(long, value_name = "ORDER", help_heading = "PDF")]
    pub order: Option<String>,

    /// Leave out the title page (PDF; the EPUB always has one).
    #[arg(long, help_heading = "PDF")]
    pub no_title_page: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Print a timeline of the stages on stderr (-vv: every slide fetched and written).
    #[arg(short, long, action = ArgAction::Count)]
    pub verbose: u8,

    /// EPUB, CBZ: fit slides to this reader's screen (see --list-devices); e-ink readers get grey.
    #[arg(long, value_name = "NAME", help_heading = "EPUB")]
    pub device: Option<String>,

    /// EPUB, CBZ: how landscape slides fill a portrait --device: rotate (turned, one a page,
    /// the device held sideways), stack (two a page, EPUB only) or none [default: the
    /// device's, see --list-devices].
    #[arg(long, value_name = "FIT", help_heading = "EPUB")]
    pub fit: Option<String>,

    /// EPUB, CBZ: keep colour on an e-ink --device.
    #[arg(long, help_heading = "EPUB")]
    pub color: bool,

    /// EPUB: cover image [default: the first slide].
    #[arg(long, value_name = "FILE", help_heading = "EPUB")]
    pub cover: Option<PathBuf>,

    /// EPUB: folder of templates overriding the built-in ones of the same name.
    #[arg(long, value_name = "DIR", help_heading = "EPUB")]
    pub templates: Option<PathBuf>,

    /// EPUB: Kobo edition, a kepub (.kepub.epub) with Kobo's page wrappers and spans.
    #[arg(long, help_heading = "EPUB")]
    pub kobo: bool,

    /// EPUB, CBZ: quality of the JPEGs deckconv encodes (1-100).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JPEG_QUALITY, help_heading = "EPUB")]
    pub jpeg_quality: u8,

    /// Print the --device profiles with their resolutions and exit.
    #[arg(long, help_heading = "EPUB")]
    pub list_devices: bool,

    /// Recognise the text of every slide: an invisible, searchable text layer in the PDF and
    /// the EPUB, headings in the outline and table of contents, image descriptions.
    #[arg(long, help_heading = "Text recognition")]
    pub ocr: bool,

    /// Language of the slides' text: chi_sim+eng (Simplified Chinese and English, the default;
    /// the one model reads both).
    #[arg(
        long,
        value_name = "LANG",
        requires = "ocr",
        help_heading = "Text recognition"
    )]
    pub ocr_lang: Option<String>,

    /// Folder of the recognition models [default: $XDG_DATA_HOME/deckconv/ocr-models, as
    /// installed by scripts/fetch-ocr-models.sh].
    #[arg(
        long,
        value_name = "DIR",
        requires = "ocr",
        help_heading = "Text recognition"
    )]
    pub ocr_models: Option<PathBuf>,
}

/// The output format flags, one `--NAME` per entry of the writer registry
/// ([`registry::BACKENDS`]), in its order: a new format needs no line here.
#[derive(Debug, Clone, Default)]
pub struct FormatFlags {
    /// The registry names of the formats asked for, in registry order.
    pub chosen: Vec<&'static str>,
}

impl FormatFlags {
    /// A `--NAME` switch for each of `entries`, its help from the entry.
    fn args(entries: &'static [BackendEntry]) -> impl Iterator<Item = Arg> {
        entries.iter().map(|entry| {
            Arg::new(entry.name)
                .long(entry.name)
                .help(entry.flag_help)
                .action(ArgAction::SetTrue)
        })
    }

    /// The names of `entries` whose flag `matches` holds.
    fn chosen_in(matches: &ArgMatches, entries: &'static [BackendEntry]) -> Vec<&'static str> {
        entries
            .iter()
            .filter(|entry| matches.get_flag(entry.name))
            .map(|entry| entry.name)
            .collect()
    }
}

impl clap::FromArgMatches for FormatFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(FormatFlags {
            chosen: FormatFlags::chosen_in(matches, registry::BACKENDS),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = FormatFlags::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for FormatFlags {
    fn augment_args(cmd: Command) -> Command {
        cmd.args(FormatFlags::args(registry::BACKENDS))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        FormatFlags::augment_args(cmd)
    }
}

/// Flags that make no sense together, missing inputs, bad numbers: a usage error (exit 2).
pub fn validate(raw: RawArgs) -> Result<Settings, String> {
    if raw.inputs.is_empty() {
        return Err("no input given (a Markdown deck, a folder, a list file, a URL, or -)".into());
    }
    if raw.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err("standard input (-) can be read only once".into());
    }
    let mut formats: Vec<&str> = raw.formats.chosen.clone();
    if formats.is_empty() {
        // `-o talk.pdf` says what is wanted as clearly as `--pdf`.
        match raw
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .and_then(registry::find)
        {
            Some(entry) => formats.push(entry.name),
            None => {
                let mut names: Vec<String> = registry::BACKENDS
                    .iter()
                    .map(|b| format!("--{}", b.name))
                    .collect();
                let last = names.pop().unwrap_or_default();
                return Err(format!(
                    "choose an output format: {} or {last}",
                    names.join(", ")
                ));
            }
        }
    }
    if raw.jobs == 0 || raw.jobs > 64 {
        return Err(format!(
            "--jobs must be between 1 and 64 (got {})",
            raw.jobs
        ));
    }
    if raw.timeout == 0 || raw.timeout > 24 * 3600 {
        return Err(format!(
            "--timeout must be between 1 and 86400 seconds (got {})",
            raw.timeout
        ));
    }
    if let Some(font) = &raw.font {
        if !font.is_file() {
            return Err(format!("--font {}: no such file", font.display()));
        }
    }
    let pdf = pdf_options(&raw, formats.contains(&"pdf"))?;
    let device = match raw.device.as_deref() {
        None => None,
        Some(name) => Some(devices::find(name).ok_or_else(|| {
            let known: Vec<&str> = devices::DEVICES.iter().map(|d| d.name).collect();
            format!("--device {name}: unknown (known: {})", known.join(", "))
        })?),
    };
    let fit = fit_option(&raw, device, &formats)?;
    if !(1..=100).contains(&raw.jpeg_quality) {
        return Err(format!(
            "--jpeg-quality must be between 1 and 100 (got {})",
            raw.jpeg_quality
        ));
    }
    if let Some(cover) = &raw.cover {
        if !cover.is_file() {
            return Err(format!("--cover {}: no such file", cover.display()));
        }
    }
    if let Some(dir) = &raw.templates {
        if !dir.is_dir() {
            return Err(format!("--templates {}: no such folder", dir.display()));
        }
    }
    let ocr = if raw.ocr {
        Some(ocr_options(
            raw.ocr_lang.as_deref(),
            raw.ocr_models.as_deref(),
        )?)
    } else {
        None
    };
    let encode_jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let limits = Limits::default();
    let options = OutputOptions {
        pdf,
        epub: EpubOptions {
            kobo: raw.kobo,
            cover: raw.cover,
            templates: raw.templates,
        },
        screen: DeviceOptions {
            device,
            color: raw.color,
            jpeg_quality: raw.jpeg_quality,
            fit,
        },
        limits,
    };
    let backends = formats
        .iter()
        .filter_map(|name| registry::find(name))
        .map(|entry| Arc::from((entry.build)(&options)))
        .collect();
    // In an anthology `--title` names the collection; every talk keeps its own.
    let (anthology, title) = if raw.anthology {
        let sort = raw
            .sort
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| format!("--sort: {e}"))?;
        let options = AnthologyOptions {
            title: raw.title,
            sort,
        };
        (Some(options), None)
    } else {
        (None, raw.title)
    };
    Ok(Settings {
        anthology,
        report: raw.report,
        inputs: raw.inputs.iter().map(|s| Input::parse_os(s)).collect(),
        backends,
        output: raw.output,
        fetch: FetchOptions {
            jobs: raw.jobs,
            cache_dir: raw.cache_dir,
            offline: raw.offline,
            refresh: raw.refresh,
            cache_limit: raw.cache_limit.saturating_mul(1 << 20),
            download_timeout: std::time::Duration::from_secs(raw.timeout),
            allow_local_network: raw.allow_local_network,
            ..FetchOptions::default()
        },
        overrides: MetaOverrides {
            title,
            author: raw.author,
            event: raw.event,
            lang: raw.lang,
            raw_title: raw.raw_title,
        },
        convert: ConvertOptions {
            font: raw.font,
            limits,
            encode_jobs,
            skip_broken: raw.skip_broken,
            timestamp: timestamp(),
            ocr,
        },
    })
}

/// `--fit`: only where there is a portrait screen to fill, and a page that can hold it. A
/// usage error rather than ignored otherwise: the user expected it to change something.
fn fit_option(
    raw: &RawArgs,
    device: Option<&'static devices::DeviceProfile>,
    formats: &[&str],
) -> Result<Option<Fit>, String> {
    let Some(name) = raw.fit.as_deref() else {
        return Ok(None);
    };
    let fit = name.parse::<Fit>().map_err(|e| e.to_string())?;
    if !formats.iter().any(|f| matches!(*f, "epub" | "cbz")) {
        return Err(format!("--fit {} applies to --epub and --cbz", fit.name()));
    }
    if fit == Fit::None {
        return Ok(Some(fit));
    }
    let Some(device) = device else {
        return Err(format!(
            "--fit {} needs --device: the screen the slides are to fill",
            fit.name()
        ));
    };
    if device.width >= device.height {
        return Err(format!(
            "--fit {}: --device {} is a landscape screen, which landscape slides fill as they are",
            fit.name(),
            device.name
        ));
    }
    if fit == Fit::Stack && formats.contains(&"cbz") {
        return Err(
            "--fit stack applies to the EPUB: a CBZ page is one image, with no room \
             for the slides' labels (use --fit rotate)"
                .into(),
        );
    }
    Ok(Some(fit))
}

/// The recognition engine for `--ocr`: its language and models, loaded once (a missing or
/// broken model is a usage error that names the command that installs them).
#[cfg(feature = "ocr")]
fn ocr_options(lang: Option<&str>, models: Option<&std::path::Path>) -> Result<OcrOptions, String> {
    use deckconv::ocr::{default_models_dir, Lang, LazyEngine};
    let lang: Lang = match lang {
        Some(l) => l.parse().map_err(|e| format!("--ocr-lang: {e}"))?,
        None => Lang::default(),
    };
    let dir = match models {
        Some(dir) => dir.to_path_buf(),
        None => default_models_dir()
            .ok_or("--ocr: no home folder to find the models in; name it with --ocr-models DIR")?,
    };
    let engine = LazyEngine::new(&dir, lang).map_err(|e| format!("--ocr: {e}"))?;
    Ok(OcrOptions {
        recognizer: Arc::new(engine),
        // The pipeline puts it in the cache folder.
        cache_dir: None,
    })
}

#[cfg(not(feature = "ocr"))]
fn ocr_options(
    _lang: Option<&str>,
    _models: Option<&std::path::Path>,
) -> Result<OcrOptions, String> {
    Err("--ocr: this deckconv was built without text recognition; \
         build it with `cargo build --release --features ocr`"
        .into())
}

/// Layout, paper, orientation and order for the PDF. Sheet flags with the slides layout
/// (or without a PDF) are a usage error rather than silently ignored: the user expected
/// them to do something.
fn pdf_options(raw: &RawArgs, writes_pdf: bool) -> Result<PdfOptions, String> {
    let layout = raw
        .layout
        .trim()
        .parse::<Layout>()
        .map_err(|e| e.to_string())?;
    let sheet_flags: Vec<&str> = [
        (raw.paper.is_some(), "--paper"),
        (raw.landscape, "--landscape"),
        (raw.portrait, "--portrait"),
        (raw.no_frame, "--no-frame"),
        (raw.order.is_some(), "--order"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect();
    if layout != Layout::Slides && !writes_pdf {
        return Err(format!("--layout {layout} applies to the PDF: add --pdf"));
    }
    if layout == Layout::Slides && !sheet_flags.is_empty() {
        return Err(format!(
            "{} applies to handout and notes layouts (e.g. --layout handout-6), not to --layout slides",
            sheet_flags.join(", ")
        ));
    }
    let paper = match &raw.paper {
        Some(p) => p.parse::<Paper>().map_err(|e| e.to_string())?,
        None => {
            // POSIX order: LC_ALL overrides LC_PAPER, which overrides LANG.
            let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
            let lc_paper = var("LC_ALL").or_else(|| var("LC_PAPER"));
            Paper::from_locale(lc_paper.as_deref(), var("LANG").as_deref())
        }
    };
    let orientation = if raw.landscape {
        Orientation::Landscape
    } else if raw.portrait {
        Orientation::Portrait
    } else {
        Orientation::Auto
    };
    let order = match raw.order.as_deref().map(str::trim) {
        None | Some("horizontal") => Order::Horizontal,
        Some("vertical") => Order::Vertical,
        Some(other) => {
            return Err(format!(
                "--order {other}: use horizontal (rows first) or vertical (columns first)"
            ))
        }
    };
    Ok(PdfOptions {
        layout,
        paper,
        orientation,
        order,
        frame: !raw.no_frame,
        title_page: !raw.no_title_page,
    })
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
fn timestamp() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        })
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;

    /// A registry with one format more than the built-in ones, made of nothing but its entry.
    static WITH_TXT: &[BackendEntry] = &[
        BackendEntry {
            name: "pdf",
            about: "",
            flag_help: "Write a PDF",
            build: |o| (registry::BACKENDS[0].build)(o),
        },
        BackendEntry {
            name: "txt",
            about: "a text file listing the slides",
            flag_help: "Write a list of the slides",
            build: |o| (registry::BACKENDS[0].build)(o),
        },
    ];

    #[test]
    fn a_registry_entry_alone_yields_its_flag() {
        let cmd = Command::new("deckconv").args(FormatFlags::args(WITH_TXT));
        let help = cmd.clone().render_help().to_string();
        assert!(
            help.contains("--txt") && help.contains("Write a list of the slides"),
            "{help}"
        );
        let matches = cmd
            .clone()
            .try_get_matches_from(["deckconv", "--txt"])
            .unwrap();
        assert_eq!(FormatFlags::chosen_in(&matches, WITH_TXT), ["txt"]);
        let matches = cmd
            .try_get_matches_from(["deckconv", "--pdf", "--txt"])
            .unwrap();
        assert_eq!(FormatFlags::chosen_in(&matches, WITH_TXT), ["pdf", "txt"]);
    }

    #[test]
    fn every_built_in_format_has_its_flag() {
        let cmd = RawArgs::command();
        cmd.clone().debug_assert();
        for entry in registry::BACKENDS {
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(entry.name))
                .unwrap_or_else(|| panic!("no --{}", entry.name));
            assert_eq!(
                arg.get_help().map(ToString::to_string).as_deref(),
                Some(entry.flag_help)
            );
        }
        let matches = cmd
            .try_get_matches_from(["deckconv", "--cbz", "--pdf", "x.md"])
            .unwrap();
        let raw = RawArgs::from_arg_matches(&matches).unwrap();
        assert_eq!(raw.formats.chosen, ["pdf", "cbz"]);
    }
}
