//! What the mirror keeps of an element's attributes, computed once from the
//! policy: the attributes its selectors read, and those the floors and the
//! masker read. Everything else an event carries is masked and forgotten.
//!
//! Also whether the policy's selectors look at siblings (`+`, `~`,
//! `:nth-child()`, `:first-child` …) or at children (`:empty`): only then
//! can adding or removing a node change the decision of another; and
//! whether a rule masks with a strategy other than stars: only then can
//! content written masked have to be written again with another strategy.

use scrim_artifact::Action;
use scrim_content::BLOCKED_ATTRIBUTE;
use scrim_content::route;
use scrim_matcher::{Policy, Strategy};
use scrim_selector::{PseudoClass, ScrimImpl};
use selectors::parser::{Combinator, Component, SelectorVisitor};
use std::borrow::Cow;
use std::collections::HashSet;

/// The attribute names the policy's selectors read, and which structure
/// they look at.
#[derive(Debug, Default)]
pub(crate) struct Observed {
    /// Attribute names selectors read, lowercase.
    names: HashSet<Box<str>>,
    id: bool,
    class: bool,
    disabled: bool,
    required: bool,
    /// Selectors look at siblings: `+`, `~`, `:nth-*()`, `:first-child` …
    pub(crate) siblings: bool,
    /// Selectors look at children: `:empty`.
    pub(crate) empty: bool,
    /// A mask rule picks a fixed text or length: attributes, values and a
    /// style's strings written masked are remembered with their strategy
    /// ([`crate::render::Record::masked_with`],
    /// [`crate::style::Declaration::strings_with`]). Text nodes need no
    /// memory: the mirror has them.
    pub(crate) strategies: bool,
    /// The policy's masking texts (`with "TEXT"`).
    pub(crate) fixed_texts: Vec<Strategy>,
}

struct Collect<'a>(&'a mut Observed);

impl SelectorVisitor for Collect<'_> {
    type Impl = ScrimImpl;

    fn visit_attribute_selector(
        &mut self,
        _namespace: &selectors::attr::NamespaceConstraint<&scrim_selector::Name>,
        _local_name: &scrim_selector::Name,
        local_name_lower: &scrim_selector::Name,
    ) -> bool {
        let name = local_name_lower.as_str().to_ascii_lowercase();
        self.0.names.insert(name.into());
        true
    }

    fn visit_simple_selector(&mut self, c: &Component<ScrimImpl>) -> bool {
        match c {
            Component::ID(_) => self.0.id = true,
            Component::Class(_) => self.0.class = true,
            Component::Nth(_) | Component::NthOf(_) => self.0.siblings = true,
            Component::Empty => self.0.empty = true,
            Component::NonTSPseudoClass(pc) => match pc {
                PseudoClass::Disabled | PseudoClass::Enabled => self.0.disabled = true,
                PseudoClass::Required | PseudoClass::Optional => self.0.required = true,
                PseudoClass::AnyLink | PseudoClass::Link => {}
            },
            _ => {}
        }
        true
    }

    fn visit_complex_selector(&mut self, combinator_to_right: Option<Combinator>) -> bool {
        if matches!(
            combinator_to_right,
            Some(Combinator::NextSibling | Combinator::LaterSibling)
        ) {
            self.0.siblings = true;
        }
        true
    }
}

/// Whether `value` is a plain length (`300`, `50%`, `120.5px`): what a
/// placeholder keeps of an element's size.
pub(crate) fn is_length(value: &str) -> bool {
    let v = value.trim();
    let digits = v.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
    let unit = &v[digits.len()..];
    !digits.is_empty()
        && digits.len() <= 16
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && matches!(unit, "" | "px" | "%")
}

impl Observed {
    pub(crate) fn from_policy(policy: &Policy) -> Observed {
        let mut observed = Observed::default();
        for rule in &policy.artifact().rules {
            if matches!(rule.strategy, Strategy::Fixed { .. })
                && !observed.fixed_texts.contains(&rule.strategy)
            {
                observed.fixed_texts.push(rule.strategy.clone());
            }
            observed.strategies |= rule.action == Action::Mask && rule.strategy != Strategy::Stars;
            // The policy loaded, so its selectors parse.
            if let Ok(list) = scrim_selector::parse(&rule.selector) {
                for selector in list.slice() {
                    selector.visit(&mut Collect(&mut observed));
                }
            }
        }
        observed
    }

    /// What the mirror keeps of attribute `name` = `value` on an element
    /// with tag `tag` (as rrweb records it), or `None`.
    pub(crate) fn keep<'v>(&self, tag: &str, name: &str, value: &'v str) -> Option<Cow<'v, str>> {
        let is = |word: &str| name.eq_ignore_ascii_case(word);
        let selected = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.names.contains(name.to_ascii_lowercase().as_str())
        } else {
            self.names.contains(name)
        };
        let whole = selected
            || (self.id && is("id"))
            || (self.class && is("class"))
            || (self.disabled && is("disabled"))
            || (self.required && is("required"))
            // The floors, and buttons' `value`.
            || ((is("type") || is("autocomplete")) && matches!(tag, "input" | "button"))
            || (is("data-rr-is-password") && tag == "input")
            // What the routing reads (editable regions, refreshes, script
            // links), and placeholders kept as such.
            || route::reads_attribute(tag, name)
            || is(BLOCKED_ATTRIBUTE);
        if whole {
            return Some(Cow::Borrowed(value));
        }
        if is("width") || is("height") || is("rr_width") || is("rr_height") {
            return is_length(value).then_some(Cow::Borrowed(value));
        }
        if is("srcdoc") && tag == "iframe" {
            // Whether the frame's document came from its `srcdoc`: the
            // document is recorded only when the `srcdoc` is captured.
            return Some(Cow::Borrowed(""));
        }
        if is("href") || is("xlink:href") {
            // `:link` asks whether there is one, the sensitive-attribute
            // set whether it is a contact URL: the scheme is enough.
            // Read as `scheme_is` reads it, so that both answer alike.
            let mut scheme = String::new();
            for c in value.trim_start_matches(|c: char| c <= ' ').chars() {
                match c {
                    '\t' | '\n' | '\r' => {}
                    ':' => {
                        scheme.push(':');
                        return Some(Cow::Owned(scheme));
                    }
                    _ if scheme.len() >= 16 || !c.is_ascii() => break,
                    c => scheme.push(c.to_ascii_lowercase()),
                }
            }
            return Some(Cow::Borrowed(""));
        }
        None
    }
}
