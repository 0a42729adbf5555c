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

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        match self.position {
            Some((line, column)) => {
                writeln!(f, "  --> {}:{line}:{column}", self.path.display())?;
                if let Some(text) = &self.line_text {
                    let gutter = line.to_string().len();
                    let marker_pad: String = text
                        .chars()
                        .take(column.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    writeln!(f, "{:gutter$} |", "")?;
                    writeln!(f, "{line} | {text}")?;
                    writeln!(f, "{:gutter$} | {marker_pad}^", "")?;
                }
            }
            None => writeln!(f, "  --> {}", self.path.display())?,
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
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
        assert!(shown.contains("--> content/sources/a.md:2:1"), "{shown}");
        assert!(shown.contains("2 | bogus = 2"), "{shown}");
        assert!(shown.contains("= help: remove it"), "{shown}");
    }
}
