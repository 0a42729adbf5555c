//! View structs: what templates see. Templates get plain, documented data
//! rather than the pipeline's own types (Zola's lesson), so the pipeline can
//! change without breaking themes. Every `path` is relative to the site root;
//! templates put `{{ root }}` in front of it.

use std::cell::OnceCell;
use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::Mention;
use crate::cache::{key_of, Key};
use crate::content::{EntityKind, Paragraph, ParagraphKind};
use crate::site::{Site, SiteEntity, SiteSource};

use super::date_text::day_month_year;
use super::escape::escape_html_into;
use super::network::Drawing;
use super::paragraph::paragraph_html;
use super::passages::{paragraph_marks, ParagraphMarks};
use super::quotes::{QuoteMark, QuoteView};

/// The dossier as a whole, on every page as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: Option<String>,
}

/// The dossier's totals, on the pages that show them (`page.counts`): not
/// in `site`, because a page that does not show them must not be rendered
/// again whenever one source adds a paragraph.
#[derive(Debug, Serialize)]
pub struct Counts {
    pub sources: usize,
    pub entities: usize,
    pub mentioned_entities: usize,
    pub mentions: usize,
    pub paragraphs: usize,
}

impl SiteView {
    pub fn new(site: &Site) -> Self {
        let config = &site.config.dossier;
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: site.config.base_url(),
        }
    }
}

impl Counts {
    pub fn new(site: &Site) -> Self {
        Counts {
            sources: site.sources.len(),
            entities: site.entities.len(),
            mentioned_entities: site.entities.iter().filter(|e| e.mention_count > 0).count(),
            mentions: site.mention_count(),
            paragraphs: site.paragraph_count(),
        }
    }
}

/// What a page shows of a source it names: its title, page, date and
/// outlet. Entity pages and a source's neighbours show it so: without the
/// counts of its paragraphs and mentions, which an edit of the source
/// changes, so that such an edit does not render them again.
#[derive(Debug, Serialize)]
pub struct SourceHeading {
    pub title: String,
    pub title_inferred: bool,
    pub path: String,
    /// ISO date (`2024-12-09`) for `<time datetime>`.
    pub date: Option<String>,
    /// Readable date (`9 December 2024`).
    pub date_display: Option<String>,
    pub date_inferred: bool,
    pub outlet: Option<String>,
    pub outlet_inferred: bool,
}

/// A source in a list: its heading and its counts.
#[derive(Debug, Serialize)]
pub struct SourceSummary {
    #[serde(flatten)]
    pub heading: SourceHeading,
    pub mentions: usize,
    pub paragraphs: usize,
}

impl SourceHeading {
    pub fn new(source: &SiteSource) -> Self {
        let s = &source.source;
        SourceHeading {
            title: s.title.value.clone(),
            title_inferred: s.title.inferred,
            path: source_path(source),
            date: s.date.as_ref().map(|d| d.value.to_string()),
            date_display: s.date.as_ref().map(|d| day_month_year(d.value)),
            date_inferred: s.date.as_ref().is_some_and(|d| d.inferred),
            outlet: s.outlet.as_ref().map(|o| o.value.clone()),
            outlet_inferred: s.outlet.as_ref().is_some_and(|o| o.inferred),
        }
    }
}

impl SourceSummary {
    pub fn new(source: &SiteSource) -> Self {
        SourceSummary {
            heading: SourceHeading::new(source),
            mentions: source.analysis.mentions.len(),
            paragraphs: source.source.paragraphs.len(),
        }
    }
}

/// What pages show of each source wherever they list it, made once per
/// build rather than once per page: its summary, and the key of what its
/// snippets are made from (see `render::source_keys`). By source index.
pub struct SourceViews {
    pub summaries: Vec<SourceSummary>,
    pub keys: Vec<Key>,
    /// The key of each source's id and mentions alone.
    pub mention_keys: Vec<Key>,
}

pub fn source_path(source: &SiteSource) -> String {
    format!("sources/{}.html", source.slug)
}

pub fn entity_path(entity: &SiteEntity) -> String {
    format!("entities/{}.html", entity.entity.slug)
}

/// An entity in a list.
#[derive(Debug, Serialize)]
pub struct EntitySummary {
    pub name: String,
    pub kind: EntityKind,
    pub path: String,
    pub description: Option<String>,
    pub mentions: usize,
    pub sources: usize,
}

impl EntitySummary {
    pub fn new(entity: &SiteEntity) -> Self {
        EntitySummary {
            name: entity.entity.name.clone(),
            kind: entity.entity.kind,
            path: entity_path(entity),
            description: entity.entity.description.clone(),
            mentions: entity.mention_count,
            sources: entity.mentions_by_source.len(),
        }
    }
}

/// A group of entities of one kind.
#[derive(Debug, Serialize)]
pub struct KindGroup {
    pub kind: EntityKind,
    pub label: &'static str,
    pub entities: Vec<EntitySummary>,
}

/// Entities grouped by kind, each group by prominence.
pub fn entities_by_kind(site: &Site) -> Vec<KindGroup> {
    let order = site.entities_by_prominence();
    EntityKind::ALL
        .iter()
        .map(|&kind| KindGroup {
            kind,
            label: kind.plural_label(),
            entities: order
                .iter()
                .map(|&i| &site.entities[i])
                .filter(|e| e.entity.kind == kind)
                .map(EntitySummary::new)
                .collect(),
        })
        .filter(|group| !group.entities.is_empty())
        .collect()
}

/// One block of a source's text.
#[derive(Debug, Serialize)]
pub struct BlockView {
    /// `headline`, `heading`, `text`, `list` or `markdown`.
    pub kind: &'static str,
    /// Paragraph number, 1-based (the first item's, for a list).
    pub number: usize,
    /// The anchor, `p<number>`.
    pub anchor: String,
    /// Sanitised HTML with mentions linked; empty for a list.
    pub html: String,
    /// A list's items.
    pub items: Vec<BlockView>,
}

/// Characters of a source's lead kept as its page's description.
const EXCERPT_CHARS: usize = 200;

/// A source page.
#[derive(Debug, Serialize)]
pub struct SourcePage<'a> {
    #[serde(flatten)]
    pub summary: &'a SourceSummary,
    pub format: &'static str,
    pub file: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// `headline` and `text`: the text, made only for a page rendered.
    #[serde(flatten)]
    pub text: SourceText<'a>,
    /// Entities this source mentions, most mentioned first.
    pub entities: Vec<EntityCount>,
    pub previous: Option<&'a SourceHeading>,
    pub next: Option<&'a SourceHeading>,
    /// The lead paragraph as plain text, shortened, for page metadata.
    pub excerpt: Option<String>,
    /// Passages this source shares with others, highlighted in `text`.
    pub shared: Vec<super::passages::SharedView>,
}

#[derive(Debug, Serialize)]
pub struct EntityCount {
    #[serde(flatten)]
    pub entity: EntitySummary,
    pub count: usize,
    /// Anchor of the first paragraph that mentions it here.
    pub first_anchor: String,
}

impl<'a> SourcePage<'a> {
    /// The page of source `index`, between `previous` and `next` in the
    /// list, with the summaries made for every page in `views`.
    pub fn new(
        site: &Site,
        views: &'a SourceViews,
        index: usize,
        (previous, next): (Option<usize>, Option<usize>),
        text: SourceText<'a>,
    ) -> Self {
        let source = &site.sources[index];
        let mentions = &source.analysis.mentions;
        let mut counted: Vec<EntityCount> = source
            .entity_counts
            .iter()
            .map(|(&entity, &count)| EntityCount {
                entity: EntitySummary::new(&site.entities[entity]),
                count,
                first_anchor: mentions
                    .iter()
                    .find(|m| m.entity == entity)
                    .map(|m| format!("p{}", m.paragraph + 1))
                    .unwrap_or_default(),
            })
            .collect();
        counted.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.entity.name.cmp(&b.entity.name))
        });
        let s = &source.source;
        SourcePage {
            summary: &views.summaries[index],
            format: match s.format {
                crate::content::SourceFormat::Clipping => "clipping",
                crate::content::SourceFormat::Markdown => "markdown",
            },
            file: s.path.to_string_lossy().replace('\\', "/"),
            url: s.url.clone(),
            author: s.author.clone(),
            language: s.language.clone(),
            text,
            entities: counted,
            previous: previous.map(|i| &views.summaries[i].heading),
            next: next.map(|i| &views.summaries[i].heading),
            excerpt: super::feeds::lead_paragraph(s, EXCERPT_CHARS),
            shared: super::passages::source_shared(site, index),
        }
    }
}

/// A source's text as blocks, made when its page is rendered: for 10,000
/// sources the HTML of every paragraph is most of the work of a page, and
/// an edit to one source changes one page's text. Keyed for the page memo,
/// it is what it is made from: the source's key (its text, id and mentions,
/// see `render::source_keys`), the names of the entities it links, and how
/// passages and quotes mark each paragraph.
#[derive(Debug)]
pub struct SourceText<'a> {
    site: &'a Site,
    index: usize,
    key: Key,
    /// The quotes to mark, as the page lists them.
    quotes: Vec<QuoteMark>,
    /// The blocks, once made.
    made: OnceCell<TextBlocks>,
}

/// The text as templates see it.
#[derive(Debug)]
struct TextBlocks {
    /// The headline paragraph, shown as the page's heading, if the clipping
    /// starts with one.
    headline: Option<BlockView>,
    blocks: Vec<BlockView>,
}

impl<'a> SourceText<'a> {
    /// The text of source `index`, whose key is `source_key`, with its
    /// quotes as listed on its page.
    pub fn new(site: &'a Site, index: usize, source_key: Key, quotes: &[QuoteView]) -> Self {
        let source = &site.sources[index];
        let names: Vec<&str> = (source.entity_counts.keys())
            .map(|&entity| site.entities[entity].entity.name.as_str())
            .collect();
        let marks: Vec<(usize, ParagraphMarks)> = (0..source.source.paragraphs.len())
            .map(|paragraph| (paragraph, paragraph_marks(site, index, paragraph)))
            .filter(|(_, marks)| !matches!(marks, ParagraphMarks::Shared(m) if m.is_empty()))
            .collect();
        let quotes: Vec<QuoteMark> = quotes.iter().map(QuoteMark::of).collect();
        let analysed_quotes = &source.analysis.quotes;
        SourceText {
            site,
            index,
            key: key_of(source_key, &(names, marks, analysed_quotes, &quotes)),
            quotes,
            made: OnceCell::new(),
        }
    }

    fn made(&self) -> &TextBlocks {
        self.made.get_or_init(|| self.make())
    }

    fn make(&self) -> TextBlocks {
        let (site, index) = (self.site, self.index);
        let source = &site.sources[index];
        let entities: Vec<&crate::content::Entity> =
            site.entities.iter().map(|e| &e.entity).collect();
        let mentions = &source.analysis.mentions;
        let mut blocks: Vec<BlockView> = Vec::new();
        let mut headline = None;
        for (i, paragraph) in source.source.paragraphs.iter().enumerate() {
            let here = paragraph_mentions(mentions, i);
            let block = BlockView {
                kind: block_kind(paragraph),
                number: i + 1,
                anchor: format!("p{}", i + 1),
                html: paragraph_html(paragraph, here, &entities, "../"),
                items: Vec::new(),
            };
            match block.kind {
                "headline" if i == 0 => headline = Some(block),
                "item" => match blocks.last_mut() {
                    Some(list) if list.kind == "list" => list.items.push(block),
                    _ => blocks.push(BlockView {
                        kind: "list",
                        number: block.number,
                        anchor: block.anchor.clone(),
                        html: String::new(),
                        items: vec![block],
                    }),
                },
                _ => blocks.push(block),
            }
        }
        super::passages::mark_blocks(site, index, &mut blocks);
        if let Some(headline) = &mut headline {
            super::passages::mark_block(site, index, headline);
        }
        super::quotes::mark_blocks(&mut blocks, site, index, &self.quotes);
        super::passages::label_boilerplate(site, index, blocks.iter_mut().chain(&mut headline));
        TextBlocks { headline, blocks }
    }
}

// Serialised as a struct of two lazy fields, never as a key of its own:
// flattened into its page, this is handed serde's flattening serializer,
// which does not say whether it is making a key; the fields are handed the
// page's own serializer, which does.
impl Serialize for SourceText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut text = serializer.serialize_struct("SourceText", 2)?;
        text.serialize_field("headline", &TextPart::Headline(self))?;
        text.serialize_field("text", &TextPart::Blocks(self))?;
        text.end()
    }
}

/// One field of a source's text: made for a template, keyed for the memo.
enum TextPart<'t, 'a> {
    Headline(&'t SourceText<'a>),
    Blocks(&'t SourceText<'a>),
}

impl Serialize for TextPart<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self, serializer.is_human_readable()) {
            (TextPart::Headline(text), true) => text.made().headline.serialize(serializer),
            (TextPart::Blocks(text), true) => {
                serializer.serialize_str(&blocks_html(&text.made().blocks))
            }
            (TextPart::Headline(text), false) => text.key.serialize(serializer),
            (TextPart::Blocks(_), false) => serializer.serialize_unit(),
        }
    }
}

/// The blocks of a source's text as HTML, each with its anchor and its
/// paragraph's number linking to it. Written here rather than by a
/// template, as the other long lists are: the sources' paragraphs are a
/// large dossier's longest list of all.
fn blocks_html(blocks: &[BlockView]) -> String {
    let mut html = String::with_capacity(blocks.iter().map(|b| b.html.len() + 120).sum());
    // Writing to a String cannot fail.
    let numbered = |html: &mut String, block: &BlockView| {
        let (anchor, number) = (&block.anchor, block.number);
        let _ = write!(
            html,
            "<a class=\"pilcrow\" href=\"#{anchor}\" aria-label=\"Paragraph {number}\">¶{number}</a>"
        );
        html.push_str(&block.html);
    };
    for block in blocks {
        let anchor = &block.anchor;
        match block.kind {
            "list" => {
                html.push_str("<ul class=\"clip-list\">\n");
                for item in &block.items {
                    let _ = write!(html, "<li id=\"{}\">", item.anchor);
                    numbered(&mut html, item);
                    html.push_str("</li>\n");
                }
                html.push_str("</ul>\n");
            }
            "heading" => {
                let _ = write!(html, "<h2 id=\"{anchor}\">");
                numbered(&mut html, block);
                html.push_str("</h2>\n");
            }
            "markdown" => {
                let _ = write!(html, "<div class=\"md-block\" id=\"{anchor}\">");
                numbered(&mut html, block);
                html.push_str("</div>\n");
            }
            _ => {
                let _ = write!(html, "<p id=\"{anchor}\">");
                numbered(&mut html, block);
                html.push_str("</p>\n");
            }
        }
    }
    html
}

/// How a paragraph is shown: `headline`, `heading`, `item`, `text`, or
/// `markdown` for a Markdown block (headings included, which carry their
/// own markup).
pub fn block_kind(paragraph: &Paragraph) -> &'static str {
    match paragraph.kind {
        ParagraphKind::Headline => "headline",
        ParagraphKind::Heading if paragraph.markup.is_none() => "heading",
        ParagraphKind::Item => "item",
        ParagraphKind::Text => "text",
        ParagraphKind::Heading | ParagraphKind::Block => "markdown",
    }
}

/// The slice of `mentions` (sorted by paragraph) in paragraph `index`.
pub fn paragraph_mentions(mentions: &[Mention], index: usize) -> &[Mention] {
    let start = mentions.partition_point(|m| m.paragraph < index);
    let end = mentions.partition_point(|m| m.paragraph <= index);
    &mentions[start..end]
}

/// Characters of context on each side of a mention.
const CONTEXT_CHARS: usize = 70;

/// The words before a mention, the mention and the words after, with an
/// ellipsis where the text goes on.
pub fn snippet(text: &str, start: usize, end: usize) -> (String, String, String) {
    let (from, to) = snippet_bounds(text, start, end);
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < text.len() { "…" } else { "" };
    (
        format!("{lead}{}", &text[from..start]),
        text[start..end].to_owned(),
        format!("{}{tail}", &text[end..to]),
    )
}

/// Where the words around `start..end` that a snippet shows begin and end:
/// up to [`CONTEXT_CHARS`] on each side, cut between words.
fn snippet_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (before, after) = (&text[..start], &text[end..]);
    let (mut before_start, after_end) = (reach_back(before), reach_forward(after));
    if before_start > 0 {
        before_start = before[before_start..]
            .find(' ')
            .map_or(before_start, |space| before_start + space + 1);
    }
    let after_end = if after_end < after.len() {
        after[..after_end].rfind(' ').unwrap_or(after_end)
    } else {
        after_end
    };
    (before_start, end + after_end)
}

/// Where the [`CONTEXT_CHARS`] characters before a mention begin, and one
/// more: a byte of `before`, before cutting between words.
fn reach_back(before: &str) -> usize {
    // Where those characters are ASCII, each is a byte: no need to walk
    // them one by one. Real clippings have a curly quote here and there,
    // which is no reason to count every character of the paragraph.
    let ascii_start = before.len().saturating_sub(CONTEXT_CHARS + 1);
    if before.as_bytes()[ascii_start..].is_ascii() {
        return ascii_start;
    }
    (before.char_indices().rev().nth(CONTEXT_CHARS)).map_or(0, |(i, _)| i)
}

/// Where the [`CONTEXT_CHARS`] characters after a mention end: a byte of
/// `after`, before cutting between words.
fn reach_forward(after: &str) -> usize {
    let ascii_end = after.len().min(CONTEXT_CHARS);
    if after.as_bytes()[..ascii_end].is_ascii() {
        return ascii_end;
    }
    (after.char_indices().nth(CONTEXT_CHARS)).map_or(after.len(), |(i, _)| i)
}

/// [`snippet`] as HTML, appended to `html`: escaped, the mention in `<mark>`.
fn snippet_html_into(text: &str, start: usize, end: usize, html: &mut String) {
    let (from, to) = snippet_bounds(text, start, end);
    html.reserve(to - from + 32);
    if from > 0 {
        html.push('…');
    }
    escape_html_into(&text[from..start], html);
    html.push_str("<mark>");
    escape_html_into(&text[start..end], html);
    html.push_str("</mark>");
    escape_html_into(&text[end..to], html);
    if to < text.len() {
        html.push('…');
    }
}

/// One source's mentions of an entity.
#[derive(Debug, Serialize)]
pub struct SourceMentions<'a> {
    pub source: &'a SourceHeading,
    pub count: usize,
    /// Each mention in context.
    pub snippets: Snippets<'a>,
}

/// The sources that mention an entity, each with its mentions in context:
/// templates see them as one `<section class="mention-group">` per source
/// (`{{ page.mentioned_in | safe }}`), written here, not by a template, as
/// the matrix's cells are. A large dossier's entity pages list hundreds of
/// thousands of these sections, and each value a template looks up costs
/// more than the markup. For the page memo they are keyed by their parts.
#[derive(Debug)]
pub struct MentionGroups<'a> {
    groups: Vec<SourceMentions<'a>>,
    /// Leads from the page to the site's root.
    root: &'a str,
}

impl MentionGroups<'_> {
    /// One section per source: its title linking to its page, its date,
    /// outlet and number of mentions, and the list of its mentions.
    pub fn sections_html(&self) -> String {
        let mut html = String::new();
        for group in &self.groups {
            let source = group.source;
            html.push_str("<section class=\"mention-group\">\n<h3><a href=\"");
            escape_html_into(self.root, &mut html);
            escape_html_into(&source.path, &mut html);
            html.push_str("\">");
            escape_html_into(&source.title, &mut html);
            html.push_str("</a></h3>\n<p class=\"meta\">");
            if let (Some(date), Some(display)) = (&source.date, &source.date_display) {
                html.push_str("<time datetime=\"");
                escape_html_into(date, &mut html);
                html.push_str("\">");
                escape_html_into(display, &mut html);
                html.push_str("</time> · ");
            }
            if let Some(outlet) = source.outlet.as_deref().filter(|o| !o.is_empty()) {
                escape_html_into(outlet, &mut html);
                html.push_str(" · ");
            }
            let count = group.count;
            let plural = if count == 1 { "" } else { "s" };
            // Writing to a String cannot fail.
            let _ = write!(html, "{count} mention{plural}</p>\n<ol class=\"kwic\">\n");
            group.snippets.items_html_into(&mut html);
            html.push_str("</ol>\n</section>\n");
        }
        html
    }
}

impl Serialize for MentionGroups<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(serializer, || self.sections_html(), || &self.groups)
    }
}

/// The snippets of an entity's mentions in one source, made as the page is
/// rendered. Keyed for the page memo, they are what they are made from: the
/// source's key (its text, id and mentions, see `render::source_keys`) and
/// the entity. An edit to one source would otherwise make the snippets of
/// every entity page, hundreds of thousands, only to hash them.
#[derive(Debug)]
pub struct Snippets<'a> {
    source: &'a SiteSource,
    key: Key,
    /// The entity's mentions in the source, all of them, as indices of the
    /// source's list.
    mentions: &'a [u32],
    root: &'a str,
}

impl<'a> Snippets<'a> {
    /// The snippets of `mentions` (indices of the source's list), on a page
    /// `root` leads from to the site's root.
    pub fn new(source: &'a SiteSource, key: Key, mentions: &'a [u32], root: &'a str) -> Self {
        Snippets {
            source,
            key,
            mentions,
            root,
        }
    }

    /// One `<li>` per mention: the paragraph's number, linking to it, and the
    /// words around the mention, escaped, the mention in `<mark>`.
    pub fn items_html(&self) -> String {
        let mut html = String::new();
        self.items_html_into(&mut html);
        html
    }

    /// [`Snippets::items_html`], appended to `html`.
    pub fn items_html_into(&self, html: &mut String) {
        let mut path = String::new();
        escape_html_into(self.root, &mut path);
        escape_html_into(&source_path(self.source), &mut path);
        for mention in self.source.mentions(self.mentions) {
            let number = mention.paragraph + 1;
            let text = &self.source.source.paragraphs[mention.paragraph].text;
            // Writing to a String cannot fail.
            let _ = write!(
                html,
                "<li><a class=\"para-ref\" href=\"{path}#p{number}\">¶{number}</a> \
                 <span class=\"kwic-text\">"
            );
            snippet_html_into(text, mention.start, mention.end, html);
            html.push_str("</span></li>\n");
        }
    }
}

impl Serialize for Snippets<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(
            serializer,
            || self.items_html(),
            || {
                let entity = self.source.mentions(self.mentions).next().map(|m| m.entity);
                (self.key, entity, self.root)
            },
        )
    }
}

#[derive(Debug, Serialize)]
pub struct CooccurrenceView<'a> {
    #[serde(flatten)]
    pub entity: EntitySummary,
    /// Sources mentioning both.
    pub sources: usize,
    /// Paragraphs mentioning both.
    pub paragraphs: usize,
    /// Sources mentioning both, reprints of one wire text counted once.
    pub independent_sources: usize,
    /// The earliest source mentioning both.
    pub first_source: Option<&'a SourceHeading>,
}

/// Rows of an entity's "named alongside" table. Every entity of a large
/// catalogue is named alongside most others somewhere: all of them would make
/// the table, and the work of rendering every entity page, grow with the
/// square of the catalogue.
pub const MAX_COOCCURRING: usize = 25;

/// What an entity's "named alongside" table leaves out.
#[derive(Debug, Serialize)]
pub struct MoreCooccurring {
    /// How many entities.
    pub entities: usize,
    /// The most sources any of them shares with the entity.
    pub sources: usize,
}

/// An entity page.
#[derive(Debug, Serialize)]
pub struct EntityPage<'a> {
    #[serde(flatten)]
    pub summary: EntitySummary,
    pub aliases: Vec<String>,
    pub body_html: String,
    pub links: Vec<String>,
    pub file: String,
    /// Sources that mention it, newest first.
    pub mentioned_in: MentionGroups<'a>,
    /// The entities named most often alongside it, at most
    /// [`MAX_COOCCURRING`]: every pair is in the exports.
    pub cooccurring: Vec<CooccurrenceView<'a>>,
    /// The entities named alongside it that the table leaves out.
    pub cooccurring_more: Option<MoreCooccurring>,
    /// Its neighbourhood in the co-occurrence network, as inline SVG (built
    /// and escaped by `render::network`); empty if it has none.
    pub network: Drawing,
}

impl<'a> EntityPage<'a> {
    /// The page showing the mentions in `sources` only (indices, in the
    /// order shown): one page of a paginated entity. Who is named alongside
    /// and the network are about the entity, not one page's sources: only
    /// the `first` page has them, and only it pays for drawing them.
    pub fn with_sources(
        site: &'a Site,
        index: usize,
        sources: &[usize],
        first: bool,
        views: &'a SourceViews,
    ) -> Self {
        let entity = &site.entities[index];
        let root = "../";
        let groups = sources
            .iter()
            .filter_map(|&source_index| {
                let mentions = entity.mentions_by_source.get(&source_index)?;
                let source = &site.sources[source_index];
                Some(SourceMentions {
                    source: &views.summaries[source_index].heading,
                    count: mentions.len(),
                    snippets: Snippets::new(source, views.keys[source_index], mentions, root),
                })
            })
            .collect();
        let mentioned_in = MentionGroups { groups, root };
        let network = match first {
            true => Drawing::new(
                site,
                super::network::neighbourhood_graph(site, index),
                "../",
                &format!(
                    "{} and the entities named in the same paragraphs",
                    entity.entity.name
                ),
            ),
            false => Drawing::default(),
        };
        EntityPage {
            network,
            summary: EntitySummary::new(entity),
            aliases: entity.entity.aliases.clone(),
            body_html: entity.entity.body_html.clone(),
            links: entity.entity.links.clone(),
            file: entity.entity.path.to_string_lossy().replace('\\', "/"),
            mentioned_in,
            cooccurring_more: entity
                .cooccurring
                .get(MAX_COOCCURRING)
                .filter(|_| first)
                .map(|most| MoreCooccurring {
                    entities: entity.cooccurring.len() - MAX_COOCCURRING,
                    sources: most.sources,
                }),
            cooccurring: entity
                .cooccurring
                .iter()
                .filter(|_| first)
                .take(MAX_COOCCURRING)
                .map(|c| CooccurrenceView {
                    entity: EntitySummary::new(&site.entities[c.entity]),
                    sources: c.sources,
                    paragraphs: c.paragraphs,
                    independent_sources: c.independent_sources,
                    first_source: c.first_source.map(|s| &views.summaries[s].heading),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet_html(text: &str, start: usize, end: usize) -> String {
        let mut html = String::new();
        snippet_html_into(text, start, end, &mut html);
        html
    }

    #[test]
    fn each_kind_of_block_has_its_element_anchor_and_number() {
        let block = |kind, number: usize, html: &str| BlockView {
            kind,
            number,
            anchor: format!("p{number}"),
            html: html.to_owned(),
            items: Vec::new(),
        };
        let mut list = block("list", 3, "");
        list.items = vec![block("item", 3, "one"), block("item", 4, "two")];
        let blocks = [
            block("heading", 1, "Talks"),
            block("text", 2, "<a href=\"x\">Lavrov</a> said"),
            list,
            block("markdown", 5, "<p>A table</p>"),
        ];
        let pilcrow = |n: usize| {
            format!("<a class=\"pilcrow\" href=\"#p{n}\" aria-label=\"Paragraph {n}\">¶{n}</a>")
        };
        assert_eq!(
            blocks_html(&blocks),
            format!(
                "<h2 id=\"p1\">{}Talks</h2>\n\
                 <p id=\"p2\">{}<a href=\"x\">Lavrov</a> said</p>\n\
                 <ul class=\"clip-list\">\n<li id=\"p3\">{}one</li>\n<li id=\"p4\">{}two</li>\n</ul>\n\
                 <div class=\"md-block\" id=\"p5\">{}<p>A table</p></div>\n",
                pilcrow(1),
                pilcrow(2),
                pilcrow(3),
                pilcrow(4),
                pilcrow(5)
            )
        );
    }

    #[test]
    fn snippets_cut_on_words_with_ellipses() {
        let text = "one two three four five six seven eight nine ten eleven twelve thirteen \
                    fourteen fifteen Assad sixteen seventeen";
        let start = text.find("Assad").unwrap();
        let (before, matched, after) = snippet(text, start, start + 5);
        assert_eq!(matched, "Assad");
        assert!(before.starts_with('…'), "{before}");
        assert!(!before.starts_with("…hree"), "{before}");
        assert_eq!(after, " sixteen seventeen");
    }

    #[test]
    fn context_reaches_as_far_as_counting_characters_reaches() {
        // ASCII stretches, and characters of two, three and four bytes
        // before, inside and after the context of a mention.
        let text = "Hassan Bakr said late on Monday in Aldermoor that the shipment had been \
                    held at the border, according to «Ουλιάνοφ» — officials familiar with \
                    Brevik’s 🙂 office. Then Homs, Ηомс and the road north of the city.";
        let counted_back =
            |before: &str| (before.char_indices().rev().nth(CONTEXT_CHARS)).map_or(0, |(i, _)| i);
        let counted_forward =
            |after: &str| (after.char_indices().nth(CONTEXT_CHARS)).map_or(after.len(), |(i, _)| i);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&at| text.is_char_boundary(at))
            .collect();
        for &at in &boundaries {
            let (before, after) = (&text[..at], &text[at..]);
            assert_eq!(reach_back(before), counted_back(before), "back from {at}");
            assert_eq!(
                reach_forward(after),
                counted_forward(after),
                "forward from {at}"
            );
        }
    }

    #[test]
    fn snippet_html_is_the_snippet_escaped() {
        let text = "«Ουλιάνοφ» said <Assad> & 'Peskov' met in Moscow, then Tartus; \
                    the talks in Astana, Doha & Geneva went on for weeks after the fall.";
        let words: Vec<(usize, usize)> = text
            .split(' ')
            .scan(0, |at, word| {
                let start = *at;
                *at += word.len() + 1;
                Some((start, start + word.len()))
            })
            .filter(|(start, end)| start < end)
            .collect();
        for (start, end) in words {
            let (before, matched, after) = snippet(text, start, end);
            let escaped = super::super::escape::escape_html;
            assert_eq!(
                snippet_html(text, start, end),
                format!(
                    "{}<mark>{}</mark>{}",
                    escaped(&before),
                    escaped(&matched),
                    escaped(&after)
                ),
                "{}",
                &text[start..end]
            );
        }
    }

    #[test]
    fn snippets_are_keyed_by_what_they_are_made_from() {
        use crate::cache::{key_of, Key};
        let text = "Dmitry Peskov told reporters in Moscow.";
        let (source, _) = crate::content::source::parse_source(
            &format!("Title\n\n{text}\n"),
            std::path::Path::new("content/sources/a.txt"),
        )
        .unwrap();
        let paragraph = source
            .paragraphs
            .iter()
            .position(|p| p.text == text)
            .unwrap();
        let start = text.find("Peskov").unwrap();
        let mut source = SiteSource {
            source,
            slug: "a".to_owned(),
            analysis: Default::default(),
            entity_counts: Default::default(),
        };
        source.analysis.mentions.push(Mention {
            paragraph,
            start,
            end: start + 6,
            entity: 0,
        });
        let mentions = [0];
        let snippets = Snippets::new(&source, Key::combine(&[b"one"]), &mentions, "../");
        // Rendered: the snippets themselves.
        let rendered = serde_json::to_value(&snippets).unwrap();
        let number = paragraph + 1;
        assert_eq!(
            rendered,
            format!(
                "<li><a class=\"para-ref\" href=\"../sources/a.html#p{number}\">¶{number}</a> \
                 <span class=\"kwic-text\">Dmitry <mark>Peskov</mark> told reporters in \
                 Moscow.</span></li>\n"
            )
        );
        // Keyed: the source's key and the entity, so another key (another
        // text, another id) is another view.
        let other = Snippets::new(&source, Key::combine(&[b"two"]), &mentions, "../");
        assert_ne!(
            key_of(Key::default(), &snippets),
            key_of(Key::default(), &other)
        );
        let same = Snippets::new(&source, Key::combine(&[b"one"]), &mentions, "../");
        assert_eq!(
            key_of(Key::default(), &snippets),
            key_of(Key::default(), &same)
        );

        // A source's section on an entity page: its heading, escaped, then
        // the snippets.
        let heading = SourceHeading {
            title: "Peskov <b>speaks</b> & \"more\"".to_owned(),
            title_inferred: false,
            path: "sources/a.html".to_owned(),
            date: Some("2024-12-09".to_owned()),
            date_display: Some("9 December 2024".to_owned()),
            date_inferred: false,
            outlet: Some("TASS".to_owned()),
            outlet_inferred: false,
        };
        let group = |count| SourceMentions {
            source: &heading,
            count,
            snippets: Snippets::new(&source, Key::combine(&[b"one"]), &mentions, "../"),
        };
        let groups = MentionGroups {
            groups: vec![group(1), group(2)],
            root: "../",
        };
        let html = groups.sections_html();
        let section = format!(
            "<section class=\"mention-group\">\n<h3><a href=\"../sources/a.html\">Peskov \
             &lt;b&gt;speaks&lt;/b&gt; &amp; &quot;more&quot;</a></h3>\n<p class=\"meta\">\
             <time datetime=\"2024-12-09\">9 December 2024</time> · TASS · 1 mention</p>\n\
             <ol class=\"kwic\">\n{rendered}</ol>\n</section>\n",
            rendered = rendered.as_str().unwrap()
        );
        assert!(html.starts_with(&section), "{html}");
        assert!(html.contains("· TASS · 2 mentions</p>"), "{html}");
        assert_eq!(serde_json::to_value(&groups).unwrap(), html);
    }

    #[test]
    fn snippet_html_escapes_the_words_and_marks_the_mention() {
        let text = "<b>Tom & Jerry's</b> said \"Assad\" <i>left</i>";
        let start = text.find("Assad").unwrap();
        assert_eq!(
            snippet_html(text, start, start + 5),
            "&lt;b&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt; said &quot;<mark>Assad</mark>&quot; \
             &lt;i&gt;left&lt;/i&gt;"
        );
    }
}
