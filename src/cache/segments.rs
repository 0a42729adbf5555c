//! The memo of streamed files: the exports, hundreds of megabytes on a large
//! dossier, are mostly one part per source in source order. Each part is
//! written with a key of everything it is made from; a part whose key the
//! previous build wrote is copied from the file that build left in the
//! output instead of being serialised again, so an edit to one source
//! serialises that source's parts and copies the rest, in long runs.
//!
//! The previous file is read only if it still has the size and time the
//! previous build saw after writing it, as for pages.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{lock, program_key, replace_file, FileStamp, Key, CACHE_DIR, FORMAT};

/// Bytes copied from the previous file at a time.
const COPY_BUFFER: usize = 256 * 1024;

/// A keyed part of a streamed file, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Segment {
    key: Key,
    /// Where the part starts in the file and its length.
    start: u64,
    len: u64,
    /// Bytes of the list separator written just before it, if any.
    lead: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct FileSegments {
    stamp: FileStamp,
    segments: Vec<Segment>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SegmentManifest {
    format: u32,
    program: Key,
    files: BTreeMap<String, FileSegments>,
}

/// The keyed parts of the streamed files of the previous build and of this
/// one. Disabled, it never reuses a part.
#[derive(Debug, Default)]
pub struct SegmentMemo {
    /// The manifest file, when enabled.
    file: Option<PathBuf>,
    output: PathBuf,
    previous: BTreeMap<String, FileSegments>,
    current: Mutex<BTreeMap<String, Vec<Segment>>>,
}

impl SegmentMemo {
    /// The memo of the dossier at `root` whose site is written to `output`.
    /// A manifest that cannot be read is an empty one.
    pub fn open(root: &Path, output: &Path) -> SegmentMemo {
        let file = root.join(CACHE_DIR).join("segments.bin");
        let previous = std::fs::read(&file)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<SegmentManifest>(&bytes).ok())
            .filter(|manifest| manifest.format == FORMAT && manifest.program == program_key())
            .map(|manifest| manifest.files)
            .unwrap_or_default();
        SegmentMemo {
            file: Some(file),
            output: output.to_owned(),
            previous,
            current: Mutex::default(),
        }
    }

    /// A writer of the file at `path` (under the output) into `out`.
    pub fn writer<'w>(&'w self, path: &str, out: &'w mut dyn Write) -> SegmentWriter<'w> {
        let previous = self.file.as_ref().and_then(|_| {
            let file = self.previous.get(path)?;
            let on_disk = self.output.join(path);
            if FileStamp::of(&on_disk) != Some(file.stamp) {
                return None;
            }
            let parts = file.segments.iter().map(|s| (s.key, *s)).collect();
            Some((File::open(on_disk).ok()?, parts))
        });
        SegmentWriter {
            memo: self,
            path: path.to_owned(),
            out,
            written: 0,
            previous,
            pending: None,
            segments: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Records this build's files for the next; called once the site is
    /// written.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let files = std::mem::take(&mut *lock(&self.current))
            .into_iter()
            .filter_map(|(path, segments)| {
                let stamp = FileStamp::of(&self.output.join(&path))?;
                Some((path, FileSegments { stamp, segments }))
            })
            .collect();
        let manifest = SegmentManifest {
            format: FORMAT,
            program: program_key(),
            files,
        };
        if let Ok(bytes) = postcard::to_stdvec(&manifest) {
            replace_file(file, &bytes);
        }
    }
}

/// Writes one streamed file: plain bytes, and keyed parts that are copied
/// from the previous file when it has them.
pub struct SegmentWriter<'w> {
    memo: &'w SegmentMemo,
    path: String,
    out: &'w mut dyn Write,
    /// Bytes written so far.
    written: u64,
    /// The previous file and its parts by key, when it can be trusted.
    previous: Option<(File, HashMap<Key, Segment>)>,
    /// A run of the previous file still to be copied: consecutive parts
    /// are copied as one.
    pending: Option<Range<u64>>,
    segments: Vec<Segment>,
    /// The part being made, reused from part to part.
    scratch: Vec<u8>,
}

impl SegmentWriter<'_> {
    /// Writes bytes that are not part of any keyed part.
    pub fn plain(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.copy_pending()?;
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Writes the part whose bytes are made by `write` from what `key`
    /// stands for, preceded by `separator` (`,` between the items of a
    /// JSON list, none before the first).
    pub fn part(
        &mut self,
        key: Key,
        separator: &[u8],
        write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let lead = separator.len() as u64;
        let found = self
            .previous
            .as_ref()
            .and_then(|(_, parts)| parts.get(&key).copied());
        let start = match found {
            // The previous file has the separator just before the part.
            Some(old) if old.lead == lead => {
                self.copy(old.start - lead..old.start + old.len)?;
                self.written - old.len
            }
            Some(old) => {
                self.plain(separator)?;
                self.copy(old.start..old.start + old.len)?;
                self.written - old.len
            }
            None => {
                // Made whole first: serialisers write many tiny pieces.
                let mut part = std::mem::take(&mut self.scratch);
                part.clear();
                write(&mut part)?;
                self.plain(separator)?;
                self.plain(&part)?;
                self.scratch = part;
                self.written - self.scratch.len() as u64
            }
        };
        self.segments.push(Segment {
            key,
            start,
            len: self.written - start,
            lead,
        });
        Ok(())
    }

    /// Copies what is left to copy and records the file's parts.
    pub fn finish(mut self) -> io::Result<()> {
        self.copy_pending()?;
        let segments = std::mem::take(&mut self.segments);
        lock(&self.memo.current).insert(self.path.clone(), segments);
        Ok(())
    }

    /// Adds `range` of the previous file to the run to copy, copying the
    /// run so far first if `range` does not continue it.
    fn copy(&mut self, range: Range<u64>) -> io::Result<()> {
        self.written += range.end - range.start;
        if let Some(run) = &mut self.pending {
            if run.end == range.start {
                run.end = range.end;
                return Ok(());
            }
        }
        self.copy_pending()?;
        self.pending = Some(range);
        Ok(())
    }

    fn copy_pending(&mut self) -> io::Result<()> {
        let Some(run) = self.pending.take() else {
            return Ok(());
        };
        let Some((file, _)) = &mut self.previous else {
            return Err(io::Error::other("no previous file to copy from"));
        };
        file.seek(SeekFrom::Start(run.start))?;
        let mut left = run.end - run.start;
        let mut buffer = vec![0; COPY_BUFFER.min(left as usize)];
        while left > 0 {
            let chunk = &mut buffer[..COPY_BUFFER.min(left as usize)];
            file.read_exact(chunk)?;
            self.out.write_all(chunk)?;
            left -= chunk.len() as u64;
        }
        Ok(())
    }
}

/// Plain bytes, written as they come: a section made whole before being
/// written would be held in memory whole.
impl Write for SegmentWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.plain(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.copy_pending()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "data/list.json";

    /// Writes a JSON list of `items` (key, text) as a build would, saving
    /// the file and the memo; returns the bytes and the items serialised.
    fn build(dir: &Path, items: &[(u8, &str)]) -> (Vec<u8>, Vec<u8>) {
        let output = dir.join("public");
        let memo = SegmentMemo::open(dir, &output);
        let mut bytes = Vec::new();
        let mut made = Vec::new();
        let mut file = memo.writer(PATH, &mut bytes);
        file.plain(b"[").unwrap();
        for (n, (key, text)) in items.iter().enumerate() {
            let separator: &[u8] = if n == 0 { b"" } else { b"," };
            file.part(Key::combine(&[&[*key]]), separator, |out| {
                made.push(*key);
                out.write_all(text.as_bytes())
            })
            .unwrap();
        }
        file.plain(b"]").unwrap();
        file.finish().unwrap();
        std::fs::create_dir_all(output.join("data")).unwrap();
        std::fs::write(output.join(PATH), &bytes).unwrap();
        memo.save();
        (bytes, made)
    }

    #[test]
    fn parts_of_the_previous_file_are_copied_not_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let (bytes, made) = build(dir.path(), &[(1, "\"a\""), (2, "\"b\""), (3, "\"c\"")]);
        assert_eq!(bytes, b"[\"a\",\"b\",\"c\"]");
        assert_eq!(made, [1, 2, 3]);
        // The second part changed: only it is made again.
        let (bytes, made) = build(dir.path(), &[(1, "\"a\""), (4, "\"B\""), (3, "\"c\"")]);
        assert_eq!(bytes, b"[\"a\",\"B\",\"c\"]");
        assert_eq!(made, [4]);
    }

    #[test]
    fn parts_that_move_to_or_from_the_front_keep_their_separators_right() {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &[(1, "\"a\""), (2, "\"b\""), (3, "\"c\"")]);
        let (bytes, made) = build(dir.path(), &[(3, "\"c\""), (1, "\"a\""), (2, "\"b\"")]);
        assert_eq!(bytes, b"[\"c\",\"a\",\"b\"]");
        assert!(made.is_empty());
        let (bytes, made) = build(dir.path(), &[(2, "\"b\""), (3, "\"c\"")]);
        assert_eq!(bytes, b"[\"b\",\"c\"]");
        assert!(made.is_empty());
    }

    #[test]
    fn a_file_changed_since_the_last_build_is_not_copied_from() {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &[(1, "\"a\""), (2, "\"b\"")]);
        // Same size, other bytes, another time: the stamp no longer holds.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("public").join(PATH), b"[\"x\",\"y\"]").unwrap();
        let (bytes, made) = build(dir.path(), &[(1, "\"a\""), (2, "\"b\"")]);
        assert_eq!(bytes, b"[\"a\",\"b\"]");
        assert_eq!(made, [1, 2]);
    }

    #[test]
    fn a_missing_or_damaged_manifest_copies_nothing() {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &[(1, "\"a\"")]);
        let manifest = dir.path().join(CACHE_DIR).join("segments.bin");
        std::fs::write(&manifest, b"not a manifest").unwrap();
        let (_, made) = build(dir.path(), &[(1, "\"a\"")]);
        assert_eq!(made, [1]);
        std::fs::remove_file(&manifest).unwrap();
        let (_, made) = build(dir.path(), &[(1, "\"a\"")]);
        assert_eq!(made, [1]);
    }
}
