//! Template errors a theme author can act on: the template's file, the line
//! and column, and the variable, filter or tag at fault.
//!
//! Tera reports a syntax error with its line and column but names only the
//! template (`source.html`), and a render error (a missing variable, an
//! unknown filter) with neither line nor file. The file comes from the theme
//! lookup, which knows whether `source.html` is the dossier's own
//! `templates/source.html` or the built-in one; the line of a render error is
//! found by looking for the name at fault inside the template's tags.

use std::error::Error as _;

use regex::Regex;
use serde_json::Value;

use crate::error::{Diagnostic, Error};

use super::theme::Theme;

/// What went wrong, from the innermost message of Tera's error chain.
struct Fault {
    /// The template named by the error, else the one being rendered.
    template: String,
    /// The innermost message, which says what is at fault.
    message: String,
    /// 1-based line and column reported by the template parser.
    position: Option<(usize, usize)>,
    /// The variable, filter, test or function at fault, if named.
    name: Option<String>,
}

/// A template that failed to compile, as a diagnostic on its file.
pub fn compile_error(error: &tera::Error, theme: &Theme) -> Error {
    let fault = fault(error, "");
    let message = format!("syntax error in template `{}`", fault.template);
    Error::Content(vec![diagnostic(&fault, theme, message, None)])
}

/// A page that failed to render with `template`; `context` is what the
/// template was given, to list the fields it could have used.
pub fn render_error(
    error: &tera::Error,
    theme: &Theme,
    template: &str,
    page: &str,
    context: &Value,
) -> Error {
    let fault = fault(error, template);
    let message = format!(
        "template `{}` failed while rendering `{page}`",
        fault.template
    );
    let help = fault
        .name
        .as_deref()
        .and_then(|name| fields_help(name, context));
    Error::Content(vec![diagnostic(&fault, theme, message, help)])
}

fn fault(error: &tera::Error, rendering: &str) -> Fault {
    let mut messages = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(inner) = cause {
        messages.push(inner.to_string());
        cause = inner.source();
    }
    let quoted_template = Regex::new(r"(?:parse|render(?:ing)?) '([^']+)'").expect("valid regex");
    let template = messages
        .iter()
        .rev()
        .find_map(|m| quoted_template.captures(m))
        .map_or_else(|| rendering.to_owned(), |c| c[1].to_owned());
    let innermost = messages.last().cloned().unwrap_or_default();
    let position = Regex::new(r"-->\s*(\d+):(\d+)")
        .expect("valid regex")
        .captures(&innermost)
        .and_then(|c| Some((c[1].parse().ok()?, c[2].parse().ok()?)));
    let name = Regex::new(r"^(?:Variable|Filter|Test|Function|Macro) [`']([^`']+)[`']")
        .expect("valid regex")
        .captures(&innermost)
        .map(|c| c[1].to_owned());
    let message = match position {
        // The parser draws the line itself; keep only its verdict.
        Some(_) => innermost
            .lines()
            .find_map(|line| line.trim().strip_prefix("= "))
            .unwrap_or(&innermost)
            .to_owned(),
        None => innermost,
    };
    Fault {
        template,
        message,
        position,
        name,
    }
}

fn diagnostic(fault: &Fault, theme: &Theme, message: String, help: Option<String>) -> Diagnostic {
    // Tera names the page's own template even when the fault is in the
    // template it extends or includes: look there too.
    let located = match (fault.position, fault.name.as_deref()) {
        (Some(position), _) => Some((fault.template.clone(), position)),
        (None, Some(name)) => locate(theme, &fault.template, name),
        (None, None) => None,
    };
    let template = located.as_ref().map_or(&fault.template, |(t, _)| t);
    let file = theme.templates.get(template);
    let path = file.map_or_else(
        || format!("templates/{template}").into(),
        |f| f.origin.clone(),
    );
    let mut diagnostic = Diagnostic::error(path, format!("{message}: {}", fault.message));
    if let (Some((_, (line, column))), Some(file)) = (&located, file) {
        let text = String::from_utf8_lossy(&file.bytes);
        diagnostic = diagnostic.at_line(&text, *line, *column);
    }
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Where `name` is used: in `template`, else in the templates it extends or
/// includes, nearest first.
fn locate(theme: &Theme, template: &str, name: &str) -> Option<(String, (usize, usize))> {
    let reference =
        Regex::new(r#"\{%-?\s*(?:extends|include|import)\s+"([^"]+)""#).expect("valid regex");
    let mut queue = std::collections::VecDeque::from([template.to_owned()]);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(current) = queue.pop_front() {
        if !seen.insert(current.clone()) {
            continue;
        }
        let Some(file) = theme.templates.get(&current) else {
            continue;
        };
        let text = String::from_utf8_lossy(&file.bytes);
        if let Some(position) = find_in_tags(&text, name) {
            return Some((current, position));
        }
        queue.extend(reference.captures_iter(&text).map(|c| c[1].to_owned()));
    }
    None
}

/// The first place `name` appears as a whole word inside a `{{ }}` or
/// `{% %}` tag of `text`, as a 1-based line and column.
fn find_in_tags(text: &str, name: &str) -> Option<(usize, usize)> {
    let tag = Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").expect("valid regex");
    let word = Regex::new(&format!(r"(^|[^\w.]){}($|[^\w])", regex::escape(name))).ok()?;
    let found = tag.find_iter(text).find_map(|found| {
        let hit = word.captures(found.as_str())?;
        Some(found.start() + hit.get(0)?.start() + hit[1].len())
    });
    found.map(|offset| crate::error::line_column(text, offset))
}

/// For a missing `page.x`, the fields `page` does have here.
fn fields_help(name: &str, context: &Value) -> Option<String> {
    let (parent, _) = name.rsplit_once('.')?;
    let mut value = context;
    for part in parent.split('.') {
        value = value.get(part)?;
    }
    let keys: Vec<&str> = value.as_object()?.keys().map(String::as_str).collect();
    Some(format!("`{parent}` has here: {}", keys.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_inside_tags_only() {
        let text = "<p>page.title</p>\n<h1>{{ page.title_x }} {{ page.title }}</h1>\n";
        assert_eq!(find_in_tags(text, "page.title"), Some((2, 27)));
        assert_eq!(find_in_tags(text, "page.missing"), None);
    }

    #[test]
    fn missing_fields_list_what_is_there() {
        let context = serde_json::json!({"page": {"title": "T", "date": null}});
        let help = fields_help("page.titel", &context).unwrap();
        assert_eq!(help, "`page` has here: date, title");
    }
}
