//! The `scrim` command: check, format and compile privacy policies for
//! session replay.

mod cli;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "scrim", version, about = "Privacy policies for session replay", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    /// Source snippets with labels and help, on standard error.
    #[default]
    Human,
    /// One JSON array of diagnostics on standard output.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Checks policies: exit 0 when clean, 1 when any has errors.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Formats policies in place, keeping every comment.
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Changes nothing; exit 1 if any file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Compiles a policy to the artifact that recorders and servers load.
    Compile {
        file: PathBuf,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        /// Where to write the artifact (standard output when omitted).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Explains, for each element of an HTML page, how every channel would
    /// be recorded and which policy lines decided it.
    Explain {
        #[command(flatten)]
        recording: cli::recording::Recording,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        /// Only the elements this CSS selector picks.
        #[arg(long)]
        select: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Writes an HTML page as a recording under the policy would keep it.
    Mask {
        #[command(flatten)]
        recording: cli::recording::Recording,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        /// Where to write the masked page (standard output when omitted).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => return usage_exit(&usage),
    };
    let ok = match cli.command {
        Command::Check {
            files,
            includes,
            format,
        } => cli::check::run(&files, &includes, format),
        Command::Fmt { files, check } => cli::fmt::run(&files, check),
        Command::Compile {
            file,
            includes,
            output,
            format,
        } => cli::compile::run(&file, &includes, output.as_deref(), format),
        Command::Explain {
            recording,
            includes,
            select,
            format,
        } => cli::explain::run(&recording, &includes, select.as_deref(), format),
        Command::Mask {
            recording,
            includes,
            output,
        } => cli::mask::run(&recording, &includes, output.as_deref()),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prints help, the version or a usage error as clap would, but without
/// hiding a standard output that cannot be written (see `cli::streams`).
fn usage_exit(usage: &clap::Error) -> ExitCode {
    let printed = usage.print();
    if let Err(error) = printed
        && !usage.use_stderr()
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        cli::streams::eprint(&format!(
            "error: cannot write standard output: {}\n",
            cli::io_reason(&error)
        ));
        return ExitCode::FAILURE;
    }
    ExitCode::from(u8::try_from(usage.exit_code()).unwrap_or(2))
}
