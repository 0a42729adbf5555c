//! Front matter: the optional `+++` (TOML) or `---` (YAML) block at the top
//! of a file, split from the body and read into a table of values whose keys
//! and types are checked with errors at the file's own line numbers.

use std::path::Path;

use toml::{Table, Value};

use crate::error::Diagnostic;

/// A parsed front matter block.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub table: Table,
    /// The block's lines as written, to place a key's diagnostics.
    raw: String,
    /// 1-based line of the block's first line inside the file.
    first_line: usize,
}

/// A file split into its front matter (if any) and its body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: Option<FrontMatter>,
    pub body: &'a str,
    /// Number of lines before the body, to map body lines to file lines.
    pub body_line_offset: usize,
    /// Blank lines above the front matter, which other tools would not
    /// read as front matter.
    pub blank_lines_before: usize,
}

impl Split<'_> {
    /// A warning for front matter read below blank lines, at its first
    /// fence in `text`.
    pub fn late_start_warning(&self, text: &str, path: &Path) -> Option<Diagnostic> {
        let lines = self.blank_lines_before;
        (lines > 0).then(|| {
            Diagnostic::warning(
                path,
                "front matter below blank lines: read, but other tools would take it for text",
            )
            .at_line(text, lines + 1, 1)
            .with_help("delete the blank lines above it, so that it starts the file")
        })
    }
}

/// What follows `key` and its `=` or `:` on a front matter `line`, if the
/// line sets that key.
fn value_after_key<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    let line = line.trim_start().trim_start_matches(['"', '\'']);
    let rest = line.strip_prefix(key)?;
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))
}

/// Splits `text` into front matter and body and parses the front matter.
/// Front matter below blank lines is read too when it is a valid block
/// whose keys are all `known` ones: a clipping pasted with an empty line on
/// top is still meant, but `Published: 9 December 2024` between two rules
/// is the clipping's text.
pub fn split<'a>(text: &'a str, path: &Path, known: &[&str]) -> Result<Split<'a>, Diagnostic> {
    let lead: usize = (text.split_inclusive('\n'))
        .take_while(|line| line.trim().is_empty() && line.ends_with('\n'))
        .map(str::len)
        .sum();
    let blank_lines = text[..lead].matches('\n').count();
    if blank_lines > 0 {
        if let Ok(mut split) = split_at_top(&text[lead..], path) {
            let all_known = |f: &&mut FrontMatter| {
                !f.table.is_empty() && f.table.keys().all(|key| known.contains(&key.as_str()))
            };
            if let Some(front_matter) = split.front_matter.as_mut().filter(all_known) {
                front_matter.first_line += blank_lines;
                split.body_line_offset += blank_lines;
                split.blank_lines_before = blank_lines;
                return Ok(split);
            }
        }
    }
    split_at_top(text, path)
}

/// [`split`] for front matter on the first line.
fn split_at_top<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let first = text.lines().next().unwrap_or_default().trim_end();
    let (fence, is_toml) = match first {
        "+++" => ("+++", true),
        "---" => ("---", false),
        _ => {
            return Ok(Split {
                front_matter: None,
                body: text,
                body_line_offset: 0,
                blank_lines_before: 0,
            })
        }
    };
    let block_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = block_start;
    let mut line_number = 2;
    while offset < text.len() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..line_end].trim_end();
        if line == fence || (!is_toml && line == "...") {
            let raw = &text[block_start..offset];
            let body_start = (line_end + 1).min(text.len());
            let table = if is_toml {
                parse_toml(raw, text, block_start, path)?
            } else {
                parse_yaml(raw, text, path)?
            };
            return Ok(Split {
                front_matter: Some(FrontMatter {
                    table,
                    raw: raw.to_owned(),
                    first_line: 2,
                }),
                body: &text[body_start..],
                body_line_offset: line_number,
                blank_lines_before: 0,
            });
        }
        offset = line_end + 1;
        line_number += 1;
    }
    Err(Diagnostic::error(
        path,
        format!("front matter opened with `{fence}` is never closed"),
    )
    .at_line(text, 1, 1)
    .with_help(format!(
        "add a line with only `{fence}` after the last front matter line"
    )))
}

fn parse_toml(raw: &str, text: &str, block_start: usize, path: &Path) -> Result<Table, Diagnostic> {
    raw.parse::<Table>().map_err(|error| {
        let diagnostic = Diagnostic::error(
            path,
            format!("invalid TOML front matter: {}", error.message()),
        )
        .with_help("front matter between `+++` lines is TOML: key = \"value\", one per line");
        match error.span() {
            Some(span) => diagnostic.at_offset(text, block_start + span.start),
            None => diagnostic,
        }
    })
}

fn parse_yaml(raw: &str, text: &str, path: &Path) -> Result<Table, Diagnostic> {
    let error_at = |message: String, location: Option<serde_yaml_ng::Location>| {
        let diagnostic = Diagnostic::error(path, message)
            .with_help("front matter between `---` lines is YAML: `key: value`, one per line");
        match location {
            // The YAML parser counts from the block's first line; the file has
            // the opening `---` above it.
            Some(location) => diagnostic.at_line(text, location.line() + 1, location.column()),
            None => diagnostic,
        }
    };
    if raw.trim().is_empty() {
        return Ok(Table::new());
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(raw).map_err(|error| {
        error_at(
            format!("invalid YAML front matter: {}", yaml_message(&error)),
            error.location(),
        )
    })?;
    match yaml_to_toml(value) {
        Some(Value::Table(table)) => Ok(table),
        // Pointed at the block's first line, below the opening `---`.
        _ => Err(Diagnostic::error(
            path,
            "YAML front matter must be a mapping of keys to values",
        )
        .at_line(text, 2, 1)
        .with_help("write one `key: value` per line, e.g. title: \"The headline\"")),
    }
}

/// The YAML parser's message with its positions, counted from the block's
/// first line, made the file's own: the error's own place is dropped (it is
/// shown under the message) and other places are moved down one line.
fn yaml_message(error: &serde_yaml_ng::Error) -> String {
    let message = error.to_string();
    let place = |line: usize, column: usize| format!(" at line {line} column {column}");
    let message = match error.location() {
        Some(at) => message.replacen(&place(at.line(), at.column()), "", 1),
        None => message,
    };
    let mut out = String::with_capacity(message.len());
    let mut rest = message.as_str();
    while let Some(found) = rest.find("line ") {
        let (before, after) = rest.split_at(found + "line ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&(line + 1).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Converts YAML values to TOML ones so both formats share one reader. YAML
/// nulls have no TOML equivalent and are dropped, as an absent key.
fn yaml_to_toml(value: serde_yaml_ng::Value) -> Option<Value> {
    use serde_yaml_ng::Value as Y;
    Some(match value {
        Y::Null => return None,
        Y::Bool(b) => Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().filter_map(yaml_to_toml).collect()),
        Y::Mapping(map) => Value::Table(
            map.into_iter()
                .filter_map(|(key, value)| {
                    let key = match key {
                        Y::String(s) => s,
                        other => serde_yaml_ng::to_string(&other).ok()?.trim().to_owned(),
                    };
                    Some((key, yaml_to_toml(value)?))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => return yaml_to_toml(tagged.value),
    })
}

/// Reads typed values out of a front matter table, collecting a diagnostic
/// for every key of the wrong type or unknown name.
pub struct Fields<'a> {
    front_matter: &'a FrontMatter,
    text: &'a str,
    path: &'a Path,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(front_matter: &'a FrontMatter, text: &'a str, path: &'a Path) -> Self {
        Fields {
            front_matter,
            text,
            path,
            diagnostics: Vec::new(),
        }
    }

    /// Warns about every key not in `known`, suggesting the nearest known key.
    pub fn warn_unknown_keys(&mut self, known: &[&str]) {
        for key in self.front_matter.table.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let mut diagnostic = self
                .diagnostic_at_key(key, format!("unknown front matter key `{key}` is ignored"))
                .with_help(format!("known keys are {}", known.join(", ")))
                .as_warning();
            if let Some(nearest) = nearest_key(key, known) {
                diagnostic = diagnostic.with_help(format!("did you mean `{nearest}`?"));
            }
            self.diagnostics.push(diagnostic);
        }
    }

    /// A diagnostic placed on the line that sets `key`.
    pub fn diagnostic_at_key(&self, key: &str, message: String) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.path, message);
        match self.key_line(key) {
            Some(line) => diagnostic.at_line(self.text, line, 1),
            None => diagnostic,
        }
    }

    /// A diagnostic placed on `value` as written for `key`: inside its
    /// quotes, so that `[` in `aliases = ["(", "["]` is the alias and not the
    /// list's bracket, on the key's line or a later one of a list written
    /// over several lines. Without quotes, on the value's first occurrence
    /// on the key's line.
    pub fn diagnostic_at_value(&self, key: &str, value: &str, message: String) -> Diagnostic {
        let Some(index) = self.key_index(key) else {
            return Diagnostic::error(self.path, message);
        };
        let quoted = |line: &str| {
            ['"', '\''].iter().find_map(|quote| {
                let at = line.find(&format!("{quote}{value}{quote}"))?;
                // The 1-based column of the value, after its quote.
                Some(line[..at].chars().count() + 2)
            })
        };
        let mut lines = self.front_matter.raw.lines().enumerate().skip(index);
        match lines.find_map(|(i, line)| Some((i, quoted(line)?))) {
            Some((i, column)) => Diagnostic::error(self.path, message).at_line(
                self.text,
                i + self.front_matter.first_line,
                column,
            ),
            None => self.diagnostic_at_key(key, message).pointing_at(value),
        }
    }

    fn key_line(&self, key: &str) -> Option<usize> {
        self.key_index(key)
            .map(|index| index + self.front_matter.first_line)
    }

    /// The index of the line that sets `key` in the block.
    fn key_index(&self, key: &str) -> Option<usize> {
        (self.front_matter.raw.lines()).position(|line| value_after_key(line, key).is_some())
    }

    /// The value of `key` as written on its line, without a comment after
    /// it: `007` where the parsed number is 7.
    fn written_value(&self, key: &str) -> Option<&'a str> {
        let line = self.front_matter.raw.lines().nth(self.key_index(key)?)?;
        let value = value_after_key(line, key)?;
        let value = match value.find(" #") {
            Some(comment) => &value[..comment],
            None => value,
        };
        Some(value.trim()).filter(|value| !value.is_empty())
    }

    /// `expected` names the type; `example` shows a value of it.
    fn wrong_type(&mut self, key: &str, expected: &str, example: &str) {
        let diagnostic = self
            .diagnostic_at_key(key, format!("front matter key `{key}` must be {expected}"))
            .with_help(format!("write it as, e.g., {key} = {example}"));
        self.diagnostics.push(diagnostic);
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.front_matter.table.get(key)
    }

    /// A string value; numbers and dates are accepted and shown as written.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(clean(s)),
            Value::Integer(i) => Some(self.written_value(key).map_or(i.to_string(), clean)),
            Value::Float(f) => Some(self.written_value(key).map_or(f.to_string(), clean)),
            Value::Datetime(d) => Some(d.to_string()),
            _ => {
                self.wrong_type(key, "a string", "\"text\"");
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, "true or false", "true");
                None
            }
        }
    }

    /// A list of strings; a single string is taken as a list of one.
    pub fn strings(&mut self, key: &str) -> Vec<String> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![clean(s)],
            Some(Value::Array(items)) => {
                let strings: Option<Vec<String>> =
                    items.iter().map(|item| item.as_str().map(clean)).collect();
                strings.unwrap_or_else(|| {
                    self.wrong_type(key, "a list of strings", "[\"a\", \"b\"]");
                    Vec::new()
                })
            }
            Some(_) => {
                self.wrong_type(key, "a list of strings", "[\"a\", \"b\"]");
                Vec::new()
            }
        }
    }
}

/// A string value trimmed, with characters a page may not carry (a NUL
/// written as `\u0000`) scrubbed.
fn clean(value: &str) -> String {
    value.trim().chars().map(super::text::scrub).collect()
}

/// The known key closest to a mistyped one, if any is close enough.
fn nearest_key<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(key, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`super::split`] for a source's keys.
    fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
        super::split(text, path, &["title", "date"])
    }

    fn path() -> &'static Path {
        Path::new("content/sources/a.md")
    }

    #[test]
    fn no_front_matter_keeps_the_whole_text() {
        let split = split("Headline\nBody.\n", path()).unwrap();
        assert!(split.front_matter.is_none());
        assert_eq!(split.body, "Headline\nBody.\n");
    }

    #[test]
    fn splits_toml_front_matter() {
        let text = "+++\ntitle = \"T\"\ndate = 2024-12-09\n+++\nBody\n";
        let split = split(text, path()).unwrap();
        let table = split.front_matter.unwrap().table;
        assert_eq!(table["title"].as_str(), Some("T"));
        assert!(table["date"].is_datetime());
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line_offset, 4);
    }

    #[test]
    fn splits_yaml_front_matter() {
        let text = "---\ntitle: T\naliases: [a, b]\n---\nBody\n";
        let split = split(text, path()).unwrap();
        let table = split.front_matter.unwrap().table;
        assert_eq!(table["title"].as_str(), Some("T"));
        assert_eq!(table["aliases"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn errors_when_front_matter_is_not_closed() {
        let error = split("+++\ntitle = \"T\"\nBody\n", path()).unwrap_err();
        assert!(error.message.contains("never closed"));
        assert!(error.help.unwrap().contains("`+++`"));
    }

    #[test]
    fn toml_errors_point_at_the_files_own_line() {
        let error = split("+++\ntitle = \"T\"\ndate = = 3\n+++\n", path()).unwrap_err();
        assert_eq!(error.position.unwrap().0, 3);
    }

    #[test]
    fn yaml_errors_point_at_the_files_own_line() {
        let error = split("---\ntitle: T\naliases: [a, b\n---\n", path()).unwrap_err();
        assert!(error.position.unwrap().0 >= 3, "{error}");
    }

    #[test]
    fn yaml_that_is_no_mapping_is_an_error_at_its_first_line() {
        let error = split("---\n- a list\n- of items\n---\n", path()).unwrap_err();
        assert!(error.message.contains("must be a mapping"), "{error}");
        assert_eq!(error.position, Some((2, 1)));
    }

    #[test]
    fn front_matter_below_blank_lines_is_read_at_its_own_lines() {
        let late = split("\n \n---\ntitle: T\n---\nBody\n", path()).unwrap();
        assert_eq!(late.blank_lines_before, 2);
        assert_eq!(late.body, "Body\n");
        assert_eq!(late.body_line_offset, 5);
        // Text after blank lines that is no front matter stays text.
        for text in [
            "\n---\nJust a rule\n---\n",
            "\n---\nPublished: 9 December 2024\n---\n",
        ] {
            assert!(
                split(text, path()).unwrap().front_matter.is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn yaml_errors_speak_of_the_files_own_lines_and_columns() {
        let error = split("---\ntitle: T\n  outlet: TASS\n---\n", path()).unwrap_err();
        assert_eq!(error.position, Some((3, 9)));
        assert!(!error.message.contains("line 2"), "{}", error.message);
        let error = split("---\ntitle: T\naliases: [a, b\n---\n", path()).unwrap_err();
        assert!(
            error.message.contains("flow sequence at line 3 column 10"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unknown_keys_suggest_the_nearest_known_key() {
        let text = "+++\ntitel = \"T\"\n+++\n";
        let front_matter = split(text, path()).unwrap().front_matter.unwrap();
        let mut fields = Fields::new(&front_matter, text, path());
        fields.warn_unknown_keys(&["title", "date"]);
        let warning = &fields.diagnostics[0];
        assert!(!warning.is_error());
        assert_eq!(warning.position, Some((2, 1)));
        assert_eq!(warning.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_types_are_errors_on_their_line() {
        let text = "+++\ntitle = \"T\"\ndraft = \"yes\"\n+++\n";
        let front_matter = split(text, path()).unwrap().front_matter.unwrap();
        let mut fields = Fields::new(&front_matter, text, path());
        assert_eq!(fields.boolean("draft"), None);
        assert_eq!(fields.diagnostics[0].position, Some((3, 1)));
    }
}
