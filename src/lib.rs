//! dossier turns a folder of news articles into a cross-referenced dossier
//! website: a page per source, a page per entity, and an index tying them
//! together.
//!
//! The pipeline follows the data: `config` → `content` (load) → `analysis`
//! (per source, in parallel) → `site` (link across sources) → `render`,
//! which hands each page to `output` (the only writer) as soon as it is
//! made. [`build`] runs it end to end.

// Diagnostics are returned on the cold path only, and carry the context a
// user needs; boxing them would buy nothing measurable.
#![allow(clippy::result_large_err)]

/// `print!`, `println!`, `eprint!` and `eprintln!` that never panic: a
/// reader gone from the other end of a pipe (`dossier entities suggest |
/// head`) ends the output, not the program, which finishes its work and
/// exits as it would have.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::write_quietly(&mut ::std::io::stdout(), format_args!($($arg)*)) };
}
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::out!("{}\n", format_args!($($arg)*)) };
}
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::write_quietly(&mut ::std::io::stderr(), format_args!($($arg)*)) };
}
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::err!("{}\n", format_args!($($arg)*)) };
}

#[doc(hidden)]
pub fn write_quietly(stream: &mut dyn std::io::Write, text: std::fmt::Arguments) {
    let _ = stream.write_fmt(text);
}

pub mod analysis;
pub mod cache;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod export;
pub mod init;
pub mod output;
pub mod progress;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
pub mod suggest;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::analysis::Matcher;
use crate::cache::{AlignmentMemo, Cache, CacheStats, PageMemo};
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
    /// Show a spinner naming the stage under way (on a terminal only).
    pub progress: bool,
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
    /// Files whose bytes changed, were added or removed since the last build.
    pub pages_changed: usize,
    /// The time of each stage, in pipeline order.
    pub stages: Vec<(&'static str, Duration)>,
    pub cache: CacheStats,
}

/// Builds the dossier at `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Result<Report> {
    // A build from the cache, even one with nothing to do, turns huge pages
    // off from the start; a build that parses its sources afresh, once they
    // are loaded (see `keep_memory_in_small_pages`).
    if cache::ContentKeys::recorded(root) {
        keep_memory_in_small_pages();
    }
    // One build of a dossier at a time: `serve` rebuilding while a build
    // was run by hand would write the same cache and output folder.
    let _only_build = (!options.check_only).then(|| lock_dossier(root, options.progress));
    let mut stages = progress::Stages::start(options.progress, "reading content");
    let config = load_config(root, options)?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.build.output));
    let theme = render::load_theme(root, &config.dossier.theme)?;
    let inputs = inputs_key(root, &config, &theme, &output, options);
    if !options.check_only {
        output::recover(&output)?;
    }
    if let Some((key, files)) = &inputs {
        if let Some(summary) = cache::unchanged_site(root, &output, *key) {
            files.save(root);
            return Ok(Report::new(summary, output, stages, Default::default()));
        }
    }
    let cache = Cache::open(root);
    // The last build's memos are read while the content loads.
    let memos = (!options.check_only).then(|| {
        let (root, output) = (root.to_owned(), output.clone());
        std::thread::spawn(move || (AlignmentMemo::open(&root), PageMemo::open(&root, &output)))
    });
    let files = inputs.as_ref().map(|(_, files)| &files.keys);
    let (tera, content) =
        load_templates_and_content(root, &config, &theme, options, &cache, files)?;
    let mut warnings = content.warnings.clone();
    let mut left_out = content.errors.clone();
    let drafts = content.drafts;
    keep_memory_in_small_pages();
    stages.finish("load", "analysing sources");

    let (matcher, matcher_warnings) = Matcher::new(&content.entities);
    warnings.extend(matcher_warnings);
    let language = &config.dossier.language;
    let stop_words = analysis::terms::stop_words(language);
    let context = cache::AnalysisContext::new(&content.entities, language);
    let analysed = stages.count(content.sources.len());
    let analyses: Vec<_> = (content.sources.par_iter())
        .map(|source| {
            let analysis = cache.analysis(
                source,
                context,
                || analysis::analyse_names(source, &matcher),
                || analysis::analyse_text(source, &stop_words),
            );
            analysed.done();
            analysis
        })
        .collect();
    warnings.extend(catalogue::check(&content.entities, &analyses));
    stages.finish("analyse", "linking");
    let (alignments, memo) = match memos.map(std::thread::JoinHandle::join) {
        None => (AlignmentMemo::disabled(), PageMemo::disabled()),
        Some(Ok(memos)) => memos,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
    };
    let site = site::link(config, content, analyses, &alignments, &cache);
    warnings.extend(render::feeds::missing_base_url_warning(&site.config));
    stages.finish("link", "rendering pages");
    // Pages go to the output's writer as they are rendered; nothing in the
    // output changes before the commit below.
    output::check_output_folder(&output, root, &root.join(&site.config.build.content))?;
    let writer = match options.check_only {
        true => None,
        false => Some(output::SiteWriter::open(&output)?),
    };
    let sink: &dyn render::PageSink = match &writer {
        Some(writer) => writer,
        None => &render::Discard,
    };
    let rendered = stages.count_share(render::tasks(&site));
    let failed_pages = render::render_site_partial(&site, &tera, &theme, &memo, sink, &rendered)?;
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
    // `check` writes nothing: its last stage is only named for the line.
    let last = if options.check_only {
        "finishing"
    } else {
        "writing"
    };
    stages.finish("render", last);

    let written = match writer {
        None => output::Written::default(),
        Some(writer) => writer.commit()?,
    };
    if !left_out.is_empty() {
        let problems = warnings.into_iter().chain(left_out).collect();
        return Err(match options.check_only {
            true => Error::Content(problems),
            false => Error::Incomplete {
                written: written.files,
                output,
                problems,
            },
        });
    }
    let summary = cache::Summary {
        files: written.files,
        sources: site.sources.len(),
        entities: site.entities.len(),
        mentions: site.mention_count(),
        drafts,
        warnings,
    };
    if let Some((inputs, files)) = inputs {
        // The cache's files, each written whole and read by nothing else
        // here: side by side.
        rayon::join(
            || {
                rayon::join(|| cache.save(), || alignments.save());
                files.save(root);
            },
            || {
                // Made once, for both records of what the output holds.
                let stamps = memo.site_stamps(&written.kept, &written.wrote);
                memo.save(&stamps);
                cache::record_site(root, inputs, stamps, summary.clone());
            },
        );
    }
    let stats = CacheStats {
        passages_updated: alignments.updated(),
        pages_reused: memo.reused(),
        pages_rendered: memo.rendered(),
        ..cache.stats()
    };
    // Freeing the dossier's data is millions of small frees, a twentieth of
    // a rebuild at ten thousand sources, and nothing waits for it: a thread
    // of its own does it, cut short when a one-off build's process ends.
    std::thread::spawn(move || drop((site, cache, alignments, memo)));
    stages.finish("write", "");
    Ok(Report::new(summary, output, stages, stats).changed(written))
}

/// The fingerprint of everything a build reads, for builds that write, with
/// the keys of the content files to record for the next build. Whatever a
/// build reads must be in it (settings, theme, content), or a change to it
/// would be missed by the short cut for unchanged inputs.
fn inputs_key(
    root: &Path,
    config: &Config,
    theme: &render::Theme,
    output: &Path,
    options: &BuildOptions,
) -> Option<(cache::Key, cache::ContentFiles)> {
    // `--strict`, `--lossy` and `--keep-going` change what a build reports.
    let flags = (options.strict, options.lossy, options.keep_going);
    let settings = format!("{config:?}\n{output:?}\n{flags:?}");
    let content = root.join(&config.build.content);
    (!options.check_only).then(|| {
        let known = cache::ContentKeys::open(root);
        let (key, keys) = cache::inputs_key(&content, theme, &settings, &known);
        (key, cache::ContentFiles { known, keys })
    })
}

/// Transparent huge pages make memory the allocator touches here and there
/// resident two megabytes at a time: a full build of a thousand sources
/// held 150 MB for 50 MB of data. On a virtual machine their cost is a
/// gamble too: touching 330 MB of fresh memory took 0.05 s to 0.96 s from
/// one run to the next with them, 0.13 s to 0.23 s without. A rebuild from
/// the cache, which fills most of its memory as it loads, was steadier and
/// quicker with them off from the start; a build that parses every source
/// afresh was a tenth quicker with them on while it loads, off after.
#[cfg(target_os = "linux")]
fn keep_memory_in_small_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes nothing
    // but how the kernel backs this process's memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn keep_memory_in_small_pages() {}

/// Waits until no other build of the dossier at `root` runs, and keeps
/// others waiting until the returned folder handle is dropped: an advisory
/// lock on the root folder, which, unlike a lock file, cannot be left behind
/// or deleted with the cache. Where locks are not supported, nothing waits.
#[cfg(target_os = "linux")]
fn lock_dossier(root: &Path, say_waiting: bool) -> Option<std::fs::File> {
    use std::os::fd::AsRawFd;
    let folder = std::fs::File::open(root).ok()?;
    // SAFETY: flock takes a descriptor that `folder` keeps open, and flags.
    let lock = |flags| unsafe { libc::flock(folder.as_raw_fd(), flags) } == 0;
    if !lock(libc::LOCK_EX | libc::LOCK_NB) {
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EWOULDBLOCK) {
            return None;
        }
        if say_waiting {
            crate::errln!("waiting for another build of this dossier to finish");
        }
        if !lock(libc::LOCK_EX) {
            return None;
        }
    }
    Some(folder)
}

#[cfg(not(target_os = "linux"))]
fn lock_dossier(_root: &Path, _say_waiting: bool) -> Option<std::fs::File> {
    None
}

/// Reads `book.toml`, with the command line's overrides.
pub(crate) fn load_config(root: &Path, options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.dossier.base_url = Some(base_url.clone());
        config.validate(Path::new("--base-url")).map_err(|_| {
            Error::Usage(format!(
                "--base-url `{base_url}` is not an absolute http(s) URL without ? or #, e.g. https://user.github.io/repo/"
            ))
        })?;
    }
    Ok(config)
}

impl Report {
    fn new(
        summary: cache::Summary,
        output: PathBuf,
        stages: progress::Stages,
        cache: CacheStats,
    ) -> Report {
        let (stages, elapsed) = stages.end();
        Report {
            pages_written: summary.files,
            sources: summary.sources,
            entities: summary.entities,
            mentions: summary.mentions,
            drafts: summary.drafts,
            warnings: summary.warnings,
            output,
            elapsed,
            pages_changed: 0,
            stages,
            cache,
        }
    }

    fn changed(mut self, written: output::Written) -> Report {
        self.pages_changed = written.changed + written.removed;
        self
    }
}

/// Compiles the theme's templates and loads the content, side by side,
/// reporting the problems of both together when both have some.
fn load_templates_and_content(
    root: &Path,
    config: &Config,
    theme: &render::Theme,
    options: &BuildOptions,
    cache: &Cache,
    files: Option<&cache::ContentKeys>,
) -> Result<(tera::Tera, content::Content)> {
    // Compiling the templates here reports their errors (on the template's
    // own file and line) together with the content's.
    let load_options = content::LoadOptions {
        lossy: options.lossy,
        keep_going: options.keep_going,
        today: content::today(),
    };
    let (templates, content) = rayon::join(
        || render::compile_templates(theme),
        || content::load_cached(root, config, &load_options, cache, files),
    );
    match (templates, content) {
        (Ok(tera), Ok(content)) => Ok((tera, content)),
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_build_of_a_dossier_waits_for_the_first() {
        let root = tempfile::tempdir().unwrap();
        let first = lock_dossier(root.path(), false).expect("the lock is taken");
        let (done, finished) = mpsc::channel();
        let path = root.path().to_owned();
        let second = std::thread::spawn(move || {
            let lock = lock_dossier(&path, false);
            done.send(()).unwrap();
            lock.is_some()
        });
        assert!(
            finished.recv_timeout(Duration::from_millis(300)).is_err(),
            "the second build went ahead while the first held the dossier"
        );
        drop(first);
        finished
            .recv_timeout(Duration::from_secs(10))
            .expect("the second build goes ahead once the first is done");
        assert!(second.join().unwrap());
    }
}
