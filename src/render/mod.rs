//! Rendering: the linked site turned into pages with Tera templates, in
//! parallel. Pure: pages are returned as bytes; only `output` writes them.

pub mod crossref;
pub mod feeds;
pub mod hosting;
pub mod network;
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

use crate::error::{Error, Result};
use crate::site::Site;

use crossref::CrossrefPage;
pub use theme::{load_theme, Theme};
use views::{entities_by_kind, EntityPage, EntitySummary, SiteView, SourcePage, SourceSummary};

/// A file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

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
    Ok(tera)
}

/// Renders every page of the site, plus the theme's static files.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Vec<Page>> {
    let (pages, failures) = render_site_partial(site, theme)?;
    match failures.into_iter().next() {
        None => Ok(pages),
        Some((_, error)) => Err(error),
    }
}

/// A page that could not be rendered: its path and why.
pub type PageFailure = (String, Error);

/// Renders every page that can be rendered, returning them with the path and
/// failure of each page that could not, for `--keep-going`.
pub fn render_site_partial(site: &Site, theme: &Theme) -> Result<(Vec<Page>, Vec<PageFailure>)> {
    let tera = compile_templates(theme)?;
    let site_view = SiteView::new(site);
    let renderer = Renderer {
        tera: &tera,
        site_view: &site_view,
        theme,
    };

    let results = vec![
        ("index.html".to_owned(), renderer.front_page(site)),
        (
            "sources.html".to_owned(),
            renderer.page(
                "sources.html",
                "sources.html",
                "",
                "sources",
                &SourcesList {
                    sources: site
                        .sources_by_date()
                        .into_iter()
                        .map(|i| SourceSummary::new(&site.sources[i]))
                        .collect(),
                },
            ),
        ),
        (
            "entities.html".to_owned(),
            renderer.page(
                "entities.html",
                "entities.html",
                "",
                "entities",
                &EntitiesList {
                    groups: entities_by_kind(site),
                },
            ),
        ),
        (
            "crossref.html".to_owned(),
            renderer.page(
                "crossref.html",
                "crossref.html",
                "",
                "crossref",
                &quotes_dates::CrossrefWithQuotes::new(CrossrefPage::new(site), site),
            ),
        ),
        (
            "timeline.html".to_owned(),
            renderer.page(
                "timeline.html",
                "timeline.html",
                "",
                "timeline",
                &timeline::TimelinePage::new(site),
            ),
        ),
        ("404.html".to_owned(), renderer.not_found(site)),
        ("print.html".to_owned(), renderer.print_page(site)),
    ];

    let order = site.sources_by_date();
    let source_pages: Vec<(String, Result<Page>)> = order
        .par_iter()
        .enumerate()
        .map(|(position, &index)| {
            // Previous and next follow the list order: newest first.
            let previous = position.checked_sub(1).map(|p| order[p]);
            let next = order.get(position + 1).copied();
            let view = SourcePage::new(site, index, previous, next);
            let view = quotes_dates::SourceWithQuotes::new(view, site, index);
            let path = views::source_path(&site.sources[index]);
            let page = renderer.page(&path, "source.html", "../", "sources", &view);
            (path, page)
        })
        .collect();
    let entity_pages: Vec<(String, Result<Page>)> = (0..site.entities.len())
        .into_par_iter()
        .map(|index| {
            let view = EntityPage::new(site, index);
            let view = quotes_dates::EntityWithQuotes::new(view, site, index);
            let path = views::entity_path(&site.entities[index]);
            let page = renderer.page(&path, "entity.html", "../", "entities", &view);
            (path, page)
        })
        .collect();
    let mut pages = Vec::new();
    let mut failures = Vec::new();
    for (path, result) in results.into_iter().chain(source_pages).chain(entity_pages) {
        match result {
            Ok(page) => pages.push(page),
            Err(error) => failures.push((path, error)),
        }
    }
    pages.extend(search::index_files(site));

    pages.extend(crate::export::export_site(site)?);

    for (path, css) in crate::content::highlight::stylesheets() {
        // A theme may ship its own syntax colours.
        if !theme.statics.contains_key(path) {
            pages.push(Page {
                path: path.to_owned(),
                bytes: css.into_bytes(),
            });
        }
    }
    for (path, file) in &theme.statics {
        pages.push(Page {
            path: path.clone(),
            bytes: file.bytes.clone(),
        });
    }
    // GitHub Pages would otherwise run Jekyll, which hides some files.
    pages.push(Page {
        path: ".nojekyll".to_owned(),
        bytes: Vec::new(),
    });
    pages.extend(hosting::custom_domain(site));
    let feeds = feeds::feed_pages(site, &pages);
    pages.extend(feeds);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((pages, failures))
}

struct Renderer<'a> {
    tera: &'a Tera,
    site_view: &'a SiteView,
    /// Where each template came from, to name its file in errors.
    theme: &'a Theme,
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct SourcesList {
    sources: Vec<SourceSummary>,
}

#[derive(Serialize)]
struct EntitiesList {
    groups: Vec<views::KindGroup>,
}

#[derive(Serialize)]
struct FrontPage {
    sources: Vec<SourceSummary>,
    main_entities: Vec<EntitySummary>,
    groups: Vec<views::KindGroup>,
}

impl Renderer<'_> {
    fn front_page(&self, site: &Site) -> Result<Page> {
        let view = FrontPage {
            sources: site
                .sources_by_date()
                .into_iter()
                .map(|i| SourceSummary::new(&site.sources[i]))
                .collect(),
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
        self.page("index.html", "index.html", "", "home", &view)
    }

    /// Renders `template` for the page at `path`. `root` leads from the page
    /// to the site root; `section` marks the current navigation item.
    fn page(
        &self,
        path: &str,
        template: &str,
        root: &str,
        section: &str,
        view: &impl Serialize,
    ) -> Result<Page> {
        self.render(path, template, &self.context(path, root, section, view))
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

    fn render(&self, path: &str, template: &str, context: &Context) -> Result<Page> {
        let html = self.tera.render(template, context).map_err(|error| {
            let given = context.clone().into_json();
            template_error::render_error(&error, self.theme, template, path, &given)
        })?;
        Ok(Page {
            path: path.to_owned(),
            bytes: html.into_bytes(),
        })
    }
}
