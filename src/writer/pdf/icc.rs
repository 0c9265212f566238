//! The two ICC profiles deckconv writes itself: sRGB for the output intent, and the
//! "uncalibrated CMYK" profile that gives a CMYK JPEG without a profile of its own the colours
//! every browser and deckconv's own EPUB and CBZ show it in, so it can be embedded byte for
//! byte (PDF/A-2 admits no DeviceCMYK under an RGB output intent, 6.2.4.3).

use moxcms::{
    ColorProfile, DataColorSpace, LocalizableString, LutMultidimensionalType, LutStore,
    LutWarehouse, Matrix3d, ProfileClass, ProfileText, RenderingIntent, ToneReprCurve, Vector3d,
};

use crate::writer::WriteError;

/// The output intent's name, as ICC's registry knows it.
pub const SRGB_NAME: &str = "sRGB IEC61966-2.1";

/// Grid points per ink of the uncalibrated CMYK profile's CLUT.
const CMYK_GRID_POINTS: u8 = 9;

/// The sRGB transfer curve as an ICC parametric curve (function type 4).
fn srgb_curve() -> ToneReprCurve {
    ToneReprCurve::Parametric(vec![2.4, 1. / 1.055, 0.055 / 1.055, 1. / 12.92, 0.04045])
}

fn text(value: &str) -> ProfileText {
    ProfileText::Localizable(vec![LocalizableString::new(
        "en".to_string(),
        "US".to_string(),
        value.to_string(),
    )])
}

/// The sRGB profile of the output intent (moxcms writes a small ICC v4 one, about half a
/// kilobyte; `image` already depends on moxcms).
pub fn srgb_profile() -> Result<Vec<u8>, WriteError> {
    encode(&ColorProfile::new_srgb(), "sRGB")
}

/// An ICC v4 input profile for CMYK that reproduces the conversion browsers apply to a CMYK
/// JPEG without a profile (and zune-jpeg, which decodes it for the EPUB and CBZ writers):
/// R = (1 − C)(1 − K), G = (1 − M)(1 − K), B = (1 − Y)(1 − K) in sRGB.
///
/// A lutAtoBType holds it: CLUT → sRGB values, M curves → linear light, matrix → PCS XYZ
/// (D50). The function is a product of two inks, which the tetrahedral interpolation of Little
/// CMS (Poppler, MuPDF, Ghostscript) reproduces only between grid points, with an error of at
/// most h²/4 for a grid step h: two points a channel were measured 64 levels off, nine are
/// within one level of 255 (`CMYK_GRID_POINTS`). 39 KB, about 2 KB compressed, once a file.
pub fn uncalibrated_cmyk_profile() -> Result<Vec<u8>, WriteError> {
    let srgb = ColorProfile::new_srgb();
    // CLUT: the first input channel varies slowest (ICC.1:2010, 10.12.3).
    let steps = usize::from(CMYK_GRID_POINTS) - 1;
    let level = |i: usize| i as f64 / steps as f64;
    let points = usize::from(CMYK_GRID_POINTS).pow(4);
    let mut clut = Vec::with_capacity(points * 3);
    for index in 0..points {
        let ink = |channel: u32| level(index / (steps + 1).pow(3 - channel) % (steps + 1));
        let white = 1.0 - ink(3);
        for channel in 0..3 {
            clut.push(((1.0 - ink(channel)) * white * 65535.0).round() as u16);
        }
    }
    // PCS XYZ in a lutAtoBType is encoded with 1.0 at 32768/65535 of the range (ICC.1:2010,
    // 6.3.4.2, table 11), so the matrix carries that scale.
    let scale = 32768.0 / 65535.0;
    let colorants = srgb.colorant_matrix();
    let matrix = Matrix3d {
        v: colorants.v.map(|row| row.map(|value| value * scale)),
    };
    let mut grid_points = [0u8; 16];
    grid_points[..4].fill(CMYK_GRID_POINTS);
    let identity = || ToneReprCurve::Lut(Vec::new());
    let lut = LutMultidimensionalType {
        num_input_channels: 4,
        num_output_channels: 3,
        grid_points,
        clut: Some(LutStore::Store16(clut)),
        a_curves: (0..4).map(|_| identity()).collect(),
        m_curves: (0..3).map(|_| srgb_curve()).collect(),
        b_curves: (0..3).map(|_| identity()).collect(),
        matrix,
        bias: Vector3d { v: [0.0; 3] },
    };
    let mut profile = ColorProfile::default();
    profile.profile_class = ProfileClass::InputDevice;
    profile.rendering_intent = RenderingIntent::Perceptual;
    profile.color_space = DataColorSpace::Cmyk;
    profile.pcs = DataColorSpace::Xyz;
    profile.white_point = srgb.white_point;
    profile.media_white_point = Some(srgb.white_point);
    profile.lut_a_to_b_perceptual = Some(LutWarehouse::Multidimensional(lut));
    profile.description = Some(text("Uncalibrated CMYK (as browsers show it), deckconv"));
    profile.copyright = Some(text("Public Domain"));
    encode(&profile, "uncalibrated CMYK")
}

fn encode(profile: &ColorProfile, name: &str) -> Result<Vec<u8>, WriteError> {
    let mut icc = profile
        .encode()
        .map_err(|e| WriteError::Internal(format!("cannot write the {name} profile: {e:?}")))?;
    if icc.len() < 128 {
        return Err(WriteError::Internal(format!(
            "the {name} profile has no header"
        )));
    }
    // moxcms stamps the header with the time of encoding: a fixed date (the sRGB standard's
    // year) keeps the same deck's PDFs byte-identical, and the profile ID (an MD5 over the
    // header) is left at zero, "not computed", which ICC allows.
    let date: [u16; 6] = [1999, 1, 1, 0, 0, 0];
    for (i, part) in date.iter().enumerate() {
        icc[24 + 2 * i..26 + 2 * i].copy_from_slice(&part.to_be_bytes());
    }
    icc[84..100].fill(0);
    Ok(icc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_profiles_moxcms_reads_back() {
        for icc in [
            srgb_profile().unwrap(),
            uncalibrated_cmyk_profile().unwrap(),
        ] {
            let profile = ColorProfile::new_from_slice(&icc).unwrap();
            assert!(icc.len() < 48 * 1024, "{} bytes", icc.len());
            assert_eq!(&icc[36..40], b"acsp");
            assert!(matches!(profile.pcs, DataColorSpace::Xyz));
        }
    }
}
