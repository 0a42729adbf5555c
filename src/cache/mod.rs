//! The build cache: what parsing and analysis made of each source, kept in
//! `.dossier-cache/` at the dossier's root so the next build skips that work
//! for files that did not change.
//!
//! Only pure, per-source results are cached. An entry is found by a hash of
//! the source file's path and bytes and of the running program (its size and
//! modification time), so a new version of dossier — with new fields on
//! `SourceAnalysis`, say — never reads entries an older one wrote. The
//! analysis part of an entry also records the catalogue and language it was
//! made with: when the catalogue changes, what depends on it (mentions,
//! quotes) is found again and the rest kept; when the language changes,
//! all of it is made again. Entries are compact binary
//! (postcard) behind a checksum of their bytes, all in one file (`pack`): a
//! large dossier reads tens of thousands of them on every build. An entry
//! that fails the checksum, cannot be decoded or does not match is treated
//! as absent and written again, never trusted. The folder is safe to delete at
//! any time. Cross-source work is not cached, except what the search for
//! shared passages did (`alignments`): the comparisons of paragraph pairs,
//! which depend on the two texts alone, and the state the search left,
//! which the next build updates when only a few sources changed. Every
//! build links and renders the whole site from these results.
//!
//! Rendering is memoised the same way, by what a template sees: a page whose
//! view (with the templates, the site-wide values and its path) hashes as in
//! the previous build, and whose file in the output still holds the bytes
//! that build wrote, is taken from that file instead of being rendered
//! again. Views are the templates' whole input, so this is exact. The
//! exports, written piece by piece, are memoised by piece: each source's
//! parts are keyed by what they are made from and copied from the previous
//! build's file when it still holds them (`segments`).
//!
//! And when nothing a build reads has changed (program, settings, theme, every
//! content file) and the output is as the last build left it, the build has
//! nothing to do and reports what the last one did.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::{NameAnalysis, SourceAnalysis, TextAnalysis};
use crate::content::{Entity, Source};
use crate::error::Diagnostic;
use pack::Pack;

mod alignments;
mod inputs;
mod key;
mod pack;
mod segments;
pub use alignments::{AlignmentMemo, TextPair};
pub use inputs::{file_key, inputs_key, ContentFiles, ContentKeys};
pub use key::{key_of, Key, KeyWriter};
use segments::SegmentMemo;
pub use segments::SegmentWriter;

/// The cache folder, at the dossier's root.
pub const CACHE_DIR: &str = ".dossier-cache";

/// Bumped when the layout of the folder or of an entry changes.
const FORMAT: u32 = 4;

/// What an analysis depends on besides the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisContext {
    /// The catalogue: names found against other names, or another order,
    /// are stale.
    catalogue: Key,
    /// The dossier's language, whose stop words the search terms leave out.
    language: Key,
}

impl AnalysisContext {
    pub fn new(entities: &[Entity], language: &str) -> Self {
        let bytes = serde_json::to_vec(entities).unwrap_or_default();
        AnalysisContext {
            catalogue: Key::of(&[&bytes]),
            language: Key::of(&[language.as_bytes()]),
        }
    }
}

/// One cached source: the parse result and, if made, its analysis.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    format: u32,
    path: PathBuf,
    source: Source,
    warnings: Vec<Diagnostic>,
    analysis: Option<CachedAnalysis>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedAnalysis {
    context: AnalysisContext,
    analysis: SourceAnalysis,
}

/// What the cache knows of one source during a build.
#[derive(Debug, Default)]
struct Slot {
    key: Option<Key>,
    /// An analysis read from disk, waiting to be used.
    cached: Option<CachedAnalysis>,
    /// The parse's warnings, kept for an entry written again with a new
    /// analysis.
    warnings: Vec<Diagnostic>,
    /// A parse not yet written: written with its analysis as soon as that
    /// is made, or when the build succeeds if it never is.
    dirty: Option<Entry>,
}

/// Hits and misses of one build, for `--verbose`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub parsed: usize,
    pub parse_hits: usize,
    pub analysed: usize,
    pub analysis_hits: usize,
    /// Whether the last build's shared passages were updated rather than
    /// searched for in the whole dossier.
    pub passages_updated: bool,
    /// Pages taken from the previous build instead of rendered.
    pub pages_reused: usize,
    /// Pages rendered, because they are new or what they show changed.
    pub pages_rendered: usize,
}

/// The cache of one build. Disabled, it computes everything and keeps
/// nothing.
#[derive(Debug)]
pub struct Cache {
    /// The cache folder and the entries' file, when enabled.
    dir: Option<(PathBuf, Pack)>,
    program: Key,
    slots: Mutex<HashMap<PathBuf, Slot>>,
    stats: Mutex<CacheStats>,
}

impl Cache {
    /// The cache of the dossier at `root`.
    pub fn open(root: &Path) -> Cache {
        let dir = root.join(CACHE_DIR);
        let pack = Pack::open(dir.join("entries.pack"), program_key());
        Cache {
            dir: Some((dir, pack)),
            program: program_key(),
            slots: Mutex::default(),
            stats: Mutex::default(),
        }
    }

    /// A cache that remembers nothing.
    pub fn disabled() -> Cache {
        Cache {
            dir: None,
            program: program_key(),
            slots: Mutex::default(),
            stats: Mutex::default(),
        }
    }

    pub fn stats(&self) -> CacheStats {
        *lock(&self.stats)
    }

    /// The parsed source file at `path` (relative to the root) whose
    /// bytes have the key `file` ([`file_key`]), read with `--lossy` or
    /// not, if the cache has it.
    pub fn cached_source(
        &self,
        path: &Path,
        file: Key,
        lossy: bool,
    ) -> Option<(Source, Vec<Diagnostic>)> {
        self.cached_entry(path, self.source_key(path, file, lossy))
    }

    /// The parsed source file at `path` kept under `key`, if the cache has
    /// it; noted for the analysis and the next build.
    fn cached_entry(&self, path: &Path, key: Key) -> Option<(Source, Vec<Diagnostic>)> {
        let (_, pack) = self.dir.as_ref()?;
        let entry = read_entry(pack, key, path)?;
        lock(&self.stats).parse_hits += 1;
        let slot = Slot {
            key: Some(key),
            cached: entry.analysis,
            warnings: entry.warnings.clone(),
            dirty: None,
        };
        lock(&self.slots).insert(path.to_owned(), slot);
        Some((entry.source, entry.warnings))
    }

    /// The decoded and parsed source file at `path` (relative to the root)
    /// whose bytes have the key `file`, read with `--lossy` or not: from
    /// the cache, or from `parse`, which may also skip the file (`None`).
    /// Errors and skipped files are never cached, so they are reported on
    /// every build.
    pub fn source(
        &self,
        path: &Path,
        file: Key,
        lossy: bool,
        parse: impl FnOnce() -> Result<(Option<Source>, Vec<Diagnostic>), Vec<Diagnostic>>,
    ) -> Result<(Option<Source>, Vec<Diagnostic>), Vec<Diagnostic>> {
        if self.dir.is_none() {
            return parse();
        }
        let key = self.source_key(path, file, lossy);
        if let Some((source, warnings)) = self.cached_entry(path, key) {
            return Ok((Some(source), warnings));
        }
        let (source, warnings) = parse()?;
        lock(&self.stats).parsed += 1;
        let Some(source) = source else {
            return Ok((None, warnings));
        };
        let entry = Entry {
            format: FORMAT,
            path: path.to_owned(),
            source: source.clone(),
            warnings: warnings.clone(),
            analysis: None,
        };
        let slot = Slot {
            key: Some(key),
            cached: None,
            warnings: Vec::new(),
            dirty: Some(entry),
        };
        lock(&self.slots).insert(path.to_owned(), slot);
        Ok((Some(source), warnings))
    }

    /// The key of a source's entry. Bytes that are not text are an error,
    /// or with `--lossy` replaced.
    fn source_key(&self, path: &Path, file: Key, lossy: bool) -> Key {
        Key::of(&[
            &FORMAT.to_le_bytes(),
            &self.program.to_bytes(),
            &[u8::from(lossy)],
            path.to_string_lossy().as_bytes(),
            &file.to_bytes(),
        ])
    }

    /// The analysis of `source` in `context`: from the cache, or made by
    /// `names` and `text`. When only the catalogue changed, the part that
    /// does not depend on it is kept and `names` alone runs.
    pub fn analysis(
        &self,
        source: &Source,
        context: AnalysisContext,
        names: impl FnOnce() -> NameAnalysis,
        text: impl FnOnce() -> TextAnalysis,
    ) -> SourceAnalysis {
        if self.dir.is_none() {
            return SourceAnalysis::from_parts(names(), text());
        }
        let cached = lock(&self.slots)
            .get_mut(&source.path)
            .and_then(|slot| slot.cached.take());
        let analysis = match cached {
            Some(cached) if cached.context == context => {
                lock(&self.stats).analysis_hits += 1;
                return cached.analysis;
            }
            Some(cached) if cached.context.language == context.language => {
                SourceAnalysis::from_parts(names(), cached.analysis.into_text())
            }
            _ => SourceAnalysis::from_parts(names(), text()),
        };
        lock(&self.stats).analysed += 1;
        // The entry is written now, from the thread that made it, rather
        // than held until the end of the build: a first build would
        // otherwise keep a second copy of every source in memory. Entries
        // are found by content, so one written by a build that then fails
        // is still right.
        let entry = lock(&self.slots).get_mut(&source.path).and_then(|slot| {
            let mut entry = slot.dirty.take().unwrap_or_else(|| Entry {
                format: FORMAT,
                path: source.path.clone(),
                source: source.clone(),
                warnings: slot.warnings.clone(),
                analysis: None,
            });
            entry.analysis = Some(CachedAnalysis {
                context,
                analysis: analysis.clone(),
            });
            Some((slot.key?, entry))
        });
        if let (Some((_, pack)), Some((key, entry))) = (&self.dir, entry) {
            write_entry(pack, key, &entry);
        }
        analysis
    }

    /// Writes the entries not yet written and removes those no source uses
    /// any more. Called only after a successful build. The cache is an optimisation:
    /// a failure to write it is not a failure of the build.
    pub fn save(&self) {
        let Some((dir, pack)) = &self.dir else {
            return;
        };
        let mut slots = lock(&self.slots);
        let mut live = HashSet::new();
        let mut dirty = Vec::new();
        for slot in slots.values_mut() {
            let Some(key) = slot.key else { continue };
            if let Some(entry) = slot.dirty.take() {
                dirty.push((key, entry));
            }
            live.insert(key);
        }
        dirty
            .par_iter()
            .for_each(|(key, entry)| write_entry(pack, *key, entry));
        pack.retain(&live);
        // Entries of older layouts, a file each.
        let _ = fs::remove_dir_all(dir.join("sources"));
    }
}

/// What the last build's passages are updated from: the key of each
/// source's file this build, and, for a changed file, its fingerprints from
/// the entry the last build used, which the cache holds until this build
/// succeeds.
impl crate::site::passages::SourceHistory for Cache {
    fn key(&self, path: &Path) -> Option<Key> {
        lock(&self.slots).get(path)?.key
    }

    fn prints(&self, path: &Path, key: Key) -> Option<Vec<crate::analysis::ParagraphPrint>> {
        let (_, pack) = self.dir.as_ref()?;
        Some(read_entry(pack, key, path)?.analysis?.analysis.prints)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads the entry under `key`, or nothing if it is missing, damaged, of
/// another format or for another file.
fn read_entry(pack: &Pack, key: Key, path: &Path) -> Option<Entry> {
    let entry: Entry = postcard::from_bytes(&pack.get(key)?).ok()?;
    (entry.format == FORMAT && entry.path == path && entry.source.path == path).then_some(entry)
}

fn write_entry(pack: &Pack, key: Key, entry: &Entry) {
    // An entry takes about three times its text: room for four, so the
    // record is rarely grown and copied while it is serialised.
    let text: usize = entry.source.paragraphs.iter().map(|p| p.text.len()).sum();
    let record = Pack::record_buffer(4 * text + 1024);
    if let Ok(record) = postcard::to_extend(entry, record) {
        pack.put_record(key, record);
    }
}

/// The running program's fingerprint: its size and modification time, so
/// every new build of dossier starts with a fresh cache.
fn program_key() -> Key {
    static PROGRAM: OnceLock<Key> = OnceLock::new();
    *PROGRAM.get_or_init(|| {
        let version = env!("CARGO_PKG_VERSION").as_bytes();
        let identity = std::env::current_exe()
            .and_then(fs::metadata)
            .map(|meta| {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .unwrap_or_default();
                format!("{}:{}", meta.len(), modified.as_nanos())
            })
            .unwrap_or_default();
        Key::of(&[version, identity.as_bytes()])
    })
}

/// A page from [`PageMemo::page`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Memoized {
    /// The output holds the page as this build would render it.
    Unchanged,
    Rendered(Vec<u8>),
}

/// The rendering memo: for each page path, the key of its view in the
/// previous build and the size and modification time of the file it wrote,
/// so a file changed since (by hand, by another tool) is rendered again.
#[derive(Debug, Default)]
pub struct PageMemo {
    /// The manifest file, when enabled.
    file: Option<PathBuf>,
    /// The output folder the previous build wrote.
    output: PathBuf,
    previous: BTreeMap<String, (Key, FileStamp)>,
    /// The stamps of the output's files as the build found them, read once
    /// while the content loads rather than file by file as pages are kept.
    found: HashMap<String, FileStamp>,
    current: Mutex<BTreeMap<String, Key>>,
    reused: AtomicUsize,
    rendered: AtomicUsize,
    /// The parts of the files written piece by piece (the exports).
    streams: SegmentMemo,
}

/// A file's size and modification time, in nanoseconds since 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp(u64, u128);

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::metadata(path).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(FileStamp(meta.len(), modified.as_nanos()))
    }
}

impl PageMemo {
    /// A memo that never reuses a page.
    pub fn disabled() -> Self {
        PageMemo::default()
    }

    /// The memo of the dossier at `root` whose site is written to `output`.
    /// A manifest that cannot be read is an empty one.
    pub fn open(root: &Path, output: &Path) -> Self {
        let file = root.join(CACHE_DIR).join("pages.json");
        let previous = fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<PageManifest>(&bytes).ok())
            .filter(|manifest| manifest.format == FORMAT && manifest.program == program_key())
            .map(|manifest| manifest.pages)
            .unwrap_or_default();
        PageMemo {
            file: Some(file),
            output: output.to_owned(),
            previous,
            found: output_stamps(output).into_iter().collect(),
            current: Mutex::default(),
            reused: AtomicUsize::default(),
            rendered: AtomicUsize::default(),
            streams: SegmentMemo::open(root, output),
        }
    }

    /// The page at `path` whose view has key `view`: left as the previous
    /// build wrote it if that was for the same view and the file is as it
    /// was written, or else rendered by `render`.
    pub fn page<E>(
        &self,
        path: &str,
        view: impl FnOnce() -> Key,
        render: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Memoized, E> {
        if self.file.is_none() {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            return render().map(Memoized::Rendered);
        }
        let view = view();
        let page = match self.holds(path, view) {
            true => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                Memoized::Unchanged
            }
            false => {
                self.rendered.fetch_add(1, Ordering::Relaxed);
                Memoized::Rendered(render()?)
            }
        };
        lock(&self.current).insert(path.to_owned(), view);
        Ok(page)
    }

    /// Whether the output holds `bytes` at `path` as the last build wrote
    /// them there, known without reading the file; recorded for the next
    /// build either way. For files made whole outside the templates.
    pub fn file_unchanged(&self, path: &str, bytes: &[u8]) -> bool {
        if self.file.is_none() {
            return false;
        }
        let key = Key::combine(&[bytes]);
        let unchanged = self.holds(path, key);
        lock(&self.current).insert(path.to_owned(), key);
        unchanged
    }

    /// Whether the last build wrote the file at `path` from what `key`
    /// stands for, and the file is still as it left it.
    fn holds(&self, path: &str, key: Key) -> bool {
        self.previous.get(path).is_some_and(|(previous, stamp)| {
            *previous == key && self.found.get(path) == Some(stamp)
        })
    }

    /// The stamps of the site's files once it is in place, by path: the
    /// files this build `wrote` are read again, and those it `kept` are as
    /// the build found them. A kept file changed by hand meanwhile keeps
    /// the stamp seen before, so the next build renders it again.
    pub fn site_stamps(&self, kept: &[PathBuf], wrote: &[PathBuf]) -> BTreeMap<String, FileStamp> {
        let name = |path: &Path| path.to_string_lossy().replace('\\', "/");
        let read = |path: &PathBuf| Some((name(path), FileStamp::of(&self.output.join(path))?));
        let found = kept.par_iter().filter_map(|path| {
            let name = name(path);
            match self.found.get(&name) {
                Some(stamp) => Some((name, *stamp)),
                None => read(path),
            }
        });
        found.chain(wrote.par_iter().filter_map(read)).collect()
    }

    /// A writer of the file at `path` made piece by piece into `out`, which
    /// copies the pieces the previous build wrote from its file.
    pub fn streamed<'w>(
        &'w self,
        path: &str,
        out: &'w mut dyn std::io::Write,
    ) -> SegmentWriter<'w> {
        self.streams.writer(path, out)
    }

    /// Pages taken from the previous build.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Pages rendered.
    pub fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    /// Records this build's pages for the next; called once the site is
    /// written, with the stamps of every file of the output as
    /// [`output_stamps`] reads them.
    pub fn save(&self, stamps: &BTreeMap<String, FileStamp>) {
        let Some(file) = &self.file else { return };
        self.streams.save();
        let pages = lock(&self.current)
            .iter()
            .filter_map(|(path, view)| Some((path.clone(), (*view, *stamps.get(path)?))))
            .collect();
        let manifest = PageManifest {
            format: FORMAT,
            program: program_key(),
            pages,
        };
        if manifest.pages == self.previous {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(&manifest) {
            replace_file(file, &bytes);
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct PageManifest {
    format: u32,
    program: Key,
    pages: BTreeMap<String, (Key, FileStamp)>,
}

/// What a build reported, kept so that a build with nothing to do can
/// report the same without running.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub files: usize,
    pub sources: usize,
    pub entities: usize,
    pub mentions: usize,
    pub drafts: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The last successful build: the fingerprint of everything it read, the
/// size and time of every file it left in the output, and its summary.
#[derive(Debug, Serialize, Deserialize)]
struct SiteRecord {
    format: u32,
    program: Key,
    inputs: Key,
    files: BTreeMap<String, FileStamp>,
    summary: Summary,
}

fn site_record_file(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("site.json")
}

/// The stamps of every file in `output`, by path relative to it (with `/`
/// between folders, as pages are named).
pub fn output_stamps(output: &Path) -> BTreeMap<String, FileStamp> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(output).ok()?;
            let stamp = FileStamp::of(entry.path())?;
            Some((relative.to_string_lossy().replace('\\', "/"), stamp))
        })
        .collect()
}

/// The summary of the last build if it read exactly `inputs` and its output
/// is still exactly as it left it: then there is nothing to do.
pub fn unchanged_site(root: &Path, output: &Path, inputs: Key) -> Option<Summary> {
    let bytes = fs::read(site_record_file(root)).ok()?;
    let record: SiteRecord = serde_json::from_slice(&bytes).ok()?;
    let same = record.format == FORMAT
        && record.program == program_key()
        && record.inputs == inputs
        && !record.files.is_empty()
        && output_stamps(output) == record.files;
    same.then_some(record.summary)
}

/// Records a successful build that read `inputs` and left `files` in its
/// output (their stamps, as [`output_stamps`] reads them).
pub fn record_site(root: &Path, inputs: Key, files: BTreeMap<String, FileStamp>, summary: Summary) {
    let record = SiteRecord {
        format: FORMAT,
        program: program_key(),
        inputs,
        files,
        summary,
    };
    if let Ok(bytes) = serde_json::to_vec(&record) {
        replace_file(&site_record_file(root), &bytes);
    }
}

/// Writes `bytes` to `file` under a temporary name and renames it into
/// place, so a build killed midway never leaves half a file that is read
/// whole. A failure leaves the file as it was: the cache is an optimisation.
fn replace_file(file: &Path, bytes: &[u8]) {
    if let Some(dir) = file.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let temporary = file.with_extension(format!("tmp-{}", std::process::id()));
    if fs::write(&temporary, bytes).is_ok() && fs::rename(&temporary, file).is_err() {
        let _ = fs::remove_file(&temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::source::parse_source;

    fn context(catalogue: &str) -> AnalysisContext {
        AnalysisContext {
            catalogue: Key::combine(&[catalogue.as_bytes()]),
            language: Key::combine(&[b"en"]),
        }
    }

    fn pack_file(root: &Path) -> PathBuf {
        root.join(CACHE_DIR).join("entries.pack")
    }

    type Parsed = Result<(Option<Source>, Vec<Diagnostic>), Vec<Diagnostic>>;

    fn parse(text: &str) -> Parsed {
        let (source, warnings) = parse_source(text, Path::new("content/sources/a.txt"))?;
        Ok((Some(source), warnings))
    }

    /// `text` read through `cache` as `content/sources/a.txt`, without
    /// `--lossy`: from the cache, or parsed.
    fn read(cache: &Cache, text: &str) -> (Option<Source>, Vec<Diagnostic>) {
        let path = Path::new("content/sources/a.txt");
        cache
            .source(path, file_key(path, text.as_bytes()), false, || parse(text))
            .unwrap()
    }

    #[test]
    fn a_saved_source_is_read_back_without_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let path = Path::new("content/sources/a.txt");
        let text = "Title\n\nPeskov spoke.\n";
        let first = Cache::open(dir.path());
        let parsed = read(&first, text);
        first.save();
        let second = Cache::open(dir.path());
        let cached = second
            .source(path, file_key(path, text.as_bytes()), false, || {
                panic!("parsed again")
            })
            .unwrap();
        assert_eq!(cached.0, parsed.0);
        assert_eq!(second.stats().parse_hits, 1);
    }

    #[test]
    fn a_source_read_with_lossy_is_read_again_without_it() {
        // With `--lossy` bad bytes are replaced; without, they are an error
        // that must be reported even though the bytes did not change.
        let dir = tempfile::tempdir().unwrap();
        let path = Path::new("content/sources/a.txt");
        let text = "Title\n\nPeskov spoke.\n";
        let first = Cache::open(dir.path());
        first
            .source(path, file_key(path, text.as_bytes()), true, || parse(text))
            .unwrap();
        first.save();
        let second = Cache::open(dir.path());
        let strict = second.source(path, file_key(path, text.as_bytes()), false, || {
            Err(vec![Diagnostic::error(path, "invalid UTF-8")])
        });
        assert!(strict.is_err());
    }

    #[test]
    fn a_corrupt_entry_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Title\n\nPeskov spoke.\n";
        let first = Cache::open(dir.path());
        read(&first, text);
        first.save();
        let file = pack_file(dir.path());
        let mut bytes = fs::read(&file).unwrap();
        // One changed byte of a title: caught by the checksum, where the
        // binary layout alone would read it as another title.
        let at = bytes.windows(5).position(|w| w == b"Title").unwrap();
        bytes[at] = b'X';
        fs::write(&file, bytes).unwrap();
        let second = Cache::open(dir.path());
        let again = read(&second, text);
        assert_eq!(again.0.unwrap().title.value, "Title");
        assert_eq!(second.stats().parsed, 1);
    }

    #[test]
    fn an_analysis_of_another_catalogue_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Title\n\nPeskov spoke.\n";
        let cache = Cache::open(dir.path());
        let (source, _) = read(&cache, text);
        cache.analysis(
            source.as_ref().unwrap(),
            context("one"),
            NameAnalysis::default,
            TextAnalysis::default,
        );
        cache.save();
        let again = Cache::open(dir.path());
        let (source, _) = read(&again, text);
        again.analysis(
            source.as_ref().unwrap(),
            context("two"),
            NameAnalysis::default,
            TextAnalysis::default,
        );
        assert_eq!(again.stats().analysed, 1);
        assert_eq!(again.stats().analysis_hits, 0);
    }

    #[test]
    fn a_new_catalogue_finds_names_again_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Title\n\nPeskov spoke on 3 March.\n";
        let cache = Cache::open(dir.path());
        let (source, _) = read(&cache, text);
        let source = source.unwrap();
        let stop_words = crate::analysis::terms::stop_words("en");
        let first = cache.analysis(&source, context("one"), NameAnalysis::default, || {
            crate::analysis::analyse_text(&source, &stop_words)
        });
        assert!(first.search.iter().any(|(term, _)| term == "peskov"));
        cache.save();
        let again = Cache::open(dir.path());
        read(&again, text);
        let second = again.analysis(&source, context("two"), NameAnalysis::default, || {
            panic!("the text part is kept")
        });
        assert_eq!(second, first);
        assert_eq!(again.stats().analysed, 1);
        // Another language: the text part is made again.
        again.save();
        let third = Cache::open(dir.path());
        read(&third, text);
        let mut made = false;
        third.analysis(
            &source,
            AnalysisContext {
                language: Key::combine(&[b"fr"]),
                ..context("two")
            },
            NameAnalysis::default,
            || {
                made = true;
                crate::analysis::analyse_text(&source, &stop_words)
            },
        );
        assert!(made);
    }

    #[test]
    fn an_entry_written_again_for_a_new_catalogue_keeps_the_parse_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let path = Path::new("content/sources/a.txt");
        let text = "Title\n\nPeskov spoke.\n";
        let with_warning = || {
            let (source, _) = parse(text)?;
            Ok((source, vec![Diagnostic::warning(path, "no date")]))
        };
        let first = Cache::open(dir.path());
        let (source, _) = first
            .source(path, file_key(path, text.as_bytes()), false, with_warning)
            .unwrap();
        first.analysis(
            source.as_ref().unwrap(),
            context("one"),
            NameAnalysis::default,
            TextAnalysis::default,
        );
        first.save();
        let second = Cache::open(dir.path());
        let (source, warnings) = second
            .source(path, file_key(path, text.as_bytes()), false, with_warning)
            .unwrap();
        assert_eq!(warnings.len(), 1);
        second.analysis(
            source.as_ref().unwrap(),
            context("two"),
            NameAnalysis::default,
            TextAnalysis::default,
        );
        second.save();
        let third = Cache::open(dir.path());
        let (_, warnings) = third
            .source(path, file_key(path, text.as_bytes()), false, || {
                panic!("parsed again")
            })
            .unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn entries_of_an_older_layout_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(CACHE_DIR).join("sources");
        fs::create_dir_all(folder.join("01")).unwrap();
        fs::write(folder.join("0123abcd.json"), b"{}").unwrap();
        fs::write(folder.join("01/0123abcd.bin"), b"entry").unwrap();
        let text = "Title\n\nPeskov spoke.\n";
        let cache = Cache::open(dir.path());
        read(&cache, text);
        cache.save();
        assert!(!folder.exists());
        assert!(pack_file(dir.path()).exists());
    }

    #[test]
    fn entries_of_removed_sources_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Title\n\nPeskov spoke.\n";
        let cache = Cache::open(dir.path());
        read(&cache, text);
        cache.save();
        assert!(pack_file(dir.path()).exists());
        Cache::open(dir.path()).save();
        assert!(!pack_file(dir.path()).exists());
    }

    #[test]
    fn an_edited_source_leaves_one_entry_behind() {
        // The file holds the live entries and at most as many stale ones.
        let dir = tempfile::tempdir().unwrap();
        let path = Path::new("content/sources/a.txt");
        let mut sizes = Vec::new();
        for n in 0..6 {
            let text = format!("Title\n\nPeskov spoke {n} times.\n");
            let cache = Cache::open(dir.path());
            let (source, _) = read(&cache, &text);
            cache.analysis(
                source.as_ref().unwrap(),
                context("one"),
                NameAnalysis::default,
                TextAnalysis::default,
            );
            cache.save();
            sizes.push(fs::metadata(pack_file(dir.path())).unwrap().len());
        }
        assert!(sizes.iter().all(|size| *size <= 2 * sizes[0]), "{sizes:?}");
        let cache = Cache::open(dir.path());
        let text = "Title\n\nPeskov spoke 5 times.\n";
        cache
            .source(path, file_key(path, text.as_bytes()), false, || {
                panic!("parsed again")
            })
            .unwrap();
    }

    #[test]
    fn a_kept_page_is_recorded_as_found_and_a_page_changed_since_is_rendered() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("a.html"), "a").unwrap();
        fs::write(output.join("b.html"), "b").unwrap();
        // Each page's view is keyed by its path alone: it never changes.
        let page = |memo: &PageMemo, path: &str| {
            memo.page::<()>(path, || Key::combine(&[path.as_bytes()]), || Ok(vec![]))
                .unwrap()
        };
        // The first build renders both and records what it left.
        let memo = PageMemo::open(root.path(), &output);
        for path in ["a.html", "b.html"] {
            assert!(matches!(page(&memo, path), Memoized::Rendered(_)));
        }
        let written = [PathBuf::from("a.html"), PathBuf::from("b.html")];
        memo.save(&memo.site_stamps(&[], &written));

        // While the next build runs, `b.html` is changed by hand: it keeps
        // the stamp the build found, so the build after renders it again.
        let memo = PageMemo::open(root.path(), &output);
        assert_eq!(page(&memo, "a.html"), Memoized::Unchanged);
        assert_eq!(page(&memo, "b.html"), Memoized::Unchanged);
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(output.join("b.html"), "changed by hand").unwrap();
        memo.save(&memo.site_stamps(&written, &[]));
        let memo = PageMemo::open(root.path(), &output);
        assert_eq!(page(&memo, "a.html"), Memoized::Unchanged);
        assert!(matches!(page(&memo, "b.html"), Memoized::Rendered(_)));
    }
}
