//! Errors and warnings that name the file, and inside content the line and
//! column, so a user can go straight to the problem.
//!
//! Content problems are collected as [`Diagnostic`]s rather than returned on
//! the first one: a build reports every bad file at once, numbered, as Zola's
//! link checker does.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, with a position when it is known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the dossier root, as the user would type it.
    pub path: PathBuf,
    /// 1-based line and column (in characters) when the problem has a place.
    pub position: Option<(usize, usize)>,
    /// The offending line, shown under the message.
    pub line_text: Option<String>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            position: None,
            line_text: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// The same diagnostic as a warning: for those placed by helpers that
    /// make errors, such as a front matter key's line.
    pub fn as_warning(self) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    /// Places the diagnostic at a byte offset of `text`, the whole file.
    pub fn at_offset(mut self, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.position = Some((line, column));
        self.line_text = text.lines().nth(line - 1).map(str::to_owned);
        self
    }

    /// Places the diagnostic at a 1-based line and column of `text`.
    pub fn at_line(mut self, text: &str, line: usize, column: usize) -> Self {
        self.position = Some((line, column));
        self.line_text = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    /// Moves the marker to the first `word` on the diagnostic's line, when
    /// it is there: to the bad value rather than its key.
    pub fn pointing_at(mut self, word: &str) -> Self {
        if let (Some((_, column)), Some(line)) = (&mut self.position, &self.line_text) {
            if let Some(at) = line.find(word).filter(|_| !word.is_empty()) {
                *column = line[..at].chars().count() + 1;
            }
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The diagnostic in the style of rustc: the message, the file, line and
    /// column, the offending line with a marker under the offending word, and
    /// what to do. `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.path.display().to_string();
        let title = level.primary_title(self.message.as_str());
        let mut group = match (self.position, &self.line_text) {
            (Some((line, column)), Some(text)) => {
                let span = marker_span(text, column);
                Group::with_title(title).element(
                    Snippet::source(text.as_str())
                        .line_start(line)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            (Some((line, column)), None) => {
                Group::with_title(title).element(Origin::path(path).line(line).char_column(column))
            }
            (None, _) => Group::with_title(title).element(Origin::path(path)),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut shown = renderer.render(&[group]);
        // A blank line after each, as rustc does, so a list reads as blocks.
        shown.push_str("\n\n");
        shown
    }
}

/// Byte range of the word starting at 1-based character `column` of `line`:
/// what the marker underlines. A word is a run of letters, digits, `-` and
/// `_`, or a run of one punctuation character (`+++`); empty at the end of
/// the line.
fn marker_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let Some(first) = rest.chars().next() else {
        return start..start;
    };
    let in_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    if first.is_whitespace() {
        return start..start + first.len_utf8();
    }
    let word: usize = rest
        .chars()
        .take_while(|&c| {
            if in_word(first) {
                in_word(c)
            } else {
                c == first
            }
        })
        // A marker wider than a screen helps nobody.
        .take(60)
        .map(char::len_utf8)
        .sum();
    start..start + word
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// 1-based line and column (counted in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A failure that stops the build: bad content, or something outside content
/// (a template, the disk, the configuration).
#[derive(Debug)]
pub enum Error {
    /// One or more content problems; all are listed.
    Content(Vec<Diagnostic>),
    /// A `--keep-going` build that wrote what it could and left out the
    /// files and pages listed, with the warnings.
    Incomplete {
        written: usize,
        output: PathBuf,
        problems: Vec<Diagnostic>,
    },
    /// The command was used wrongly (no `book.toml`, bad arguments).
    Usage(String),
    /// A filesystem operation failed on a path.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Anything else, with a chain of context.
    Other {
        message: String,
        cause: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl Error {
    pub fn other(message: impl Into<String>) -> Self {
        Error::Other {
            message: message.into(),
            cause: None,
        }
    }

    pub fn with_cause(
        message: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Other {
            message: message.into(),
            cause: Some(Box::new(cause)),
        }
    }

    /// The problems to list before the error's summary line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(diagnostics) => diagnostics,
            Error::Incomplete { problems, .. } => problems,
            _ => &[],
        }
    }

    /// The error as diagnostics, to report it together with others: content
    /// problems as they are, anything else as one error with its causes,
    /// placed on `origin` (the file or page it is about).
    pub fn into_diagnostics(self, origin: &Path) -> Vec<Diagnostic> {
        match self {
            Error::Content(diagnostics)
            | Error::Incomplete {
                problems: diagnostics,
                ..
            } => diagnostics,
            Error::Io { path, source } => vec![Diagnostic::error(path, source.to_string())],
            other => {
                let mut message = other.to_string();
                let mut cause = std::error::Error::source(&other);
                while let Some(inner) = cause {
                    message.push_str(&format!("\ncaused by: {inner}"));
                    cause = inner.source();
                }
                vec![Diagnostic::error(origin, message)]
            }
        }
    }

    /// The process exit code the error maps to: 2 for usage errors, else 1.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "the content has {errors} error{}",
                    if errors == 1 { "" } else { "s" }
                )
            }
            Error::Incomplete {
                written,
                output,
                problems,
            } => {
                let errors = problems.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "wrote {written} files into {}, leaving out what the {errors} error{} above name{}",
                    output.display(),
                    if errors == 1 { "" } else { "s" },
                    if errors == 1 { "s" } else { "" },
                )
            }
            Error::Usage(message) => f.write_str(message),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Other { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Other {
                cause: Some(cause), ..
            } => Some(cause.as_ref()),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A warning made an error, for `--strict`.
pub fn promote(mut diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.severity = Severity::Error;
    diagnostic
        .message
        .push_str(" (a warning, made an error by --strict)");
    diagnostic
}

/// Wraps a filesystem call's error with the path it was about.
pub fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "ab\nTürkiye x";
        let offset = text.find('x').unwrap();
        assert_eq!(line_column(text, offset), (2, 9));
        assert_eq!(line_column(text, 0), (1, 1));
    }

    #[test]
    fn diagnostic_shows_line_and_marker() {
        let text = "title = 1\nbogus = 2\n";
        let diagnostic = Diagnostic::error("content/sources/a.md", "unknown key `bogus`")
            .at_offset(text, 10)
            .with_help("remove it");
        let shown = diagnostic.to_string();
        assert_eq!(
            shown,
            "error: unknown key `bogus`\n --> content/sources/a.md:2:1\n  |\n2 | bogus = 2\n  | ^^^^^\n  |\n  = help: remove it\n\n"
        );
    }

    #[test]
    fn diagnostic_without_a_line_names_the_file() {
        let shown = Diagnostic::warning("content/sources/a.md", "empty source skipped").to_string();
        assert_eq!(
            shown,
            "warning: empty source skipped\n--> content/sources/a.md\n\n"
        );
    }

    #[test]
    fn marker_covers_the_word_at_the_column() {
        assert_eq!(marker_span("date = = 3", 8), 7..8);
        assert_eq!(marker_span("Türkiye x", 1), 0.."Türkiye".len());
        assert_eq!(marker_span("ab", 3), 2..2);
        assert_eq!(marker_span("a  b", 2), 1..2);
        assert_eq!(
            marker_span("aliases = [\"a\", \"pres_i-dent\"]", 18),
            17..28
        );
        assert_eq!(marker_span("+++", 1), 0..3);
    }

    #[test]
    fn styled_rendering_adds_colour_and_plain_does_not() {
        let diagnostic = Diagnostic::error("a.md", "bad").at_line("x = 1\n", 1, 1);
        assert!(diagnostic.render(true).contains('\u{1b}'));
        assert!(!diagnostic.render(false).contains('\u{1b}'));
    }
}
