//! Reader screens that `--device` fits slides to.

/// A reader's screen in pixels, portrait, and whether it shows colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceProfile {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub color: bool,
    pub description: &'static str,
}

pub const DEVICES: &[DeviceProfile] = &[
    DeviceProfile {
        name: "kindle-paperwhite",
        width: 1236,
        height: 1648,
        color: false,
        description: "Kindle Paperwhite (2021+), e-ink",
    },
    DeviceProfile {
        name: "kindle-scribe",
        width: 1860,
        height: 2480,
        color: false,
        description: "Kindle Scribe, e-ink",
    },
    DeviceProfile {
        name: "kobo-clara",
        width: 1072,
        height: 1448,
        color: false,
        description: "Kobo Clara HD/2E/BW, e-ink",
    },
    DeviceProfile {
        name: "kobo-libra",
        width: 1264,
        height: 1680,
        color: false,
        description: "Kobo Libra 2, e-ink",
    },
    DeviceProfile {
        name: "kobo-sage",
        width: 1440,
        height: 1920,
        color: false,
        description: "Kobo Sage, e-ink",
    },
    DeviceProfile {
        name: "remarkable",
        width: 1404,
        height: 1872,
        color: false,
        description: "reMarkable 2, e-ink",
    },
    DeviceProfile {
        name: "tablet",
        width: 2048,
        height: 1536,
        color: true,
        description: "tablet (iPad class), colour",
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
                "{:<18} {:>4}x{:<4}  {}\n",
                d.name, d.width, d.height, d.description
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
}

pub const DEFAULT_JPEG_QUALITY: u8 = 85;

impl Default for DeviceOptions {
    fn default() -> Self {
        DeviceOptions {
            device: None,
            color: false,
            jpeg_quality: DEFAULT_JPEG_QUALITY,
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
        crate::normalize::ImageNeeds {
            takes_as_is,
            orientation_as_transform: false,
            fit: self.device.map(|d| (d.width, d.height)),
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
        match self.device {
            None => String::new(),
            Some(d) if self.color || d.color => format!("/{}", d.name),
            Some(d) => format!("/{}/grey", d.name),
        }
    }
}
