//! Helpers shared by the end-to-end tests: run the `scrim` binary as a user
//! would, and make a fresh folder for a test's files.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `scrim ARGS` from the repository root, without colour.
pub fn scrim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the scrim binary runs")
}

/// A fresh, empty folder for one test (`suite` keeps test files apart).
pub fn scratch(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scrim-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
