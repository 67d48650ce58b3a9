//! The index must return exactly the rules whose selectors match, as a
//! brute-force `matches_selector_list` over every rule finds them: on random
//! trees mixing HTML and SVG elements (`foreignObject`, `viewBox`) and random
//! selectors of the dialect (upper-case tags and attribute names, every
//! attribute operator and flag, `:not()`, `:is()`, `:where()`, every
//! combinator), with and without the ancestor Bloom filter. And it must
//! narrow the search, which is what it is for: an element looks up only
//! the selectors filed under its own keys, its parent's names and the
//! universal ones, tries only those whose tag it has, and distinct names
//! have distinct keys.

use super::{Index, Key};
use crate::element::{Element, Matchable, element_hashes, matching_context};
use crate::policy::Policy;
use proptest::prelude::*;
use scrim_artifact::{
    Action, Artifact, Channel, Condition, Loc, Rule, Scope, SensitiveAttributes, Source,
    Strategy as Mask,
};
use selectors::bloom::BloomFilter;
use selectors::context::SelectorCaches;
use selectors::matching::matches_selector_list;

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

#[derive(Debug)]
struct Node {
    name: &'static str,
    html: bool,
    attrs: Vec<(&'static str, &'static str)>,
    parent: Option<usize>,
    prev: Option<usize>,
    next: Option<usize>,
    first: Option<usize>,
}

#[derive(Debug, Default)]
struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn add(
        &mut self,
        parent: Option<usize>,
        name: &'static str,
        html: bool,
        attrs: &[(&'static str, &'static str)],
    ) -> usize {
        let id = self.nodes.len();
        let prev = parent.and_then(|p| {
            (0..id)
                .rev()
                .find(|&c| self.nodes[c].parent == Some(p) && self.nodes[c].next.is_none())
        });
        if let Some(prev) = prev {
            self.nodes[prev].next = Some(id);
        }
        if let Some(p) = parent
            && self.nodes[p].first.is_none()
        {
            self.nodes[p].first = Some(id);
        }
        self.nodes.push(Node {
            name,
            html,
            attrs: attrs.to_vec(),
            parent,
            prev,
            next: None,
            first: None,
        });
        id
    }

    fn el(&self, id: usize) -> El<'_> {
        El { tree: self, id }
    }
}

#[derive(Clone, Copy)]
struct El<'a> {
    tree: &'a Tree,
    id: usize,
}

impl std::fmt::Debug for El<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = &self.tree.nodes[self.id];
        write!(f, "#{} <{} {:?}>", self.id, n.name, n.attrs)
    }
}

impl El<'_> {
    fn at(&self, id: Option<usize>) -> Option<Self> {
        id.map(|id| El {
            tree: self.tree,
            id,
        })
    }
    fn node(&self) -> &Node {
        &self.tree.nodes[self.id]
    }
}

impl Element for El<'_> {
    fn unique_id(&self) -> usize {
        self.id
    }
    fn parent(&self) -> Option<Self> {
        self.at(self.node().parent)
    }
    fn prev_sibling(&self) -> Option<Self> {
        self.at(self.node().prev)
    }
    fn next_sibling(&self) -> Option<Self> {
        self.at(self.node().next)
    }
    fn first_child(&self) -> Option<Self> {
        self.at(self.node().first)
    }
    fn local_name(&self) -> &str {
        self.node().name
    }
    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.node().attrs.iter().map(|&(n, v)| (n, v))
    }
    fn is_html(&self) -> bool {
        self.node().html
    }
    fn namespace(&self) -> &str {
        if self.node().html {
            crate::element::HTML_NAMESPACE
        } else {
            SVG_NAMESPACE
        }
    }
}

/// A policy of one rule per `(selector, scope)`; scope 1 is `when consent
/// x`, inside scope 0.
fn policy(rules: &[(String, u32)]) -> Policy {
    let loc = Loc {
        file: 0,
        line: 1,
        column: 1,
        start: 0,
        end: 0,
    };
    let artifact = Artifact {
        format: scrim_artifact::FORMAT.into(),
        version: scrim_artifact::VERSION,
        language: 1,
        sources: vec![Source {
            name: "test.scrim".into(),
        }],
        sensitive_attributes: SensitiveAttributes::builtin(),
        scopes: vec![
            Scope {
                parent: None,
                conditions: vec![],
                loc: None,
            },
            Scope {
                parent: Some(0),
                conditions: vec![Condition::Consent {
                    category: "x".into(),
                }],
                loc: Some(loc),
            },
        ],
        page_rules: vec![],
        rules: rules
            .iter()
            .enumerate()
            .map(|(i, (s, scope))| Rule {
                id: format!("r{i}"),
                scope: *scope,
                action: Action::Mask,
                channels: vec![Channel::Text],
                selector: s.clone(),
                sealed: false,
                strategy: Mask::Stars,
                loc,
            })
            .collect(),
        defaults: vec![],
        detectors: vec![],
        redactions: vec![],
    };
    Policy::from_artifact(artifact).expect("the test selectors parse")
}

/// The rules the index of the scopes `keep_scope` keeps returns for every
/// element, with the Bloom filter of its ancestors and without one, checked
/// against every rule of those scopes tried in turn.
fn assert_index_is_exact(
    tree: &Tree,
    policy: &Policy,
    keep_scope: impl Fn(usize) -> bool,
) -> Result<(), TestCaseError> {
    let index = Index::build(policy, &keep_scope);
    let mut caches = SelectorCaches::default();
    let mut out = Vec::new();
    for id in 0..tree.nodes.len() {
        let element = tree.el(id);
        let expected: Vec<u32> = (0..policy.rules.len() as u32)
            .filter(|&r| keep_scope(policy.rules[r as usize].scope))
            .filter(|&r| {
                let mut caches = SelectorCaches::default();
                let mut context = matching_context(None, &mut caches);
                matches_selector_list(
                    &policy.rules[r as usize].selectors,
                    Matchable(element),
                    &mut context,
                )
            })
            .collect();
        let mut bloom = BloomFilter::new();
        let mut ancestor = element.parent();
        while let Some(a) = ancestor {
            element_hashes(&a, |h| bloom.insert_hash(h));
            ancestor = a.parent();
        }
        let mut parent_hashes = Vec::new();
        if let Some(parent) = element.parent() {
            element_hashes(&parent, |h| parent_hashes.push(h));
        }
        index.matching_rules(element, Some(&bloom), &parent_hashes, &mut caches, &mut out);
        prop_assert_eq!(&out, &expected, "with the Bloom filter, {:?}", element);
        index.matching_rules(element, None, &parent_hashes, &mut caches, &mut out);
        prop_assert_eq!(&out, &expected, "without a Bloom filter, {:?}", element);
    }
    Ok(())
}

const HTML_TAGS: &[&str] = &["div", "span", "p", "input", "a"];
const SVG_TAGS: &[&str] = &["svg", "foreignObject", "rect"];
const HTML_ATTRS: &[&str] = &["class", "id", "title", "type", "data-x", "viewbox"];
const SVG_ATTRS: &[&str] = &["class", "id", "title", "data-x", "viewBox"];
const VALUES: &[&str] = &[
    "x",
    "X",
    "x y",
    "y z",
    "a",
    "A",
    "password",
    "PASSWORD",
    "0 0 10 10",
    "en-US",
    "",
];

const SELECTOR_TAGS: &[&str] = &[
    "div",
    "DIV",
    "Span",
    "p",
    "input",
    "svg",
    "SVG",
    "foreignObject",
    "foreignobject",
    "FOREIGNOBJECT",
    "rect",
    "*",
];
const SELECTOR_ATTRS: &[&str] = &[
    "class", "id", "title", "TITLE", "type", "data-x", "DATA-X", "viewBox", "viewbox", "VIEWBOX",
];
const OPERATORS: &[&str] = &["=", "~=", "|=", "^=", "$=", "*="];
const FLAGS: &[&str] = &["", " i", " s"];
const COMBINATORS: &[&str] = &[" ", " > ", " + ", " ~ "];

fn simple() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(&[".x", ".y", ".X", ".z", "#a", "#A", "#b"][..])
            .prop_map(String::from),
        prop::sample::select(SELECTOR_ATTRS).prop_map(|a| format!("[{a}]")),
        (
            prop::sample::select(SELECTOR_ATTRS),
            prop::sample::select(OPERATORS),
            prop::sample::select(VALUES),
            prop::sample::select(FLAGS),
        )
            .prop_map(|(a, op, v, f)| format!("[{a}{op}\"{v}\"{f}]")),
        prop::sample::select(&[":first-child", ":empty", ":root", ":only-child"][..])
            .prop_map(String::from),
    ]
}

fn compound_of(simple: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(SELECTOR_TAGS)),
        prop::collection::vec(simple, 0..3),
    )
        .prop_map(|(tag, simples)| {
            let mut s = tag.unwrap_or("").to_string();
            for x in simples {
                s.push_str(&x);
            }
            if s.is_empty() {
                s.push('*');
            }
            s
        })
}

fn compound() -> impl Strategy<Value = String> {
    let inner = compound_of(simple().boxed()).boxed();
    let functional = (
        prop::sample::select(&[":not", ":is", ":where"][..]),
        prop::collection::vec(inner, 1..3),
    )
        .prop_map(|(f, args)| format!("{f}({})", args.join(", ")));
    compound_of(prop_oneof![3 => simple(), 1 => functional].boxed())
}

fn complex() -> impl Strategy<Value = String> {
    (
        compound(),
        prop::collection::vec((prop::sample::select(COMBINATORS), compound()), 0..3),
    )
        .prop_map(|(first, rest)| {
            let mut s = first;
            for (c, x) in rest {
                s.push_str(c);
                s.push_str(&x);
            }
            s
        })
}

fn selector_list() -> impl Strategy<Value = String> {
    prop::collection::vec(complex(), 1..3).prop_map(|xs| xs.join(", "))
}

#[derive(Debug, Clone)]
struct NodeSpec {
    parent_seed: usize,
    svg: bool,
    tag: usize,
    attrs: Vec<(usize, usize)>,
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (
        any::<usize>(),
        prop::bool::weighted(0.3),
        any::<usize>(),
        prop::collection::vec((any::<usize>(), 0..VALUES.len()), 0..4),
    )
        .prop_map(|(parent_seed, svg, tag, attrs)| NodeSpec {
            parent_seed,
            svg,
            tag,
            attrs,
        })
}

fn build_tree(specs: &[NodeSpec]) -> Tree {
    let mut tree = Tree::default();
    for (i, s) in specs.iter().enumerate() {
        let parent = (i > 0).then(|| s.parent_seed % i);
        let (tags, names) = if s.svg {
            (SVG_TAGS, SVG_ATTRS)
        } else {
            (HTML_TAGS, HTML_ATTRS)
        };
        let mut attrs: Vec<(&'static str, &'static str)> = Vec::new();
        for &(n, v) in &s.attrs {
            let name = names[n % names.len()];
            if !attrs.iter().any(|(a, _)| *a == name) {
                attrs.push((name, VALUES[v]));
            }
        }
        tree.add(parent, tags[s.tag % tags.len()], !s.svg, &attrs);
    }
    tree
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn index_returns_exactly_the_matching_rules(
        nodes in prop::collection::vec(node_spec(), 1..30),
        selectors in prop::collection::vec(selector_list(), 1..12),
        rules in prop::collection::vec((any::<prop::sample::Index>(), 0u32..2), 1..25),
        every_scope in any::<bool>(),
    ) {
        // A generated selector the dialect refuses (`:is()` of nothing
        // valid, say) is left out rather than failing the case.
        let selectors: Vec<String> = selectors
            .into_iter()
            .filter(|s| scrim_selector::parse(s).is_ok())
            .collect();
        prop_assume!(!selectors.is_empty());
        // Rules draw from fewer selectors, so that some share one (as
        // `mask text` and `allow attr:title` of one selector do).
        let rules: Vec<(String, u32)> = rules
            .iter()
            .map(|(i, scope)| (i.get(&selectors).clone(), *scope))
            .collect();
        let tree = build_tree(&nodes);
        assert_index_is_exact(&tree, &policy(&rules), |s| every_scope || s == 0)?;
    }
}

type Spec<'a> = (&'static str, bool, &'a [(&'static str, &'static str)]);

/// One element under a parent (of class `x` unless it has attributes), and
/// the rules of `selectors` it matches.
fn matched(parent: (&'static str, bool), child: Spec<'_>, selectors: &[&str]) -> Vec<u32> {
    matched_under((parent.0, parent.1, &[("class", "x")]), child, selectors)
}

fn matched_under(parent: Spec<'_>, child: Spec<'_>, selectors: &[&str]) -> Vec<u32> {
    let mut tree = Tree::default();
    let p = tree.add(None, parent.0, parent.1, parent.2);
    let c = tree.add(Some(p), child.0, child.1, child.2);
    let rules: Vec<(String, u32)> = selectors.iter().map(|s| (s.to_string(), 0)).collect();
    let policy = policy(&rules);
    assert_index_is_exact(&tree, &policy, |_| true).unwrap();
    let index = Index::build(&policy, |_| true);
    let mut out = Vec::new();
    let mut parent_hashes = Vec::new();
    element_hashes(&tree.el(p), |h| parent_hashes.push(h));
    let caches = &mut SelectorCaches::default();
    index.matching_rules(tree.el(c), None, &parent_hashes, caches, &mut out);
    out
}

#[test]
fn upper_case_type_selectors_match_html_elements_by_their_lower_case_name() {
    let html = ("div", true, &[][..]);
    assert_eq!(
        matched(("body", true), html, &["DIV", "Div.y", "div", "span"]),
        [0, 2]
    );
    assert_eq!(
        matched(("body", true), html, &[".x > DIV", ".x DIV"]),
        [0, 1]
    );
}

#[test]
fn type_selectors_match_svg_elements_by_their_exact_name() {
    let svg = ("foreignObject", false, &[][..]);
    let selectors = [
        "foreignObject",
        "foreignobject",
        "FOREIGNOBJECT",
        ".x > foreignObject",
    ];
    assert_eq!(matched(("svg", false), svg, &selectors), [0, 3]);
}

#[test]
fn attribute_names_match_svg_attributes_by_their_exact_name() {
    let svg = ("svg", false, &[("viewBox", "0 0 10 10")][..]);
    let selectors = [
        "[viewBox]",
        "[viewbox]",
        "[VIEWBOX]",
        "[viewBox='0 0 10 10']",
        "svg[viewBox^='0 0']",
    ];
    assert_eq!(matched(("div", true), svg, &selectors), [0, 3, 4]);
}

#[test]
fn attribute_names_match_html_attributes_whatever_their_case_in_the_selector() {
    let html = (
        "div",
        true,
        &[("viewbox", "0 0 10 10"), ("title", "Hello")][..],
    );
    let selectors = [
        "[viewBox]",
        "[VIEWBOX]",
        "[TITLE='hello' i]",
        "[title='hello']",
        "[title=Hello]",
    ];
    assert_eq!(matched(("body", true), html, &selectors), [0, 1, 2, 4]);
}

#[test]
fn keys_fold_ascii_case_of_every_byte_and_nothing_else() {
    for b in 0..=255u8 {
        for at in 0..8 {
            let mut bytes = *b"abcdefgh";
            bytes[at] = b;
            let mut want = bytes;
            want.make_ascii_lowercase();
            assert_eq!(
                super::ascii_lowercase_word(u64::from_le_bytes(bytes)),
                u64::from_le_bytes(want),
                "byte {b:#04x} at {at}"
            );
        }
    }
}

#[test]
fn child_selectors_find_html_parents_whatever_the_case_of_their_names() {
    let parent = ("div", true, &[("data-x", "1"), ("class", "x")][..]);
    let child = ("span", true, &[][..]);
    let selectors = [
        "DIV > *",
        "div > *",
        "[DATA-X] > span",
        "[data-x='1'] > span",
        ".x > span",
        ".X > span",
        "#x > *",
        "Div > SPAN",
        "[DATA-X='1'] > span",
        "[*|data-x] > span",
        "[*|DATA-X] > span",
    ];
    assert_eq!(
        matched_under(parent, child, &selectors),
        [0, 1, 2, 3, 4, 7, 8, 9, 10]
    );
}

#[test]
fn child_selectors_find_svg_parents_by_their_exact_names() {
    let parent = ("foreignObject", false, &[("viewBox", "0 0 10 10")][..]);
    let child = ("rect", false, &[][..]);
    let selectors = [
        "foreignObject > *",
        "FOREIGNOBJECT > *",
        "foreignobject > *",
        "[viewBox] > *",
        "[viewbox] > *",
        "[VIEWBOX] > rect",
    ];
    assert_eq!(matched_under(parent, child, &selectors), [0, 3]);
}

/// The rules of the candidates `element` is looked up under, before any
/// check: what the index narrows its search to.
fn looked_up(index: &Index<'_>, element: El<'_>, only_its_tag: bool) -> Vec<u32> {
    let mut parent_hashes = Vec::new();
    if let Some(parent) = element.parent() {
        element_hashes(&parent, |h| parent_hashes.push(h));
    }
    let tag = Key::tag(element.local_name());
    let mut out = Vec::new();
    index.for_each_span(element, tag, &parent_hashes, &mut |span| {
        for candidate in &index.candidates[span.range()] {
            if !only_its_tag || candidate.may_match(tag, None) {
                out.extend_from_slice(&index.rules[candidate.rules.range()]);
            }
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// The tree and selectors of the narrowing tests, each selector with what
/// it is filed under: every key is one that some element below lacks.
fn narrowing_case() -> (Tree, Policy) {
    let mut tree = Tree::default();
    let body = tree.add(None, "body", true, &[]);
    let div_ap = tree.add(Some(body), "div", true, &[("id", "i"), ("class", "a p")]);
    tree.add(
        Some(div_ap),
        "span",
        true,
        &[("data-x", "v"), ("title", "s t")],
    );
    tree.add(Some(body), "div", true, &[("name", "n"), ("data-x", "1")]);
    tree.add(Some(body), "div", true, &[("name", "nm")]);
    tree.add(Some(body), "div", true, &[("class", "b"), ("x", "1")]);
    let div_a = tree.add(Some(body), "div", true, &[("class", "a")]);
    tree.add(Some(div_a), "span", true, &[]);
    tree.add(Some(body), "span", true, &[]);
    tree.add(Some(3), "span", true, &[]);
    let selectors = [
        "#i.a",             // 0: the id
        "div.a",            // 1: the class
        "div[data-x]",      // 2: the attribute name
        "div[name='n']",    // 3: the attribute of that value
        "div[name^='n']",   // 4: the attribute name
        "span[DATA-X='v']", // 5: the attribute of that value
        "div",              // 6: the tag
        ":first-child",     // 7: universal
        "div.p > span",     // 8: the parent's class
        ".p > div.a",       // 9: its own class
        "[*|x]",            // 10: the attribute name
        "span[title~='t']", // 11: the attribute name
        "div.a, #i",        // 12: the class, the id
        "div.b",            // 13: the class
        "[NAME^='n']",      // 14: the attribute name
        ".q span",          // 15: the tag (not a child selector)
        "div > span",       // 16: the tag (the parent's is no rarer)
        "div#i > span",     // 17: the parent's id
        "div[id] > span",   // 18: the parent's attribute name
        "div[*|class] > *", // 19: the parent's attribute name
        "div > *",          // 20: the parent's tag
    ];
    let rules: Vec<(String, u32)> = selectors.iter().map(|s| (s.to_string(), 0)).collect();
    (tree, policy(&rules))
}

#[test]
fn an_element_looks_up_only_the_selectors_filed_under_its_keys() {
    let (tree, policy) = narrowing_case();
    let index = Index::build(&policy, |_| true);
    let looked_up: Vec<Vec<u32>> = (0..tree.nodes.len())
        .map(|id| looked_up(&index, tree.el(id), false))
        .collect();
    let expected: [&[u32]; 10] = [
        &[7],                                      // body
        &[0, 1, 6, 7, 9, 12],                      // div#i.a.p
        &[2, 5, 7, 8, 11, 15, 16, 17, 18, 19, 20], // span[data-x=v][title] in div#i.a.p
        &[2, 3, 4, 6, 7, 14],                      // div[name=n][data-x=1]
        &[4, 6, 7, 14],                            // div[name=nm]
        &[6, 7, 10, 13],                           // div.b[x]
        &[1, 6, 7, 9, 12],                         // div.a
        &[7, 15, 16, 19, 20],                      // span in div.a
        &[7, 15, 16],                              // span in body
        &[7, 15, 16, 20],                          // span in div[name=n]
    ];
    assert_eq!(looked_up, expected);
}

#[test]
fn selectors_requiring_another_tag_are_not_tried() {
    let (tree, policy) = narrowing_case();
    let index = Index::build(&policy, |_| true);
    // The span in div.p is looked up under its `data-x`, where `div[data-x]`
    // is filed too.
    assert_eq!(
        looked_up(&index, tree.el(2), true),
        [5, 7, 8, 11, 15, 16, 17, 18, 19, 20]
    );
    for id in [0, 1, 3, 4, 5, 6, 7, 8, 9] {
        assert_eq!(
            looked_up(&index, tree.el(id), true),
            looked_up(&index, tree.el(id), false),
            "{:?}",
            tree.el(id)
        );
    }
}

#[test]
fn keys_of_different_names_differ() {
    // Runs of one letter, and names of every length with each byte changed
    // in turn: a key that ignored a byte or the length would give two of
    // them the same slot, and elements would try selectors of other names.
    let mut names = vec![String::new()];
    for len in 1..=24 {
        names.push("a".repeat(len));
        let base: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
        for at in 0..len {
            let mut changed = base.clone();
            changed[at] = b'-';
            names.push(String::from_utf8(changed).unwrap());
        }
        names.push(String::from_utf8(base).unwrap());
    }
    names.sort();
    names.dedup();
    type KeyOf = fn(&str) -> Key;
    let kinds: [(&str, KeyOf); 4] = [
        ("id", Key::id),
        ("class", Key::class),
        ("attribute", Key::attr),
        ("tag", Key::tag),
    ];
    for (kind, key) in kinds {
        let mut seen = std::collections::HashMap::new();
        for name in &names {
            if let Some(other) = seen.insert(key(name).hash(), name) {
                panic!("{kind} `{name}` has the key of `{other}`");
            }
        }
    }
    for name in ["a", "data-x", "aria-label-of-the-thing"] {
        let keys = [
            Key::id(name),
            Key::class(name),
            Key::attr(name),
            Key::tag(name),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a.hash(), b.hash(), "`{name}`: {a:?} and {b:?}");
            }
        }
    }
}
