//! A card's Markdown body as flat blocks: headings, paragraphs, list items,
//! table rows, code and HTML text, each with its line and character offset.
//!
//! pulldown-cmark (the parser the pure-Python engine used through pyromark,
//! same version, same options) gives the events; this module decides what a
//! block is. HTML blocks are split at `<h1>`..`<h6>` so cards written in HTML
//! have headings too, their character references decoded as Python's
//! `html.unescape` decodes them (see `html`).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::OnceLock;

use crate::html;
use crate::text::{
    collapse_blanks, fold_for_patterns, is_py_space, py_isspace, py_lstrip, py_strip, CharCursor,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Heading = 0,
    Paragraph = 1,
    Item = 2,
    TableRow = 3,
    Code = 4,
    Html = 5,
}

/// A paragraph that is only bold text works as a heading; level 7 ranks it below real ones.
pub const PSEUDO_HEADING_LEVEL: u8 = 7;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    pub text: String,
    /// 1-based line in the card file.
    pub line: usize,
    /// Character offset of the block in the card text.
    pub start: usize,
    pub level: u8,
}

/// A heading and the blocks under it: `own_end` is the next heading of any level,
/// `subtree_end` the next of the same or a higher level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Index of the heading block.
    pub heading: usize,
    pub own_end: usize,
    pub subtree_end: usize,
    /// The heading text normalised (see `normalise_title`).
    pub title: String,
}

/// A card body: its blocks and the sections their headings make.
pub struct Body {
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    /// Reading stopped at the block cap: the rest of the card was not read.
    pub truncated: bool,
    /// The card's text holds `g7lint-`, so it may hold a suppression directive (set by the
    /// caller that has the whole text; the Python side reads directives only then).
    pub mentions_directives: bool,
}

impl Body {
    pub fn new(blocks: Vec<Block>, truncated: bool) -> Self {
        let sections = sections(&blocks);
        Body {
            blocks,
            sections,
            truncated,
            mentions_directives: false,
        }
    }
}

/// A heading's text as sections are matched: lower case, folded as the prose is (Unicode
/// hyphens `-`, zero-width characters dropped: see `fold_for_patterns`), `[optional]` and
/// Markdown marks (`*_`#:`) and each run of blanks made one space, stripped (Python's
/// `re.sub(r"\[optional\]|[*_`#:]+|\s+", " ", folded(text.lower())).strip()`). Every reader
/// of a title (the evidence search, `fix`'s choice of headings to add) then sees the same one.
pub fn normalise_title(text: &str) -> String {
    const OPTIONAL: &str = "[optional]";
    let lowered = text.to_lowercase();
    let folded = fold_for_patterns(&lowered);
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded.as_ref();
    while let Some(c) = rest.chars().next() {
        if rest.starts_with(OPTIONAL) {
            out.push(' ');
            rest = &rest[OPTIONAL.len()..];
        } else if matches!(c, '*' | '_' | '`' | '#' | ':') {
            out.push(' ');
            rest = rest.trim_start_matches(['*', '_', '`', '#', ':']);
        } else if is_py_space(c) {
            out.push(' ');
            rest = rest.trim_start_matches(is_py_space);
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    py_strip(&out).to_string()
}

/// The sections of `blocks`: subtree ends found with a stack of open headings.
fn sections(blocks: &[Block]) -> Vec<Section> {
    let headings: Vec<usize> = (0..blocks.len())
        .filter(|&i| blocks[i].kind == Kind::Heading)
        .collect();
    let mut subtree_end = vec![blocks.len(); headings.len()];
    let mut open: Vec<usize> = Vec::new(); // positions in `headings`
    for (position, &i) in headings.iter().enumerate() {
        while let Some(&top) = open.last() {
            if blocks[headings[top]].level < blocks[i].level {
                break;
            }
            subtree_end[top] = i;
            open.pop();
        }
        open.push(position);
    }
    headings
        .iter()
        .enumerate()
        .map(|(position, &i)| Section {
            heading: i,
            own_end: headings.get(position + 1).copied().unwrap_or(blocks.len()),
            subtree_end: subtree_end[position],
            title: normalise_title(&blocks[i].text),
        })
        .collect()
}

fn html_heading() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    // RE2's dialect in the Python engine: ASCII \b and \s.
    PATTERN.get_or_init(|| {
        Regex::new(r"(?si)<h([1-6])(?-u:\b)[^>]*>(.*?)</h[1-6][\t\n\x0C\r ]*>").unwrap()
    })
}

/// Parse the Markdown `body`, which starts at character `body_offset` and line
/// `body_first_line` of the card.
pub fn parse_body(
    body: &str,
    body_offset: usize,
    body_first_line: usize,
    max_blocks: usize,
) -> Body {
    let mut builder = Builder::new(body, body_offset, body_first_line, max_blocks);
    let truncated = builder.run();
    let mut blocks = builder.blocks;
    for i in 1..blocks.len() {
        if blocks[i].kind == Kind::Item
            && blocks[i - 1].kind == Kind::Paragraph
            && is_lead_in(&blocks[i - 1].text)
        {
            blocks[i - 1].kind = Kind::Heading;
            blocks[i - 1].level = PSEUDO_HEADING_LEVEL;
        }
    }
    Body::new(blocks, truncated)
}

/// A short label ending in a colon that introduces a list ("Known issues:", "Out-of-scope
/// uses:") heads that list as a bold paragraph would; a sentence that does ("The model has
/// the following limitations:") stays prose.
fn is_lead_in(text: &str) -> bool {
    let Some(label) = text.strip_suffix([':', '：']) else {
        return false;
    };
    let words = label.split_whitespace().count();
    (1..=4).contains(&words)
        && label.chars().count() <= 50
        && !label.contains(['.', '!', '?', ',', ';', ':', '\n'])
}

struct Builder<'a> {
    body: &'a str,
    body_offset: usize,
    body_first_line: usize,
    newlines: Vec<usize>,
    cursor: CharCursor<'a>,
    max_blocks: usize,
    blocks: Vec<Block>,
    parts: String,
    kind: Option<Kind>,
    start: usize,
    level: u8,
    image_depth: i32,
    cell: usize,
    strong_depth: i32,
    text_outside_strong: bool,
    capped: bool,
}

impl<'a> Builder<'a> {
    fn new(body: &'a str, body_offset: usize, body_first_line: usize, max_blocks: usize) -> Self {
        let newlines = memchr_all(body.as_bytes());
        Builder {
            body,
            body_offset,
            body_first_line,
            newlines,
            cursor: CharCursor::new(body),
            max_blocks,
            blocks: Vec::new(),
            parts: String::new(),
            kind: None,
            start: 0,
            level: 0,
            image_depth: 0,
            cell: 0,
            strong_depth: 0,
            text_outside_strong: false,
            capped: false,
        }
    }

    fn line(&self, byte: usize) -> usize {
        // Newlines strictly before `byte`.
        self.body_first_line + self.newlines.partition_point(|&n| n < byte)
    }

    fn push_block(&mut self, kind: Kind, text: String, byte: usize, level: u8) {
        let line = self.line(byte);
        let start = self.body_offset + self.cursor.chars_at(byte);
        self.blocks.push(Block {
            kind,
            text,
            line,
            start,
            level,
        });
    }

    fn open(&mut self, kind: Kind, start: usize, level: u8) {
        self.flush();
        self.kind = Some(kind);
        self.start = start;
        self.level = level;
        self.cell = 0;
        self.text_outside_strong = false;
        if kind == Kind::TableRow {
            self.parts.push_str("| ");
        }
    }

    fn flush(&mut self) {
        // Text that arrives with no block open (a stray line break) waits for the next block.
        let Some(mut kind) = self.kind else { return };
        let mut text = std::mem::take(&mut self.parts);
        if kind == Kind::TableRow {
            text.push_str(" |");
        }
        let mut level = self.level;
        if kind != Kind::Code {
            if text.contains("  ") || text.contains('\t') {
                text = collapse_blanks(&text);
            }
            let stripped = py_strip(&text);
            if stripped.len() != text.len() {
                text = stripped.to_string();
            }
        }
        if kind == Kind::Paragraph && !self.text_outside_strong && is_pseudo_heading(&text) {
            kind = Kind::Heading;
            level = PSEUDO_HEADING_LEVEL;
        }
        if !text.is_empty() || kind == Kind::Heading {
            self.push_block(kind, text, self.start, level);
        }
        self.kind = None;
    }

    fn run(&mut self) -> bool {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let body = self.body;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            match event {
                Event::SoftBreak | Event::HardBreak => self.parts.push('\n'),
                Event::Rule => {}
                Event::Text(value) if self.image_depth == 0 => {
                    if self.kind.is_none() {
                        self.open(Kind::Paragraph, range.start, 0);
                    }
                    self.parts.push_str(&value);
                    if self.strong_depth == 0 && !py_isspace(&value) {
                        self.text_outside_strong = true;
                    }
                }
                Event::Code(value) => {
                    self.parts.push_str(&value);
                    self.text_outside_strong = true;
                }
                Event::Html(value) => {
                    if self.kind.is_none() {
                        self.open(Kind::Html, range.start, 0);
                    }
                    self.parts.push_str(&value);
                }
                Event::InlineHtml(value) => {
                    let lowered = value.to_lowercase();
                    // Tags that part words; a superscript is mostly a footnote mark after one.
                    const BREAKS: [&str; 11] = [
                        "<br", "</p", "<p", "</div", "<div", "</li", "<li", "</td", "<td", "<sup",
                        "</sup",
                    ];
                    if BREAKS.iter().any(|prefix| lowered.starts_with(prefix)) {
                        self.parts.push(' ');
                    }
                }
                Event::Start(tag) => match tag {
                    Tag::Emphasis | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {}
                    Tag::Strong => self.strong_depth += 1,
                    tag => {
                        if self.blocks.len() >= self.max_blocks || self.capped {
                            return true;
                        }
                        self.start_tag(tag, range.start);
                    }
                },
                Event::End(tag) => match tag {
                    TagEnd::Emphasis
                    | TagEnd::Strikethrough
                    | TagEnd::Superscript
                    | TagEnd::Subscript => {}
                    TagEnd::Strong => self.strong_depth -= 1,
                    tag => self.end_tag(tag),
                },
                _ => {}
            }
        }
        self.flush();
        self.capped
    }

    fn start_tag(&mut self, tag: Tag, start: usize) {
        match tag {
            Tag::Paragraph => {
                if self.kind == Some(Kind::Item) && self.parts.is_empty() {
                    return; // a loose list item keeps its kind
                }
                self.open(Kind::Paragraph, start, 0);
            }
            Tag::Item => self.open(Kind::Item, start, 0),
            Tag::TableHead | Tag::TableRow => self.open(Kind::TableRow, start, 0),
            Tag::HtmlBlock => self.open(Kind::Html, start, 0),
            Tag::TableCell => {
                if self.cell > 0 {
                    self.parts.push_str(" | ");
                }
                self.cell += 1;
            }
            Tag::Heading { level, .. } => self.open(Kind::Heading, start, heading_level(level)),
            Tag::CodeBlock(_) => self.open(Kind::Code, start, 0),
            Tag::Image { .. } => self.image_depth += 1,
            _ => {}
        }
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Image => self.image_depth -= 1,
            TagEnd::HtmlBlock if self.kind == Some(Kind::Html) => self.finish_html_block(),
            TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow => self.flush(),
            _ => {}
        }
    }

    fn finish_html_block(&mut self) {
        let raw = remove_html_comments(&std::mem::take(&mut self.parts));
        let start = self.start;
        self.kind = None;
        if has_html_heading_start(&raw) {
            let mut position = 0;
            for found in html_heading().captures_iter(&raw) {
                if self.blocks.len() >= self.max_blocks {
                    self.capped = true; // one HTML block may hold any number of headings
                    return;
                }
                let whole = found.get(0).unwrap();
                self.html_text(&raw[position..whole.start()], start, position);
                let level = found[1].parse::<u8>().unwrap_or(1);
                let inner = &found[2];
                self.emit_html(Kind::Heading, inner, start, whole.start(), level);
                position = whole.end();
            }
            self.html_text(&raw[position..], start, position);
        } else {
            self.html_text(&raw, start, 0);
        }
    }

    fn html_text(&mut self, fragment: &str, start: usize, position: usize) {
        if !py_strip(fragment).is_empty() {
            self.emit_html(Kind::Html, fragment, start, position, 0);
        }
    }

    fn emit_html(&mut self, kind: Kind, fragment: &str, start: usize, position: usize, level: u8) {
        let untagged = remove_html_tags(fragment);
        let text = py_strip(&collapse_blanks(&html::unescape(&untagged))).to_string();
        if text.is_empty() && kind != Kind::Heading {
            return;
        }
        // Point at the first non-blank line of the fragment.
        let skipped = fragment.len() - py_lstrip(fragment).len();
        let offset = start + position + skipped;
        self.push_block(kind, text, offset, level);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_pseudo_heading(text: &str) -> bool {
    let chars = text.chars().count();
    chars > 0 && chars <= 80 && !text.contains('\n') && !text.ends_with(['.', '!', '?', ','])
}

fn memchr_all(bytes: &[u8]) -> Vec<usize> {
    memchr::memchr_iter(b'\n', bytes).collect()
}

/// `<h` followed by 1-6, any case (a cheap test before the heading search).
fn has_html_heading_start(raw: &str) -> bool {
    raw.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'<' && (w[1] | 0x20) == b'h' && (b'1'..=b'6').contains(&w[2]))
}

/// Replace each `<!-- ... -->` (or an unclosed one, to the end) by as many newlines as it held,
/// so line numbers inside the block stay true.
fn remove_html_comments(raw: &str) -> String {
    if !raw.contains("<!--") {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 4..];
        let end = after
            .find("-->")
            .map(|close| open + 4 + close + 3)
            .unwrap_or(rest.len());
        let newlines = rest[open..end].bytes().filter(|&b| b == b'\n').count();
        out.push_str(&"\n".repeat(newlines));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Replace each tag (`<` up to the first `>` within 2,000 characters) by a space.
fn remove_html_tags(fragment: &str) -> String {
    if !fragment.contains('<') {
        return fragment.to_string();
    }
    let mut out = String::with_capacity(fragment.len());
    let mut chars = fragment.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c == '<' {
            let tail = &fragment[index + 1..];
            let close = tail
                .char_indices()
                .take(2001)
                .find(|&(_, c)| c == '>')
                .map(|(at, _)| at);
            if let Some(at) = close {
                out.push(' ');
                let end = index + 1 + at + 1;
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str) -> Vec<(Kind, String, usize, u8)> {
        parse_body(body, 0, 1, 20_000)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text, b.line, b.level))
            .collect()
    }

    #[test]
    fn headings_paragraphs_items_rows() {
        let blocks = kinds(
            "# Title\n\nSome  text\nhere.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert_eq!(blocks[0], (Kind::Heading, "Title".into(), 1, 1));
        assert_eq!(
            blocks[1],
            (Kind::Paragraph, "Some text\nhere.".into(), 3, 0)
        );
        assert_eq!(blocks[2].0, Kind::Item);
        assert_eq!(blocks[4], (Kind::TableRow, "| a | b |".into(), 9, 0));
        assert_eq!(blocks[5], (Kind::TableRow, "| 1 | 2 |".into(), 11, 0));
    }

    #[test]
    fn bold_paragraph_is_a_pseudo_heading_but_a_sentence_is_not() {
        let blocks = kinds("**Training Data**\n\n**Note.** The model is small.\n");
        assert_eq!(
            blocks[0],
            (
                Kind::Heading,
                "Training Data".into(),
                1,
                PSEUDO_HEADING_LEVEL
            )
        );
        assert_eq!(blocks[1].0, Kind::Paragraph);
    }

    #[test]
    fn a_short_label_before_a_list_heads_it() {
        let blocks = kinds("Known issues:\n\n- weak arithmetic\n\nNotes:\n\nPlain text.\n\nThe model has the following limitations:\n\n- none\n");
        assert_eq!(
            blocks[0],
            (
                Kind::Heading,
                "Known issues:".into(),
                1,
                PSEUDO_HEADING_LEVEL
            )
        );
        assert_eq!(blocks[2].0, Kind::Paragraph); // no list follows
        assert_eq!(blocks[4].0, Kind::Paragraph); // a sentence, not a label
    }

    #[test]
    fn no_heading_inside_a_code_fence() {
        let blocks = kinds("```\n# not a heading\n```\n");
        assert_eq!(blocks, vec![(Kind::Code, "# not a heading\n".into(), 1, 0)]);
    }

    #[test]
    fn html_headings_split_html_blocks() {
        let blocks = kinds("<div>\n<h2>Limitations</h2>\n<p>It hallucinates.</p>\n</div>\n");
        assert_eq!(blocks[0], (Kind::Heading, "Limitations".into(), 2, 2));
        assert_eq!(blocks[1], (Kind::Html, "It hallucinates.".into(), 3, 0));
    }

    #[test]
    fn html_comments_keep_line_numbers() {
        assert_eq!(remove_html_comments("a<!--x\ny-->b<!--open\n"), "a\nb\n");
        assert_eq!(remove_html_tags("<b>bold</b> & <i"), " bold  & <i");
    }

    #[test]
    fn offsets_are_characters() {
        let body = parse_body("é\n\n# Título\n", 10, 5, 100);
        assert_eq!(body.blocks[1].start, 13);
        assert_eq!(body.blocks[1].line, 7);
    }

    #[test]
    fn block_cap_truncates() {
        let text = "# a\n\n".repeat(50);
        let body = parse_body(&text, 0, 1, 10);
        assert!(body.truncated);
        assert_eq!(body.blocks.len(), 10);
    }
}
