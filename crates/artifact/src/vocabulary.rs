//! The design's terms that the compiler and every runtime must read alike:
//! which inputs have a value floor (step 3 of the resolution order), and
//! which attributes are sensitive when a policy says nothing. A runtime
//! decides with them; the compiler refuses an `allow value` rule whose
//! selector names an input they floor.

/// A kind of input whose value no rule can reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Floor {
    /// `type=password`, `autocomplete=current-password|new-password` (and,
    /// at run time, an input that was ever of type password).
    Password,
    /// `type=hidden`.
    Hidden,
    /// `autocomplete=one-time-code`.
    OneTimeCode,
    /// `autocomplete=cc-*` (`cc-number`, `cc-csc`, `cc-exp` …).
    PaymentCard,
}

impl Floor {
    /// The inputs it protects, as messages name them.
    pub fn inputs(self) -> &'static str {
        match self {
            Floor::Password => "password inputs",
            Floor::Hidden => "hidden inputs",
            Floor::OneTimeCode => "one-time-code inputs",
            Floor::PaymentCard => "payment card inputs",
        }
    }
}

/// The `type` values of an `input` whose value has a floor.
pub const FLOOR_INPUT_TYPES: &[(&str, Floor)] =
    &[("password", Floor::Password), ("hidden", Floor::Hidden)];

/// The `autocomplete` tokens that give an `input`'s value a floor.
pub const FLOOR_AUTOCOMPLETE_TOKENS: &[(&str, Floor)] = &[
    ("current-password", Floor::Password),
    ("new-password", Floor::Password),
    ("one-time-code", Floor::OneTimeCode),
];

/// The prefixes of `autocomplete` tokens that give an `input`'s value a
/// floor.
pub const FLOOR_AUTOCOMPLETE_PREFIXES: &[(&str, Floor)] = &[("cc-", Floor::PaymentCard)];

/// The floor that an `input`'s `type` attribute gives its value. Compared
/// ASCII-case-insensitively and, unlike the browser (which reads
/// `type=" password"` as a text input), around surrounding whitespace:
/// when in doubt, the floor.
pub fn type_floor(value: &str) -> Option<Floor> {
    let value = value.trim();
    FLOOR_INPUT_TYPES
        .iter()
        .find(|(t, _)| value.eq_ignore_ascii_case(t))
        .map(|&(_, floor)| floor)
}

/// The floor that an `input`'s `autocomplete` attribute gives its value:
/// that of its first token with one (tokens are separated by ASCII
/// whitespace and compared ASCII-case-insensitively).
pub fn autocomplete_floor(value: &str) -> Option<Floor> {
    value.split_ascii_whitespace().find_map(token_floor)
}

fn token_floor(token: &str) -> Option<Floor> {
    let has_prefix = |prefix: &str| {
        token
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    FLOOR_AUTOCOMPLETE_TOKENS
        .iter()
        .find(|(t, _)| token.eq_ignore_ascii_case(t))
        .or_else(|| {
            FLOOR_AUTOCOMPLETE_PREFIXES
                .iter()
                .find(|(p, _)| has_prefix(p))
        })
        .map(|&(_, floor)| floor)
}

/// The attributes sensitive when a policy says nothing (lowercase, sorted).
/// Two of them depend on the element: see [`CONTACT_URL_SCHEMES`] and
/// [`BUTTON_INPUT_TYPES`].
pub const SENSITIVE_ATTRIBUTES: &[&str] = &[
    "alt",
    "aria-description",
    "aria-label",
    "aria-valuetext",
    "href",
    "placeholder",
    "srcdoc",
    "title",
    "value",
];

/// The schemes of contact links: an `href` of the built-in sensitive set
/// is sensitive only with one of these. Beyond the design's `mailto:` and
/// `tel:`, `sms:`, `callto:` and `facetime:` links carry the same personal
/// data (an address or a number).
pub const CONTACT_URL_SCHEMES: &[&str] = &["mailto", "tel", "sms", "callto", "facetime"];

/// The `type`s of an `input` that is a button: a `value` of the built-in
/// sensitive set is sensitive only on a button (these and `<button>`),
/// where it is a label shown to the user rather than form state.
pub const BUTTON_INPUT_TYPES: &[&str] = &["button", "submit", "reset"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_read_values_as_the_design_defines_them() {
        assert_eq!(type_floor(" PassWord\t"), Some(Floor::Password));
        assert_eq!(type_floor("hidden"), Some(Floor::Hidden));
        assert_eq!(type_floor("text"), None);
        assert_eq!(type_floor("pass word"), None);
        assert_eq!(
            autocomplete_floor("section-a shipping CC-Number"),
            Some(Floor::PaymentCard)
        );
        assert_eq!(autocomplete_floor("cc-"), Some(Floor::PaymentCard));
        assert_eq!(
            autocomplete_floor("one-time-code"),
            Some(Floor::OneTimeCode)
        );
        assert_eq!(autocomplete_floor("new-password"), Some(Floor::Password));
        assert_eq!(autocomplete_floor("email cc"), None);
        assert_eq!(autocomplete_floor("xcc-number"), None);
        // A multi-byte character where a prefix would end: no panic.
        assert_eq!(autocomplete_floor("cé-x"), None);
    }

    #[test]
    fn the_sensitive_set_is_sorted_and_holds_its_conditional_names() {
        assert!(SENSITIVE_ATTRIBUTES.windows(2).all(|w| w[0] < w[1]));
        assert!(SENSITIVE_ATTRIBUTES.contains(&"href"));
        assert!(SENSITIVE_ATTRIBUTES.contains(&"value"));
    }
}
