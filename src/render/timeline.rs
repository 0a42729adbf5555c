//! Views of dates: the timeline page, the dates of one source and an
//! entity's part of the timeline. Every event shows its sentence with the
//! date expression marked, its source, and how sure the day is.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::analysis::{Confidence, Precision};
use crate::cache::Key;
use crate::site::timeline::{DisagreementKind, Event};
use crate::site::Site;

use super::date_text::{day_month_year, weekday_day_month_year};
use super::escape::escape_html_into;
use super::paginate::{page_count, page_path, page_range, Pagination};
use super::views::source_path;

/// The markup of one dated sentence, appended to `out` on a page that
/// `root` leads from to the site's root: its day (linking to the timeline)
/// and how sure it is, the sentence with the date expression marked and a
/// link to its paragraph, and how the day was found.
///
/// Written here, not by a template: pages list over a hundred thousand of
/// them, and each would cost the template engine a dozen look-ups and the
/// page's view a map of its own.
pub fn event_html_into(site: &Site, event: &Event, root: &str, out: &mut String) {
    let source = &site.sources[event.source];
    let date = &source.analysis.dates[event.date];
    let text = &source.source.paragraphs[event.paragraph].text;
    let confidence = confidence_name(event.confidence);
    let paragraph = event.paragraph + 1;
    out.push_str("<p class=\"event-day\">");
    match event.day {
        Some(day) => {
            out.push_str("<a href=\"");
            escape_html_into(root, out);
            escape_html_into(&day_path(site, day, event.precision), out);
            // Writing to a String cannot fail.
            let _ = write!(out, "\"><time datetime=\"{day}\">");
            escape_html_into(&display_day(day, event.precision), out);
            out.push_str("</time></a>");
        }
        None => out.push_str("<span class=\"unknown\">no calendar day</span>"),
    }
    let _ = write!(
        out,
        " <span class=\"confidence confidence-{confidence}\" title=\""
    );
    escape_html_into(site.event_basis(event), out);
    let _ = write!(
        out,
        "\">{confidence}</span></p>\n<p class=\"event-sentence\">"
    );
    escape_html_into(&text[date.sentence_start..date.start], out);
    out.push_str("<mark>");
    escape_html_into(&text[date.start..date.end], out);
    out.push_str("</mark>");
    escape_html_into(&text[date.end..date.sentence_end], out);
    out.push_str(" <a class=\"para-ref\" href=\"");
    escape_html_into(root, out);
    escape_html_into(&source_path(source), out);
    let _ = write!(out, "#p{paragraph}\">");
    escape_html_into(&source.source.title.value, out);
    let _ = write!(out, " ¶{paragraph}</a></p>\n<p class=\"event-basis meta\">");
    escape_html_into(site.event_basis(event), out);
    out.push_str("</p>");
}

/// An event as a page shows it, made into markup only when the page is
/// rendered. For the page memo it is keyed by what the markup is made from:
/// its source's key (see `render::source_keys`: the text, the title, the
/// id, and so the dates found in the text), the event's day, how sure it is
/// and why (a year may come from other sources' dates), and the page of its
/// day; the page's root is in the page's own key. Pages list about a
/// hundred thousand events; most are unchanged from one build to the next.
#[derive(Debug)]
pub struct EventItem<'a> {
    site: &'a Site,
    event: &'a Event,
    source_key: Key,
    root: &'a str,
}

impl<'a> EventItem<'a> {
    /// `keys` are the sources' keys, by source index; `root` leads from the
    /// page to the site's root.
    pub fn new(site: &'a Site, keys: &[Key], event: &'a Event, root: &'a str) -> Self {
        EventItem {
            site,
            event,
            source_key: keys[event.source],
            root,
        }
    }

    /// The event's markup (see [`event_html_into`]).
    pub fn html(&self) -> String {
        let mut html = String::new();
        event_html_into(self.site, self.event, self.root, &mut html);
        html
    }
}

/// Templates see an event as its markup (`{{ d.first | safe }}`).
impl Serialize for EventItem<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let event = self.event;
        super::markup_or_inputs(
            serializer,
            || self.html(),
            || {
                // The day as a number and the page of the timeline holding
                // it: what the link to it is made from, without making it.
                let day = event.day.map(|day| {
                    let page = day_page(self.site, day, event.precision);
                    (day.num_days_from_ce(), page)
                });
                let week = event.precision == Precision::Week;
                let confidence = confidence_name(event.confidence);
                let place = (event.date, event.paragraph, week, confidence);
                (self.source_key, place, day, self.site.event_basis(event))
            },
        )
    }
}

/// Events listed on a page: templates see them as one `<li>` per event
/// (`<ol class="event-list">{{ page.events | safe }}</ol>`), and the number
/// listed as `events_listed` beside it.
#[derive(Debug, Default)]
pub struct EventList<'a> {
    items: Vec<EventItem<'a>>,
}

impl<'a> EventList<'a> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// One `<li>` per event, each on a line of its own.
    pub fn items_html(&self) -> String {
        let mut html = String::new();
        for item in &self.items {
            html.push_str("<li>");
            event_html_into(item.site, item.event, item.root, &mut html);
            html.push_str("</li>\n");
        }
        html
    }
}

impl<'a> FromIterator<EventItem<'a>> for EventList<'a> {
    fn from_iter<I: IntoIterator<Item = EventItem<'a>>>(items: I) -> Self {
        EventList {
            items: items.into_iter().collect(),
        }
    }
}

impl Serialize for EventList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(serializer, || self.items_html(), || &self.items)
    }
}

pub fn confidence_name(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Stated => "stated",
        Confidence::Inferred => "inferred",
        Confidence::Low => "low",
        Confidence::Unresolved => "unresolved",
    }
}

/// The page of the timeline holding a day, with the day's anchor.
fn day_path(site: &Site, day: NaiveDate, precision: Precision) -> String {
    let page = day_page(site, day, precision);
    format!(
        "{}#{}",
        page_path(TIMELINE_PAGE, page),
        day_anchor(day, precision)
    )
}

/// The number of the timeline's page holding a day.
fn day_page(site: &Site, day: NaiveDate, precision: Precision) -> usize {
    let position = site
        .timeline
        .days
        .binary_search_by(|d| (d.day, d.precision).cmp(&(day, precision)))
        .unwrap_or_else(|at| at);
    position / site.config.build.paginate_by.max(1) + 1
}

/// `d2024-12-08`, or `w2024-12-02` for a week.
fn day_anchor(day: NaiveDate, precision: Precision) -> String {
    let kind = match precision {
        Precision::Week => "w",
        Precision::Day => "d",
    };
    format!("{kind}{day}")
}

/// The first page of the timeline.
pub const TIMELINE_PAGE: &str = "timeline.html";

fn display_day(day: NaiveDate, precision: Precision) -> String {
    match precision {
        Precision::Day => weekday_day_month_year(day),
        Precision::Week => format!("week of {}", day_month_year(day)),
    }
}

/// One day of the timeline.
#[derive(Debug, Serialize)]
pub struct DayView<'a> {
    /// `d2024-12-08` (`w2024-12-02` for a week).
    pub anchor: String,
    pub date: String,
    pub display: String,
    pub week: bool,
    pub sources: usize,
    /// The sources reporting something that day, in source order.
    pub reported_by: Vec<SourceLink>,
    /// At most [`LISTED_EVENTS`] of the day's events.
    pub events: EventList<'a>,
    pub events_listed: usize,
    pub events_total: usize,
}

#[derive(Debug, Serialize)]
pub struct SourceLink {
    pub title: String,
    pub path: String,
}

/// Two readings of one event.
#[derive(Debug, Serialize)]
pub struct DisagreementView<'a> {
    /// `date` or `figure`.
    pub kind: &'static str,
    pub first: EventItem<'a>,
    pub second: EventItem<'a>,
    /// For a figure: the two figures as written.
    pub first_figure: Option<String>,
    pub second_figure: Option<String>,
}

/// A page of the timeline: [`paginate_by`] days, with the disagreements
/// and the dates without a day on the first.
///
/// [`paginate_by`]: crate::config::Build::paginate_by
#[derive(Debug, Serialize)]
pub struct TimelinePage<'a> {
    pub days: Vec<DayView<'a>>,
    /// The days this page covers, `22 June 2020 to 9 August 2020`, so a
    /// reader paging through knows where each page stands.
    pub covers: Option<String>,
    pub pagination: Pagination,
    /// Dated sentences no calendar day can be given to.
    pub unresolved: EventList<'a>,
    pub unresolved_listed: usize,
    pub unresolved_total: usize,
    pub disagreements: Vec<DisagreementView<'a>>,
}

impl<'a> TimelinePage<'a> {
    /// How many pages the timeline takes.
    pub fn page_count(site: &Site) -> usize {
        page_count(site.timeline.days.len(), site.config.build.paginate_by)
    }

    /// Page `number` (1-based) of the timeline; `keys` are the sources'.
    pub fn new(site: &'a Site, keys: &[Key], number: usize) -> Self {
        let timeline = &site.timeline;
        let per_page = site.config.build.paginate_by;
        let total = Self::page_count(site);
        let first = number == 1;
        let shown_days = &timeline.days[page_range(timeline.days.len(), per_page, number)];
        let covers = match (shown_days.first(), shown_days.last()) {
            (Some(first), Some(last)) if first.day != last.day => Some(format!(
                "{} to {}",
                day_month_year(first.day),
                day_month_year(last.day)
            )),
            (Some(day), _) => Some(day_month_year(day.day)),
            _ => None,
        };
        // The timeline is at the site's root.
        let event = |e: usize| EventItem::new(site, keys, &timeline.events[e], "");
        let days = shown_days
            .iter()
            .map(|day| {
                let events: EventList = day
                    .events
                    .iter()
                    .take(LISTED_EVENTS)
                    .map(|&e| event(e))
                    .collect();
                DayView {
                    anchor: day_anchor(day.day, day.precision),
                    date: day.day.to_string(),
                    display: display_day(day.day, day.precision),
                    week: day.precision == Precision::Week,
                    sources: day.sources.len(),
                    reported_by: day
                        .sources
                        .iter()
                        .take(LISTED_EVENTS)
                        .map(|&i| SourceLink {
                            title: site.sources[i].source.title.value.clone(),
                            path: source_path(&site.sources[i]),
                        })
                        .collect(),
                    events_listed: events.len(),
                    events,
                    events_total: day.events.len(),
                }
            })
            .collect();
        // The disagreements and the undated are shown once, on the first page.
        let shown = |all: usize| if first { all } else { 0 };
        let unresolved: EventList = (timeline.unresolved.iter())
            .take(shown(LISTED_EVENTS * 4))
            .map(|&e| event(e))
            .collect();
        TimelinePage {
            days,
            covers,
            pagination: Pagination::new(TIMELINE_PAGE, number, total),
            unresolved_listed: unresolved.len(),
            unresolved,
            unresolved_total: shown(timeline.unresolved.len()),
            disagreements: timeline
                .disagreements
                .iter()
                .take(shown(LISTED_EVENTS * 4))
                .map(|d| {
                    let (kind, first_figure, second_figure) = match &d.kind {
                        DisagreementKind::Date => ("date", None, None),
                        DisagreementKind::Figure { first, second } => {
                            ("figure", Some(first.clone()), Some(second.clone()))
                        }
                    };
                    DisagreementView {
                        kind,
                        first: event(d.first),
                        second: event(d.second),
                        first_figure,
                        second_figure,
                    }
                })
                .collect(),
        }
    }
}

/// The dated sentences of one source, in text order.
pub fn source_events<'a>(site: &'a Site, keys: &[Key], source: usize) -> EventList<'a> {
    site.timeline
        .events_from(source)
        .iter()
        .map(|e| EventItem::new(site, keys, e, "../"))
        .collect()
}

/// Dated sentences listed per day, per entity and among the undated; the
/// rest are counted, so the timeline does not grow without bound.
pub const LISTED_EVENTS: usize = 25;

/// An entity's part of the timeline, in calendar order: at most
/// [`LISTED_EVENTS`] of them, and how many there are.
pub fn entity_events<'a>(site: &'a Site, keys: &[Key], entity: usize) -> (EventList<'a>, usize) {
    let events = site.timeline.events_of(entity);
    let listed = events
        .iter()
        .take(LISTED_EVENTS)
        .map(|&e| EventItem::new(site, keys, &site.timeline.events[e], "../"))
        .collect();
    (listed, events.len())
}
