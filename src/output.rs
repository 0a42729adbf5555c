//! Writing the site: the only stage that touches the output folder.
//!
//! Pages are written as they are rendered into a staging folder beside the
//! output, and put in place at the end, so a build that fails at any point
//! leaves the previous site exactly as it was (see [`SiteWriter`]). The
//! output folder is only ever written to if it is empty or carries the
//! marker of an earlier dossier build: never someone's other files.
//!
//! A file whose bytes did not change is not written again, so it keeps its
//! modification time and a deploy diff shows only what changed. When
//! nothing changed at all, nothing is touched.

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Mutex;
use std::thread::JoinHandle;

use walkdir::WalkDir;

use crate::error::{io_error, Error, Result};
use crate::render::StreamFn;

/// File that marks a folder as dossier output, safe to replace.
pub const MARKER_FILE: &str = ".dossier-output";

/// Checks that `output` may be replaced by a build of the dossier at `root`
/// whose content is in `content`.
pub fn check_output_folder(output: &Path, root: &Path, content: &Path) -> Result<()> {
    let resolved = absolute(output);
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site to {}: {why}\n  = help: choose another output folder with --output or [build] output",
            output.display()
        )))
    };
    if resolved.parent().is_none() {
        return refuse("it is a filesystem root");
    }
    if resolved.is_symlink() {
        // A build replaces the folder, which would turn the link into a
        // folder and leave the link's target behind unchanged.
        return refuse("it is a symbolic link; give the folder it points to instead");
    }
    // Compare real locations too: `public` may be reached through a linked
    // parent folder, which the lexical check cannot see.
    let real = real_path(&resolved);
    let root = real_path(&absolute(root));
    let content = real_path(&absolute(content));
    if real == root || root.starts_with(&real) {
        return refuse("it is the dossier's root or contains it");
    }
    if real == content || content.starts_with(&real) || real.starts_with(&content) {
        return refuse("it is, contains or lies inside the content folder");
    }
    if resolved.exists() {
        if !resolved.is_dir() {
            return refuse("it is a file, not a folder");
        }
        let empty = fs::read_dir(&resolved)
            .map_err(io_error(&resolved))?
            .next()
            .is_none();
        if !empty && !resolved.join(MARKER_FILE).is_file() {
            return refuse(
                "it holds files that dossier did not write, and a build replaces the whole folder",
            );
        }
    }
    Ok(())
}

/// Text of the marker file.
const MARKER_TEXT: &str =
    "This folder is written by `dossier build` and replaced on every build.\n";

/// What writing the site did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files of the site.
    pub files: usize,
    /// Files written because they are new or their bytes changed.
    pub changed: usize,
    /// Files of the previous site that are gone.
    pub removed: usize,
    /// The site's files (relative paths) that this build wrote, and those
    /// it left as they were.
    pub wrote: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

/// Receives the site's files as they are rendered, from any thread, and
/// puts them in place at the end, all at once.
///
/// Nothing in the output changes before [`SiteWriter::commit`]: new and
/// changed files wait in a staging folder beside it, so pages need not be
/// held in memory and a build that fails leaves the previous site as it
/// was. A first build then renames the staging folder into place; a
/// rebuild moves in only the files that changed, keeping the files they
/// replace in a backup folder until every move has succeeded, so the work
/// is proportional to what changed.
pub struct SiteWriter {
    output: PathBuf,
    staging: PathBuf,
    /// No site yet: the staging folder becomes the output.
    fresh: bool,
    /// Folders already made in the staging folder.
    folders: Mutex<HashSet<PathBuf>>,
    /// Every file of the new site, and those that are new or changed.
    files: Mutex<HashSet<PathBuf>>,
    changed: Mutex<Vec<PathBuf>>,
    staged: StagedWrites,
    committed: bool,
}

/// Writes staged files on a thread of its own, one after the other.
/// Creating a file locks its folder, and rendering threads creating pages
/// side by side in the same folder spent a tenth of a large build's time
/// waiting on that lock.
struct StagedWrites {
    sender: Option<SyncSender<(PathBuf, Vec<u8>)>>,
    /// Ends with the first error, after writing what it could.
    thread: Option<JoinHandle<Result<()>>>,
}

impl StagedWrites {
    fn start() -> Result<StagedWrites> {
        // A few pages in flight: enough to keep the writer busy, few
        // enough that pages are not held in memory.
        let (sender, receiver) = sync_channel::<(PathBuf, Vec<u8>)>(64);
        let thread = std::thread::Builder::new()
            .name("site-writer".into())
            .spawn(move || {
                let mut result = Ok(());
                for (target, bytes) in receiver {
                    if result.is_ok() {
                        result = fs::write(&target, bytes).map_err(io_error(&target));
                    }
                }
                result
            })
            .map_err(|e| Error::with_cause("cannot start writing the site", e))?;
        Ok(StagedWrites {
            sender: Some(sender),
            thread: Some(thread),
        })
    }

    fn write(&self, target: PathBuf, bytes: Vec<u8>) -> Result<()> {
        let sender = self.sender.as_ref();
        match sender.map(|sender| sender.send((target, bytes))) {
            Some(Ok(())) => Ok(()),
            _ => Err(Error::other("the site's files can no longer be written")),
        }
    }

    /// Waits for every file sent to be written.
    fn finish(&mut self) -> Result<()> {
        drop(self.sender.take());
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Error::other("writing the site's files failed")),
            None => Ok(()),
        }
    }
}

impl SiteWriter {
    /// Prepares to write the site to `output` (checked beforehand with
    /// [`check_output_folder`]).
    pub fn open(output: &Path) -> Result<SiteWriter> {
        let output = absolute(output);
        let parent = output
            .parent()
            .ok_or_else(|| Error::other("the output folder has no parent"))?;
        let name = output
            .file_name()
            .ok_or_else(|| Error::other("the output folder has no name"))?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(parent).map_err(io_error(parent))?;
        // Before anything else, so a site left half-updated by a killed
        // build is restored even if this build fails.
        recover_interrupted_builds(parent, &name, &output)?;
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        let writer = SiteWriter {
            fresh: !output.exists(),
            output,
            staging,
            folders: Mutex::default(),
            files: Mutex::default(),
            changed: Mutex::default(),
            staged: StagedWrites::start()?,
            committed: false,
        };
        writer.put(MARKER_FILE, MARKER_TEXT.as_bytes().to_vec())?;
        Ok(writer)
    }

    /// A file of the new site: staged unless the output holds these bytes.
    /// It is written by the time [`SiteWriter::commit`] returns, which
    /// reports a failure to write it.
    pub fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        let relative = safe_relative_path(path)?;
        let unchanged = !self.fresh && same_bytes(&self.output.join(&relative), &bytes);
        if !unchanged {
            if let Some(folder) = relative.parent() {
                self.make_folder(folder)?;
            }
            self.staged.write(self.staging.join(&relative), bytes)?;
            lock(&self.changed).push(relative.clone());
        }
        lock(&self.files).insert(relative);
        Ok(())
    }

    /// A file of the new site written by `write` straight into the staging
    /// folder, then compared with the output's.
    pub fn put_streamed(&self, path: &str, write: &mut StreamFn<'_>) -> Result<()> {
        let relative = safe_relative_path(path)?;
        if let Some(folder) = relative.parent() {
            self.make_folder(folder)?;
        }
        let target = self.staging.join(&relative);
        let file = fs::File::create(&target).map_err(io_error(&target))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(io_error(&target))?;
        drop(out);
        if !self.fresh && same_files(&target, &self.output.join(&relative)) {
            fs::remove_file(&target).map_err(io_error(&target))?;
        } else {
            lock(&self.changed).push(relative.clone());
        }
        lock(&self.files).insert(relative);
        Ok(())
    }

    /// A file of the new site that the output already holds, as the
    /// previous build wrote it.
    pub fn keep(&self, path: &str) -> Result<()> {
        let relative = safe_relative_path(path)?;
        if self.fresh {
            return Err(Error::other(format!("no previous site holds `{path}`")));
        }
        lock(&self.files).insert(relative);
        Ok(())
    }

    fn make_folder(&self, folder: &Path) -> Result<()> {
        if folder.as_os_str().is_empty() || lock(&self.folders).contains(folder) {
            return Ok(());
        }
        let dir = self.staging.join(folder);
        fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        lock(&self.folders).insert(folder.to_owned());
        Ok(())
    }

    /// Puts the new site in place and says what changed.
    pub fn commit(mut self) -> Result<Written> {
        // Not committed if a file could not be written: dropped, the
        // writer leaves no trace.
        self.staged.finish()?;
        self.committed = true;
        let files = std::mem::take(&mut *lock(&self.files));
        let mut changed = std::mem::take(&mut *lock(&self.changed));
        changed.sort();
        let removed: Vec<PathBuf> = match self.fresh {
            true => Vec::new(),
            false => previous_files(&self.output)
                .into_iter()
                .filter(|path| !files.contains(path))
                .collect(),
        };
        let result = match self.fresh {
            true => fs::rename(&self.staging, &self.output).map_err(io_error(&self.output)),
            false => self.move_in(&changed, &removed),
        };
        if self.staging.exists() {
            let _ = fs::remove_dir_all(&self.staging);
        }
        result?;
        let pages = files.len() - 1; // the marker is not a page
        let kept = {
            let wrote: HashSet<&PathBuf> = changed.iter().collect();
            files.into_iter().filter(|p| !wrote.contains(p)).collect()
        };
        Ok(Written {
            files: pages,
            changed: changed
                .iter()
                .filter(|p| *p != Path::new(MARKER_FILE))
                .count(),
            removed: removed.len(),
            wrote: changed,
            kept,
        })
    }

    /// Moves the `changed` files from the staging folder into the output
    /// and the `removed` ones out of it, the files replaced or removed going
    /// to a backup folder first. A failure, or the next build after a kill,
    /// puts the backup back.
    fn move_in(&self, changed: &[PathBuf], removed: &[PathBuf]) -> Result<()> {
        if changed.is_empty() && removed.is_empty() {
            return Ok(());
        }
        let backup = sibling(&self.output, "backup");
        fs::create_dir_all(&backup).map_err(io_error(&backup))?;
        // The files the output did not have, to take out again on a rollback.
        let added: Vec<&PathBuf> = changed
            .iter()
            .filter(|p| !self.output.join(p).exists())
            .collect();
        let journal: String = added
            .iter()
            .map(|p| format!("{}\n", p.to_string_lossy()))
            .collect();
        let journal_path = backup.join(ADDED_JOURNAL);
        fs::write(&journal_path, journal).map_err(io_error(&journal_path))?;
        let result = (|| {
            for path in changed.iter().chain(removed) {
                let current = self.output.join(path);
                if current.exists() {
                    move_file(&current, &backup.join(path))?;
                }
            }
            for path in changed {
                move_file(&self.staging.join(path), &self.output.join(path))?;
            }
            for path in removed {
                remove_empty_folders(&self.output, path);
            }
            Ok(())
        })();
        match result {
            Ok(()) => fs::remove_dir_all(&backup).map_err(io_error(&backup)),
            Err(error) => {
                let _ = restore_backup(&backup, &self.output);
                Err(error)
            }
        }
    }
}

impl Drop for SiteWriter {
    /// A writer dropped without a commit (the build failed) leaves no trace.
    fn drop(&mut self) {
        let _ = self.staged.finish();
        if !self.committed && self.staging.exists() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// File of a backup folder listing the files a rebuild added to the output.
const ADDED_JOURNAL: &str = ".dossier-added";

/// `.public.<what>-<pid>` beside `output`.
fn sibling(output: &Path, what: &str) -> PathBuf {
    output.with_file_name(format!(
        ".{}.{what}-{}",
        output.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ))
}

/// Renames `from` to `to`, making `to`'s folder first.
fn move_file(from: &Path, to: &Path) -> Result<()> {
    if let Some(folder) = to.parent() {
        fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    fs::rename(from, to).map_err(io_error(to))
}

/// Removes the folders above `relative` that its removal left empty.
fn remove_empty_folders(output: &Path, relative: &Path) {
    for folder in relative.ancestors().skip(1) {
        if folder.as_os_str().is_empty() || fs::remove_dir(output.join(folder)).is_err() {
            break;
        }
    }
}

/// Undoes an interrupted [`SiteWriter::move_in`]: the files it added are
/// taken out, the files it replaced or removed put back.
fn restore_backup(backup: &Path, output: &Path) -> Result<()> {
    let journal = fs::read_to_string(backup.join(ADDED_JOURNAL)).unwrap_or_default();
    for added in journal.lines().filter(|line| !line.is_empty()) {
        let path = output.join(safe_relative_path(added)?);
        if path.is_file() {
            fs::remove_file(&path).map_err(io_error(&path))?;
            remove_empty_folders(output, Path::new(added));
        }
    }
    for entry in WalkDir::new(backup).into_iter().flatten() {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(backup) else {
            continue;
        };
        if relative != Path::new(ADDED_JOURNAL) {
            move_file(entry.path(), &output.join(relative))?;
        }
    }
    fs::remove_dir_all(backup).map_err(io_error(backup))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|current| current == bytes)
        }
        _ => false,
    }
}

/// Whether the files at `a` and `b` hold the same bytes, read a piece at a
/// time.
fn same_files(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    if !meta_b.is_file() || meta_a.len() != meta_b.len() {
        return false;
    }
    let (Ok(file_a), Ok(file_b)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut a, mut b) = (BufReader::new(file_a), BufReader::new(file_b));
    loop {
        let (Ok(chunk_a), Ok(chunk_b)) = (a.fill_buf(), b.fill_buf()) else {
            return false;
        };
        let n = chunk_a.len().min(chunk_b.len());
        if n == 0 {
            return chunk_a.is_empty() && chunk_b.is_empty();
        }
        if chunk_a[..n] != chunk_b[..n] {
            return false;
        }
        a.consume(n);
        b.consume(n);
    }
}

/// The files of the current output, relative to it.
fn previous_files(output: &Path) -> Vec<PathBuf> {
    if !output.is_dir() {
        return Vec::new();
    }
    WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| entry.path().strip_prefix(output).ok().map(Path::to_owned))
        .collect()
}

/// Clears what a build killed midway left beside `output` (see
/// [`recover_interrupted_builds`]); every writing build starts with it, even
/// one that finds nothing to do.
pub fn recover(output: &Path) -> Result<()> {
    let output = absolute(output);
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return Ok(());
    };
    if !parent.is_dir() {
        return Ok(());
    }
    recover_interrupted_builds(parent, &name.to_string_lossy(), &output)
}

/// Clears what a build killed midway left beside the output: staging
/// folders of processes that are gone, and, if the kill came while changed
/// files were being moved in, the previous site restored from the backup.
fn recover_interrupted_builds(parent: &Path, name: &str, output: &Path) -> Result<()> {
    let entries = fs::read_dir(parent).map_err(io_error(parent))?;
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .filter_map(|entry| {
            let file_name = entry.ok()?.file_name().into_string().ok()?;
            let rest = file_name.strip_prefix(&format!(".{name}."))?;
            let (is_backup, pid) = match rest.split_once('-')? {
                ("staging", pid) => (false, pid),
                ("backup", pid) => (true, pid),
                _ => return None,
            };
            let pid: u32 = pid.parse().ok()?;
            (!process_is_running(pid)).then(|| (parent.join(&file_name), is_backup))
        })
        .collect();
    leftovers.sort();
    for (path, is_backup) in leftovers {
        match is_backup {
            true => restore_backup(&path, output)?,
            false => fs::remove_dir_all(&path).map_err(io_error(&path))?,
        }
    }
    Ok(())
}

/// Whether a process with this id is alive: ours is, and where the system
/// cannot tell (no `/proc`), every other process is taken as gone.
fn process_is_running(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// `path` with symbolic links resolved as far as it exists; the part that
/// does not exist yet is kept as written.
fn real_path(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return path.to_owned(),
        }
    }
    let mut real = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_owned());
    real.extend(missing.iter().rev());
    real
}

/// A page path may only name a file inside the output folder.
fn safe_relative_path(path: &str) -> Result<PathBuf> {
    let relative = Path::new(path);
    let safe = !path.is_empty()
        && relative
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if safe {
        Ok(relative.to_owned())
    } else {
        Err(Error::other(format!(
            "refusing to write `{path}`: it would land outside the output folder"
        )))
    }
}

/// `path` made absolute against the current directory, without touching the
/// filesystem (the folder may not exist yet), `..` resolved lexically.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Page;
    use rayon::prelude::*;

    /// Makes `output` hold exactly `pages`, as a build does.
    fn update_site(output: &Path, pages: &[Page]) -> Result<Written> {
        let writer = SiteWriter::open(output)?;
        pages
            .par_iter()
            .try_for_each(|page| writer.put(&page.path, page.bytes.clone()))?;
        writer.commit()
    }

    fn write_site(output: &Path, pages: &[Page]) -> Result<usize> {
        update_site(output, pages).map(|written| written.files)
    }

    fn page(path: &str, text: &str) -> Page {
        Page {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn paths_outside_the_output_are_refused() {
        assert!(safe_relative_path("../x.html").is_err());
        assert!(safe_relative_path("/etc/passwd").is_err());
        assert!(safe_relative_path("a/../../x").is_err());
        assert!(safe_relative_path("sources/a.html").is_ok());
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1"), page("sub/b.html", "2")]).unwrap();
        write_site(&output, &[page("c.html", "3")]).unwrap();
        assert!(!output.join("a.html").exists());
        assert_eq!(fs::read_to_string(output.join("c.html")).unwrap(), "3");
        assert!(output.join(MARKER_FILE).is_file());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1")]).unwrap();
        assert!(write_site(&output, &[page("b.html", "2"), page("../evil", "x")]).is_err());
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "1");
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn refuses_folders_that_are_not_dossier_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        fs::create_dir_all(&content).unwrap();
        assert!(check_output_folder(root, root, &content).is_err());
        assert!(check_output_folder(&content, root, &content).is_err());
        let other = root.join("documents");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("thesis.doc"), "x").unwrap();
        assert!(check_output_folder(&other, root, &content).is_err());
        assert!(check_output_folder(&root.join("public"), root, &content).is_ok());
    }

    #[test]
    fn refuses_parents_of_the_root_and_folders_inside_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dossier");
        let content = root.join("content");
        fs::create_dir_all(&content).unwrap();
        assert!(check_output_folder(dir.path(), &root, &content).is_err());
        assert!(check_output_folder(&root.join(".."), &root, &content).is_err());
        assert!(check_output_folder(&content.join("site"), &root, &content).is_err());
        assert!(check_output_folder(&root.join("public/../content"), &root, &content).is_err());
        assert!(check_output_folder(Path::new("/"), &root, &content).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links_and_folders_reached_through_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dossier");
        let content = root.join("content");
        fs::create_dir_all(&content).unwrap();
        let link = dir.path().join("public-link");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &link).unwrap();
        fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        let error = check_output_folder(&link, &root, &content).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        // `into-content/site` is, in truth, inside the content folder.
        let into_content = dir.path().join("into-content");
        std::os::unix::fs::symlink(&content, &into_content).unwrap();
        assert!(check_output_folder(&into_content.join("site"), &root, &content).is_err());
    }

    #[test]
    fn a_page_path_that_cannot_be_created_leaves_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1")]).unwrap();
        // `x` is a file, so `x/y.html` cannot be created.
        let result = write_site(&output, &[page("x", "file"), page("x/y.html", "2")]);
        assert!(matches!(result, Err(Error::Io { .. })));
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "1");
        assert!(!output.join("x").exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_parent_fails_without_touching_the_previous_site() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("site");
        let output = parent.join("public");
        write_site(&output, &[page("a.html", "1")]).unwrap();
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).unwrap();
        let result = write_site(&output, &[page("b.html", "2")]);
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).unwrap();
        if running_as_superuser() {
            return; // root writes anywhere; nothing to test
        }
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "1");
        assert!(!output.join("b.html").exists());
    }

    #[cfg(unix)]
    fn running_as_superuser() -> bool {
        // Writing into a read-only folder succeeds only for the superuser.
        let probe = tempfile::tempdir().unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(probe.path(), fs::Permissions::from_mode(0o555)).unwrap();
        let writable = fs::write(probe.path().join("probe"), "").is_ok();
        fs::set_permissions(probe.path(), fs::Permissions::from_mode(0o755)).unwrap();
        writable
    }

    /// An id no process can have (above the largest Linux allows).
    const DEAD_PID: u32 = 4_000_000_000;

    #[test]
    fn staging_folders_of_killed_builds_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1")]).unwrap();
        let stale = dir.path().join(format!(".public.staging-{DEAD_PID}"));
        fs::create_dir_all(stale.join("sources")).unwrap();
        fs::write(stale.join("sources/half.html"), "half").unwrap();
        write_site(&output, &[page("b.html", "2")]).unwrap();
        assert!(!stale.exists());
        assert!(!output.join("sources").exists());
        assert_eq!(fs::read_to_string(output.join("b.html")).unwrap(), "2");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_build_killed_while_moving_files_in_gets_the_old_site_back() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1"), page("old/b.html", "2")]).unwrap();
        // A rebuild changing a.html, removing old/b.html and adding
        // new/c.html, killed after moving the new files in.
        let backup = dir.path().join(format!(".public.backup-{DEAD_PID}"));
        fs::create_dir_all(backup.join("old")).unwrap();
        fs::rename(output.join("a.html"), backup.join("a.html")).unwrap();
        fs::rename(output.join("old/b.html"), backup.join("old/b.html")).unwrap();
        fs::write(backup.join(ADDED_JOURNAL), "new/c.html\n").unwrap();
        fs::write(output.join("a.html"), "changed").unwrap();
        fs::create_dir_all(output.join("new")).unwrap();
        fs::write(output.join("new/c.html"), "3").unwrap();
        // The next build fails: the previous site must be back in place.
        assert!(write_site(&output, &[page("../evil", "x")]).is_err());
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "1");
        assert_eq!(fs::read_to_string(output.join("old/b.html")).unwrap(), "2");
        assert!(!output.join("new").exists());
        assert!(!backup.exists());
    }

    #[test]
    fn a_rebuild_touches_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = [
            page("a.html", "1"),
            page("b.html", "2"),
            page("gone/c.html", "3"),
        ];
        write_site(&output, &first).unwrap();
        let stamp = |name: &str| fs::metadata(output.join(name)).unwrap().modified().unwrap();
        let before = stamp("a.html");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let written = update_site(&output, &[page("a.html", "1"), page("b.html", "two")]).unwrap();
        assert_eq!((written.files, written.changed, written.removed), (2, 1, 1));
        let mut kept = written.kept.clone();
        kept.sort();
        assert_eq!(kept, [PathBuf::from(MARKER_FILE), PathBuf::from("a.html")]);
        assert_eq!(written.wrote, [PathBuf::from("b.html")]);
        assert_eq!(stamp("a.html"), before, "an unchanged file is left alone");
        assert_eq!(fs::read_to_string(output.join("b.html")).unwrap(), "two");
        assert!(!output.join("gone").exists(), "emptied folders go too");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "nothing left beside"
        );
    }

    #[test]
    fn streamed_files_are_compared_with_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let big = "x".repeat(200_000);
        let stream = |text: &str| {
            let writer = SiteWriter::open(&output).unwrap();
            let mut write = |out: &mut dyn Write| out.write_all(text.as_bytes());
            writer.put_streamed("data/big.json", &mut write).unwrap();
            writer.commit().unwrap()
        };
        assert_eq!(stream(&big).changed, 1);
        assert_eq!(stream(&big).changed, 0);
        let changed = format!("{big}y");
        assert_eq!(stream(&changed).changed, 1);
        assert_eq!(
            fs::read_to_string(output.join("data/big.json")).unwrap(),
            changed
        );
        assert!(same_files(
            &output.join("data/big.json"),
            &output.join("data/big.json")
        ));
    }

    #[test]
    fn kept_files_stay_and_a_dropped_writer_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1"), page("b.html", "2")]).unwrap();
        let writer = SiteWriter::open(&output).unwrap();
        writer.put("b.html", b"new".to_vec()).unwrap();
        drop(writer);
        assert_eq!(fs::read_to_string(output.join("b.html")).unwrap(), "2");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let writer = SiteWriter::open(&output).unwrap();
        writer.keep("a.html").unwrap();
        writer.put("b.html", b"2".to_vec()).unwrap();
        assert_eq!(writer.commit().unwrap().changed, 0);
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "1");
    }
}
