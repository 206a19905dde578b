//! `.html` / `.htm`: a saved web page, parsed as a browser parses it
//! (html5ever's tokenizer and tree builder), with every character of the
//! text traced back to its bytes in the page source.
//!
//! html5ever does not report source offsets, so the text it appends is
//! aligned with the source afterwards: the tree builder appends text in
//! source order, so one forward scan matches each appended character to a
//! literal character, a character reference (`&amp;`, `&#20013;`) or a line
//! break (`\r\n`), skipping the markup in between.

use std::cell::{Ref, RefCell};
use std::ops::Range;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, Attribute, QualName};

use super::layout::{self, Shape};
use super::srcmap::{SourceMap, TextBuilder};
use super::text::{Decoded, Encoding};
use crate::document::Document;

/// A page's bytes decoded in its charset: the byte-order mark, else the
/// charset it declares (`<meta charset>`, `http-equiv`), else UTF-8 when
/// valid, else GB18030. Returns a note when the declared charset was wrong.
pub fn decode(bytes: &[u8]) -> (Decoded, Option<String>) {
    let (declared, bom_len) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((e, len)) => (Some(e), len),
        None => (prescan(bytes), 0),
    };
    let body = &bytes[bom_len..];
    let strict = |e: &'static encoding_rs::Encoding| {
        e.decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned())
    };
    let mut note = None;
    let (text, encoding) = match declared {
        Some(e) if e == encoding_rs::UTF_8 => match strict(e) {
            Some(t) => (t, Encoding::Utf8),
            None => match strict(encoding_rs::GB18030) {
                Some(t) => {
                    note = Some(
                        "网页声明为 UTF-8 编码，但内容不是有效的 UTF-8，已按 GB18030 编码读取"
                            .to_owned(),
                    );
                    (t, Encoding::Gb18030)
                }
                None => lossy(e, body, &mut note),
            },
        },
        Some(e) => match strict(e) {
            Some(t) => (t, Encoding::Declared(e)),
            None => lossy(e, body, &mut note),
        },
        None => match std::str::from_utf8(body) {
            Ok(t) => (t.to_owned(), Encoding::Utf8),
            Err(_) => match strict(encoding_rs::GB18030) {
                Some(t) => (t, Encoding::Gb18030),
                None => lossy(encoding_rs::UTF_8, body, &mut note),
            },
        },
    };
    let line_ending = super::text::line_ending(&text);
    (
        Decoded {
            text,
            encoding,
            bom: bom_len == 3 && encoding == Encoding::Utf8,
            line_ending,
        },
        note,
    )
}

fn lossy(
    e: &'static encoding_rs::Encoding,
    body: &[u8],
    note: &mut Option<String>,
) -> (String, Encoding) {
    let (text, _) = e.decode_without_bom_handling(body);
    let bad = text.matches('\u{FFFD}').count();
    *note = Some(format!(
        "网页按 {} 编码读取，有 {bad} 处字节无法解码（显示为 �）",
        e.name()
    ));
    let encoding = if e == encoding_rs::UTF_8 {
        Encoding::Utf8
    } else {
        Encoding::Declared(e)
    };
    (text.into_owned(), encoding)
}

/// The charset a page declares in its first 1024 bytes (the HTML prescan,
/// simplified): `<meta charset=…>` or `<meta http-equiv … content="…charset=…">`.
fn prescan(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let tag_start = from + i;
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |j| tag_start + j);
        let tag = &lower[tag_start..tag_end];
        if let Some(j) = find(tag, b"charset") {
            let rest = &tag[j + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b' ' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(e) = encoding_rs::Encoding::for_label(&rest[..end]) {
                    // A page cannot declare UTF-16 in ASCII bytes (HTML spec).
                    if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                        return Some(encoding_rs::UTF_8);
                    }
                    return Some(e);
                }
            }
        }
        from = tag_end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &b[n..]
}

// ---------------------------------------------------------------------------
// The tree

#[derive(Debug)]
enum Kind {
    Document,
    Element(Vec<Attribute>),
    Text(String),
    /// Comments, processing instructions: nothing to read.
    Other,
}

#[derive(Debug)]
struct Node {
    name: QualName,
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// Text the tree builder appended, in the order it did: `node`'s text bytes `range`.
struct Piece {
    node: usize,
    range: Range<usize>,
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
    pieces: RefCell<Vec<Piece>>,
}

fn no_name() -> QualName {
    QualName::new(None, html5ever::ns!(), local_name!(""))
}

impl Sink {
    fn new() -> Sink {
        Sink {
            nodes: RefCell::new(vec![Node {
                name: no_name(),
                kind: Kind::Document,
                parent: None,
                children: Vec::new(),
            }]),
            pieces: RefCell::new(Vec::new()),
        }
    }

    fn add(&self, name: QualName, kind: Kind) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            name,
            kind,
            parent: None,
            children: Vec::new(),
        });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], child: usize) {
        if let Some(p) = nodes[child].parent.take() {
            nodes[p].children.retain(|&c| c != child);
        }
    }

    /// Insert `child` into `parent` at `index` (text merges with a text
    /// node just before it).
    fn insert(&self, parent: usize, index: usize, child: NodeOrText<usize>) {
        match child {
            NodeOrText::AppendNode(n) => {
                let mut nodes = self.nodes.borrow_mut();
                Self::detach(&mut nodes, n);
                nodes[n].parent = Some(parent);
                nodes[parent].children.insert(index, n);
            }
            NodeOrText::AppendText(t) => {
                let prev = index
                    .checked_sub(1)
                    .map(|i| self.nodes.borrow()[parent].children[i]);
                let mut nodes = self.nodes.borrow_mut();
                if let Some(p) = prev {
                    if let Kind::Text(s) = &mut nodes[p].kind {
                        let start = s.len();
                        s.push_str(&t);
                        self.pieces.borrow_mut().push(Piece {
                            node: p,
                            range: start..s.len(),
                        });
                        return;
                    }
                }
                nodes.push(Node {
                    name: no_name(),
                    kind: Kind::Text(t.to_string()),
                    parent: Some(parent),
                    children: Vec::new(),
                });
                let n = nodes.len() - 1;
                nodes[parent].children.insert(index, n);
                self.pieces.borrow_mut().push(Piece {
                    node: n,
                    range: 0..t.len(),
                });
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Sink;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Sink {
        self
    }

    fn parse_error(&self, _msg: std::borrow::Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |n| &n[*target].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> usize {
        self.add(name, Kind::Element(attrs))
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.add(no_name(), Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.add(no_name(), Kind::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let index = self.nodes.borrow()[*parent].children.len();
        self.insert(*parent, index, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        // Template contents are never read: the template itself holds them.
        *target
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let found = {
            let nodes = self.nodes.borrow();
            nodes[*sibling].parent.and_then(|p| {
                nodes[p]
                    .children
                    .iter()
                    .position(|c| c == sibling)
                    .map(|i| (p, i))
            })
        };
        if let Some((parent, index)) = found {
            self.insert(parent, index, new_node);
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element(existing) = &mut nodes[*target].kind {
            for a in attrs {
                if !existing.iter().any(|e| e.name == a.name) {
                    existing.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for &c in &children {
            nodes[c].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }
}

// ---------------------------------------------------------------------------
// Aligning the text with the source

/// Where a stretch of a text node came from: node text bytes → source bytes.
#[derive(Clone, Debug)]
struct Span {
    text: Range<usize>,
    src: Range<usize>,
    verbatim: bool,
}

/// Elements whose text the tokenizer copies without decoding references.
fn raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "plaintext"
    )
}

/// How far the aligner looks for an unmatched character before giving up on it.
const MAX_SKIP: usize = 256;

/// For every text node, the source spans of its text.
fn align(source: &str, sink: &Sink) -> Vec<Vec<Span>> {
    let nodes = sink.nodes.borrow();
    let mut spans: Vec<Vec<Span>> = vec![Vec::new(); nodes.len()];
    let mut cur = 0;
    for piece in sink.pieces.borrow().iter() {
        let Kind::Text(text) = &nodes[piece.node].kind else {
            continue;
        };
        let raw = nodes[piece.node]
            .parent
            .is_some_and(|p| raw_text(&nodes[p].name.local));
        let t = &text[piece.range.clone()];
        let out = &mut spans[piece.node];
        let mut i = 0;
        while i < t.len() {
            let c = t[i..].chars().next().unwrap_or('\0');
            match match_at(source, cur, &t[i..], raw) {
                Some((text_len, src)) => {
                    let verbatim =
                        src.len() == text_len && source[src.clone()] == t[i..i + text_len];
                    push_span(out, piece.range.start + i, text_len, src.clone(), verbatim);
                    cur = src.end;
                    i += text_len;
                }
                None => {
                    // Not found nearby: leave this character without a source.
                    i += c.len_utf8();
                }
            }
        }
    }
    spans
}

fn push_span(out: &mut Vec<Span>, at: usize, len: usize, src: Range<usize>, verbatim: bool) {
    if let Some(last) = out.last_mut() {
        if verbatim && last.verbatim && last.text.end == at && last.src.end == src.start {
            last.text.end = at + len;
            last.src.end = src.end;
            return;
        }
    }
    out.push(Span {
        text: at..at + len,
        src,
        verbatim,
    });
}

/// Find the source of the first character(s) of `want` at or after `cur`,
/// skipping markup and unmatched whitespace. Returns how many bytes of
/// `want` were matched and their source range.
fn match_at(source: &str, mut cur: usize, want: &str, raw: bool) -> Option<(usize, Range<usize>)> {
    let c = want.chars().next()?;
    let mut skipped = 0;
    while cur < source.len() {
        let rest = &source[cur..];
        let sc = rest.chars().next()?;
        if !raw && sc == '&' {
            if let Some((decoded, len)) = char_ref(rest) {
                if want.starts_with(decoded.as_str()) {
                    return Some((decoded.len(), cur..cur + len));
                }
            }
        }
        if sc == c {
            // A run of literal characters matched at once.
            let n = common_prefix(rest, want, raw);
            return Some((n, cur..cur + n));
        }
        if sc == '\r' && c == '\n' {
            let len = if rest[1..].starts_with('\n') { 2 } else { 1 };
            return Some((1, cur..cur + len));
        }
        if sc == '<' && is_markup(rest) {
            cur += markup_len(rest);
            continue;
        }
        if !sc.is_whitespace() {
            skipped += 1;
            if skipped > MAX_SKIP {
                return None;
            }
        }
        cur += sc.len_utf8();
    }
    None
}

/// Length of the common literal prefix of `src` and `want`, stopping
/// before characters the source may spell differently (`&`, `\r`, `<`).
fn common_prefix(src: &str, want: &str, raw: bool) -> usize {
    let mut n = 0;
    for (a, b) in src.chars().zip(want.chars()) {
        if a != b || (n > 0 && (a == '\r' || a == '<' || (!raw && a == '&'))) {
            break;
        }
        n += a.len_utf8();
    }
    n
}

/// `<` starts markup (a tag, end tag, comment, doctype) rather than text.
fn is_markup(rest: &str) -> bool {
    rest[1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
}

/// Length of the markup starting at `rest` (which starts with `<`).
fn markup_len(rest: &str) -> usize {
    if let Some(comment) = rest.strip_prefix("<!--") {
        return comment.find("-->").map_or(rest.len(), |i| i + 7);
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        return rest.find('>').map_or(rest.len(), |i| i + 1);
    }
    // A tag: quotes protect `>` inside attribute values.
    let bytes = rest.as_bytes();
    let mut quote = None;
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => return i + 1,
            None if (b == b'"' || b == b'\'') && prev_non_space(bytes, i) == Some(b'=') => {
                quote = Some(b);
            }
            None => {}
        }
        i += 1;
    }
    rest.len()
}

fn prev_non_space(bytes: &[u8], i: usize) -> Option<u8> {
    bytes[..i]
        .iter()
        .rev()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

/// The character reference at the start of `rest` (`&name;`, `&#123;`,
/// `&#x1F;`, legacy names without `;`): its text and source length.
fn char_ref(rest: &str) -> Option<(String, usize)> {
    let body = &rest[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let n = digits
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if n == 0 {
            return None;
        }
        let value =
            u32::from_str_radix(&digits[..n], if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let semi = digits[n..].starts_with(';');
        let len = 1 + 1 + usize::from(hex) + n + usize::from(semi);
        let c = match value {
            0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(value - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{FFFD}')),
            0 => '\u{FFFD}',
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        return Some((c.to_string(), len));
    }
    let n = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if n == 0 {
        return None;
    }
    let entity = |key: &str| {
        html5ever::data::NAMED_ENTITIES
            .get(key)
            .filter(|v| v.0 != 0)
            .map(|&(a, b)| {
                let mut s = String::new();
                s.extend(char::from_u32(a));
                if b != 0 {
                    s.extend(char::from_u32(b));
                }
                s
            })
    };
    if body[n..].starts_with(';') {
        if let Some(s) = entity(&body[..=n]) {
            return Some((s, n + 2));
        }
    }
    // Legacy references without `;` (`&nbsp`, `&amp`): the longest that exists.
    (1..=n.min(32))
        .rev()
        .find_map(|k| entity(&body[..k]).map(|s| (s, k + 1)))
}

// ---------------------------------------------------------------------------
// Reading the tree

/// Elements whose content is not part of the report as rendered.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "iframe"
            | "object"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "svg"
            | "math"
            | "map"
    )
}

/// Elements that start and end a line.
pub(super) fn block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "menu"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "ul"
            | "caption"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
    )
}

/// Class or id words of page furniture (site navigation, footers, share bars).
const FURNITURE: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "breadcrumb",
    "crumb",
    "share",
    "sidebar",
    "copyright",
    "toolbar",
    "search",
    "login",
];

struct Reader<'a> {
    nodes: &'a [Node],
    spans: &'a [Vec<Span>],
    out: TextBuilder,
    grids: Vec<crate::document::Grid>,
    /// Inside a table cell: everything stays on one line.
    in_cell: bool,
    /// Inside `<pre>`: whitespace is kept.
    pre: bool,
}

fn attr<'n>(node: &'n Node, name: &str) -> Option<&'n str> {
    match &node.kind {
        Kind::Element(attrs) => attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value),
        _ => None,
    }
}

impl Reader<'_> {
    fn name(&self, n: usize) -> &str {
        &self.nodes[n].name.local
    }

    fn contains(&self, n: usize, name: &str) -> bool {
        self.nodes[n]
            .children
            .iter()
            .any(|&c| self.name(c) == name || self.contains(c, name))
    }

    fn hidden(&self, n: usize) -> bool {
        let node = &self.nodes[n];
        let name = self.name(n);
        if skipped(name) || attr(node, "hidden").is_some() {
            return true;
        }
        if attr(node, "style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        }) {
            return true;
        }
        if matches!(name, "footer" | "aside") {
            return !self.contains(n, "table");
        }
        let words = [attr(node, "class"), attr(node, "id")]
            .into_iter()
            .flatten()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        !words.is_empty()
            && FURNITURE.iter().any(|f| words.contains(f))
            && !self.contains(n, "table")
    }

    fn walk(&mut self, n: usize) {
        let nodes = self.nodes;
        match &nodes[n].kind {
            Kind::Text(text) => self.text(n, text),
            Kind::Other => {}
            Kind::Document | Kind::Element(_) => {
                if self.hidden(n) {
                    return;
                }
                let name = self.name(n).to_owned();
                if name == "br" {
                    self.line_break();
                    return;
                }
                if name == "table" {
                    self.table(n);
                    return;
                }
                let is_block = block(&name);
                if is_block {
                    self.line_break();
                }
                let was_pre = self.pre;
                self.pre |= name == "pre";
                for &c in &nodes[n].children {
                    self.walk(c);
                }
                self.pre = was_pre;
                if is_block {
                    self.line_break();
                }
            }
        }
    }

    fn line_break(&mut self) {
        if self.in_cell {
            let t = self.out.text();
            if !t.is_empty() && !t.ends_with([' ', '\t', '\n']) {
                self.out.push_gen(" ");
            }
        } else {
            layout::line_break(&mut self.out);
        }
    }

    /// Write a text node, collapsing white space as a browser renders it.
    fn text(&mut self, n: usize, text: &str) {
        let spans = &self.spans[n];
        let mut si = 0;
        for (i, c) in text.char_indices() {
            while si < spans.len() && spans[si].text.end <= i {
                si += 1;
            }
            let span = spans.get(si).filter(|s| s.text.start <= i);
            let at_line_start = {
                let t = self.out.text();
                t.is_empty() || t.ends_with(['\n', '\t'])
            };
            if c.is_ascii_whitespace() && !self.pre {
                if at_line_start || self.out.text().ends_with(' ') {
                    continue;
                }
                match span {
                    Some(s) if s.verbatim => {
                        let src = s.src.start + (i - s.text.start);
                        self.out.push_spelled(" ", src..src + c.len_utf8());
                    }
                    Some(s) => self.out.push_spelled(" ", s.src.clone()),
                    None => self.out.push_gen(" "),
                }
                continue;
            }
            if c == '\n' && self.pre && !self.in_cell {
                self.out.push_gen("\n");
                continue;
            }
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            match span {
                Some(sp) if sp.verbatim => {
                    self.out.push_copy(s, sp.src.start + (i - sp.text.start))
                }
                Some(sp) => {
                    // An atomic piece: the whole reference for its first character.
                    if i == sp.text.start {
                        let whole = &text[sp.text.clone()];
                        self.out.push_spelled(whole, sp.src.clone());
                    }
                }
                None => self.out.push_gen(s),
            }
        }
    }

    /// Rows of table `t` (not of tables nested in it), each row's cells.
    fn rows(&self, t: usize) -> Vec<(usize, Vec<usize>)> {
        let mut rows = Vec::new();
        let mut stack: Vec<usize> = self.nodes[t].children.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            match self.name(n) {
                "tr" => {
                    let cells = self.nodes[n]
                        .children
                        .iter()
                        .copied()
                        .filter(|&c| matches!(self.name(c), "td" | "th"))
                        .collect();
                    rows.push((n, cells));
                }
                "thead" | "tbody" | "tfoot" => {
                    stack.extend(self.nodes[n].children.iter().rev().copied());
                }
                _ => {}
            }
        }
        rows
    }

    fn table(&mut self, t: usize) {
        let rows = self.rows(t);
        let cells: Vec<usize> = rows.iter().flat_map(|(_, c)| c.iter().copied()).collect();
        let layout_table = cells.len() <= 1 || cells.iter().any(|&c| self.contains(c, "table"));
        // Captions and stray content read as paragraphs before the table.
        let nodes = self.nodes;
        for &c in &nodes[t].children {
            if matches!(self.name(c), "caption") {
                self.walk(c);
            }
        }
        if layout_table || self.in_cell {
            // A table used for page layout (or nested in a cell): its cells
            // are read as blocks, one after the other.
            for &c in &cells {
                self.line_break();
                self.walk(c);
                self.line_break();
            }
            return;
        }
        let span = |n: usize, name: &str| {
            attr(&self.nodes[n], name)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(1)
        };
        let spans: Vec<Vec<(usize, usize)>> = rows
            .iter()
            .map(|(_, cs)| {
                cs.iter()
                    .map(|&c| {
                        let rs = match span(c, "rowspan") {
                            0 => usize::MAX,
                            r => r,
                        };
                        (span(c, "colspan").clamp(1, 1000), rs)
                    })
                    .collect()
            })
            .collect();
        let shape = Shape::from_spans(&spans);
        let mut out = std::mem::take(&mut self.out);
        self.in_cell = true;
        let grid = layout::emit_table(&mut out, &shape, |b, i| {
            std::mem::swap(&mut self.out, b);
            for &child in &nodes[cells[i]].children {
                self.walk(child);
            }
            std::mem::swap(&mut self.out, b);
        });
        self.in_cell = false;
        self.out = out;
        self.grids.push(grid);
    }
}

/// Read a page's source text: the document and where its text came from.
pub fn read(source: &str) -> (Document, SourceMap) {
    let sink = html5ever::parse_document(Sink::new(), Default::default()).one(source);
    let spans = align(source, &sink);
    let nodes = sink.nodes.into_inner();
    let mut r = Reader {
        nodes: &nodes,
        spans: &spans,
        out: TextBuilder::default(),
        grids: Vec::new(),
        in_cell: false,
        pre: false,
    };
    r.walk(0);
    layout::line_break(&mut r.out);
    let grids = r.grids;
    let (text, map) = r.out.finish();
    (Document { text, grids }, map)
}

/// Escape a replacement text for markup: the page source, or Word's XML
/// (`&`, `<`, `>`; both write it as element text, never in an attribute).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(doc: &Document, g: usize) -> Vec<(usize, usize, usize, usize, &str)> {
        doc.grids[g].cells_with_text(&doc.text)
    }

    #[test]
    fn paragraphs_and_entities_map_to_the_source() {
        let src = "<html><head><title>标题</title><style>p{}</style></head><body>\r\n<p>一、总体&nbsp;情况</p><p>结果&amp;维护  𠮷x</p></body></html>";
        let (doc, map) = read(src);
        assert_eq!(doc.text, "一、总体\u{a0}情况\n结果&维护 𠮷x\n");
        let at = doc.text.find("维护").unwrap();
        let r = map.range(at..at + "维护".len());
        assert_eq!(&src[r], "维护");
        let amp = doc.text.find('&').unwrap();
        assert_eq!(&src[map.range(amp..amp + 1)], "&amp;");
        let x = doc.text.find('x').unwrap();
        assert_eq!(&src[map.range(x..x + 1)], "x");
        // An edit across an entity takes the whole reference.
        assert_eq!(
            map.edit_ranges(amp - 3..amp + 4)
                .map(|v| v.iter().map(|r| &src[r.clone()]).collect::<Vec<_>>()),
            Some(vec!["果&amp;维"])
        );
    }

    #[test]
    fn tables_become_grids_with_spans() {
        let src = "<table><tr><td rowspan=2>行政复议</td><td colspan=2>行政诉讼</td></tr>\
                   <tr><td>结果维持</td><td><p>结果</p><p>纠正</p></td></tr></table><p>后文</p>";
        let (doc, map) = read(src);
        assert_eq!(
            doc.text,
            "行政复议\t行政诉讼\t\n\t结果维持\t结果 纠正\n后文\n"
        );
        assert_eq!(
            cells(&doc, 0),
            [
                (0, 0, 2, 1, "行政复议"),
                (0, 1, 1, 2, "行政诉讼"),
                (1, 1, 1, 1, "结果维持"),
                (1, 2, 1, 1, "结果 纠正"),
            ]
        );
        let c = &doc.grids[0].cells[2];
        assert_eq!(&src[map.range(c.range.clone())], "结果维持");
        // The space joining two paragraphs of a cell has no source: no edit across it.
        let c = &doc.grids[0].cells[3];
        assert_eq!(map.edit_ranges(c.range.clone()), None);
    }

    #[test]
    fn implied_end_tags_and_furniture() {
        let src = "<div class=\"mainNav\"><ul><li>首页</li></ul></div>\
                   <table><tr><td>甲<td>乙<tr><td>1<td>2</table>\
                   <div id=footer>版权所有</div><script>var a = '<p>';</script>";
        let (doc, _) = read(src);
        assert_eq!(doc.text, "甲\t乙\n1\t2\n");
        assert_eq!(doc.grids[0].n_rows, 2);
    }

    #[test]
    fn layout_tables_are_read_as_blocks() {
        let src = "<table><tr><td><p>一、总体情况</p><table><tr><td>a</td><td>b</td></tr></table></td></tr></table>";
        let (doc, _) = read(src);
        assert_eq!(doc.text, "一、总体情况\na\tb\n");
        assert_eq!(doc.grids.len(), 1);
    }

    #[test]
    fn raw_text_and_comments_do_not_disturb_alignment() {
        let src = "<script>if (a < b && c) { x = '&amp;'; }</script><!-- 结果维护 --><p>结果维护 &lt; &#x7ED3;&#26524;</p>";
        let (doc, map) = read(src);
        assert_eq!(doc.text, "结果维护 < 结果\n");
        let r = map.range(0.."结果维护".len());
        assert_eq!(&src[r.clone()], "结果维护");
        assert!(r.start > src.find("-->").unwrap());
        let k = doc.text.rfind("结果").unwrap();
        assert_eq!(&src[map.range(k..k + 6)], "&#x7ED3;&#26524;");
    }

    #[test]
    fn charset_from_meta() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>结果维持</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let (d, note) = decode(&bytes);
        assert_eq!(d.text, page);
        assert_eq!(d.encoding, Encoding::Declared(encoding_rs::GBK));
        assert_eq!(note, None);
        assert_eq!(d.encode(&d.text), bytes.as_ref());
        let (d, _) = decode("<meta charset='utf-8'><p>甲".as_bytes());
        assert_eq!(d.encoding, Encoding::Utf8);
        // Declared UTF-8 but written in GB18030: read anyway, with a note.
        let (bytes, _, _) = encoding_rs::GB18030.encode("<meta charset=utf-8><p>结果维持</p>");
        let (d, note) = decode(&bytes);
        assert!(d.text.contains("结果维持"));
        assert!(note.is_some());
    }
}
