//! Folding text for matching: typographic variants made equal (’ and ',
//! curly and straight quotes, ü and u, hyphen and space) while remembering
//! where each folded byte came from, so a match maps back to the original.

/// Text folded for matching, with the original byte range of every byte.
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the start of the original character; empty
    /// when every byte stayed where it was (ASCII text).
    starts: Vec<usize>,
    /// For each byte of `text`, the end of the original character.
    ends: Vec<usize>,
}

impl Folded {
    /// The original byte range of folded range `start..end` (non-empty).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            return (start, end);
        }
        (self.starts[start], self.ends[end - 1])
    }
}

/// Folds `text`. Latin letters with diacritics and typographic punctuation
/// are transliterated to ASCII; hyphens become spaces, so `al-Sham` and
/// `al Sham` are one name. Other scripts are kept as they are.
pub fn fold(text: &str) -> Folded {
    // ASCII folds byte for byte, a hyphen to a space: no map is needed.
    if text.is_ascii() {
        return Folded {
            text: text.replace('-', " "),
            starts: Vec::new(),
            ends: Vec::new(),
        };
    }
    let mut folded = Folded {
        text: String::with_capacity(text.len()),
        starts: Vec::with_capacity(text.len()),
        ends: Vec::with_capacity(text.len()),
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < text.len() {
        // Most text is ASCII, which folds to itself byte for byte: a run of
        // it is copied, and mapped, at once.
        let run_end = (bytes[start..].iter())
            .position(|&b| !b.is_ascii() || b == b'-')
            .map_or(text.len(), |length| start + length);
        if run_end > start {
            folded.text.push_str(&text[start..run_end]);
            folded.starts.extend(start..run_end);
            folded.ends.extend(start + 1..run_end + 1);
            start = run_end;
            continue;
        }
        let c = text[start..]
            .chars()
            .next()
            .expect("a character starts here");
        let end = start + c.len_utf8();
        let mut push = |s: &str| {
            folded.text.push_str(s);
            folded.starts.resize(folded.text.len(), start);
            folded.ends.resize(folded.text.len(), end);
        };
        match c {
            '-' | '\u{2010}' | '\u{2011}' | '\u{00A0}' => push(" "),
            c if is_foldable(c) => match deunicode::deunicode_char(c) {
                Some(ascii) if ascii.len() == 1 && ascii != "-" => push(ascii),
                Some("-") => push(" "),
                Some(ascii) if !ascii.is_empty() && ascii.is_ascii() => push(ascii),
                _ => push(c.encode_utf8(&mut [0; 4])),
            },
            c => push(c.encode_utf8(&mut [0; 4])),
        }
        start = end;
    }
    folded
}

/// Latin letters with marks and general punctuation fold to ASCII; other
/// scripts are left alone so that, say, Arabic text never matches a Latin
/// name by transliteration.
fn is_foldable(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2000..=0x206F)
}

/// Folds a name the way text is folded, trimmed: the pattern to search for.
pub fn fold_name(name: &str) -> String {
    let folded = fold(name.trim()).text;
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_typographic_variants() {
        assert_eq!(fold("Türkiye’s").text, "Turkiye's");
        assert_eq!(fold("al-Sham").text, "al Sham");
        assert_eq!(fold("“x”").text, "\"x\"");
    }

    #[test]
    fn maps_folded_ranges_back_to_the_original() {
        let text = "in Türkiye today";
        let folded = fold(text);
        let start = folded.text.find("Turkiye").unwrap();
        let (a, b) = folded.original_range(start, start + "Turkiye".len());
        assert_eq!(&text[a..b], "Türkiye");
    }

    #[test]
    fn ascii_text_maps_back_byte_for_byte() {
        let text = "Talks in al-Sham, then Homs";
        let folded = fold(text);
        assert_eq!(folded.text, "Talks in al Sham, then Homs");
        let start = folded.text.find("al Sham").unwrap();
        let (a, b) = folded.original_range(start, start + "al Sham".len());
        assert_eq!(&text[a..b], "al-Sham");
    }

    #[test]
    fn every_byte_maps_back_to_its_character() {
        let text = "Al-Sham’s “envoy” met Türkiye's 3-man team — ok";
        let folded = fold(text);
        assert_eq!(
            folded.text,
            "Al Sham's \"envoy\" met Turkiye's 3 man team -- ok"
        );
        for (at, byte) in folded.text.bytes().enumerate() {
            let (start, end) = folded.original_range(at, at + 1);
            let original = &text[start..end];
            if byte.is_ascii_alphanumeric() {
                assert!(
                    original.chars().count() == 1 && fold(original).text.as_bytes().contains(&byte),
                    "{at}: {original}"
                );
            }
        }
    }

    #[test]
    fn keeps_other_scripts() {
        assert_eq!(fold("الأسد").text, "الأسد");
    }
}
