//! `book.toml`: the dossier's configuration.
//!
//! `Config::parse` is pure so it can be unit-tested; `Config::load` adds the
//! filesystem. Unknown keys and wrong types are errors that name the key and
//! its line, because a silently ignored typo is a setting the user thinks they
//! made.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::text::scrub_text;
use crate::error::{io_error, Diagnostic, Error, Result};

/// The name of the configuration file that marks a dossier's root.
pub const CONFIG_FILE: &str = "book.toml";

/// Sources per page when `[build] paginate_by` is not set.
pub const DEFAULT_PAGINATE_BY: usize = 50;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[dossier]`: what the dossier is.
    pub dossier: DossierConfig,
    /// `[build]`: where content is read and the site written.
    pub build: BuildConfig,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DossierConfig {
    /// The dossier's title, shown on every page. Default: "Dossier".
    pub title: String,
    /// One or two sentences on what the dossier is about. Default: empty.
    pub description: String,
    /// Language of the pages, as a BCP 47 tag. Default: "en".
    pub language: String,
    /// Absolute URL the site is published at, e.g.
    /// `https://user.github.io/repo/`. Used only where an absolute URL is
    /// required (feeds, sitemap, canonical links). Default: none.
    #[serde(alias = "base-url")]
    pub base_url: Option<String>,
    /// Theme under `themes/NAME/`, or a built-in theme. Default: "default".
    pub theme: String,
    /// Custom domain for GitHub Pages, e.g. `dossier.example.org`, written
    /// to the site as `CNAME`. Default: none.
    pub cname: Option<String>,
}

impl Default for DossierConfig {
    fn default() -> Self {
        DossierConfig {
            title: "Dossier".to_owned(),
            description: String::new(),
            language: "en".to_owned(),
            base_url: None,
            theme: "default".to_owned(),
            cname: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct BuildConfig {
    /// Folder holding `sources/` and `entities/`, relative to the root.
    /// Default: "content".
    pub content: PathBuf,
    /// Folder the site is written to, relative to the root. Default: "public".
    pub output: PathBuf,
    /// Sources per page on entity pages, the source list and the matrix,
    /// and days per page of the timeline, so no page grows without bound on
    /// a large dossier. Default: 50.
    #[serde(alias = "paginate-by")]
    pub paginate_by: usize,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content: PathBuf::from("content"),
            output: PathBuf::from("public"),
            paginate_by: DEFAULT_PAGINATE_BY,
        }
    }
}

impl Config {
    /// Parses `book.toml` text; `path` is only used to name the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|error| {
            let mut diagnostic =
                Diagnostic::error(path, format!("invalid {CONFIG_FILE}: {}", error.message()));
            if let Some(span) = error.span() {
                diagnostic = diagnostic.at_offset(text, span.start);
            }
            if error.message().contains("unknown field") {
                diagnostic = diagnostic.with_help(
                    "known keys are title, description, language, base_url, theme and cname \
                     under [dossier], content, output and paginate_by under [build]",
                );
            }
            Error::Content(vec![diagnostic])
        })?;
        if let Some(problem) = config.problem() {
            // Placed at the value at fault, as a type error is.
            let mut diagnostic = problem.diagnostic(path);
            if let Some(offset) = value_offset(text, problem.section, problem.key) {
                diagnostic = diagnostic.at_offset(text, offset);
            }
            return Err(Error::Content(vec![diagnostic]));
        }
        // Shown on every page and in the feed: scrubbed as content is.
        let dossier = &mut config.dossier;
        for text in [
            &mut dossier.title,
            &mut dossier.description,
            &mut dossier.language,
        ] {
            *text = scrub_text(text).into_owned();
        }
        Ok(config)
    }

    /// Reads and parses `book.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "no {CONFIG_FILE} in {}: this is not a dossier\n  = help: run `dossier init {}` to start one here, or pass --root",
                root.display(),
                root.display()
            )));
        }
        let text = std::fs::read_to_string(&path).map_err(io_error(&path))?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self, path: &Path) -> Result<()> {
        match self.problem() {
            Some(problem) => Err(Error::Content(vec![problem.diagnostic(path)])),
            None => Ok(()),
        }
    }

    /// The first value that parses but makes no sense, if any.
    fn problem(&self) -> Option<Problem> {
        let problem = |section, key, message: String, help: &str| {
            Some(Problem {
                section,
                key,
                message,
                help: (!help.is_empty()).then(|| help.to_owned()),
            })
        };
        if let Some(url) = &self.dossier.base_url {
            if !is_base_url(url) {
                return problem(
                    "dossier",
                    "base_url",
                    format!("base_url `{url}` is not an absolute http(s) URL"),
                    "write it in full, without ? or #, e.g. base_url = \"https://user.github.io/repo/\"",
                );
            }
        }
        let theme = &self.dossier.theme;
        if !is_folder_name(theme) {
            // themes/NAME/ is read and its static files published: a path
            // here would publish a folder from anywhere on the disk.
            return problem(
                "dossier",
                "theme",
                format!("theme `{theme}` is not the name of a theme"),
                &format!(
                    "name a folder of themes/ (theme = \"mine\" for themes/mine/), or a \
                     built-in theme: {}",
                    crate::render::theme::built_in_themes().join(", ")
                ),
            );
        }
        if let Some(cname) = &self.dossier.cname {
            if !is_domain_name(cname) {
                return problem(
                    "dossier",
                    "cname",
                    format!("cname `{cname}` is not a domain name"),
                    "write the bare domain, e.g. cname = \"dossier.example.org\"",
                );
            }
        }
        for (key, folder) in [
            ("content", &self.build.content),
            ("output", &self.build.output),
        ] {
            if folder.as_os_str().is_empty() {
                return problem("build", key, format!("[build] {key} must not be empty"), "");
            }
        }
        if self.build.paginate_by == 0 {
            return problem(
                "build",
                "paginate_by",
                "[build] paginate_by must be at least 1".to_owned(),
                "give the number of sources or days a page lists, e.g. paginate_by = 50",
            );
        }
        None
    }

    /// The base URL with exactly one trailing slash, if set.
    pub fn base_url(&self) -> Option<String> {
        self.dossier
            .base_url
            .as_ref()
            .map(|url| format!("{}/", url.trim_end_matches('/')))
    }
}

/// A value of `book.toml` that parses but makes no sense.
struct Problem {
    section: &'static str,
    key: &'static str,
    message: String,
    help: Option<String>,
}

impl Problem {
    fn diagnostic(&self, path: &Path) -> Diagnostic {
        let diagnostic = Diagnostic::error(path, self.message.clone());
        match &self.help {
            Some(help) => diagnostic.with_help(help.clone()),
            None => diagnostic,
        }
    }
}

/// Where the value of `[section] key` (or its dashed alias) starts in
/// `text`, for problems found once the file has parsed.
fn value_offset(text: &str, section: &str, key: &str) -> Option<usize> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let toml::de::DeValue::Table(table) = document.get_ref().get(section)?.get_ref() else {
        return None;
    };
    [key.to_owned(), key.replace('_', "-")]
        .iter()
        .find_map(|key| table.get(key.as_str()))
        .map(|value| value.span().start)
}

/// An absolute http(s) URL with a host, and no query or fragment, which
/// would end up in the middle of every address made from it.
fn is_base_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    !host.is_empty()
        && !url.contains(['?', '#'])
        && !url.chars().any(char::is_whitespace)
        && scrub_text(url) == url
}

/// One plain folder name: no separator, no `.` or `..`, not empty.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\'])
}

/// A bare domain name such as `dossier.example.org`: no scheme, path or
/// port, which GitHub Pages would reject in a `CNAME` file.
fn is_domain_name(name: &str) -> bool {
    name.contains('.')
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("book.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.build.output, PathBuf::from("public"));
    }

    #[test]
    fn reads_every_documented_key() {
        let config = parse(
            "[dossier]\ntitle = \"T\"\ndescription = \"D\"\nlanguage = \"fr\"\n\
             base_url = \"https://example.org/repo\"\ntheme = \"news\"\n\
             [build]\ncontent = \"c\"\noutput = \"out\"\n",
        )
        .unwrap();
        assert_eq!(config.dossier.title, "T");
        assert_eq!(config.dossier.theme, "news");
        assert_eq!(
            config.base_url().as_deref(),
            Some("https://example.org/repo/")
        );
        assert_eq!(config.build.content, PathBuf::from("c"));
    }

    #[test]
    fn errors_on_unknown_key_with_its_line() {
        let Err(Error::Content(diagnostics)) = parse("[dossier]\ntitle = \"T\"\ntitel = \"x\"\n")
        else {
            panic!("expected a content error");
        };
        let shown = diagnostics[0].to_string();
        assert!(shown.contains("unknown field `titel`"), "{shown}");
        assert!(shown.contains("book.toml:3:1"), "{shown}");
    }

    #[test]
    fn errors_on_wrong_type_with_its_line() {
        let Err(Error::Content(diagnostics)) = parse("[dossier]\n\ntitle = 3\n") else {
            panic!("expected a content error");
        };
        assert_eq!(diagnostics[0].position.map(|p| p.0), Some(3));
    }

    #[test]
    fn reads_a_custom_domain_and_refuses_a_url_there() {
        let config = parse("[dossier]\ncname = \"dossier.example.org\"\n").unwrap();
        assert_eq!(config.dossier.cname.as_deref(), Some("dossier.example.org"));
        assert!(parse("[dossier]\ncname = \"https://dossier.example.org/\"\n").is_err());
        assert!(parse("[dossier]\ncname = \"localhost\"\n").is_err());
    }

    #[test]
    fn errors_on_zero_paginate_by_at_its_value() {
        let Err(Error::Content(diagnostics)) = parse("[build]\noutput = \"o\"\npaginate_by = 0\n")
        else {
            panic!("expected a content error");
        };
        assert_eq!(diagnostics[0].position, Some((3, 15)));
        assert!(diagnostics[0].help.is_some());
        let Err(Error::Content(diagnostics)) = parse("[build]\n\npaginate-by = 0\n") else {
            panic!("expected a content error");
        };
        assert_eq!(diagnostics[0].position, Some((3, 15)));
        assert_eq!(
            parse("[build]\npaginate_by = 7\n")
                .unwrap()
                .build
                .paginate_by,
            7
        );
    }

    #[test]
    fn errors_on_relative_base_url() {
        assert!(parse("[dossier]\nbase_url = \"example.org\"\n").is_err());
    }

    #[test]
    fn errors_on_a_base_url_with_a_query_fragment_or_no_host_at_its_value() {
        for url in [
            "https://e.org/?q=1",
            "https://e.org/#top",
            "https://",
            "https:///x",
        ] {
            let Err(Error::Content(diagnostics)) =
                parse(&format!("[dossier]\ntitle = \"T\"\nbase_url = \"{url}\"\n"))
            else {
                panic!("{url} was taken");
            };
            assert_eq!(diagnostics[0].position, Some((3, 12)), "{url}");
        }
        assert!(parse("[dossier]\nbase_url = \"http://e.org\"\n").is_ok());
    }

    #[test]
    fn a_theme_is_a_folder_name_never_a_path() {
        for theme in ["../../secrets", "/etc", "a/b", "..", ".", "", "a\\\\b"] {
            let Err(Error::Content(diagnostics)) =
                parse(&format!("[dossier]\ntheme = \"{theme}\"\n"))
            else {
                panic!("{theme} was taken");
            };
            assert_eq!(diagnostics[0].position, Some((2, 9)), "{theme}");
        }
        assert_eq!(
            parse("[dossier]\ntheme = \"my-theme\"\n")
                .unwrap()
                .dossier
                .theme,
            "my-theme"
        );
    }

    #[test]
    fn control_characters_never_reach_the_pages_or_the_feed() {
        let config =
            parse("[dossier]\ntitle = \"A\\u001bB\\uFFFE\"\ndescription = \"C\\u0001\"\n").unwrap();
        assert_eq!(config.dossier.title, "A\u{FFFD}B\u{FFFD}");
        assert_eq!(config.dossier.description, "C\u{FFFD}");
        assert!(parse("[dossier]\nbase_url = \"https://e.org/\\u0001\"\n").is_err());
    }
}
