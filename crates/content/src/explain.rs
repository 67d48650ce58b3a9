//! What `scrim explain` reports of an element, in a page or in a
//! recording: for its text, its form state, each of its attributes, its
//! media and its events, the routing that decides the content (the one
//! integrations write by, [`crate::route`]), the outcome, and the
//! matcher's explanation of every channel the routing reads.
//!
//! Integrations call [`explain_element`] with their element, its
//! attributes and why, if at all, they do not write it ([`Unwritten`],
//! found with [`unwritten`]); the CLI renders the result the same way for
//! both.

use crate::route::{
    self, BLOCKED_ATTRIBUTE, CSS_STRINGS, CSS_URLS, Facts, Form, Inherited, Route, Routing, Source,
    stricter_of,
};
use scrim_matcher::{ChannelOutcome, ChannelRef, Element, Explanation, Page, Status};

/// Why an element the matcher records is not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritten {
    /// It, or the ancestor this many levels up, already is a placeholder
    /// (`data-scrim-blocked`: a recording masked again; in a recording,
    /// also an element blocked earlier, which stays a placeholder).
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
pub struct SourceExplanation<'a, E> {
    pub source: Source,
    /// The element whose channel it is: the explained element, or, for
    /// form state, an enclosing `<select>` or `<option>`.
    pub element: E,
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
pub struct Decided<'a, E> {
    pub outcome: ChannelOutcome<'a>,
    pub sources: Vec<SourceExplanation<'a, E>>,
    /// The index in `sources` of the channel that decided.
    pub decider: usize,
}

impl<'a, E> SourceExplanation<'a, E> {
    fn explained(source: Source, element: E, levels_up: usize, x: Explanation<'a>) -> Self {
        SourceExplanation {
            source,
            element,
            levels_up,
            outcome: x.outcome,
            explanation: Some(x),
        }
    }
}

impl<'a, E> Decided<'a, E> {
    /// The channel that decided.
    pub fn deciding(&self) -> Option<&SourceExplanation<'a, E>> {
        self.sources.get(self.decider)
    }
}

/// How a style sheet's strings and URLs are decided.
#[derive(Debug, Clone)]
pub struct CssDecided<'a, E> {
    pub strings: Decided<'a, E>,
    pub urls: Decided<'a, E>,
}

/// One piece of content of an element, explained.
#[derive(Debug, Clone)]
pub struct ContentExplanation<'d, 'a, E> {
    pub content: Content<'d>,
    /// How the content is routed. `None` when the element is not written
    /// (blocked, inside a blocked element, the page is off, or
    /// [`Unwritten`]): nothing of it is recorded, whatever the route.
    pub routing: Option<Routing>,
    /// The channels that decided. `None` for content that is dropped or
    /// written in a fixed form, and for an element [`Unwritten`] says is
    /// not written; for an element the matcher does not record (blocked,
    /// the page is off), the content's own channel, explained as off.
    pub decided: Option<Decided<'a, E>>,
    /// For a style sheet (`<style>` text, a `style` attribute): how its
    /// strings and URLs are decided (they are written only when the
    /// attribute is captured).
    pub css: Option<CssDecided<'a, E>>,
}

/// An element, explained: its status and each piece of its content.
#[derive(Debug, Clone)]
pub struct ElementExplanation<'d, 'a, E> {
    pub element: E,
    /// `Recorded`, `Placeholder`, `Hidden` or `PageOff`, as written: an
    /// element [`Unwritten`] says is not written is `Placeholder` (when it
    /// is itself a placeholder already) or `Hidden`.
    pub status: Status,
    pub unwritten: Option<Unwritten>,
    /// Text, value, each attribute in the order given, media, events.
    pub contents: Vec<ContentExplanation<'d, 'a, E>>,
}

/// Why `el`, which the matcher records, is not written: the outermost
/// reason up its ancestor chain. A placeholder (an element carrying
/// [`BLOCKED_ATTRIBUTE`]) and a script ancestor are reasons everywhere;
/// `also` adds the integration's own, given each element up the chain,
/// the one below it (`None` for `el`) and how far up it is.
pub fn unwritten<E: Element>(
    el: E,
    mut also: impl FnMut(E, Option<E>, usize) -> Option<Unwritten>,
) -> Option<Unwritten> {
    let mut found = None;
    let mut child = None;
    let mut cur = Some(el);
    let mut levels_up = 0;
    while let Some(e) = cur {
        if e.attr(BLOCKED_ATTRIBUTE).is_some() {
            found = Some(Unwritten::Placeholder { levels_up });
        } else if levels_up > 0 && route::is_script(&e) {
            found = Some(Unwritten::Script { levels_up });
        } else if let Some(why) = also(e, child, levels_up) {
            found = Some(why);
        }
        child = Some(e);
        cur = e.parent();
        levels_up += 1;
    }
    found
}

/// Explains every piece of content of `el` under `page`: its text, its
/// form state, each of `attributes` (name and value, as the integration
/// writes them), its media and its events. `unwritten` says why an element
/// the matcher records is not written (see [`unwritten`]); it is asked
/// only for such elements.
pub fn explain_element<'d, 'a, E: Facts>(
    page: &'a Page<'_>,
    el: E,
    attributes: impl IntoIterator<Item = (&'d str, &'d str)>,
    unwritten: impl FnOnce() -> Option<Unwritten>,
) -> ElementExplanation<'d, 'a, E> {
    let mut contents: Vec<Content<'d>> = vec![Content::Text, Content::Value];
    contents.extend(
        attributes
            .into_iter()
            .map(|(name, value)| Content::Attr { name, value }),
    );
    contents.extend([Content::Media, Content::Events]);

    let status = page.explain(el, ChannelRef::Text).status;
    let unwritten = if status == Status::Recorded {
        unwritten()
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
                Content::Text => (route::text(&el, inherited), ""),
                Content::Value => (Routing::VALUE, ""),
                Content::Attr { name, value } => {
                    (route::attribute(&el, inherited, name, value), name)
                }
                Content::Media => (Routing::MEDIA, ""),
                Content::Events => (Routing::EVENTS, ""),
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

/// The content's own channel, explained: for elements not written.
fn own_channel<'a, E: Element>(page: &'a Page<'_>, el: E, content: Content<'_>) -> Decided<'a, E> {
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
        sources: vec![SourceExplanation::explained(source, el, 0, explanation)],
        decider: 0,
    }
}

/// The elements whose `value` make up the form state of `el`: every
/// enclosing `<select>` and `<option>`, outermost first, then `el`.
fn form_state_elements<E: Element>(el: E) -> Vec<(E, usize)> {
    let mut chain = vec![(el, 0)];
    let mut cur = el.parent();
    let mut levels_up = 1;
    while let Some(e) = cur {
        if e.is_html() && matches!(e.local_name(), "select" | "option") {
            chain.push((e, levels_up));
        }
        cur = e.parent();
        levels_up += 1;
    }
    chain.reverse();
    chain
}

struct Explainer<'e, 'a, 'p, E> {
    page: &'a Page<'p>,
    el: E,
    form_state: &'e [(E, usize)],
}

impl<'a, E: Element> Explainer<'_, 'a, '_, E> {
    /// The stricter of `sources` for the element (whose attribute `name`
    /// is routed, if any), with every channel read explained.
    fn decide(&self, sources: &[Source], name: &str) -> Decided<'a, E> {
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
                        read.push(SourceExplanation::explained(
                            source,
                            element,
                            levels_up,
                            explanation,
                        ));
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
            read.push(SourceExplanation::explained(
                source,
                self.el,
                0,
                explanation,
            ));
        }
        let (outcome, decider) = stricter_of(read.iter().map(|s| s.outcome));
        Decided {
            outcome,
            sources: read,
            decider,
        }
    }
}
