//! The alignments of the last build's candidate paragraph pairs.
//!
//! Finding shared passages compares every candidate pair of paragraphs word
//! by word, and on a large dossier most of the link stage is those
//! comparisons and reading the words they need. A comparison depends on the
//! two paragraphs' texts alone, so its result is kept under the keys of the
//! two texts; the next build compares only the pairs with a changed side and
//! reads the words of those and of the pairs that matched. What is made of
//! the alignments afterwards (boilerplate, grouping) is computed again, from
//! the whole dossier, on every build.
//!
//! Beside them, the state the last search for passages left
//! (`PassageState`: the sources' keys, the boilerplate fingerprints, the
//! candidate pairs and the matches), from which the next build updates the
//! passages when only a few sources changed.
//!
//! Each file is written whole, with the running program's key and a
//! checksum of its bytes: a program that aligns differently never reads
//! another's results, and a file that is damaged or does not decode is
//! ignored.
//!
//! The alignments are looked up in the file's bytes, for the pairs a build
//! asks for, rather than decoded whole: a rebuild after one source changed
//! asks for a handful of the hundreds of thousands of pairs a large dossier
//! has, and decoding them all was most of its passage step.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::analysis::shingles::{FnvHashMap, FnvHashSet};
use crate::site::passages::{Alignment, PairMatch, ParagraphId, PassageState};

use super::{program_key, Key, CACHE_DIR};

/// Two paragraph texts, by key, in the order they were compared.
pub type TextPair = (Key, Key);

/// Each pair of texts compared, with what the comparison found.
pub type PairAlignments = Vec<(TextPair, Vec<Alignment>)>;

const MAGIC: &[u8; 8] = b"dossALN3";
const STATE_MAGIC: &[u8; 8] = b"dossPSG2";

#[derive(Debug, Default)]
pub struct AlignmentMemo {
    file: Option<PathBuf>,
    /// The last build's file, checked whole and of this program.
    previous: Option<Vec<u8>>,
    /// This build's pairs and alignments, once recorded.
    current: Mutex<Option<PairAlignments>>,
    state_file: Option<PathBuf>,
    previous_state: Option<PassageState>,
    /// This build's state, once recorded.
    current_state: Mutex<Option<PassageState>>,
    /// Whether this build's state was updated from the last one's.
    updated: AtomicBool,
}

impl AlignmentMemo {
    /// A memo that knows nothing and keeps nothing.
    pub fn disabled() -> Self {
        AlignmentMemo::default()
    }

    /// The memo of the dossier at `root`.
    pub fn open(root: &Path) -> Self {
        let file = root.join(CACHE_DIR).join("alignments.bin");
        let state_file = root.join(CACHE_DIR).join("passages.bin");
        // Read on a thread of its own while the content loads: not through
        // the thread pool, which the loading keeps busy.
        let previous = fs::read(&file).ok().filter(|bytes| body(bytes).is_some());
        let previous_state = fs::read(&state_file)
            .ok()
            .and_then(|bytes| decode_state(&bytes));
        AlignmentMemo {
            file: Some(file),
            previous,
            current: Mutex::default(),
            state_file: Some(state_file),
            previous_state,
            current_state: Mutex::default(),
            updated: AtomicBool::new(false),
        }
    }

    /// The state the last build's search for passages left, if it left one
    /// this program can read.
    pub fn previous_state(&self) -> Option<&PassageState> {
        self.previous_state.as_ref()
    }

    /// This build's state, for the next build; `updated` if it was made
    /// from the last build's.
    pub fn record_state(&self, state: PassageState, updated: bool) {
        if self.is_enabled() {
            *self.current_state.lock().unwrap_or_else(|e| e.into_inner()) = Some(state);
            self.updated.store(updated, Ordering::Relaxed);
        }
    }

    /// Whether this build's shared passages were updated from the last
    /// build's rather than searched for again.
    pub fn updated(&self) -> bool {
        self.updated.load(Ordering::Relaxed)
    }

    pub fn is_enabled(&self) -> bool {
        self.file.is_some()
    }

    /// The alignments the last build found for those of `pairs` it
    /// compared: one pass over its file, decoding only those.
    pub fn find(&self, pairs: &[TextPair]) -> FnvHashMap<TextPair, Vec<Alignment>> {
        let found = self
            .previous
            .as_deref()
            .and_then(|bytes| find(bytes, pairs));
        found.unwrap_or_default()
    }

    /// Every pair this build compared or looked up, for the next build.
    pub fn record(&self, pairs: PairAlignments) {
        if self.is_enabled() {
            *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(pairs);
        }
    }

    /// Writes this build's pairs, unless they are the last build's. Called
    /// only after a successful build; failing to write is not a failure of
    /// the build.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let state = self.current_state.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(state), Some(state_file)) = (state.as_ref(), &self.state_file) {
            if self.previous_state.as_ref() != Some(state) {
                super::replace_file(state_file, &encode_state(state));
            }
        }
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let Some(pairs) = current.as_ref() else {
            return;
        };
        let encoded = encode(pairs);
        if self.previous.as_ref() != Some(&encoded) {
            super::replace_file(file, &encoded);
        }
    }
}

/// Bytes of an alignment in the file: six numbers.
const ALIGNMENT_SIZE: usize = 6 * 4;

/// The file: the distinct text keys once, then each pair as the positions
/// of its two keys with its alignments, all numbers as 32 bits (word
/// positions and counts of one paragraph are far below 2^32).
fn encode(pairs: &[(TextPair, Vec<Alignment>)]) -> Vec<u8> {
    let mut keys: Vec<Key> = pairs.iter().flat_map(|((a, b), _)| [*a, *b]).collect();
    keys.sort_unstable();
    keys.dedup();
    let position = |key: &Key| keys.binary_search(key).unwrap_or_default();
    let mut out = Writer::new(MAGIC, 40 + keys.len() * 16 + pairs.len() * 16);
    out.number(keys.len());
    for key in &keys {
        out.key(*key);
    }
    out.number(pairs.len());
    for ((a, b), found) in pairs {
        out.number(position(a));
        out.number(position(b));
        out.number(found.len());
        for alignment in found {
            out.alignment(alignment);
        }
    }
    out.seal()
}

/// What follows the header of an encoded file, or `None` if it is not one
/// this program wrote whole.
fn body(bytes: &[u8]) -> Option<Reader<'_>> {
    let mut reader = Reader {
        bytes: unseal(bytes)?,
    };
    if reader.take(MAGIC.len())? != MAGIC || reader.key()? != program_key() {
        return None;
    }
    Some(reader)
}

/// The alignments an encoded file holds for those of `pairs` it has, or
/// `None` if it does not decode.
fn find(bytes: &[u8], pairs: &[TextPair]) -> Option<FnvHashMap<TextPair, Vec<Alignment>>> {
    let mut reader = body(bytes)?;
    let wanted_keys: FnvHashSet<Key> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    let wanted: FnvHashSet<TextPair> = pairs.iter().copied().collect();
    // The file's keys, by position, where a pair asked for has them.
    let keys = (0..reader.number()?)
        .map(|_| {
            reader
                .key()
                .map(|key| wanted_keys.contains(&key).then_some(key))
        })
        .collect::<Option<Vec<Option<Key>>>>()?;
    let mut found = FnvHashMap::default();
    for _ in 0..reader.number()? {
        let (a, b) = (reader.number()?, reader.number()?);
        let count = reader.number()?;
        let pair = (*keys.get(a)?).zip(*keys.get(b)?);
        match pair.filter(|pair| wanted.contains(pair)) {
            Some(pair) => {
                let alignments = (0..count).map(|_| reader.alignment());
                found.insert(pair, alignments.collect::<Option<Vec<_>>>()?);
            }
            None => {
                reader.take(count.checked_mul(ALIGNMENT_SIZE)?)?;
            }
        }
    }
    reader.bytes.is_empty().then_some(found)
}

/// The state file: the sources' keys, the count of fingerprints, the
/// boilerplate fingerprints, the pairs and the matches.
fn encode_state(state: &PassageState) -> Vec<u8> {
    let size = 40 + state.sources.len() * 16 + state.boilerplate.len() * 8 + state.pairs.len() * 16;
    let mut out = Writer::new(STATE_MAGIC, size);
    out.number(state.sources.len());
    for key in &state.sources {
        out.key(*key);
    }
    out.number_64(state.fingerprints as u64);
    out.number(state.boilerplate.len());
    for &fingerprint in &state.boilerplate {
        out.number_64(fingerprint);
    }
    out.number(state.pairs.len());
    for &(a, b) in &state.pairs {
        out.paragraph(a);
        out.paragraph(b);
    }
    out.number(state.matches.len());
    for m in &state.matches {
        out.paragraph(m.a);
        out.paragraph(m.b);
        out.alignment(&m.found);
    }
    out.seal()
}

/// The bytes [`Writer::seal`] sealed, if their checksum holds.
fn unseal(bytes: &[u8]) -> Option<&[u8]> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(16)?)?;
    (Key::combine(&[body]).to_bytes() == checksum).then_some(body)
}

/// The state of an encoded file, or `None` if it is not one this program
/// wrote whole.
fn decode_state(bytes: &[u8]) -> Option<PassageState> {
    let mut reader = Reader {
        bytes: unseal(bytes)?,
    };
    if reader.take(STATE_MAGIC.len())? != STATE_MAGIC || reader.key()? != program_key() {
        return None;
    }
    // Counts are checked against what is left before anything is reserved.
    let count = |reader: &Reader<'_>, n: usize, size: usize| {
        n.checked_mul(size)
            .is_some_and(|bytes| bytes <= reader.bytes.len())
    };
    let n = reader.number()?;
    count(&reader, n, 16).then_some(())?;
    let sources = (0..n).map(|_| reader.key()).collect::<Option<Vec<Key>>>()?;
    let fingerprints = usize::try_from(reader.number_64()?).ok()?;
    let n = reader.number()?;
    count(&reader, n, 8).then_some(())?;
    let boilerplate = (0..n)
        .map(|_| reader.number_64())
        .collect::<Option<Vec<u64>>>()?;
    let n = reader.number()?;
    count(&reader, n, 16).then_some(())?;
    let pairs = (0..n)
        .map(|_| Some((reader.paragraph()?, reader.paragraph()?)))
        .collect::<Option<Vec<_>>>()?;
    let n = reader.number()?;
    count(&reader, n, 40).then_some(())?;
    let matches = (0..n)
        .map(|_| {
            Some(PairMatch {
                a: reader.paragraph()?,
                b: reader.paragraph()?,
                found: reader.alignment()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let state = PassageState {
        sources,
        boilerplate,
        pairs,
        matches,
        fingerprints,
    };
    reader.bytes.is_empty().then_some(state)
}

/// Writes a file as [`Reader`] reads it: after its magic and the
/// program's key, numbers as 32 bits (word positions and counts of one
/// paragraph are far below 2^32), fingerprints as 64, keys as 16 bytes.
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn new(magic: &[u8; 8], size: usize) -> Self {
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(magic);
        out.extend_from_slice(&program_key().to_bytes());
        Writer { out }
    }

    fn number(&mut self, n: usize) {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    fn number_64(&mut self, n: u64) {
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    fn key(&mut self, key: Key) {
        self.out.extend_from_slice(&key.to_bytes());
    }

    fn paragraph(&mut self, (source, paragraph): ParagraphId) {
        self.out.extend_from_slice(&source.to_le_bytes());
        self.out.extend_from_slice(&paragraph.to_le_bytes());
    }

    fn alignment(&mut self, found: &Alignment) {
        let (a, b) = (found.a, found.b);
        for n in [
            a.0,
            a.1,
            b.0,
            b.1,
            found.common,
            usize::from(found.verbatim),
        ] {
            self.number(n);
        }
    }

    /// The bytes written, followed by their checksum.
    fn seal(mut self) -> Vec<u8> {
        let checksum = Key::combine(&[&self.out]);
        self.key(checksum);
        self.out
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(taken)
    }

    fn number(&mut self) -> Option<usize> {
        let bytes = self.take(4)?.try_into().ok()?;
        usize::try_from(u32::from_le_bytes(bytes)).ok()
    }

    fn key(&mut self) -> Option<Key> {
        Some(Key::from_bytes(self.take(16)?.try_into().ok()?))
    }

    fn number_64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// What [`Writer::alignment`] wrote.
    fn alignment(&mut self) -> Option<Alignment> {
        Some(Alignment {
            a: (self.number()?, self.number()?),
            b: (self.number()?, self.number()?),
            common: self.number()?,
            verbatim: self.number()? == 1,
        })
    }

    fn paragraph(&mut self) -> Option<ParagraphId> {
        let source = u32::try_from(self.number()?).ok()?;
        Some((source, u32::try_from(self.number()?).ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alignment(n: usize) -> Alignment {
        Alignment {
            a: (n, n + 9),
            b: (n + 1, n + 10),
            common: 9,
            verbatim: n % 2 == 0,
        }
    }

    #[test]
    fn saved_alignments_are_found_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let pair = (Key::combine(&[b"a"]), Key::combine(&[b"b"]));
        let other = (Key::combine(&[b"a"]), Key::combine(&[b"c"]));
        let first = AlignmentMemo::open(dir.path());
        assert!(first.find(&[pair]).is_empty());
        first.record(vec![
            (pair, vec![alignment(0), alignment(3)]),
            (other, Vec::new()),
        ]);
        first.save();
        let second = AlignmentMemo::open(dir.path());
        let found = second.find(&[pair, other]);
        assert_eq!(found.get(&pair), Some(&vec![alignment(0), alignment(3)]));
        assert_eq!(found.get(&other), Some(&Vec::new()));
        // Only the pairs asked for are decoded.
        assert_eq!(second.find(&[other]).len(), 1);
        // Pairs the next build does not record are dropped.
        second.record(vec![(other, Vec::new())]);
        second.save();
        assert!(AlignmentMemo::open(dir.path()).find(&[pair]).is_empty());
    }

    #[test]
    fn the_passage_state_is_read_back_as_written_and_not_when_damaged() {
        let state = PassageState {
            sources: vec![Key::combine(&[b"a"]), Key::combine(&[b"b"])],
            boilerplate: vec![3, 9, u64::MAX],
            pairs: vec![((0, 1), (1, 0)), ((0, 2), (1, 4))],
            matches: vec![PairMatch {
                a: (0, 1),
                b: (1, 0),
                found: alignment(2),
            }],
            fingerprints: 1234,
        };
        let bytes = encode_state(&state);
        assert_eq!(decode_state(&bytes), Some(state));
        for cut in [1, 8, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode_state(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_state(&longer), None);
        // A byte changed in the middle: the checksum no longer holds.
        let mut flipped = bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 1;
        assert_eq!(decode_state(&flipped), None);
    }

    #[test]
    fn a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let pair = (Key::combine(&[b"a"]), Key::combine(&[b"b"]));
        let memo = AlignmentMemo::open(dir.path());
        memo.record(vec![(pair, vec![alignment(1)])]);
        memo.save();
        let file = dir.path().join(CACHE_DIR).join("alignments.bin");
        let mut bytes = fs::read(&file).unwrap();
        bytes.truncate(bytes.len() - 3);
        fs::write(&file, bytes).unwrap();
        assert!(AlignmentMemo::open(dir.path()).find(&[pair]).is_empty());
    }
}
