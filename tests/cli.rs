//! End-to-end tests of the `scrim` command: what a user types, what they
//! see, and the exit codes CI relies on.

mod common;

use common::scrim;

use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn example_policies() -> Vec<String> {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "scrim"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
    files.sort();
    assert!(files.len() >= 4, "the examples are missing");
    files
}

#[test]
fn examples_check_clean_and_are_formatted() {
    let files = example_policies();
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = scrim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "warnings on examples: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let args: Vec<&str> = ["fmt", "--check"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = scrim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn three_mistakes_give_three_diagnostics_at_their_positions() {
    let dir = common::scratch("cli", "three");
    let file = write(
        &dir,
        "policy.scrim",
        "scrim 1\n\nmask txt \".name\"\nblock \"div >\"\ndefault text keep\nallow text \"h1\"\n",
    );
    let out = scrim(&["check", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let positions: Vec<(u64, u64, &str)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        positions,
        [
            (3, 6, "syntax::unknown-channel"),
            (4, 12, "compile::invalid-selector"),
            (5, 14, "syntax::unknown-outcome")
        ]
    );
    for d in diagnostics.as_array().unwrap() {
        assert!(d["file"].as_str().unwrap().ends_with("policy.scrim"));
        assert!(d["help"].is_string(), "every fixable error has a help: {d}");
        assert!(d["end"].as_u64() > d["start"].as_u64());
    }

    // The human form names the file and position and shows the help.
    let out = scrim(&["check", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("policy.scrim:3:6"), "{stderr}");
    assert!(stderr.contains("did you mean `text`?"), "{stderr}");
    assert!(stderr.contains("3 error(s)"), "{stderr}");
}

#[test]
fn compile_is_byte_identical_across_runs_and_writes_nothing_on_errors() {
    let dir = common::scratch("cli", "compile");
    let first = dir.join("a.json");
    let second = dir.join("b.json");
    for out in [&first, &second] {
        let result = scrim(&[
            "compile",
            "examples/shop.scrim",
            "-o",
            &out.to_string_lossy(),
        ]);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
    }
    let a = std::fs::read(&first).unwrap();
    assert!(!a.is_empty());
    assert_eq!(a, std::fs::read(&second).unwrap());
    scrim_artifact::Artifact::from_json(std::str::from_utf8(&a).unwrap())
        .expect("the artifact loads");

    let bad = write(&dir, "bad.scrim", "scrim 1\nmask text \"p:hover\"\n");
    let target = dir.join("bad.json");
    let out = scrim(&["compile", &bad, "-o", &target.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !target.exists(),
        "an artifact was written for a broken policy"
    );
}

#[test]
fn fmt_rewrites_checks_and_refuses_broken_files() {
    let dir = common::scratch("cli", "fmt");
    let messy = write(
        &dir,
        "messy.scrim",
        "scrim 1\nmask   text,value \".a\"   # keep me\n\n\n\nallow text \".b\"\n",
    );
    let out = scrim(&["fmt", "--check", &messy]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("would reformat"));

    let out = scrim(&["fmt", &messy]);
    assert!(out.status.success());
    let formatted = std::fs::read_to_string(&messy).unwrap();
    assert_eq!(
        formatted,
        "scrim 1\nmask text, value \".a\"  # keep me\n\nallow text \".b\"\n"
    );
    assert!(scrim(&["fmt", "--check", &messy]).status.success());

    let broken_text = "scrim 1\nmask text \".a\n";
    let broken = write(&dir, "broken.scrim", broken_text);
    let out = scrim(&["fmt", &broken]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        broken_text,
        "a broken file was rewritten"
    );
}

#[test]
fn includes_resolve_relative_to_the_including_file() {
    let dir = common::scratch("cli", "include");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    write(
        &dir,
        "shared/base.scrim",
        "scrim 1\ninclude \"more.scrim\"\n",
    );
    write(
        &dir,
        "shared/more.scrim",
        "scrim 1\ninclude \"base.scrim\"\n",
    );
    let root = write(
        &dir,
        "root.scrim",
        "scrim 1\ninclude \"shared/base.scrim\"\n",
    );
    let out = scrim(&["check", "--format", "json", &root]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cycle = &diagnostics[0];
    assert_eq!(cycle["code"], "compile::include-cycle");
    assert!(
        cycle["file"]
            .as_str()
            .unwrap()
            .ends_with("shared/more.scrim")
    );
    assert_eq!(
        (cycle["line"].as_u64(), cycle["column"].as_u64()),
        (Some(2), Some(9))
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_crash() {
    let out = scrim(&["check", "does-not-exist.scrim"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("cannot read `does-not-exist.scrim`: no such file")
    );
}
