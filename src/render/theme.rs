//! Themes: Tera templates and static files, looked up file by file in the
//! dossier's own `templates/` and `static/`, then `themes/NAME/` on disk,
//! then the built-in copy of the theme, then the built-in default theme.
//! Overriding one file never requires copying the rest (mdBook's lesson).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::error::{io_error, Error, Result};

/// The themes shipped inside the binary, so `dossier init` + `dossier build`
/// work anywhere.
static BUILT_IN_THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// The theme used when none is chosen, and the last fallback for any file.
pub const DEFAULT_THEME: &str = "default";

/// A file of the theme and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Vec<u8>,
    pub origin: PathBuf,
}

/// The resolved set of templates and static files.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`source.html`) → its file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Path under the output folder (`static/style.css`) → its file.
    pub statics: BTreeMap<String, ThemeFile>,
}

/// Names of the built-in themes.
pub fn built_in_themes() -> Vec<&'static str> {
    BUILT_IN_THEMES
        .dirs()
        .filter_map(|dir| dir.path().file_name()?.to_str())
        .collect()
}

/// Resolves theme `name` for the dossier at `root`.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme> {
    let on_disk = root.join("themes").join(name);
    let built_in = BUILT_IN_THEMES.get_dir(name);
    if built_in.is_none() && !on_disk.is_dir() {
        return Err(Error::Content(vec![crate::error::Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("theme `{name}` not found: there is no themes/{name}/ folder"),
        )
        .with_help(format!(
            "create themes/{name}/ with templates/ and static/, or use a built-in theme: {}",
            built_in_themes().join(", ")
        ))]));
    }
    let mut theme = Theme::default();
    let mut layers: Vec<Dir<'static>> = Vec::new();
    if let Some(default) = BUILT_IN_THEMES.get_dir(DEFAULT_THEME) {
        layers.push(default.clone());
    }
    if name != DEFAULT_THEME {
        layers.extend(built_in.cloned());
    }
    for layer in &layers {
        add_embedded(&mut theme, layer);
    }
    add_disk(&mut theme.templates, &on_disk.join("templates"), "", root)?;
    add_disk(&mut theme.statics, &on_disk.join("static"), "static/", root)?;
    add_disk(&mut theme.templates, &root.join("templates"), "", root)?;
    add_disk(&mut theme.statics, &root.join("static"), "static/", root)?;
    Ok(theme)
}

fn add_embedded(theme: &mut Theme, dir: &Dir<'static>) {
    let base = dir.path();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let Ok(relative) = file.path().strip_prefix(base) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            let entry = ThemeFile {
                bytes: file.contents().to_vec(),
                origin: PathBuf::from("(built-in)").join(file.path()),
            };
            if let Some(name) = relative.strip_prefix("templates/") {
                theme.templates.insert(name.to_owned(), entry);
            } else if relative.starts_with("static/") {
                theme.statics.insert(relative, entry);
            }
        }
    }
}

/// Adds every file under `dir` (if it exists), keyed by `prefix` + its path
/// relative to `dir`; later calls override earlier ones file by file.
fn add_disk(
    files: &mut BTreeMap<String, ThemeFile>,
    dir: &Path,
    prefix: &str,
    root: &Path,
) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Error::with_cause(format!("cannot read {}", dir.display()), e))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = relative.to_string_lossy().replace('\\', "/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(io_error(entry.path()))?;
        let origin = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_owned();
        files.insert(format!("{prefix}{name}"), ThemeFile { bytes, origin });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_built_in() {
        assert!(built_in_themes().contains(&DEFAULT_THEME));
        let theme = load_theme(Path::new("/nonexistent-dossier-root"), DEFAULT_THEME).unwrap();
        assert!(theme.templates.contains_key("base.html"));
        assert!(theme.statics.contains_key("static/style.css"));
    }

    #[test]
    fn an_unknown_theme_is_an_error_that_lists_the_built_in_ones() {
        let Err(Error::Content(diagnostics)) = load_theme(Path::new("/nonexistent"), "nope") else {
            panic!("expected an error");
        };
        assert!(diagnostics[0]
            .help
            .as_ref()
            .unwrap()
            .contains(DEFAULT_THEME));
    }
}
