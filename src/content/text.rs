//! Turning a file's bytes into text the rest of the pipeline can trust:
//! UTF-8 checked (with the byte offset of the first bad byte), byte-order mark
//! dropped, line endings made `\n`.

use std::path::Path;

use crate::error::Diagnostic;

/// Characters the renderer uses as placeholders inside generated HTML; content
/// may never carry them, so a placeholder can never be forged by a source.
pub const PLACEHOLDER_OPEN: char = '\u{E000}';
pub const PLACEHOLDER_CLOSE: char = '\u{E001}';

/// Decodes a content file. `path` names the file in the error.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Diagnostic::error(path, "the file is UTF-16, not UTF-8")
            .with_help("save the file as UTF-8"));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        Diagnostic::error(
            path,
            format!("invalid UTF-8 at byte {offset}: the file is not valid UTF-8 text"),
        )
        .at_offset(valid, offset)
        .with_help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
    })?;
    Ok(normalise(text))
}

/// Makes every line ending `\n` and removes placeholder characters.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            PLACEHOLDER_OPEN | PLACEHOLDER_CLOSE => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_normalises_line_endings() {
        let text = decode(b"\xEF\xBB\xBFa\r\nb\rc\n", Path::new("x.txt")).unwrap();
        assert_eq!(text, "a\nb\nc\n");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let error = decode(b"ab\ncd\xFFef", Path::new("x.txt")).unwrap_err();
        assert!(error.message.contains("byte 5"), "{}", error.message);
        assert_eq!(error.position, Some((2, 3)));
    }

    #[test]
    fn placeholder_characters_cannot_come_from_content() {
        let text = decode("a\u{E000}1\u{E001}".as_bytes(), Path::new("x.md")).unwrap();
        assert!(!text.contains(PLACEHOLDER_OPEN));
    }
}
