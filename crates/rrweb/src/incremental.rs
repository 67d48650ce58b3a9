//! Incremental snapshot events other than mutations, and asset events.
//!
//! | source | follows | written |
//! | --- | --- | --- |
//! | mouse move (1), touch move (6), drag (12) | each position's target: `events` | the positions whose target is recorded and its events captured |
//! | mouse interaction (2) | target: `events` | `type`, `id`, `x`, `y`, `pointerType` |
//! | scroll (3) | target (element or document): `events` | `id`, `x`, `y` |
//! | viewport resize (4) | — | `width`, `height` |
//! | input (5) | target: `events`, then `value` | `text` scrubbed or masked; `isChecked` kept when captured, `false` when masked |
//! | media interaction (7) | target: `media` | `type`, `id`, times, volume, flags |
//! | style sheet rule (8) | owner element: the style sheet's strings and URLs; constructed sheets (`styleId`): the page's defaults | rules rewritten as style sheets |
//! | canvas mutation (9) | target: `media` | commands, `fillText`/`strokeText` strings through the detectors, image URLs redacted |
//! | font (10) | the page's `media` default | `family` under the page's `text` default, `fontSource` URLs redacted |
//! | log (11) | — | never (console output) |
//! | style declaration (13) | as style sheet rules | the value rewritten as a declaration |
//! | selection (14) | each range's nodes: `events` | the ranges whose nodes are recorded and their events captured |
//! | adopted style sheet (15) | target: recorded | rules rewritten with the page's defaults |
//! | custom element (16) | — | `define.name` when it is a custom element name |

use crate::json::{Ix, Json, Kind as J, Writer};
use crate::render::{Clear, Record, Shown, Slot};
use crate::session::{Envelope, Output, Session};
use crate::stats::DropReason;
use crate::tree::Kind;
use scrim_content::route::{CSS_STRINGS, CSS_URLS, Outcomes};
use scrim_content::{css, urls};
use scrim_matcher::{ChannelOutcome, ChannelRef, Strategy, mask_with, stars};

/// A rule that matches nothing, written where a rule is dropped so that
/// the indices of the rules after it stay right.
const EMPTY_RULE: &str = "@media not all{}";

/// Canvas commands that draw nothing from the page: kept whatever `media`
/// says (they are how a canvas is cleared when its `media` is masked).
const CONTENT_FREE: &[&str] = &[
    "save",
    "restore",
    "setTransform",
    "resetTransform",
    "clearRect",
];

/// Whether a custom element name is one (ASCII form): a lowercase letter,
/// then lowercase letters, digits, `-`, `.`, `_`, with a `-`.
fn is_custom_element_name(name: &str) -> bool {
    name.len() <= 256
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.contains('-')
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_')
        })
}

/// A property name as a style declaration event may carry.
fn is_property(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 256
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Copies the numbers among `keys` that `obj` has, as `,"key":N`.
fn numbers(w: &mut Writer, json: &Json<'_>, obj: Ix, keys: &[&str]) {
    for key in keys {
        if let Some(v) = json.get(obj, key).and_then(|v| json.number(v)) {
            w.raw(",\"");
            w.raw(key);
            w.raw("\":");
            w.raw(v);
        }
    }
}

/// Copies the booleans among `keys` that `obj` has.
fn booleans(w: &mut Writer, json: &Json<'_>, obj: Ix, keys: &[&str]) {
    for key in keys {
        if let Some(v) = json.get(obj, key).and_then(|v| json.bool(v)) {
            w.raw(",\"");
            w.raw(key);
            w.raw(if v { "\":true" } else { "\":false" });
        }
    }
}

/// An index into a sheet's rules: a number, or a path of numbers.
fn write_index(w: &mut Writer, json: &Json<'_>, v: Ix) -> bool {
    match json.kind(v) {
        J::Number if json.int(v).is_some() => {
            w.raw(json.number(v).unwrap_or("0"));
            true
        }
        J::Array if json.items(v).all(|i| json.int(i).is_some()) => {
            w.copy(json, v);
            true
        }
        _ => false,
    }
}

impl<'p> Session<'p> {
    pub(crate) fn incremental(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        source: i64,
        env: Envelope<'_>,
        out: &mut Output,
    ) -> Result<(), DropReason> {
        let mut w = Writer::with_capacity(128);
        env.open(&mut w, 3);
        w.raw("{\"source\":");
        w.int(source);
        let written = match source {
            0 => return self.mutation(json, data, env, out),
            1 | 6 | 12 => self.moves(json, data, &mut w)?,
            2 => self.mouse_interaction(json, data, &mut w)?,
            3 => self.scroll(json, data, &mut w)?,
            4 => {
                numbers(&mut w, json, data, &["width", "height"]);
                true
            }
            5 => self.input(json, data, &mut w)?,
            7 => self.media(json, data, &mut w)?,
            8 => self.style_sheet_rule(json, data, &mut w)?,
            9 => self.canvas(json, data, &mut w)?,
            10 => self.font(json, data, &mut w)?,
            // Console output, recorded by old versions.
            11 => return Err(DropReason::NotKept),
            13 => self.style_declaration(json, data, &mut w)?,
            14 => self.selection(json, data, &mut w)?,
            15 => self.adopted_style_sheet(json, data, &mut w)?,
            16 => {
                let name = json
                    .get(data, "define")
                    .and_then(|d| json.get(d, "name"))
                    .and_then(|n| json.str(n))
                    .filter(|n| is_custom_element_name(n))
                    .ok_or(DropReason::Malformed)?;
                w.raw(",\"define\":{\"name\":");
                w.str(name);
                w.byte('}');
                true
            }
            _ => return Err(DropReason::UnknownType),
        };
        if !written {
            return Ok(());
        }
        w.byte('}');
        env.close(&mut w);
        out.events.push(w.out);
        Ok(())
    }

    /// The recorded node `id` names.
    fn target(&self, json: &Json<'_>, id: Option<Ix>) -> Result<u32, DropReason> {
        let id = id.and_then(|v| json.int(v)).ok_or(DropReason::Malformed)?;
        let i = self.tree.get(id).ok_or(DropReason::UnknownNode)?;
        match self.states[i as usize].shown {
            Shown::Recorded => Ok(i),
            _ => Err(DropReason::Blocked),
        }
    }

    /// The element whose decision covers node `i`: itself, the parent of a
    /// text, a document's root element (or its iframe).
    fn deciding_element(&self, i: u32) -> Option<u32> {
        let node = self.tree.node(i);
        match node.kind {
            Kind::Element => Some(i),
            Kind::Document => self
                .tree
                .children(i)
                .find(|&c| self.tree.node(c).kind == Kind::Element)
                .filter(|&c| self.states[c as usize].shown == Shown::Recorded)
                .or_else(|| self.tree.element_parent(i)),
            _ => self.tree.element_parent(i),
        }
    }

    fn events_of(&self, i: u32) -> ChannelOutcome<'p> {
        match self.deciding_element(i) {
            Some(e) => self.states[e as usize].decision.events,
            None => self.page().default_outcome(ChannelRef::Events),
        }
    }

    fn media_of(&self, i: u32) -> ChannelOutcome<'p> {
        match self.tree.node(i).kind {
            Kind::Element => self.states[i as usize].decision.media,
            _ => self.page().default_outcome(ChannelRef::Media),
        }
    }

    /// A target whose events are captured.
    fn event_target(&self, json: &Json<'_>, id: Option<Ix>) -> Result<u32, DropReason> {
        let i = self.target(json, id)?;
        if self.events_of(i).is_capture() {
            Ok(i)
        } else {
            Err(DropReason::Ignored)
        }
    }

    fn moves(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        let positions = json
            .get(data, "positions")
            .filter(|&p| json.kind(p) == J::Array)
            .ok_or(DropReason::Malformed)?;
        w.raw(",\"positions\":[");
        let mut kept = 0;
        for p in json.items(positions) {
            let target = if json.kind(p) == J::Object {
                self.event_target(json, json.get(p, "id"))
            } else {
                Err(DropReason::Malformed)
            };
            let Ok(i) = target.map_err(|r| self.stats.drop(r)) else {
                continue;
            };
            if kept > 0 {
                w.byte(',');
            }
            kept += 1;
            w.raw("{\"id\":");
            w.int(self.tree.node(i).id);
            numbers(w, json, p, &["x", "y", "timeOffset"]);
            w.byte('}');
        }
        w.byte(']');
        // With every position dropped (and counted), nothing is left.
        Ok(kept > 0 || json.items(positions).next().is_none())
    }

    fn mouse_interaction(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        w: &mut Writer,
    ) -> Result<bool, DropReason> {
        let kind = json
            .get(data, "type")
            .and_then(|t| json.int(t))
            .filter(|t| (0..=10).contains(t))
            .ok_or(DropReason::Malformed)?;
        let i = self.event_target(json, json.get(data, "id"))?;
        w.raw(",\"type\":");
        w.int(kind);
        w.raw(",\"id\":");
        w.int(self.tree.node(i).id);
        numbers(w, json, data, &["x", "y", "pointerType"]);
        Ok(true)
    }

    fn scroll(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        let i = self.event_target(json, json.get(data, "id"))?;
        w.raw(",\"id\":");
        w.int(self.tree.node(i).id);
        numbers(w, json, data, &["x", "y"]);
        Ok(true)
    }

    fn input(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        // The `events` channel covers input events too: an ignored element's
        // are dropped, and the others follow `value`.
        let i = self.event_target(json, json.get(data, "id"))?;
        if self.tree.node(i).kind != Kind::Element {
            return Err(DropReason::Malformed);
        }
        let text = json
            .get(data, "text")
            .and_then(|t| json.str(t))
            .ok_or(DropReason::Malformed)?;
        let checked = json
            .get(data, "isChecked")
            .and_then(|v| json.bool(v))
            .unwrap_or(false);
        let outcome = self.states[i as usize].typed;
        let (written, checked) = match outcome {
            ChannelOutcome::Capture => (self.page().scrub(text).into_owned(), checked),
            ChannelOutcome::Mask(strategy) => {
                self.stats.masked += 1;
                (mask_with(strategy, text), false)
            }
            ChannelOutcome::Off => return Err(DropReason::Blocked),
        };
        let masked = stars(text);
        // What the replay shows may be one of the policy's masking texts
        // (an Input event written again masked, in a recording masked
        // again): masked with that text, it is not written again.
        let shows = self
            .observed()
            .fixed_texts
            .iter()
            .find(|s| matches!(s, Strategy::Fixed { text } if *text == written))
            .cloned();
        let record = (outcome.is_capture() && (masked != written || checked)).then(|| Record {
            masked_with: shows,
            ..Record::new(Slot::Input { checked }, Some(masked.into()), Clear::CONTENT)
        });
        let state = &mut self.states[i as usize];
        state
            .records
            .retain(|r| !matches!(r.slot, Slot::Input { .. }));
        state.records.extend(record);
        w.raw(",\"id\":");
        w.int(self.tree.node(i).id);
        w.raw(",\"text\":");
        w.str(&written);
        w.raw(if checked {
            ",\"isChecked\":true"
        } else {
            ",\"isChecked\":false"
        });
        booleans(w, json, data, &["userTriggered"]);
        Ok(true)
    }

    fn media(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        let kind = json
            .get(data, "type")
            .and_then(|t| json.int(t))
            .filter(|t| (0..=4).contains(t))
            .ok_or(DropReason::Malformed)?;
        let i = self.target(json, json.get(data, "id"))?;
        if !self.media_of(i).is_capture() {
            return Err(DropReason::MediaMasked);
        }
        w.raw(",\"type\":");
        w.int(kind);
        w.raw(",\"id\":");
        w.int(self.tree.node(i).id);
        numbers(w, json, data, &["currentTime", "volume", "playbackRate"]);
        booleans(w, json, data, &["muted", "loop"]);
        Ok(true)
    }

    /// The owner of a style sheet event: `id` (an element, whose style
    /// channels decide) or `styleId` (a constructed sheet: the page's
    /// defaults). Writes the key; returns the strings and URL outcomes.
    fn sheet_owner(
        &self,
        json: &Json<'_>,
        data: Ix,
        w: &mut Writer,
    ) -> Result<(ChannelOutcome<'p>, ChannelOutcome<'p>), DropReason> {
        let page_text = self.page().default_outcome(ChannelRef::Text);
        if let Some(id) = json.get(data, "id") {
            let i = self.target(json, Some(id))?;
            let state = &self.states[i as usize];
            let outcomes = Outcomes::new(&state.decision, &state.frame, page_text);
            w.raw(",\"id\":");
            w.int(self.tree.node(i).id);
            // A style sheet rule reads no attribute's channel.
            let of = |sources| outcomes.of(sources, || ChannelOutcome::Off);
            return Ok((of(CSS_STRINGS), of(CSS_URLS)));
        }
        let style = json
            .get(data, "styleId")
            .and_then(|s| json.int(s))
            .ok_or(DropReason::Malformed)?;
        w.raw(",\"styleId\":");
        w.int(style);
        Ok((page_text, self.page().default_outcome(ChannelRef::Media)))
    }

    /// A rule (or sheet) rewritten; never empty where a rule must stand.
    fn rule(
        &mut self,
        text: &str,
        strings: ChannelOutcome<'p>,
        urls: ChannelOutcome<'p>,
        one_rule: bool,
    ) -> String {
        if matches!(strings, ChannelOutcome::Mask(_)) {
            self.stats.masked += 1;
        }
        let rewritten = css::rewrite(text, strings, urls, self.page());
        if one_rule && rewritten.is_empty() {
            EMPTY_RULE.to_string()
        } else {
            rewritten
        }
    }

    /// Rules `[{rule, index?}]`, rewritten.
    fn rules(
        &mut self,
        json: &Json<'_>,
        list: Ix,
        strings: ChannelOutcome<'p>,
        urls: ChannelOutcome<'p>,
        w: &mut Writer,
    ) -> Result<(), DropReason> {
        w.byte('[');
        for (k, add) in json.items(list).enumerate() {
            let rule = json
                .get(add, "rule")
                .and_then(|r| json.str(r))
                .ok_or(DropReason::Malformed)?;
            if k > 0 {
                w.byte(',');
            }
            w.raw("{\"rule\":");
            let rewritten = self.rule(rule, strings, urls, true);
            w.str(&rewritten);
            if let Some(index) = json.get(add, "index") {
                w.raw(",\"index\":");
                if !write_index(w, json, index) {
                    return Err(DropReason::Malformed);
                }
            }
            w.byte('}');
        }
        w.byte(']');
        Ok(())
    }

    fn style_sheet_rule(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        w: &mut Writer,
    ) -> Result<bool, DropReason> {
        let (strings, urls) = self.sheet_owner(json, data, w)?;
        if let Some(removes) = json.get(data, "removes") {
            w.raw(",\"removes\":[");
            for (k, r) in json.items(removes).enumerate() {
                if k > 0 {
                    w.byte(',');
                }
                w.raw("{\"index\":");
                let index = json.get(r, "index").ok_or(DropReason::Malformed)?;
                if !write_index(w, json, index) {
                    return Err(DropReason::Malformed);
                }
                w.byte('}');
            }
            w.byte(']');
        }
        if let Some(adds) = json.get(data, "adds") {
            w.raw(",\"adds\":");
            self.rules(json, adds, strings, urls, w)?;
        }
        for key in ["replace", "replaceSync"] {
            if let Some(sheet) = json.get(data, key) {
                let sheet = json.str(sheet).ok_or(DropReason::Malformed)?;
                let rewritten = self.rule(sheet, strings, urls, false);
                w.raw(",\"");
                w.raw(key);
                w.raw("\":");
                w.str(&rewritten);
            }
        }
        Ok(true)
    }

    fn style_declaration(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        w: &mut Writer,
    ) -> Result<bool, DropReason> {
        let (strings, urls) = self.sheet_owner(json, data, w)?;
        let index = json
            .get(data, "index")
            .filter(|&i| json.kind(i) == J::Array)
            .ok_or(DropReason::Malformed)?;
        w.raw(",\"index\":");
        if !write_index(w, json, index) {
            return Err(DropReason::Malformed);
        }
        let property = |obj: Ix| {
            json.get(obj, "property")
                .and_then(|p| json.str(p))
                .filter(|p| is_property(p))
                .ok_or(DropReason::Malformed)
        };
        if let Some(set) = json.get(data, "set") {
            let name = property(set)?;
            let important = json
                .get(set, "priority")
                .and_then(|p| json.str(p))
                .is_some_and(|p| p == "important");
            match json.get(set, "value").map(|v| (json.kind(v), v)) {
                Some((J::Str, v)) => {
                    let value = json.str(v).unwrap_or("");
                    let declaration = if important {
                        format!("{name}:{value}!important")
                    } else {
                        format!("{name}:{value}")
                    };
                    if matches!(strings, ChannelOutcome::Mask(_)) {
                        self.stats.masked += 1;
                    }
                    let rewritten =
                        css::rewrite_declarations(&declaration, strings, urls, self.page());
                    let value = rewritten
                        .strip_prefix(name)
                        .and_then(|r| r.strip_prefix(':'))
                        .map(|r| r.strip_suffix("!important").unwrap_or(r));
                    match value {
                        Some(value) => {
                            w.raw(",\"set\":{\"property\":");
                            w.str(name);
                            w.raw(",\"value\":");
                            w.str(value);
                            if important {
                                w.raw(",\"priority\":\"important\"");
                            }
                            w.byte('}');
                        }
                        // Nothing of the value may be recorded: the
                        // property is removed instead.
                        None => {
                            w.raw(",\"remove\":{\"property\":");
                            w.str(name);
                            w.byte('}');
                        }
                    }
                }
                Some((J::Null, _)) | None => {
                    w.raw(",\"set\":{\"property\":");
                    w.str(name);
                    w.raw(",\"value\":null}");
                }
                Some(_) => return Err(DropReason::Malformed),
            }
        }
        if let Some(remove) = json.get(data, "remove") {
            let name = property(remove)?;
            w.raw(",\"remove\":{\"property\":");
            w.str(name);
            w.byte('}');
        }
        Ok(true)
    }

    /// One canvas argument: drawn text through the detectors, image URLs
    /// redacted, the rest as it is.
    fn canvas_arg(&self, json: &Json<'_>, arg: Ix, drawn_text: bool, w: &mut Writer) {
        if drawn_text && let Some(text) = json.str(arg) {
            w.str(&self.page().scrub(text));
            return;
        }
        let image = json.kind(arg) == J::Object
            && json.get(arg, "rr_type").and_then(|t| json.str(t)) == Some("HTMLImageElement");
        if !image {
            w.copy(json, arg);
            return;
        }
        w.byte('{');
        let mut first = true;
        for (key, v) in json.members(arg) {
            if !std::mem::take(&mut first) {
                w.byte(',');
            }
            w.str(key);
            w.byte(':');
            match (key, json.str(v)) {
                ("src", Some(src)) => {
                    let src = urls::rewrite(src, ChannelOutcome::Capture, self.page())
                        .unwrap_or_default();
                    w.str(&src);
                }
                _ => w.copy(json, v),
            }
        }
        w.byte('}');
    }

    /// One canvas command; `false` when it is not written.
    fn canvas_command(
        &self,
        json: &Json<'_>,
        c: Ix,
        captured: bool,
        w: &mut Writer,
        first: &mut bool,
    ) -> Result<bool, DropReason> {
        let property = json
            .get(c, "property")
            .and_then(|p| json.str(p))
            .ok_or(DropReason::Malformed)?;
        let args = json
            .get(c, "args")
            .filter(|&a| json.kind(a) == J::Array)
            .ok_or(DropReason::Malformed)?;
        let content_free =
            CONTENT_FREE.contains(&property) && json.items(args).all(|a| json.kind(a) == J::Number);
        if !captured && !content_free {
            return Ok(false);
        }
        if !std::mem::take(first) {
            w.byte(',');
        }
        w.raw("{\"property\":");
        w.str(property);
        w.raw(",\"args\":[");
        let drawn_text = matches!(property, "fillText" | "strokeText");
        for (k, a) in json.items(args).enumerate() {
            if k > 0 {
                w.byte(',');
            }
            self.canvas_arg(json, a, drawn_text && k == 0, w);
        }
        w.byte(']');
        if json.get(c, "setter").and_then(|s| json.bool(s)) == Some(true) {
            w.raw(",\"setter\":true");
        }
        w.byte('}');
        Ok(true)
    }

    fn canvas(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        let i = self.target(json, json.get(data, "id"))?;
        let kind = json
            .get(data, "type")
            .and_then(|t| json.int(t))
            .ok_or(DropReason::Malformed)?;
        let captured = self.media_of(i).is_capture();
        w.raw(",\"id\":");
        w.int(self.tree.node(i).id);
        w.raw(",\"type\":");
        w.int(kind);
        let mut first = true;
        let mut written = 0;
        let mut drawn = false;
        let mut clears = false;
        let mut check = |json: &Json<'_>, c: Ix| {
            let property = json
                .get(c, "property")
                .and_then(|p| json.str(p))
                .unwrap_or("");
            if !CONTENT_FREE.contains(&property) {
                drawn = true;
            }
            if property == "clearRect" {
                let n: Vec<f64> = json
                    .get(c, "args")
                    .map(|a| {
                        json.items(a)
                            .filter_map(|x| json.number(x)?.parse().ok())
                            .collect()
                    })
                    .unwrap_or_default();
                if let [x, y, width, height] = n[..]
                    && x <= 0.0
                    && y <= 0.0
                    && width >= 100_000.0
                    && height >= 100_000.0
                {
                    clears = true;
                }
            }
        };
        if let Some(commands) = json.get(data, "commands") {
            w.raw(",\"commands\":[");
            for c in json.items(commands) {
                if self.canvas_command(json, c, captured, w, &mut first)? {
                    written += 1;
                    check(json, c);
                }
            }
            w.byte(']');
        } else {
            // One command inline: `{id, type, property, args, setter?}`.
            let mut inner = Writer::default();
            if self.canvas_command(json, data, captured, &mut inner, &mut first)? {
                written += 1;
                check(json, data);
                // Written without its braces, as the event's own fields.
                w.byte(',');
                w.raw(&inner.out[1..inner.out.len() - 1]);
            }
        }
        if written == 0 {
            return Err(DropReason::MediaMasked);
        }
        let state = &mut self.states[i as usize];
        if clears {
            state.records.retain(|r| r.slot != Slot::Canvas);
        }
        if captured && drawn && !state.records.iter().any(|r| r.slot == Slot::Canvas) {
            state
                .records
                .push(Record::new(Slot::Canvas, None, Clear::CONTENT));
        }
        Ok(true)
    }

    fn font(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        if !self.page().default_outcome(ChannelRef::Media).is_capture() {
            return Err(DropReason::MediaMasked);
        }
        let family = json
            .get(data, "family")
            .and_then(|f| json.str(f))
            .ok_or(DropReason::Malformed)?;
        let source = json
            .get(data, "fontSource")
            .and_then(|f| json.str(f))
            .ok_or(DropReason::Malformed)?;
        let buffer = json
            .get(data, "buffer")
            .and_then(|b| json.bool(b))
            .unwrap_or(false);
        let text = self.page().default_outcome(ChannelRef::Text);
        // A family name is content, as in a style sheet.
        let family = match text {
            ChannelOutcome::Capture => self.page().scrub(family).into_owned(),
            _ => {
                self.stats.masked += 1;
                stars(family)
            }
        };
        let source = if buffer {
            // The font file's bytes, as a JSON array of numbers in a string.
            if !source
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'[' | b']' | b','))
            {
                return Err(DropReason::Malformed);
            }
            source.to_string()
        } else {
            let declaration = format!("src:{source}");
            let rewritten =
                css::rewrite_declarations(&declaration, text, ChannelOutcome::Capture, self.page());
            rewritten
                .strip_prefix("src:")
                .map(str::to_string)
                .ok_or(DropReason::Malformed)?
        };
        w.raw(",\"family\":");
        w.str(&family);
        w.raw(",\"fontSource\":");
        w.str(&source);
        w.raw(if buffer {
            ",\"buffer\":true"
        } else {
            ",\"buffer\":false"
        });
        if let Some(descriptors) = json
            .get(data, "descriptors")
            .filter(|&d| json.kind(d) == J::Object)
        {
            const KNOWN: &[&str] = &[
                "style",
                "weight",
                "stretch",
                "unicodeRange",
                "variant",
                "featureSettings",
                "variationSettings",
                "display",
                "ascentOverride",
                "descentOverride",
                "lineGapOverride",
                "sizeAdjust",
            ];
            w.raw(",\"descriptors\":{");
            let mut first = true;
            for (key, v) in json.members(descriptors) {
                if let (true, Some(v)) = (KNOWN.contains(&key), json.str(v)) {
                    w.member(&mut first, key);
                    w.str(v);
                }
            }
            w.byte('}');
        }
        Ok(true)
    }

    fn selection(&mut self, json: &Json<'_>, data: Ix, w: &mut Writer) -> Result<bool, DropReason> {
        let ranges = json
            .get(data, "ranges")
            .filter(|&r| json.kind(r) == J::Array)
            .ok_or(DropReason::Malformed)?;
        w.raw(",\"ranges\":[");
        let (mut kept, mut seen) = (0, 0);
        for r in json.items(ranges) {
            seen += 1;
            let ends = (|| {
                let start = self.event_target(json, json.get(r, "start"))?;
                let end = self.event_target(json, json.get(r, "end"))?;
                Ok::<_, DropReason>((start, end))
            })();
            let Ok((start, end)) = ends.map_err(|reason| self.stats.drop(reason)) else {
                continue;
            };
            if kept > 0 {
                w.byte(',');
            }
            kept += 1;
            w.raw("{\"start\":");
            w.int(self.tree.node(start).id);
            numbers(w, json, r, &["startOffset"]);
            w.raw(",\"end\":");
            w.int(self.tree.node(end).id);
            numbers(w, json, r, &["endOffset"]);
            w.byte('}');
        }
        w.byte(']');
        // With every range dropped (and counted), nothing is left.
        Ok(seen == 0 || kept > 0)
    }

    fn adopted_style_sheet(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        w: &mut Writer,
    ) -> Result<bool, DropReason> {
        let i = self.target(json, json.get(data, "id"))?;
        let strings = self.page().default_outcome(ChannelRef::Text);
        let urls = self.page().default_outcome(ChannelRef::Media);
        w.raw(",\"id\":");
        w.int(self.tree.node(i).id);
        if let Some(styles) = json.get(data, "styles") {
            w.raw(",\"styles\":[");
            for (k, s) in json.items(styles).enumerate() {
                let style = json
                    .get(s, "styleId")
                    .and_then(|v| json.int(v))
                    .ok_or(DropReason::Malformed)?;
                let rules = json.get(s, "rules").ok_or(DropReason::Malformed)?;
                if k > 0 {
                    w.byte(',');
                }
                w.raw("{\"styleId\":");
                w.int(style);
                w.raw(",\"rules\":");
                self.rules(json, rules, strings, urls, w)?;
                w.byte('}');
            }
            w.byte(']');
        }
        let ids = json
            .get(data, "styleIds")
            .filter(|&s| json.kind(s) == J::Array && json.items(s).all(|i| json.int(i).is_some()))
            .ok_or(DropReason::Malformed)?;
        w.raw(",\"styleIds\":");
        w.copy(json, ids);
        Ok(true)
    }

    /// An asset event: an image or style sheet a page element refers to by
    /// URL. No node says which element uses it, so it follows the page's
    /// defaults: `media` for the asset, `text` for a style sheet's strings.
    pub(crate) fn asset(
        &mut self,
        json: &Json<'_>,
        data: Ix,
        env: Envelope<'_>,
        out: &mut Output,
    ) -> Result<(), DropReason> {
        let media = self.page().default_outcome(ChannelRef::Media);
        if !media.is_capture() {
            return Err(DropReason::MediaMasked);
        }
        let url = json
            .get(data, "url")
            .and_then(|u| json.str(u))
            .ok_or(DropReason::Malformed)?;
        let url = urls::rewrite(url, ChannelOutcome::Capture, self.page())
            .ok_or(DropReason::Malformed)?;
        let mut w = Writer::with_capacity(json.source_len() + 64);
        env.open(&mut w, 7);
        w.raw("{\"url\":");
        w.str(&url);
        if let Some(payload) = json
            .get(data, "payload")
            .filter(|&p| json.kind(p) == J::Object)
        {
            w.raw(",\"payload\":");
            let kind = json.get(payload, "rr_type").and_then(|t| json.str(t));
            if kind == Some("CssText") {
                let texts = json
                    .get(payload, "cssTexts")
                    .filter(|&t| json.kind(t) == J::Array)
                    .ok_or(DropReason::Malformed)?;
                let strings = self.page().default_outcome(ChannelRef::Text);
                w.raw("{\"rr_type\":\"CssText\",\"cssTexts\":[");
                for (k, t) in json.items(texts).enumerate() {
                    let text = json.str(t).ok_or(DropReason::Malformed)?;
                    if k > 0 {
                        w.byte(',');
                    }
                    let rewritten = self.rule(text, strings, media, false);
                    w.str(&rewritten);
                }
                w.raw("]}");
            } else {
                w.copy(json, payload);
            }
        } else if let Some(failed) = json
            .get(data, "failed")
            .filter(|&f| json.kind(f) == J::Object)
        {
            // The browser's error message may quote the URL: not kept.
            w.raw(",\"failed\":{\"message\":\"\"");
            numbers(&mut w, json, failed, &["status"]);
            w.byte('}');
        } else {
            return Err(DropReason::Malformed);
        }
        numbers(&mut w, json, data, &["timestamp"]);
        w.byte('}');
        env.close(&mut w);
        out.events.push(w.out);
        Ok(())
    }
}
