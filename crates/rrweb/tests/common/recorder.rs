//! A small DOM that writes the rrweb 2.x events a recorder would write for
//! it: full snapshots (with the documents of same-origin frames attached
//! after them), mutations, input and pointer events. Tests build recordings
//! with it instead of writing event JSON by hand; nothing here recurses, so
//! it builds and writes trees of any depth.
//!
//! Mutations are written the way rrweb's `MutationBuffer`
//! (`packages/rrweb/src/record/mutation.ts`) writes them. Changes are
//! collected as a browser's `MutationObserver` reports them, one record per
//! DOM operation ([`Recorder::insert`], [`Recorder::detach`],
//! [`Recorder::relocate`], [`Recorder::set_attribute`],
//! [`Recorder::set_text_value`]), and [`Recorder::commit`] turns a batch of
//! records into one event as rrweb's `emit` does, reading the DOM as it is
//! at the end of the batch:
//!
//! - an added subtree is one add per node (`skipChild`), in rrweb's order:
//!   a node whose parent or next sibling has no id yet waits in a list that
//!   is drained from its tail, so siblings come last first;
//! - a moved node is a remove and adds of every node under it with the
//!   same ids (and a moved `<iframe>` loads its document again, with new
//!   ids);
//! - texts and attributes carry their values at the end of the batch, and
//!   are left out for nodes added, moved or removed in it; a `style` change
//!   is written as an object of the properties that changed when that is
//!   shorter than the attribute;
//! - an input whose type changes from `password` gets
//!   `data-rr-is-password` (rrweb sets it on the page, so it comes in the
//!   next batch);
//! - the children of a shadow root are children of their host marked
//!   `isShadow` (after the light children), the host `isShadowHost`;
//! - a same-origin frame's document is not a child of its `<iframe>` in
//!   the serialized tree: it comes after the snapshot or mutation that
//!   wrote the frame, as a mutation with `isAttachIframe`, and its nodes
//!   carry its id as `rootId`.
//!
//! An input's current value is kept as its `value` attribute (what rrweb
//! serializes); typing changes it with an Input event and no mutation.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// A node to add: an element with attributes and children, or a text.
#[derive(Debug, Clone)]
pub enum Spec {
    Element {
        tag: String,
        attrs: Vec<(String, String)>,
        children: Vec<Spec>,
        svg: bool,
        shadow: bool,
    },
    Text(String),
    Comment(String),
    /// The document of a same-origin frame: a child of an `<iframe>`.
    Document(Vec<Spec>),
}

impl Drop for Spec {
    /// Without recursion: specs nest as deep as the pages tests build.
    fn drop(&mut self) {
        let mut stack = Vec::new();
        if let Spec::Element { children, .. } | Spec::Document(children) = self {
            stack.append(children);
        }
        while let Some(mut s) = stack.pop() {
            if let Spec::Element { children, .. } | Spec::Document(children) = &mut s {
                stack.append(children);
            }
        }
    }
}

/// `<tag attrs…>children…</tag>`.
pub fn el(tag: &str, attrs: &[(&str, &str)], children: Vec<Spec>) -> Spec {
    Spec::Element {
        tag: tag.to_string(),
        attrs: attrs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        children,
        svg: false,
        shadow: false,
    }
}

/// A text node.
pub fn text(t: &str) -> Spec {
    Spec::Text(t.to_string())
}

/// A frame's document: `<html><head></head><body>body…</body></html>`.
pub fn frame_document(body: Vec<Spec>) -> Spec {
    Spec::Document(vec![el(
        "html",
        &[],
        vec![el("head", &[], vec![]), el("body", &[], body)],
    )])
}

impl Spec {
    /// The same element, as a child of its parent's shadow root.
    pub fn shadow(mut self) -> Spec {
        if let Spec::Element { shadow, .. } = &mut self {
            *shadow = true;
        }
        self
    }

    /// The same element (and its element children), in SVG.
    pub fn svg(mut self) -> Spec {
        let mut stack = vec![&mut self];
        while let Some(s) = stack.pop() {
            if let Spec::Element { svg, children, .. } = s {
                *svg = true;
                stack.extend(children.iter_mut());
            }
        }
        self
    }
}

#[derive(Debug, Clone)]
pub enum Data {
    Document,
    Doctype,
    Element {
        tag: String,
        attrs: Vec<(String, String)>,
        svg: bool,
    },
    Text(String),
    Comment(String),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: i64,
    pub data: Data,
    pub parent: Option<usize>,
    /// Light children first, then the children of the shadow root (and, for
    /// an `<iframe>`, its document).
    pub children: Vec<usize>,
    /// A child of its parent's shadow root.
    pub shadow: bool,
    /// An element with a shadow root.
    pub host: bool,
    /// In the page (not removed).
    pub alive: bool,
    /// Written with its id (in a snapshot or a mutation): rrweb's mirror
    /// knows it.
    pub serialized: bool,
    /// The document it is in (a document: the one its frame is in).
    pub doc: usize,
}

/// One `MutationRecord`, as rrweb's `processMutation` reads it.
#[derive(Debug, Clone)]
enum Record {
    /// A child list changed. `shadow`: the target is the host's shadow
    /// root.
    Children {
        target: usize,
        shadow: bool,
        added: Option<usize>,
        removed: Option<usize>,
    },
    Attribute {
        target: usize,
        name: String,
        old: Option<String>,
    },
    Text {
        target: usize,
        old: String,
    },
}

/// What an event wrote of a node: the node itself (a snapshot, an add:
/// everything it holds), its text, one attribute, its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Node(usize),
    Text(usize),
    Attr(usize, String),
    /// A `style` written as an object of the properties that changed
    /// (these).
    StyleObject(usize, Vec<String>),
    Value(usize),
}

/// The attributes of one node that changed in a batch (their final
/// values), and the style properties that changed.
type AttributeChanges = (usize, Vec<(String, Option<String>)>, StyleDiff);

/// The recorded page.
#[derive(Debug)]
pub struct Recorder {
    pub nodes: Vec<Node>,
    next_id: i64,
    pub time: i64,
    /// Every event written so far.
    pub events: Vec<String>,
    /// What each event wrote: the event's index in `events`, and what.
    pub writes: Vec<(usize, Write)>,
    /// What the event being written writes.
    pending_writes: Vec<Write>,
    /// The records of the batch being collected.
    records: Vec<Record>,
    /// Records the recorder itself caused while writing a batch (the
    /// `data-rr-is-password` it sets): the next batch.
    follow_up: Vec<Record>,
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The declarations of a `style` attribute: `(property, value, important)`,
/// a property set twice counted once (the last one wins, as in CSS).
pub fn style_declarations(style: &str) -> Vec<(String, String, bool)> {
    let mut declarations: Vec<(String, String, bool)> = Vec::new();
    for d in style.split(';') {
        let Some((p, v)) = d.split_once(':') else {
            continue;
        };
        let p = p.trim().to_ascii_lowercase();
        if p.is_empty() {
            continue;
        }
        let v = v.trim();
        let (v, important) = match v.strip_suffix("!important") {
            Some(v) => (v.trim(), true),
            None => (v, false),
        };
        declarations.retain(|(q, _, _)| *q != p);
        declarations.push((p, v.to_string(), important));
    }
    declarations
}

impl Recorder {
    /// A page with a doctype, `<html>`, `<head>` and `<body>` (indices 0
    /// to 4; the body is [`Recorder::BODY`]).
    pub fn new() -> Recorder {
        let mut r = Recorder {
            nodes: Vec::new(),
            next_id: 1,
            time: 1_700_000_000_000,
            events: Vec::new(),
            writes: Vec::new(),
            pending_writes: Vec::new(),
            records: Vec::new(),
            follow_up: Vec::new(),
        };
        let doc = r.create(Data::Document, None, false);
        let doctype = r.create(Data::Doctype, None, false);
        r.place(doc, doctype, None);
        let html = r.build(doc, &el("html", &[], vec![]));
        r.build(html, &el("head", &[], vec![]));
        r.build(html, &el("body", &[], vec![]));
        r
    }

    pub const DOCUMENT: usize = 0;
    pub const HTML: usize = 2;
    pub const HEAD: usize = 3;
    pub const BODY: usize = 4;

    fn create(&mut self, data: Data, parent: Option<usize>, shadow: bool) -> usize {
        let i = self.nodes.len();
        self.nodes.push(Node {
            id: self.next_id,
            data,
            parent,
            children: Vec::new(),
            shadow,
            host: false,
            alive: true,
            serialized: false,
            doc: Self::DOCUMENT,
        });
        self.next_id += 1;
        i
    }

    /// Puts detached node `i` under `parent`, before child `before` when it
    /// is in the same list (light or shadow), else at the end of its list.
    fn place(&mut self, parent: usize, i: usize, before: Option<usize>) {
        let shadow = self.nodes[i].shadow;
        self.nodes[i].parent = Some(parent);
        if shadow {
            self.nodes[parent].host = true;
        }
        self.set_document(i, self.document_below(parent));
        let siblings = &self.nodes[parent].children;
        let at = before
            .filter(|&b| self.nodes[b].shadow == shadow)
            .and_then(|b| siblings.iter().position(|&c| c == b))
            .unwrap_or_else(|| {
                if shadow {
                    siblings.len()
                } else {
                    // The end of the light children: before the shadow
                    // root's children and the frame's document.
                    siblings
                        .iter()
                        .position(|&c| {
                            self.nodes[c].shadow || matches!(self.nodes[c].data, Data::Document)
                        })
                        .unwrap_or(siblings.len())
                }
            });
        self.nodes[parent].children.insert(at, i);
    }

    /// Takes node `i` out of its parent's list.
    fn unlink(&mut self, i: usize) -> usize {
        let p = self.nodes[i].parent.take().unwrap();
        self.nodes[p].children.retain(|&c| c != i);
        p
    }

    /// Builds `spec` under `parent` (appended); returns the new node.
    pub fn build(&mut self, parent: usize, spec: &Spec) -> usize {
        self.build_at(parent, None, spec)
    }

    /// Builds `spec` under `parent` before child `before`; returns the new
    /// node.
    fn build_at(&mut self, parent: usize, before: Option<usize>, spec: &Spec) -> usize {
        let mut root = None;
        let mut stack = vec![(parent, spec, before)];
        while let Some((p, s, before)) = stack.pop() {
            let (data, children, shadow) = match s {
                Spec::Element {
                    tag,
                    attrs,
                    children,
                    svg,
                    shadow,
                } => (
                    Data::Element {
                        tag: tag.clone(),
                        attrs: attrs.clone(),
                        svg: *svg,
                    },
                    children.as_slice(),
                    *shadow,
                ),
                Spec::Text(t) => (Data::Text(t.clone()), &[][..], false),
                Spec::Comment(t) => (Data::Comment(t.clone()), &[][..], false),
                Spec::Document(children) => (Data::Document, children.as_slice(), false),
            };
            let i = self.create(data, None, shadow);
            if matches!(self.nodes[i].data, Data::Document) {
                // A frame's document stands after the frame's children.
                self.nodes[i].parent = Some(p);
                self.nodes[i].doc = self.nodes[p].doc;
                self.nodes[p].children.push(i);
            } else {
                self.place(p, i, before);
            }
            root.get_or_insert(i);
            for c in children.iter().rev() {
                stack.push((i, c, None));
            }
        }
        root.unwrap()
    }

    pub fn id(&self, i: usize) -> i64 {
        self.nodes[i].id
    }

    fn tick(&mut self) -> i64 {
        self.time += 10;
        self.time
    }

    fn push(&mut self, event: String) -> String {
        let k = self.events.len();
        for w in std::mem::take(&mut self.pending_writes) {
            self.writes.push((k, w));
        }
        self.events.push(event.clone());
        event
    }

    /// The tag of element `i` (empty for other nodes).
    pub fn tag(&self, i: usize) -> &str {
        match &self.nodes[i].data {
            Data::Element { tag, .. } => tag,
            _ => "",
        }
    }

    /// An attribute of element `i`.
    pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
        match &self.nodes[i].data {
            Data::Element { attrs, .. } => attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// The document node `i` belongs to (for a document: the one its frame
    /// is in).
    pub fn owner_document(&self, i: usize) -> usize {
        self.nodes[i].doc
    }

    /// The document the children of `parent` are in.
    fn document_below(&self, parent: usize) -> usize {
        if matches!(self.nodes[parent].data, Data::Document) {
            parent
        } else {
            self.nodes[parent].doc
        }
    }

    /// Puts `i` and the nodes under it in document `doc` (frames' documents
    /// keep theirs).
    fn set_document(&mut self, i: usize, doc: usize) {
        if self.nodes[i].doc == doc {
            return;
        }
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            self.nodes[n].doc = doc;
            let children: Vec<usize> = self.serialized_children(n).collect();
            stack.extend(children);
        }
    }

    /// Whether `i` is in the page: attached, through shadow hosts and
    /// frames, to the top document.
    pub fn attached(&self, i: usize) -> bool {
        let mut n = i;
        loop {
            if n == Self::DOCUMENT {
                return true;
            }
            match self.nodes[n].parent {
                Some(p) => n = p,
                None => return false,
            }
        }
    }

    /// The frame's document of `<iframe>` `i`.
    pub fn frame_doc(&self, i: usize) -> Option<usize> {
        self.nodes[i]
            .children
            .iter()
            .copied()
            .find(|&c| matches!(self.nodes[c].data, Data::Document))
    }

    /// The children rrweb serializes under `i`: not a frame's document.
    fn serialized_children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let element = matches!(self.nodes[i].data, Data::Element { .. });
        self.nodes[i]
            .children
            .iter()
            .copied()
            .filter(move |&c| !(element && matches!(self.nodes[c].data, Data::Document)))
    }

    /// Writes one serialized node, with its children when `deep`.
    pub fn node_json(&self, root: usize, deep: bool) -> String {
        let mut out = String::new();
        enum Task {
            Open(usize),
            Close(usize),
        }
        let mut tasks = vec![Task::Open(root)];
        let mut firsts = vec![true];
        while let Some(t) = tasks.pop() {
            match t {
                Task::Open(i) => {
                    let first = firsts.last_mut().unwrap();
                    if !std::mem::take(first) {
                        out.push(',');
                    }
                    let n = &self.nodes[i];
                    match &n.data {
                        Data::Document => out.push_str("{\"type\":0,\"childNodes\":["),
                        Data::Doctype => {
                            out.push_str(
                                "{\"type\":1,\"name\":\"html\",\"publicId\":\"\",\"systemId\":\"\"",
                            );
                        }
                        Data::Element { tag, attrs, .. } => {
                            let _ = write!(
                                out,
                                "{{\"type\":2,\"tagName\":{},\"attributes\":{{",
                                json_str(tag)
                            );
                            for (k, (name, value)) in attrs.iter().enumerate() {
                                if k > 0 {
                                    out.push(',');
                                }
                                let _ = write!(out, "{}:{}", json_str(name), json_str(value));
                            }
                            out.push_str("},\"childNodes\":[");
                        }
                        Data::Text(t) => {
                            let _ = write!(out, "{{\"type\":3,\"textContent\":{}", json_str(t));
                        }
                        Data::Comment(t) => {
                            let _ = write!(out, "{{\"type\":5,\"textContent\":{}", json_str(t));
                        }
                    }
                    if matches!(n.data, Data::Document | Data::Element { .. }) {
                        tasks.push(Task::Close(i));
                        firsts.push(true);
                        if deep {
                            let children: Vec<usize> = self.serialized_children(i).collect();
                            for &c in children.iter().rev() {
                                if self.nodes[c].alive {
                                    tasks.push(Task::Open(c));
                                }
                            }
                        }
                    } else {
                        self.tail(&mut out, i);
                    }
                }
                Task::Close(i) => {
                    firsts.pop();
                    out.push(']');
                    if let Data::Element { svg: true, .. } = self.nodes[i].data {
                        out.push_str(",\"isSVG\":true");
                    }
                    if self.nodes[i].host {
                        out.push_str(",\"isShadowHost\":true");
                    }
                    self.tail(&mut out, i);
                }
            }
        }
        out
    }

    fn tail(&self, out: &mut String, i: usize) {
        let n = &self.nodes[i];
        let doc = self.owner_document(i);
        // rrweb writes `rootId` inside frames' documents only (and not on
        // the document itself).
        if doc != Self::DOCUMENT && !matches!(n.data, Data::Document) {
            let _ = write!(out, ",\"rootId\":{}", self.nodes[doc].id);
        }
        let _ = write!(out, ",\"id\":{}", n.id);
        if n.shadow {
            out.push_str(",\"isShadow\":true");
        }
        out.push('}');
    }

    /// Marks `root` and (when `deep`) everything serialized under it as
    /// known to rrweb's mirror.
    fn mark_serialized(&mut self, root: usize, deep: bool) {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            self.nodes[n].serialized = true;
            self.pending_writes.push(Write::Node(n));
            if deep {
                let children: Vec<usize> = self.serialized_children(n).collect();
                stack.extend(children);
            }
        }
    }

    /// The frames (`<iframe>`s with a document) under `root` in document
    /// order, a frame before the frames inside its document: the order
    /// rrweb attaches their documents in.
    pub fn frames_under(&self, root: usize) -> Vec<usize> {
        let mut frames = Vec::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if !self.nodes[n].alive {
                continue;
            }
            if self.frame_doc(n).is_some() && n != Self::DOCUMENT {
                frames.push(n);
            }
            stack.extend(self.nodes[n].children.iter().rev());
        }
        frames
    }

    fn mutation_json(
        t: i64,
        texts: &str,
        attributes: &str,
        removes: &str,
        adds: &str,
        attach: bool,
    ) -> String {
        let attach = if attach {
            ",\"isAttachIframe\":true"
        } else {
            ""
        };
        format!(
            "{{\"type\":3,\"data\":{{\"source\":0,\"texts\":[{texts}],\"attributes\":[{attributes}],\"removes\":[{removes}],\"adds\":[{adds}]{attach}}},\"timestamp\":{t}}}"
        )
    }

    /// The mutation that attaches frame `frame`'s document.
    fn attach_json(&self, frame: usize, t: i64) -> Option<String> {
        let doc = self.frame_doc(frame)?;
        let add = format!(
            "{{\"parentId\":{},\"nextId\":null,\"node\":{}}}",
            self.nodes[frame].id,
            self.node_json(doc, true)
        );
        Some(Self::mutation_json(t, "", "", "", &add, true))
    }

    /// A Meta event.
    pub fn meta(&mut self, href: &str) -> String {
        let t = self.tick();
        self.push(Self::meta_json(href, t))
    }

    fn meta_json(href: &str, t: i64) -> String {
        format!(
            "{{\"type\":4,\"data\":{{\"href\":{},\"width\":1280,\"height\":720}},\"timestamp\":{t}}}",
            json_str(href)
        )
    }

    fn snapshot_json(&self, t: i64) -> String {
        let node = self.node_json(Self::DOCUMENT, true);
        format!(
            "{{\"type\":2,\"data\":{{\"node\":{node},\"initialOffset\":{{\"top\":0,\"left\":0}}}},\"timestamp\":{t}}}"
        )
    }

    /// What rrweb writes for the page as it is now, at `href`, without
    /// recording it: a Meta event, a full snapshot and the documents of
    /// its frames.
    pub fn snapshot_events(&self, href: &str) -> Vec<String> {
        let t = self.time;
        let mut events = vec![Self::meta_json(href, t), self.snapshot_json(t)];
        for frame in self.frames_under(Self::DOCUMENT) {
            events.extend(self.attach_json(frame, t));
        }
        events
    }

    /// A full snapshot of the page as it is (the documents of its frames
    /// are recorded after it: see [`Recorder::take_full_snapshot`]).
    pub fn full_snapshot(&mut self) -> String {
        self.take_full_snapshot().swap_remove(0)
    }

    /// A full snapshot and the mutations that attach its frames'
    /// documents, as rrweb's `takeFullSnapshot` writes them. Changes not
    /// committed yet are in the snapshot: they are not written again.
    pub fn take_full_snapshot(&mut self) -> Vec<String> {
        self.records.clear();
        let t = self.tick();
        let snapshot = self.snapshot_json(t);
        self.mark_serialized(Self::DOCUMENT, true);
        let mut events = vec![self.push(snapshot)];
        for frame in self.frames_under(Self::DOCUMENT) {
            let t = self.tick();
            if let Some(e) = self.attach_json(frame, t) {
                let doc = self.frame_doc(frame).unwrap();
                self.mark_serialized(doc, true);
                events.push(self.push(e));
            }
        }
        events
    }

    /// Meta and full snapshot, as rrweb writes them on every page.
    pub fn start(&mut self, href: &str) -> Vec<String> {
        let mut events = vec![self.meta(href)];
        events.extend(self.take_full_snapshot());
        events
    }

    // ---- changes, as a MutationObserver reports them ----------------------

    /// Inserts `spec` under `parent` before child `before` (or at the end
    /// of its list); returns the new node. Written by [`Recorder::commit`].
    pub fn insert(&mut self, parent: usize, before: Option<usize>, spec: &Spec) -> usize {
        let root = self.build_at(parent, before, spec);
        self.records.push(Record::Children {
            target: parent,
            shadow: self.nodes[root].shadow,
            added: Some(root),
            removed: None,
        });
        root
    }

    /// Removes node `i` (and everything under it) from the page.
    pub fn detach(&mut self, i: usize) {
        let shadow = self.nodes[i].shadow;
        let p = self.unlink(i);
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            self.nodes[n].alive = false;
            stack.extend(self.nodes[n].children.iter().copied());
        }
        self.records.push(Record::Children {
            target: p,
            shadow,
            added: None,
            removed: Some(i),
        });
    }

    /// Moves node `i` under `parent`, before child `before` (or at the end
    /// of its list). Frames under it load their documents again.
    pub fn relocate(&mut self, i: usize, parent: usize, before: Option<usize>) {
        let shadow = self.nodes[i].shadow;
        let old = self.unlink(i);
        self.records.push(Record::Children {
            target: old,
            shadow,
            added: None,
            removed: Some(i),
        });
        self.place(parent, i, before);
        self.records.push(Record::Children {
            target: parent,
            shadow,
            added: Some(i),
            removed: None,
        });
        for frame in self.frames_under(i) {
            self.reload(frame);
        }
    }

    /// A frame that moved loads its document again: the same content, new
    /// nodes (new ids).
    fn reload(&mut self, frame: usize) {
        let Some(old) = self.frame_doc(frame) else {
            return;
        };
        let spec = self.spec_of(old);
        self.unlink(old);
        let mut stack = vec![old];
        while let Some(n) = stack.pop() {
            self.nodes[n].alive = false;
            stack.extend(self.nodes[n].children.iter().copied());
        }
        self.build_at(frame, None, &spec);
    }

    /// The spec that builds node `i` as it is now.
    pub fn spec_of(&self, i: usize) -> Spec {
        // Built bottom-up from a post-order walk: no recursion.
        let mut order = Vec::new();
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            order.push(n);
            stack.extend(self.nodes[n].children.iter().copied());
        }
        let mut built: HashMap<usize, Spec> = HashMap::new();
        for &n in order.iter().rev() {
            let node = &self.nodes[n];
            let children: Vec<Spec> = node
                .children
                .iter()
                .filter_map(|c| built.remove(c))
                .collect();
            let spec = match &node.data {
                Data::Element { tag, attrs, svg } => Spec::Element {
                    tag: tag.clone(),
                    attrs: attrs.clone(),
                    children,
                    svg: *svg,
                    shadow: node.shadow,
                },
                Data::Text(t) => Spec::Text(t.clone()),
                Data::Comment(t) => Spec::Comment(t.clone()),
                Data::Document => Spec::Document(children),
                Data::Doctype => continue,
            };
            built.insert(n, spec);
        }
        built.remove(&i).unwrap()
    }

    /// Sets (`Some`) or removes an attribute of element `i`.
    pub fn set_attribute(&mut self, i: usize, name: &str, value: Option<&str>) {
        let old = self.write_attribute(i, name, value);
        let was_password = old
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("password"));
        if name == "type" && self.tag(i) == "input" && was_password {
            // rrweb marks the input on the page while it writes this batch;
            // the observer reports that in the next one.
            let before = self.write_attribute(i, "data-rr-is-password", Some("true"));
            self.follow_up.push(Record::Attribute {
                target: i,
                name: "data-rr-is-password".into(),
                old: before,
            });
        }
        self.records.push(Record::Attribute {
            target: i,
            name: name.into(),
            old,
        });
    }

    /// Changes the attribute on the page; returns the old value.
    fn write_attribute(&mut self, i: usize, name: &str, value: Option<&str>) -> Option<String> {
        let Data::Element { attrs, .. } = &mut self.nodes[i].data else {
            panic!("not an element");
        };
        let old = attrs
            .iter()
            .position(|(n, _)| n == name)
            .map(|k| attrs[k].1.clone());
        match (attrs.iter_mut().find(|(n, _)| n == name), value) {
            (Some((_, v)), Some(new)) => *v = new.to_string(),
            (None, Some(new)) => attrs.push((name.to_string(), new.to_string())),
            (_, None) => attrs.retain(|(n, _)| n != name),
        }
        old
    }

    /// Changes text node `i`.
    pub fn set_text_value(&mut self, i: usize, value: &str) {
        let Data::Text(old) = std::mem::replace(&mut self.nodes[i].data, Data::Text(value.into()))
        else {
            panic!("not a text node");
        };
        self.records.push(Record::Text { target: i, old });
    }

    /// The id rrweb's mirror gives node `i` (`-1`: none yet).
    fn mirror_id(&self, i: usize) -> i64 {
        if self.nodes[i].serialized {
            self.nodes[i].id
        } else {
            -1
        }
    }

    /// `parentNode` in the DOM: `None` for a shadow root's child (its
    /// parent is the shadow root, which no set holds) and for a document.
    fn dom_parent(&self, i: usize) -> Option<usize> {
        if self.nodes[i].shadow || matches!(self.nodes[i].data, Data::Document) {
            return None;
        }
        self.nodes[i].parent
    }

    /// The next node in `i`'s child list (light or shadow).
    fn next_sibling(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent?;
        let siblings = &self.nodes[p].children;
        let at = siblings.iter().position(|&c| c == i)?;
        siblings
            .get(at + 1)
            .copied()
            .filter(|&s| self.nodes[s].shadow == self.nodes[i].shadow)
            .filter(|&s| !matches!(self.nodes[s].data, Data::Document))
    }

    fn prev_sibling(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent?;
        let siblings = &self.nodes[p].children;
        let at = siblings.iter().position(|&c| c == i)?;
        at.checked_sub(1)
            .map(|k| siblings[k])
            .filter(|&s| self.nodes[s].shadow == self.nodes[i].shadow)
    }

    /// rrweb's `inDom`: attached to its document, through shadow hosts.
    /// Remembers what it found in `memo`, so that a deep chain costs its
    /// length once.
    fn in_dom(&self, i: usize, memo: &mut HashMap<usize, bool>) -> bool {
        let mut path = Vec::new();
        let mut n = i;
        let found = loop {
            if let Some(&known) = memo.get(&n) {
                break known;
            }
            if matches!(self.nodes[n].data, Data::Document) {
                break true;
            }
            path.push(n);
            match self.nodes[n].parent {
                Some(p) => n = p,
                None => break false,
            }
        };
        for p in path {
            memo.insert(p, found);
        }
        found
    }

    /// rrweb's `isAncestorRemoved` for a record's target.
    fn ancestor_removed(&self, target: usize, shadow: bool) -> bool {
        if shadow {
            return false;
        }
        let mut n = target;
        loop {
            if !self.nodes[n].serialized {
                return true;
            }
            match self.dom_parent(n) {
                Some(p) if matches!(self.nodes[p].data, Data::Document) => return false,
                Some(p) => n = p,
                // A shadow root's child: the walk stops at the shadow root.
                None if self.nodes[n].shadow => return false,
                None => return true,
            }
        }
    }

    /// The nodes under `i` by `childNodes`, `i` first: what rrweb's
    /// `processRemoves`, `deepDelete` and `Mirror.removeNodeFromMap` walk
    /// (not into shadow roots).
    fn dom_subtree(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(
                self.serialized_children(n)
                    .filter(|&c| !self.nodes[c].shadow),
            );
        }
        out
    }

    /// Writes the batch of changes collected since the last commit as rrweb
    /// writes it: the mutation (none when nothing is left to write), the
    /// documents of frames it added, and the batch of changes rrweb itself
    /// made while writing it.
    pub fn commit(&mut self) -> Vec<String> {
        let records = std::mem::take(&mut self.records);
        let mut events = Vec::new();
        events.extend(self.emit(&records));
        if !self.follow_up.is_empty() {
            self.records = std::mem::take(&mut self.follow_up);
            events.extend(self.commit());
        }
        events
    }

    fn emit(&mut self, records: &[Record]) -> Vec<String> {
        // processMutation, record by record, reading the DOM as it is now.
        let mut added = OrderedSet::default();
        let mut moved = OrderedSet::default();
        let mut dropped = OrderedSet::default();
        let mut moved_map: HashSet<(usize, usize)> = HashSet::new();
        let mut removes: Vec<String> = Vec::new();
        let mut removed_subtrees: HashSet<usize> = HashSet::new();
        let mut map_removes: Vec<usize> = Vec::new();
        let mut texts: Vec<usize> = Vec::new();
        // Per node, in order: the attributes that changed (final values),
        // and the style properties that changed.
        let mut attributes: Vec<AttributeChanges> = Vec::new();

        fn gen_adds(
            r: &Recorder,
            n: usize,
            target: Option<usize>,
            added: &mut OrderedSet,
            moved: &mut OrderedSet,
            dropped: &mut OrderedSet,
            moved_map: &mut HashSet<(usize, usize)>,
        ) {
            let mut stack = vec![(n, target)];
            while let Some((n, target)) = stack.pop() {
                if added.contains(&n) || moved.contains(&n) {
                    continue;
                }
                if r.nodes[n].serialized {
                    moved.insert(n);
                    if let Some(t) = target.filter(|&t| r.nodes[t].serialized) {
                        moved_map.insert((n, t));
                    }
                } else {
                    added.insert(n);
                    dropped.remove(&n);
                }
                let children: Vec<usize> = r.serialized_children(n).collect();
                for &c in children.iter().rev() {
                    let target = r.nodes[c].shadow.then_some(n);
                    stack.push((c, target));
                }
            }
        }

        for record in records {
            match record {
                Record::Text { target, old } => {
                    if let Data::Text(now) = &self.nodes[*target].data
                        && now != old
                    {
                        texts.push(*target);
                    }
                }
                Record::Attribute { target, name, old } => {
                    let value = self.attr(*target, name).map(str::to_string);
                    if value == *old {
                        continue;
                    }
                    let k = match attributes.iter().position(|(n, _, _)| n == target) {
                        Some(k) => k,
                        None => {
                            attributes.push((*target, Vec::new(), StyleDiff::default()));
                            attributes.len() - 1
                        }
                    };
                    let entry = &mut attributes[k];
                    entry.1.retain(|(n, _)| n != name);
                    entry.1.push((name.clone(), value.clone()));
                    if name == "style" {
                        entry
                            .2
                            .add(old.as_deref().unwrap_or(""), value.as_deref().unwrap_or(""));
                    }
                }
                Record::Children {
                    target,
                    shadow,
                    added: add,
                    removed,
                } => {
                    if let Some(n) = *add {
                        gen_adds(
                            self,
                            n,
                            Some(*target),
                            &mut added,
                            &mut moved,
                            &mut dropped,
                            &mut moved_map,
                        );
                    }
                    let Some(n) = *removed else {
                        continue;
                    };
                    if !self.nodes[n].serialized {
                        continue;
                    }
                    if added.contains(&n) {
                        let gone: HashSet<usize> = self.dom_subtree(n).into_iter().collect();
                        added.remove_all(&gone);
                        dropped.insert(n);
                    } else if self.ancestor_removed(*target, *shadow) {
                    } else if moved.contains(&n) && moved_map.contains(&(n, *target)) {
                        let gone: HashSet<usize> = self.dom_subtree(n).into_iter().collect();
                        moved.remove_all(&gone);
                    } else {
                        let shadow = if *shadow { ",\"isShadow\":true" } else { "" };
                        removes.push(format!(
                            "{{\"parentId\":{},\"id\":{}{shadow}}}",
                            self.nodes[*target].id, self.nodes[n].id
                        ));
                        removed_subtrees.extend(self.dom_subtree(n));
                    }
                    map_removes.push(n);
                }
            }
        }

        // emit: nodes removed leave the mirror's id map (they keep their
        // ids, and get back in when added again).
        let mut unmapped: HashSet<usize> = HashSet::new();
        for &n in &map_removes {
            unmapped.extend(self.dom_subtree(n));
        }
        let mut adds: Vec<String> = Vec::new();
        let mut added_ids: HashSet<usize> = HashSet::new();
        let mut frames: Vec<usize> = Vec::new();
        let mut waiting: Vec<usize> = Vec::new();
        let mut in_dom_memo: HashMap<usize, bool> = HashMap::new();

        let parent_removed = |r: &Recorder, n: usize| {
            r.dom_parent(n)
                .is_some_and(|p| removed_subtrees.contains(&p))
        };
        let ancestor_in = |r: &Recorder, set: &OrderedSet, n: usize| {
            if set.is_empty() {
                return false;
            }
            let mut p = r.dom_parent(n);
            while let Some(a) = p {
                if set.contains(&a) {
                    return true;
                }
                p = r.dom_parent(a);
            }
            false
        };

        // pushAdd: serialized now, or waiting for its parent or next sibling.
        let mut push_add = |r: &mut Recorder, n: usize, waiting: &mut Vec<usize>| {
            if r.nodes[n].parent.is_none() || !r.in_dom(n, &mut in_dom_memo) {
                return;
            }
            let parent = r.nodes[n].parent.unwrap();
            let parent_id = r.mirror_id(parent);
            let next = r.next_sibling(n);
            let next_id = next.map(|s| r.mirror_id(s));
            if parent_id == -1 || next_id == Some(-1) {
                // DoubleLinkedList.addNode: after its previous sibling, or
                // before its next one, or at the head.
                if waiting.contains(&n) {
                    return;
                }
                let prev = r
                    .prev_sibling(n)
                    .and_then(|p| waiting.iter().position(|&w| w == p));
                let next_at = next.and_then(|s| waiting.iter().position(|&w| w == s));
                match (prev, next_at) {
                    (Some(k), _) => waiting.insert(k + 1, n),
                    (None, Some(k)) if k > 0 => waiting.insert(k, n),
                    _ => waiting.insert(0, n),
                }
                return;
            }
            let next_id = next_id.map_or("null".to_string(), |id| id.to_string());
            adds.push(format!(
                "{{\"parentId\":{parent_id},\"nextId\":{next_id},\"node\":{}}}",
                r.node_json(n, false)
            ));
            r.nodes[n].serialized = true;
            r.pending_writes.push(Write::Node(n));
            unmapped.remove(&n);
            added_ids.insert(n);
            if r.frame_doc(n).is_some() {
                frames.push(n);
            }
        };

        for n in moved.items() {
            let parent_moved = self.dom_parent(n).is_some_and(|p| moved.contains(&p));
            if parent_removed(self, n) && !parent_moved {
                continue;
            }
            push_add(self, n, &mut waiting);
        }
        for n in added.items() {
            let in_dropped = ancestor_in(self, &dropped, n);
            if (!in_dropped && !parent_removed(self, n)) || ancestor_in(self, &moved, n) {
                push_add(self, n, &mut waiting);
            } else {
                dropped.insert(n);
            }
        }
        // The waiting list, drained from its tail; the node before the one
        // written is tried first.
        let placeable = |r: &Recorder, n: usize| {
            let parent_ok = r.nodes[n].parent.is_some_and(|p| r.mirror_id(p) != -1);
            let next_ok = r.next_sibling(n).is_none_or(|s| r.mirror_id(s) != -1);
            parent_ok && next_ok
        };
        let mut candidate: Option<usize> = None;
        while !waiting.is_empty() {
            let mut node = candidate.filter(|&c| waiting.contains(&c) && placeable(self, c));
            if node.is_none() {
                node = waiting.iter().rev().copied().find(|&n| placeable(self, n));
            }
            let Some(n) = node else {
                break;
            };
            let at = waiting.iter().position(|&w| w == n).unwrap();
            candidate = at.checked_sub(1).map(|k| waiting[k]);
            waiting.remove(at);
            push_add(self, n, &mut waiting);
        }

        let known = |r: &Recorder, n: usize| {
            r.nodes[n].serialized && !unmapped.contains(&n) && !added_ids.contains(&n)
        };
        let texts: Vec<usize> = texts.into_iter().filter(|&n| known(self, n)).collect();
        for &n in &texts {
            self.pending_writes.push(Write::Text(n));
        }
        let texts: Vec<String> = texts
            .into_iter()
            .map(|n| {
                let Data::Text(t) = &self.nodes[n].data else {
                    unreachable!()
                };
                format!("{{\"id\":{},\"value\":{}}}", self.nodes[n].id, json_str(t))
            })
            .collect();
        for (n, names, style) in &attributes {
            if known(self, *n) {
                for (name, value) in names {
                    let object = name == "style"
                        && value
                            .as_deref()
                            .is_some_and(|v| style.written(v).starts_with('{'));
                    self.pending_writes.push(if object {
                        let changed = style.changed.iter().map(|(p, _)| p.clone()).collect();
                        Write::StyleObject(*n, changed)
                    } else {
                        Write::Attr(*n, name.clone())
                    });
                }
            }
        }
        let attributes: Vec<String> = attributes
            .into_iter()
            .filter(|(n, _, _)| known(self, *n))
            .map(|(n, values, style)| {
                let body: Vec<String> = values
                    .iter()
                    .map(|(name, v)| {
                        let value = match v {
                            Some(s) if name == "style" => style.written(s),
                            Some(s) => json_str(s),
                            None => "null".into(),
                        };
                        format!("{}:{value}", json_str(name))
                    })
                    .collect();
                format!(
                    "{{\"id\":{},\"attributes\":{{{}}}}}",
                    self.nodes[n].id,
                    body.join(",")
                )
            })
            .collect();

        let mut events = Vec::new();
        if !(texts.is_empty() && attributes.is_empty() && removes.is_empty() && adds.is_empty()) {
            let t = self.tick();
            events.push(self.push(Self::mutation_json(
                t,
                &texts.join(","),
                &attributes.join(","),
                &removes.join(","),
                &adds.join(","),
                false,
            )));
        }
        // Frames written in this batch load and attach their documents.
        let mut k = 0;
        while k < frames.len() {
            let frame = frames[k];
            k += 1;
            let t = self.tick();
            if let Some(e) = self.attach_json(frame, t) {
                let doc = self.frame_doc(frame).unwrap();
                self.mark_serialized(doc, true);
                let nested = self.frames_under(doc);
                frames.splice(k..k, nested);
                events.push(self.push(e));
            }
        }
        events
    }

    /// Writes the changes collected so far; returns the mutation (an empty
    /// one when rrweb would write nothing).
    fn commit_one(&mut self) -> String {
        let mut events = self.commit();
        if events.is_empty() {
            let t = self.tick();
            return self.push(Self::mutation_json(t, "", "", "", "", false));
        }
        events.swap_remove(0)
    }

    /// Adds `spec` under `parent` (before `before`), as one mutation;
    /// returns the new node and the event.
    pub fn add(&mut self, parent: usize, before: Option<usize>, spec: &Spec) -> (usize, String) {
        let root = self.insert(parent, before, spec);
        (root, self.commit_one())
    }

    /// Removes node `i` (and everything under it).
    pub fn remove(&mut self, i: usize) -> String {
        self.detach(i);
        self.commit_one()
    }

    /// Moves node `i` under `parent`: rrweb removes it and adds it again
    /// with everything in it, same ids.
    pub fn move_to(&mut self, i: usize, parent: usize) -> String {
        self.relocate(i, parent, None);
        self.commit_one()
    }

    /// Sets (`Some`) or removes an attribute.
    pub fn set_attr(&mut self, i: usize, name: &str, value: Option<&str>) -> String {
        self.set_attribute(i, name, value);
        self.commit_one()
    }

    /// Changes a text node.
    pub fn set_text(&mut self, i: usize, value: &str) -> String {
        self.set_text_value(i, value);
        self.commit_one()
    }

    fn incremental(&mut self, data: String) -> String {
        let t = self.tick();
        self.push(format!("{{\"type\":3,\"data\":{data},\"timestamp\":{t}}}"))
    }

    /// The visitor typed: the input's whole value so far (kept as its
    /// `value`, which a snapshot writes).
    pub fn input(&mut self, i: usize, text: &str, checked: bool) -> String {
        if matches!(self.tag(i), "input" | "textarea") {
            self.write_attribute(i, "value", Some(text));
        }
        self.pending_writes.push(Write::Value(i));
        let id = self.nodes[i].id;
        self.incremental(format!(
            "{{\"source\":5,\"text\":{},\"isChecked\":{checked},\"userTriggered\":true,\"id\":{id}}}",
            json_str(text)
        ))
    }

    /// A click on node `i`.
    pub fn click(&mut self, i: usize) -> String {
        let id = self.nodes[i].id;
        self.incremental(format!(
            "{{\"source\":2,\"type\":2,\"id\":{id},\"x\":10,\"y\":20,\"pointerType\":0}}"
        ))
    }

    /// The pointer moved over these nodes.
    pub fn moves(&mut self, over: &[usize]) -> String {
        let positions: Vec<String> = over
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                format!(
                    "{{\"x\":{k},\"y\":{k},\"id\":{},\"timeOffset\":-{k}}}",
                    self.nodes[i].id
                )
            })
            .collect();
        self.incremental(format!(
            "{{\"source\":1,\"positions\":[{}]}}",
            positions.join(",")
        ))
    }
}

/// A set that remembers the order its items came in.
#[derive(Debug, Default)]
struct OrderedSet {
    order: Vec<usize>,
    members: HashSet<usize>,
}

impl OrderedSet {
    fn insert(&mut self, n: usize) {
        if self.members.insert(n) {
            self.order.push(n);
        }
    }

    fn remove(&mut self, n: &usize) {
        if self.members.remove(n) {
            self.order.retain(|o| o != n);
        }
    }

    fn remove_all(&mut self, gone: &HashSet<usize>) {
        self.members.retain(|m| !gone.contains(m));
        self.order.retain(|o| !gone.contains(o));
    }

    fn contains(&self, n: &usize) -> bool {
        self.members.contains(n)
    }

    fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    fn items(&self) -> Vec<usize> {
        self.order.clone()
    }
}

/// The style properties that changed in a batch (rrweb's `styleDiff` and
/// `_unchangedStyles`).
#[derive(Debug, Default)]
struct StyleDiff {
    changed: Vec<(String, Option<(String, bool)>)>,
    unchanged: Vec<(String, String, bool)>,
}

impl StyleDiff {
    fn add(&mut self, old: &str, new: &str) {
        let old = style_declarations(old);
        let new = style_declarations(new);
        for (p, v, important) in &new {
            let before = old.iter().find(|(o, _, _)| o == p);
            if before.is_some_and(|(_, ov, oi)| ov == v && oi == important) {
                self.unchanged.push((p.clone(), v.clone(), *important));
            } else {
                self.changed.retain(|(c, _)| c != p);
                self.changed
                    .push((p.clone(), Some((v.clone(), *important))));
            }
        }
        for (p, _, _) in &old {
            if !new.iter().any(|(n, _, _)| n == p) {
                self.changed.retain(|(c, _)| c != p);
                self.changed.push((p.clone(), None));
            }
        }
    }

    /// The `style` value written: the object of changes when it is shorter
    /// than the attribute (and accounts for every `var(`), else the text.
    fn written(&self, style: &str) -> String {
        let object = |items: Vec<String>| format!("{{{}}}", items.join(","));
        let diff = object(
            self.changed
                .iter()
                .map(|(p, v)| {
                    let v = match v {
                        None => "false".to_string(),
                        Some((v, false)) => json_str(v),
                        Some((v, true)) => format!("[{},\"important\"]", json_str(v)),
                    };
                    format!("{}:{v}", json_str(p))
                })
                .collect(),
        );
        let unchanged = object(
            self.unchanged
                .iter()
                .map(|(p, v, i)| {
                    let prio = if *i { "important" } else { "" };
                    format!("{}:[{},{}]", json_str(p), json_str(v), json_str(prio))
                })
                .collect(),
        );
        let vars = |s: &str| s.split("var(").count();
        if diff.len() < style.len() && vars(&diff) + vars(&unchanged) - 1 == vars(style) {
            diff
        } else {
            json_str(style)
        }
    }
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}
