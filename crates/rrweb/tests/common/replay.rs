//! A small replayer: applies masked rrweb events to a model of the replayed
//! DOM, as rrweb's replayer would (removes, then adds, then texts, then
//! attributes; a style object sets and removes properties; a document
//! added under an `<iframe>` replaces the frame's document; Input events
//! set values). Tests look at what a replay shows.
//!
//! The masker promises events a replayer can apply in order: every id a
//! mutation names is in the replay (or, for an add, comes earlier in it),
//! and no add reuses an id. What does not hold is kept in `errors`.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default)]
pub struct Node {
    pub parent: Option<i64>,
    pub children: Vec<i64>,
    /// rrweb's node type.
    pub kind: i64,
    pub tag: String,
    pub text: String,
    pub attrs: BTreeMap<String, String>,
    /// The value an Input event set.
    pub value: Option<String>,
    pub shadow: bool,
}

impl Node {
    /// What the replay shows as the element's value: the one an Input
    /// event set, else its `value` attribute.
    pub fn shown_value(&self) -> Option<&str> {
        self.value
            .as_deref()
            .or_else(|| self.attrs.get("value").map(String::as_str))
    }
}

#[derive(Debug, Default)]
pub struct Replay {
    pub nodes: HashMap<i64, Node>,
    /// The root document's id.
    pub root: Option<i64>,
    /// What a replayer could not apply.
    pub errors: Vec<String>,
}

impl Replay {
    /// Applies one event (JSON text).
    pub fn apply(&mut self, event: &str) {
        let e: Value = serde_json::from_str(event).expect("the masker writes JSON");
        let data = &e["data"];
        match (e["type"].as_i64(), data["source"].as_i64()) {
            (Some(2), _) => {
                self.nodes.clear();
                self.root = data["node"]["id"].as_i64();
                self.insert(None, None, &data["node"]);
            }
            (Some(3), Some(0)) => {
                let list = |key: &str| data[key].as_array().cloned().unwrap_or_default();
                for r in list("removes") {
                    let id = r["id"].as_i64().unwrap();
                    if !self.nodes.contains_key(&id) {
                        self.errors
                            .push(format!("remove of {id}, not in the replay"));
                    }
                    self.remove(id);
                }
                // An add whose parent or next sibling is not there yet
                // waits for it (rrweb's replayer queues it and tries again
                // after the others).
                let mut waiting = list("adds");
                loop {
                    let before = waiting.len();
                    let mut still = Vec::new();
                    for a in waiting {
                        let parent = a["parentId"].as_i64();
                        let next = a["nextId"].as_i64();
                        let placeable = parent.is_some_and(|p| self.nodes.contains_key(&p))
                            && next.is_none_or(|n| self.nodes.contains_key(&n));
                        if placeable {
                            self.insert(parent, next, &a["node"]);
                        } else {
                            still.push(a);
                        }
                    }
                    waiting = still;
                    if waiting.is_empty() || waiting.len() == before {
                        break;
                    }
                }
                for a in waiting {
                    self.errors.push(format!(
                        "add of {:?} under {:?} before {:?}: not in the replay",
                        a["node"]["id"].as_i64(),
                        a["parentId"].as_i64(),
                        a["nextId"].as_i64()
                    ));
                }
                for t in list("texts") {
                    let id = t["id"].as_i64().unwrap();
                    match self.nodes.get_mut(&id) {
                        Some(n) => n.text = t["value"].as_str().unwrap_or("").to_string(),
                        None => self.errors.push(format!("text of {id}, not in the replay")),
                    }
                }
                for a in list("attributes") {
                    let id = a["id"].as_i64().unwrap();
                    let Some(n) = self.nodes.get_mut(&id) else {
                        self.errors
                            .push(format!("attributes of {id}, not in the replay"));
                        continue;
                    };
                    for (name, v) in a["attributes"].as_object().unwrap() {
                        match v {
                            Value::Null => {
                                n.attrs.remove(name);
                            }
                            Value::String(s) => {
                                n.attrs.insert(name.clone(), s.clone());
                            }
                            Value::Object(properties) if name == "style" => {
                                let style = n.attrs.get("style").map_or("", String::as_str);
                                let style = set_properties(style, properties);
                                n.attrs.insert(name.clone(), style);
                            }
                            other => {
                                n.attrs.insert(name.clone(), other.to_string());
                            }
                        }
                    }
                }
            }
            (Some(3), Some(5)) => {
                let id = data["id"].as_i64().unwrap();
                match self.nodes.get_mut(&id) {
                    Some(n) => n.value = data["text"].as_str().map(str::to_string),
                    None => self
                        .errors
                        .push(format!("input on {id}, not in the replay")),
                }
            }
            _ => {}
        }
    }

    fn insert(&mut self, parent: Option<i64>, next: Option<i64>, node: &Value) {
        if let (Some(p), Some(n)) = (parent, next)
            && self.nodes.get(&n).and_then(|n| n.parent) != Some(p)
        {
            self.errors.push(format!(
                "add of {:?} before {n}, not a child of {p} in the replay",
                node["id"].as_i64()
            ));
        }
        if node["type"].as_i64() == Some(0)
            && let Some(p) = parent
        {
            // A frame's new document replaces the old one.
            let old: Vec<i64> = self.nodes[&p]
                .children
                .iter()
                .copied()
                .filter(|c| self.nodes.get(c).is_some_and(|n| n.kind == 0))
                .collect();
            for c in old {
                self.remove(c);
            }
        }
        let mut stack = vec![(parent, next, node)];
        while let Some((parent, next, v)) = stack.pop() {
            let id = v["id"].as_i64().unwrap();
            let shadow = v["isShadow"].as_bool() == Some(true);
            if self.nodes.contains_key(&id) {
                self.errors
                    .push(format!("add of {id}, already in the replay"));
                self.remove(id);
            }
            let attrs = v["attributes"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_str().map_or_else(|| v.to_string(), str::to_string),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            self.nodes.insert(
                id,
                Node {
                    parent,
                    children: Vec::new(),
                    kind: v["type"].as_i64().unwrap(),
                    tag: v["tagName"].as_str().unwrap_or("").to_string(),
                    text: v["textContent"].as_str().unwrap_or("").to_string(),
                    attrs,
                    value: None,
                    shadow,
                },
            );
            if let Some(p) = parent {
                // A host keeps its light children, then its shadow root's:
                // a light child with no next sibling goes before the shadow
                // root's (the replayer puts them in two lists).
                let at = next
                    .and_then(|n| self.nodes[&p].children.iter().position(|&c| c == n))
                    .or_else(|| {
                        (!shadow)
                            .then(|| {
                                self.nodes[&p]
                                    .children
                                    .iter()
                                    .position(|c| self.nodes.get(c).is_some_and(|c| c.shadow))
                            })
                            .flatten()
                    });
                let p = self.nodes.get_mut(&p).unwrap();
                match at {
                    Some(at) => p.children.insert(at, id),
                    None => p.children.push(id),
                }
            }
            if let Some(children) = v["childNodes"].as_array() {
                for c in children.iter().rev() {
                    stack.push((Some(id), None, c));
                }
            }
        }
        // Children pushed in reverse were appended in reverse: put them
        // back in order.
        let mut stack = vec![node];
        while let Some(v) = stack.pop() {
            if let (Some(id), Some(children)) = (v["id"].as_i64(), v["childNodes"].as_array()) {
                if let Some(n) = self.nodes.get_mut(&id) {
                    n.children = children.iter().filter_map(|c| c["id"].as_i64()).collect();
                }
                stack.extend(children);
            }
        }
    }

    fn remove(&mut self, id: i64) {
        if let Some(p) = self.nodes.get(&id).and_then(|n| n.parent)
            && let Some(p) = self.nodes.get_mut(&p)
        {
            p.children.retain(|&c| c != id);
        }
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            if let Some(node) = self.nodes.remove(&n) {
                stack.extend(node.children);
            }
        }
    }
}

/// A `style` attribute with the properties of a style object set
/// (`"value"` or `["value", "important"]`) or removed (`false`), as the
/// replayer's `style.setProperty` and `removeProperty` do. What is not a
/// declaration in the attribute (a masked one) is dropped, as the
/// browser's style parser drops it.
fn set_properties(style: &str, properties: &serde_json::Map<String, Value>) -> String {
    let mut declarations = super::recorder::style_declarations(style);
    for (property, v) in properties {
        let set = match v {
            Value::String(s) => Some((s.clone(), false)),
            Value::Array(items) => items[0].as_str().map(|s| {
                (
                    s.to_string(),
                    items.get(1).and_then(Value::as_str) == Some("important"),
                )
            }),
            _ => None,
        };
        match set {
            Some((value, important)) => {
                match declarations.iter_mut().find(|(p, _, _)| p == property) {
                    Some(d) => {
                        d.1 = value;
                        d.2 = important;
                    }
                    None => declarations.push((property.clone(), value, important)),
                }
            }
            None => declarations.retain(|(p, _, _)| p != property),
        }
    }
    declarations
        .iter()
        .map(|(p, v, important)| {
            if *important {
                format!("{p}: {v} !important;")
            } else {
                format!("{p}: {v};")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
