//! Deciding nodes and writing what a recording keeps of them: the per-node
//! state the mirror carries, the walk cursor, how each attribute of an
//! element is routed to a channel, and how text, attributes and
//! placeholders are written.
//!
//! The rules are those of `scrim mask` for HTML (`docs/html.md`), applied
//! to rrweb's serialized nodes: the same channels, the same style-sheet
//! and URL rewriting (`scrim-content`), plus rrweb's own attributes
//! (`_cssText`, `rr_dataURL`, `rr_src`, `rr_width` …).

use crate::json::{Ix, Json, Kind as J, Writer};
use crate::observe::is_length;
use crate::stats::Stats;
use crate::tree::{El, Tree};
use scrim_content::{css, events::is_event_handler, urls};
use scrim_matcher::{
    ChannelOutcome, Decision, Element, Page, Status, Strategy, Walker, attribute_is_form_state,
    mask_with, scheme_is, stars,
};
use std::borrow::Cow;

/// The default strategy, for content masked whatever the policy says.
pub(crate) static STARS: Strategy = Strategy::Stars;
pub(crate) const MASKED: ChannelOutcome<'static> = ChannelOutcome::Mask(&STARS);

/// What a recorded `<script>`'s text becomes (rrweb's own placeholder).
pub(crate) const SCRIPT_PLACEHOLDER: &str = "SCRIPT_PLACEHOLDER";
/// The attribute a blocked element's placeholder carries.
pub(crate) const BLOCKED_ATTRIBUTE: &str = "data-scrim-blocked";

pub(crate) fn stricter<'p>(a: ChannelOutcome<'p>, b: ChannelOutcome<'p>) -> ChannelOutcome<'p> {
    match (a, b) {
        (ChannelOutcome::Off, _) | (_, ChannelOutcome::Off) => ChannelOutcome::Off,
        (ChannelOutcome::Mask(_), _) => a,
        (_, ChannelOutcome::Mask(_)) => b,
        _ => ChannelOutcome::Capture,
    }
}

/// Whether a node is in the replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Not written: inside a placeholder, not recordable, or not yet seen.
    Hidden,
    Recorded,
    /// A blocked element written as a placeholder. It stays one until it is
    /// removed, whatever happens to the rules that blocked it.
    Placeholder,
}

/// Which channel an element's text children follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    Text,
    /// `<textarea>` content, anything inside a `<select>`: form state.
    Value,
    /// Inside `contenteditable`: the stricter of text and value.
    Editable,
    /// `<style>`: strings and URLs of a style sheet.
    Css,
    /// `<script>`: never recorded.
    Script,
}

/// What an element passes to its content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame<'p> {
    /// Inside a `<select>` or `<option>`: the stricter of their `value`
    /// outcomes.
    pub(crate) select: Option<ChannelOutcome<'p>>,
    /// The outcome of the element's form state (stricter with `select`).
    pub(crate) value: ChannelOutcome<'p>,
    pub(crate) text: TextKind,
    pub(crate) editable: bool,
}

impl Frame<'_> {
    pub(crate) const ROOT: Frame<'static> = Frame {
        select: None,
        value: ChannelOutcome::Off,
        text: TextKind::Text,
        editable: false,
    };
}

/// Where content written in clear sits, so that it can be written again
/// masked if its channel becomes stricter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A text node's content.
    Text,
    /// An attribute.
    Attr(Box<str>),
    /// The value an Input event set.
    Input { checked: bool },
    /// A canvas's image.
    Canvas,
}

/// Which parts of a piece of content were written in clear.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Clear {
    pub(crate) content: bool,
    pub(crate) urls: bool,
}

impl Clear {
    pub(crate) fn any(self) -> bool {
        self.content || self.urls
    }

    /// Whether content written under `self` is no longer allowed under
    /// `now`.
    pub(crate) fn lost_by(self, now: Clear) -> bool {
        (self.content && !now.content) || (self.urls && !now.urls)
    }
}

/// Content in the replay in clear, with its masked form: never the clear
/// content itself (stars keep only whitespace, masked URLs only scheme and
/// host).
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) slot: Slot,
    /// The masked form; `None` when masking removes it.
    pub(crate) masked: Option<Box<str>>,
    pub(crate) clear: Clear,
}

/// What the session keeps per node, beside the tree.
#[derive(Debug, Clone)]
pub(crate) struct State<'p> {
    pub(crate) shown: Shown,
    pub(crate) decision: Decision<'p>,
    pub(crate) frame: Frame<'p>,
    /// What an Input event on the element is written under: its value as
    /// its `value` attribute is written.
    pub(crate) typed: ChannelOutcome<'p>,
    pub(crate) records: Vec<Record>,
}

impl<'p> State<'p> {
    pub(crate) fn hidden() -> State<'p> {
        State {
            shown: Shown::Hidden,
            decision: Decision {
                status: Status::Hidden,
                text: ChannelOutcome::Off,
                value: ChannelOutcome::Off,
                media: ChannelOutcome::Off,
                events: ChannelOutcome::Off,
            },
            frame: Frame::ROOT,
            typed: ChannelOutcome::Off,
            records: Vec::new(),
        }
    }

    pub(crate) fn recorded(&self) -> bool {
        self.shown == Shown::Recorded
    }

    /// Replaces the record of `slot` (or removes it with `None`).
    pub(crate) fn set_record(&mut self, slot: &Slot, record: Option<Record>) {
        self.records.retain(|r| r.slot != *slot);
        self.records.extend(record);
    }
}

/// The walker, with the chain of elements it has entered, so that deciding
/// one node after another costs only the part of the chain that changes.
pub(crate) struct Cursor<'t, 'a, 'p> {
    walker: Walker<'a, 'p, El<'t>>,
    chain: Vec<u32>,
    scratch: Vec<u32>,
}

impl<'t, 'a, 'p> Cursor<'t, 'a, 'p> {
    pub(crate) fn new(page: &'a Page<'p>) -> Self {
        Cursor {
            walker: page.walker(),
            chain: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Makes element `target` the current one (`None`: above the root).
    pub(crate) fn goto(&mut self, tree: &'t Tree, target: Option<u32>) {
        if self.chain.last().copied() == target {
            return;
        }
        self.scratch.clear();
        let mut cur = target;
        while let Some(c) = cur {
            self.scratch.push(c);
            cur = tree.element_parent(c);
        }
        self.scratch.reverse();
        let common = self
            .chain
            .iter()
            .zip(&self.scratch)
            .take_while(|(a, b)| a == b)
            .count();
        while self.chain.len() > common {
            self.leave();
        }
        for k in common..self.scratch.len() {
            let e = self.scratch[k];
            self.walker.enter(El::new(tree, e));
            self.chain.push(e);
        }
    }

    /// Decides element `e`, a child of the current element, and makes it
    /// the current one.
    pub(crate) fn enter(&mut self, tree: &'t Tree, e: u32) -> Decision<'p> {
        let d = self.walker.enter(El::new(tree, e));
        self.chain.push(e);
        d
    }

    pub(crate) fn leave(&mut self) {
        self.walker.leave();
        self.chain.pop();
    }

    /// An attribute of the current element.
    pub(crate) fn attribute(&self, el: El<'t>, name: &str) -> ChannelOutcome<'p> {
        self.walker.attribute(el, name)
    }
}

/// How an attribute is decided and written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Route<'p> {
    /// Never recorded: handlers, `srcdoc`, script elements' attributes,
    /// unknown rrweb attributes.
    Never,
    /// A size (`rr_width`, `rr_height`): kept when it is a plain length.
    Length,
    /// A `<dialog>`'s `rr_open_mode`: `modal` or `non-modal`.
    OpenMode,
    /// `data-rr-is-password`: written `true`.
    PasswordMark,
    /// Structure that steers a parser: written in this one form, or left
    /// out (`None`), whatever the policy (as in a page).
    Fixed(Option<&'static str>),
    Plain(ChannelOutcome<'p>),
    /// An input's `type`: as `Plain`, but left out where the written value
    /// would read `hidden` (a masking text), as in a page.
    InputType(ChannelOutcome<'p>),
    /// `checked`, `selected`: kept as they are when the value is captured.
    FormFlag(ChannelOutcome<'p>),
    Style {
        attr: ChannelOutcome<'p>,
        strings: ChannelOutcome<'p>,
        urls: ChannelOutcome<'p>,
    },
    /// `_cssText`: a style sheet.
    Css {
        strings: ChannelOutcome<'p>,
        urls: ChannelOutcome<'p>,
    },
    Refresh(ChannelOutcome<'p>),
    Url {
        kind: urls::UrlKind,
        outcome: ChannelOutcome<'p>,
        /// An `<iframe>`, `<frame>`, `<object>` or `<embed>` document URL:
        /// a `data:` document that runs script is never recorded.
        document: bool,
    },
    /// `rr_dataURL`: a canvas or inlined image.
    DataUrl(ChannelOutcome<'p>),
    /// `rr_media*`: a media element's state.
    MediaState(ChannelOutcome<'p>),
    /// `rr_scrollLeft`, `rr_scrollTop`.
    Scroll(ChannelOutcome<'p>),
    /// An SVG animation value: dropped when it names a script URL.
    Animation(ChannelOutcome<'p>),
}

impl Route<'_> {
    /// What the route writes in clear.
    pub(crate) fn clear(&self) -> Clear {
        let cap = |o: &ChannelOutcome<'_>| o.is_capture();
        match self {
            Route::Plain(o)
            | Route::InputType(o)
            | Route::FormFlag(o)
            | Route::Refresh(o)
            | Route::Url { outcome: o, .. }
            | Route::DataUrl(o)
            | Route::MediaState(o)
            | Route::Animation(o) => Clear {
                content: cap(o),
                urls: false,
            },
            Route::Style {
                attr,
                strings,
                urls,
            } => Clear {
                content: cap(attr) && cap(strings),
                urls: cap(attr) && cap(urls),
            },
            Route::Css { strings, urls } => Clear {
                content: cap(strings),
                urls: cap(urls),
            },
            Route::Never
            | Route::Length
            | Route::OpenMode
            | Route::PasswordMark
            | Route::Fixed(_)
            | Route::Scroll(_) => Clear::default(),
        }
    }
}

/// An attribute as written.
#[derive(Debug)]
pub(crate) enum Written<'v> {
    Drop,
    Null,
    Str(Cow<'v, str>),
    /// A number or boolean, as its JSON text.
    Raw(&'v str),
    /// JSON text written here (a style object).
    Json(String),
}

/// Whether an element is never recorded as content: `<script>` and the
/// links that load scripts.
pub(crate) fn is_script(tree: &Tree, e: u32) -> bool {
    let tag = tree.tag(e);
    if tag == "script" {
        return true;
    }
    if tag != "link" || tree.node(e).svg {
        return false;
    }
    let has = |name: &str, words: &[&str]| {
        tree.attr(e, name).is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|t| words.iter().any(|w| t.eq_ignore_ascii_case(w)))
        })
    };
    has("rel", &["modulepreload"])
        || (has("rel", &["preload", "prefetch"]) && has("as", &["script", "worker"]))
}

/// The frame of element `e` decided `d`, under a parent with `parent`.
pub(crate) fn frame<'p>(tree: &Tree, e: u32, d: &Decision<'p>, parent: &Frame<'p>) -> Frame<'p> {
    let el = El::new(tree, e);
    let html = el.is_html();
    let editable = if html {
        match tree.attr(e, "contenteditable") {
            // Exactly: `"false "` is an invalid value, which inherits.
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(_) => true,
            None => parent.editable,
        }
    } else {
        parent.editable
    };
    let select = if el.is("select") || el.is("option") {
        Some(parent.select.map_or(d.value, |s| stricter(s, d.value)))
    } else {
        parent.select
    };
    let tag = tree.tag(e);
    let text = if is_script(tree, e) {
        TextKind::Script
    } else if tag == "style" {
        TextKind::Css
    } else if el.is("textarea") || select.is_some() {
        TextKind::Value
    } else if editable {
        TextKind::Editable
    } else {
        TextKind::Text
    };
    Frame {
        select,
        value: select.map_or(d.value, |s| stricter(s, d.value)),
        text,
        editable,
    }
}

/// The per-event work: the page, the tree (fixed while nodes are decided),
/// the states, the cursor.
pub(crate) struct Work<'t, 'a, 'p> {
    pub(crate) page: &'a Page<'p>,
    pub(crate) tree: &'t Tree,
    pub(crate) states: &'a mut Vec<State<'p>>,
    pub(crate) stats: &'a mut Stats,
    pub(crate) cursor: Cursor<'t, 'a, 'p>,
    /// The page's default for `text`: style-sheet strings follow it.
    pub(crate) css_strings: ChannelOutcome<'p>,
}

impl<'t, 'a, 'p> Work<'t, 'a, 'p> {
    pub(crate) fn state(&self, i: u32) -> &State<'p> {
        &self.states[i as usize]
    }

    /// The frame an element's content inherits from above `i` (the nearest
    /// element, through documents).
    pub(crate) fn parent_frame(&self, i: u32) -> Frame<'p> {
        match self.tree.element_parent(i) {
            Some(p) => self.states[p as usize].frame,
            None => Frame::ROOT,
        }
    }

    /// What a text or value is written as under `outcome`.
    pub(crate) fn render<'v>(
        &mut self,
        outcome: ChannelOutcome<'_>,
        text: &'v str,
    ) -> Option<Cow<'v, str>> {
        match outcome {
            ChannelOutcome::Off => None,
            ChannelOutcome::Capture => Some(self.page.scrub(text)),
            ChannelOutcome::Mask(strategy) => {
                self.stats.masked += 1;
                Some(Cow::Owned(mask_with(strategy, text)))
            }
        }
    }

    /// What an Input event on the current element `e`, just decided, is
    /// written under: for a form control, the stricter of its form state
    /// and `attr:value`, as its `value` attribute; else its form state.
    pub(crate) fn typed(&self, e: u32) -> ChannelOutcome<'p> {
        let el = El::new(self.tree, e);
        let value = self.states[e as usize].frame.value;
        if el.is("input") || el.is("textarea") || el.is("select") {
            stricter(value, self.cursor.attribute(el, "value"))
        } else {
            value
        }
    }

    /// The route of attribute `name` = `value` of the current element
    /// `e`.
    pub(crate) fn route(&self, e: u32, name: &str, value: &str) -> Route<'p> {
        let tree = self.tree;
        let el = El::new(tree, e);
        let state = &self.states[e as usize];
        let (d, frame) = (&state.decision, &state.frame);
        if is_event_handler(name) || frame.text == TextKind::Script {
            return Route::Never;
        }
        if let Some(rr) = name.strip_prefix("rr_") {
            return match rr {
                "width" | "height" => Route::Length,
                "open_mode" => Route::OpenMode,
                "dataURL" => Route::DataUrl(d.media),
                "src" if el.is("iframe") || el.is("frame") => Route::Url {
                    kind: urls::UrlKind::One,
                    outcome: self.cursor.attribute(el, "src"),
                    document: true,
                },
                "mediaState" | "mediaCurrentTime" | "mediaPlaybackRate" | "mediaMuted"
                | "mediaLoop" | "mediaVolume" => Route::MediaState(d.media),
                "scrollLeft" | "scrollTop" => Route::Scroll(d.events),
                _ => Route::Never,
            };
        }
        let tag = tree.tag(e);
        match name {
            "_cssText" if tag == "style" || (tag == "link" && el.is_html()) => {
                return Route::Css {
                    strings: stricter(self.css_strings, d.text),
                    urls: d.media,
                };
            }
            "_cssText" | BLOCKED_ATTRIBUTE => return Route::Never,
            "data-rr-is-password" => return Route::PasswordMark,
            "srcdoc" if el.is("iframe") => return Route::Never,
            _ => {}
        }
        let html = el.is_html();
        match (tag, name) {
            ("input", "type") if html && value.eq_ignore_ascii_case("hidden") => {
                return Route::Fixed(Some("hidden"));
            }
            // A recording is not parsed: no `annotation-xml` is an HTML
            // integration point, no `<template>` becomes a shadow root.
            ("annotation-xml", "encoding") => return Route::Fixed(None),
            ("template", "shadowrootmode") if html => return Route::Fixed(None),
            ("meta", "charset") if html => return Route::Fixed(Some("utf-8")),
            ("meta", "content")
                if html
                    && tree
                        .attr(e, "http-equiv")
                        .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-type")) =>
            {
                return Route::Fixed(Some("text/html; charset=utf-8"));
            }
            _ => {}
        }
        // As in a page: form state written as an attribute is the stricter
        // of the `value` channels and the attribute's own.
        let echoes_option = frame.select.is_some() && matches!(name, "label" | "value");
        if echoes_option || attribute_is_form_state(&el, name) {
            let outcome = stricter(frame.value, self.cursor.attribute(el, name));
            return if matches!(name, "checked" | "selected") {
                Route::FormFlag(outcome)
            } else {
                Route::Plain(outcome)
            };
        }
        if name == "style" {
            return Route::Style {
                attr: self.cursor.attribute(el, name),
                strings: stricter(self.css_strings, d.text),
                urls: d.media,
            };
        }
        if el.is("meta")
            && name == "content"
            && tree
                .attr(e, "http-equiv")
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
        {
            return Route::Refresh(self.cursor.attribute(el, name));
        }
        if let Some((kind, media)) = urls::url_attribute(el.is_html(), el.local_name(), name) {
            let mut outcome = self.cursor.attribute(el, name);
            if media {
                outcome = stricter(outcome, d.media);
            }
            return Route::Url {
                kind,
                outcome,
                document: el.is_html()
                    && matches!(tag, "iframe" | "frame" | "object" | "embed")
                    && matches!(name, "src" | "data"),
            };
        }
        if !el.is_html() && matches!(name, "to" | "from" | "values" | "by") {
            return Route::Animation(self.cursor.attribute(el, name));
        }
        if el.is("input") && name == "type" {
            return Route::InputType(self.cursor.attribute(el, name));
        }
        Route::Plain(self.cursor.attribute(el, name))
    }

    /// Writes attribute `name` = the JSON value `v` under `route`, and
    /// returns its record (content written in clear, with its masked form).
    pub(crate) fn attribute<'v>(
        &mut self,
        e: u32,
        route: Route<'p>,
        name: &str,
        json: &'v Json<'_>,
        v: Ix,
    ) -> (Written<'v>, Option<Record>) {
        let slot = || {
            if route_is_canvas(self.tree, e, name) {
                Slot::Canvas
            } else {
                Slot::Attr(name.into())
            }
        };
        let drop = (Written::Drop, None);
        let masked_if = |this: &mut Self, o: &ChannelOutcome<'_>| {
            if matches!(o, ChannelOutcome::Mask(_)) {
                this.stats.masked += 1;
            }
        };
        match json.kind(v) {
            J::Null => {
                return match route {
                    Route::Never => drop,
                    _ => (Written::Null, None),
                };
            }
            J::Number => {
                return match route {
                    Route::Scroll(o) | Route::MediaState(o) if o.is_capture() => {
                        (Written::Raw(json.number(v).unwrap_or("0")), None)
                    }
                    _ => drop,
                };
            }
            J::True | J::False => {
                let text = if json.kind(v) == J::True {
                    "true"
                } else {
                    "false"
                };
                return match route {
                    Route::FormFlag(o) if o.is_capture() && text == "true" => (
                        Written::Raw(text),
                        Some(Record {
                            slot: slot(),
                            masked: None,
                            clear: route.clear(),
                        }),
                    ),
                    Route::FormFlag(o) => {
                        masked_if(self, &o);
                        drop
                    }
                    Route::MediaState(o) if o.is_capture() => (Written::Raw(text), None),
                    _ => drop,
                };
            }
            J::Str => {}
            _ => return drop,
        }
        let value = json.str(v).unwrap_or("");
        if urls::is_script_url(value) && !matches!(route, Route::PasswordMark | Route::Fixed(_)) {
            // Whatever attribute holds it, as in a page: a replay needs no
            // script URL, and a browser may follow one in an attribute that
            // is not known to hold URLs.
            return drop;
        }
        let page = self.page;
        let clear = route.clear();
        // The written value, and the masked form of what is written in
        // clear.
        let (written, masked): (Option<Cow<'v, str>>, Option<Option<String>>) = match route {
            Route::Never | Route::Scroll(_) => (None, None),
            Route::Length => (is_length(value).then_some(Cow::Borrowed(value)), None),
            Route::OpenMode => (
                matches!(value, "modal" | "non-modal").then_some(Cow::Borrowed(value)),
                None,
            ),
            Route::PasswordMark => (Some(Cow::Borrowed("true")), None),
            Route::Fixed(written) => (written.map(Cow::Borrowed), None),
            Route::Plain(o) | Route::Animation(o) => {
                if matches!(route, Route::Animation(_)) && urls::mentions_script_url(value) {
                    (None, None)
                } else {
                    (self.render(o, value), Some(Some(stars(value))))
                }
            }
            Route::InputType(o) => (
                self.render(o, value).filter(|t| !reads_hidden(t)),
                Some(Some(stars(value))),
            ),
            Route::FormFlag(o) => {
                masked_if(self, &o);
                (o.is_capture().then_some(Cow::Borrowed(value)), Some(None))
            }
            Route::Style {
                attr,
                strings,
                urls,
            } => match attr {
                ChannelOutcome::Capture => (
                    Some(Cow::Owned(css::rewrite_declarations(
                        value, strings, urls, page,
                    ))),
                    Some(Some(stars(value))),
                ),
                _ => (self.render(attr, value), None),
            },
            Route::Css { strings, urls } => {
                masked_if(self, &strings);
                let written = css::rewrite(value, strings, urls, page);
                let masked = clear
                    .any()
                    .then(|| Some(css::rewrite(value, MASKED, MASKED, page)));
                (Some(Cow::Owned(written)), masked)
            }
            Route::Refresh(o) => {
                if urls::is_script_refresh(value) {
                    (None, None)
                } else if let (ChannelOutcome::Capture, Some((delay, url))) =
                    (o, urls::refresh_url(value))
                {
                    (
                        urls::rewrite(url, o, page)
                            .map(|url| Cow::Owned(format!("{delay}; url={url}"))),
                        Some(Some(stars(value))),
                    )
                } else {
                    (self.render(o, value), Some(Some(stars(value))))
                }
            }
            Route::Url {
                kind,
                outcome,
                document,
            } => {
                if document && urls::is_script_document_data_url(value) {
                    (None, None)
                } else {
                    masked_if(self, &outcome);
                    (
                        urls::rewrite_attribute(value, kind, outcome, page),
                        Some(
                            urls::rewrite_attribute(value, kind, MASKED, page).map(Cow::into_owned),
                        ),
                    )
                }
            }
            Route::DataUrl(o) => {
                masked_if(self, &o);
                let kept = o.is_capture() && scheme_is(value, &["data"]);
                (kept.then_some(Cow::Borrowed(value)), Some(None))
            }
            Route::MediaState(o) => {
                let kept = o.is_capture() && matches!(value, "played" | "paused");
                (kept.then_some(Cow::Borrowed(value)), None)
            }
        };
        let Some(written) = written else {
            return drop;
        };
        let record = match masked {
            Some(masked) if clear.any() && masked.as_deref() != Some(written.as_ref()) => {
                Some(Record {
                    slot: slot(),
                    masked: masked.map(String::into_boxed_str),
                    clear,
                })
            }
            _ => None,
        };
        (Written::Str(written), record)
    }

    /// What a text node under element `parent` is written as, with its
    /// record.
    pub(crate) fn text<'v>(
        &mut self,
        parent: u32,
        text: &'v str,
    ) -> (Cow<'v, str>, Option<Record>) {
        let (d, frame) = {
            let s = &self.states[parent as usize];
            (s.decision, s.frame)
        };
        let page = self.page;
        let outcome = match frame.text {
            TextKind::Script => return (Cow::Borrowed(SCRIPT_PLACEHOLDER), None),
            TextKind::Css => {
                let strings = stricter(self.css_strings, d.text);
                if matches!(strings, ChannelOutcome::Mask(_)) && !text.is_empty() {
                    self.stats.masked += 1;
                }
                let written = css::rewrite(text, strings, d.media, page);
                let clear = Clear {
                    content: strings.is_capture(),
                    urls: d.media.is_capture(),
                };
                let record = if clear.any() {
                    let masked = css::rewrite(text, MASKED, MASKED, page);
                    (masked != written).then(|| Record {
                        slot: Slot::Text,
                        masked: Some(masked.into()),
                        clear,
                    })
                } else {
                    None
                };
                return (Cow::Owned(written), record);
            }
            TextKind::Text => d.text,
            TextKind::Value => frame.value,
            TextKind::Editable => stricter(d.text, frame.value),
        };
        let outcome = if outcome.is_capture()
            && text.contains('<')
            && El::new(self.tree, parent).is("noscript")
        {
            // As in a page: a replay without scripts that parses it would
            // build elements no decision covered.
            MASKED
        } else {
            outcome
        };
        let written = self.render(outcome, text).unwrap_or_default();
        let record = outcome
            .is_capture()
            .then(|| stars(text))
            .and_then(|masked| {
                (masked != written).then(|| Record {
                    slot: Slot::Text,
                    masked: Some(masked.into()),
                    clear: Clear {
                        content: true,
                        urls: false,
                    },
                })
            });
        (written, record)
    }

    /// What the text children of element `parent` are written under now.
    pub(crate) fn text_clear(&self, parent: u32) -> Clear {
        let s = &self.states[parent as usize];
        if !s.recorded() {
            return Clear::default();
        }
        let (d, frame) = (&s.decision, &s.frame);
        match frame.text {
            TextKind::Script => Clear::default(),
            TextKind::Css => Clear {
                content: stricter(self.css_strings, d.text).is_capture(),
                urls: d.media.is_capture(),
            },
            TextKind::Text => Clear {
                content: d.text.is_capture(),
                urls: false,
            },
            TextKind::Value => Clear {
                content: frame.value.is_capture(),
                urls: false,
            },
            TextKind::Editable => Clear {
                content: stricter(d.text, frame.value).is_capture(),
                urls: false,
            },
        }
    }

    /// The strategy text under `parent` is masked with now (for writing a
    /// record again).
    pub(crate) fn text_outcome(&self, parent: u32) -> ChannelOutcome<'p> {
        let s = &self.states[parent as usize];
        let (d, frame) = (&s.decision, &s.frame);
        match frame.text {
            TextKind::Text => d.text,
            TextKind::Value => frame.value,
            TextKind::Editable => stricter(d.text, frame.value),
            TextKind::Css | TextKind::Script => MASKED,
        }
    }

    /// Writes the attributes object of the serialized element `e` (at
    /// `attrs` in `json`), keeping its records.
    pub(crate) fn attributes(
        &mut self,
        e: u32,
        json: &Json<'_>,
        attrs: Option<Ix>,
        w: &mut Writer,
    ) {
        w.byte('{');
        let mut first = true;
        let Some(attrs) = attrs else {
            w.byte('}');
            return;
        };
        let mut records = Vec::new();
        for (name, v) in json.unique_members(attrs) {
            let route = self.route(e, name, json.str(v).unwrap_or(""));
            let (written, record) = self.attribute(e, route, name, json, v);
            write_member(w, &mut first, name, &written);
            records.extend(record);
        }
        w.byte('}');
        self.states[e as usize].records = records;
    }

    /// Writes a placeholder for blocked element `e`: its tag, and its size
    /// when the recorder or its attributes give it.
    pub(crate) fn placeholder(&self, e: u32, w: &mut Writer) {
        let tree = self.tree;
        w.raw("{\"type\":2,\"tagName\":");
        w.str(tree.tag(e));
        w.raw(",\"attributes\":{");
        w.str(BLOCKED_ATTRIBUTE);
        w.raw(":\"\"");
        for (rr, plain) in [("rr_width", "width"), ("rr_height", "height")] {
            let size = tree.attr(e, rr).map(Cow::Borrowed).or_else(|| {
                tree.attr(e, plain).map(|v| {
                    let v = v.trim();
                    if v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                        Cow::Owned(format!("{v}px"))
                    } else {
                        Cow::Borrowed(v)
                    }
                })
            });
            if let Some(size) = size {
                w.byte(',');
                w.str(rr);
                w.byte(':');
                w.str(size.trim());
            }
        }
        w.raw("},\"childNodes\":[]");
        if tree.node(e).svg {
            w.raw(",\"isSVG\":true");
        }
    }
}

/// Whether an input's `type` written so would make it a hidden input.
pub(crate) fn reads_hidden(written: &str) -> bool {
    written.eq_ignore_ascii_case("hidden")
}

/// Whether attribute `name` of `e` holds a canvas's image.
fn route_is_canvas(tree: &Tree, e: u32, name: &str) -> bool {
    name == "rr_dataURL" && tree.tag(e) == "canvas"
}

/// Writes `"name":value` unless the attribute is dropped.
pub(crate) fn write_member(w: &mut Writer, first: &mut bool, name: &str, written: &Written<'_>) {
    let value = match written {
        Written::Drop => return,
        _ => written,
    };
    if !std::mem::take(first) {
        w.byte(',');
    }
    w.str(name);
    w.byte(':');
    match value {
        Written::Null => w.raw("null"),
        Written::Str(s) => w.str(s),
        Written::Raw(r) => w.raw(r),
        Written::Json(j) => w.raw(j),
        Written::Drop => {}
    }
}
