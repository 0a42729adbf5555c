//! The `dossier` binary: parses arguments, runs the library, prints the
//! outcome and maps it to an exit code (0 success, 1 content or build
//! errors, 2 usage errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use dossier::cli::{Cli, Command, EntitiesCommand};
use dossier::error::{Diagnostic, Error};
use dossier::{build, find_root, init, BuildOptions, Report};

// A build allocates millions of short strings across threads; mimalloc
// serves them with far less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            print_error(&error);
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Init { dir, theme } => {
            let available = dossier::render::theme::built_in_themes();
            if !available.contains(&theme.as_str()) {
                return Err(Error::Usage(format!(
                    "unknown theme `{theme}`; built-in themes: {}",
                    available.join(", ")
                )));
            }
            init::init(&dir, &theme)?;
            dossier::outln!(
                "Created a dossier in {}. Next: cd {} && dossier build",
                dir.display(),
                dir.display()
            );
            Ok(())
        }
        Command::Build {
            output,
            base_url,
            checks,
        } => {
            let root = resolve_root(cli.root)?;
            let options = BuildOptions {
                output,
                base_url,
                check_only: false,
                strict: checks.strict,
                lossy: checks.lossy,
                keep_going: checks.keep_going,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
            };
            let report = build(&root, &options)?;
            print_warnings(&report.warnings);
            if cli.verbose {
                print_stages(&report);
            }
            if !cli.quiet {
                print_summary(&report, false);
            }
            Ok(())
        }
        Command::Serve {
            port,
            open,
            output,
            base_url,
        } => {
            let root = resolve_root(cli.root)?;
            let options = dossier::serve::ServeOptions {
                port,
                open,
                build: BuildOptions {
                    output,
                    base_url,
                    // Each build, the first above all, shows its progress as
                    // `dossier build` does.
                    progress: !cli.quiet && std::io::stderr().is_terminal(),
                    ..BuildOptions::default()
                },
                verbose: cli.verbose,
                quiet: cli.quiet,
            };
            dossier::serve::serve(&root, &options)
        }
        Command::Check { checks } => {
            let root = resolve_root(cli.root)?;
            let options = BuildOptions {
                check_only: true,
                strict: checks.strict,
                lossy: checks.lossy,
                keep_going: checks.keep_going,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
                ..BuildOptions::default()
            };
            let report = build(&root, &options)?;
            print_warnings(&report.warnings);
            if cli.verbose {
                print_stages(&report);
            }
            if !cli.quiet {
                print_summary(&report, true);
            }
            Ok(())
        }
        Command::Entities {
            command: EntitiesCommand::Suggest { min_sources, write },
        } => {
            let root = resolve_root(cli.root)?;
            suggest_entities(&root, min_sources, write)
        }
    }
}

/// `dossier entities suggest`: names worth adding to the catalogue.
fn suggest_entities(root: &Path, min_sources: usize, write: bool) -> Result<(), Error> {
    let config = dossier::config::Config::load(root)?;
    let content = dossier::content::load(root, &config)?;
    let (matcher, _) = dossier::analysis::Matcher::new(&content.entities);
    let suggestions = dossier::suggest::suggest(&content, &matcher, min_sources);
    dossier::out!("{}", dossier::suggest::report(&suggestions));
    if write {
        let entities_dir = root.join(&config.build.content).join("entities");
        for (path, written) in dossier::suggest::write_skeletons(&entities_dir, &suggestions)? {
            let path = display_path(&path);
            match written {
                true => dossier::outln!("wrote {path}"),
                false => dossier::outln!("kept {path}: the file already exists"),
            }
        }
    }
    Ok(())
}

fn resolve_root(root: Option<PathBuf>) -> Result<PathBuf, Error> {
    if let Some(root) = root {
        if !root.is_dir() {
            return Err(Error::Usage(format!(
                "--root {}: no such folder\n  = help: pass the folder that holds the dossier's book.toml",
                root.display()
            )));
        }
        return Ok(root);
    }
    let here = std::env::current_dir().map_err(|source| Error::Io {
        path: PathBuf::from("."),
        source,
    })?;
    find_root(&here).ok_or_else(|| {
        Error::Usage(format!(
            "no book.toml in {} or any folder above it: this is not a dossier\n  = help: run `dossier init DIR` to start one, or pass --root DIR",
            here.display()
        ))
    })
}

fn print_warnings(warnings: &[Diagnostic]) {
    let styled = use_colour();
    for warning in warnings {
        dossier::err!("{}", warning.render(styled));
    }
}

/// Colour only when stderr is a terminal and NO_COLOR is not set.
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn print_stages(report: &Report) {
    if report.stages.is_empty() {
        dossier::errln!("  nothing changed since the last build");
        return;
    }
    for (stage, time) in &report.stages {
        dossier::errln!("  {stage:<8} {:>8.1} ms", time.as_secs_f64() * 1000.0);
    }
    let cache = &report.cache;
    dossier::errln!(
        "  cache: {} of {} sources parsed, {} analysed, shared passages {}, {} of {} pages rendered; {} files changed",
        cache.parsed,
        cache.parsed + cache.parse_hits,
        cache.analysed,
        match cache.passages_updated {
            true => "updated",
            false => "searched for",
        },
        cache.pages_rendered,
        cache.pages_rendered + cache.pages_reused,
        report.pages_changed
    );
}

fn print_summary(report: &Report, check_only: bool) {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let counts = format!(
        "{}, {}, {}, {}",
        plural(report.sources, "source"),
        plural(report.entities, "entity").replace("entitys", "entities"),
        plural(report.mentions, "mention"),
        plural(report.warnings.len(), "warning"),
    );
    let seconds = report.elapsed.as_secs_f64();
    if check_only {
        dossier::outln!("Checked {counts} in {seconds:.2} s: no errors");
    } else {
        dossier::outln!(
            "Built {} into {}: {counts} in {seconds:.2} s",
            plural(report.pages_written, "file"),
            display_path(&report.output)
        );
    }
}

/// Shows a path relative to the current directory when it is inside it.
fn display_path(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&here)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn print_error(error: &Error) {
    let styled = use_colour();
    let (errors, warnings): (Vec<_>, Vec<_>) =
        error.diagnostics().iter().partition(|d| d.is_error());
    for diagnostic in warnings.into_iter().chain(errors) {
        dossier::err!("{}", diagnostic.render(styled));
    }
    dossier::errln!("error: {error}");
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        dossier::errln!("caused by: {inner}");
        cause = inner.source();
    }
}
