//! dossier turns a folder of news articles into a cross-referenced dossier
//! website: a page per source, a page per entity, and an index tying them
//! together.
//!
//! The pipeline follows the data: `config` → `content` (load) → `analysis`
//! (per source, in parallel) → `site` (link across sources) → `render` →
//! `output` (the only writer). [`build`] runs it end to end.

// Diagnostics are returned on the cold path only, and carry the context a
// user needs; boxing them would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod export;
pub mod init;
pub mod output;
pub mod render;
pub mod site;
pub mod slug;
pub mod suggest;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analysis::Matcher;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};

/// What a build is asked to do beyond `book.toml`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder, overriding `[build] output` (relative to the current
    /// directory when given on the command line).
    pub output: Option<PathBuf>,
    /// Overrides `[dossier] base_url`.
    pub base_url: Option<String>,
    /// Run every stage but write nothing (`dossier check`).
    pub check_only: bool,
    /// Fail on warnings as on errors (`--strict`).
    pub strict: bool,
    /// Replace bytes that are not valid text, with a warning (`--lossy`).
    pub lossy: bool,
    /// Write every page that can be written, leaving out bad files and pages
    /// that fail to render; the build still fails (`--keep-going`).
    pub keep_going: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct Report {
    pub pages_written: usize,
    pub sources: usize,
    pub entities: usize,
    pub mentions: usize,
    pub drafts: usize,
    pub warnings: Vec<Diagnostic>,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// Builds the dossier at `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Result<Report> {
    let started = Instant::now();
    let mut config = Config::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.dossier.base_url = Some(base_url.clone());
        config.validate(Path::new("--base-url")).map_err(|_| {
            Error::Usage(format!(
                "--base-url `{base_url}` is not an absolute http(s) URL, e.g. https://user.github.io/repo/"
            ))
        })?;
    }
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.build.output));
    let (theme, content) = load_theme_and_content(root, &config, options)?;
    let mut warnings = content.warnings.clone();
    let mut left_out = content.errors.clone();
    let drafts = content.drafts;

    let (matcher, matcher_warnings) = Matcher::new(&content.entities);
    warnings.extend(matcher_warnings);
    let analyses: Vec<_> = content
        .sources
        .par_iter()
        .map(|source| analysis::analyse(source, &matcher))
        .collect();
    warnings.extend(catalogue::check(&content.entities, &analyses));
    let site = site::link(config, content, analyses);
    warnings.extend(render::feeds::missing_base_url_warning(&site.config));
    let (pages, failed_pages) = render::render_site_partial(&site, &theme)?;
    for (page, error) in failed_pages {
        if !options.keep_going {
            return Err(error);
        }
        let page = output.join(page);
        left_out.extend(error.into_diagnostics(&page).into_iter().map(|mut d| {
            d.message = format!("page not written: {}", d.message);
            d
        }));
    }
    if options.strict && !warnings.is_empty() {
        return Err(Error::Content(
            warnings.into_iter().map(error::promote).collect(),
        ));
    }

    let content_dir = root.join(&site.config.build.content);
    output::check_output_folder(&output, root, &content_dir)?;
    let pages_written = if options.check_only {
        0
    } else {
        output::write_site(&output, &pages)?
    };
    if !left_out.is_empty() && options.check_only {
        return Err(Error::Content(
            warnings.into_iter().chain(left_out).collect(),
        ));
    }
    if !left_out.is_empty() {
        return Err(Error::Incomplete {
            written: pages_written,
            output,
            problems: warnings.into_iter().chain(left_out).collect(),
        });
    }
    Ok(Report {
        pages_written,
        sources: site.sources.len(),
        entities: site.entities.len(),
        mentions: site.mention_count(),
        drafts,
        warnings,
        output,
        elapsed: started.elapsed(),
    })
}

/// Loads the theme (compiling its templates) and the content, reporting the
/// problems of both together when both have some.
fn load_theme_and_content(
    root: &Path,
    config: &Config,
    options: &BuildOptions,
) -> Result<(render::Theme, content::Content)> {
    // Compiling the templates here reports their errors (on the template's
    // own file and line) together with the content's.
    let theme = render::load_theme(root, &config.dossier.theme)
        .and_then(|theme| render::compile_templates(&theme).map(|_| theme));
    let load_options = content::LoadOptions {
        lossy: options.lossy,
        keep_going: options.keep_going,
        today: content::today(),
    };
    let content = content::load_with(root, config, &load_options);
    match (theme, content) {
        (Ok(theme), Ok(content)) => Ok((theme, content)),
        (Err(theme_error), Err(content_error)) => {
            let mut diagnostics = content_error.into_diagnostics(Path::new("content"));
            diagnostics.extend(theme_error.into_diagnostics(Path::new("templates")));
            Err(Error::Content(diagnostics))
        }
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
    }
}

/// The folder holding `book.toml`: `start` or the nearest folder above it.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(config::CONFIG_FILE).is_file())
        .map(Path::to_owned)
}
