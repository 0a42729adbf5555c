//! Files for feed readers and crawlers: the Atom feed of sources, the
//! sitemap and `robots.txt`. All three need absolute URLs, so they are only
//! written when `base_url` is set; without it the build warns instead.
//!
//! A feed entry's `updated` is its source's date at midnight UTC, never the
//! clock, so two builds are byte-identical. An undated source takes the
//! newest date of the dossier's dated sources (it sorts with the latest
//! additions and no date is invented beyond what the sources say); when no
//! source is dated at all, the Unix epoch, 1970-01-01.

use chrono::NaiveDate;

use crate::config::{Config, CONFIG_FILE};
use crate::content::{ParagraphKind, Source};
use crate::error::Diagnostic;
use crate::site::{Site, SiteSource};

use super::paragraph::escape;
use super::views::source_path;
use super::Page;

/// Characters of a source's lead kept as the entry's summary.
const SUMMARY_CHARS: usize = 300;

/// Shorter paragraphs are bylines, datelines or captions, not a lead.
const MIN_LEAD_CHARS: usize = 80;

/// The warning given when `base_url` is missing, since the feed, sitemap and
/// canonical links are then left out.
pub fn missing_base_url_warning(config: &Config) -> Option<Diagnostic> {
    if config.base_url().is_some() {
        return None;
    }
    Some(
        Diagnostic::warning(
            CONFIG_FILE,
            "no base_url: the Atom feed, sitemap.xml, robots.txt and canonical links are \
             left out, and 404.html links correctly only from the site's top folder",
        )
        .with_help(
            "set base_url = \"https://user.github.io/repo/\" under [dossier], \
             or pass --base-url",
        ),
    )
}

/// The feed, sitemap and robots.txt for `pages` (every other page of the
/// site), or nothing without `base_url`.
pub fn feed_pages(site: &Site, pages: &[String]) -> Vec<Page> {
    let Some(base) = site.config.base_url() else {
        return Vec::new();
    };
    vec![
        Page {
            path: "atom.xml".to_owned(),
            bytes: atom_feed(site, &base).into_bytes(),
        },
        Page {
            path: "sitemap.xml".to_owned(),
            bytes: sitemap(pages, &base).into_bytes(),
        },
        Page {
            path: "robots.txt".to_owned(),
            bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n").into_bytes(),
        },
    ]
}

/// The Atom feed (RFC 4287): one entry per source, newest first.
pub fn atom_feed(site: &Site, base: &str) -> String {
    let order = site.sources_by_date();
    let newest = order
        .iter()
        .find_map(|&i| site.sources[i].source.date.as_ref().map(|d| d.value))
        .unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date"));
    let dossier = &site.config.dossier;
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&dossier.language)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape(&dossier.title)));
    if !dossier.description.is_empty() {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&dossier.description)
        ));
    }
    let base = escape(base);
    xml.push_str(&format!("  <id>{base}</id>\n"));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}atom.xml\"/>\n"
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{base}index.html\"/>\n"
    ));
    xml.push_str(&format!("  <updated>{}</updated>\n", timestamp(newest)));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&dossier.title)
    ));
    xml.push_str("  <generator>dossier</generator>\n");
    for &index in &order {
        xml.push_str(&entry(&site.sources[index], &base, newest));
    }
    xml.push_str("</feed>\n");
    xml
}

/// One `<entry>`; `base` is already escaped.
fn entry(source: &SiteSource, base: &str, newest: NaiveDate) -> String {
    let s = &source.source;
    let url = format!("{base}{}", escape(&source_path(source)));
    let date = s.date.as_ref().map(|d| d.value);
    let mut xml = String::from("  <entry>\n");
    xml.push_str(&format!("    <title>{}</title>\n", escape(&s.title.value)));
    xml.push_str(&format!("    <id>{url}</id>\n"));
    xml.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
    ));
    xml.push_str(&format!(
        "    <updated>{}</updated>\n",
        timestamp(date.unwrap_or(newest))
    ));
    if let Some(date) = date {
        xml.push_str(&format!("    <published>{}</published>\n", timestamp(date)));
    }
    let byline = s
        .author
        .clone()
        .or_else(|| s.outlet.as_ref().map(|o| o.value.clone()));
    if let Some(name) = byline {
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape(&name)
        ));
    }
    if let Some(summary) = lead_paragraph(s, SUMMARY_CHARS) {
        xml.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(&summary)
        ));
    }
    xml.push_str("  </entry>\n");
    xml
}

/// The source's lead: its first paragraph of running text, long enough not
/// to be a byline or a dateline, cut to `max_chars` on a word boundary. Used
/// as the feed entry's summary and the page's OpenGraph description.
pub fn lead_paragraph(source: &Source, max_chars: usize) -> Option<String> {
    let text = &source
        .paragraphs
        .iter()
        .find(|p| {
            let prose = match p.kind {
                ParagraphKind::Text => true,
                ParagraphKind::Block => p.markup.as_deref().is_some_and(|m| m.starts_with("<p>")),
                _ => false,
            };
            prose && p.text.chars().count() >= MIN_LEAD_CHARS
        })?
        .text;
    if text.chars().count() <= max_chars {
        return Some(text.clone());
    }
    let cut = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    Some(format!(
        "{}…",
        text[..cut].trim_end_matches([',', ';', ':'])
    ))
}

/// A date as an RFC 3339 timestamp at midnight UTC.
fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// The sitemap: every HTML page but the 404 page, in path order.
pub fn sitemap(pages: &[String], base: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = pages
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    paths.sort_unstable();
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> String {
        path.to_owned()
    }

    #[test]
    fn sitemap_lists_html_pages_but_not_the_404_page() {
        let xml = sitemap(
            &[
                page("index.html"),
                page("404.html"),
                page("static/style.css"),
                page("sources/a.html"),
            ],
            "https://e.org/repo/",
        );
        assert!(xml.contains("<loc>https://e.org/repo/index.html</loc>"));
        assert!(xml.contains("<loc>https://e.org/repo/sources/a.html</loc>"));
        assert!(!xml.contains("404"));
        assert!(!xml.contains("style.css"));
    }

    #[test]
    fn timestamps_are_midnight_utc() {
        let date = NaiveDate::from_ymd_opt(2024, 12, 9).unwrap();
        assert_eq!(timestamp(date), "2024-12-09T00:00:00Z");
    }

    #[test]
    fn no_warning_when_base_url_is_set() {
        let mut config = Config::default();
        assert!(missing_base_url_warning(&config).is_some());
        config.dossier.base_url = Some("https://e.org/".into());
        assert!(missing_base_url_warning(&config).is_none());
    }
}
