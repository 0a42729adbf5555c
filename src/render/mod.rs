//! Rendering: the linked site turned into pages with Tera templates, in
//! parallel. Each page goes to a [`PageSink`] as soon as it is rendered
//! (the output's writer, in a build), so the site is never all in memory.

pub mod crossref;
pub mod date_text;
pub mod escape;
pub mod feeds;
mod filters;
pub mod hosting;
pub mod network;
pub mod paginate;
pub mod paragraph;
pub mod passages;
pub mod print;
pub mod quotes;
pub mod quotes_dates;
pub mod search;
pub mod template_error;
pub mod theme;
pub mod timeline;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use std::sync::Mutex;

use crate::cache::{key_of, Key, Memoized, PageMemo};
use crate::error::{Error, Result};
use crate::progress::Counter;
use crate::site::Site;

use crossref::CrossrefPage;
use paginate::{page_count, page_path, page_range, Pagination};
pub use theme::{load_theme, Theme};
use views::{
    entities_by_kind, Counts, EntityPage, EntitySummary, SiteView, SourceSummary, SourceViews,
};

/// A file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// How a part of a page made only when the page is rendered serialises:
/// for a template, as its markup, made now; for the page memo's key, as
/// `inputs`, what the markup is made from, so an unchanged page is known
/// without making it.
pub fn markup_or_inputs<S: serde::Serializer, K: Serialize>(
    serializer: S,
    markup: impl FnOnce() -> String,
    inputs: impl FnOnce() -> K,
) -> std::result::Result<S::Ok, S::Error> {
    match serializer.is_human_readable() {
        true => serializer.serialize_str(&markup()),
        false => inputs().serialize(serializer),
    }
}

/// Bytes set aside for a page as it is rendered: most pages fit.
const PAGE_CAPACITY: usize = 32 * 1024;

/// Entities shown on the front page.
const FRONT_PAGE_ENTITIES: usize = 12;

/// Compiles the theme's templates. A template with a syntax error is named
/// with its file.
pub fn compile_templates(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    let mut templates = Vec::new();
    for (name, file) in &theme.templates {
        let text = String::from_utf8(file.bytes.clone()).map_err(|_| {
            Error::other(format!(
                "template {} is not UTF-8 text",
                file.origin.display()
            ))
        })?;
        templates.push((name.clone(), text));
    }
    tera.add_raw_templates(templates)
        .map_err(|error| template_error::compile_error(&error, theme))?;
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    tera.set_escape_fn(escape::escape_html);
    filters::register(&mut tera);
    Ok(tera)
}

/// Where rendered files go.
pub trait PageSink: Sync {
    /// A file of the site, rendered this build.
    fn put(&self, page: Page) -> Result<()>;
    /// A page the output holds as the previous build wrote it, unchanged.
    fn keep(&self, path: &str) -> Result<()>;
    /// A file made piece by piece by `write`, for files too large to hold
    /// in memory whole (the exports of a large dossier). No default: a sink
    /// that passes files on must pass this on too, not gather the file.
    fn put_streamed(&self, path: &str, write: &mut StreamFn<'_>) -> Result<()>;
}

/// Writes a file's bytes to the writer it is given.
pub type StreamFn<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

impl PageSink for crate::output::SiteWriter {
    fn put(&self, page: Page) -> Result<()> {
        crate::output::SiteWriter::put(self, &page.path, page.bytes)
    }

    fn keep(&self, path: &str) -> Result<()> {
        crate::output::SiteWriter::keep(self, path)
    }

    fn put_streamed(&self, path: &str, write: &mut StreamFn<'_>) -> Result<()> {
        crate::output::SiteWriter::put_streamed(self, path, write)
    }
}

/// A sink that drops every page: `dossier check` renders to find errors.
pub struct Discard;

impl PageSink for Discard {
    fn put(&self, _: Page) -> Result<()> {
        Ok(())
    }

    fn keep(&self, _: &str) -> Result<()> {
        Ok(())
    }

    fn put_streamed(&self, path: &str, write: &mut StreamFn<'_>) -> Result<()> {
        write(&mut std::io::sink())
            .map_err(|e| Error::with_cause(format!("cannot write {path}"), e))
    }
}

/// A sink that keeps the pages, for [`render_site`].
#[derive(Default)]
struct Collect(Mutex<Vec<Page>>);

impl PageSink for Collect {
    fn put(&self, page: Page) -> Result<()> {
        self.0
            .lock()
            .expect("no panic while holding the lock")
            .push(page);
        Ok(())
    }

    fn keep(&self, path: &str) -> Result<()> {
        Err(Error::other(format!(
            "`{path}` cannot be kept: nothing was written before"
        )))
    }

    /// Gathered whole: this sink keeps every page in memory anyway.
    fn put_streamed(&self, path: &str, write: &mut StreamFn<'_>) -> Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| Error::with_cause(format!("cannot write {path}"), e))?;
        self.put(Page {
            path: path.to_owned(),
            bytes,
        })
    }
}

/// Renders every page of the site, plus the theme's static files, sorted by
/// path.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Vec<Page>> {
    let tera = compile_templates(theme)?;
    let collect = Collect::default();
    let memo = PageMemo::disabled();
    let failures = render_site_partial(site, &tera, theme, &memo, &collect, &Counter::none())?;
    if let Some((_, error)) = failures.into_iter().next() {
        return Err(error);
    }
    let mut pages = collect
        .0
        .into_inner()
        .expect("no panic while holding the lock");
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
}

/// A page that could not be rendered: its path and why.
pub type PageFailure = (String, Error);

/// The pages about the whole dossier, rendered each list as a task.
const SITE_PAGE_TASKS: usize = 7;

/// The tasks [`render_site_partial`] reports done, one by one: each list of
/// pages about the whole dossier, each source, each entity (with all its
/// pages), the exports and the search index.
pub fn tasks(site: &Site) -> usize {
    SITE_PAGE_TASKS + site.sources.len() + site.entities.len() + 2
}

/// Renders every page that can be rendered into `sink` with `tera`, the
/// theme's templates compiled, returning the path and failure of each page
/// that could not, for `--keep-going`. Pages whose view did not change since
/// the last build are kept as they are, by `memo`. An error of the sink (a
/// file that cannot be written) stops the rendering. Each of the [`tasks`]
/// is reported to `done` as it ends.
pub fn render_site_partial(
    site: &Site,
    tera: &Tera,
    theme: &Theme,
    memo: &PageMemo,
    sink: &dyn PageSink,
    done: &Counter,
) -> Result<Vec<PageFailure>> {
    let site_view = SiteView::new(site);
    let counts = Counts::new(site);
    let (keys, mention_keys) = source_keys(site);
    let source_views = SourceViews {
        summaries: site.sources.par_iter().map(SourceSummary::new).collect(),
        keys,
        mention_keys,
    };
    let renderer = Renderer {
        tera,
        site_view: &site_view,
        counts: &counts,
        source_count: SourceCount {
            sources: site.sources.len(),
        },
        theme,
        memo,
        sink,
        paths: Mutex::default(),
        shared_key: shared_key(theme, &site_view),
        sources: &source_views,
    };

    let per_page = site.config.build.paginate_by;
    // The pages about the whole dossier, each list a task of its own.
    let site_pages: [&(dyn Fn() -> Emitted + Sync); SITE_PAGE_TASKS] = [
        &|| renderer.emit_one("index.html", renderer.front_page(site)),
        &|| {
            let groups = entities_by_kind(site);
            let view = EntitiesList { groups };
            let page = renderer.page("entities.html", "entities.html", "", "entities", &view);
            renderer.emit_one("entities.html", page)
        },
        &|| renderer.emit_one("404.html", renderer.not_found(site)),
        &|| renderer.emit_one("print.html", renderer.print_page(site)),
        &|| renderer.source_lists(site, per_page),
        &|| renderer.timeline_pages(site),
        &|| renderer.crossref_pages(site, per_page),
    ];

    let order = site.sources_by_date();
    let mut rank = vec![0; order.len()];
    for (position, &index) in order.iter().enumerate() {
        rank[index] = position;
    }
    // The exports are written by one thread from start to end, and the
    // search index is merged by another: both are made alongside the pages,
    // not after them.
    let (pages, (exported, indexed)) = rayon::join(
        || -> Result<Vec<PageFailure>> {
            let list_failures = site_pages
                .par_iter()
                .map(|list| list())
                .inspect(|_| done.done())
                .collect::<Result<Vec<_>>>()?;
            let source_failures =
                failures(order.par_iter().enumerate().map(|(position, &index)| {
                    // Previous and next follow the list order: newest first.
                    let previous = position.checked_sub(1).map(|p| order[p]);
                    let next = order.get(position + 1).copied();
                    let view = quotes_dates::SourceWithQuotes::new(
                        site,
                        &source_views,
                        index,
                        (previous, next),
                    );
                    let path = views::source_path(&site.sources[index]);
                    let page = renderer.page(&path, "source.html", "../", "sources", &view);
                    let emitted = renderer.emit(path, page);
                    done.done();
                    emitted
                }))?;
            let entity_failures = (0..site.entities.len())
                .into_par_iter()
                .map(|index| renderer.entity_pages(site, index, &rank, per_page))
                .inspect(|_| done.done())
                .collect::<Result<Vec<_>>>()?;
            Ok(list_failures
                .into_iter()
                .flatten()
                .chain(source_failures)
                .chain(entity_failures.into_iter().flatten())
                .collect())
        },
        || {
            rayon::join(
                || {
                    let exported =
                        crate::export::export_site(site, &renderer, memo, &source_views.keys);
                    done.done();
                    exported
                },
                || {
                    let indexed = search::write_index(site, &|file| renderer.put_file(file));
                    done.done();
                    indexed
                },
            )
        },
    );
    let failures = pages?;
    exported?;
    indexed?;

    let mut files = Vec::new();
    for (path, css) in crate::content::highlight::stylesheets() {
        // A theme may ship its own syntax colours.
        if !theme.statics.contains_key(path) {
            files.push(Page {
                path: path.to_owned(),
                bytes: css.into_bytes(),
            });
        }
    }
    for (path, file) in &theme.statics {
        files.push(Page {
            path: path.clone(),
            bytes: file.bytes.clone(),
        });
    }
    // GitHub Pages would otherwise run Jekyll, which hides some files.
    files.push(Page {
        path: ".nojekyll".to_owned(),
        bytes: Vec::new(),
    });
    files.extend(hosting::custom_domain(site));
    files
        .into_par_iter()
        .try_for_each(|file| renderer.put_file(file))?;
    let paths = std::mem::take(
        &mut *renderer
            .paths
            .lock()
            .expect("no panic while holding the lock"),
    );
    for feed in feeds::feed_pages(site, &paths) {
        renderer.put_file(feed)?;
    }
    Ok(failures)
}

/// What went wrong with pages handed to the sink as each was rendered: a
/// series of hundreds of pages is not held in memory whole.
type Emitted = Result<Vec<PageFailure>>;

/// The pages that failed among those emitted, as [`Renderer::emit`] returns
/// them, in order.
fn failures(emitted: impl ParallelIterator<Item = Result<Option<PageFailure>>>) -> Emitted {
    let emitted = emitted.collect::<Result<Vec<_>>>()?;
    Ok(emitted.into_iter().flatten().collect())
}

struct Renderer<'a> {
    tera: &'a Tera,
    site_view: &'a SiteView,
    counts: &'a Counts,
    source_count: SourceCount,
    /// Where each template came from, to name its file in errors.
    theme: &'a Theme,
    memo: &'a PageMemo,
    sink: &'a dyn PageSink,
    /// Every page sent to the sink, for the sitemap.
    paths: Mutex<Vec<String>>,
    /// What every page depends on: the templates and the site-wide view.
    shared_key: Key,
    /// What pages show of each source wherever they list it.
    sources: &'a SourceViews,
}

fn shared_key(theme: &Theme, site_view: &SiteView) -> Key {
    let templates: Vec<(&String, &Vec<u8>)> = theme
        .templates
        .iter()
        .map(|(name, file)| (name, &file.bytes))
        .collect();
    key_of(key_of(Key::default(), &templates), site_view)
}

/// The key of each source's own content, for what is made from one source
/// alone (its parts of the exports, its snippets on entity pages): the
/// source, its id and its mentions, with the ids and kinds of the entities
/// they name.
///
/// Also the key of its mentions alone, with its id and the entities' ids and
/// kinds: what the matrix shows of it, which an edit of its text leaves as
/// it is unless a mention moves.
fn source_keys(site: &Site) -> (Vec<Key>, Vec<Key>) {
    let entities: Vec<(&str, crate::content::EntityKind)> = site
        .entities
        .iter()
        .map(|e| (e.entity.slug.as_str(), e.entity.kind))
        .collect();
    let catalogue = key_of(Key::default(), &entities);
    site.sources
        .par_iter()
        .map(|s| {
            // Mentions are many and plain numbers: keyed as raw bytes.
            let mut mentions = Vec::with_capacity(s.analysis.mentions.len() * 32);
            for m in &s.analysis.mentions {
                for n in [m.entity, m.paragraph, m.start, m.end] {
                    mentions.extend_from_slice(&(n as u64).to_le_bytes());
                }
            }
            let source = key_of(catalogue, &(&s.slug, &s.source));
            let id = key_of(catalogue, &s.slug);
            (
                Key::combine(&[&source.to_bytes(), &mentions]),
                Key::combine(&[&id.to_bytes(), &mentions]),
            )
        })
        .unzip()
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct SourcesList<'a> {
    sources: &'a [&'a SourceSummary],
    pagination: Pagination,
}

/// A page of a paginated series: the view with its place in the series.
#[derive(Serialize)]
struct Paged<'a, T> {
    #[serde(flatten)]
    view: &'a T,
    pagination: Pagination,
}

/// A view with the dossier's totals, for the pages that show them.
#[derive(Serialize)]
struct Counted<'a, T, C = Counts> {
    #[serde(flatten)]
    view: &'a T,
    counts: &'a C,
}

/// The one total the pages of a paginated series show: how many sources
/// there are. The others are left out, or each of hundreds of pages would
/// be rendered again whenever a source gained a paragraph or a mention.
#[derive(Serialize)]
struct SourceCount {
    sources: usize,
}

#[derive(Serialize)]
struct EntitiesList {
    groups: Vec<views::KindGroup>,
}

#[derive(Serialize)]
struct FrontPage<'a> {
    /// The newest sources, at most a page of them.
    sources: Vec<&'a SourceSummary>,
    /// All sources, for the link to the full list.
    total_sources: usize,
    main_entities: Vec<EntitySummary>,
    groups: Vec<views::KindGroup>,
}

/// The renderer passes every file on to its sink, noting its path.
impl PageSink for Renderer<'_> {
    fn put(&self, page: Page) -> Result<()> {
        let path = page.path.clone();
        self.sink.put(page)?;
        self.record(path);
        Ok(())
    }

    fn keep(&self, path: &str) -> Result<()> {
        self.sink.keep(path)?;
        self.record(path.to_owned());
        Ok(())
    }

    /// Passed on, not gathered here: the exports of a large dossier are
    /// hundreds of megabytes.
    fn put_streamed(&self, path: &str, write: &mut StreamFn<'_>) -> Result<()> {
        self.sink.put_streamed(path, write)?;
        self.record(path.to_owned());
        Ok(())
    }
}

impl Renderer<'_> {
    /// Notes that the site has a file at `path`.
    fn record(&self, path: String) {
        self.paths
            .lock()
            .expect("no panic while holding the lock")
            .push(path);
    }

    /// Hands on a file made whole outside the templates (the search index,
    /// the theme's static files, the feeds), kept as the output has it when
    /// it holds these bytes from the last build: hundreds of files of the
    /// search index are not read back to be compared on every build.
    fn put_file(&self, file: Page) -> Result<()> {
        match self.memo.file_unchanged(&file.path, &file.bytes) {
            true => self.keep(&file.path),
            false => self.put(file),
        }
    }

    /// [`Renderer::emit`] for a page alone.
    fn emit_one(&self, path: &str, page: Result<Memoized>) -> Emitted {
        Ok(self.emit(path.to_owned(), page)?.into_iter().collect())
    }

    /// Hands a rendered page to the sink; a page that failed to render is
    /// returned, to be reported.
    fn emit(&self, path: String, page: Result<Memoized>) -> Result<Option<PageFailure>> {
        match page {
            Ok(Memoized::Unchanged) => self.keep(&path)?,
            Ok(Memoized::Rendered(bytes)) => self.put(Page { path, bytes })?,
            Err(error) => return Ok(Some((path, error))),
        }
        Ok(None)
    }

    fn front_page(&self, site: &Site) -> Result<Memoized> {
        let view = FrontPage {
            sources: site
                .sources_by_date()
                .into_iter()
                .take(site.config.build.paginate_by)
                .map(|i| &self.sources.summaries[i])
                .collect(),
            total_sources: site.sources.len(),
            main_entities: site
                .entities_by_prominence()
                .into_iter()
                .map(|i| &site.entities[i])
                .filter(|e| e.mention_count > 0)
                .take(FRONT_PAGE_ENTITIES)
                .map(EntitySummary::new)
                .collect(),
            groups: entities_by_kind(site),
        };
        self.page("index.html", "index.html", "", "home", &self.counted(&view))
    }

    /// The list of sources, newest first, a page of them at a time.
    fn source_lists(&self, site: &Site, per_page: usize) -> Emitted {
        let sources: Vec<&SourceSummary> = site
            .sources_by_date()
            .into_iter()
            .map(|i| &self.sources.summaries[i])
            .collect();
        let total = page_count(sources.len(), per_page);
        let emitted = (1..=total).into_par_iter().map(|number| {
            let view = SourcesList {
                sources: &sources[page_range(sources.len(), per_page, number)],
                pagination: Pagination::new("sources.html", number, total),
            };
            let path = page_path("sources.html", number);
            let view = self.with_source_count(&view);
            let page = self.page(&path, "sources.html", "", "sources", &view);
            self.emit(path, page)
        });
        failures(emitted)
    }

    /// The timeline, a page of days at a time.
    fn timeline_pages(&self, site: &Site) -> Emitted {
        let emitted = (1..=timeline::TimelinePage::page_count(site))
            .into_par_iter()
            .map(|number| {
                let path = page_path(timeline::TIMELINE_PAGE, number);
                let view = timeline::TimelinePage::new(site, &self.sources.keys, number);
                let page = self.page(&path, "timeline.html", "", "timeline", &view);
                self.emit(path, page)
            });
        failures(emitted)
    }

    /// The cross-reference index: the A–Z index, shared text, the network
    /// and quotes by speaker on the first page; the matrix a page of source
    /// columns at a time.
    fn crossref_pages(&self, site: &Site, per_page: usize) -> Emitted {
        let emitted = CrossrefPage::pages(site, &self.sources.mention_keys, per_page)
            .enumerate()
            .map(|(number, view)| {
                let view = if number == 0 {
                    quotes_dates::CrossrefWithQuotes::new(view, site)
                } else {
                    quotes_dates::CrossrefWithQuotes::without_quotes(view)
                };
                let path = page_path("crossref.html", number + 1);
                let view = self.with_source_count(&view);
                let page = self.page(&path, "crossref.html", "", "crossref", &view);
                self.emit(path, page)
            });
        failures(emitted)
    }

    /// An entity's pages: its mentions, a page of sources at a time, newest
    /// first. `rank` gives each source's position in date order.
    fn entity_pages(&self, site: &Site, index: usize, rank: &[usize], per_page: usize) -> Emitted {
        let entity = &site.entities[index];
        let mut sources: Vec<usize> = entity.mentions_by_source.keys().copied().collect();
        sources.sort_by_key(|&source| rank[source]);
        let first = views::entity_path(entity);
        let total = page_count(sources.len(), per_page);
        // In parallel too: the entities named most often have the most
        // pages, and would otherwise be the last tasks of the build, each on
        // one core.
        let emitted = (1..=total).into_par_iter().map(|number| {
            let shown = &sources[page_range(sources.len(), per_page, number)];
            let view = EntityPage::with_sources(site, index, shown, number == 1, self.sources);
            // Who is named alongside, the network, quotes and dates are
            // about the entity, not about one page's sources: they are
            // shown once, on the first page.
            let view = if number == 1 {
                quotes_dates::EntityWithQuotes::new(view, site, &self.sources.keys, index)
            } else {
                quotes_dates::EntityWithQuotes::without_quotes(view)
            };
            let paged = Paged {
                view: &view,
                pagination: Pagination::new(&first, number, total),
            };
            let path = page_path(&first, number);
            let page = self.page(&path, "entity.html", "../", "entities", &paged);
            self.emit(path, page)
        });
        failures(emitted)
    }

    fn counted<'v, T>(&'v self, view: &'v T) -> Counted<'v, T> {
        Counted {
            view,
            counts: self.counts,
        }
    }

    /// `view` with the number of sources, as `page.counts.sources`.
    fn with_source_count<'v, T>(&'v self, view: &'v T) -> Counted<'v, T, SourceCount> {
        Counted {
            view,
            counts: &self.source_count,
        }
    }

    /// Renders `template` for the page at `path`, or takes it from the memo
    /// when its view is unchanged. `root` leads from the page to the site
    /// root; `section` marks the current navigation item.
    fn page(
        &self,
        path: &str,
        template: &str,
        root: &str,
        section: &str,
        view: &impl Serialize,
    ) -> Result<Memoized> {
        let view_key = || {
            let place = [template, root, section, path].join("\n");
            key_of(self.shared_key, &(place, view))
        };
        self.memo.page(path, view_key, || {
            let context = self.context(path, root, section, view);
            // Rendered as bytes: Tera's own `render` checks the whole page
            // is UTF-8, which it is by construction, and starts its buffer
            // at a tenth of a typical page.
            let mut html = Vec::with_capacity(PAGE_CAPACITY);
            (self.tera.render_to(template, &context, &mut html)).map_err(|error| {
                let given = context.clone().into_json();
                template_error::render_error(&error, self.theme, template, path, &given)
            })?;
            Ok(html)
        })
    }

    /// What every template sees: `site`, `root`, `section`, `page_path` and
    /// `page`.
    fn context(&self, path: &str, root: &str, section: &str, view: &impl Serialize) -> Context {
        let mut context = Context::new();
        context.insert("site", self.site_view);
        context.insert("root", root);
        context.insert("section", section);
        context.insert("page_path", path);
        context.insert("page", view);
        context
    }
}
