//! `print.html`: the whole dossier on one page, to print or save as PDF and
//! hand to an editor. A cover with the counts, a table of contents, every
//! source with its text and mentions marked, oldest first so the dossier
//! reads as the story unfolded, then the entity catalogue A–Z with the
//! sources naming each entity. Anchors are prefixed (`source-`, `entity-`)
//! so they never collide with paragraph anchors.

use serde::Serialize;

use crate::content::{Entity, EntityKind};
use crate::error::Result;
use crate::site::Site;

use super::paragraph::paragraph_html;
use super::views::{block_kind, entity_path, paragraph_mentions, SourceSummary};
use super::Renderer;
use crate::cache::Memoized;
use crate::content::paragraphs::FOOTNOTE_ID;

#[derive(Debug, Serialize)]
pub struct PrintPage {
    /// First and last dates of the dated sources, readable.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub sources: Vec<PrintSource>,
    pub entities: Vec<PrintEntity>,
    /// Older sources left out of a large dossier's printable page.
    pub sources_left_out: usize,
}

#[derive(Debug, Serialize)]
pub struct PrintSource {
    #[serde(flatten)]
    pub summary: SourceSummary,
    /// 1-based position in the printed dossier.
    pub number: usize,
    /// `source-<slug>`.
    pub anchor: String,
    pub author: Option<String>,
    pub url: Option<String>,
    pub paragraphs: Vec<PrintParagraph>,
    /// Names of the entities it mentions, A–Z.
    pub entities: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PrintParagraph {
    /// `headline`, `heading`, `item`, `text` or `markdown`.
    pub kind: &'static str,
    pub number: usize,
    /// Sanitised HTML, mentions marked and linked.
    pub html: String,
}

#[derive(Debug, Serialize)]
pub struct PrintEntity {
    pub name: String,
    pub kind_label: &'static str,
    /// `entity-<slug>`.
    pub anchor: String,
    pub path: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub body_html: String,
    pub mentions: usize,
    /// The sources naming it, in printed order.
    pub sources: Vec<PrintReference>,
}

#[derive(Debug, Serialize)]
pub struct PrintReference {
    pub number: usize,
    pub title: String,
    pub anchor: String,
    pub count: usize,
}

/// Sources on the printable page: a document to hand to an editor, not an
/// archive. Larger dossiers print their newest sources.
pub const PRINTED_SOURCES: usize = 300;

impl PrintPage {
    pub fn new(site: &Site) -> Self {
        let order = chronological(site);
        let left_out = order.len().saturating_sub(PRINTED_SOURCES);
        let order: Vec<usize> = if left_out == 0 {
            order
        } else {
            let newest: std::collections::BTreeSet<usize> = site
                .sources_by_date()
                .into_iter()
                .take(PRINTED_SOURCES)
                .collect();
            order.into_iter().filter(|s| newest.contains(s)).collect()
        };
        let entities: Vec<&Entity> = site.entities.iter().map(|e| &e.entity).collect();
        let sources: Vec<PrintSource> = order
            .iter()
            .enumerate()
            .map(|(position, &index)| print_source(site, index, position + 1, &entities))
            .collect();
        let dates: Vec<&String> = sources
            .iter()
            .filter_map(|s| s.summary.heading.date_display.as_ref())
            .collect();
        PrintPage {
            first_date: dates.first().map(|d| (*d).clone()),
            last_date: dates.last().map(|d| (*d).clone()),
            entities: catalogue(site, &order),
            sources,
            sources_left_out: left_out,
        }
    }
}

/// Source indices oldest first, undated last: the reverse of the site's
/// newest-first order for dated sources, with the same tie-breaks.
fn chronological(site: &Site) -> Vec<usize> {
    let newest_first = site.sources_by_date();
    let (dated, undated): (Vec<usize>, Vec<usize>) = newest_first
        .into_iter()
        .partition(|&i| site.sources[i].source.date.is_some());
    dated.into_iter().rev().chain(undated).collect()
}

fn print_source(site: &Site, index: usize, number: usize, entities: &[&Entity]) -> PrintSource {
    let source = &site.sources[index];
    let mentions = &source.analysis.mentions;
    let anchor = format!("source-{}", source.slug);
    let paragraphs = source
        .source
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, paragraph)| {
            let html = paragraph_html(paragraph, paragraph_mentions(mentions, i), entities, "");
            let html = footnotes_within(html, &anchor);
            PrintParagraph {
                kind: block_kind(paragraph),
                number: i + 1,
                html,
            }
        })
        .collect();
    let mut names: Vec<String> = source
        .entity_counts
        .keys()
        .map(|&e| site.entities[e].entity.name.clone())
        .collect();
    names.sort();
    PrintSource {
        summary: SourceSummary::new(source),
        number,
        anchor,
        author: source.source.author.clone(),
        url: source.source.url.clone(),
        paragraphs,
        entities: names,
    }
}

/// Every source and entity numbers its footnotes from 1: on this page, their
/// ids carry its anchor.
fn footnotes_within(html: String, anchor: &str) -> String {
    if !html.contains(FOOTNOTE_ID) {
        return html;
    }
    let footnote_id = format!("{anchor}-{FOOTNOTE_ID}");
    html.replace(
        &format!("id=\"{FOOTNOTE_ID}"),
        &format!("id=\"{footnote_id}"),
    )
    .replace(
        &format!("href=\"#{FOOTNOTE_ID}"),
        &format!("href=\"#{footnote_id}"),
    )
}

/// Every entity of the catalogue, A–Z by name, then by slug.
fn catalogue(site: &Site, order: &[usize]) -> Vec<PrintEntity> {
    let mut entities: Vec<PrintEntity> = site
        .entities
        .iter()
        .map(|entity| {
            let anchor = format!("entity-{}", entity.entity.slug);
            PrintEntity {
                name: entity.entity.name.clone(),
                kind_label: kind_label(entity.entity.kind),
                path: entity_path(entity),
                aliases: entity.entity.aliases.clone(),
                description: entity.entity.description.clone(),
                body_html: footnotes_within(entity.entity.body_html.clone(), &anchor),
                anchor,
                mentions: entity.mention_count,
                sources: order
                    .iter()
                    .enumerate()
                    .filter_map(|(position, index)| {
                        let count = entity.mentions_by_source.get(index)?.len();
                        let source = &site.sources[*index];
                        Some(PrintReference {
                            number: position + 1,
                            title: source.source.title.value.clone(),
                            anchor: format!("source-{}", source.slug),
                            count,
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.anchor.cmp(&b.anchor))
    });
    entities
}

fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organisation",
        EntityKind::Place => "Place",
        EntityKind::Outlet => "Outlet",
        EntityKind::Other => "Other",
    }
}

impl Renderer<'_> {
    pub(super) fn print_page(&self, site: &Site) -> Result<Memoized> {
        self.page(
            "print.html",
            "print.html",
            "",
            "print",
            &self.counted(&PrintPage::new(site)),
        )
    }
}
