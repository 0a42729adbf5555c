//! Capping how deeply Markdown nests, so a hostile or broken file cannot make
//! the build slow: HTML tree builders (the sanitiser's included) take time
//! quadratic in nesting depth, and 10,000 nested quotes would take minutes.
//! Nothing a journalist writes comes near the cap; deeper blocks lose their
//! frame but keep their text, and deeper raw HTML is shown as text.

use pulldown_cmark::{CowStr, Event, Tag};

/// Deepest nesting of quotes and lists, and of raw HTML elements, kept as
/// structure.
pub const MAX_NESTING: usize = 100;

/// The warning for a file whose nesting was flattened.
pub fn flattened_warning(path: &std::path::Path) -> crate::error::Diagnostic {
    crate::error::Diagnostic::warning(
        path,
        format!("quotes, lists or HTML nested more than {MAX_NESTING} deep are flattened"),
    )
    .with_help("the text is kept; check the file for a run of `>` or `-` pasted by mistake")
}

/// `events` with nesting beyond [`MAX_NESTING`] flattened, and whether any
/// was.
pub fn cap_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> (Vec<Event<'a>>, bool) {
    let mut out = Vec::new();
    let mut flattened = false;
    // For every open tag, whether its start was kept.
    let mut open: Vec<bool> = Vec::new();
    let mut containers = 0usize;
    let mut html_depth = 0usize;
    for event in events {
        match event {
            Event::Start(tag) => {
                let container = is_container(&tag);
                let keep = !container || containers < MAX_NESTING;
                if container && keep {
                    containers += 1;
                }
                open.push(keep);
                if keep {
                    out.push(Event::Start(tag));
                } else {
                    flattened = true;
                }
            }
            Event::End(end) => {
                let kept = open.pop().unwrap_or(true);
                if kept {
                    if is_container_end(&end) {
                        containers = containers.saturating_sub(1);
                    }
                    out.push(Event::End(end));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if too_deep(&html, &mut html_depth) => {
                flattened = true;
                out.push(Event::Text(html));
            }
            other => out.push(other),
        }
    }
    (out, flattened)
}

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_)
    )
}

fn is_container_end(end: &pulldown_cmark::TagEnd) -> bool {
    use pulldown_cmark::TagEnd;
    matches!(
        end,
        TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition
    )
}

/// Tracks the nesting of raw HTML elements across the document's HTML runs;
/// true when this run would take it beyond [`MAX_NESTING`] (the run is then
/// not counted, as it will be shown as text).
fn too_deep(html: &CowStr<'_>, depth: &mut usize) -> bool {
    let mut running = *depth;
    let mut deepest = running;
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('<') {
        let rest = &bytes[i + 1..];
        match rest.first() {
            Some(b'/') => running = running.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = rest
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                let name = &rest[..name_end];
                let self_closing = rest[name_end..]
                    .iter()
                    .position(|&b| b == b'>')
                    .is_some_and(|gt| gt > 0 && rest[name_end + gt - 1] == b'/');
                if !is_void(name) && !self_closing {
                    running += 1;
                    deepest = deepest.max(running);
                }
            }
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        return true;
    }
    *depth = running;
    false
}

/// HTML elements that never have content, so never nest.
fn is_void(name: &[u8]) -> bool {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    VOID.iter().any(|v| v.as_bytes().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn capped(markdown: &str) -> (String, bool) {
        let (events, flattened) = cap_nesting(Parser::new(markdown));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, flattened)
    }

    #[test]
    fn ordinary_nesting_is_kept() {
        let (html, flattened) = capped("> > quote\n\n- a\n  - b\n\n<div><p>x</p></div>\n");
        assert!(!flattened);
        assert_eq!(html.matches("<blockquote>").count(), 2);
        assert_eq!(html.matches("<ul>").count(), 2);
        assert!(html.contains("<div><p>x</p></div>"));
    }

    #[test]
    fn quotes_and_lists_deeper_than_the_cap_are_flattened_keeping_the_text() {
        let quotes = format!("{} deep text\n", ">".repeat(MAX_NESTING * 3));
        let (html, flattened) = capped(&quotes);
        assert!(flattened);
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
        assert_eq!(html.matches("</blockquote>").count(), MAX_NESTING);
        assert!(html.contains("deep text"));

        let lists = format!("{}deep item\n", "- ".repeat(MAX_NESTING * 3));
        let (html, flattened) = capped(&lists);
        assert!(flattened);
        assert!(html.matches("<ul>").count() <= MAX_NESTING);
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
        assert!(html.contains("deep item"));
    }

    #[test]
    fn raw_html_deeper_than_the_cap_is_shown_as_text() {
        let divs = format!(
            "{}deep{}\n",
            "<div>".repeat(MAX_NESTING + 1),
            "</div>".repeat(MAX_NESTING + 1)
        );
        let (html, flattened) = capped(&divs);
        assert!(flattened);
        assert!(!html.contains("<div>"));
        assert!(html.contains("&lt;div&gt;"));
        let (_, flattened) = capped(&format!("{}<br><img src=x/>\n", "<p>x</p>".repeat(500)));
        assert!(!flattened, "siblings and void elements do not nest");
    }
}
