//! The compiler and the matcher read one set of definitions: what the
//! compiler accepts, the matcher loads, and what the compiler refuses as
//! an attempt to lift a floor, the matcher floors.

use scrim_artifact::vocabulary::{
    FLOOR_AUTOCOMPLETE_PREFIXES, FLOOR_AUTOCOMPLETE_TOKENS, FLOOR_INPUT_TYPES, Floor,
};
use scrim_compiler::{Compilation, NoFiles, compile};
use scrim_html::Document;
use scrim_matcher::{ChannelOutcome, Context, Page, Policy};
use scrim_syntax::Code;

fn compile_text(text: &str) -> Compilation {
    compile("p.scrim", text, &NoFiles)
}

/// The floor the compiler refuses `allow value "SELECTOR"` for, or `None`
/// when it compiles the rule.
fn refused_floor(selector: &str) -> Option<String> {
    let compilation = compile_text(&format!("scrim 1\nallow value \"{selector}\"\n"));
    if compilation.artifact.is_some() {
        return None;
    }
    let codes: Vec<Code> = compilation.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::CompileAllowFloor], "{selector}");
    Some(compilation.diagnostics[0].message.clone())
}

/// A policy that allows the value of every input, loaded.
fn allowing_every_value() -> Policy {
    let compilation = compile_text("scrim 1\nallow value \"input\"\n");
    Policy::from_artifact(compilation.artifact.expect("the policy compiles")).unwrap()
}

fn page(policy: &Policy) -> Page<'_> {
    policy.page(&Context {
        url: "https://shop.example/checkout".into(),
        ..Context::default()
    })
}

/// Whether the matcher floors the value of each element `selector` picks
/// in `doc` (at least one) under a policy that allows every value.
fn floored(page: &Page<'_>, doc: &Document, selector: &str) -> bool {
    let picked = doc.select(selector).expect("a valid selector");
    assert!(!picked.is_empty(), "`{selector}` selects nothing");
    picked.into_iter().all(|element| {
        let value = page.decide(element).value;
        assert!(
            matches!(value, ChannelOutcome::Capture | ChannelOutcome::Mask(_)),
            "{selector}: {value:?}"
        );
        !value.is_capture()
    })
}

/// For each floor of the vocabulary, ways a selector names it, with an
/// element each selects.
fn floor_selectors() -> Vec<(Floor, String, String)> {
    let mut cases = Vec::new();
    for &(t, floor) in FLOOR_INPUT_TYPES {
        let upper = t.to_ascii_uppercase();
        for (selector, element) in [
            (format!("input[type={t}]"), format!(r#"<input type="{t}">"#)),
            (
                format!("[type='{upper}' i]"),
                format!(r#"<input type="{upper}">"#),
            ),
            (
                format!("form input[type~={t}]"),
                format!(r#"<form><input type="{t}"></form>"#),
            ),
            (
                format!("input:is(.x, [type^={t}])"),
                format!(r#"<input type="{t}">"#),
            ),
        ] {
            cases.push((floor, selector, element));
        }
    }
    for &(token, floor) in FLOOR_AUTOCOMPLETE_TOKENS {
        for (selector, element) in [
            (
                format!("input[autocomplete={token}]"),
                format!(r#"<input autocomplete="{token}">"#),
            ),
            (
                format!("input[autocomplete~={token}]"),
                format!(r#"<input autocomplete="section-a {token}">"#),
            ),
            (
                format!("[AUTOCOMPLETE={token}]"),
                format!(r#"<input autocomplete="{token}">"#),
            ),
        ] {
            cases.push((floor, selector, element));
        }
    }
    for &(prefix, floor) in FLOOR_AUTOCOMPLETE_PREFIXES {
        for (selector, element) in [
            (
                format!("input[autocomplete^={prefix}]"),
                format!(r#"<input autocomplete="{prefix}number">"#),
            ),
            (
                format!("input[autocomplete='{prefix}exp']"),
                format!(r#"<input autocomplete="{prefix}exp">"#),
            ),
        ] {
            cases.push((floor, selector, element));
        }
    }
    cases
}

#[test]
fn what_the_compiler_refuses_as_a_floor_the_matcher_floors() {
    let policy = allowing_every_value();
    let page = page(&policy);
    for (floor, selector, element) in floor_selectors() {
        let message = refused_floor(&selector)
            .unwrap_or_else(|| panic!("`allow value \"{selector}\"` compiles"));
        assert!(message.contains(floor.inputs()), "{selector}: {message}");
        let doc = Document::parse(&format!(
            r#"{element}<input class="plain" type="text" autocomplete="email">"#
        ));
        assert!(floored(&page, &doc, &selector), "{selector} in {element}");
        // The allow itself works: what no floor protects is captured.
        assert!(!floored(&page, &doc, ".plain"), "{element}");
    }
}

#[test]
fn for_an_exact_value_the_compiler_refuses_what_the_matcher_floors_and_no_more() {
    let words = [
        "password",
        "PassWord",
        "hidden",
        "text",
        "button",
        "current-password",
        "new-password",
        "one-time-code",
        "cc-number",
        "CC-",
        "cc",
        "xcc-exp",
        "email",
        "section-a",
        "off",
    ];
    let mut values: Vec<String> = Vec::new();
    for a in words {
        values.push(a.to_string());
        values.push(format!(" {a}\t"));
        for b in words {
            values.push(format!("{a} {b}"));
        }
    }
    let policy = allowing_every_value();
    let page = page(&policy);
    for attribute in ["type", "autocomplete"] {
        let html: String = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!(r#"<input id="v{i}" {attribute}="{v}">"#))
            .collect();
        let doc = Document::parse(&html);
        for (i, value) in values.iter().enumerate() {
            let selector = format!("input[{attribute}='{value}']");
            let refused = refused_floor(&selector).is_some();
            assert_eq!(
                refused,
                floored(&page, &doc, &format!("#v{i}")),
                "{attribute}={value:?}: the compiler {} it",
                if refused { "refuses" } else { "accepts" }
            );
        }
    }
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
    let codes: Vec<Code> = compilation.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::CompileLimit]);
    assert!(
        compilation.diagnostics[0]
            .message
            .contains("distinct attributes"),
        "{}",
        compilation.diagnostics[0].message
    );
}
