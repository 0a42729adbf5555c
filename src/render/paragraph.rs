//! A paragraph's HTML with its entity mentions linked to entity pages.
//!
//! Clipping text is escaped here; Markdown blocks arrive as sanitised HTML
//! with placeholders for their text runs, so mention links are only ever
//! added inside text, never inside a tag or an existing link.

use std::fmt::Write;

use crate::analysis::Mention;
use crate::content::text::{PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN};
use crate::content::{Entity, Paragraph};

/// The paragraph's inner HTML. `mentions` are this paragraph's, in order;
/// `root` leads from the page to the site root.
pub fn paragraph_html(
    paragraph: &Paragraph,
    mentions: &[Mention],
    entities: &[&Entity],
    root: &str,
) -> String {
    match &paragraph.markup {
        None => linked_text(
            &paragraph.text,
            0,
            paragraph.text.len(),
            mentions,
            entities,
            root,
        ),
        Some(markup) => markdown_html(paragraph, markup, mentions, entities, root),
    }
}

fn markdown_html(
    paragraph: &Paragraph,
    markup: &str,
    mentions: &[Mention],
    entities: &[&Entity],
    root: &str,
) -> String {
    let mut html = String::with_capacity(markup.len() * 2);
    let mut rest = markup;
    while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
        html.push_str(&rest[..open]);
        let after = &rest[open + PLACEHOLDER_OPEN.len_utf8()..];
        let Some(close) = after.find(PLACEHOLDER_CLOSE) else {
            rest = after;
            continue;
        };
        let span = after[..close]
            .parse::<usize>()
            .ok()
            .and_then(|index| paragraph.spans.get(index));
        if let Some(span) = span {
            let linkable: &[Mention] = if span.linkable { mentions } else { &[] };
            html.push_str(&linked_text(
                &paragraph.text,
                span.start,
                span.end,
                linkable,
                entities,
                root,
            ));
        }
        rest = &after[close + PLACEHOLDER_CLOSE.len_utf8()..];
    }
    html.push_str(rest);
    html
}

/// Escapes `text[start..end]`, wrapping each mention that lies wholly inside
/// it in a link to its entity's page.
fn linked_text(
    text: &str,
    start: usize,
    end: usize,
    mentions: &[Mention],
    entities: &[&Entity],
    root: &str,
) -> String {
    let mut html = String::with_capacity((end - start) + 64);
    let mut at = start;
    for mention in mentions {
        if mention.start < at || mention.end > end {
            continue;
        }
        let entity = entities[mention.entity];
        escape_into(&text[at..mention.start], &mut html);
        let _ = write!(
            html,
            "<a class=\"mention kind-{}\" href=\"{root}entities/{}.html\" title=\"",
            entity.kind, entity.slug,
        );
        escape_into(&entity.name, &mut html);
        html.push_str("\">");
        escape_into(&text[mention.start..mention.end], &mut html);
        html.push_str("</a>");
        at = mention.end;
    }
    escape_into(&text[at..end], &mut html);
    html
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// [`escape`], appended to `out`.
fn escape_into(text: &str, out: &mut String) {
    super::escape::escape_into(text, out, "&#39;");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::paragraphs::{split_clipping, split_markdown};
    use crate::content::EntityKind;

    fn assad() -> Entity {
        Entity {
            path: "content/entities/assad.md".into(),
            slug: "bashar-al-assad".into(),
            name: "Bashar al-Assad".into(),
            kind: EntityKind::Person,
            aliases: vec!["Assad".into()],
            description: None,
            links: vec![],
            body_html: String::new(),
        }
    }

    #[test]
    fn links_mentions_and_escapes_the_rest() {
        let paragraph = &split_clipping("<b>Assad</b> fled", false)[0];
        let mention = Mention {
            paragraph: 0,
            start: 3,
            end: 8,
            entity: 0,
        };
        let entity = assad();
        let html = paragraph_html(paragraph, &[mention], &[&entity], "../");
        assert_eq!(
            html,
            "&lt;b&gt;<a class=\"mention kind-person\" href=\"../entities/bashar-al-assad.html\" \
             title=\"Bashar al-Assad\">Assad</a>&lt;/b&gt; fled"
        );
    }

    #[test]
    fn markdown_mentions_are_linked_inside_text_only() {
        let paragraph = &split_markdown("*Assad* and [Assad](https://e.org)\n")[0];
        let text = &paragraph.text;
        assert_eq!(text, "Assad and Assad");
        let mentions = [
            Mention {
                paragraph: 0,
                start: 0,
                end: 5,
                entity: 0,
            },
            Mention {
                paragraph: 0,
                start: 10,
                end: 15,
                entity: 0,
            },
        ];
        let entity = assad();
        let html = paragraph_html(paragraph, &mentions, &[&entity], "../");
        assert_eq!(html.matches("class=\"mention").count(), 1, "{html}");
        assert!(html.contains("<em><a class=\"mention"), "{html}");
    }
}
