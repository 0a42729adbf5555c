//! What quotes and dates add to the pages of sources, entities and the
//! cross-reference index. Each page's own view is kept as it is and
//! flattened into a wrapper, so templates see `page.quotes` and
//! `page.events` beside the fields they already had.

use serde::Serialize;

use crate::cache::Key;
use crate::site::Site;

use super::crossref::CrossrefPage;
use super::quotes::{entity_quotes, quotes_by_speaker, source_quotes};
use super::quotes::{QuoteItems, QuoteListing, SpeakerQuotes};
use super::timeline::{entity_events, source_events, EventList};
use super::views::{EntityPage, SourcePage, SourceText, SourceViews};

/// A source page with its quotes marked and listed, and its dates.
#[derive(Debug, Serialize)]
pub struct SourceWithQuotes<'a> {
    #[serde(flatten)]
    pub page: SourcePage<'a>,
    pub quotes: QuoteItems,
    /// Quotes and dated sentences in the lists above, to test in templates:
    /// Tera escapes a string it tests, as long as the list is.
    pub quotes_listed: usize,
    pub events: EventList<'a>,
    pub events_listed: usize,
}

impl<'a> SourceWithQuotes<'a> {
    /// The page of source `index`, between `previous` and `next` in the
    /// list, with what `views` made for every source.
    pub fn new(
        site: &'a Site,
        views: &'a SourceViews,
        index: usize,
        neighbours: (Option<usize>, Option<usize>),
    ) -> Self {
        let quotes = source_quotes(site, index);
        let text = SourceText::new(site, index, views.keys[index], &quotes);
        let events = source_events(site, &views.keys, index);
        SourceWithQuotes {
            page: SourcePage::new(site, views, index, neighbours, text),
            quotes_listed: quotes.len(),
            quotes: QuoteItems::new(quotes, "../", QuoteListing::InItsSource),
            events_listed: events.len(),
            events,
        }
    }
}

/// An entity page with what it said, what it relayed, and its timeline.
#[derive(Debug, Serialize)]
pub struct EntityWithQuotes<'a> {
    #[serde(flatten)]
    pub page: EntityPage<'a>,
    /// The entity's quotes, at most a listed number of each, with totals.
    pub quotes: QuoteItems,
    pub quotes_listed: usize,
    pub quotes_total: usize,
    pub relayed_quotes: QuoteItems,
    pub relayed_listed: usize,
    pub relayed_total: usize,
    pub events: EventList<'a>,
    pub events_listed: usize,
    pub events_total: usize,
}

impl<'a> EntityWithQuotes<'a> {
    /// `keys` are the sources' keys, by source index.
    pub fn new(page: EntityPage<'a>, site: &'a Site, keys: &[Key], index: usize) -> Self {
        let (quotes, relayed_quotes) = entity_quotes(site, index);
        let (events, events_total) = entity_events(site, keys, index);
        EntityWithQuotes {
            page,
            quotes_listed: quotes.quotes.len(),
            quotes_total: quotes.total,
            quotes: QuoteItems::new(quotes.quotes, "../", QuoteListing::Elsewhere),
            relayed_listed: relayed_quotes.quotes.len(),
            relayed_total: relayed_quotes.total,
            relayed_quotes: QuoteItems::new(relayed_quotes.quotes, "../", QuoteListing::Elsewhere),
            events_listed: events.len(),
            events_total,
            events,
        }
    }

    /// A later page of a paginated entity: quotes and dates are on the first.
    pub fn without_quotes(page: EntityPage<'a>) -> Self {
        EntityWithQuotes {
            page,
            quotes: QuoteItems::new(Vec::new(), "../", QuoteListing::Elsewhere),
            quotes_listed: 0,
            quotes_total: 0,
            relayed_quotes: QuoteItems::new(Vec::new(), "../", QuoteListing::Elsewhere),
            relayed_listed: 0,
            relayed_total: 0,
            events: EventList::default(),
            events_listed: 0,
            events_total: 0,
        }
    }
}

/// The cross-reference index with quotes by speaker.
#[derive(Debug, Serialize)]
pub struct CrossrefWithQuotes<'a> {
    #[serde(flatten)]
    pub page: CrossrefPage<'a>,
    pub speakers: Vec<SpeakerQuotes>,
}

impl<'a> CrossrefWithQuotes<'a> {
    pub fn new(page: CrossrefPage<'a>, site: &Site) -> Self {
        CrossrefWithQuotes {
            page,
            speakers: quotes_by_speaker(site),
        }
    }

    /// A later page of a paginated index: quotes are on the first.
    pub fn without_quotes(page: CrossrefPage<'a>) -> Self {
        CrossrefWithQuotes {
            page,
            speakers: Vec::new(),
        }
    }
}
