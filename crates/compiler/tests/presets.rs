//! The shipped vendor presets: each is a clean, canonically formatted policy
//! of element rules, and using one brings its rules in with preset ids.

use scrim_compiler::{NoFiles, compile, presets};

#[test]
fn every_preset_is_clean_formatted_and_only_rules() {
    assert_eq!(presets::PRESETS.len(), 10);
    for (name, text) in presets::PRESETS {
        let path = format!("preset:{name}");
        let compilation = compile(&path, text, &NoFiles);
        assert!(
            compilation.diagnostics.is_empty(),
            "{name}: {:?}",
            compilation.diagnostics
        );
        let artifact = compilation.artifact.unwrap();
        assert!(!artifact.rules.is_empty(), "{name} has no rules");
        assert!(
            artifact.page_rules.is_empty() && artifact.defaults.is_empty(),
            "{name} holds more than rules"
        );
        assert_eq!(
            scrim_syntax::format_checked(&path, text).unwrap(),
            *text,
            "{name} is not formatted"
        );
    }
}

#[test]
fn a_policy_using_presets_gets_their_rules_with_preset_ids() {
    let policy = "scrim 1\npreset rrweb, datadog\nmask text \".x\"\n";
    let artifact = compile("p.scrim", policy, &NoFiles).artifact.unwrap();
    let ids: Vec<&str> = artifact.rules.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"preset:rrweb:rr-block"), "{ids:?}");
    assert!(
        ids.iter().any(|id| id.starts_with("preset:datadog:")),
        "{ids:?}"
    );
    assert_eq!(ids.last(), Some(&"p.scrim:3"));
    let sources: Vec<&str> = artifact.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sources, ["p.scrim", "preset:rrweb", "preset:datadog"]);
    // A preset rule's location points into the preset's own text.
    let rr_block = artifact
        .rules
        .iter()
        .find(|r| r.id == "preset:rrweb:rr-block")
        .unwrap();
    assert_eq!(rr_block.loc.file, 1);
    let text = presets::preset("rrweb").unwrap();
    assert!(
        text[rr_block.loc.start as usize..rr_block.loc.end as usize]
            .starts_with("block \".rr-block\"")
    );
}
