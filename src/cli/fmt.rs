//! `scrim fmt`: rewrites policies in the canonical layout, or with
//! `--check` only reports the ones that are not.

use super::streams::eprintln_safe;
use super::{policy_path, read_policy, report, write_file};
use scrim_syntax::{FormatError, SourceFile};
use std::path::PathBuf;

pub(crate) fn run(files: &[PathBuf], check: bool) -> bool {
    let mut ok = true;
    for file in files {
        let Some(text) = read_policy(file) else {
            ok = false;
            continue;
        };
        let name = policy_path(file);
        match scrim_syntax::format_checked(&name, &text) {
            Ok(formatted) if formatted == text => {}
            Ok(formatted) if check => {
                eprintln_safe!("would reformat `{}`", file.display());
                print_first_difference(&text, &formatted);
                ok = false;
            }
            Ok(formatted) => ok &= write_file(file, &formatted),
            Err(FormatError::Syntax) => {
                let parsed = scrim_syntax::parse(&SourceFile::new(name, text));
                report::print_human(&parsed.diagnostics);
                eprintln_safe!(
                    "error: `{}` was not formatted: fix its syntax errors first",
                    file.display()
                );
                ok = false;
            }
            Err(error @ FormatError::MeaningChanged { .. }) => {
                eprintln_safe!("error: `{}`: {error}", file.display());
                ok = false;
            }
        }
    }
    ok
}

/// Shows the first line that would change, so CI logs say where to look.
fn print_first_difference(old: &str, new: &str) {
    let differs = old.lines().zip(new.lines()).position(|(a, b)| a != b);
    let line = differs.unwrap_or_else(|| old.lines().count().min(new.lines().count()));
    let show = |text: &str| {
        text.lines()
            .nth(line)
            .unwrap_or("(end of file)")
            .to_string()
    };
    eprintln_safe!(
        "  line {}: `{}`\n  becomes: `{}`",
        line + 1,
        show(old),
        show(new)
    );
}
