//! Property tests: on random DOMs and random policies, the indexed matcher
//! (walk and single-element chain) decides exactly as the reference
//! evaluator; and a masked channel never lets an original non-whitespace
//! character through.

mod common;

use common::*;
use proptest::prelude::*;
use scrim_artifact::{
    Action, Artifact, Channel, Condition, DefaultOutcome, Outcome, PageRule, PageRuleKind, Rule,
    Scope, SensitiveAttributes, Strategy as Mask,
};
use scrim_matcher::{ChannelOutcome, ChannelRef, Context, Element, Policy, Status, reference};

const TAGS: &[&str] = &[
    "div", "span", "p", "input", "button", "a", "section", "form", "iframe", "li", "img",
];
const SELECTORS: &[&str] = &[
    "div",
    ".x",
    "#a",
    "[data-private]",
    "div .x",
    "section > p",
    ".y:not(.z)",
    "input[type=password]",
    "*",
    "a[href^='mailto:']",
    "span + span",
    "p ~ .x",
    ":is(.x, .w) span",
    "[data-x=\"1\"]",
    "form input",
    "div:first-child",
    "li:nth-child(2n+1)",
    "[title]",
    "button",
    "iframe",
    "section .x .y",
    ":root",
    "*:not(div)",
    ".x.y",
    "div#b.z",
    "iframe > *",
    "[TITLE]",
    "li:nth-last-of-type(1)",
    ":where(#a, #b) > *",
    "input:disabled",
];
const CHANNELS: &[&str] = &[
    "text",
    "value",
    "attributes",
    "attr:data-x",
    "attr:class",
    "attr:title",
    "media",
    "events",
];
const ATTR_NAMES: &[&str] = &[
    "id",
    "class",
    "type",
    "autocomplete",
    "href",
    "title",
    "alt",
    "value",
    "data-x",
    "data-private",
    "disabled",
];

#[derive(Debug, Clone)]
struct NodeSpec {
    parent_seed: usize,
    attach: u8,
    tag: usize,
    attrs: Vec<(usize, usize)>,
    was_password: bool,
}

fn attr_value(name: &str, seed: usize) -> String {
    let pick = |xs: &[&str]| xs[seed % xs.len()].to_string();
    match name {
        "id" => pick(&["a", "b", "c"]),
        "class" => pick(&["x", "y", "z", "x y", "y z w", "w", "x z"]),
        "type" => pick(&[
            "text",
            "password",
            "hidden",
            "button",
            "submit",
            "email",
            " PASSWORD ",
        ]),
        "autocomplete" => pick(&[
            "cc-number",
            "off",
            "current-password",
            "shipping cc-exp",
            "one-time-code",
            "new-password",
            "name",
        ]),
        "href" => pick(&[
            "mailto:a@b.example",
            "tel:123",
            "https://x.example/",
            "/rel",
        ]),
        "data-x" => pick(&["1", "2"]),
        _ => pick(&["", "hello world", "Secret 42"]),
    }
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (
        any::<usize>(),
        0u8..10,
        0..TAGS.len(),
        prop::collection::vec((0..ATTR_NAMES.len(), any::<usize>()), 0..4),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(parent_seed, attach, tag, attrs, was_password)| NodeSpec {
            parent_seed,
            attach,
            tag,
            attrs,
            was_password,
        })
}

fn build_tree(specs: &[NodeSpec]) -> Tree {
    let mut t = Tree::default();
    for (i, s) in specs.iter().enumerate() {
        let parent = if i == 0 {
            None
        } else {
            Some(s.parent_seed % i)
        };
        let mut attach = match s.attach {
            0 => Attach::Shadow,
            1 => Attach::IframeDoc,
            _ => Attach::Light,
        };
        if let Some(p) = parent
            && attach == Attach::IframeDoc
            && (t.nodes[p].name != "iframe" || !t.nodes[p].flat_children.is_empty())
        {
            attach = Attach::Light;
        }
        let mut attrs: Vec<(String, String)> = Vec::new();
        for &(n, seed) in &s.attrs {
            let name = ATTR_NAMES[n];
            if !attrs.iter().any(|(a, _)| a == name) {
                attrs.push((name.to_string(), attr_value(name, seed)));
            }
        }
        let refs: Vec<(&str, &str)> = attrs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let id = t.add(parent, attach, TAGS[s.tag], &refs);
        t.nodes[id].was_password = s.was_password && TAGS[s.tag] == "input";
    }
    t
}

#[derive(Debug, Clone)]
struct RuleSpec {
    action: u8,
    channels: Vec<usize>,
    selectors: Vec<usize>,
    scope: u8,
    sealed: bool,
    strategy: u8,
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        0u8..10,
        prop::collection::vec(0..CHANNELS.len(), 1..3),
        prop::collection::vec(0..SELECTORS.len(), 1..3),
        0u8..5,
        prop::bool::weighted(0.2),
        0u8..3,
    )
        .prop_map(
            |(action, channels, selectors, scope, sealed, strategy)| RuleSpec {
                action,
                channels,
                selectors,
                scope,
                sealed,
                strategy,
            },
        )
}

#[derive(Debug, Clone)]
struct PolicySpec {
    rules: Vec<RuleSpec>,
    defaults: Vec<(u8, usize, bool)>,
    sensitive: u8,
    consent: Vec<bool>,
    region: Option<bool>,
    checkout: bool,
    record_only: bool,
}

fn policy_spec() -> impl Strategy<Value = PolicySpec> {
    (
        prop::collection::vec(rule_spec(), 0..12),
        prop::collection::vec((0u8..5, 0..CHANNELS.len(), any::<bool>()), 0..5),
        0u8..3,
        prop::collection::vec(any::<bool>(), 2),
        prop::option::of(any::<bool>()),
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(rules, defaults, sensitive, consent, region, checkout, record_only)| PolicySpec {
                rules,
                defaults,
                sensitive,
                consent,
                region,
                checkout,
                record_only,
            },
        )
}

/// Scopes: 0 global, 1 `on page /checkout/*`, 2 `when consent analytics`,
/// 3 `when not consent ads` inside 1, 4 `when region EU`.
fn build_policy(spec: &PolicySpec) -> (Artifact, Context) {
    let mut a = empty_artifact();
    let scope = |parent, c: Condition| Scope {
        parent: Some(parent),
        conditions: vec![c],
        loc: Some(loc(1)),
    };
    a.scopes.push(scope(
        0,
        Condition::Page {
            patterns: vec![pattern("/checkout/*", ".*", "/checkout/.*")],
        },
    ));
    a.scopes.push(scope(
        0,
        Condition::Consent {
            category: "analytics".into(),
        },
    ));
    a.scopes.push(scope(
        1,
        Condition::NoConsent {
            category: "ads".into(),
        },
    ));
    a.scopes.push(scope(
        0,
        Condition::Region {
            codes: vec!["EU".into()],
        },
    ));
    a.sensitive_attributes = match spec.sensitive {
        0 => SensitiveAttributes::builtin(),
        1 => SensitiveAttributes::Only {
            names: vec!["data-x".into(), "title".into()],
            builtin: false,
        },
        _ => SensitiveAttributes::AllExcept {
            names: vec!["class".into(), "id".into(), "type".into()],
        },
    };
    for (i, r) in spec.rules.iter().enumerate() {
        let action = match r.action {
            0 => Action::Block,
            1..=5 => Action::Mask,
            _ => Action::Allow,
        };
        let mut channels: Vec<Channel> = if action == Action::Block {
            vec![]
        } else {
            r.channels
                .iter()
                .map(|&c| CHANNELS[c].parse().unwrap())
                .collect()
        };
        channels.sort();
        channels.dedup();
        let selector = r
            .selectors
            .iter()
            .map(|&s| SELECTORS[s])
            .collect::<Vec<_>>()
            .join(", ");
        a.rules.push(Rule {
            id: format!("r{i}"),
            scope: u32::from(r.scope),
            action,
            channels,
            selector,
            sealed: r.sealed && action == Action::Mask,
            // As the compiler writes them: only masks have a strategy.
            strategy: match r.strategy {
                _ if action != Action::Mask => Mask::Stars,
                0 => Mask::Stars,
                1 => Mask::Fixed {
                    text: "[masked]".into(),
                },
                _ => Mask::Length { length: 4 },
            },
            loc: loc(i as u32 + 1),
        });
    }
    for &(scope, channel, capture) in &spec.defaults {
        a.defaults.push(DefaultOutcome {
            scope: u32::from(scope),
            channel: CHANNELS[channel].parse().unwrap(),
            outcome: if capture {
                Outcome::Capture
            } else {
                Outcome::Mask
            },
            loc: loc(99),
        });
    }
    if spec.record_only {
        a.page_rules.push(PageRule {
            id: "only".into(),
            scope: 0,
            kind: PageRuleKind::RecordOnly {
                patterns: vec![pattern("/checkout/*", ".*", "/checkout/.*")],
            },
            loc: loc(100),
        });
    }
    let mut consent = Vec::new();
    if spec.consent[0] {
        consent.push("analytics".to_string());
    }
    if spec.consent[1] {
        consent.push("ads".to_string());
    }
    let context = Context {
        url: if spec.checkout {
            "https://shop.example/checkout/1".into()
        } else {
            "https://shop.example/".into()
        },
        consent,
        region: spec
            .region
            .map(|eu| if eu { "eu".into() } else { "US".into() }),
    };
    (a, context)
}

fn attr_queries(e: &El<'_>) -> Vec<String> {
    let mut names: Vec<String> = e.attributes().map(|(n, _)| n.to_string()).collect();
    for extra in ["data-x", "title", "class", "href", "value", "missing"] {
        if !names.iter().any(|n| n == extra) {
            names.push(extra.to_string());
        }
    }
    names
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn indexed_matcher_equals_reference(
        nodes in prop::collection::vec(node_spec(), 1..40),
        spec in policy_spec(),
    ) {
        let tree = build_tree(&nodes);
        let (artifact, context) = build_policy(&spec);
        let policy = Policy::from_artifact(artifact).unwrap();
        let page = policy.page(&context);
        let mut walker = page.walker();
        for (id, depth) in tree.order() {
            while walker.depth() > depth {
                walker.leave();
            }
            let e = tree.el(id);
            let walked = walker.enter(e);
            let expected = reference::decide_element(&page, e);
            prop_assert_eq!(walked, expected, "walk, element {:?}", e);
            prop_assert_eq!(page.decide(e), expected, "chain, element {:?}", e);
            for name in attr_queries(&e) {
                let ch = ChannelRef::Attr(&name);
                let want = reference::decide(&page, e, ch);
                prop_assert_eq!(walker.channel(e, ch), want, "walk, element {:?} attr {}", e, name);
                prop_assert_eq!(page.decide_channel(e, ch), want, "chain, element {:?} attr {}", e, name);
                if expected.status != Status::Recorded {
                    prop_assert_eq!(want, ChannelOutcome::Off);
                }
            }
        }
    }

    #[test]
    fn masked_channels_keep_no_original_character(
        nodes in prop::collection::vec(node_spec(), 1..20),
        spec in policy_spec(),
        original in "\\PC{0,40}",
        replacement in prop::char::range('a', 'z'),
    ) {
        let tree = build_tree(&nodes);
        let (artifact, context) = build_policy(&spec);
        let policy = Policy::from_artifact(artifact).unwrap();
        let page = policy.page(&context);
        // The same text with every non-whitespace character changed: a
        // masked rendering must not be able to tell them apart.
        let altered: String = original
            .chars()
            .map(|c| if c.is_whitespace() { c } else if c == replacement { 'Z' } else { replacement })
            .collect();
        for (id, _) in tree.order() {
            let e = tree.el(id);
            let d = page.decide(e);
            let mut outcomes = vec![d.text, d.value, d.media, d.events];
            for name in attr_queries(&e) {
                outcomes.push(page.decide_channel(e, ChannelRef::Attr(&name)));
            }
            for outcome in outcomes {
                if matches!(outcome, ChannelOutcome::Mask(_) | ChannelOutcome::Off) {
                    let a = page.render(outcome, &original);
                    let b = page.render(outcome, &altered);
                    prop_assert_eq!(&a, &b);
                    if let ChannelOutcome::Mask(Mask::Stars) = outcome {
                        prop_assert!(a.chars().all(|c| c == '*' || c.is_whitespace()));
                    }
                }
            }
        }
    }
}
