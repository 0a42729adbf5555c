//! What a static host needs besides the pages: the `CNAME` file of a custom
//! domain, and a 404 page that works at any depth.
//!
//! A host serves `404.html` in place of any missing page, so the browser
//! resolves its links against the missing address (`/repo/a/b/c`), not
//! against the site's top folder, and relative links break there. With
//! `base_url` the 404 page's links and assets are absolute URLs built from
//! it; with only a custom domain the site sits at the domain's root, so they
//! start with `/`. With neither, no page without script can know where the
//! site lives (a `<base>` element would need the very prefix that is
//! missing): the links lead from the top folder, which is right for a
//! missing page there and on file://, and the build warns.

use crate::error::Result;
use crate::site::Site;

use super::{Empty, Page, Renderer};
use crate::cache::Memoized;

/// `CNAME` for GitHub Pages when `[dossier] cname` is set.
pub fn custom_domain(site: &Site) -> Option<Page> {
    let cname = site.config.dossier.cname.as_ref()?;
    Some(Page {
        path: "CNAME".to_owned(),
        bytes: format!("{cname}\n").into_bytes(),
    })
}

/// Where the 404 page's links start: the absolute base URL, `/` on a custom
/// domain, or the top folder (relative links) when neither is known.
pub fn not_found_root(site: &Site) -> String {
    site.config
        .base_url()
        .or_else(|| site.config.dossier.cname.as_ref().map(|_| "/".to_owned()))
        .unwrap_or_default()
}

impl Renderer<'_> {
    /// `404.html`, with `root` set so its links work from any depth.
    pub(super) fn not_found(&self, site: &Site) -> Result<Memoized> {
        let path = "404.html";
        self.page(path, path, &not_found_root(site), "", &Empty {})
    }
}
