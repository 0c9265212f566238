//! The two ICC profiles deckconv writes itself: sRGB for the output intent, and the
//! "uncalibrated CMYK" profile that gives a CMYK JPEG without a profile of its own the colours
//! every browser and deckconv's own EPUB and CBZ show it in, so it can be embedded byte for
//! byte (PDF/A-2 admits no DeviceCMYK under an RGB output intent, 6.2.4.3).

use moxcms::{
    ColorProfile, DataColorSpace, LocalizableString, LutDataType, LutMultidimensionalType,
    LutStore, LutType, LutWarehouse, Matrix3d, ProfileClass, ProfileText, RenderingIntent,
    ToneReprCurve, Vector3d,
};

use crate::writer::WriteError;

/// The output intent's name, as ICC's registry knows it.
pub const SRGB_NAME: &str = "sRGB IEC61966-2.1";

/// Grid points per ink of the uncalibrated CMYK profile's CLUTs.
const CMYK_GRID_POINTS: u8 = 9;

/// Entries of the lut16 table's output curves: odd, so that the tag (52 bytes of header, 2 × 4
/// input entries, 9⁴ × 3 CLUT entries, 3 × this, two bytes each) ends on a 4-byte boundary and
/// the tag after it starts on one (ICC.1:2010, 7.3.1); 256 steps are finer than any 8-bit
/// input needs.
const LUT16_OUTPUT_ENTRIES: u16 = 257;

/// The sRGB encoding, linear light to sRGB value (IEC 61966-2-1).
fn srgb_encode(linear: f64) -> f64 {
    if linear <= 0.0031308 {
        12.92 * linear
    } else {
        1.055 * linear.powf(1.0 / 2.4) - 0.055
    }
}

/// The sRGB decoding, sRGB value to linear light.
fn srgb_decode(value: f64) -> f64 {
    if value <= 0.04045 {
        value / 12.92
    } else {
        ((value + 0.055) / 1.055).powf(2.4)
    }
}

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
/// It holds the conversion twice, for the two kinds of colour engine PDF readers use:
///
/// - `A2B1` (colorimetric intents, which Little CMS reads for a PDF's default
///   `/RelativeColorimetric`: Poppler, MuPDF, Ghostscript): a lutAtoBType, CLUT → sRGB values,
///   M curves → linear light, matrix → PCS XYZ (D50). The CLUT holds products of two inks,
///   which interpolate well: nine points an ink are within one level of 255.
/// - `A2B0` (perceptual; the only table qcms reads, the engine of Firefox and pdf.js, which
///   reads no lutAtoBType for CMYK): a lut16Type, CLUT → sRGB-encoded X/Xw, Y/Yw, Z/Zw, output
///   curves → PCS XYZ. A lut16Type has no matrix after its CLUT, so the CLUT must hold PCS
///   values, each a mix of all three channels, and these interpolate less well: where one
///   channel is near 0 and the others bright, an error in the others' share of X, Y and Z
///   lands in it, steeply (Little CMS and qcms were measured up to 8 levels off with the plain
///   values on nine points an ink, 1-2 with seventeen, which take half a megabyte; Lab PCS
///   was no better). Fitted to qcms's own sampling (`lut16_clut`), qcms is within 5 levels,
///   0.13 on average. Little CMS reads this table only for the perceptual intent, which PDF
///   readers use only when a PDF asks for it.
///
/// 81 KB, about 50 KB deflated, once a file that needs it.
///
/// The profile never changes, and fitting its lut16 costs more than the rest of a run (the
/// instruction guard saw PDF runs of the example deck double), so it ships built:
/// `assets/icc/uncalibrated-cmyk.icc`, which a test keeps equal to what
/// [`generate_uncalibrated_cmyk_profile`] makes (`UPDATE_ICC=1` rewrites it).
pub fn uncalibrated_cmyk_profile() -> &'static [u8] {
    UNCALIBRATED_CMYK
}

const UNCALIBRATED_CMYK: &[u8] = include_bytes!("../../../assets/icc/uncalibrated-cmyk.icc");

/// Build the profile [`uncalibrated_cmyk_profile`] ships (run by the test that keeps the two
/// in step, and by `UPDATE_ICC=1` through it).
#[cfg_attr(not(test), allow(dead_code))]
pub fn generate_uncalibrated_cmyk_profile() -> Result<Vec<u8>, WriteError> {
    let lattice = |inks: &[[f64; 4]]| inks.iter().map(|&ink| uncalibrated_rgb(ink)).collect();
    cmyk_profile(
        lattice,
        Pcs::Srgb,
        // An even number of characters, as for the baked profile: every tag on a 4-byte
        // boundary (ICC.1:2010, 7.3.1).
        "Uncalibrated CMYK (as browsers show it), by deckconv",
        "uncalibrated CMYK",
    )
}

/// A CMYK JPEG's own profile `source` baked: Little CMS (the engine of Poppler, Ghostscript
/// and MuPDF) converts the `QCMS_LATTICE`⁴ lattice from it to sRGB, relative colorimetric with
/// black-point compensation, as Poppler and Ghostscript convert it, and the result (unclipped,
/// as CIELAB) is written with two tables as `uncalibrated_cmyk_profile` is. Its black point is
/// sRGB black, so black-point compensation changes nothing in those readers, and qcms
/// (pdf.js), which has none, reads the same colours from the lut16 table. `None` when Little
/// CMS cannot read the profile or make the transform (the caller then embeds the profile as it
/// is).
///
/// PCS Lab rather than the uncalibrated profile's sRGB-encoded XYZ: a CMYK profile's colours
/// reach beyond sRGB (100 % cyan's red is below 0), and Lab, the PCS of most CMYK profiles,
/// interpolates them as the source profile does; clipped or unclipped sRGB values on nine
/// points an ink were up to 30 and 43 levels off where a colour leaves sRGB between two grid
/// points (Ghostscript's `default_cmyk.icc`, 20,000 random colours and the 17⁴ lattice).
///
/// About 80 KB; baked once a run for each distinct profile (`baked_cmyk_profile_cached`).
pub fn baked_cmyk_profile(source: &[u8]) -> Option<Vec<u8>> {
    use lcms2::{Flags, Intent, PixelFormat, Profile, Transform};
    let profile = Profile::new_icc(source).ok()?;
    if profile.color_space() != lcms2::ColorSpaceSignature::CmykData {
        return None;
    }
    let srgb = Profile::new_srgb();
    let xyz = Profile::new_xyz();
    // In floating point, which Little CMS leaves unbounded: colours outside sRGB keep their
    // values below 0 and above 1 on the way to XYZ. Point by point (no precalculated device
    // link): the lattice is all the transforms are used for.
    let to_srgb: Transform<[f64; 4], [f64; 3]> = Transform::new_flags(
        &profile,
        PixelFormat::CMYK_DBL,
        &srgb,
        PixelFormat::RGB_DBL,
        Intent::RelativeColorimetric,
        Flags::BLACKPOINT_COMPENSATION | Flags::NO_OPTIMIZE,
    )
    .ok()?;
    let to_xyz: Transform<[f64; 3], [f64; 3]> = Transform::new_flags(
        &srgb,
        PixelFormat::RGB_DBL,
        &xyz,
        PixelFormat::XYZ_DBL,
        Intent::RelativeColorimetric,
        Flags::NO_OPTIMIZE,
    )
    .ok()?;
    let lattice = |inks: &[[f64; 4]]| {
        // Floating-point CMYK is in percent of ink in Little CMS.
        let input: Vec<[f64; 4]> = inks.iter().map(|ink| ink.map(|v| v * 100.0)).collect();
        let mut rgb = vec![[0.0; 3]; input.len()];
        to_srgb.transform_pixels(&input, &mut rgb);
        let mut xyz = vec![[0.0; 3]; input.len()];
        to_xyz.transform_pixels(&rgb, &mut xyz);
        // Black-point compensation scales the source's black point to sRGB black, and colours
        // darker than that point (in some ink mixes) to below it: negative XYZ, which a
        // reader's integer pipeline clips to black, as here. Colours merely outside sRGB
        // (positive XYZ) are kept.
        xyz.into_iter()
            .map(|xyz| lab(xyz.map(|v| v.max(0.0))))
            .collect()
    };
    cmyk_profile(
        lattice,
        Pcs::Lab,
        // An even number of characters: the mluc tag then ends on a 4-byte boundary, where
        // the next tag must start (ICC.1:2010, 7.3.1; moxcms does not pad between tags).
        "CMYK profile of the image, in sRGB, relative colorimetric with black-point \
         compensation (Little CMS), deckconv",
        "baked CMYK",
    )
    .ok()
}

/// CIELAB of XYZ (Y 1 for the PCS white, D50; ICC.1:2010, annex A).
fn lab(xyz: [f64; 3]) -> [f64; 3] {
    const D50: [f64; 3] = [0.9642, 1.0, 0.8249];
    let f = |t: f64| {
        let delta: f64 = 6.0 / 29.0;
        if t > delta.powi(3) {
            t.cbrt()
        } else {
            t / (3.0 * delta * delta) + 4.0 / 29.0
        }
    };
    let [x, y, z] = [0, 1, 2].map(|i| f(xyz[i] / D50[i]));
    [116.0 * y - 16.0, 500.0 * (x - y), 200.0 * (y - z)]
}

/// `baked_cmyk_profile`, baked once a run for each distinct profile: a deck's CMYK JPEGs
/// mostly share one profile, and a run may write several PDFs.
pub fn baked_cmyk_profile_cached(source: &[u8]) -> Option<std::sync::Arc<Vec<u8>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<HashMap<Vec<u8>, Option<Arc<Vec<u8>>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(source.to_vec())
        .or_insert_with(|| baked_cmyk_profile(source).map(Arc::new))
        .clone()
}

/// What the lattice function of `cmyk_profile` returns, and the profile's PCS.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
enum Pcs {
    /// sRGB values in 0..=1; PCS XYZ.
    Srgb,
    /// CIELAB (D50): L* in 0..=100, a* and b* in -128..=127; PCS Lab.
    Lab,
}

/// A lut16Type from CMYK: identity input curves, the CLUT on [`CMYK_GRID_POINTS`] points
/// an ink, then three output curves of `output_entries` entries each.
fn lut16_type(clut: Vec<u16>, output_entries: u16, output_table: Vec<u16>) -> LutDataType {
    LutDataType {
        num_input_channels: 4,
        num_output_channels: 3,
        num_clut_grid_points: CMYK_GRID_POINTS,
        // Used only for XYZ input; identity otherwise (ICC.1:2010, 10.9).
        matrix: Matrix3d {
            v: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        },
        num_input_table_entries: 2,
        num_output_table_entries: output_entries,
        input_table: LutStore::Store16([0, 65535].repeat(4)),
        clut_table: LutStore::Store16(clut),
        output_table: LutStore::Store16(output_table),
        lut_type: LutType::Lut16,
    }
}

/// An ICC v4 CMYK input profile of the conversion `lattice` gives: called once with the inks
/// (C, M, Y, K in 0..=1) of the `QCMS_LATTICE`⁴ lattice, first ink slowest, it returns their
/// colours, as `pcs` says. Two tables (`uncalibrated_cmyk_profile` tells why two): `A2B1`, a
/// lutAtoBType for Little CMS, and `A2B0`, a lut16Type for qcms, each with a CLUT of
/// `CMYK_GRID_POINTS` points an ink.
///
/// - `Pcs::Srgb`: `A2B1`'s CLUT holds the sRGB values at every other lattice point, then the
///   sRGB curve and matrix into XYZ; `A2B0`'s holds sRGB-encoded X/Xw, Y/Yw, Z/Zw fitted to
///   the whole lattice (`lut16_clut`), then output curves into XYZ.
/// - `Pcs::Lab`: both CLUTs hold Lab fitted to the whole lattice (`fit_clut`), no curves.
///   Little CMS reads a lut16Type's Lab in ICC v2's encoding (L* 100 at FF00h), qcms in v4's
///   (at FFFFh): `A2B0`, which only qcms reads for the PDF default intent, is written in v4's,
///   as qcms reads it, and `A2B1` (lutAtoBType, v4's encoding for both) serves Little CMS.
fn cmyk_profile(
    lattice: impl FnOnce(&[[f64; 4]]) -> Vec<[f64; 3]>,
    pcs: Pcs,
    description: &str,
    name: &str,
) -> Result<Vec<u8>, WriteError> {
    const _: () = assert!((QCMS_LATTICE - 1) % (CMYK_GRID_POINTS as usize - 1) == 0);
    let srgb = ColorProfile::new_srgb();
    let colorants = srgb.colorant_matrix();
    let white = [srgb.white_point.x, srgb.white_point.y, srgb.white_point.z];
    let step = |i: usize| i as f64 / (QCMS_LATTICE - 1) as f64;
    let inks: Vec<[f64; 4]> = (0..QCMS_LATTICE.pow(4))
        .map(|index| {
            std::array::from_fn(|c| step(index / QCMS_LATTICE.pow(3 - c as u32) % QCMS_LATTICE))
        })
        .collect();
    let colours = lattice(&inks);
    if colours.len() != inks.len() || colours.iter().flatten().any(|v| !v.is_finite()) {
        return Err(WriteError::Internal(format!(
            "the {name} profile's lattice has {} colours for {} points, or not all finite",
            colours.len(),
            inks.len()
        )));
    }
    let identity = || ToneReprCurve::Lut(Vec::new());
    let mut grid_points = [0u8; 16];
    grid_points[..4].fill(CMYK_GRID_POINTS);
    let (lut16, lut_a_to_b) = match pcs {
        Pcs::Srgb => {
            // The CLUTs: the first input channel varies slowest (ICC.1:2010, 10.12.3 and
            // 10.9). The grid's points are every `stride`-th of the lattice's.
            let grid = usize::from(CMYK_GRID_POINTS);
            let stride = (QCMS_LATTICE - 1) / (grid - 1);
            let mut rgb_clut = Vec::with_capacity(grid.pow(4) * 3);
            for index in 0..grid.pow(4) {
                let at = (0..4).fold(0, |at, c| {
                    at * QCMS_LATTICE + index / grid.pow(3 - c as u32) % grid * stride
                });
                rgb_clut.extend(colours[at].map(to_u16));
            }
            let xyz_clut = lut16_clut(&colours, &colorants, white)
                .into_iter()
                .map(to_u16)
                .collect();
            // PCS XYZ in lut16Type and lutAtoBType is encoded with 1.0 at 32768/65535 of the
            // range (ICC.1:2010, 6.3.4.2, table 11).
            let scale = 32768.0 / 65535.0;
            let last = f64::from(LUT16_OUTPUT_ENTRIES - 1);
            let output_table = white
                .iter()
                .flat_map(|white| {
                    (0..LUT16_OUTPUT_ENTRIES)
                        .map(move |i| to_u16(srgb_decode(f64::from(i) / last) * white * scale))
                })
                .collect();
            let lut16 = lut16_type(xyz_clut, LUT16_OUTPUT_ENTRIES, output_table);
            let lut_a_to_b = LutMultidimensionalType {
                num_input_channels: 4,
                num_output_channels: 3,
                grid_points,
                clut: Some(LutStore::Store16(rgb_clut)),
                a_curves: (0..4).map(|_| identity()).collect(),
                m_curves: (0..3).map(|_| srgb_curve()).collect(),
                b_curves: (0..3).map(|_| identity()).collect(),
                matrix: Matrix3d {
                    v: colorants.v.map(|row| row.map(|value| value * scale)),
                },
                bias: Vector3d { v: [0.0; 3] },
            };
            (lut16, lut_a_to_b)
        }
        Pcs::Lab => {
            // Lab in ICC v4's encoding: L* 0..=100, a* and b* -128..=127 over 0..=FFFFh
            // (ICC.1:2010, 6.3.4.2, table 12).
            let targets = colours
                .iter()
                .flat_map(|[l, a, b]| [l / 100.0, (a + 128.0) / 255.0, (b + 128.0) / 255.0])
                .collect();
            let clut: Vec<u16> = fit_clut(targets).into_iter().map(to_u16).collect();
            // Identity output curves; three entries rather than two so that the tag ends on a
            // 4-byte boundary (as `LUT16_OUTPUT_ENTRIES`: moxcms does not pad between tags,
            // and Little CMS reads the next tag's curves 4-byte aligned).
            let lut16 = lut16_type(clut.clone(), 3, [0, 32768, 65535].repeat(3));
            let lut_a_to_b = LutMultidimensionalType {
                num_input_channels: 4,
                num_output_channels: 3,
                grid_points,
                clut: Some(LutStore::Store16(clut)),
                a_curves: (0..4).map(|_| identity()).collect(),
                m_curves: Vec::new(),
                b_curves: (0..3).map(|_| identity()).collect(),
                matrix: Matrix3d::default(),
                bias: Vector3d { v: [0.0; 3] },
            };
            (lut16, lut_a_to_b)
        }
    };
    let mut profile = ColorProfile::default();
    profile.profile_class = ProfileClass::InputDevice;
    profile.rendering_intent = RenderingIntent::Perceptual;
    profile.color_space = DataColorSpace::Cmyk;
    profile.pcs = match pcs {
        Pcs::Srgb => DataColorSpace::Xyz,
        Pcs::Lab => DataColorSpace::Lab,
    };
    profile.white_point = srgb.white_point;
    profile.media_white_point = Some(srgb.white_point);
    profile.lut_a_to_b_perceptual = Some(LutWarehouse::Lut(lut16));
    profile.lut_a_to_b_colorimetric = Some(LutWarehouse::Multidimensional(lut_a_to_b));
    profile.description = Some(text(description));
    profile.copyright = Some(text("Public Domain"));
    encode(&profile, name)
}

/// Points an ink of the lattice on which qcms samples a CMYK profile (`transform.rs`,
/// `transform_precacheLUT_cmyk_float`, qcms 0.3) before interpolating the result.
const QCMS_LATTICE: usize = 17;

fn to_u16(value: f64) -> u16 {
    (value.clamp(0.0, 1.0) * 65535.0).round() as u16
}

/// The documented conversion, inks C, M, Y, K in 0..=1 to sRGB values.
#[cfg_attr(not(test), allow(dead_code))]
fn uncalibrated_rgb(ink: [f64; 4]) -> [f64; 3] {
    let paper = 1.0 - ink[3];
    std::array::from_fn(|channel| (1.0 - ink[channel]) * paper)
}

/// The lut16Type CLUT: sRGB-encoded X/Xw, Y/Yw, Z/Zw on `CMYK_GRID_POINTS` points an ink,
/// first ink slowest. Not the values at the grid points but the least-squares fit of those
/// whose multilinear interpolation (qcms's, `chain.rs` `Clut4x3`) best gives the values at the
/// `QCMS_LATTICE` points an ink qcms samples: the mix of three channels in each PCS value does
/// not interpolate exactly, and the fit halves the worst error of the plain values
/// (qcms 5 levels instead of 9 on 20,000 random colours and the 17⁴ lattice, 0.13 on average).
/// The fit is separable: the one-dimensional pseudo-inverse (AᵀA)⁻¹Aᵀ of the interpolation
/// matrix A (lattice × grid) applied along each ink in turn.
fn lut16_clut(rgb: &[[f64; 3]], colorants: &Matrix3d, white: [f64; 3]) -> Vec<f64> {
    let mut targets = Vec::with_capacity(rgb.len() * 3);
    for rgb in rgb {
        let linear = rgb.map(srgb_decode);
        for (row, white) in colorants.v.iter().zip(white) {
            let xyz: f64 = row.iter().zip(linear).map(|(c, l)| c * l).sum();
            targets.push(srgb_encode(xyz / white));
        }
    }
    fit_clut(targets)
}

/// The CLUT on `CMYK_GRID_POINTS` points an ink whose multilinear interpolation best gives
/// `targets`, three values at each point of the `QCMS_LATTICE`⁴ lattice (first ink slowest).
fn fit_clut(targets: Vec<f64>) -> Vec<f64> {
    let grid = usize::from(CMYK_GRID_POINTS);
    let lattice = QCMS_LATTICE;
    // A: each lattice point as a linear interpolation of its two grid neighbours.
    let mut a = vec![[0.0f64; 9]; lattice];
    for (i, row) in a.iter_mut().enumerate() {
        let u = i as f64 / (lattice - 1) as f64 * (grid - 1) as f64;
        let j = (u.floor() as usize).min(grid - 2);
        let f = u - j as f64;
        row[j] += 1.0 - f;
        row[j + 1] += f;
    }
    // Solve (AᵀA) P = Aᵀ by Gauss-Jordan elimination (AᵀA is 9 × 9, symmetric positive
    // definite): P is grid × lattice.
    let mut m: Vec<Vec<f64>> = (0..grid)
        .map(|r| {
            let mut row: Vec<f64> = (0..grid)
                .map(|c| a.iter().map(|l| l[r] * l[c]).sum())
                .collect();
            row.extend(a.iter().map(|l| l[r]));
            row
        })
        .collect();
    for col in 0..grid {
        let pivot = m[col][col];
        m[col].iter_mut().for_each(|v| *v /= pivot);
        for r in 0..grid {
            if r != col {
                let factor = m[r][col];
                let pivot_row = m[col].clone();
                m[r].iter_mut()
                    .zip(pivot_row)
                    .for_each(|(v, p)| *v -= factor * p);
            }
        }
    }
    let pinv: Vec<&[f64]> = m.iter().map(|row| &row[grid..]).collect();
    // Targets on the lattice, [c][m][y][k][channel], then fitted one ink at a time: the
    // leading ink's axis is replaced by the grid's and rotated to the end.
    let mut data = targets;
    // Each pass fits the leading ink and moves it, now on the grid, behind the others (and
    // behind the channel): [c][m][y][k][ch] becomes [m][y][k][ch][c'], and after four passes
    // [ch][c'][m'][y'][k'].
    for _ in 0..4 {
        let inner = data.len() / lattice;
        let mut next = vec![0.0; grid * inner];
        for rest in 0..inner {
            for (g, weights) in pinv.iter().enumerate() {
                next[rest * grid + g] = weights
                    .iter()
                    .enumerate()
                    .map(|(l, w)| w * data[l * inner + rest])
                    .sum();
            }
        }
        data = next;
    }
    let points = grid.pow(4);
    (0..points * 3)
        .map(|i| data[(i % 3) * points + i / 3])
        .collect()
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
        for (icc, limit) in [
            (srgb_profile().unwrap(), 1024),
            (uncalibrated_cmyk_profile().to_vec(), 96 * 1024),
        ] {
            let profile = ColorProfile::new_from_slice(&icc).unwrap();
            assert!(icc.len() < limit, "{} bytes", icc.len());
            assert_eq!(&icc[36..40], b"acsp");
            assert!(matches!(profile.pcs, DataColorSpace::Xyz));
        }
    }

    /// qcms (pdf.js, Firefox) reads only `A2B0`, and for CMYK only as lut16Type or lut8Type;
    /// Little CMS reads `A2B1` for the colorimetric intents.
    #[test]
    fn the_shipped_uncalibrated_profile_is_what_the_generator_makes() {
        let made = generate_uncalibrated_cmyk_profile().unwrap();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/icc/uncalibrated-cmyk.icc"
        );
        if std::env::var_os("UPDATE_ICC").is_some() {
            std::fs::write(path, &made).unwrap();
        }
        assert!(
            made == uncalibrated_cmyk_profile(),
            "{path} differs from what generate_uncalibrated_cmyk_profile makes: rerun this \
             test with UPDATE_ICC=1 and rebuild"
        );
    }

    #[test]
    fn the_uncalibrated_profile_has_a_lut16_for_qcms_and_a_lut_a_to_b_for_colorimetric() {
        let icc = uncalibrated_cmyk_profile().to_vec();
        let tags = u32::from_be_bytes(icc[128..132].try_into().unwrap()) as usize;
        let tag = |name: &[u8]| {
            (0..tags)
                .map(|i| &icc[132 + 12 * i..144 + 12 * i])
                .find(|entry| &entry[..4] == name)
                .map(|entry| {
                    let offset = u32::from_be_bytes(entry[4..8].try_into().unwrap()) as usize;
                    (offset, &icc[offset..offset + 4])
                })
                .unwrap()
        };
        for i in 0..tags {
            let entry = &icc[132 + 12 * i..144 + 12 * i];
            let offset = u32::from_be_bytes(entry[4..8].try_into().unwrap()) as usize;
            assert_eq!(offset % 4, 0, "{:?}", std::str::from_utf8(&entry[..4]));
        }
        let (a2b0, kind) = tag(b"A2B0");
        assert_eq!((kind, a2b0 % 4), (&b"mft2"[..], 0));
        let (a2b1, kind) = tag(b"A2B1");
        assert_eq!((kind, a2b1 % 4), (&b"mAB "[..], 0));
        let profile = ColorProfile::new_from_slice(&icc).unwrap();
        let Some(LutWarehouse::Lut(lut)) = &profile.lut_a_to_b_perceptual else {
            panic!("A2B0 read as {:?}", profile.lut_a_to_b_perceptual.is_some());
        };
        assert_eq!(lut.num_clut_grid_points, CMYK_GRID_POINTS);
    }

    /// The fitted lut16 CLUT stays near the plain values at the grid points (white, black, the
    /// inks alone): the fit moves values between points, not the points' colours.
    #[test]
    fn the_fitted_lut16_clut_keeps_the_grid_points_colours() {
        let srgb = ColorProfile::new_srgb();
        let white = [srgb.white_point.x, srgb.white_point.y, srgb.white_point.z];
        let lattice: Vec<[f64; 3]> = (0..QCMS_LATTICE.pow(4))
            .map(|index| {
                uncalibrated_rgb(std::array::from_fn(|c| {
                    (index / QCMS_LATTICE.pow(3 - c as u32) % QCMS_LATTICE) as f64
                        / (QCMS_LATTICE - 1) as f64
                }))
            })
            .collect();
        let clut = lut16_clut(&lattice, &srgb.colorant_matrix(), white);
        let grid = usize::from(CMYK_GRID_POINTS);
        for ink in [
            [0, 0, 0, 0],
            [8, 0, 0, 0],
            [0, 8, 0, 0],
            [0, 0, 8, 0],
            [0, 0, 0, 8],
            [4, 0, 0, 4],
        ] {
            let index = ink.iter().fold(0, |index, i| index * grid + i);
            let linear =
                uncalibrated_rgb(ink.map(|i| i as f64 / (grid - 1) as f64)).map(srgb_decode);
            for channel in 0..3 {
                let row = srgb.colorant_matrix().v[channel];
                let xyz: f64 = row.iter().zip(linear).map(|(c, l)| c * l).sum();
                let want = srgb_encode(xyz / white[channel]);
                let got = clut[index * 3 + channel];
                assert!(
                    (got - want).abs() < 0.01,
                    "{ink:?} channel {channel}: {got} for {want}"
                );
            }
        }
    }

    /// Ghostscript's `default_cmyk.icc` (ICC v2, lut16 tables into PCS Lab), baked: Little CMS
    /// reads the colours Little CMS gives with the original, relative colorimetric with
    /// black-point compensation, within 2 levels, and the tables are those qcms and Little CMS
    /// read. Needs Ghostscript's profiles (`.ci/run` installs Ghostscript).
    #[test]
    fn a_baked_profile_keeps_little_cms_colours_with_black_point_compensation() {
        use lcms2::{Flags, Intent, PixelFormat, Profile, Transform};
        let path = "/usr/share/color/icc/ghostscript/default_cmyk.icc";
        let source = std::fs::read(path)
            .unwrap_or_else(|e| panic!("{path}: {e}: install Ghostscript (.ci/run does)"));
        let baked = baked_cmyk_profile(&source).unwrap();
        assert!(baked.len() < 96 * 1024, "{} bytes", baked.len());
        let tags = u32::from_be_bytes(baked[128..132].try_into().unwrap()) as usize;
        for i in 0..tags {
            let entry = &baked[132 + 12 * i..144 + 12 * i];
            let offset = u32::from_be_bytes(entry[4..8].try_into().unwrap()) as usize;
            assert_eq!(offset % 4, 0, "{:?}", std::str::from_utf8(&entry[..4]));
            let kind = &baked[offset..offset + 4];
            match &entry[..4] {
                b"A2B0" => assert_eq!(kind, b"mft2"),
                b"A2B1" => assert_eq!(kind, b"mAB "),
                _ => {}
            }
        }
        let srgb = Profile::new_srgb();
        let convert = |icc: &[u8], flags| {
            let transform: Transform<[u8; 4], [u8; 3]> = Transform::new_flags(
                &Profile::new_icc(icc).unwrap(),
                PixelFormat::CMYK_8,
                &srgb,
                PixelFormat::RGB_8,
                Intent::RelativeColorimetric,
                flags,
            )
            .unwrap();
            let inks: Vec<[u8; 4]> = (0..4)
                .map(|c| std::array::from_fn(|i| if i == c { 255 } else { 0 }))
                .chain([[0; 4], [255; 4], [128, 0, 0, 0], [100, 50, 0, 60]])
                .collect();
            let mut rgb = vec![[0; 3]; inks.len()];
            transform.transform_pixels(&inks, &mut rgb);
            rgb
        };
        let want = convert(&source, Flags::BLACKPOINT_COMPENSATION);
        // Magenta (236,0,140) and 100 % K (35,31,32), as Poppler and Ghostscript show them.
        assert_eq!((want[1], want[3]), ([236, 0, 140], [35, 31, 32]));
        for flags in [Flags::default(), Flags::BLACKPOINT_COMPENSATION] {
            let got = convert(&baked, flags);
            for (got, want) in got.iter().zip(&want) {
                let off = (0..3).map(|k| got[k].abs_diff(want[k])).max().unwrap();
                assert!(off <= 2, "{got:?} for {want:?}");
            }
        }
    }

    #[test]
    fn a_profile_is_baked_once() {
        let Ok(source) = std::fs::read("/usr/share/color/icc/ghostscript/default_cmyk.icc") else {
            return;
        };
        let first = baked_cmyk_profile_cached(&source).unwrap();
        let again = baked_cmyk_profile_cached(&source).unwrap();
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        // Not a CMYK profile: not baked.
        assert!(baked_cmyk_profile_cached(&srgb_profile().unwrap()).is_none());
    }
}
