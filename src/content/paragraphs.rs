//! Splitting a source's body into numbered paragraphs.
//!
//! Every later stage speaks of paragraphs: mentions and quotes are found in a
//! paragraph's plain text, and pages link to `#p<N>`. A raw clipping has one
//! paragraph per line; a Markdown source has one per top-level block, whose
//! HTML is kept with placeholders where its text goes, so the renderer can
//! link mentions inside it without parsing the Markdown again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::highlight::highlight_code_blocks;
use super::nesting::cap_nesting;
use super::text::{
    decode_entity, scrub_references, scrub_text, PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN,
};

/// What a paragraph is, which decides how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    /// The clipping's first line when it is a headline.
    Headline,
    /// A short line without closing punctuation inside a clipping, or a
    /// Markdown heading.
    Heading,
    /// A line that starts with `-` or `•` in a clipping.
    Item,
    /// Body text.
    Text,
    /// A Markdown block other than a heading (paragraph, list, table...).
    Block,
}

/// One paragraph of a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub kind: ParagraphKind,
    /// Plain text, in which mentions and quotes are found.
    pub text: String,
    /// For Markdown blocks: sanitised HTML in which `PLACEHOLDER_OPEN n
    /// PLACEHOLDER_CLOSE` stands for text span `n`.
    pub markup: Option<String>,
    /// For Markdown blocks: the byte ranges of `text` that the placeholders
    /// stand for, and whether mentions may be linked inside them (not inside
    /// an existing link).
    pub spans: Vec<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub linkable: bool,
}

/// How the id of a footnote starts; its number follows.
pub const FOOTNOTE_ID: &str = "fn-";

/// Starts the ids written here, which the sanitiser keeps (without it)
/// while it removes every id and name of raw HTML, so content cannot take
/// the page's anchors (`#p3`): content never carries this character.
const OWN_ID: char = PLACEHOLDER_OPEN;

/// Heading lines inside a clipping are short; longer lines are body text.
const MAX_HEADING_WORDS: usize = 6;

/// Splits a raw clipping: one paragraph per non-empty line.
pub fn split_clipping(body: &str, first_line_is_headline: bool) -> Vec<Paragraph> {
    body.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(index, line)| {
            let (kind, text) = if index == 0 && first_line_is_headline {
                (ParagraphKind::Headline, line)
            } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("• "))
            {
                (ParagraphKind::Item, item.trim())
            } else if is_heading_line(line) {
                (ParagraphKind::Heading, line)
            } else {
                (ParagraphKind::Text, line)
            };
            Paragraph {
                kind,
                text: text.to_owned(),
                markup: None,
                spans: Vec::new(),
            }
        })
        .collect()
}

fn is_heading_line(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let starts_upper = line
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_uppercase);
    words <= MAX_HEADING_WORDS
        && starts_upper
        && !line.ends_with(['.', ',', ';', ':', '!', '?', '"', '”'])
}

/// Splits a Markdown body into its top-level blocks.
pub fn split_markdown(body: &str) -> Vec<Paragraph> {
    split_markdown_capped(body).0
}

/// [`split_markdown`], also telling whether nesting deeper than
/// [`MAX_NESTING`](super::nesting::MAX_NESTING) was flattened.
pub fn split_markdown_capped(body: &str) -> (Vec<Paragraph>, bool) {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    let mut depth = 0usize;
    let (events, flattened) = markdown_events(body);
    for event in events {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.push(event);
        if depth == 0 {
            blocks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let footnotes = footnote_numbers(blocks.iter().flatten());
    let paragraphs = (blocks.into_iter())
        .filter_map(|block| markdown_block(block, &footnotes))
        .collect();
    (paragraphs, flattened)
}

/// The events of a Markdown text, nesting capped, with what its entity
/// references stand for (`&#x1b;`) scrubbed as the file's own characters
/// were when it was read.
fn markdown_events(body: &str) -> (Vec<Event<'_>>, bool) {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let (events, flattened) = cap_nesting(Parser::new_ext(body, options));
    (events.into_iter().map(scrubbed).collect(), flattened)
}

/// `event` with the strings in which Markdown decodes entity references
/// scrubbed; raw HTML's references are decoded by the sanitiser.
fn scrubbed(event: Event<'_>) -> Event<'_> {
    fn text(text: CowStr<'_>) -> CowStr<'_> {
        match scrub_text(&text) {
            Cow::Owned(scrubbed) => scrubbed.into(),
            Cow::Borrowed(_) => text,
        }
    }
    fn html(html: CowStr<'_>) -> CowStr<'_> {
        match scrub_references(&html) {
            Cow::Owned(scrubbed) => scrubbed.into(),
            Cow::Borrowed(_) => html,
        }
    }
    match event {
        Event::Text(run) => Event::Text(text(run)),
        Event::Html(raw) => Event::Html(html(raw)),
        Event::InlineHtml(raw) => Event::InlineHtml(html(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: text(dest_url),
            title: text(title),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: text(dest_url),
            title: text(title),
            id,
        }),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(text(info))))
        }
        other => other,
    }
}

/// Each footnote's number: in the order the text first refers to them, then
/// the order of notes the text never refers to, as a reader counts them.
/// Blocks are rendered one at a time, so numbering cannot be left to the
/// renderer, which would start again at 1 in each.
fn footnote_numbers<'a, 'e: 'a>(
    events: impl Iterator<Item = &'a Event<'e>> + Clone,
) -> HashMap<String, usize> {
    let references = events.clone().filter_map(|event| match event {
        Event::FootnoteReference(label) => Some(label),
        _ => None,
    });
    let definitions = events.filter_map(|event| match event {
        Event::Start(Tag::FootnoteDefinition(label)) => Some(label),
        _ => None,
    });
    let mut numbers = HashMap::new();
    for label in references.chain(definitions) {
        let next = numbers.len() + 1;
        numbers.entry(label.to_string()).or_insert(next);
    }
    numbers
}

/// Footnotes get their number in the whole text, and ids that cannot be
/// taken for a paragraph's (a note labelled `p1`); other events stay.
fn numbered_footnote<'a>(event: Event<'a>, footnotes: &HashMap<String, usize>) -> Event<'a> {
    let number = |label: &str| footnotes.get(label).copied().unwrap_or_default();
    match event {
        Event::FootnoteReference(label) => {
            let number = number(&label);
            Event::InlineHtml(
                format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{FOOTNOTE_ID}{number}\">{number}</a></sup>"
                )
                .into(),
            )
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let number = number(&label);
            Event::Html(
                format!(
                    "<div class=\"footnote-definition\" id=\"{OWN_ID}{FOOTNOTE_ID}{number}\"><sup class=\"footnote-definition-label\">{number}</sup>"
                )
                .into(),
            )
        }
        Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
        other => other,
    }
}

/// Turns one top-level block's events into a paragraph: its plain text, and
/// its sanitised HTML with a placeholder for each run of text.
fn markdown_block(events: Vec<Event<'_>>, footnotes: &HashMap<String, usize>) -> Option<Paragraph> {
    let kind = match events.first() {
        Some(Event::Start(Tag::Heading { .. })) => ParagraphKind::Heading,
        _ => ParagraphKind::Block,
    };
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let (mut in_code, mut in_link, mut in_image) = (0usize, 0usize, 0usize);
    // Inline `<script>`/`<style>` elements, whose text the sanitiser drops,
    // and the raw HTML of an HTML block, sanitised whole at its end.
    let mut in_dropped = 0usize;
    let mut html_block: Option<String> = None;
    for event in events {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some(String::new());
                out.push(Event::Start(Tag::HtmlBlock));
            }
            Event::Html(raw) if html_block.is_some() => {
                html_block.get_or_insert_default().push_str(&raw);
            }
            Event::End(TagEnd::HtmlBlock) => {
                let raw = html_block.take().unwrap_or_default();
                separate(&mut text);
                let html = html_text_runs(&clean(&raw), &mut text, &mut spans);
                separate(&mut text);
                out.push(Event::Html(html.into()));
                out.push(Event::End(TagEnd::HtmlBlock));
            }
            Event::InlineHtml(tag) => {
                match dropped_element(&tag) {
                    Some(true) => in_dropped += 1,
                    Some(false) => in_dropped = in_dropped.saturating_sub(1),
                    None => {}
                }
                out.push(Event::InlineHtml(tag));
            }
            // Shown nowhere: neither is it text to analyse.
            Event::Text(_) if in_dropped > 0 => {}
            event @ (Event::FootnoteReference(_)
            | Event::Start(Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::FootnoteDefinition)) => {
                out.push(numbered_footnote(event, footnotes));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Headings inside a source sit below the page's own <h1>.
                let level = if level == HeadingLevel::H1 {
                    HeadingLevel::H2
                } else {
                    level
                };
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                let level = if level == HeadingLevel::H1 {
                    HeadingLevel::H2
                } else {
                    level
                };
                separate(&mut text);
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code += 1;
                out.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                out.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                in_link += 1;
                out.push(Event::Start(tag));
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                out.push(Event::End(TagEnd::Link));
            }
            Event::Start(tag @ Tag::Image { .. }) => {
                in_image += 1;
                out.push(Event::Start(tag));
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                out.push(Event::End(TagEnd::Image));
            }
            Event::Text(run) if in_code == 0 && in_image == 0 => {
                let start = text.len();
                text.push_str(&run);
                spans.push(TextSpan {
                    start,
                    end: text.len(),
                    linkable: in_link == 0,
                });
                let placeholder =
                    format!("{PLACEHOLDER_OPEN}{}{PLACEHOLDER_CLOSE}", spans.len() - 1);
                out.push(Event::InlineHtml(placeholder.into()));
            }
            Event::Code(code) => {
                text.push_str(&code);
                out.push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                out.push(event);
            }
            event @ Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_),
            ) => {
                separate(&mut text);
                out.push(event);
            }
            other => out.push(other),
        }
    }
    let plain = is_plain(&out);
    let out = highlight_code_blocks(out);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    let markup = if plain {
        html
    } else {
        sanitise(&aligned_by_class(html))
    };
    let text = text.trim_end().to_owned();
    // Spans must stay inside the trimmed text (raw HTML shown as text can
    // end in a line break).
    for span in &mut spans {
        span.end = span.end.min(text.len());
        span.start = span.start.min(span.end);
    }
    if text.is_empty() && markup.trim().is_empty() {
        return None;
    }
    Some(Paragraph {
        kind,
        text,
        markup: Some(markup),
        spans,
    })
}

/// Whether an inline HTML tag opens (`Some(true)`) or closes an element
/// whose content the sanitiser removes along with it.
fn dropped_element(tag: &str) -> Option<bool> {
    let tag = tag.trim_start().to_ascii_lowercase();
    let name = |rest: &str| {
        ["script", "style"].iter().any(|name| {
            rest.strip_prefix(name)
                .is_some_and(|after| after.starts_with(['>', ' ', '\t', '\n', '/']))
        })
    };
    if let Some(rest) = tag.strip_prefix("</") {
        return name(rest).then_some(false);
    }
    let rest = tag.strip_prefix('<')?;
    (name(rest) && !tag.trim_end().ends_with("/>")).then_some(true)
}

/// Replaces each run of text in `html`, sanitised HTML, by a placeholder
/// for a span of `text`, to which the run's characters are added: so the
/// text of raw HTML blocks is found, linked and marked as any other text.
/// Text inside links, `<code>` and `<pre>` is kept in the HTML as it is,
/// and added to `text` with no span, as Markdown's own code is.
fn html_text_runs(html: &str, text: &mut String, spans: &mut Vec<TextSpan>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut kept_as_is = 0usize; // depth of links, code and pre
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = tag_end(rest);
            let tag = &rest[..end];
            let lower = tag.to_ascii_lowercase();
            let named = |name: &str| {
                lower
                    .strip_prefix(name)
                    .is_some_and(|after| after.starts_with(['>', ' ', '/']))
            };
            if named("<a") || named("<code") || named("<pre") {
                kept_as_is += 1;
            } else if named("</a") || named("</code") || named("</pre") {
                kept_as_is = kept_as_is.saturating_sub(1);
            } else if !INLINE_TAGS
                .iter()
                .any(|t| named(&format!("<{t}")) || named(&format!("</{t}")))
            {
                separate(text);
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let run = &rest[..end];
        rest = &rest[end..];
        if kept_as_is > 0 {
            text.push_str(&decode_text(run));
            out.push_str(run);
            continue;
        }
        let start = text.len();
        text.push_str(&decode_text(run));
        spans.push(TextSpan {
            start,
            end: text.len(),
            linkable: true,
        });
        let _ = write!(
            out,
            "{PLACEHOLDER_OPEN}{}{PLACEHOLDER_CLOSE}",
            spans.len() - 1
        );
    }
    out
}

/// Elements that sit inside a line of text: any other starts or ends a
/// block, whose words are kept apart from the next.
const INLINE_TAGS: &[&str] = &[
    "abbr", "b", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strike", "strong", "sub", "sup", "time", "u", "var",
];

/// The length of the tag `html` starts with; `>` may stand inside a quoted
/// attribute value.
fn tag_end(html: &str) -> usize {
    let mut quoted = false;
    for (i, c) in html.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Text as the sanitiser writes it, unescaped.
fn decode_text(run: &str) -> String {
    let mut text = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(at) = rest.find('&') {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').map(|end| &rest[..=end]);
        match entity.and_then(|e| Some((e.len(), decode_entity(e)?))) {
            Some((length, c)) => {
                text.push(c);
                rest = &rest[length..];
            }
            None => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// Whether `events` make HTML that sanitising gives back unchanged:
/// paragraphs, emphasis and line breaks around the placeholders of the
/// text, with no markup from the content itself. Most paragraphs of a
/// clipping are this, and sanitising parses and writes the HTML again.
fn is_plain(events: &[Event<'_>]) -> bool {
    events.iter().all(|event| match event {
        Event::Start(Tag::Paragraph | Tag::Emphasis | Tag::Strong)
        | Event::End(TagEnd::Paragraph | TagEnd::Emphasis | TagEnd::Strong)
        | Event::SoftBreak => true,
        // The content's own inline HTML starts with `<`.
        Event::InlineHtml(html) => html
            .strip_prefix(PLACEHOLDER_OPEN)
            .and_then(|rest| rest.strip_suffix(PLACEHOLDER_CLOSE))
            .is_some_and(|number| number.bytes().all(|b| b.is_ascii_digit())),
        _ => false,
    })
}

/// Renders a whole Markdown text to sanitised HTML, for text that needs no
/// paragraph anchors (entity descriptions).
pub fn render_markdown(body: &str) -> String {
    render_markdown_capped(body).0
}

/// [`render_markdown`], also telling whether deep nesting was flattened.
pub fn render_markdown_capped(body: &str) -> (String, bool) {
    let mut html = String::new();
    let (events, flattened) = markdown_events(body);
    let footnotes = footnote_numbers(events.iter());
    let events = (events.into_iter())
        .map(|event| numbered_footnote(event, &footnotes))
        .collect();
    let events = highlight_code_blocks(events);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (sanitise(&aligned_by_class(html)), flattened)
}

/// A table column's alignment as a class: the sanitiser removes every
/// `style` attribute, the one a Markdown table's alignment row makes too.
fn aligned_by_class(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    ["left", "center", "right"].iter().fold(html, |html, side| {
        html.replace(
            &format!(" style=\"text-align: {side}\""),
            &format!(" class=\"align-{side}\""),
        )
    })
}

/// Keeps words of adjacent blocks (list items, cells) apart in plain text.
fn separate(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// Removes anything that could run script or load from elsewhere from HTML
/// that came from content: raw HTML in Markdown is untrusted. An image from
/// elsewhere becomes a link to it.
pub fn sanitise(html: &str) -> String {
    let html = clean(html);
    match images_from_elsewhere_as_links(&html) {
        // Cleaned again, so the links are written as every other; the ids
        // left are the page's own, no longer marked.
        Cow::Owned(linked) => clean_with(&linked, Ids::AllKept),
        Cow::Borrowed(_) => html,
    }
}

/// [`sanitise`], leaving images as they are: for raw HTML blocks, whose text
/// is read before the whole block is sanitised.
fn clean(html: &str) -> String {
    clean_with(html, Ids::OwnOnly)
}

/// Which ids the sanitiser keeps.
enum Ids {
    /// Those marked as written here, unmarked: content's are removed.
    OwnOnly,
    AllKept,
}

fn clean_with(html: &str, ids: Ids) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    if let Ids::OwnOnly = ids {
        builder.attribute_filter(|_, attribute, value| match attribute {
            "id" => value.strip_prefix(OWN_ID).map(Cow::Borrowed),
            _ => Some(Cow::Borrowed(value)),
        });
    }
    builder.clean(html).to_string()
}

/// Sanitised `html` with each image whose address is not a file of the site
/// written as a link to it, `Image: ` and its alt text, so it loads only if
/// the reader opens it; inside a link, as that text alone.
fn images_from_elsewhere_as_links(html: &str) -> Cow<'_, str> {
    if !html.contains("<img") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_link = 0usize;
    let mut changed = false;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let end = at + tag_end(&rest[at..]);
        let tag = &rest[at..end];
        rest = &rest[end..];
        if tag.starts_with("<a ") || tag == "<a>" {
            in_link += 1;
        } else if tag == "</a>" {
            in_link = in_link.saturating_sub(1);
        }
        let src = tag.starts_with("<img").then(|| attribute(tag, "src"));
        if let Some(src) = src
            .flatten()
            .filter(|src| !within_the_site(&decode_text(src)))
        {
            // Attribute values are written with `<` and `>` as they are.
            let alt = attribute(tag, "alt").unwrap_or_default();
            let alt = alt.replace('<', "&lt;").replace('>', "&gt;");
            let label = match alt.trim() {
                "" => "Image".to_owned(),
                _ => format!("Image: {alt}"),
            };
            match in_link {
                0 => {
                    let _ = write!(out, "<a href=\"{src}\">{label}</a>");
                }
                _ => out.push_str(&label),
            }
            changed = true;
            continue;
        }
        out.push_str(tag);
    }
    out.push_str(rest);
    match changed {
        true => Cow::Owned(out),
        false => Cow::Borrowed(html),
    }
}

/// The value of attribute `name` in a tag as the sanitiser writes it:
/// ` name="value"`, with `"` and `&` escaped in the value.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// Whether `url` is a relative path, to a file that ships with the site,
/// rather than an address that starts at a host or the disk's root (`//`,
/// `/`, or `\\`, which browsers read as `/`) or names a scheme (`https:`).
fn within_the_site(url: &str) -> bool {
    // Browsers ignore leading spaces and control characters.
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let path_end = url.find(['/', '\\', '?', '#']).unwrap_or(url.len());
    !url.starts_with(['/', '\\']) && !url[..path_end].contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_lines_become_paragraphs_with_kinds() {
        let body = "Kremlin confirms asylum\n\nThe Kremlin said so.\n- World\nLooking Ahead\n";
        let paragraphs = split_clipping(body, true);
        let kinds: Vec<_> = paragraphs.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ParagraphKind::Headline,
                ParagraphKind::Text,
                ParagraphKind::Item,
                ParagraphKind::Heading
            ]
        );
        assert_eq!(paragraphs[2].text, "World");
    }

    #[test]
    fn plain_blocks_are_as_sanitising_would_leave_them() {
        let plain = [
            "Peskov said \"no\" & left early.",
            "One line\nand the next, *emphasised* and **strong**.",
            "Ουλιάνοφ — «Ulyanov» 'quoted' > less < more",
        ];
        for body in plain {
            let (paragraphs, _) = split_markdown_capped(body);
            let markup = paragraphs[0].markup.as_deref().unwrap();
            assert_eq!(sanitise(markup), markup, "{body}");
        }
        let events: Vec<_> = Parser::new("Text [a link](javascript:alert(1)) <b>x</b>").collect();
        assert!(!is_plain(&events), "links and raw HTML are sanitised");
        let (paragraphs, _) = split_markdown_capped("[a link](javascript:alert(1))");
        assert!(!paragraphs[0]
            .markup
            .as_ref()
            .unwrap()
            .contains("javascript"));
    }

    #[test]
    fn markdown_blocks_keep_text_and_placeholders() {
        let paragraphs = split_markdown("# Title\n\nSome *Assad* text.\n\n- a\n- b\n");
        assert_eq!(paragraphs.len(), 3);
        assert_eq!(paragraphs[0].kind, ParagraphKind::Heading);
        assert!(paragraphs[0].markup.as_ref().unwrap().starts_with("<h2>"));
        assert_eq!(paragraphs[1].text, "Some Assad text.");
        assert_eq!(paragraphs[1].spans.len(), 3);
        assert_eq!(paragraphs[2].text, "a b");
    }

    #[test]
    fn raw_html_is_sanitised() {
        let paragraphs = split_markdown(
            "Hi <script>alert(1)</script> <a href=\"javascript:alert(1)\">x</a>\n\n<iframe src=\"https://e.com\"></iframe>\n",
        );
        for paragraph in &paragraphs {
            let markup = paragraph.markup.as_deref().unwrap();
            assert!(!markup.contains("<script"), "{markup}");
            assert!(!markup.contains("javascript:"), "{markup}");
            assert!(!markup.contains("<iframe"), "{markup}");
        }
    }

    #[test]
    fn the_text_of_raw_html_is_the_text_shown() {
        let body = "<div>Peskov spoke <b>inside</b> a div &amp; more.</div>\n\n\
                    <details><summary>In a summary</summary>Then again.</details>\n\n\
                    Text <script>var x = \"Peskov in a script\";</script> after a script.\n";
        let paragraphs = split_markdown(body);
        let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Peskov spoke inside a div & more.",
                "In a summary Then again.",
                "Text  after a script."
            ]
        );
        // Every character of the text is in a span the HTML shows, but
        // for the spaces kept between blocks.
        let div = &paragraphs[0];
        let shown: String = div
            .spans
            .iter()
            .map(|s| &div.text[s.start..s.end])
            .collect();
        assert_eq!(shown, div.text);
        assert!(div.spans.iter().all(|s| s.linkable));
        let markup = div.markup.as_deref().unwrap();
        assert!(markup.starts_with("<div>"), "{markup}");
        assert!(
            !markup.contains("Peskov"),
            "text stands as placeholders: {markup}"
        );
        assert!(!paragraphs[2].markup.as_deref().unwrap().contains("Peskov"));
    }

    #[test]
    fn footnotes_are_numbered_across_the_text_with_ids_of_their_own() {
        let body = "One.[^p1] Two.[^b]\n\nThree.[^p1]\n\n[^b]: Note B.\n\n[^p1]: Note A.\n";
        let markup: Vec<String> = (split_markdown(body).into_iter())
            .map(|p| p.markup.unwrap())
            .collect();
        assert!(
            markup[0].contains("href=\"#fn-1\"") && markup[0].contains(">1</a>"),
            "{}",
            markup[0]
        );
        assert!(
            markup[0].contains("href=\"#fn-2\"") && markup[0].contains(">2</a>"),
            "{}",
            markup[0]
        );
        assert!(markup[1].contains("href=\"#fn-1\""), "{}", markup[1]);
        assert!(markup[2].contains("id=\"fn-2\""), "{}", markup[2]);
        assert!(
            markup[2].contains("footnote-definition-label\">2<"),
            "{}",
            markup[2]
        );
        assert!(markup[3].contains("id=\"fn-1\""), "{}", markup[3]);
        assert!(
            !markup.iter().any(|m| m.contains("id=\"p1\"")),
            "{markup:?}"
        );
    }

    #[test]
    fn table_alignment_survives_the_sanitiser_as_a_class() {
        let body = "| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n";
        let markup = split_markdown(body)[0].markup.clone().unwrap();
        assert!(markup.contains("<td class=\"align-right\">"), "{markup}");
        assert!(markup.contains("<th class=\"align-center\">"), "{markup}");
        assert!(!markup.contains("style"), "{markup}");
    }

    #[test]
    fn highlighted_code_keeps_its_classes_through_the_sanitiser() {
        let paragraphs = split_markdown("```json\n{\"asylum\": true}\n```\n");
        let markup = paragraphs[0].markup.as_deref().unwrap();
        assert!(markup.contains("<pre class=\"hl-code\">"), "{markup}");
        assert!(markup.contains("<span class=\"hl-"), "{markup}");
    }

    #[test]
    fn text_inside_links_is_not_linkable() {
        let paragraphs = split_markdown("See [Assad](https://example.org) now\n");
        let spans = &paragraphs[0].spans;
        assert_eq!(spans.iter().filter(|s| !s.linkable).count(), 1);
    }

    /// Whether `text` holds a character a page may not carry.
    fn unscrubbed(text: &str) -> bool {
        text.chars().any(|c| {
            super::super::text::scrub(c) != c && c != PLACEHOLDER_OPEN && c != PLACEHOLDER_CLOSE
        })
    }

    #[test]
    fn references_to_control_characters_become_replacement_characters() {
        let body = "Said &#x1b; it &#1; [so](https://e.org/&#2; \"t&#x7f;\") \
                    ![a&#3;](x.png) <b title=\"&#4;\">b</b> `&#5;`\n\n\
                    <div title=\"&#x1b;\">raw &#xfffe; &#65535;<code>&#6;</code></div>\n\n\
                    ```x&#7;\ncode\n```\n";
        for paragraph in split_markdown(body) {
            let markup = paragraph.markup.as_deref().unwrap();
            assert!(!unscrubbed(&paragraph.text), "{:?}", paragraph.text);
            assert!(!unscrubbed(markup), "{markup:?}");
        }
        let paragraphs = split_markdown(body);
        assert!(paragraphs[0]
            .text
            .starts_with("Said \u{FFFD} it \u{FFFD} so"));
        assert_eq!(paragraphs[1].text, "raw \u{FFFD} \u{FFFD}\u{FFFD}");
        assert!(!unscrubbed(&render_markdown(body)));
    }

    #[test]
    fn raw_html_cannot_take_the_pages_ids() {
        let body = "<div id=\"p3\">Decoy</div>\n\n\
                    Text <a name=\"p1\" id=\"in-this-source\">x</a> <span id=\"quote-1\">y</span> \
                    [to the note](#fn-1).[^n]\n\n\
                    <ul><li id=\"p2\">i</li></ul><div id=\"&#xE000;fn-1\">forged</div>\n\n\
                    [^n]: The note <div id=\"fn-1\">inline</div>\n";
        let paragraphs = split_markdown(body);
        let markup: String = paragraphs.iter().filter_map(|p| p.markup.clone()).collect();
        assert_eq!(markup.matches("id=").count(), 1, "{markup}");
        assert!(
            markup.contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
            "{markup}"
        );
        assert!(!markup.contains("name="), "{markup}");
        assert_eq!(markup.matches("href=\"#fn-1\"").count(), 2, "{markup}");
        // Entity descriptions number their notes the same way.
        let html = render_markdown("A claim.[^p1] <div id=\"p1\">x</div>\n\n[^p1]: The note.\n");
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert_eq!(html.matches("id=").count(), 1, "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
    }

    #[test]
    fn footnotes_keep_their_ids_beside_an_image_from_elsewhere() {
        let html = render_markdown("A note[^1] ![map](https://e.org/m.png)\n\n[^1]: The note.\n");
        assert!(html.contains("id=\"fn-1\""), "{html}");
        assert!(html.contains(">Image: map</a>"), "{html}");
    }

    #[test]
    fn images_from_elsewhere_are_links_to_them() {
        let body = "![track](https://tracker.example.com/pixel.png) ![](//e.org/a.png) \
                    ![root](/a.png) <img src=\"/\\e.org/b.png\" alt=\"slash\"> <img src=\"&#9;//e.org/c.png\" alt=\"tab\"> \
                    ![shipped](images/map.png) ![up](../map.png?v=1#x) ![d](data:image/png;base64,AAAA) \
                    [![in a link](https://e.org/c.png)](https://e.org/) \
                    <img src=\"HTTPS://e.org/d.png\" alt=\"a &lt;b&gt; &amp; &quot;c&quot;\" srcset=\"https://e.org/e.png 2x\">\n\n\
                    <p><img src=\" https://e.org/f.png\" alt=\"Peskov\"></p>\n";
        let paragraphs = split_markdown(body);
        let markup = paragraphs[0].markup.as_deref().unwrap();
        for expected in [
            "<a href=\"https://tracker.example.com/pixel.png\" rel=\"noopener noreferrer\">Image: track</a>",
            "<a href=\"//e.org/a.png\" rel=\"noopener noreferrer\">Image</a>",
            "<a href=\"/a.png\" rel=\"noopener noreferrer\">Image: root</a>",
            ">Image: slash</a>",
            ">Image: tab</a>",
            "<img src=\"images/map.png\" alt=\"shipped\">",
            "<img src=\"../map.png?v=1#x\" alt=\"up\">",
            "<img alt=\"d\">",
            "<a href=\"https://e.org/\" rel=\"noopener noreferrer\">Image: in a link</a>",
            "<a href=\"HTTPS://e.org/d.png\" rel=\"noopener noreferrer\">Image: a &lt;b&gt; &amp; \"c\"</a>",
        ] {
            assert!(markup.contains(expected), "{expected} in {markup}");
        }
        assert_eq!(markup.matches("<img").count(), 3, "{markup}");
        assert!(
            !markup.contains("srcset") && !markup.contains("data:"),
            "{markup}"
        );
        // A raw HTML block's image is a link too; its alt text, as a
        // Markdown image's, is not text to analyse.
        let raw = &paragraphs[1];
        let markup = raw.markup.as_deref().unwrap();
        assert!(
            markup.contains(
                "<a href=\" https://e.org/f.png\" rel=\"noopener noreferrer\">Image: Peskov</a>"
            ),
            "{markup}"
        );
        assert_eq!(raw.text, "");
        let html = render_markdown("![map](https://e.org/map.png)\n");
        assert!(
            html.contains(">Image: map</a>") && !html.contains("<img"),
            "{html}"
        );
    }
}
