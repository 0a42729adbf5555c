//! Loading: the only stage that reads content files. Walks `content/sources/`
//! and `content/entities/` in sorted order, parses each file on its own (in
//! parallel), then gives every source and entity a unique, stable slug.
//!
//! Parsing is per file and linking needs all files, so they are separate
//! passes: a file's parse result depends on its bytes alone, which is what
//! makes it safe to run in parallel and to cache.

pub mod entity;
pub mod front_matter;
pub mod infer;
pub mod paragraphs;
pub mod source;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use entity::{Entity, EntityKind};
pub use paragraphs::{Paragraph, ParagraphKind};
pub use source::{Inferable, Source, SourceFormat};

use crate::cache::Cache;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::slug;

/// Everything read from `content/`, in sorted order, with unique slugs.
#[derive(Debug, Clone)]
pub struct Content {
    pub sources: Vec<Source>,
    /// The final slug of each source, in the same order.
    pub source_slugs: Vec<String>,
    pub entities: Vec<Entity>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Draft sources left out of the site.
    pub drafts: usize,
}

/// Reads and parses every source and entity under the configured content
/// folder. All problems are collected; any error fails the load.
pub fn load(root: &Path, config: &Config) -> Result<Content> {
    load_cached(root, config, &Cache::disabled())
}

/// [`load`], taking each source's parse from `cache` when its bytes have not
/// changed.
pub fn load_cached(root: &Path, config: &Config, cache: &Cache) -> Result<Content> {
    let content_dir = root.join(&config.build.content);
    if !content_dir.is_dir() {
        return Err(Error::Content(vec![Diagnostic::error(
            &config.build.content,
            "the content folder does not exist",
        )
        .with_help(format!(
            "create {0}/sources/ for articles and {0}/entities/ for the catalogue, or set [build] content in book.toml",
            config.build.content.display()
        ))]));
    }
    let mut diagnostics = Vec::new();
    let source_files = find_files(
        root,
        &content_dir.join("sources"),
        &["txt", "md"],
        &mut diagnostics,
    );
    let entity_files = find_files(
        root,
        &content_dir.join("entities"),
        &["md"],
        &mut diagnostics,
    );

    let parsed_sources: Vec<_> = source_files
        .par_iter()
        .map(|relative| read_source(root, relative, cache))
        .collect();
    let parsed_entities: Vec<_> = entity_files
        .par_iter()
        .map(|relative| read_entity(root, relative))
        .collect();

    let mut sources = Vec::new();
    for result in parsed_sources {
        match result {
            Ok((source, warnings)) => {
                diagnostics.extend(warnings);
                sources.push(source);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let mut entities = Vec::new();
    for result in parsed_entities {
        match result {
            Ok((entity, warnings)) => {
                diagnostics.extend(warnings);
                entities.push(entity);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let drafts = sources.iter().filter(|s| s.draft).count();
    sources.retain(|s| !s.draft);
    let source_slugs = assign_source_slugs(&sources, &mut diagnostics);

    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    Ok(Content {
        sources,
        source_slugs,
        entities,
        warnings: diagnostics,
        drafts,
    })
}

/// Files with one of `extensions` under `dir`, relative to `root`, sorted.
/// Hidden files and editors' backup files are skipped; symbolic links are
/// refused, since they could point outside the content folder.
fn find_files(
    root: &Path,
    dir: &Path,
    extensions: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !is_hidden(entry.file_name().to_str().unwrap_or_default()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| relative_to(root, p))
                    .unwrap_or_default();
                diagnostics.push(Diagnostic::error(path, format!("cannot read: {error}")));
                continue;
            }
        };
        let relative = relative_to(root, entry.path());
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::warning(relative, "symbolic link skipped")
                    .with_help("copy the file into the content folder instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let extension = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if extensions.contains(&extension) {
            files.push(relative);
        } else if !name.ends_with('~') {
            diagnostics.push(Diagnostic::warning(
                relative,
                format!(
                    "skipped: only {} files are read here",
                    extensions.join(" and ")
                ),
            ));
        }
    }
    files
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// `path` relative to `root`, for messages and for the export.
fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_owned()
}

fn read_file(root: &Path, relative: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(root.join(relative))
        .map_err(|error| vec![Diagnostic::error(relative, format!("cannot read: {error}"))])?;
    text::decode(&bytes, relative).map_err(|d| vec![d])
}

type Parsed<T> = std::result::Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>;

fn read_source(root: &Path, relative: &Path, cache: &Cache) -> Parsed<Source> {
    let bytes = std::fs::read(root.join(relative))
        .map_err(|error| vec![Diagnostic::error(relative, format!("cannot read: {error}"))])?;
    cache.source(relative, &bytes, || parse_source_bytes(&bytes, relative))
}

fn parse_source_bytes(bytes: &[u8], relative: &Path) -> Parsed<Source> {
    let text = text::decode(bytes, relative).map_err(|d| vec![d])?;
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::warning(relative, "empty source skipped")
            .with_help("paste the article's text into the file, or delete it")]);
    }
    source::parse_source(&text, relative)
}

fn read_entity(root: &Path, relative: &Path) -> Parsed<Entity> {
    let text = read_file(root, relative)?;
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let slug = match slug::slugify(stem) {
        empty if empty.is_empty() => slug::fallback_slug("entity", stem),
        slug => slug,
    };
    entity::parse_entity(&text, relative, slug)
}

/// Gives each source a unique slug: its front matter `slug`, else one made
/// from its title. Two sources asking for the same slug is an error; titles
/// that collide are numbered in path order, which keeps them stable.
fn assign_source_slugs(sources: &[Source], diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut requested: BTreeMap<String, &Path> = BTreeMap::new();
    let wanted: Vec<String> = sources
        .iter()
        .map(|source| {
            if let Some(asked) = &source.requested_slug {
                let slug = slug::slugify(asked);
                if !slug.is_empty() {
                    if let Some(other) = requested.insert(slug.clone(), &source.path) {
                        diagnostics.push(
                            Diagnostic::error(
                                &source.path,
                                format!("slug `{slug}` is also used by {}", other.display()),
                            )
                            .with_help("give one of the two sources a different `slug`"),
                        );
                    }
                    return slug;
                }
            }
            match slug::slugify(&source.title.value) {
                empty if empty.is_empty() => {
                    slug::fallback_slug("source", &source.path.to_string_lossy())
                }
                slug => slug,
            }
        })
        .collect();
    slug::dedupe(&wanted)
}
