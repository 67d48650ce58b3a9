//! Random pages for the equivalence property: the tags, classes and
//! attributes a vendor's privacy settings look at (its own markup
//! included), inputs of every type with values the browser keeps as
//! written, textareas, selects with options, images, videos and links.
//!
//! A page is built twice from one description: as the oracle's [`Tree`],
//! which the vendor models read (with the oracle's own selector engine),
//! and as HTML, which scrim parses. Only content the HTML parser keeps in
//! place is generated, so the two have the same elements in the same
//! order (the test checks it).

use proptest::prelude::*;
use scrim_oracle::{HTML, NodeId, Tree};

/// Classes: neutral ones that configurations select, every vendor's
/// markup classes, and class names Clarity's Balanced mode masks by.
pub const CLASSES: &[&str] = &[
    "a",
    "b",
    "private",
    "public",
    "rr-block",
    "rr-mask",
    "rr-ignore",
    "sentry-block",
    "sentry-mask",
    "sentry-ignore",
    "sentry-unmask",
    "ph-no-capture",
    "ph-mask",
    "ph-ignore-input",
    "ph-sensitive",
    "dd-privacy-hidden",
    "dd-privacy-mask",
    "dd-privacy-allow",
    "dd-privacy-mask-user-input",
    "dd-privacy-mask-unless-allowlisted",
    "billing-address",
    "contact-card",
    "password-hint",
];

/// Markup attributes of the vendors, and attributes configurations select.
pub const MARKUP: &[(&str, &str)] = &[
    ("data-sentry-mask", ""),
    ("data-sentry-block", ""),
    ("data-sentry-ignore", ""),
    ("data-sentry-unmask", ""),
    ("data-dd-privacy", "hidden"),
    ("data-dd-privacy", "mask"),
    ("data-dd-privacy", "allow"),
    ("data-dd-privacy", "mask-user-input"),
    ("data-dd-privacy", "mask-unless-allowlisted"),
    ("data-private", "yes"),
    ("data-clarity-mask", ""),
    ("data-clarity-mask", "false"),
    ("data-clarity-unmask", ""),
];

/// Attributes that carry personal data on any element.
pub const PERSONAL: &[(&str, &str)] = &[
    ("title", "Jane Doe"),
    ("aria-label", "Jane's account"),
    ("data-user", "u-4242"),
    ("data-testid", "profile"),
];

const CONTAINERS: &[&str] = &["div", "section", "nav", "label"];
const TEXT_LEAVES: &[&str] = &["p", "h1", "button", "span"];

/// Input types, `None` for no `type` attribute; `bogus` is a type the
/// browser does not know (read as text).
pub const INPUT_TYPES: &[Option<&str>] = &[
    None,
    Some("text"),
    Some("email"),
    Some("password"),
    Some("tel"),
    Some("number"),
    Some("search"),
    Some("url"),
    Some("date"),
    Some("checkbox"),
    Some("radio"),
    Some("hidden"),
    Some("submit"),
    Some("button"),
    Some("file"),
    Some("bogus"),
    Some("EMAIL"),
];

const AUTOCOMPLETE: &[&str] = &[
    "name",
    "email",
    "cc-number",
    "cc-name",
    "current-password",
    "one-time-code",
    "off",
];

/// What kind of element a generated node is.
#[derive(Debug, Clone)]
enum Kind {
    Container(&'static str),
    TextLeaf(&'static str),
    Input(Option<&'static str>),
    Textarea,
    Select,
    Img,
    Video,
    Link(bool),
}

/// One generated node, before it is placed.
#[derive(Debug, Clone)]
struct Spec {
    kind: Kind,
    classes: Vec<&'static str>,
    markup: Option<(&'static str, &'static str)>,
    personal: Vec<(&'static str, &'static str)>,
    text: bool,
    /// For inputs: a value, a placeholder, an autocomplete, checked, a name.
    value: bool,
    placeholder: bool,
    autocomplete: Option<&'static str>,
    checked: bool,
    name: bool,
    /// Which earlier container (or the body) is the parent.
    parent: prop::sample::Index,
}

/// An element of a generated page.
#[derive(Debug, Clone)]
pub struct Element {
    pub tag: &'static str,
    pub attrs: Vec<(String, String)>,
    /// Its own text, written before its children.
    pub text: Option<String>,
    pub children: Vec<usize>,
}

/// A generated page: `elements[0]` is `<html>`, `elements[1]` the
/// `<body>`; the rest are in document order.
#[derive(Debug, Clone)]
pub struct Page {
    pub elements: Vec<Element>,
    pub tree: Tree,
    /// `ids[i]` is element `i` in `tree`.
    pub ids: Vec<NodeId>,
}

impl Page {
    pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
        self.elements[i]
            .attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn tag(&self, i: usize) -> &'static str {
        self.elements[i].tag
    }

    /// The element's parent, `None` for `<html>`.
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.elements.iter().position(|e| e.children.contains(&i))
    }

    /// The element and its ancestors, nearest first.
    pub fn self_and_ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        while let Some(p) = self.parent(out[out.len() - 1]) {
            out.push(p);
        }
        out
    }

    /// Whether element `i` has the class `class`.
    pub fn has_class(&self, i: usize, class: &str) -> bool {
        self.attr(i, "class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|w| w == class))
    }

    /// Whether element `i` matches `selector` (the oracle's engine).
    pub fn matches(&self, i: usize, selector: &str) -> bool {
        let list = scrim_oracle::selector::parse(selector)
            .unwrap_or_else(|e| panic!("selector `{selector}`: {e}"));
        list.matches(&self.tree, self.ids[i])
    }

    /// `closest(selector)`: element `i` or its nearest ancestor matching.
    pub fn closest(&self, i: usize, selector: &str) -> Option<usize> {
        self.self_and_ancestors(i)
            .into_iter()
            .find(|&x| self.matches(x, selector))
    }

    /// An `<input>`'s `type` as the DOM reads it (`el.type`): the
    /// attribute when it is a known type (any case), else `text`.
    pub fn input_type(&self, i: usize) -> String {
        match self.tag(i) {
            "textarea" => return "textarea".to_string(),
            "select" => return "select-one".to_string(),
            "input" => {}
            _ => return String::new(),
        }
        let known = [
            "hidden",
            "text",
            "search",
            "tel",
            "url",
            "email",
            "password",
            "date",
            "month",
            "week",
            "time",
            "datetime-local",
            "number",
            "range",
            "color",
            "checkbox",
            "radio",
            "file",
            "submit",
            "image",
            "reset",
            "button",
        ];
        match self.attr(i, "type") {
            Some(t) if known.iter().any(|k| k.eq_ignore_ascii_case(t)) => t.to_ascii_lowercase(),
            _ => "text".to_string(),
        }
    }

    /// The page as HTML, as scrim reads it.
    pub fn html(&self) -> String {
        let mut out = String::from("<!DOCTYPE html><html><head></head><body>");
        for &c in &self.elements[1].children {
            self.write(c, &mut out);
        }
        out.push_str("</body></html>");
        out
    }

    fn write(&self, i: usize, out: &mut String) {
        let e = &self.elements[i];
        out.push('<');
        out.push_str(e.tag);
        for (name, value) in &e.attrs {
            out.push_str(&format!(" {name}=\"{}\"", escape(value)));
        }
        out.push('>');
        if matches!(e.tag, "input" | "img") {
            return;
        }
        if let Some(text) = &e.text {
            out.push_str(&escape(text));
        }
        for &c in &e.children {
            self.write(c, out);
        }
        out.push_str(&format!("</{}>", e.tag));
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A value the browser keeps as written for an input of type `ty`.
fn value_for(ty: Option<&str>) -> &'static str {
    match ty.map(|t| t.to_ascii_lowercase()).as_deref() {
        Some("email") => "jane@example.com",
        Some("number") => "42",
        Some("url") => "https://jane.example.com/",
        Some("date") => "2024-01-31",
        Some("tel") => "555 0100",
        Some("checkbox") | Some("radio") => "newsletter",
        Some("submit") | Some("button") => "Pay Jane",
        _ => "Jane Doe",
    }
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        3 => prop::sample::select(CONTAINERS).prop_map(Kind::Container),
        2 => prop::sample::select(TEXT_LEAVES).prop_map(Kind::TextLeaf),
        4 => prop::sample::select(INPUT_TYPES).prop_map(Kind::Input),
        1 => Just(Kind::Textarea),
        1 => Just(Kind::Select),
        1 => Just(Kind::Img),
        1 => Just(Kind::Video),
        1 => any::<bool>().prop_map(Kind::Link),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        kind(),
        prop::collection::vec(prop::sample::select(CLASSES), 0..3),
        prop::option::weighted(0.4, prop::sample::select(MARKUP)),
        prop::collection::vec(prop::sample::select(PERSONAL), 0..2),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (
            prop::option::weighted(0.4, prop::sample::select(AUTOCOMPLETE)),
            any::<bool>(),
            any::<bool>(),
        ),
        any::<prop::sample::Index>(),
    )
        .prop_map(
            |(
                kind,
                classes,
                markup,
                personal,
                (text, value, placeholder),
                (autocomplete, checked, name),
                parent,
            )| Spec {
                kind,
                classes,
                markup,
                personal,
                text,
                value,
                placeholder,
                autocomplete,
                checked,
                name,
                parent,
            },
        )
}

/// A page of up to `max` generated elements (options come with their
/// selects).
pub fn page(max: usize) -> impl Strategy<Value = Page> {
    prop::collection::vec(spec(), 1..=max).prop_map(build)
}

fn build(specs: Vec<Spec>) -> Page {
    let mut elements = vec![
        Element {
            tag: "html",
            attrs: vec![],
            text: None,
            children: vec![1],
        },
        Element {
            tag: "body",
            attrs: vec![],
            text: None,
            children: vec![],
        },
    ];
    // Containers that can take children, the body first.
    let mut containers = vec![1];
    for spec in specs {
        let parent = containers[spec.parent.index(containers.len())];
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut classes: Vec<&str> = Vec::new();
        for c in &spec.classes {
            if !classes.contains(c) {
                classes.push(c);
            }
        }
        if !classes.is_empty() {
            attrs.push(("class".into(), classes.join(" ")));
        }
        if let Some((name, value)) = spec.markup {
            attrs.push((name.into(), value.into()));
        }
        for (name, value) in &spec.personal {
            if !attrs.iter().any(|(n, _)| n == name) {
                attrs.push((name.to_string(), value.to_string()));
            }
        }
        let (tag, text) = match spec.kind {
            Kind::Container(tag) => (tag, spec.text.then(|| "Jane Doe".to_string())),
            Kind::TextLeaf(tag) => (tag, Some("Jane Doe, 42 Main St".to_string())),
            Kind::Input(ty) => {
                if let Some(ty) = ty {
                    attrs.push(("type".into(), ty.into()));
                }
                let file = ty.is_some_and(|t| t.eq_ignore_ascii_case("file"));
                if spec.value && !file {
                    attrs.push(("value".into(), value_for(ty).into()));
                }
                if spec.placeholder {
                    attrs.push(("placeholder".into(), "Your name".into()));
                }
                if let Some(a) = spec.autocomplete {
                    attrs.push(("autocomplete".into(), a.into()));
                }
                let checkable = ty.is_some_and(|t| matches!(t, "checkbox" | "radio"));
                if spec.checked && checkable {
                    attrs.push(("checked".into(), String::new()));
                }
                if spec.name {
                    attrs.push(("name".into(), "customer".into()));
                }
                ("input", None)
            }
            Kind::Textarea => ("textarea", Some("Jane wrote: call me".to_string())),
            Kind::Select => ("select", None),
            Kind::Img => {
                attrs.push(("src".into(), "https://cdn.example.com/u/jane.jpg".into()));
                if spec.placeholder {
                    attrs.push(("alt".into(), "Jane's photo".into()));
                }
                ("img", None)
            }
            Kind::Video => {
                attrs.push(("src".into(), "https://cdn.example.com/v/jane.mp4".into()));
                ("video", None)
            }
            Kind::Link(mail) => {
                let href = if mail {
                    "mailto:jane@example.com"
                } else {
                    "https://shop.example.com/orders/42"
                };
                attrs.push(("href".into(), href.into()));
                ("a", Some("Jane's order".to_string()))
            }
        };
        let at = elements.len();
        elements.push(Element {
            tag,
            attrs,
            text,
            children: vec![],
        });
        elements[parent].children.push(at);
        match tag {
            "select" => {
                for (k, text) in ["Visa ending 4242", "Mastercard"].into_iter().enumerate() {
                    let option = elements.len();
                    let attrs = if spec.value && k == 0 {
                        vec![("value".to_string(), "visa-4242".to_string())]
                    } else {
                        vec![]
                    };
                    elements.push(Element {
                        tag: "option",
                        attrs,
                        text: Some(text.to_string()),
                        children: vec![],
                    });
                    elements[at].children.push(option);
                }
            }
            t if CONTAINERS.contains(&t) => containers.push(at),
            _ => {}
        }
    }
    // Document order, so that the tree and the parsed HTML line up.
    let mut order = Vec::new();
    let mut stack = vec![0];
    while let Some(i) = stack.pop() {
        order.push(i);
        for &c in elements[i].children.iter().rev() {
            stack.push(c);
        }
    }
    let position: Vec<usize> = {
        let mut p = vec![0; elements.len()];
        for (new, &old) in order.iter().enumerate() {
            p[old] = new;
        }
        p
    };
    let elements: Vec<Element> = order
        .iter()
        .map(|&old| {
            let mut e = elements[old].clone();
            e.children = e.children.iter().map(|&c| position[c]).collect();
            e
        })
        .collect();
    let mut tree = Tree::new();
    let mut ids: Vec<NodeId> = Vec::with_capacity(elements.len());
    for (i, e) in elements.iter().enumerate() {
        let parent = elements
            .iter()
            .position(|p| p.children.contains(&i))
            .map(|p| ids[p]);
        let attrs: Vec<(&str, &str)> = e
            .attrs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let id = tree.add(parent, HTML, e.tag, &attrs);
        if let Some(text) = &e.text {
            tree.node_mut(id).text = text.clone();
        }
        ids.push(id);
    }
    Page {
        elements,
        tree,
        ids,
    }
}
