//! The subcommands. Only this layer reads and writes files and knows about
//! terminals; the crates below it take and return values.

pub(crate) mod check;
pub(crate) mod compile;
pub(crate) mod disclose;
pub(crate) mod events;
pub(crate) mod explain;
pub(crate) mod explain_events;
pub(crate) mod files;
pub(crate) mod fmt;
pub(crate) mod import;
pub(crate) mod lint;
pub(crate) mod lsp;
pub(crate) mod mask;
mod pages;
pub(crate) mod recording;
mod report;
pub(crate) mod streams;
pub(crate) mod test;

use files::POLICY_LIMIT;
use std::path::{Path, PathBuf};
use streams::eprintln_safe;

/// Where included files may come from, beyond the root policy's folder.
#[derive(clap::Args, Debug, Default)]
pub(crate) struct IncludeRoots {
    /// Also allow `include` to read files in this folder's tree
    /// (repeatable). By default a policy includes only files in its own
    /// folder's tree.
    #[arg(long = "include-root", value_name = "DIR")]
    pub roots: Vec<PathBuf>,
}

impl IncludeRoots {
    /// The folders, with symbolic links resolved; `None` after reporting
    /// one that does not exist.
    pub(crate) fn resolve(&self) -> Option<Vec<PathBuf>> {
        self.roots
            .iter()
            .map(|root| match std::fs::canonicalize(root) {
                Ok(folder) if folder.is_dir() => Some(folder),
                Ok(_) => {
                    eprintln_safe!(
                        "error: cannot use `--include-root {}`: not a folder",
                        root.display()
                    );
                    None
                }
                Err(error) => {
                    eprintln_safe!(
                        "error: cannot use `--include-root {}`: {}",
                        root.display(),
                        io_reason(&error)
                    );
                    None
                }
            })
            .collect()
    }
}

/// Reads included policy files for the compiler, from the root policy's
/// folder tree and the `--include-root` trees only. Paths are compared
/// after resolving symbolic links and `..`, so neither leads out; a file
/// outside is refused before it is opened, so its content never shows in a
/// diagnostic.
#[derive(Debug)]
pub(crate) struct FsLoader {
    allowed: Vec<PathBuf>,
}

impl FsLoader {
    /// The loader for the root policy at `policy` (already read).
    pub(crate) fn for_policy(policy: &Path, include_roots: &[PathBuf]) -> FsLoader {
        // The policy was just read, so its folder exists; if it vanished in
        // between, every include is refused.
        let own = std::fs::canonicalize(policy)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        FsLoader {
            allowed: own
                .into_iter()
                .chain(include_roots.iter().cloned())
                .collect(),
        }
    }

    fn outside(&self) -> String {
        let folders: Vec<String> = self
            .allowed
            .iter()
            .map(|f| format!("`{}`", f.display()))
            .collect();
        let (list, noun) = match folders.as_slice() {
            [] => ("any folder".to_string(), "folder"),
            [one] => (one.clone(), "folder"),
            [init @ .., last] => (format!("{} and {last}", init.join(", ")), "folders"),
        };
        format!(
            "it is outside {list}, the {noun} includes may come from; \
             pass `--include-root <dir>` to allow includes from there"
        )
    }
}

impl scrim_compiler::Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let resolved = std::fs::canonicalize(path).map_err(|e| io_reason(&e))?;
        if !self
            .allowed
            .iter()
            .any(|folder| resolved.starts_with(folder))
        {
            return Err(self.outside());
        }
        files::read_text(&resolved, POLICY_LIMIT)
    }
}

/// A lowercase reason for an IO error, in words, without the OS error code.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind as Kind;
    let words = match error.kind() {
        Kind::NotFound => "no such file",
        Kind::PermissionDenied => "permission denied",
        Kind::InvalidData => "the file is not UTF-8 text",
        Kind::IsADirectory => "is a directory",
        Kind::NotADirectory => "a part of the path is not a directory",
        Kind::FileTooLarge => "the file is too large",
        Kind::StorageFull => "no space left on the device",
        Kind::QuotaExceeded => "the disk quota is exceeded",
        Kind::ReadOnlyFilesystem => "the file system is read-only",
        Kind::AlreadyExists => "the file already exists",
        Kind::WouldBlock => "the operation would block",
        Kind::Interrupted => "interrupted",
        Kind::BrokenPipe => "the reader closed the pipe",
        Kind::InvalidFilename => "the file name is invalid or too long",
        Kind::ResourceBusy => "the file is busy",
        Kind::ExecutableFileBusy => "the file is a running program",
        Kind::CrossesDevices => "the folders are on different devices",
        Kind::TooManyLinks => "too many links",
        Kind::StaleNetworkFileHandle => "the network file handle is stale",
        Kind::TimedOut => "timed out",
        Kind::UnexpectedEof => "the file ended early",
        Kind::OutOfMemory => "out of memory",
        Kind::Unsupported => "not supported here",
        _ => return without_os_code(error),
    };
    words.to_string()
}

/// The system's own wording, lowercased, without ` (os error N)`.
fn without_os_code(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.to_lowercase()
}

/// The path as the compiler sees it: `/`-separated.
pub(crate) fn policy_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads a policy, reporting a failure on standard error.
pub(crate) fn read_policy(path: &Path) -> Option<String> {
    match files::read_text(path, POLICY_LIMIT) {
        Ok(text) => Some(text),
        Err(reason) => {
            eprintln_safe!("error: cannot read `{}`: {reason}", path.display());
            None
        }
    }
}

/// Writes a command's result to the file named by `-o` (replacing it in
/// one step), or to standard output; a failure is reported on standard
/// error.
pub(crate) fn write_output(output: Option<&Path>, text: &str) -> bool {
    match output {
        None => streams::print(text),
        Some(path) => write_file(path, text),
    }
}

/// Replaces a file, reporting a failure on standard error.
pub(crate) fn write_file(path: &Path, text: &str) -> bool {
    match files::write_atomically(path, text.as_bytes()) {
        Ok(()) => true,
        Err(error) => {
            eprintln_safe!(
                "error: cannot write `{}`: {}",
                path.display(),
                io_reason(&error)
            );
            false
        }
    }
}
