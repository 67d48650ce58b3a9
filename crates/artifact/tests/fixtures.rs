//! Compiled artifacts committed by earlier releases must still load: a
//! recorder in the field may hold any of them. Add new fixtures; never edit
//! or delete old ones (a format change gets a new `fixtures/vN/` folder).

use scrim_artifact::{Artifact, VERSION};
use std::path::PathBuf;

fn fixtures() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for version in std::fs::read_dir(&dir).unwrap() {
        let version = version.unwrap().path();
        for file in std::fs::read_dir(&version).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_committed_fixture_loads() {
    let all = fixtures();
    assert!(all.len() >= 4, "the fixtures folder lost files");
    for (path, text) in all {
        let artifact = Artifact::from_json(&text)
            .unwrap_or_else(|e| panic!("{} no longer loads: {e}", path.display()));
        assert_eq!(artifact.version, VERSION);
        // Loading then writing gives the same bytes: nothing is dropped or
        // reordered on the way through.
        assert_eq!(
            artifact.to_json(),
            text,
            "{} does not round-trip",
            path.display()
        );
    }
}

#[test]
fn a_damaged_fixture_is_refused() {
    let (_, text) = fixtures().into_iter().next().unwrap();
    // Fail closed: an unknown field, a dangling scope or a truncated file is
    // an error, never a partially loaded policy.
    let with_extra = text.replacen("\"format\"", "\"surprise\": 1,\n  \"format\"", 1);
    assert!(Artifact::from_json(&with_extra).is_err());
    let dangling = text.replacen("\"scope\": 0", "\"scope\": 9999", 1);
    assert!(Artifact::from_json(&dangling).is_err());
    assert!(Artifact::from_json(&text[..text.len() / 2]).is_err());
}
