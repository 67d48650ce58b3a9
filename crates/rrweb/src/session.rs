//! A recording session: the page it is on, the mirror of its DOM, and the
//! event loop that masks one event at a time.

use crate::json::{Ix, Json, Kind as J, Writer};
use crate::nodes::{Mirror, Watch, WriteScratch, read};
use crate::observe::Observed;
use crate::render::{Cursor, State, Work};
use crate::stats::{DropReason, Stats};
use crate::tree::{El, NONE, Tree};
use scrim_artifact::Action;
use scrim_content::urls;
use scrim_matcher::{ChannelOutcome, ChannelRef, Context, Decision, Page, PageDecision, Policy};

/// What masking one event gives: zero, one or more events, each one JSON
/// object. More than one when a decision became stricter and content
/// already in the replay is written again masked.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub events: Vec<String>,
}

/// One recording: the policy, the recording context, the page it is on
/// and the mirror of its DOM. Feed it every event of the recording, in
/// order, with [`Session::mask_event`].
///
/// The page URL is the latest Meta event's `href` (the context's `url`
/// until one comes); until the session knows a URL the runtime can read,
/// the page is off. A Meta event starts a new page: nothing but the Meta
/// event itself is written until the full snapshot that follows it (rrweb
/// writes the two together). A page that is off writes nothing at all.
pub struct Session<'p> {
    policy: &'p Policy,
    context: Context,
    page: Page<'p>,
    observed: Observed,
    pub(crate) tree: Tree,
    pub(crate) states: Vec<State<'p>>,
    /// A full snapshot was masked since the page turned on.
    live: bool,
    pub(crate) stats: Stats,
    watch: Option<Watch>,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("url", &self.context.url)
            .field("live", &self.live)
            .field("nodes", &self.tree.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

/// The parts of an event every output event keeps: `timestamp`, `delay`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Envelope<'j> {
    pub(crate) timestamp: Option<&'j str>,
    pub(crate) delay: Option<&'j str>,
}

impl Envelope<'_> {
    /// Writes `{"type":T,"data":` …
    pub(crate) fn open(&self, w: &mut Writer, kind: u8) {
        w.raw("{\"type\":");
        w.int(i64::from(kind));
        w.raw(",\"data\":");
    }

    /// … `,"timestamp":N}`.
    pub(crate) fn close(&self, w: &mut Writer) {
        if let Some(t) = self.timestamp {
            w.raw(",\"timestamp\":");
            w.raw(t);
        }
        if let Some(d) = self.delay {
            w.raw(",\"delay\":");
            w.raw(d);
        }
        w.byte('}');
    }
}

impl<'p> Session<'p> {
    /// A session for a recording under `policy`. `context.url` is where the
    /// recording starts (empty when unknown: the stream's Meta events name
    /// it); `consent` and `region` are the visitor's.
    pub fn new(policy: &'p Policy, context: Context) -> Session<'p> {
        let page = policy.page(&context);
        Session {
            policy,
            observed: Observed::from_policy(policy),
            page,
            context,
            tree: Tree::default(),
            states: Vec::new(),
            live: false,
            stats: Stats::default(),
            watch: None,
        }
    }

    /// Changes the visitor's consent and region. The page is decided again
    /// and starts over: nothing is written until the next full snapshot
    /// (the recorder takes one), and nothing at all if the page is off.
    pub fn set_context(&mut self, consent: Vec<String>, region: Option<String>) {
        self.context.consent = consent;
        self.context.region = region;
        self.restart();
    }

    fn restart(&mut self) {
        self.page = self.policy.page(&self.context);
        self.tree.clear();
        self.states.clear();
        self.live = false;
    }

    /// The page the session is on, as the policy decides it.
    pub fn page(&self) -> &Page<'p> {
        &self.page
    }

    /// The recording context: the page URL (the latest Meta event's), the
    /// consent and the region.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Whether the page is recorded.
    pub fn recording(&self) -> bool {
        *self.page.decision() == PageDecision::Record
    }

    /// What was masked and dropped so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The selectors of the `block` rules in force on this page, for the
    /// recorder (rrweb's `blockSelector`), so that blocked content is never
    /// even serialized. The masker blocks the same elements whatever the
    /// recorder does; none when the page is off.
    pub fn block_selectors(&self) -> Vec<&'p str> {
        block_selectors(&self.page)
    }

    /// The mirror element with rrweb id `id`, as the matcher sees it (for
    /// `explain`).
    pub fn element(&self, id: i64) -> Option<El<'_>> {
        let i = self.tree.get(id)?;
        (self.tree.node(i).kind == crate::tree::Kind::Element).then(|| El::new(&self.tree, i))
    }

    /// The decision element `id` is in the recording under, as the masker
    /// keeps it: `Recorded` or `Placeholder` (which stays one until it is
    /// removed, whatever the rules say now). `None` when the recording does
    /// not show it (an unknown id, a node inside a placeholder or a frame
    /// document that is not written, not an element). A channel that became
    /// less strict after its content was written says `Capture` here while
    /// the replay still shows that content masked.
    pub fn decision(&self, id: i64) -> Option<Decision<'p>> {
        let i = self.tree.get(id)?;
        let state = self.states.get(i as usize)?;
        let shown = state.shown != crate::render::Shown::Hidden;
        (shown && self.tree.node(i).kind == crate::tree::Kind::Element).then_some(state.decision)
    }

    /// Remembers the attributes node `id` is recorded with, for
    /// [`Session::explain`]: the mirror keeps no other attribute values.
    /// Call it before the node's events are masked.
    pub fn watch(&mut self, id: i64) {
        self.watch = Some(Watch {
            id,
            attributes: Vec::new(),
        });
    }

    /// The attributes the watched node `id` was last recorded with (none
    /// for a node that is not watched).
    pub(crate) fn watched(&self, id: i64) -> &[(String, String)] {
        self.watch
            .as_ref()
            .filter(|w| w.id == id)
            .map_or(&[], |w| &w.attributes)
    }

    /// Masks one event (its JSON text). Returns what the recording keeps:
    /// nothing when the event is dropped (see [`Session::stats`]).
    pub fn mask_event(&mut self, event: &[u8]) -> Output {
        self.stats.events_in += 1;
        let mut out = Output::default();
        let result = match std::str::from_utf8(event) {
            Ok(text) => match Json::parse(text) {
                Ok(json) => self.dispatch(&json, &mut out),
                Err(_) => Err(DropReason::Malformed),
            },
            Err(_) => Err(DropReason::Malformed),
        };
        if let Err(reason) = result {
            self.stats.drop(reason);
        }
        self.tree.end_event();
        self.stats.events_out += out.events.len() as u64;
        out
    }

    fn dispatch(&mut self, json: &Json<'_>, out: &mut Output) -> Result<(), DropReason> {
        let root = json.root();
        if json.kind(root) != J::Object {
            return Err(DropReason::Malformed);
        }
        let kind = json
            .get(root, "type")
            .and_then(|t| json.int(t))
            .ok_or(DropReason::Malformed)?;
        let number = |key: &str| json.get(root, key).and_then(|v| json.number(v));
        let env = Envelope {
            timestamp: number("timestamp"),
            delay: number("delay"),
        };
        let data = json.get(root, "data").ok_or(DropReason::Malformed)?;
        if json.kind(data) != J::Object {
            return Err(DropReason::Malformed);
        }
        match kind {
            // DomContentLoaded, Load: no content.
            0 | 1 => {
                if !self.recording() {
                    return Err(DropReason::PageOff);
                }
                let mut w = Writer::with_capacity(64);
                env.open(&mut w, kind as u8);
                w.raw("{}");
                env.close(&mut w);
                out.events.push(w.out);
                Ok(())
            }
            2 => self.full_snapshot(json, data, env, out),
            3 => {
                if !self.recording() || !self.live {
                    return Err(DropReason::PageOff);
                }
                let source = json
                    .get(data, "source")
                    .and_then(|s| json.int(s))
                    .ok_or(DropReason::Malformed)?;
                self.incremental(json, data, source, env, out)
            }
            4 => self.meta(json, data, env, out),
            // Custom and plugin events: the language has no statement that
            // keeps one, so none is kept.
            5 | 6 => Err(DropReason::NotKept),
            7 => {
                if !self.recording() || !self.live {
                    return Err(DropReason::PageOff);
                }
                self.asset(json, data, env, out)
            }
            _ => Err(DropReason::UnknownType),
        }
    }

    /// A Meta event: a new page view at `href`.
    fn meta(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        env: Envelope<'_>,
        out: &mut Output,
    ) -> Result<(), DropReason> {
        let href = json
            .get(data, "href")
            .and_then(|h| json.str(h))
            .ok_or(DropReason::Malformed)?;
        self.context.url = href.to_string();
        self.restart();
        if !self.recording() {
            return Err(DropReason::PageOff);
        }
        let href = urls::rewrite(href, ChannelOutcome::Capture, &self.page).unwrap_or_default();
        let mut w = Writer::with_capacity(href.len() + 96);
        env.open(&mut w, 4);
        w.raw("{\"href\":");
        w.str(&href);
        for key in ["width", "height"] {
            if let Some(v) = json.get(data, key).and_then(|v| json.number(v)) {
                w.raw(",\"");
                w.raw(key);
                w.raw("\":");
                w.raw(v);
            }
        }
        w.byte('}');
        env.close(&mut w);
        out.events.push(w.out);
        Ok(())
    }

    fn full_snapshot(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        env: Envelope<'_>,
        out: &mut Output,
    ) -> Result<(), DropReason> {
        if !self.recording() {
            return Err(DropReason::PageOff);
        }
        let node = json.get(data, "node").ok_or(DropReason::Malformed)?;
        self.tree.clear();
        self.states.clear();
        self.live = false;
        let root = read(self.mirror(), json, node, NONE, NONE, &mut Vec::new())?;
        if self.tree.node(root).kind != crate::tree::Kind::Document {
            self.tree.clear();
            return Err(DropReason::Malformed);
        }
        self.states.resize(self.tree.len(), State::hidden());
        let mut w = Writer::with_capacity(json_len_hint(json));
        env.open(&mut w, 2);
        w.raw("{\"node\":");
        {
            let mut work = self.work();
            work.write_tree(json, root, &mut w, false);
        }
        w.raw(",\"initialOffset\":{");
        let offset = json.get(data, "initialOffset");
        for (k, key) in ["top", "left"].into_iter().enumerate() {
            if k > 0 {
                w.byte(',');
            }
            w.key(key);
            let v = offset
                .and_then(|o| json.get(o, key))
                .and_then(|v| json.number(v))
                .unwrap_or("0");
            w.raw(v);
        }
        w.raw("}}");
        env.close(&mut w);
        out.events.push(w.out);
        self.live = true;
        Ok(())
    }

    /// The per-event work over the mirror.
    pub(crate) fn work(&mut self) -> Work<'_, '_, 'p> {
        let css_strings = self.page.default_outcome(ChannelRef::Text);
        Work {
            page: &self.page,
            tree: &self.tree,
            states: &mut self.states,
            stats: &mut self.stats,
            cursor: Cursor::new(&self.page),
            css_strings,
            scratch: WriteScratch::default(),
            masked_origins: Vec::new(),
            strategies: self.observed.strategies,
        }
    }

    pub(crate) fn observed(&self) -> &Observed {
        &self.observed
    }

    pub(crate) fn watch_mut(&mut self) -> Option<&mut Watch> {
        self.watch.as_mut()
    }

    /// The mirror, to read nodes into.
    pub(crate) fn mirror(&mut self) -> Mirror<'_> {
        Mirror {
            tree: &mut self.tree,
            observed: &self.observed,
            stats: &mut self.stats,
            watch: self.watch.as_mut(),
        }
    }
}

/// The selectors of the `block` rules in force on `page` (none when it is
/// off): [`Session::block_selectors`], for a page decided without a session.
pub fn block_selectors<'p>(page: &Page<'p>) -> Vec<&'p str> {
    if *page.decision() != PageDecision::Record {
        return Vec::new();
    }
    page.policy()
        .artifact()
        .rules
        .iter()
        .filter(|r| r.action == Action::Block && page.scope_applies(r.scope as usize))
        .map(|r| r.selector.as_str())
        .collect()
}

/// A guess of an event's masked size, to write it without regrowing.
fn json_len_hint(json: &Json<'_>) -> usize {
    json.source_len() + 64
}
