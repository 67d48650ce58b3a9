//! `scrim compile`: writes the compiled artifact, or nothing when the policy
//! has errors.

use super::{FsLoader, IncludeRoots, policy_path, read_policy, report};
use crate::Format;
use std::path::Path;

pub(crate) fn run(
    file: &Path,
    includes: &IncludeRoots,
    output: Option<&Path>,
    format: Format,
) -> bool {
    let Some(include_roots) = includes.resolve() else {
        return false;
    };
    let Some(text) = read_policy(file) else {
        return false;
    };
    let loader = FsLoader::for_policy(file, &include_roots);
    let compilation = scrim_compiler::compile(&policy_path(file), &text, &loader);
    if !report::print(&compilation.diagnostics, format) {
        return false;
    }
    let Some(artifact) = compilation.artifact else {
        return false;
    };
    super::write_output(output, &artifact.to_json())
}
