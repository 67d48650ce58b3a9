//! html5ever's `TreeSink` for the arena: the parser builds the tree by
//! calling these methods with node indices as handles.
//!
//! A sink parses one document into an arena that may already hold others
//! (the enclosing documents of a `srcdoc`), so its document node is the one
//! it pushes first.

use crate::dom::{Attr, Doctype, ElementData, NONE, Node, NodeData, Nodes};
use crate::input::{Limits, RAW_ELEMENTS, ReadError};
use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, Namespace, QualName, local_name, ns};
use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

pub(crate) struct Sink {
    nodes: RefCell<Nodes>,
    root: u32,
    /// The `<iframe srcdoc>` elements created, in arena order.
    iframes: RefCell<Vec<u32>>,
    max_depth: u32,
    max_attributes: usize,
    /// The first limit the page went over: the parse is abandoned.
    exceeded: Cell<Option<ReadError>>,
    /// The last raw-text element made (its local name): the tokenizer now
    /// reads raw text.
    raw_element: Cell<Option<&'static str>>,
}

/// The name of an element, borrowed from the arena for the tree builder.
#[derive(Debug)]
pub(crate) struct Name<'a>(Ref<'a, QualName>);

impl ElemName for Name<'_> {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

/// The name an attribute is serialised with (`xlink:href`).
fn same_name(a: &Attribute, b: &Attr) -> bool {
    match &a.name.prefix {
        Some(prefix) => {
            let name = b.name();
            name.len() == prefix.len() + 1 + a.name.local.len()
                && name.starts_with(&**prefix)
                && name[prefix.len()..].starts_with(':')
                && name.ends_with(&*a.name.local)
        }
        None => b.name() == &*a.name.local,
    }
}

/// Elements that may host a declarative shadow root (the DOM's list, plus
/// custom elements).
fn valid_shadow_host(name: &QualName) -> bool {
    if name.ns != ns!(html) {
        return false;
    }
    let local: &str = &name.local;
    local.contains('-')
        || matches!(
            local,
            "article"
                | "aside"
                | "blockquote"
                | "body"
                | "div"
                | "footer"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "header"
                | "main"
                | "nav"
                | "p"
                | "section"
                | "span"
        )
}

impl Sink {
    /// A sink for one document whose root sits `depth` elements deep (in
    /// an `srcdoc` iframe).
    pub(crate) fn new(mut nodes: Nodes, depth: u32, limits: &Limits) -> Sink {
        let root = nodes.push(Node::new(NodeData::Document));
        nodes[root].depth = depth;
        Sink {
            nodes: RefCell::new(nodes),
            root,
            iframes: RefCell::new(Vec::new()),
            max_depth: u32::try_from(limits.max_depth).unwrap_or(u32::MAX),
            max_attributes: limits.max_attributes,
            exceeded: Cell::new(None),
            raw_element: Cell::new(None),
        }
    }

    pub(crate) fn root(&self) -> u32 {
        self.root
    }

    /// The first limit the page went over, if any.
    pub(crate) fn exceeded(&self) -> Option<ReadError> {
        let e = self.exceeded.take();
        self.exceeded.set(e.clone());
        e
    }

    /// The raw-text element made since the last call, if any.
    pub(crate) fn take_raw_element(&self) -> Option<&'static str> {
        self.raw_element.take()
    }

    fn exceed(&self, error: ReadError) {
        if let Some(first) = self.exceeded.take() {
            self.exceeded.set(Some(first));
        } else {
            self.exceeded.set(Some(error));
        }
    }

    /// Records the depth of element `n`, just placed, from its parent's.
    fn placed(&self, nodes: &mut Nodes, n: u32) {
        let parent = nodes[n].parent;
        if parent == NONE {
            return;
        }
        let depth = nodes[parent].depth.saturating_add(1);
        let contents = match &nodes[n].data {
            NodeData::Element(e) => e.template_contents,
            _ => return,
        };
        nodes[n].depth = depth;
        if contents != NONE {
            // The contents' children are one level below the template.
            nodes[contents].depth = depth;
        }
        if depth > self.max_depth {
            self.exceed(ReadError::TooDeep {
                limit: self.max_depth as usize,
            });
        }
    }

    fn push(&self, data: NodeData) -> u32 {
        self.nodes.borrow_mut().push(Node::new(data))
    }

    fn detach(nodes: &mut Nodes, n: u32) {
        let (parent, prev, next) = (nodes[n].parent, nodes[n].prev, nodes[n].next);
        if parent == NONE {
            return;
        }
        if prev != NONE {
            nodes[prev].next = next;
        } else {
            nodes[parent].first_child = next;
        }
        if next != NONE {
            nodes[next].prev = prev;
        } else {
            nodes[parent].last_child = prev;
        }
        let node = &mut nodes[n];
        node.parent = NONE;
        node.prev = NONE;
        node.next = NONE;
    }

    fn append_node(nodes: &mut Nodes, parent: u32, n: u32) {
        Self::detach(nodes, n);
        let last = nodes[parent].last_child;
        nodes[n].parent = parent;
        nodes[n].prev = last;
        if last != NONE {
            nodes[last].next = n;
        } else {
            nodes[parent].first_child = n;
        }
        nodes[parent].last_child = n;
    }

    fn insert_before(nodes: &mut Nodes, sibling: u32, n: u32) {
        Self::detach(nodes, n);
        let parent = nodes[sibling].parent;
        let prev = nodes[sibling].prev;
        nodes[n].parent = parent;
        nodes[n].prev = prev;
        nodes[n].next = sibling;
        nodes[sibling].prev = n;
        if prev != NONE {
            nodes[prev].next = n;
        } else if parent != NONE {
            nodes[parent].first_child = n;
        }
    }
}

impl TreeSink for Sink {
    type Handle = u32;
    type Output = (Nodes, Vec<u32>, Option<ReadError>);
    type ElemName<'a> = Name<'a>;

    fn finish(self) -> Self::Output {
        (
            self.nodes.into_inner(),
            self.iframes.into_inner(),
            self.exceeded.into_inner(),
        )
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> u32 {
        self.root
    }

    fn elem_name<'a>(&'a self, target: &'a u32) -> Name<'a> {
        Name(Ref::map(self.nodes.borrow(), |nodes| {
            match &nodes[*target].data {
                NodeData::Element(e) => &e.name,
                _ => unreachable!("the tree builder asks names of elements only"),
            }
        }))
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> u32 {
        let srcdoc_iframe = name.ns == ns!(html)
            && name.local == local_name!("iframe")
            && attrs
                .iter()
                .any(|a| a.name.prefix.is_none() && a.name.local == local_name!("srcdoc"));
        if attrs.len() > self.max_attributes {
            self.exceed(ReadError::TooManyAttributes {
                limit: self.max_attributes,
            });
        }
        if name.ns == ns!(html)
            && let Some((raw, _)) = RAW_ELEMENTS.iter().find(|(n, _)| *n == &*name.local)
        {
            self.raw_element.set(Some(raw));
        }
        let attrs = attrs.into_iter().map(Attr::new).collect();
        let mut data = ElementData::new(name, attrs);
        data.annotation_xml_integration_point = flags.mathml_annotation_xml_integration_point;
        if flags.template {
            data.template_contents = self.push(NodeData::Fragment);
        }
        let n = self.push(NodeData::Element(data));
        if srcdoc_iframe {
            self.iframes.borrow_mut().push(n);
        }
        n
    }

    fn create_comment(&self, _text: StrTendril) -> u32 {
        self.push(NodeData::Comment)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> u32 {
        self.push(NodeData::Comment)
    }

    fn append(&self, parent: &u32, child: NodeOrText<u32>) {
        match child {
            NodeOrText::AppendNode(n) => {
                let mut nodes = self.nodes.borrow_mut();
                Self::append_node(&mut nodes, *parent, n);
                self.placed(&mut nodes, n);
            }
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                let last = nodes[*parent].last_child;
                if last != NONE
                    && let NodeData::Text(t) = &mut nodes[last].data
                {
                    t.push_tendril(&text);
                    return;
                }
                let n = nodes.push(Node::new(NodeData::Text(text)));
                Self::append_node(&mut nodes, *parent, n);
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &u32,
        prev_element: &u32,
        child: NodeOrText<u32>,
    ) {
        let has_parent = self.nodes.borrow()[*element].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        let n = self.push(NodeData::Doctype(Box::new(Doctype {
            name,
            public_id,
            system_id,
        })));
        Self::append_node(&mut self.nodes.borrow_mut(), self.root, n);
    }

    fn get_template_contents(&self, target: &u32) -> u32 {
        match &self.nodes.borrow()[*target].data {
            NodeData::Element(e) if e.template_contents != NONE => e.template_contents,
            _ => unreachable!("the tree builder asks contents of templates only"),
        }
    }

    fn same_node(&self, x: &u32, y: &u32) -> bool {
        x == y
    }

    /// Called right after a doctype is appended (and for a document
    /// without one). A doctype's name and ids are free text that only
    /// select a rendering mode: the doctype keeps a standard form that
    /// selects the same mode, and nothing of its own.
    fn set_quirks_mode(&self, mode: QuirksMode) {
        let mut nodes = self.nodes.borrow_mut();
        let last = nodes[self.root].last_child;
        if last == NONE {
            return;
        }
        if let NodeData::Doctype(d) = &mut nodes[last].data {
            let public_id = match mode {
                QuirksMode::NoQuirks => "",
                QuirksMode::LimitedQuirks => "-//W3C//DTD XHTML 1.0 Transitional//EN",
                QuirksMode::Quirks => "-//W3C//DTD HTML 4.0 Transitional//EN",
            };
            d.name = StrTendril::from_slice("html");
            d.public_id = StrTendril::from_slice(public_id);
            d.system_id = StrTendril::new();
        }
    }

    fn append_before_sibling(&self, sibling: &u32, new_node: NodeOrText<u32>) {
        let mut nodes = self.nodes.borrow_mut();
        match new_node {
            NodeOrText::AppendNode(n) => {
                Self::insert_before(&mut nodes, *sibling, n);
                self.placed(&mut nodes, n);
            }
            NodeOrText::AppendText(text) => {
                let prev = nodes[*sibling].prev;
                if prev != NONE
                    && let NodeData::Text(t) = &mut nodes[prev].data
                {
                    t.push_tendril(&text);
                    return;
                }
                let n = nodes.push(Node::new(NodeData::Text(text)));
                Self::insert_before(&mut nodes, *sibling, n);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &u32, attrs: Vec<Attribute>) {
        if let NodeData::Element(e) = &mut self.nodes.borrow_mut()[*target].data {
            for a in attrs {
                if !e.attrs.iter().any(|b| same_name(&a, b)) {
                    e.attrs.push(Attr::new(a));
                }
            }
            if e.attrs.len() > self.max_attributes {
                self.exceed(ReadError::TooManyAttributes {
                    limit: self.max_attributes,
                });
            }
        }
    }

    fn remove_from_parent(&self, target: &u32) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &u32, new_parent: &u32) {
        let mut nodes = self.nodes.borrow_mut();
        let mut c = nodes[*node].first_child;
        while c != NONE {
            let next = nodes[c].next;
            Self::append_node(&mut nodes, *new_parent, c);
            self.placed(&mut nodes, c);
            c = next;
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &u32) -> bool {
        match &self.nodes.borrow()[*handle].data {
            NodeData::Element(e) => e.annotation_xml_integration_point,
            _ => false,
        }
    }

    fn attach_declarative_shadow(
        &self,
        location: &u32,
        template: &u32,
        _attrs: &[Attribute],
    ) -> bool {
        let mut nodes = self.nodes.borrow_mut();
        let ok = match &nodes[*location].data {
            NodeData::Element(host) => host.shadow_root == NONE && valid_shadow_host(&host.name),
            _ => false,
        };
        if !ok {
            return false;
        }
        if let NodeData::Element(host) = &mut nodes[*location].data {
            host.shadow_root = *template;
        }
        if let NodeData::Element(t) = &mut nodes[*template].data {
            t.is_shadow_root = true;
        }
        true
    }
}
