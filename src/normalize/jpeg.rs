//! JPEG structure as a strict decoder reads it, without decoding: JPEGs go into PDFs byte for
//! byte, so whatever libjpeg (MuPDF, Poppler), pdf.js or zune-jpeg would refuse, or read
//! wrongly, must fail its slide here instead.
//!
//! One pass over the file checks, in order of appearance:
//! - the frame header (SOF): a supported coding process (baseline, extended sequential,
//!   progressive; Huffman coded, 8-bit), 1, 3 or 4 components with distinct ids, sampling
//!   factors 1–4 that divide the largest (libjpeg has no fractional upsampling), quantisation
//!   table ids 0–3;
//! - the tables (DQT, DHT): well-formed, Huffman code lengths that fit (what libjpeg's
//!   `jpeg_make_d_derived_tbl` refuses), DC symbols at most 15;
//! - every scan header (SOS) against the frame: 1–4 components, frame components in frame
//!   order without repeats, at most 10 blocks an MCU, the Huffman tables the scan uses and the
//!   quantisation tables of its components already defined, the spectral selection and
//!   successive approximation (Ss, Se, Ah, Al) valid for the frame's process and, for
//!   progressive files, for what earlier scans coded (ITU T.81 G.1.1.1);
//! - the entropy-coded data after each scan: only stuffed `FF 00`, fill bytes, restart markers
//!   in sequence and a marker that may follow a scan;
//! - an end marker (EOI) after every component has been coded at least in part.
//!
//! Huffman tables are required: an abbreviated file that relies on tables defined elsewhere
//! (a Motion-JPEG frame) is not an interchange JPEG, and pdf.js and older libjpeg builds
//! refuse it. A slide deck never holds one in practice; the message says what is missing.

/// Why a JPEG would be refused (the probe prefixes `JPEG: `): damaged, or a kind of JPEG that
/// PDF readers and the decoder do not take.
#[derive(Debug)]
pub(super) enum Refusal {
    Corrupt(String),
    Unsupported(String),
}

impl From<String> for Refusal {
    fn from(why: String) -> Self {
        Refusal::Corrupt(why)
    }
}

impl From<&str> for Refusal {
    fn from(why: &str) -> Self {
        Refusal::Corrupt(why.to_string())
    }
}

fn unsupported(why: String) -> Refusal {
    Refusal::Unsupported(why)
}

struct Component {
    id: u8,
    h: u8,
    v: u8,
    tq: u8,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Process {
    Baseline,
    Extended,
    Progressive,
}

struct Frame {
    process: Process,
    components: Vec<Component>,
}

/// What the tables and scans seen so far have defined and coded.
struct State {
    frame: Option<Frame>,
    quant: [bool; 4],
    /// Huffman tables defined, by class (0 DC, 1 AC) and id.
    huffman: [[bool; 4]; 2],
    /// Per frame component and coefficient: the last scan's Al (successive approximation
    /// bit position), or -1 while the coefficient is not coded. Sequential scans code all 64
    /// at Al 0.
    coded: [[i8; 64]; 4],
    scans: usize,
}

/// Check a whole JPEG file (it starts with SOI: the probe sniffed it).
pub(super) fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let truncated = || "no end marker (EOI): the file is cut short".to_string();
    let mut state = State {
        frame: None,
        quant: [false; 4],
        huffman: [[false; 4]; 2],
        coded: [[-1; 64]; 4],
        scans: 0,
    };
    let mut pos = 2;
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let marker = match bytes.get(pos..pos + 2) {
            Some([0xFF, m]) => *m,
            Some(_) => return Err(format!("expected a marker at byte {pos}").into()),
            None => return Err(truncated().into()),
        };
        match marker {
            0xD9 => return state.end(),
            0xD8 | 0xD0..=0xD7 | 0x01 => {
                pos += 2;
                continue;
            }
            0x00 | 0x02..=0xBF => {
                return Err(format!("invalid marker FF {marker:02X} at byte {pos}").into())
            }
            _ => {}
        }
        let len = bytes
            .get(pos + 2..pos + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .ok_or_else(truncated)?;
        if len < 2 {
            return Err(format!("invalid segment length at byte {pos}").into());
        }
        let segment = bytes.get(pos + 4..pos + 2 + len).ok_or_else(truncated)?;
        let at = pos;
        pos += 2 + len;
        match marker {
            0xC4 => state.huffman_tables(segment, at)?,
            0xDB => state.quant_tables(segment, at)?,
            0xDD if segment.len() != 2 => {
                return Err(
                    format!("restart interval (DRI) of the wrong length at byte {at}").into(),
                )
            }
            0xDC => {
                return Err(unsupported(
                    "a DNL marker (height given after the image data)".into(),
                ))
            }
            0xC0..=0xCF => state.frame_header(marker, segment)?,
            0xDA => {
                state.scan_header(segment, at)?;
                pos = entropy_coded_data(bytes, pos)?;
            }
            _ => {}
        }
    }
}

/// Skip the entropy-coded data that starts at `pos`; returns the position of the marker that
/// ends it. Restart markers must come in sequence (RST0 … RST7, RST0 …, from RST0 in each
/// scan): one out of place means lost or shuffled data.
fn entropy_coded_data(bytes: &[u8], mut pos: usize) -> Result<usize, Refusal> {
    let truncated = || "no end marker (EOI): the file is cut short".to_string();
    let mut next_restart = 0u8;
    loop {
        let ff = bytes
            .get(pos..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
            .ok_or_else(truncated)?;
        pos += ff;
        match bytes.get(pos + 1) {
            None => return Err(truncated().into()),
            Some(0x00) => pos += 2,
            // Fill bytes before a marker.
            Some(0xFF) => pos += 1,
            Some(&m @ 0xD0..=0xD7) => {
                if m - 0xD0 != next_restart {
                    return Err(format!(
                        "restart marker RST{} where RST{next_restart} was due, at byte {pos}: \
                         the image data is damaged",
                        m - 0xD0
                    )
                    .into());
                }
                next_restart = (next_restart + 1) % 8;
                pos += 2;
            }
            // What may follow a scan: the end, another scan, tables, comments, APPn (and DNL,
            // refused by the caller with its own reason).
            Some(0xD9 | 0xDA | 0xC4 | 0xDB | 0xDC | 0xDD | 0xFE | 0xE0..=0xEF) => return Ok(pos),
            Some(&m) => {
                return Err(format!(
                    "invalid byte sequence FF {m:02X} in the image data at byte {pos}: the \
                     image data is damaged"
                )
                .into())
            }
        }
    }
}

impl State {
    fn frame_header(&mut self, marker: u8, segment: &[u8]) -> Result<(), Refusal> {
        let process = match marker {
            0xC0 => Process::Baseline,
            0xC1 => Process::Extended,
            0xC2 => Process::Progressive,
            0xC3 => return Err(unsupported("lossless JPEG (SOF3)".into())),
            0xC5..=0xC7 => {
                return Err(unsupported(format!(
                    "hierarchical JPEG (SOF{})",
                    marker - 0xC0
                )))
            }
            0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(unsupported(format!(
                    "arithmetic-coded JPEG (SOF{}): PDF readers and the decoder take \
                     Huffman-coded JPEG only",
                    marker - 0xC0
                )))
            }
            // JPG (C8) and DAC (CC): reserved, and arithmetic coding's tables.
            0xC8 => return Err("reserved marker FF C8 (JPG extension)".into()),
            _ => return Err(unsupported("arithmetic coding (DAC tables)".into())),
        };
        if self.frame.is_some() {
            return Err("a second frame header (SOF)".into());
        }
        let count = usize::from(*segment.get(5).ok_or("truncated frame header")?);
        if segment.len() != 6 + 3 * count {
            return Err("frame header (SOF) of the wrong length".into());
        }
        if segment[0] != 8 {
            return Err(unsupported(format!(
                "{}-bit samples: PDF readers and the decoder take 8-bit JPEG only",
                segment[0]
            )));
        }
        if !matches!(count, 1 | 3 | 4) {
            return Err(format!("{count} colour components").into());
        }
        let mut components: Vec<Component> = Vec::with_capacity(count);
        for c in segment[6..].chunks_exact(3) {
            let component = Component {
                id: c[0],
                h: c[1] >> 4,
                v: c[1] & 15,
                tq: c[2],
            };
            if components.iter().any(|other| other.id == component.id) {
                return Err(format!("component id {} used twice in the frame", c[0]).into());
            }
            if !(1..=4).contains(&component.h) || !(1..=4).contains(&component.v) {
                return Err(format!(
                    "component {} has invalid sampling factors {}x{}",
                    c[0], component.h, component.v
                )
                .into());
            }
            if component.tq > 3 {
                return Err(format!(
                    "component {} uses quantisation table {} (0-3 exist)",
                    c[0], component.tq
                )
                .into());
            }
            components.push(component);
        }
        let max_h = components.iter().map(|c| c.h).max().unwrap_or(1);
        let max_v = components.iter().map(|c| c.v).max().unwrap_or(1);
        if let Some(c) = components
            .iter()
            .find(|c| max_h % c.h != 0 || max_v % c.v != 0)
        {
            return Err(unsupported(format!(
                "component {} is sampled {}x{} against {max_h}x{max_v}: fractional sampling, \
                 which decoders do not implement",
                c.id, c.h, c.v
            )));
        }
        self.frame = Some(Frame {
            process,
            components,
        });
        Ok(())
    }

    fn quant_tables(&mut self, mut segment: &[u8], at: usize) -> Result<(), Refusal> {
        while let Some(&pq_tq) = segment.first() {
            let (precision, id) = (pq_tq >> 4, usize::from(pq_tq & 15));
            if precision > 1 || id > 3 {
                return Err(format!(
                    "invalid quantisation table (precision {precision}, id {id}) at byte {at}"
                )
                .into());
            }
            let size = 1 + 64 * (1 + usize::from(precision));
            if segment.len() < size {
                return Err(format!("quantisation table (DQT) cut short at byte {at}").into());
            }
            self.quant[id] = true;
            segment = &segment[size..];
        }
        Ok(())
    }

    fn huffman_tables(&mut self, mut segment: &[u8], at: usize) -> Result<(), Refusal> {
        while let Some(&tc_th) = segment.first() {
            let (class, id) = (usize::from(tc_th >> 4), usize::from(tc_th & 15));
            if class > 1 || id > 3 {
                return Err(
                    format!("invalid Huffman table (class {class}, id {id}) at byte {at}").into(),
                );
            }
            let counts = segment
                .get(1..17)
                .ok_or_else(|| format!("Huffman table (DHT) cut short at byte {at}"))?;
            let total: usize = counts.iter().map(|&n| usize::from(n)).sum();
            let symbols = segment
                .get(17..17 + total)
                .ok_or_else(|| format!("Huffman table (DHT) cut short at byte {at}"))?;
            // Canonical codes, shortest first: after the codes of each length the next free
            // code must still fit in that length, all ones excluded (T.81 C, libjpeg's check).
            let mut code = 0u32;
            for (bits, &n) in (1..=16u32).zip(counts) {
                code += u32::from(n);
                if code >= 1 << bits {
                    return Err(format!(
                        "Huffman table (DHT) at byte {at} has more codes than fit"
                    )
                    .into());
                }
                code <<= 1;
            }
            if total > 256 || (class == 0 && symbols.iter().any(|&s| s > 15)) {
                return Err(format!("invalid Huffman table symbols at byte {at}").into());
            }
            self.huffman[class][id] = true;
            segment = &segment[17 + total..];
        }
        Ok(())
    }

    fn scan_header(&mut self, segment: &[u8], at: usize) -> Result<(), Refusal> {
        let frame = self
            .frame
            .as_ref()
            .ok_or("image data (SOS) before the frame header")?;
        let count = usize::from(*segment.first().ok_or("empty scan header")?);
        if !(1..=4).contains(&count) || count > frame.components.len() {
            return Err(format!(
                "scan header at byte {at} codes {count} components of a {}-component frame",
                frame.components.len()
            )
            .into());
        }
        if segment.len() != 4 + 2 * count {
            return Err(format!("scan header (SOS) of the wrong length at byte {at}").into());
        }
        let [ss, se, ah_al] = [
            segment[1 + 2 * count],
            segment[2 + 2 * count],
            segment[3 + 2 * count],
        ];
        let (ah, al) = (ah_al >> 4, ah_al & 15);
        let params = format!("Ss={ss}, Se={se}, Ah={ah}, Al={al}");
        // Frame index, DC table, AC table of each component the scan codes.
        let mut members: Vec<(usize, usize, usize)> = Vec::with_capacity(count);
        for sel in segment[1..1 + 2 * count].chunks_exact(2) {
            let index = frame
                .components
                .iter()
                .position(|c| c.id == sel[0])
                .ok_or_else(|| {
                    format!("scan header at byte {at} names component {}, which the frame does not have", sel[0])
                })?;
            if members.last().is_some_and(|&(last, _, _)| index <= last) {
                return Err(format!(
                    "scan header at byte {at} names its components out of frame order or twice"
                )
                .into());
            }
            members.push((index, usize::from(sel[1] >> 4), usize::from(sel[1] & 15)));
        }
        if count > 1 {
            let blocks: u32 = members
                .iter()
                .map(|&(i, _, _)| {
                    u32::from(frame.components[i].h) * u32::from(frame.components[i].v)
                })
                .sum();
            if blocks > 10 {
                return Err(format!(
                    "scan header at byte {at}: {blocks} blocks per MCU (at most 10)"
                )
                .into());
            }
        }
        let progressive = frame.process == Process::Progressive;
        if progressive {
            let valid = if ss == 0 {
                se == 0
            } else {
                ss <= se && se <= 63 && count == 1
            };
            if !valid || al > 13 || (ah != 0 && al + 1 != ah) {
                return Err(format!(
                    "invalid scan parameters for a progressive JPEG ({params}) at byte {at}"
                )
                .into());
            }
        } else if (ss, se, ah, al) != (0, 63, 0, 0) {
            return Err(format!(
                "invalid scan parameters for a sequential JPEG ({params}; must be Ss=0, \
                 Se=63, Ah=0, Al=0) at byte {at}"
            )
            .into());
        }
        for &(index, dc, ac) in &members {
            let component = &frame.components[index];
            if !self.quant[usize::from(component.tq)] {
                return Err(format!(
                    "quantisation table {} of component {} is not defined before its scan",
                    component.tq, component.id
                )
                .into());
            }
            // Which Huffman tables the scan decodes with: a DC refinement scan uses none.
            let uses_dc = ss == 0 && ah == 0;
            let uses_ac = !progressive || ss > 0;
            let limit = if frame.process == Process::Baseline {
                1
            } else {
                3
            };
            for (uses, class, id, name) in [(uses_dc, 0, dc, "DC"), (uses_ac, 1, ac, "AC")] {
                if !uses {
                    continue;
                }
                if id > limit {
                    return Err(format!(
                        "scan header at byte {at} uses {name} Huffman table {id} (this JPEG \
                         process has 0-{limit})"
                    )
                    .into());
                }
                if !self.huffman[class][id] {
                    return Err(unsupported(format!(
                        "{name} Huffman table {id} is not defined before the scan at byte \
                         {at}: an abbreviated JPEG (tables defined elsewhere, as in a \
                         Motion-JPEG frame)"
                    )));
                }
            }
            // What earlier scans coded of this component: each coefficient's first scan has
            // Ah 0, each later one refines the bit the previous scan stopped at; AC needs DC.
            let coded = &mut self.coded[index];
            if !progressive {
                if coded[0] >= 0 {
                    return Err(format!(
                        "component {} is coded twice in a sequential JPEG",
                        component.id
                    )
                    .into());
                }
                *coded = [0; 64];
                continue;
            }
            if ss > 0 && coded[0] < 0 {
                return Err(format!(
                    "scan at byte {at} codes AC coefficients of component {} before its DC",
                    component.id
                )
                .into());
            }
            let band = &mut coded[usize::from(ss)..=usize::from(se)];
            for (k, bit) in (usize::from(ss)..).zip(band) {
                let expected = (*bit).max(0) as u8;
                if ah != expected {
                    return Err(format!(
                        "scan at byte {at} refines coefficient {k} of component {} from bit \
                         {ah}, where the previous scan left bit {expected} ({params})",
                        component.id
                    )
                    .into());
                }
                *bit = al as i8;
            }
        }
        self.scans += 1;
        Ok(())
    }

    fn end(&self) -> Result<(), Refusal> {
        let frame = self
            .frame
            .as_ref()
            .ok_or("end marker before any image data")?;
        if self.scans == 0 {
            return Err("end marker before any image data".into());
        }
        match frame
            .components
            .iter()
            .zip(&self.coded)
            .find(|(_, coded)| coded[0] < 0)
        {
            Some((c, _)) => {
                Err(format!("component {} is never coded: the image is incomplete", c.id).into())
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = (payload.len() + 2) as u16;
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn dqt(id: u8) -> Vec<u8> {
        let mut payload = vec![id];
        payload.extend_from_slice(&[1; 64]);
        seg(0xDB, &payload)
    }

    /// A Huffman table with one code of length 1 for symbol 0.
    fn dht(class: u8, id: u8) -> Vec<u8> {
        let mut payload = vec![class << 4 | id, 1];
        payload.extend_from_slice(&[0; 15]);
        payload.push(0);
        seg(0xC4, &payload)
    }

    /// A 16x16 frame; components as (id, HV, Tq).
    fn sof(marker: u8, components: &[(u8, u8, u8)]) -> Vec<u8> {
        let mut payload = vec![8, 0, 16, 0, 16, components.len() as u8];
        for &(id, hv, tq) in components {
            payload.extend_from_slice(&[id, hv, tq]);
        }
        seg(marker, &payload)
    }

    /// A scan header with (id, TdTa) per component, then two bytes of entropy-coded data.
    fn sos(components: &[(u8, u8)], ss: u8, se: u8, ah_al: u8) -> Vec<u8> {
        let mut payload = vec![components.len() as u8];
        for &(id, tables) in components {
            payload.extend_from_slice(&[id, tables]);
        }
        payload.extend_from_slice(&[ss, se, ah_al]);
        let mut out = seg(0xDA, &payload);
        out.extend_from_slice(&[0x12, 0x34]);
        out
    }

    fn jpeg(parts: &[Vec<u8>]) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        for part in parts {
            out.extend_from_slice(part);
        }
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }

    fn refusal(parts: &[Vec<u8>]) -> String {
        match check(&jpeg(parts)) {
            Err(Refusal::Corrupt(why)) => format!("corrupt: {why}"),
            Err(Refusal::Unsupported(why)) => format!("unsupported: {why}"),
            Ok(()) => "accepted".into(),
        }
    }

    fn tables() -> Vec<Vec<u8>> {
        vec![dqt(0), dht(0, 0), dht(1, 0)]
    }

    fn with(mut parts: Vec<Vec<u8>>, more: &[Vec<u8>]) -> Vec<Vec<u8>> {
        parts.extend_from_slice(more);
        parts
    }

    const YCC: [(u8, u8, u8); 3] = [(1, 0x22, 0), (2, 0x11, 0), (3, 0x11, 0)];
    const ALL: [(u8, u8); 3] = [(1, 0), (2, 0), (3, 0)];

    #[test]
    fn valid_sequential_and_progressive_files_pass() {
        let baseline = with(tables(), &[sof(0xC0, &YCC), sos(&ALL, 0, 63, 0)]);
        assert_eq!(refusal(&baseline), "accepted");
        // Tables may come between the frame and the scan (T.81 B.2.4), components one per scan.
        let split = [
            sof(0xC1, &YCC),
            dqt(0),
            dht(0, 2),
            dht(1, 3),
            sos(&[(1, 0x23)], 0, 63, 0),
            sos(&[(2, 0x23), (3, 0x23)], 0, 63, 0),
        ];
        assert_eq!(refusal(&split), "accepted");
        // libjpeg's default progressive script, shortened: DC first, AC bands, refinements.
        let progressive = with(
            tables(),
            &[
                sof(0xC2, &YCC),
                sos(&ALL, 0, 0, 0x01),
                sos(&[(1, 0)], 1, 5, 0x02),
                sos(&[(2, 0)], 1, 63, 0x01),
                sos(&[(3, 0)], 1, 63, 0x01),
                sos(&[(1, 0)], 6, 63, 0x02),
                sos(&[(1, 0)], 1, 63, 0x21),
                sos(&ALL, 0, 0, 0x10),
                sos(&[(2, 0)], 1, 63, 0x10),
                sos(&[(3, 0)], 1, 63, 0x10),
                sos(&[(1, 0)], 1, 63, 0x10),
            ],
        );
        assert_eq!(refusal(&progressive), "accepted");
    }

    #[test]
    fn sequential_scans_must_code_all_coefficients_at_full_precision() {
        for (ss, se, ah_al) in [(1, 63, 0), (0, 62, 0), (0, 63, 0x21), (0, 0, 0x01)] {
            let why = refusal(&with(
                tables(),
                &[sof(0xC0, &YCC), sos(&ALL, ss, se, ah_al)],
            ));
            assert!(
                why.contains("invalid scan parameters for a sequential JPEG"),
                "{why}"
            );
        }
        let twice = with(
            tables(),
            &[
                sof(0xC0, &YCC),
                sos(&ALL, 0, 63, 0),
                sos(&[(2, 0)], 0, 63, 0),
            ],
        );
        assert!(refusal(&twice).contains("component 2 is coded twice"));
        let missing = with(tables(), &[sof(0xC0, &YCC), sos(&[(1, 0)], 0, 63, 0)]);
        assert!(refusal(&missing).contains("component 2 is never coded"));
    }

    #[test]
    fn progressive_scans_follow_t81_and_what_earlier_scans_coded() {
        let prog = |scans: &[Vec<u8>]| {
            let mut parts = with(tables(), &[sof(0xC2, &YCC)]);
            parts.extend_from_slice(scans);
            refusal(&parts)
        };
        let dc = sos(&ALL, 0, 0, 0x01);
        for bad in [
            sos(&ALL, 0, 5, 0x00),              // a DC scan must end at 0
            sos(&[(1, 0), (2, 0)], 1, 5, 0x00), // an AC scan codes one component
            sos(&[(1, 0)], 6, 5, 0x00),         // Se before Ss
            sos(&[(1, 0)], 1, 64, 0x00),        // beyond the block
            sos(&[(1, 0)], 1, 63, 0x0E),        // Al > 13
            sos(&[(1, 0)], 1, 63, 0x30),        // a refinement narrows by one bit
        ] {
            let why = prog(&[dc.clone(), bad]);
            assert!(
                why.contains("invalid scan parameters for a progressive JPEG"),
                "{why}"
            );
        }
        let ac_first = prog(&[sos(&[(1, 0)], 1, 63, 0x00)]);
        assert!(
            ac_first.contains("AC coefficients of component 1 before its DC"),
            "{ac_first}"
        );
        // Refining from a bit the previous scan did not leave.
        let jump = prog(&[
            dc.clone(),
            sos(&[(1, 0)], 1, 63, 0x02),
            sos(&[(1, 0)], 1, 63, 0x10),
        ]);
        assert!(
            jump.contains("from bit 1, where the previous scan left bit 2"),
            "{jump}"
        );
        let unrefined = prog(&[sos(&ALL, 0, 0, 0x10)]);
        assert!(
            unrefined.contains("from bit 1, where the previous scan left bit 0"),
            "{unrefined}"
        );
    }

    #[test]
    fn scan_components_are_frame_components_in_frame_order() {
        let scan = |components: &[(u8, u8)]| {
            refusal(&with(
                tables(),
                &[sof(0xC0, &YCC), sos(components, 0, 63, 0)],
            ))
        };
        assert!(
            scan(&[(1, 0), (9, 0)]).contains("names component 9, which the frame does not have")
        );
        assert!(scan(&[(2, 0), (1, 0)]).contains("out of frame order or twice"));
        assert!(scan(&[(1, 0), (1, 0)]).contains("out of frame order or twice"));
        assert!(scan(&[]).contains("codes 0 components"));
        let gray = [(1, 0x11, 0)];
        let why = refusal(&with(tables(), &[sof(0xC0, &gray), sos(&ALL, 0, 63, 0)]));
        assert!(
            why.contains("codes 3 components of a 1-component frame"),
            "{why}"
        );
        // 4x4 + 4x4 blocks: more than 10 in one MCU.
        let big = [(1, 0x44, 0), (2, 0x44, 0), (3, 0x11, 0)];
        let why = refusal(&with(tables(), &[sof(0xC0, &big), sos(&ALL, 0, 63, 0)]));
        assert!(why.contains("33 blocks per MCU"), "{why}");
    }

    #[test]
    fn tables_must_be_defined_before_the_scan_that_uses_them() {
        let no_quant = [dht(0, 0), dht(1, 0), sof(0xC0, &YCC), sos(&ALL, 0, 63, 0)];
        assert!(refusal(&no_quant).contains("quantisation table 0 of component 1 is not defined"));
        let late_quant = [
            dht(0, 0),
            dht(1, 0),
            sof(0xC0, &YCC),
            sos(&ALL, 0, 63, 0),
            dqt(0),
        ];
        assert!(refusal(&late_quant).contains("quantisation table 0"));
        // Motion-JPEG style: no DHT at all.
        let mjpeg = [dqt(0), sof(0xC0, &YCC), sos(&ALL, 0, 63, 0)];
        let why = refusal(&mjpeg);
        assert!(
            why.starts_with("unsupported: DC Huffman table 0 is not defined"),
            "{why}"
        );
        assert!(why.contains("Motion-JPEG"), "{why}");
        let no_ac = [dqt(0), dht(0, 0), sof(0xC0, &YCC), sos(&ALL, 0, 63, 0)];
        assert!(refusal(&no_ac).contains("AC Huffman table 0 is not defined"));
        // A baseline scan may use tables 0 and 1 only.
        let why = refusal(&with(
            tables(),
            &[
                dht(0, 2),
                sof(0xC0, &YCC),
                sos(&[(1, 0x20), (2, 0), (3, 0)], 0, 63, 0),
            ],
        ));
        assert!(
            why.contains("uses DC Huffman table 2 (this JPEG process has 0-1)"),
            "{why}"
        );
        // A DC refinement scan decodes no Huffman table: none need be defined for it.
        let refine = [
            dqt(0),
            dht(0, 0),
            sof(0xC2, &[(1, 0x11, 0)]),
            sos(&[(1, 0x00)], 0, 0, 0x01),
            sos(&[(1, 0x33)], 0, 0, 0x10),
        ];
        assert_eq!(refusal(&refine), "accepted");
    }

    #[test]
    fn malformed_tables_are_refused() {
        let overfull = seg(0xC4, &[[0x00, 2].as_slice(), &[0; 15], &[0, 1]].concat());
        assert!(refusal(&[overfull, dqt(0)]).contains("more codes than fit"));
        let dc_symbol = seg(0xC4, &[[0x00, 1].as_slice(), &[0; 15], &[16]].concat());
        assert!(refusal(&[dc_symbol]).contains("invalid Huffman table symbols"));
        assert!(refusal(&[dht(2, 0)]).contains("invalid Huffman table (class 2, id 0)"));
        assert!(refusal(&[seg(0xDB, &[0x04; 65])]).contains("invalid quantisation table"));
        assert!(refusal(&[seg(0xDB, &[0x00; 30])]).contains("cut short"));
        assert!(refusal(&[seg(0xDD, &[0, 1, 2])]).contains("DRI"));
    }

    #[test]
    fn frames_decoders_do_not_take_are_unsupported() {
        for (marker, what) in [
            (0xC3, "lossless JPEG (SOF3)"),
            (0xC5, "hierarchical JPEG (SOF5)"),
            (0xC9, "arithmetic-coded JPEG (SOF9)"),
            (0xCA, "arithmetic-coded JPEG (SOF10)"),
        ] {
            let why = refusal(&with(tables(), &[sof(marker, &YCC), sos(&ALL, 0, 63, 0)]));
            assert!(why.starts_with(&format!("unsupported: {what}")), "{why}");
        }
        let mut twelve = sof(0xC1, &YCC);
        twelve[4] = 12;
        let why = refusal(&with(tables(), &[twelve, sos(&ALL, 0, 63, 0)]));
        assert!(why.starts_with("unsupported: 12-bit samples"), "{why}");
        let fractional = [(1, 0x32, 0), (2, 0x21, 0), (3, 0x11, 0)];
        let why = refusal(&with(
            tables(),
            &[sof(0xC0, &fractional), sos(&ALL, 0, 63, 0)],
        ));
        assert!(why.contains("fractional sampling"), "{why}");
        let dup = [(1, 0x11, 0), (1, 0x11, 0), (3, 0x11, 0)];
        assert!(refusal(&[sof(0xC0, &dup)]).contains("component id 1 used twice"));
        assert!(refusal(&[sof(0xC0, &[(1, 0x51, 0)])]).contains("invalid sampling factors 5x1"));
        assert!(refusal(&[sof(0xC0, &[(1, 0x11, 4)])]).contains("quantisation table 4"));
        let second = with(tables(), &[sof(0xC0, &YCC), sof(0xC0, &YCC)]);
        assert!(refusal(&second).contains("a second frame header"));
        assert!(refusal(&[seg(0xDC, &[0, 16])]).contains("DNL"));
    }
}
