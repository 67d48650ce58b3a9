//! Helpers shared by the end-to-end tests: run the `scrim` binary as a user
//! would, and make a fresh folder for a test's files.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `scrim ARGS`, run from the repository root without colour, for a test
/// that sets up its own standard streams.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scrim"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

/// Runs `scrim ARGS` from the repository root, without colour.
pub fn scrim(args: &[&str]) -> Output {
    command(args).output().expect("the scrim binary runs")
}

/// Runs a command to its end, or kills it and fails the test when it has
/// not ended after a minute: for inputs (named pipes, devices) that would
/// make a careless reader block or read forever. Not a performance check:
/// every such run ends in milliseconds when the command is correct.
#[cfg(unix)]
pub fn finishes(mut command: Command) -> Output {
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command.spawn().expect("the scrim binary runs");
    let pid = child.id().to_string();
    let (done, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match result.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.expect("the scrim binary runs"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("scrim did not finish: it blocked or read without end");
        }
    }
}

/// A fresh, empty folder for one test (`suite` keeps test files apart).
pub fn scratch(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scrim-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to `dir/name`; returns the path as a string for the
/// command line.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// The file names in a folder, sorted: to show that a command left no
/// temporary files behind.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The example policies (`examples/*.scrim`), sorted.
pub fn example_policies() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "scrim"))
            .collect();
    files.sort();
    assert!(files.len() >= 4, "the examples are missing");
    files
}

/// [`example_policies`] as command-line arguments.
pub fn example_policy_args() -> Vec<String> {
    example_policies()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}
