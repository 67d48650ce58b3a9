//! `scrim test`: runs policy tests, written beside the policy in
//! `*.scrim-test.toml` files (the format is in `docs/testing-policies.md`).
//! Each test is a page at a URL with a visitor's consent and region, and
//! what the policy must do there: the page recorded or off, elements
//! blocked, channels captured, masked or ignored, decided by a given rule,
//! written exactly so.
//!
//! The output follows `cargo test`: a line per test, then each failure
//! with the decision as `scrim explain` shows it (the step, the deciding
//! rule and its policy line), then the counts. `--format json` prints the
//! same as one object. Exit 0 when every test passed, 1 when any failed or
//! a test file or policy could not be read.

mod run;
mod suite;
mod written;

use super::recording::{LoadedPolicy, load_policy};
use super::streams;
use super::{IncludeRoots, io_reason, report};
use crate::Format;
use run::Failure;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use suite::{Suite, SuiteError};

pub(crate) fn run(paths: &[PathBuf], includes: &IncludeRoots, format: Format) -> bool {
    let here = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &here[..] } else { paths };
    let mut errors = Vec::new();
    let files = discover(paths, &mut errors);
    if files.is_empty() && errors.is_empty() {
        let searched: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
        errors.push(suite::file_error(
            &searched.join(", "),
            format!(
                "no test files (`*{}`) in {}",
                suite::EXTENSION,
                searched.join(", ")
            ),
            Some(format!(
                "write tests beside the policy, in `NAME{}` (docs/testing-policies.md)",
                suite::EXTENSION
            )),
        ));
    }
    let mut policies = PolicyCache {
        includes,
        loaded: Vec::new(),
        by_path: HashMap::new(),
    };
    let mut suites = Vec::new();
    for file in &files {
        match suite::load(file, &mut policies) {
            Ok(suite) => suites.push(suite),
            Err(found) => errors.extend(found),
        }
    }
    let results: Vec<SuiteResult> = suites
        .iter()
        .map(|s| SuiteResult {
            file: s.shown.clone(),
            tests: s
                .tests
                .iter()
                .map(|t| TestResult {
                    name: t.name.clone(),
                    line: t.line,
                    failures: run::run(t, &policies.loaded[t.policy]),
                })
                .collect(),
        })
        .collect();
    let failed = results
        .iter()
        .flat_map(|s| &s.tests)
        .filter(|t| !t.failures.is_empty())
        .count();
    let printed = match format {
        Format::Human => {
            for error in &errors {
                streams::eprint(&render_error(error));
            }
            streams::print(&human(&results, errors.len()))
        }
        Format::Json => streams::print(&json(&suites, &results, &errors)),
    };
    printed && failed == 0 && errors.is_empty()
}

/// The policies the tests name, each loaded once.
pub(super) struct PolicyCache<'i> {
    includes: &'i IncludeRoots,
    loaded: Vec<LoadedPolicy>,
    by_path: HashMap<PathBuf, Option<usize>>,
}

impl PolicyCache<'_> {
    /// The index of the policy at `path`, loaded (its diagnostics printed
    /// on standard error) the first time; `None` when it does not load.
    fn load(&mut self, path: &Path) -> Option<usize> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(known) = self.by_path.get(&key) {
            return *known;
        }
        let index = load_policy(path, self.includes).map(|loaded| {
            self.loaded.push(loaded);
            self.loaded.len() - 1
        });
        self.by_path.insert(key, index);
        index
    }
}

// ------------------------------------------------------------- discovery

/// The test files: files as given, and in folders every `*.scrim-test.toml`
/// below them, in name order. Hidden folders and cache folders (with a
/// `CACHEDIR.TAG`, as cargo's `target/`) are not searched, and symbolic
/// links to folders are not followed.
fn discover(paths: &[PathBuf], errors: &mut Vec<SuiteError>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, &mut files, errors),
            Ok(_) => files.push(path.clone()),
            Err(error) => errors.push(suite::file_error(
                &path.display().to_string(),
                format!("cannot read `{}`: {}", path.display(), io_reason(&error)),
                None,
            )),
        }
    }
    // A file named twice (`scrim test examples/ examples/shop.scrim-test.toml`)
    // runs once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone())));
    files
}

fn walk(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<SuiteError>) {
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) => {
                errors.push(suite::file_error(
                    &folder.display().to_string(),
                    format!("cannot read `{}`: {}", folder.display(), io_reason(&error)),
                    None,
                ));
                continue;
            }
        };
        let mut found: Vec<(PathBuf, bool)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let kind = entry.file_type().ok()?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let path = clean(&folder, &name);
                if kind.is_dir() {
                    let searched = !name.starts_with('.') && !path.join("CACHEDIR.TAG").exists();
                    searched.then_some((path, true))
                } else {
                    name.ends_with(suite::EXTENSION).then_some((path, false))
                }
            })
            .collect();
        found.sort();
        // Files of this folder first, in name order; then its folders.
        for (path, is_dir) in found.iter().rev() {
            if *is_dir {
                folders.push(path.clone());
            }
        }
        let mut here: Vec<PathBuf> = found
            .into_iter()
            .filter(|(_, is_dir)| !is_dir)
            .map(|(p, _)| p)
            .collect();
        files.append(&mut here);
    }
}

/// `folder/name`, without a leading `./` for the current folder.
fn clean(folder: &Path, name: &str) -> PathBuf {
    if folder == Path::new(".") {
        PathBuf::from(name)
    } else {
        folder.join(name)
    }
}

// ---------------------------------------------------------------- output

struct SuiteResult {
    file: String,
    tests: Vec<TestResult>,
}

struct TestResult {
    name: String,
    line: usize,
    failures: Vec<Failure>,
}

fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn paint(text: &str, code: &str) -> String {
    if colour() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn human(results: &[SuiteResult], errors: usize) -> String {
    let mut out = String::new();
    for s in results {
        let n = s.tests.len();
        let _ = writeln!(
            out,
            "\nrunning {n} test{} from {}",
            if n == 1 { "" } else { "s" },
            s.file
        );
        for t in &s.tests {
            let verdict = if t.failures.is_empty() {
                paint("ok", "32")
            } else {
                paint("FAILED", "31")
            };
            let _ = writeln!(out, "test {} ... {verdict}", t.name);
        }
    }
    let failed: Vec<(&SuiteResult, &TestResult)> = results
        .iter()
        .flat_map(|s| s.tests.iter().map(move |t| (s, t)))
        .filter(|(_, t)| !t.failures.is_empty())
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for (s, t) in &failed {
            let _ = writeln!(out, "\n---- {} ({}:{}) ----", t.name, s.file, t.line);
            for (i, f) in t.failures.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let _ = writeln!(out, "{}:{}: {}", s.file, f.line, f.expect);
                if let Some(e) = &f.element {
                    let _ = writeln!(out, "  {}", e.path);
                }
                for line in f.message.lines() {
                    let _ = writeln!(out, "  {line}");
                }
                out.push_str(&indent(&f.shown, "  "));
            }
        }
        let _ = writeln!(out, "\nfailures:");
        for (s, t) in &failed {
            let _ = writeln!(out, "    {} ({})", t.name, s.file);
        }
    }
    let total: usize = results.iter().map(|s| s.tests.len()).sum();
    let ok = failed.is_empty() && errors == 0;
    let verdict = if ok {
        paint("ok", "32")
    } else {
        paint("FAILED", "31")
    };
    let errors_note = match errors {
        0 => String::new(),
        1 => "; 1 error".to_string(),
        n => format!("; {n} errors"),
    };
    let _ = writeln!(
        out,
        "\ntest result: {verdict}. {} passed; {} failed{errors_note}",
        total - failed.len(),
        failed.len()
    );
    out
}

fn indent(text: &str, by: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{by}{line}");
        }
    }
    out
}

/// A test file or policy error, as the compiler's diagnostics are shown:
/// with the place in the file when there is one.
fn render_error(error: &SuiteError) -> String {
    let Some(span) = &error.span else {
        let mut out = format!("error: {}\n", error.message);
        if let Some(help) = &error.help {
            let _ = writeln!(out, "  help: {help}");
        }
        return out;
    };
    let mut diagnostic = miette::MietteDiagnostic::new(error.message.clone())
        .with_severity(miette::Severity::Error)
        .with_label(miette::LabeledSpan::at(span.clone(), error.label.clone()));
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    let report = miette::Report::new(diagnostic).with_source_code(miette::NamedSource::new(
        error.file.clone(),
        error.text.to_string(),
    ));
    report::render(report.as_ref())
}

#[derive(Serialize)]
struct JsonRun<'a> {
    passed: usize,
    failed: usize,
    errors: Vec<JsonError<'a>>,
    tests: Vec<JsonTest<'a>>,
}

#[derive(Serialize)]
struct JsonTest<'a> {
    file: &'a str,
    name: &'a str,
    line: usize,
    /// `ok` or `failed`.
    result: &'static str,
    /// The policy, as the test file names it.
    policy: String,
    failures: &'a [Failure],
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

fn json(suites: &[Suite], results: &[SuiteResult], errors: &[SuiteError]) -> String {
    let tests: Vec<JsonTest<'_>> = results
        .iter()
        .zip(suites)
        .flat_map(|(r, s)| {
            r.tests.iter().zip(&s.tests).map(move |(t, test)| JsonTest {
                file: &r.file,
                name: &t.name,
                line: t.line,
                result: if t.failures.is_empty() {
                    "ok"
                } else {
                    "failed"
                },
                policy: test.policy_shown.clone(),
                failures: &t.failures,
            })
        })
        .collect();
    let failed = tests.iter().filter(|t| t.result == "failed").count();
    let run = JsonRun {
        passed: tests.len() - failed,
        failed,
        errors: errors
            .iter()
            .map(|e| {
                let position = e.position();
                JsonError {
                    file: &e.file,
                    line: position.map(|p| p.0),
                    column: position.map(|p| p.1),
                    message: &e.message,
                    help: e.help.as_deref(),
                }
            })
            .collect(),
        tests,
    };
    serde_json::to_string_pretty(&run).expect("test results serialise") + "\n"
}
