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

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
}

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
        Pagination {
            current,
            total,
            previous: (current > 1).then(|| page_path(first, current - 1)),
            next: (current < total).then(|| page_path(first, current + 1)),
            pages: (1..=total)
                .map(|number| PageLink {
                    number,
                    path: page_path(first, number),
                    current: number == current,
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
}
