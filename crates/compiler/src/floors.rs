//! Which `allow value` rules try to lift a floor: those whose selector's
//! subject (its rightmost compound, or an alternative of an `:is()` or
//! `:where()` there) tests `type` or `autocomplete` for a value that the
//! floors' definition floors. The definition is
//! `scrim_artifact::vocabulary`'s, the one the matcher decides with.
//!
//! It reads what the selector names, so it is a guess, on the side of
//! silence: `input:not([type=text])` selects password inputs too and
//! passes (the floor still masks them at run time), and a negation such as
//! `input:not([type=password])` is not taken for a floor. What it refuses,
//! the matcher floors: `tests/compiler_and_matcher.rs` holds the two
//! together.

use scrim_artifact::vocabulary::{Floor, autocomplete_floor, type_floor};
use scrim_selector::{Selector, SelectorList};
use selectors::attr::ParsedAttrSelectorOperation;
use selectors::parser::Component;

/// The floor of the inputs that `list` selects by name, if it names some.
pub(crate) fn target(list: &SelectorList) -> Option<Floor> {
    list.slice().iter().find_map(subject_floor)
}

fn subject_floor(selector: &Selector) -> Option<Floor> {
    // `iter` yields the rightmost compound only, up to its combinator.
    selector.iter().find_map(|component| match component {
        Component::AttributeInNoNamespace {
            local_name, value, ..
        } => floor_of(local_name.as_str(), value.as_str()),
        Component::AttributeOther(attribute) => match &attribute.operation {
            ParsedAttrSelectorOperation::WithValue { value, .. } => {
                floor_of(attribute.local_name_lower.as_str(), value.as_str())
            }
            ParsedAttrSelectorOperation::Exists => None,
        },
        Component::Is(list) | Component::Where(list) => target(list),
        _ => None,
    })
}

/// The floor of an input whose attribute `name` holds `value`, the value
/// an attribute test names: every operator (`=`, `~=`, `|=`, `^=`, `$=`,
/// `*=`) selects an input whose attribute is exactly that value.
fn floor_of(name: &str, value: &str) -> Option<Floor> {
    match name {
        "type" => type_floor(value),
        "autocomplete" => autocomplete_floor(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_of(selector: &str) -> Option<Floor> {
        target(&scrim_selector::parse(selector).unwrap())
    }

    #[test]
    fn a_floor_is_read_where_the_selector_names_its_subject() {
        for (selector, floor) in [
            ("form [type=password]", Floor::Password),
            ("input[TYPE=Hidden]", Floor::Hidden),
            (
                "p, input:where([autocomplete$=one-time-code])",
                Floor::OneTimeCode,
            ),
            ("input[autocomplete*='shipping cc-exp']", Floor::PaymentCard),
        ] {
            assert_eq!(target_of(selector), Some(floor), "{selector}");
        }
    }

    #[test]
    fn a_name_outside_the_subject_or_negated_is_no_floor() {
        for selector in [
            // The inputs that are not password inputs.
            "input:not([type=password])",
            "input:not([type=hidden]):not([autocomplete^=cc-])",
            // Elements beside or inside a floored input.
            "[type=password] + span",
            "input[type=hidden] ~ p",
            // A floor word in another attribute, an id or a class.
            "label[for=new-password]",
            "#current-password-hint",
            ".cc-number",
            "input[type]",
        ] {
            assert_eq!(target_of(selector), None, "{selector}");
        }
    }
}
