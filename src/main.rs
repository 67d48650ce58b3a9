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
    /// Lints policies: reports what compiles but is probably not what the
    /// author meant (docs/lints.md); exit 1 when any finding is at level
    /// `deny`, or a policy has errors.
    Lint {
        #[arg(required_unless_present = "explain")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Prints the documentation of one rule, and nothing else.
        #[arg(long, value_name = "RULE", conflicts_with_all = ["files", "pages"])]
        explain: Option<String>,
        /// Also checks the policies against the HTML pages this file lists
        /// (one per line: `PATH URL [consent=a,b] [region=R]`): rules that
        /// match nothing, elements only the defaults decide.
        #[arg(long, value_name = "LIST")]
        pages: Option<PathBuf>,
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
    /// Explains, for each element of an HTML page (or one node of an rrweb
    /// recording), how every channel would be recorded and which policy
    /// lines decided it.
    Explain {
        #[command(flatten)]
        args: ExplainArgs,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        /// Only the elements this CSS selector picks.
        #[arg(long, conflicts_with = "events")]
        select: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Masks an rrweb recording (a JSON array of events, or one per line)
    /// as a recorder running the policy would send it.
    MaskEvents {
        #[command(flatten)]
        context: cli::events::EventsContext,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        /// The recording; standard input when omitted or `-`.
        input: Option<PathBuf>,
        /// Where to write the masked recording (standard output when
        /// omitted), in the shape it was read in.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Runs the language server for editors on standard input and output
    /// (docs/editors.md).
    Lsp {
        /// Accepted for clients that always pass it: standard input and
        /// output are the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Runs policy tests (`*.scrim-test.toml`): pages, and what the policy
    /// must do on them. Exit 1 when any test fails.
    Test {
        /// Test files, or folders to search for `*.scrim-test.toml`
        /// (default: the current folder).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        includes: cli::IncludeRoots,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Writes the policy that records no more than a replay vendor's
    /// settings did (notes on what differs go to standard error).
    Import {
        /// The vendor whose settings CONFIG holds.
        #[arg(long, value_enum)]
        from: cli::import::From,
        /// The vendor's options object, as JSON.
        config: PathBuf,
        /// Where to write the policy (standard output when omitted).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Writes a privacy-notice section saying what the policy records,
    /// each sentence traceable to the lines it summarises.
    Disclose(cli::disclose::DiscloseArgs),
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

/// What `scrim explain` reads: a page at a URL, or a node of a recording.
#[derive(clap::Args)]
struct ExplainArgs {
    /// The policy: a `.scrim` file, or a compiled `.json` artifact.
    #[arg(long)]
    policy: PathBuf,
    /// The URL the page is recorded at. With `--events`: where the
    /// recording starts, if it does not begin with a Meta event.
    #[arg(long, required_unless_present = "events")]
    url: Option<String>,
    /// Consent categories the visitor granted (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = cli::recording::consent_category)]
    consent: Vec<String>,
    /// The visitor's region code.
    #[arg(long)]
    region: Option<String>,
    /// The page's encoding (a WHATWG label: `utf-8`, `windows-1252`,
    /// `shift_jis` …), as a server's `Content-Type` would say it. A byte
    /// order mark still decides; without either, a `<meta charset>` in the
    /// first 1,024 bytes, else UTF-8.
    #[arg(long, value_name = "LABEL", conflicts_with = "events")]
    encoding: Option<String>,
    /// Refuse pages (recordings) larger than this many bytes [default:
    /// 67108864 for pages, 268435456 for recordings].
    #[arg(long, value_name = "N")]
    max_bytes: Option<usize>,
    /// Refuse pages that nest elements deeper than this.
    #[arg(long, value_name = "N", default_value_t = scrim_html::Limits::DEFAULT.max_depth)]
    max_depth: usize,
    /// Refuse pages with a tag that has more attributes than this.
    #[arg(long, value_name = "N", default_value_t = scrim_html::Limits::DEFAULT.max_attributes)]
    max_attributes: usize,
    /// The HTML page.
    #[arg(required_unless_present = "events")]
    page: Option<PathBuf>,
    /// An rrweb recording (a JSON array of events, or one per line) to
    /// explain a node of, instead of a page.
    #[arg(long, value_name = "FILE", conflicts_with = "page", requires = "node")]
    events: Option<PathBuf>,
    /// With `--events`: the rrweb id of the node to explain.
    #[arg(long, value_name = "ID", requires = "events")]
    node: Option<i64>,
}

impl ExplainArgs {
    fn recording(&self) -> cli::recording::Recording {
        cli::recording::Recording {
            policy: self.policy.clone(),
            url: self.url.clone().unwrap_or_default(),
            consent: self.consent.clone(),
            region: self.region.clone(),
            encoding: self.encoding.clone(),
            max_bytes: self
                .max_bytes
                .unwrap_or(scrim_html::Limits::DEFAULT.max_bytes),
            max_depth: self.max_depth,
            max_attributes: self.max_attributes,
            page: self.page.clone().unwrap_or_default(),
        }
    }

    fn events_context(&self) -> cli::events::EventsContext {
        cli::events::EventsContext {
            policy: self.policy.clone(),
            url: self.url.clone(),
            consent: self.consent.clone(),
            region: self.region.clone(),
            max_bytes: self
                .max_bytes
                .map_or(cli::events::EVENTS_LIMIT, |n| n as u64),
        }
    }
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
        Command::Lint {
            files,
            includes,
            format,
            explain,
            pages,
        } => cli::lint::run(
            &files,
            &includes,
            format,
            explain.as_deref(),
            pages.as_deref(),
        ),
        Command::Compile {
            file,
            includes,
            output,
            format,
        } => cli::compile::run(&file, &includes, output.as_deref(), format),
        Command::Explain {
            args,
            includes,
            select,
            format,
        } => match (&args.events, args.node) {
            (Some(events), Some(node)) => {
                cli::explain_events::run(&args.events_context(), &includes, events, node, format)
            }
            _ => cli::explain::run(&args.recording(), &includes, select.as_deref(), format),
        },
        Command::MaskEvents {
            context,
            includes,
            input,
            output,
        } => cli::events::run(&context, &includes, input.as_deref(), output.as_deref()),
        Command::Import {
            from,
            config,
            output,
        } => cli::import::run(from, &config, output.as_deref()),
        Command::Mask {
            recording,
            includes,
            output,
        } => cli::mask::run(&recording, &includes, output.as_deref()),
        Command::Lsp { stdio: _ } => cli::lsp::run(),
        Command::Test {
            paths,
            includes,
            format,
        } => cli::test::run(&paths, &includes, format),
        Command::Disclose(args) => cli::disclose::run(&args),
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
