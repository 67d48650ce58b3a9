//! Every ```scrim code block in `docs/*.md` is a complete policy: it
//! compiles without errors (includes resolve relative to `docs/`) and is
//! written in the formatter's canonical form, so that readers can copy it
//! as it is.

use scrim_compiler::{Loader, compile};
use std::path::{Path, PathBuf};

/// Reads included files from `docs/`.
struct DocsLoader {
    root: PathBuf,
}

impl Loader for DocsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.root.join(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string().to_lowercase(),
        })
    }
}

/// One ```scrim block: where it starts and what it says.
struct Block {
    /// `docs/language.md:42`, the line of the opening fence.
    place: String,
    file: String,
    /// The line of the opening fence, 1-based.
    fence_line: usize,
    text: String,
}

impl Block {
    /// The Markdown line of line `line` (1-based) of the block.
    fn at(&self, line: usize) -> String {
        format!("{}:{}", self.file, self.fence_line + line)
    }
}

/// The ```scrim blocks of a Markdown file, in order.
fn scrim_blocks(file: &str, markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Vec<&str>)> = None;
    for (number, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        match &mut open {
            None if fence.starts_with("```") => {
                if fence.trim_start_matches('`').trim() == "scrim" {
                    open = Some((number + 1, Vec::new()));
                } else {
                    // Another language: skip to its closing fence.
                    open = Some((0, Vec::new()));
                }
            }
            None => {}
            Some((start, lines)) => {
                if fence.starts_with("```") {
                    if *start > 0 {
                        let mut text = lines.join("\n");
                        text.push('\n');
                        blocks.push(Block {
                            place: format!("{file}:{start}"),
                            file: file.to_string(),
                            fence_line: *start,
                            text,
                        });
                    }
                    open = None;
                } else {
                    lines.push(line);
                }
            }
        }
    }
    assert!(open.is_none(), "{file}: a code block is never closed");
    blocks
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

fn all_blocks() -> Vec<Block> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(docs_dir())
        .expect("the docs folder")
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    let mut blocks = Vec::new();
    for path in files {
        let markdown = std::fs::read_to_string(&path).expect("a readable Markdown file");
        let name = format!(
            "docs/{}",
            path.file_name().expect("a file name").to_string_lossy()
        );
        blocks.extend(scrim_blocks(&name, &markdown));
    }
    blocks
}

/// What is wrong with each block, one line per problem, naming the
/// Markdown file and line.
fn problems(blocks: &[Block], loader: &dyn Loader) -> Vec<String> {
    let mut failures = Vec::new();
    for block in blocks {
        // Compiled as a file at the root of docs/, so that `include` paths
        // resolve relative to that folder.
        let name = block.place.replace(['/', ':'], "_") + ".scrim";
        let compilation = compile(&name, &block.text, loader);
        for diagnostic in &compilation.diagnostics {
            let json = diagnostic.to_json();
            failures.push(format!(
                "{}:{} (the block at {}): {:?} {}: {}",
                block.at(json.line as usize),
                json.column,
                block.place,
                json.severity,
                json.code,
                json.message
            ));
        }
        match scrim_syntax::format_checked(&name, &block.text) {
            Ok(formatted) if formatted == block.text => {}
            Ok(formatted) => {
                let line = block
                    .text
                    .lines()
                    .zip(formatted.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| block.text.lines().count().min(formatted.lines().count()));
                failures.push(format!(
                    "{} (the block at {}): not in canonical form from this line on; `scrim fmt` writes:\n{formatted}",
                    block.at(line + 1),
                    block.place
                ));
            }
            // Its syntax errors are reported above.
            Err(scrim_syntax::FormatError::Syntax) => {}
            Err(error) => failures.push(format!("{}: cannot be formatted: {error}", block.place)),
        }
    }
    failures
}

#[test]
fn every_scrim_block_in_the_docs_compiles_and_is_formatted() {
    let blocks = all_blocks();
    assert!(
        blocks.len() >= 15,
        "found only {} ```scrim blocks in docs/*.md",
        blocks.len()
    );
    let failures = problems(&blocks, &DocsLoader { root: docs_dir() });
    assert!(
        failures.is_empty(),
        "{} problem(s) in the {} ```scrim blocks of docs/*.md:\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n")
    );
}

#[test]
fn broken_blocks_are_reported_by_file_and_line() {
    let markdown = "# t\n\n```scrim\nscrim 1\n\nmask txt \".a\"\n```\n\n```scrim\nscrim 1\nmask  text \".a\"\n```\n\n```scrim\nscrim 1\n\ninclude \"shared/base.scrim\"\ninclude \"shared/none.scrim\"\n```\n";
    let blocks = scrim_blocks("docs/t.md", markdown);
    let failures = problems(&blocks, &DocsLoader { root: docs_dir() });
    let firsts: Vec<&str> = failures
        .iter()
        .map(|f| f.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(
        firsts,
        [
            "docs/t.md:6:6 (the block at docs/t.md:3): Error syntax::unknown-channel: unknown channel `txt`",
            "docs/t.md:11 (the block at docs/t.md:9): not in canonical form from this line on; `scrim fmt` writes:",
            "docs/t.md:18:9 (the block at docs/t.md:14): Error compile::include-missing: cannot read included file `shared/none.scrim`: no such file",
        ]
    );
}

#[test]
fn the_block_extractor_finds_blocks_and_their_lines() {
    let markdown = "# t\n\n```scrim\nscrim 1\n```\n\n```sh\nscrim check x\n```\n\n```scrim\nscrim 1\n\nmask text \".a\"\n```\n";
    let blocks = scrim_blocks("docs/t.md", markdown);
    let found: Vec<(&str, &str)> = blocks
        .iter()
        .map(|b| (b.place.as_str(), b.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("docs/t.md:3", "scrim 1\n"),
            ("docs/t.md:11", "scrim 1\n\nmask text \".a\"\n"),
        ]
    );
}
