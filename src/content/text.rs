//! Turning a file's bytes into text the rest of the pipeline can trust:
//! UTF-8 checked (with the byte offset of the first bad byte), UTF-16 with a
//! byte-order mark decoded, byte-order mark dropped, line endings made `\n`.

use std::borrow::Cow;
use std::path::Path;

use crate::error::Diagnostic;

/// Characters the renderer uses as placeholders inside generated HTML; content
/// may never carry them, so a placeholder can never be forged by a source.
pub const PLACEHOLDER_OPEN: char = '\u{E000}';
pub const PLACEHOLDER_CLOSE: char = '\u{E001}';

/// Decodes a content file. `path` names the file in the error.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String, Diagnostic> {
    decode_with(bytes, path, false).map(|(text, _)| text)
}

/// Decodes a content file: UTF-8 with or without a byte-order mark, or
/// UTF-16 with one. Bytes that are not valid text are an error naming the
/// first one's offset, or with `lossy` are replaced by U+FFFD and reported in
/// a warning.
pub fn decode_with(
    bytes: &[u8],
    path: &Path,
    lossy: bool,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    let (encoding, bom_length) =
        encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_8, 0));
    let body = &bytes[bom_length..];
    if encoding != encoding_rs::UTF_8 {
        return decode_utf16(body, encoding, path, lossy);
    }
    if mostly_nul(body) {
        return decode_nul_filled(body, bom_length, path, lossy);
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok((normalise(text), None)),
        Err(error) => {
            let offset = bom_length + error.valid_up_to();
            let valid = std::str::from_utf8(&body[..error.valid_up_to()]).unwrap_or_default();
            let (line, column) = crate::error::line_column(valid, valid.len());
            // Show the whole line, its bad bytes replaced.
            let text = String::from_utf8_lossy(body);
            let diagnostic = Diagnostic::error(
                path,
                format!("invalid UTF-8 at byte {offset}: the file is not valid UTF-8 text"),
            )
            .at_line(&normalise(&text), line, column);
            if !lossy {
                return Err(diagnostic.with_help(
                    "save the file as UTF-8 (most editors offer it under \"Save with encoding\"), or build with --lossy to replace the bad bytes",
                ));
            }
            Ok((normalise(&text), Some(replaced_warning(diagnostic))))
        }
    }
}

fn decode_utf16(
    body: &[u8],
    encoding: &'static encoding_rs::Encoding,
    path: &Path,
    lossy: bool,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(body) {
        return Ok((normalise(&text), None));
    }
    let diagnostic = Diagnostic::error(
        path,
        format!(
            "invalid {}: the file has a UTF-16 byte-order mark but is not valid UTF-16 text",
            encoding.name()
        ),
    );
    if !lossy {
        return Err(diagnostic
            .with_help("save the file as UTF-8, or build with --lossy to replace the bad bytes"));
    }
    let (text, _) = encoding.decode_without_bom_handling(body);
    Ok((normalise(&text), Some(replaced_warning(diagnostic))))
}

/// Whether a good part of the file's start is NUL bytes, which text never
/// holds: UTF-16 saved without a byte-order mark, or not text at all. A
/// stray NUL in a clipping is only scrubbed, as any control character.
fn mostly_nul(body: &[u8]) -> bool {
    let start = &body[..body.len().min(4096)];
    start.iter().filter(|&&b| b == 0).count() * 8 > start.len()
}

/// A file full of NUL bytes: decoded as UTF-16 if that is what it is,
/// with a warning, or else an error, `--lossy` or not: it is no article.
fn decode_nul_filled(
    body: &[u8],
    bom_length: usize,
    path: &Path,
    lossy: bool,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    if let Some(encoding) = utf16_without_bom(body) {
        if let Ok((text, None)) = decode_utf16(body, encoding, path, lossy) {
            let warning = Diagnostic::warning(
                path,
                format!("read as {} without a byte-order mark", encoding.name()),
            )
            .with_help("save the file as UTF-8, so that every tool reads it alike");
            return Ok((text, Some(warning)));
        }
    }
    let nul = bom_length + body.iter().position(|&b| b == 0).unwrap_or_default();
    Err(Diagnostic::error(
        path,
        format!("NUL byte at byte {nul}: the file is not text, and holds no article"),
    )
    .with_help("save the article as UTF-8 text, or delete the file"))
}

/// The UTF-16 a file without a byte-order mark is written in, if its NUL
/// bytes say so: the high bytes of Latin letters, every other byte.
fn utf16_without_bom(body: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let start = &body[..body.len().min(4096) & !1];
    let nul_at = |parity: usize| {
        (start.iter().skip(parity).step_by(2))
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let units = start.len() / 2;
    if odd * 2 > units && even * 10 < odd {
        Some(encoding_rs::UTF_16LE)
    } else if even * 2 > units && odd * 10 < even {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

fn replaced_warning(mut diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.message = format!("{}; bad bytes replaced by �", diagnostic.message);
    (diagnostic.as_warning()).with_help("save the file as UTF-8 to keep every character")
}

/// The character an HTML entity (`&amp;`, `&#39;`, `&#x2019;`) stands for,
/// as escaping here and the sanitiser write them.
pub fn decode_entity(entity: &str) -> Option<char> {
    match entity {
        "&amp;" => Some('&'),
        "&lt;" => Some('<'),
        "&gt;" => Some('>'),
        "&quot;" => Some('"'),
        "&#39;" | "&#x27;" | "&apos;" => Some('\''),
        "&nbsp;" => Some('\u{a0}'),
        _ => {
            let number = entity.strip_prefix("&#")?.strip_suffix(';')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// A character content may carry into a page: control characters (NUL
/// included) and noncharacters (U+FFFE, U+FFFF...), which HTML forbids and
/// make XML not well-formed, and the renderer's placeholders become U+FFFD;
/// tabs and line breaks stay.
pub fn scrub(c: char) -> char {
    match c {
        '\t' | '\n' => c,
        PLACEHOLDER_OPEN | PLACEHOLDER_CLOSE => '\u{FFFD}',
        c if c.is_control() || is_noncharacter(c) => '\u{FFFD}',
        c => c,
    }
}

fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// `text` with [`scrub`] applied, borrowed when nothing changes.
pub fn scrub_text(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| scrub(c) == c) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(scrub).collect())
}

/// Raw HTML with every numeric character reference (`&#x1b;`, `&#1`) to a
/// character [`scrub`] replaces written as `&#xFFFD;`: the sanitiser decodes
/// references, so without this they would bring back what scrubbing took out.
pub fn scrub_references(html: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0; // bytes of `html` already in `out`
    let mut searched = 0;
    while let Some(at) = html[searched..].find("&#").map(|at| searched + at) {
        let rest = &html[at + 2..];
        let (radix, digits_at) = match rest.as_bytes().first() {
            Some(b'x' | b'X') => (16, 1),
            _ => (10, 0),
        };
        let digits = rest[digits_at..]
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        searched = at + 2 + digits_at + digits;
        if digits == 0 {
            continue;
        }
        let number = &rest[digits_at..digits_at + digits];
        // Past U+10FFFF (too long to parse too), HTML reads U+FFFD itself.
        let code = u32::from_str_radix(number, radix).unwrap_or(u32::MAX);
        if !referenced_char_is_scrubbed(code) {
            continue;
        }
        if html[searched..].starts_with(';') {
            searched += 1;
        }
        out.push_str(&html[copied..at]);
        out.push_str("&#xFFFD;");
        copied = searched;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Whether the character HTML reads a numeric reference as would be
/// scrubbed. HTML reads 0x80 to 0x9F as the letters windows-1252 has
/// there, and the five it has none for as control characters.
fn referenced_char_is_scrubbed(code: u32) -> bool {
    match code {
        0x80..=0x9F => matches!(code, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D),
        _ => char::from_u32(code).is_some_and(|c| scrub(c) != c),
    }
}

/// Makes every line ending `\n`, page breaks new lines, and scrubs
/// characters a page may not carry.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A byte-order mark after the first, as copying between files leaves.
    let mut chars = text.trim_start_matches('\u{FEFF}').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{0B}' | '\u{0C}' => out.push('\n'),
            c => out.push(scrub(c)),
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
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "Kremlin\r\nTürkiye";
        let mut little: Vec<u8> = vec![0xFF, 0xFE];
        let mut big: Vec<u8> = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            little.extend(unit.to_le_bytes());
            big.extend(unit.to_be_bytes());
        }
        assert_eq!(
            decode(&little, Path::new("x.txt")).unwrap(),
            "Kremlin\nTürkiye"
        );
        assert_eq!(
            decode(&big, Path::new("x.txt")).unwrap(),
            "Kremlin\nTürkiye"
        );
    }

    #[test]
    fn broken_utf16_is_an_error_or_replaced_when_lossy() {
        let bytes = [0xFF, 0xFE, 0x00, 0xD8, b'a', 0];
        assert!(decode(&bytes, Path::new("x.txt")).is_err());
        let (text, warning) = decode_with(&bytes, Path::new("x.txt"), true).unwrap();
        assert_eq!(text, "\u{FFFD}a");
        assert!(!warning.unwrap().is_error());
    }

    #[test]
    fn lossy_decoding_replaces_bad_bytes_and_warns_at_their_place() {
        let (text, warning) = decode_with(b"ab\ncd\xFFef", Path::new("x.txt"), true).unwrap();
        assert_eq!(text, "ab\ncd\u{FFFD}ef");
        let warning = warning.unwrap();
        assert!(!warning.is_error());
        assert!(warning.message.contains("byte 5"), "{}", warning.message);
        assert_eq!(warning.position, Some((2, 3)));
    }

    #[test]
    fn byte_offsets_count_the_byte_order_mark() {
        let error = decode(b"\xEF\xBB\xBFa\xFF", Path::new("x.txt")).unwrap_err();
        assert!(error.message.contains("byte 4"), "{}", error.message);
    }

    #[test]
    fn control_characters_never_reach_a_page() {
        let text = decode(b"a\x00b\x0Cc\x1Bd\te\x7F", Path::new("x.txt")).unwrap();
        assert_eq!(text, "a\u{FFFD}b\nc\u{FFFD}d\te\u{FFFD}");
    }

    #[test]
    fn noncharacters_never_reach_a_page() {
        let text = decode(
            "a\u{FFFE}b\u{FFFF}c\u{FDD0}d\u{10FFFF}e\u{FFFD}".as_bytes(),
            Path::new("x.md"),
        )
        .unwrap();
        assert_eq!(text, "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}");
        assert_eq!(scrub_text("Türkiye\ttalks"), "Türkiye\ttalks");
    }

    #[test]
    fn references_to_characters_a_page_may_not_carry_are_replaced() {
        let html = "<b title=\"&#x1b;\">&#1; &#X7f &#0000065534; &#57344; &#xE001;</b>";
        assert_eq!(
            scrub_references(html),
            "<b title=\"&#xFFFD;\">&#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD;</b>"
        );
        // Letters and line breaks are kept, and so is what is no reference.
        let kept = "&#65; &#x9; &#10; &#x80; &#x2019; &#; &#x; & #1; &amp;#1;";
        assert_eq!(scrub_references(kept), kept);
        assert_eq!(
            scrub_references("&#x81;&#x8D;z&#9;"),
            "&#xFFFD;&#xFFFD;z&#9;"
        );
    }

    #[test]
    fn placeholder_characters_cannot_come_from_content() {
        let text = decode("a\u{E000}1\u{E001}".as_bytes(), Path::new("x.md")).unwrap();
        assert!(!text.contains(PLACEHOLDER_OPEN));
    }
}
