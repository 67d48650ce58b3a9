//! A small DOM that writes the rrweb 2.x events a recorder would write for
//! it: full snapshots, mutations (one add per node, parents first, as
//! rrweb flattens an added subtree), input and pointer events. Tests build
//! recordings with it instead of writing event JSON by hand; nothing here
//! recurses, so it builds and writes trees of any depth.

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
}

impl Drop for Spec {
    /// Without recursion: specs nest as deep as the pages tests build.
    fn drop(&mut self) {
        let mut stack = Vec::new();
        if let Spec::Element { children, .. } = self {
            stack.append(children);
        }
        while let Some(mut s) = stack.pop() {
            if let Spec::Element { children, .. } = &mut s {
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
    pub children: Vec<usize>,
    pub shadow: bool,
    pub alive: bool,
}

/// The recorded page.
#[derive(Debug)]
pub struct Recorder {
    pub nodes: Vec<Node>,
    next_id: i64,
    pub time: i64,
    /// Every event written so far.
    pub events: Vec<String>,
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
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
        };
        let doc = r.create(Data::Document, None, false);
        r.create(Data::Doctype, Some(doc), false);
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
            alive: true,
        });
        self.next_id += 1;
        if let Some(p) = parent {
            self.nodes[p].children.push(i);
        }
        i
    }

    /// Builds `spec` under `parent` (appended); returns the new node.
    pub fn build(&mut self, parent: usize, spec: &Spec) -> usize {
        self.build_at(parent, None, spec).0
    }

    /// Builds `spec` under `parent` before child `before`; returns the new
    /// node and every node created, parents first.
    fn build_at(
        &mut self,
        parent: usize,
        before: Option<usize>,
        spec: &Spec,
    ) -> (usize, Vec<usize>) {
        let mut created = Vec::new();
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
            };
            let i = self.create(data, None, shadow);
            self.nodes[i].parent = Some(p);
            let siblings = &mut self.nodes[p].children;
            match before.and_then(|b| siblings.iter().position(|&c| c == b)) {
                Some(at) => siblings.insert(at, i),
                None => siblings.push(i),
            }
            created.push(i);
            for c in children.iter().rev() {
                stack.push((i, c, None));
            }
        }
        // Popped in document order: parents first, siblings in order.
        (created[0], created)
    }

    pub fn id(&self, i: usize) -> i64 {
        self.nodes[i].id
    }

    fn tick(&mut self) -> i64 {
        self.time += 10;
        self.time
    }

    fn push(&mut self, event: String) -> String {
        self.events.push(event.clone());
        event
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
                            for &c in n.children.iter().rev() {
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
                    self.tail(&mut out, i);
                }
            }
        }
        out
    }

    fn tail(&self, out: &mut String, i: usize) {
        let n = &self.nodes[i];
        let _ = write!(out, ",\"id\":{}", n.id);
        if n.shadow {
            out.push_str(",\"isShadow\":true");
        }
        out.push('}');
    }

    /// A Meta event.
    pub fn meta(&mut self, href: &str) -> String {
        let t = self.tick();
        self.push(format!(
            "{{\"type\":4,\"data\":{{\"href\":{},\"width\":1280,\"height\":720}},\"timestamp\":{t}}}",
            json_str(href)
        ))
    }

    /// A full snapshot of the page as it is.
    pub fn full_snapshot(&mut self) -> String {
        let t = self.tick();
        let node = self.node_json(Self::DOCUMENT, true);
        self.push(format!(
            "{{\"type\":2,\"data\":{{\"node\":{node},\"initialOffset\":{{\"top\":0,\"left\":0}}}},\"timestamp\":{t}}}"
        ))
    }

    /// Meta and full snapshot, as rrweb writes them on every page.
    pub fn start(&mut self, href: &str) -> Vec<String> {
        vec![self.meta(href), self.full_snapshot()]
    }

    fn mutation(&mut self, texts: &str, attributes: &str, removes: &str, adds: &str) -> String {
        let t = self.tick();
        self.push(format!(
            "{{\"type\":3,\"data\":{{\"source\":0,\"texts\":[{texts}],\"attributes\":[{attributes}],\"removes\":[{removes}],\"adds\":[{adds}]}},\"timestamp\":{t}}}"
        ))
    }

    /// The next sibling id rrweb writes for node `i`.
    fn next_id(&self, i: usize) -> String {
        let Some(p) = self.nodes[i].parent else {
            return "null".into();
        };
        let siblings = &self.nodes[p].children;
        let at = siblings.iter().position(|&c| c == i).unwrap();
        siblings[at + 1..]
            .iter()
            .find(|&&c| self.nodes[c].alive && self.nodes[c].shadow == self.nodes[i].shadow)
            .map_or("null".into(), |&c| self.nodes[c].id.to_string())
    }

    /// Adds `spec` under `parent` (before `before`), as one mutation with
    /// one add per node; returns the new node and the event.
    pub fn add(&mut self, parent: usize, before: Option<usize>, spec: &Spec) -> (usize, String) {
        let (root, created) = self.build_at(parent, before, spec);
        let adds: Vec<String> = created
            .iter()
            .map(|&i| {
                format!(
                    "{{\"parentId\":{},\"nextId\":{},\"node\":{}}}",
                    self.nodes[self.nodes[i].parent.unwrap()].id,
                    self.next_id(i),
                    self.node_json(i, false)
                )
            })
            .collect();
        let event = self.mutation("", "", "", &adds.join(","));
        (root, event)
    }

    /// Removes node `i` (and everything under it).
    pub fn remove(&mut self, i: usize) -> String {
        let p = self.nodes[i].parent.unwrap();
        self.nodes[p].children.retain(|&c| c != i);
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            self.nodes[n].alive = false;
            stack.extend(self.nodes[n].children.clone());
        }
        let shadow = if self.nodes[i].shadow {
            ",\"isShadow\":true"
        } else {
            ""
        };
        let remove = format!(
            "{{\"parentId\":{},\"id\":{}{shadow}}}",
            self.nodes[p].id, self.nodes[i].id
        );
        self.mutation("", "", &remove, "")
    }

    /// Moves node `i` under `parent`: rrweb removes it and adds it again
    /// with everything in it, same ids.
    pub fn move_to(&mut self, i: usize, parent: usize) -> String {
        let old = self.nodes[i].parent.unwrap();
        self.nodes[old].children.retain(|&c| c != i);
        self.nodes[i].parent = Some(parent);
        self.nodes[parent].children.push(i);
        let remove = format!(
            "{{\"parentId\":{},\"id\":{}}}",
            self.nodes[old].id, self.nodes[i].id
        );
        let mut adds = Vec::new();
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            adds.push(format!(
                "{{\"parentId\":{},\"nextId\":{},\"node\":{}}}",
                self.nodes[self.nodes[n].parent.unwrap()].id,
                self.next_id(n),
                self.node_json(n, false)
            ));
            stack.extend(self.nodes[n].children.iter().rev());
        }
        self.mutation("", "", &remove, &adds.join(","))
    }

    /// Sets (`Some`) or removes an attribute.
    pub fn set_attr(&mut self, i: usize, name: &str, value: Option<&str>) -> String {
        if let Data::Element { attrs, .. } = &mut self.nodes[i].data {
            attrs.retain(|(n, _)| n != name);
            if let Some(v) = value {
                attrs.push((name.to_string(), v.to_string()));
            }
        }
        let value = value.map_or("null".to_string(), json_str);
        let entry = format!(
            "{{\"id\":{},\"attributes\":{{{}:{value}}}}}",
            self.nodes[i].id,
            json_str(name)
        );
        self.mutation("", &entry, "", "")
    }

    /// Changes a text node.
    pub fn set_text(&mut self, i: usize, value: &str) -> String {
        self.nodes[i].data = Data::Text(value.to_string());
        let entry = format!(
            "{{\"id\":{},\"value\":{}}}",
            self.nodes[i].id,
            json_str(value)
        );
        self.mutation(&entry, "", "", "")
    }

    fn incremental(&mut self, data: String) -> String {
        let t = self.tick();
        self.push(format!("{{\"type\":3,\"data\":{data},\"timestamp\":{t}}}"))
    }

    /// The visitor typed: the input's whole value so far.
    pub fn input(&mut self, i: usize, text: &str, checked: bool) -> String {
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

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}
