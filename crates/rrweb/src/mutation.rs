//! Mutation events: nodes removed and added, texts and attributes changed.
//!
//! A mutation is applied to the mirror first (removes, then adds, then the
//! attributes and texts that selectors and floors read), and only then
//! decided, so that every node is decided in the state the replay ends
//! up in. Then:
//!
//! 1. Nodes whose decision may have changed are decided again: the subtree
//!    of an element whose observed attributes changed, and when the
//!    policy's selectors look at siblings or at `:empty`, the children of
//!    a parent whose child list changed.
//! 2. Added nodes are decided from their ancestors and written.
//! 3. The mutation's own texts and attributes are written under the
//!    decisions now in force.
//! 4. Content still in the replay in clear whose channel became stricter is
//!    written again masked, in this mutation (texts, attributes; an element
//!    that became blocked is removed and added again as a placeholder) or
//!    in events just before it (an input's value, a canvas cleared); so is
//!    content masked with a strategy that another one, which needs no
//!    content (a fixed text or length), now replaces; and a `style` has
//!    only the declarations that became stricter written again.
//!
//! The replay applies a mutation's removes, adds, texts and attributes in
//! that order, which is the order they are written in.

use crate::json::{Ix, Json, Kind as J, Writer};
use crate::nodes::read;
use crate::render::{Record, Route, Shown, Slot, State, Work, Written, write_member};
use crate::session::{Envelope, Output, Session};
use crate::stats::DropReason;
use crate::style;
use crate::tree::{IdMap, Kind, NONE, Tree};
use scrim_content::route::Form;
use scrim_content::{BLOCKED_ATTRIBUTE, css};
use scrim_matcher::{ChannelOutcome, Strategy, mask_with};
use std::collections::{HashSet, VecDeque};

/// One list of a mutation, written as entries are added.
#[derive(Default)]
struct List {
    w: Writer,
    any: bool,
}

impl List {
    fn entry(&mut self) -> &mut Writer {
        if self.any {
            self.w.byte(',');
        }
        self.any = true;
        &mut self.w
    }

    /// A remove of node `node` of the tree from its parent.
    fn remove(&mut self, tree: &Tree, node: u32) {
        let n = tree.node(node);
        let w = self.entry();
        w.raw("{\"parentId\":");
        w.int(tree.node(n.parent).id);
        w.raw(",\"id\":");
        w.int(n.id);
        if n.shadow {
            w.raw(",\"isShadow\":true");
        }
        w.byte('}');
    }
}

/// Whether a CSS property name is one a style object may carry.
fn is_property_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 256
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl<'p> Session<'p> {
    pub(crate) fn mutation(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        env: Envelope<'_>,
        out: &mut Output,
    ) -> Result<(), DropReason> {
        let list = |key: &str| -> Result<Vec<Ix>, DropReason> {
            match json.get(data, key) {
                None => Ok(Vec::new()),
                Some(v) if json.kind(v) == J::Array => Ok(json.items(v).collect()),
                Some(_) => Err(DropReason::Malformed),
            }
        };
        let removes = list("removes")?;
        let adds = list("adds")?;
        let texts = list("texts")?;
        let attributes = list("attributes")?;
        let attach = json.get(data, "isAttachIframe").and_then(|v| json.bool(v)) == Some(true);
        let siblings = self.observed().siblings;
        let empty = self.observed().empty;
        let mut dirty: Vec<u32> = Vec::new();
        // A change in the child list of `p`.
        let structure = |tree: &Tree, dirty: &mut Vec<u32>, p: u32| {
            if siblings || empty {
                dirty.push(p);
            }
            if siblings
                && empty
                && let Some(pp) = tree.element_parent(p)
            {
                dirty.push(pp);
            }
        };
        self.states.resize(self.tree.len(), State::hidden());
        let mut removes_out = List::default();

        // Removes.
        for &r in &removes {
            let Some(id) = json.get(r, "id").and_then(|v| json.int(v)) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let Some(i) = self.tree.get(id) else {
                self.stats.drop(DropReason::UnknownNode);
                continue;
            };
            let parent = self.tree.node(i).parent;
            if parent == NONE {
                self.stats.drop(DropReason::Malformed);
                continue;
            }
            if self.states[i as usize].shown == Shown::Hidden {
                self.stats.drop(DropReason::Blocked);
            } else {
                removes_out.remove(&self.tree, i);
            }
            structure(&self.tree, &mut dirty, parent);
            let states = &mut self.states;
            self.tree
                .remove(i, |n| states[n as usize] = State::hidden());
        }

        // Adds: placed in order; an add whose parent or next sibling comes
        // later in the list waits for it.
        let mut placed: Vec<u32> = Vec::new();
        let mut ready: VecDeque<usize> = (0..adds.len()).collect();
        let mut waiting: IdMap<Vec<usize>> = IdMap::default();
        // The nodes each add reads, one add after the other.
        let mut created: Vec<u32> = Vec::new();
        while let Some(k) = ready.pop_front() {
            let a = adds[k];
            let [parent_id, next_id, prev_id, node] =
                json.fields(a, ["parentId", "nextId", "previousId", "node"]);
            let sibling = |v: Option<Ix>| match v {
                None => Ok(None),
                Some(v) if json.kind(v) == J::Null => Ok(None),
                Some(v) => json.int(v).map(Some).ok_or(DropReason::Malformed),
            };
            let node = node.filter(|&n| json.kind(n) == J::Object);
            let (Some(parent_id), Some(node)) = (parent_id.and_then(|v| json.int(v)), node) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let (Ok(next_id), Ok(prev_id)) = (sibling(next_id), sibling(prev_id)) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let [node_id, node_type] = json.fields(node, ["id", "type"]);
            let Some(node_id) = node_id.and_then(|v| json.int(v)) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let Some(parent) = self.tree.get(parent_id) else {
                waiting.entry(parent_id).or_default().push(k);
                continue;
            };
            let before = match next_id {
                // Legacy recordings: a sibling that was never serialized.
                Some(-1) => {
                    self.stats.drop(DropReason::Unplaceable);
                    continue;
                }
                Some(next) => match self.tree.get(next) {
                    Some(n) => n,
                    None => {
                        waiting.entry(next).or_default().push(k);
                        continue;
                    }
                },
                None => match prev_id.and_then(|p| self.tree.get(p)) {
                    Some(p) if self.tree.node(p).parent == parent => self.tree.node(p).next,
                    _ => NONE,
                },
            };
            if self.tree.get(node_id).is_some() {
                // An id in use (rrweb removes a moved node first).
                self.stats.drop(DropReason::Malformed);
                continue;
            }
            let is_document = node_type.and_then(|t| json.int(t)) == Some(0);
            if is_document && self.tree.node(parent).kind == Kind::Element {
                // An iframe's new document replaces the old one.
                let old: Vec<u32> = self
                    .tree
                    .children(parent)
                    .filter(|&c| self.tree.node(c).kind == Kind::Document)
                    .collect();
                for c in old {
                    let states = &mut self.states;
                    self.tree
                        .remove(c, |n| states[n as usize] = State::hidden());
                }
            }
            match read(self.mirror(), json, node, parent, before, &mut created) {
                Ok(root) => {
                    placed.push(root);
                    structure(&self.tree, &mut dirty, parent);
                    if !waiting.is_empty() {
                        let mut released: Vec<usize> = created
                            .iter()
                            .filter_map(|&c| waiting.remove(&self.tree.node(c).id))
                            .flatten()
                            .collect();
                        released.sort_unstable();
                        for k in released.into_iter().rev() {
                            ready.push_front(k);
                        }
                    }
                }
                Err(reason) => self.stats.drop(reason),
            }
        }
        for _ in waiting.values().flatten() {
            self.stats.drop(DropReason::Unplaceable);
        }
        self.states.resize(self.tree.len(), State::hidden());

        // Attributes: what selectors and floors see.
        let mut attribute_entries: Vec<(Ix, u32, Ix)> = Vec::new();
        for &a in &attributes {
            let Some(id) = json.get(a, "id").and_then(|v| json.int(v)) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let Some(i) = self.tree.get(id) else {
                self.stats.drop(DropReason::UnknownNode);
                continue;
            };
            let attrs = json
                .get(a, "attributes")
                .filter(|&v| json.kind(v) == J::Object);
            let (Some(attrs), Kind::Element) = (attrs, self.tree.node(i).kind) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let mut changed = false;
            for (name, v) in json.members(attrs) {
                let value = match json.kind(v) {
                    J::Str => Some(json.str(v)),
                    J::Null => Some(None),
                    _ => None,
                };
                if let Some(w) = self.watch_mut().filter(|w| w.id == id) {
                    w.set(name, value.unwrap_or(Some("")));
                }
                let Some(value) = value else {
                    continue;
                };
                if self.tree.tag(i) == "input" {
                    let password = |t: Option<&str>| {
                        t.is_some_and(|t| t.trim().eq_ignore_ascii_case("password"))
                    };
                    let turns = (name == "type"
                        && (password(self.tree.attr(i, "type")) || password(value)))
                        || (name == "data-rr-is-password" && value.is_some());
                    if turns && !self.tree.node(i).ever_password {
                        self.tree.mark_password(i);
                        changed = true;
                    }
                }
                let mirror = self.mirror();
                changed |= mirror.tree.set_attr(mirror.observed, i, name, value);
            }
            if changed {
                dirty.push(i);
                if siblings && let Some(p) = self.tree.element_parent(i) {
                    dirty.push(p);
                }
            }
            attribute_entries.push((a, i, attrs));
        }

        // Texts: whether a text node is empty is all the mirror keeps.
        let mut text_entries: Vec<(u32, Ix)> = Vec::new();
        for &t in &texts {
            let Some(id) = json.get(t, "id").and_then(|v| json.int(v)) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            let Some(i) = self.tree.get(id) else {
                self.stats.drop(DropReason::UnknownNode);
                continue;
            };
            let value = json.get(t, "value");
            let kind = self.tree.node(i).kind;
            let ok = matches!(kind, Kind::Text | Kind::Cdata | Kind::Comment)
                && value.is_some_and(|v| matches!(json.kind(v), J::Str | J::Null));
            let Some(value) = value.filter(|_| ok) else {
                self.stats.drop(DropReason::Malformed);
                continue;
            };
            if kind == Kind::Text {
                let has = json.str(value).is_some_and(|s| !s.is_empty());
                if has != self.tree.node(i).has_text {
                    self.tree.node_mut(i).has_text = has;
                    if empty {
                        let p = self.tree.node(i).parent;
                        structure(&self.tree, &mut dirty, p);
                    }
                }
            }
            text_entries.push((i, value));
        }

        // The subtrees to decide again: outermost only.
        let fresh_from = placed
            .iter()
            .map(|&r| self.tree.node(r).born)
            .min()
            .unwrap_or(u64::MAX);
        let dirty = outermost(&self.tree, dirty, fresh_from);

        let mut adds_out = List::default();
        let mut texts_out = List::default();
        let mut attributes_out = List::default();
        let mut extras: Vec<String> = Vec::new();
        let mut work = self.work();
        let tree = work.tree;

        // 1. Decide again.
        let mut blocked_now: Vec<u32> = Vec::new();
        let mut documents_now: Vec<u32> = Vec::new();
        let mut candidates: Vec<u32> = Vec::new();
        let mut restrategized: Vec<u32> = Vec::new();
        for root in dirty {
            work.redecide(
                root,
                fresh_from,
                &mut blocked_now,
                &mut documents_now,
                &mut candidates,
                &mut restrategized,
            );
        }

        // 2. Added nodes. Elements that became blocked are removed and
        // added again as placeholders after them: no add names one as its
        // next sibling before it is back.
        let mut pending: HashSet<u32> = blocked_now.iter().copied().collect();
        for root in placed {
            let parent = tree.node(root).parent;
            if !work.state(parent).recorded() || !work.writable(root) {
                work.stats.drop(DropReason::Blocked);
                continue;
            }
            let next = work.next_shown(root, true, &pending);
            work.cursor.goto(tree, tree.element_parent(root));
            let w = adds_out.entry();
            w.raw("{\"parentId\":");
            w.int(tree.node(parent).id);
            w.raw(",\"nextId\":");
            match next {
                Some(n) => w.int(tree.node(n).id),
                None => w.raw("null"),
            }
            w.raw(",\"node\":");
            work.write_tree(json, root, w, true);
            w.byte('}');
        }

        // 3. The mutation's own texts and attributes.
        let mut texts_written: HashSet<u32> = HashSet::new();
        for (i, value) in text_entries {
            let node = tree.node(i);
            if !work.state(i).recorded() {
                work.stats.drop(DropReason::Blocked);
                continue;
            }
            let parent = node.parent;
            if node.kind != Kind::Text
                || tree.node(parent).kind != Kind::Element
                || work.state(parent).frame.inherited.script
            {
                // Comments and script text are never recorded.
                continue;
            }
            texts_written.insert(i);
            let w = texts_out.entry();
            w.raw("{\"id\":");
            w.int(node.id);
            w.raw(",\"value\":");
            match json.str(value) {
                Some(text) => {
                    let (written, record) = work.text(parent, text);
                    w.str(&written);
                    work.state_mut(i).set_record(&Slot::Text, record);
                }
                None => {
                    w.raw("null");
                    work.state_mut(i).set_record(&Slot::Text, None);
                }
            }
            w.byte('}');
        }
        for (_, i, attrs) in attribute_entries {
            match work.state(i).shown {
                Shown::Recorded => {}
                _ => {
                    work.stats.drop(DropReason::Blocked);
                    continue;
                }
            }
            work.cursor.goto(tree, Some(i));
            let mut body = Writer::default();
            let mut first = true;
            for (name, v) in json.unique_members(attrs) {
                let route = work.route(i, name, json.str(v).unwrap_or(""));
                let (mut written, record) = if json.kind(v) == J::Object && name == "style" {
                    work.style_object(i, route, json, v)
                } else {
                    work.attribute(i, route, name, json, v)
                };
                let canvas = name == "rr_dataURL" && tree.tag(i) == "canvas";
                if matches!(written, Written::Drop)
                    && record.is_none()
                    && json.kind(v) == J::Str
                    && !canvas
                    && !matches!(work.route(i, name, ""), Route::Never)
                {
                    // A value that is never recorded (a script URL, a size
                    // that is no length) of an attribute that is: removed,
                    // as a snapshot leaves it out, not left as it was.
                    written = Written::Null;
                }
                if !matches!(written, Written::Drop) || record.is_some() {
                    let slot = if canvas {
                        Slot::Canvas
                    } else {
                        Slot::Attr(name.into())
                    };
                    work.state_mut(i).set_record(&slot, record);
                }
                write_member(&mut body, &mut first, name, &written);
            }
            if first {
                continue;
            }
            let w = attributes_out.entry();
            w.raw("{\"id\":");
            w.int(tree.node(i).id);
            w.raw(",\"attributes\":{");
            w.raw(&body.out);
            w.raw("}}");
        }

        // 4. Content in clear whose channel became stricter.
        for child in documents_now {
            // A frame document whose `srcdoc` became masked: emptied.
            removes_out.remove(tree, child);
        }
        for n in blocked_now {
            let node = tree.node(n);
            let parent = tree.node(node.parent).id;
            removes_out.remove(tree, n);
            pending.remove(&n);
            let next = work.next_shown(n, false, &pending);
            let w = adds_out.entry();
            w.raw("{\"parentId\":");
            w.int(parent);
            w.raw(",\"nextId\":");
            match next {
                Some(s) => w.int(tree.node(s).id),
                None => w.raw("null"),
            }
            w.raw(",\"node\":");
            work.placeholder(n, w);
            w.raw(",\"id\":");
            w.int(node.id);
            if node.shadow {
                w.raw(",\"isShadow\":true");
            }
            w.raw("}}");
        }
        for n in restrategized {
            work.restrategize_texts(n, fresh_from, &texts_written, &mut texts_out);
        }
        for n in candidates {
            work.rewrite_records(n, env, &mut texts_out, &mut attributes_out, &mut extras);
        }
        drop(work);

        out.events.extend(extras);
        if !(removes_out.any || adds_out.any || texts_out.any || attributes_out.any) {
            return Ok(());
        }
        let mut w = Writer::with_capacity(
            removes_out.w.out.len()
                + adds_out.w.out.len()
                + texts_out.w.out.len()
                + attributes_out.w.out.len()
                + 128,
        );
        env.open(&mut w, 3);
        w.raw("{\"source\":0,\"texts\":[");
        w.raw(&texts_out.w.out);
        w.raw("],\"attributes\":[");
        w.raw(&attributes_out.w.out);
        w.raw("],\"removes\":[");
        w.raw(&removes_out.w.out);
        w.raw("],\"adds\":[");
        w.raw(&adds_out.w.out);
        w.byte(']');
        if attach {
            w.raw(",\"isAttachIframe\":true");
        }
        w.byte('}');
        env.close(&mut w);
        out.events.push(w.out);
        Ok(())
    }
}

/// The nodes of `dirty` that are alive, were not placed by this event
/// (born before `fresh_from`: those are decided when written) and have no
/// ancestor in it. Linear: whether a node has a dirty node at or above it
/// is worked out once per node.
fn outermost(tree: &Tree, mut dirty: Vec<u32>, fresh_from: u64) -> Vec<u32> {
    dirty.retain(|&d| tree.node(d).alive && tree.node(d).born < fresh_from);
    dirty.sort_unstable();
    dirty.dedup();
    if dirty.len() <= 1 {
        return dirty;
    }
    let set: HashSet<u32> = dirty.iter().copied().collect();
    // Whether a dirty node is at or above each node looked at.
    let mut covered: std::collections::HashMap<u32, bool> = std::collections::HashMap::new();
    let mut path = Vec::new();
    dirty
        .into_iter()
        .filter(|&d| {
            path.clear();
            let mut p = tree.node(d).parent;
            let found = loop {
                if p == NONE {
                    break false;
                }
                if let Some(&known) = covered.get(&p) {
                    break known;
                }
                if set.contains(&p) {
                    break true;
                }
                path.push(p);
                p = tree.node(p).parent;
            };
            for &n in &path {
                covered.insert(n, found);
            }
            !found
        })
        .collect()
}

impl<'t, 'a, 'p> Work<'t, 'a, 'p> {
    /// The next sibling of `n` in its list that the replay has: written
    /// before `n` was (`placed_before`: only nodes placed before `n`, as
    /// the replay sees them when it inserts `n`), and not one that this
    /// mutation removes and adds again after `n` (`pending`).
    pub(crate) fn next_shown(
        &self,
        n: u32,
        placed_before: bool,
        pending: &HashSet<u32>,
    ) -> Option<u32> {
        let tree = self.tree;
        let node = tree.node(n);
        let mut s = node.next;
        while s != NONE {
            let sib = tree.node(s);
            if sib.shadow != node.shadow {
                return None;
            }
            if (!placed_before || sib.born < node.born)
                && self.state(s).shown != Shown::Hidden
                && !pending.contains(&s)
            {
                return Some(s);
            }
            s = sib.next;
        }
        None
    }

    /// Decides the nodes under `root` again (nodes placed by this event,
    /// born from `fresh_from` on, are decided when they are written).
    /// Elements that became blocked go to `blocked_now`, the children of
    /// frame documents no longer recorded (an `<iframe srcdoc>` whose
    /// `srcdoc` became masked) to `documents_now`, nodes with content in
    /// clear to `candidates`, in document order.
    fn redecide(
        &mut self,
        root: u32,
        fresh_from: u64,
        blocked_now: &mut Vec<u32>,
        documents_now: &mut Vec<u32>,
        candidates: &mut Vec<u32>,
        restrategized: &mut Vec<u32>,
    ) {
        #[derive(Clone, Copy)]
        enum Task {
            Open(u32),
            Close,
        }
        let tree = self.tree;
        if tree.node(root).born >= fresh_from || !self.state(root).recorded() {
            return;
        }
        self.cursor.goto(tree, tree.element_parent(root));
        let mut tasks = vec![Task::Open(root)];
        while let Some(task) = tasks.pop() {
            let n = match task {
                Task::Open(n) => n,
                Task::Close => {
                    self.cursor.leave();
                    continue;
                }
            };
            let node = tree.node(n);
            if node.born >= fresh_from || !self.state(n).recorded() {
                continue;
            }
            match node.kind {
                Kind::Element => {
                    let d = self.cursor.enter(tree, n);
                    if d.status != scrim_matcher::Status::Recorded
                        || tree.attr(n, BLOCKED_ATTRIBUTE).is_some()
                    {
                        self.cursor.leave();
                        self.hide_below(n);
                        let state = self.state_mut(n);
                        state.shown = Shown::Placeholder;
                        state.decision = d;
                        state.records.clear();
                        blocked_now.push(n);
                        continue;
                    }
                    let parent = self.parent_frame(n);
                    let frame = crate::render::frame(tree, n, &d, &parent);
                    let text_before = self.text_masking(n);
                    let state = self.state_mut(n);
                    state.decision = d;
                    state.frame = frame;
                    if let (Some(old), Some(ChannelOutcome::Mask(new))) =
                        (text_before, self.text_masking(n))
                    {
                        let again = match old {
                            ChannelOutcome::Mask(old) => rewrites(old, new),
                            // What was in clear and has a record is written
                            // again from it; blank text has none.
                            _ => *new != Strategy::Stars,
                        };
                        if again {
                            restrategized.push(n);
                        }
                    }
                    let typed = self.typed(n);
                    let documents_hidden = self.documents_hidden(n);
                    let state = self.state_mut(n);
                    state.typed = typed;
                    state.documents_hidden = documents_hidden;
                    if !state.records.is_empty() {
                        candidates.push(n);
                    }
                    if documents_hidden {
                        self.hide_documents(n, documents_now);
                    }
                    tasks.push(Task::Close);
                    let start = tasks.len();
                    tasks.extend(tree.children(n).map(Task::Open));
                    tasks[start..].reverse();
                }
                Kind::Document => {
                    let frame = self.parent_frame(n);
                    self.state_mut(n).frame = frame;
                    let start = tasks.len();
                    tasks.extend(tree.children(n).map(Task::Open));
                    tasks[start..].reverse();
                }
                _ => {
                    if !self.state(n).records.is_empty() {
                        candidates.push(n);
                    }
                }
            }
        }
    }

    /// How the text children of element `n` are written now, when a
    /// strategy writes them (not a style sheet's, not a script's).
    fn text_masking(&self, n: u32) -> Option<ChannelOutcome<'p>> {
        if !self.state(n).recorded() {
            return None;
        }
        let route = self.text_route(n);
        (!route.dropped() && !route.is_css()).then_some(route.outcome)
    }

    /// Writes again the text children of element `n`, now masked with a
    /// strategy that needs no content, that the replay shows masked with
    /// another (or blank): not those written by this mutation or placed by
    /// it, nor those written in clear (their records write them again),
    /// nor empty ones (an empty text is written empty).
    fn restrategize_texts(
        &mut self,
        n: u32,
        fresh_from: u64,
        texts_written: &HashSet<u32>,
        texts: &mut List,
    ) {
        let Some(ChannelOutcome::Mask(strategy)) = self.text_masking(n) else {
            return;
        };
        let tree = self.tree;
        for c in tree.children(n) {
            let child = tree.node(c);
            if child.kind != Kind::Text
                || !child.has_text
                || child.born >= fresh_from
                || !self.state(c).recorded()
                || !self.state(c).records.is_empty()
                || texts_written.contains(&c)
            {
                continue;
            }
            self.stats.masked += 1;
            let w = texts.entry();
            w.raw("{\"id\":");
            w.int(child.id);
            w.raw(",\"value\":");
            w.str(&mask_with(strategy, ""));
            w.byte('}');
        }
    }

    /// The documents of frame `n` that the replay has leave it: their
    /// children go to `documents_now`, to be removed, and everything in
    /// them is hidden.
    fn hide_documents(&mut self, n: u32, documents_now: &mut Vec<u32>) {
        let tree = self.tree;
        for d in tree.children(n) {
            if tree.node(d).kind != Kind::Document || self.state(d).shown == Shown::Hidden {
                continue;
            }
            for c in tree.children(d) {
                if self.state(c).shown != Shown::Hidden {
                    documents_now.push(c);
                }
            }
            self.hide_below(d);
            *self.state_mut(d) = State::hidden();
        }
    }

    /// Everything under `n` leaves the replay with it.
    fn hide_below(&mut self, n: u32) {
        let mut stack: Vec<u32> = self.tree.children(n).collect();
        while let Some(c) = stack.pop() {
            stack.extend(self.tree.children(c));
            *self.state_mut(c) = State::hidden();
        }
    }

    /// Writes again, masked, the content of node `n` whose channel no
    /// longer allows it in clear; keeps the records that still hold.
    fn rewrite_records(
        &mut self,
        n: u32,
        env: Envelope<'_>,
        texts: &mut List,
        attributes: &mut List,
        extras: &mut Vec<String>,
    ) {
        if !self.state(n).recorded() {
            return;
        }
        let tree = self.tree;
        let node = tree.node(n);
        let records = std::mem::take(&mut self.state_mut(n).records);
        let mut kept = Vec::new();
        let rewritten = records.len();
        for record in records {
            match &record.slot {
                Slot::Text => {
                    let p = node.parent;
                    if !record.clear.lost_by(self.text_clear(p)) {
                        kept.push(record);
                        continue;
                    }
                    let masked = record.masked.as_deref().unwrap_or("");
                    let route = self.text_route(p);
                    let value = if route.is_css() {
                        // The strategy in force for its strings.
                        css::rewrite(masked, route.outcome, route.urls, self.page)
                    } else {
                        again(self.text_outcome(p), masked)
                    };
                    let w = texts.entry();
                    w.raw("{\"id\":");
                    w.int(node.id);
                    w.raw(",\"value\":");
                    w.str(&value);
                    w.byte('}');
                }
                Slot::Attr(name) => {
                    self.cursor.goto(tree, Some(n));
                    // The value is gone: only its masked form is kept,
                    // which routes as the value did (it was written in
                    // clear, so it was not structure or a script URL).
                    let route = self.route(n, name, record.masked.as_deref().unwrap_or(""));
                    if let Some(old) = &record.masked_with {
                        // Written masked: again when a strategy that needs
                        // no content, and writes something else, applies.
                        match route.strategy() {
                            Some(new) if rewrites(old, new) => {
                                let written = mask_with(new, "");
                                let value = if matches!(
                                    route,
                                    Route::Content {
                                        form: Form::InputType,
                                        ..
                                    }
                                ) && crate::render::reads_hidden(&written)
                                {
                                    Written::Null
                                } else {
                                    Written::Str(written.into())
                                };
                                let w = attributes.entry();
                                w.raw("{\"id\":");
                                w.int(node.id);
                                w.raw(",\"attributes\":{");
                                write_member(w, &mut true, name, &value);
                                w.raw("}}");
                                self.stats.masked += 1;
                                kept.push(Record {
                                    masked_with: Some(new.clone()),
                                    ..record
                                });
                            }
                            _ => kept.push(record),
                        }
                        continue;
                    }
                    if let Route::Style {
                        attr: ChannelOutcome::Capture,
                        strings,
                        urls,
                    } = route
                    {
                        // Only the declarations whose strings or URLs
                        // became stricter, or whose masked strings another
                        // strategy now writes, as a style object: the
                        // replay keeps the others.
                        let again = |d: &style::Declaration| {
                            d.clear.lost_by(route.clear())
                                || match (&d.strings_with, strings) {
                                    (Some(old), ChannelOutcome::Mask(new)) => rewrites(old, new),
                                    _ => false,
                                }
                        };
                        let (lost, mut still): (Vec<_>, Vec<_>) =
                            record.declarations.iter().cloned().partition(again);
                        if !lost.is_empty() {
                            self.stats.masked += 1;
                            let w = attributes.entry();
                            w.raw("{\"id\":");
                            w.int(node.id);
                            w.raw(",\"attributes\":{\"style\":");
                            w.raw(&style::masked_object(&lost, strings, urls, self.page));
                            w.raw("}}");
                        }
                        // Now masked whole: remembered with the strategy
                        // their strings are written with.
                        if self.strategies {
                            let now = match strings {
                                ChannelOutcome::Mask(strategy) => strategy.clone(),
                                _ => Strategy::Stars,
                            };
                            still.extend(lost.into_iter().filter(|d| d.has_strings()).map(|d| {
                                style::Declaration {
                                    clear: Default::default(),
                                    strings_with: Some(now.clone()),
                                    ..d
                                }
                            }));
                        }
                        kept.push(Record {
                            clear: style::clear_of(&still),
                            declarations: still,
                            ..record
                        });
                        continue;
                    }
                    let whole_style = matches!(route, Route::Style { .. });
                    if !whole_style && !record.clear.lost_by(route.clear()) {
                        kept.push(record);
                        continue;
                    }
                    let masked = record.masked.as_deref();
                    let value = match (route, masked) {
                        (
                            Route::Content {
                                form: Form::Text | Form::Markup | Form::Refresh | Form::Srcdoc,
                                outcome: o @ ChannelOutcome::Mask(_),
                            }
                            | Route::Style {
                                attr: o @ ChannelOutcome::Mask(_),
                                ..
                            },
                            Some(m),
                        ) => Written::Str(again(o, m).into()),
                        (
                            Route::Content {
                                form: Form::InputType,
                                outcome: o @ ChannelOutcome::Mask(_),
                            },
                            Some(m),
                        ) => {
                            let written = again(o, m);
                            if crate::render::reads_hidden(&written) {
                                Written::Null
                            } else {
                                Written::Str(written.into())
                            }
                        }
                        // The strategy in force for its strings.
                        (Route::Css { strings, urls }, Some(m)) => {
                            Written::Str(css::rewrite(m, strings, urls, self.page).into())
                        }
                        (
                            Route::Content {
                                form: Form::Url(_), ..
                            },
                            Some(m),
                        ) => Written::Str(m.to_string().into()),
                        _ => Written::Null,
                    };
                    let w = attributes.entry();
                    w.raw("{\"id\":");
                    w.int(node.id);
                    w.raw(",\"attributes\":{");
                    write_member(w, &mut true, name, &value);
                    w.raw("}}");
                    // Now masked: remembered as such, as when written.
                    if let Some(strategy) = route.strategy().filter(|_| self.strategies) {
                        self.stats.masked += 1;
                        kept.push(Record {
                            masked_with: Some(strategy.clone()),
                            ..Record::new(record.slot.clone(), None, Default::default())
                        });
                    }
                }
                Slot::Input { .. } => {
                    let value = self.state(n).typed;
                    if value.is_capture() {
                        kept.push(record);
                        continue;
                    }
                    if let (ChannelOutcome::Mask(now), Some(shown)) = (value, &record.masked_with)
                        && now == shown
                    {
                        // The replay already shows it so.
                        continue;
                    }
                    let text = again(value, record.masked.as_deref().unwrap_or(""));
                    let mut w = Writer::default();
                    env.open(&mut w, 3);
                    w.raw("{\"source\":5,\"id\":");
                    w.int(node.id);
                    w.raw(",\"text\":");
                    w.str(&text);
                    w.raw(",\"isChecked\":false}");
                    env.close(&mut w);
                    extras.push(w.out);
                }
                Slot::Canvas => {
                    if self.state(n).decision.media.is_capture() {
                        kept.push(record);
                        continue;
                    }
                    let w = attributes.entry();
                    w.raw("{\"id\":");
                    w.int(node.id);
                    w.raw(",\"attributes\":{\"rr_dataURL\":null}}");
                    extras.push(canvas_clear(node.id, env));
                }
            }
        }
        self.stats.masked += (rewritten - kept.len()) as u64;
        self.state_mut(n).records = kept;
    }

    /// A `style` attribute written as an object of properties (rrweb's
    /// compact style mutation) on element `e`: every value is rewritten as
    /// a declaration of the element's `style`. Its record is the style's
    /// record with these properties changed: the replay keeps the others.
    pub(crate) fn style_object(
        &mut self,
        e: u32,
        route: Route<'p>,
        json: &Json<'_>,
        v: Ix,
    ) -> (Written<'static>, Option<Record>) {
        let Route::Style {
            attr: ChannelOutcome::Capture,
            strings,
            urls,
        } = route
        else {
            // Masked: a property list cannot be masked as the attribute's
            // text would be, and what it held is not recorded.
            if matches!(
                route,
                Route::Style {
                    attr: ChannelOutcome::Mask(_),
                    ..
                }
            ) {
                self.stats.masked += 1;
            }
            return (Written::Drop, None);
        };
        let slot = Slot::Attr("style".into());
        let before = self.state(e).records.iter().find(|r| r.slot == slot);
        let masked = before.and_then(|r| r.masked.clone());
        let mut declarations = before.map_or_else(Vec::new, |r| r.declarations.clone());
        let mut w = Writer::default();
        w.byte('{');
        let mut first = true;
        let mut clear_text = String::new();
        for (property, value) in json.unique_members(v) {
            if !is_property_name(property) {
                continue;
            }
            let (text, priority) = match json.kind(value) {
                J::False => {
                    if !std::mem::take(&mut first) {
                        w.byte(',');
                    }
                    w.str(property);
                    w.raw(":false");
                    declarations.retain(|d| !d.property.eq_ignore_ascii_case(property));
                    continue;
                }
                J::Str => (json.str(value).unwrap_or(""), None),
                J::Array => {
                    let items: Vec<Ix> = json.items(value).collect();
                    let (Some(text), priority) = (
                        items.first().and_then(|&i| json.str(i)),
                        items.get(1).and_then(|&i| json.str(i)),
                    ) else {
                        continue;
                    };
                    (text, priority.filter(|p| *p == "important"))
                }
                _ => continue,
            };
            let declaration = match priority {
                Some(_) => format!("{property}:{text}!important"),
                None => format!("{property}:{text}"),
            };
            let rewritten = css::rewrite_declarations(&declaration, strings, urls, self.page);
            let value = rewritten
                .strip_prefix(property)
                .and_then(|r| r.strip_prefix(':'))
                .map(|r| r.strip_suffix("!important").unwrap_or(r));
            if !std::mem::take(&mut first) {
                w.byte(',');
            }
            w.str(property);
            w.byte(':');
            declarations.retain(|d| !d.property.eq_ignore_ascii_case(property));
            match value {
                Some(value) => {
                    if priority.is_some() {
                        w.byte('[');
                        w.str(value);
                        w.raw(",\"important\"]");
                    } else {
                        w.str(value);
                    }
                    clear_text.push_str(value);
                    declarations.extend(style::declaration(
                        property,
                        value,
                        priority.is_some(),
                        strings,
                        urls,
                        self.page,
                        self.strategies,
                    ));
                }
                // Dropped by the rewrite (a script URL, a value that is
                // not CSS): the property is removed.
                None => w.raw("false"),
            }
            clear_text.push(';');
        }
        w.byte('}');
        let masked = masked.unwrap_or_else(|| scrim_matcher::stars(&clear_text).into());
        let record = Record {
            clear: style::clear_of(&declarations),
            declarations,
            ..Record::new(slot, Some(masked), crate::render::Clear::default())
        };
        (Written::Json(w.out), Some(record))
    }
}

/// Whether content masked with `old` is written again now that `new`
/// applies: `new` needs no content (a fixed text, a fixed length) and
/// writes something else. Stars cannot be written without the content, and
/// show no less than what was written (the length): that stays, as for a
/// channel that became less strict.
fn rewrites(old: &Strategy, new: &Strategy) -> bool {
    *new != Strategy::Stars && old != new
}

/// Masked content written again under `outcome`, from its stars.
fn again(outcome: ChannelOutcome<'_>, stars: &str) -> String {
    match outcome {
        ChannelOutcome::Mask(strategy) => mask_with(strategy, stars),
        _ => mask_with(&Strategy::Stars, stars),
    }
}

/// A canvas mutation that wipes a 2D canvas: what replaces an image
/// recorded in clear when the canvas's `media` becomes masked.
pub(crate) fn canvas_clear(id: i64, env: Envelope<'_>) -> String {
    let mut w = Writer::default();
    env.open(&mut w, 3);
    w.raw("{\"source\":9,\"id\":");
    w.int(id);
    w.raw(
        ",\"type\":0,\"commands\":[{\"property\":\"save\",\"args\":[]},\
         {\"property\":\"setTransform\",\"args\":[1,0,0,1,0,0]},\
         {\"property\":\"clearRect\",\"args\":[0,0,100000,100000]},\
         {\"property\":\"restore\",\"args\":[]}]}",
    );
    env.close(&mut w);
    w.out
}
