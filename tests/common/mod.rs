//! Test harness: builds a dossier into a temporary folder and reads the pages
//! back as parsed HTML, following links the way a reader's browser would.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use dossier::{build, BuildOptions, Report};
use scraper::{Html, Selector};

/// The repository root, which is itself the seeds dossier.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A dossier copied into a temporary folder, so tests never touch the
/// repository's own files.
pub struct TestDossier {
    pub dir: tempfile::TempDir,
}

impl TestDossier {
    /// Copies `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("tests/fixtures").join(name), dir.path());
        TestDossier { dir }
    }

    /// Copies the repository's own dossier: `book.toml` and `content/`.
    pub fn seeds() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(repo_root().join("book.toml"), dir.path().join("book.toml")).unwrap();
        copy_dir(&repo_root().join("content"), &dir.path().join("content"));
        TestDossier { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file under the dossier, creating folders.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn build(&self) -> Report {
        self.try_build()
            .unwrap_or_else(|error| panic!("build failed: {error}\n{error:?}"))
    }

    pub fn try_build(&self) -> dossier::error::Result<Report> {
        build(self.root(), &BuildOptions::default())
    }

    pub fn site(&self) -> BuiltSite {
        BuiltSite::new(self.output())
    }
}

/// A built site on disk.
pub struct BuiltSite {
    pub root: PathBuf,
}

impl BuiltSite {
    pub fn new(root: PathBuf) -> Self {
        BuiltSite { root }
    }

    /// Every file, relative to the site root, with `/` separators.
    pub fn files(&self) -> BTreeSet<String> {
        walkdir::WalkDir::new(&self.root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.root.join(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    pub fn page(&self, relative: &str) -> Html {
        Html::parse_document(&self.read(relative))
    }

    /// Bytes of every file, to compare two builds.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.files()
            .into_iter()
            .map(|f| {
                let bytes = fs::read(self.root.join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    }

    /// The site-relative targets of the links of `page` that match
    /// `selector`, as (file, fragment).
    pub fn links(&self, page: &str, selector: &str) -> Vec<(String, Option<String>)> {
        let html = self.page(page);
        let selector = Selector::parse(selector).unwrap();
        html.select(&selector)
            .filter_map(|e| e.value().attr("href"))
            .filter_map(|href| resolve(page, href))
            .collect()
    }

    /// Every broken internal link or asset reference in the site: a missing
    /// file or a fragment with no element of that id.
    pub fn broken_links(&self) -> Vec<String> {
        let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let pages = self.html_files();
        for page in &pages {
            let html = self.page(page);
            let with_id = Selector::parse("[id]").unwrap();
            ids.insert(
                page.clone(),
                html.select(&with_id)
                    .filter_map(|e| e.value().attr("id").map(str::to_owned))
                    .collect(),
            );
        }
        let files = self.files();
        let mut broken = Vec::new();
        let refs = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
        for page in &pages {
            let html = self.page(page);
            for element in html.select(&refs) {
                let value = element.value();
                let target = value.attr("href").or_else(|| value.attr("src")).unwrap();
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let Some((file, fragment)) = resolve(page, target) else {
                    broken.push(format!("{page}: `{target}` leaves the site"));
                    continue;
                };
                if !files.contains(&file) {
                    broken.push(format!("{page}: `{target}` → missing {file}"));
                } else if let Some(fragment) = fragment {
                    let known = ids.get(&file).is_some_and(|ids| ids.contains(&fragment));
                    if !known && !fragment.is_empty() {
                        broken.push(format!("{page}: `{target}` → no #{fragment} in {file}"));
                    }
                }
            }
        }
        broken
    }
}

/// Resolves `href` found on `page` to a site-relative file and fragment, or
/// None if it climbs out of the site.
pub fn resolve(page: &str, href: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_owned())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    if path.is_empty() {
        return Some((page.to_owned(), fragment));
    }
    if path.starts_with('/') {
        return None;
    }
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some((parts.join("/"), fragment))
}

pub fn select_texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
