//! rrweb's decision procedure, read literally from rrweb-io/rrweb 2.1.0:
//!
//! - `packages/rrweb/src/record/index.ts`, `record()`: the option defaults
//!   (`blockClass 'rr-block'`, `ignoreClass 'rr-ignore'`, `maskTextClass
//!   'rr-mask'`) and `maskInputOptions` (every type under `maskAllInputs`,
//!   else the given options, else `{ password: true }`).
//! - `packages/rrweb-snapshot/src/snapshot.ts`: `_isBlockedElement` (the
//!   element's class list, then `matches(blockSelector)`; a blocked
//!   element keeps only `class` and its size, and its children are not
//!   serialised), `needMaskingText` (`closest` of the mask class and
//!   selector, from the text's element), `serializeElementNode` (form
//!   values: `input`, `textarea`, `select`, not radio, checkbox, submit
//!   or button, when the value is not empty, through `maskInputValue`; a
//!   textarea whose value is written has no children).
//! - `packages/rrweb-snapshot/src/utils.ts`, `maskInputValue`: masked when
//!   `maskInputOptions[tagName]` or `maskInputOptions[el.type]`.
//! - `packages/rrweb/src/record/observer.ts`, `initInputObserver`: input
//!   events of a blocked element (or inside one) and of an element with
//!   the ignore class or matching the ignore selector are dropped.
//!
//! Attributes are copied as written otherwise. [`Options::fork`] adds what
//! PostHog's fork changes (`maskAllElementAttributes`).

use super::page::Page;
use super::{Observed, Seen, Slot, slots, unrecorded};
use serde_json::Value;
use std::collections::BTreeSet;

/// rrweb's options, with its defaults filled in as `record()` does.
#[derive(Debug, Clone)]
pub struct Options {
    pub block_class: String,
    pub block_selector: Option<String>,
    pub ignore_class: String,
    pub ignore_selector: Option<String>,
    pub mask_text_class: String,
    pub mask_text_selector: Option<String>,
    /// The keys of `maskInputOptions` that are on.
    pub mask_input: BTreeSet<String>,
    /// PostHog's fork: every attribute masked.
    pub mask_all_element_attributes: bool,
}

/// `record()`'s `maskInputOptions` under `maskAllInputs: true`.
pub const ALL_INPUTS: [&str; 16] = [
    "color",
    "date",
    "datetime-local",
    "email",
    "month",
    "number",
    "range",
    "search",
    "tel",
    "text",
    "time",
    "url",
    "week",
    "textarea",
    "select",
    "password",
];

fn string(options: &Value, key: &str, default: Option<&str>) -> Option<String> {
    match options.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => default.map(String::from),
    }
}

/// The keys set to `true` in an object of booleans.
pub fn on_keys(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

impl Options {
    /// `record(options)`.
    pub fn record(options: &Value) -> Options {
        let mask_input = if options.get("maskAllInputs").and_then(Value::as_bool) == Some(true) {
            ALL_INPUTS.iter().map(|s| s.to_string()).collect()
        } else if let Some(given) = options.get("maskInputOptions") {
            on_keys(Some(given))
        } else {
            ["password".to_string()].into()
        };
        Options {
            block_class: string(options, "blockClass", Some("rr-block")).unwrap(),
            block_selector: string(options, "blockSelector", None),
            ignore_class: string(options, "ignoreClass", Some("rr-ignore")).unwrap(),
            ignore_selector: string(options, "ignoreSelector", None),
            mask_text_class: string(options, "maskTextClass", Some("rr-mask")).unwrap(),
            mask_text_selector: string(options, "maskTextSelector", None),
            mask_input,
            mask_all_element_attributes: false,
        }
    }

    /// `_isBlockedElement`.
    pub fn blocked(&self, page: &Page, i: usize) -> bool {
        page.has_class(i, &self.block_class)
            || self
                .block_selector
                .as_deref()
                .is_some_and(|s| page.matches(i, s))
    }

    /// `needMaskingText`, from the text's element, checking ancestors.
    pub fn masks_text(&self, page: &Page, i: usize) -> bool {
        page.self_and_ancestors(i)
            .into_iter()
            .any(|x| page.has_class(x, &self.mask_text_class))
            || self
                .mask_text_selector
                .as_deref()
                .is_some_and(|s| page.closest(i, s).is_some())
    }

    /// `maskInputValue`'s test.
    pub fn masks_input(&self, page: &Page, i: usize) -> bool {
        self.mask_input.contains(page.tag(i)) || self.mask_input.contains(&page.input_type(i))
    }

    /// What a recording holds of every element of `page`.
    pub fn observe(&self, page: &Page) -> Vec<Observed> {
        (0..page.elements.len())
            .map(|i| self.observe_one(page, i))
            .collect()
    }

    fn observe_one(&self, page: &Page, i: usize) -> Observed {
        let ancestors = &page.self_and_ancestors(i)[1..];
        if ancestors.iter().any(|&a| self.blocked(page, a)) {
            return unrecorded(page, i, false, &[]);
        }
        if self.blocked(page, i) {
            let kept: &[&str] = if self.mask_all_element_attributes {
                &[]
            } else {
                &["class"]
            };
            let mut observed = unrecorded(page, i, true, kept);
            if self.mask_all_element_attributes && page.attr(i, "class").is_some() {
                observed.insert(Slot::Attr("class".into()), Seen::Masked);
            }
            return observed;
        }
        let tag = page.tag(i);
        let ty = page.input_type(i);
        slots(page, i)
            .into_iter()
            .map(|slot| {
                let seen = match &slot {
                    Slot::Status => Seen::Clear,
                    // A textarea's and a select's values are written as
                    // `value` attributes, which the fork masks with the rest.
                    Slot::Text if tag == "textarea" => {
                        mask_if(self.masks_input(page, i) || self.mask_all_element_attributes)
                    }
                    Slot::Text => mask_if(self.masks_text(page, i)),
                    Slot::Value => {
                        mask_if(self.masks_input(page, i) || self.mask_all_element_attributes)
                    }
                    Slot::Attr(_) if self.mask_all_element_attributes => Seen::Masked,
                    Slot::Attr(name)
                        if tag == "input"
                            && name == "value"
                            && !matches!(
                                ty.as_str(),
                                "radio" | "checkbox" | "submit" | "button"
                            ) =>
                    {
                        mask_if(self.masks_input(page, i))
                    }
                    Slot::Attr(_) => Seen::Clear,
                    Slot::Events => {
                        let ignored = page.has_class(i, &self.ignore_class)
                            || self
                                .ignore_selector
                                .as_deref()
                                .is_some_and(|s| page.matches(i, s));
                        mask_if(ignored)
                    }
                };
                (slot, seen)
            })
            .collect()
    }
}

pub fn mask_if(masked: bool) -> Seen {
    if masked { Seen::Masked } else { Seen::Clear }
}
