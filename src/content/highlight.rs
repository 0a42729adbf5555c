//! Syntax highlighting of code and data blocks in Markdown sources, with
//! syntect. Blocks are marked up with CSS classes (prefixed `hl-`, so they
//! never collide with the theme's own classes such as `source`), and the
//! colours live in two generated stylesheets, light and dark, that follow
//! the reader's system setting: no inline styles, which the sanitiser would
//! strip anyway.
//!
//! The syntax definitions are loaded once, on the first code block, and
//! shared by every file parsed in parallel after it: they are immutable and
//! loading them costs far more than highlighting a block.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of every highlighted token.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The stylesheets written into the site, and the syntect theme each is
/// generated from.
pub const STYLESHEETS: [(&str, &str); 2] = [
    ("static/syntax-light.css", "InspiredGitHub"),
    ("static/syntax-dark.css", "base16-ocean.dark"),
];

/// WCAG AA contrast for body text; token colours are adjusted to reach it.
const MIN_CONTRAST: f64 = 4.5;

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Replaces each fenced code block whose language syntect knows with one
/// highlighted HTML event; other blocks are left as they are.
pub fn highlight_code_blocks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<(String, Vec<Event<'_>>)> = None;
    for event in events {
        match (event, &mut block) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let language = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((language, vec![Event::Start(Tag::CodeBlock(kind))]));
            }
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (language, mut original) = block.take().expect("inside a block");
                let code: String = original
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(text) => Some(text.as_ref()),
                        _ => None,
                    })
                    .collect();
                match highlight(&language, &code) {
                    Some(html) => out.push(Event::Html(CowStr::from(html))),
                    None => {
                        original.push(Event::End(TagEnd::CodeBlock));
                        out.extend(original);
                    }
                }
            }
            (event, Some((_, original))) => original.push(event),
            (event, None) => out.push(event),
        }
    }
    if let Some((_, original)) = block {
        out.extend(original);
    }
    out
}

/// `code` as classed HTML in a `<pre>`, or None if `language` is unknown.
fn highlight(language: &str, code: &str) -> Option<String> {
    let language: String = language
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '#'))
        .collect();
    if language.is_empty() {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(&language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(format!(
        "<pre class=\"hl-code\"><code class=\"language-{language}\">{}</code></pre>\n",
        generator.finalize()
    ))
}

/// The light and dark stylesheets, as (path in the site, CSS).
pub fn stylesheets() -> Vec<(&'static str, String)> {
    let themes = ThemeSet::load_defaults();
    STYLESHEETS
        .iter()
        .filter_map(|&(path, name)| {
            let mut theme = themes.themes.get(name)?.clone();
            ensure_contrast(&mut theme);
            let css = css_for_theme_with_class_style(&theme, CLASS_STYLE).ok()?;
            Some((path, css))
        })
        .collect()
}

/// Moves every token colour towards black (on a light background) or white
/// (on a dark one) until it reads against the background at AA contrast.
fn ensure_contrast(theme: &mut Theme) {
    let Some(background) = theme.settings.background else {
        return;
    };
    let target = if luminance(background) > 0.5 {
        Color::BLACK
    } else {
        Color::WHITE
    };
    let colours = theme.settings.foreground.iter_mut().chain(
        theme
            .scopes
            .iter_mut()
            .filter_map(|s| s.style.foreground.as_mut()),
    );
    for colour in colours {
        let mut steps = 0;
        while contrast(*colour, background) < MIN_CONTRAST && steps < 20 {
            *colour = mix(*colour, target, 0.1);
            steps += 1;
        }
    }
}

fn mix(from: Color, to: Color, amount: f64) -> Color {
    let channel =
        |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
    Color {
        r: channel(from.r, to.r),
        g: channel(from.g, to.g),
        b: channel(from.b, to.b),
        a: from.a,
    }
}

/// Relative luminance, as WCAG defines it.
fn luminance(colour: Color) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)
}

/// WCAG contrast ratio of two colours, from 1 to 21.
fn contrast(a: Color, b: Color) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    let (light, dark) = if a > b { (a, b) } else { (b, a) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn html(markdown: &str) -> String {
        let events = highlight_code_blocks(Parser::new(markdown).collect());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn known_languages_get_classed_spans() {
        let out = html("```json\n{\"a\": 1}\n```\n");
        assert!(
            out.starts_with("<pre class=\"hl-code\"><code class=\"language-json\">"),
            "{out}"
        );
        assert!(out.contains("<span class=\"hl-"), "{out}");
        assert!(!out.contains("style="), "{out}");
    }

    #[test]
    fn unknown_languages_and_indented_blocks_stay_plain() {
        let out = html("```nolanguage\n<b>x</b>\n```\n\n    indented\n");
        assert!(
            out.contains("<pre><code class=\"language-nolanguage\">&lt;b&gt;"),
            "{out}"
        );
        assert!(out.contains("<pre><code>indented"), "{out}");
    }

    #[test]
    fn code_is_escaped_inside_highlighting() {
        let out = html("```html\n<script>alert(1)</script>\n```\n");
        assert!(!out.contains("<script>"), "{out}");
    }

    #[test]
    fn stylesheets_reach_aa_contrast_and_are_stable() {
        let first = stylesheets();
        assert_eq!(first.len(), 2);
        assert_eq!(first, stylesheets());
        for (_, css) in &first {
            assert!(css.contains(".hl-code {"), "{css}");
        }
        let mut theme = ThemeSet::load_defaults().themes["InspiredGitHub"].clone();
        ensure_contrast(&mut theme);
        let background = theme.settings.background.unwrap();
        for scope in &theme.scopes {
            if let Some(colour) = scope.style.foreground {
                assert!(contrast(colour, background) >= MIN_CONTRAST);
            }
        }
    }
}
