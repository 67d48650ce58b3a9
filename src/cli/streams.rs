//! Standard output and standard error, written without panics.
//!
//! `print!` and `eprint!` panic when a write fails (`scrim compile P >
//! /dev/full`, a closed pipe, a closed standard error), which ends the
//! command with exit 101 and a backtrace. Every command writes through
//! these functions instead:
//!
//! - a failed write to standard output is reported as `error: cannot write
//!   standard output: …` and the command exits 1;
//! - a reader that closed the pipe (`scrim mask … | head -c 10`) is not an
//!   error: the reader asked for no more. The rest of the output is dropped
//!   quietly and the exit status is the command's own, as ripgrep does;
//! - a failed write to standard error is ignored: there is nowhere left to
//!   report it, and the exit status still tells the outcome.

use super::io_reason;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

const OPEN: u8 = 0;
const READER_GONE: u8 = 1;
const FAILED: u8 = 2;

/// What became of standard output so far.
static STDOUT: AtomicU8 = AtomicU8::new(OPEN);

/// Writes part of the command's result on standard output. `false` when
/// the output could not be written (reported once, on standard error).
pub(crate) fn print(text: &str) -> bool {
    match STDOUT.load(Ordering::Relaxed) {
        READER_GONE => return true,
        FAILED => return false,
        _ => {}
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => true,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT.store(READER_GONE, Ordering::Relaxed);
            true
        }
        Err(error) => {
            STDOUT.store(FAILED, Ordering::Relaxed);
            eprint(&format!(
                "error: cannot write standard output: {}\n",
                io_reason(&error)
            ));
            false
        }
    }
}

/// Writes diagnostics, notes and errors on standard error; a failure to do
/// so is ignored.
pub(crate) fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `eprintln!` without the panic: one line on standard error.
macro_rules! eprintln_safe {
    ($($arg:tt)*) => {
        $crate::cli::streams::eprint(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use eprintln_safe;
