//! Reading one source file (a raw `.txt` clipping or a `.md` article) into a
//! [`Source`]: front matter checked, missing metadata inferred and marked.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::front_matter::{self, Fields};
use super::infer;
use super::paragraphs::{self, Paragraph};
use crate::error::Diagnostic;

/// Front matter keys a source may carry.
pub const SOURCE_KEYS: &[&str] = &[
    "title", "date", "outlet", "url", "author", "language", "draft", "slug",
];

/// A value either given in front matter or inferred from the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inferable<T> {
    pub value: T,
    pub inferred: bool,
}

impl<T> Inferable<T> {
    pub fn given(value: T) -> Self {
        Inferable {
            value,
            inferred: false,
        }
    }

    pub fn inferred(value: T) -> Self {
        Inferable {
            value,
            inferred: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// A `.txt` file pasted from the web: one paragraph per line.
    Clipping,
    /// A `.md` file: CommonMark with tables, footnotes, strikethrough.
    Markdown,
}

/// One article of the dossier, as read from its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Path relative to the dossier root, with `/` separators.
    pub path: PathBuf,
    /// The slug asked for in front matter, if any; the final, unique slug is
    /// given when all sources are known.
    pub requested_slug: Option<String>,
    pub format: SourceFormat,
    pub title: Inferable<String>,
    pub date: Option<Inferable<NaiveDate>>,
    pub outlet: Option<Inferable<String>>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub draft: bool,
    pub paragraphs: Vec<Paragraph>,
}

/// Parses a source file's text. Returns the source and any warnings, or every
/// error found in it.
pub fn parse_source(text: &str, path: &Path) -> Result<(Source, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_source_as_of(text, path, None)
}

/// [`parse_source`], also warning when the front matter `date` lies after
/// `today`: most likely a typo in the year. The warning never changes the
/// source, so builds on different days stay byte-identical.
pub fn parse_source_as_of(
    text: &str,
    path: &Path,
    today: Option<NaiveDate>,
) -> Result<(Source, Vec<Diagnostic>), Vec<Diagnostic>> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("md") => SourceFormat::Markdown,
        _ => SourceFormat::Clipping,
    };
    let split = front_matter::split(text, path, SOURCE_KEYS).map_err(|d| vec![d])?;
    let empty = front_matter::FrontMatter::default();
    let front_matter = split.front_matter.as_ref().unwrap_or(&empty);
    let mut fields = Fields::new(front_matter, text, path);
    fields
        .diagnostics
        .extend(split.late_start_warning(text, path));
    fields.warn_unknown_keys(SOURCE_KEYS);

    let title = fields.string("title").filter(|t| !t.is_empty());
    let date = read_date(&mut fields);
    if let (Some(date), Some(today)) = (&date, today) {
        if date.value > today {
            let warning = fields
                .diagnostic_at_key("date", format!("the date {} is in the future", date.value))
                .pointing_at(&date.value.to_string())
                .with_help("check the year: a date after today is most likely a typo");
            fields.diagnostics.push(warning.as_warning());
        }
    }
    let outlet = fields.string("outlet").filter(|o| !o.is_empty());
    let url = read_url(&mut fields);
    let author = fields.string("author");
    let language = fields.string("language");
    let draft = fields.boolean("draft").unwrap_or(false);
    let requested_slug = fields.string("slug");
    if let Some(asked) = requested_slug.as_deref() {
        if crate::slug::slugify(asked).is_empty() {
            let warning = fields
                .diagnostic_at_key(
                    "slug",
                    format!("slug `{asked}` has no letter or digit to name a page with; the title's is used"),
                )
                .with_help("write the slug with letters, digits and hyphens, e.g. slug = \"assad-in-moscow\"");
            fields.diagnostics.push(warning.as_warning());
        }
    }

    let lines: Vec<&str> = split
        .body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let first_line = lines.first().copied().unwrap_or_default();
    let mut diagnostics = Vec::new();
    let paragraphs = match format {
        SourceFormat::Markdown => {
            let (paragraphs, flattened) = paragraphs::split_markdown_capped(split.body);
            if flattened {
                diagnostics.push(super::nesting::flattened_warning(path));
            }
            paragraphs
        }
        SourceFormat::Clipping => {
            let headline = title.is_none() && infer::is_headline(first_line);
            paragraphs::split_clipping(split.body, headline)
        }
    };

    diagnostics.splice(0..0, fields.diagnostics);
    let title = match title {
        Some(title) => Inferable::given(title),
        None => {
            let inferred = match format {
                SourceFormat::Clipping => infer::infer_title(first_line),
                // The first paragraph with text: a clipping may open with
                // a lead image, a rule or a saved page's comment.
                SourceFormat::Markdown => (paragraphs.iter())
                    .map(|p| infer::infer_title(&p.text))
                    .find(|title| !title.is_empty())
                    .unwrap_or_default(),
            };
            if inferred.is_empty() {
                diagnostics.push(
                    Diagnostic::error(path, "the source has no text and no title")
                        .with_help("add text, or a `title` in front matter"),
                );
            }
            Inferable::inferred(inferred)
        }
    };
    let date = date.or_else(|| infer::infer_date(&lines).map(Inferable::inferred));
    let outlet = outlet
        .map(Inferable::given)
        .or_else(|| infer::infer_outlet(&lines).map(Inferable::inferred));

    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let source = Source {
        path: path.to_owned(),
        requested_slug,
        format,
        title,
        date,
        outlet,
        url,
        author,
        language,
        draft,
        paragraphs,
    };
    Ok((source, diagnostics))
}

/// The years a front matter date may have, written with four digits. chrono
/// reads signed years of six digits too, near the ends of its calendar,
/// where counting a few days from the date runs off it.
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// What is wrong with a front matter date.
#[derive(Debug, PartialEq)]
enum BadDate {
    /// No day of the calendar (`2024-02-30`, `next week`).
    Day,
    /// A year not of four digits in [`YEARS`] (`+262142-12-31`).
    Year,
    /// A day with a time that is not one (`2024-12-09T25:99:00Z`).
    Time,
}

/// `date` as `YYYY-MM-DD`, a TOML date, or RFC 3339; an impossible date is an
/// error rather than a guess.
fn read_date(fields: &mut Fields<'_>) -> Option<Inferable<NaiveDate>> {
    let written = fields.string("date")?;
    let (message, help) = match parse_date(&written) {
        Ok(date) => return Some(Inferable::given(date)),
        Err(BadDate::Day) => (
            format!("`{written}` is not a valid date"),
            "write the date as YYYY-MM-DD, e.g. date = 2024-12-09",
        ),
        Err(BadDate::Year) => (
            format!("`{written}` is not a date in the years 1000 to 9999"),
            "write the date as YYYY-MM-DD, with a four-digit year, e.g. date = 2024-12-09",
        ),
        Err(BadDate::Time) => (
            format!("`{written}` is not a valid date and time"),
            "write the time as HH:MM:SS, from 00:00:00 to 23:59:59, \
             e.g. date = 2024-12-09T10:00:00Z, or give only the date",
        ),
    };
    let diagnostic = fields
        .diagnostic_at_key("date", message)
        .pointing_at(&written)
        .with_help(help);
    fields.diagnostics.push(diagnostic);
    None
}

/// A front matter date: `YYYY-MM-DD`, alone or with a time as RFC 3339 or a
/// TOML local date-time (`2024-12-09T10:00:00`) write it. The source is
/// dated by the day as written, but a time that is no time is an error all
/// the same: it is a typo as likely as in the day.
fn parse_date(written: &str) -> Result<NaiveDate, BadDate> {
    let day_end = written
        .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+'))
        .unwrap_or(written.len());
    let (day, time) = written.split_at(day_end);
    let year = day.rsplitn(3, '-').nth(2).ok_or(BadDate::Day)?;
    let digits = year.strip_prefix(['+', '-']).unwrap_or(year);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadDate::Day);
    }
    if !(year.len() == 4 && year.parse().is_ok_and(|y| YEARS.contains(&y))) {
        return Err(BadDate::Year);
    }
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| BadDate::Day)?;
    if time.is_empty() {
        return Ok(date);
    }
    if !time.starts_with(['T', 't', ' ']) {
        return Err(BadDate::Day);
    }
    let local = |format| chrono::NaiveDateTime::parse_from_str(written, format).is_ok();
    if chrono::DateTime::parse_from_rfc3339(written).is_ok()
        || local("%Y-%m-%dT%H:%M:%S%.f")
        || local("%Y-%m-%dT%H:%M")
    {
        Ok(date)
    } else {
        Err(BadDate::Time)
    }
}

/// `url` must be an absolute http(s) URL: anything else could become a
/// `javascript:` link on the page.
fn read_url(fields: &mut Fields<'_>) -> Option<String> {
    let url = fields.string("url")?;
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(url);
    }
    let diagnostic = fields
        .diagnostic_at_key(
            "url",
            format!("`url` must start with http:// or https://, not `{url}`"),
        )
        .pointing_at(&url)
        .with_help("give the article's address as it appears in a browser");
    fields.diagnostics.push(diagnostic);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::paragraphs::ParagraphKind;

    fn parse(text: &str, name: &str) -> Source {
        parse_source(text, Path::new(name)).unwrap().0
    }

    #[test]
    fn front_matter_values_are_given_not_inferred() {
        let source = parse(
            "+++\ntitle = \"T\"\ndate = 2024-12-09\noutlet = \"TASS\"\n+++\nBody.\n",
            "a.md",
        );
        assert_eq!(source.title, Inferable::given("T".to_owned()));
        assert!(!source.date.unwrap().inferred);
        assert!(!source.outlet.unwrap().inferred);
    }

    #[test]
    fn clipping_values_are_inferred() {
        let source = parse(
            "Kremlin confirms asylum\n- Anadolu Agency\n- Published Date: 02:40 | 09 December 2024\nText.\n",
            "a.txt",
        );
        assert_eq!(
            source.title,
            Inferable::inferred("Kremlin confirms asylum".to_owned())
        );
        assert_eq!(
            source.date.unwrap(),
            Inferable::inferred(NaiveDate::from_ymd_opt(2024, 12, 9).unwrap())
        );
        assert_eq!(source.outlet.unwrap().value, "Anadolu Agency");
        assert_eq!(source.paragraphs[0].kind, ParagraphKind::Headline);
    }

    #[test]
    fn rfc3339_dates_are_read() {
        let source = parse(
            "+++\ndate = \"2024-12-09T02:40:00+03:00\"\n+++\nText.\n",
            "a.md",
        );
        assert_eq!(source.date.unwrap().value.to_string(), "2024-12-09");
    }

    #[test]
    fn impossible_dates_are_errors_on_their_line() {
        let errors = parse_source(
            "+++\ntitle = \"T\"\ndate = \"2024-02-30\"\n+++\nx\n",
            Path::new("a.md"),
        )
        .unwrap_err();
        assert_eq!(errors[0].position, Some((3, 9)));
        assert!(errors[0].message.contains("2024-02-30"));
    }

    #[test]
    fn dates_are_read_with_or_without_a_valid_time() {
        let day = NaiveDate::from_ymd_opt(2024, 12, 9);
        for written in [
            "2024-12-09",
            "2024-12-09T02:40:00+03:00",
            "2024-12-09 02:40:00Z",
            "2024-12-09T23:59:59.5Z",
            "2024-12-09T10:00:00",
            "2024-12-09T10:00:00.25",
            "2024-12-09T10:00",
        ] {
            assert_eq!(parse_date(written).ok(), day, "{written}");
        }
        assert_eq!(
            parse_date("1000-01-01").ok(),
            NaiveDate::from_ymd_opt(1000, 1, 1)
        );
        assert_eq!(
            parse_date("9999-12-31").ok(),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
    }

    #[test]
    fn dates_outside_four_digit_years_or_with_no_time_are_refused() {
        let refused = [
            ("2024-02-30", BadDate::Day),
            ("next week", BadDate::Day),
            ("2024/12/09", BadDate::Day),
            ("-01-01", BadDate::Day),
            ("2024-12-09x", BadDate::Day),
            ("+262142-12-31", BadDate::Year),
            ("-262143-01-01", BadDate::Year),
            ("262142-12-31", BadDate::Year),
            ("+2024-12-09", BadDate::Year),
            ("0999-12-31", BadDate::Year),
            ("2024-12-09T25:99:00Z", BadDate::Time),
            ("2024-12-09T10:00:00+25:00", BadDate::Time),
            ("2024-12-09T", BadDate::Time),
            ("2024-12-09 in the morning", BadDate::Time),
        ];
        for (written, problem) in refused {
            assert_eq!(parse_date(written), Err(problem), "{written}");
        }
    }

    #[test]
    fn a_date_out_of_range_is_an_error_at_its_value() {
        for (front_matter, position) in [
            ("+++\ndate = \"+262142-12-31\"\n+++\n", (2, 9)),
            ("---\ntitle: T\ndate: 2024-12-09T25:99:00Z\n---\n", (3, 7)),
        ] {
            let text = format!("{front_matter}The talks were held on December 31.\n");
            let errors = parse_source(&text, Path::new("a.md")).unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].position, Some(position));
        }
    }

    #[test]
    fn future_dates_are_a_warning_on_their_line() {
        let text = "+++\ntitle = \"T\"\ndate = 2031-01-02\n+++\nx\n";
        let today = NaiveDate::from_ymd_opt(2026, 11, 21);
        let (source, warnings) = parse_source_as_of(text, Path::new("a.md"), today).unwrap();
        assert_eq!(source.date.unwrap().value.to_string(), "2031-01-02");
        assert_eq!(warnings.len(), 1);
        assert!(!warnings[0].is_error());
        assert_eq!(warnings[0].position, Some((3, 8)));
        assert!(warnings[0].message.contains("future"));
        let (_, warnings) = parse_source_as_of(text, Path::new("a.md"), None).unwrap();
        assert!(warnings.is_empty());
    }

    #[test]
    fn wrong_types_are_errors_naming_the_expected_type() {
        let errors = parse_source(
            "+++\ntitle = [1, 2]\ndraft = \"yes\"\n+++\nx\n",
            Path::new("a.md"),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].position, Some((2, 1)));
        assert!(errors[0].message.contains("must be a string"));
        assert_eq!(errors[1].position, Some((3, 1)));
        assert!(errors[1].message.contains("true or false"));
    }

    #[test]
    fn script_urls_are_refused() {
        let errors = parse_source(
            "+++\nurl = \"javascript:alert(1)\"\n+++\nx\n",
            Path::new("a.md"),
        )
        .unwrap_err();
        assert!(errors[0].message.contains("http"));
    }

    #[test]
    fn yaml_front_matter_is_accepted() {
        let source = parse("---\ntitle: T\ndraft: true\n---\nText.\n", "a.txt");
        assert!(source.draft);
        assert_eq!(source.title.value, "T");
    }
}
