//! The mirror: the recorded node tree, with only what decisions need.
//!
//! One node per rrweb node id, in an arena with parent, child and sibling
//! links. Elements keep their tag, whether they are SVG, the attributes
//! that selectors, floors or the masker read ([`Observed`]), and whether
//! they were ever a password input; text nodes keep whether they are empty.
//! No other content is kept: a text's characters, an attribute that no
//! selector reads, a style sheet, a value.
//!
//! The matcher sees the *flattened* tree ([`El`]): a shadow root's
//! children are children of their host (rrweb already records them so,
//! marked `isShadow`), and a same-origin iframe's document is transparent:
//! its root element's parent is the `<iframe>`. A host's children are kept
//! in one list, light children first and shadow children after them, the
//! order of rrweb's snapshots; as in the DOM, siblings are those in the same
//! part of the list (light or shadow), and `:empty` reads the light
//! children only (a shadow root and a frame's document are not children).

use crate::observe::Observed;
use scrim_content::route::{Facts, SVG_NAMESPACE, Srcdoc};
use scrim_matcher::{Element, HTML_NAMESPACE};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// No node.
pub(crate) const NONE: u32 = u32::MAX;

/// The node types of rrweb's `NodeType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Doctype,
    Element,
    Text,
    Cdata,
    Comment,
}

impl Kind {
    pub(crate) fn from_rrweb(n: i64) -> Option<Kind> {
        Some(match n {
            0 => Kind::Document,
            1 => Kind::Doctype,
            2 => Kind::Element,
            3 => Kind::Text,
            4 => Kind::Cdata,
            5 => Kind::Comment,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The rrweb id.
    pub(crate) id: i64,
    pub(crate) kind: Kind,
    pub(crate) parent: u32,
    pub(crate) first: u32,
    pub(crate) last: u32,
    pub(crate) prev: u32,
    pub(crate) next: u32,
    /// A child of its parent's shadow root.
    pub(crate) shadow: bool,
    pub(crate) svg: bool,
    /// Index into `Tree::tags`, for elements.
    pub(crate) tag: u32,
    /// The observed attributes, as recorded (names as rrweb gives them).
    pub(crate) attrs: Vec<Attr>,
    pub(crate) ever_password: bool,
    /// A text node with at least one character.
    pub(crate) has_text: bool,
    /// When the node was placed (see [`Tree::born`]).
    pub(crate) born: u64,
    /// The node's value in the event being processed (an index into that
    /// event's JSON), while it is rendered.
    pub(crate) json: u32,
    pub(crate) alive: bool,
}

/// An observed attribute: its name and value in one allocation (a
/// snapshot keeps one or two per element).
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    text: Box<str>,
    name_len: usize,
}

impl Attr {
    fn new(name: &str, value: &str) -> Attr {
        let mut text = String::with_capacity(name.len() + value.len());
        text.push_str(name);
        text.push_str(value);
        Attr {
            text: text.into_boxed_str(),
            name_len: name.len(),
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.text[..self.name_len]
    }

    pub(crate) fn value(&self) -> &str {
        &self.text[self.name_len..]
    }
}

/// A multiplicative hash for the integer id map: ids are small integers,
/// and SipHash costs more than the rest of a lookup.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_i64(&mut self, v: i64) {
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type IdMap<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;

#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
    ids: IdMap<u32>,
    free: Vec<u32>,
    /// Slots of nodes removed during the current event: reused only from
    /// the next one, so that an index taken during an event never names
    /// another node.
    freed: Vec<u32>,
    tags: Vec<Box<str>>,
    tag_ids: HashMap<Box<str>, u32>,
    /// The tags last interned, by a cheap hash of their name (a page has
    /// few tags, and the map's SipHash costs more than the rest of
    /// reading a node); checked against `tags` before use.
    recent_tags: [u32; 32],
    /// The ids of every input that was ever a password field, for the
    /// session's lifetime: a later full snapshot of the same node (rrweb
    /// keeps ids across snapshots) keeps the floor even when the recorder
    /// did not mark it `data-rr-is-password`.
    passwords: IdMap<()>,
    /// Counts placed nodes; a node's `born` is the count when it was
    /// placed, so nodes placed by the current event are those born after
    /// the count at its start.
    pub(crate) born: u64,
}

impl Tree {
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.ids.clear();
        self.free.clear();
        self.freed.clear();
    }

    /// Marks input `i` as ever a password field.
    pub(crate) fn mark_password(&mut self, i: u32) {
        let node = self.node_mut(i);
        node.ever_password = true;
        let id = node.id;
        self.passwords.insert(id, ());
    }

    /// Whether the node with id `id` was ever a password input.
    pub(crate) fn was_password(&self, id: i64) -> bool {
        self.passwords.contains_key(&id)
    }

    /// Makes the slots of removed nodes reusable: call between events.
    pub(crate) fn end_event(&mut self) {
        self.free.append(&mut self.freed);
    }

    pub(crate) fn get(&self, id: i64) -> Option<u32> {
        self.ids.get(&id).copied()
    }

    pub(crate) fn node(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }

    pub(crate) fn node_mut(&mut self, i: u32) -> &mut Node {
        &mut self.nodes[i as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn intern(&mut self, tag: &str) -> u32 {
        let b = tag.as_bytes();
        let slot = match (b.first(), b.last()) {
            (Some(&first), Some(&last)) => {
                (b.len() * 7 + usize::from(first) * 3 + usize::from(last)) % self.recent_tags.len()
            }
            _ => 0,
        };
        let recent = self.recent_tags[slot];
        if self.tags.get(recent as usize).is_some_and(|t| **t == *tag) {
            return recent;
        }
        let t = match self.tag_ids.get(tag) {
            Some(&t) => t,
            None => {
                let t = self.tags.len() as u32;
                self.tags.push(tag.into());
                self.tag_ids.insert(tag.into(), t);
                t
            }
        };
        self.recent_tags[slot] = t;
        t
    }

    /// The tag name as rrweb records it (lowercase).
    pub(crate) fn tag(&self, i: u32) -> &str {
        let n = self.node(i);
        if n.kind != Kind::Element {
            return "";
        }
        &self.tags[n.tag as usize]
    }

    /// Creates a detached node with id `id`; `None` when the id is taken.
    pub(crate) fn create(&mut self, id: i64, kind: Kind) -> Option<u32> {
        let Entry::Vacant(slot) = self.ids.entry(id) else {
            return None;
        };
        self.born += 1;
        let node = Node {
            id,
            kind,
            parent: NONE,
            first: NONE,
            last: NONE,
            prev: NONE,
            next: NONE,
            shadow: false,
            svg: false,
            tag: NONE,
            attrs: Vec::new(),
            ever_password: false,
            has_text: false,
            born: self.born,
            json: NONE,
            alive: true,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        slot.insert(i);
        Some(i)
    }

    /// Inserts detached node `i` under `parent`, before `before` (a child
    /// of `parent` in the same list, light or shadow) or at the end of its
    /// list.
    pub(crate) fn insert(&mut self, parent: u32, i: u32, before: u32) {
        let shadow = self.node(i).shadow;
        let before = if before != NONE
            && self.node(before).parent == parent
            && self.node(before).shadow == shadow
        {
            before
        } else if shadow {
            NONE
        } else {
            // The end of the light children: before the first shadow child
            // (looked for from the end: there are few).
            let mut first_shadow = NONE;
            let mut c = self.node(parent).last;
            while c != NONE && self.node(c).shadow {
                first_shadow = c;
                c = self.node(c).prev;
            }
            first_shadow
        };
        let prev = if before == NONE {
            self.node(parent).last
        } else {
            self.node(before).prev
        };
        {
            let n = self.node_mut(i);
            n.parent = parent;
            n.prev = prev;
            n.next = before;
        }
        if prev == NONE {
            self.node_mut(parent).first = i;
        } else {
            self.node_mut(prev).next = i;
        }
        if before == NONE {
            self.node_mut(parent).last = i;
        } else {
            self.node_mut(before).prev = i;
        }
    }

    /// Removes `i` and everything under it; calls `gone` for each removed
    /// node.
    pub(crate) fn remove(&mut self, i: u32, mut gone: impl FnMut(u32)) {
        let (parent, prev, next) = {
            let n = self.node(i);
            (n.parent, n.prev, n.next)
        };
        if parent != NONE {
            if prev == NONE {
                self.node_mut(parent).first = next;
            } else {
                self.node_mut(prev).next = next;
            }
            if next == NONE {
                self.node_mut(parent).last = prev;
            } else {
                self.node_mut(next).prev = prev;
            }
        }
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            let mut c = self.node(n).first;
            while c != NONE {
                stack.push(c);
                c = self.node(c).next;
            }
            let node = self.node_mut(n);
            node.alive = false;
            node.parent = NONE;
            node.attrs = Vec::new();
            let id = node.id;
            self.ids.remove(&id);
            self.freed.push(n);
            gone(n);
        }
    }

    /// The nearest element above `i` in the flattened tree (through
    /// documents: an iframe document's nodes are under its `<iframe>`).
    pub(crate) fn element_parent(&self, i: u32) -> Option<u32> {
        let mut p = self.node(i).parent;
        while p != NONE {
            match self.node(p).kind {
                Kind::Element => return Some(p),
                Kind::Document => p = self.node(p).parent,
                _ => return None,
            }
        }
        None
    }

    /// The children of `i`, in order.
    pub(crate) fn children(&self, i: u32) -> Children<'_> {
        Children {
            tree: self,
            next: self.node(i).first,
        }
    }

    /// An observed attribute's value.
    pub(crate) fn attr(&self, i: u32, name: &str) -> Option<&str> {
        self.node(i)
            .attrs
            .iter()
            .find(|a| a.name() == name)
            .map(Attr::value)
    }

    /// Sets (`Some`) or removes (`None`) an attribute if it is observed;
    /// whether what selectors see changed.
    pub(crate) fn set_attr(
        &mut self,
        observed: &Observed,
        i: u32,
        name: &str,
        value: Option<&str>,
    ) -> bool {
        let node = &mut self.nodes[i as usize];
        let kept = value.and_then(|v| observed.keep(&self.tags[node.tag as usize], name, v));
        let attrs = &mut node.attrs;
        let Some(kept) = kept else {
            let before = attrs.len();
            attrs.retain(|a| a.name() != name);
            return attrs.len() != before;
        };
        match attrs.iter_mut().find(|a| a.name() == name) {
            Some(a) if a.value() == kept => false,
            Some(a) => {
                *a = Attr::new(name, &kept);
                true
            }
            None => {
                attrs.push(Attr::new(name, &kept));
                true
            }
        }
    }
}

#[derive(Debug)]
pub(crate) struct Children<'t> {
    tree: &'t Tree,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let c = self.next;
        self.next = self.tree.node(c).next;
        Some(c)
    }
}

/// SVG element names that are not all lowercase: rrweb records tag names
/// lowercased, selectors in a policy name them as SVG writes them.
const SVG_MIXED_CASE: &[&str] = &[
    "altGlyph",
    "altGlyphDef",
    "altGlyphItem",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "clipPath",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "foreignObject",
    "glyphRef",
    "linearGradient",
    "radialGradient",
    "textPath",
];

/// A mirror element as the matcher sees it.
#[derive(Clone, Copy)]
pub struct El<'t> {
    pub(crate) tree: &'t Tree,
    pub(crate) i: u32,
}

impl std::fmt::Debug for El<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} #{}>", self.tree.tag(self.i), self.id())
    }
}

impl<'t> El<'t> {
    pub(crate) fn new(tree: &'t Tree, i: u32) -> Self {
        El { tree, i }
    }

    fn node(&self) -> &'t Node {
        self.tree.node(self.i)
    }

    /// The rrweb id.
    pub fn id(&self) -> i64 {
        self.node().id
    }

    /// An HTML element named `name`.
    pub(crate) fn is(&self, name: &str) -> bool {
        !self.node().svg && self.tree.tag(self.i) == name
    }

    /// The nearest element sibling in the same part of the list.
    fn sibling(&self, forward: bool) -> Option<Self> {
        let shadow = self.node().shadow;
        let mut s = self.node();
        loop {
            let i = if forward { s.next } else { s.prev };
            if i == NONE {
                return None;
            }
            s = self.tree.node(i);
            if s.kind == Kind::Element && s.shadow == shadow {
                return Some(El::new(self.tree, i));
            }
        }
    }
}

impl Element for El<'_> {
    fn unique_id(&self) -> usize {
        self.i as usize
    }

    fn parent(&self) -> Option<Self> {
        self.tree
            .element_parent(self.i)
            .map(|p| El::new(self.tree, p))
    }

    fn prev_sibling(&self) -> Option<Self> {
        self.sibling(false)
    }

    fn next_sibling(&self) -> Option<Self> {
        self.sibling(true)
    }

    fn first_child(&self) -> Option<Self> {
        for c in self.tree.children(self.i) {
            match self.tree.node(c).kind {
                Kind::Element => return Some(El::new(self.tree, c)),
                Kind::Document => {
                    if let Some(e) = self
                        .tree
                        .children(c)
                        .find(|&e| self.tree.node(e).kind == Kind::Element)
                    {
                        return Some(El::new(self.tree, e));
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn local_name(&self) -> &str {
        let tag = self.tree.tag(self.i);
        if self.node().svg
            && let Some(mixed) = SVG_MIXED_CASE.iter().find(|m| m.eq_ignore_ascii_case(tag))
        {
            return mixed;
        }
        tag
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.node().attrs.iter().map(|a| (a.name(), a.value()))
    }

    fn is_html(&self) -> bool {
        !self.node().svg
    }

    fn namespace(&self) -> &str {
        if self.node().svg {
            SVG_NAMESPACE
        } else {
            HTML_NAMESPACE
        }
    }

    fn is_empty(&self) -> bool {
        self.tree.children(self.i).all(|c| {
            let n = self.tree.node(c);
            n.shadow || !(n.kind == Kind::Element || (n.kind == Kind::Text && n.has_text))
        })
    }

    fn was_password(&self) -> bool {
        self.node().ever_password
    }
}

/// What the routing knows of a recorded element: rrweb's replay builds its
/// DOM node by node and parses no markup, so nothing is an HTML
/// integration point (an `encoding` steers nothing and is left out), and a
/// frame's `srcdoc` document arrives as the frame's document.
impl Facts for El<'_> {
    fn html_integration_point(&self) -> bool {
        false
    }

    fn srcdoc(&self) -> Srcdoc {
        Srcdoc::Document
    }
}
