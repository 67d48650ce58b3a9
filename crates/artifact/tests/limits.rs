//! A loader refuses every artifact the compiler would never write: values
//! out of the language's bounds (a mask length of 4,000,000,000 would
//! write 4 GB for one masked `<p>`), oversized lists and strings, names
//! that are not names, and structure the language cannot express. Refusal
//! is fail-closed: an integration that cannot load its policy records
//! nothing.

use scrim_artifact::{Artifact, LoadError, limits};
use serde_json::{Value, json};

fn shop() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/v1/shop.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The shop fixture with one change, loaded.
fn load(change: impl FnOnce(&mut Value)) -> Result<Artifact, LoadError> {
    let mut value = shop();
    change(&mut value);
    Artifact::from_json(&value.to_string())
}

/// The shop fixture with one change: refused, with a message naming `what`.
fn refused(what: &str, change: impl FnOnce(&mut Value)) {
    match load(change) {
        Ok(_) => panic!("an artifact with {what} loads"),
        Err(error @ (LoadError::Invalid(_) | LoadError::Inconsistent(_))) => {
            let message = error.to_string();
            assert!(
                message.contains(what),
                "the error for {what} does not say so: {message}"
            );
            assert!(!message.ends_with('.'), "{message}");
        }
        Err(other) => panic!("{what}: refused for another reason: {other}"),
    }
}

fn rule<'v>(artifact: &'v mut Value, id: &str) -> &'v mut Value {
    artifact["rules"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == id)
        .unwrap()
}

#[test]
fn mask_lengths_are_those_the_language_accepts() {
    for length in [0u64, 1025, 4_000_000_000] {
        refused("length", |a| {
            rule(a, "shop.scrim:50")["strategy"]["length"] = json!(length)
        });
    }
    for length in [*limits::MASK_LENGTH.start(), *limits::MASK_LENGTH.end()] {
        assert!(load(|a| rule(a, "shop.scrim:50")["strategy"]["length"] = json!(length)).is_ok());
    }
}

#[test]
fn fixed_mask_texts_are_bounded() {
    let longest = "é".repeat(limits::MAX_FIXED_TEXT_CHARS);
    assert!(load(|a| rule(a, "shop.scrim:47")["strategy"]["text"] = json!(longest)).is_ok());
    let longer = "x".repeat(limits::MAX_FIXED_TEXT_CHARS + 1);
    refused("fixed text", |a| {
        rule(a, "shop.scrim:47")["strategy"]["text"] = json!(longer)
    });
}

#[test]
fn only_mask_rules_have_a_strategy_or_a_seal() {
    refused("strategy", |a| {
        rule(a, "shop.scrim:40")["strategy"] = json!({"kind": "length", "length": 3})
    });
    refused("sealed", |a| {
        rule(a, "shop.scrim:40")["sealed"] = json!(true)
    });
}

#[test]
fn selectors_are_present_and_bounded() {
    refused("selector", |a| {
        rule(a, "customer-name")["selector"] = json!("")
    });
    refused("selector", |a| {
        rule(a, "customer-name")["selector"] = json!("  ")
    });
    let long = format!("p{}", ", p".repeat(limits::MAX_SELECTOR_BYTES / 3 + 1));
    refused("selector", |a| {
        rule(a, "customer-name")["selector"] = json!(long)
    });
}

#[test]
fn attribute_names_are_names() {
    for name in ["a b", "x\"", "1x", "-x", "x>", "Title", "x=y", ""] {
        if !name.is_empty() {
            refused("attribute", |a| {
                rule(a, "shop.scrim:44")["channels"] = json!([format!("attr:{name}")])
            });
        }
        refused("attribute", |a| {
            a["sensitive_attributes"] = json!({"mode": "all_except", "names": [name]})
        });
    }
    assert!(matches!(
        load(|a| rule(a, "shop.scrim:44")["channels"] = json!(["attr:"])),
        Err(LoadError::Malformed(_))
    ));
    for name in ["data-x", "xlink:href", "_x.y"] {
        assert!(
            load(|a| rule(a, "shop.scrim:44")["channels"] = json!([format!("attr:{name}")]))
                .is_ok(),
            "{name}"
        );
    }
}

#[test]
fn attribute_prefixes_are_names_with_one_trailing_star() {
    // Only a trailing `*` after a whole attribute name: no bare `*`, no `*`
    // inside, no second star, no uppercase.
    for entry in ["*", "**", "data-**", "*-id", "da*ta", "Data-*", "-*"] {
        refused("attribute", |a| {
            rule(a, "shop.scrim:44")["channels"] = json!([format!("attr:{entry}")])
        });
        refused("attribute", |a| {
            a["sensitive_attributes"] = json!({"mode": "all_except", "names": [entry]})
        });
    }
    for entry in ["data-*", "aria-*", "x*"] {
        assert!(
            load(|a| rule(a, "shop.scrim:44")["channels"] = json!([format!("attr:{entry}")]))
                .is_ok(),
            "{entry}"
        );
        assert!(
            load(|a| a["sensitive_attributes"] =
                json!({"mode": "only", "names": [entry], "builtin": false}))
            .is_ok(),
            "{entry}"
        );
    }
    // A name and a prefix are two channels, in a fixed order.
    assert!(
        load(|a| rule(a, "shop.scrim:44")["channels"] = json!(["attr:data-x", "attr:data-*"]))
            .is_ok()
    );
    refused("order", |a| {
        rule(a, "shop.scrim:44")["channels"] = json!(["attr:data-*", "attr:data-x"])
    });
}

#[test]
fn attribute_sets_are_sorted_and_hold_the_builtin_list() {
    refused("sorted", |a| {
        a["sensitive_attributes"] = json!({"mode": "all_except", "names": ["id", "class"]})
    });
    refused("sorted", |a| {
        a["sensitive_attributes"] = json!({"mode": "all_except", "names": ["id", "id"]})
    });
    refused("built-in", |a| {
        a["sensitive_attributes"] = json!({"mode": "only", "names": ["alt"], "builtin": true})
    });
    assert!(
        load(|a| a["sensitive_attributes"] =
            json!({"mode": "only", "names": ["alt"], "builtin": false}))
        .is_ok()
    );
}

#[test]
fn channels_are_sorted_without_duplicates() {
    refused("channels", |a| {
        rule(a, "preset:rrweb:rr-mask")["channels"] = json!(["value", "text"])
    });
    refused("channels", |a| {
        rule(a, "preset:rrweb:rr-mask")["channels"] = json!(["text", "text"])
    });
}

#[test]
fn scopes_nest_as_blocks_do() {
    refused("earlier parent", |a| a["scopes"][1]["parent"] = json!(1));
    refused("earlier parent", |a| a["scopes"][1]["parent"] = json!(2));
    refused("condition", |a| a["scopes"][1]["conditions"] = json!([]));
    refused("location", |a| a["scopes"][1]["loc"] = json!(null));
    refused("root scope", |a| {
        a["scopes"][0]["loc"] = a["scopes"][1]["loc"].clone()
    });
}

#[test]
fn conditions_name_real_categories_regions_and_patterns() {
    let consent = |category: &str| json!([{"kind": "consent", "category": category}]);
    refused("category", |a| a["scopes"][2]["conditions"] = consent(""));
    refused("category", |a| {
        a["scopes"][2]["conditions"] = consent("a b")
    });
    refused("region", |a| {
        a["scopes"][2]["conditions"] = json!([{"kind": "region", "codes": ["eu"]}])
    });
    refused("region", |a| {
        a["scopes"][2]["conditions"] = json!([{"kind": "region", "codes": []}])
    });
    refused("pattern", |a| {
        a["scopes"][1]["conditions"] = json!([{"kind": "page", "patterns": []}])
    });
    refused("consent categories", |a| {
        a["page_rules"][0]["kind"]["categories"] = json!([])
    });
}

#[test]
fn page_decisions_are_not_scoped_to_pages() {
    refused("page", |a| a["page_rules"][2]["scope"] = json!(1));
}

#[test]
fn url_patterns_and_expressions_are_bounded() {
    fn pattern(a: &mut Value) -> &mut Value {
        &mut a["page_rules"][1]["kind"]["patterns"][0]
    }
    let long_source = format!("/{}", "a".repeat(limits::MAX_URL_PATTERN_BYTES));
    refused("URL pattern", |a| pattern(a)["source"] = json!(long_source));
    refused("URL pattern", |a| pattern(a)["source"] = json!(""));
    let long_regex = format!("^{}$", "a".repeat(limits::MAX_EXPRESSION_BYTES));
    refused("hostname", |a| pattern(a)["hostname"] = json!(long_regex));
    refused("pathname", |a| pattern(a)["pathname"] = json!(""));
    refused("expression", |a| {
        a["redactions"][1]["kind"]["pattern"] = json!(long_regex)
    });
    refused("expression", |a| {
        a["redactions"][1]["kind"]["pattern"] = json!("")
    });
}

#[test]
fn detectors_are_bounded_and_named() {
    refused("detector", |a| a["detectors"][0]["id"] = json!("phone"));
    refused("detector", |a| {
        a["detectors"][0] = json!({
            "id": "email",
            "scope": 0,
            "kind": {"type": "pattern", "pattern": "x"},
            "loc": a["detectors"][0]["loc"].clone(),
        })
    });
    refused("detector", |a| {
        a["detectors"][0]["kind"] = json!({"type": "pattern", "pattern": ""});
        a["detectors"][0]["id"] = json!("custom");
    });
    let one = shop()["detectors"][0].clone();
    refused("detectors", |a| {
        a["detectors"] = Value::Array(vec![one; limits::MAX_DETECTORS + 1])
    });
}

#[test]
fn query_redactions_name_parameters() {
    refused("query", |a| a["redactions"][0]["kind"]["names"] = json!([]));
    refused("parameter", |a| {
        a["redactions"][0]["kind"]["names"] = json!(["a b"])
    });
}

#[test]
fn sources_locations_and_language_are_what_a_compiler_writes() {
    refused("source", |a| a["sources"] = json!([]));
    refused("source", |a| a["sources"][0]["name"] = json!(""));
    refused("line", |a| a["rules"][0]["loc"]["line"] = json!(0));
    refused("column", |a| a["rules"][0]["loc"]["column"] = json!(0));
    refused("language", |a| a["language"] = json!(2));
    refused("id", |a| a["rules"][0]["id"] = json!(""));
}

#[test]
fn lists_are_bounded() {
    // Built in memory: a JSON text of this size would only slow the test.
    let artifact = Artifact::from_json(&shop().to_string()).unwrap();
    let mut many = artifact.clone();
    many.rules = vec![artifact.rules[0].clone(); limits::MAX_STATEMENTS + 1];
    let error = many.check().unwrap_err();
    assert!(error.to_string().contains("rules"), "{error}");
    let mut many = artifact.clone();
    let scope = artifact.scopes[2].clone();
    many.scopes
        .extend(std::iter::repeat_n(scope, limits::MAX_STATEMENTS));
    let error = many.check().unwrap_err();
    assert!(error.to_string().contains("scopes"), "{error}");
    let mut many = artifact.clone();
    many.redactions[0].kind = scrim_artifact::RedactionKind::Query {
        names: vec!["a".into(); limits::MAX_LIST_ITEMS + 1],
    };
    let error = many.check().unwrap_err();
    assert!(error.to_string().contains("names"), "{error}");
    assert!(artifact.check().is_ok());
}

#[test]
fn attribute_channel_names_are_bounded_however_often_named() {
    let artifact = Artifact::from_json(&shop().to_string()).unwrap();
    let mask = artifact
        .rules
        .iter()
        .find(|r| r.action == scrim_artifact::Action::Mask)
        .unwrap()
        .clone();
    let per_rule = limits::MAX_LIST_ITEMS;
    let rules = limits::MAX_ATTRIBUTE_CHANNEL_NAMES / per_rule + 1;
    let naming = |names: &dyn Fn(usize) -> Vec<String>| {
        let mut many = artifact.clone();
        many.rules = (0..rules)
            .map(|r| {
                let mut channels: Vec<_> = names(r)
                    .into_iter()
                    .map(scrim_artifact::Channel::Attr)
                    .collect();
                channels.sort();
                scrim_artifact::Rule {
                    id: format!("r{r}"),
                    channels,
                    ..mask.clone()
                }
            })
            .collect();
        many
    };
    let same = naming(&|_| (0..per_rule).map(|i| format!("a{i}")).collect());
    assert!(same.check().is_ok());
    let distinct = naming(&|r| (0..per_rule).map(|i| format!("r{r}-{i}")).collect());
    let error = distinct.check().unwrap_err();
    assert!(matches!(error, LoadError::Invalid(_)), "{error}");
    assert!(error.to_string().contains("distinct attributes"), "{error}");
}
