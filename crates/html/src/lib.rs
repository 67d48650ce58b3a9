//! scrim for HTML documents: parse a page, decide every element with the
//! compiled policy, and write it back with only what a recording may keep.
//!
//! ```text
//! Document::parse_bytes(bytes, encoding, &limits)   a page from outside:
//!                                        decoded, parsed under limits
//! Document::parse(html)                  trusted text, no limits
//!   mask_document(&doc, &page) -> String   the masked page (one iterative pass)
//!   doc.elements() / doc.select(css)       ElementRef handles for `explain`
//!   explain_element(&page, el)             what `explain` reports: each content's
//!                                          routing, outcome and deciding channels
//! ```
//!
//! Which channels decide each attribute and each element's text is one
//! routing, shared with every integration (`scrim_content::route`:
//! [`attribute_routing`], [`text_routing`]), that the masking pass writes
//! by and [`explain_element`] reports by.
//!
//! The tree the matcher sees is *flattened*: `<template>` contents are
//! children of their template, a declarative shadow root's content
//! (`<template shadowrootmode>`) is made of children of its host, and the
//! root element of an `<iframe srcdoc>` document is a child of the iframe.
//! What happens to each kind of content is described in `docs/html.md`.
//!
//! Nothing here recurses over the tree: parsing, flattening, masking and
//! serialising use loops and explicit stacks, so very deep documents cost
//! heap, not stack.

mod dom;
mod explain;
mod input;
mod mask;
mod sink;

use scrim_content::{css, events, urls};

pub use dom::{Document, ElementRef, Elements};
pub use events::is_event_handler;
pub use explain::{
    ContentExplanation, CssDecided, Decided, ElementExplanation, SourceExplanation, explain_element,
};
pub use input::{Decoded, EncodingSource, Limits, ReadError, decode};
pub use mask::{mask_document, mask_html};
pub use scrim_content::BLOCKED_ATTRIBUTE;
pub use scrim_content::explain::{Content, Unwritten};
pub use scrim_content::route::{
    CSS_STRINGS, CSS_URLS, Dropped, Form, Route, Routing, Source, UrlKind, attribute_routing,
    text_routing,
};

/// What a page that is not recorded becomes: an empty document.
pub const PAGE_OFF: &str = "<!DOCTYPE html><html><head></head><body></body></html>";
