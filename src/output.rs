//! Writing the site: the only stage that touches the output folder.
//!
//! The site is written into a fresh staging folder beside the output and moved
//! into place at the end, so a build that fails at any point leaves the
//! previous site exactly as it was. The output folder is only ever replaced
//! if it is empty or carries the marker of an earlier dossier build: never
//! someone's other files.
//!
//! A file whose bytes did not change is hard-linked from the current site into
//! the staging folder rather than written again (copied where links are not
//! possible), so it keeps its modification time and a deploy diff shows only
//! what changed. When nothing changed at all, nothing is touched.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{io_error, Error, Result};
use crate::render::Page;

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files of the site.
    pub files: usize,
    /// Files written because they are new or their bytes changed.
    pub changed: usize,
    /// Files of the previous site that are gone.
    pub removed: usize,
}

/// Writes `pages` as the new content of `output`, atomically replacing what
/// was there. Returns the number of files of the site.
pub fn write_site(output: &Path, pages: &[Page]) -> Result<usize> {
    update_site(output, pages).map(|written| written.files)
}

/// Makes `output` hold exactly `pages`, atomically, writing only the files
/// whose bytes changed.
pub fn update_site(output: &Path, pages: &[Page]) -> Result<Written> {
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
    // Before anything else, so a site left aside by a killed build is back
    // even if this build fails.
    recover_interrupted_builds(parent, &name, &output)?;
    let relatives = pages
        .iter()
        .map(|page| safe_relative_path(&page.path))
        .collect::<Result<Vec<_>>>()?;
    let unchanged: Vec<bool> = pages
        .par_iter()
        .zip(&relatives)
        .map(|(page, relative)| same_bytes(&output.join(relative), &page.bytes))
        .collect();
    let previous = previous_files(&output);
    let wanted: BTreeSet<&Path> = relatives.iter().map(PathBuf::as_path).collect();
    let written = Written {
        files: pages.len(),
        changed: unchanged.iter().filter(|same| !**same).count(),
        removed: previous
            .iter()
            .filter(|p| !wanted.contains(p.as_path()))
            .count(),
    };
    let marker_ok = same_bytes(&output.join(MARKER_FILE), MARKER_TEXT.as_bytes());
    if marker_ok && written.changed == 0 && written.removed == 0 {
        return Ok(written);
    }
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let plan = Plan {
        output: &output,
        pages,
        relatives: &relatives,
        unchanged: &unchanged,
    };
    let result = plan
        .stage(&staging)
        .and_then(|()| swap_into_place(&staging, &output));
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| written)
}

/// The new site: each page, where it goes, and whether the current output
/// already holds its bytes.
struct Plan<'a> {
    output: &'a Path,
    pages: &'a [Page],
    relatives: &'a [PathBuf],
    unchanged: &'a [bool],
}

impl Plan<'_> {
    /// Fills the staging folder: unchanged files linked from the current
    /// output, the others written.
    fn stage(&self, staging: &Path) -> Result<()> {
        if staging.exists() {
            fs::remove_dir_all(staging).map_err(io_error(staging))?;
        }
        fs::create_dir_all(staging).map_err(io_error(staging))?;
        let marker_ok = same_bytes(&self.output.join(MARKER_FILE), MARKER_TEXT.as_bytes());
        self.place(
            staging,
            Path::new(MARKER_FILE),
            MARKER_TEXT.as_bytes(),
            marker_ok,
        )?;
        let folders: BTreeSet<&Path> = self.relatives.iter().filter_map(|r| r.parent()).collect();
        for folder in folders {
            let dir = staging.join(folder);
            fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        }
        (0..self.pages.len()).into_par_iter().try_for_each(|i| {
            self.place(
                staging,
                &self.relatives[i],
                &self.pages[i].bytes,
                self.unchanged[i],
            )
        })
    }

    /// Puts one file into the staging folder.
    fn place(&self, staging: &Path, relative: &Path, bytes: &[u8], unchanged: bool) -> Result<()> {
        let target = staging.join(relative);
        if unchanged {
            let current = self.output.join(relative);
            if fs::hard_link(&current, &target).is_ok() || fs::copy(&current, &target).is_ok() {
                return Ok(());
            }
        }
        fs::write(&target, bytes).map_err(io_error(&target))
    }
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

/// The files of the current output, relative to it, without the marker.
fn previous_files(output: &Path) -> Vec<PathBuf> {
    if !output.is_dir() {
        return Vec::new();
    }
    WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| entry.path().strip_prefix(output).ok().map(Path::to_owned))
        .filter(|relative| relative != Path::new(MARKER_FILE))
        .collect()
}

/// Moves the finished staging folder to `output`, keeping the old site until
/// the new one is in place.
fn swap_into_place(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(io_error(output));
    }
    let old = output.with_file_name(format!(
        ".{}.old-{}",
        output.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    fs::rename(output, &old).map_err(io_error(output))?;
    if let Err(error) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(Error::Io {
            path: output.to_owned(),
            source: error,
        });
    }
    fs::remove_dir_all(&old).map_err(io_error(&old))
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
/// folders of processes that are gone, and, if the kill came between moving
/// the old site aside and moving the new one in, puts the old site back.
fn recover_interrupted_builds(parent: &Path, name: &str, output: &Path) -> Result<()> {
    let entries = fs::read_dir(parent).map_err(io_error(parent))?;
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .filter_map(|entry| {
            let file_name = entry.ok()?.file_name().into_string().ok()?;
            let rest = file_name.strip_prefix(&format!(".{name}."))?;
            let (is_old, pid) = match rest.split_once('-')? {
                ("staging", pid) => (false, pid),
                ("old", pid) => (true, pid),
                _ => return None,
            };
            let pid: u32 = pid.parse().ok()?;
            (!process_is_running(pid)).then(|| (parent.join(&file_name), is_old))
        })
        .collect();
    leftovers.sort();
    for (path, is_old) in leftovers {
        if is_old && !output.exists() {
            fs::rename(&path, output).map_err(io_error(output))?;
        } else {
            fs::remove_dir_all(&path).map_err(io_error(&path))?;
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
    fn a_build_killed_between_the_two_moves_gets_the_old_site_back() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        write_site(&output, &[page("a.html", "1")]).unwrap();
        let old = dir.path().join(format!(".public.old-{DEAD_PID}"));
        fs::rename(&output, &old).unwrap();
        // The next build fails: the previous site must be back in place.
        assert!(write_site(&output, &[page("../evil", "x")]).is_err());
        assert_eq!(fs::read_to_string(output.join("a.html")).unwrap(), "1");
        assert!(!old.exists());
    }
}
