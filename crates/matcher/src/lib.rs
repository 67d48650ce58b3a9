//! The scrim runtime: loads a compiled policy artifact and decides pages and
//! elements, in the browser (through WASM) and on the ingest server alike.
//!
//! It depends on no parser other than the selector dialect's, does no IO,
//! and uses `regex-lite` for URL patterns, detectors and redactions, so the
//! browser module stays small.
//!
//! ```text
//! Policy::from_json(artifact)      load once; any doubt is an error
//!   .page(&Context { url, consent, region })   decide the page
//!     .walker()  enter(el) / leave()           decide a document top-down
//!     .decide(el) / .decide_channel(el, ch)    decide one element (mutations)
//!     .explain(el, ch)                         why
//! ```
//!
//! Integrations implement [`Element`] for their tree (see its docs).

mod decision;
mod defaults;
mod detect;
mod element;
mod explain;
mod index;
mod mask;
mod page;
mod policy;
mod redact;
mod reference;
mod url;
mod vocabulary;
mod walk;

pub use decision::{ChannelOutcome, ChannelRef, Decision, Status};
pub use element::{Element, HTML_NAMESPACE, Matchable, matching_context};
pub use explain::{Cause, Explanation, Lost, Step};
pub use mask::{mask_spans, mask_with, stars};
pub use page::{Context, OffReason, Page, PageDecision};
pub use policy::{LoadError, Policy};
pub use scrim_artifact::{Outcome, Strategy};
pub use url::{UrlParts, mask_url, scheme_is, split as split_url};
pub use vocabulary::attribute_is_form_state;
pub use walk::Walker;
