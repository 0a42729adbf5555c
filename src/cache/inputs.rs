//! The fingerprint of everything a build reads, and the keys of the content
//! files' bytes that go into it.
//!
//! Every writing build starts by fingerprinting its inputs, to stop at once
//! when nothing changed. Reading every content file for it, ten thousand
//! articles on a large dossier, was most of a build with nothing to do and
//! a read of the whole content more in every rebuild. So the key of each
//! file's bytes is kept with the file's stamp as it was when read (size,
//! times and, on Unix, inode), and a file whose stamp has not moved is not
//! read again: writing a file changes its change time, which no program can
//! set back. A file changed less than [`SETTLING`] before it was read is
//! read again next time, as its stamp could still be shared by a later
//! write within the file system's clock tick.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{program_key, replace_file, Key, KeyWriter, CACHE_DIR, FORMAT};

/// How long after its last change a file's stamp is trusted to stand for
/// its bytes: longer than any file system's clock tick (FAT's is 2 s).
const SETTLING: Duration = Duration::from_secs(3);

/// A file's size, modification and change times, and inode: what changes
/// whenever its bytes do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct ContentStamp {
    len: u64,
    modified: i128,
    changed: i128,
    inode: u64,
}

impl ContentStamp {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> ContentStamp {
        use std::os::unix::fs::MetadataExt;
        let nanos =
            |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        ContentStamp {
            len: meta.len(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    fn of(meta: &fs::Metadata) -> ContentStamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok());
        let modified = modified.map_or(0, |d| d.as_nanos() as i128);
        ContentStamp {
            len: meta.len(),
            modified,
            changed: modified,
            inode: 0,
        }
    }

    /// Whether the file last changed at least [`SETTLING`] before `read`
    /// (nanoseconds since 1970), when it was read.
    fn settled_by(&self, read: i128) -> bool {
        self.modified.max(self.changed) + SETTLING.as_nanos() as i128 <= read
    }
}

/// The key of each content file's bytes, by path, with its stamp when it
/// was read.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentKeys {
    format: u32,
    program: Key,
    files: HashMap<String, (ContentStamp, Key)>,
}

impl ContentKeys {
    fn file(root: &Path) -> std::path::PathBuf {
        root.join(CACHE_DIR).join("content.bin")
    }

    /// The keys the last build of the dossier at `root` recorded: none if
    /// they cannot be read or another program wrote them.
    pub fn open(root: &Path) -> ContentKeys {
        let read = fs::read(Self::file(root)).ok();
        let keys = read.and_then(|bytes| postcard::from_bytes::<ContentKeys>(&bytes).ok());
        keys.filter(|keys| keys.format == FORMAT && keys.program == program_key())
            .unwrap_or_default()
    }

    /// The key of the bytes of the file at `path` (as the content folder's
    /// walk names it), if its stamp stood or it was read this build and
    /// has settled.
    pub fn get(&self, path: &Path) -> Option<Key> {
        let (_, key) = self.files.get(path.to_str()?)?;
        Some(*key)
    }

    /// Whether a build of the dossier at `root` recorded its files' keys.
    pub fn recorded(root: &Path) -> bool {
        Self::file(root).is_file()
    }

    /// Records the keys for the next build, unless they are `previous`.
    fn save(&self, root: &Path, previous: &ContentKeys) {
        if self != previous {
            if let Ok(bytes) = postcard::to_stdvec(self) {
                replace_file(&Self::file(root), &bytes);
            }
        }
    }
}

/// The content files' keys the last build recorded and this one's.
#[derive(Debug)]
pub struct ContentFiles {
    pub known: ContentKeys,
    pub keys: ContentKeys,
}

impl ContentFiles {
    /// Records this build's keys for the next, when they changed; called
    /// once a build has succeeded.
    pub fn save(&self, root: &Path) {
        self.keys.save(root, &self.known);
    }
}

/// The key of the bytes of the file at `path`, with its path.
pub fn file_key(path: &Path, bytes: &[u8]) -> Key {
    Key::combine(&[path.to_string_lossy().as_bytes(), b"file", bytes])
}

/// The fingerprint of everything a build reads: the program, `settings`
/// (the configuration and options, as text), the theme's files and every
/// file under `content`, with the keys of the content files' bytes to
/// record for the next build. A file whose stamp is as `known` recorded it
/// is not read again.
pub fn inputs_key(
    content: &Path,
    theme: &crate::render::Theme,
    settings: &str,
    known: &ContentKeys,
) -> (Key, ContentKeys) {
    // Taken before any file is looked at: a file changed after this is
    // never taken for settled.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128);
    inputs_key_as_of(content, theme, settings, known, now)
}

/// [`inputs_key`], at `now` (nanoseconds since 1970).
fn inputs_key_as_of(
    content: &Path,
    theme: &crate::render::Theme,
    settings: &str,
    known: &ContentKeys,
    now: i128,
) -> (Key, ContentKeys) {
    let mut writer = KeyWriter::new();
    let mut add = |bytes: &[u8]| {
        let _ = std::io::Write::write_all(&mut writer, &(bytes.len() as u64).to_le_bytes());
        let _ = std::io::Write::write_all(&mut writer, bytes);
    };
    add(&program_key().to_bytes());
    add(settings.as_bytes());
    for (name, file) in theme.templates.iter().chain(&theme.statics) {
        add(name.as_bytes());
        add(&file.bytes);
    }
    let entries: Vec<_> = walkdir::WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .collect();
    // Files are keyed in parallel, and their keys added in order.
    let files: Vec<(Key, Option<(String, ContentStamp)>)> = entries
        .par_iter()
        .map(|entry| {
            let Ok(entry) = entry else {
                return (Key::combine(&[b"unreadable"]), None);
            };
            let path = entry.path().to_string_lossy();
            if entry.file_type().is_file() {
                // The stamp comes before the bytes: a write in between
                // leaves a stamp that the next build finds moved.
                let stamp = entry.metadata().ok().map(|meta| ContentStamp::of(&meta));
                let recorded = known.files.get(path.as_ref());
                if let (Some(stamp), Some(&(was, key))) = (stamp, recorded) {
                    if stamp == was {
                        return (key, Some((path.into_owned(), stamp)));
                    }
                }
                let bytes = fs::read(entry.path()).unwrap_or_default();
                let key = file_key(entry.path(), &bytes);
                let settled = stamp.filter(|stamp| stamp.settled_by(now));
                (key, settled.map(|stamp| (path.into_owned(), stamp)))
            } else if entry.path_is_symlink() {
                // Keyed by where it points: the files it may point to are
                // keyed where they are, and a link pointed at another of
                // them changes the content all the same.
                let target = fs::read_link(entry.path()).unwrap_or_default();
                let target = target.as_os_str().as_encoded_bytes();
                (Key::combine(&[path.as_bytes(), b"symlink", target]), None)
            } else {
                (Key::combine(&[path.as_bytes()]), None)
            }
        })
        .collect();
    let mut keys = ContentKeys {
        format: FORMAT,
        program: program_key(),
        files: HashMap::with_capacity(files.len()),
    };
    for (key, stamped) in files {
        add(&key.to_bytes());
        if let Some((path, stamp)) = stamped {
            keys.files.insert(path, (stamp, key));
        }
    }
    (writer.finish(), keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Theme;

    /// The key of the folder `content`, a minute from now (when its files
    /// have settled) or now.
    fn key(content: &Path, known: &ContentKeys, settled: bool) -> (Key, ContentKeys) {
        let later = if settled { 60 } else { 0 };
        let now = SystemTime::now() + Duration::from_secs(later);
        let now = now.duration_since(UNIX_EPOCH).unwrap().as_nanos() as i128;
        inputs_key_as_of(content, &Theme::default(), "", known, now)
    }

    #[test]
    fn a_file_whose_stamp_stands_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        fs::write(&file, "one").unwrap();
        let (fresh, recorded) = key(dir.path(), &ContentKeys::default(), false);
        // Written just now: not settled, so not recorded.
        assert!(recorded.files.is_empty());
        let (settled, recorded) = key(dir.path(), &ContentKeys::default(), true);
        assert_eq!(settled, fresh);
        assert_eq!(recorded.files.len(), 1);
        // A recorded key is taken as it is while the stamp stands: a forged
        // one shows it was not computed again.
        let mut forged = recorded;
        forged
            .files
            .values_mut()
            .for_each(|(_, key)| *key = Key::combine(&[b"forged"]));
        let (trusted, _) = key(dir.path(), &forged, true);
        assert_ne!(trusted, fresh);
        // Once the file changes, its bytes are read again.
        fs::write(&file, "three").unwrap();
        let (changed, _) = key(dir.path(), &forged, true);
        let (fresh, _) = key(dir.path(), &ContentKeys::default(), true);
        assert_eq!(changed, fresh);
    }

    #[test]
    fn a_file_rewritten_with_its_old_size_and_time_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        fs::write(&file, "aaaa").unwrap();
        let (_, recorded) = key(dir.path(), &ContentKeys::default(), true);
        assert_eq!(recorded.files.len(), 1);
        // Same size, modification time set back: the change time moved.
        let modified = fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        fs::write(&file, "bbbb").unwrap();
        let handle = fs::File::options().write(true).open(&file).unwrap();
        handle.set_modified(modified).unwrap();
        let (again, _) = key(dir.path(), &recorded, true);
        let (fresh, _) = key(dir.path(), &ContentKeys::default(), true);
        assert_eq!(again, fresh);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_pointed_elsewhere_changes_the_key() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "one").unwrap();
        fs::write(dir.path().join("b.md"), "two").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("a.md", &link).unwrap();
        let (to_a, recorded) = key(dir.path(), &ContentKeys::default(), true);
        fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink("b.md", &link).unwrap();
        let (to_b, _) = key(dir.path(), &recorded, true);
        assert_ne!(to_a, to_b);
    }

    #[test]
    fn recorded_keys_are_read_back_and_a_damaged_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "text").unwrap();
        let (_, recorded) = key(dir.path(), &ContentKeys::default(), true);
        assert_eq!(recorded.files.len(), 1);
        recorded.save(dir.path(), &ContentKeys::default());
        assert_eq!(ContentKeys::open(dir.path()), recorded);
        fs::write(ContentKeys::file(dir.path()), b"damaged").unwrap();
        assert_eq!(ContentKeys::open(dir.path()), ContentKeys::default());
    }
}
