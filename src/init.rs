//! `dossier init DIR`: a new dossier with one example source and entity, so
//! the first `dossier build` shows what a dossier looks like.

use std::fs;
use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::error::{io_error, Error, Result};

const BOOK_TOML: &str = r#"[dossier]
title = "TITLE"
description = "What this dossier is about, in a sentence or two."
language = "en"
# Absolute address the site is published at, for feeds and canonical links:
# base_url = "https://user.github.io/repo/"
theme = "THEME"

[build]
content = "content"
output = "public"
"#;

const EXAMPLE_SOURCE: &str = r#"+++
title = "Example: how a source looks"
date = 2024-12-09
outlet = "Example Wire"
url = "https://example.org/news/example"
+++

Replace this file with a real article. Sources are `.md` files like this one,
or `.txt` clippings pasted from the web as they are, one paragraph per line.

Every name of an entity in `content/entities/`, such as Example Person, is
found and linked to the entity's page.
"#;

const EXAMPLE_ENTITY: &str = r#"+++
name = "Example Person"
kind = "person"
aliases = ["Example"]
description = "An example entity: a person, organization, place or outlet."
+++

Describe the entity here, in Markdown.
"#;

/// Creates a new dossier in `dir` with theme `theme`. Refuses to touch a
/// folder that already holds a dossier.
pub fn init(dir: &Path, theme: &str) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a file: a dossier is made in a folder\n  = help: name a new folder, or one to add the dossier's files to",
            dir.display()
        )));
    }
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(Error::Usage(format!(
            "{} already exists: {} is a dossier already",
            config.display(),
            dir.display()
        )));
    }
    let title = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.is_empty() && name != ".")
        .unwrap_or_else(|| "Dossier".to_owned());
    let book = BOOK_TOML
        .replace("TITLE", &title.replace(['"', '\\'], ""))
        .replace("THEME", theme);
    let files = [
        (config.clone(), book),
        (
            dir.join("content/sources/example.md"),
            EXAMPLE_SOURCE.to_owned(),
        ),
        (
            dir.join("content/entities/example-person.md"),
            EXAMPLE_ENTITY.to_owned(),
        ),
        (
            dir.join(".gitignore"),
            "/public/\n/.dossier-cache/\n".to_owned(),
        ),
    ];
    for (path, text) in files {
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&path, text).map_err(io_error(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_no_place_for_a_dossier() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        fs::write(&file, "notes").unwrap();
        let error = init(&file, "default").unwrap_err();
        assert!(
            matches!(&error, Error::Usage(message) if message.contains("is a file")),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "notes");
    }

    #[test]
    fn creates_a_dossier_that_refuses_a_second_init() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("my-dossier");
        init(&target, "default").unwrap();
        let book = fs::read_to_string(target.join("book.toml")).unwrap();
        assert!(book.contains("title = \"my-dossier\""));
        assert!(target.join("content/sources/example.md").is_file());
        assert!(init(&target, "default").is_err());
    }
}
