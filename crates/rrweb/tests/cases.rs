//! The event cases: `cases/NAME.json` is a recording (events as a recorder
//! wrote them) with the policy and context it is masked under;
//! `cases/NAME.out` is what the masker writes, one event per line, then its
//! counters. `UPDATE_EXPECT=1 cargo test -p scrim-rrweb --test cases`
//! rewrites the `.out` files; review the diff.
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
        let events: Vec<String> = case["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| match e.as_str() {
                // A string is an event's raw bytes (malformed on purpose).
                Some(raw) => raw.to_string(),
                None => serde_json::to_string(e).unwrap(),
            })
            .collect();
        let (out, stats) = common::mask_all(&policy, context.clone(), &events);
        let mut text = String::new();
        for e in &out {
            text.push_str(e);
            text.push('\n');
        }
        text.push_str("-- ");
        text.push_str(&common::stats_line(&stats));
        text.push('\n');
        expect_file![path.with_extension("out")].assert_eq(&text);
        if case["idempotent"].as_bool() != Some(false) {
            let (again, _) = common::mask_all(&policy, context, &out);
            assert_eq!(again, out, "{name}: masking the masked output changed it");
        }
    }
}
