//! The timeline: dated sentences of every source, gathered by day.
//!
//! Each source's dates were resolved against its own publication date. Here
//! a date the source could not place because it has no year (`December 8` in
//! an undated clipping) gets the year the dossier's dated sources point to,
//! marked as low confidence. Sentences of different sources that report the
//! same event (the same entities named, mostly the same words) are compared,
//! and where they give different days or different figures both readings are
//! kept, each with its source. Candidate pairs come from an index by entity,
//! so the work grows with the corpus, not with its square.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use regex::Regex;

use crate::analysis::dates::year_from_context;
use crate::analysis::{Confidence, Precision, SourceAnalysis};
use crate::content::Source;

/// One dated sentence of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub source: usize,
    /// Index of the date in the source's analysis.
    pub date: usize,
    pub paragraph: usize,
    pub day: Option<NaiveDate>,
    pub precision: Precision,
    pub confidence: Confidence,
    /// How the day was found, in words, when not as its source's analysis
    /// says (the year came from other sources). Events are hundreds of
    /// thousands in a large dossier: their sentences and the usual reasons
    /// are read from the source and its analysis, not copied.
    pub other_basis: Option<String>,
    /// Entities named in the sentence, sorted.
    pub entities: Vec<usize>,
}

/// The events of one day (or one week), from every source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineDay {
    pub day: NaiveDate,
    pub precision: Precision,
    /// Indices into [`Timeline::events`], by source then paragraph.
    pub events: Vec<usize>,
    /// Distinct sources reporting something that day.
    pub sources: Vec<usize>,
}

/// Two sources that report one event differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// Indices into [`Timeline::events`], from two different sources.
    pub first: usize,
    pub second: usize,
    pub kind: DisagreementKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisagreementKind {
    /// The two sentences put the event on different days.
    Date,
    /// They give different numbers for the same thing (`24-year rule`,
    /// `23-year rule`): the figure of each, as written.
    Figure { first: String, second: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    pub events: Vec<Event>,
    /// Days in calendar order.
    pub days: Vec<TimelineDay>,
    /// Events no calendar day can be given to, by source.
    pub unresolved: Vec<usize>,
    pub disagreements: Vec<Disagreement>,
    /// Dated events by the entities their sentence names, in calendar order:
    /// every entity page lists its own, so they are gathered once.
    pub by_entity: HashMap<usize, Vec<usize>>,
}

impl Event {
    /// The sentence the event is dated in: `source` and `analysis` are the
    /// event's source's.
    pub fn sentence<'t>(&self, source: &'t Source, analysis: &SourceAnalysis) -> &'t str {
        let date = &analysis.dates[self.date];
        &source.paragraphs[self.paragraph].text[date.sentence_start..date.sentence_end]
    }

    /// How the day was found, in words: `analysis` is the event's source's.
    pub fn basis<'a>(&'a self, analysis: &'a SourceAnalysis) -> &'a str {
        (self.other_basis.as_deref()).unwrap_or(&analysis.dates[self.date].basis)
    }
}

impl Timeline {
    /// The events of one source, found by halving: events are made source
    /// by source, so each source's are together, in source order.
    pub fn events_from(&self, source: usize) -> &[Event] {
        let start = self.events.partition_point(|e| e.source < source);
        let end = self.events.partition_point(|e| e.source <= source);
        &self.events[start..end]
    }

    /// Events whose sentence names `entity`, in calendar order.
    pub fn events_of(&self, entity: usize) -> &[usize] {
        self.by_entity.get(&entity).map_or(&[], Vec::as_slice)
    }
}

/// Builds the timeline from the sources and their analyses (same order).
pub fn link_timeline(sources: &[&Source], analyses: &[&SourceAnalysis]) -> Timeline {
    let dated: Vec<NaiveDate> = sources
        .iter()
        .filter_map(|s| s.date.as_ref().map(|d| d.value))
        .collect();
    let events: Vec<Event> = (analyses.par_iter().enumerate())
        .flat_map_iter(|(index, analysis)| source_events(index, analysis, &dated))
        .collect();
    let mut by_day: BTreeMap<(NaiveDate, Precision), Vec<usize>> = BTreeMap::new();
    let mut unresolved = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match event.day {
            Some(day) => by_day.entry((day, event.precision)).or_default().push(i),
            None => unresolved.push(i),
        }
    }
    let days = by_day
        .into_iter()
        .map(|((day, precision), events_of_day)| {
            let sources: BTreeSet<usize> =
                events_of_day.iter().map(|&e| events[e].source).collect();
            TimelineDay {
                day,
                precision,
                events: events_of_day,
                sources: sources.into_iter().collect(),
            }
        })
        .collect::<Vec<TimelineDay>>();
    let disagreements = find_disagreements(&events, sources, analyses);
    let mut by_entity: HashMap<usize, Vec<usize>> = HashMap::new();
    for &e in days.iter().flat_map(|day: &TimelineDay| &day.events) {
        for &entity in &events[e].entities {
            by_entity.entry(entity).or_default().push(e);
        }
    }
    Timeline {
        events,
        days,
        unresolved,
        disagreements,
        by_entity,
    }
}

/// The events of one source: one per sentence and day, so `Earlier on
/// Sunday, … confirmed on Sunday` is one event.
fn source_events(index: usize, analysis: &SourceAnalysis, dated: &[NaiveDate]) -> Vec<Event> {
    let mut seen = BTreeSet::new();
    let mut events = Vec::new();
    for (i, date) in analysis.dates.iter().enumerate() {
        let (mut day, mut confidence, mut other_basis) = (date.day, date.confidence, None);
        if let (None, Some((month, dom))) = (day, date.month_day) {
            if let Some(found) = year_from_context(month, dom, dated) {
                // The weekday the text gives must agree, or the year is wrong.
                if date.weekday.is_none_or(|w| w == found.weekday()) {
                    day = Some(found);
                    confidence = Confidence::Low;
                    other_basis = Some(format!(
                        "year {} taken from the dates of other sources in the dossier{}",
                        found.year(),
                        if date.weekday.is_some() {
                            ", and the weekday the text gives agrees"
                        } else {
                            ""
                        }
                    ));
                }
            }
        }
        if !seen.insert((date.paragraph, date.sentence_start, day)) {
            continue;
        }
        let entities: BTreeSet<usize> = analysis
            .mentions
            .iter()
            .filter(|m| {
                m.paragraph == date.paragraph
                    && m.start >= date.sentence_start
                    && m.end <= date.sentence_end
            })
            .map(|m| m.entity)
            .collect();
        events.push(Event {
            source: index,
            date: i,
            paragraph: date.paragraph,
            day,
            precision: date.precision,
            confidence,
            other_basis,
            entities: entities.into_iter().collect(),
        });
    }
    events
}

/// An entity named by more events than this says little about which
/// sentences report the same event; it is not used to find candidates.
const MAX_POSTINGS: usize = 64;
/// Two sentences report the same event when they share this many entities
/// and this share of their content words.
const SHARED_ENTITIES: usize = 2;
const SHARED_WORDS: f64 = 0.25;

fn find_disagreements(
    events: &[Event],
    sources: &[&Source],
    analyses: &[&SourceAnalysis],
) -> Vec<Disagreement> {
    let sentence = |e: &Event| e.sentence(sources[e.source], analyses[e.source]);
    let mut by_entity: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        for &entity in &event.entities {
            by_entity.entry(entity).or_default().push(i);
        }
    }
    let mut shared: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for ids in by_entity.values().filter(|ids| ids.len() <= MAX_POSTINGS) {
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                if events[a].source != events[b].source {
                    *shared.entry((a.min(b), a.max(b))).or_insert(0) += 1;
                }
            }
        }
    }
    let candidates: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&(_, count)| count >= SHARED_ENTITIES)
        .map(|(pair, _)| pair)
        .collect();
    // Only sentences some candidate pair compares need their words, and
    // each sentence's are its own, so they are gathered in parallel.
    let mut compared: Vec<usize> = candidates.iter().flat_map(|&(a, b)| [a, b]).collect();
    compared.sort_unstable();
    compared.dedup();
    let words: HashMap<usize, BTreeSet<String>> = compared
        .into_par_iter()
        .map(|e| (e, content_words(sentence(&events[e]))))
        .collect();
    let mut found = Vec::new();
    for (a, b) in candidates {
        if jaccard(&words[&a], &words[&b]) < SHARED_WORDS {
            continue;
        }
        let (x, y) = (&events[a], &events[b]);
        if let (Some(dx), Some(dy)) = (x.day, y.day) {
            if dx != dy && x.precision == Precision::Day && y.precision == Precision::Day {
                found.push(Disagreement {
                    first: a,
                    second: b,
                    kind: DisagreementKind::Date,
                });
            }
        }
        for (first, second) in different_figures(sentence(x), sentence(y)) {
            found.push(Disagreement {
                first: a,
                second: b,
                kind: DisagreementKind::Figure { first, second },
            });
        }
    }
    found
}

static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(\d[\d,.]*)(?:-|\s+)([a-z]+)").expect("figure pattern"));
static CALENDAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)").expect("pattern")
});

/// Figures of the two sentences that count the same thing differently:
/// `24-year` and `23-year`, `10 days` and `12 days`.
fn different_figures(a: &str, b: &str) -> Vec<(String, String)> {
    let figures = |text: &str| -> Vec<(String, String, String)> {
        FIGURE
            .captures_iter(text)
            .filter(|c| !CALENDAR.is_match(&c[2]))
            .map(|c| {
                let unit = c[2].to_lowercase();
                let unit = unit.strip_suffix('s').unwrap_or(&unit).to_owned();
                (unit, c[1].to_owned(), c[0].to_owned())
            })
            .collect()
    };
    let (fa, fb) = (figures(a), figures(b));
    let mut found = Vec::new();
    for (unit, value, written) in &fa {
        let same_unit: Vec<_> = fb.iter().filter(|(u, _, _)| u == unit).collect();
        if !same_unit.is_empty() && same_unit.iter().all(|(_, v, _)| v != value) {
            found.push((written.clone(), same_unit[0].2.clone()));
        }
    }
    found
}

const STOP_WORDS: &[&str] = &[
    "the", "and", "that", "with", "from", "have", "has", "had", "was", "were", "been", "for",
    "his", "her", "their", "this", "after", "before", "into", "over", "also", "said", "which",
    "while", "when", "they", "its", "who", "are", "not", "but", "all",
];

fn content_words(sentence: &str) -> BTreeSet<String> {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse, Matcher};
    use crate::content::source::parse_source;
    use crate::content::{Entity, EntityKind};

    fn entity(name: &str) -> Entity {
        Entity::for_test(name, EntityKind::Place, &[])
    }

    /// Sources from `(front matter date, text)` pairs, and their timeline.
    fn timeline(sources: &[(Option<&str>, &str)]) -> Timeline {
        let (matcher, _) = Matcher::new(&[entity("Damascus"), entity("Homs"), entity("Aleppo")]);
        let parsed: Vec<Source> = sources
            .iter()
            .enumerate()
            .map(|(i, (date, text))| {
                let front = date.map_or(String::new(), |d| format!("+++\ndate = \"{d}\"\n+++\n"));
                let path = std::path::PathBuf::from(format!("content/sources/{i}.txt"));
                parse_source(&format!("{front}{text}\n"), &path).unwrap().0
            })
            .collect();
        let analyses: Vec<SourceAnalysis> = parsed
            .iter()
            .map(|s| analyse(s, &matcher, &Default::default()))
            .collect();
        link_timeline(
            &parsed.iter().collect::<Vec<_>>(),
            &analyses.iter().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn events_of_several_sources_gather_by_day() {
        let t = timeline(&[
            (
                Some("2024-12-09"),
                "Rebels entered Damascus on Sunday, ending the war.",
            ),
            (
                Some("2024-12-10"),
                "On December 8, rebels seized Damascus without a fight.",
            ),
        ]);
        assert_eq!(t.days.len(), 1);
        assert_eq!(t.days[0].day.to_string(), "2024-12-08");
        assert_eq!(t.days[0].sources, [0, 1]);
        assert_eq!(t.events_of(0), [0, 1]);
        assert_eq!(t.events_from(1).len(), 1);
        assert_eq!(t.events_from(1)[0].source, 1);
        assert!(t.events_from(2).is_empty());
    }

    #[test]
    fn an_undated_source_borrows_the_year_with_low_confidence() {
        let t = timeline(&[
            (Some("2024-12-09"), "Rebels took Homs on Saturday after a long siege."),
            (None, "Assad fled on Sunday (December 8) as rebels entered Damascus. Crowds gathered on Monday."),
        ]);
        let from_context: Vec<&Event> = t.events.iter().filter(|e| e.source == 1).collect();
        assert_eq!(
            from_context[0].day.map(|d| d.to_string()).as_deref(),
            Some("2024-12-08")
        );
        assert_eq!(from_context[0].confidence, Confidence::Low);
        assert!(from_context[0]
            .other_basis
            .as_ref()
            .unwrap()
            .contains("weekday"));
        assert_eq!(from_context[1].day, None, "a bare weekday is never guessed");
        assert_eq!(t.unresolved.len(), 1);
    }

    #[test]
    fn a_weekday_that_contradicts_the_borrowed_year_leaves_it_unresolved() {
        let t = timeline(&[
            (
                Some("2024-12-09"),
                "Rebels took Homs on Saturday after a long siege.",
            ),
            (None, "The city fell on Monday (December 8) to the rebels."),
        ]);
        let event = t.events.iter().find(|e| e.source == 1).unwrap();
        assert_eq!(event.day, None);
        assert_eq!(event.confidence, Confidence::Unresolved);
    }

    #[test]
    fn two_sources_dating_one_event_differently_disagree() {
        let t = timeline(&[
            (
                Some("2024-12-09"),
                "Rebels captured Homs and Damascus on Sunday after a lightning offensive.",
            ),
            (
                Some("2024-12-09"),
                "Rebels captured Homs and Damascus on Saturday in a lightning offensive.",
            ),
            (Some("2024-12-09"), "Aleppo was quiet on Friday."),
        ]);
        assert_eq!(t.disagreements.len(), 1, "{:#?}", t.disagreements);
        let d = &t.disagreements[0];
        assert_eq!(d.kind, DisagreementKind::Date);
        assert_eq!(
            (t.events[d.first].source, t.events[d.second].source),
            (0, 1)
        );
    }

    #[test]
    fn two_sources_giving_different_figures_disagree() {
        let t = timeline(&[
            (
                Some("2024-12-09"),
                "On Sunday rebels took Damascus and Homs, ending a 24-year rule.",
            ),
            (
                Some("2024-12-09"),
                "On Sunday rebels took Damascus and Homs, ending a 23-year rule.",
            ),
        ]);
        assert_eq!(
            t.disagreements[0].kind,
            DisagreementKind::Figure {
                first: "24-year".into(),
                second: "23-year".into()
            }
        );
    }
}
