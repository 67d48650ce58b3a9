//! Shared by the integration and property tests: the oracle's document tree
//! seen through `scrim_matcher::Element` (so that the matcher and the
//! oracle decide the very same tree), a builder that keeps the flattened
//! child order (shadow content, light children, iframe document), and
//! helpers to build artifacts in Rust.
#![allow(dead_code)]

use scrim_artifact::*;
use scrim_matcher::Element;
use scrim_oracle::NodeId;

/// Where a node hangs off its parent in the flattened tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attach {
    Shadow,
    Light,
    IframeDoc,
}

/// A tree of HTML elements (and others, through [`Tree::add_in`]) built in
/// the flattened order, with `usize` ids.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub inner: scrim_oracle::Tree,
    attach: Vec<Attach>,
}

impl Tree {
    /// Adds an HTML element.
    pub fn add(
        &mut self,
        parent: Option<usize>,
        attach: Attach,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> usize {
        self.add_in(parent, attach, scrim_oracle::HTML, name, attrs)
    }

    /// Adds an element of any namespace: shadow content goes after the
    /// host's shadow content and before its light children, an iframe's
    /// document after everything.
    pub fn add_in(
        &mut self,
        parent: Option<usize>,
        attach: Attach,
        namespace: &str,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> usize {
        let at = parent.map_or(0, |p| {
            self.inner
                .node(NodeId(p))
                .children
                .iter()
                .take_while(|c| self.attach[c.0] <= attach)
                .count()
        });
        let id = self
            .inner
            .insert(parent.map(NodeId), at, namespace, name, attrs);
        self.inner.node_mut(id).part = match attach {
            Attach::Shadow => scrim_oracle::Part::Shadow,
            Attach::Light => scrim_oracle::Part::Light,
            Attach::IframeDoc => scrim_oracle::Part::Document,
        };
        self.attach.push(attach);
        id.0
    }

    pub fn el(&self, id: usize) -> El<'_> {
        El {
            tree: &self.inner,
            id: NodeId(id),
        }
    }
}

/// An element of an oracle tree, as the matcher sees it.
#[derive(Clone, Copy)]
pub struct El<'a> {
    pub tree: &'a scrim_oracle::Tree,
    pub id: NodeId,
}

impl std::fmt::Debug for El<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.node();
        write!(f, "#{} <{}", self.id.0, n.local_name)?;
        if !n.is_html() {
            write!(f, " ns={}", n.namespace)?;
        }
        for (a, v) in &n.attributes {
            write!(f, " {a}={v:?}")?;
        }
        write!(f, ">")
    }
}

impl<'a> El<'a> {
    pub fn node(&self) -> &'a scrim_oracle::Node {
        self.tree.node(self.id)
    }

    fn at(&self, id: Option<NodeId>) -> Option<Self> {
        id.map(|id| El {
            tree: self.tree,
            id,
        })
    }
}

impl Element for El<'_> {
    fn unique_id(&self) -> usize {
        self.id.0
    }
    fn parent(&self) -> Option<Self> {
        self.at(self.node().parent)
    }
    fn prev_sibling(&self) -> Option<Self> {
        self.at(self.tree.sibling(self.id, -1))
    }
    fn next_sibling(&self) -> Option<Self> {
        self.at(self.tree.sibling(self.id, 1))
    }
    fn first_child(&self) -> Option<Self> {
        self.at(self.tree.light_children(self.id).next())
    }
    fn local_name(&self) -> &str {
        &self.node().local_name
    }
    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.node()
            .attributes
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
    }
    fn is_html(&self) -> bool {
        self.node().is_html()
    }
    fn namespace(&self) -> &str {
        &self.node().namespace
    }
    fn is_empty(&self) -> bool {
        self.tree.light_children(self.id).next().is_none() && self.node().text.is_empty()
    }
    fn was_password(&self) -> bool {
        self.node().was_password
    }
}

pub fn loc(line: u32) -> Loc {
    Loc {
        file: 0,
        line,
        column: 1,
        start: 0,
        end: 0,
    }
}

/// A URL pattern matching everything but the given host and path regexes.
pub fn pattern(source: &str, hostname: &str, pathname: &str) -> UrlPattern {
    UrlPattern {
        source: source.to_string(),
        protocol: "https?".into(),
        username: ".*".into(),
        password: ".*".into(),
        hostname: hostname.into(),
        port: ".*".into(),
        pathname: pathname.into(),
        search: ".*".into(),
        hash: ".*".into(),
    }
}

pub fn empty_artifact() -> Artifact {
    Artifact {
        format: FORMAT.into(),
        version: VERSION,
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
        rules: vec![],
        defaults: vec![],
        detectors: vec![],
        redactions: vec![],
    }
}

pub fn rule(id: &str, action: Action, channels: &[&str], selector: &str) -> Rule {
    Rule {
        id: id.into(),
        scope: 0,
        action,
        channels: channels.iter().map(|c| c.parse().unwrap()).collect(),
        selector: selector.into(),
        sealed: false,
        strategy: Strategy::Stars,
        loc: loc(1),
    }
}

/// Compiles a policy's text, panicking with its diagnostics on an error.
pub fn compile(text: &str) -> Artifact {
    let compilation = scrim_compiler::compile("test.scrim", text, &scrim_compiler::NoFiles);
    assert!(
        !compilation.has_errors(),
        "policy has errors: {:#?}\n{text}",
        compilation.diagnostics
    );
    compilation.artifact.expect("no errors, so an artifact")
}
