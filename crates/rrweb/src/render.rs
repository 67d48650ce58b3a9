//! Deciding nodes and writing what a recording keeps of them: the per-node
//! state the mirror carries, the walk cursor, how each attribute of an
//! element is routed to a channel, and how text, attributes and
//! placeholders are written.
//!
//! Which channels decide each text and attribute, and in what form it is
//! written, is the routing `scrim mask` writes pages by
//! (`scrim_content::route`): the same channels, the same style-sheet and
//! URL rewriting, applied to rrweb's serialized nodes. rrweb's own
//! attributes (`_cssText`, `rr_dataURL`, `rr_src`, `rr_width` …) are routed
//! here, in the same terms where they are page content (a `_cssText` is a
//! style sheet, an `rr_src` a frame's `src`).

use crate::json::{Ix, Json, Kind as J, Writer};
use crate::nodes::WriteScratch;
use crate::observe::is_length;
use crate::stats::Stats;
use crate::style::{self, Declaration};
use crate::tree::{El, Tree};
use scrim_content::route::{
    self, CSS_URLS, Form, Level, Outcomes, Route as Routed, Routing, Source, stricter,
};
use scrim_content::urls::UrlKind;
use scrim_content::{BLOCKED_ATTRIBUTE, css, urls};
use scrim_matcher::{
    ChannelOutcome, Decision, Element, Page, Status, Strategy, Walker, mask_with, scheme_is, stars,
};
use std::borrow::Cow;

/// The default strategy, for content masked whatever the policy says.
pub(crate) static STARS: Strategy = Strategy::Stars;
pub(crate) const MASKED: ChannelOutcome<'static> = ChannelOutcome::Mask(&STARS);

/// What a recorded `<script>`'s text becomes (rrweb's own placeholder).
pub(crate) const SCRIPT_PLACEHOLDER: &str = "SCRIPT_PLACEHOLDER";

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

/// What an element passes to its content: the facts its routes inherit
/// and the outcome of its form state.
pub(crate) type Frame<'p> = Level<'p>;

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
    /// Text content, no URLs.
    pub(crate) const CONTENT: Clear = Clear {
        content: true,
        urls: false,
    };

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
    /// For a captured `style`: its declarations that hold content in
    /// clear, so that only they are written again masked when its strings
    /// or URLs become stricter ([`crate::style`]).
    pub(crate) declarations: Vec<Declaration>,
    /// Content written masked: the strategy it was written with, to write
    /// it again when another strategy that needs no content (a fixed text
    /// or length) applies. Kept only when a rule picks one
    /// ([`crate::observe::Observed::strategies`]). For a typed value in
    /// clear: the masking text it reads as, when it is one of the
    /// policy's (it needs no writing again masked with that text).
    pub(crate) masked_with: Option<Strategy>,
}

impl Record {
    pub(crate) fn new(slot: Slot, masked: Option<Box<str>>, clear: Clear) -> Record {
        Record {
            slot,
            masked,
            clear,
            declarations: Vec::new(),
            masked_with: None,
        }
    }
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
    /// The frame's documents are not recorded: an `<iframe srcdoc>` whose
    /// `srcdoc` is not captured (it is written masked instead, as a page
    /// writes it).
    pub(crate) documents_hidden: bool,
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
            frame: Level::ROOT,
            typed: ChannelOutcome::Off,
            documents_hidden: false,
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

/// How an attribute is decided and written: page content by the shared
/// routing, with the outcomes of its channels; rrweb's own attributes by
/// rrweb's rules.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Route<'p> {
    /// Never recorded: handlers, script URLs, `srcdoc`, script elements'
    /// attributes, unknown rrweb attributes.
    Never,
    /// Structure that steers a parser: written in this one form, or left
    /// out (`None`), whatever the policy.
    Fixed(Option<&'static str>),
    /// Page content written in `form` (text, a flag, URLs, a refresh, an
    /// input's type) under the outcome of its channels.
    Content {
        form: Form,
        outcome: ChannelOutcome<'p>,
    },
    /// A `style` attribute: the attribute's outcome, and its sheet's.
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
    /// A size (`rr_width`, `rr_height`): kept when it is a plain length.
    Length,
    /// A `<dialog>`'s `rr_open_mode`: `modal` or `non-modal`.
    OpenMode,
    /// `data-rr-is-password`: written `true`.
    PasswordMark,
    /// `rr_dataURL`: a canvas or inlined image.
    DataUrl(ChannelOutcome<'p>),
    /// `rr_media*`: a media element's state.
    MediaState(ChannelOutcome<'p>),
    /// `rr_scrollLeft`, `rr_scrollTop`.
    Scroll(ChannelOutcome<'p>),
}

impl Route<'_> {
    /// What the route writes in clear.
    pub(crate) fn clear(&self) -> Clear {
        let cap = |o: &ChannelOutcome<'_>| o.is_capture();
        match self {
            Route::Content { outcome: o, .. } | Route::DataUrl(o) | Route::MediaState(o) => Clear {
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

impl<'p> Route<'p> {
    /// The strategy content is masked with under this route, when it
    /// writes the strategy's output (not a masked URL, which keeps its
    /// scheme and host whatever the strategy, nor a flag, left out).
    pub(crate) fn strategy(&self) -> Option<&'p Strategy> {
        match *self {
            Route::Content {
                form: Form::Text | Form::Markup | Form::Refresh | Form::Srcdoc | Form::InputType,
                outcome: ChannelOutcome::Mask(strategy),
            }
            | Route::Style {
                attr: ChannelOutcome::Mask(strategy),
                ..
            } => Some(strategy),
            _ => None,
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

/// The frame of element `e` decided `d`, under a parent with `parent`.
pub(crate) fn frame<'p>(tree: &Tree, e: u32, d: &Decision<'p>, parent: &Frame<'p>) -> Frame<'p> {
    parent.child(&El::new(tree, e), d.value)
}

/// How the text children of an element are written: the routing, and the
/// outcome of its channels (off when the text is dropped).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextRoute<'p> {
    pub(crate) routing: Routing,
    pub(crate) outcome: ChannelOutcome<'p>,
    /// For a style sheet: its URLs' outcome.
    pub(crate) urls: ChannelOutcome<'p>,
}

impl TextRoute<'_> {
    /// A script's text: never recorded.
    pub(crate) fn dropped(&self) -> bool {
        !matches!(self.routing.route, Routed::Stricter(_))
    }

    pub(crate) fn is_css(&self) -> bool {
        self.routing.form == Form::Css
    }

    /// What text written under it keeps in clear.
    pub(crate) fn clear(&self) -> Clear {
        Clear {
            content: !self.dropped() && self.outcome.is_capture(),
            urls: self.is_css() && self.urls.is_capture(),
        }
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
    pub(crate) scratch: WriteScratch,
    /// Origins of URLs masked in this event, with their masked form
    /// ([`Work::masked_url`]).
    pub(crate) masked_origins: Vec<(Box<str>, Option<String>)>,
    /// Whether content written masked is remembered with its strategy.
    pub(crate) strategies: bool,
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

    /// The outcomes the routes of element `i`'s content read.
    fn outcomes(&self, i: u32) -> Outcomes<'p> {
        let state = &self.states[i as usize];
        Outcomes::new(&state.decision, &state.frame, self.css_strings)
    }

    /// What an Input event on the current element `e`, just decided, is
    /// written under: its value as its `value` attribute is written (for a
    /// form control, the stricter of its form state and `attr:value`), and
    /// never less strict than its form state.
    pub(crate) fn typed(&self, e: u32) -> ChannelOutcome<'p> {
        let el = El::new(self.tree, e);
        let form_state = self.states[e as usize].frame.form_state;
        if !(el.is("input") || el.is("textarea") || el.is("select")) {
            return form_state;
        }
        match self.page_route(e, "value", "") {
            Route::Content { outcome, .. } => stricter(form_state, outcome),
            _ => ChannelOutcome::Off,
        }
    }

    /// Whether the documents of the current element `e`, just decided,
    /// are not recorded: `e` is an `<iframe srcdoc>` whose `srcdoc` is not
    /// captured.
    pub(crate) fn documents_hidden(&self, e: u32) -> bool {
        El::new(self.tree, e).is("iframe")
            && self.tree.attr(e, "srcdoc").is_some()
            && !matches!(
                self.route(e, "srcdoc", ""),
                Route::Content {
                    form: Form::Srcdoc,
                    outcome: ChannelOutcome::Capture,
                }
            )
    }

    /// The route of attribute `name` = `value` of the current element
    /// `e`.
    pub(crate) fn route(&self, e: u32, name: &str, value: &str) -> Route<'p> {
        let el = El::new(self.tree, e);
        let state = &self.states[e as usize];
        if state.frame.inherited.script {
            return Route::Never;
        }
        let d = &state.decision;
        if let Some(rr) = name.strip_prefix("rr_") {
            return match rr {
                "width" | "height" => Route::Length,
                "open_mode" => Route::OpenMode,
                "dataURL" => Route::DataUrl(d.media),
                // The frame's URL, which rrweb keeps instead of `src`.
                "src" if el.is("iframe") || el.is("frame") => self.page_route(e, "src", value),
                "mediaState" | "mediaCurrentTime" | "mediaPlaybackRate" | "mediaMuted"
                | "mediaLoop" | "mediaVolume" => Route::MediaState(d.media),
                "scrollLeft" | "scrollTop" => Route::Scroll(d.events),
                _ => Route::Never,
            };
        }
        match name {
            // A style sheet rrweb inlined: a `<style>`'s text, as a page's.
            "_cssText" if el.local_name() == "style" || el.is("link") => {
                self.content(e, "", Routing::STYLE_SHEET)
            }
            "_cssText" | BLOCKED_ATTRIBUTE => Route::Never,
            "data-rr-is-password" => Route::PasswordMark,
            _ => self.page_route(e, name, value),
        }
    }

    /// The route of attribute `name` = `value` of the current element `e`
    /// as page content: by the shared routing.
    fn page_route(&self, e: u32, name: &str, value: &str) -> Route<'p> {
        let el = El::new(self.tree, e);
        let inherited = self.states[e as usize].frame.inherited;
        self.content(e, name, route::attribute(&el, inherited, name, value))
    }

    /// Content of the current element `e` routed by `routing`, with the
    /// outcomes of its channels (`name`: the attribute whose `attr:NAME`
    /// it reads).
    fn content(&self, e: u32, name: &str, routing: Routing) -> Route<'p> {
        let sources = match routing.route {
            Routed::Dropped(_) => return Route::Never,
            Routed::Fixed(written) => return Route::Fixed(written),
            Routed::Stricter(sources) => sources,
        };
        let el = El::new(self.tree, e);
        let outcomes = self.outcomes(e);
        let of = |sources: &[Source]| outcomes.of(sources, || self.cursor.attribute(el, name));
        let outcome = of(sources);
        match routing.form {
            Form::Style => Route::Style {
                attr: outcome,
                strings: of(route::CSS_STRINGS),
                urls: of(CSS_URLS),
            },
            Form::Css => Route::Css {
                strings: outcome,
                urls: of(CSS_URLS),
            },
            form => Route::Content { form, outcome },
        }
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
                    Route::Content {
                        form: Form::Flag,
                        outcome: o,
                    } if o.is_capture() && text == "true" => (
                        Written::Raw(text),
                        Some(Record::new(slot(), None, route.clear())),
                    ),
                    Route::Content {
                        form: Form::Flag,
                        outcome: o,
                    } => {
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
            Route::Content { form, outcome: o } => match form {
                Form::Text | Form::Markup => (self.render(o, value), Some(Some(stars(value)))),
                // Any other type that would read `hidden` would make the
                // input a hidden one.
                Form::InputType => (
                    self.render(o, value).filter(|t| !reads_hidden(t)),
                    Some(Some(stars(value))),
                ),
                Form::Flag => {
                    masked_if(self, &o);
                    (o.is_capture().then_some(Cow::Borrowed(value)), Some(None))
                }
                Form::Url(kind) => {
                    masked_if(self, &o);
                    // The masked form only matters for a record, of what is
                    // written in clear.
                    let masked = clear.any().then(|| self.masked_url(value, kind));
                    (urls::rewrite_attribute(value, kind, o, page), masked)
                }
                Form::Refresh => match (o, urls::refresh_url(value)) {
                    // The URL it navigates to is a recorded URL: redacted.
                    (ChannelOutcome::Capture, Some((delay, url))) => (
                        urls::rewrite(url, o, page)
                            .map(|url| Cow::Owned(format!("{delay}; url={url}"))),
                        Some(Some(stars(value))),
                    ),
                    _ => (self.render(o, value), Some(Some(stars(value)))),
                },
                Form::Srcdoc if o.is_capture() => {
                    // Its document is recorded as the frame's, node by
                    // node: the attribute is not written, but it is kept
                    // masked, to be written if the `srcdoc` is masked later.
                    let record = Record::new(slot(), Some(stars(value).into()), clear);
                    return (Written::Drop, Some(record));
                }
                Form::Srcdoc => (self.render(o, value), None),
                // Routed as sheets by their own routes.
                Form::Style | Form::Css => (None, None),
            },
            Route::Style {
                attr: ChannelOutcome::Capture,
                strings,
                urls,
            } => {
                // Kept while the attribute is captured (its layout is in
                // the replay too), with the declarations that hold content
                // in clear: when its strings or URLs become stricter, only
                // they are written again, and the element keeps its layout
                // (so are those whose strings are masked, when another
                // strategy comes to apply).
                let written = css::rewrite_declarations(value, strings, urls, page);
                let declarations =
                    style::kept_declarations(&written, strings, urls, page, self.strategies);
                let record = (!written.is_empty()).then(|| Record {
                    clear: style::clear_of(&declarations),
                    declarations,
                    ..Record::new(slot(), Some(stars(value).into()), Clear::default())
                });
                return (Written::Str(Cow::Owned(written)), record);
            }
            Route::Style { attr, .. } => (self.render(attr, value), None),
            Route::Css { strings, urls } => {
                masked_if(self, &strings);
                let written = css::rewrite(value, strings, urls, page);
                let masked = clear
                    .any()
                    .then(|| Some(css::rewrite(value, MASKED, MASKED, page)));
                (Some(Cow::Owned(written)), masked)
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
        // What masks to itself with stars (an empty or blank value) may not
        // with a fixed text or length.
        let kept = |masked: &Option<String>| {
            masked.as_deref() != Some(written.as_ref()) || self.strategies
        };
        let record = match masked {
            Some(masked) if clear.any() && kept(&masked) => Some(Record::new(
                slot(),
                masked.map(String::into_boxed_str),
                clear,
            )),
            _ => self.masked_record(route, slot()),
        };
        (Written::Str(written), record)
    }

    /// What URL attribute `value` is written as masked, for its record.
    /// URLs of one origin (a page's links) are masked once per event.
    fn masked_url(&mut self, value: &str, kind: UrlKind) -> Option<String> {
        let page = self.page;
        let Some(origin) = plain_origin(value).filter(|_| kind == UrlKind::One) else {
            return urls::rewrite_attribute(value, kind, MASKED, page).map(Cow::into_owned);
        };
        if let Some((_, masked)) = self.masked_origins.iter().find(|(o, _)| **o == *origin) {
            return masked.clone();
        }
        let masked = urls::rewrite_attribute(origin, kind, MASKED, page).map(Cow::into_owned);
        if self.masked_origins.len() >= MASKED_ORIGINS {
            self.masked_origins.remove(0);
        }
        self.masked_origins.push((origin.into(), masked.clone()));
        masked
    }

    /// The record of content written masked under `route` with a strategy,
    /// when the policy could mask it with another.
    fn masked_record(&self, route: Route<'p>, slot: Slot) -> Option<Record> {
        let strategy = route.strategy()?;
        self.strategies.then(|| Record {
            masked_with: Some(strategy.clone()),
            ..Record::new(slot, None, Clear::default())
        })
    }

    /// How the text children of element `parent` are routed now.
    pub(crate) fn text_route(&self, parent: u32) -> TextRoute<'p> {
        let el = El::new(self.tree, parent);
        let routing = route::text(&el, self.states[parent as usize].frame.inherited);
        let outcomes = self.outcomes(parent);
        // Text reads no attribute's channel.
        let of = |sources: &[Source]| outcomes.of(sources, || ChannelOutcome::Off);
        match routing.route {
            Routed::Stricter(sources) => TextRoute {
                routing,
                outcome: of(sources),
                urls: of(CSS_URLS),
            },
            Routed::Dropped(_) | Routed::Fixed(_) => TextRoute {
                routing,
                outcome: ChannelOutcome::Off,
                urls: ChannelOutcome::Off,
            },
        }
    }

    /// What a text node under element `parent` is written as, with its
    /// record.
    pub(crate) fn text<'v>(
        &mut self,
        parent: u32,
        text: &'v str,
    ) -> (Cow<'v, str>, Option<Record>) {
        let route = self.text_route(parent);
        if route.dropped() {
            // A script's text.
            return (Cow::Borrowed(SCRIPT_PLACEHOLDER), None);
        }
        if text.is_empty() {
            // Nothing to hide. A fixed text or length would put text where
            // the page has none: `:empty` would no longer match the parent,
            // in the replay's style sheets and in the policy (masking the
            // recording again would decide otherwise).
            return (Cow::Borrowed(""), None);
        }
        let page = self.page;
        let outcome = route.outcome;
        if route.is_css() {
            if matches!(outcome, ChannelOutcome::Mask(_)) && !text.is_empty() {
                self.stats.masked += 1;
            }
            let written = css::rewrite(text, outcome, route.urls, page);
            let clear = route.clear();
            let record = if clear.any() {
                let masked = css::rewrite(text, MASKED, MASKED, page);
                (masked != written).then(|| Record::new(Slot::Text, Some(masked.into()), clear))
            } else {
                None
            };
            return (Cow::Owned(written), record);
        }
        let outcome =
            if route.routing.form == Form::Markup && outcome.is_capture() && text.contains('<') {
                // A replay without scripts that parses it would build elements
                // no decision covered.
                MASKED
            } else {
                outcome
            };
        let written = self.render(outcome, text).unwrap_or_default();
        let record = outcome
            .is_capture()
            .then(|| stars(text))
            .and_then(|masked| {
                (masked != written)
                    .then(|| Record::new(Slot::Text, Some(masked.into()), Clear::CONTENT))
            });
        (written, record)
    }

    /// What the text children of element `parent` are written under now.
    pub(crate) fn text_clear(&self, parent: u32) -> Clear {
        if !self.states[parent as usize].recorded() {
            return Clear::default();
        }
        self.text_route(parent).clear()
    }

    /// The strategy text under `parent` is masked with now (for writing a
    /// record again).
    pub(crate) fn text_outcome(&self, parent: u32) -> ChannelOutcome<'p> {
        let route = self.text_route(parent);
        if route.dropped() || route.is_css() {
            MASKED
        } else {
            route.outcome
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

/// How many origins [`Work::masked_url`] remembers.
const MASKED_ORIGINS: usize = 8;

/// The origin part of an `http:` or `https:` URL written plainly (no
/// space or control character anywhere, and the host right after
/// `scheme://`): everything before its path, query or fragment. A masked
/// URL keeps its scheme, host and port only (`scrim_matcher::mask_url`),
/// which the URL parser reads from this part alone for such a URL, so the
/// origin part masks as the whole URL does.
fn plain_origin(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if url.bytes().any(|b| b <= b' ') || rest.starts_with(['/', '\\']) {
        return None;
    }
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    Some(&url[..url.len() - rest.len() + end])
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

#[cfg(test)]
mod tests {
    use super::plain_origin;
    use scrim_matcher::mask_url;

    #[test]
    fn the_origin_part_is_what_precedes_path_query_and_fragment() {
        for (url, origin) in [
            (
                "https://a.example:8443/x?y#z",
                Some("https://a.example:8443"),
            ),
            ("http://h", Some("http://h")),
            ("http://u?x@h/p", Some("http://u")),
            ("http://h\\p", Some("http://h")),
            ("https://user:pw@h#f", Some("https://user:pw@h")),
            ("http:///h/p", None),
            ("http:/\\h/p", None),
            ("http://h /p", None),
            ("http://h/p\tq", None),
            (" http://h/", None),
            ("HTTP://h/", None),
            ("ftp://h/", None),
            ("/relative", None),
        ] {
            assert_eq!(plain_origin(url), origin, "{url}");
        }
    }

    proptest::proptest! {
        /// A URL's origin part masks as the whole URL does, whatever the
        /// authority holds (credentials, ports, IPv4 and IPv6 forms,
        /// percent escapes, characters a host may not hold) and whatever
        /// follows it.
        #[test]
        fn an_origin_part_masks_as_its_url(
            url in "(http|https|HTTP):(//|///|//\\\\|/\\\\)?[a-zA-Z0-9.:@%\\[\\]_~!$&'()*+,;=^|<> \t-]{0,24}([/\\\\?#][a-zA-Z0-9.:@%/\\\\?#\\[\\] \té-]{0,16})?",
        ) {
            if let Some(origin) = plain_origin(&url) {
                proptest::prop_assert_eq!(mask_url(origin), mask_url(&url));
            }
        }

        /// Hosts that look like numbers, the IPv4 parser's forms.
        #[test]
        fn a_numeric_origin_masks_as_its_url(
            url in "https?://(0x[0-9a-f]{1,4}|0[0-7]{1,4}|[0-9]{1,10})(\\.(0x[0-9a-f]{1,3}|[0-9]{1,4})){0,4}\\.?(:[0-9]{0,6})?[/?#][a-z0-9./?#]{0,8}",
        ) {
            let origin = plain_origin(&url);
            proptest::prop_assert!(origin.is_some());
            proptest::prop_assert_eq!(mask_url(origin.unwrap()), mask_url(&url));
        }
    }
}
