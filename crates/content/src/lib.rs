//! What every scrim integration does with content that is not an element's
//! text: style sheets and `style` attributes ([`css`]), URLs in attributes
//! and how a URL is recorded ([`urls`]), and inline event handlers, which
//! are never recorded ([`events`]).
//!
//! These rules depend on no document model: the HTML masker (`scrim-html`)
//! and the rrweb event-stream masker (`scrim-rrweb`) call them with the
//! outcomes the matcher decided, so that a `<style>`, an `href` or an
//! `onclick` is recorded the same way in a page and in a recording.

pub mod css;
pub mod events;
pub mod urls;

pub use events::is_event_handler;
