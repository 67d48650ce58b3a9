//! The design's definitions of terms, applied to elements: which attributes
//! are sensitive, which inputs have a value floor (step 3), which attributes
//! hold form state, what a button and a contact link are. Both evaluators
//! (the walk and the reference) decide with these, so they cannot disagree
//! about what the words mean.

use crate::element::Element;
use crate::policy::{Policy, Sensitive};

/// Whether attribute `name` of `element` is in the policy's sensitive set.
pub(crate) fn is_sensitive<E: Element>(policy: &Policy, element: &E, name: &str) -> bool {
    match &policy.sensitive {
        Sensitive::AllExcept { names } => !names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        Sensitive::Only { names, builtin } => {
            // SVG's `xlink:href` is its `href`.
            let key = if name.eq_ignore_ascii_case("xlink:href") {
                "href"
            } else {
                name
            };
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

/// Whether a URL is a contact link. Beyond the `mailto:` and `tel:` of the
/// design, `sms:`, `callto:` and `facetime:` links carry the same personal
/// data (an address or a number), so they count too.
fn is_contact_url(url: &str) -> bool {
    crate::url::scheme_is(url, &["mailto", "tel", "sms", "callto", "facetime"])
}

fn is_button<E: Element>(e: &E) -> bool {
    if !e.is_html() {
        return false;
    }
    match e.local_name() {
        "button" => true,
        // Exactly, as the browser reads the enumerated attribute:
        // `type=" submit"` is an invalid value, so a text input.
        "input" => e.attr("type").is_some_and(|t| {
            ["button", "submit", "reset"]
                .iter()
                .any(|b| t.eq_ignore_ascii_case(b))
        }),
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
    if let Some(t) = e.attr("type") {
        let t = t.trim();
        if t.eq_ignore_ascii_case("password") || t.eq_ignore_ascii_case("hidden") {
            return true;
        }
    }
    e.attr("autocomplete").is_some_and(|a| {
        a.split_ascii_whitespace().any(|tok| {
            let lower = tok.to_ascii_lowercase();
            lower.starts_with("cc-")
                || matches!(
                    lower.as_str(),
                    "current-password" | "new-password" | "one-time-code"
                )
        })
    })
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
