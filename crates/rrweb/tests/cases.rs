//! The event cases: `cases/NAME.json` is a recording (events as a recorder
//! wrote them) with the policy and context it is masked under;
//! `cases/NAME.out` is what the masker writes, one event per line, then its
//! counters. `UPDATE_EXPECT=1 cargo test -p scrim-rrweb --test cases`
//! rewrites the `.out` files; review the diff.
//!
//! A case may start from a `"prelude"` (`cases/prelude/NAME.json`, events
//! that set up a page): its output and counts are not in the `.out` file.
//!
//! Every case is also masked a second time: masking the masked output must
//! change nothing (unless the case says `"idempotent": false` and why).

mod common;

use expect_test::expect_file;
use std::path::Path;

#[test]
fn every_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut paths: Vec<_> = std::fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        let policy_file = case["policy"].as_str().expect("a policy file");
        let policy_text = std::fs::read_to_string(dir.join("policies").join(policy_file))
            .unwrap_or_else(|e| panic!("{name}: {policy_file}: {e}"));
        let policy = common::policy(&policy_text);
        let consent: Vec<&str> = case["consent"]
            .as_array()
            .map(|c| c.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let context = common::context(case["url"].as_str().unwrap_or(""), &consent);
        let events = |case: &serde_json::Value| -> Vec<String> {
            case["events"]
                .as_array()
                .expect("events")
                .iter()
                .map(|e| match e.as_str() {
                    // A string is an event's raw bytes (malformed on purpose).
                    Some(raw) => raw.to_string(),
                    None => serde_json::to_string(e).unwrap(),
                })
                .collect()
        };
        let prelude = match case["prelude"].as_str() {
            Some(file) => {
                let text = std::fs::read_to_string(dir.join("cases/prelude").join(file)).unwrap();
                events(&serde_json::from_str(&text).unwrap())
            }
            None => Vec::new(),
        };
        let mut session = scrim_rrweb::Session::new(&policy, context.clone());
        let mut all = Vec::new();
        for e in &prelude {
            all.extend(session.mask_event(e.as_bytes()).events);
        }
        let before = session.stats().clone();
        let mut out = Vec::new();
        for e in &events(&case) {
            out.extend(session.mask_event(e.as_bytes()).events);
        }
        let mut text = String::new();
        for e in &out {
            text.push_str(e);
            text.push('\n');
        }
        text.push_str("-- ");
        text.push_str(&common::stats_line(&common::since(
            session.stats(),
            &before,
        )));
        text.push('\n');
        expect_file![path.with_extension("out")].assert_eq(&text);
        all.extend(out);
        if case["idempotent"].as_bool() != Some(false) {
            let (again, _) = common::mask_all(&policy, context, &all);
            assert_eq!(again, all, "{name}: masking the masked output changed it");
        }
    }
}
