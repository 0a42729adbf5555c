//! Loading: the only stage that reads content files. Walks `content/sources/`
//! and `content/entities/` in sorted order, parses each file on its own (in
//! parallel), then gives every source and entity a unique, stable slug.
//!
//! Parsing is per file and linking needs all files, so they are separate
//! passes: a file's parse result depends on its bytes alone, which is what
//! makes it safe to run in parallel and to cache.

pub mod entity;
pub mod front_matter;
pub mod highlight;
pub mod infer;
pub mod nesting;
pub mod paragraphs;
pub mod source;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use walkdir::WalkDir;

pub use entity::{Entity, EntityKind};
pub use paragraphs::{Paragraph, ParagraphKind};
pub use source::{Inferable, Source, SourceFormat};

use crate::cache::{file_key, Cache, ContentKeys};
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
    /// Errors of files left out, when loading with `keep_going`; otherwise
    /// errors fail the load and this is empty.
    pub errors: Vec<Diagnostic>,
    /// Draft sources left out of the site.
    pub drafts: usize,
}

/// How to treat bad files while loading.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Replace bytes that are not valid text by U+FFFD, with a warning,
    /// instead of refusing the file.
    pub lossy: bool,
    /// Leave out files with errors and load the rest, listing the errors in
    /// [`Content::errors`], instead of failing.
    pub keep_going: bool,
    /// Today's date, to warn about dates in the future; `None` warns never.
    pub today: Option<NaiveDate>,
}

/// Reads and parses every source and entity under the configured content
/// folder. All problems are collected; any error fails the load.
pub fn load(root: &Path, config: &Config) -> Result<Content> {
    load_with(root, config, &LoadOptions::default())
}

/// [`load`] with options for bad files.
pub fn load_with(root: &Path, config: &Config, options: &LoadOptions) -> Result<Content> {
    load_cached(root, config, options, &Cache::disabled(), None)
}

/// [`load_with`], taking each source's parse from `cache` when its bytes
/// have not changed; a file whose key `files` knows is not read then.
pub fn load_cached(
    root: &Path,
    config: &Config,
    options: &LoadOptions,
    cache: &Cache,
    files: Option<&ContentKeys>,
) -> Result<Content> {
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
        &content_dir,
        &content_dir.join("sources"),
        &["txt", "md"],
        &mut diagnostics,
    );
    let entity_files = find_files(
        root,
        &content_dir,
        &content_dir.join("entities"),
        &["md"],
        &mut diagnostics,
    );

    let parsed_sources: Vec<_> = source_files
        .par_iter()
        .map(|relative| read_source(root, relative, options, (cache, files)))
        .collect();
    let parsed_entities: Vec<_> = entity_files
        .par_iter()
        .map(|relative| read_entity(root, relative, options))
        .collect();

    let mut sources: Vec<Source> = collect_parsed(parsed_sources, &mut diagnostics);
    let entities = one_entity_per_page(
        collect_parsed(parsed_entities, &mut diagnostics),
        &mut diagnostics,
    );
    let drafts = sources.iter().filter(|s| s.draft).count();
    sources.retain(|s| !s.draft);
    let source_slugs = assign_source_slugs(&sources, &mut diagnostics);

    let (errors, warnings): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() && !options.keep_going {
        return Err(Error::Content(warnings.into_iter().chain(errors).collect()));
    }
    Ok(Content {
        sources,
        source_slugs,
        entities,
        warnings,
        errors,
        drafts,
    })
}

/// Today's date by the system clock (UTC), for diagnostics only.
pub fn today() -> Option<NaiveDate> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let days = i64::try_from(seconds / 86_400).ok()?;
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// The parsed files that are kept (in order), their diagnostics gathered.
fn collect_parsed<T>(parsed: Vec<Parsed<Option<T>>>, diagnostics: &mut Vec<Diagnostic>) -> Vec<T> {
    let mut kept = Vec::new();
    for result in parsed {
        match result {
            Ok((item, warnings)) => {
                diagnostics.extend(warnings);
                kept.extend(item);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    kept
}

/// Files with one of `extensions` under `dir`, relative to `root`, sorted.
/// Hidden files and editors' backup files are skipped. Symbolic links are
/// followed when they point inside the content folder and refused when they
/// point outside it, so a link can never publish a private file.
fn find_files(
    root: &Path,
    content_dir: &Path,
    dir: &Path,
    extensions: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    if !dir.is_dir() && !dir.is_symlink() {
        // A file where the folder should be holds nothing a build can read:
        // said, not taken for an empty folder.
        if dir.exists() {
            let relative = dir.strip_prefix(root).unwrap_or(dir);
            diagnostics.push(
                Diagnostic::error(
                    relative,
                    "this is a file, where a folder of content files is read",
                )
                .with_help("rename the file, and make a folder of that name for the content files"),
            );
        }
        return Vec::new();
    }
    let content_real = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_owned());
    let mut refused_links = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if is_hidden(entry.file_name().to_str().unwrap_or_default()) {
                return false;
            }
            if entry.path_is_symlink() {
                if let Some(refusal) = refuse_link(root, entry.path(), &content_real) {
                    refused_links.push(refusal);
                    return false;
                }
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                // A broken link fails before the filter sees it.
                if let Some(refusal) = error
                    .path()
                    .filter(|path| path.is_symlink())
                    .and_then(|path| refuse_link(root, path, &content_real))
                {
                    diagnostics.push(refusal);
                    continue;
                }
                let path = error
                    .path()
                    .map(|p| relative_to(root, p))
                    .unwrap_or_default();
                diagnostics.push(Diagnostic::error(path, format!("cannot read: {error}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = relative_to(root, entry.path());
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
    diagnostics.extend(refused_links);
    files
}

/// Why the symbolic link at `path` may not be followed, if it may not: it is
/// broken, or it leads outside the content folder.
fn refuse_link(root: &Path, path: &Path, content_real: &Path) -> Option<Diagnostic> {
    let relative = relative_to(root, path);
    match path.canonicalize() {
        Ok(target) if target.starts_with(content_real) => None,
        Ok(_) => Some(
            Diagnostic::error(
                relative,
                "symbolic link points outside the content folder: refused",
            )
            .with_help("copy the file into the content folder instead of linking to it"),
        ),
        Err(_) => Some(
            Diagnostic::warning(relative, "broken symbolic link skipped")
                .with_help("remove the link, or point it at a file inside the content folder"),
        ),
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// `path` relative to `root`, for messages and for the export.
fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_owned()
}

/// A file's text, with a warning if bad bytes were replaced.
fn read_file(
    root: &Path,
    relative: &Path,
    options: &LoadOptions,
) -> Result<(String, Option<Diagnostic>), Vec<Diagnostic>> {
    let bytes = std::fs::read(root.join(relative))
        .map_err(|error| vec![Diagnostic::error(relative, format!("cannot read: {error}"))])?;
    text::decode_with(&bytes, relative, options.lossy).map_err(|d| vec![d])
}

/// A parsed file (or `None` when it is skipped) with its warnings, or its
/// errors.
type Parsed<T> = std::result::Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>;

fn read_source(
    root: &Path,
    relative: &Path,
    options: &LoadOptions,
    (cache, files): (&Cache, Option<&ContentKeys>),
) -> Parsed<Option<Source>> {
    let path = root.join(relative);
    // A file whose key is known from its stamp is not read when the cache
    // has its parse.
    let known = files.and_then(|files| files.get(&path));
    let cached = known.and_then(|file| cache.cached_source(relative, file, options.lossy));
    if let Some((source, warnings)) = cached {
        return Ok((Some(source), warnings));
    }
    let bytes = std::fs::read(&path)
        .map_err(|error| vec![Diagnostic::error(relative, format!("cannot read: {error}"))])?;
    // Decoding and parsing depend on the bytes alone (and `--lossy`), so
    // both are cached by them.
    let parse = || {
        let (text, decoding) =
            text::decode_with(&bytes, relative, options.lossy).map_err(|d| vec![d])?;
        if text.trim().is_empty() {
            let warning = Diagnostic::warning(relative, "empty source skipped")
                .with_help("paste the article's text into the file, or delete it");
            return Ok((None, decoding.into_iter().chain([warning]).collect()));
        }
        with_decoding(
            decoding,
            source::parse_source_as_of(&text, relative, options.today),
        )
    };
    cache.source(relative, file_key(&path, &bytes), options.lossy, parse)
}

/// A parse result with the decoding's warning (if any) put first, on
/// success and on failure alike.
fn with_decoding<T>(decoding: Option<Diagnostic>, parsed: Parsed<T>) -> Parsed<Option<T>> {
    match parsed {
        Ok((value, warnings)) => Ok((Some(value), decoding.into_iter().chain(warnings).collect())),
        Err(errors) => Err(decoding.into_iter().chain(errors).collect()),
    }
}

fn read_entity(root: &Path, relative: &Path, options: &LoadOptions) -> Parsed<Option<Entity>> {
    let (text, decoding) = read_file(root, relative, options)?;
    if text.trim().is_empty() {
        let warning = Diagnostic::warning(relative, "empty entity file skipped")
            .with_help("give it front matter with a `name`, or delete it");
        return Ok((None, decoding.into_iter().chain([warning]).collect()));
    }
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let slug = match slug::slugify(stem) {
        empty if empty.is_empty() => slug::fallback_slug("entity", stem),
        slug => slug,
    };
    with_decoding(decoding, entity::parse_entity(&text, relative, slug))
}

/// Gives each source a unique slug: its front matter `slug`, else one made
/// from its title. Two sources asking for the same slug is an error. A slug
/// asked for is kept even when another source's title makes the same one:
/// it is the address the author published. Titles that collide are
/// numbered in path order, which keeps them stable.
fn assign_source_slugs(sources: &[Source], diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut requested: BTreeMap<String, &Path> = BTreeMap::new();
    // Each source's slug, and whether it holds it as asked for.
    let wanted: Vec<(String, bool)> = sources
        .iter()
        .map(|source| {
            let asked = (source.requested_slug.as_deref())
                .map(slug::slugify)
                .filter(|slug| !slug.is_empty());
            match asked {
                Some(slug) => match requested.get(&slug) {
                    Some(other) => {
                        diagnostics.push(
                            Diagnostic::error(
                                &source.path,
                                format!("slug `{slug}` is also used by {}", other.display()),
                            )
                            .with_help("give one of the two sources a different `slug`"),
                        );
                        (slug, false)
                    }
                    None => {
                        requested.insert(slug.clone(), &source.path);
                        (slug, true)
                    }
                },
                None => match slug::slugify(&source.title.value) {
                    empty if empty.is_empty() => (
                        slug::fallback_slug("source", &source.path.to_string_lossy()),
                        false,
                    ),
                    slug => (slug, false),
                },
            }
        })
        .collect();
    let to_number: Vec<Option<String>> = (wanted.iter())
        .map(|(slug, held)| (!held).then(|| slug.clone()))
        .collect();
    let mut numbered = slug::dedupe_around(&to_number, &requested).into_iter();
    (wanted.into_iter())
        .map(|(slug, held)| match held {
            true => slug,
            false => numbered.next().unwrap_or_default(),
        })
        .collect()
}

/// The catalogue with one entity per page name. Page names come from file
/// names, and two files can make the same one (`Hama.md` and `hama.md`,
/// `türkiye.md` and `turkiye.md`): the second would overwrite the first's
/// page and take its links, so it is an error and left out.
fn one_entity_per_page(entities: Vec<Entity>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entity> {
    let mut pages: BTreeMap<String, PathBuf> = BTreeMap::new();
    entities
        .into_iter()
        .filter(|entity| match pages.get(&entity.slug) {
            Some(first) => {
                diagnostics.push(
                    Diagnostic::error(
                        &entity.path,
                        format!(
                            "entities/{}.html would be the page of both this file and {}",
                            entity.slug,
                            first.display()
                        ),
                    )
                    .with_help(
                        "rename one of the two files: an entity's page is named after its file",
                    ),
                );
                false
            }
            None => {
                pages.insert(entity.slug.clone(), entity.path.clone());
                true
            }
        })
        .collect()
}
