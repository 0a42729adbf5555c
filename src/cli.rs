//! The command line: `dossier build | check | init`.

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
