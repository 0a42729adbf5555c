//! `dossier serve`: builds the site, serves it on 127.0.0.1, rebuilds it when
//! a source, the catalogue, `book.toml` or a template changes, and reloads
//! the pages open in the browser.
//!
//! Pages are served from the output folder, which every build replaces
//! atomically, so a request never sees half a site. A failed build keeps the
//! last good site and shows the error in the terminal and, through the
//! script injected into served HTML pages, as an overlay in the page; the
//! next good build clears it. The script long-polls an endpoint of this
//! server (`__dossier/wait`) and is never part of `dossier build`'s output.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use notify_debouncer_full::notify::{RecursiveMode, Watcher};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, FileIdCache};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::cache::CACHE_DIR;
use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Result};
use crate::output::MARKER_FILE;
use crate::{build, BuildOptions, Report};

/// Path of the reload endpoint under the site's base path.
const WAIT_ENDPOINT: &str = "__dossier/wait";
/// How long a reload request is held open when nothing changes.
const WAIT_TIMEOUT: Duration = Duration::from_secs(25);
/// Quiet time after the last change before rebuilding, so that an editor's
/// save (temporary file, rename, write) triggers one build.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// What `dossier serve` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    pub build: BuildOptions,
    pub verbose: bool,
    pub quiet: bool,
}

/// The outcome of the latest build, shared with the request handlers.
struct State {
    /// Counts finished builds, good or bad: a page reloads when it changes.
    generation: u64,
    /// The latest build's error, shown over the last good site.
    error: Option<String>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// Held while a build runs, so Ctrl-C never stops one halfway.
    building: Mutex<()>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn snapshot(&self) -> (u64, Option<String>) {
        let state = self.lock();
        (state.generation, state.error.clone())
    }
}

/// Builds, serves and watches the dossier at `root` until Ctrl-C.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    // A bad --base-url is a usage error now, not a site never served.
    let config = crate::load_config(root, &options.build)?;
    let output = options
        .build
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.build.output));
    let base_url = config.base_url();
    let base_path = base_path(base_url.as_deref());
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            generation: 0,
            error: None,
        }),
        changed: Condvar::new(),
        building: Mutex::new(()),
    });
    // Every build goes to the folder served, even if `book.toml` names
    // another meanwhile: the new one is used from the next start.
    let mut pinned = options.clone();
    pinned.build.output = Some(output.clone());
    let builder = Builder {
        root: root.to_owned(),
        options: pinned,
        shared: Arc::clone(&shared),
    };
    // The port first: a port in use is said at once, not after a build
    // that may take seconds.
    let server = Server::http(("127.0.0.1", options.port)).map_err(|error| {
        Error::Usage(format!(
            "cannot listen on 127.0.0.1:{}: {error}",
            options.port
        ))
    })?;
    builder.rebuild();
    let port = server
        .server_addr()
        .to_ip()
        .map_or(options.port, |address| address.port());
    let url = format!("http://127.0.0.1:{port}{base_path}");
    let _watcher = watch(root, &config, &output, builder)?;
    // Caught from before the address is announced: a Ctrl-C as soon as it
    // is must stop the server as cleanly as any later one.
    let interrupted = CtrlC::catch()?;
    crate::outln!("Serving {} at {url} (Ctrl-C to stop)", config.dossier.title);
    let site = Arc::new(SiteFiles {
        output,
        base_path,
        base_url: base_url.map(|url| format!("{}/", url.trim_end_matches('/'))),
    });
    std::thread::spawn({
        let shared = Arc::clone(&shared);
        move || {
            for request in server.incoming_requests() {
                let (site, shared) = (Arc::clone(&site), Arc::clone(&shared));
                std::thread::spawn(move || respond(&site, &shared, request));
            }
        }
    });
    if options.open {
        open_browser(&url);
    }
    interrupted.wait();
    let _idle = shared.building.lock();
    crate::outln!("Stopped.");
    Ok(())
}

/// Runs builds for the server and records their outcome.
#[derive(Clone)]
struct Builder {
    root: PathBuf,
    options: ServeOptions,
    shared: Arc<Shared>,
}

impl Builder {
    fn rebuild(&self) {
        let _building = self
            .shared
            .building
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let outcome = build(&self.root, &self.options.build);
        let error = match &outcome {
            Ok(report) => {
                self.print_report(report);
                None
            }
            Err(error) => {
                let text = error_text(error);
                crate::errln!("{text}");
                let output = self.options.build.output.as_deref();
                match output.is_some_and(|output| output.join(MARKER_FILE).is_file()) {
                    true => crate::errln!("Serving the last good site until this is fixed."),
                    false => crate::errln!("No site to serve until this is fixed."),
                }
                Some(text)
            }
        };
        let mut state = self.shared.lock();
        state.generation += 1;
        state.error = error;
        self.shared.changed.notify_all();
    }

    fn print_report(&self, report: &Report) {
        for warning in &report.warnings {
            crate::err!("{warning}");
        }
        if self.options.verbose {
            for (stage, time) in &report.stages {
                crate::errln!("  {stage:<8} {:>8.1} ms", time.as_secs_f64() * 1000.0);
            }
        }
        if !self.options.quiet {
            crate::outln!(
                "Built {} files ({} changed) in {:.2} s",
                report.pages_written,
                report.pages_changed,
                report.elapsed.as_secs_f64()
            );
        }
    }
}

/// An error as the terminal shows it: each diagnostic, then the message and
/// its causes.
fn error_text(error: &Error) -> String {
    let mut text = String::new();
    if let Error::Content(diagnostics) = error {
        for diagnostic in diagnostics {
            text.push_str(&diagnostic.to_string());
        }
    }
    text.push_str(&format!("error: {error}"));
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(&format!("\ncaused by: {inner}"));
        cause = inner.source();
    }
    text
}

/// Watches what the site is built from and rebuilds on change. The returned
/// watcher must be kept alive.
fn watch(root: &Path, config: &Config, output: &Path, builder: Builder) -> Result<impl Drop> {
    let (sender, receiver) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender)
        .map_err(|error| Error::with_cause("cannot watch the dossier's files", error))?;
    // The root itself is watched flat, for book.toml and for folders that
    // appear later; the folders a build reads are watched deeply.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|error| Error::with_cause(format!("cannot watch {}", root.display()), error))?;
    let mut folders = WatchedFolders {
        root: root.to_owned(),
        folders: [
            root.join(&config.build.content),
            root.join("themes"),
            root.join("templates"),
            root.join("static"),
        ]
        .into_iter()
        .map(|folder| (folder, false))
        .collect(),
    };
    folders.follow(&mut debouncer)?;
    let debouncer = Arc::new(Mutex::new(debouncer));
    let ignored = Ignored {
        root: root.canonicalize().unwrap_or_else(|_| absolute(root)),
        output: absolute(output),
        cache: absolute(&root.join(CACHE_DIR)),
    };
    let watcher = Arc::clone(&debouncer);
    std::thread::spawn(move || {
        for events in receiver {
            let Ok(events) = events else { continue };
            // A build reads every file it watches: opening and reading are
            // not changes.
            let relevant: BTreeSet<&Path> = events
                .iter()
                .filter(|event| !event.kind.is_access())
                .flat_map(|event| event.paths.iter().map(PathBuf::as_path))
                .filter(|path| !ignored.covers(path))
                .collect();
            if !relevant.is_empty() {
                // A folder made (or made again) since is watched before the
                // build reads it, so no later edit in it goes unseen.
                let mut watcher = watcher.lock().unwrap_or_else(PoisonError::into_inner);
                if let Err(error) = folders.follow(&mut watcher) {
                    crate::errln!("{}", error_text(&error));
                }
                drop(watcher);
                builder.rebuild();
            }
        }
    });
    Ok(debouncer)
}

/// The folders a build reads, each watched deeply while it exists.
struct WatchedFolders {
    root: PathBuf,
    /// Each folder and whether it is watched.
    folders: Vec<(PathBuf, bool)>,
}

impl WatchedFolders {
    /// Watches the folders that exist and are not watched yet, and forgets
    /// those that are gone (their watches went with them), so that one
    /// removed and made again is watched again. A content folder newly
    /// named in `book.toml` is watched too.
    fn follow<W: Watcher, C: FileIdCache>(
        &mut self,
        debouncer: &mut Debouncer<W, C>,
    ) -> Result<()> {
        if let Ok(config) = Config::load(&self.root) {
            let content = self.root.join(&config.build.content);
            if !self.folders.iter().any(|(folder, _)| *folder == content) {
                self.folders.push((content, false));
            }
        }
        for (folder, watched) in &mut self.folders {
            match (folder.is_dir(), *watched) {
                (true, false) => {
                    debouncer
                        .watch(&*folder, RecursiveMode::Recursive)
                        .map_err(|error| {
                            Error::with_cause(format!("cannot watch {}", folder.display()), error)
                        })?;
                    *watched = true;
                }
                (false, true) => {
                    let _ = debouncer.unwatch(&*folder);
                    *watched = false;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Changes that never trigger a build: the build's own output and cache,
/// editors' temporary and backup files, and files beside `book.toml` that a
/// build does not read (`dossier serve > serve.log` would rebuild forever).
struct Ignored {
    root: PathBuf,
    output: PathBuf,
    cache: PathBuf,
}

impl Ignored {
    fn covers(&self, path: &Path) -> bool {
        let path = absolute(path);
        if path.starts_with(&self.output) || path.starts_with(&self.cache) {
            return true;
        }
        // In the root a build reads book.toml and folders; a folder removed
        // is gone, so what is no longer there counts too.
        let in_root = (path.parent()).is_some_and(|parent| {
            parent
                .canonicalize()
                .is_ok_and(|parent| parent == self.root)
        });
        if in_root && path.file_name() != Some(CONFIG_FILE.as_ref()) && path.is_file() {
            return true;
        }
        let parent_name = self
            .output
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // Staging and old copies of the output sit beside it.
        let beside_output = name.starts_with(&format!(".{parent_name}."));
        beside_output || is_editor_temporary(&name)
    }
}

/// Files editors write while saving: swap files, backups, atomic-save
/// temporaries. The rename that completes a save touches the real file.
fn is_editor_temporary(name: &str) -> bool {
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || (name.starts_with('.') && name.contains(".sw"))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}

/// The path part of the base URL, with a slash at each end: `/repo/`.
fn base_path(base_url: Option<&str>) -> String {
    let Some(url) = base_url else {
        return "/".to_owned();
    };
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// The built site as the server sees it.
struct SiteFiles {
    output: PathBuf,
    base_path: String,
    /// The published site's address, ending in `/`, when it is known.
    base_url: Option<String>,
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file under the output folder (relative path, checked).
    File(PathBuf),
    /// The reload endpoint, with the generation the page has seen.
    Wait(Option<u64>),
    /// The bare root when the site lives under a sub-path.
    RedirectToBase,
    NotFound,
}

impl SiteFiles {
    fn target(&self, url: &str) -> Target {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let Some(inside) = path.strip_prefix(&self.base_path) else {
            let bare = path.trim_end_matches('/');
            return if bare.is_empty() || format!("{bare}/") == self.base_path {
                Target::RedirectToBase
            } else {
                Target::NotFound
            };
        };
        if inside == WAIT_ENDPOINT {
            let since = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("since="))
                .and_then(|n| n.parse().ok());
            return Target::Wait(since);
        }
        let Some(decoded) = percent_decode(inside) else {
            return Target::NotFound;
        };
        let mut relative = PathBuf::new();
        for part in decoded.split('/').filter(|part| !part.is_empty()) {
            let component = Path::new(part).components().next();
            let normal = matches!(component, Some(Component::Normal(_)))
                && Path::new(part).components().count() == 1
                && !part.contains('\\');
            if !normal {
                return Target::NotFound;
            }
            relative.push(part);
        }
        if decoded.is_empty() || decoded.ends_with('/') {
            relative.push("index.html");
        }
        Target::File(relative)
    }

    /// The file on disk for a checked relative path, if it is a file inside
    /// the output folder (symbolic links cannot lead out of it).
    fn file(&self, relative: &Path) -> Option<PathBuf> {
        let mut path = self.output.join(relative);
        if path.is_dir() {
            path.push("index.html");
        }
        let real = path.canonicalize().ok()?;
        let output = self.output.canonicalize().ok()?;
        (real.starts_with(&output) && real.is_file()).then_some(real)
    }
}

/// Decodes `%XX` escapes; `None` for malformed escapes or non-UTF-8 bytes.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn respond(site: &SiteFiles, shared: &Shared, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text_response(405, "method not allowed"));
        return;
    }
    let _ = match site.target(request.url()) {
        Target::Wait(since) => request.respond(wait(shared, since)),
        Target::RedirectToBase => {
            let response = Response::empty(302).with_header(header("Location", &site.base_path));
            request.respond(response)
        }
        Target::File(relative) => match site.file(&relative) {
            Some(path) => request.respond(file_response(site, shared, &path, 200)),
            None => request.respond(not_found(site, shared)),
        },
        Target::NotFound => request.respond(not_found(site, shared)),
    };
}

/// Holds the request until a build finishes after generation `since`.
fn wait(shared: &Shared, since: Option<u64>) -> Response<std::io::Cursor<Vec<u8>>> {
    let state = shared.lock();
    let state = match since {
        Some(seen) => {
            shared
                .changed
                .wait_timeout_while(state, WAIT_TIMEOUT, |state| state.generation == seen)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0
        }
        None => state,
    };
    let body = serde_json::json!({
        "generation": state.generation,
        "error": state.error,
    });
    Response::from_data(body.to_string())
        .with_header(header("Content-Type", "application/json"))
        .with_header(header("Cache-Control", "no-store"))
}

/// The theme's 404 page, served at the missing page's address (as after a
/// reload of a page whose source was deleted).
fn not_found(site: &SiteFiles, shared: &Shared) -> Response<std::io::Cursor<Vec<u8>>> {
    match site.file(Path::new("404.html")) {
        Some(path) => file_response(site, shared, &path, 404),
        // No site yet (the first build failed): a page that shows the
        // error and reloads once a build succeeds.
        None => Response::from_data(inject_reload_script(
            NO_SITE_PAGE.as_bytes(),
            &site.base_path,
            shared,
        ))
        .with_status_code(404)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store")),
    }
}

fn file_response(
    site: &SiteFiles,
    shared: &Shared,
    path: &Path,
    status: u16,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut bytes));
    if read.is_err() {
        return text_response(404, "404: no such page");
    }
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        if status == 404 {
            bytes = links_from_here(&bytes, site);
        }
        bytes = inject_reload_script(&bytes, &site.base_path, shared);
    }
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(text)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// What is served for a missing page when the site has no 404 page of its
/// own, as before the first good build.
const NO_SITE_PAGE: &str =
    "<!DOCTYPE html>\n<html lang=\"en\" data-no-site>\n<head>\n<meta charset=\"utf-8\">\n\
    <title>Not found</title>\n</head>\n<body>\n<p>There is no page at this address yet. \
    This page reloads when the next build succeeds.</p>\n</body>\n</html>\n";

/// The reload script, added before `</body>` of served pages only.
const RELOAD_SCRIPT: &str = r#"<script id="dossier-reload">
(function () {
  var endpoint = "__ENDPOINT__";
  var seen = __GENERATION__;
  function overlay(text) {
    var box = document.getElementById("dossier-error");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;background:rgba(20,20,20,.92);color:#fff;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("h2");
      title.textContent = document.documentElement.hasAttribute("data-no-site")
        ? "The build failed: no build has succeeded yet"
        : "The build failed: the last good site is shown underneath";
      title.style.cssText = "color:#ff8a80;font:600 1.1rem system-ui,sans-serif;margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.lastChild.textContent = text;
  }
  function poll() {
    fetch(endpoint + "?since=" + seen, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.generation !== seen) {
          if (!state.error) { location.reload(); return; }
          seen = state.generation;
        }
        overlay(state.error);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  overlay(__ERROR__);
  poll();
})();
</script>
"#;

/// The 404 page with links that work at any depth on this server. Built
/// without `base_url`, its links lead from the site's top folder: a `<base>`
/// element says where that is. Built with it, they are absolute addresses
/// of the published site, made to lead here instead.
fn links_from_here(html: &[u8], site: &SiteFiles) -> Vec<u8> {
    match &site.base_url {
        Some(url) => String::from_utf8_lossy(html)
            .replace(&format!("=\"{url}"), &format!("=\"{}", site.base_path))
            .into_bytes(),
        None => with_base(html, &site.base_path),
    }
}

/// `html` with a `<base>` element at the start of its head, so that its
/// relative links resolve from `base_path`. A page that has one already, or
/// no head, is left as it is.
fn with_base(html: &[u8], base_path: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let lower = text.to_ascii_lowercase();
    let head_end = lower
        .match_indices("<head")
        .map(|(at, _)| at)
        .find(|&at| {
            matches!(
                lower.as_bytes().get(at + 5),
                Some(b'>' | b' ' | b'\t' | b'\n')
            )
        })
        .and_then(|at| lower[at..].find('>').map(|end| at + end + 1));
    match head_end {
        Some(at) if !lower.contains("<base") => {
            let href = crate::render::escape::escape_html(base_path);
            format!("{}<base href=\"{href}\">{}", &text[..at], &text[at..]).into_bytes()
        }
        _ => html.to_vec(),
    }
}

fn inject_reload_script(html: &[u8], base_path: &str, shared: &Shared) -> Vec<u8> {
    let (generation, error) = shared.snapshot();
    // JSON is valid JavaScript; `<` is escaped so no text can close the
    // script element.
    let error_json = serde_json::to_string(&error)
        .unwrap_or_else(|_| "null".to_owned())
        .replace('<', "\\u003c");
    let endpoint = serde_json::to_string(&format!("{base_path}{WAIT_ENDPOINT}"))
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let script = RELOAD_SCRIPT
        .replace("\"__ENDPOINT__\"", &endpoint)
        .replace("__GENERATION__", &generation.to_string())
        .replace("__ERROR__", &error_json);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(command.0)
        .args(command.1)
        .spawn()
        .is_err()
    {
        crate::errln!("could not open a browser: visit {url}");
    }
}

/// Ctrl-C, caught rather than ending the process.
struct CtrlC {
    pressed: Arc<AtomicBool>,
    receiver: mpsc::Receiver<()>,
}

impl CtrlC {
    fn catch() -> Result<CtrlC> {
        let pressed = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = mpsc::channel();
        let flag = Arc::clone(&pressed);
        ctrlc::set_handler(move || {
            flag.store(true, Ordering::SeqCst);
            let _ = sender.send(());
        })
        .map_err(|error| Error::with_cause("cannot handle Ctrl-C", error))?;
        Ok(CtrlC { pressed, receiver })
    }

    /// Returns once Ctrl-C has been pressed.
    fn wait(self) {
        while !self.pressed.load(Ordering::SeqCst) {
            let _ = self.receiver.recv();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(base: &str) -> SiteFiles {
        SiteFiles {
            output: PathBuf::from("public"),
            base_path: base.to_owned(),
            base_url: None,
        }
    }

    #[test]
    fn the_base_path_comes_from_the_base_url() {
        assert_eq!(base_path(None), "/");
        assert_eq!(base_path(Some("https://example.org")), "/");
        assert_eq!(base_path(Some("https://user.github.io/repo")), "/repo/");
        assert_eq!(base_path(Some("https://user.github.io/a/b/")), "/a/b/");
    }

    #[test]
    fn requests_map_to_files_inside_the_output() {
        let site = site("/");
        assert_eq!(site.target("/"), Target::File("index.html".into()));
        assert_eq!(
            site.target("/sources/a%20b.html?x=1"),
            Target::File("sources/a b.html".into())
        );
        assert_eq!(
            site.target("/__dossier/wait?since=3"),
            Target::Wait(Some(3))
        );
    }

    #[test]
    fn paths_leaving_the_output_are_refused() {
        let site = site("/");
        for url in [
            "/../secret",
            "/%2e%2e/secret",
            "/a/%2E%2E/%2E%2E/x",
            "/a%2f..%2f..%2fx",
            "/..%5cx",
            "/%zz",
        ] {
            assert_eq!(site.target(url), Target::NotFound, "{url}");
        }
    }

    #[test]
    fn a_sub_path_site_is_served_under_its_path() {
        let site = site("/repo/");
        assert_eq!(site.target("/repo/"), Target::File("index.html".into()));
        assert_eq!(site.target("/"), Target::RedirectToBase);
        assert_eq!(site.target("/repo"), Target::RedirectToBase);
        assert_eq!(site.target("/other/index.html"), Target::NotFound);
    }

    #[test]
    fn a_base_goes_first_in_the_head_of_a_page_without_one() {
        let page =
            b"<!doctype html><html><head><link href=\"static/a.css\"></head><body></body></html>";
        let based = String::from_utf8(with_base(page, "/repo/")).unwrap();
        assert!(
            based.contains("<head><base href=\"/repo/\"><link"),
            "{based}"
        );
        let header = b"<html><header>x</header><head lang=\"en\"></head></html>";
        let based = String::from_utf8(with_base(header, "/")).unwrap();
        assert!(
            based.contains("<head lang=\"en\"><base href=\"/\">"),
            "{based}"
        );
        let already = b"<html><head><base href=\"/x/\"></head></html>";
        assert_eq!(with_base(already, "/"), already.to_vec());
        assert_eq!(
            with_base(b"<p>no head</p>", "/"),
            b"<p>no head</p>".to_vec()
        );
    }

    #[test]
    fn the_reload_script_cannot_be_closed_by_an_error_text() {
        let shared = Shared {
            state: Mutex::new(State {
                generation: 4,
                error: Some("</script><script>alert(1)</script>".to_owned()),
            }),
            changed: Condvar::new(),
            building: Mutex::new(()),
        };
        let html = inject_reload_script(b"<html><body><p>x</p></body></html>", "/", &shared);
        let html = String::from_utf8(html).unwrap();
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        assert!(html.contains("var seen = 4;"));
        assert!(html.ends_with("</script>\n</body></html>"));
    }

    #[test]
    fn files_beside_book_toml_that_no_build_reads_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for file in ["book.toml", "serve.log", "content/a.md"] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "").unwrap();
        }
        let ignored = Ignored {
            root: root.clone(),
            output: root.join("public"),
            cache: root.join(CACHE_DIR),
        };
        assert!(ignored.covers(&root.join("serve.log")));
        for read in ["book.toml", "content", "content/a.md", "templates"] {
            assert!(!ignored.covers(&root.join(read)), "{read}");
        }
    }

    #[test]
    fn editors_temporary_files_are_ignored() {
        for name in [
            ".index.md.swp",
            "a.md~",
            "4913",
            ".#a.md",
            "#a.md#",
            "a.md.tmp",
        ] {
            assert!(is_editor_temporary(name), "{name}");
        }
        assert!(!is_editor_temporary("a.md"));
    }
}
