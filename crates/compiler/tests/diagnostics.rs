//! The error corpus: every file in `tests/corpus/errors/` is a broken policy,
//! compiled with an in-memory loader, and its diagnostics are rendered as a
//! user sees them (miette, no colour) into one insta snapshot per file.
//! Together the files cover every diagnostic code a policy can trigger;
//! `corpus_covers_every_diagnostic_code` keeps it so.

use scrim_compiler::{Compilation, Loader, compile};
use scrim_syntax::{Code, Diagnostic};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Files that corpus policies include, by the path the compiler asks for
/// (relative to the corpus folder, where the corpus files are compiled).
const INCLUDED: &[(&str, &str)] = &[
    // Closes a cycle with `include-cycle.scrim`.
    (
        "cycle-b.scrim",
        "scrim 1\n\n# Included by include-cycle.scrim, and includes it back.\ninclude \"include-cycle.scrim\"\n",
    ),
    // Included (from a block, which is the mistake) by `not-top-level.scrim`.
    ("shared/base.scrim", "scrim 1\n\ndetect email\n"),
    // Included by `error-in-included-file.scrim`.
    (
        "shared/broken.scrim",
        "scrim 1\n\nmsk text \".address\"\nallow text \".customer-name\" as customer\n",
    ),
];

/// Diagnostic codes no policy can trigger, with the reason.
const UNREACHABLE: &[(Code, &str)] = &[
    (
        Code::CompilePresetStatement,
        "only the presets shipped with the compiler can trigger it; \
         `shipped_presets_compile_cleanly` checks they never do",
    ),
    (
        Code::CompileUrlPatternUnchecked,
        "only a panic inside the `urlpattern` crate triggers it; the guard in \
         `patterns.rs` keeps every known one from being reached, and \
         `random_url_patterns_never_panic` (tests/hardening.rs) fuzzes for others",
    ),
    (
        Code::ExplainRule,
        "advice, not a problem: `scrim explain` attaches it to the rule that decided",
    ),
];

/// A loader over a fixed set of in-memory files.
struct MemoryLoader(HashMap<String, String>);

impl MemoryLoader {
    fn new(files: &[(&str, &str)]) -> MemoryLoader {
        MemoryLoader(
            files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
        )
    }
}

impl Loader for MemoryLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        // `chain/N.scrim` includes `chain/N+1.scrim`, without end (for
        // `include-too-deep.scrim`).
        if let Some(n) = path
            .strip_prefix("chain/")
            .and_then(|rest| rest.strip_suffix(".scrim"))
            .and_then(|n| n.parse::<usize>().ok())
        {
            return Ok(format!("scrim 1\n\ninclude \"{}.scrim\"\n", n + 1));
        }
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/errors")
}

/// Every corpus file: its name (`unknown-channel.scrim`) and text.
fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(corpus_dir())
        .expect("the corpus folder exists")
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "scrim"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("a readable corpus file");
            (name, text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus is empty");
    files
}

fn compile_corpus_file(name: &str, text: &str) -> Compilation {
    compile(name, text, &MemoryLoader::new(INCLUDED))
}

/// One diagnostic as a user sees it on a terminal without colour.
fn render(diagnostic: &Diagnostic) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_context_lines(1);
    let mut out = String::new();
    handler
        .render_report(&mut out, diagnostic)
        .expect("rendering into a string cannot fail");
    out
}

/// `file:line:column severity code` for each diagnostic, then each one
/// rendered in full.
fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let json = diagnostic.to_json();
        out.push_str(&format!(
            "{}:{}:{} {:?} {}\n",
            json.file, json.line, json.column, json.severity, json.code
        ));
    }
    for diagnostic in diagnostics {
        out.push('\n');
        out.push_str(&render(diagnostic));
    }
    out
}

/// Every span lies within its file, on character boundaries.
fn assert_spans_valid(name: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        let text = diagnostic.loc.source.text();
        let span = diagnostic.loc.span;
        assert!(
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end),
            "{name}: bad span {span:?} in {diagnostic:?}"
        );
    }
}

#[test]
fn corpus_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/errors");
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();

    for (name, text) in corpus() {
        let compilation = compile_corpus_file(&name, &text);
        assert!(
            !compilation.diagnostics.is_empty(),
            "{name}: a corpus file must produce at least one diagnostic"
        );
        assert!(
            compilation.has_errors() == compilation.artifact.is_none(),
            "{name}: an artifact is produced exactly when there are no errors"
        );
        assert_spans_valid(&name, &compilation.diagnostics);
        let stem = name.trim_end_matches(".scrim");
        insta::with_settings!({ description => format!("tests/corpus/errors/{name}") }, {
            insta::assert_snapshot!(stem, render_all(&compilation.diagnostics));
        });
    }
}

#[test]
fn corpus_covers_every_diagnostic_code() {
    let mut emitted: BTreeMap<Code, Vec<String>> = BTreeMap::new();
    for (name, text) in corpus() {
        for diagnostic in compile_corpus_file(&name, &text).diagnostics {
            emitted
                .entry(diagnostic.code)
                .or_default()
                .push(name.clone());
        }
    }
    let unreachable: Vec<Code> = UNREACHABLE.iter().map(|(code, _)| *code).collect();
    // `lint::` codes are the linter's: `scrim-lint` runs every rule on the
    // examples of its documentation.
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| code.lint_rule().is_none())
        .filter(|code| !emitted.contains_key(code) && !unreachable.contains(code))
        .map(|code| code.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "no corpus file triggers these codes: {missing:?}"
    );
    for code in &unreachable {
        assert!(
            !emitted.contains_key(code),
            "`{code}` is listed as unreachable but {:?} trigger it",
            emitted[code]
        );
    }
}

#[test]
fn shipped_presets_compile_cleanly() {
    for (name, _) in scrim_compiler::presets::PRESETS {
        let text = format!("scrim 1\n\npreset {name}\n");
        let compilation = compile("p.scrim", &text, &MemoryLoader::new(&[]));
        assert!(
            compilation.diagnostics.is_empty(),
            "preset {name}: {:?}",
            compilation.diagnostics
        );
    }
}

/// `line:column code` of the errors, in order.
fn error_positions(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let json = d.to_json();
            format!("{}:{} {}", json.line, json.column, json.code)
        })
        .collect()
}

#[test]
fn three_mistakes_in_three_statements_give_three_errors() {
    let text = "scrim 1\n\
                \n\
                mask txt \".customer-name\"\n\
                allow text \"h1, h2\"\n\
                block \".chat >\"\n\
                default text capture\n\
                detect email, emial\n";
    let compilation = compile("p.scrim", text, &MemoryLoader::new(&[]));
    assert!(compilation.artifact.is_none());
    assert_eq!(
        error_positions(&compilation),
        [
            "3:6 syntax::unknown-channel",
            "5:14 compile::invalid-selector",
            "7:15 compile::unknown-detector",
        ]
    );
    assert_eq!(compilation.diagnostics.len(), 3, "no warnings either");
}

#[test]
fn three_grammar_mistakes_do_not_hide_each_other() {
    let text = "scrim 1\n\
                msk text \".a\"\n\
                on page \"/checkout/*\" {\n\
                \x20 allow text .summary\n\
                }\n\
                mask value \".pin\" with length 0\n";
    let compilation = compile("p.scrim", text, &MemoryLoader::new(&[]));
    assert_eq!(
        error_positions(&compilation),
        [
            "2:1 syntax::unknown-statement",
            "4:14 syntax::unexpected",
            "6:31 syntax::mask-length",
        ]
    );
    assert_eq!(compilation.diagnostics.len(), 3);
}
