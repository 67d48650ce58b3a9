//! What the tests share: compiling a policy of the repository, or one
//! written in a test, as `scrim disclose` compiles it.

#![allow(dead_code)]

use scrim_compiler::{Compilation, Loader, compile};
use scrim_disclose::{Disclosure, Templates, disclose};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads included files relative to the repository's root.
pub struct RepoLoader;

impl Loader for RepoLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(root().join(path)).map_err(|e| e.to_string())
    }
}

/// Files written in a test, by path.
pub struct Files(pub HashMap<String, String>);

impl Loader for Files {
    fn load(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}

/// Compiles a policy of the repository (`examples/shop.scrim`).
pub fn compile_repo(path: &str) -> Compilation {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let compilation = compile(path, &text, &RepoLoader);
    assert!(
        !compilation.has_errors(),
        "{path}: {:?}",
        compilation.diagnostics
    );
    compilation
}

/// Compiles a policy written in a test; `files` are what it may include.
pub fn compile_text(path: &str, text: &str, files: &[(&str, &str)]) -> Compilation {
    let files = Files(
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    );
    let compilation = compile(path, text, &files);
    assert!(
        !compilation.has_errors(),
        "{text}\n{:?}",
        compilation.diagnostics
    );
    compilation
}

/// The English disclosure of a compilation.
pub fn english(compilation: &Compilation) -> Disclosure {
    disclose(
        compilation.artifact.as_ref().unwrap(),
        &compilation.sources,
        &Templates::english(),
    )
}

/// The example policies, `examples/*.scrim`, sorted.
pub fn example_policies() -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".scrim"))
        .map(|name| format!("examples/{name}"))
        .collect();
    found.sort();
    found
}
