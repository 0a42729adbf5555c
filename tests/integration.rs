//! The integration tests: each module builds real fixture dossiers (or the
//! seeds) through the library or the command line and checks what a reader
//! gets. They are one test binary; run one module with, for example,
//! `cargo test --test integration incremental::`.

mod common;

mod bad_input;
mod browser;
mod build;
mod cli;
mod date_table;
mod export;
mod incremental;
mod passages;
mod properties;
mod publish;
mod quote_table;
mod quotes;
mod search;
mod serve;
mod suggest;
