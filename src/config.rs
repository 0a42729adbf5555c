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
        config.validate(path)?;
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
        if let Some(url) = &self.dossier.base_url {
            let scrubbed = scrub_text(url) != url.as_str();
            if !(url.starts_with("https://") || url.starts_with("http://")) || scrubbed {
                return Err(Error::Content(vec![Diagnostic::error(
                    path,
                    format!("base_url `{url}` is not an absolute http(s) URL"),
                )
                .with_help(
                    "write it in full, e.g. base_url = \"https://user.github.io/repo/\"",
                )]));
            }
        }
        if let Some(cname) = &self.dossier.cname {
            if !is_domain_name(cname) {
                return Err(Error::Content(vec![Diagnostic::error(
                    path,
                    format!("cname `{cname}` is not a domain name"),
                )
                .with_help(
                    "write the bare domain, e.g. cname = \"dossier.example.org\"",
                )]));
            }
        }
        for (key, folder) in [
            ("content", &self.build.content),
            ("output", &self.build.output),
        ] {
            if folder.as_os_str().is_empty() {
                return Err(Error::Content(vec![Diagnostic::error(
                    path,
                    format!("[build] {key} must not be empty"),
                )]));
            }
        }
        if self.build.paginate_by == 0 {
            return Err(Error::Content(vec![Diagnostic::error(
                path,
                "[build] paginate_by must be at least 1",
            )]));
        }
        Ok(())
    }

    /// The base URL with exactly one trailing slash, if set.
    pub fn base_url(&self) -> Option<String> {
        self.dossier
            .base_url
            .as_ref()
            .map(|url| format!("{}/", url.trim_end_matches('/')))
    }
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
    fn errors_on_zero_paginate_by() {
        assert!(parse("[build]\npaginate_by = 0\n").is_err());
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
    fn control_characters_never_reach_the_pages_or_the_feed() {
        let config =
            parse("[dossier]\ntitle = \"A\\u001bB\\uFFFE\"\ndescription = \"C\\u0001\"\n").unwrap();
        assert_eq!(config.dossier.title, "A\u{FFFD}B\u{FFFD}");
        assert_eq!(config.dossier.description, "C\u{FFFD}");
        assert!(parse("[dossier]\nbase_url = \"https://e.org/\\u0001\"\n").is_err());
    }
}
