//! The cross-reference index: an A–Z index of entities with every paragraph
//! that mentions them, as at the back of a book, and the entity × source
//! matrix of mention counts.
//!
//! On a large dossier both would grow with entities × sources, so they are
//! paginated by source: the A–Z index, on the first page, lists each entity's
//! newest sources up to a page's worth and links to the entity's own pages for
//! the rest; each page of the matrix has a page's worth of source columns and
//! the rows of the entities they mention.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{key_of, Key};
use crate::content::EntityKind;
use crate::site::Site;

use super::escape::escape_html_into;
use super::network::Drawing;
use super::paginate::{page_count, page_range, Pagination};
use super::paragraph::escape;
use super::views::{entity_path, source_path};

/// Sources listed under each entry of the A–Z index; its page lists all.
const INDEX_SOURCES: usize = 10;

#[derive(Debug, Serialize)]
pub struct CrossrefPage<'a> {
    pub letters: Vec<Letter>,
    pub matrix: Matrix<'a>,
    /// Entities of the catalogue no source mentions.
    pub unmentioned: Vec<Reference>,
    /// Text the sources share: source × source matrix and passages; on
    /// the first page only.
    pub shared: Option<super::passages::SharedTextView>,
    /// The co-occurrence network of the most connected entities, as inline
    /// SVG (built and escaped by `render::network`); empty if too small, and
    /// on the first page only.
    pub network: Drawing,
    pub pagination: Pagination,
}

#[derive(Debug, Serialize)]
pub struct Letter {
    pub letter: String,
    /// The letter's entries: a `<dt>` and `<dd>` each.
    pub entries: IndexEntries,
}

/// The entries of one letter of the A–Z index, written only when the page
/// is rendered; keyed for the page memo by what they are made from. Written
/// here rather than by the template: a large dossier's index has tens of
/// thousands of paragraph references, and each value a template looks up
/// costs far more than the markup.
#[derive(Debug)]
pub struct IndexEntries(Vec<IndexEntry>);

#[derive(Debug, Serialize)]
struct IndexEntry {
    /// The entry as a book index writes it: `Assad, Bashar al-`.
    label: String,
    kind: EntityKind,
    path: String,
    mentions: usize,
    sources: Vec<SourceRefs>,
    /// Sources left out of `sources`, found on the entity's page.
    more: usize,
}

#[derive(Debug, Serialize)]
struct SourceRefs {
    title: String,
    path: String,
    /// The numbers of the paragraphs naming the entity (1-based).
    paragraphs: Vec<usize>,
}

#[derive(Debug, Serialize)]
pub struct Reference {
    pub label: String,
    pub path: String,
}

#[derive(Debug, Serialize)]
pub struct Matrix<'a> {
    pub columns: Vec<MatrixColumn>,
    /// One `<tr>` per entity the page's sources mention: its name, a cell
    /// per column and its total. Written here rather than by the template:
    /// a large dossier's matrix has millions of cells and hundreds of
    /// thousands of rows, and each value a template looks up costs far more
    /// than the markup.
    pub rows: MatrixRows<'a>,
    pub rows_listed: usize,
}

#[derive(Debug, Serialize)]
pub struct MatrixColumn {
    /// Short column label, `S1`, `S2`...
    pub code: String,
    pub title: String,
    pub path: String,
    pub date: Option<String>,
}

/// The rows of one page of the matrix, written only when the page is
/// rendered. For the page memo they are keyed by what they are made from:
/// the entities and the page's sources' mentions (their mention keys, see
/// `render::source_keys`).
#[derive(Debug)]
pub struct MatrixRows<'a> {
    site: &'a Site,
    /// Entities by index, in row order.
    entities: Vec<usize>,
    /// The page's sources, by index, in column order.
    columns: Vec<usize>,
    columns_key: Key,
}

impl Serialize for MatrixRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(
            serializer,
            || self.html(),
            || {
                let entities: Vec<_> = (self.entities.iter())
                    .map(|&index| {
                        let entity = &self.site.entities[index];
                        let e = &entity.entity;
                        (index, &e.slug, &e.name, e.kind, entity.mention_count)
                    })
                    .collect();
                (entities, self.columns_key)
            },
        )
    }
}

impl IndexEntries {
    /// The entries as HTML, linked from the site's root, where the index's
    /// pages are.
    fn html(&self) -> String {
        let mut html = String::new();
        for entry in &self.0 {
            html.push_str("<dt><a href=\"");
            escape_html_into(&entry.path, &mut html);
            let _ = write!(html, "\" class=\"kind-{}\">", entry.kind);
            escape_html_into(&entry.label, &mut html);
            let _ = writeln!(
                html,
                "</a> <span class=\"meta\">{}, {}</span></dt>",
                entry.kind, entry.mentions
            );
            html.push_str("<dd>");
            for (n, source) in entry.sources.iter().enumerate() {
                if n > 0 {
                    html.push_str("; ");
                }
                html.push_str("<span class=\"index-source\"><a href=\"");
                escape_html_into(&source.path, &mut html);
                html.push_str("\">");
                escape_html_into(&source.title, &mut html);
                html.push_str("</a> ");
                for (i, paragraph) in source.paragraphs.iter().enumerate() {
                    if i > 0 {
                        html.push_str(", ");
                    }
                    html.push_str("<a class=\"para-ref\" href=\"");
                    escape_html_into(&source.path, &mut html);
                    let _ = write!(html, "#p{paragraph}\">¶{paragraph}</a>");
                }
                html.push_str("</span>");
            }
            if entry.more > 0 {
                html.push_str(" <span class=\"more\">and <a href=\"");
                escape_html_into(&entry.path, &mut html);
                let plural = if entry.more == 1 { "" } else { "s" };
                let _ = write!(html, "\">{} more source{plural}</a></span>", entry.more);
            }
            html.push_str("</dd>\n");
        }
        html
    }
}

impl Serialize for IndexEntries {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(serializer, || self.html(), || &self.0)
    }
}

impl MatrixRows<'_> {
    /// The rows as HTML. The index's pages sit at the site's root, so links
    /// are written from there.
    fn html(&self) -> String {
        // Each column's link, made once for all the rows.
        let columns: Vec<(usize, String)> = (self.columns.iter())
            .map(|&source| (source, escape(&source_path(&self.site.sources[source]))))
            .collect();
        let mut html = String::new();
        for &index in &self.entities {
            let entity = &self.site.entities[index];
            html.push_str("<tr><th scope=\"row\"><a href=\"");
            escape_html_into(&entity_path(entity), &mut html);
            let _ = write!(html, "\" class=\"kind-{}\">", entity.entity.kind);
            escape_html_into(&entity.entity.name, &mut html);
            html.push_str("</a></th>");
            row_cells(&mut html, self.site, index, &columns);
            let _ = writeln!(
                html,
                "<td class=\"num total\">{}</td></tr>",
                entity.mention_count
            );
        }
        html
    }
}

impl<'a> CrossrefPage<'a> {
    /// The index in pages of `per_page` sources: the A–Z index and the
    /// unmentioned entities on the first, a slice of the matrix on each.
    /// Each page is made when it is taken, so a large dossier's pages are
    /// not all held at once. `mention_keys` are the keys of the sources'
    /// ids and mentions, by index.
    pub fn pages(
        site: &'a Site,
        mention_keys: &'a [Key],
        per_page: usize,
    ) -> impl IndexedParallelIterator<Item = Self> + 'a {
        let by_date = site.sources_by_date();
        let total = page_count(by_date.len(), per_page);
        let prominence = site.entities_by_prominence();
        (1..total + 1).into_par_iter().map(move |number| {
            let columns = page_range(by_date.len(), per_page, number);
            let mut page = CrossrefPage {
                letters: Vec::new(),
                matrix: matrix(
                    site,
                    mention_keys,
                    &by_date[columns.clone()],
                    &prominence,
                    columns.start,
                ),
                unmentioned: Vec::new(),
                shared: None,
                network: Drawing::default(),
                pagination: Pagination::new("crossref.html", number, total),
            };
            if number == 1 {
                (page.letters, page.unmentioned) = Self::a_to_z(site, &by_date, per_page);
                page.shared = Some(super::passages::SharedTextView::new(site, &by_date));
                page.network = Drawing::new(
                    site,
                    super::network::dossier_graph(site),
                    "",
                    "Network of the entities named in the same paragraphs",
                );
            }
            page
        })
    }

    fn a_to_z(site: &Site, by_date: &[usize], per_page: usize) -> (Vec<Letter>, Vec<Reference>) {
        let mut letters: BTreeMap<String, Vec<(String, IndexEntry)>> = BTreeMap::new();
        let mut unmentioned = Vec::new();
        let mut rank = vec![0; site.sources.len()];
        for (position, &index) in by_date.iter().enumerate() {
            rank[index] = position;
        }
        for entity in &site.entities {
            if entity.mention_count == 0 {
                unmentioned.push(Reference {
                    label: entity.entity.name.clone(),
                    path: entity_path(entity),
                });
                continue;
            }
            let label = index_label(&entity.entity.name, entity.entity.kind);
            let sort_key = crate::slug::slugify(&label);
            let letter = sort_key
                .chars()
                .next()
                .filter(char::is_ascii_alphabetic)
                .map_or("#".to_owned(), |c| c.to_ascii_uppercase().to_string());
            // The entity's first sources in date order: its own, ranked,
            // not the whole dossier's searched for them.
            let mut mentioned: Vec<usize> = entity.mentions_by_source.keys().copied().collect();
            mentioned.sort_unstable_by_key(|&index| rank[index]);
            let sources: Vec<SourceRefs> = mentioned
                .iter()
                .take(INDEX_SOURCES.min(per_page))
                .filter_map(|&index| {
                    let mentions = entity.mentions_by_source.get(&index)?;
                    let source = &site.sources[index];
                    let path = source_path(source);
                    let mut paragraphs: Vec<usize> = (source.mentions(mentions))
                        .map(|m| m.paragraph + 1)
                        .collect();
                    paragraphs.dedup();
                    Some(SourceRefs {
                        title: source.source.title.value.clone(),
                        paragraphs,
                        path,
                    })
                })
                .collect();
            letters.entry(letter).or_default().push((
                sort_key,
                IndexEntry {
                    label,
                    kind: entity.entity.kind,
                    path: entity_path(entity),
                    mentions: entity.mention_count,
                    more: entity.mentions_by_source.len() - sources.len(),
                    sources,
                },
            ));
        }
        let letters = letters
            .into_iter()
            .map(|(letter, mut entries)| {
                entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.path.cmp(&b.1.path)));
                Letter {
                    letter,
                    entries: IndexEntries(entries.into_iter().map(|(_, entry)| entry).collect()),
                }
            })
            .collect();
        (letters, unmentioned)
    }
}

/// The page of the matrix whose columns are the sources `by_date` (by
/// index, in date order; `before` sources come before them), with a row for
/// each entity they mention, most prominent first (`prominence`). Found from
/// the sources' side: a page's sources name a few entities each, out of all
/// the catalogue's.
fn matrix<'a>(
    site: &'a Site,
    mention_keys: &[Key],
    by_date: &[usize],
    prominence: &[usize],
    before: usize,
) -> Matrix<'a> {
    let first_code = before + 1;
    let column_keys: Vec<Key> = by_date.iter().map(|&s| mention_keys[s]).collect();
    let columns_key = key_of(Key::default(), &column_keys);
    let columns = by_date
        .iter()
        .enumerate()
        .map(|(n, &index)| {
            let source = &site.sources[index];
            MatrixColumn {
                code: format!("S{}", first_code + n),
                title: source.source.title.value.clone(),
                path: source_path(source),
                date: source.source.date.as_ref().map(|d| d.value.to_string()),
            }
        })
        .collect();
    let mentioned: BTreeSet<usize> = by_date
        .iter()
        .flat_map(|&index| site.sources[index].entity_counts.keys().copied())
        .collect();
    let entities: Vec<usize> = (prominence.iter())
        .filter(|entity| mentioned.contains(entity))
        .copied()
        .collect();
    Matrix {
        columns,
        rows_listed: entities.len(),
        rows: MatrixRows {
            site,
            entities,
            columns: by_date.to_vec(),
            columns_key,
        },
    }
}

/// Appends the cells of an entity's row of the matrix, one per column (a
/// source's index and its page's link, escaped): the count of mentions,
/// linking to the first paragraph that names the entity in that source, or
/// a dot for none.
fn row_cells(html: &mut String, site: &Site, entity: usize, columns: &[(usize, String)]) {
    let mentions = &site.entities[entity].mentions_by_source;
    for (index, path) in columns {
        let source = &site.sources[*index];
        let first = (mentions.get(index)).and_then(|found| source.mentions(found).next());
        match first {
            Some(mention) => {
                let count = source.entity_counts.get(&entity).copied().unwrap_or(0);
                let paragraph = mention.paragraph + 1;
                let _ = write!(
                    html,
                    "<td class=\"num\"><a href=\"{path}#p{paragraph}\">{count}</a></td>"
                );
            }
            None => html.push_str("<td class=\"num zero\">·</td>"),
        }
    }
}

/// Name particles that stay with the given name in an inverted entry.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "von", "van", "de", "der", "la", "le", "du", "di",
];

/// How a book index writes a name: people by surname (`Assad, Bashar al-`,
/// `Peskov, Dmitry`); everything else as it is, without a leading `the`.
pub fn index_label(name: &str, kind: EntityKind) -> String {
    if kind != EntityKind::Person {
        let trimmed = name
            .strip_prefix("the ")
            .or_else(|| name.strip_prefix("The "))
            .unwrap_or(name);
        return trimmed.to_owned();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some((last, given)) = words.split_last() else {
        return name.to_owned();
    };
    if given.is_empty() {
        return name.to_owned();
    }
    // `al-Assad` → surname `Assad`, particle `al-` moves to the given names.
    let (particle, surname) = match last.split_once('-') {
        Some((p, s)) if PARTICLES.contains(&p.to_ascii_lowercase().as_str()) && !s.is_empty() => {
            (Some(format!("{p}-")), s)
        }
        _ => (None, *last),
    };
    let mut given = given.join(" ");
    if let Some(particle) = particle {
        given = format!("{given} {particle}");
    }
    format!("{surname}, {given}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_indexed_by_surname() {
        assert_eq!(
            index_label("Bashar al-Assad", EntityKind::Person),
            "Assad, Bashar al-"
        );
        assert_eq!(
            index_label("Dmitry Peskov", EntityKind::Person),
            "Peskov, Dmitry"
        );
        assert_eq!(index_label("Peskov", EntityKind::Person), "Peskov");
        assert_eq!(
            index_label("Abu Mohammed al-Jolani", EntityKind::Person),
            "Jolani, Abu Mohammed al-"
        );
    }

    #[test]
    fn other_entities_keep_their_name_without_the() {
        assert_eq!(
            index_label("the Kremlin", EntityKind::Organization),
            "Kremlin"
        );
        assert_eq!(index_label("Al-Qusayr", EntityKind::Place), "Al-Qusayr");
    }
}
