//! Inferring what a raw clipping does not say: its title, publication date
//! and outlet. Every inferred value is marked as such by the caller, so the
//! site never passes a guess off as given.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::analysis::quotes::{sentence_end, SENTENCE_MARKS};

/// News agencies and outlets recognised in bylines and datelines.
const KNOWN_OUTLETS: &[&str] = &[
    "Agence France-Presse",
    "AFP",
    "Al Jazeera",
    "Anadolu Agency",
    "Associated Press",
    "AP",
    "BBC",
    "Bloomberg",
    "dpa",
    "EFE",
    "Interfax",
    "ITAR-TASS",
    "Reuters",
    "RIA Novosti",
    "SANA",
    "TASS",
    "UPI",
    "Xinhua",
];

/// Longest title made from a first sentence, in characters.
const MAX_TITLE_CHARS: usize = 90;

/// A headline is a short first line; longer first lines are body text.
const MAX_HEADLINE_CHARS: usize = 140;

static DATE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:^|\s)(?:date|dated|published(?:\s+date)?|posted(?:\s+on)?)\s*:?\s*
        (?:\d{1,2}:\d{2}\s*(?:[ap]m\s*)?\|?\s*)?     # an optional time before the date
        (?P<date>
            \d{4}-\d{2}-\d{2}
          | \d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}
          | [a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}
        )",
    )
    .expect("date marker pattern is valid")
});

static LEADING_DATE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:date|dated)\s*:?\s*\d{4}-\d{2}-\d{2}\s*").expect("valid pattern")
});

/// Parses a date as clippings write it: `2024-12-09`, `9 December 2024`,
/// `December 9, 2024`, `9 Dec. 2024`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let cleaned: String = text.replace([',', '.'], " ");
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    ["%Y-%m-%d", "%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(&cleaned, format).ok())
}

/// The publication date from a marker such as `date 2024-12-09` or
/// `Published Date: 02:40 | 09 December 2024` in the clipping's first lines.
pub fn infer_date(lines: &[&str]) -> Option<NaiveDate> {
    lines.iter().take(12).find_map(|line| {
        DATE_MARKER
            .captures_iter(line)
            .find_map(|captures| parse_date(&captures["date"]))
    })
}

/// The title: a short first line without a closing full stop is a headline;
/// otherwise the first sentence, shortened on a word boundary.
pub fn infer_title(first_line: &str) -> String {
    let line = LEADING_DATE_MARKER.replace(first_line, "");
    let line = line.trim();
    if is_headline(line) {
        return line.to_owned();
    }
    shorten(first_sentence(line), MAX_TITLE_CHARS)
}

/// Whether a first line reads as a headline rather than body text.
pub fn is_headline(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.chars().count() <= MAX_HEADLINE_CHARS
        && !line.ends_with(['.', ',', ';', ':'])
        && !DATE_MARKER.is_match(line)
}

/// The text up to the end of its first sentence, by the rule the analysis
/// reads sentences with: not at an abbreviation (`U.S.`, `Mr.`, `on Nov. 5`)
/// or an initial, and after a quote the sentence ends in.
fn first_sentence(text: &str) -> &str {
    text.match_indices(SENTENCE_MARKS)
        .find_map(|(at, _)| sentence_end(text, at))
        .map_or(text, |end| &text[..end])
}

/// Cuts `text` to at most `max` characters on a word boundary, adding `…`.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.trim_end_matches('.').to_owned();
    }
    let cut = text
        .char_indices()
        .nth(max)
        .map_or(text.len(), |(index, _)| index);
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |space| &head[..space]);
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// The outlet named in a byline (`By Jane Doe, Reuters`), a dateline
/// (`MOSCOW (Reuters) —`) or a line of its own among the first lines.
pub fn infer_outlet(lines: &[&str]) -> Option<String> {
    lines.iter().take(12).find_map(|line| {
        let line = line.trim().trim_start_matches(['-', '•', '*']).trim();
        let named = |text: &str| {
            KNOWN_OUTLETS
                .iter()
                .find(|outlet| contains_word(text, outlet))
                .map(|outlet| (*outlet).to_owned())
        };
        if KNOWN_OUTLETS
            .iter()
            .any(|outlet| line.eq_ignore_ascii_case(outlet))
        {
            return named(line);
        }
        if let Some(byline) = line.strip_prefix("By ") {
            if byline.len() < 80 {
                return named(byline);
            }
        }
        // A dateline: an outlet in brackets near the start of a paragraph.
        let head: String = line.chars().take(40).collect();
        let open = head.find('(')?;
        let close = head[open..].find(')')? + open;
        named(&head[open + 1..close])
    })
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn reads_date_markers() {
        assert_eq!(
            infer_date(&[" date 2024-12-09 Following the crisis."]),
            date(2024, 12, 9)
        );
        assert_eq!(
            infer_date(&["- World", "- Published Date: 02:40 | 09 December 2024"]),
            date(2024, 12, 9)
        );
        assert_eq!(
            infer_date(&["Published: 9 December 2024"]),
            date(2024, 12, 9)
        );
        assert_eq!(infer_date(&["Published: Dec. 9, 2024"]), date(2024, 12, 9));
        assert_eq!(infer_date(&["Assad fled on December 8."]), None);
    }

    #[test]
    fn a_short_first_line_is_the_headline() {
        assert_eq!(
            infer_title("Kremlin confirms Bashar al-Assad, his family were given asylum by Russia"),
            "Kremlin confirms Bashar al-Assad, his family were given asylum by Russia"
        );
    }

    #[test]
    fn a_long_first_line_gives_a_shortened_first_sentence() {
        let title = infer_title(
            " date 2024-12-09 Following the political crisis in Syria, Russia has granted \
             asylum to Bashar al-Assad and his family, TASS reported citing a Kremlin source.",
        );
        assert!(
            title.starts_with("Following the political crisis in Syria"),
            "{title}"
        );
        assert!(title.ends_with('…'), "{title}");
        assert!(title.chars().count() <= MAX_TITLE_CHARS + 1);
    }

    #[test]
    fn first_sentence_skips_abbreviations() {
        assert_eq!(
            first_sentence("The U.S. said no. Then more."),
            "The U.S. said no."
        );
        assert_eq!(first_sentence("B. Assad left. Then."), "B. Assad left.");
    }

    #[test]
    fn first_sentence_goes_past_abbreviated_months_and_titles_to_a_quote_s_end() {
        assert_eq!(
            first_sentence("Talks resumed on Nov. 5 in Geneva. Then more."),
            "Talks resumed on Nov. 5 in Geneva."
        );
        assert_eq!(
            first_sentence("Mr. Peskov said no. Then more."),
            "Mr. Peskov said no."
        );
        assert_eq!(
            first_sentence("Peskov said: “We cannot explain the delay.” Then more."),
            "Peskov said: “We cannot explain the delay.”"
        );
    }

    #[test]
    fn outlet_from_a_line_of_its_own_or_a_byline() {
        assert_eq!(
            infer_outlet(&["Headline", "- World", "- Anadolu Agency"]).as_deref(),
            Some("Anadolu Agency")
        );
        assert_eq!(
            infer_outlet(&["By Jane Roe, Reuters"]).as_deref(),
            Some("Reuters")
        );
        assert_eq!(
            infer_outlet(&["MOSCOW (Reuters) - The Kremlin said"]).as_deref(),
            Some("Reuters")
        );
        assert_eq!(infer_outlet(&["By Staff, Agencies"]), None);
        assert_eq!(
            infer_outlet(&["TASS reported citing a Kremlin source."]),
            None
        );
    }
}
