//! Reader screens that `--device` fits slides to.

use crate::normalize::Prepared;

/// A reader's screen in pixels, portrait, and whether it shows colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceProfile {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub color: bool,
    pub description: &'static str,
    /// How landscape slides fill this screen unless `--fit` says otherwise.
    pub fit: Fit,
}

/// How a landscape slide fills a portrait screen (`--fit`). Reading systems ignore a book's
/// `rendition:orientation` on a portrait device, so a landscape page shows as a strip across
/// the top (42% of a 3:4 screen for 16:9); the page itself must be portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fit {
    /// A landscape page, as the slide is.
    #[default]
    None,
    /// The slide turned a quarter clockwise in the image: one portrait page per slide, read
    /// with the device held sideways (as Kindle Comic Converter turns spreads).
    Rotate,
    /// Two landscape slides one above the other on a portrait page, each with its label.
    Stack,
}

impl Fit {
    pub const NAMES: &'static str = "rotate, stack or none";

    pub fn name(self) -> &'static str {
        match self {
            Fit::None => "none",
            Fit::Rotate => "rotate",
            Fit::Stack => "stack",
        }
    }
}

/// `--fit` named no way of fitting deckconv knows (the name trimmed and lower-cased).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--fit {0}: use {names}", names = Fit::NAMES)]
pub struct UnknownFit(pub String);

impl std::str::FromStr for Fit {
    type Err = UnknownFit;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Fit::None),
            "rotate" => Ok(Fit::Rotate),
            "stack" => Ok(Fit::Stack),
            other => Err(UnknownFit(other.to_string())),
        }
    }
}

/// A stacked page: the screen's size, and for each of its two slots a caption band above a
/// slide of at most `slot` pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackGeometry {
    pub page: (u32, u32),
    pub caption: u32,
    pub slot: (u32, u32),
}

/// Defaults for portrait e-ink screens: on 6–8" readers (about 4 inches wide) a stacked slide
/// is three quarters the size of a turned one, and slide text, made for a projector, gets too
/// small to read, so those turn. On 10" screens (Scribe, reMarkable: 6 inches wide) a stacked
/// slide is as large as a turned one on a 7" reader, and the device stays upright, as these
/// are held with their pen.
pub const DEVICES: &[DeviceProfile] = &[
    DeviceProfile {
        name: "kindle-paperwhite",
        width: 1236,
        height: 1648,
        color: false,
        description: "Kindle Paperwhite (2021+), e-ink",
        fit: Fit::Rotate,
    },
    DeviceProfile {
        name: "kindle-scribe",
        width: 1860,
        height: 2480,
        color: false,
        description: "Kindle Scribe, e-ink",
        fit: Fit::Stack,
    },
    DeviceProfile {
        name: "kobo-clara",
        width: 1072,
        height: 1448,
        color: false,
        description: "Kobo Clara HD/2E/BW, e-ink",
        fit: Fit::Rotate,
    },
    DeviceProfile {
        name: "kobo-libra",
        width: 1264,
        height: 1680,
        color: false,
        description: "Kobo Libra 2, e-ink",
        fit: Fit::Rotate,
    },
    DeviceProfile {
        name: "kobo-sage",
        width: 1440,
        height: 1920,
        color: false,
        description: "Kobo Sage, e-ink",
        fit: Fit::Rotate,
    },
    DeviceProfile {
        name: "remarkable",
        width: 1404,
        height: 1872,
        color: false,
        description: "reMarkable 2, e-ink",
        fit: Fit::Stack,
    },
    DeviceProfile {
        name: "tablet",
        width: 2048,
        height: 1536,
        color: true,
        description: "tablet (iPad class), colour",
        fit: Fit::None,
    },
];

/// The profile called `name` (case-insensitive).
pub fn find(name: &str) -> Option<&'static DeviceProfile> {
    DEVICES.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

/// One line per profile, for `--list-devices`.
pub fn listing() -> String {
    DEVICES
        .iter()
        .map(|d| {
            format!(
                "{:<18} {:>4}x{:<4}  --fit {:<6}  {}\n",
                d.name,
                d.width,
                d.height,
                d.fit.name(),
                d.description
            )
        })
        .collect()
}

/// How slides are fitted and coloured for a reader's screen (EPUB and CBZ).
#[derive(Debug, Clone, Copy)]
pub struct DeviceOptions {
    /// Fit every slide to this reader's screen.
    pub device: Option<&'static DeviceProfile>,
    /// Keep colour on an e-ink device profile.
    pub color: bool,
    /// Quality of the JPEGs deckconv encodes (1–100).
    pub jpeg_quality: u8,
    /// `--fit`: how landscape slides fill a portrait screen; `None`: the profile's default.
    pub fit: Option<Fit>,
}

pub const DEFAULT_JPEG_QUALITY: u8 = 85;

impl Default for DeviceOptions {
    fn default() -> Self {
        DeviceOptions {
            device: None,
            color: false,
            jpeg_quality: DEFAULT_JPEG_QUALITY,
            fit: None,
        }
    }
}

impl DeviceOptions {
    /// What the normalizer must do for this screen, for a format taking `takes_as_is` files.
    pub fn image_needs(
        &self,
        takes_as_is: fn(&crate::normalize::ImageInfo) -> bool,
    ) -> crate::normalize::ImageNeeds {
        let grayscale = self.device.is_some_and(|d| !d.color) && !self.color;
        let fit = match (self.fit_mode(), self.stack_geometry()) {
            (Fit::Stack, Some(stack)) => Some(stack.slot),
            _ => self.device.map(|d| (d.width, d.height)),
        };
        crate::normalize::ImageNeeds {
            takes_as_is,
            orientation_as_transform: false,
            fit,
            grayscale_gamma: grayscale.then_some(crate::normalize::resize::EINK_GAMMA),
        }
    }

    /// How decoded pixels are encoded for this screen.
    pub fn file_encoding(&self) -> crate::normalize::encode::FileEncoding {
        crate::normalize::encode::FileEncoding {
            device: self.device.is_some(),
            jpeg_quality: self.jpeg_quality.clamp(1, 100),
        }
    }

    /// Part of the book identifier: the same deck for another screen is another edition.
    pub fn edition(&self) -> String {
        let fit = match self.fit_mode() {
            Fit::None => String::new(),
            fit => format!("/{}", fit.name()),
        };
        match self.device {
            None => String::new(),
            Some(d) if self.color || d.color => format!("/{}{fit}", d.name),
            Some(d) => format!("/{}/grey{fit}", d.name),
        }
    }

    /// How landscape slides fill the screen: `--fit`, else the profile's default; always
    /// `None` without a device (no screen to fill) or on a landscape screen (they fit it).
    pub fn fit_mode(&self) -> Fit {
        match self.device {
            Some(d) if d.height > d.width => self.fit.unwrap_or(d.fit),
            _ => Fit::None,
        }
    }

    /// The same options for a format whose page is one image (CBZ): a stacked page needs its
    /// labels set as text, so such a format turns the slides instead.
    pub fn single_image(self) -> Self {
        let fit = match self.fit_mode() {
            Fit::Stack => Some(Fit::Rotate),
            other => Some(other),
        };
        DeviceOptions { fit, ..self }
    }

    /// Where the slides go on a stacked page, for `--fit stack` on a portrait screen.
    pub fn stack_geometry(&self) -> Option<StackGeometry> {
        let d = self.device.filter(|_| self.fit_mode() == Fit::Stack)?;
        // A caption band of 3% of the height: a label line of about 15 CSS px on a 6" reader.
        let caption = (d.height * 3).div_ceil(100);
        Some(StackGeometry {
            page: (d.width, d.height),
            caption,
            slot: (d.width, (d.height / 2).saturating_sub(caption).max(1)),
        })
    }

    /// A landscape slide, decoded for this screen anyway, turned a quarter clockwise under
    /// `Fit::Rotate`; whether it was. Files kept as they are (no device) are never turned: that
    /// would cost a decode and a second lossy encode of a JPEG.
    pub fn turn(&self, image: Prepared) -> (Prepared, bool) {
        match image {
            Prepared::Pixels { image, info }
                if self.fit_mode() == Fit::Rotate && image.width() > image.height() =>
            {
                (
                    Prepared::Pixels {
                        image: image.rotate90(),
                        info,
                    },
                    true,
                )
            }
            other => (other, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_follows_the_profile_unless_given_and_needs_a_portrait_screen() {
        let on = |name: &str, fit: Option<Fit>| DeviceOptions {
            device: find(name),
            fit,
            ..DeviceOptions::default()
        };
        assert_eq!(DeviceOptions::default().fit_mode(), Fit::None);
        assert_eq!(on("kindle-paperwhite", None).fit_mode(), Fit::Rotate);
        assert_eq!(on("remarkable", None).fit_mode(), Fit::Stack);
        assert_eq!(
            on("kindle-paperwhite", Some(Fit::None)).fit_mode(),
            Fit::None
        );
        assert_eq!(on("tablet", Some(Fit::Stack)).fit_mode(), Fit::None);
        // A CBZ page is one image: stacking becomes turning.
        assert_eq!(
            on("remarkable", None).single_image().fit_mode(),
            Fit::Rotate
        );
        // Two 16:9 slides and their labels in the Paperwhite's 1236x1648.
        let stack = on("kindle-paperwhite", Some(Fit::Stack)).stack_geometry();
        assert_eq!(
            stack,
            Some(StackGeometry {
                page: (1236, 1648),
                caption: 50,
                slot: (1236, 774),
            })
        );
        assert_ne!(
            on("kindle-paperwhite", None).edition(),
            on("kindle-paperwhite", Some(Fit::None)).edition()
        );
    }
}
