//! Dates in a source's text, resolved to days where the text allows.
//!
//! Explicit dates (`December 8`, `Nov. 27`, `09 December 2024`) and relative
//! ones (`on Sunday`, `early Monday morning`, `last week`, `yesterday`) are
//! found in body paragraphs, each with the sentence it dates. A relative date
//! is counted from the source's publication date with chrono; a date without
//! a year takes the publication year. Without a publication date neither can
//! be placed on a calendar, and the finding says so rather than guess: it
//! keeps what the text gives (the month and day, the weekday) and is marked
//! unresolved.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::quotes::{quote_spans, sentence_end, Span, SENTENCE_MARKS};
use crate::content::{Paragraph, ParagraphKind};

/// One date expression of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Index of the paragraph in its source (0-based).
    pub paragraph: usize,
    /// Byte range of the expression in the paragraph's text.
    pub start: usize,
    pub end: usize,
    /// Byte range of the sentence it dates.
    pub sentence_start: usize,
    pub sentence_end: usize,
    pub kind: DateKind,
    /// The first day it names, when it can be placed on a calendar.
    pub day: Option<NaiveDate>,
    /// Whether it names a day or a whole week.
    pub precision: Precision,
    /// Month and day as written, for an explicit date without a year.
    pub month_day: Option<(u32, u32)>,
    /// The weekday the text gives (`Sunday`, `on Sunday (December 8)`).
    pub weekday: Option<Weekday>,
    pub confidence: Confidence,
    /// How the day was found, in words, for the reader.
    pub basis: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateKind {
    /// A calendar date (`December 8`).
    Explicit,
    /// A date counted from another (`on Sunday`, `last week`).
    Relative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    /// `day` is the Monday of the week.
    Week,
}

/// How sure the day is, from most to least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Day, month and year as written.
    Stated,
    /// Counted from the publication date, or its year supplied by it.
    Inferred,
    /// The year comes from the dates of other sources in the dossier: a
    /// plausible reading, not a certain one. Only the timeline sets it.
    Low,
    /// No calendar day can be given.
    Unresolved,
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|\
November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|\
Nov\\.?|Dec\\.?";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

// Word boundaries are ASCII ones, `(?-u:\b)`: every word these patterns
// start or end with is ASCII, and a Unicode boundary stops the regex
// engine's fast automaton at the first byte beyond ASCII (a curly quote, an
// accent), leaving whole paragraphs to a backtracking search. On a corpus
// of clippings full of both, that was a sixth of a full build.

/// `December 8`, `Nov. 27`, `December 8, 2024`.
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<month>{MONTHS})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"
    ))
    .expect("month-day pattern")
});
/// `09 December 2024`, `8 December`.
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTHS})(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"
    ))
    .expect("day-month pattern")
});
/// `2024-12-09`.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?-u:\b)")
        .expect("iso pattern")
});
/// `on Sunday`, `early Monday morning`, `last Friday`, `Sunday night`.
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?:(?i:early|late|earlier|later)\s+(?i:on\s+)?)?(?:(?P<which>(?i:last|next|this))\s+)?(?P<weekday>{WEEKDAYS})(?:\s+(?i:morning|afternoon|evening|night))?(?-u:\b)"
    ))
    .expect("weekday pattern")
});
/// `yesterday`, `today`, `last week`, `this week`, `three days ago`.
static NEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?P<word>yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening)|(?:last|this|next)\s+week|(?P<count>\d+|two|three|four|five|six|seven)\s+(?:days|weeks)\s+ago)(?-u:\b)",
    )
    .expect("near pattern")
});
/// A weekday that names a feast or a newspaper, not a day: `Good Friday`,
/// `the Sunday Times`.
static NOT_A_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:Good|Black|Bloody|Holy|Ash|Palm|Easter|Super|Cyber)\s+$")
        .expect("pattern")
});
static NOT_A_DAY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:Times|Telegraph|Mirror|Express|Post|Herald|Mail|Sport|People|Star)(?-u:\b)")
        .expect("pattern")
});
/// Words that put a sentence in the future, so its weekday is ahead.
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:will|shall|(?:is|are)\s+(?:due|expected|scheduled|set)|plans?\s+to|planning\s+to)(?-u:\b)")
        .expect("future pattern")
});
/// Words that mark a publication date rather than an event's.
static PUBLICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:date|published|modified|updated|posted)\W*(?:date\W*)?(?:[\d:]+\s*\|?\s*)?$",
    )
    .expect("publication pattern")
});

/// Finds and resolves the dates of a source published on `published`.
pub fn find_dates(paragraphs: &[Paragraph], published: Option<NaiveDate>) -> Vec<DateMention> {
    let mut found = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if matches!(paragraph.kind, ParagraphKind::Text | ParagraphKind::Block) {
            found.extend(paragraph_dates(index, &paragraph.text, published));
        }
    }
    found
}

/// The dates of one paragraph, in order.
fn paragraph_dates(index: usize, text: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
    let mut found: Vec<DateMention> = Vec::new();
    // Found once: every date's sentence is bounded by them.
    let quoted = quote_spans(text);
    // Every written date has a digit: most paragraphs need no search.
    let written: &[&Regex] = if text.bytes().any(|b| b.is_ascii_digit()) {
        &[&MONTH_DAY, &DAY_MONTH, &ISO]
    } else {
        &[]
    };
    for pattern in written {
        for caps in pattern.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            if PUBLICATION.is_match(&text[..whole.start()])
                || overlaps(&found, whole.start(), whole.end())
            {
                continue;
            }
            let number = |name| caps.name(name).map(|m| m.as_str());
            let Some(month) = number("month").and_then(month_number) else {
                continue;
            };
            let Some(day) = number("day").and_then(|d| d.parse().ok()) else {
                continue;
            };
            let year = number("year").and_then(|y| y.parse().ok());
            let ymd = (year, month, day);
            if let Some(date) = explicit(index, text, &quoted, whole.range(), ymd, published) {
                found.push(date);
            }
        }
    }
    // A relative date inside a quote counts from the day the words were
    // spoken, which the text rarely gives: it is left out.
    let in_quote = |at: usize| quoted.iter().any(|s| s.outer.0 <= at && at < s.outer.1);
    for caps in WEEKDAY.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        if in_quote(whole.start())
            || NOT_A_DAY.is_match(&text[..whole.start()])
            || NOT_A_DAY_AFTER.is_match(&text[whole.end()..])
        {
            continue;
        }
        let weekday = caps["weekday"].parse::<Weekday>().expect("weekday name");
        // `on Sunday (December 8)`: the weekday confirms the explicit date.
        if let Some(date) = found.iter_mut().find(|d| {
            d.kind == DateKind::Explicit
                && text[whole.end()..d.start.max(whole.end())]
                    .chars()
                    .all(|c| " ,(".contains(c))
                && d.start >= whole.end()
                && d.start <= whole.end() + 3
        }) {
            date.weekday = Some(weekday);
            continue;
        }
        let mut which = caps.name("which").map(|m| m.as_str().to_lowercase());
        let (sentence_start, _) = sentence_around(text, &quoted, whole.start(), whole.end());
        let reporter_words: String = text[sentence_start..whole.start()]
            .char_indices()
            .filter(|&(at, _)| !in_quote(sentence_start + at))
            .map(|(_, c)| c)
            .collect();
        if which.is_none() && FUTURE.is_match(&reporter_words) {
            // `talks will resume on Friday`: the coming Friday.
            which = Some("coming".to_owned());
        }
        found.push(relative(
            index,
            text,
            &quoted,
            whole.range(),
            published,
            |from| weekday_from(from, weekday, which.as_deref()),
        ));
    }
    for caps in NEAR.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        if in_quote(whole.start()) {
            continue;
        }
        let word = caps["word"].to_lowercase();
        let count = caps.name("count").and_then(|c| count_of(c.as_str()));
        let mut date = relative(index, text, &quoted, whole.range(), published, |from| {
            near_day(from, &word, count)
        });
        if word.ends_with("week") || word.ends_with("weeks ago") {
            date.precision = Precision::Week;
        }
        found.push(date);
    }
    found.sort_by_key(|d| d.start);
    found
}

fn overlaps(found: &[DateMention], start: usize, end: usize) -> bool {
    found.iter().any(|d| d.start < end && start < d.end)
}

fn month_number(name: &str) -> Option<u32> {
    let key: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if let Ok(number) = name.parse::<u32>() {
        return (1..=12).contains(&number).then_some(number);
    }
    months.iter().position(|m| *m == key).map(|i| i as u32 + 1)
}

fn count_of(word: &str) -> Option<u64> {
    word.parse().ok().or(match word.to_lowercase().as_str() {
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        "seven" => Some(7),
        _ => None,
    })
}

/// The sentence of `text` around byte range `start..end`; a full stop
/// inside a quote (`quoted`, the text's quotes) ends it only where the quote
/// closes right after it (`“…the delay.” The Fund said…`).
fn sentence_around(text: &str, quoted: &[Span], start: usize, end: usize) -> (usize, usize) {
    let end_at = |i: usize| {
        sentence_end(text, i)
            .filter(|&end| !quoted.iter().any(|s| s.inner.0 < end && end <= s.inner.1))
    };
    let from = text[..start]
        .rmatch_indices(SENTENCE_MARKS)
        .find_map(|(i, _)| end_at(i))
        .unwrap_or(0);
    // The full stop of a range ending in an abbreviated month (`on 5 Nov.`)
    // can end the sentence too.
    let after = if text[..end].ends_with('.') {
        end - 1
    } else {
        end
    };
    let to = text[after..]
        .match_indices(SENTENCE_MARKS)
        .find_map(|(i, _)| end_at(after + i))
        .unwrap_or(text.len());
    let skipped = text[from..].len() - text[from..].trim_start().len();
    (from + skipped, to)
}

/// A calendar date: as written when it has its year; with the publication
/// year when not (the year before when that would put it months ahead of
/// publication, as `December 30` in a January article).
fn explicit(
    index: usize,
    text: &str,
    quoted: &[Span],
    range: std::ops::Range<usize>,
    (year, month, day): (Option<i32>, u32, u32),
    published: Option<NaiveDate>,
) -> Option<DateMention> {
    // A day that exists in no year (`February 30`) is not a date.
    NaiveDate::from_ymd_opt(2024, month, day)?;
    let (day_found, confidence, basis) = match (year, published) {
        (Some(year), _) => (
            NaiveDate::from_ymd_opt(year, month, day),
            Confidence::Stated,
            "day, month and year as written".to_owned(),
        ),
        (None, Some(published)) => {
            let mut date = NaiveDate::from_ymd_opt(published.year(), month, day);
            // Near the last day chrono can hold, nothing lies beyond the limit.
            let latest = published.checked_add_days(Days::new(62));
            if date.is_some_and(|d| latest.is_some_and(|latest| d > latest)) {
                date = NaiveDate::from_ymd_opt(published.year() - 1, month, day);
            }
            (
                date,
                Confidence::Inferred,
                format!("year from the source's date, {published}"),
            )
        }
        (None, None) => (
            None,
            Confidence::Unresolved,
            "no year in the text and the source has no date".to_owned(),
        ),
    };
    let (sentence_start, sentence_end) = sentence_around(text, quoted, range.start, range.end);
    Some(DateMention {
        paragraph: index,
        start: range.start,
        end: range.end,
        sentence_start,
        sentence_end,
        kind: DateKind::Explicit,
        day: day_found,
        precision: Precision::Day,
        month_day: Some((month, day)),
        weekday: None,
        confidence: if day_found.is_some() {
            confidence
        } else {
            Confidence::Unresolved
        },
        basis,
    })
}

/// A relative date, counted from the publication date by `count`.
fn relative(
    index: usize,
    text: &str,
    quoted: &[Span],
    range: std::ops::Range<usize>,
    published: Option<NaiveDate>,
    count: impl Fn(NaiveDate) -> Option<NaiveDate>,
) -> DateMention {
    let day = published.and_then(&count);
    let (sentence_start, sentence_end) = sentence_around(text, quoted, range.start, range.end);
    let weekday = WEEKDAYS
        .split('|')
        .find(|w| text[range.clone()].contains(w))
        .and_then(|w| w.parse().ok());
    DateMention {
        paragraph: index,
        start: range.start,
        end: range.end,
        sentence_start,
        sentence_end,
        kind: DateKind::Relative,
        day,
        precision: Precision::Day,
        month_day: None,
        weekday,
        confidence: if day.is_some() {
            Confidence::Inferred
        } else {
            Confidence::Unresolved
        },
        basis: match published {
            Some(published) => format!("counted from the source's date, {published}"),
            None => "relative to a publication date the source does not give".to_owned(),
        },
    }
}

/// The day a weekday names, seen from `from`: news speak of the past, so a
/// bare `Sunday` is the last Sunday on or before publication; `last Sunday`
/// is strictly before it, `next Sunday` strictly after.
fn weekday_from(from: NaiveDate, weekday: Weekday, which: Option<&str>) -> Option<NaiveDate> {
    let back = (from.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
    match which {
        Some("next") => {
            let ahead =
                (weekday.num_days_from_monday() + 7 - from.weekday().num_days_from_monday()) % 7;
            from.checked_add_days(Days::new(if ahead == 0 { 7 } else { ahead.into() }))
        }
        Some("last") => from.checked_sub_days(Days::new(if back == 0 { 7 } else { back.into() })),
        Some("coming") => {
            let ahead =
                (weekday.num_days_from_monday() + 7 - from.weekday().num_days_from_monday()) % 7;
            from.checked_add_days(Days::new(ahead.into()))
        }
        _ => from.checked_sub_days(Days::new(back.into())),
    }
}

/// `yesterday`, `last week` and the like, seen from `from`. A week is given
/// by its Monday.
fn near_day(from: NaiveDate, word: &str, count: Option<u64>) -> Option<NaiveDate> {
    let monday = from.checked_sub_days(Days::new(from.weekday().num_days_from_monday().into()))?;
    match word.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["yesterday"] => from.checked_sub_days(Days::new(1)),
        ["this", "week"] => Some(monday),
        ["today"] | ["tonight"] | ["this", _] => Some(from),
        ["last", "night"] => from.checked_sub_days(Days::new(1)),
        ["last", "week"] => monday.checked_sub_days(Days::new(7)),
        ["next", "week"] => monday.checked_add_days(Days::new(7)),
        [_, "days", "ago"] => from.checked_sub_days(Days::new(count?)),
        [_, "weeks", "ago"] => monday.checked_sub_days(Days::new(7 * count?)),
        _ => None,
    }
}

/// The year for a month and day from the dated sources of a dossier: the
/// year of the nearest publication date that the day does not follow by
/// more than two months. Used only across sources, and marked as such.
pub fn year_from_context(month: u32, day: u32, dated: &[NaiveDate]) -> Option<NaiveDate> {
    let mut candidates: Vec<NaiveDate> = dated
        .iter()
        .filter_map(|published| {
            let date = NaiveDate::from_ymd_opt(published.year(), month, day)?;
            let latest = published.checked_add_months(Months::new(2));
            if latest.is_some_and(|latest| date > latest) {
                NaiveDate::from_ymd_opt(published.year() - 1, month, day)
            } else {
                Some(date)
            }
        })
        .collect();
    candidates.sort();
    candidates.dedup();
    // Two different readings: the context does not settle the year.
    (candidates.len() == 1).then(|| candidates[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::paragraphs::split_clipping;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn dates(text: &str, published: Option<&str>) -> Vec<DateMention> {
        find_dates(&split_clipping(text, false), published.map(day))
    }

    fn expression<'a>(text: &'a str, date: &DateMention) -> &'a str {
        &text[date.start..date.end]
    }

    #[test]
    fn on_sunday_in_a_monday_article_is_the_day_before() {
        let text = "The situation remains tense after Syrian rebels on Sunday entered the capital.";
        let found = dates(text, Some("2024-12-09"));
        assert_eq!(found.len(), 1);
        assert_eq!(expression(text, &found[0]), "Sunday");
        assert_eq!(found[0].day, Some(day("2024-12-08")));
        assert_eq!(found[0].confidence, Confidence::Inferred);
        assert_eq!(found[0].kind, DateKind::Relative);
        assert_eq!(&text[found[0].sentence_start..found[0].sentence_end], text);
    }

    #[test]
    fn dates_beside_letters_and_marks_beyond_ascii_are_found() {
        // The patterns' word boundaries are ASCII ones: curly quotes,
        // accented words and non-breaking spaces around a date still
        // bound it, and a date inside a longer word is still no date.
        let text = "Señor Pérez said “on 8 December” that Éric left Tuesday\u{a0}night.";
        let found = dates(text, Some("2024-12-10"));
        let written: Vec<&str> = found.iter().map(|d| expression(text, d)).collect();
        assert_eq!(written, ["8 December", "Tuesday\u{a0}night"]);
        assert!(dates("Ref. X8 Decemberish and Mondays.", Some("2024-12-10")).is_empty());
    }

    #[test]
    fn the_weekday_of_publication_is_the_same_day() {
        let found = dates(
            "The Kremlin confirmed Monday that Assad was in Moscow.",
            Some("2024-12-09"),
        );
        assert_eq!(found[0].day, Some(day("2024-12-09")));
    }

    #[test]
    fn early_monday_morning_is_one_expression() {
        let text = "Ulyanov said early Monday morning that the family had arrived.";
        let found = dates(text, Some("2024-12-10"));
        assert_eq!(expression(text, &found[0]), "early Monday morning");
        assert_eq!(found[0].day, Some(day("2024-12-09")));
    }

    #[test]
    fn last_and_next_weekdays() {
        let from = day("2024-12-09");
        assert_eq!(
            weekday_from(from, Weekday::Mon, Some("last")),
            Some(day("2024-12-02"))
        );
        assert_eq!(
            weekday_from(from, Weekday::Fri, Some("next")),
            Some(day("2024-12-13"))
        );
        assert_eq!(
            weekday_from(from, Weekday::Fri, None),
            Some(day("2024-12-06"))
        );
    }

    #[test]
    fn a_weekday_in_the_future_tense_is_ahead() {
        let found = dates("Talks will resume in Geneva on Friday.", Some("2024-12-09"));
        assert_eq!(found[0].day, Some(day("2024-12-13")));
        let found = dates("Talks resumed in Geneva on Friday.", Some("2024-12-09"));
        assert_eq!(found[0].day, Some(day("2024-12-06")));
        let found = dates("“We will stay,” he said on Friday.", Some("2024-12-09"));
        assert_eq!(
            found[0].day,
            Some(day("2024-12-06")),
            "a quote's tense is not the sentence's"
        );
    }

    #[test]
    fn last_night_and_this_morning() {
        let found = dates(
            "Strikes hit Homs last night and Hama this morning.",
            Some("2024-12-09"),
        );
        assert_eq!(found[0].day, Some(day("2024-12-08")));
        assert_eq!(found[1].day, Some(day("2024-12-09")));
    }

    #[test]
    fn feasts_and_newspapers_are_not_days() {
        let text = "The Sunday Times reported it on Good Friday.";
        assert!(dates(text, Some("2024-12-09")).is_empty());
    }

    #[test]
    fn weeks_ago_is_a_week() {
        let found = dates("The offensive began two weeks ago.", Some("2024-12-09"));
        assert_eq!(found[0].precision, Precision::Week);
        assert_eq!(found[0].day, Some(day("2024-11-25")));
    }

    #[test]
    fn abbreviated_and_weekday_led_dates() {
        let text = "Rebels entered on Sunday, Dec. 8, 2024 and met on 9 Dec.";
        let found = dates(text, Some("2024-12-10"));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].day, Some(day("2024-12-08")));
        assert_eq!(found[0].weekday, Some(Weekday::Sun));
        assert_eq!(found[0].confidence, Confidence::Stated);
        assert_eq!(found[1].day, Some(day("2024-12-09")));
    }

    #[test]
    fn last_week_is_a_week() {
        let text = "The group initiated a surprise offensive from Idlib last week.";
        let found = dates(text, Some("2024-12-09"));
        assert_eq!(found[0].precision, Precision::Week);
        assert_eq!(found[0].day, Some(day("2024-12-02")));
        let found = dates("Talks are planned for this week.", Some("2024-12-11"));
        assert_eq!(found[0].day, Some(day("2024-12-09")));
    }

    #[test]
    fn yesterday_and_days_ago() {
        let text = "He left yesterday. The talks ended three days ago.";
        let found = dates(text, Some("2024-12-09"));
        assert_eq!(found[0].day, Some(day("2024-12-08")));
        assert_eq!(found[1].day, Some(day("2024-12-06")));
        assert_eq!(
            &text[found[1].sentence_start..found[1].sentence_end],
            "The talks ended three days ago."
        );
    }

    #[test]
    fn a_date_that_ends_a_sentence_ends_it_there() {
        let endings = [
            "on Nov. 5.",
            "on Dec. 8, 2024.",
            "on 5 Nov.",
            "on Sept. 30.",
            "on 6 November.",
        ];
        for ending in endings {
            let sentence = format!("She flew to Vestrahavn {ending}");
            let text = format!("{sentence} The talks collapsed two days later.");
            assert_eq!(first_dated_sentence(&text), sentence);
        }
        let text = "She flew on Nov. 5. On Nov. 7 she flew home.";
        let found = dates(text, Some("2024-12-09"));
        assert_eq!(
            &text[found[1].sentence_start..found[1].sentence_end],
            "On Nov. 7 she flew home."
        );
    }

    #[test]
    fn abbreviations_inside_a_sentence_do_not_end_it() {
        let sentence = "Mr. Peskov met U.S. officials in St. Petersburg for the Nov. 5 talks, \
                        set on 5 Nov. 2024.";
        let text = format!("{sentence} They failed.");
        let found = dates(&text, Some("2024-12-09"));
        assert_eq!(found.len(), 2);
        for date in found {
            assert_eq!(&text[date.sentence_start..date.sentence_end], sentence);
        }
    }

    /// The sentence around the first date of `text`, published 9 December
    /// 2024.
    fn first_dated_sentence(text: &str) -> &str {
        let found = dates(text, Some("2024-12-09"));
        &text[found[0].sentence_start..found[0].sentence_end]
    }

    #[test]
    fn a_sentence_that_ends_inside_a_quote_ends_after_it() {
        let quotes = [("“", "”"), ("\"", "\""), ("‘", "’"), ("«", "»")];
        for (open, close) in quotes {
            for mark in ['.', '?', '!'] {
                let quoted = format!("{open}We cannot explain the delay{mark}{close}");
                let dated = "The Fund said on Oct. 22 that it would pay.";
                let text = format!("The minister said: {quoted} {dated}");
                assert_eq!(first_dated_sentence(&text), dated);
                // A dated sentence that ends in a quote ends with the quote.
                let sentence = format!("On Oct. 22 the minister said: {quoted}");
                let text = format!("{sentence} The Fund paid.");
                assert_eq!(first_dated_sentence(&text), sentence);
            }
        }
    }

    #[test]
    fn a_quote_that_goes_on_with_its_sentence_does_not_end_it() {
        let sentences = [
            "“We will stay,” he said on Monday.",
            "Under the “so-called” deal signed on Dec. 8, the port reopened.",
            "“Is it over?” he asked on Monday.",
            "“Why now?” Peskov asked on Monday.",
            "“Enough!” Maria Zakharova said on Dec. 8.",
        ];
        for sentence in sentences {
            let text = format!("The talks went on. {sentence} They failed.");
            assert_eq!(first_dated_sentence(&text), sentence);
        }
    }

    #[test]
    fn explicit_dates_in_their_forms() {
        let text =
            "Clashes reignited on Nov. 27 west of Aleppo. The city fell on 09 December 2024, \
                    and on December 8, 2024 the capital.";
        let found = dates(text, Some("2024-12-09"));
        let days: Vec<_> = found
            .iter()
            .map(|d| (expression(text, d), d.day, d.confidence))
            .collect();
        assert_eq!(
            days,
            [
                ("Nov. 27", Some(day("2024-11-27")), Confidence::Inferred),
                (
                    "09 December 2024",
                    Some(day("2024-12-09")),
                    Confidence::Stated
                ),
                (
                    "December 8, 2024",
                    Some(day("2024-12-08")),
                    Confidence::Stated
                ),
            ]
        );
    }

    #[test]
    fn a_december_date_in_a_january_article_is_of_the_year_before() {
        let found = dates("The offensive began on December 30.", Some("2025-01-03"));
        assert_eq!(found[0].day, Some(day("2024-12-30")));
    }

    #[test]
    fn an_undated_source_keeps_its_dates_unresolved() {
        let text = "Assad fled Syria on Sunday (December 8) after rebels entered Damascus. \
                    The government fell on Sunday.";
        let found = dates(text, None);
        assert_eq!(
            found.len(),
            2,
            "the weekday before a date is part of it: {found:#?}"
        );
        assert_eq!(found[0].day, None);
        assert_eq!(found[0].month_day, Some((12, 8)));
        assert_eq!(found[0].weekday, Some(Weekday::Sun));
        assert_eq!(found[0].confidence, Confidence::Unresolved);
        assert_eq!(found[1].day, None);
        assert_eq!(found[1].confidence, Confidence::Unresolved);
    }

    #[test]
    fn publication_markers_and_quoted_days_are_not_events() {
        let text =
            "date 2024-12-09 Russia has granted asylum. “Today, Syria is being purified,” he said.";
        assert!(dates(text, Some("2024-12-09")).is_empty());
    }

    #[test]
    fn impossible_dates_and_lowercase_months_are_ignored() {
        assert!(dates(
            "It happened on February 30 and the may 3 meeting.",
            Some("2024-12-09")
        )
        .is_empty());
    }

    #[test]
    fn the_year_from_context_needs_one_reading() {
        let dated = [day("2024-12-09"), day("2024-12-10")];
        assert_eq!(year_from_context(12, 8, &dated), Some(day("2024-12-08")));
        assert_eq!(
            year_from_context(12, 8, &[day("2023-12-09"), day("2024-12-09")]),
            None
        );
        assert_eq!(year_from_context(12, 8, &[]), None);
    }

    #[test]
    fn dates_near_the_ends_of_the_calendar_are_counted_without_overflow() {
        // Front matter keeps such years out; the counting must not rely on it.
        let text = "The talks were held on December 31. They began on Monday, three weeks ago.";
        for published in [NaiveDate::MAX, NaiveDate::MIN] {
            assert_eq!(
                find_dates(&split_clipping(text, false), Some(published)).len(),
                3
            );
        }
        let found = find_dates(&split_clipping(text, false), Some(NaiveDate::MAX));
        assert_eq!(found[0].day, Some(NaiveDate::MAX));
        assert_eq!(
            year_from_context(12, 8, &[NaiveDate::MAX]),
            NaiveDate::from_ymd_opt(NaiveDate::MAX.year(), 12, 8)
        );
    }
}
