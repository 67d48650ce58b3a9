//! Reading the command's input files and writing its output files.
//!
//! Inputs (policies, included files, pages) are read by one function:
//! regular files only, up to a size limit. A named pipe would block the
//! command until some other process writes to it, a device such as
//! `/dev/zero` never ends, and a file that grows while it is read must not
//! grow the command's memory with it.
//!
//! Outputs (`-o`, `compile -o`, `fmt`) replace the old file in one step: the
//! new content goes to a temporary file next to it, which is synced and
//! then renamed over the old one. A write that fails midway (a full disk, a
//! size limit) leaves the old file whole and no temporary file behind.
//!
//! The races accepted (documented in `docs/cli.md`): a path is looked at
//! before it is opened, so that opening a named pipe never blocks; a path
//! swapped for a named pipe between the look and the open can still block.
//! The opened file is looked at again, so a swap to anything else is
//! refused. Doing without the first look would need a non-blocking open,
//! which the standard library does not offer portably.

use super::io_reason;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// The largest input of one kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limit {
    pub bytes: u64,
    /// What the limit is for, in the message: "policy files", "pages".
    pub what: &'static str,
}

/// Policy files, each included file on its own as well: far above any real
/// policy (10,000 rules of 100 bytes each come to under 1 MiB).
pub(crate) const POLICY_LIMIT: Limit = Limit {
    bytes: 16 * 1024 * 1024,
    what: "policy files",
};

/// The bytes of the regular file at `path`, or a lowercase reason it was
/// not read. Never blocks on a named pipe that was one when looked at, and
/// never reads more than `limit` bytes.
pub(crate) fn read_input(path: &Path, limit: Limit) -> Result<Vec<u8>, String> {
    let reason = |error: std::io::Error| io_reason(&error);
    // The path first, without opening it: opening a named pipe blocks.
    let metadata = std::fs::metadata(path).map_err(reason)?;
    check_input(&metadata, limit)?;
    let file = File::open(path).map_err(reason)?;
    // The opened file again: the path may name something else by now.
    let metadata = file.metadata().map_err(reason)?;
    check_input(&metadata, limit)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // One byte over the limit tells a file that grew past it.
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(reason)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// [`read_input`] for text: the file must be UTF-8.
pub(crate) fn read_text(path: &Path, limit: Limit) -> Result<String, String> {
    String::from_utf8(read_input(path, limit)?)
        .map_err(|_| io_reason(&std::io::Error::from(ErrorKind::InvalidData)))
}

fn check_input(metadata: &Metadata, limit: Limit) -> Result<(), String> {
    if metadata.is_dir() {
        return Err(io_reason(&std::io::Error::from(ErrorKind::IsADirectory)));
    }
    if !metadata.is_file() {
        return Err(format!("not a regular file ({})", kind(metadata)));
    }
    if metadata.len() > limit.bytes {
        return Err(too_large(limit));
    }
    Ok(())
}

pub(crate) fn too_large(limit: Limit) -> String {
    const MIB: u64 = 1024 * 1024;
    if limit.bytes >= MIB && limit.bytes.is_multiple_of(MIB) {
        format!(
            "larger than the {} MiB limit for {}",
            limit.bytes / MIB,
            limit.what
        )
    } else {
        format!(
            "larger than the {}-byte limit for {}",
            limit.bytes, limit.what
        )
    }
}

/// What a file that is neither a regular file nor a folder is.
#[cfg(unix)]
fn kind(metadata: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind(_: &Metadata) -> &'static str {
    "a special file"
}

/// Replaces the file at `path` with `bytes` in one step (see the module
/// documentation). A symbolic link stays a link: the file it points to is
/// replaced. The old file's permission bits are kept. A path that names a
/// device or a pipe (`-o /dev/null`) is written to directly: there is no
/// old file to keep and it cannot be replaced.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let existing = match std::fs::metadata(path) {
        Ok(metadata) => Some(metadata),
        Err(error) if error.kind() == ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let target: PathBuf = match &existing {
        Some(metadata) if metadata.is_dir() => {
            return Err(std::io::Error::from(ErrorKind::IsADirectory));
        }
        Some(metadata) if !metadata.is_file() => {
            return OpenOptions::new().write(true).open(path)?.write_all(bytes);
        }
        Some(_) => std::fs::canonicalize(path)?,
        None => path.to_path_buf(),
    };
    let Some(name) = target.file_name() else {
        return Err(std::io::Error::new(
            ErrorKind::InvalidInput,
            "the path names no file",
        ));
    };
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let (temporary, file) = create_temporary(folder, &name.to_string_lossy(), existing.as_ref())?;
    let written =
        fill(file, bytes, existing.as_ref()).and_then(|()| std::fs::rename(&temporary, &target));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    sync_folder(folder);
    Ok(())
}

/// A new file next to the target, created with `create_new` so that no
/// existing file (or link planted in its place) is ever opened.
fn create_temporary(
    folder: &Path,
    name: &str,
    existing: Option<&Metadata>,
) -> std::io::Result<(PathBuf, File)> {
    let mut attempt = 0u32;
    loop {
        let path = folder.join(format!(
            ".{name}.{}.{attempt}.scrim-tmp",
            std::process::id()
        ));
        match new_file_options(existing).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

#[cfg(unix)]
fn new_file_options(existing: Option<&Metadata>) -> OpenOptions {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    // Never more open than the old file while the new content is written
    // (a private policy stays private); the exact bits are set once the
    // content is in.
    if let Some(metadata) = existing {
        options.mode(metadata.permissions().mode() & 0o777);
    }
    options
}

#[cfg(not(unix))]
fn new_file_options(_: Option<&Metadata>) -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    options
}

fn fill(mut file: File, bytes: &[u8], existing: Option<&Metadata>) -> std::io::Result<()> {
    file.write_all(bytes)?;
    #[cfg(unix)]
    if let Some(metadata) = existing {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = existing;
    file.sync_all()
}

/// Makes the rename itself durable where the platform allows it; a folder
/// that cannot be synced leaves the rename done, just not yet on disk.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = File::open(folder) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}
