//! Routing: which channels decide each attribute of an element and the
//! text inside it, how they combine, and in what form the result is
//! written. Every integration writes by it (`scrim-html`'s masking pass,
//! `scrim-rrweb`'s snapshots and mutations) and [`crate::explain`] reports
//! by it, so what `scrim explain` says of a piece of content is what is
//! recorded, in a page and in a recording alike.
//!
//! A route names its channels relative to the element ([`Source`]): the
//! element's `text`, `media`, `events`, the attribute's own `attr:NAME`,
//! the page's `text` default, and the element's *form state*, which is the
//! element's `value` combined with that of every enclosing `<select>` and
//! `<option>` (a customizable select shows an option's content in its
//! button, so everything inside a select is the select's state). Where a
//! route reads several channels the stricter decides (off, then mask, then
//! capture); between two masks the first listed gives the strategy.
//!
//! The routes depend on the element (through [`scrim_matcher::Element`]
//! and the few [`Facts`] only its integration knows), the attribute's name
//! and value, and three facts inherited down the tree ([`Inherited`]):
//! inside a select, inside `contenteditable`, inside a script. Walks carry
//! them level by level ([`Level`]); [`attribute_routing`] and
//! [`text_routing`] compute them from the ancestor chain.
//!
//! The routing reads these attributes of the element itself, which an
//! integration that keeps only some attributes must keep
//! ([`reads_attribute`]): `contenteditable`, `type` on `<input>`, `rel` and
//! `as` on `<link>`, `http-equiv` on `<meta>`.

use crate::{events, urls};
use scrim_matcher::{ChannelOutcome, Decision, Element, attribute_is_form_state};

pub use crate::urls::UrlKind;

/// The SVG namespace, as [`Element::namespace`] names it.
pub const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

/// The attribute a blocked element's placeholder carries:
/// `<div data-scrim-blocked></div>`. An element that has it (a recording
/// masked again) stays a placeholder, whatever the policy says.
pub const BLOCKED_ATTRIBUTE: &str = "data-scrim-blocked";

/// What the routing needs to know of an element beyond what selectors see:
/// facts that the integration's parser or recorder establishes.
pub trait Facts: Element {
    /// Whether the element is a MathML `<annotation-xml>` that an HTML
    /// parser made an HTML integration point: its content (raw text
    /// included) is HTML, and its `encoding` is written `text/html`.
    fn html_integration_point(&self) -> bool;

    /// What became of the document of an `<iframe srcdoc>`.
    fn srcdoc(&self) -> Srcdoc;
}

/// What became of an `<iframe srcdoc>`'s document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Srcdoc {
    /// It is there to be recorded, decided element by element: parsed
    /// from the attribute in a page, the frame's document in a recording.
    Document,
    /// Nested too deep to be parsed: the attribute is dropped.
    TooDeep,
}

/// A channel a route reads, named relative to the routed element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The element's `text`.
    Text,
    /// The element's form state: the `value` of every enclosing
    /// `<select>` and `<option>`, outermost first, then the element's own
    /// `value`. Outside a select, the element's `value`.
    FormState,
    /// The element's `media`.
    Media,
    /// The element's `events`.
    Events,
    /// The routed attribute's own channel, `attr:NAME`.
    Attr,
    /// The page's default for `text`: style sheets are page content, so
    /// their strings are at least as private as the page's text.
    PageText,
}

/// Why content is never recorded, whatever the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dropped {
    /// A script (`<script>`, a `<link>` that preloads one) is written as an
    /// empty element without attributes, and nothing inside it is written.
    Script,
    /// An inline event handler (`onclick` …).
    EventHandler,
    /// A `javascript:` or `vbscript:` URL, in any attribute, also inside a
    /// refresh's `content` or an SVG animation's values.
    ScriptUrl,
    /// A `data:` URL of a document that runs script, in a frame, object or
    /// embed.
    ScriptDocument,
    /// An `srcdoc` nested too deep to be parsed.
    TooDeep,
}

/// Which channels decide a piece of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// Never recorded, whatever the policy.
    Dropped(Dropped),
    /// Structure that steers a parser: written in this one form, or left
    /// out (`None`), whatever the policy.
    Fixed(Option<&'static str>),
    /// The stricter of these channels, in this order.
    Stricter(&'static [Source]),
}

/// How content is written once its route has decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Text: captured, through the detectors; masked, the strategy.
    Text,
    /// An `<input>`'s `type`: as text, but left out where the written
    /// value would read `hidden` (a masking text), which would move the
    /// input in the replay's tree.
    InputType,
    /// A boolean attribute (`checked`, `selected`): kept as it is when
    /// captured, left out when masked.
    Flag,
    /// URLs: captured, redacted and through the detectors; masked, scheme
    /// and host only. Script URLs in a list are left out.
    Url(UrlKind),
    /// A `<meta http-equiv="refresh">` `content`: captured, its URL as a
    /// captured URL; masked, the strategy over the whole value.
    Refresh,
    /// `srcdoc`: captured, its document recorded element by element (a
    /// page writes it back into the attribute, a recording has it as the
    /// frame's document); masked, the strategy over its source, and the
    /// document is not recorded.
    Srcdoc,
    /// A `style` attribute: captured, its declarations rewritten as a
    /// style sheet, strings routed by [`CSS_STRINGS`] and URLs by
    /// [`CSS_URLS`]; masked, the strategy over the whole value.
    Style,
    /// A style sheet's text (`<style>`): kept for layout and rewritten;
    /// the route decides its strings, [`CSS_URLS`] its URLs.
    Css,
    /// `<noscript>` text, which a replay without scripts parses as markup:
    /// as text, but masked with stars whenever it holds a `<`.
    Markup,
}

/// A route and a form: everything that decides how a piece of content is
/// recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Routing {
    pub route: Route,
    pub form: Form,
}

/// What decides the strings of a style sheet: the page's text default and
/// the element's text.
pub const CSS_STRINGS: &[Source] = &[Source::PageText, Source::Text];
/// What decides the URLs of a style sheet: the element's media.
pub const CSS_URLS: &[Source] = &[Source::Media];

const TEXT: &[Source] = &[Source::Text];
const FORM_STATE: &[Source] = &[Source::FormState];
const MEDIA: &[Source] = &[Source::Media];
const EVENTS: &[Source] = &[Source::Events];
const ATTR: &[Source] = &[Source::Attr];
const ATTR_AND_MEDIA: &[Source] = &[Source::Attr, Source::Media];
const FORM_STATE_AND_ATTR: &[Source] = &[Source::FormState, Source::Attr];
const TEXT_AND_FORM_STATE: &[Source] = &[Source::Text, Source::FormState];

impl Routing {
    const fn new(route: Route, form: Form) -> Routing {
        Routing { route, form }
    }

    const fn dropped(why: Dropped) -> Routing {
        Routing::new(Route::Dropped(why), Form::Text)
    }

    /// A style sheet's text: a `<style>`'s, and any other sheet an
    /// integration records for an element (rrweb's `_cssText`).
    pub const STYLE_SHEET: Routing = Routing::new(Route::Stricter(CSS_STRINGS), Form::Css);
    /// An element's form state, as its own channel (`value`).
    pub const VALUE: Routing = Routing::new(Route::Stricter(FORM_STATE), Form::Text);
    /// An element's `media`.
    pub const MEDIA: Routing = Routing::new(Route::Stricter(MEDIA), Form::Text);
    /// An element's `events`.
    pub const EVENTS: Routing = Routing::new(Route::Stricter(EVENTS), Form::Text);
}

/// The stricter of two outcomes: off, then mask (the first one's
/// strategy), then capture.
pub fn stricter<'p>(a: ChannelOutcome<'p>, b: ChannelOutcome<'p>) -> ChannelOutcome<'p> {
    match (a, b) {
        (ChannelOutcome::Off, _) | (_, ChannelOutcome::Off) => ChannelOutcome::Off,
        (ChannelOutcome::Mask(_), _) => a,
        (_, ChannelOutcome::Mask(_)) => b,
        _ => ChannelOutcome::Capture,
    }
}

/// The stricter of a route's outcomes, in its order, and the position of
/// the one that decided (the first off, else the first mask, else the
/// first). Capture when there are none.
pub fn stricter_of<'p>(
    outcomes: impl IntoIterator<Item = ChannelOutcome<'p>>,
) -> (ChannelOutcome<'p>, usize) {
    let mut decided = (ChannelOutcome::Capture, 0);
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            ChannelOutcome::Off => return (outcome, i),
            ChannelOutcome::Mask(_) if decided.0.is_capture() => decided = (outcome, i),
            _ => {}
        }
    }
    decided
}

/// An element's name, read once for the several questions a route asks
/// of it.
#[derive(Clone, Copy)]
struct Name<'e> {
    html: bool,
    local: &'e str,
}

impl<'e> Name<'e> {
    fn of<E: Element>(e: &'e E) -> Name<'e> {
        Name {
            html: e.is_html(),
            local: e.local_name(),
        }
    }

    /// An HTML element named `local`.
    fn is(self, local: &str) -> bool {
        self.html && self.local == local
    }
}

/// Whether the routing reads attribute `name` of an element named `local`
/// (as it reads them: lowercase). An integration that keeps only some
/// attributes of its elements must keep these.
pub fn reads_attribute(local: &str, name: &str) -> bool {
    match name {
        "contenteditable" => true,
        "type" => local == "input",
        "rel" | "as" => local == "link",
        "http-equiv" => local == "meta",
        _ => false,
    }
}

/// Elements that are scripts by another name: recorded as an empty element
/// without attributes. A `<link>` is one when it may load a script: `rel`
/// holds `modulepreload`, or `preload` or `prefetch` with an `as` that
/// holds `script` or `worker`. Both are read word by word, whatever the
/// case: an `as` the browser reads as no destination (`script worker`) is
/// still treated as a script's.
pub fn is_script<E: Element>(e: &E) -> bool {
    is_script_named(e, Name::of(e))
}

fn is_script_named<E: Element>(e: &E, name: Name<'_>) -> bool {
    if name.local == "script" {
        return true;
    }
    if !name.is("link") {
        return false;
    }
    let has = |name: &str, words: &[&str]| {
        e.attr(name).is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|t| words.iter().any(|w| t.eq_ignore_ascii_case(w)))
        })
    };
    has("rel", &["modulepreload"])
        || (has("rel", &["preload", "prefetch"]) && has("as", &["script", "worker"]))
}

/// What an element's ancestors tell the routes of its content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inherited {
    /// The element is, or is inside, a `<select>` or an `<option>`.
    pub select: bool,
    /// The element is editable (`contenteditable`).
    pub editable: bool,
    /// The element is, or is inside, a script.
    pub script: bool,
}

impl Inherited {
    /// What element `e`, a child of the element `self` was for, inherits.
    pub fn child<E: Element>(self, e: &E) -> Inherited {
        self.child_named(e, Name::of(e))
    }

    fn child_named<E: Element>(self, e: &E, name: Name<'_>) -> Inherited {
        let editable = if name.html {
            match e.attr("contenteditable") {
                // Exactly: `"false "` is an invalid value, which inherits.
                Some(v) if v.eq_ignore_ascii_case("false") => false,
                Some(_) => true,
                None => self.editable,
            }
        } else {
            self.editable
        };
        Inherited {
            select: self.select || name.is("select") || name.is("option"),
            editable,
            script: self.script || is_script_named(e, name),
        }
    }

    /// What `el` inherits, from its ancestor chain.
    pub fn of<E: Element>(el: E) -> Inherited {
        let mut chain = vec![el];
        while let Some(p) = chain[chain.len() - 1].parent() {
            chain.push(p);
        }
        chain
            .iter()
            .rev()
            .fold(Inherited::default(), |inherited, e| inherited.child(e))
    }
}

/// What an element passes down to its content in a walk: the facts its
/// routes inherit and the outcome of its form state. Walks keep one per
/// level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level<'p> {
    pub inherited: Inherited,
    /// Inside a `<select>` or an `<option>`: the stricter of the `value`
    /// outcomes of every enclosing select and option (the element's own
    /// included), outermost first.
    pub select: Option<ChannelOutcome<'p>>,
    /// The element's form state ([`Source::FormState`]): its `value`, or
    /// the stricter of `select` and that.
    pub form_state: ChannelOutcome<'p>,
}

impl<'p> Level<'p> {
    /// Above the root element.
    pub const ROOT: Level<'static> = Level {
        inherited: Inherited {
            select: false,
            editable: false,
            script: false,
        },
        select: None,
        form_state: ChannelOutcome::Off,
    };

    /// The level of element `e`, a child of the element `self` is for,
    /// whose `value` is decided `value`.
    pub fn child<E: Element>(&self, e: &E, value: ChannelOutcome<'p>) -> Level<'p> {
        let name = Name::of(e);
        let select = if name.is("select") || name.is("option") {
            Some(self.select.map_or(value, |s| stricter(s, value)))
        } else {
            self.select
        };
        Level {
            inherited: self.inherited.child_named(e, name),
            select,
            form_state: select.map_or(value, |s| stricter(s, value)),
        }
    }
}

/// The outcomes a route can read for one element, but its attributes'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcomes<'p> {
    /// The element's fixed channels.
    pub decision: Decision<'p>,
    pub form_state: ChannelOutcome<'p>,
    /// The page's default for `text`.
    pub page_text: ChannelOutcome<'p>,
}

impl<'p> Outcomes<'p> {
    /// The outcomes of an element decided `decision`, at `level`, on a
    /// page whose `text` default is `page_text`.
    pub fn new(
        decision: &Decision<'p>,
        level: &Level<'p>,
        page_text: ChannelOutcome<'p>,
    ) -> Outcomes<'p> {
        Outcomes {
            decision: *decision,
            form_state: level.form_state,
            page_text,
        }
    }

    /// The stricter of `sources`. `attr` gives the routed attribute's own
    /// outcome, and is asked only when the route reads it.
    pub fn of(
        &self,
        sources: &[Source],
        attr: impl Fn() -> ChannelOutcome<'p>,
    ) -> ChannelOutcome<'p> {
        stricter_of(sources.iter().map(|source| match source {
            Source::Text => self.decision.text,
            Source::FormState => self.form_state,
            Source::Media => self.decision.media,
            Source::Events => self.decision.events,
            Source::Attr => attr(),
            Source::PageText => self.page_text,
        }))
        .0
    }
}

/// Attributes that change how a parser reads the document are structure,
/// not content: they are written in the one form that reproduces the
/// parse, never as their own text. `Some(None)` leaves the attribute out;
/// `None` is an ordinary attribute.
///
/// - `type` on `<input>`: `hidden` keeps an input inside a table (any other
///   type is moved out in front of it); written `hidden` exactly when it
///   was hidden (a value that would read `hidden` is left out, see
///   [`Form::InputType`]).
/// - `encoding` on `<annotation-xml>`: `text/html` exactly when the element
///   is an HTML integration point, whose content is HTML (raw text
///   included); nothing otherwise.
/// - `shadowrootmode` on a `<template>` that did not become a shadow root
///   (declarative shadow roots are written by their host).
/// - `charset` and a `Content-Type` `content` on `<meta>`: the output is
///   UTF-8, whatever the page was decoded from.
///
/// `color`, `face` and `size` on `<font>` need nothing: a `<font>` with
/// one of them is never an SVG or MathML element (it breaks out of foreign
/// content), and an HTML one is written where HTML is read.
pub fn structural_attribute<E: Facts>(
    e: &E,
    name: &str,
    value: &str,
) -> Option<Option<&'static str>> {
    structural(e, Name::of(e), name, value)
}

fn structural<E: Facts>(
    e: &E,
    element: Name<'_>,
    name: &str,
    value: &str,
) -> Option<Option<&'static str>> {
    let html = element.html;
    match (element.local, name) {
        ("input", "type") if html && value.eq_ignore_ascii_case("hidden") => Some(Some("hidden")),
        ("annotation-xml", "encoding") => Some(e.html_integration_point().then_some("text/html")),
        ("template", "shadowrootmode") if html => Some(None),
        ("meta", "charset") if html => Some(Some("utf-8")),
        ("meta", "content")
            if html
                && e.attr("http-equiv")
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-type")) =>
        {
            Some(Some("text/html; charset=utf-8"))
        }
        _ => None,
    }
}

/// The routing of attribute `name="value"` of `e`, which inherits
/// `inherited`.
pub fn attribute<E: Facts>(e: &E, inherited: Inherited, name: &str, value: &str) -> Routing {
    if inherited.script {
        return Routing::dropped(Dropped::Script);
    }
    let element = Name::of(e);
    if name == "srcdoc" && element.is("iframe") {
        return match e.srcdoc() {
            Srcdoc::Document => Routing::new(Route::Stricter(ATTR), Form::Srcdoc),
            Srcdoc::TooDeep => Routing::dropped(Dropped::TooDeep),
        };
    }
    if let Some(written) = structural(e, element, name, value) {
        return Routing::new(Route::Fixed(written), Form::Text);
    }
    if events::is_event_handler(name) {
        return Routing::dropped(Dropped::EventHandler);
    }
    if urls::is_script_url(value) {
        // Whatever attribute holds it: a replay needs no script URL, and a
        // browser (or MathML's `href`, or one to come) may follow one in an
        // attribute this list does not know as a URL.
        return Routing::dropped(Dropped::ScriptUrl);
    }
    // `label` and `value` inside a select echo option content. Form state
    // written as an attribute is both: the stricter of the `value` channels
    // and the attribute's own (a `mask attr:value` rule masks it too).
    let echoes_option = inherited.select && matches!(name, "label" | "value");
    if echoes_option || attribute_is_form_state(e, name) {
        let form = match name {
            "checked" | "selected" => Form::Flag,
            _ => Form::Text,
        };
        return Routing::new(Route::Stricter(FORM_STATE_AND_ATTR), form);
    }
    if name == "style" {
        return Routing::new(Route::Stricter(ATTR), Form::Style);
    }
    let (html, local) = (element.html, element.local);
    if element.is("meta")
        && name == "content"
        && e.attr("http-equiv")
            .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
    {
        if urls::is_script_refresh(value) {
            return Routing::dropped(Dropped::ScriptUrl);
        }
        return Routing::new(Route::Stricter(ATTR), Form::Refresh);
    }
    if let Some((kind, media)) = urls::url_attribute(html, local, name) {
        if html
            && matches!(local, "iframe" | "frame" | "object" | "embed")
            && matches!(name, "src" | "data")
            && urls::is_script_document_data_url(value)
        {
            // A document that runs script, inlined in its URL.
            return Routing::dropped(Dropped::ScriptDocument);
        }
        let sources = if media { ATTR_AND_MEDIA } else { ATTR };
        return Routing::new(Route::Stricter(sources), Form::Url(kind));
    }
    if !html && matches!(name, "to" | "from" | "values" | "by") && urls::mentions_script_url(value)
    {
        // SVG animations that would set a script URL.
        return Routing::dropped(Dropped::ScriptUrl);
    }
    let form = if element.is("input") && name == "type" {
        Form::InputType
    } else {
        Form::Text
    };
    Routing::new(Route::Stricter(ATTR), form)
}

/// The routing of the text-node children of `e`, which inherits
/// `inherited`.
pub fn text<E: Element>(e: &E, inherited: Inherited) -> Routing {
    if inherited.script {
        return Routing::dropped(Dropped::Script);
    }
    let element = Name::of(e);
    if element.local == "style" && (element.html || e.namespace() == SVG_NAMESPACE) {
        return Routing::STYLE_SHEET;
    }
    let sources = if element.is("textarea") || inherited.select {
        FORM_STATE
    } else if inherited.editable {
        TEXT_AND_FORM_STATE
    } else {
        TEXT
    };
    let form = if element.is("noscript") {
        Form::Markup
    } else {
        Form::Text
    };
    Routing::new(Route::Stricter(sources), form)
}

/// The routing of attribute `name` of `el`, or `None` when `el` has no
/// such attribute.
pub fn attribute_routing<E: Facts>(el: E, name: &str) -> Option<Routing> {
    let value = el.attr(name)?;
    Some(attribute(&el, Inherited::of(el), name, value))
}

/// The routing of the text-node children of `el`.
pub fn text_routing<E: Element>(el: E) -> Routing {
    text(&el, Inherited::of(el))
}
