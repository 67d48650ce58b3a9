//! The subcommands. Only this layer reads and writes files and knows about
//! terminals; the crates below it take and return values.

pub(crate) mod check;
pub(crate) mod compile;
pub(crate) mod explain;
pub(crate) mod fmt;
pub(crate) mod mask;
pub(crate) mod recording;
mod report;

use std::path::Path;

/// Reads policy files from disk for the compiler.
pub(crate) struct FsLoader;

impl scrim_compiler::Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| io_reason(&e))
    }
}

/// A lowercase reason for an IO error, without the OS error code.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".to_string(),
        _ => error.to_string().to_lowercase(),
    }
}

/// The path as the compiler sees it: `/`-separated.
pub(crate) fn policy_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads a policy, reporting a failure on standard error.
pub(crate) fn read_policy(path: &Path) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            eprintln!(
                "error: cannot read `{}`: {}",
                path.display(),
                io_reason(&error)
            );
            None
        }
    }
}

/// Writes a command's result to the file named by `-o`, or to standard
/// output; a failure is reported on standard error.
pub(crate) fn write_output(output: Option<&Path>, text: &str) -> bool {
    match output {
        None => {
            print!("{text}");
            true
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => true,
            Err(error) => {
                eprintln!(
                    "error: cannot write `{}`: {}",
                    path.display(),
                    io_reason(&error)
                );
                false
            }
        },
    }
}
