//! `scrim lsp`: the language server for editors, on standard input and
//! output (docs/editors.md). Included files are read as `scrim check`
//! reads them: from the policy's own folder tree and the include roots the
//! editor's settings name, regular files of at most 16 MiB.

use super::FsLoader;
use super::streams::eprintln_safe;

pub(crate) fn run() -> bool {
    let disk: scrim_lsp::DiskLoader =
        Box::new(|policy, roots| Box::new(FsLoader::for_policy(policy, roots)));
    match scrim_lsp::run_stdio(disk) {
        Ok(()) => true,
        Err(reason) => {
            eprintln_safe!("error: {reason}");
            false
        }
    }
}
