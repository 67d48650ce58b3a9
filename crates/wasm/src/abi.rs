//! The module's state and every call of its boundary, in safe Rust.
//!
//! JavaScript and the module share two byte buffers in the module's
//! memory. To pass text in, JavaScript asks for the input buffer
//! ([`input`]: its address, large enough for what it will write), writes
//! UTF-8 there, and passes the number of bytes it wrote to the call. A
//! call that answers with text leaves it in the output buffer, whose
//! address and length JavaScript then reads ([`output_ptr`],
//! [`output_len`]). Numbers cross as numbers: handles, counts, and `-1`
//! for a call that failed.
//!
//! Policies and sessions are kept in the state and named by handles (their
//! index). A [`Session`] borrows its [`Policy`], so a loaded policy lives
//! as long as the module instance: the browser package instantiates the
//! module once per recorder, which loads one policy.

use scrim_matcher::{Context, PageDecision, Policy};
use scrim_rrweb::{DropReason, Session, block_selectors, find_byte};
use std::cell::RefCell;

/// What a failed call returns.
pub(crate) const FAILED: i32 = -1;

#[derive(Default)]
struct State {
    input: Vec<u8>,
    output: Vec<u8>,
    policies: Vec<&'static Policy>,
    /// A slab: a freed session leaves `None`, reused by the next one.
    sessions: Vec<Option<Session<'static>>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|state| f(&mut state.borrow_mut()))
}

impl State {
    /// The first `len` bytes of the input buffer, as text.
    fn input_text(&self, len: usize) -> Option<&str> {
        std::str::from_utf8(self.input.get(..len)?).ok()
    }

    fn policy(&self, handle: i32) -> Option<&'static Policy> {
        self.policies.get(usize::try_from(handle).ok()?).copied()
    }

    fn set_output(&mut self, text: &str) {
        self.output.clear();
        self.output.extend_from_slice(text.as_bytes());
    }
}

/// Makes the input buffer hold at least `capacity` bytes and returns its
/// address. Only this call moves or grows the buffer, so a caller may keep
/// the address and write up to `capacity` bytes there until it calls
/// `input` again.
pub(crate) fn input(capacity: usize) -> usize {
    with_state(|s| {
        if s.input.len() < capacity {
            s.input.resize(capacity, 0);
        }
        s.input.as_mut_ptr() as usize
    })
}

/// The address of the output buffer.
pub(crate) fn output_ptr() -> usize {
    with_state(|s| s.output.as_mut_ptr() as usize)
}

/// The length of what the last call wrote to the output buffer.
pub(crate) fn output_len() -> usize {
    with_state(|s| s.output.len())
}

/// Loads a compiled policy (the artifact's JSON text, `len` bytes of
/// input). Returns its handle; on failure `-1`, with the reason in the
/// output buffer. A policy that does not load gives no handle, so no
/// session, so nothing is ever masked, or written, with it.
pub(crate) fn policy_load(len: usize) -> i32 {
    with_state(|s| {
        let Some(text) = s.input_text(len) else {
            s.set_output("the policy is not UTF-8 text");
            return FAILED;
        };
        match Policy::from_json(text) {
            Ok(policy) => {
                let Ok(handle) = i32::try_from(s.policies.len()) else {
                    s.set_output("too many policies loaded");
                    return FAILED;
                };
                // A session borrows its policy for as long as it lives;
                // the module keeps every policy it loaded (see above).
                s.policies.push(Box::leak(Box::new(policy)));
                handle
            }
            Err(error) => {
                let message = error.to_string();
                s.set_output(&message);
                FAILED
            }
        }
    })
}

/// A recording context written as lines: the page URL, the region (an
/// empty line when unknown), then one consent category per line.
fn read_context(text: &str) -> Context {
    let mut lines = text.split('\n');
    let url = lines.next().unwrap_or_default().to_string();
    let region = lines.next().filter(|r| !r.is_empty()).map(str::to_string);
    let consent = lines
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    Context {
        url,
        consent,
        region,
    }
}

/// A new session under policy `policy`, its context in the input
/// ([`read_context`]). Returns its handle, or `-1`.
pub(crate) fn session_new(policy: i32, len: usize) -> i32 {
    with_state(|s| {
        let (Some(policy), Some(text)) = (s.policy(policy), s.input_text(len)) else {
            return FAILED;
        };
        let session = Some(Session::new(policy, read_context(text)));
        let slot = match s.sessions.iter().position(Option::is_none) {
            Some(free) => {
                s.sessions[free] = session;
                free
            }
            None => {
                s.sessions.push(session);
                s.sessions.len() - 1
            }
        };
        i32::try_from(slot).unwrap_or(FAILED)
    })
}

/// Runs `f` on session `handle`; `-1` when there is none.
fn with_session(
    handle: i32,
    f: impl FnOnce(&mut Session<'static>, &mut Buffers<'_>) -> i32,
) -> i32 {
    with_state(|s| {
        let State {
            input,
            output,
            sessions,
            ..
        } = s;
        let session = usize::try_from(handle)
            .ok()
            .and_then(|h| sessions.get_mut(h))
            .and_then(Option::as_mut);
        match session {
            Some(session) => f(session, &mut Buffers { input, output }),
            None => FAILED,
        }
    })
}

/// The input and output buffers, beside a borrowed session.
struct Buffers<'s> {
    input: &'s [u8],
    output: &'s mut Vec<u8>,
}

impl Buffers<'_> {
    fn text(&self, len: usize) -> Option<&str> {
        std::str::from_utf8(self.input.get(..len)?).ok()
    }
}

/// Ends session `handle`. Returns `0`, or `-1` when there is none.
pub(crate) fn session_free(handle: i32) -> i32 {
    with_state(|s| {
        match usize::try_from(handle)
            .ok()
            .and_then(|h| s.sessions.get_mut(h))
        {
            Some(slot @ Some(_)) => {
                *slot = None;
                0
            }
            _ => FAILED,
        }
    })
}

/// Masks events: the input holds one event per line (JSON text, as
/// `JSON.stringify` writes it, which never writes a raw line break). The
/// output holds what the recording keeps, one event per line (the masker
/// writes none either). Returns the output's length in bytes (`0`: nothing
/// is kept), or `-1`: one number, so that masking an event costs
/// JavaScript one call and one more to find the output.
pub(crate) fn session_mask(handle: i32, len: usize) -> i32 {
    with_session(handle, |session, buffers| {
        let Some(events) = buffers.input.get(..len) else {
            return FAILED;
        };
        buffers.output.clear();
        let mut rest = events;
        while !rest.is_empty() {
            let (event, next) = match find_byte(b'\n', rest) {
                Some(end) => (&rest[..end], &rest[end + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            if event.is_empty() {
                continue;
            }
            for masked in session.mask_event(event).events {
                if buffers.output.is_empty() {
                    // The first event written becomes the output as it is:
                    // a snapshot is not copied again.
                    *buffers.output = masked.into_bytes();
                } else {
                    buffers.output.push(b'\n');
                    buffers.output.extend_from_slice(masked.as_bytes());
                }
            }
        }
        i32::try_from(buffers.output.len()).unwrap_or(FAILED)
    })
}

/// Changes the visitor's consent and region (the input: a context, whose
/// URL line is ignored: the page is the stream's). The session then waits
/// for a full snapshot. Returns `0`, or `-1`.
pub(crate) fn session_set_context(handle: i32, len: usize) -> i32 {
    with_session(handle, |session, buffers| {
        let Some(text) = buffers.text(len) else {
            return FAILED;
        };
        let context = read_context(text);
        session.set_context(context.consent, context.region);
        0
    })
}

/// The block rules in force on the session's page, as a JSON array of
/// selectors in the output. Returns their number, or `-1`.
pub(crate) fn session_block_selectors(handle: i32) -> i32 {
    with_session(handle, |session, buffers| {
        write_selectors(buffers.output, &session.block_selectors())
    })
}

/// The session's counters, as a JSON object in the output:
/// `{"eventsIn":…,"eventsOut":…,"masked":…,"dropped":{"pageOff":…,…}}`.
/// Returns `0`, or `-1`.
pub(crate) fn session_stats(handle: i32) -> i32 {
    with_session(handle, |session, buffers| {
        let stats = session.stats();
        let mut json = format!(
            "{{\"eventsIn\":{},\"eventsOut\":{},\"masked\":{},\"dropped\":{{",
            stats.events_in, stats.events_out, stats.masked
        );
        for (k, &reason) in DropReason::ALL.iter().enumerate() {
            if k > 0 {
                json.push(',');
            }
            json.push('"');
            json.push_str(&camel_case(reason.as_str()));
            json.push_str("\":");
            json.push_str(&stats.dropped(reason).to_string());
        }
        json.push_str("}}");
        buffers.output.clear();
        buffers.output.extend_from_slice(json.as_bytes());
        0
    })
}

/// How policy `policy` decides a page (the input: a context): `1` when it
/// is recorded, `0` when it is off, `-1` on failure. The output holds the
/// block rules in force there as a JSON array of selectors (none when the
/// page is off). The browser package asks before it starts recording a
/// page, so that a page that is off is not even serialized.
pub(crate) fn page(policy: i32, len: usize) -> i32 {
    with_state(|s| {
        let (Some(policy), Some(text)) = (s.policy(policy), s.input_text(len)) else {
            return FAILED;
        };
        // The page alone: a session would also read the policy's selectors
        // for its mirror.
        let page = policy.page(&read_context(text));
        if write_selectors(&mut s.output, &block_selectors(&page)) < 0 {
            return FAILED;
        }
        i32::from(*page.decision() == PageDecision::Record)
    })
}

/// Writes `selectors` as a JSON array of strings.
fn write_selectors(output: &mut Vec<u8>, selectors: &[&str]) -> i32 {
    output.clear();
    output.push(b'[');
    for (k, selector) in selectors.iter().enumerate() {
        if k > 0 {
            output.push(b',');
        }
        write_json_string(output, selector);
    }
    output.push(b']');
    i32::try_from(selectors.len()).unwrap_or(FAILED)
}

/// `text` as a JSON string: quotes, backslashes and control characters
/// escaped.
fn write_json_string(output: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    output.push(b'"');
    for &b in text.as_bytes() {
        match b {
            b'"' | b'\\' => output.extend_from_slice(&[b'\\', b]),
            0..=0x1f => output.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]),
            _ => output.push(b),
        }
    }
    output.push(b'"');
}

/// `page off` → `pageOff`.
fn camel_case(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    let mut upper = false;
    for c in words.chars() {
        if c == ' ' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
