//! `scrim compile`: writes the compiled artifact, or nothing when the policy
//! has errors.

use super::{FsLoader, policy_path, read_policy, report};
use crate::Format;
use std::path::Path;

pub(crate) fn run(file: &Path, output: Option<&Path>, format: Format) -> bool {
    let Some(text) = read_policy(file) else {
        return false;
    };
    let compilation = scrim_compiler::compile(&policy_path(file), &text, &FsLoader);
    report::print(&compilation.diagnostics, format);
    let Some(artifact) = compilation.artifact else {
        return false;
    };
    super::write_output(output, &artifact.to_json())
}
