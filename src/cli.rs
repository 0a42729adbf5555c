//! The command line: `dossier build | check | serve | init`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Turns a folder of news articles into a cross-referenced dossier website"
)]
pub struct Cli {
    /// The dossier's folder (default: the nearest folder upwards holding book.toml)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Print only warnings and errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print the time of each stage and what the cache saved
    #[arg(long, short, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/)
    Build {
        /// Write the site here instead of [build] output
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Absolute URL the site will be published at, e.g. https://user.github.io/repo/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        #[command(flatten)]
        checks: Checks,
    },
    /// Check content and templates without writing anything
    Check {
        #[command(flatten)]
        checks: Checks,
    },
    /// Build, serve the site on 127.0.0.1 and rebuild it when a file changes
    Serve {
        /// Port to listen on (0: any free port)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Open the site in the web browser
        #[arg(long)]
        open: bool,
        /// Write the site here instead of [build] output
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Serve under this URL's path, as the site will be published, e.g. https://user.github.io/repo/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Create a new dossier in DIR
    Init {
        /// Folder to create the dossier in
        dir: PathBuf,
        /// Theme to write into book.toml
        #[arg(long, default_value = "default")]
        theme: String,
    },
    /// Work on the entity catalogue
    Entities {
        #[command(subcommand)]
        command: EntitiesCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum EntitiesCommand {
    /// List names that recur in the sources but are in no entity's aliases
    Suggest {
        /// Only names found in at least N sources
        #[arg(long, value_name = "N", default_value_t = 1)]
        min_sources: usize,
        /// Write a content/entities/<slug>.md skeleton for each (never over an existing file)
        #[arg(long)]
        write: bool,
    },
}

/// How strictly `build` and `check` treat problems in the content.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Checks {
    /// Fail on warnings as on errors
    #[arg(long)]
    pub strict: bool,
    /// Replace bytes that are not valid UTF-8 or UTF-16 with U+FFFD (with a warning) instead of failing
    #[arg(long)]
    pub lossy: bool,
    /// Write every page that can be written, leaving out bad files and pages (the build still fails)
    #[arg(long)]
    pub keep_going: bool,
}
