//! The compiler and the matcher read one set of definitions: what the
//! compiler accepts, the matcher loads, and what the compiler refuses as
//! an attempt to lift a floor, the matcher floors.

use scrim_compiler::{Compilation, NoFiles, compile};
use scrim_matcher::Policy;

fn compile_text(text: &str) -> Compilation {
    compile("p.scrim", text, &NoFiles)
}

/// `mask attr:PREFIX0, attr:PREFIX1, … ".x"`: one rule naming `count`
/// attributes.
fn rule_naming_attributes(prefix: &str, count: usize) -> String {
    let channels: Vec<String> = (0..count).map(|i| format!("attr:{prefix}{i}")).collect();
    format!("mask {} \".x\"\n", channels.join(", "))
}

#[test]
fn a_policy_naming_many_attributes_loads_whenever_it_compiles() {
    let per_rule = scrim_artifact::limits::MAX_LIST_ITEMS;
    let rules = scrim_artifact::limits::MAX_ATTRIBUTE_CHANNEL_NAMES / per_rule + 1;
    // The same attributes named again and again: few distinct names, so
    // nothing for a runtime to refuse.
    let mut repeated = String::from("scrim 1\n");
    for _ in 0..rules {
        repeated.push_str(&rule_naming_attributes("a", per_rule));
    }
    let compilation = compile_text(&repeated);
    let artifact = compilation
        .artifact
        .unwrap_or_else(|| panic!("{:?}", compilation.diagnostics));
    if let Err(error) = Policy::from_artifact(artifact) {
        panic!("the policy compiles but does not load: {error}");
    }
    // More distinct attribute names than the format holds: refused here,
    // not by a recorder that would then record nothing.
    let mut distinct = String::from("scrim 1\n");
    for rule in 0..rules {
        distinct.push_str(&rule_naming_attributes(&format!("r{rule}-"), per_rule));
    }
    let compilation = compile_text(&distinct);
    assert!(compilation.artifact.is_none());
    let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["compile::limit"]);
    assert!(
        compilation.diagnostics[0]
            .message
            .contains("distinct attributes"),
        "{}",
        compilation.diagnostics[0].message
    );
}
