//! `scrim lsp` end to end: an editor session driven over standard input
//! and output with JSON-RPC, as an editor drives it: open, change,
//! diagnostics, code actions, hover, completion, definition, formatting,
//! an unsaved included file, close, shutdown. Positions are UTF-16, on a
//! line whose characters take one, two, three and four bytes.

mod common;

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The editor's side of the connection.
struct Editor {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for a response, not yet looked at.
    pending: VecDeque<Value>,
    next_id: i64,
}

impl Editor {
    fn start(root: &Path) -> Editor {
        Editor::start_with(root, Value::Null)
    }

    /// Starts the server for the workspace at `root`, with the
    /// initialization options an editor's settings give.
    fn start_with(root: &Path, options: Value) -> Editor {
        let mut child = common::command(&["lsp"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the scrim binary runs");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("every message has a length")];
                stdout.read_exact(&mut body).unwrap();
                let message: Value = serde_json::from_slice(&body).expect("messages are JSON");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let mut editor = Editor {
            child,
            stdin,
            messages,
            pending: VecDeque::new(),
            next_id: 0,
        };
        let result = editor.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "capabilities": {},
                "initializationOptions": options,
            }),
        );
        let capabilities = &result["capabilities"];
        assert_eq!(capabilities["positionEncoding"], "utf-16");
        for provider in [
            "hoverProvider",
            "completionProvider",
            "definitionProvider",
            "documentFormattingProvider",
            "codeActionProvider",
        ] {
            assert!(
                !capabilities[provider].is_null(),
                "{provider}: {capabilities}"
            );
        }
        assert_eq!(result["serverInfo"]["name"], "scrim");
        editor.notify("initialized", json!({}));
        editor
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message from the server. A correct server answers in
    /// milliseconds; the minute only keeps a broken one from hanging the
    /// test run.
    fn receive(&mut self) -> Value {
        if let Some(message) = self.pending.pop_front() {
            return message;
        }
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server sent nothing for a minute")
    }

    /// Sends a request and returns its result; what comes before it is
    /// kept for [`Editor::receive`].
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let mut before = VecDeque::new();
        loop {
            let message = self.receive();
            if message["id"] == id {
                assert!(message["error"].is_null(), "{method}: {message}");
                before.append(&mut self.pending);
                self.pending = before;
                return message["result"].clone();
            }
            before.push_back(message);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == version
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap();
    format!("file://{}", path.to_string_lossy().replace(' ', "%20"))
}

fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn range(line: u32, start: u32, end: u32) -> Value {
    json!({ "start": position(line, start), "end": position(line, end) })
}

/// `text` with LSP edits applied (positions in UTF-16 code units).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (at, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + at;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("-"))
        .collect()
}

// Line 4 has characters of 1, 2 and 4 bytes (1, 1 and 2 UTF-16 units)
// before the `0`: its UTF-16 column (29) is neither its byte column (32)
// nor its character column (28).
const POLICY: &str = "scrim 1\n\
include \"shared/base.scrim\"\n\
\n\
# Política: señales 𝕏 y emojis 🙂\n\
mask text \".é𝕏\" with length 0\n\
allw text \".a\"\n\
block   \".ad\"\n\
allow text \".ad .title\"\n";

#[test]
fn an_editor_session_over_stdio() {
    let dir = common::scratch("lsp", "session");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    common::write(
        &dir,
        "shared/base.scrim",
        "scrim 1\n\ndetect customer-id /CUST-\\d{8}/\n",
    );
    let policy_path = common::write(&dir, "policy.scrim", POLICY);
    let policy = uri(Path::new(&policy_path));
    let base = uri(&dir.join("shared/base.scrim"));
    let mut editor = Editor::start(&dir);
    let document = |version: i64| json!({ "uri": policy, "version": version });
    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": policy }, "position": position(line, character) });

    // Open: the parser's errors, at UTF-16 positions.
    editor.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": policy, "languageId": "scrim", "version": 1, "text": POLICY } }),
    );
    let diagnostics = editor.diagnostics(&policy, 1);
    assert_eq!(
        codes(&diagnostics),
        ["syntax::mask-length", "syntax::unknown-statement"]
    );
    assert_eq!(diagnostics[0]["range"], range(4, 29, 30));
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(diagnostics[1]["range"], range(5, 0, 4));
    assert!(
        diagnostics[1]["message"]
            .as_str()
            .unwrap()
            .ends_with("help: did you mean `allow`?"),
        "{}",
        diagnostics[1]
    );

    // The did-you-mean quick fix.
    let actions = editor.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": policy },
            "range": range(5, 1, 1),
            "context": { "diagnostics": [] },
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], "replace `allw` with `allow`");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(
        actions[0]["diagnostics"][0]["code"],
        "syntax::unknown-statement"
    );
    let edits = actions[0]["edit"]["changes"][&policy]
        .as_array()
        .unwrap()
        .clone();

    // Change: the fix, and the length typed over (both incremental, in
    // UTF-16 positions); the policy compiles and the linter speaks.
    let mut text = apply(POLICY, &edits);
    text = text.replacen("length 0", "length 4", 1);
    editor.notify(
        "textDocument/didChange",
        json!({
            "textDocument": document(2),
            "contentChanges": [
                { "range": edits[0]["range"], "text": edits[0]["newText"] },
                { "range": range(4, 29, 30), "text": "4" },
            ],
        }),
    );
    let diagnostics = editor.diagnostics(&policy, 2);
    assert_eq!(codes(&diagnostics), ["lint::unreachable-rule"]);
    assert_eq!(diagnostics[0]["range"], range(7, 11, 23));
    assert_eq!(diagnostics[0]["severity"], 2);
    assert_eq!(diagnostics[0]["tags"], json!([1]));
    assert_eq!(
        diagnostics[0]["relatedInformation"][0]["location"],
        json!({ "uri": policy, "range": range(6, 8, 13) })
    );

    // The lint finding's quick fixes: the linter's own, and a suppression
    // comment.
    let actions = editor.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": policy },
            "range": range(7, 12, 14),
            "context": { "diagnostics": diagnostics },
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "remove this rule",
            "suppress `unreachable-rule` on this statement"
        ]
    );
    let edits = actions[0]["edit"]["changes"][&policy]
        .as_array()
        .unwrap()
        .clone();
    assert!(!apply(&text, &edits).contains(".ad .title"));
    let edits = actions[1]["edit"]["changes"][&policy]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        apply(&text, &edits).lines().nth(7),
        Some("allow text \".ad .title\"  # scrim: allow unreachable-rule")
    );

    // Hover: a keyword after the astral character, its range in UTF-16.
    let hover = editor.request("textDocument/hover", at(4, 24));
    assert_eq!(hover["range"], range(4, 22, 28));
    assert_eq!(hover["contents"]["kind"], "markdown");
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("`with length N`"), "{markdown}");
    // And a rule: what it does.
    let hover = editor.request("textDocument/hover", at(6, 2));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.contains("Blocks the elements it selects"),
        "{markdown}"
    );

    // Completion, as the author types a preset's name.
    text.push_str("preset rr");
    editor.notify(
        "textDocument/didChange",
        json!({
            "textDocument": document(3),
            "contentChanges": [{ "range": range(8, 0, 0), "text": "preset rr" }],
        }),
    );
    let items = editor.request("textDocument/completion", at(8, 9));
    let rrweb = items
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == "rrweb")
        .unwrap_or_else(|| panic!("no `rrweb` in {items}"));
    assert_eq!(rrweb["textEdit"]["range"], range(8, 7, 9));
    assert!(
        rrweb["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains(".rr-block")
    );
    let diagnostics = editor.diagnostics(&policy, 3);
    assert_eq!(codes(&diagnostics), ["compile::unknown-preset"]);

    // Definition: the included file.
    let location = editor.request("textDocument/definition", at(1, 12));
    assert_eq!(location["uri"], base);
    assert_eq!(location["range"], range(0, 0, 0));

    // Formatting: only the lines that change.
    let edits = editor.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": policy }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = apply(&text, edits.as_array().unwrap());
    assert_eq!(formatted.lines().nth(6), Some("block \".ad\""));
    assert_eq!(
        formatted.replace("block \".ad\"", "block   \".ad\""),
        text.clone() + "\n"
    );

    // The included file, opened and broken but not saved: the policy's
    // check reads the editor's text, and says where the errors are.
    editor.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": base, "languageId": "scrim", "version": 1, "text": "scrim 1\nmsk text \".a\"\n" } }),
    );
    let diagnostics = editor.diagnostics(&policy, 3);
    assert_eq!(codes(&diagnostics), ["-", "compile::unknown-preset"]);
    assert_eq!(diagnostics[0]["range"], range(1, 8, 27));
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`shared/base.scrim` has an error: unknown statement `msk`"),
        "{}",
        diagnostics[0]
    );
    assert_eq!(
        diagnostics[0]["relatedInformation"][0]["location"],
        json!({ "uri": base, "range": range(1, 0, 3) })
    );

    // Closing a document clears its diagnostics (published without a
    // version: there is no document any more).
    editor.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": base } }),
    );
    loop {
        let message = editor.receive();
        if message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"] == base
            && message["params"]["version"].is_null()
        {
            assert_eq!(message["params"]["diagnostics"], json!([]));
            break;
        }
    }

    editor.request("shutdown", Value::Null);
    editor.notify("exit", Value::Null);
    let status = editor.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

/// Includes come from where `scrim check` takes them: the policy's own
/// folder tree, and the folders the editor's settings add as `scrim check
/// --include-root` would; a folder that is not one is reported.
#[test]
fn include_roots_come_from_the_initialization_options() {
    let dir = common::scratch("lsp", "roots");
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    common::write(&dir, "shared/base.scrim", "scrim 1\ndetect email\n");
    let text = "scrim 1\ninclude \"../shared/base.scrim\"\n";
    let path = common::write(&dir, "policies/shop.scrim", text);
    let policy = uri(Path::new(&path));
    let open = json!({ "textDocument": { "uri": policy, "languageId": "scrim", "version": 1, "text": text } });

    let mut editor = Editor::start(&dir);
    editor.notify("textDocument/didOpen", open.clone());
    let diagnostics = editor.diagnostics(&policy, 1);
    assert_eq!(codes(&diagnostics), ["compile::include-missing"]);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("pass `--include-root <dir>`"),
        "{}",
        diagnostics[0]
    );
    editor.request("shutdown", Value::Null);
    editor.notify("exit", Value::Null);
    assert!(editor.child.wait().unwrap().success());

    let mut editor = Editor::start_with(&dir, json!({ "includeRoots": ["shared", "nowhere"] }));
    let warning = editor.receive();
    assert_eq!(warning["method"], "window/showMessage", "{warning}");
    assert!(
        warning["params"]["message"]
            .as_str()
            .unwrap()
            .contains("nowhere"),
        "{warning}"
    );
    editor.notify("textDocument/didOpen", open);
    assert_eq!(editor.diagnostics(&policy, 1), Vec::<Value>::new());
    editor.request("shutdown", Value::Null);
    editor.notify("exit", Value::Null);
    assert!(editor.child.wait().unwrap().success());
}

/// A file a policy includes, opened in the editor before it exists on
/// disk: the policy is checked again, and reads the editor's text.
#[test]
fn an_included_file_is_read_from_the_editor_before_it_is_saved() {
    let dir = common::scratch("lsp", "unsaved");
    let text = "scrim 1\ninclude \"rules/new.scrim\"\n";
    let path = common::write(&dir, "policy.scrim", text);
    let policy = uri(Path::new(&path));
    let new = format!("{}/rules/new.scrim", uri(&dir));
    let mut editor = Editor::start(&dir);
    editor.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": policy, "languageId": "scrim", "version": 1, "text": text } }),
    );
    assert_eq!(
        codes(&editor.diagnostics(&policy, 1)),
        ["compile::include-missing"]
    );
    editor.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": new, "languageId": "scrim", "version": 1, "text": "scrim 1\nblock \".chat\"\n" } }),
    );
    assert_eq!(editor.diagnostics(&policy, 1), Vec::<Value>::new());
    let location = editor.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": policy }, "position": position(1, 12) }),
    );
    assert_eq!(location["uri"], new);
    editor.request("shutdown", Value::Null);
    editor.notify("exit", Value::Null);
    assert!(editor.child.wait().unwrap().success());
}
