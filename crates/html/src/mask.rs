//! The masking pass: one top-down walk over the document with the
//! matcher's [`Walker`], writing the masked HTML as it goes.
//!
//! The walk keeps an explicit task stack (no recursion), so a document
//! 100,000 elements deep costs heap, not stack. It visits the tree as it is
//! serialised — light children, `<template>` contents, declarative shadow
//! roots, `srcdoc` documents — and enters elements into the walker in that
//! order, which is the flattened tree's: a shadow root's content and an
//! `srcdoc` document's root are entered while their host or iframe is the
//! current element.

use crate::css;
use crate::dom::{Document, ElementData, NONE, NodeData};
use crate::urls;
use crate::{BLOCKED_ATTRIBUTE, ElementRef, PAGE_OFF};
use scrim_content::route::{
    self, CSS_STRINGS, CSS_URLS, Form, Level, Outcomes, Route, Routing, Source,
};
use scrim_matcher::{
    ChannelOutcome, ChannelRef, Decision, Page, PageDecision, Status, Strategy, Walker, mask_with,
};
use std::borrow::Cow;

/// The default strategy, for content masked whatever the policy says.
static STARS: Strategy = Strategy::Stars;

/// Masks a parsed document under `page`: the HTML a recording may keep.
pub fn mask_document(doc: &Document, page: &Page<'_>) -> String {
    if *page.decision() != PageDecision::Record {
        return PAGE_OFF.to_string();
    }
    let mut masker = Masker {
        doc,
        page,
        walker: page.walker(),
        css_strings: page.default_outcome(ChannelRef::Text),
        out: vec![Buffer {
            text: String::with_capacity(doc.nodes.len() * 16),
            plaintext: false,
        }],
        frames: Vec::new(),
        tasks: Vec::new(),
    };
    masker.run();
    masker.out.pop().unwrap_or_default().text
}

/// Parses and masks a document: `mask_document(&Document::parse(html), page)`.
pub fn mask_html(html: &str, page: &Page<'_>) -> String {
    mask_document(&Document::parse(html), page)
}

/// What an attribute is recorded as.
enum Recorded<'d> {
    Text(Cow<'d, str>),
    /// Masked with the default strategy: stars over this value, written
    /// straight into the output.
    Stars(&'d str),
}

impl<'d> Recorded<'d> {
    fn borrowed(value: &'d str) -> Self {
        Recorded::Text(Cow::Borrowed(value))
    }

    fn owned(value: String) -> Self {
        Recorded::Text(Cow::Owned(value))
    }

    /// A value under `outcome`: scrubbed, masked or dropped.
    fn render(page: &Page<'_>, outcome: ChannelOutcome<'_>, value: &'d str) -> Option<Self> {
        Some(match outcome {
            ChannelOutcome::Off => return None,
            ChannelOutcome::Mask(Strategy::Stars) => Recorded::Stars(value),
            ChannelOutcome::Mask(strategy) => Recorded::owned(mask_with(strategy, value)),
            ChannelOutcome::Capture => Recorded::Text(page.scrub(value)),
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Task {
    /// Visit a node (a child of the current frame's element), then its
    /// following siblings.
    Node(u32),
    /// A `srcdoc` document has been written into its own buffer: write the
    /// iframe's start tag with it, then its children.
    StartAfterSrcdoc(u32),
    /// Close a declarative shadow root's `<template>`.
    EndShadow,
    /// Close an element: end tag, frame, walker level.
    End(u32),
}

/// The namespace a replay's parser gives an element, from where its start
/// tag is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    Html,
    Svg,
    MathMl,
}

/// How a replay's parser reads a start tag written inside an element: the
/// tree builder's choice between HTML and foreign content, made on the
/// element the tag is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inside {
    /// HTML content, or an HTML integration point (`<foreignObject>`,
    /// `<annotation-xml encoding="text/html">` …).
    Html,
    /// SVG or MathML content: a start tag makes an element of that
    /// namespace, unless it breaks out (`<p>`, `<font color>` …).
    Foreign(Space),
    /// A MathML text integration point (`<mi>` …): HTML, except `<mglyph>`
    /// and `<malignmark>`.
    MathText,
    /// A MathML `<annotation-xml>` that is not an HTML integration point:
    /// foreign, except `<svg>`.
    Annotation,
}

#[derive(Debug, Clone, Copy)]
struct Frame<'p> {
    decision: Decision<'p>,
    /// What the element passes down: inherited facts, form state.
    level: Level<'p>,
    /// How the element's text-node children are written, and the outcome
    /// of their route.
    text: Routing,
    text_outcome: ChannelOutcome<'p>,
    /// The text children are serialised raw (`<style>`, `<noscript>` …).
    raw: bool,
    /// The namespace the replay gives the element.
    space: Space,
    /// How the replay reads start tags written inside it.
    inside: Inside,
    /// Only whitespace text stands here (`<table>`, `<head>` …).
    layout_only: bool,
    /// The element is a `<plaintext>`, as the replay reads it.
    plaintext: bool,
}

/// One output: the document's, or a `srcdoc` document's being written.
#[derive(Debug, Default)]
struct Buffer {
    text: String,
    /// A `<plaintext>` start tag was written: everything after it is its
    /// text, so nothing else is written any more (no end tag, and none of
    /// the elements the parser put after it, which the replay's parser
    /// implies again or could not build from markup).
    plaintext: bool,
}

struct Masker<'d, 'a, 'p> {
    doc: &'d Document,
    page: &'a Page<'p>,
    walker: Walker<'a, 'p, ElementRef<'d>>,
    css_strings: ChannelOutcome<'p>,
    /// Output buffers: the document's, then one per `srcdoc` being written.
    out: Vec<Buffer>,
    frames: Vec<Frame<'p>>,
    tasks: Vec<Task>,
}

/// HTML elements without end tag or children.
fn is_void(local: &str) -> bool {
    matches!(
        local,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Start tags that end foreign content: the tree builder closes the SVG or
/// MathML elements around them and reads them as HTML.
fn breaks_out(e: &ElementData) -> bool {
    matches!(
        e.local(),
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    ) || (e.local() == "font"
        && e.attrs
            .iter()
            .any(|a| matches!(a.name(), "color" | "face" | "size")))
}

/// The namespace the replay's parser gives `e` written `inside` some
/// element. It is the element's own in every tree markup can express; it
/// differs only where the parser built what markup cannot say again (the
/// adoption agency's moves), and then the writer follows what the replay
/// will read, so that raw text is only ever written raw where it will be
/// read raw.
fn reparsed_space(inside: Inside, e: &ElementData) -> Space {
    let as_html = || match e.local() {
        "svg" => Space::Svg,
        "math" => Space::MathMl,
        _ => Space::Html,
    };
    match inside {
        Inside::Html => as_html(),
        Inside::MathText if matches!(e.local(), "mglyph" | "malignmark") => Space::MathMl,
        Inside::MathText => as_html(),
        Inside::Annotation if e.local() == "svg" => Space::Svg,
        _ if breaks_out(e) => Space::Html,
        Inside::Annotation => Space::MathMl,
        Inside::Foreign(space) => space,
    }
}

/// How the replay reads start tags written inside `e`, read as `space`.
fn children_inside(space: Space, e: &ElementData) -> Inside {
    let local = e.local();
    match space {
        Space::Html => Inside::Html,
        Space::Svg
            if ["foreignObject", "desc", "title"]
                .iter()
                .any(|n| local.eq_ignore_ascii_case(n)) =>
        {
            Inside::Html
        }
        Space::Svg => Inside::Foreign(Space::Svg),
        Space::MathMl => match local {
            "mi" | "mo" | "mn" | "ms" | "mtext" => Inside::MathText,
            // Written with `encoding="text/html"` exactly when it is an
            // integration point (`structural_attribute`).
            "annotation-xml" if e.annotation_xml_integration_point => Inside::Html,
            "annotation-xml" => Inside::Annotation,
            _ => Inside::Foreign(Space::MathMl),
        },
    }
}

/// HTML elements whose text-node children the parser keeps only when they
/// are whitespace: other text is moved out (of a table) or ends them (the
/// head).
fn is_layout_only(local: &str) -> bool {
    matches!(
        local,
        "html" | "head" | "table" | "tbody" | "thead" | "tfoot" | "tr" | "colgroup" | "frameset"
    )
}

/// HTML elements whose text is serialised without escaping.
fn is_raw_text(local: &str) -> bool {
    matches!(
        local,
        "style" | "script" | "xmp" | "iframe" | "noembed" | "noframes" | "plaintext" | "noscript"
    )
}

/// A `width`/`height` value that is a plain length.
fn is_dimension(v: &str) -> bool {
    let v = v.trim();
    let digits = v.trim_end_matches('%').trim_end_matches("px");
    !digits.is_empty()
        && digits.len() <= 8
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Writes `text` with the bytes `special` picks replaced by `replace`:
/// runs without special bytes are copied whole. A no-break space is the
/// bytes C2 A0; C2 is never special on its own.
fn escape(out: &mut String, text: &str, special: fn(u8) -> bool, replace: fn(u8) -> &'static str) {
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == 0xC2 && b.get(i + 1) == Some(&0xA0) {
            out.push_str(&text[start..i]);
            out.push_str("&nbsp;");
            i += 2;
            start = i;
        } else if special(c) {
            out.push_str(&text[start..i]);
            out.push_str(replace(c));
            i += 1;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[start..]);
}

/// Writes `scrim_matcher::stars(text)`, escaped unless `raw`: every
/// non-whitespace character becomes `*`, whitespace stays (when escaped, a
/// no-break space as `&nbsp;`, a carriage return as `&#13;`).
fn write_stars(out: &mut String, text: &str, escaped: bool) {
    const STARS: &str = "****************************************************************";
    let b = text.as_bytes();
    out.reserve(text.len());
    if b.is_ascii() && !(escaped && b.contains(&b'\r')) {
        // The common case, a block at a time without branches: ASCII
        // whitespace stays, every other byte becomes `*` (no `&nbsp;` to
        // write either way).
        let mut block = [0u8; 64];
        for chunk in b.chunks(block.len()) {
            for (to, &c) in block.iter_mut().zip(chunk) {
                *to = if matches!(c, b'\t'..=b'\r' | b' ') {
                    c
                } else {
                    b'*'
                };
            }
            // ASCII in, ASCII out.
            out.push_str(std::str::from_utf8(&block[..chunk.len()]).unwrap_or_default());
        }
        return;
    }
    let mut i = 0;
    while i < b.len() {
        // A run of ASCII non-whitespace: one `*` per byte.
        let start = i;
        while i < b.len() && b[i] < 0x80 && !matches!(b[i], b'\t'..=b'\r' | b' ') {
            i += 1;
        }
        let mut run = i - start;
        while run > 0 {
            let n = run.min(STARS.len());
            out.push_str(&STARS[..n]);
            run -= n;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'\r' && escaped {
            out.push_str("&#13;");
            i += 1;
            continue;
        }
        if b[i] < 0x80 {
            out.push(char::from(b[i]));
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
        if c == '\u{a0}' && escaped {
            out.push_str("&nbsp;");
        } else if c.is_whitespace() {
            out.push(c);
        } else {
            out.push('*');
        }
        i += c.len_utf8();
    }
}

/// The reference each special byte is written as. A carriage return can
/// only come from a reference (the parser turns raw ones into line feeds),
/// and only a reference brings it back.
fn entity(c: u8) -> &'static str {
    match c {
        b'&' => "&amp;",
        b'"' => "&quot;",
        b'<' => "&lt;",
        b'\r' => "&#13;",
        _ => "&gt;",
    }
}

/// Writes raw text (a raw-text element's content) so that it cannot hold
/// the end tag of `element`: a `<` that would start `</element` becomes
/// `*`.
fn write_raw(out: &mut String, text: &str, element: &str) {
    let b = text.as_bytes();
    let closes = |i: usize| {
        b.get(i + 1) == Some(&b'/')
            && b.get(i + 2..i + 2 + element.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(element.as_bytes()))
    };
    if !(0..b.len()).any(|i| b[i] == b'<' && closes(i)) {
        out.push_str(text);
        return;
    }
    for (i, c) in text.char_indices() {
        out.push(if c == '<' && closes(i) { '*' } else { c });
    }
}

fn escape_text(out: &mut String, text: &str) {
    escape(
        out,
        text,
        |c| matches!(c, b'&' | b'<' | b'>' | b'\r'),
        entity,
    );
}

/// Attribute values escape `<` and `>` too, so that no value can be read
/// as markup by a parser that is confused about where it is.
fn escape_attr(out: &mut String, value: &str) {
    escape(
        out,
        value,
        |c| matches!(c, b'&' | b'"' | b'<' | b'>' | b'\r'),
        entity,
    );
}

impl<'d, 'a, 'p> Masker<'d, 'a, 'p> {
    fn buffer(&mut self) -> &mut Buffer {
        // There is always a buffer: `srcdoc` buffers are pushed and popped
        // in pairs above the document's.
        if self.out.is_empty() {
            self.out.push(Buffer::default());
        }
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn out(&mut self) -> &mut String {
        &mut self.buffer().text
    }

    /// Writes an end tag, unless a `<plaintext>` made everything after it
    /// text.
    fn end_tag(&mut self, local: &str) {
        let buffer = self.buffer();
        if !buffer.plaintext {
            buffer.text.push_str("</");
            buffer.text.push_str(local);
            buffer.text.push('>');
        }
    }

    /// How the replay reads a start tag for node `n`: as its parent
    /// element's frame says, or as HTML at the top of a document or of
    /// template contents.
    fn inside_for(&self, n: u32) -> Inside {
        let parent = self.doc.nodes[n].parent;
        if parent != NONE && self.doc.nodes[parent].element().is_some() {
            self.frames.last().map_or(Inside::Html, |f| f.inside)
        } else {
            Inside::Html
        }
    }

    /// Schedules the children of `parent`, first to last: the first one,
    /// whose task schedules the next (each node is read once, when it is
    /// visited).
    fn push_children(&mut self, parent: u32) {
        let first = self.doc.nodes[parent].first_child;
        if first != NONE {
            self.tasks.push(Task::Node(first));
        }
    }

    fn run(&mut self) {
        self.push_children(0);
        while let Some(task) = self.tasks.pop() {
            match task {
                Task::Node(n) => {
                    let nodes = &self.doc.nodes;
                    let mut next = nodes[n].next;
                    let text = matches!(nodes[n].data, NodeData::Text(_));
                    if text {
                        // Text and comments in a row are one text in the
                        // replay, where the comments are gone.
                        while next != NONE
                            && matches!(nodes[next].data, NodeData::Text(_) | NodeData::Comment)
                        {
                            next = nodes[next].next;
                        }
                    }
                    // The next sibling runs after this node's content and
                    // end, which the visit schedules above it.
                    if next != NONE {
                        self.tasks.push(Task::Node(next));
                    }
                    if text {
                        self.text_run(n, next);
                    } else {
                        self.visit(n);
                    }
                }
                Task::StartAfterSrcdoc(n) => {
                    let nested = self.out.pop().unwrap_or_default().text;
                    self.start_element(n, Some(nested));
                }
                Task::EndShadow => self.end_tag("template"),
                Task::End(n) => {
                    if let (Some(e), Some(frame)) =
                        (self.doc.nodes[n].element(), self.frames.last())
                        && !(frame.space == Space::Html && is_void(e.local()))
                    {
                        self.end_tag(e.local());
                    }
                    self.frames.pop();
                    self.walker.leave();
                }
            }
        }
    }

    fn visit(&mut self, n: u32) {
        let doc = self.doc;
        match &doc.nodes[n].data {
            NodeData::Document | NodeData::Fragment | NodeData::Comment => {}
            NodeData::Doctype(d) => self.doctype(&d.name, &d.public_id, &d.system_id),
            NodeData::Text(text) => self.text(text),
            NodeData::Element(e) => self.element(n, e),
        }
    }

    fn doctype(&mut self, name: &str, public_id: &str, system_id: &str) {
        let clean = |s: &str| !s.contains(['"', '>']);
        let out = self.out();
        out.push_str("<!DOCTYPE ");
        out.push_str(if clean(name) && !name.is_empty() {
            name
        } else {
            "html"
        });
        if clean(public_id) && clean(system_id) {
            if !public_id.is_empty() {
                out.push_str(" PUBLIC \"");
                out.push_str(public_id);
                out.push('"');
                if !system_id.is_empty() {
                    out.push_str(" \"");
                    out.push_str(system_id);
                    out.push('"');
                }
            } else if !system_id.is_empty() {
                out.push_str(" SYSTEM \"");
                out.push_str(system_id);
                out.push('"');
            }
        }
        out.push('>');
    }

    /// Writes the text nodes from `first` up to `end` (comments between
    /// them are dropped) as one text.
    fn text_run(&mut self, first: u32, end: u32) {
        let nodes = &self.doc.nodes;
        let texts = || {
            let mut n = first;
            std::iter::from_fn(move || {
                while n != end {
                    let current = n;
                    n = nodes[current].next;
                    if let NodeData::Text(t) = &nodes[current].data {
                        return Some(&**t);
                    }
                }
                None
            })
        };
        if texts().nth(1).is_none() {
            if let Some(text) = texts().next() {
                self.text(text);
            }
        } else {
            self.text(&texts().collect::<String>());
        }
    }

    fn text(&mut self, text: &str) {
        // Text outside any element (not produced by the HTML parser) is
        // not recorded.
        let Some(frame) = self.frames.last().copied() else {
            return;
        };
        if self.buffer().plaintext && !frame.plaintext {
            return;
        }
        if frame.layout_only
            && text
                .bytes()
                .all(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
        {
            // Whitespace is layout, and any other text written here would
            // be moved elsewhere by the replay's parser.
            escape_text(self.out(), text);
            return;
        }
        let page = self.page;
        let outcome = match (frame.text.route, frame.text.form) {
            (Route::Dropped(_) | Route::Fixed(_), _) => return,
            (_, Form::Css) => {
                let css = css::rewrite(text, frame.text_outcome, frame.decision.media, page);
                if frame.raw {
                    // Raw text: nothing the rewrite wrote may close the
                    // `<style>` (a fixed masking text could).
                    write_raw(self.out(), &css, "style");
                } else {
                    // An SVG `<style>` is escaped like any text: its
                    // `</style><img …>` was text in the page.
                    escape_text(self.out(), &css);
                }
                return;
            }
            (_, Form::Markup) if frame.text_outcome.is_capture() && text.contains('<') => {
                // A replay without scripts parses `<noscript>` content as
                // markup whose elements no decision covered: masked whole
                // (a masked one holds no `<` once written, see below).
                ChannelOutcome::Mask(&STARS)
            }
            _ => frame.text_outcome,
        };
        if let ChannelOutcome::Mask(Strategy::Stars) = outcome {
            // The default strategy, written straight out: stars and
            // whitespace, nothing that could close a raw-text element.
            write_stars(self.out(), text, !frame.raw);
            return;
        }
        let rendered = page.render(outcome, text);
        if frame.raw {
            // Raw text cannot be escaped: a fixed masking text must not be
            // able to close the element.
            if matches!(outcome, ChannelOutcome::Mask(_)) && rendered.contains('<') {
                let safe = rendered.replace('<', "*");
                self.out().push_str(&safe);
            } else {
                self.out().push_str(&rendered);
            }
        } else {
            escape_text(self.out(), &rendered);
        }
    }

    fn element(&mut self, n: u32, e: &'d ElementData) {
        if e.is_shadow_root || self.buffer().plaintext {
            // Written by its host; or after a `<plaintext>`.
            return;
        }
        let space = reparsed_space(self.inside_for(n), e);
        let void = space == Space::Html && is_void(e.local());
        let el = ElementRef::new(self.doc, n as usize);
        let decision = self.walker.enter(el);
        match decision.status {
            // An element that is a placeholder already (a recording masked
            // again) stays one.
            Status::Recorded if e.attr(BLOCKED_ATTRIBUTE).is_none() => {}
            Status::Recorded | Status::Placeholder => {
                self.placeholder(el, space, void);
                self.walker.leave();
                return;
            }
            Status::Hidden | Status::PageOff => {
                self.walker.leave();
                return;
            }
        }
        let level = self
            .frames
            .last()
            .map_or(Level::ROOT, |f| f.level)
            .child(&el, decision.value);
        if level.inherited.script {
            let out = self.out();
            out.push('<');
            out.push_str(e.local());
            out.push('>');
            if !void {
                self.end_tag(e.local());
            }
            self.walker.leave();
            return;
        }
        let text = route::text(&el, level.inherited);
        let html = space == Space::Html && e.is_html();
        let mut frame = Frame {
            decision,
            level,
            text,
            text_outcome: ChannelOutcome::Off,
            // Raw only where the replay reads raw text: anywhere else,
            // unescaped text would be markup.
            raw: html && is_raw_text(e.local()),
            space,
            inside: children_inside(space, e),
            layout_only: html && is_layout_only(e.local()),
            plaintext: space == Space::Html && e.local() == "plaintext",
        };
        if let Route::Stricter(sources) = text.route {
            frame.text_outcome = self.outcome(&frame, el, "", sources);
        }
        self.frames.push(frame);
        // Only a parsed `srcdoc` has a document to write; its routing does
        // not read the value.
        if e.srcdoc != NONE
            && let Routing {
                route: Route::Stricter(sources),
                form: Form::Srcdoc,
            } = route::attribute(&el, level.inherited, "srcdoc", "")
            && self.outcome(&frame, el, "srcdoc", sources).is_capture()
        {
            // Write the nested document first, into its own buffer, while
            // the iframe is the current element.
            self.out.push(Buffer::default());
            self.tasks.push(Task::StartAfterSrcdoc(n));
            self.push_children(e.srcdoc);
        } else {
            self.start_element(n, None);
        }
    }

    /// A blocked element: its tag, its size when the attributes give it,
    /// nothing else (but the structure a parser reads from its attributes:
    /// a hidden input stays in its table).
    fn placeholder(&mut self, el: ElementRef<'d>, space: Space, void: bool) {
        let e = el.data();
        let out = self.out();
        out.push('<');
        out.push_str(e.local());
        out.push(' ');
        out.push_str(BLOCKED_ATTRIBUTE);
        if let Some(Some(hidden)) = e
            .attr("type")
            .and_then(|v| route::structural_attribute(&el, "type", v))
        {
            out.push_str(" type=\"");
            out.push_str(hidden);
            out.push('"');
        }
        for dim in ["width", "height"] {
            if let Some(v) = e.attr(dim).filter(|v| is_dimension(v)) {
                out.push(' ');
                out.push_str(dim);
                out.push_str("=\"");
                out.push_str(v.trim());
                out.push('"');
            }
        }
        out.push('>');
        if space == Space::Html && e.local() == "plaintext" {
            self.buffer().plaintext = true;
        }
        if !void {
            self.end_tag(e.local());
        }
    }

    /// Writes the start tag of the current element and schedules its
    /// content and end.
    fn start_element(&mut self, n: u32, mut srcdoc: Option<String>) {
        let doc = self.doc;
        let Some(e) = doc.nodes[n].element() else {
            return;
        };
        let el = ElementRef::new(doc, n as usize);
        // The element's frame was pushed when it was entered.
        let Some(frame) = self.frames.last().copied() else {
            return;
        };
        let space = frame.space;
        let out = self.out();
        out.push('<');
        out.push_str(e.local());
        for a in &e.attrs {
            let (name, value) = (a.name(), a.value());
            let routing = route::attribute(&el, frame.level.inherited, name, value);
            let recorded = self.attribute(el, &frame, routing, name, value, &mut srcdoc);
            if let Some(v) = recorded {
                let out = self.out();
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                match v {
                    Recorded::Text(v) => escape_attr(out, &v),
                    Recorded::Stars(v) => write_stars(out, v, true),
                }
                out.push('"');
            }
        }
        let html = space == Space::Html && e.is_html();
        let out = self.out();
        out.push('>');
        if html && matches!(e.local(), "pre" | "textarea" | "listing") {
            // The parser drops one newline after these start tags; writing
            // one keeps a leading newline of the content.
            out.push('\n');
        }
        if self.frames.last().is_some_and(|f| f.plaintext) {
            self.buffer().plaintext = true;
        }

        self.tasks.push(Task::End(n));
        if e.is_html() && is_void(e.local()) {
            return;
        }
        if e.template_contents != NONE {
            self.push_children(e.template_contents);
            return;
        }
        self.push_children(n);
        if e.shadow_root != NONE
            && let Some(t) = doc.nodes[e.shadow_root].element()
        {
            let mut open = String::from("<template");
            for a in &t.attrs {
                let (name, value) = (a.name(), a.value());
                if name == "shadowrootmode" {
                    open.push_str(" shadowrootmode=\"");
                    open.push_str(if value.eq_ignore_ascii_case("closed") {
                        "closed"
                    } else {
                        "open"
                    });
                    open.push('"');
                } else if matches!(
                    name,
                    "shadowrootdelegatesfocus" | "shadowrootclonable" | "shadowrootserializable"
                ) {
                    open.push(' ');
                    open.push_str(name);
                }
            }
            open.push('>');
            self.out().push_str(&open);
            self.tasks.push(Task::EndShadow);
            self.push_children(t.template_contents);
        }
    }

    /// The outcome of a route's sources for the current element (whose
    /// attribute `name` is routed, if any): the stricter of them.
    fn outcome(
        &self,
        frame: &Frame<'p>,
        el: ElementRef<'d>,
        name: &str,
        sources: &[Source],
    ) -> ChannelOutcome<'p> {
        Outcomes::new(&frame.decision, &frame.level, self.css_strings)
            .of(sources, || self.walker.attribute(el, name))
    }

    /// What one attribute is recorded as under its routing; `None` drops
    /// it. `srcdoc` is the nested document, written when an `srcdoc` is
    /// captured.
    fn attribute(
        &self,
        el: ElementRef<'d>,
        frame: &Frame<'p>,
        routing: Routing,
        name: &str,
        value: &'d str,
        srcdoc: &mut Option<String>,
    ) -> Option<Recorded<'d>> {
        let page = self.page;
        let sources = match routing.route {
            Route::Dropped(_) => return None,
            Route::Fixed(written) => return written.map(Recorded::borrowed),
            Route::Stricter(sources) => sources,
        };
        let outcome = self.outcome(frame, el, name, sources);
        match routing.form {
            Form::Text | Form::Css | Form::Markup => Recorded::render(page, outcome, value),
            // Any other type that would read `hidden` would move the input.
            Form::InputType => Recorded::render(page, outcome, value)
                .filter(|v| !matches!(v, Recorded::Text(t) if t.eq_ignore_ascii_case("hidden"))),
            Form::Flag => outcome.is_capture().then_some(Recorded::borrowed(value)),
            Form::Url(kind) => {
                urls::rewrite_attribute(value, kind, outcome, page).map(Recorded::Text)
            }
            Form::Refresh => {
                if let (ChannelOutcome::Capture, Some((delay, url))) =
                    (outcome, urls::refresh_url(value))
                {
                    // The URL it navigates to is a recorded URL: redacted.
                    let url = urls::rewrite(url, outcome, page)?;
                    return Some(Recorded::owned(format!("{delay}; url={url}")));
                }
                Recorded::render(page, outcome, value)
            }
            Form::Srcdoc => match outcome {
                ChannelOutcome::Capture => srcdoc.take().map(Recorded::owned),
                ChannelOutcome::Mask(strategy) => Some(Recorded::owned(mask_with(strategy, value))),
                ChannelOutcome::Off => None,
            },
            Form::Style => match outcome {
                ChannelOutcome::Capture => Some(Recorded::owned(css::rewrite_declarations(
                    value,
                    self.outcome(frame, el, name, CSS_STRINGS),
                    self.outcome(frame, el, name, CSS_URLS),
                    page,
                ))),
                ChannelOutcome::Mask(strategy) => Some(Recorded::owned(mask_with(strategy, value))),
                ChannelOutcome::Off => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut out = String::new();
        escape_text(&mut out, "a&b<c>d\"e\u{a0}f\u{c2}\u{e9}\u{2003}\u{a0}");
        assert_eq!(out, "a&amp;b&lt;c&gt;d\"e&nbsp;f\u{c2}\u{e9}\u{2003}&nbsp;");
        out.clear();
        escape_attr(&mut out, "\"x\"&<>\u{a0}é");
        assert_eq!(out, "&quot;x&quot;&amp;&lt;&gt;&nbsp;é");
    }

    /// `write_stars`, raw and escaped, writes what the matcher's `stars`
    /// would, escaped the same way.
    fn stars_match_the_matchers(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let mut raw = String::new();
        write_stars(&mut raw, text, false);
        proptest::prop_assert_eq!(&raw, &scrim_matcher::stars(text));
        let mut escaped = String::new();
        write_stars(&mut escaped, text, true);
        let mut expected = String::new();
        escape_text(&mut expected, &scrim_matcher::stars(text));
        proptest::prop_assert_eq!(escaped, expected);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn stars_written_out_are_the_matchers(text in "[ \t\n\x0b\x0c\ra-z<&\u{a0}\u{2003}\u{85}é]{0,80}") {
            stars_match_the_matchers(&text)?;
        }

        #[test]
        fn stars_of_any_text_are_the_matchers(text in "\\PC{0,40}[\r\u{a0}]?\\PC{0,40}") {
            stars_match_the_matchers(&text)?;
        }

        /// Escaping slices text at special bytes: any text, escaped, reads
        /// back as itself.
        #[test]
        fn escaped_text_reads_back_as_itself(text in "\\PC{0,40}[\r\u{a0}&<>\"]?\\PC{0,40}") {
            let unescape = |s: &str| {
                s.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&nbsp;", "\u{a0}")
                    .replace("&#13;", "\r")
                    .replace("&amp;", "&")
            };
            let mut out = String::new();
            escape_text(&mut out, &text);
            proptest::prop_assert_eq!(unescape(&out), text.clone());
            out.clear();
            escape_attr(&mut out, &text);
            proptest::prop_assert!(!out.contains(['"', '<', '>', '\r']));
            proptest::prop_assert_eq!(unescape(&out), text);
        }

        #[test]
        fn ascii_stars_written_out_are_the_matchers(text in "[ \t\n\x0b\x0c\r\x1fa-z<&~]{0,200}") {
            stars_match_the_matchers(&text)?;
        }
    }
}
