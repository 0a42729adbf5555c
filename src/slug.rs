//! Slugs: the ASCII `[a-z0-9-]` names of pages. They come from titles and
//! names, so they are transliterated (`Türkiye` → `turkiye`), and they must
//! be unique and stable from one build to the next.

use std::collections::{BTreeMap, BTreeSet};

/// Longest slug made from a title, in bytes; long titles make unwieldy URLs.
const MAX_SLUG_LEN: usize = 60;

/// Makes a slug from any text: transliterated to ASCII, lower case, runs of
/// anything else turned into single hyphens. May be empty.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    shorten(slug).to_owned()
}

/// Cuts a slug to `MAX_SLUG_LEN` on a hyphen where possible.
fn shorten(slug: &str) -> &str {
    if slug.len() <= MAX_SLUG_LEN {
        return slug;
    }
    let head = &slug[..MAX_SLUG_LEN];
    match head.rfind('-') {
        Some(hyphen) if hyphen > MAX_SLUG_LEN / 2 => &head[..hyphen],
        _ => head.trim_end_matches('-'),
    }
}

/// A stable 64-bit FNV-1a hash: the same bytes give the same value on every
/// machine and every Rust version, unlike `DefaultHasher`.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A slug for text with no Latin letters to transliterate, or none at all.
pub fn fallback_slug(prefix: &str, key: &str) -> String {
    format!("{prefix}-{:08x}", stable_hash(key.as_bytes()) as u32)
}

/// Makes slugs unique: the first holder (in the given, sorted order) keeps a
/// slug, later ones get `-2`, `-3`... Returns the unique slugs in order.
pub fn dedupe(slugs: &[String]) -> Vec<String> {
    let wanted: Vec<Option<String>> = slugs.iter().cloned().map(Some).collect();
    dedupe_around(&wanted, &BTreeMap::<String, ()>::new())
}

/// [`dedupe`] for the slugs of `wanted` that are there, around the slugs
/// already `taken`, which none of them gets.
pub fn dedupe_around<V>(wanted: &[Option<String>], taken: &BTreeMap<String, V>) -> Vec<String> {
    let mut used = BTreeSet::new();
    wanted
        .iter()
        .flatten()
        .map(|slug| {
            let mut candidate = slug.clone();
            let mut n = 1;
            while used.contains(&candidate) || taken.contains_key(&candidate) {
                n += 1;
                candidate = format!("{slug}-{n}");
            }
            used.insert(candidate.clone());
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_lowercase_with_single_hyphens() {
        assert_eq!(slugify("Bashar al-Assad"), "bashar-al-assad");
        assert_eq!(slugify("Türkiye"), "turkiye");
        assert_eq!(slugify("  ../../etc/passwd  "), "etc-passwd");
        assert_eq!(
            slugify("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
        assert_eq!(slugify("—"), "");
    }

    #[test]
    fn long_slugs_are_cut_on_a_hyphen() {
        let slug =
            slugify("Following the political crisis in Syria, Russia has granted asylum to Bashar");
        assert!(slug.len() <= MAX_SLUG_LEN);
        assert!(!slug.ends_with('-'));
        assert_eq!(
            slug,
            "following-the-political-crisis-in-syria-russia-has-granted"
        );
    }

    #[test]
    fn duplicate_slugs_get_numbered_suffixes_in_order() {
        let slugs = ["a", "b", "a", "a-2", "a"].map(String::from);
        assert_eq!(dedupe(&slugs), ["a", "b", "a-2", "a-2-2", "a-3"]);
    }

    #[test]
    fn slugs_are_numbered_around_those_taken() {
        let wanted = [Some("a"), None, Some("b"), Some("a")].map(|s| s.map(String::from));
        let taken = BTreeMap::from([("a".to_owned(), ())]);
        assert_eq!(dedupe_around(&wanted, &taken), ["a-2", "b", "a-3"]);
    }

    #[test]
    fn stable_hash_is_stable() {
        assert_eq!(stable_hash(b"dossier"), stable_hash(b"dossier"));
        assert_eq!(fallback_slug("source", "x"), fallback_slug("source", "x"));
    }
}
