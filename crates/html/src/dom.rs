//! The arena DOM: every node of a document (and of its template contents,
//! declarative shadow roots and `srcdoc` documents) in one `Vec`, linked by
//! indices, plus the *flattened* element tree the matcher sees.
//!
//! Nothing here recurses: parsing is html5ever's (whose tree builder keeps
//! its own explicit stack), the flattened links are computed element by
//! element, and traversals follow links in loops. Dropping a document drops
//! a `Vec`.

use crate::input::{Limits, ReadError, TagScanner};
use crate::sink::Sink;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{LocalName, QualName, ns};
use scrim_content::route::{Facts, Srcdoc};
use scrim_matcher::{Element, Matchable};
use selectors::context::SelectorCaches;
use std::fmt;

/// "No node" in the index links.
pub(crate) const NONE: u32 = u32::MAX;

/// The arena: nodes indexed by `u32` links, which keeps a node small
/// (parse, traversal and drop all touch fewer bytes).
#[derive(Debug, Default)]
pub(crate) struct Nodes(pub(crate) Vec<Node>);

impl Nodes {
    pub(crate) fn with_capacity(n: usize) -> Nodes {
        Nodes(Vec::with_capacity(n))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Appends a node. An arena holds fewer than `u32::MAX` nodes (over
    /// 400 GB of them): one more fails as an allocation failure does, as
    /// a `Vec` that cannot grow would.
    pub(crate) fn push(&mut self, node: Node) -> u32 {
        let n = self.0.len();
        if n >= NONE as usize {
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<Node>());
        }
        self.0.push(node);
        n as u32
    }
}

impl std::ops::Index<u32> for Nodes {
    type Output = Node;

    #[inline]
    fn index(&self, i: u32) -> &Node {
        &self.0[i as usize]
    }
}

impl std::ops::IndexMut<u32> for Nodes {
    #[inline]
    fn index_mut(&mut self, i: u32) -> &mut Node {
        &mut self.0[i as usize]
    }
}

/// How deep `srcdoc` documents are parsed inside one another. A deeper
/// `srcdoc` is not parsed, and the masked output drops it.
pub(crate) const MAX_SRCDOC_DEPTH: usize = 16;

/// One node of the arena.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) parent: u32,
    pub(crate) first_child: u32,
    pub(crate) last_child: u32,
    pub(crate) prev: u32,
    pub(crate) next: u32,
    /// For elements: how many elements it sits in, counting `<template>`s
    /// and, in an `srcdoc` document, the iframe and its own. Set when the
    /// parser places the element (an element moved later keeps it).
    pub(crate) depth: u32,
    pub(crate) data: NodeData,
}

#[derive(Debug)]
pub(crate) enum NodeData {
    /// A document: the top-level one (index 0) or an `<iframe srcdoc>` one.
    Document,
    /// The contents of a `<template>` (a document fragment).
    Fragment,
    Doctype(Box<Doctype>),
    /// Text, kept as the parser's tendril (often a slice of the input).
    Text(StrTendril),
    /// Comments and processing instructions: never recorded, so their text
    /// is not even kept.
    Comment,
    Element(ElementData),
}

#[derive(Debug)]
pub(crate) struct Doctype {
    pub(crate) name: StrTendril,
    pub(crate) public_id: StrTendril,
    pub(crate) system_id: StrTendril,
}

/// One attribute, as the parser made it: no copy of name or value.
#[derive(Debug)]
pub(crate) struct Attr {
    local: LocalName,
    /// `prefix:local` for the (rare) prefixed attributes of foreign
    /// content (`xlink:href`).
    prefixed: Option<Box<str>>,
    pub(crate) value: StrTendril,
}

impl Attr {
    pub(crate) fn new(a: html5ever::Attribute) -> Attr {
        let prefixed = a
            .name
            .prefix
            .as_ref()
            .map(|p| format!("{}:{}", p, a.name.local).into_boxed_str());
        Attr {
            local: a.name.local,
            prefixed,
            value: a.value,
        }
    }

    /// The name as serialised (`xlink:href`), lowercase for HTML.
    pub(crate) fn name(&self) -> &str {
        match &self.prefixed {
            Some(p) => p,
            None => &self.local,
        }
    }

    pub(crate) fn value(&self) -> &str {
        &self.value
    }
}

/// An element: its name, attributes, and the links of the flattened tree.
#[derive(Debug)]
pub(crate) struct ElementData {
    pub(crate) name: QualName,
    pub(crate) attrs: Vec<Attr>,
    /// For `<template>`: its contents fragment.
    pub(crate) template_contents: u32,
    /// For a shadow host: the `<template shadowrootmode>` whose contents
    /// are its shadow root.
    pub(crate) shadow_root: u32,
    /// This `<template>` is a declarative shadow root: transparent in the
    /// flattened tree.
    pub(crate) is_shadow_root: bool,
    /// For `<iframe srcdoc>`: the parsed document.
    pub(crate) srcdoc: u32,
    pub(crate) annotation_xml_integration_point: bool,
    /// Flattened tree links (element indices).
    pub(crate) fparent: u32,
    /// The first flattened child and the next flattened sibling: every
    /// element of the flattened tree in document order (shadow content,
    /// then light children, then an `srcdoc` document's root), for walks.
    pub(crate) ffirst: u32,
    pub(crate) fnext: u32,
    /// Siblings as selectors see them: within one tree (the shadow root's
    /// children, the light children, an `srcdoc` document), as in the
    /// DOM, so that `+`, `~`, `:first-child` and `:nth-*` count the
    /// element's own siblings and nothing of another tree.
    pub(crate) prev_in_tree: u32,
    pub(crate) next_in_tree: u32,
    /// The first light child element (template contents for a
    /// `<template>`): `:empty` and the matcher's `first_child`.
    pub(crate) first_light: u32,
    /// Whether the element has light text children (for `:empty`).
    pub(crate) has_text: bool,
}

impl Node {
    pub(crate) fn new(data: NodeData) -> Node {
        Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            depth: 0,
            data,
        }
    }

    pub(crate) fn element(&self) -> Option<&ElementData> {
        match &self.data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }
}

impl ElementData {
    pub(crate) fn new(name: QualName, attrs: Vec<Attr>) -> ElementData {
        ElementData {
            name,
            attrs,
            template_contents: NONE,
            shadow_root: NONE,
            is_shadow_root: false,
            srcdoc: NONE,
            annotation_xml_integration_point: false,
            fparent: NONE,
            ffirst: NONE,
            fnext: NONE,
            prev_in_tree: NONE,
            next_in_tree: NONE,
            first_light: NONE,
            has_text: false,
        }
    }

    pub(crate) fn is_html(&self) -> bool {
        self.name.ns == ns!(html)
    }

    pub(crate) fn local(&self) -> &str {
        &self.name.local
    }

    /// An HTML element with this local name.
    pub(crate) fn is(&self, local: &str) -> bool {
        self.is_html() && self.local() == local
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name() == name)
            .map(Attr::value)
    }
}

/// A parsed HTML document: the arena and its flattened element tree.
///
/// `<template>` contents are children of their template; a declarative
/// shadow root's content (`<template shadowrootmode="open|closed">`) is made
/// of children of its host, ahead of the host's light children; the
/// document parsed from an `<iframe srcdoc>` has its root element as the
/// iframe's child.
pub struct Document {
    pub(crate) nodes: Nodes,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("nodes", &self.nodes.len())
            .finish_non_exhaustive()
    }
}

/// How much of a page is fed to the parser between two looks at the
/// limits: small enough that the work done past a limit stays small (a few
/// milliseconds of the deepest nesting), large enough to cost nothing.
const CHUNK: usize = 16 * 1024;

/// Parses one document into the arena, its root `depth` elements deep;
/// returns the arena, the document node, and the `<iframe srcdoc>`
/// elements the parse created.
fn parse_into(
    nodes: Nodes,
    html: &str,
    srcdoc: bool,
    depth: u32,
    limits: &Limits,
) -> Result<(Nodes, u32, Vec<u32>), ReadError> {
    parse_in_chunks(nodes, html, srcdoc, depth, limits, CHUNK)
}

fn parse_in_chunks(
    nodes: Nodes,
    html: &str,
    srcdoc: bool,
    depth: u32,
    limits: &Limits,
    chunk: usize,
) -> Result<(Nodes, u32, Vec<u32>), ReadError> {
    if html.len() > limits.max_bytes {
        return Err(ReadError::TooLarge {
            bytes: html.len(),
            limit: limits.max_bytes,
        });
    }
    let sink = Sink::new(nodes, depth, limits);
    let root = sink.root();
    let mut opts = html5ever::ParseOpts::default();
    opts.tree_builder.iframe_srcdoc = srcdoc;
    // Scripting on, as in the browser that was recorded: `<noscript>`
    // content is raw text.
    opts.tree_builder.scripting_enabled = true;
    // The tokenizer drops a U+FEFF at the start of every piece it is fed,
    // not only of the document: the document's is dropped here instead.
    opts.tokenizer.discard_bom = false;
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let mut parser = html5ever::parse_document(sink, opts);
    if limits.max_depth == usize::MAX && limits.max_attributes == usize::MAX {
        parser.process(StrTendril::from_slice(html));
    } else {
        // In chunks, and at each tag that may start raw text, so that the
        // scanner knows where the tokenizer is, and the limits are looked
        // at before the parser's work on a page over them grows.
        let mut scanner = TagScanner::new(html.as_bytes(), limits.max_attributes);
        let mut fed = 0;
        while fed < html.len() {
            let stop = scanner.next_stop(chunk)?;
            parser.process(StrTendril::from_slice(&html[fed..stop.end]));
            fed = stop.end;
            let sink = &parser.tokenizer.sink.sink;
            if let Some(error) = sink.exceeded() {
                return Err(error);
            }
            let raw = sink.take_raw_element();
            if stop.raw_candidate {
                scanner.raw_element(raw);
            }
        }
    }
    let (nodes, iframes, exceeded) = parser.finish();
    match exceeded {
        Some(error) => Err(error),
        None => Ok((nodes, root, iframes)),
    }
}

impl Document {
    /// Parses a document as a browser would (scripting enabled), without
    /// limits: for trusted input. Never fails: any input gives some tree.
    /// Pages from outside go through [`Document::parse_bytes`] or
    /// [`Document::parse_limited`].
    pub fn parse(html: &str) -> Document {
        match Document::parse_limited(html, &Limits::NONE) {
            Ok(doc) => doc,
            Err(error) => unreachable!("no limit to exceed, yet {error}"),
        }
    }

    /// Parses a page read from outside: decoded as a browser decodes it
    /// ([`crate::decode`], `encoding` naming its encoding if known), then
    /// parsed under `limits`.
    pub fn parse_bytes(
        bytes: &[u8],
        encoding: Option<&str>,
        limits: &Limits,
    ) -> Result<Document, ReadError> {
        if bytes.len() > limits.max_bytes {
            return Err(ReadError::TooLarge {
                bytes: bytes.len(),
                limit: limits.max_bytes,
            });
        }
        let decoded = crate::decode(bytes, encoding)?;
        // The size limit is the page's: decoded, it may take up to three
        // times as many bytes.
        let limits = Limits {
            max_bytes: usize::MAX,
            ..*limits
        };
        Document::parse_limited(&decoded.text, &limits)
    }

    /// Parses a document under `limits`: a page over any of them is
    /// refused, having cost little more than reading up to where it went
    /// over.
    pub fn parse_limited(html: &str, limits: &Limits) -> Result<Document, ReadError> {
        // About one node per 20 bytes of markup on real pages: reserving
        // that up front saves the arena's regrowth copies.
        let (mut nodes, _, iframes) = parse_into(
            Nodes::with_capacity(html.len() / 20 + 16),
            html,
            false,
            0,
            limits,
        )?;
        // `srcdoc` documents, breadth first in arena order: each parse
        // appends to the arena, and its own iframes join the queue.
        let mut queue: std::collections::VecDeque<(u32, usize)> =
            iframes.into_iter().map(|i| (i, 0)).collect();
        while let Some((i, depth)) = queue.pop_front() {
            if depth >= MAX_SRCDOC_DEPTH {
                continue;
            }
            let Some(text) = nodes[i].element().and_then(|e| e.attr("srcdoc")) else {
                continue;
            };
            // The arena moves into the parse: keep the text apart.
            let text = StrTendril::from_slice(text);
            let iframe_depth = nodes[i].depth;
            let (grown, root, inner) = parse_into(
                std::mem::take(&mut nodes),
                &text,
                true,
                iframe_depth,
                limits,
            )?;
            nodes = grown;
            queue.extend(inner.into_iter().map(|j| (j, depth + 1)));
            if let NodeData::Element(e) = &mut nodes[i].data {
                e.srcdoc = root;
            }
        }
        let mut doc = Document { nodes };
        doc.flatten();
        Ok(doc)
    }

    /// The node sequence that makes up the flattened children of `node`
    /// (an element or a document), before keeping only elements.
    pub(crate) fn flat_child_lists(&self, node: u32) -> [u32; 3] {
        let mut lists = [NONE; 3];
        match &self.nodes[node].data {
            NodeData::Element(e) => {
                if e.template_contents != NONE {
                    lists[0] = self.nodes[e.template_contents].first_child;
                } else {
                    if e.shadow_root != NONE
                        && let Some(t) = self.nodes[e.shadow_root].element()
                    {
                        lists[0] = self.nodes[t.template_contents].first_child;
                    }
                    lists[1] = self.nodes[node].first_child;
                    if e.srcdoc != NONE {
                        lists[2] = self.nodes[e.srcdoc].first_child;
                    }
                }
            }
            _ => lists[1] = self.nodes[node].first_child,
        }
        lists
    }

    fn is_template(&self, node: u32) -> bool {
        self.nodes[node]
            .element()
            .is_some_and(|e| e.template_contents != NONE)
    }

    /// Computes the flattened element links.
    fn flatten(&mut self) {
        let mut children = Vec::new();
        for node in 0..self.nodes.len() as u32 {
            let is_container = match &self.nodes[node].data {
                // An `srcdoc` document's children belong to its iframe.
                NodeData::Document => node == 0,
                NodeData::Element(e) => !e.is_shadow_root,
                _ => false,
            };
            if !is_container {
                continue;
            }
            children.clear();
            let mut has_text = false;
            let mut first_light = NONE;
            // Which list each child came from: siblings are linked within one.
            let mut list_of = Vec::new();
            for (list, first) in self.flat_child_lists(node).into_iter().enumerate() {
                let light = list == 1 || self.is_template(node);
                let mut c = first;
                while c != NONE {
                    match &self.nodes[c].data {
                        NodeData::Element(e) if !e.is_shadow_root => {
                            children.push(c);
                            list_of.push(list);
                            if light && first_light == NONE {
                                first_light = c;
                            }
                        }
                        NodeData::Text(t) if light && !t.is_empty() => has_text = true,
                        _ => {}
                    }
                    c = self.nodes[c].next;
                }
            }
            let parent = match self.nodes[node].data {
                NodeData::Element(_) => node,
                _ => NONE,
            };
            for (k, &c) in children.iter().enumerate() {
                let next = children.get(k + 1).copied().unwrap_or(NONE);
                let same_list = |j: usize| list_of.get(j) == Some(&list_of[k]);
                let prev_in_tree = if k > 0 && same_list(k - 1) {
                    children[k - 1]
                } else {
                    NONE
                };
                let next_in_tree = if same_list(k + 1) { next } else { NONE };
                if let NodeData::Element(e) = &mut self.nodes[c].data {
                    e.fparent = parent;
                    e.fnext = next;
                    e.prev_in_tree = prev_in_tree;
                    e.next_in_tree = next_in_tree;
                }
            }
            let first = children.first().copied().unwrap_or(NONE);
            if let NodeData::Element(e) = &mut self.nodes[node].data {
                e.ffirst = first;
                e.first_light = first_light;
                e.has_text = has_text;
            }
        }
    }

    fn element_data(&self, i: usize) -> &ElementData {
        match &self.nodes.0[i].data {
            NodeData::Element(e) => e,
            _ => unreachable!("element handles only point at elements"),
        }
    }

    /// The root element of the top-level document.
    pub fn root(&self) -> Option<ElementRef<'_>> {
        let mut c = self.nodes.0.first()?.first_child;
        while c != NONE {
            if self.nodes[c].element().is_some() {
                return Some(ElementRef {
                    doc: self,
                    index: c as usize,
                });
            }
            c = self.nodes[c].next;
        }
        None
    }

    /// Every element of the flattened tree in document order (template
    /// contents, shadow roots and `srcdoc` documents included, where they
    /// stand).
    pub fn elements(&self) -> Elements<'_> {
        Elements {
            next: self.root(),
            root: self.root().map_or(usize::MAX, |r| r.index),
        }
    }

    /// The element with this [`ElementRef::index`], if it is one.
    pub fn element(&self, index: usize) -> Option<ElementRef<'_>> {
        self.nodes.0.get(index)?.element()?;
        Some(ElementRef { doc: self, index })
    }

    /// The elements that match a selector of the policy dialect, in
    /// document order.
    pub fn select(
        &self,
        selector: &str,
    ) -> Result<Vec<ElementRef<'_>>, scrim_selector::SelectorError> {
        let list = scrim_selector::parse(selector)?;
        let mut caches = SelectorCaches::default();
        let mut out = Vec::new();
        for e in self.elements() {
            let mut context = scrim_matcher::matching_context(None, &mut caches);
            if selectors::matching::matches_selector_list(&list, Matchable(e), &mut context) {
                out.push(e);
            }
        }
        Ok(out)
    }
}

impl Document {
    /// [`ElementRef::path`] of each element, in order. Each parent's
    /// children are counted once for all of them, where `path` on every
    /// element of a long list of siblings counts the earlier ones again for
    /// each (quadratic): here the cost is the elements' ancestors and their
    /// siblings, each visited once.
    pub fn paths(&self, elements: &[ElementRef<'_>]) -> Vec<String> {
        // The step of every element whose siblings have been counted.
        let mut steps = std::collections::HashMap::new();
        let mut chain = Vec::new();
        elements
            .iter()
            .map(|&element| {
                chain.clear();
                let mut cur = Some(element);
                while let Some(e) = cur {
                    chain.push(e);
                    cur = e.parent();
                }
                for &e in &chain {
                    if !steps.contains_key(&e.index) {
                        Self::steps_of_siblings(e, &mut steps);
                    }
                }
                let parts: Vec<&str> = chain
                    .iter()
                    .rev()
                    .map(|e| steps[&e.index].as_str())
                    .collect();
                parts.join(" > ")
            })
            .collect()
    }

    /// The steps of `element` and all its siblings, from one count of their
    /// tag names.
    fn steps_of_siblings(
        element: ElementRef<'_>,
        steps: &mut std::collections::HashMap<usize, String>,
    ) {
        use std::collections::HashMap;
        // Siblings within the element's own tree: once per list, since
        // every element of it gets its step here.
        let first = std::iter::successors(Some(element), |e| e.prev_sibling())
            .last()
            .unwrap_or(element);
        let siblings = || std::iter::successors(Some(first), |e| e.next_sibling());
        let mut totals: HashMap<&str, usize> = HashMap::new();
        for e in siblings() {
            *totals.entry(e.data().local()).or_default() += 1;
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for e in siblings() {
            let name = e.data().local();
            let n = seen.entry(name).or_default();
            *n += 1;
            let nth_of_type = (totals[name] > 1).then_some(*n);
            steps.insert(e.index, e.step_at(nth_of_type));
        }
    }
}

/// The elements of a [`Document`] in flattened document order.
#[derive(Debug, Clone)]
pub struct Elements<'d> {
    next: Option<ElementRef<'d>>,
    root: usize,
}

impl<'d> Iterator for Elements<'d> {
    type Item = ElementRef<'d>;

    fn next(&mut self) -> Option<ElementRef<'d>> {
        let current = self.next?;
        let mut following = current.flat_first_child();
        let mut cur = current;
        while following.is_none() {
            if cur.index == self.root {
                break;
            }
            following = cur.flat_next();
            if following.is_some() {
                break;
            }
            match cur.parent() {
                Some(p) => cur = p,
                None => break,
            }
        }
        self.next = following;
        Some(current)
    }
}

/// A cheap handle to one element of a [`Document`]: what the matcher
/// decides and `explain` reports on.
#[derive(Clone, Copy)]
pub struct ElementRef<'d> {
    doc: &'d Document,
    index: usize,
}

impl fmt::Debug for ElementRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ElementRef({} <{}>)", self.index, self.local_name())
    }
}

impl PartialEq for ElementRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.index == other.index
    }
}

impl Eq for ElementRef<'_> {}

impl<'d> ElementRef<'d> {
    pub(crate) fn new(doc: &'d Document, index: usize) -> Self {
        ElementRef { doc, index }
    }

    pub(crate) fn data(&self) -> &'d ElementData {
        self.doc.element_data(self.index)
    }

    fn at(&self, index: u32) -> Option<Self> {
        (index != NONE).then_some(ElementRef {
            doc: self.doc,
            index: index as usize,
        })
    }

    /// The first child in the flattened tree, whichever tree it is in.
    pub(crate) fn flat_first_child(&self) -> Option<Self> {
        self.at(self.data().ffirst)
    }

    /// The next element among the flattened children of the parent.
    pub(crate) fn flat_next(&self) -> Option<Self> {
        self.at(self.data().fnext)
    }

    /// The node the element is a child of in the arena (an element, a
    /// document or a template's contents), before flattening.
    pub(crate) fn node_parent(&self) -> u32 {
        self.doc.nodes[self.index as u32].parent
    }

    /// The element's index in the arena: stable for a given parse, usable
    /// with [`Document::element`].
    pub fn index(&self) -> usize {
        self.index
    }

    /// The element's own text (its text-node children, concatenated), as
    /// in the source: for showing what a decision is about.
    pub fn own_text(&self) -> String {
        let mut out = String::new();
        for first in self.doc.flat_child_lists(self.index as u32) {
            let mut c = first;
            while c != NONE {
                if let NodeData::Text(t) = &self.doc.nodes[c].data {
                    out.push_str(t);
                }
                c = self.doc.nodes[c].next;
            }
        }
        out
    }

    /// A CSS-like path from the root: `html > body > main#content >
    /// li.item:nth-of-type(2)`. Ids and classes are shown; `:nth-of-type`
    /// is added where siblings share the tag name.
    pub fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut cur = Some(*self);
        while let Some(e) = cur {
            steps.push(e.step());
            cur = e.parent();
        }
        steps.reverse();
        steps.join(" > ")
    }

    fn step(&self) -> String {
        let same = |o: &ElementRef<'_>| o.local_name() == self.local_name();
        let mut before = 0;
        let mut p = self.prev_sibling();
        while let Some(o) = p {
            if same(&o) {
                before += 1;
            }
            p = o.prev_sibling();
        }
        let mut after = false;
        let mut n = self.next_sibling();
        while let Some(o) = n {
            if same(&o) {
                after = true;
                break;
            }
            n = o.next_sibling();
        }
        self.step_at((before > 0 || after).then_some(before + 1))
    }

    /// `tag#id.class`, then `:nth-of-type(n)` when `nth_of_type` is given
    /// (the element shares its tag name with a sibling).
    fn step_at(&self, nth_of_type: Option<usize>) -> String {
        let mut s = self.local_name().to_string();
        if let Some(id) = self.id() {
            s.push('#');
            s.push_str(id);
        }
        for class in self.classes() {
            s.push('.');
            s.push_str(class);
        }
        if let Some(n) = nth_of_type {
            s.push_str(&format!(":nth-of-type({n})"));
        }
        s
    }
}

impl Element for ElementRef<'_> {
    fn unique_id(&self) -> usize {
        self.index
    }

    fn parent(&self) -> Option<Self> {
        let p = self.data().fparent;
        (p != NONE).then_some(ElementRef {
            doc: self.doc,
            index: p as usize,
        })
    }

    fn prev_sibling(&self) -> Option<Self> {
        let p = self.data().prev_in_tree;
        (p != NONE).then_some(ElementRef {
            doc: self.doc,
            index: p as usize,
        })
    }

    fn next_sibling(&self) -> Option<Self> {
        let n = self.data().next_in_tree;
        (n != NONE).then_some(ElementRef {
            doc: self.doc,
            index: n as usize,
        })
    }

    fn first_child(&self) -> Option<Self> {
        let c = self.data().first_light;
        (c != NONE).then_some(ElementRef {
            doc: self.doc,
            index: c as usize,
        })
    }

    fn local_name(&self) -> &str {
        self.data().local()
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.data().attrs.iter().map(|a| (a.name(), a.value()))
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.data().attr(name)
    }

    fn is_html(&self) -> bool {
        self.data().is_html()
    }

    fn namespace(&self) -> &str {
        &self.data().name.ns
    }

    fn is_empty(&self) -> bool {
        let d = self.data();
        d.first_light == NONE && !d.has_text
    }
}

impl Facts for ElementRef<'_> {
    fn html_integration_point(&self) -> bool {
        self.data().annotation_xml_integration_point
    }

    fn srcdoc(&self) -> Srcdoc {
        // Only a parsed `srcdoc` has a document; the sink parses every one
        // but those nested too deep.
        if self.data().srcdoc == NONE {
            Srcdoc::TooDeep
        } else {
            Srcdoc::Document
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every element with its attributes and own text, in document order.
    fn dump(nodes: Nodes) -> String {
        let mut doc = Document { nodes };
        doc.flatten();
        let mut out = String::new();
        for e in doc.elements() {
            out.push_str(&format!("<{} {:?}", e.namespace(), e.local_name()));
            for (name, value) in e.attributes() {
                out.push_str(&format!(" {name}={value:?}"));
            }
            out.push_str(&format!("> {:?}\n", e.own_text()));
        }
        out
    }

    proptest::proptest! {
        /// Fed in chunks, stopping at every tag that may start raw text,
        /// the parser builds the tree it builds from the whole input.
        #[test]
        fn parsing_in_chunks_builds_the_same_tree(
            html in "(<[a-zA-Z]{1,3}( [a-z]{1,2}(=\"[^\"]{0,3}\")?){0,2}>|</[a-z]{1,3}>|[a-z \r\n&;#0-9<>\"'=/!?-]|<script>|</script>|<!--|-->|<style>|</style>|<title>|</title>|<plaintext>|<textarea>|<svg>|<math>|<table>|<noscript>|<![CDATA[|]]>|\u{e9}|\u{1F600}){0,40}",
            chunk in 1usize..9,
        ) {
            let limits = Limits { max_attributes: 64, ..Limits::DEFAULT };
            let whole = parse_into(Nodes::default(), &html, false, 0, &Limits::NONE);
            let chunked = parse_in_chunks(Nodes::default(), &html, false, 0, &limits, chunk);
            let (Ok((whole, _, _)), Ok((chunked, _, _))) = (whole, chunked) else {
                return Err(proptest::test_runner::TestCaseError::fail("refused"));
            };
            proptest::prop_assert_eq!(dump(whole), dump(chunked), "{:?}", html);
        }
    }
}
