//! Behaviour tests of the matcher on small hand-written policies.

mod common;

use common::*;
use scrim_artifact::*;
use scrim_matcher::{
    ChannelOutcome, ChannelRef, Context, OffReason, PageDecision, Policy, Status, Step,
};

fn ctx(url: &str) -> Context {
    Context {
        url: url.into(),
        consent: vec![],
        region: None,
    }
}

fn shop_tree() -> (Tree, [usize; 6]) {
    let mut t = Tree::default();
    let html = t.add(None, Attach::Light, "html", &[]);
    let body = t.add(Some(html), Attach::Light, "body", &[("class", "page")]);
    let form = t.add(Some(body), Attach::Light, "form", &[("class", "card-form")]);
    let pw = t.add(
        Some(form),
        Attach::Light,
        "input",
        &[("type", "password"), ("title", "Your password")],
    );
    let host = t.add(Some(body), Attach::Light, "div", &[("id", "widget")]);
    let inner = t.add(Some(host), Attach::Shadow, "span", &[("class", "name")]);
    (t, [html, body, form, pw, host, inner])
}

#[test]
fn builtin_defaults_are_private() {
    let policy = Policy::from_artifact(empty_artifact()).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let (t, [_, body, ..]) = shop_tree();
    let d = page.decide(t.el(body));
    assert_eq!(d.status, Status::Recorded);
    assert!(matches!(d.text, ChannelOutcome::Mask(Strategy::Stars)));
    assert!(matches!(d.value, ChannelOutcome::Mask(_)));
    assert_eq!(d.media, ChannelOutcome::Capture);
    assert_eq!(d.events, ChannelOutcome::Capture);
    assert!(matches!(
        page.decide_channel(t.el(body), ChannelRef::Attr("title")),
        ChannelOutcome::Mask(_)
    ));
    assert_eq!(
        page.decide_channel(t.el(body), ChannelRef::Attr("class")),
        ChannelOutcome::Capture
    );
}

#[test]
fn nearest_rule_wins_and_crosses_shadow_roots() {
    let mut a = empty_artifact();
    a.rules
        .push(rule("allow-body", Action::Allow, &["text"], "body"));
    a.rules
        .push(rule("mask-widget", Action::Mask, &["text"], "#widget"));
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let (t, [_, body, form, _, host, inner]) = shop_tree();
    assert_eq!(page.decide(t.el(form)).text, ChannelOutcome::Capture);
    assert!(matches!(
        page.decide(t.el(host)).text,
        ChannelOutcome::Mask(_)
    ));
    assert!(matches!(
        page.decide(t.el(inner)).text,
        ChannelOutcome::Mask(_)
    ));
    let why = page.explain(t.el(inner), ChannelRef::Text);
    assert_eq!(why.step, Step::NearestRule);
    assert!(matches!(
        why.deciding[0],
        scrim_matcher::Cause::Rule {
            id: "mask-widget",
            levels_up: 1,
            ..
        }
    ));
    assert_eq!(why.lost.len(), 1);
    assert_eq!(why.lost[0].id, "allow-body");
    assert_eq!(why.lost[0].levels_up, 2);
    let _ = body;
}

/// The ids, levels up and steps of what an explanation lists as lost.
fn lost_of(why: &scrim_matcher::Explanation<'_>) -> Vec<(String, usize, Step)> {
    why.lost
        .iter()
        .map(|l| (l.id.to_string(), l.levels_up, l.beaten_by))
        .collect()
}

/// The ids and levels up of the rules an explanation says decided.
fn deciding_of(why: &scrim_matcher::Explanation<'_>) -> Vec<(String, usize)> {
    why.deciding
        .iter()
        .filter_map(|c| match c {
            scrim_matcher::Cause::Rule { id, levels_up, .. } => Some((id.to_string(), *levels_up)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_deciding_rule_is_never_also_listed_as_lost() {
    // `block div` matches the outer div (the placeholder) and the inner one:
    // it decides the inner one from two levels up; its own match on the
    // inner one did not lose to anything.
    let mut a = empty_artifact();
    a.rules.push(rule("block-div", Action::Block, &[], "div"));
    a.rules.push(rule("mask-p", Action::Mask, &["text"], "p"));
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let mut t = Tree::default();
    let outer = t.add(None, Attach::Light, "div", &[]);
    let p = t.add(Some(outer), Attach::Light, "p", &[]);
    let inner = t.add(Some(p), Attach::Light, "div", &[]);
    let why = page.explain(t.el(inner), ChannelRef::Text);
    assert_eq!(why.status, Status::Hidden);
    assert_eq!(deciding_of(&why), [("block-div".to_string(), 2)]);
    assert_eq!(lost_of(&why), [("mask-p".to_string(), 1, Step::Block)]);
}

#[test]
fn every_sealed_mask_on_the_nearest_sealed_element_decides() {
    // As at step 5, where every mask on the nearest element decides: the
    // sealed masks on the nearest element with one all decide (the first
    // written gives the strategy); those farther up lose to them.
    let mut a = empty_artifact();
    for (id, selector) in [("far", "section"), ("one", ".card"), ("two", "div")] {
        let mut r = rule(id, Action::Mask, &["text"], selector);
        r.sealed = true;
        r.strategy = Strategy::Fixed { text: id.into() };
        a.rules.push(r);
    }
    a.rules
        .push(rule("allow", Action::Allow, &["text"], "span"));
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let mut t = Tree::default();
    let section = t.add(None, Attach::Light, "section", &[]);
    let card = t.add(Some(section), Attach::Light, "div", &[("class", "card")]);
    let span = t.add(Some(card), Attach::Light, "span", &[]);
    let why = page.explain(t.el(span), ChannelRef::Text);
    assert_eq!(why.step, Step::Sealed);
    assert!(matches!(why.outcome, ChannelOutcome::Mask(Strategy::Fixed { text }) if text == "one"));
    assert_eq!(
        deciding_of(&why),
        [("one".to_string(), 1), ("two".to_string(), 1)]
    );
    assert_eq!(
        lost_of(&why),
        [
            ("allow".to_string(), 0, Step::Sealed),
            ("far".to_string(), 2, Step::Sealed)
        ]
    );
}

#[test]
fn floors_sealed_and_block() {
    let mut a = empty_artifact();
    a.rules.push(rule(
        "allow-all",
        Action::Allow,
        &["text", "value", "attributes"],
        "*",
    ));
    let mut sealed = rule("sealed", Action::Mask, &["text"], ".card-form");
    sealed.sealed = true;
    sealed.strategy = Strategy::Fixed {
        text: "[card]".into(),
    };
    a.rules.push(sealed);
    a.rules
        .push(rule("block-widget", Action::Block, &[], "#widget"));
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let (t, [_, body, form, pw, host, inner]) = shop_tree();
    let d = page.decide(t.el(pw));
    assert!(matches!(d.value, ChannelOutcome::Mask(Strategy::Stars)));
    assert!(matches!(
        d.text,
        ChannelOutcome::Mask(Strategy::Fixed { .. })
    ));
    assert_eq!(page.explain(t.el(pw), ChannelRef::Value).step, Step::Floor);
    assert_eq!(page.decide(t.el(body)).text, ChannelOutcome::Capture);
    assert_eq!(page.decide(t.el(form)).value, ChannelOutcome::Capture);
    assert_eq!(page.decide(t.el(host)).status, Status::Placeholder);
    assert_eq!(page.decide(t.el(inner)).status, Status::Hidden);
    assert_eq!(
        page.explain(t.el(inner), ChannelRef::Text).status,
        Status::Hidden
    );
    // title is sensitive and allowed by `attributes`
    assert_eq!(
        page.decide_channel(t.el(pw), ChannelRef::Attr("title")),
        ChannelOutcome::Capture
    );
}

#[test]
fn conditional_builtin_attributes() {
    let policy = Policy::from_artifact(empty_artifact()).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let mut t = Tree::default();
    let root = t.add(None, Attach::Light, "div", &[]);
    let mail = t.add(Some(root), Attach::Light, "a", &[("href", "MAILTO:x@y.z")]);
    let web = t.add(
        Some(root),
        Attach::Light,
        "a",
        &[("href", "https://x.example/")],
    );
    let button = t.add(
        Some(root),
        Attach::Light,
        "input",
        &[("type", "submit"), ("value", "Pay")],
    );
    let text = t.add(
        Some(root),
        Attach::Light,
        "input",
        &[("type", "text"), ("value", "x")],
    );
    let sms = t.add(
        Some(root),
        Attach::Light,
        "a",
        &[("href", " sms:+15550100")],
    );
    let href = ChannelRef::Attr("href");
    let value = ChannelRef::Attr("value");
    for contact in [mail, sms] {
        assert!(matches!(
            page.decide_channel(t.el(contact), href),
            ChannelOutcome::Mask(_)
        ));
    }
    assert_eq!(
        page.decide_channel(t.el(web), href),
        ChannelOutcome::Capture
    );
    assert!(matches!(
        page.decide_channel(t.el(button), value),
        ChannelOutcome::Mask(_)
    ));
    assert_eq!(
        page.decide_channel(t.el(text), value),
        ChannelOutcome::Capture
    );
    assert!(scrim_matcher::attribute_is_form_state(&t.el(text), "value"));
    assert!(!scrim_matcher::attribute_is_form_state(
        &t.el(button),
        "value"
    ));
}

#[test]
fn page_decisions() {
    let mut a = empty_artifact();
    a.page_rules.push(PageRule {
        id: "consent".into(),
        scope: 0,
        kind: PageRuleKind::RequireConsent {
            categories: vec!["analytics".into()],
        },
        loc: loc(2),
    });
    a.page_rules.push(PageRule {
        id: "only-shop".into(),
        scope: 0,
        kind: PageRuleKind::RecordOnly {
            patterns: vec![pattern("https://shop.example/*", r"shop\.example", ".*")],
        },
        loc: loc(3),
    });
    a.page_rules.push(PageRule {
        id: "no-account".into(),
        scope: 0,
        kind: PageRuleKind::NeverRecord {
            patterns: vec![pattern("/account/*", ".*", "/account/.*")],
        },
        loc: loc(4),
    });
    let policy = Policy::from_artifact(a).unwrap();
    let with = |url: &str| Context {
        url: url.into(),
        consent: vec!["analytics".into()],
        region: None,
    };
    assert_eq!(
        *policy.page(&with("https://shop.example/cart")).decision(),
        PageDecision::Record
    );
    let off = |c: &Context| match policy.page(c).decision() {
        PageDecision::Off { reason, rule } => {
            (reason.clone(), rule.map_or(String::new(), |r| r.id.clone()))
        }
        PageDecision::Record => panic!("recorded"),
    };
    assert_eq!(
        off(&ctx("https://shop.example/")),
        (
            OffReason::MissingConsent("analytics".into()),
            "consent".into()
        )
    );
    assert_eq!(
        off(&with("https://shop.example/account/x")).0,
        OffReason::NeverRecord
    );
    assert_eq!(
        off(&with("https://other.example/")).0,
        OffReason::NotAllowListed
    );
    // Fail closed: a URL the runtime cannot read is not recorded, even
    // where no `record only` list would have caught it, since a `never
    // record` pattern could not be trusted to match it.
    assert_eq!(
        off(&with("not a url")),
        (OffReason::UnreadableUrl, String::new())
    );
    assert_eq!(
        off(&with("https://bücher.example/account/x")).0,
        OffReason::UnreadableUrl
    );
    let without_allow_list = {
        let mut a = policy.artifact().clone();
        a.page_rules
            .retain(|r| !matches!(r.kind, PageRuleKind::RecordOnly { .. }));
        Policy::from_artifact(a).unwrap()
    };
    let decision = without_allow_list
        .page(&with("/relative/path"))
        .decision()
        .clone();
    assert!(matches!(
        decision,
        PageDecision::Off {
            reason: OffReason::UnreadableUrl,
            rule: None
        }
    ));
    // Nothing is recorded on an off page.
    let page = policy.page(&ctx("https://shop.example/"));
    let (t, [_, body, ..]) = shop_tree();
    assert_eq!(page.decide(t.el(body)).status, Status::PageOff);
    assert_eq!(page.decide(t.el(body)).text, ChannelOutcome::Off);
}

#[test]
fn scoped_defaults_and_detectors() {
    let mut a = empty_artifact();
    a.scopes.push(Scope {
        parent: Some(0),
        conditions: vec![Condition::Page {
            patterns: vec![pattern("/checkout/*", ".*", "/checkout/.*")],
        }],
        loc: Some(loc(5)),
    });
    a.scopes.push(Scope {
        parent: Some(0),
        conditions: vec![Condition::Consent {
            category: "marketing".into(),
        }],
        loc: Some(loc(6)),
    });
    let d = |scope, channel: &str, outcome| DefaultOutcome {
        scope,
        channel: channel.parse().unwrap(),
        outcome,
        loc: loc(7),
    };
    a.defaults.push(d(0, "text", Outcome::Capture));
    a.defaults.push(d(1, "text", Outcome::Mask));
    a.defaults.push(d(2, "text", Outcome::Capture));
    a.detectors.push(Detector {
        id: "email".into(),
        scope: 0,
        kind: DetectorKind::Email,
        loc: loc(8),
    });
    a.redactions.push(Redaction {
        scope: 0,
        kind: RedactionKind::Query {
            names: vec!["token".into()],
        },
        loc: loc(9),
    });
    let policy = Policy::from_artifact(a).unwrap();
    let (t, [_, body, ..]) = shop_tree();
    let text_on = |url: &str, consent: &[&str]| {
        let c = Context {
            url: url.into(),
            consent: consent.iter().map(|s| s.to_string()).collect(),
            region: None,
        };
        let page = policy.page(&c);
        page.decide(t.el(body)).text
    };
    assert_eq!(text_on("https://s.example/", &[]), ChannelOutcome::Capture);
    assert!(matches!(
        text_on("https://s.example/checkout/1", &[]),
        ChannelOutcome::Mask(_)
    ));
    // two non-global scopes: the stricter wins
    assert!(matches!(
        text_on("https://s.example/checkout/1", &["marketing"]),
        ChannelOutcome::Mask(_)
    ));
    let page = policy.page(&ctx("https://s.example/"));
    assert_eq!(
        page.scrub("write to a@b.example now"),
        "write to *********** now"
    );
    assert_eq!(
        page.render(ChannelOutcome::Capture, "a@b.example"),
        "***********"
    );
    assert_eq!(
        page.redact_url("https://s.example/?token=x&a=1"),
        "https://s.example/?token=redacted&a=1"
    );
}

#[test]
fn bad_artifacts_fail_closed() {
    let mut a = empty_artifact();
    a.rules
        .push(rule("bad", Action::Mask, &["text"], "p:hover"));
    assert!(Policy::from_artifact(a).is_err());
    let mut a = empty_artifact();
    a.detectors.push(Detector {
        id: "x".into(),
        scope: 0,
        kind: DetectorKind::Pattern {
            pattern: "(".into(),
        },
        loc: loc(1),
    });
    assert!(Policy::from_artifact(a).is_err());
    let mut a = empty_artifact();
    a.rules.push(rule("x", Action::Mask, &["text"], "p"));
    a.rules[0].scope = 9;
    assert!(Policy::from_artifact(a).is_err());
    assert!(Policy::from_json("{").is_err());
    let json = empty_artifact().to_json();
    assert!(Policy::from_json(&json).is_ok());
    // A length no compiler writes (one masked `<p>` would become 4 GB of
    // stars): the policy does not load, so nothing is recorded.
    let mut a = empty_artifact();
    let mut long = rule("long", Action::Mask, &["text"], "p");
    long.strategy = scrim_artifact::Strategy::Length {
        length: 4_000_000_000,
    };
    a.rules.push(long);
    assert!(Policy::from_json(&a.to_json()).is_err());
    assert!(Policy::from_artifact(a).is_err());
}

#[test]
fn url_splitting() {
    let p = scrim_matcher::split_url("HTTPS://user:pw@Shop.Example:443/a/./b/../c d?q=1 2#frag")
        .unwrap();
    assert_eq!(p.protocol, "https");
    assert_eq!(p.username, "user");
    assert_eq!(p.password, "pw");
    assert_eq!(p.hostname, "shop.example");
    assert_eq!(p.port, "");
    assert_eq!(p.pathname, "/a/c%20d");
    assert_eq!(p.search, "q=1%202");
    assert_eq!(p.hash, "frag");
    let p = scrim_matcher::split_url("http://h.example:8080").unwrap();
    assert_eq!((p.port.as_str(), p.pathname.as_str()), ("8080", "/"));
    let p = scrim_matcher::split_url("http://[::1]:81/x").unwrap();
    assert_eq!((p.hostname.as_str(), p.port.as_str()), ("[::1]", "81"));
    assert!(scrim_matcher::split_url("/relative").is_none());
    assert!(scrim_matcher::split_url("http://h:99999/").is_none());
    assert!(scrim_matcher::split_url("https://bücher.example/").is_none());
    let p = scrim_matcher::split_url("mailto:a@b.example").unwrap();
    assert_eq!(p.pathname, "a@b.example");
    let p = scrim_matcher::split_url("file:///etc/passwd").unwrap();
    assert_eq!(p.pathname, "/etc/passwd");
    assert_eq!(
        scrim_matcher::mask_url("https://h.example:8443/secret?x=1"),
        "https://h.example:8443/"
    );
    assert_eq!(scrim_matcher::mask_url("garbage"), "");
    // As the browser reads them, so that a pattern on one form matches all.
    let host = |url: &str| scrim_matcher::split_url(url).map(|p| p.hostname);
    assert_eq!(host("http://0x7f.1/"), Some("127.0.0.1".into()));
    assert_eq!(host("http://192.168.0.010/"), Some("192.168.0.8".into()));
    assert_eq!(host("http://3232235521/"), Some("192.168.0.1".into()));
    assert_eq!(host("http://[0:0::1]/"), Some("[::1]".into()));
    assert_eq!(host("http://%41.example/"), Some("a.example".into()));
    assert_eq!(host("file://localhost/etc"), Some("".into()));
    assert_eq!(host("sc://MixedCase/"), Some("MixedCase".into()));
    // What the browser refuses is refused.
    assert_eq!(host("http://foo.1/"), None);
    assert_eq!(host("http://1.2.3.256/"), None);
    assert_eq!(host("http://a\u{7f}b/"), None);
    assert_eq!(host("sc://user@/"), None);
    let path = |url: &str| scrim_matcher::split_url(url).map(|p| p.pathname);
    assert_eq!(path("sc://h/a\\b"), Some("/a\\b".into()));
    assert_eq!(path("https://h/a\\b"), Some("/a/b".into()));
    assert_eq!(path("https://h/^"), Some("/%5E".into()));
    assert_eq!(path("mailto:a%20b"), Some("a%20b".into()));
    assert_eq!(path("file:///C:/x"), None);
}

#[test]
fn deep_chain_does_not_overflow() {
    const DEPTH: usize = 100_000;
    let mut t = Tree::default();
    let mut parent = None;
    for i in 0..DEPTH {
        let class = if i % 3 == 0 { "x" } else { "y" };
        parent = Some(t.add(parent, Attach::Light, "div", &[("class", class)]));
    }
    let mut a = empty_artifact();
    a.rules.push(rule("a", Action::Allow, &["text"], "div .x"));
    a.rules.push(rule("m", Action::Mask, &["text"], ".y > .y"));
    a.rules.push(rule("b", Action::Block, &[], "section div"));
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://s.example/"));
    let mut walker = page.walker();
    let mut last = None;
    for i in 0..DEPTH {
        last = Some(walker.enter(t.el(i)));
    }
    for _ in 0..DEPTH {
        walker.leave();
    }
    let deepest = t.el(DEPTH - 1);
    assert_eq!(last.unwrap(), page.decide(deepest));
    // 99_999 has class x (allowed by `div .x`); its parent has class y
    // under another y, so `.y > .y` masks it.
    assert_eq!(last.unwrap().text, ChannelOutcome::Capture);
    assert!(matches!(
        page.decide(t.el(DEPTH - 2)).text,
        ChannelOutcome::Mask(_)
    ));
}

/// The ids of the rules that match `element` itself (every rule of these
/// tests masks text, so all of them decide together where they match).
fn rules_matching_here<'p, E: scrim_matcher::Element>(
    page: &'p scrim_matcher::Page<'_>,
    element: E,
) -> Vec<&'p str> {
    let why = page.explain(element, ChannelRef::Text);
    let mut ids: Vec<&str> = why
        .deciding
        .iter()
        .filter_map(|c| match c {
            scrim_matcher::Cause::Rule {
                id, levels_up: 0, ..
            } => Some(*id),
            _ => None,
        })
        .chain(why.lost.iter().filter(|l| l.levels_up == 0).map(|l| l.id))
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn markup_pseudo_classes() {
    let mut t = Tree::default();
    let html = t.add(None, Attach::Light, "html", &[]);
    let body = t.add(Some(html), Attach::Light, "body", &[]);
    let mut add =
        |name: &str, attrs: &[(&str, &str)]| t.add(Some(body), Attach::Light, name, attrs);
    let elements = [
        add("input", &[("disabled", ""), ("required", "")]),
        add("input", &[]),
        add("select", &[("required", "")]),
        add("button", &[("disabled", "")]),
        add("div", &[("disabled", ""), ("required", "")]),
        add("a", &[("href", "/a")]),
        add("a", &[]),
        add("area", &[("href", "/b")]),
        add("div", &[("href", "/c")]),
        add("p", &[]),
    ];
    let p_with_child = t.add(Some(body), Attach::Light, "p", &[]);
    let child = t.add(Some(p_with_child), Attach::Light, "span", &[]);

    let mut a = empty_artifact();
    for (id, selector) in [
        ("disabled", ":disabled"),
        ("enabled", ":enabled"),
        ("required", ":required"),
        ("optional", ":optional"),
        ("any-link", ":any-link"),
        ("link", ":link"),
        ("empty", ":empty"),
        ("root", ":root"),
        // Elements in no namespace: none, every element has one.
        ("no-namespace", "|p"),
    ] {
        a.rules.push(rule(id, Action::Mask, &["text"], selector));
    }
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let matched: Vec<Vec<&str>> = [html, body]
        .into_iter()
        .chain(elements)
        .chain([p_with_child, child])
        .map(|e| rules_matching_here(&page, t.el(e)))
        .collect();
    let expected: [&[&str]; 14] = [
        &["root"],                          // html
        &[],                                // body
        &["disabled", "empty", "required"], // input[disabled][required]
        &["empty", "enabled", "optional"],  // input
        &["empty", "enabled", "required"],  // select[required]
        &["disabled", "empty"],             // button[disabled]
        &["empty"],                         // div[disabled][required]
        &["any-link", "empty", "link"],     // a[href]
        &["empty"],                         // a
        &["any-link", "empty", "link"],     // area[href]
        &["empty"],                         // div[href]
        &["empty"],                         // p
        &[],                                // p > span
        &["empty"],                         // span
    ];
    assert_eq!(matched, expected);
}

/// A tree that implements only what the `Element` trait requires, and
/// leaves the rest (`is_html`, `namespace`, `id`, `classes`, `is_empty`,
/// `was_password`) to the trait's defaults, as an integration may.
#[derive(Default)]
struct Plain {
    /// Parent, tag and attributes of each element, parents first.
    nodes: Vec<PlainNode>,
}

type PlainNode = (
    Option<usize>,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

#[derive(Clone, Copy)]
struct PlainEl<'t>(&'t Plain, usize);

impl std::fmt::Debug for PlainEl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.0.nodes[self.1].1, self.1)
    }
}

impl Plain {
    fn add(
        &mut self,
        parent: Option<usize>,
        tag: &'static str,
        attrs: &[(&'static str, &'static str)],
    ) -> usize {
        self.nodes.push((parent, tag, attrs.to_vec()));
        self.nodes.len() - 1
    }

    fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(move |&n| self.nodes[n].0 == Some(parent))
    }

    fn sibling(&self, n: usize, step: isize) -> Option<usize> {
        let parent = self.nodes[n].0?;
        let siblings: Vec<usize> = self.children(parent).collect();
        let at = siblings.iter().position(|&s| s == n)?;
        siblings.get(at.checked_add_signed(step)?).copied()
    }
}

impl scrim_matcher::Element for PlainEl<'_> {
    fn unique_id(&self) -> usize {
        self.1
    }
    fn parent(&self) -> Option<Self> {
        self.0.nodes[self.1].0.map(|p| PlainEl(self.0, p))
    }
    fn prev_sibling(&self) -> Option<Self> {
        self.0.sibling(self.1, -1).map(|s| PlainEl(self.0, s))
    }
    fn next_sibling(&self) -> Option<Self> {
        self.0.sibling(self.1, 1).map(|s| PlainEl(self.0, s))
    }
    fn first_child(&self) -> Option<Self> {
        self.0.children(self.1).next().map(|c| PlainEl(self.0, c))
    }
    fn local_name(&self) -> &str {
        self.0.nodes[self.1].1
    }
    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.nodes[self.1].2.iter().copied()
    }
}

#[test]
fn the_element_defaults_describe_html_elements_that_were_never_passwords() {
    let mut t = Plain::default();
    let html = t.add(None, "html", &[]);
    let body = t.add(Some(html), "body", &[]);
    let div = t.add(Some(body), "div", &[("id", "main"), ("class", "a b")]);
    let p = t.add(Some(div), "p", &[]);
    let input = t.add(Some(body), "input", &[("type", "text")]);
    let el = |n| PlainEl(&t, n);

    let mut a = empty_artifact();
    for (id, selector) in [
        ("empty", ":empty"),
        // HTML elements: tag names match whatever their case.
        ("upper-case-tag", "DIV"),
        ("id", "#main"),
        ("class", ".b"),
        // Elements in no namespace: none, HTML elements have one.
        ("no-namespace", "|p"),
        ("any-namespace", "*|p"),
    ] {
        a.rules.push(rule(id, Action::Mask, &["text"], selector));
    }
    a.rules
        .push(rule("allow-value", Action::Allow, &["value"], "input"));
    let policy = Policy::from_artifact(a).unwrap();
    let page = policy.page(&ctx("https://shop.example/"));
    let matched: Vec<Vec<&str>> = [html, body, div, p, input]
        .into_iter()
        .map(|n| rules_matching_here(&page, el(n)))
        .collect();
    let expected: [&[&str]; 5] = [
        &[],                                // html
        &[],                                // body
        &["class", "id", "upper-case-tag"], // div#main.a.b > p
        &["any-namespace", "empty"],        // p
        &["empty"],                         // input
    ];
    assert_eq!(matched, expected);
    // A text input that was never a password: `allow value` applies, no
    // floor.
    assert_eq!(page.decide(el(input)).value, ChannelOutcome::Capture);
    assert_eq!(
        page.explain(el(input), ChannelRef::Value).step,
        Step::NearestRule
    );
}

#[test]
fn what_a_page_answers_for_content_of_no_element() {
    // Scope 0 is the policy, then each block in order.
    let policy = Policy::from_artifact(compile(
        r#"scrim 1
never record "https://shop.example/admin/*"
default text capture
detect email
redact query token
on page "https://shop.example/checkout/*" {
  detect order /ORD-\d{4}/
  default text mask
}
on page "https://other.example/*" {
  mask text "p"
}
"#,
    ))
    .unwrap();
    let checkout = policy.page(&ctx("https://shop.example/checkout/pay"));
    let home = policy.page(&ctx("https://shop.example/"));
    let admin = policy.page(&ctx("https://shop.example/admin/users"));

    let applies = |page: &scrim_matcher::Page<'_>| -> Vec<bool> {
        (0..4).map(|i| page.scope_applies(i)).collect()
    };
    assert_eq!(applies(&checkout), [true, true, false, false]);
    assert_eq!(applies(&home), [true, false, false, false]);

    // Detectors of the scopes that apply, and what captured text becomes.
    let text = "mail jane@example.com about ORD-1234";
    assert_eq!(checkout.detect(text), [5..21, 28..36]);
    assert_eq!(home.detect(text), vec![5..21]);
    assert_eq!(
        home.render(ChannelOutcome::Capture, text),
        "mail **************** about ORD-1234"
    );
    assert_eq!(home.render(ChannelOutcome::Off, text), "");
    assert_eq!(
        home.redact_url("https://shop.example/?token=abc&x=1"),
        "https://shop.example/?token=redacted&x=1"
    );

    // Style-sheet strings follow the page's text default; nothing on a page
    // that is not recorded.
    assert!(matches!(
        checkout.default_outcome(ChannelRef::Text),
        ChannelOutcome::Mask(_)
    ));
    assert_eq!(
        home.default_outcome(ChannelRef::Text),
        ChannelOutcome::Capture
    );
    assert_eq!(admin.default_outcome(ChannelRef::Text), ChannelOutcome::Off);
}

#[test]
fn load_errors_say_what_was_refused() {
    let mut a = empty_artifact();
    a.rules.push(rule("r1", Action::Mask, &["text"], "p:hover"));
    let error = Policy::from_artifact(a).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("rule `r1` has an invalid selector: "),
        "{message}"
    );
}

#[test]
fn at_the_nearest_rule_what_decides_is_not_listed_as_lost() {
    // Step 5: on the nearest element with a rule, a mask beats an allow;
    // the allow there and every rule farther up lose to it. With only an
    // allow there, the allow decides and only the rules farther up lose.
    let page_of = |with_near_mask: bool| {
        let mut a = empty_artifact();
        a.rules
            .push(rule("far-mask", Action::Mask, &["text"], "section"));
        a.rules
            .push(rule("near-allow", Action::Allow, &["text"], "div"));
        if with_near_mask {
            a.rules
                .push(rule("near-mask", Action::Mask, &["text"], ".d"));
        }
        Policy::from_artifact(a).unwrap()
    };
    let mut t = Tree::default();
    let section = t.add(None, Attach::Light, "section", &[]);
    let div = t.add(Some(section), Attach::Light, "div", &[("class", "d")]);
    let p = t.add(Some(div), Attach::Light, "p", &[]);

    let policy = page_of(true);
    let page = policy.page(&ctx("https://shop.example/"));
    let why = page.explain(t.el(p), ChannelRef::Text);
    assert_eq!(why.step, Step::NearestRule);
    assert_eq!(deciding_of(&why), [("near-mask".to_string(), 1)]);
    assert_eq!(
        lost_of(&why),
        [
            ("near-allow".to_string(), 1, Step::NearestRule),
            ("far-mask".to_string(), 2, Step::NearestRule)
        ]
    );

    let policy = page_of(false);
    let page = policy.page(&ctx("https://shop.example/"));
    let why = page.explain(t.el(p), ChannelRef::Text);
    assert_eq!(why.outcome, ChannelOutcome::Capture);
    assert_eq!(deciding_of(&why), [("near-allow".to_string(), 1)]);
    assert_eq!(
        lost_of(&why),
        [("far-mask".to_string(), 2, Step::NearestRule)]
    );
}
