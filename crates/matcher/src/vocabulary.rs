//! The design's definitions of terms, applied to elements: which attributes
//! are sensitive, which inputs have a value floor (step 3), which attributes
//! hold form state, what a button and a contact link are. Both evaluators
//! (the walk and the reference) decide with these, so they cannot disagree
//! about what the words mean; the words themselves (floor types and tokens,
//! contact schemes, button types) are `scrim_artifact::vocabulary`'s, which
//! the compiler reads too.

use crate::element::Element;
use crate::policy::{Policy, Sensitive};
use scrim_artifact::Channel;
use scrim_artifact::vocabulary::{
    BUTTON_INPUT_TYPES, CONTACT_URL_SCHEMES, autocomplete_floor, type_floor,
};

/// Whether an `attr:PREFIX*` pattern (or a `PREFIX*` entry of the
/// sensitive set) covers attribute `name`: the name starts with the
/// (lowercase) prefix, compared ASCII-case-insensitively as HTML compares
/// attribute names.
pub(crate) fn prefix_covers(prefix: &str, name: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether a rule's or default's channel names attribute `name` itself:
/// `attr:NAME` with its name, `attr:PREFIX*` with a prefix of it. (The
/// `attributes` group covers it when [`is_sensitive`].)
pub(crate) fn channel_covers_attribute(channel: &Channel, name: &str) -> bool {
    match channel {
        Channel::Attr(n) => n.eq_ignore_ascii_case(name),
        Channel::AttrPrefix(prefix) => prefix_covers(prefix, name),
        _ => false,
    }
}

/// Whether attribute `name` of `element` is in the policy's sensitive set.
///
/// Form state written as an attribute (an input's `value`, `checked`,
/// `selected` …, see [`attribute_is_form_state`]) never is: it has its own
/// channel, `value`, which integrations combine with the attribute's own
/// explicit rules. So `sensitive attributes all` does not mask a value that
/// `allow value` captures, as the built-in set counts `value` on buttons
/// only.
///
/// A `PREFIX*` entry makes every attribute it covers sensitive, on every
/// element (the conditions on `href` and `value` belong to the built-in
/// names only).
pub(crate) fn is_sensitive<E: Element>(policy: &Policy, element: &E, name: &str) -> bool {
    if attribute_is_form_state(element, name) {
        return false;
    }
    match &policy.sensitive {
        Sensitive::AllExcept { names, prefixes } => {
            !(names.iter().any(|n| n.eq_ignore_ascii_case(name))
                || prefixes.iter().any(|p| prefix_covers(p, name)))
        }
        Sensitive::Only {
            names,
            prefixes,
            builtin,
        } => {
            // SVG's `xlink:href` is its `href`.
            let key = if name.eq_ignore_ascii_case("xlink:href") {
                "href"
            } else {
                name
            };
            if prefixes
                .iter()
                .any(|p| prefix_covers(p, name) || prefix_covers(p, key))
            {
                return true;
            }
            if !names.iter().any(|n| n.eq_ignore_ascii_case(key)) {
                return false;
            }
            if !*builtin {
                return true;
            }
            if key == "href" {
                return is_contact_url(element.attr(name).unwrap_or(""));
            }
            if name.eq_ignore_ascii_case("value") {
                return is_button(element);
            }
            true
        }
    }
}

/// Whether a URL is a contact link.
fn is_contact_url(url: &str) -> bool {
    crate::url::scheme_is(url, CONTACT_URL_SCHEMES)
}

fn is_button<E: Element>(e: &E) -> bool {
    if !e.is_html() {
        return false;
    }
    match e.local_name() {
        "button" => true,
        // Exactly, as the browser reads the enumerated attribute:
        // `type=" submit"` is an invalid value, so a text input.
        "input" => e
            .attr("type")
            .is_some_and(|t| BUTTON_INPUT_TYPES.iter().any(|b| t.eq_ignore_ascii_case(b))),
        _ => false,
    }
}

/// Step 3: inputs whose value no rule can reveal.
pub(crate) fn is_value_floor<E: Element>(e: &E) -> bool {
    if !e.is_html() || !e.local_name().eq_ignore_ascii_case("input") {
        return false;
    }
    if e.was_password() {
        return true;
    }
    e.attr("type").and_then(type_floor).is_some()
        || e.attr("autocomplete")
            .and_then(autocomplete_floor)
            .is_some()
}

/// Whether an attribute holds form state that belongs to the `value`
/// channel rather than to `attr:NAME`: `value` on non-button inputs, on
/// `option`, `textarea`, `select`, and `checked`/`selected`. Integrations
/// should record such attributes under the value decision, so that a
/// password input's `value="…"` cannot leak through the attribute path.
pub fn attribute_is_form_state<E: Element>(element: &E, name: &str) -> bool {
    if !element.is_html() {
        return false;
    }
    match element.local_name() {
        "input" => {
            (name.eq_ignore_ascii_case("value") && !is_button(element))
                || name.eq_ignore_ascii_case("checked")
        }
        "option" => name.eq_ignore_ascii_case("value") || name.eq_ignore_ascii_case("selected"),
        "textarea" | "select" => name.eq_ignore_ascii_case("value"),
        _ => false,
    }
}
