//! scrim for rrweb event streams: every event of a recording masked by the
//! compiled policy before it leaves the browser, and again on the server.
//!
//! ```text
//! let policy = Policy::from_json(artifact)?;           load once; fail closed
//! let mut session = Session::new(&policy, context);    one per recording
//! for event in recording {
//!     let output = session.mask_event(event_json);     zero, one or more events
//! }
//! session.stats()                                      masked, dropped by reason
//! session.set_context(consent, region)                 consent changed
//! session.block_selectors()                            for rrweb's `blockSelector`
//! block_selectors(&policy.page(&context))              the same, without a session
//! session.explain(id)                                  a node, as `scrim explain` reports it
//! ```
//!
//! A [`Session`] keeps a mirror of the recorded DOM with only what decisions
//! need (tags, the attributes selectors and floors read, parent and sibling
//! links, shadow-root and iframe boundaries, "ever a password") and decides
//! every node with the shared matcher: full snapshots top-down in one walk,
//! mutations from the mirror's ancestor chain. What happens to every event
//! type and field is described in `docs/rrweb.md`.
//!
//! Nothing here recurses over the input: JSON is parsed into an arena and
//! written with loops ([`json`]), and the mirror is walked with explicit
//! stacks, so a snapshot nested 100,000 levels deep costs heap, not stack.
//! The crate does no IO and builds for `wasm32-unknown-unknown`.

mod explain;
mod incremental;
pub(crate) mod json;
mod mutation;
mod nodes;
mod observe;
mod render;
mod session;
mod stats;
mod stream;
mod style;
mod tree;

pub use explain::ElementExplanation;
pub use json::{JsonError, find_byte};

/// Parses one JSON text and writes it back canonically (no whitespace, one
/// escaping), with the arena parser and writer the masker runs on: the cost
/// every masked event pays before any decision, for benchmarks to compare.
pub fn canonical_json(text: &str) -> Result<String, JsonError> {
    let json = json::Json::parse(text)?;
    let mut w = json::Writer::with_capacity(text.len());
    w.copy(&json, json.root());
    Ok(w.out)
}
pub use session::{Output, Session, block_selectors};
pub use stats::{DropReason, Stats};
pub use stream::{Shape, Stream, split_stream};
pub use tree::El;
