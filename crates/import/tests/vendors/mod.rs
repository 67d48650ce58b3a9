//! Executable models of the vendors' decision procedures (one module per
//! vendor, each a literal reading of the vendor's source, cited at its
//! top), the random pages they and scrim decide, and the comparison.
//!
//! Everything is compared per element and per *slot*: what a recording of
//! the element holds — its status (recorded, a placeholder, gone), its
//! own text (for a `<textarea>` its value, for an `<option>` its label),
//! a select's value, each of its attributes, and for form fields whether
//! their input events are recorded. A slot is `Gone` (not recorded),
//! `Masked` or `Clear`.

#![allow(dead_code)]

pub mod clarity;
pub mod datadog;
pub mod page;
pub mod posthog;
pub mod rrweb;
pub mod sentry;

use page::Page;
use scrim_html::Content;
use scrim_matcher::{ChannelOutcome, Context, Policy, Status};
use std::collections::BTreeMap;
use std::fmt;

/// What a recording holds of one slot, least exposed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seen {
    Gone,
    Masked,
    Clear,
}

/// One thing a recording holds of an element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// Recorded, as a placeholder, or not at all (`Clear`, `Masked`,
    /// `Gone`).
    Status,
    Text,
    /// A `<select>`'s value.
    Value,
    Attr(String),
    /// A form field's input events (`Masked`: dropped).
    Events,
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::Status => f.write_str("status"),
            Slot::Text => f.write_str("text"),
            Slot::Value => f.write_str("value"),
            Slot::Attr(name) => write!(f, "attr:{name}"),
            Slot::Events => f.write_str("events"),
        }
    }
}

/// What a recording holds of every slot of one element.
pub type Observed = BTreeMap<Slot, Seen>;

/// The slots of element `i` of `page`.
pub fn slots(page: &Page, i: usize) -> Vec<Slot> {
    let e = &page.elements[i];
    let mut out = vec![Slot::Status];
    if e.text.is_some() {
        out.push(Slot::Text);
    }
    if e.tag == "select" {
        out.push(Slot::Value);
    }
    out.extend(e.attrs.iter().map(|(n, _)| Slot::Attr(n.clone())));
    if matches!(e.tag, "input" | "textarea" | "select") {
        out.push(Slot::Events);
    }
    out
}

/// The observation of an element that is not recorded: a placeholder
/// that keeps the attributes named in `kept`, or nothing.
pub fn unrecorded(page: &Page, i: usize, placeholder: bool, kept: &[&str]) -> Observed {
    slots(page, i)
        .into_iter()
        .map(|slot| {
            let seen = match &slot {
                Slot::Status if placeholder => Seen::Masked,
                Slot::Attr(name) if placeholder && kept.contains(&name.as_str()) => Seen::Clear,
                _ => Seen::Gone,
            };
            (slot, seen)
        })
        .collect()
}

pub const URL: &str = "https://shop.example.com/account";

/// Compiles an imported policy for the page URL.
pub fn compile(policy: &str) -> Policy {
    let compilation = scrim_compiler::compile("imported.scrim", policy, &scrim_compiler::NoFiles);
    assert!(
        !compilation.has_errors(),
        "the imported policy has errors: {:#?}\n{policy}",
        compilation.diagnostics
    );
    Policy::from_artifact(compilation.artifact.unwrap()).unwrap()
}

fn seen(outcome: ChannelOutcome<'_>) -> Seen {
    match outcome {
        ChannelOutcome::Off => Seen::Gone,
        ChannelOutcome::Mask(_) => Seen::Masked,
        ChannelOutcome::Capture => Seen::Clear,
    }
}

/// What scrim records of every element of `page` under `policy`, from
/// the explanation `scrim explain` prints (the routing the masker writes
/// by).
pub fn scrim(policy: &Policy, page: &Page) -> Vec<Observed> {
    let context = Context {
        url: URL.to_string(),
        consent: vec![],
        region: None,
    };
    let decided = policy.page(&context);
    let html = page.html();
    let doc = scrim_html::Document::parse(&html);
    let elements: Vec<_> = doc
        .elements()
        .filter(|e| scrim_matcher::Element::local_name(e) != "head")
        .collect();
    let names: Vec<&str> = elements
        .iter()
        .map(scrim_matcher::Element::local_name)
        .collect();
    let expected: Vec<&str> = page.elements.iter().map(|e| e.tag).collect();
    assert_eq!(names, expected, "the parser moved elements of {html}");
    elements
        .into_iter()
        .enumerate()
        .map(|(i, el)| {
            let x = scrim_html::explain_element(&decided, el);
            let status = match x.status {
                Status::Recorded => Seen::Clear,
                Status::Placeholder => Seen::Masked,
                Status::Hidden | Status::PageOff => Seen::Gone,
            };
            let mut observed = Observed::new();
            observed.insert(Slot::Status, status);
            let wanted = slots(page, i);
            for content in &x.contents {
                let slot = match content.content {
                    Content::Text => Slot::Text,
                    Content::Value => Slot::Value,
                    Content::Attr { name, .. } => Slot::Attr(name.to_string()),
                    Content::Media => continue,
                    Content::Events => Slot::Events,
                };
                if !wanted.contains(&slot) {
                    continue;
                }
                let value = match (&content.decided, content.routing) {
                    (Some(decided), _) => seen(decided.outcome),
                    (None, Some(routing)) => match routing.route {
                        scrim_html::Route::Fixed(_) => Seen::Clear,
                        _ => Seen::Gone,
                    },
                    (None, None) => Seen::Gone,
                };
                observed.insert(slot, value);
            }
            observed
        })
        .collect()
}

/// One documented difference, as `docs/import.md` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub vendor: String,
    pub id: String,
}

/// The documented differences: the rows of the table under the heading
/// `## Documented differences` in `docs/import.md` (vendor, id, …).
pub fn documented() -> Vec<Difference> {
    let text = include_str!("../../../../docs/import.md");
    let section = text
        .split("## Documented differences")
        .nth(1)
        .expect("docs/import.md has a `## Documented differences` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Difference {
                vendor: cells[1].trim_matches('`').to_string(),
                id: cells[2].trim_matches('`').to_string(),
            }
        })
        .collect()
}

/// The only differences where scrim records more than a vendor: each is
/// structure that no policy can mask (docs/import.md says why): a hidden
/// input's type, and the names of attributes Clarity leaves out, whose
/// values the import writes empty (a test in `examples.rs` checks that).
pub const RECORDS_MORE: &[&str] = &["hidden-input-type", "dropped-attributes"];

/// Compares what scrim and a vendor record of every slot of every
/// element: scrim may record less only where `explain` names a documented
/// difference, and never more. The differences found, by id.
pub fn compare(
    vendor: &str,
    page: &Page,
    scrim: &[Observed],
    model: &[Observed],
    explain: impl Fn(usize, &Slot, Seen, Seen) -> Option<&'static str>,
) -> Result<Vec<&'static str>, String> {
    let documented = documented();
    let mut found = Vec::new();
    for i in 0..page.elements.len() {
        for slot in slots(page, i) {
            let ours = scrim[i][&slot];
            let theirs = model[i][&slot];
            if ours == theirs {
                continue;
            }
            let place = format!(
                "element {i} <{}> {:?}, {slot}: {vendor} {theirs:?}, scrim {ours:?}",
                page.tag(i),
                page.elements[i].attrs
            );
            let id = explain(i, &slot, theirs, ours);
            if ours > theirs && !id.is_some_and(|id| RECORDS_MORE.contains(&id)) {
                return Err(format!("scrim records more than {vendor}: {place}"));
            }
            match id {
                None => return Err(format!("undocumented difference: {place}")),
                Some(id) => {
                    if !documented.iter().any(|d| d.vendor == vendor && d.id == id) {
                        return Err(format!(
                            "difference `{id}` is not in the table of docs/import.md for {vendor}: {place}"
                        ));
                    }
                    found.push(id);
                }
            }
        }
    }
    Ok(found)
}

/// Attributes in scrim's built-in sensitive set on element `i`: the ones
/// the built-in default masks.
pub fn scrim_sensitive(page: &Page, i: usize, name: &str) -> bool {
    match name {
        "title" | "alt" | "placeholder" | "aria-label" | "aria-description" | "aria-valuetext"
        | "srcdoc" => true,
        "value" => {
            page.tag(i) == "button"
                || (page.tag(i) == "input"
                    && matches!(
                        page.input_type(i).as_str(),
                        "submit" | "button" | "reset" | "image"
                    ))
        }
        "href" => page
            .attr(i, "href")
            .is_some_and(|h| h.starts_with("mailto:") || h.starts_with("tel:")),
        _ => false,
    }
}

/// Whether a value of element `i` is masked by a floor in scrim: password,
/// hidden, and card or password `autocomplete` inputs.
pub fn floored(page: &Page, i: usize) -> bool {
    if page.tag(i) != "input" {
        return false;
    }
    let ty = page.input_type(i);
    let auto = page
        .attr(i, "autocomplete")
        .unwrap_or("")
        .to_ascii_lowercase();
    ty == "password"
        || ty == "hidden"
        || auto.split_ascii_whitespace().any(|t| {
            t.starts_with("cc-")
                || matches!(t, "current-password" | "new-password" | "one-time-code")
        })
}

/// Whether `slot` of element `i` holds a form value: an input's value or
/// checked state, a textarea's text, a select's value, an option's label
/// or value.
pub fn is_form_value(page: &Page, i: usize, slot: &Slot) -> bool {
    match (page.tag(i), slot) {
        ("input", Slot::Attr(n)) => n == "value" || n == "checked",
        ("textarea", Slot::Text) | ("select", Slot::Value) => true,
        ("option", Slot::Text) => true,
        ("option", Slot::Attr(n)) => n == "value",
        _ => false,
    }
}
