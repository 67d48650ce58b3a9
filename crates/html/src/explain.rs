//! What `scrim explain` reports of an element of a page: the shared
//! explanation (`scrim_content::explain`), computed from the routing that
//! `mask_document` writes by, with the reasons an element of a page is not
//! written. A property test holds it to what `mask_document` writes.

use crate::ElementRef;
use crate::dom::NONE;
use scrim_content::explain::{self, Unwritten};
use scrim_matcher::{ChannelRef, Page};

/// An element of a page, explained.
pub type ElementExplanation<'d, 'a> = explain::ElementExplanation<'d, 'a, ElementRef<'d>>;
/// One piece of content of an element of a page, explained.
pub type ContentExplanation<'d, 'a> = explain::ContentExplanation<'d, 'a, ElementRef<'d>>;
/// The stricter of some channels of an element of a page.
pub type Decided<'d, 'a> = explain::Decided<'a, ElementRef<'d>>;
/// How a style sheet of a page is decided.
pub type CssDecided<'d, 'a> = explain::CssDecided<'a, ElementRef<'d>>;
/// One channel a routing read, on an element of a page.
pub type SourceExplanation<'d, 'a> = explain::SourceExplanation<'a, ElementRef<'d>>;

/// Explains every piece of content of `el` under `page`: its text, its
/// form state, each attribute in document order, its media and its
/// events.
pub fn explain_element<'d, 'a>(
    page: &'a Page<'_>,
    el: ElementRef<'d>,
) -> ElementExplanation<'d, 'a> {
    let attributes = el.data().attrs.iter().map(|a| (a.name(), a.value()));
    explain::explain_element(page, el, attributes, || unwritten(page, el))
}

/// Why `el`, which the matcher records, is not written: a placeholder or a
/// script above it, or an `srcdoc` document that is not captured.
fn unwritten(page: &Page<'_>, el: ElementRef<'_>) -> Option<Unwritten> {
    explain::unwritten(el, |e, child, levels_up| {
        let holds = child.is_some_and(|c| holds_srcdoc_root(e, c));
        (holds
            && !page
                .decide_channel(e, ChannelRef::Attr("srcdoc"))
                .is_capture())
        .then_some(Unwritten::Srcdoc { levels_up })
    })
}

/// Whether `child` is the root element of the `srcdoc` document of `e`.
fn holds_srcdoc_root(e: ElementRef<'_>, child: ElementRef<'_>) -> bool {
    let data = e.data();
    data.srcdoc != NONE && child.node_parent() == data.srcdoc && data.is("iframe")
}
