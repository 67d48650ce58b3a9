//! No marker survives: a generated page holds a unique marker in every
//! place content can sit (text of every kind of element, every kind of
//! attribute, URLs, style sheets, templates, shadow roots, `srcdoc`,
//! foreign content, comments, entities), and is masked under a policy that
//! masks everything. No marker may appear in the output, in any decoded
//! view of it: the raw bytes, the text after character references are
//! decoded, the text and attribute values of the re-parsed document, and
//! each of those percent-decoded and CSS-unescaped, ASCII case ignored.
//!
//! Markers sit only where the design calls content: not in tag or
//! attribute names, nor in the host of a URL (masked URLs keep scheme and
//! host), nor in keywords of ordinary CSS properties (documented as kept).

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use scrim_matcher::{Context, Element, Policy};
use std::sync::OnceLock;

const MASK_ALL: &str = "scrim 1
sensitive attributes all
default text, value, attributes, media mask
";

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let compiled =
            scrim_compiler::compile("mask-all.scrim", MASK_ALL, &scrim_compiler::NoFiles);
        let artifact = compiled.artifact.expect("the mask-all policy compiles");
        Policy::from_artifact(artifact).expect("and loads")
    })
}

/// Content places: `{}` is where the marker goes.
const LEAVES: &[&str] = &[
    "<p>{}</p>",
    "{}",
    "<span title=\"{}\">x</span>",
    "<img alt=\"{}\" src=\"/i/{}.png\">",
    "<input placeholder=\"{}\" value=\"{}\">",
    "<input type=hidden value=\"{}\">",
    "<input type=password value=\"{}\">",
    "<input type=checkbox value=\"{}\" checked>",
    "<button value=\"{}\">{}</button>",
    "<textarea>{}</textarea>",
    "<select><option value=\"{}\" label=\"{}\">{}</option></select>",
    "<select><button><selectedcontent>{}</selectedcontent></button><option><span>{}</span></option></select>",
    "<select><optgroup label=\"{}\"><option selected>{}</option></optgroup></select>",
    "<div aria-label=\"{}\" aria-description=\"{}\" data-x=\"{}\" class=\"{}\" id=\"{}\">y</div>",
    "<a href=\"https://h.example/{}/p?q={}#{}\">z</a>",
    "<a href=\"https://{}:{}@h.example/\">u</a>",
    "<a href=\"mailto:{}@example.com\">m</a>",
    "<a href=\"tel:{}\">t</a>",
    "<a href=\"{}\">rel</a>",
    "<a href=\"{}:{}\">scheme</a>",
    "<a href=\"https:/{}\">one slash</a>",
    "<a href=\"https:\\\\{}\\x\">backslashes</a>",
    "<img srcset=\"/a/{}.png 1x, /b/{}.png 2x\">",
    "<video poster=\"/v/{}.jpg\" src=\"/v/{}.mp4\"></video>",
    "<form action=\"/f/{}\"><button formaction=\"/g/{}\">b</button></form>",
    "<a ping=\"/p/{} /q/{}\">ping</a>",
    "<meta http-equiv=\"refresh\" content=\"5; url=/r/{}?x={}\">",
    "<meta name=\"description\" content=\"{}\">",
    "<title>{}</title>",
    "<noscript>{}<img alt=\"{}\"></noscript>",
    "<xmp>{}</xmp>",
    "<noembed>{}</noembed>",
    "<noframes>{}</noframes>",
    "<iframe>{}</iframe>",
    "<plaintext>{}",
    "<style>p::after{content:\"{}\"}</style>",
    "<style>p{font-family:{} Sans, serif}</style>",
    "<style>:root{--who:{}; --also: \"{}\"}</style>",
    "<style>@font-face{font-family:X;src:local({}), url(/f/{}.woff)}</style>",
    "<style>[data-user={}]{color:red}</style>",
    "<style><p>{}</p></style>",
    "<style>p{background:url(\"/bg/{}.png\")}</style>",
    "<style>@import \"/css/{}.css\";</style>",
    "<p style=\"content:'{}'; font-family:{}; --k:{}; background:url(/s/{})\">s</p>",
    "<div contenteditable>{}</div>",
    "<svg><text>{}</text><title>{}</title><desc>{}</desc></svg>",
    "<svg><a xlink:href=\"/x/{}\"><text>k</text></a><image href=\"/im/{}.png\"></image></svg>",
    "<svg><style>text{font-family:{}}</style><text><![CDATA[{}]]></text></svg>",
    "<math><mi>{}</mi><annotation-xml encoding=\"text/html\"><xmp>{}</xmp><p>{}</p></annotation-xml></math>",
    "<math><annotation-xml encoding=\"text/html\"><style>{}</style></annotation-xml></math>",
    "<template><p title=\"{}\">{}</p></template>",
    "<iframe srcdoc=\"<p title='{}'>{}</p>\"></iframe>",
    "<!-- {} -->",
    "<?pi {}?>",
    "<p>&#x6d;&#x71;{}</p>",
    "<table><tr><td>{}</td></tr><caption>{}</caption></table>",
    "<table>{}<tr><td>x</td></tr></table>",
    "<dl><dt>{}</dt><dd>{}</dd></dl>",
    "<ul><li value=\"{}\">{}</li></ul>",
    "<abbr title=\"{}\">a</abbr><q cite=\"/c/{}\">q</q>",
    "<object data=\"/o/{}\"><param name=\"x\" value=\"{}\"></object>",
    "<!DOCTYPE {} PUBLIC \"{}\" \"{}\">",
];

/// Containers: `{}` is where the content goes.
const WRAPPERS: &[&str] = &[
    "<div>{}</div>",
    "<section class=\"c\">{}</section>",
    "<host-el><template shadowrootmode=\"open\">{}</template></host-el>",
    "<div><template shadowrootmode=\"closed\">{}</template>light</div>",
    "<template>{}</template>",
    "<table><tr><td>{}</td></tr></table>",
    "<svg><foreignObject>{}</foreignObject></svg>",
    "<form>{}</form>",
    "<label>{}</label>",
    "<details><summary>s</summary>{}</details>",
    "<b><i>{}</b></i>",
    "<a href=\"/w\">{}</a>",
    "<p>{}</p>",
];

struct Gen {
    markers: Vec<String>,
}

impl Gen {
    fn marker(&mut self) -> String {
        // Letters only after a fixed prefix, so no masking output (stars,
        // whitespace, fixed words) and no structure can spell one.
        let mut n = self.markers.len();
        let mut m = String::from("mqv");
        loop {
            m.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                break;
            }
        }
        m.push_str("zj");
        self.markers.push(m.clone());
        m
    }

    fn fill(&mut self, template: &str, inner: Option<&str>) -> String {
        let mut out = String::new();
        let mut parts = template.split("{}").peekable();
        while let Some(part) = parts.next() {
            out.push_str(part);
            if parts.peek().is_some() {
                match inner {
                    Some(inner) => out.push_str(inner),
                    None => {
                        let m = self.marker();
                        out.push_str(&m);
                    }
                }
            }
        }
        out
    }

    fn content(&mut self, u: &mut Unstructured<'_>, depth: u32) -> Result<String> {
        let mut out = String::new();
        let n = u.int_in_range(1..=4)?;
        for _ in 0..n {
            if depth < 4 && u.ratio(1, 3)? {
                let inner = self.content(u, depth + 1)?;
                let wrapper = *u.choose(WRAPPERS)?;
                out.push_str(&self.fill(wrapper, Some(&inner)));
            } else {
                let leaf = *u.choose(LEAVES)?;
                out.push_str(&self.fill(leaf, None));
            }
        }
        Ok(out)
    }
}

fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map(|j| j + 1);
        let name = &rest[1..end.unwrap_or(rest.len())];
        let decoded = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = name.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let skip = 1 + name.len();
                rest = &rest[skip..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn css_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.push(chars.next().unwrap_or('0'));
        }
        if hex.is_empty() {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}'),
            );
            if chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
        }
    }
    out
}

fn views(output: &str) -> Vec<String> {
    let mut base = vec![output.to_string(), decode_references(output)];
    let doc = scrim_html::Document::parse(output);
    for e in doc.elements() {
        base.push(e.own_text());
        for (name, value) in e.attributes() {
            base.push(format!("{name}={value}"));
        }
    }
    let mut all = Vec::with_capacity(base.len() * 4);
    for v in base {
        let p = percent_decode(&v);
        all.push(css_unescape(&p));
        all.push(p);
        all.push(css_unescape(&v));
        all.push(v);
    }
    all.into_iter().map(|v| v.to_ascii_lowercase()).collect()
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut generator = Gen {
        markers: Vec::new(),
    };
    let Ok(body) = generator.content(&mut u, 0) else {
        return;
    };
    let html = format!("<!DOCTYPE html><html><head></head><body>{body}</body></html>");
    let page = policy().page(&Context {
        url: "https://h.example/page".into(),
        ..Context::default()
    });
    let output = scrim_html::mask_html(&html, &page);
    let views = views(&output);
    for marker in &generator.markers {
        for view in &views {
            assert!(
                !view.contains(marker.as_str()),
                "marker `{marker}` survived\npage: {html}\noutput: {output}"
            );
        }
    }
});
