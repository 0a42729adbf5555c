//! The entries' file: every cached source in one file of records, appended
//! to as entries are made.
//!
//! One file rather than a file per entry: creating ten thousand small files
//! on every first build, and deleting them again, was a large part of a full
//! build's time on a large dossier, spent in the file system rather than in
//! dossier. A record is its key, its length, a checksum and the payload. A
//! record that fails its checksum is absent; a damaged tail (a build killed
//! midway through a record) ends the file where the damage starts. A newer
//! record of a key hides an older one, and when more than half of the file
//! is records no source uses any more, it is written again with the live
//! ones only.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{lock, Key};

/// The file's first bytes: the layout, then the program that wrote it.
const MAGIC: &[u8; 8] = b"dossPAK1";
const FILE_HEADER: u64 = 8 + 16;
/// A record's key, payload length and checksum.
const RECORD_HEADER: u64 = 16 + 4 + 16;

/// Where a record's payload is in the file.
#[derive(Debug, Clone, Copy)]
struct Location {
    offset: u64,
    len: u32,
    checksum: Key,
}

#[derive(Debug)]
pub struct Pack {
    path: PathBuf,
    program: Key,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The file, for reading: shared, so that threads read without
    /// holding the lock.
    reader: Option<Arc<File>>,
    index: HashMap<Key, Location>,
    /// Where the last good record ends, once the file is opened to append.
    end: u64,
    /// The file must start again: another layout or program wrote it.
    fresh: bool,
    writer: Option<File>,
}

impl State {
    /// The state of the file at `path`: a fresh start unless `program`
    /// wrote it in this layout.
    fn read(path: &Path, program: Key) -> State {
        let found = File::open(path).ok().and_then(|file| {
            let (index, end) = read_index(&file, program)?;
            Some(State {
                reader: Some(Arc::new(file)),
                index,
                end,
                fresh: false,
                writer: None,
            })
        });
        found.unwrap_or(State {
            fresh: true,
            ..State::default()
        })
    }
}

impl Pack {
    /// The pack at `path` as written by the program `program`. Reading
    /// stops at the first damaged record; nothing is written until
    /// [`Pack::put`].
    pub fn open(path: PathBuf, program: Key) -> Pack {
        let state = State::read(&path, program);
        Pack {
            path,
            program,
            state: Mutex::new(state),
        }
    }

    /// The payload kept under `key`, if it is there whole.
    pub fn get(&self, key: Key) -> Option<Vec<u8>> {
        let (reader, location) = {
            let state = lock(&self.state);
            (state.reader.clone()?, *state.index.get(&key)?)
        };
        let payload = read_at(&reader, location.offset, location.len)?;
        (Key::combine(&[&payload]) == location.checksum).then_some(payload)
    }

    /// Appends `payload` under `key`.
    #[cfg(test)]
    pub fn put(&self, key: Key, payload: &[u8]) {
        let mut record = Pack::record_buffer(payload.len());
        record.extend_from_slice(payload);
        self.put_record(key, record);
    }

    /// An empty record with room for its header and `capacity` bytes of
    /// payload, for [`Pack::put_record`]: a payload serialised straight
    /// into it is not copied again.
    pub fn record_buffer(capacity: usize) -> Vec<u8> {
        let mut record = Vec::with_capacity(RECORD_HEADER as usize + capacity);
        record.resize(RECORD_HEADER as usize, 0);
        record
    }

    /// Appends under `key` the record made from [`Pack::record_buffer`]
    /// with the payload after its header. The cache is an optimisation: a
    /// failure to write leaves the entry out.
    pub fn put_record(&self, key: Key, mut record: Vec<u8>) {
        let header = RECORD_HEADER as usize;
        let Some(payload) = record.get(header..) else {
            return;
        };
        let Ok(len) = u32::try_from(payload.len()) else {
            return;
        };
        let checksum = Key::combine(&[payload]);
        record[..16].copy_from_slice(&key.to_bytes());
        record[16..20].copy_from_slice(&len.to_le_bytes());
        record[20..header].copy_from_slice(&checksum.to_bytes());
        let mut state = lock(&self.state);
        if state.writer.is_none() {
            state.writer = self.open_to_append(&mut state);
        }
        let Some(writer) = state.writer.as_mut() else {
            return;
        };
        // Opened to append, the file's position after a write is the end of
        // that record, even if another build appended meanwhile.
        let written = writer
            .write_all(&record)
            .and_then(|()| writer.stream_position());
        match written {
            Ok(end) => {
                state.end = end;
                let offset = end - u64::from(len);
                state.index.insert(
                    key,
                    Location {
                        offset,
                        len,
                        checksum,
                    },
                );
            }
            Err(_) => state.writer = None,
        }
    }

    fn open_to_append(&self, state: &mut State) -> Option<File> {
        if let Some(folder) = self.path.parent() {
            fs::create_dir_all(folder).ok()?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .ok()?;
        if state.fresh {
            file.set_len(0).ok()?;
            let mut header = MAGIC.to_vec();
            header.extend_from_slice(&self.program.to_bytes());
            file.write_all(&header).ok()?;
            state.fresh = false;
            state.end = FILE_HEADER;
            state.reader = File::open(&self.path).ok().map(Arc::new);
        } else if file.metadata().ok()?.len() > state.end {
            // Cut off a damaged tail, which would hide what follows it.
            file.set_len(state.end).ok()?;
        }
        Some(file)
    }

    /// Keeps the records of `live` keys and forgets the rest: the file is
    /// written again when the forgotten ones are more than half of it, and
    /// removed when nothing is live.
    pub fn retain(&self, live: &HashSet<Key>) {
        let mut state = lock(&self.state);
        state.writer = None;
        let live_records: Vec<(Key, Location)> = state
            .index
            .iter()
            .filter(|(key, _)| live.contains(key))
            .map(|(key, location)| (*key, *location))
            .collect();
        let size = fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        if live_records.is_empty() {
            let _ = fs::remove_file(&self.path);
            *state = State::read(&self.path, self.program);
            return;
        }
        let live_size: u64 = live_records
            .iter()
            .map(|(_, location)| RECORD_HEADER + u64::from(location.len))
            .sum();
        if size - FILE_HEADER.min(size) <= 2 * live_size {
            return;
        }
        if self.rewrite(live_records).is_some() {
            *state = State::read(&self.path, self.program);
        }
    }

    /// Writes the file again with `records` only, under a temporary name
    /// renamed into place.
    fn rewrite(&self, mut records: Vec<(Key, Location)>) -> Option<()> {
        records.sort_by_key(|(_, location)| location.offset);
        let source = File::open(&self.path).ok()?;
        let temporary = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let mut out = std::io::BufWriter::new(File::create(&temporary).ok()?);
        let mut written = || -> std::io::Result<()> {
            out.write_all(MAGIC)?;
            out.write_all(&self.program.to_bytes())?;
            for (key, location) in &records {
                let Some(payload) = read_at(&source, location.offset, location.len) else {
                    continue;
                };
                out.write_all(&key.to_bytes())?;
                out.write_all(&location.len.to_le_bytes())?;
                out.write_all(&location.checksum.to_bytes())?;
                out.write_all(&payload)?;
            }
            out.flush()
        };
        if written().is_err() || fs::rename(&temporary, &self.path).is_err() {
            let _ = fs::remove_file(&temporary);
            return None;
        }
        Some(())
    }
}

/// The records of a pack written by `program`, and where the good ones
/// end; nothing if it is of another layout or program.
fn read_index(file: &File, program: Key) -> Option<(HashMap<Key, Location>, u64)> {
    let size = file.metadata().ok()?.len();
    // Small reads: only the records' headers are read, their payloads
    // skipped.
    let mut reader = BufReader::with_capacity(256, file);
    let mut header = [0u8; FILE_HEADER as usize];
    reader.read_exact(&mut header).ok()?;
    if &header[..8] != MAGIC || header[8..] != program.to_bytes() {
        return None;
    }
    let mut index = HashMap::new();
    let mut end = FILE_HEADER;
    let mut record = [0u8; RECORD_HEADER as usize];
    while end + RECORD_HEADER <= size && reader.read_exact(&mut record).is_ok() {
        let key = Key::from_bytes(record[..16].try_into().ok()?);
        let len = u32::from_le_bytes(record[16..20].try_into().ok()?);
        let checksum = Key::from_bytes(record[20..].try_into().ok()?);
        let offset = end + RECORD_HEADER;
        if offset + u64::from(len) > size || reader.seek_relative(i64::from(len)).is_err() {
            break;
        }
        index.insert(
            key,
            Location {
                offset,
                len,
                checksum,
            },
        );
        end = offset + u64::from(len);
    }
    Some((index, end))
}

fn read_at(file: &File, offset: u64, len: u32) -> Option<Vec<u8>> {
    let mut bytes = vec![0; len as usize];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, offset).ok()?;
    #[cfg(not(unix))]
    {
        let mut file = file.try_clone().ok()?;
        file.seek(std::io::SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut bytes).ok()?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        Key::combine(&[&[n]])
    }

    #[test]
    fn records_are_read_back_and_the_newest_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entries.pack");
        let program = key(0);
        let pack = Pack::open(path.clone(), program);
        pack.put(key(1), b"one");
        pack.put(key(2), b"two");
        pack.put(key(1), b"uno");
        let again = Pack::open(path, program);
        assert_eq!(again.get(key(1)).unwrap(), b"uno");
        assert_eq!(again.get(key(2)).unwrap(), b"two");
        assert_eq!(again.get(key(3)), None);
    }

    #[test]
    fn another_program_starts_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entries.pack");
        Pack::open(path.clone(), key(0)).put(key(1), b"one");
        let other = Pack::open(path.clone(), key(9));
        assert_eq!(other.get(key(1)), None);
        other.put(key(2), b"two");
        let size = fs::metadata(&path).unwrap().len();
        assert_eq!(size, FILE_HEADER + RECORD_HEADER + 3);
    }

    #[test]
    fn a_damaged_tail_is_cut_off_and_a_damaged_record_is_absent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entries.pack");
        let program = key(0);
        let pack = Pack::open(path.clone(), program);
        pack.put(key(1), b"first record");
        pack.put(key(2), b"second record");
        drop(pack);
        let mut bytes = fs::read(&path).unwrap();
        let at = bytes.windows(5).position(|w| w == b"first").unwrap();
        bytes[at] = b'F';
        // Half of a third record, as a build killed midway leaves it.
        bytes.extend_from_slice(&key(3).to_bytes());
        bytes.extend_from_slice(&1000u32.to_le_bytes());
        fs::write(&path, &bytes).unwrap();

        let pack = Pack::open(path.clone(), program);
        assert_eq!(pack.get(key(1)), None, "the checksum catches the change");
        assert_eq!(pack.get(key(2)).unwrap(), b"second record");
        pack.put(key(4), b"fourth");
        drop(pack);
        let pack = Pack::open(path, program);
        assert_eq!(pack.get(key(4)).unwrap(), b"fourth");
        assert_eq!(pack.get(key(2)).unwrap(), b"second record");
    }

    #[test]
    fn forgotten_records_are_dropped_once_they_are_most_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entries.pack");
        let program = key(0);
        let pack = Pack::open(path.clone(), program);
        for n in 0..4 {
            pack.put(key(n), &[n; 100]);
        }
        let size = || fs::metadata(&path).unwrap().len();
        let full = size();
        pack.retain(&[key(0), key(1), key(2)].into());
        assert_eq!(size(), full, "one forgotten record in four is kept");
        pack.retain(&[key(0)].into());
        assert_eq!(size(), FILE_HEADER + RECORD_HEADER + 100);
        let again = Pack::open(path.clone(), program);
        assert_eq!(again.get(key(0)).unwrap(), vec![0; 100]);
        assert_eq!(again.get(key(1)), None);
        again.retain(&HashSet::new());
        assert!(!path.exists());
    }
}
