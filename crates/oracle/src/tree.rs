//! The oracle's own document tree: elements with a namespace, a local name,
//! attributes, their own text and children, in the *flattened* order the
//! matcher's `Element` trait presents (a shadow host's shadow content first,
//! then its light children, then an iframe's document root). Siblings, as
//! `+`, `~`, `:nth-child()` and `:empty` see them, are the children in the
//! same [`Part`] of their parent, as in the DOM: a shadow root's content is
//! not a sibling of the host's light children.

/// The XHTML namespace.
pub const HTML: &str = "http://www.w3.org/1999/xhtml";
/// The SVG namespace.
pub const SVG: &str = "http://www.w3.org/2000/svg";
/// The MathML namespace.
pub const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// An element of a [`Tree`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub usize);

/// Which tree under its parent an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Part {
    /// The parent is a shadow host, and this is in its shadow root.
    Shadow,
    /// An ordinary child.
    #[default]
    Light,
    /// The root of the document of the parent `<iframe>`.
    Document,
}

/// One element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub namespace: String,
    /// Lowercase for HTML elements (as an HTML parser makes them), as
    /// written for others (`foreignObject`).
    pub local_name: String,
    /// Names lowercase for HTML elements, as written for others (`viewBox`,
    /// `xlink:href`), in document order, no duplicates.
    pub attributes: Vec<(String, String)>,
    pub parent: Option<NodeId>,
    /// The flattened children, in order.
    pub children: Vec<NodeId>,
    /// The text of the element's own text nodes; empty when it has none.
    pub text: String,
    /// An `<input>` that was of type password at some time.
    pub was_password: bool,
    /// Which of its parent's trees it is in.
    pub part: Part,
}

impl Node {
    /// Whether this is an HTML element (as opposed to SVG or MathML).
    pub fn is_html(&self) -> bool {
        self.namespace == HTML
    }

    /// The value of the attribute named exactly `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A forest of elements (usually one root).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    pub fn new() -> Tree {
        Tree::default()
    }

    /// Adds an element as the last child of `parent` (a root when `None`).
    pub fn add(
        &mut self,
        parent: Option<NodeId>,
        namespace: &str,
        local_name: &str,
        attributes: &[(&str, &str)],
    ) -> NodeId {
        let at = parent.map_or(0, |p| self.node(p).children.len());
        self.insert(parent, at, namespace, local_name, attributes)
    }

    /// Adds an element as child number `at` of `parent` (a root when
    /// `None`): a shadow root's content goes before the light children.
    pub fn insert(
        &mut self,
        parent: Option<NodeId>,
        at: usize,
        namespace: &str,
        local_name: &str,
        attributes: &[(&str, &str)],
    ) -> NodeId {
        let id = NodeId(self.nodes.len());
        self.nodes.push(Node {
            namespace: namespace.to_string(),
            local_name: local_name.to_string(),
            attributes: attributes
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            parent,
            children: Vec::new(),
            text: String::new(),
            was_password: false,
            part: Part::Light,
        });
        if let Some(p) = parent {
            self.nodes[p.0].children.insert(at, id);
        }
        id
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.0]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every element with its depth (roots at 0), in document order.
    pub fn preorder(&self) -> Vec<(NodeId, usize)> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<(NodeId, usize)> = (0..self.nodes.len())
            .rev()
            .map(NodeId)
            .filter(|&id| self.node(id).parent.is_none())
            .map(|id| (id, 0))
            .collect();
        while let Some((id, depth)) = stack.pop() {
            out.push((id, depth));
            for &c in self.node(id).children.iter().rev() {
                stack.push((c, depth + 1));
            }
        }
        out
    }

    /// The elements that share `id`'s parent and part, `id` included, in
    /// order. A root has no siblings but itself.
    pub fn siblings(&self, id: NodeId) -> Vec<NodeId> {
        let part = self.node(id).part;
        match self.node(id).parent {
            Some(p) => self
                .node(p)
                .children
                .iter()
                .copied()
                .filter(|&c| self.node(c).part == part)
                .collect(),
            None => vec![id],
        }
    }

    /// The sibling just before (`-1`) or after (`1`) `id`.
    pub fn sibling(&self, id: NodeId, step: isize) -> Option<NodeId> {
        self.node(id).parent?;
        let siblings = self.siblings(id);
        let at = siblings.iter().position(|&s| s == id)?;
        siblings.get(at.checked_add_signed(step)?).copied()
    }

    /// The light children of `id` (its DOM children): what `:empty` and a
    /// first child are about.
    pub fn light_children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.node(id)
            .children
            .iter()
            .copied()
            .filter(|&c| self.node(c).part == Part::Light)
    }

    /// The element's ancestors, nearest first.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = self.node(id).parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.node(p).parent;
        }
        out
    }
}
