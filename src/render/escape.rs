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
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => apostrophe,
            _ => continue,
        };
        // The five are ASCII, so `at` is on a character boundary.
        out.push_str(&text[copied..at]);
        out.push_str(reference);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
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
}
