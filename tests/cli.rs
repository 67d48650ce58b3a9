//! End-to-end tests of the `scrim` command: what a user types, what they
//! see, and the exit codes CI relies on.

mod common;

use common::{example_policy_args, scrim, write};

use std::path::Path;

#[test]
fn examples_check_clean_and_are_formatted() {
    let files = example_policy_args();
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

// ------------------------------------------------------ inputs and outputs

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `scrim check --format json ARGS`: it fails, and the messages of its
/// diagnostics (unwrapped, unlike the human form).
fn check_messages(args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = scrim(&all);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_directory_given_as_a_policy_says_so_in_words() {
    let dir = common::scratch("cli", "directory");
    let path = dir.to_string_lossy().into_owned();
    for args in [
        vec!["check", &path],
        vec!["fmt", &path],
        vec!["compile", &path],
        vec![
            "mask",
            "--policy",
            &path,
            "--url",
            "https://a.example/",
            "examples/pages/shop-checkout.html",
        ],
    ] {
        let out = scrim(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out),
            format!("error: cannot read `{path}`: is a directory\n"),
            "{args:?}"
        );
    }
}

#[test]
fn writing_under_a_path_that_is_a_file_says_not_a_directory() {
    let dir = common::scratch("cli", "not-a-dir");
    let file = write(&dir, "plain", "not a folder");
    let target = format!("{file}/out.json");
    let out = scrim(&["compile", "examples/shop.scrim", "-o", &target]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("error: cannot write `{target}`: a part of the path is not a directory\n")
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

#[cfg(unix)]
#[test]
fn named_pipes_and_devices_are_refused_without_blocking() {
    let dir = common::scratch("cli", "fifo");
    let fifo = dir.join("policy.scrim");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo = fifo.to_string_lossy().into_owned();
    let page = "examples/pages/shop-checkout.html";
    let url = "https://shop.example.com/";
    let root = write(&dir, "root.scrim", "scrim 1\ninclude \"/dev/zero\"\n");
    let via_fifo = write(
        &dir,
        "via-fifo.scrim",
        "scrim 1\ninclude \"policy.scrim\"\n",
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", &fifo], "a named pipe"),
        (vec!["fmt", &fifo], "a named pipe"),
        (vec!["compile", &fifo], "a named pipe"),
        (
            vec!["mask", "--policy", &fifo, "--url", url, page],
            "a named pipe",
        ),
        (
            vec!["mask", "--policy", "/dev/zero", "--url", url, page],
            "a device",
        ),
        (
            vec![
                "mask",
                "--policy",
                "examples/shop.scrim",
                "--url",
                url,
                &fifo,
            ],
            "a named pipe",
        ),
        (
            vec![
                "explain",
                "--policy",
                "examples/shop.scrim",
                "--url",
                url,
                "/dev/zero",
            ],
            "a device",
        ),
    ];
    for (args, kind) in cases {
        let out = common::finishes(common::command(&args));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("not a regular file ({kind})")),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    for (args, kind) in [
        (vec![via_fifo.as_str()], "a named pipe"),
        (vec!["--include-root", "/", root.as_str()], "a device"),
    ] {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(&args);
        let out = common::finishes(common::command(&all));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("not a regular file ({kind})")),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn files_over_the_size_limits_are_refused_before_they_are_read() {
    let dir = common::scratch("cli", "too-large");
    // Sparse: the size is what counts, nothing is written.
    let huge = dir.join("huge.scrim");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(16 * 1024 * 1024 + 1)
        .unwrap();
    let huge = huge.to_string_lossy().into_owned();
    let out = scrim(&["check", &huge]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("error: cannot read `{huge}`: larger than the 16 MiB limit for policy files\n")
    );

    let root = write(&dir, "root.scrim", "scrim 1\ninclude \"huge.scrim\"\n");
    assert_eq!(
        check_messages(&[&root]),
        [format!(
            "cannot read included file `{huge}`: larger than the 16 MiB limit for policy files"
        )]
    );

    let page = dir.join("huge.html");
    std::fs::File::create(&page)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let page = page.to_string_lossy().into_owned();
    let out = scrim(&[
        "mask",
        "--policy",
        "examples/shop.scrim",
        "--url",
        "https://shop.example.com/",
        &page,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot mask `{page}`: the page is 67108865 bytes (the limit is 67108864)\n  help: raise the limit with `--max-bytes N`\n"
        )
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn includes_stay_in_the_policy_folder_unless_the_command_line_allows_more() {
    let dir = common::scratch("cli", "confined");
    std::fs::create_dir_all(dir.join("policy/shared")).unwrap();
    std::fs::create_dir_all(dir.join("private")).unwrap();
    write(&dir, "private/secret.scrim", "TOP-SECRET-TOKEN\n");
    write(&dir, "private/rules.scrim", "scrim 1\nallow text \"h1\"\n");
    write(
        &dir,
        "policy/shared/base.scrim",
        "scrim 1\nmask text \".name\"\n",
    );
    let inside = write(
        &dir,
        "policy/inside.scrim",
        "scrim 1\ninclude \"shared/base.scrim\"\n",
    );
    assert!(scrim(&["check", &inside]).status.success());

    let allowed = dir.join("policy").canonicalize().unwrap();
    for (name, include) in [
        ("dotdot.scrim", "../private/secret.scrim"),
        ("absolute.scrim", "/etc/passwd"),
        ("sneaky.scrim", "shared/../../private/secret.scrim"),
    ] {
        let root = write(
            &dir,
            &format!("policy/{name}"),
            &format!("scrim 1\ninclude \"{include}\"\n"),
        );
        let [message] = check_messages(&[&root]).try_into().unwrap();
        assert!(
            message.ends_with(&format!(
                "it is outside `{}`, the folder includes may come from; \
                 pass `--include-root <dir>` to allow includes from there",
                allowed.display()
            )),
            "{include}: {message}"
        );
        // Refused before it is read: nothing of it shows.
        let out = scrim(&["check", &root]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            !stderr(&out).contains("TOP-SECRET-TOKEN"),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("root:"), "{}", stderr(&out));
    }

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.join("private/secret.scrim"),
            dir.join("policy/shared/link.scrim"),
        )
        .unwrap();
        let root = write(
            &dir,
            "policy/symlink.scrim",
            "scrim 1\ninclude \"shared/link.scrim\"\n",
        );
        let [message] = check_messages(&[&root]).try_into().unwrap();
        assert!(
            message.contains("the folder includes may come from"),
            "{message}"
        );
        assert!(!stderr(&scrim(&["check", &root])).contains("TOP-SECRET-TOKEN"));
    }

    // The command line may allow another tree.
    let root = write(
        &dir,
        "policy/wider.scrim",
        "scrim 1\ninclude \"../private/rules.scrim\"\n",
    );
    let out = scrim(&["check", &root]);
    assert_eq!(out.status.code(), Some(1));
    let private = dir.join("private").to_string_lossy().into_owned();
    let out = scrim(&["check", "--include-root", &private, &root]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = scrim(&[
        "mask",
        "--include-root",
        &private,
        "--policy",
        &root,
        "--url",
        "https://shop.example.com/",
        "examples/pages/shop-checkout.html",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let missing = dir.join("nowhere").to_string_lossy().into_owned();
    let out = scrim(&["check", "--include-root", &missing, &inside]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("error: cannot use `--include-root {missing}`: no such file\n")
    );
}

/// Runs `scrim ARGS` with standard output (or error) on `/dev/full`.
#[cfg(target_os = "linux")]
fn on_full_device(args: &[&str], stream: &str) -> std::process::Output {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut command = common::command(args);
    if stream == "stdout" {
        command.stdout(full());
    } else {
        command.stderr(full());
    }
    command.output().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error_not_a_crash() {
    let mask = [
        "mask",
        "--policy",
        "examples/shop.scrim",
        "--url",
        "https://shop.example.com/checkout/payment",
        "--consent",
        "session-replay",
        "examples/pages/shop-checkout.html",
    ];
    let mut explain = mask.to_vec();
    explain[0] = "explain";
    let mut explain_json = explain.clone();
    explain_json.extend(["--format", "json"]);
    let broken = common::scratch("cli", "full");
    let broken = write(&broken, "bad.scrim", "scrim 1\nmask txt \".a\"\n");
    for args in [
        vec!["compile", "examples/shop.scrim"],
        mask.to_vec(),
        explain,
        explain_json,
        vec!["check", "--format", "json", &broken],
        vec!["--help"],
    ] {
        let out = on_full_device(&args, "stdout");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "error: cannot write standard output: no space left on the device\n",
            "{args:?}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_error_does_not_crash_and_keeps_the_exit_code() {
    let dir = common::scratch("cli", "full-stderr");
    let broken = write(&dir, "bad.scrim", "scrim 1\nmask txt \".a\"\n");
    let messy = write(&dir, "messy.scrim", "scrim 1\nmask   text \".a\"\n");
    for (args, code) in [
        (vec!["check", broken.as_str()], 1),
        (vec!["fmt", "--check", messy.as_str()], 1),
        (vec!["compile", "examples/shop.scrim", "-o", "/dev/null"], 0),
        (
            vec![
                "mask",
                "--policy",
                "examples/shop.scrim",
                "--url",
                "https://shop.example.com/",
                "examples/pages/shop-checkout.html",
            ],
            0,
        ),
    ] {
        let out = on_full_device(&args, "stderr");
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

/// A page whose masked form (or explanation) is far larger than a pipe's
/// buffer, so the writer is still writing when the reader goes away.
fn large_page(dir: &Path, rows: usize) -> String {
    let mut html = String::from("<!DOCTYPE html><html><body>");
    for i in 0..rows {
        html.push_str(&format!("<p class=\"row\">line {i} of a long page</p>"));
    }
    html.push_str("</body></html>");
    write(dir, "large.html", &html)
}

#[cfg(unix)]
#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = common::scratch("cli", "pipe");
    for (command, rows) in [("mask", 20_000), ("explain", 2_000)] {
        let page = large_page(&dir, rows);
        let mut child = common::command(&[
            command,
            "--policy",
            "examples/shop.scrim",
            "--url",
            "https://shop.example.com/",
            "--consent",
            "session-replay",
            &page,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        // `| head -c 10`
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{command}");
    }
}

/// Runs `scrim ARGS` where no file may grow past 512 bytes, with the
/// signal for that ignored: every write past the limit fails midway, as on
/// a full disk.
#[cfg(unix)]
fn with_file_size_limit(args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_scrim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_midway_leaves_the_old_file_whole() {
    let dir = common::scratch("cli", "atomic");
    let mut messy = String::from("scrim 1\n");
    for i in 0..2_000 {
        messy.push_str(&format!("mask   text \".c{i}\"\n"));
    }
    let policy = write(&dir, "policy.scrim", &messy);
    let out = with_file_size_limit(&["fmt", &policy]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("error: cannot write `{policy}`: the file is too large\n")
    );
    assert_eq!(std::fs::read_to_string(&policy).unwrap(), messy);
    assert_eq!(common::file_names(&dir), ["policy.scrim"]);

    let old_artifact = "x".repeat(42_000);
    let target = write(&dir, "policy.json", &old_artifact);
    let out = with_file_size_limit(&["compile", "examples/shop.scrim", "-o", &target]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the file is too large"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), old_artifact);
    assert_eq!(common::file_names(&dir), ["policy.json", "policy.scrim"]);

    // Without the limit both succeed, and nothing else is left behind.
    assert!(scrim(&["fmt", &policy]).status.success());
    assert!(
        scrim(&["compile", "examples/shop.scrim", "-o", &target])
            .status
            .success()
    );
    assert!(std::fs::read_to_string(&target).unwrap().starts_with('{'));
    assert_eq!(common::file_names(&dir), ["policy.json", "policy.scrim"]);
}

#[cfg(unix)]
#[test]
fn fmt_keeps_the_permissions_and_links_of_the_file_it_rewrites() {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::scratch("cli", "permissions");
    let policy = write(&dir, "policy.scrim", "scrim 1\nmask   text \".a\"\n");
    std::fs::set_permissions(&policy, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert!(scrim(&["fmt", &policy]).status.success());
    assert_eq!(
        std::fs::read_to_string(&policy).unwrap(),
        "scrim 1\nmask text \".a\"\n"
    );
    let mode = std::fs::metadata(&policy).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);

    // A link stays a link: the file it points to is rewritten.
    let link = dir.join("link.scrim");
    std::os::unix::fs::symlink(&policy, &link).unwrap();
    std::fs::write(&policy, "scrim 1\nallow   text \".b\"\n").unwrap();
    assert!(scrim(&["fmt", &link.to_string_lossy()]).status.success());
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(
        std::fs::read_to_string(&policy).unwrap(),
        "scrim 1\nallow text \".b\"\n"
    );
    assert_eq!(common::file_names(&dir), ["link.scrim", "policy.scrim"]);
}
