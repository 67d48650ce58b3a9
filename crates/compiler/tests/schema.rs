//! The artifact's JSON Schema (`crates/artifact/schema/artifact.schema.json`)
//! is committed for integrators; this test fails when the Rust types and the
//! committed schema drift apart. Regenerate with `UPDATE_SCHEMA=1`.

use scrim_artifact::Artifact;
use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifact/schema/artifact.schema.json")
}

#[test]
fn committed_schema_matches_the_artifact_types() {
    let schema = schemars::schema_for!(Artifact);
    let mut generated = serde_json::to_string_pretty(&schema).unwrap();
    generated.push('\n');
    let path = schema_path();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with the artifact types: run `UPDATE_SCHEMA=1 cargo test -p scrim-compiler --test schema` and review the diff (a change to the format needs a new VERSION)",
        path.display()
    );
}

#[test]
fn compiled_examples_name_every_schema_field_they_use() {
    // The schema is derived from the same types that serialise the
    // artifact, so a compiled policy must validate structurally: every
    // top-level key of a real artifact is a property of the schema.
    let schema = serde_json::to_value(schemars::schema_for!(Artifact)).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("examples/shop.scrim");
    let text = std::fs::read_to_string(&path).unwrap();
    let compilation = scrim_compiler::compile(&path.to_string_lossy(), &text, &Fs);
    let artifact = compilation.artifact.expect("the example compiles");
    let value: serde_json::Value = serde_json::from_str(&artifact.to_json()).unwrap();
    for key in value.as_object().unwrap().keys() {
        assert!(
            properties.contains_key(key),
            "`{key}` is missing from the schema"
        );
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for key in required {
        assert!(
            value.get(key).is_some(),
            "required `{key}` missing from a compiled policy"
        );
    }
}

struct Fs;

impl scrim_compiler::Loader for Fs {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    }
}
