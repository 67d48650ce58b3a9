//! What `scrim explain` reports of an element: for its text, its form
//! state, each of its attributes, its media and its events, the routing
//! that decides the content (the one `mask_document` writes by), the
//! outcome, and the matcher's explanation of every channel the routing
//! reads. The CLI renders it; a property test holds it to what
//! `mask_document` writes.

use crate::dom::{ElementData, NONE};
use crate::route::{
    self, CSS_STRINGS, CSS_URLS, Form, Inherited, Route, Routing, Source, stricter_of,
};
use crate::{BLOCKED_ATTRIBUTE, ElementRef};
use scrim_matcher::{ChannelOutcome, ChannelRef, Element, Explanation, Page, Status};

/// Why an element the matcher records is not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritten {
    /// It, or the ancestor this many levels up, already is a placeholder
    /// (`data-scrim-blocked`: a recording masked again).
    Placeholder { levels_up: usize },
    /// It is inside a script this many levels up: scripts are written
    /// empty.
    Script { levels_up: usize },
    /// It is in the `srcdoc` document of the iframe this many levels up,
    /// whose `srcdoc` is not captured: the document is masked as one
    /// attribute value.
    Srcdoc { levels_up: usize },
}

/// One piece of an element's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content<'d> {
    /// Its text-node children.
    Text,
    /// Its form state.
    Value,
    /// One attribute.
    Attr { name: &'d str, value: &'d str },
    /// Its media.
    Media,
    /// The events that target it.
    Events,
}

/// One channel a routing read, on the element or an ancestor, and what it
/// decided.
#[derive(Debug, Clone)]
pub struct SourceExplanation<'d, 'a> {
    pub source: Source,
    /// The element whose channel it is: the explained element, or, for
    /// form state, an enclosing `<select>` or `<option>`.
    pub element: ElementRef<'d>,
    pub levels_up: usize,
    pub outcome: ChannelOutcome<'a>,
    /// The matcher's explanation; `None` for the page's text default,
    /// which no element decides.
    pub explanation: Option<Explanation<'a>>,
}

/// The stricter of some channels: the outcome, every channel read (form
/// state expanded to the `value` of each element it reads), and which one
/// decided.
#[derive(Debug, Clone)]
pub struct Decided<'d, 'a> {
    pub outcome: ChannelOutcome<'a>,
    pub sources: Vec<SourceExplanation<'d, 'a>>,
    /// The index in `sources` of the channel that decided.
    pub decider: usize,
}

impl<'d, 'a> Decided<'d, 'a> {
    /// The channel that decided.
    pub fn deciding(&self) -> Option<&SourceExplanation<'d, 'a>> {
        self.sources.get(self.decider)
    }
}

/// How a style sheet's strings and URLs are decided.
#[derive(Debug, Clone)]
pub struct CssDecided<'d, 'a> {
    pub strings: Decided<'d, 'a>,
    pub urls: Decided<'d, 'a>,
}

/// One piece of content of an element, explained.
#[derive(Debug, Clone)]
pub struct ContentExplanation<'d, 'a> {
    pub content: Content<'d>,
    /// How the content is routed. `None` when the element is not written
    /// (blocked, inside a blocked element, the page is off, or
    /// [`Unwritten`]): nothing of it is recorded, whatever the route.
    pub routing: Option<Routing>,
    /// The channels that decided. `None` for content that is dropped or
    /// written in a fixed form, and for an element [`Unwritten`] says is
    /// not written; for an element the matcher does not record (blocked,
    /// the page is off), the content's own channel, explained as off.
    pub decided: Option<Decided<'d, 'a>>,
    /// For a style sheet (`<style>` text, a `style` attribute): how its
    /// strings and URLs are decided (they are written only when the
    /// attribute is captured).
    pub css: Option<CssDecided<'d, 'a>>,
}

/// An element, explained: its status and each piece of its content.
#[derive(Debug, Clone)]
pub struct ElementExplanation<'d, 'a> {
    pub element: ElementRef<'d>,
    /// `Recorded`, `Placeholder`, `Hidden` or `PageOff`, as written: an
    /// element [`Unwritten`] says is not written is `Placeholder` (when it
    /// is itself a placeholder already) or `Hidden`.
    pub status: Status,
    pub unwritten: Option<Unwritten>,
    /// Text, value, each attribute in document order, media, events.
    pub contents: Vec<ContentExplanation<'d, 'a>>,
}

/// Explains every piece of content of `el` under `page`.
pub fn explain_element<'d, 'a>(
    page: &'a Page<'_>,
    el: ElementRef<'d>,
) -> ElementExplanation<'d, 'a> {
    let data = el.data();
    let mut contents: Vec<Content<'d>> = vec![Content::Text, Content::Value];
    contents.extend(data.attrs.iter().map(|a| Content::Attr {
        name: a.name(),
        value: a.value(),
    }));
    contents.extend([Content::Media, Content::Events]);

    let status = page.explain(el, ChannelRef::Text).status;
    let unwritten = if status == Status::Recorded {
        unwritten(page, el)
    } else {
        None
    };
    if status != Status::Recorded || unwritten.is_some() {
        let status = match unwritten {
            Some(Unwritten::Placeholder { levels_up: 0 }) => Status::Placeholder,
            Some(_) => Status::Hidden,
            None => status,
        };
        let contents = contents
            .into_iter()
            .map(|content| ContentExplanation {
                content,
                routing: None,
                decided: unwritten.is_none().then(|| own_channel(page, el, content)),
                css: None,
            })
            .collect();
        return ElementExplanation {
            element: el,
            status,
            unwritten,
            contents,
        };
    }

    let inherited = Inherited::of(el);
    let form_state = form_state_elements(el);
    let explainer = Explainer {
        page,
        el,
        form_state: &form_state,
    };
    let contents = contents
        .into_iter()
        .map(|content| {
            let (routing, name) = match content {
                Content::Text => (route::text(el, inherited), ""),
                Content::Value => (stricter(&[Source::FormState]), ""),
                Content::Attr { name, value } => {
                    (route::attribute(el, inherited, name, value), name)
                }
                Content::Media => (stricter(&[Source::Media]), ""),
                Content::Events => (stricter(&[Source::Events]), ""),
            };
            let decided = match routing.route {
                Route::Stricter(sources) => Some(explainer.decide(sources, name)),
                Route::Dropped(_) | Route::Fixed(_) => None,
            };
            let css = match (routing.form, &decided) {
                (Form::Css, _) | (Form::Style, Some(_)) => Some(CssDecided {
                    strings: explainer.decide(CSS_STRINGS, name),
                    urls: explainer.decide(CSS_URLS, name),
                }),
                _ => None,
            };
            ContentExplanation {
                content,
                routing: Some(routing),
                decided,
                css,
            }
        })
        .collect();
    ElementExplanation {
        element: el,
        status,
        unwritten: None,
        contents,
    }
}

fn stricter(sources: &'static [Source]) -> Routing {
    Routing {
        route: Route::Stricter(sources),
        form: Form::Text,
    }
}

/// The content's own channel, explained: for elements not written.
fn own_channel<'d, 'a>(
    page: &'a Page<'_>,
    el: ElementRef<'d>,
    content: Content<'d>,
) -> Decided<'d, 'a> {
    let (source, channel) = match content {
        Content::Text => (Source::Text, ChannelRef::Text),
        Content::Value => (Source::FormState, ChannelRef::Value),
        Content::Attr { name, .. } => (Source::Attr, ChannelRef::Attr(name)),
        Content::Media => (Source::Media, ChannelRef::Media),
        Content::Events => (Source::Events, ChannelRef::Events),
    };
    let explanation = page.explain(el, channel);
    Decided {
        outcome: explanation.outcome,
        sources: vec![SourceExplanation {
            source,
            element: el,
            levels_up: 0,
            outcome: explanation.outcome,
            explanation: Some(explanation),
        }],
        decider: 0,
    }
}

/// Why `el`, which the matcher records, is not written: the outermost
/// reason up its ancestor chain.
fn unwritten(page: &Page<'_>, el: ElementRef<'_>) -> Option<Unwritten> {
    let mut found = None;
    let mut child: Option<ElementRef<'_>> = None;
    let mut cur = Some(el);
    let mut levels_up = 0;
    while let Some(e) = cur {
        let data = e.data();
        if data.attr(BLOCKED_ATTRIBUTE).is_some() {
            found = Some(Unwritten::Placeholder { levels_up });
        } else if levels_up > 0 && route::is_script(data) {
            found = Some(Unwritten::Script { levels_up });
        } else if let Some(c) = child
            && holds_srcdoc_root(e, data, c)
            && !page
                .decide_channel(e, ChannelRef::Attr("srcdoc"))
                .is_capture()
        {
            found = Some(Unwritten::Srcdoc { levels_up });
        }
        child = Some(e);
        cur = e.parent();
        levels_up += 1;
    }
    found
}

/// Whether `child` is the root element of the `srcdoc` document of `e`.
fn holds_srcdoc_root(e: ElementRef<'_>, data: &ElementData, child: ElementRef<'_>) -> bool {
    data.srcdoc != NONE && child.node_parent() == data.srcdoc && e.data().is("iframe")
}

/// The elements whose `value` make up the form state of `el`: every
/// enclosing `<select>` and `<option>`, outermost first, then `el`.
fn form_state_elements(el: ElementRef<'_>) -> Vec<(ElementRef<'_>, usize)> {
    let mut chain = vec![(el, 0)];
    let mut cur = el.parent();
    let mut levels_up = 1;
    while let Some(e) = cur {
        if e.data().is("select") || e.data().is("option") {
            chain.push((e, levels_up));
        }
        cur = e.parent();
        levels_up += 1;
    }
    chain.reverse();
    chain
}

struct Explainer<'e, 'd, 'a, 'p> {
    page: &'a Page<'p>,
    el: ElementRef<'d>,
    form_state: &'e [(ElementRef<'d>, usize)],
}

impl<'d, 'a> Explainer<'_, 'd, 'a, '_> {
    /// The stricter of `sources` for the element (whose attribute `name`
    /// is routed, if any), with every channel read explained.
    fn decide(&self, sources: &[Source], name: &'d str) -> Decided<'d, 'a> {
        let mut read = Vec::new();
        for &source in sources {
            let channel = match source {
                Source::Text => ChannelRef::Text,
                Source::Media => ChannelRef::Media,
                Source::Events => ChannelRef::Events,
                Source::Attr => ChannelRef::Attr(name),
                Source::FormState => {
                    for &(element, levels_up) in self.form_state {
                        let explanation = self.page.explain(element, ChannelRef::Value);
                        read.push(SourceExplanation {
                            source,
                            element,
                            levels_up,
                            outcome: explanation.outcome,
                            explanation: Some(explanation),
                        });
                    }
                    continue;
                }
                Source::PageText => {
                    read.push(SourceExplanation {
                        source,
                        element: self.el,
                        levels_up: 0,
                        outcome: self.page.default_outcome(ChannelRef::Text),
                        explanation: None,
                    });
                    continue;
                }
            };
            let explanation = self.page.explain(self.el, channel);
            read.push(SourceExplanation {
                source,
                element: self.el,
                levels_up: 0,
                outcome: explanation.outcome,
                explanation: Some(explanation),
            });
        }
        let (outcome, decider) = stricter_of(read.iter().map(|s| s.outcome));
        Decided {
            outcome,
            sources: read,
            decider,
        }
    }
}
