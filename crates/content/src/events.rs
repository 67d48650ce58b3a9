//! Inline event handlers: which attributes are scripts.
//!
//! An attribute is an event handler when its name is `on` followed by an
//! event a browser runs a handler content attribute for, compared ASCII
//! case-insensitively. The list is the union of what browsers honour:
//! the HTML standard's handlers on elements, `Document` and `Window`
//! (`GlobalEventHandlers`, `WindowEventHandlers`,
//! `DocumentAndElementEventHandlers`), the ones other standards add to them
//! (Pointer Events, Touch Events, CSS Animations and Transitions, the
//! Selection API, Fullscreen, Pointer Lock, Device Orientation, Picture in
//! Picture, WebXR, Scroll Snap, Encrypted Media), SVG's animation and
//! legacy document events (`onbegin`, `onend`, `onrepeat`, `onzoom`,
//! `onactivate`, `onfocusin`), `<marquee>`'s (`onbounce`, `onfinish`,
//! `onstart`), and the vendor-prefixed and legacy ones still wired in some
//! engine (`onwebkitanimationend`, `onmozfullscreenchange`,
//! `onmousewheel`, `onsearch`, Safari's gesture and force-touch events …).
//! A name that is missing here is recorded as an ordinary attribute, so the
//! list errs on the side of names that some engine once shipped.

/// Event names (the handler attribute without its `on`), sorted.
const EVENTS: &[&str] = &[
    "abort",
    "activate",
    "afterprint",
    "afterscriptexecute",
    "animationcancel",
    "animationend",
    "animationiteration",
    "animationstart",
    "appinstalled",
    "auxclick",
    "beforeactivate",
    "beforecopy",
    "beforecut",
    "beforedeactivate",
    "beforeinput",
    "beforeinstallprompt",
    "beforematch",
    "beforepaste",
    "beforeprint",
    "beforescriptexecute",
    "beforetoggle",
    "beforeunload",
    "beforexrselect",
    "begin",
    "blur",
    "bounce",
    "cancel",
    "canplay",
    "canplaythrough",
    "change",
    "click",
    "close",
    "command",
    "contentvisibilityautostatechange",
    "contextlost",
    "contextmenu",
    "contextrestored",
    "copy",
    "cuechange",
    "cut",
    "dblclick",
    "deactivate",
    "devicemotion",
    "deviceorientation",
    "deviceorientationabsolute",
    "drag",
    "dragend",
    "dragenter",
    "dragexit",
    "dragleave",
    "dragover",
    "dragstart",
    "drop",
    "durationchange",
    "emptied",
    "encrypted",
    "end",
    "ended",
    "enterpictureinpicture",
    "error",
    "finish",
    "focus",
    "focusin",
    "focusout",
    "formdata",
    "freeze",
    "fullscreenchange",
    "fullscreenerror",
    "gesturechange",
    "gestureend",
    "gesturestart",
    "gotpointercapture",
    "hashchange",
    "input",
    "invalid",
    "keydown",
    "keypress",
    "keyup",
    "languagechange",
    "leavepictureinpicture",
    "load",
    "loadeddata",
    "loadedmetadata",
    "loadend",
    "loadstart",
    "lostpointercapture",
    "message",
    "messageerror",
    "mousedown",
    "mouseenter",
    "mouseleave",
    "mousemove",
    "mouseout",
    "mouseover",
    "mouseup",
    "mousewheel",
    "mozfullscreenchange",
    "mozfullscreenerror",
    "offline",
    "online",
    "orientationchange",
    "overscroll",
    "pagehide",
    "pagereveal",
    "pageshow",
    "pageswap",
    "paste",
    "pause",
    "play",
    "playing",
    "pointercancel",
    "pointerdown",
    "pointerenter",
    "pointerleave",
    "pointerlockchange",
    "pointerlockerror",
    "pointermove",
    "pointerout",
    "pointerover",
    "pointerrawupdate",
    "pointerup",
    "popstate",
    "prerenderingchange",
    "progress",
    "ratechange",
    "readystatechange",
    "rejectionhandled",
    "repeat",
    "reset",
    "resize",
    "resume",
    "scroll",
    "scrollend",
    "scrollsnapchange",
    "scrollsnapchanging",
    "search",
    "securitypolicyviolation",
    "seeked",
    "seeking",
    "select",
    "selectionchange",
    "selectstart",
    "show",
    "slotchange",
    "stalled",
    "start",
    "storage",
    "submit",
    "suspend",
    "timeupdate",
    "toggle",
    "touchcancel",
    "touchend",
    "touchmove",
    "touchstart",
    "transitioncancel",
    "transitionend",
    "transitionrun",
    "transitionstart",
    "unhandledrejection",
    "unload",
    "visibilitychange",
    "volumechange",
    "waiting",
    "waitingforkey",
    "webkitanimationend",
    "webkitanimationiteration",
    "webkitanimationstart",
    "webkitbeginfullscreen",
    "webkitcurrentplaybacktargetiswirelesschanged",
    "webkitendfullscreen",
    "webkitfullscreenchange",
    "webkitfullscreenerror",
    "webkitkeyadded",
    "webkitkeyerror",
    "webkitkeymessage",
    "webkitmouseforcechanged",
    "webkitmouseforcedown",
    "webkitmouseforceup",
    "webkitmouseforcewillbegin",
    "webkitneedkey",
    "webkitplaybacktargetavailabilitychanged",
    "webkitpresentationmodechanged",
    "webkittransitionend",
    "wheel",
    "zoom",
];

/// Whether attribute `name` is an inline event handler (`onclick`,
/// `ONLOAD`, `onwebkitanimationend`); `one` and `onion` are not.
pub fn is_event_handler(name: &str) -> bool {
    let b = name.as_bytes();
    if b.len() < 3 || !b[..2].eq_ignore_ascii_case(b"on") {
        return false;
    }
    let event = &b[2..];
    EVENTS
        .binary_search_by(|probe| {
            // `probe` is lowercase: compare with `event` lowercased.
            probe.bytes().cmp(event.iter().map(u8::to_ascii_lowercase))
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lowercase_and_without_duplicates() {
        assert!(EVENTS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            EVENTS
                .iter()
                .all(|e| !e.bytes().any(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn handlers_and_other_on_names() {
        for name in [
            "onclick",
            "ONLOAD",
            "onMouseOver",
            "onwebkitanimationend",
            "onbegin",
            "onpointerrawupdate",
            "onbeforetoggle",
        ] {
            assert!(is_event_handler(name), "{name}");
        }
        for name in [
            "one", "only", "onion", "on", "o", "", "onclickx", "xonclick", "on\u{e9}",
        ] {
            assert!(!is_event_handler(name), "{name}");
        }
    }
}
