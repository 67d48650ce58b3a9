//! Loading refuses (fails closed) an artifact whose regular expressions
//! the compiler would have refused: larger than the shared
//! [`REGEX_SIZE_LIMIT`], or nested deeper than the engine allows, without
//! overflowing a small stack on the way.

mod common;

use common::*;
use scrim_artifact::*;
use scrim_matcher::{LoadError, Policy};

fn with_detector(pattern: &str) -> Artifact {
    let mut artifact = empty_artifact();
    artifact.detectors.push(Detector {
        id: "custom".into(),
        scope: 0,
        kind: DetectorKind::Pattern {
            pattern: pattern.into(),
        },
        loc: loc(2),
    });
    artifact
}

fn with_page_pattern(pathname: &str) -> Artifact {
    let mut artifact = empty_artifact();
    artifact.page_rules.push(PageRule {
        id: "never".into(),
        scope: 0,
        kind: PageRuleKind::NeverRecord {
            patterns: vec![pattern("/x/*", ".*", pathname)],
        },
        loc: loc(2),
    });
    artifact
}

fn with_path_redaction(pattern: &str) -> Artifact {
    let mut artifact = empty_artifact();
    artifact.redactions.push(Redaction {
        scope: 0,
        kind: RedactionKind::PathSegment {
            pattern: pattern.into(),
        },
        loc: loc(2),
    });
    artifact
}

/// Refused for its expression: by the engine, or, past
/// [`limits::MAX_EXPRESSION_BYTES`], by the artifact's bounds before the
/// engine sees it.
fn refused(artifact: Artifact) -> bool {
    matches!(
        Policy::from_artifact(artifact),
        Err(LoadError::Regex { .. } | LoadError::Artifact(scrim_artifact::LoadError::Invalid(_)))
    )
}

#[test]
fn regexes_past_the_size_limit_are_refused() {
    let huge = "a{0,65535}b";
    assert!(refused(with_detector(huge)), "detector");
    assert!(refused(with_page_pattern(huge)), "URL pattern");
    assert!(refused(with_path_redaction(huge)), "redact path");
}

#[test]
fn regexes_within_the_limit_load() {
    let ordinary = "[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,255}";
    assert!(Policy::from_artifact(with_detector(ordinary)).is_ok());
    assert!(Policy::from_artifact(with_page_pattern(ordinary)).is_ok());
    assert!(Policy::from_artifact(with_path_redaction(ordinary)).is_ok());
    // The built-in detectors are far below the limit.
    let mut artifact = empty_artifact();
    for (id, kind) in [
        ("email", DetectorKind::Email),
        ("card", DetectorKind::Card),
        ("phone", DetectorKind::Phone),
        ("national-id", DetectorKind::NationalId),
    ] {
        artifact.detectors.push(Detector {
            id: id.into(),
            scope: 0,
            kind,
            loc: loc(2),
        });
    }
    assert!(Policy::from_artifact(artifact).is_ok());
}

#[test]
fn deeply_nested_regexes_are_refused_on_a_small_stack() {
    let refusals = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            [60, 7_000, 100_000].map(|depth| {
                let deep = format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
                // The deepest is also longer than any expression an artifact
                // may hold, so the artifact check refuses it first.
                let refused = |artifact| {
                    matches!(
                        Policy::from_artifact(artifact),
                        Err(LoadError::Regex { .. } | LoadError::Artifact(_))
                    )
                };
                [
                    refused(with_detector(&deep)),
                    refused(with_page_pattern(&deep)),
                    refused(with_path_redaction(&deep)),
                ]
            })
        })
        .expect("a thread starts")
        .join()
        .expect("no overflow");
    assert_eq!(refusals, [[true; 3]; 3]);
}
