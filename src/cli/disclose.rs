//! `scrim disclose`: the privacy-notice section of a policy (scrim-disclose
//! builds it), in English or in the wording of a team's template file, as
//! Markdown, HTML or JSON. Nothing is written when the policy has errors or
//! the template file is refused.

use super::files::{Limit, read_text};
use super::streams::eprintln_safe;
use super::{FsLoader, IncludeRoots, policy_path, read_policy, report};
use scrim_disclose::{Format, Templates, disclose, render};
use std::path::{Path, PathBuf};

/// Template files: a translation of `en.toml` is a few kilobytes.
const TEMPLATE_LIMIT: Limit = Limit {
    bytes: 1024 * 1024,
    what: "template files",
};

#[derive(clap::Args)]
pub(crate) struct DiscloseArgs {
    /// The policy (a `.scrim` file: the notice cites its lines).
    policy: PathBuf,
    #[command(flatten)]
    includes: IncludeRoots,
    #[arg(long, value_enum, default_value_t)]
    format: DiscloseFormat,
    /// Under each sentence, the policy lines it summarises (JSON always
    /// has them).
    #[arg(long)]
    with_sources: bool,
    /// The wording, as a TOML file with every template of the English one
    /// (crates/disclose/templates/en.toml); English when omitted.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Where to write the notice (standard output when omitted).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
enum DiscloseFormat {
    /// A Markdown section (`##` title, `###` headings).
    #[default]
    Markdown,
    /// An HTML `<section>` to paste into a page.
    Html,
    /// The sentences with their parts and sources, for tools.
    Json,
}

pub(crate) fn run(args: &DiscloseArgs) -> bool {
    let Some(templates) = templates(args.template.as_deref()) else {
        return false;
    };
    let Some(include_roots) = args.includes.resolve() else {
        return false;
    };
    let Some(text) = read_policy(&args.policy) else {
        return false;
    };
    let loader = FsLoader::for_policy(&args.policy, &include_roots);
    let compilation = scrim_compiler::compile(&policy_path(&args.policy), &text, &loader);
    report::print_human(&compilation.diagnostics);
    let Some(artifact) = &compilation.artifact else {
        return false;
    };
    let disclosure = disclose(artifact, &compilation.sources, &templates);
    let format = match args.format {
        DiscloseFormat::Markdown => Format::Markdown,
        DiscloseFormat::Html => Format::Html,
        DiscloseFormat::Json => Format::Json,
    };
    let text = render(&disclosure, format, args.with_sources, &templates);
    super::write_output(args.output.as_deref(), &text)
}

/// The English templates, or the team's file; `None` after reporting every
/// reason the file was refused.
fn templates(path: Option<&Path>) -> Option<Templates> {
    let Some(path) = path else {
        return Some(Templates::english());
    };
    let text = match read_text(path, TEMPLATE_LIMIT) {
        Ok(text) => text,
        Err(reason) => {
            eprintln_safe!("error: cannot read `{}`: {reason}", path.display());
            return None;
        }
    };
    match Templates::parse(&text) {
        Ok(templates) => Some(templates),
        Err(errors) => {
            for error in errors {
                eprintln_safe!("error: {}", error.message);
                if let Some((line, column)) = error.position {
                    eprintln_safe!("  --> {}:{line}:{column}", path.display());
                } else {
                    eprintln_safe!("  --> {}", path.display());
                }
                if let Some(help) = &error.help {
                    eprintln_safe!("  help: {help}");
                }
            }
            None
        }
    }
}
