//! A small replayer: applies masked rrweb events to a model of the replayed
//! DOM, as rrweb's replayer would (removes, then adds, then texts, then
//! attributes; Input events set values). Tests look at what a replay shows.

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
}

#[derive(Debug, Default)]
pub struct Replay {
    pub nodes: HashMap<i64, Node>,
}

impl Replay {
    /// Applies one event (JSON text).
    pub fn apply(&mut self, event: &str) {
        let e: Value = serde_json::from_str(event).expect("the masker writes JSON");
        let data = &e["data"];
        match (e["type"].as_i64(), data["source"].as_i64()) {
            (Some(2), _) => {
                self.nodes.clear();
                self.insert(None, None, &data["node"]);
            }
            (Some(3), Some(0)) => {
                for r in data["removes"].as_array().unwrap() {
                    self.remove(r["id"].as_i64().unwrap());
                }
                for a in data["adds"].as_array().unwrap() {
                    self.insert(a["parentId"].as_i64(), a["nextId"].as_i64(), &a["node"]);
                }
                for t in data["texts"].as_array().unwrap() {
                    if let Some(n) = self.nodes.get_mut(&t["id"].as_i64().unwrap()) {
                        n.text = t["value"].as_str().unwrap_or("").to_string();
                    }
                }
                for a in data["attributes"].as_array().unwrap() {
                    let Some(n) = self.nodes.get_mut(&a["id"].as_i64().unwrap()) else {
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
                            other => {
                                n.attrs.insert(name.clone(), other.to_string());
                            }
                        }
                    }
                }
            }
            (Some(3), Some(5)) => {
                if let Some(n) = self.nodes.get_mut(&data["id"].as_i64().unwrap()) {
                    n.value = data["text"].as_str().map(str::to_string);
                }
            }
            _ => {}
        }
    }

    fn insert(&mut self, parent: Option<i64>, next: Option<i64>, node: &Value) {
        let mut stack = vec![(parent, next, node)];
        while let Some((parent, next, v)) = stack.pop() {
            let id = v["id"].as_i64().unwrap();
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
                },
            );
            if let Some(p) = parent.and_then(|p| self.nodes.get_mut(&p)) {
                let at = next.and_then(|n| p.children.iter().position(|&c| c == n));
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
