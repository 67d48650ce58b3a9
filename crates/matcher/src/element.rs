//! The element abstraction integrations implement, and its adapter to the
//! `selectors` crate's matching trait.
//!
//! Integrations (HTML through html5ever, rrweb JSON nodes, the browser DOM)
//! each have their own tree. They implement [`Element`] for a cheap `Copy`
//! handle (typically a reference to an arena plus an index) and present the
//! *flattened* tree: the parent of a shadow root's top-level element is the
//! shadow host, and the parent of a same-origin iframe document's root
//! element is the `<iframe>` element. Selectors and inheritance both follow
//! that flattened parent chain, so a mask on a host covers its shadow content.

use scrim_selector::{Name, PseudoClass, ScrimImpl};
use selectors::OpaqueElement;
use selectors::attr::{AttrSelectorOperation, CaseSensitivity, NamespaceConstraint};
use selectors::bloom::BloomFilter;
use selectors::context::{
    MatchingForInvalidation, MatchingMode, NeedsSelectorFlags, QuirksMode, SelectorCaches,
};
use selectors::matching::{ElementSelectorFlags, MatchingContext};
use std::fmt::Debug;

/// The XHTML namespace, the default of [`Element::namespace`].
pub const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// An element of a document, as the matcher sees it.
///
/// Only a handful of methods are required; the rest have defaults built on
/// [`Element::attributes`]. The handle is copied freely, so keep it small.
pub trait Element: Copy + Debug {
    /// Distinct for distinct elements of the tree being decided (an arena
    /// index will do). Used for the selector caches.
    fn unique_id(&self) -> usize;

    /// The parent element in the flattened tree (shadow host for shadow-root
    /// children, the `<iframe>` for an iframe document's root element).
    fn parent(&self) -> Option<Self>;

    /// The previous sibling element (skipping text and comments).
    fn prev_sibling(&self) -> Option<Self>;

    /// The next sibling element (skipping text and comments).
    fn next_sibling(&self) -> Option<Self>;

    /// The first child element (skipping text and comments).
    fn first_child(&self) -> Option<Self>;

    /// The local name, lowercase for HTML elements (`div`, `input`), as in the
    /// document for others (`foreignObject`).
    fn local_name(&self) -> &str;

    /// The attributes, names lowercase for HTML elements.
    fn attributes(&self) -> impl Iterator<Item = (&str, &str)>;

    /// The value of one attribute.
    fn attr(&self, name: &str) -> Option<&str> {
        self.attributes().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Whether this is an HTML element (as opposed to SVG or MathML):
    /// selectors then compare tag and attribute names case-insensitively.
    fn is_html(&self) -> bool {
        true
    }

    /// The namespace URL.
    fn namespace(&self) -> &str {
        HTML_NAMESPACE
    }

    /// The `id` attribute.
    fn id(&self) -> Option<&str> {
        self.attr("id")
    }

    /// The classes of the `class` attribute.
    fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr("class").unwrap_or("").split_ascii_whitespace()
    }

    /// Whether the element has no element children and no text (`:empty`).
    /// The default ignores text nodes; override it if the tree has them.
    fn is_empty(&self) -> bool {
        self.first_child().is_none()
    }

    /// Whether this is an `<input>` that was of type password at any time
    /// (the integration tracks type changes; its value stays masked).
    fn was_password(&self) -> bool {
        false
    }
}

/// The one way scrim selectors are matched: standards mode, no
/// invalidation, optionally with the ancestor Bloom filter of a walk.
pub fn matching_context<'a>(
    bloom: Option<&'a BloomFilter>,
    caches: &'a mut SelectorCaches,
) -> MatchingContext<'a, ScrimImpl> {
    MatchingContext::new(
        MatchingMode::Normal,
        bloom,
        caches,
        QuirksMode::NoQuirks,
        NeedsSelectorFlags::No,
        MatchingForInvalidation::No,
    )
}

/// Adapts any [`Element`] to [`selectors::Element`], so that
/// `selectors::matching::matches_selector` can run scrim selectors on it.
#[derive(Debug, Clone, Copy)]
pub struct Matchable<E>(pub E);

impl<E: Element> Matchable<E> {
    fn is_form_control(&self) -> bool {
        self.0.is_html()
            && matches!(
                self.0.local_name(),
                "input" | "button" | "select" | "textarea" | "option" | "optgroup" | "fieldset"
            )
    }

    fn is_required_capable(&self) -> bool {
        self.0.is_html() && matches!(self.0.local_name(), "input" | "select" | "textarea")
    }
}

/// Adds the hashes the ancestor Bloom filter needs for one element: local
/// name, id, classes and attribute names (`ScrimImpl` collects attribute
/// names from selectors too).
pub(crate) fn element_hashes<E: Element>(e: &E, mut push: impl FnMut(u32)) {
    push(scrim_selector::hash_name(e.local_name()));
    if let Some(id) = e.id() {
        push(scrim_selector::hash_name(id));
    }
    for class in e.classes() {
        push(scrim_selector::hash_name(class));
    }
    for (name, _) in e.attributes() {
        push(scrim_selector::hash_name(name));
    }
}

impl<E: Element> selectors::Element for Matchable<E> {
    type Impl = ScrimImpl;

    fn opaque(&self) -> OpaqueElement {
        // `unique_id` + 1 is never null except on overflow; the pointer is
        // only compared, never dereferenced.
        let ptr = std::ptr::without_provenance_mut::<()>(self.0.unique_id().wrapping_add(1));
        OpaqueElement::from_ptr(
            std::ptr::NonNull::new(ptr).unwrap_or(std::ptr::NonNull::dangling()),
        )
    }

    fn parent_element(&self) -> Option<Self> {
        self.0.parent().map(Matchable)
    }

    fn parent_node_is_shadow_root(&self) -> bool {
        false
    }

    fn containing_shadow_host(&self) -> Option<Self> {
        None
    }

    fn is_pseudo_element(&self) -> bool {
        false
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        self.0.prev_sibling().map(Matchable)
    }

    fn next_sibling_element(&self) -> Option<Self> {
        self.0.next_sibling().map(Matchable)
    }

    fn first_element_child(&self) -> Option<Self> {
        self.0.first_child().map(Matchable)
    }

    fn is_html_element_in_html_document(&self) -> bool {
        self.0.is_html()
    }

    fn has_local_name(&self, local_name: &Name) -> bool {
        self.0.local_name() == local_name.as_str()
    }

    fn has_namespace(&self, ns: &Name) -> bool {
        self.0.namespace() == ns.as_str()
    }

    fn is_same_type(&self, other: &Self) -> bool {
        self.0.local_name() == other.0.local_name() && self.0.namespace() == other.0.namespace()
    }

    fn attr_matches(
        &self,
        ns: &NamespaceConstraint<&Name>,
        local_name: &Name,
        operation: &AttrSelectorOperation<&scrim_selector::AttrValue>,
    ) -> bool {
        if let NamespaceConstraint::Specific(ns) = ns
            && !ns.as_str().is_empty()
        {
            return false;
        }
        match self.0.attr(local_name.as_str()) {
            Some(value) => operation.eval_str(value),
            None => false,
        }
    }

    fn match_non_ts_pseudo_class(
        &self,
        pc: &PseudoClass,
        _context: &mut MatchingContext<ScrimImpl>,
    ) -> bool {
        match pc {
            PseudoClass::AnyLink | PseudoClass::Link => self.is_link(),
            PseudoClass::Disabled => self.is_form_control() && self.0.attr("disabled").is_some(),
            PseudoClass::Enabled => self.is_form_control() && self.0.attr("disabled").is_none(),
            PseudoClass::Required => {
                self.is_required_capable() && self.0.attr("required").is_some()
            }
            PseudoClass::Optional => {
                self.is_required_capable() && self.0.attr("required").is_none()
            }
        }
    }

    fn match_pseudo_element(
        &self,
        pe: &scrim_selector::NoPseudoElement,
        _context: &mut MatchingContext<ScrimImpl>,
    ) -> bool {
        match *pe {}
    }

    fn apply_selector_flags(&self, _flags: ElementSelectorFlags) {}

    fn is_link(&self) -> bool {
        self.0.is_html()
            && matches!(self.0.local_name(), "a" | "area" | "link")
            && self.0.attr("href").is_some()
    }

    fn is_html_slot_element(&self) -> bool {
        self.0.is_html() && self.0.local_name() == "slot"
    }

    fn has_id(&self, id: &Name, case_sensitivity: CaseSensitivity) -> bool {
        self.0
            .id()
            .is_some_and(|own| case_sensitivity.eq(own.as_bytes(), id.as_str().as_bytes()))
    }

    fn has_class(&self, name: &Name, case_sensitivity: CaseSensitivity) -> bool {
        self.0
            .classes()
            .any(|c| case_sensitivity.eq(c.as_bytes(), name.as_str().as_bytes()))
    }

    fn has_custom_state(&self, _name: &Name) -> bool {
        false
    }

    fn imported_part(&self, _name: &Name) -> Option<Name> {
        None
    }

    fn is_part(&self, _name: &Name) -> bool {
        false
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn is_root(&self) -> bool {
        self.0.parent().is_none()
    }

    fn add_element_unique_hashes(&self, filter: &mut BloomFilter) -> bool {
        element_hashes(&self.0, |h| filter.insert_hash(h));
        true
    }
}
