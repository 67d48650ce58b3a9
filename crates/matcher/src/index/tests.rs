//! The index must return exactly the rules whose selectors match, as a
//! brute-force `matches_selector_list` over every rule finds them: on random
//! trees mixing HTML and SVG elements (`foreignObject`, `viewBox`) and random
//! selectors of the dialect (upper-case tags and attribute names, every
//! attribute operator and flag, `:not()`, `:is()`, `:where()`, every
//! combinator), with and without the ancestor Bloom filter.

use super::Index;
use crate::element::{Element, Matchable, element_hashes, matching_context};
use crate::policy::Policy;
use proptest::prelude::*;
use scrim_artifact::{
    Action, Artifact, Channel, Loc, Rule, Scope, SensitiveAttributes, Source, Strategy as Mask,
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

fn policy(selectors: &[String]) -> Policy {
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
        scopes: vec![Scope {
            parent: None,
            conditions: vec![],
            loc: None,
        }],
        page_rules: vec![],
        rules: selectors
            .iter()
            .enumerate()
            .map(|(i, s)| Rule {
                id: format!("r{i}"),
                scope: 0,
                action: Action::Mask,
                channels: vec![Channel::Text],
                selector: s.clone(),
                sealed: false,
                strategy: Mask::Stars,
                loc: loc.clone(),
            })
            .collect(),
        defaults: vec![],
        detectors: vec![],
        redactions: vec![],
    };
    Policy::from_artifact(artifact).expect("the test selectors parse")
}

/// The rules the index returns for every element, with the Bloom filter of
/// its ancestors and without one, checked against every rule tried in turn.
fn assert_index_is_exact(tree: &Tree, policy: &Policy) -> Result<(), TestCaseError> {
    let index = Index::build(policy, |_| true);
    let mut caches = SelectorCaches::default();
    let mut out = Vec::new();
    for id in 0..tree.nodes.len() {
        let element = tree.el(id);
        let expected: Vec<u32> = (0..policy.rules.len() as u32)
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
        index.matching_rules(policy, element, Some(&bloom), &mut caches, &mut out);
        prop_assert_eq!(&out, &expected, "with the Bloom filter, {:?}", element);
        index.matching_rules(policy, element, None, &mut caches, &mut out);
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
        selectors in prop::collection::vec(selector_list(), 1..25),
    ) {
        // A generated selector the dialect refuses (`:is()` of nothing
        // valid, say) is left out rather than failing the case.
        let selectors: Vec<String> = selectors
            .into_iter()
            .filter(|s| scrim_selector::parse(s).is_ok())
            .collect();
        let tree = build_tree(&nodes);
        assert_index_is_exact(&tree, &policy(&selectors))?;
    }
}

/// One element under a parent, and the rules of `selectors` it matches.
fn matched(
    parent: (&'static str, bool),
    child: (&'static str, bool, &[(&'static str, &'static str)]),
    selectors: &[&str],
) -> Vec<u32> {
    let mut tree = Tree::default();
    let p = tree.add(None, parent.0, parent.1, &[("class", "x")]);
    let c = tree.add(Some(p), child.0, child.1, child.2);
    let selectors: Vec<String> = selectors.iter().map(|s| s.to_string()).collect();
    let policy = policy(&selectors);
    assert_index_is_exact(&tree, &policy).unwrap();
    let index = Index::build(&policy, |_| true);
    let mut out = Vec::new();
    index.matching_rules(
        &policy,
        tree.el(c),
        None,
        &mut SelectorCaches::default(),
        &mut out,
    );
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
