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
pub fn uncalibrated_cmyk_profile() -> Result<Vec<u8>, WriteError> {
    let srgb = ColorProfile::new_srgb();
    let colorants = srgb.colorant_matrix();
    let white = [srgb.white_point.x, srgb.white_point.y, srgb.white_point.z];
    // Both CLUTs: the first input channel varies slowest (ICC.1:2010, 10.12.3 and 10.9).
    let steps = usize::from(CMYK_GRID_POINTS) - 1;
    let level = |i: usize| i as f64 / steps as f64;
    let points = usize::from(CMYK_GRID_POINTS).pow(4);
    let mut rgb_clut = Vec::with_capacity(points * 3);
    for index in 0..points {
        let ink = |channel: u32| level(index / (steps + 1).pow(3 - channel) % (steps + 1));
        rgb_clut.extend(uncalibrated_rgb(std::array::from_fn(|c| ink(c as u32))).map(to_u16));
    }
    let xyz_clut = lut16_clut(&colorants, white)
        .into_iter()
        .map(to_u16)
        .collect();
    // PCS XYZ in lut16Type and lutAtoBType is encoded with 1.0 at 32768/65535 of the range
    // (ICC.1:2010, 6.3.4.2, table 11).
    let scale = 32768.0 / 65535.0;
    let last = f64::from(LUT16_OUTPUT_ENTRIES - 1);
    let output_table = white
        .iter()
        .flat_map(|white| {
            (0..LUT16_OUTPUT_ENTRIES)
                .map(move |i| to_u16(srgb_decode(f64::from(i) / last) * white * scale))
        })
        .collect();
    let lut16 = LutDataType {
        num_input_channels: 4,
        num_output_channels: 3,
        num_clut_grid_points: CMYK_GRID_POINTS,
        // Used only for XYZ input; identity otherwise (ICC.1:2010, 10.9).
        matrix: Matrix3d {
            v: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        },
        num_input_table_entries: 2,
        num_output_table_entries: LUT16_OUTPUT_ENTRIES,
        input_table: LutStore::Store16([0, 65535].repeat(4)),
        clut_table: LutStore::Store16(xyz_clut),
        output_table: LutStore::Store16(output_table),
        lut_type: LutType::Lut16,
    };
    let matrix = Matrix3d {
        v: colorants.v.map(|row| row.map(|value| value * scale)),
    };
    let mut grid_points = [0u8; 16];
    grid_points[..4].fill(CMYK_GRID_POINTS);
    let identity = || ToneReprCurve::Lut(Vec::new());
    let lut_a_to_b = LutMultidimensionalType {
        num_input_channels: 4,
        num_output_channels: 3,
        grid_points,
        clut: Some(LutStore::Store16(rgb_clut)),
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
    profile.lut_a_to_b_perceptual = Some(LutWarehouse::Lut(lut16));
    profile.lut_a_to_b_colorimetric = Some(LutWarehouse::Multidimensional(lut_a_to_b));
    profile.description = Some(text("Uncalibrated CMYK (as browsers show it), deckconv"));
    profile.copyright = Some(text("Public Domain"));
    encode(&profile, "uncalibrated CMYK")
}

/// Points an ink of the lattice on which qcms samples a CMYK profile (`transform.rs`,
/// `transform_precacheLUT_cmyk_float`, qcms 0.3) before interpolating the result.
const QCMS_LATTICE: usize = 17;

fn to_u16(value: f64) -> u16 {
    (value.clamp(0.0, 1.0) * 65535.0).round() as u16
}

/// The documented conversion, inks C, M, Y, K in 0..=1 to sRGB values.
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
fn lut16_clut(colorants: &Matrix3d, white: [f64; 3]) -> Vec<f64> {
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
    let mut data = Vec::with_capacity(lattice.pow(4) * 3);
    let step = |i: usize| i as f64 / (lattice - 1) as f64;
    for index in 0..lattice.pow(4) {
        let ink: [f64; 4] =
            std::array::from_fn(|c| step(index / lattice.pow(3 - c as u32) % lattice));
        let linear = uncalibrated_rgb(ink).map(srgb_decode);
        for (row, white) in colorants.v.iter().zip(white) {
            let xyz: f64 = row.iter().zip(linear).map(|(c, l)| c * l).sum();
            data.push(srgb_encode(xyz / white));
        }
    }
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
            (uncalibrated_cmyk_profile().unwrap(), 96 * 1024),
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
    fn the_uncalibrated_profile_has_a_lut16_for_qcms_and_a_lut_a_to_b_for_colorimetric() {
        let icc = uncalibrated_cmyk_profile().unwrap();
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
        let clut = lut16_clut(&srgb.colorant_matrix(), white);
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
}
