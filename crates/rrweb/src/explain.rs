//! What `scrim explain --events` reports of a node of a recording: the
//! explanation `scrim explain` gives of an element of a page
//! (`scrim_content::explain`), computed from the routing the masker writes
//! by, with the reasons a recorded node is not written.

use crate::render::Shown;
use crate::session::Session;
use crate::tree::{El, Kind, NONE};
use scrim_content::explain::{self, Unwritten};
use scrim_matcher::Element;

/// An element of a recording, explained.
pub type ElementExplanation<'s> = explain::ElementExplanation<'s, 's, El<'s>>;

/// rrweb's own attributes: not page content, but what the recorder measured
/// or inlined (their content follows `media`, `events` and the style
/// sheet's channels, explained with the element's).
fn is_recorder_attribute(name: &str) -> bool {
    name.starts_with("rr_") || matches!(name, "_cssText" | "data-rr-is-password")
}

impl Session<'_> {
    /// Explains node `id`, an element of the mirror, as the masker writes
    /// it now: its text, its form state, each attribute it was last
    /// recorded with (rrweb's own `rr_*`, `_cssText` and
    /// `data-rr-is-password` left out), its media and its events, each
    /// with the routing that decides it, the outcome and the channels that
    /// decided, as [`scrim_content::explain::explain_element`] explains an
    /// element of a page. Attributes are known for a node
    /// [`Session::watch`]ed before its events were masked; `None` when the
    /// mirror has no element `id`.
    pub fn explain(&self, id: i64) -> Option<ElementExplanation<'_>> {
        let el = self.element(id)?;
        let attributes = self
            .watched(id)
            .iter()
            .filter(|(name, _)| !is_recorder_attribute(name))
            .map(|(name, value)| (name.as_str(), value.as_str()));
        Some(explain::explain_element(
            self.page(),
            el,
            attributes,
            || self.unwritten(el),
        ))
    }

    /// Why `el`, which the matcher records, is not written: a placeholder
    /// or a script above it, an element above it that was written as a
    /// placeholder and stays one, or a frame document above it that is not
    /// recorded (its `<iframe srcdoc>`'s `srcdoc` is not captured).
    fn unwritten(&self, el: El<'_>) -> Option<Unwritten> {
        let shown = |i: u32| self.states.get(i as usize).map(|s| s.shown);
        explain::unwritten(el, |e, child, levels_up| {
            if shown(e.i) == Some(Shown::Placeholder) {
                return Some(Unwritten::Placeholder { levels_up });
            }
            let document = self.tree.node(child?.i).parent;
            let hidden_document = document != NONE
                && self.tree.node(document).kind == Kind::Document
                && shown(document) != Some(Shown::Recorded);
            (hidden_document && e.local_name() == "iframe")
                .then_some(Unwritten::Srcdoc { levels_up })
        })
    }
}
