//! What every scrim integration does with the content of an element:
//! which channels decide each attribute and each element's text, and in
//! what form it is written ([`route`]); what `explain` reports of an
//! element by the same routing ([`explain`]); style sheets and `style`
//! attributes ([`css`]); URLs in attributes and how a URL is recorded
//! ([`urls`]); and inline event handlers, which are never recorded
//! ([`events`]).
//!
//! These rules depend on no document model: the HTML masker (`scrim-html`)
//! and the rrweb event-stream masker (`scrim-rrweb`) call them with their
//! elements (any [`scrim_matcher::Element`] with the few [`route::Facts`]
//! only an integration knows) and the outcomes the matcher decided, so
//! that a `<select>`, a `<style>`, an `href` or an `onclick` is recorded
//! the same way in a page and in a recording, and explained the same way.

pub mod css;
pub mod events;
pub mod explain;
pub mod route;
pub mod urls;

pub use events::is_event_handler;
pub use route::BLOCKED_ATTRIBUTE;
