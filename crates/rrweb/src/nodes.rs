//! rrweb's serialized nodes (`serializedNodeWithId`): reading them into the
//! mirror, and writing them as the recording keeps them.
//!
//! Both directions loop over an explicit stack: a full snapshot nests as
//! deep as the page, and a hostile one deeper.
//!
//! What is written for each node type (fields not listed are dropped):
//!
//! | node | written |
//! | --- | --- |
//! | document (0) | `compatMode` when `BackCompat` or `CSS1Compat`, `childNodes` |
//! | doctype (1) | `name`, `publicId`, `systemId` |
//! | element (2) | `tagName`, the attributes as decided, `childNodes`, `isSVG`, `isCustom`, `isShadowHost`; a blocked element is a placeholder |
//! | text (3) | `textContent` under its parent's channel |
//! | CDATA (4), comment (5) | `textContent` empty |
//!
//! and for every node `id`, `rootId` and `isShadow`.

use crate::json::{Ix, Json, Kind as J, Writer};
use crate::observe::Observed;
use crate::render::{Shown, State, Work, frame};
use crate::stats::{DropReason, Stats};
use crate::tree::{Kind, NONE, Tree};
use scrim_content::BLOCKED_ATTRIBUTE;
use scrim_matcher::Status;

/// Whether a tag name is one rrweb writes: lowercase letters, digits, `-`,
/// `_` and `:` (rrweb records anything else as `div`).
fn valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 256
        && tag.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':')
        })
}

/// Whether a node of kind `child` may stand under a node of kind `parent`.
fn fits(parent: Kind, child: Kind) -> bool {
    match parent {
        Kind::Document => matches!(
            child,
            Kind::Doctype | Kind::Element | Kind::Comment | Kind::Text
        ),
        Kind::Element => !matches!(child, Kind::Doctype),
        _ => false,
    }
}

/// The attributes a watched node was last recorded with, for `explain`
/// (values that are not strings, such as `checked: true`, as empty).
#[derive(Debug, Default)]
pub(crate) struct Watch {
    pub(crate) id: i64,
    pub(crate) attributes: Vec<(String, String)>,
}

impl Watch {
    /// Records attribute `name` set to `value`, or removed (`None`).
    pub(crate) fn set(&mut self, name: &str, value: Option<&str>) {
        self.attributes.retain(|(n, _)| n != name);
        if let Some(value) = value {
            self.attributes.push((name.to_string(), value.to_string()));
        }
    }
}

/// What reading nodes changes: the tree, under the observed attributes,
/// with the counters and the watched node.
pub(crate) struct Mirror<'a> {
    pub(crate) tree: &'a mut Tree,
    pub(crate) observed: &'a Observed,
    pub(crate) stats: &'a mut Stats,
    pub(crate) watch: Option<&'a mut Watch>,
}

/// Reads the serialized node at `root` and everything in its `childNodes`
/// into the tree, under `parent` (none for a snapshot's document) before
/// `before`. Nodes that are not well formed are left out with everything
/// under them, and counted. Returns the root's index; `created` then holds
/// the indices of every node read, in document order.
pub(crate) fn read(
    mirror: Mirror<'_>,
    json: &Json<'_>,
    root: Ix,
    parent: u32,
    before: u32,
    created: &mut Vec<u32>,
) -> Result<u32, DropReason> {
    let Mirror {
        tree,
        observed,
        stats,
        mut watch,
    } = mirror;
    created.clear();
    // (serialized node, tree parent, insert before) still to read, after
    // `next` (a mutation adds most nodes one by one: no stack for a leaf).
    let mut next = Some((root, parent, before));
    let mut stack: Vec<(Ix, u32, u32)> = Vec::new();
    while let Some((ix, parent, before)) = next.take().or_else(|| stack.pop()) {
        let is_root = created.is_empty();
        let Some((i, children)) = read_one(tree, observed, json, ix, parent, watch.as_deref_mut())
        else {
            if is_root {
                return Err(DropReason::Malformed);
            }
            stats.drop(DropReason::Malformed);
            continue;
        };
        if parent != NONE {
            tree.insert(parent, i, before);
        }
        created.push(i);
        let kind = tree.node(i).kind;
        if matches!(kind, Kind::Document | Kind::Element)
            && let Some(children) = children
        {
            // Read in order: each appends to the end of its list.
            let start = stack.len();
            stack.extend(json.items(children).map(|c| (c, i, NONE)));
            stack[start..].reverse();
        }
    }
    Ok(created[0])
}

/// Reads one node (not its children) into a detached tree node; returns
/// it, and its `childNodes`.
fn read_one(
    tree: &mut Tree,
    observed: &Observed,
    json: &Json<'_>,
    ix: Ix,
    parent: u32,
    watch: Option<&mut Watch>,
) -> Option<(u32, Option<Ix>)> {
    if json.kind(ix) != J::Object {
        return None;
    }
    // Every field in one pass over the node's members.
    let [
        kind,
        id,
        tag_name,
        attributes,
        children,
        text_content,
        shadow,
        svg,
    ] = json.fields(
        ix,
        [
            "type",
            "id",
            "tagName",
            "attributes",
            "childNodes",
            "textContent",
            "isShadow",
            "isSVG",
        ],
    );
    let kind = Kind::from_rrweb(json.int(kind?)?)?;
    let id = json.int(id?)?;
    if parent != NONE && !fits(tree.node(parent).kind, kind) {
        return None;
    }
    let flag = |v: Option<Ix>| v.and_then(|v| json.bool(v)).unwrap_or(false);
    let tag = if kind == Kind::Element {
        let tag = json.str(tag_name?)?;
        if !valid_tag(tag) {
            return None;
        }
        Some(tree.intern(tag))
    } else {
        None
    };
    let i = tree.create(id, kind)?;
    let node = tree.node_mut(i);
    node.json = ix;
    node.shadow = flag(shadow);
    match kind {
        Kind::Element => {
            node.svg = flag(svg);
            node.tag = tag.unwrap_or(NONE);
            if let Some(attrs) = attributes {
                let watched = watch.filter(|w| w.id == id);
                if let Some(w) = watched {
                    w.attributes.clear();
                    for (name, v) in json.members(attrs) {
                        w.set(name, Some(json.str(v).unwrap_or("")));
                    }
                }
                for (name, v) in json.members(attrs) {
                    if let Some(value) = json.str(v) {
                        tree.set_attr(observed, i, name, Some(value));
                    }
                }
            }
            let password = tree.tag(i) == "input"
                && (tree
                    .attr(i, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("password"))
                    || tree.attr(i, "data-rr-is-password").is_some()
                    || tree.was_password(id));
            if password {
                tree.mark_password(i);
            }
        }
        Kind::Text => {
            node.has_text = text_content
                .and_then(|t| json.str(t))
                .is_some_and(|t| !t.is_empty());
        }
        _ => {}
    }
    Some((i, children))
}

/// A step of the walk that writes a serialized tree.
#[derive(Clone, Copy)]
enum Task {
    Open(u32),
    Close(u32, Tail),
}

/// The buffers [`Work::write_tree`] walks with, kept from one call to the
/// next.
#[derive(Default)]
pub(crate) struct WriteScratch {
    tasks: Vec<Task>,
    firsts: Vec<bool>,
}

/// What a serialized node ends with beside its id, read with its other
/// fields when it is opened.
#[derive(Clone, Copy)]
struct Tail {
    root_id: Option<i64>,
    shadow_host: bool,
    custom: bool,
}

/// The fields every node ends with: `id`, `rootId`, `isShadowHost` (for
/// documents and elements written whole), `isShadow`.
fn write_tail(w: &mut Writer, tree: &Tree, i: u32, tail: Tail, host: bool) {
    let node = tree.node(i);
    w.raw(",\"id\":");
    w.int(node.id);
    if let Some(root) = tail.root_id {
        w.raw(",\"rootId\":");
        w.int(root);
    }
    if host && tail.shadow_host {
        w.raw(",\"isShadowHost\":true");
    }
    if node.shadow {
        w.raw(",\"isShadow\":true");
    }
    w.byte('}');
}

impl<'t, 'a, 'p> Work<'t, 'a, 'p> {
    /// Whether node `i`, whose parent is recorded, is written: text only
    /// under an element, and nothing but text under a `<script>`.
    pub(crate) fn writable(&self, i: u32) -> bool {
        let tree = self.tree;
        let node = tree.node(i);
        let p = node.parent;
        if p == NONE {
            return node.kind == Kind::Document;
        }
        let parent = tree.node(p);
        match parent.kind {
            Kind::Element if self.states[p as usize].frame.inherited.script => {
                node.kind == Kind::Text
            }
            Kind::Element => {
                !(node.kind == Kind::Document && self.states[p as usize].documents_hidden)
            }
            Kind::Document => node.kind != Kind::Text,
            _ => false,
        }
    }

    /// Decides the tree under `root` (whose parent is recorded; the
    /// cursor's current element is the element above it) and writes it.
    /// With `keep_entered`, a recorded root element stays the cursor's
    /// current element, for the nodes added under it next.
    pub(crate) fn write_tree(
        &mut self,
        json: &Json<'_>,
        root: u32,
        w: &mut Writer,
        keep_entered: bool,
    ) {
        let tree = self.tree;
        // The nodes of this serialized tree: read from it, after its root
        // (other nodes under it were added by other entries of the event,
        // or before it).
        let (born, from, to) = {
            let r = tree.node(root);
            (r.born, r.json, json.after(r.json))
        };
        let ours = move |c: u32| {
            let n = tree.node(c);
            n.born > born && (from..to).contains(&n.json)
        };
        // The buffers of the last call: a mutation writes its adds one by
        // one.
        let WriteScratch {
            mut tasks,
            mut firsts,
        } = std::mem::take(&mut self.scratch);
        tasks.clear();
        tasks.push(Task::Open(root));
        // One per open `childNodes` array: whether nothing is written in it
        // yet.
        firsts.clear();
        while let Some(task) = tasks.pop() {
            let n = match task {
                Task::Open(n) => n,
                Task::Close(n, tail) => {
                    firsts.pop();
                    w.byte(']');
                    let node = tree.node(n);
                    if node.kind == Kind::Element {
                        if node.svg {
                            w.raw(",\"isSVG\":true");
                        }
                        if tail.custom {
                            w.raw(",\"isCustom\":true");
                        }
                        if !(n == root && keep_entered) {
                            self.cursor.leave();
                        }
                    }
                    write_tail(w, tree, n, tail, true);
                    continue;
                }
            };
            if !self.writable(n) {
                continue;
            }
            if let Some(first) = firsts.last_mut()
                && !std::mem::take(first)
            {
                w.byte(',');
            }
            let node = tree.node(n);
            let ix = node.json;
            // Every field in one pass over the node's members.
            let [
                attributes,
                text_content,
                compat_mode,
                root_id,
                shadow_host,
                custom,
            ] = json.fields(
                ix,
                [
                    "attributes",
                    "textContent",
                    "compatMode",
                    "rootId",
                    "isShadowHost",
                    "isCustom",
                ],
            );
            let flag = |v: Option<Ix>| v.and_then(|v| json.bool(v)) == Some(true);
            let tail = Tail {
                root_id: root_id.and_then(|r| json.int(r)),
                shadow_host: flag(shadow_host),
                custom: flag(custom),
            };
            match node.kind {
                Kind::Document => {
                    let frame = self.parent_frame(n);
                    let state = &mut self.states[n as usize];
                    state.shown = Shown::Recorded;
                    state.frame = frame;
                    w.raw("{\"type\":0");
                    if let Some(mode) = compat_mode.and_then(|m| json.str(m))
                        && matches!(mode, "BackCompat" | "CSS1Compat")
                    {
                        w.raw(",\"compatMode\":");
                        w.str(mode);
                    }
                    w.raw(",\"childNodes\":[");
                    firsts.push(true);
                    tasks.push(Task::Close(n, tail));
                    self.push_children(n, &mut tasks, &ours);
                }
                Kind::Doctype => {
                    self.states[n as usize].shown = Shown::Recorded;
                    w.raw("{\"type\":1");
                    for key in ["name", "publicId", "systemId"] {
                        w.raw(",\"");
                        w.raw(key);
                        w.raw("\":");
                        w.str(json.get(ix, key).and_then(|v| json.str(v)).unwrap_or(""));
                    }
                    write_tail(w, tree, n, tail, false);
                }
                Kind::Element => {
                    let d = self.cursor.enter(tree, n);
                    if d.status != Status::Recorded || tree.attr(n, BLOCKED_ATTRIBUTE).is_some() {
                        let state = &mut self.states[n as usize];
                        state.shown = Shown::Placeholder;
                        state.decision = d;
                        self.placeholder(n, w);
                        write_tail(w, tree, n, tail, false);
                        self.cursor.leave();
                        continue;
                    }
                    let parent = self.parent_frame(n);
                    let frame = frame(tree, n, &d, &parent);
                    *self.state_mut(n) = State {
                        shown: Shown::Recorded,
                        decision: d,
                        frame,
                        typed: d.value,
                        documents_hidden: false,
                        records: Vec::new(),
                    };
                    self.state_mut(n).typed = self.typed(n);
                    self.state_mut(n).documents_hidden = self.documents_hidden(n);
                    w.raw("{\"type\":2,\"tagName\":");
                    w.str(tree.tag(n));
                    w.raw(",\"attributes\":");
                    if frame.inherited.script {
                        w.raw("{}");
                    } else {
                        self.attributes(n, json, attributes, w);
                    }
                    w.raw(",\"childNodes\":[");
                    firsts.push(true);
                    tasks.push(Task::Close(n, tail));
                    self.push_children(n, &mut tasks, &ours);
                }
                Kind::Text => {
                    let text = text_content.and_then(|t| json.str(t)).unwrap_or("");
                    let (written, record) = self.text(node.parent, text);
                    w.raw("{\"type\":3,\"textContent\":");
                    w.str(&written);
                    let state = self.state_mut(n);
                    state.shown = Shown::Recorded;
                    state.records = record.into_iter().collect();
                    write_tail(w, tree, n, tail, false);
                }
                Kind::Cdata | Kind::Comment => {
                    self.states[n as usize].shown = Shown::Recorded;
                    w.raw(if node.kind == Kind::Cdata {
                        "{\"type\":4,\"textContent\":\"\""
                    } else {
                        "{\"type\":5,\"textContent\":\"\""
                    });
                    write_tail(w, tree, n, tail, false);
                }
            }
        }
        self.scratch = WriteScratch { tasks, firsts };
    }

    fn push_children(&self, n: u32, tasks: &mut Vec<Task>, ours: &impl Fn(u32) -> bool) {
        let start = tasks.len();
        tasks.extend(self.tree.children(n).filter(|&c| ours(c)).map(Task::Open));
        tasks[start..].reverse();
    }

    pub(crate) fn state_mut(&mut self, i: u32) -> &mut State<'p> {
        &mut self.states[i as usize]
    }
}
