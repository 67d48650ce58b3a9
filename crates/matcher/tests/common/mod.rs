//! An arena tree implementing `scrim_matcher::Element`, and helpers to build
//! artifacts in Rust, shared by the integration and property tests.
#![allow(dead_code)]

use scrim_artifact::*;
use scrim_matcher::Element;

/// Where a node hangs off its parent in the flattened tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    Light,
    Shadow,
    IframeDoc,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub parent: Option<usize>,
    pub attach: Attach,
    pub was_password: bool,
    prev: Option<usize>,
    next: Option<usize>,
    first: Option<usize>,
    /// Every child in the flattened tree (light, shadow, iframe document).
    pub flat_children: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// Adds a node; siblings are kept per (parent, attach) list.
    pub fn add(
        &mut self,
        parent: Option<usize>,
        attach: Attach,
        name: &str,
        attrs: &[(&str, &str)],
    ) -> usize {
        let id = self.nodes.len();
        let prev = parent.and_then(|p| {
            self.nodes[p]
                .flat_children
                .iter()
                .rev()
                .find(|&&c| self.nodes[c].attach == attach)
                .copied()
        });
        if let Some(prev) = prev {
            self.nodes[prev].next = Some(id);
        }
        if let Some(p) = parent {
            if attach == Attach::Light && self.nodes[p].first.is_none() {
                self.nodes[p].first = Some(id);
            }
            self.nodes[p].flat_children.push(id);
        }
        self.nodes.push(Node {
            name: name.to_string(),
            attrs: attrs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            parent,
            attach,
            was_password: false,
            prev,
            next: None,
            first: None,
            flat_children: Vec::new(),
        });
        id
    }

    pub fn el(&self, id: usize) -> El<'_> {
        El { tree: self, id }
    }

    /// Document order of the flattened tree, with depth (iterative).
    pub fn order(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut stack: Vec<(usize, usize)> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].parent.is_none())
            .rev()
            .map(|i| (i, 0))
            .collect();
        while let Some((id, depth)) = stack.pop() {
            out.push((id, depth));
            for &c in self.nodes[id].flat_children.iter().rev() {
                stack.push((c, depth + 1));
            }
        }
        out
    }
}

#[derive(Clone, Copy)]
pub struct El<'a> {
    pub tree: &'a Tree,
    pub id: usize,
}

impl std::fmt::Debug for El<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{} <{}>", self.id, self.tree.nodes[self.id].name)
    }
}

impl<'a> Element for El<'a> {
    fn unique_id(&self) -> usize {
        self.id
    }
    fn parent(&self) -> Option<Self> {
        self.tree.nodes[self.id].parent.map(|id| El {
            tree: self.tree,
            id,
        })
    }
    fn prev_sibling(&self) -> Option<Self> {
        self.tree.nodes[self.id].prev.map(|id| El {
            tree: self.tree,
            id,
        })
    }
    fn next_sibling(&self) -> Option<Self> {
        self.tree.nodes[self.id].next.map(|id| El {
            tree: self.tree,
            id,
        })
    }
    fn first_child(&self) -> Option<Self> {
        self.tree.nodes[self.id].first.map(|id| El {
            tree: self.tree,
            id,
        })
    }
    fn local_name(&self) -> &str {
        &self.tree.nodes[self.id].name
    }
    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tree.nodes[self.id]
            .attrs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
    }
    fn was_password(&self) -> bool {
        self.tree.nodes[self.id].was_password
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
