//! Pagination: long lists split over numbered pages, so that no page of a
//! large dossier grows without bound. The first page keeps the plain path
//! (`entities/peskov.html`); later pages sit beside it
//! (`entities/peskov-page-2.html`), so relative links work the same on every
//! page of a series.

use serde::Serialize;

/// Where a page stands in its series, for the theme's `pagination.html`.
/// Every `path` is relative to the site root, like all view paths.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pagination {
    /// 1-based number of this page.
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// A numbered link of a series. Only the first and last pages and those
/// near the current one are linked: a series of hundreds of pages would
/// otherwise put hundreds of links on each of them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
    /// Pages between the one linked before and this one are left out.
    pub gap_before: bool,
}

/// Pages linked on either side of the current one.
const NEAR_PAGES: usize = 2;

/// The path of page `number` (1-based) of the series starting at `first`.
pub fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_owned();
    }
    match first.strip_suffix(".html") {
        Some(stem) => format!("{stem}-page-{number}.html"),
        None => format!("{first}-page-{number}"),
    }
}

/// How many pages `items` things take at `per_page` a page: at least one,
/// so an empty list still has its page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The range of items on page `number` (1-based).
pub fn page_range(items: usize, per_page: usize, number: usize) -> std::ops::Range<usize> {
    let per_page = per_page.max(1);
    let start = ((number - 1) * per_page).min(items);
    start..(start + per_page).min(items)
}

impl Pagination {
    /// Page `current` of `total` in the series starting at `first`.
    pub fn new(first: &str, current: usize, total: usize) -> Self {
        // A gap of one page would hide no more than a link: the page is
        // linked instead.
        let reach = |n: usize| match n == 2 || n + 1 == total {
            true => NEAR_PAGES + 1,
            false => NEAR_PAGES,
        };
        Pagination {
            current,
            total,
            previous: (current > 1).then(|| page_path(first, current - 1)),
            next: (current < total).then(|| page_path(first, current + 1)),
            pages: (1..=total)
                .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= reach(n))
                .scan(0, |linked_before, number| {
                    let gap_before = *linked_before != 0 && number > *linked_before + 1;
                    *linked_before = number;
                    Some(PageLink {
                        number,
                        path: page_path(first, number),
                        current: number == current,
                        gap_before,
                    })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_sit_beside_the_first() {
        assert_eq!(page_path("entities/peskov.html", 1), "entities/peskov.html");
        assert_eq!(
            page_path("entities/peskov.html", 3),
            "entities/peskov-page-3.html"
        );
        assert_eq!(page_path("sources.html", 2), "sources-page-2.html");
    }

    #[test]
    fn pages_cover_every_item_once() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_range(51, 50, 1), 0..50);
        assert_eq!(page_range(51, 50, 2), 50..51);
        assert_eq!(page_range(0, 50, 1), 0..0);
    }

    #[test]
    fn links_lead_to_the_neighbours() {
        let middle = Pagination::new("sources.html", 2, 3);
        assert_eq!(middle.previous.as_deref(), Some("sources.html"));
        assert_eq!(middle.next.as_deref(), Some("sources-page-3.html"));
        assert_eq!(middle.pages.iter().filter(|p| p.current).count(), 1);
        let only = Pagination::new("sources.html", 1, 1);
        assert!(only.previous.is_none() && only.next.is_none());
    }

    #[test]
    fn a_long_series_links_its_ends_and_the_pages_near_the_current_one() {
        let numbers = |current| {
            let pagination = Pagination::new("sources.html", current, 200);
            (pagination.pages.iter())
                .map(|p| match p.gap_before {
                    true => format!("… {}", p.number),
                    false => p.number.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(numbers(1), "1 2 3 … 200");
        assert_eq!(numbers(4), "1 2 3 4 5 6 … 200");
        assert_eq!(numbers(5), "1 2 3 4 5 6 7 … 200");
        assert_eq!(numbers(6), "1 … 4 5 6 7 8 … 200");
        assert_eq!(numbers(196), "1 … 194 195 196 197 198 199 200");
        assert_eq!(numbers(100), "1 … 98 99 100 101 102 … 200");
        assert_eq!(numbers(200), "1 … 198 199 200");
        let short = Pagination::new("sources.html", 2, 5);
        assert!(short.pages.iter().all(|p| !p.gap_before));
        assert_eq!(short.pages.len(), 5);
    }
}
