//! Attribute patterns (`attr:PREFIX*` channels and `PREFIX*` entries of the
//! sensitive set): which attributes they cover, how they combine with
//! `attr:NAME` and `attributes` in steps 4 to 6, and that the walk decides
//! them as the oracle does.

mod common;

use common::*;
use proptest::prelude::*;
use scrim_artifact::{
    Action, Artifact, Channel, DefaultOutcome, Outcome, Rule, SensitiveAttributes, Strategy as Mask,
};
use scrim_matcher::{ChannelOutcome, ChannelRef, Context, Policy};
use scrim_oracle::{NodeId, Oracle};

fn ctx() -> Context {
    Context {
        url: "https://shop.example/".into(),
        consent: vec![],
        region: None,
    }
}

/// `<body><div class=card …attrs>` with the given attributes on the div.
fn card(attrs: &[(&str, &str)]) -> (Tree, usize, usize) {
    let mut t = Tree::default();
    let body = t.add(None, Attach::Light, "body", &[]);
    let div = t.add(Some(body), Attach::Light, "div", &[("class", "card")]);
    t.inner
        .node_mut(NodeId(div))
        .attributes
        .extend(attrs.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    (t, body, div)
}

/// The oracle's outcome for attribute `name` of `element`, in the matcher's
/// terms.
fn oracle_attr<'a>(
    artifact: &'a Artifact,
    t: &Tree,
    element: usize,
    name: &str,
) -> ChannelOutcome<'a> {
    let c = ctx();
    let oracle = Oracle::new(
        artifact,
        &scrim_oracle::Context {
            url: c.url,
            consent: c.consent,
            region: c.region,
        },
    )
    .expect("the oracle reads the artifact");
    match oracle
        .explain(&t.inner, NodeId(element), scrim_oracle::Channel::Attr(name))
        .outcome
    {
        scrim_oracle::Outcome::Off => ChannelOutcome::Off,
        scrim_oracle::Outcome::Capture => ChannelOutcome::Capture,
        scrim_oracle::Outcome::Mask(s) => ChannelOutcome::Mask(s),
    }
}

/// How attribute `name` of `element` is recorded, by the walk: `None` in
/// clear, else the mask's strategy. Asserted to be the oracle's decision
/// too.
fn attr(policy: &Policy, t: &Tree, element: usize, name: &str) -> Option<Mask> {
    let page = policy.page(&ctx());
    let e = t.el(element);
    let walked = page.decide_channel(e, ChannelRef::Attr(name));
    assert_eq!(
        walked,
        oracle_attr(policy.artifact(), t, element, name),
        "walk and oracle disagree on `{name}`"
    );
    match walked {
        ChannelOutcome::Capture => None,
        ChannelOutcome::Mask(strategy) => Some(strategy.clone()),
        ChannelOutcome::Off => panic!("`{name}` is not recorded at all"),
    }
}

const CAPTURE: Option<Mask> = None;
const STARS: Option<Mask> = Some(Mask::Stars);
const FOUR: Option<Mask> = Some(Mask::Length { length: 4 });

fn load(artifact: Artifact) -> Policy {
    Policy::from_artifact(artifact).unwrap()
}

#[test]
fn a_prefix_covers_every_attribute_that_starts_with_it_whatever_its_case() {
    let mut a = empty_artifact();
    a.rules
        .push(rule("mask-data", Action::Mask, &["attr:data-*"], ".card"));
    let policy = load(a);
    let (t, _, div) = card(&[
        ("data-user-id", "42"),
        ("DATA-Email", "a@b.example"),
        ("data-", "x"),
        ("datas", "x"),
        ("aria-data-x", "x"),
    ]);
    for name in ["data-user-id", "DATA-Email", "data-"] {
        assert_eq!(attr(&policy, &t, div, name), STARS, "{name}");
    }
    // Not covered: the default decides (captured, not being sensitive).
    for name in ["datas", "aria-data-x", "class"] {
        assert_eq!(attr(&policy, &t, div, name), CAPTURE, "{name}");
    }
}

#[test]
fn names_and_prefixes_combine_by_nearness_and_mask_wins_on_one_element() {
    // A nearer allow of one name lifts a pattern mask above it, and a
    // nearer pattern allow lifts a name mask above it.
    let mut a = empty_artifact();
    a.rules
        .push(rule("mask-data", Action::Mask, &["attr:data-*"], "body"));
    a.rules
        .push(rule("allow-id", Action::Allow, &["attr:data-id"], ".card"));
    a.rules.push(rule(
        "mask-title",
        Action::Mask,
        &["attr:aria-label"],
        "body",
    ));
    a.rules
        .push(rule("allow-aria", Action::Allow, &["attr:aria-*"], ".card"));
    let policy = load(a);
    let (t, _, div) = card(&[
        ("data-id", "7"),
        ("data-name", "Jane"),
        ("aria-label", "Jane"),
    ]);
    assert_eq!(attr(&policy, &t, div, "data-id"), CAPTURE);
    assert_eq!(attr(&policy, &t, div, "data-name"), STARS);
    assert_eq!(attr(&policy, &t, div, "aria-label"), CAPTURE);

    // On one element, a mask by pattern beats an allow by name, and a mask
    // by name beats an allow by pattern.
    let mut a = empty_artifact();
    a.rules
        .push(rule("allow-id", Action::Allow, &["attr:data-id"], ".card"));
    a.rules
        .push(rule("mask-data", Action::Mask, &["attr:data-*"], "div"));
    a.rules
        .push(rule("allow-aria", Action::Allow, &["attr:aria-*"], ".card"));
    a.rules.push(rule(
        "mask-label",
        Action::Mask,
        &["attr:aria-label"],
        "div",
    ));
    let policy = load(a);
    assert_eq!(attr(&policy, &t, div, "data-id"), STARS);
    assert_eq!(attr(&policy, &t, div, "aria-label"), STARS);
}

#[test]
fn a_sealed_pattern_mask_is_not_lifted_by_a_nearer_allow() {
    let mut a = empty_artifact();
    let mut sealed = rule("sealed-data", Action::Mask, &["attr:data-*"], "body");
    sealed.sealed = true;
    a.rules.push(sealed);
    a.rules.push(rule(
        "allow",
        Action::Allow,
        &["attributes", "attr:data-id"],
        ".card",
    ));
    let policy = load(a);
    let (t, _, div) = card(&[("data-id", "7")]);
    assert_eq!(attr(&policy, &t, div, "data-id"), STARS);
}

#[test]
fn between_masks_on_one_element_the_first_rule_gives_the_strategy() {
    let mut a = empty_artifact();
    let mut first = rule("user", Action::Mask, &["attr:data-user-*"], ".card");
    first.strategy = Mask::Length { length: 4 };
    a.rules.push(first);
    a.rules
        .push(rule("data", Action::Mask, &["attr:data-*"], ".card"));
    let policy = load(a);
    let (t, _, div) = card(&[("data-user-id", "42"), ("data-page", "3")]);
    assert_eq!(attr(&policy, &t, div, "data-user-id"), FOUR);
    assert_eq!(attr(&policy, &t, div, "data-page"), STARS);
}

#[test]
fn sensitive_set_entries_may_be_prefixes() {
    let mut a = empty_artifact();
    a.sensitive_attributes = SensitiveAttributes::Only {
        names: vec!["aria-*".into(), "title".into()],
        builtin: false,
    };
    let policy = load(a.clone());
    let (t, _, div) = card(&[
        ("aria-label", "Jane"),
        ("ARIA-Description", "x"),
        ("alt", "x"),
    ]);
    assert_eq!(attr(&policy, &t, div, "aria-label"), STARS);
    assert_eq!(attr(&policy, &t, div, "ARIA-Description"), STARS);
    assert_eq!(attr(&policy, &t, div, "title"), STARS);
    assert_eq!(attr(&policy, &t, div, "alt"), CAPTURE);
    // `allow attributes` covers what the pattern makes sensitive.
    a.rules
        .push(rule("allow", Action::Allow, &["attributes"], ".card"));
    let policy = load(a);
    assert_eq!(attr(&policy, &t, div, "aria-label"), CAPTURE);

    // In `all except`, a prefix keeps every attribute it covers in clear.
    let mut a = empty_artifact();
    a.sensitive_attributes = SensitiveAttributes::AllExcept {
        names: vec!["class".into(), "data-*".into()],
    };
    let policy = load(a);
    let (t, _, div) = card(&[("data-page", "3"), ("title", "Jane")]);
    assert_eq!(attr(&policy, &t, div, "data-page"), CAPTURE);
    assert_eq!(attr(&policy, &t, div, "class"), CAPTURE);
    assert_eq!(attr(&policy, &t, div, "title"), STARS);
}

#[test]
fn a_prefix_entry_makes_href_and_value_sensitive_on_every_element() {
    // The built-in `href` is sensitive only on contact links; a pattern the
    // policy writes has no such condition.
    let mut a = empty_artifact();
    a.sensitive_attributes = SensitiveAttributes::Only {
        names: {
            let mut names: Vec<String> = SensitiveAttributes::BUILTIN
                .iter()
                .map(|s| s.to_string())
                .collect();
            names.push("h*".into());
            names.sort();
            names
        },
        builtin: true,
    };
    let policy = load(a);
    let (t, _, div) = card(&[("href", "https://shop.example/orders/42")]);
    assert_eq!(attr(&policy, &t, div, "href"), STARS);
    assert_eq!(attr(&policy, &t, div, "xlink:href"), STARS);
}

#[test]
fn defaults_go_to_the_most_specific_statement() {
    let default = |channel: &str, outcome| DefaultOutcome {
        scope: 0,
        channel: channel.parse().unwrap(),
        outcome,
        loc: loc(9),
    };
    let mut a = empty_artifact();
    a.defaults = vec![
        default("attributes", Outcome::Capture),
        default("attr:data-*", Outcome::Mask),
        default("attr:data-public-*", Outcome::Capture),
        default("attr:data-public-email", Outcome::Mask),
        default("attr:t*", Outcome::Mask),
    ];
    let policy = load(a);
    let (t, _, div) = card(&[]);
    // The name, then the longest prefix, then `attributes`, then capture.
    assert_eq!(attr(&policy, &t, div, "data-public-email"), STARS);
    assert_eq!(attr(&policy, &t, div, "data-public-page"), CAPTURE);
    assert_eq!(attr(&policy, &t, div, "data-user"), STARS);
    assert_eq!(attr(&policy, &t, div, "title"), STARS);
    assert_eq!(attr(&policy, &t, div, "alt"), CAPTURE);
    assert_eq!(attr(&policy, &t, div, "class"), CAPTURE);
}

#[test]
fn explanations_name_the_pattern_rule() {
    let mut a = empty_artifact();
    a.rules
        .push(rule("mask-data", Action::Mask, &["attr:data-*"], "body"));
    a.rules
        .push(rule("allow-id", Action::Allow, &["attr:data-id"], ".card"));
    let policy = load(a);
    let page = policy.page(&ctx());
    let (t, _, div) = card(&[("data-name", "Jane"), ("data-id", "7")]);
    let why = page.explain(t.el(div), ChannelRef::Attr("data-name"));
    assert_eq!(
        why.deciding,
        [scrim_matcher::Cause::Rule {
            id: "mask-data",
            loc: loc(1),
            levels_up: 1
        }]
    );
    let why = page.explain(t.el(div), ChannelRef::Attr("data-id"));
    assert_eq!(why.lost.len(), 1);
    assert_eq!(why.lost[0].id, "mask-data");
}

// ---- walk = oracle on random trees and pattern policies ----------------

const NAMES: &[&str] = &[
    "data-x",
    "data-xy",
    "DATA-Y",
    "data-",
    "aria-label",
    "title",
    "x",
    "xa",
    "href",
    "class",
];
const QUERIES: &[&str] = &["Data-X", "d", "missing", "xlink:href", "ARIA-LABEL"];
const CHANNELS: &[&str] = &[
    "attr:data-*",
    "attr:data-x*",
    "attr:data-x",
    "attr:d*",
    "attr:x*",
    "attr:aria-label",
    "attr:title",
    "attributes",
    "text",
];
const SELECTORS: &[&str] = &["div", "span", ".a", "[data-x]", "div span", "*", "[DATA-Y]"];
const TAGS: &[&str] = &["div", "span", "a", "input"];

fn sensitive_set(which: u8) -> SensitiveAttributes {
    match which {
        0 => SensitiveAttributes::builtin(),
        1 => SensitiveAttributes::Only {
            names: vec!["aria-*".into(), "data-x".into()],
            builtin: false,
        },
        2 => SensitiveAttributes::AllExcept {
            names: vec!["class".into(), "data-*".into()],
        },
        _ => SensitiveAttributes::Only {
            names: vec!["d*".into(), "x".into()],
            builtin: false,
        },
    }
}

type NodeSpec = (usize, usize, Vec<(usize, bool)>);
type RuleSpec = (bool, bool, Vec<usize>, usize, bool);

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_walk_decides_patterns_as_the_oracle(
        nodes in prop::collection::vec(
            (any::<usize>(), 0..TAGS.len(), prop::collection::vec((0..NAMES.len(), any::<bool>()), 0..4)),
            1..12,
        ),
        rules in prop::collection::vec(
            (any::<bool>(), any::<bool>(), prop::collection::vec(0..CHANNELS.len(), 1..3), 0..SELECTORS.len(), any::<bool>()),
            0..8,
        ),
        defaults in prop::collection::vec((0..CHANNELS.len(), any::<bool>()), 0..4),
        sensitive in 0u8..4,
    ) {
        let nodes: Vec<NodeSpec> = nodes;
        let rules: Vec<RuleSpec> = rules;
        let mut t = Tree::default();
        for (i, (parent, tag, attrs)) in nodes.iter().enumerate() {
            let parent = (i > 0).then(|| parent % i);
            // An HTML parser lowercases attribute names (the `Element`
            // contract); mixed case is tested through the names queried.
            let lower: Vec<String> = NAMES.iter().map(|n| n.to_ascii_lowercase()).collect();
            let mut list: Vec<(&str, &str)> = Vec::new();
            for &(n, a_class) in attrs {
                if !list.iter().any(|(name, _)| *name == lower[n]) {
                    list.push((lower[n].as_str(), "v"));
                }
                if a_class && !list.iter().any(|(name, _)| *name == "class") {
                    list.push(("class", "a"));
                }
            }
            t.add(parent, Attach::Light, TAGS[*tag], &list);
        }
        let mut a = empty_artifact();
        a.sensitive_attributes = sensitive_set(sensitive);
        for (i, (mask, sealed, channels, selector, four)) in rules.iter().enumerate() {
            let mut channels: Vec<Channel> =
                channels.iter().map(|&c| CHANNELS[c].parse().unwrap()).collect();
            channels.sort();
            channels.dedup();
            let action = if *mask { Action::Mask } else { Action::Allow };
            a.rules.push(Rule {
                id: format!("r{i}"),
                scope: 0,
                action,
                channels,
                selector: SELECTORS[*selector].into(),
                sealed: *sealed && *mask,
                strategy: if *four && *mask { Mask::Length { length: 4 } } else { Mask::Stars },
                loc: loc(i as u32 + 1),
            });
        }
        for &(channel, capture) in &defaults {
            a.defaults.push(DefaultOutcome {
                scope: 0,
                channel: CHANNELS[channel].parse().unwrap(),
                outcome: if capture { Outcome::Capture } else { Outcome::Mask },
                loc: loc(99),
            });
        }
        let policy = Policy::from_artifact(a).unwrap();
        let page = policy.page(&ctx());
        let mut walker = page.walker();
        for (id, depth) in t.inner.preorder() {
            while walker.depth() > depth {
                walker.leave();
            }
            let id = id.0;
            let e = t.el(id);
            walker.enter(e);
            let names = t.inner.node(NodeId(id)).attributes.iter().map(|(n, _)| n.as_str()).chain(QUERIES.iter().copied());
            for name in names {
                let ch = ChannelRef::Attr(name);
                let want = oracle_attr(policy.artifact(), &t, id, name);
                prop_assert_eq!(walker.channel(e, ch), want, "walk, element {:?} attr {}", e, name);
                prop_assert_eq!(page.decide_channel(e, ch), want, "chain, element {:?} attr {}", e, name);
            }
        }
    }
}
