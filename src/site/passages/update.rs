//! Updating the last build's passages when a few sources changed, instead
//! of searching the whole dossier again.
//!
//! A search indexes every fingerprint of every paragraph, judges which are
//! boilerplate, and compares the paragraph pairs that share one that is
//! not. When a source changes, only the fingerprints it held before or holds
//! now can change holders, and so change between boilerplate and not. Call
//! its paragraphs, and every paragraph holding a fingerprint that changed
//! so, dirty: a pair of clean paragraphs is as the last build found it (the
//! same texts, linked by the same fingerprints, judged against the same
//! boilerplate), as long as the pairs each of those fingerprints links among
//! clean paragraphs stay the same. Only the pairs with a dirty side are
//! compared, and the passages are grouped again from all the matches.
//! Otherwise the dossier is searched again, so the result is always the one
//! a whole search gives; a test holds the two to each other.

use rayon::prelude::*;

use crate::analysis::shingles::{FnvHashMap, FnvHashSet};
use crate::analysis::ParagraphPrint;
use crate::cache::{AlignmentMemo, Key};

use super::{
    compare, conclude, is_boilerplate_fingerprint, pairs_holding, ParagraphId, PassageSource,
    PassageState, Passages,
};

/// Updates `previous`, the state the last build left, to `sources`, whose
/// keys are `keys`; `last_prints` gives a changed source's fingerprints as
/// the last build read them. `None` when the dossier must be searched
/// again: the sources were added, removed or reordered, too many changed
/// or were made dirty, or a change alters which paragraphs a widely held
/// fingerprint links.
pub(super) fn update(
    sources: &[PassageSource<'_>],
    keys: &[Key],
    previous: &PassageState,
    last_prints: impl Fn(usize) -> Option<Vec<ParagraphPrint>>,
    memo: &AlignmentMemo,
) -> Option<(Passages, PassageState)> {
    if keys.len() != previous.sources.len() || keys.len() != sources.len() {
        return None;
    }
    let changed: Vec<usize> = (0..keys.len())
        .filter(|&s| keys[s] != previous.sources[s])
        .collect();
    // Past a tenth of the dossier, a whole search costs about the same.
    if changed.len() * 10 > keys.len() {
        return None;
    }
    let mut is_changed = vec![false; keys.len()];
    for &s in &changed {
        is_changed[s] = true;
    }

    // The changed sources' paragraphs as the last build had them, and
    // every fingerprint they held then or hold now.
    let mut last_entries: Vec<(u64, ParagraphId)> = Vec::new();
    for &s in &changed {
        for (p, print) in (0u32..).zip(last_prints(s)?) {
            let id = (s as u32, p);
            last_entries.extend(print.fingerprints.iter().map(|&f| (f, id)));
        }
    }
    last_entries.sort_unstable();
    let mut touched: FnvHashSet<u64> = last_entries.iter().map(|&(f, _)| f).collect();
    for &s in &changed {
        for print in sources[s].prints {
            touched.extend(print.fingerprints.iter().copied());
        }
    }
    let mut holders = holders_of(sources, &touched);

    // Fingerprints that became boilerplate, or stopped being, change what
    // every paragraph holding them shares: those paragraphs are compared
    // again too.
    let mut boilerplate: FnvHashSet<u64> = previous.boilerplate.iter().copied().collect();
    // Each fingerprint's holders before and now, and whether it is
    // boilerplate now: judged in parallel, since the most common ones are
    // held by thousands of paragraphs.
    let judged: Vec<(u64, Vec<ParagraphId>, bool, bool)> = (touched.par_iter())
        .map(|&fingerprint| {
            let now = held(&holders, fingerprint);
            let mut before: Vec<ParagraphId> = (now.iter().copied())
                .filter(|&(s, _)| !is_changed[s as usize])
                .chain(entries_of(&last_entries, fingerprint))
                .collect();
            before.sort_unstable();
            let is_boilerplate = is_boilerplate_fingerprint(sources, now);
            (fingerprint, before, !now.is_empty(), is_boilerplate)
        })
        .collect();
    let mut fingerprints = previous.fingerprints;
    let mut before_of: FnvHashMap<u64, Vec<ParagraphId>> = FnvHashMap::default();
    let mut dirty: FnvHashSet<ParagraphId> = FnvHashSet::default();
    for (fingerprint, before, held_now, is_boilerplate) in judged {
        // Counted as a whole search counts them: held at all, or not.
        fingerprints =
            (fingerprints + usize::from(held_now)).saturating_sub(usize::from(!before.is_empty()));
        if is_boilerplate != boilerplate.contains(&fingerprint) {
            match is_boilerplate {
                true => boilerplate.insert(fingerprint),
                false => boilerplate.remove(&fingerprint),
            };
            dirty.extend(held(&holders, fingerprint).iter().copied());
        }
        before_of.insert(fingerprint, before);
    }
    let paragraphs: usize = sources.iter().map(|s| s.texts.len()).sum();
    if dirty.len() * 10 > paragraphs {
        return None;
    }
    let is_dirty = |id: ParagraphId| is_changed[id.0 as usize] || dirty.contains(&id);
    let clean_pair = |&(a, b): &(ParagraphId, ParagraphId)| !is_dirty(a) && !is_dirty(b);

    // Every fingerprint a changed or dirty paragraph holds links the pairs
    // to compare; those of dirty paragraphs need their holders too.
    let mut more: FnvHashSet<u64> = FnvHashSet::default();
    for &(s, p) in &dirty {
        let print = &sources[s as usize].prints[p as usize];
        more.extend(print.fingerprints.iter().filter(|f| !touched.contains(f)));
    }
    if !more.is_empty() {
        holders.extend(holders_of(sources, &more));
    }
    let mut new_pairs: Vec<(ParagraphId, ParagraphId)> = Vec::new();
    for &fingerprint in touched.iter().chain(&more) {
        if boilerplate.contains(&fingerprint) {
            continue;
        }
        let linked_now = pairs_holding(held(&holders, fingerprint));
        if let Some(before) = before_of.get(&fingerprint) {
            // A fingerprint held by many paragraphs links each to the
            // first only: a changed paragraph may change which is first,
            // and so the pairs of clean ones.
            let between_clean = |pairs: &[(ParagraphId, ParagraphId)]| -> Vec<_> {
                pairs.iter().copied().filter(clean_pair).collect()
            };
            if between_clean(&linked_now) != between_clean(&pairs_holding(before)) {
                return None;
            }
        }
        new_pairs.extend(linked_now.into_iter().filter(|pair| !clean_pair(pair)));
    }
    new_pairs.par_sort_unstable();
    new_pairs.dedup();

    // Pairs of clean paragraphs are as before, and so are their matches:
    // the same texts, judged against the same boilerplate.
    let new_matches = compare(sources, &new_pairs, &boilerplate, memo, false);
    let pairs = merge_by(
        previous.pairs.iter().copied().filter(clean_pair),
        new_pairs,
        |&pair| pair,
    );
    let matches = merge_by(
        (previous.matches.iter().copied()).filter(|m| clean_pair(&(m.a, m.b))),
        new_matches,
        |m| (m.a, m.b),
    );
    Some(conclude(
        sources,
        &boilerplate,
        (pairs, matches),
        fingerprints,
    ))
}

/// Bits of the sieve [`holders_of`] looks fingerprints up in first.
const SIEVE_BITS: u32 = 16;

/// The paragraphs holding each fingerprint of `wanted` now, in order.
fn holders_of(
    sources: &[PassageSource<'_>],
    wanted: &FnvHashSet<u64>,
) -> FnvHashMap<u64, Vec<ParagraphId>> {
    // Every fingerprint of the dossier is looked up: a bit per low part of
    // the wanted ones, in a table that stays in cache, turns nearly all
    // away before the set is asked.
    let bit = |fingerprint: u64| (fingerprint & ((1 << SIEVE_BITS) - 1)) as usize;
    let mut sieve = vec![0u64; (1 << SIEVE_BITS) / 64];
    for &fingerprint in wanted {
        sieve[bit(fingerprint) / 64] |= 1 << (bit(fingerprint) % 64);
    }
    let sieve = &sieve;
    let entries: Vec<(u64, ParagraphId)> = (sources.par_iter().enumerate())
        .flat_map_iter(|(s, source)| {
            (0u32..).zip(source.prints).flat_map(move |(p, print)| {
                (print.fingerprints.iter())
                    .filter(move |&&f| {
                        sieve[bit(f) / 64] & (1 << (bit(f) % 64)) != 0 && wanted.contains(&f)
                    })
                    .map(move |&f| (f, (s as u32, p)))
            })
        })
        .collect();
    // In paragraph order already: each fingerprint's list comes out sorted.
    let mut holders: FnvHashMap<u64, Vec<ParagraphId>> = FnvHashMap::default();
    for (fingerprint, id) in entries {
        holders.entry(fingerprint).or_default().push(id);
    }
    debug_assert!(holders.values().all(|list| list.is_sorted()));
    holders
}

/// The paragraphs `holders` lists for `fingerprint`: none if it has none.
fn held(holders: &FnvHashMap<u64, Vec<ParagraphId>>, fingerprint: u64) -> &[ParagraphId] {
    holders.get(&fingerprint).map_or(&[], Vec::as_slice)
}

/// The paragraphs of `entries` (sorted) holding `fingerprint`.
fn entries_of(
    entries: &[(u64, ParagraphId)],
    fingerprint: u64,
) -> impl Iterator<Item = ParagraphId> + '_ {
    let start = entries.partition_point(|&(f, _)| f < fingerprint);
    entries[start..]
        .iter()
        .take_while(move |&&(f, _)| f == fingerprint)
        .map(|&(_, id)| id)
}

/// Two lists sorted by `key`, with no key in both, as one sorted list:
/// items of one key stay together and in their order.
fn merge_by<T, K: Ord>(old: impl Iterator<Item = T>, new: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut merged = Vec::new();
    let mut new = new.into_iter().peekable();
    for item in old {
        while let Some(next) = new.next_if(|next| key(next) < key(&item)) {
            merged.push(next);
        }
        merged.push(item);
    }
    merged.extend(new);
    merged
}

#[cfg(test)]
mod tests {
    use super::super::find_all;
    use super::*;
    use crate::analysis::shingles::paragraph_print;

    /// A dossier as the search reads it: each source's outlet and
    /// paragraphs.
    #[derive(Clone)]
    struct Dossier(Vec<(Option<&'static str>, Vec<String>)>);

    impl Dossier {
        fn prints(&self) -> Vec<Vec<ParagraphPrint>> {
            (self.0.iter())
                .map(|(_, texts)| texts.iter().map(|t| paragraph_print(t)).collect())
                .collect()
        }

        fn keys(&self) -> Vec<Key> {
            (self.0.iter())
                .map(|(outlet, texts)| {
                    let mut parts: Vec<&[u8]> = vec![outlet.unwrap_or("").as_bytes()];
                    parts.extend(texts.iter().map(|t| t.as_bytes()));
                    Key::combine(&parts)
                })
                .collect()
        }

        fn inputs<'a>(&'a self, prints: &'a [Vec<ParagraphPrint>]) -> Vec<PassageSource<'a>> {
            (self.0.iter().zip(prints).enumerate())
                .map(|(rank, ((outlet, texts), prints))| PassageSource {
                    outlet: *outlet,
                    rank,
                    texts: texts.iter().map(String::as_str).collect(),
                    prints,
                })
                .collect()
        }

        fn search(&self) -> (Passages, PassageState) {
            let prints = self.prints();
            let (passages, mut state) = find_all(&self.inputs(&prints), &AlignmentMemo::disabled());
            state.sources = self.keys();
            (passages, state)
        }

        /// What updating `before`'s search to this dossier gives, if it can.
        fn update_from(&self, before: &Dossier) -> Option<(Passages, PassageState)> {
            let (_, previous) = before.search();
            let (prints, last) = (self.prints(), before.prints());
            let inputs = self.inputs(&prints);
            let last_prints = |s: usize| last.get(s).cloned();
            let memo = AlignmentMemo::disabled();
            let (passages, mut state) =
                update(&inputs, &self.keys(), &previous, last_prints, &memo)?;
            state.sources = self.keys();
            Some((passages, state))
        }
    }

    /// A sentence of its own for each `n`: words no other sentence has.
    fn sentence(n: usize) -> String {
        (0..14)
            .map(|i| format!("w{n}x{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    const WIRE: &str = "The envoy said the convoy of grain had crossed the northern \
        border at dawn and would reach the port before the talks resumed on Friday";
    const FOOTER: &str = "Follow the Daily Meridian for more news from the region every day";

    /// Thirty sources: six carry the same wire paragraph (no more than two
    /// of one outlet), one outlet's carry its footer, the rest say their
    /// own things.
    fn dossier() -> Dossier {
        Dossier(
            (0..30)
                .map(|s| {
                    let outlet = [Some("Daily Meridian"), Some("Harbour Times"), None][s % 3];
                    let mut texts = vec![sentence(s * 3), sentence(s * 3 + 1)];
                    if s % 5 == 0 {
                        texts.push(WIRE.to_owned());
                    }
                    if outlet == Some("Daily Meridian") {
                        texts.push(FOOTER.to_owned());
                    }
                    (outlet, texts)
                })
                .collect(),
        )
    }

    /// A change to a dossier.
    type Edit = Box<dyn Fn(&mut Dossier)>;

    fn assert_same(updated: (Passages, PassageState), searched: (Passages, PassageState)) {
        let ((a, a_state), (b, b_state)) = (updated, searched);
        assert_eq!(a.passages, b.passages);
        assert_eq!(a.by_paragraph, b.by_paragraph);
        assert_eq!(a.boilerplate, b.boilerplate);
        assert_eq!(a.stats, b.stats);
        assert_eq!(a_state, b_state);
    }

    #[test]
    fn an_update_gives_what_a_whole_search_gives() {
        let base = dossier();
        let edits: Vec<(&str, Edit)> = vec![
            ("nothing", Box::new(|_| {})),
            ("a word", Box::new(|d| d.0[5].1[0].push_str(" again"))),
            (
                "a wire paragraph reworded",
                Box::new(|d| {
                    d.0[10].1[2] = WIRE.replace("northern", "southern");
                }),
            ),
            (
                "the wire taken out",
                Box::new(|d| {
                    d.0[5].1.remove(2);
                }),
            ),
            (
                "the wire put in",
                Box::new(|d| d.0[8].1.push(WIRE.to_owned())),
            ),
            (
                "a paragraph shared anew",
                Box::new(|d| {
                    let shared = d.0[10].1[0].clone();
                    d.0[11].1.insert(0, shared);
                }),
            ),
            (
                "an outlet changed",
                Box::new(|d| d.0[14].0 = Some("Capital Courier")),
            ),
            (
                "two sources",
                Box::new(|d| {
                    d.0[2].1[1].push_str(" today");
                    d.0[23].1.push(WIRE.to_owned());
                }),
            ),
        ];
        let mut updated = 0;
        for (name, edit) in &edits {
            let mut after = base.clone();
            edit(&mut after);
            if let Some(result) = after.update_from(&base) {
                updated += 1;
                assert!(!result.0.passages.is_empty(), "{name}");
                assert_same(result, after.search());
            } else {
                eprintln!("searched again: {name}");
            }
        }
        // Most of these edits stay within the changed sources.
        assert!(updated >= 6, "only {updated} of {} updated", edits.len());
    }

    #[test]
    fn a_line_turning_boilerplate_or_back_updates_what_other_sources_share() {
        let base = dossier();
        // A line carried by two sources of one outlet is a passage they
        // share; in a third source of the outlet it becomes the outlet's
        // boilerplate, and no longer a passage of the first two.
        let line = "Subscribe to the Harbour Times newsletter for the latest on the port";
        let mut two = base.clone();
        two.0[1].1.push(line.to_owned());
        two.0[4].1.push(line.to_owned());
        let mut three = two.clone();
        three.0[7].1.push(line.to_owned());
        let shares_line =
            |passages: &Passages| (passages.passages.iter()).any(|p| p.text.contains("newsletter"));
        assert!(shares_line(&two.search().0));
        assert!(!shares_line(&three.search().0));
        for (after, before) in [(&three, &two), (&two, &three)] {
            let updated = after.update_from(before).expect("an update");
            assert_same(updated, after.search());
        }
    }

    #[test]
    fn added_or_removed_sources_are_searched_again() {
        let base = dossier();
        let mut fewer = base.clone();
        fewer.0.pop();
        assert!(fewer.update_from(&base).is_none());
        assert!(base.update_from(&fewer).is_none());
    }
}
