//! Bugs the snapshot/mutation consistency property (`consistency.rs`)
//! found, one focused test each: the recording it shrank to, and what a
//! replay must show.

mod common;

use common::recorder::{Recorder, el, frame_document, style_declarations, text};
use common::replay::Replay;
use scrim_matcher::Policy;

/// Masks `events` in one session; returns the output and its replay.
fn mask(policy: &Policy, events: &[String]) -> (Vec<String>, Replay) {
    let (out, _) = common::mask_all(policy, common::context("", &[]), events);
    let mut replay = Replay::default();
    for e in &out {
        replay.apply(e);
    }
    assert!(replay.errors.is_empty(), "{:?}", replay.errors);
    (out, replay)
}

/// What a full snapshot of the page as it is now shows, masked.
fn snapshot(policy: &Policy, r: &Recorder, href: &str) -> Replay {
    mask(policy, &r.snapshot_events(href)).1
}

/// A style attribute as its declarations, in a fixed order.
fn declarations(style: &str) -> Vec<(String, String, bool)> {
    let mut d = style_declarations(style);
    d.sort();
    d
}

const HREF: &str = "https://shop.example.com/";

/// A `style` whose strings (a font family) became masked was written again
/// as stars of the whole attribute: the replay lost the element's layout
/// (margins, the background image, which `media` still captures) where a
/// snapshot keeps it, and masking the masked stream again turned the stars
/// into an empty style.
#[test]
fn a_style_whose_strings_become_masked_keeps_its_layout_and_urls() {
    let policy = common::policy("scrim 1\ndefault text capture\nmask text \".private\"\n");
    let mut r = Recorder::new();
    let style = "font-family:\"Brand Sans\";background-image:url(https://cdn.example.com/bg.png);margin:0 4px";
    let p = r.build(
        Recorder::BODY,
        &el(
            "p",
            &[("class", "note"), ("style", style)],
            vec![text("hi")],
        ),
    );
    r.start(HREF);
    r.set_attr(p, "class", Some("note private"));
    let (out, replay) = mask(&policy, &r.events);
    let id = r.id(p);
    assert!(
        out[2].contains(r#""style":{"font-family":"\"***** ****\""}"#),
        "the font family is written again masked, alone: {}",
        out[2]
    );
    let shown = &replay.nodes[&id].attrs["style"];
    let want = &snapshot(&policy, &r, HREF).nodes[&id].attrs["style"];
    assert_eq!(declarations(shown), declarations(want));
    assert!(shown.contains("cdn.example.com/bg.png") && shown.contains("margin"));
    // Back to a captured text: what was masked stays masked.
    r.set_attr(p, "class", Some("note"));
    let (out, replay) = mask(&policy, &r.events);
    assert!(!replay.nodes[&id].attrs["style"].contains("Brand"));
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out, "masking the masked stream changes nothing");
}

/// The same for URLs: a style whose `url()`s became masked (its `media`)
/// keeps its font family, which `text` still captures.
#[test]
fn a_style_whose_urls_become_masked_keeps_its_strings() {
    let policy = common::policy("scrim 1\ndefault text capture\nmask media \".private\"\n");
    let mut r = Recorder::new();
    let style = "font-family:\"Brand Sans\";background-image:url(https://cdn.example.com/bg.png)";
    let p = r.build(Recorder::BODY, &el("p", &[("style", style)], vec![]));
    r.start(HREF);
    r.set_attr(p, "class", Some("private"));
    let (out, replay) = mask(&policy, &r.events);
    let id = r.id(p);
    let shown = &replay.nodes[&id].attrs["style"];
    let want = &snapshot(&policy, &r, HREF).nodes[&id].attrs["style"];
    assert_eq!(declarations(shown), declarations(want), "{}", out[2]);
    assert!(shown.contains("Brand Sans") && !shown.contains("bg.png"));
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out);
}

/// A style written as an object of the properties that changed (rrweb's
/// compact style mutation) keeps the declarations written before it: when
/// the strings become masked, both the font family written before the
/// object and the `content` it set are written again masked.
#[test]
fn a_style_object_keeps_what_the_style_held_before() {
    let policy = common::policy("scrim 1\ndefault text capture\nmask text \".private\"\n");
    let mut r = Recorder::new();
    let style = "font-family:\"Brand Sans\";margin:0 4px;padding:0 8px;border:0";
    let p = r.build(Recorder::BODY, &el("p", &[("style", style)], vec![]));
    r.start(HREF);
    // One property changed: rrweb writes `{"content":"\"Sale\""}`.
    r.set_attr(p, "style", Some(&format!("{style};content:\"Sale\"")));
    assert!(r.events.last().unwrap().contains(r#""style":{"#));
    r.set_attr(p, "class", Some("private"));
    let (out, replay) = mask(&policy, &r.events);
    let id = r.id(p);
    let shown = &replay.nodes[&id].attrs["style"];
    let want = &snapshot(&policy, &r, HREF).nodes[&id].attrs["style"];
    assert_eq!(declarations(shown), declarations(want), "{out:#?}");
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out);
}

/// A masked channel whose strategy changes to one that hides more (stars
/// to `with length 6`: the loyalty balance "without revealing how many
/// digits it has") kept the stars it was written with: the replay still
/// showed how long the text, the title and the value were. They are
/// written again with the new strategy, as a snapshot writes them. (A
/// value typed since is not: see docs/rrweb.md.)
#[test]
fn masked_content_is_written_again_when_its_strategy_hides_more() {
    let policy = common::policy(
        "scrim 1\ndefault text, attributes capture\n\
         mask text, value, attributes \".points\" with length 6\n\
         mask value \".gift\" with \"[gift]\"\n",
    );
    let mut r = Recorder::new();
    let span = r.build(
        Recorder::BODY,
        &el("span", &[("title", "12 345 points")], vec![text("12 345")]),
    );
    let input = r.build(
        Recorder::BODY,
        &el("input", &[("value", "Dear Jo")], vec![]),
    );
    // A text of spaces only: stars keep it as it is, a fixed length does
    // not.
    let spaces = r.build(
        Recorder::BODY,
        &el("p", &[("aria-label", "")], vec![text("   ")]),
    );
    r.start(HREF);
    r.set_attr(span, "class", Some("points"));
    r.set_attr(spaces, "class", Some("points"));
    r.set_attr(input, "class", Some("gift"));
    let (out, replay) = mask(&policy, &r.events);
    let want = snapshot(&policy, &r, HREF);
    let (s, i) = (r.id(span), r.id(input));
    assert_eq!(replay.nodes[&s].attrs["title"], "******", "{out:#?}");
    assert_eq!(replay.nodes[&s].attrs, want.nodes[&s].attrs);
    let text = replay.nodes[&s].children[0];
    assert_eq!(replay.nodes[&text].text, want.nodes[&text].text);
    let blank = r.id(r.nodes[spaces].children[0]);
    assert_eq!(replay.nodes[&blank].text, "******");
    assert_eq!(replay.nodes[&r.id(spaces)].attrs["aria-label"], "******");
    assert_eq!(replay.nodes[&i].shown_value(), Some("[gift]"));
    assert_eq!(replay.nodes[&i].attrs, want.nodes[&i].attrs);
    // Back to stars, which show more: what was written stays as it is.
    r.set_attr(span, "class", None);
    let (out, replay) = mask(&policy, &r.events);
    assert_eq!(replay.nodes[&text].text, "******");
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out);
}

/// A node added before a sibling that becomes blocked in the same
/// mutation named that sibling as its `nextId`, though the mutation
/// removes it first and adds its placeholder only after: the add waits
/// for it (rrweb's replayer queues it), and masking the masked stream
/// again placed the nodes in another order. Every add now names a next
/// sibling the replay has when it is applied.
#[test]
fn an_add_never_names_a_sibling_written_again_after_it() {
    let policy = common::policy("scrim 1\nblock \".ad\"\n");
    let mut r = Recorder::new();
    let list = r.build(Recorder::BODY, &el("ul", &[], vec![]));
    let items: Vec<usize> = (0..3)
        .map(|k| r.build(list, &el("li", &[], vec![text(&format!("item {k}"))])))
        .collect();
    r.start(HREF);
    // One batch: an item inserted before the second, which becomes an ad,
    // and the third becomes one too.
    r.insert(list, Some(items[1]), &el("li", &[], vec![text("new")]));
    r.set_attribute(items[1], "class", Some("ad"));
    r.set_attribute(items[2], "class", Some("ad"));
    r.commit();
    let (out, replay) = mask(&policy, &r.events);
    let data = &serde_json::from_str::<serde_json::Value>(&out[2]).unwrap()["data"];
    let removes: Vec<i64> = data["removes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let mut placed: Vec<i64> = Vec::new();
    for add in data["adds"].as_array().unwrap() {
        if let Some(next) = add["nextId"].as_i64() {
            let removed = removes.contains(&next);
            assert!(
                !removed || placed.contains(&next),
                "add names {next}, written again after it: {}",
                out[2]
            );
        }
        placed.push(add["node"]["id"].as_i64().unwrap());
    }
    let want = snapshot(&policy, &r, HREF);
    assert_eq!(
        replay.nodes[&r.id(list)].children,
        want.nodes[&r.id(list)].children
    );
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out);
}

/// An attribute changed to a value that is never recorded (a
/// `javascript:` URL, a refresh to one, a size that is no length) was left
/// out of the mutation: the replay kept the old value, a link to the page
/// the `href` no longer names. It is written as removed, as a snapshot
/// leaves it out.
#[test]
fn an_attribute_changed_to_what_is_never_recorded_is_removed() {
    let policy = common::policy("scrim 1\ndefault text capture\nsensitive attributes title\n");
    let mut r = Recorder::new();
    let a = r.build(
        Recorder::BODY,
        &el(
            "a",
            &[("href", "https://shop.example.com/orders/1")],
            vec![text("order")],
        ),
    );
    let img = r.build(Recorder::BODY, &el("img", &[("rr_width", "300px")], vec![]));
    r.start(HREF);
    r.set_attr(a, "href", Some("javascript:void(0)"));
    r.set_attr(img, "rr_width", Some("a lot"));
    let (out, replay) = mask(&policy, &r.events);
    assert!(out[2].contains(r#"{"href":null}"#), "{}", out[2]);
    let want = snapshot(&policy, &r, HREF);
    for n in [a, img] {
        assert_eq!(replay.nodes[&r.id(n)].attrs, want.nodes[&r.id(n)].attrs);
    }
    // What is never written is not removed either: an event handler.
    r.set_attr(a, "onclick", Some("steal()"));
    let (out, _) = mask(&policy, &r.events);
    assert_eq!(out.len(), 4);
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out);
}

/// Style content written again masked used stars whatever the strategy
/// in force (`with length 3` here): a snapshot writes the font family, the
/// style sheet's strings, as the strategy says.
#[test]
fn style_content_is_written_again_with_the_strategy_in_force() {
    let policy =
        common::policy("scrim 1\ndefault text capture\nmask text \".short\" with length 3\n");
    let mut r = Recorder::new();
    let p = r.build(
        Recorder::BODY,
        &el(
            "p",
            &[("style", "font-family:\"Brand Sans\";margin:0")],
            vec![],
        ),
    );
    let sheet = r.build(
        Recorder::HEAD,
        &el(
            "style",
            &[("_cssText", ".a{content:\"Sale\"}")],
            vec![text(".b{content:\"Hello\"}")],
        ),
    );
    r.start(HREF);
    r.set_attr(p, "class", Some("short"));
    r.set_attr(Recorder::HTML, "class", Some("short"));
    let (out, replay) = mask(&policy, &r.events);
    let want = snapshot(&policy, &r, HREF);
    let (pid, sid) = (r.id(p), r.id(sheet));
    assert_eq!(
        declarations(&replay.nodes[&pid].attrs["style"]),
        declarations(&want.nodes[&pid].attrs["style"]),
        "{out:#?}"
    );
    assert_eq!(replay.nodes[&sid].attrs, want.nodes[&sid].attrs);
    let sheet_text = replay.nodes[&sid].children[0];
    assert_eq!(replay.nodes[&sheet_text].text, want.nodes[&sheet_text].text);
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out);
}

/// An empty text node masked with a fixed text was written as that text:
/// the replay had text where the page has none, so `p:empty` stopped
/// matching it, and masking the masked stream again decided the `<p>`
/// otherwise (its title, captured under `p:empty`, was masked the second
/// time). An empty text is written empty whatever the strategy: there is
/// nothing in it to hide.
#[test]
fn an_empty_text_stays_empty_whatever_the_strategy() {
    let policy = common::policy(
        "scrim 1\ndefault text capture\nmask text \"p\" with \"[hidden]\"\n\
         mask text \"b\" with length 4\nallow attr:title \"p:empty\"\n",
    );
    let mut r = Recorder::new();
    let p = r.build(
        Recorder::BODY,
        &el("p", &[("title", "Hello")], vec![text("")]),
    );
    let b = r.build(Recorder::BODY, &el("b", &[], vec![text("x"), text("y")]));
    r.start(HREF);
    // Added empty by a mutation, and emptied by one.
    let added = r.insert(Recorder::BODY, None, &el("b", &[], vec![text("")]));
    r.commit();
    let emptied = r.nodes[b].children[0];
    r.set_text(emptied, "");
    let (out, replay) = mask(&policy, &r.events);
    let shown = |i: usize| replay.nodes[&r.id(i)].text.clone();
    assert_eq!(shown(r.nodes[p].children[0]), "", "{out:#?}");
    assert_eq!(shown(r.nodes[added].children[0]), "");
    assert_eq!(shown(emptied), "");
    assert_eq!(shown(r.nodes[b].children[1]), "****");
    assert_eq!(replay.nodes[&r.id(p)].attrs["title"], "Hello");
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out, "masking the masked stream changes nothing");
}

/// The mirror kept a shadow root's children in one list with the host's
/// light children, and selectors read that list: a light `.b` followed by
/// a shadow `.c` matched `.b + .c`, and a host whose only content is in its
/// shadow root did not match `:empty`, so text the policy masks under
/// `section:empty` was written in clear. As in the DOM (and the reference
/// evaluator), a shadow root's children are siblings of each other only,
/// and not children of the host for `:empty`; the same holds for a frame's
/// document.
#[test]
fn shadow_roots_and_frame_documents_are_not_light_children() {
    let policy = common::policy(
        "scrim 1\ndefault text capture\nmask text \".b + .c\"\n\
         mask text \"section:empty\"\nmask text \"iframe:empty\"\n",
    );
    let mut r = Recorder::new();
    let shadow =
        |tag: &str, attrs: &[(&str, &str)], t: &str| el(tag, attrs, vec![text(t)]).shadow();
    let host = r.build(
        Recorder::BODY,
        &el(
            "div",
            &[],
            vec![
                el("p", &[("class", "b")], vec![text("Light")]),
                shadow("span", &[("class", "c")], "Shadow"),
            ],
        ),
    );
    let section = r.build(
        Recorder::BODY,
        &el("section", &[], vec![shadow("span", &[], "Inside")]),
    );
    let frame = r.build(
        Recorder::BODY,
        &el("iframe", &[], vec![frame_document(vec![text("Framed")])]),
    );
    r.start(HREF);
    let (out, replay) = mask(&policy, &r.events);
    let text_of = |i: usize| {
        let n = &replay.nodes[&r.id(i)];
        replay.nodes[&n.children[0]].text.clone()
    };
    assert_eq!(text_of(r.nodes[host].children[1]), "Shadow", "{out:#?}");
    assert_eq!(text_of(r.nodes[section].children[0]), "******");
    let body = r
        .frame_doc(frame)
        .map(|d| r.nodes[r.nodes[d].children[0]].children[1]);
    assert_eq!(replay.nodes[&r.id(body.unwrap())].children.len(), 1);
    assert_eq!(text_of(body.unwrap()), "******");
}

/// A typed value whose `value` became masked with a fixed text was
/// written again in an Input event just before the mutation, as that
/// text; masking the recording again read that event while the value was
/// still captured, kept it as typed content, and wrote it again at the
/// mutation: one Input event more. The masker remembers that the replay
/// shows one of the policy's masking texts, and does not write it again
/// masked with that same text.
#[test]
fn a_typed_value_written_again_as_a_masking_text_is_written_once() {
    let policy = common::policy(
        "scrim 1\ndefault value capture\nmask value \"label + input\" with \"[hidden]\"\n",
    );
    let mut r = Recorder::new();
    let input = r.build(Recorder::BODY, &el("input", &[("value", "")], vec![]));
    r.start(HREF);
    r.input(input, "Hello", false);
    r.insert(
        Recorder::BODY,
        Some(input),
        &el("label", &[], vec![text("Name")]),
    );
    r.commit();
    let (out, replay) = mask(&policy, &r.events);
    assert_eq!(
        replay.nodes[&r.id(input)].shown_value(),
        Some("[hidden]"),
        "{out:#?}"
    );
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out, "masking the masked stream changes nothing");
}

/// A `style` that sets a property twice (`content:"Sale";…;content:"New"`)
/// had both declarations written again when its strings became masked, as
/// one style object with a repeated key, which masking again read as one
/// (the last): the output changed. A property is written again once, with
/// the declaration in force, when any of its declarations held content in
/// clear (setting it drops the one it overrides from the replay's text).
#[test]
fn a_property_set_twice_in_a_style_is_written_again_once() {
    let policy = common::policy("scrim 1\ndefault text capture\nmask text \".private\"\n");
    let mut r = Recorder::new();
    let style = "content:\"Sale\";margin:0 4px;content:\"New\"";
    let p = r.build(Recorder::BODY, &el("p", &[("style", style)], vec![]));
    r.start(HREF);
    r.set_attr(p, "class", Some("private"));
    let (out, replay) = mask(&policy, &r.events);
    assert!(
        out[2].contains(r#""style":{"content":"\"***\""}"#),
        "the property in force, once: {}",
        out[2]
    );
    let id = r.id(p);
    let want = &snapshot(&policy, &r, HREF).nodes[&id].attrs["style"];
    assert_eq!(
        declarations(&replay.nodes[&id].attrs["style"]),
        declarations(want)
    );
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out, "masking the masked stream changes nothing");
}

/// A captured `style` whose strings were masked with one strategy (`with
/// length 3`) kept it when a rule with a fixed text came to mask them: the
/// replay showed `"***"` where a snapshot shows `"[hidden]"`. The
/// declarations that hold strings masked are remembered, as masked
/// attributes are, when the policy has such strategies, and written again.
#[test]
fn style_strings_are_written_again_when_their_strategy_changes() {
    let policy = common::policy(
        "scrim 1\ndefault text capture\nmask text \".short\" with length 3\n\
         mask text \".hidden\" with \"[hidden]\"\n",
    );
    let mut r = Recorder::new();
    let style = "font-family:\"Brand Sans\";margin:0 4px";
    let p = r.build(
        Recorder::BODY,
        &el("p", &[("class", "short"), ("style", style)], vec![]),
    );
    r.start(HREF);
    r.set_attr(p, "class", Some("hidden"));
    let (out, replay) = mask(&policy, &r.events);
    let id = r.id(p);
    let want = &snapshot(&policy, &r, HREF).nodes[&id].attrs["style"];
    assert!(want.contains("[hidden]"));
    assert_eq!(
        declarations(&replay.nodes[&id].attrs["style"]),
        declarations(want),
        "{out:#?}"
    );
    let (again, _) = common::mask_all(&policy, common::context("", &[]), &out);
    assert_eq!(again, out, "masking the masked stream changes nothing");
}
