//! A template that does not compile, reported as a diagnostic on the
//! template's own file, line and column, so it can be listed with the
//! content's problems in one report.

use std::path::Path;

use super::Theme;
use crate::error::{Diagnostic, Error};

/// The diagnostic for `error`, a failure of [`super::compile_templates`] on
/// `theme`; placed on the template's line when Tera names one.
pub fn template_diagnostic(theme: &Theme, error: Error) -> Vec<Diagnostic> {
    let chain = causes(&error);
    let template = chain
        .iter()
        .find_map(|text| quoted_after(text, "Failed to parse '"));
    let Some((name, file)) = template.and_then(|name| theme.templates.get_key_value(name)) else {
        return error.into_diagnostics(Path::new("templates"));
    };
    let syntax = chain.last().map(String::as_str).unwrap_or_default();
    let expected = syntax
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("= "))
        .unwrap_or("a syntax error");
    let diagnostic = Diagnostic::error(
        &file.origin,
        format!("template `{name}` does not compile: {expected}"),
    )
    .with_help("fix the template, or delete it to use the theme's own");
    let text = String::from_utf8_lossy(&file.bytes);
    match position(syntax) {
        Some((line, column)) => vec![diagnostic.at_line(&text, line, column)],
        None => vec![diagnostic],
    }
}

/// The error's message and its causes' messages, outermost first.
fn causes(error: &Error) -> Vec<String> {
    let mut chain = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        chain.push(inner.to_string());
        cause = inner.source();
    }
    chain
}

fn quoted_after<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let rest = &text[text.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('\'')?])
}

/// `LINE:COLUMN` from a parser message's ` --> 3:20` line.
fn position(syntax: &str) -> Option<(usize, usize)> {
    let place = syntax.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let (line, column) = place.trim().split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::ThemeFile;

    #[test]
    fn a_syntax_error_is_placed_on_the_templates_line() {
        let mut theme = Theme::default();
        theme.templates.insert(
            "page.html".into(),
            ThemeFile {
                bytes: b"<p>\n<h1>{{ page.title </h1>\n".to_vec(),
                origin: "templates/page.html".into(),
            },
        );
        let error = crate::render::compile_templates(&theme).unwrap_err();
        let diagnostics = template_diagnostic(&theme, error);
        assert_eq!(diagnostics.len(), 1);
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.path, Path::new("templates/page.html"));
        assert_eq!(diagnostic.position, Some((2, 20)));
        assert!(diagnostic.message.contains("`page.html`"), "{diagnostic}");
        assert!(diagnostic.message.contains("expected"), "{diagnostic}");
    }
}
