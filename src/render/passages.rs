//! Shared passages on the pages: highlighted in a source's text with links to
//! every other paragraph carrying them, and, on the cross-reference index, a
//! source × source matrix of shared text with the list of all passages.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::content::text::decode_entity;
use crate::site::passages::{PassageKind, SharedPassage};
use crate::site::Site;

use super::views::{source_path, BlockView};

/// A paragraph that carries a passage.
#[derive(Debug, Serialize)]
pub struct PassagePlace {
    pub title: String,
    pub outlet: Option<String>,
    pub date: Option<String>,
    /// 1-based paragraph number.
    pub paragraph: usize,
    /// `sources/<slug>.html#p<N>`, relative to the site root.
    pub path: String,
    /// Whether this is the earliest source carrying the passage.
    pub first: bool,
}

/// One shared passage as a source page shows it.
#[derive(Debug, Serialize)]
pub struct SharedView {
    /// The element id of the passage on the page: `shared-<N>`, where N is
    /// its number on the cross-reference index.
    pub anchor: String,
    pub number: usize,
    /// Whether the cross-reference index lists it (at `#<anchor>`): it
    /// lists the first [`LISTED`] only.
    pub listed: bool,
    /// `verbatim` or `near`.
    pub kind: PassageKind,
    /// The passage as this source words it.
    pub text: String,
    pub words: usize,
    /// This source's paragraphs carrying it, as `#p<N>` anchors and numbers.
    pub here: Vec<usize>,
    /// The other sources' paragraphs carrying it, earliest source first,
    /// and how many more there are.
    pub elsewhere: Vec<PassagePlace>,
    pub elsewhere_left_out: usize,
    pub sources: usize,
}

/// The shared passages of source `index`, in order of their paragraphs.
pub fn source_shared(site: &Site, index: usize) -> Vec<SharedView> {
    let passages = &site.passages;
    passages
        .of_source(index)
        .into_iter()
        .map(|number| {
            let passage = &passages.passages[number];
            let mine = passage.occurrences_of(index);
            let text = &site.sources[index].source.paragraphs[mine[0].paragraph].text;
            let (elsewhere, elsewhere_left_out) = places(site, passage, Some(index));
            SharedView {
                anchor: format!("shared-{}", number + 1),
                number: number + 1,
                listed: number < LISTED,
                kind: passage.kind,
                text: text[mine[0].start..mine[0].end].to_owned(),
                words: mine[0].words,
                here: mine.iter().map(|o| o.paragraph + 1).collect(),
                elsewhere,
                elsewhere_left_out,
                sources: passage.source_count,
            }
        })
        .collect()
}

/// Places listed with a passage, or sources with a cluster: wire copy can
/// stand in thousands of sources, and a list of them all on each of their
/// pages would grow with the square of the dossier.
pub const PLACES_LISTED: usize = 12;

/// The earliest [`PLACES_LISTED`] places of a passage, leaving out
/// `except`, and how many more there are.
fn places(
    site: &Site,
    passage: &SharedPassage,
    except: Option<usize>,
) -> (Vec<PassagePlace>, usize) {
    let first_source = passage.occurrences[passage.first()].source;
    let items: Vec<PassagePlace> = (passage.in_time.iter())
        .map(|&i| &passage.occurrences[i as usize])
        .filter(|o| Some(o.source) != except)
        .take(PLACES_LISTED)
        .map(|o| PassagePlace {
            first: o.source == first_source,
            ..place(site, o.source, o.paragraph)
        })
        .collect();
    let here = except.map_or(0, |source| passage.occurrences_of(source).len());
    let left_out = passage.occurrences.len() - here - items.len();
    (items, left_out)
}

/// Highlights the shared passages of source `index` in its blocks.
pub fn mark_blocks(site: &Site, index: usize, blocks: &mut [BlockView]) {
    for block in blocks {
        if block.kind == "list" {
            mark_blocks(site, index, &mut block.items);
            continue;
        }
        mark_block(site, index, block);
    }
}

/// Highlights the shared passages in one block (paragraph `number - 1`).
pub fn mark_block(site: &Site, index: usize, block: &mut BlockView) {
    let paragraph = block.number - 1;
    if let ParagraphMarks::Shared(marks) = paragraph_marks(site, index, paragraph) {
        let text = &site.sources[index].source.paragraphs[paragraph].text;
        if let Some(html) = highlight(&block.html, text, &marks) {
            block.html = html;
        }
    }
}

/// Labels the blocks of source `index` left out of shared text as
/// boilerplate. This comes last: the label's word is not the paragraph's
/// text, and marking quotes after it would take it for some.
pub fn label_boilerplate<'a>(
    site: &Site,
    index: usize,
    blocks: impl IntoIterator<Item = &'a mut BlockView>,
) {
    for block in blocks {
        if block.kind == "list" {
            label_boilerplate(site, index, &mut block.items);
            continue;
        }
        if site
            .passages
            .boilerplate
            .contains(&(index, block.number - 1))
        {
            block.html = format!(
                "<span class=\"boilerplate-tag\" title=\"Repeated across sources of this outlet or much of the dossier: left out of shared text\">boilerplate</span> {}",
                block.html
            );
        }
    }
}

/// How the passages mark one paragraph of a source.
#[derive(Debug, Serialize)]
pub enum ParagraphMarks {
    /// Left out of shared text as boilerplate, and labelled so.
    Boilerplate,
    /// The stretches it shares with other sources, in order (often none).
    Shared(Vec<Mark>),
}

/// The marks of paragraph `paragraph` of source `index`.
pub fn paragraph_marks(site: &Site, index: usize, paragraph: usize) -> ParagraphMarks {
    if site.passages.boilerplate.contains(&(index, paragraph)) {
        return ParagraphMarks::Boilerplate;
    }
    let Some(numbers) = site.passages.by_paragraph.get(&(index, paragraph)) else {
        return ParagraphMarks::Shared(Vec::new());
    };
    let mut marks: Vec<Mark> = numbers
        .iter()
        .flat_map(|&number| {
            let passage = &site.passages.passages[number];
            let others = passage.source_count - 1;
            (passage.occurrences_in(index, paragraph).iter()).map(move |o| Mark {
                start: o.start,
                end: o.end,
                number: number + 1,
                others,
            })
        })
        .collect();
    marks.sort_by_key(|m| (m.start, m.end));
    ParagraphMarks::Shared(marks)
}

/// A stretch of a paragraph's text to highlight, and the passage it is.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    /// The passage's number (its anchor is `shared-<number>`).
    pub number: usize,
    /// How many other sources carry it.
    pub others: usize,
}

/// One piece of a paragraph's HTML: a tag, or the markup of one character
/// of text (itself, or an entity standing for it).
enum Piece<'a> {
    Tag(&'a str),
    Char(&'a str, char),
}

fn pieces(html: &str) -> Option<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let (piece, len) = match c {
            '<' => {
                let len = rest.find('>')? + 1;
                (Piece::Tag(&rest[..len]), len)
            }
            '&' => {
                let len = rest.find(';')? + 1;
                (Piece::Char(&rest[..len], decode_entity(&rest[..len])?), len)
            }
            c => (Piece::Char(&rest[..c.len_utf8()], c), c.len_utf8()),
        };
        pieces.push(piece);
        rest = &rest[len..];
    }
    Some(pieces)
}

/// Wraps each of `marks` (byte ranges of `text`, sorted, not overlapping
/// after merging) in `<mark>` inside `html`, the paragraph's HTML whose text
/// is `text`. Tags inside a mark close and reopen it, so elements always nest;
/// a link to the passage follows each mark, outside any link. None when the
/// HTML's text is not the paragraph's text (nothing is marked then).
pub fn highlight(html: &str, text: &str, marks: &[Mark]) -> Option<String> {
    if marks.is_empty() {
        return None;
    }
    let pieces = pieces(html)?;
    let offsets = align_text(&pieces, text)?;
    // The text offset each piece stands before.
    let mut next_offset = vec![text.len(); pieces.len() + 1];
    for i in (0..pieces.len()).rev() {
        next_offset[i] = offsets[i].unwrap_or(next_offset[i + 1]);
    }
    let marks = merge(marks);
    let mut out = String::with_capacity(html.len() + 128 * marks.len());
    let mut next = 0;
    let mut open: Option<&Mark> = None;
    let mut written = false;
    let mut link_depth = 0usize;
    let mut pending_refs: Vec<&Mark> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let at = next_offset[i];
        if let Some(mark) = open.filter(|m| at >= m.end) {
            if written {
                out.push_str("</mark>");
                written = false;
            }
            pending_refs.push(mark);
            open = None;
        }
        if link_depth == 0 {
            for mark in pending_refs.drain(..) {
                out.push_str(&reference(mark));
            }
        }
        if open.is_none() && next < marks.len() && at >= marks[next].start {
            open = Some(&marks[next]);
            next += 1;
        }
        match piece {
            Piece::Tag(tag) => {
                if written {
                    out.push_str("</mark>");
                    written = false;
                }
                let lower = tag.to_ascii_lowercase();
                if lower.starts_with("<a ") || lower == "<a>" {
                    link_depth += 1;
                } else if lower.starts_with("</a") {
                    link_depth = link_depth.saturating_sub(1);
                }
                out.push_str(tag);
            }
            Piece::Char(markup, _) => {
                if let (Some(mark), false, Some(_)) = (open, written, offsets[i]) {
                    out.push_str(&open_tag(mark));
                    written = true;
                }
                out.push_str(markup);
            }
        }
    }
    if written {
        out.push_str("</mark>");
    }
    pending_refs.extend(open);
    for mark in pending_refs {
        out.push_str(&reference(mark));
    }
    Some(out)
}

fn open_tag(mark: &Mark) -> String {
    let plural = if mark.others == 1 { "" } else { "s" };
    format!(
        "<mark class=\"shared\" title=\"Shared with {} other source{plural}\">",
        mark.others
    )
}

/// The offset in `text` of each character piece of the HTML, None for tags
/// and for white space the HTML adds (Markdown's line ends). None overall
/// when the HTML's text is not the paragraph's text.
fn align_text(pieces: &[Piece<'_>], text: &str) -> Option<Vec<Option<usize>>> {
    let mut at = 0;
    let mut offsets = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let Piece::Char(_, c) = piece else {
            offsets.push(None);
            continue;
        };
        loop {
            if text[at..].starts_with(*c) {
                offsets.push(Some(at));
                at += c.len_utf8();
                break;
            }
            if c.is_whitespace() {
                offsets.push(None);
                break;
            }
            let skipped = text[at..].chars().next().filter(|t| t.is_whitespace())?;
            at += skipped.len_utf8();
        }
    }
    text[at..].trim().is_empty().then_some(offsets)
}

/// Marks that overlap become one, keeping the first one's passage.
fn merge(marks: &[Mark]) -> Vec<Mark> {
    let mut merged: Vec<Mark> = Vec::new();
    for &mark in marks {
        match merged.last_mut() {
            Some(last) if mark.start < last.end => last.end = last.end.max(mark.end),
            _ => merged.push(mark),
        }
    }
    merged
}

/// How the link after a shared stretch of text starts: quotes marked later
/// leave these links out of their spans.
pub const REFERENCE_START: &str = "<a class=\"shared-ref\"";

fn reference(mark: &Mark) -> String {
    format!(
        "{REFERENCE_START} href=\"#shared-{0}\" title=\"Shared passage {0}: where else it appears\">⇄</a>",
        mark.number
    )
}

/// Sources shown in the source × source matrix: those sharing the most
/// text. A matrix of every source would grow with the square of the corpus.
const MATRIX_SOURCES: usize = 24;

/// Passages, boilerplate paragraphs and clusters listed in the index; the
/// rest are found on the source pages, which list their own.
const LISTED: usize = 100;

/// The cross-reference index's view of shared text.
#[derive(Debug, Serialize)]
pub struct SharedTextView {
    /// The sources sharing the most text, in the order of the entity ×
    /// source matrix; rows and columns alike.
    pub rows: Vec<SharedRow>,
    /// Sources that share text but are left out of the matrix.
    pub rows_left_out: usize,
    pub passages: Vec<PassageView>,
    pub passages_left_out: usize,
    /// Paragraphs left out as boilerplate.
    pub boilerplate: Vec<PassagePlace>,
    pub boilerplate_left_out: usize,
    pub clusters: Vec<ClusterView>,
    pub clusters_left_out: usize,
}

#[derive(Debug, Serialize)]
pub struct SharedRow {
    pub code: String,
    pub title: String,
    pub path: String,
    /// One per column: passages shared with that source (None on the
    /// diagonal).
    pub cells: Vec<Option<SharedCell>>,
}

#[derive(Debug, Serialize)]
pub struct SharedCell {
    pub passages: usize,
    pub words: usize,
}

#[derive(Debug, Serialize)]
pub struct PassageView {
    pub anchor: String,
    pub number: usize,
    pub kind: PassageKind,
    pub text: String,
    pub words: usize,
    pub places: Vec<PassagePlace>,
    pub places_left_out: usize,
    pub sources: usize,
}

/// Sources that share wire text: counted once for corroboration.
#[derive(Debug, Serialize)]
pub struct ClusterView {
    pub sources: Vec<PassagePlace>,
    pub sources_left_out: usize,
}

impl SharedTextView {
    /// `by_date` is the column order of the entity × source matrix.
    pub fn new(site: &Site, by_date: &[usize]) -> Self {
        let passages = &site.passages.passages;
        let position: BTreeMap<usize, usize> =
            by_date.iter().enumerate().map(|(n, &s)| (s, n)).collect();
        let sharing = sources_sharing(site);
        let shown = matrix_sources(&sharing, &position);
        let mut cells: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        for passage in passages {
            let sources: Vec<usize> = passage
                .sources()
                .into_iter()
                .filter(|s| shown.contains(s))
                .collect();
            for &a in &sources {
                for &b in sources.iter().filter(|&&b| b != a) {
                    let cell = cells.entry((a, b)).or_default();
                    cell.0 += 1;
                    cell.1 += passage.common_words;
                }
            }
        }
        let mut order: Vec<usize> = shown.iter().copied().collect();
        order.sort_by_key(|s| position[s]);
        let rows = order
            .iter()
            .map(|&index| {
                let source = &site.sources[index];
                SharedRow {
                    code: format!("S{}", position[&index] + 1),
                    title: source.source.title.value.clone(),
                    path: source_path(source),
                    cells: order
                        .iter()
                        .map(|&column| {
                            (column != index).then(|| {
                                let (passages, words) =
                                    cells.get(&(index, column)).copied().unwrap_or_default();
                                SharedCell { passages, words }
                            })
                        })
                        .collect(),
                }
            })
            .collect();
        let boilerplate = &site.passages.boilerplate;
        let all_clusters = clusters(site, by_date);
        SharedTextView {
            rows,
            rows_left_out: sharing.len().saturating_sub(shown.len()),
            passages: passages
                .iter()
                .take(LISTED)
                .enumerate()
                .map(|(number, passage)| {
                    let (places, places_left_out) = places(site, passage, None);
                    PassageView {
                        anchor: format!("shared-{}", number + 1),
                        number: number + 1,
                        kind: passage.kind,
                        text: passage.text.clone(),
                        words: passage.common_words,
                        places,
                        places_left_out,
                        sources: passage.source_count,
                    }
                })
                .collect(),
            passages_left_out: passages.len().saturating_sub(LISTED),
            boilerplate: boilerplate
                .iter()
                .take(LISTED)
                .map(|&(s, p)| place(site, s, p))
                .collect(),
            boilerplate_left_out: boilerplate.len().saturating_sub(LISTED),
            clusters_left_out: all_clusters.len().saturating_sub(LISTED),
            clusters: all_clusters.into_iter().take(LISTED).collect(),
        }
    }
}

/// Words each source shares with others, over every passage it carries.
fn sources_sharing(site: &Site) -> BTreeMap<usize, usize> {
    let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
    for passage in &site.passages.passages {
        let sources = passage.sources();
        let words = passage.common_words * sources.len().saturating_sub(1);
        for source in sources {
            *shared.entry(source).or_default() += words;
        }
    }
    shared
}

/// The sources of the matrix: those sharing the most words, ties by date
/// order. Every source with shared text when there are few.
fn matrix_sources(
    sharing: &BTreeMap<usize, usize>,
    position: &BTreeMap<usize, usize>,
) -> BTreeSet<usize> {
    let mut sharing: Vec<(usize, usize)> = sharing.iter().map(|(&s, &w)| (s, w)).collect();
    sharing.sort_by(|a, b| b.1.cmp(&a.1).then(position[&a.0].cmp(&position[&b.0])));
    sharing
        .into_iter()
        .take(MATRIX_SOURCES)
        .map(|(source, _)| source)
        .collect()
}

fn place(site: &Site, index: usize, paragraph: usize) -> PassagePlace {
    let source = &site.sources[index];
    let s = &source.source;
    PassagePlace {
        title: s.title.value.clone(),
        outlet: s.outlet.as_ref().map(|x| x.value.clone()),
        date: s.date.as_ref().map(|d| d.value.to_string()),
        paragraph: paragraph + 1,
        path: format!("{}#p{}", source_path(source), paragraph + 1),
        first: false,
    }
}

/// Clusters of two or more sources, each in date order.
fn clusters(site: &Site, by_date: &[usize]) -> Vec<ClusterView> {
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &index in by_date.iter().rev() {
        groups
            .entry(site.clusters.cluster_of(index))
            .or_default()
            .push(index);
    }
    groups
        .into_values()
        .filter(|members| members.len() > 1)
        .map(|members| {
            let first = site.clusters.first(&members);
            let left_out = members.len().saturating_sub(PLACES_LISTED);
            let items = (members.into_iter().take(PLACES_LISTED))
                .map(|s| {
                    let source = &site.sources[s];
                    PassagePlace {
                        path: source_path(source),
                        paragraph: 0,
                        first: Some(s) == first,
                        ..place(site, s, 0)
                    }
                })
                .collect();
            ClusterView {
                sources: items,
                sources_left_out: left_out,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize) -> Mark {
        Mark {
            start,
            end,
            number: 2,
            others: 1,
        }
    }

    #[test]
    fn marks_text_and_reopens_around_tags() {
        let text = "He said Assad & co left today";
        let html = "He said <a class=\"mention\" href=\"x.html\">Assad</a> &amp; co left today";
        let start = text.find("Assad").unwrap();
        let end = text.find(" today").unwrap();
        let out = highlight(html, text, &[mark(start, end)]).unwrap();
        let open = "<mark class=\"shared\" title=\"Shared with 1 other source\">";
        assert_eq!(
            out,
            format!(
                "He said <a class=\"mention\" href=\"x.html\">{open}Assad</mark></a>{open} &amp; co left</mark>\
                 <a class=\"shared-ref\" href=\"#shared-2\" title=\"Shared passage 2: where else it appears\">⇄</a> today"
            )
        );
    }

    #[test]
    fn markdown_line_ends_do_not_stop_the_highlight() {
        let text = "As Reuters wrote: talks resume";
        let html = "<p>As <em>Reuters</em> wrote: talks resume</p>\n";
        let out = highlight(html, text, &[mark(3, text.len())]).unwrap();
        assert!(out.starts_with("<p>As <em><mark"), "{out}");
        assert!(
            out.contains("talks resume</mark><a class=\"shared-ref\""),
            "{out}"
        );
    }

    #[test]
    fn the_passage_link_waits_until_outside_a_mention_link() {
        let text = "carried by TASS today";
        let html = "carried by <a href=\"t.html\">TASS</a> today";
        let end = text.find("SS").unwrap();
        let out = highlight(html, text, &[mark(0, end)]).unwrap();
        let link_at = out.find("shared-ref").unwrap();
        assert!(link_at > out.find("</a>").unwrap(), "{out}");
    }

    #[test]
    fn leaves_html_alone_when_its_text_differs() {
        assert!(highlight("<p>other</p>", "text", &[mark(0, 2)]).is_none());
    }

    #[test]
    fn decodes_numeric_entities() {
        assert_eq!(decode_entity("&#x2019;"), Some('’'));
        assert_eq!(decode_entity("&#39;"), Some('\''));
        assert_eq!(decode_entity("&bogus;"), None);
    }
}
