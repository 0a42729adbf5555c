//! Views of quotes: each quote with its speaker, its channel and the other
//! sources carrying the same words; quotes marked in a source's text; the
//! quotes of an entity; and quotes by speaker for the cross-reference index.

use std::fmt::Write;

use serde::Serialize;

use crate::analysis::{AttributedBy, Quote};
use crate::site::quotes::QuoteRef;
use crate::site::Site;

use super::date_text::day_month_year;
use super::escape::escape_html_into;
use super::paragraph::escape;
use super::passages::PLACES_LISTED;
use super::views::{entity_path, source_path, BlockView};
use crate::content::text::decode_entity;

/// A quote as templates see it.
#[derive(Debug, Serialize)]
pub struct QuoteView {
    /// `quote-<N>`, the anchor of the quote in its source's list.
    pub anchor: String,
    pub number: usize,
    pub text: String,
    pub fragment: bool,
    /// Path of the paragraph: `sources/<slug>.html#p<N>`.
    pub path: String,
    pub paragraph: usize,
    pub source_title: String,
    pub source_path: String,
    pub speaker: Option<Named>,
    /// The speaker as the text describes it, when it names no entity.
    pub description: Option<String>,
    pub channel: Option<Named>,
    /// The attributing words of the text (`said Jolani`).
    pub cue: Option<String>,
    /// `name`, `pronoun`, `reference`, `description`, `channel`, or
    /// `none` when unattributed.
    pub attributed_by: &'static str,
    /// A one-line account of who said it, for titles and lists.
    pub who: String,
    /// The sources carrying the same words, this one included: the
    /// earliest [`PLACES_LISTED`] in source order, and how many more.
    pub carried_by: Vec<Carrier>,
    pub carried_by_left_out: usize,
    /// How many of those are independent: sources reprinting the same wire
    /// text count once.
    pub independent: usize,
    /// The earliest source carrying the words (by date; undated last).
    pub first: Option<FirstCarrier>,
}

/// What marking a quote in its source's text needs of its view: made once,
/// when the page's list of quotes is, so the text need not make the views
/// again.
#[derive(Debug, Serialize)]
pub struct QuoteMark {
    pub anchor: String,
    pub number: usize,
    pub who: String,
}

impl QuoteMark {
    pub fn of(view: &QuoteView) -> Self {
        QuoteMark {
            anchor: view.anchor.clone(),
            number: view.number,
            who: view.who.clone(),
        }
    }
}

/// The source that had a quote first, and its outlet.
#[derive(Debug, Serialize)]
pub struct FirstCarrier {
    pub title: String,
    pub path: String,
    pub outlet: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Named {
    pub name: String,
    pub path: String,
    pub kind: crate::content::EntityKind,
}

/// A source that carries a quote, linked to its paragraph.
#[derive(Debug, Serialize)]
pub struct Carrier {
    pub title: String,
    /// `sources/<slug>.html#p<N>`.
    pub path: String,
    pub paragraph: usize,
    /// Whether it is the source the view is shown in.
    pub current: bool,
}

impl QuoteView {
    /// The view of the quote `at` as `listing` shows it.
    pub fn new(site: &Site, at: QuoteRef, listing: QuoteListing) -> Self {
        let source = &site.sources[at.source];
        let quote: &Quote = &source.analysis.quotes[at.quote];
        let attribution = quote.attribution.as_ref();
        let (speaker, description, channel) = attributed(site, quote);
        let who = who(speaker.as_ref(), description.as_deref(), channel.as_ref());
        let group = site.quotes.group(at);
        // Listed: this source and the earliest others; a quote reprinted in
        // thousands of sources would otherwise list them all on each page.
        // The index, which lists thousands of quotes, lists two of them.
        let others_listed = match listing {
            QuoteListing::Index => 2,
            QuoteListing::InItsSource | QuoteListing::Elsewhere => PLACES_LISTED - 1,
        };
        let mut others: Vec<usize> = (group.sources_in_time.iter().copied())
            .filter(|&s| s != at.source)
            .take(others_listed)
            .collect();
        let carried_by_left_out = group.sources.len() - 1 - others.len();
        others.push(at.source);
        others.sort_unstable();
        let carried_by = (others.into_iter())
            .map(|listed| {
                // In its own source, the quote itself stands for the group.
                let member = match listed == at.source {
                    true => &at,
                    // Members are in source order: the source's first.
                    false => &group.members[group.members.partition_point(|m| m.source < listed)],
                };
                let other = &site.sources[listed];
                let paragraph = other.analysis.quotes[member.quote].paragraph + 1;
                Carrier {
                    title: other.source.title.value.clone(),
                    path: format!("{}#p{paragraph}", source_path(other)),
                    paragraph,
                    current: listed == at.source && listing == QuoteListing::InItsSource,
                }
            })
            .collect();
        let corroboration = group.corroboration;
        let first = corroboration.first.map(|index| {
            let first = &site.sources[index];
            FirstCarrier {
                title: first.source.title.value.clone(),
                path: source_path(first),
                outlet: first.source.outlet.as_ref().map(|o| o.value.clone()),
                date: first.source.date.as_ref().map(|d| day_month_year(d.value)),
            }
        });
        QuoteView {
            anchor: format!("quote-{}", at.quote + 1),
            number: at.quote + 1,
            text: quote.text.clone(),
            fragment: quote.fragment,
            path: format!("{}#p{}", source_path(source), quote.paragraph + 1),
            paragraph: quote.paragraph + 1,
            source_title: source.source.title.value.clone(),
            source_path: source_path(source),
            speaker,
            description,
            channel,
            cue: attribution.map(|a| a.cue.clone()),
            attributed_by: match attribution.map(|a| a.by) {
                None => "none",
                Some(AttributedBy::Name) => "name",
                Some(AttributedBy::Pronoun) => "pronoun",
                Some(AttributedBy::Reference) => "reference",
                Some(AttributedBy::Description) => "description",
                Some(AttributedBy::Channel) => "channel",
            },
            who,
            carried_by,
            carried_by_left_out,
            independent: corroboration.independent,
            first,
        }
    }
}

/// Where a list of quotes stands, which decides how each item begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteListing {
    /// The quote's own source page: each item is the target of the link
    /// beside the quote in the text, and links back to its paragraph.
    InItsSource,
    /// An entity's page.
    Elsewhere,
    /// The cross-reference index: of the other sources carrying each
    /// quote, the two earliest are listed and the rest counted.
    Index,
}

/// Quotes listed on a page: templates see them as one `<li>` per quote
/// (`<ol class="quote-list">{{ page.quotes | safe }}</ol>`); for the page
/// memo they are keyed by their views.
#[derive(Debug)]
pub struct QuoteItems {
    views: Vec<QuoteView>,
    /// Leads from the page to the site's root.
    root: &'static str,
    listing: QuoteListing,
}

impl QuoteItems {
    pub fn new(views: Vec<QuoteView>, root: &'static str, listing: QuoteListing) -> Self {
        QuoteItems {
            views,
            root,
            listing,
        }
    }

    /// One `<li class="quote-entry">` per quote, each on lines of its own.
    pub fn items_html(&self) -> String {
        let mut html = String::new();
        for quote in &self.views {
            match self.listing {
                QuoteListing::InItsSource => {
                    let (anchor, number, paragraph) =
                        (&quote.anchor, quote.number, quote.paragraph);
                    let _ = writeln!(
                        html,
                        "<li id=\"{anchor}\" class=\"quote-entry\"><a class=\"para-ref\" href=\"#p{paragraph}\">¶{paragraph}</a> <a class=\"quote-number\" href=\"#{anchor}-text\">q{number}</a>"
                    );
                }
                QuoteListing::Elsewhere | QuoteListing::Index => {
                    html.push_str("<li class=\"quote-entry\">")
                }
            }
            quote_html_into(quote, self.root, &mut html);
            html.push_str("</li>\n");
        }
        html
    }
}

impl Serialize for QuoteItems {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(serializer, || self.items_html(), || &self.views)
    }
}

/// The markup of one quote, appended to `out` on a page `root` leads from
/// to the site's root: its words, who said it and how the text says so,
/// and every source carrying it.
///
/// Written here, not by a template, for the reason dated sentences are
/// (see `timeline::event_html_into`): a large dossier lists hundreds of
/// thousands of quotes, each a score of template look-ups.
pub fn quote_html_into(quote: &QuoteView, root: &str, out: &mut String) {
    let text = escape_html_into;
    let link = |path: &str, out: &mut String| open_link(root, path, out);

    out.push_str("<blockquote class=\"quote-text");
    if quote.fragment {
        out.push_str(" fragment\" title=\"Quoted inside a sentence of the reporter's");
    }
    out.push_str("\">“");
    text(&quote.text, out);
    out.push_str("”</blockquote>\n<p class=\"quote-who\">\n  ");
    if let Some(speaker) = &quote.speaker {
        named_link(speaker, root, out);
    } else if let Some(description) = given(&quote.description) {
        out.push_str("<span class=\"unnamed\" title=\"The text does not name the speaker\">");
        text(description, out);
        out.push_str("</span>");
    } else if quote.channel.is_some() {
        out.push_str("<span class=\"unnamed\">unnamed speaker</span>");
    } else {
        out.push_str("<span class=\"unattributed\">unattributed</span>");
    }
    if let Some(channel) = &quote.channel {
        out.push_str(" <span class=\"via\">via ");
        named_link(channel, root, out);
        out.push_str("</span>");
    }
    out.push_str("\n  ");
    if let Some(cue) = given(&quote.cue) {
        out.push_str(
            "<span class=\"cue\" title=\"The words of the text that attribute the quote\">“",
        );
        text(cue, out);
        out.push('”');
        match quote.attributed_by {
            "pronoun" => out.push_str(" · pronoun resolved"),
            "reference" => out.push_str(" · reference resolved"),
            _ => {}
        }
        out.push_str("</span>");
    }
    out.push_str("\n</p>\n<p class=\"quote-sources\">");
    let carriers = quote.carried_by.len() + quote.carried_by_left_out;
    if carriers > 1 {
        let independent = quote.independent;
        let _ = write!(
            out,
            "<strong>In {carriers} sources</strong>, {independent} independent"
        );
        if independent < carriers {
            out.push_str(" (the others reprint the same wire text)");
        }
        if let Some(first) = &quote.first {
            out.push_str("; first in ");
            link(&first.path, out);
            out.push('>');
            text(&first.title, out);
            out.push_str("</a>");
            if let Some(outlet) = given(&first.outlet) {
                out.push_str(" (");
                text(outlet, out);
                out.push(')');
            }
            if let Some(date) = given(&first.date) {
                out.push_str(", ");
                text(date, out);
            }
        }
        out.push_str(":<br> ");
        for (n, carrier) in quote.carried_by.iter().enumerate() {
            if n > 0 {
                out.push_str(" · ");
            }
            if !carrier.current {
                link(&carrier.path, out);
                out.push('>');
            }
            text(&carrier.title, out);
            let _ = write!(out, " ¶{}", carrier.paragraph);
            if !carrier.current {
                out.push_str("</a>");
            }
        }
        if quote.carried_by_left_out > 0 {
            let _ = write!(out, " · and {} more", quote.carried_by_left_out);
        }
    } else {
        link(&quote.path, out);
        out.push('>');
        text(&quote.source_title, out);
        let _ = write!(
            out,
            " ¶{}</a> · no other source carries it",
            quote.paragraph
        );
    }
    out.push_str("</p>\n");
}

/// A value that is there and not empty: an empty one is left out, as a
/// template's `if` would leave it.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// The start of a link to `path` (from the site's root) on a page `root`
/// leads from to it: `<a href="…"`, for the caller to close.
fn open_link(root: &str, path: &str, out: &mut String) {
    out.push_str("<a href=\"");
    escape_html_into(root, out);
    escape_html_into(path, out);
    out.push('"');
}

/// A link to an entity's page, coloured by its kind.
fn named_link(named: &Named, root: &str, out: &mut String) {
    open_link(root, &named.path, out);
    let _ = write!(out, " class=\"kind-{}\">", named.kind.as_str());
    escape_html_into(&named.name, out);
    out.push_str("</a>");
}

/// `Dmitry Peskov`, `a Kremlin source, via TASS`, `unattributed`.
/// What a quote's attribution names: its speaker, the description of an
/// unnamed one, and the channel.
fn attributed(site: &Site, quote: &Quote) -> (Option<Named>, Option<String>, Option<Named>) {
    let named = |entity: usize| {
        let e = &site.entities[entity];
        Named {
            name: e.entity.name.clone(),
            path: entity_path(e),
            kind: e.entity.kind,
        }
    };
    let attribution = quote.attribution.as_ref();
    (
        attribution.and_then(|a| a.speaker).map(named),
        attribution.and_then(|a| a.description.clone()),
        attribution.and_then(|a| a.channel).map(named),
    )
}

/// [`who`] of a quote, without the rest of its view.
fn who_said(site: &Site, quote: &Quote) -> String {
    let (speaker, description, channel) = attributed(site, quote);
    who(speaker.as_ref(), description.as_deref(), channel.as_ref())
}

fn who(speaker: Option<&Named>, description: Option<&str>, channel: Option<&Named>) -> String {
    let mut who = match (speaker, description) {
        (Some(speaker), _) => speaker.name.clone(),
        (None, Some(description)) => description.to_owned(),
        (None, None) if channel.is_some() => "unnamed".to_owned(),
        (None, None) => "unattributed".to_owned(),
    };
    if let Some(channel) = channel {
        who.push_str(&format!(", via {}", channel.name));
    }
    who
}

/// The quotes of one source, in order.
pub fn source_quotes(site: &Site, source: usize) -> Vec<QuoteView> {
    (0..site.sources[source].analysis.quotes.len())
        .map(|quote| QuoteView::new(site, QuoteRef { source, quote }, QuoteListing::InItsSource))
        .collect()
}

/// Quotes listed per speaker (index) or per entity (entity page); the rest
/// are counted, so no page grows with the corpus.
pub const LISTED_QUOTES: usize = 25;

/// A bounded list of quotes and how many there are in all.
#[derive(Debug, Default, Serialize)]
pub struct QuoteList {
    pub quotes: Vec<QuoteView>,
    pub total: usize,
}

impl QuoteList {
    /// The quotes of `refs`, each group of the same words once, as its first
    /// quote: a statement that a hundred sources reprint is one quote
    /// carried by a hundred sources, not the whole list a hundred times.
    fn of(site: &Site, refs: impl Iterator<Item = QuoteRef>, listing: QuoteListing) -> Self {
        let mut list = QuoteList::default();
        let mut groups_seen = std::collections::HashSet::new();
        for r in refs {
            if !groups_seen.insert(site.quotes.group_of[r.source][r.quote]) {
                continue;
            }
            if list.quotes.len() < LISTED_QUOTES {
                list.quotes.push(QuoteView::new(site, r, listing));
            }
            list.total += 1;
        }
        list
    }
}

/// The quotes an entity is the speaker of, then those it relays as
/// channel, each list in source order.
pub fn entity_quotes(site: &Site, entity: usize) -> (QuoteList, QuoteList) {
    let of = |index: &std::collections::BTreeMap<usize, Vec<QuoteRef>>| {
        let refs = index.get(&entity).into_iter().flatten().copied();
        QuoteList::of(site, refs, QuoteListing::Elsewhere)
    };
    (of(&site.quotes.by_speaker), of(&site.quotes.by_channel))
}

/// A speaker and their quotes, for the cross-reference index.
#[derive(Debug, Serialize)]
pub struct SpeakerQuotes {
    pub name: String,
    /// The entity page, when the speaker is an entity.
    pub path: Option<String>,
    /// At most [`LISTED_QUOTES`] of them.
    pub quotes: QuoteItems,
    pub listed: usize,
    pub total: usize,
}

/// Quotes by speaker: named speakers A to Z, then speakers described but
/// not named, then unattributed quotes.
pub fn quotes_by_speaker(site: &Site) -> Vec<SpeakerQuotes> {
    let mut named: Vec<SpeakerQuotes> = site
        .quotes
        .by_speaker
        .iter()
        .map(|(&entity, refs)| {
            let list = QuoteList::of(site, refs.iter().copied(), QuoteListing::Index);
            SpeakerQuotes {
                name: site.entities[entity].entity.name.clone(),
                path: Some(entity_path(&site.entities[entity])),
                listed: list.quotes.len(),
                quotes: QuoteItems::new(list.quotes, "", QuoteListing::Index),
                total: list.total,
            }
        })
        .collect();
    named.sort_by_key(|s| (s.name.to_lowercase(), s.name.clone()));
    let mut described: std::collections::BTreeMap<String, Vec<QuoteRef>> = Default::default();
    let mut unattributed = Vec::new();
    for (source, s) in site.sources.iter().enumerate() {
        for (quote, q) in s.analysis.quotes.iter().enumerate() {
            let at = QuoteRef { source, quote };
            match &q.attribution {
                Some(a) if a.speaker.is_some() => {}
                Some(_) => described
                    .entry(format!("Unnamed: {}", who_said(site, q)))
                    .or_default()
                    .push(at),
                None => unattributed.push(at),
            }
        }
    }
    let unnamed = described
        .into_iter()
        .chain((!unattributed.is_empty()).then(|| ("Unattributed".to_owned(), unattributed)));
    named.extend(unnamed.map(|(name, refs)| {
        let list = QuoteList::of(site, refs.into_iter(), QuoteListing::Index);
        SpeakerQuotes {
            name,
            path: None,
            listed: list.quotes.len(),
            quotes: QuoteItems::new(list.quotes, "", QuoteListing::Index),
            total: list.total,
        }
    }));
    named
}

/// Marks the quotes of a source in its blocks' HTML: each quote is wrapped
/// in `<span class="quote">`, split around tags so nesting stays valid, and
/// followed by a numbered link to its entry in the source's list.
pub fn mark_blocks(blocks: &mut [BlockView], site: &Site, source: usize, quotes: &[QuoteMark]) {
    let s = &site.sources[source];
    for block in blocks.iter_mut() {
        mark_blocks(&mut block.items, site, source, quotes);
        let Some(paragraph) = s.source.paragraphs.get(block.number - 1) else {
            continue;
        };
        if block.html.is_empty() {
            continue;
        }
        let here: Vec<(&Quote, &QuoteMark)> = s
            .analysis
            .quotes
            .iter()
            .zip(quotes)
            .filter(|(q, _)| q.paragraph + 1 == block.number)
            .collect();
        if !here.is_empty() {
            block.html = mark_quotes(&block.html, &paragraph.text, &here);
        }
    }
}

/// One HTML character: its text and how many bytes it takes in the HTML.
fn next_html_char(html: &str) -> (Option<char>, usize) {
    if let Some(rest) = html.strip_prefix('&') {
        if let Some(end) = rest.find(';').filter(|&e| e <= 8) {
            return (decode_entity(&html[..end + 2]), end + 2);
        }
    }
    let c = html.chars().next().expect("non-empty");
    (Some(c), c.len_utf8())
}

/// Wraps the byte ranges of `quotes` (in `text`) in the paragraph's `html`,
/// whose text is `text` (or a subsequence of it) with tags and escapes.
/// A quote's span is opened at its first character and closed around each
/// tag, so it never holds a tag or nothing at all; links the page adds to
/// the text (to a shared passage) stay outside it.
fn mark_quotes(html: &str, text: &str, quotes: &[(&Quote, &QuoteMark)]) -> String {
    let mut out = String::with_capacity(html.len() + quotes.len() * 160);
    let mut at = 0; // position in text
    let mut rest = html;
    let mut open: Option<usize> = None; // index of the quote under way
    let mut next = 0; // next quote to open
    let mut span_open = false; // whether `out` ends inside a quote's span
    let mut first_span = false; // whether the quote's id is still to be written
    while !rest.is_empty() {
        if open.is_none() && next == quotes.len() {
            // Every quote is marked: the rest is copied as it is.
            out.push_str(rest);
            break;
        }
        if rest.starts_with('<') {
            // A shared passage's link is not the paragraph's text: it is
            // copied whole, its arrow left out of the quote.
            let end = match rest.starts_with(super::passages::REFERENCE_START) {
                true => rest.find("</a>").map(|e| e + "</a>".len()),
                false => rest.find('>').map(|e| e + 1),
            }
            .unwrap_or(rest.len());
            if span_open {
                out.push_str("</span>");
                span_open = false;
            }
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let (decoded, length) = next_html_char(rest);
        let piece = &rest[..length];
        rest = &rest[length..];
        // Find this character in the text from `at` on; whitespace the
        // HTML adds between tags is not in the text.
        let position = decoded.and_then(|c| {
            let found = text[at..].find(c).map(|i| at + i);
            if c.is_whitespace() && !text[at..].starts_with(c) {
                None
            } else {
                found
            }
        });
        if let Some(position) = position {
            if open.is_none() && next < quotes.len() && position >= quotes[next].0.start {
                open = Some(next);
                first_span = true;
                next += 1;
            }
            at = position + decoded.map_or(0, char::len_utf8);
        }
        if let (Some(q), false) = (open, span_open) {
            out.push_str(&span_tag(quotes[q].1, first_span));
            span_open = true;
            first_span = false;
        }
        out.push_str(piece);
        if let Some(q) = open {
            if at >= quotes[q].0.end {
                out.push_str("</span>");
                out.push_str(&note(quotes[q].1));
                open = None;
                span_open = false;
            }
        }
    }
    if span_open {
        out.push_str("</span>");
    }
    if let Some(q) = open {
        out.push_str(&note(quotes[q].1));
    }
    out
}

/// The start of one of a quote's spans: the first carries its id and who
/// said it.
fn span_tag(view: &QuoteMark, first: bool) -> String {
    if first {
        format!(
            "<span class=\"quote\" id=\"{}-text\" title=\"{}\">",
            view.anchor,
            escape(&view.who)
        )
    } else {
        "<span class=\"quote\">".to_owned()
    }
}

/// The numbered link after a quote to its entry in the list of quotes.
fn note(view: &QuoteMark) -> String {
    format!(
        "<a class=\"quote-note\" href=\"#{}\" title=\"{}\">q{}</a>",
        view.anchor,
        escape(&view.who),
        view.number
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(number: usize, who: &str) -> QuoteView {
        QuoteView {
            anchor: format!("quote-{number}"),
            number,
            text: String::new(),
            fragment: false,
            path: String::new(),
            paragraph: 1,
            source_title: String::new(),
            source_path: String::new(),
            speaker: None,
            description: None,
            channel: None,
            cue: None,
            attributed_by: "none",
            who: who.to_owned(),
            carried_by: Vec::new(),
            carried_by_left_out: 0,
            independent: 1,
            first: None,
        }
    }

    fn quote(start: usize, end: usize) -> Quote {
        Quote {
            paragraph: 0,
            start,
            end,
            text: String::new(),
            fragment: false,
            attribution: None,
        }
    }

    #[test]
    fn quotes_are_wrapped_around_links_without_breaking_nesting() {
        let text = "“Today, Syria is pure,” he said & left.";
        let html =
            "“Today, <a class=\"mention\" href=\"x\">Syria</a> is pure,” he said &amp; left.";
        let end = text.find(" he").unwrap();
        let q = quote(0, end);
        let v = view(1, "A <b>");
        let marked = mark_quotes(html, text, &[(&q, &QuoteMark::of(&v))]);
        assert_eq!(
            marked,
            "<span class=\"quote\" id=\"quote-1-text\" title=\"A &lt;b&gt;\">“Today, </span>\
             <a class=\"mention\" href=\"x\"><span class=\"quote\">Syria</span></a>\
             <span class=\"quote\"> is pure,”</span><a class=\"quote-note\" href=\"#quote-1\" \
             title=\"A &lt;b&gt;\">q1</a> he said &amp; left."
        );
    }

    #[test]
    fn a_shared_passage_link_inside_a_quote_is_left_out_of_it() {
        let text = "“We arrived in Moscow,” a source said.";
        let html = "“We <mark class=\"shared\">arrived in Moscow</mark>\
                    <a class=\"shared-ref\" href=\"#shared-1\">⇄</a>,” a source said.";
        let q = quote(0, text.find(" a source").unwrap());
        let v = view(1, "unattributed");
        let marked = mark_quotes(html, text, &[(&q, &QuoteMark::of(&v))]);
        assert_eq!(
            marked,
            "<span class=\"quote\" id=\"quote-1-text\" title=\"unattributed\">“We </span>\
             <mark class=\"shared\"><span class=\"quote\">arrived in Moscow</span></mark>\
             <a class=\"shared-ref\" href=\"#shared-1\">⇄</a><span class=\"quote\">,”</span>\
             <a class=\"quote-note\" href=\"#quote-1\" title=\"unattributed\">q1</a> a source said."
        );
    }

    #[test]
    fn escaped_characters_count_as_one() {
        let text = "a & b “x & y” z";
        let html = "a &amp; b “x &amp; y” z";
        let start = text.find('“').unwrap();
        let end = text.find(" z").unwrap();
        let q = quote(start, end);
        let v = view(2, "unattributed");
        let marked = mark_quotes(html, text, &[(&q, &QuoteMark::of(&v))]);
        assert!(
            marked.starts_with("a &amp; b <span class=\"quote\" id=\"quote-2-text\" title=\"unattributed\">“x &amp; y”</span>"),
            "{marked}"
        );
    }

    #[test]
    fn a_quote_is_written_as_text_with_its_speaker_channel_and_carriers() {
        let named = |name: &str, path: &str| Named {
            name: name.to_owned(),
            path: path.to_owned(),
            kind: crate::content::EntityKind::Person,
        };
        let carrier = |title: &str, current: bool| Carrier {
            title: title.to_owned(),
            path: format!("sources/{}.html#p2", title.to_lowercase()),
            paragraph: 2,
            current,
        };
        let mut quote = view(3, "");
        quote.text = "<b>We</b> & \"they\"".to_owned();
        quote.fragment = true;
        quote.speaker = Some(named("Ana <i>", "entities/ana.html"));
        quote.channel = Some(named("TASS", "entities/tass.html"));
        quote.cue = Some("she said".to_owned());
        quote.attributed_by = "pronoun";
        quote.carried_by = vec![carrier("Here", true), carrier("There", false)];
        quote.independent = 1;
        quote.first = Some(FirstCarrier {
            title: "There".to_owned(),
            path: "sources/there.html".to_owned(),
            outlet: Some(String::new()),
            date: Some("8 December 2024".to_owned()),
        });
        let items = QuoteItems::new(vec![quote], "../", QuoteListing::InItsSource);
        let html = items.items_html();
        for part in [
            "<li id=\"quote-3\" class=\"quote-entry\"><a class=\"para-ref\" href=\"#p1\">¶1</a> <a class=\"quote-number\" href=\"#quote-3-text\">q3</a>\n",
            "<blockquote class=\"quote-text fragment\" title=\"Quoted inside a sentence of the reporter's\">“&lt;b&gt;We&lt;/b&gt; &amp; &quot;they&quot;”</blockquote>",
            "<a href=\"../entities/ana.html\" class=\"kind-person\">Ana &lt;i&gt;</a> <span class=\"via\">via <a href=\"../entities/tass.html\" class=\"kind-person\">TASS</a></span>\n  ",
            "“she said” · pronoun resolved</span>",
            "<strong>In 2 sources</strong>, 1 independent (the others reprint the same wire text); first in <a href=\"../sources/there.html\">There</a>, 8 December 2024:<br> ",
            "Here ¶2 · <a href=\"../sources/there.html#p2\">There ¶2</a></p>\n</li>\n",
        ] {
            assert!(html.contains(part), "{part}\nnot in\n{html}");
        }
        // An empty outlet is left out, as the template's `if` left it.
        assert!(!html.contains("()"), "{html}");

        let mut alone = view(1, "");
        alone.description = Some("a source".to_owned());
        alone.path = "sources/here.html#p1".to_owned();
        alone.source_title = "Here".to_owned();
        let html = QuoteItems::new(vec![alone], "", QuoteListing::Elsewhere).items_html();
        assert!(html.starts_with("<li class=\"quote-entry\"><blockquote class=\"quote-text\">"));
        assert!(html.contains(
            "<span class=\"unnamed\" title=\"The text does not name the speaker\">a source</span>"
        ));
        assert!(html.contains(
            "<a href=\"sources/here.html#p1\">Here ¶1</a> · no other source carries it</p>"
        ));
    }
}
