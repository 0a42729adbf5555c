//! HTML escaping, of template output and of paragraph text.
//!
//! Tera's own escaper also rewrites `/` as `&#x2F;`, which HTML never needs:
//! every link on a page grew by four bytes a slash, and a large dossier's
//! pages are mostly links. This one escapes the five characters that can end
//! text or a quoted attribute value, which is what makes a value safe in
//! both, and copies everything between them in runs.

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    escape_html_into(text, &mut escaped);
    escaped
}

/// [`escape_html`], appended to `out`.
pub fn escape_html_into(text: &str, out: &mut String) {
    escape_into(text, out, "&#x27;");
}

/// Appends `text` to `out`, escaped as [`escape_html`] does but writing
/// `apostrophe` for `'` (pages built before this escaper wrote `&#39;` in
/// paragraphs, and their bytes stay the same).
pub fn escape_into(text: &str, out: &mut String, apostrophe: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Most text has nothing to escape: a run of bytes is tested at once
        // (the comparisons compile to a few vector instructions) and skipped.
        if let Some(run) = bytes.get(at..at + RUN) {
            if !run
                .iter()
                .fold(false, |found, &byte| found | is_special(byte))
            {
                at += RUN;
                continue;
            }
        }
        let end = (at + RUN).min(bytes.len());
        for (offset, &byte) in bytes[at..end].iter().enumerate() {
            let reference = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => apostrophe,
                _ => continue,
            };
            // The five are ASCII, so the byte is a character boundary.
            out.push_str(&text[copied..at + offset]);
            out.push_str(reference);
            copied = at + offset + 1;
        }
        at = end;
    }
    out.push_str(&text[copied..]);
}

/// Bytes tested together by [`escape_into`].
const RUN: usize = 16;

fn is_special(byte: u8) -> bool {
    (byte == b'&') | (byte == b'<') | (byte == b'>') | (byte == b'"') | (byte == b'\'')
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            escape_html(r#"<script>alert("x" + 'y')</script> & co"#),
            "&lt;script&gt;alert(&quot;x&quot; + &#x27;y&#x27;)&lt;/script&gt; &amp; co"
        );
    }

    #[test]
    fn other_text_is_kept_as_it_is() {
        assert_eq!(
            escape_html("../sources/a-b.html#p3"),
            "../sources/a-b.html#p3"
        );
        assert_eq!(escape_html("Ουλιάνοφ — «Ulyanov»"), "Ουλιάνοφ — «Ulyanov»");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn every_position_of_a_long_text_is_escaped() {
        // Specials before, inside and after runs tested together, and
        // across multi-byte characters.
        let plain = "Ουλιάνοφ said the talks would resume next week, officials say";
        for at in 0..plain.len() {
            if !plain.is_char_boundary(at) {
                continue;
            }
            for special in ['&', '<', '>', '"', '\''] {
                let text = format!("{}{special}{}", &plain[..at], &plain[at..]);
                let expected: String = text
                    .chars()
                    .map(|c| match c {
                        '&' => "&amp;".to_owned(),
                        '<' => "&lt;".to_owned(),
                        '>' => "&gt;".to_owned(),
                        '"' => "&quot;".to_owned(),
                        '\'' => "&#x27;".to_owned(),
                        c => c.to_string(),
                    })
                    .collect();
                assert_eq!(escape_html(&text), expected, "{text}");
            }
        }
    }
}
