//! Tera's built-in filters that large pages call tens of thousands of
//! times, made again to give the same results for less work.

use std::collections::HashMap;

use tera::{Tera, Value};
use unicode_segmentation::UnicodeSegmentation;

pub fn register(tera: &mut Tera) {
    tera.register_filter("truncate", truncate);
}

/// Tera's `truncate`: the first `length` grapheme clusters of the text (255
/// if not given), followed by `end` ("…" if not given) when anything was
/// cut. Tera's own gathers every cluster of the text first; this stops at
/// the cut, and ASCII text is cut by bytes, which are its clusters unless it
/// holds a carriage return.
fn truncate(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let wrong = |arg: &str, got: &Value, expected: &str| {
        tera::Error::msg(format!(
            "Filter `truncate` received an incorrect type for arg `{arg}`: got `{got}` but expected a {expected}"
        ))
    };
    let Value::String(text) = value else {
        return Err(wrong("value", value, "String"));
    };
    let length = match args.get("length") {
        Some(given) => given
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| wrong("length", given, "usize"))?,
        None => 255,
    };
    let end = match args.get("end") {
        Some(Value::String(end)) => end.as_str(),
        Some(given) => return Err(wrong("end", given, "String")),
        None => "…",
    };
    let cut = if text.is_ascii() && !text.contains('\r') {
        (length < text.len()).then_some(length)
    } else {
        text.grapheme_indices(true).nth(length).map(|(at, _)| at)
    };
    Ok(match cut {
        Some(at) => Value::String(format!("{}{end}", &text[..at])),
        None => value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn render(tera: &mut Tera, template: &str, text: &str) -> tera::Result<String> {
        let mut context = Context::new();
        context.insert("text", text);
        tera.render_str(template, &context)
    }

    #[test]
    fn truncate_gives_what_teras_own_gives() {
        let texts = [
            "",
            "Peskov",
            "Kremlin spokesman Dmitry Peskov told reporters on Monday",
            "line one\r\nline two\r\n",
            "Ουλιάνοφ — «Ulyanov» said",
            "e\u{301}e\u{301}e\u{301} combining accents",
            "flags 🇸🇾🇷🇺 and a family 👨‍👩‍👧 here",
        ];
        let templates = [
            "{{ text | truncate(length=0) }}",
            "{{ text | truncate(length=3) }}",
            "{{ text | truncate(length=6) }}",
            "{{ text | truncate(length=12, end='...') }}",
            "{{ text | truncate(length=40) }}",
            "{{ text | truncate }}",
        ];
        let mut builtin = Tera::default();
        let mut ours = Tera::default();
        register(&mut ours);
        for text in texts {
            for template in templates {
                assert_eq!(
                    render(&mut ours, template, text).unwrap(),
                    render(&mut builtin, template, text).unwrap(),
                    "{template} of {text:?}"
                );
            }
        }
    }

    #[test]
    fn truncate_refuses_what_teras_own_refuses() {
        let mut ours = Tera::default();
        register(&mut ours);
        for template in [
            "{{ 5 | truncate(length=2) }}",
            "{{ text | truncate(length=-1) }}",
            "{{ text | truncate(length=2, end=3) }}",
        ] {
            assert!(render(&mut ours, template, "text").is_err(), "{template}");
        }
    }
}
