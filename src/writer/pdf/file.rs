//! A PDF file written object by object: pdf-writer's `Pdf` keeps the whole document in
//! memory, so each object is built in its own small `Chunk`, appended to the file at once,
//! and only its byte offset is kept for the cross-reference table written at the end.

use std::io::{self, Write};

use pdf_writer::{Chunk, Ref};

/// The `%PDF` header, with a comment of high bytes so tools treat the file as binary.
const HEADER: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";

pub struct ObjectWriter<W: Write> {
    out: W,
    position: u64,
    /// Byte offset of object `n` at index `n - 1`; `None` where an id was never written.
    offsets: Vec<Option<u64>>,
    next_id: i32,
}

impl<W: Write> ObjectWriter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(HEADER)?;
        Ok(ObjectWriter {
            out,
            position: HEADER.len() as u64,
            offsets: Vec::new(),
            next_id: 1,
        })
    }

    /// A fresh object id.
    pub fn alloc(&mut self) -> Ref {
        let id = Ref::new(self.next_id);
        self.next_id += 1;
        id
    }

    /// The allocator itself, for code (like font subsetting) that allocates its own ids.
    pub fn next_ref(&self) -> Ref {
        Ref::new(self.next_id)
    }

    /// Take back the allocator after outside code used `next_ref`'s `bump()` calls.
    pub fn set_next_ref(&mut self, next: Ref) {
        self.next_id = self.next_id.max(next.get());
    }

    /// Append every object of `chunk`, recording where each starts.
    pub fn write_chunk(&mut self, chunk: &Chunk) -> io::Result<()> {
        let bytes = chunk.as_bytes();
        let starts = object_starts(chunk)?;
        for (id, start) in starts {
            self.record(id, self.position + start as u64)?;
        }
        self.out.write_all(bytes)?;
        self.position += bytes.len() as u64;
        Ok(())
    }

    /// Append the one stream object of `chunk`, which pdf-writer built with empty data, with
    /// `data` as its stream: a slide-sized image goes from its own buffer to the file instead
    /// of being copied into a chunk first (a copy, and fresh pages to fault in, per slide).
    /// The object's `/Length 0` becomes the data's length.
    pub fn write_stream_object(&mut self, chunk: &Chunk, data: &[u8]) -> io::Result<()> {
        const EMPTY_STREAM: &[u8] = b">>\nstream\n\nendstream\nendobj\n";
        let bytes = chunk.as_bytes();
        let refs: Vec<Ref> = chunk.refs().collect();
        let [id] = refs[..] else {
            return Err(io::Error::other("a stream chunk holds one object"));
        };
        let header = format!("{} 0 obj\n", id.get());
        let stream_at = rfind(bytes, EMPTY_STREAM)
            .filter(|_| bytes.starts_with(header.as_bytes()))
            .ok_or_else(|| io::Error::other("not an object with an empty stream"))?;
        let dict_end = stream_at + b">>\nstream\n".len();
        let (dict, tail) = (&bytes[..dict_end], &bytes[dict_end..]);
        // pdf-writer writes `/Length` first; it is the dictionary's first `/Length`.
        let length_at = find(dict, b"/Length ")
            .map(|at| at + b"/Length ".len())
            .filter(|&at| dict[at] == b'0' && !dict[at + 1].is_ascii_digit())
            .ok_or_else(|| io::Error::other("stream without /Length 0"))?;
        let length = data.len().to_string();
        self.record(id, self.position)?;
        self.out.write_all(&dict[..length_at])?;
        self.out.write_all(length.as_bytes())?;
        self.out.write_all(&dict[length_at + 1..])?;
        self.out.write_all(data)?;
        self.out.write_all(tail)?;
        self.position += (dict.len() - 1 + length.len() + data.len() + tail.len()) as u64;
        Ok(())
    }

    fn record(&mut self, id: Ref, offset: u64) -> io::Result<()> {
        let index = usize::try_from(id.get() - 1)
            .map_err(|_| io::Error::other(format!("invalid object id {}", id.get())))?;
        if self.offsets.len() <= index {
            self.offsets.resize(index + 1, None);
        }
        if self.offsets[index].replace(offset).is_some() {
            return Err(io::Error::other(format!(
                "object {} written twice",
                id.get()
            )));
        }
        Ok(())
    }

    /// Write the cross-reference table and trailer; returns the sink, flushed.
    pub fn finish(mut self, root: Ref, info: Ref, file_id: [u8; 16]) -> io::Result<W> {
        let xref_offset = self.position;
        let size = self.offsets.len() + 1;
        let mut table = Vec::with_capacity(40 + 20 * size);
        write!(table, "xref\n0 {size}\n")?;
        // Entry 0 heads the free list; ids allocated but never written are free too.
        table.extend_from_slice(b"0000000000 65535 f\r\n");
        for offset in &self.offsets {
            match offset {
                Some(o) => write!(table, "{o:010} 00000 n\r\n")?,
                None => table.extend_from_slice(b"0000000000 00001 f\r\n"),
            }
        }
        let id = hex_string(&file_id);
        write!(
            table,
            "trailer\n<< /Size {size} /Root {} 0 R /Info {} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref_offset}\n%%EOF\n",
            root.get(),
            info.get()
        )?;
        self.out.write_all(&table)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Where each object of a chunk starts. pdf-writer keeps these offsets private, so they are
/// found again: objects follow each other in the order `refs()` yields them, each opening with
/// `N 0 obj` and the one before closing with `endobj`.
fn object_starts(chunk: &Chunk) -> io::Result<Vec<(Ref, usize)>> {
    let bytes = chunk.as_bytes();
    let refs: Vec<Ref> = chunk.refs().collect();
    let mut starts = Vec::with_capacity(refs.len());
    let mut from = 0;
    for (i, id) in refs.iter().enumerate() {
        let header = format!("{} 0 obj\n", id.get());
        let start = if i == 0 {
            bytes
                .starts_with(header.as_bytes())
                .then_some(0)
                .ok_or_else(|| io::Error::other("chunk does not start with an object"))?
        } else {
            let mut needle = b"endobj\n".to_vec();
            needle.extend_from_slice(header.as_bytes());
            let mut pretty = b"endobj\n\n".to_vec();
            pretty.extend_from_slice(header.as_bytes());
            let found = find(&bytes[from..], &pretty)
                .map(|p| p + b"endobj\n\n".len())
                .or_else(|| find(&bytes[from..], &needle).map(|p| p + b"endobj\n".len()))
                .ok_or_else(|| {
                    io::Error::other(format!("object {} not found in chunk", id.get()))
                })?;
            from + found
        };
        starts.push((*id, start));
        from = start + header.len();
    }
    Ok(starts)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Finish, Name};

    #[test]
    fn offsets_point_at_each_object() {
        let mut chunk = Chunk::new();
        chunk.indirect(Ref::new(2)).primitive(7);
        chunk
            .stream(Ref::new(5), b"endobj\n1 0 obj\n")
            .pair(Name(b"X"), 1)
            .finish();
        chunk.indirect(Ref::new(3)).primitive(Name(b"Y"));
        let starts = object_starts(&chunk).unwrap();
        let bytes = chunk.as_bytes();
        for (id, at) in &starts {
            assert!(bytes[*at..].starts_with(format!("{} 0 obj\n", id.get()).as_bytes()));
        }
        assert_eq!(starts.len(), 3);
    }

    /// A stream written from its own buffer is byte for byte the object pdf-writer writes
    /// with the data inside, for lengths of one digit and of several, compact or pretty.
    #[test]
    fn stream_objects_match_what_pdf_writer_writes() {
        for data in [&b""[..], b"x", b"0123456789", &[7u8; 100_000][..]] {
            for pretty in [false, true] {
                let settings = pdf_writer::Settings { pretty };
                let whole = {
                    let mut chunk = Chunk::with_settings(settings);
                    chunk.stream(Ref::new(4), data).pair(Name(b"L"), 0).finish();
                    let mut w = ObjectWriter::new(Vec::new()).unwrap();
                    w.write_chunk(&chunk).unwrap();
                    (w.position, w.offsets.clone(), w.out)
                };
                let streamed = {
                    let mut chunk = Chunk::with_settings(settings);
                    chunk.stream(Ref::new(4), &[]).pair(Name(b"L"), 0).finish();
                    let mut w = ObjectWriter::new(Vec::new()).unwrap();
                    w.write_stream_object(&chunk, data).unwrap();
                    (w.position, w.offsets.clone(), w.out)
                };
                assert_eq!(whole, streamed, "{} bytes, pretty {pretty}", data.len());
                assert_eq!(whole.0, whole.2.len() as u64);
            }
        }
    }

    #[test]
    fn xref_lists_written_and_free_objects() {
        let mut w = ObjectWriter::new(Vec::new()).unwrap();
        let a = w.alloc();
        let unused = w.alloc();
        let b = w.alloc();
        let _ = unused;
        let mut chunk = Chunk::new();
        chunk.indirect(a).primitive(1);
        w.write_chunk(&chunk).unwrap();
        let mut chunk = Chunk::new();
        chunk.indirect(b).primitive(2);
        w.write_chunk(&chunk).unwrap();
        let out = w.finish(a, b, [0; 16]).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("xref\n0 4\n"));
        assert!(text.contains("0000000000 00001 f\r\n"));
        let first = find(&out, b"1 0 obj").unwrap();
        assert!(text.contains(&format!("{first:010} 00000 n")));
        assert!(w_twice_fails());
    }

    fn w_twice_fails() -> bool {
        let mut w = ObjectWriter::new(Vec::new()).unwrap();
        let a = w.alloc();
        let mut chunk = Chunk::new();
        chunk.indirect(a).primitive(1);
        w.write_chunk(&chunk).unwrap();
        w.write_chunk(&chunk).is_err()
    }
}
