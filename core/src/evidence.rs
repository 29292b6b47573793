//! Find a requirement's evidence in a card's prose: a section under a heading
//! the policy names, or else the earliest statement a pattern finds.
//!
//! This reports what it found and where it looked (evidence and near misses);
//! the Python engine turns that into statuses, severities and findings. All
//! offsets a caller sees are characters, and every text it sees (excerpts,
//! messages) is built as the Python engine built it, character by character.

use crate::dialect::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::blocks::{Body, Kind, Section};
use crate::dialect::{compile, replace_with_space};
use crate::patterns::{Index, Matcher};
use crate::text::{fold_for_patterns, is_py_space, py_strip, squeeze_for_search};

const MAX_EVIDENCE: usize = 3;
const EXCERPT: usize = 100;
/// A pattern compiled on first use: a one-card run compiles only what its card needs.
pub struct LazyRegex {
    source: String,
    compiled: OnceLock<Result<Regex, String>>,
}

impl LazyRegex {
    pub fn new(source: String) -> Self {
        LazyRegex {
            source,
            compiled: OnceLock::new(),
        }
    }

    pub fn get(&self) -> Result<&Regex, String> {
        self.compiled
            .get_or_init(|| compile(&self.source, true))
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn is_match(&self, text: &str) -> Result<bool, String> {
        Ok(self.get()?.is_match(text))
    }
}

pub struct SectionSpec {
    pub heading: LazyRegex,
    pub exclude: Option<LazyRegex>,
    /// The section text must match each of these (one alternation for 'any').
    pub content: Vec<LazyRegex>,
    pub min_words: usize,
    pub include_code: bool,
}

pub struct RequirementSpec {
    pub sections: Vec<SectionSpec>,
    /// Indexes into the statement matcher, in policy order.
    pub statements: Vec<usize>,
    pub ignore_sections: Option<LazyRegex>,
    pub ignore_context: Option<LazyRegex>,
    /// Judge sections with their pointer sentences kept (a reference to a paper is the evidence).
    pub keep_pointers: bool,
    /// A statement in a pointer sentence does not count ("see our paper for the safety measures").
    pub ignore_pointers: bool,
}

impl RequirementSpec {
    /// Every pattern of the requirement, compiled now (an untrusted policy is checked at load).
    pub fn check(&self) -> Result<(), String> {
        for spec in &self.sections {
            spec.heading.get()?;
            for pattern in spec.exclude.iter().chain(&spec.content) {
                pattern.get()?;
            }
        }
        for pattern in self.ignore_sections.iter().chain(&self.ignore_context) {
            pattern.get()?;
        }
        Ok(())
    }
}

pub struct Evidencer {
    pub requirements: Vec<RequirementSpec>,
    pub placeholders: Arc<Matcher>,
    pub statements: Arc<Matcher>,
    /// Statement patterns that read across blocks.
    pub whole: Vec<usize>,
    /// Sentences that only point elsewhere ("see the paper"): taken out of a section's text
    /// before it is judged, so a section holding nothing else is no evidence; statements in
    /// them count unless the requirement says otherwise (a usage policy named in a pointer is
    /// still a reference to it).
    pub pointers: Option<LazyRegex>,
    /// Cards reuse a few hundred heading titles: which section specs each matches, once.
    titles: Mutex<HashMap<String, SpecHits>>,
}

/// The (requirement, section spec) pairs a heading title matches.
pub type SpecHits = Arc<Vec<(usize, usize)>>;
/// Near misses as (line, message).
pub type NearMisses = Vec<(usize, String)>;

/// Titles remembered at most; past this the memory is cleared (a scan of odd cards).
const TITLE_CACHE: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: &'static str, // "section" or "statement"
    pub line: usize,
    pub column: usize,
    pub excerpt: String,
    pub location: String,
}

/// One card's prose, ready for every requirement.
pub struct CardProse {
    text: String,
    body: Arc<Body>,
    block_bytes: OnceLock<Vec<usize>>, // byte offset of each block in `text`, when a statement is located
    cleaned: Vec<String>,
    joined: String,
    joined_chars: OnceLock<Vec<char>>,
    joined_starts: Vec<usize>, // character offsets
    joined_blocks: Vec<usize>,
    section_of_block: Vec<isize>,
    index: Index,
    /// Per section, which requirements' section specs its heading matches: (requirement, spec).
    heading_hits: Vec<SpecHits>,
}

impl Evidencer {
    pub fn new(
        requirements: Vec<RequirementSpec>,
        placeholders: Arc<Matcher>,
        statements: Arc<Matcher>,
        whole: Vec<usize>,
        pointers: Option<LazyRegex>,
    ) -> Self {
        Evidencer {
            requirements,
            placeholders,
            statements,
            whole,
            pointers,
            titles: Mutex::new(HashMap::new()),
        }
    }

    /// The (requirement, section spec) pairs whose heading pattern matches `title`.
    pub fn heading_matches(&self, title: &str) -> Result<SpecHits, String> {
        if let Some(known) = self
            .titles
            .lock()
            .ok()
            .and_then(|cache| cache.get(title).cloned())
        {
            return Ok(known);
        }
        let mut hits = Vec::new();
        for (r, requirement) in self.requirements.iter().enumerate() {
            for (s, spec) in requirement.sections.iter().enumerate() {
                if spec.heading.is_match(title)? {
                    hits.push((r, s));
                }
            }
        }
        let hits = Arc::new(hits);
        if let Ok(mut cache) = self.titles.lock() {
            if cache.len() >= TITLE_CACHE {
                cache.clear();
            }
            cache.insert(title.to_string(), Arc::clone(&hits));
        }
        Ok(hits)
    }

    /// Take the placeholders out, join the prose, scan it once, match the headings.
    pub fn prose(&self, text: String, body: Arc<Body>) -> Result<CardProse, String> {
        let (blocks, sections) = (&body.blocks, &body.sections);
        let originals: Vec<&str> = blocks
            .iter()
            .map(|b| {
                if matches!(b.kind, Kind::Heading | Kind::Code) {
                    ""
                } else {
                    b.text.as_str()
                }
            })
            .collect();
        let all: Vec<usize> = (0..self.placeholders.len()).collect();
        let cleaned: Vec<String> = self
            .placeholders
            .strip(&originals, &all)?
            .into_iter()
            .map(|piece| match fold_for_patterns(&piece) {
                Cow::Borrowed(_) => piece,
                Cow::Owned(flat) => flat,
            })
            .collect();
        let mut joined = String::new();
        let mut joined_starts = Vec::new();
        let mut joined_blocks = Vec::new();
        let mut chars = 0usize;
        for (index, block) in blocks.iter().enumerate() {
            let piece = &cleaned[index];
            if !piece.is_empty()
                && matches!(
                    block.kind,
                    Kind::Paragraph | Kind::Item | Kind::TableRow | Kind::Html
                )
            {
                if !joined.is_empty() {
                    joined.push_str("\n\n");
                }
                joined_starts.push(chars);
                joined_blocks.push(index);
                joined.push_str(piece);
                chars += piece.chars().count() + 2;
            }
        }
        let mut section_of_block = vec![-1isize; blocks.len()];
        for (number, section) in sections.iter().enumerate() {
            for slot in section_of_block
                .iter_mut()
                .take(section.own_end.min(blocks.len()))
                .skip(section.heading)
            {
                *slot = number as isize;
            }
        }
        let index = self.statements.index(&joined, &joined_starts);
        let heading_hits = sections
            .iter()
            .map(|section| self.heading_matches(&section.title))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CardProse {
            text,
            body,
            block_bytes: OnceLock::new(),
            cleaned,
            joined,
            joined_chars: OnceLock::new(),
            joined_starts,
            joined_blocks,
            section_of_block,
            index,
            heading_hits,
        })
    }

    fn requirement(&self, r: usize) -> Result<&RequirementSpec, String> {
        self.requirements
            .get(r)
            .ok_or_else(|| format!("no requirement {r}"))
    }

    /// The sections and statements that satisfy requirement `r`, given that `already`
    /// pieces of evidence (from metadata) were found; and the near misses, as (line, message).
    pub fn evidence(
        &self,
        prose: &CardProse,
        r: usize,
        already: usize,
    ) -> Result<(Vec<Found>, NearMisses), String> {
        let requirement = self.requirement(r)?;
        let mut found: Vec<Found> = Vec::new();
        let mut near: Vec<(usize, String)> = Vec::new();
        for (s, spec) in requirement.sections.iter().enumerate() {
            if already + found.len() >= MAX_EVIDENCE {
                break;
            }
            for section in headed_sections(prose, r, s, spec)? {
                let text = prose.section_text(section, spec.include_code);
                let heading = &prose.body.blocks[section.heading];
                let judged = self.judged_text(requirement, &text)?;
                if let Some(shortfall) = shortfall(spec, &judged)? {
                    let why = match shortfall {
                        Shortfall::TooShort => prose.why_empty(section),
                        Shortfall::Unsaid => "does not say what is asked",
                    };
                    near.push((
                        heading.line,
                        format!("heading '{}' at line {} {why}", heading.text, heading.line),
                    ));
                    continue;
                }
                found.push(Found {
                    kind: "section",
                    line: heading.line,
                    column: 1,
                    excerpt: shorten(&text, EXCERPT),
                    location: heading.text.clone(),
                });
                break;
            }
        }
        if already == 0 && found.is_empty() && !requirement.statements.is_empty() {
            if let Some(statement) = self.first_statement(prose, requirement)? {
                found.push(statement);
            }
        }
        Ok((found, near))
    }

    /// A section's `text` as `requirement` judges it: its pointer sentences blanked out, unless
    /// the requirement keeps them (borrowed as is when nothing is taken out).
    fn judged_text<'t>(
        &self,
        requirement: &RequirementSpec,
        text: &'t str,
    ) -> Result<Cow<'t, str>, String> {
        let Some(pointers) = self
            .pointers
            .as_ref()
            .filter(|_| !requirement.keep_pointers)
        else {
            return Ok(Cow::Borrowed(text));
        };
        Ok(match replace_with_space(pointers.get()?, text) {
            Some(replaced) => Cow::Owned(replaced),
            None => Cow::Borrowed(text),
        })
    }

    /// Whether requirement `r` has section or statement evidence, and if not, the line of its
    /// first near miss (0: none). The same search as [`Evidencer::evidence`], stopping at the
    /// first piece and building no excerpt: what a verdict needs.
    pub fn verdict(&self, prose: &CardProse, r: usize) -> Result<(bool, usize), String> {
        let requirement = self.requirement(r)?;
        let mut near_line = 0;
        for (s, spec) in requirement.sections.iter().enumerate() {
            for section in headed_sections(prose, r, s, spec)? {
                let text = prose.section_text(section, spec.include_code);
                if shortfall(spec, &self.judged_text(requirement, &text)?)?.is_none() {
                    return Ok((true, 0));
                }
                if near_line == 0 {
                    near_line = prose.body.blocks[section.heading].line;
                }
            }
        }
        let found = !requirement.statements.is_empty()
            && self.statement_span(prose, requirement)?.is_some();
        Ok((found, near_line))
    }

    /// Where the first statement `requirement` accepts stands in the joined prose (characters).
    fn statement_span(
        &self,
        prose: &CardProse,
        requirement: &RequirementSpec,
    ) -> Result<Option<(usize, usize)>, String> {
        let chars = prose.chars();
        let block_of = |start: usize| prose.block_of(start);
        // Compiled before the search, so that the filter below cannot fail.
        let ignored_sections = requirement
            .ignore_sections
            .as_ref()
            .map(LazyRegex::get)
            .transpose()?;
        let ignored_context = requirement
            .ignore_context
            .as_ref()
            .map(LazyRegex::get)
            .transpose()?;
        let pointers = match &self.pointers {
            Some(pointers) if requirement.ignore_pointers => Some(pointers.get()?),
            _ => None,
        };
        let accept = |start: usize, end: usize| {
            let section_number = prose.section_of_block[block_of(start)];
            if let (Some(ignored), true) = (ignored_sections, section_number >= 0) {
                if ignored.is_match(&prose.body.sections[section_number as usize].title) {
                    return false;
                }
            }
            let sentence = sentence_around(chars, start, end);
            !ignored_context.is_some_and(|context| context.is_match(&sentence))
                && !pointers.is_some_and(|pointer| pointer.is_match(&sentence))
        };
        self.statements
            .first_match(&prose.index, &requirement.statements, &self.whole, accept)
    }

    fn first_statement(
        &self,
        prose: &CardProse,
        requirement: &RequirementSpec,
    ) -> Result<Option<Found>, String> {
        let Some((start, end)) = self.statement_span(prose, requirement)? else {
            return Ok(None);
        };
        let chars = prose.chars();
        let block_index = prose.block_of(start);
        let section_number = prose.section_of_block[block_index];
        let matched: String = chars[start..end].iter().collect();
        let (line, column) = prose.locate(block_index, &matched);
        let location = if section_number >= 0 {
            prose.body.blocks[prose.body.sections[section_number as usize].heading]
                .text
                .clone()
        } else {
            "(top of card)".to_string()
        };
        Ok(Some(Found {
            kind: "statement",
            line,
            column,
            excerpt: sentence_around(chars, start, end),
            location,
        }))
    }
}

impl CardProse {
    pub fn joined(&self) -> &str {
        &self.joined
    }

    /// The block that character `start` of the joined prose belongs to.
    fn block_of(&self, start: usize) -> usize {
        let position = self
            .joined_starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        self.joined_blocks[position]
    }

    fn chars(&self) -> &[char] {
        self.joined_chars
            .get_or_init(|| self.joined.chars().collect())
    }

    /// The cleaned prose under `section`, subsections included (code blocks too, if asked).
    fn section_text(&self, section: &Section, include_code: bool) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for index in section.heading + 1..section.subtree_end.min(self.body.blocks.len()) {
            let cleaned = self.cleaned[index].as_str();
            let piece = if !cleaned.is_empty() {
                cleaned
            } else if include_code && self.body.blocks[index].kind == Kind::Code {
                self.body.blocks[index].text.as_str()
            } else {
                ""
            };
            if !piece.is_empty() {
                parts.push(piece);
            }
        }
        parts.join("\n")
    }

    fn why_empty(&self, section: &Section) -> &'static str {
        let mut other = false;
        let mut code = false;
        for block in
            &self.body.blocks[section.heading + 1..section.subtree_end.min(self.body.blocks.len())]
        {
            if block.text.is_empty() || block.kind == Kind::Heading {
                continue;
            }
            if block.kind == Kind::Code {
                code = true;
            } else {
                other = true;
            }
        }
        match (code, other) {
            (false, false) => "is empty",
            (true, false) => "holds only code",
            _ => "holds only a template placeholder or too little text",
        }
    }

    /// Line and column of `matched` in the card file, searching from its block.
    fn locate(&self, block_index: usize, matched: &str) -> (usize, usize) {
        let block = &self.body.blocks[block_index];
        // Folded and squeezed on both sides: the prose was folded, and a match may run across a
        // line break (and the next line's indent) of the file.
        let (squeezed_match, _) = squeeze_for_search(&py_strip(matched).to_lowercase());
        let block_bytes = self.block_bytes.get_or_init(|| {
            char_to_byte_offsets(&self.text, self.body.blocks.iter().map(|b| b.start))
        });
        let start_byte = block_bytes[block_index];
        let window_chars = block.text.chars().count() * 2 + 400;
        let rest = &self.text[start_byte..];
        let window_end = rest
            .char_indices()
            .nth(window_chars)
            .map_or(rest.len(), |(i, _)| i);
        let (window, origins) = squeeze_for_search(&rest[..window_end].to_lowercase());
        // The first 40 characters, or else the first 20: markup the prose lost (a code span, a
        // link) may stand in the file between the two.
        let found = [40, 20].into_iter().find_map(|length| {
            let needle: String = squeezed_match.chars().take(length).collect();
            (!needle.is_empty()).then(|| window.find(&needle)).flatten()
        });
        let Some(found_byte) = found else {
            return (block.line, 1);
        };
        // The offset found, in characters of the lower-cased window the squeezed one came from.
        let found_chars = origins[window[..found_byte].chars().count()];
        let target = rest
            .char_indices()
            .nth(found_chars)
            .map_or(self.text.len(), |(i, _)| start_byte + i);
        let before = &self.text[..target];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// Why a section's text falls short of what `spec` asks, if it does.
enum Shortfall {
    /// Fewer words than the spec's minimum.
    TooShort,
    /// Long enough, but a content pattern does not match.
    Unsaid,
}

fn shortfall(spec: &SectionSpec, text: &str) -> Result<Option<Shortfall>, String> {
    if word_count(text) < spec.min_words {
        return Ok(Some(Shortfall::TooShort));
    }
    for pattern in &spec.content {
        if !pattern.is_match(text)? {
            return Ok(Some(Shortfall::Unsaid));
        }
    }
    Ok(None)
}

/// The card's sections whose heading matches section spec `s` of requirement `r`, in card
/// order, those with an excluded heading left out.
fn headed_sections<'p>(
    prose: &'p CardProse,
    r: usize,
    s: usize,
    spec: &SectionSpec,
) -> Result<Vec<&'p Section>, String> {
    let mut found = Vec::new();
    for (number, section) in prose.body.sections.iter().enumerate() {
        if !prose.heading_hits[number].contains(&(r, s)) {
            continue;
        }
        if let Some(exclude) = &spec.exclude {
            if exclude.is_match(&section.title)? {
                continue;
            }
        }
        found.push(section);
    }
    Ok(found)
}

fn char_to_byte_offsets(text: &str, chars: impl Iterator<Item = usize>) -> Vec<usize> {
    let wanted: Vec<usize> = chars.collect();
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| wanted[i]);
    let mut out = vec![text.len(); wanted.len()];
    let mut indices = text.char_indices().enumerate().peekable();
    for i in order {
        while let Some(&(char_index, (byte_index, _))) = indices.peek() {
            if char_index >= wanted[i] {
                out[i] = byte_index;
                break;
            }
            indices.next();
        }
    }
    out
}

/// Where a sentence ends: whitespace after `.`, `!` or `?`, or the blank line between blocks.
/// A single line break is a soft wrap inside a paragraph, not an end: many cards wrap their
/// prose at a fixed width.
fn is_sentence_end(chars: &[char], i: usize) -> bool {
    let blank_line =
        chars[i] == '\n' && (chars.get(i + 1) == Some(&'\n') || (i > 0 && chars[i - 1] == '\n'));
    blank_line || (i > 0 && is_py_space(chars[i]) && matches!(chars[i - 1], '.' | '!' | '?'))
}

/// The sentence around characters `start..end` of `chars` (the Python engine's excerpt).
pub fn sentence_around(chars: &[char], start: usize, end: usize) -> String {
    // The blank line before the block (its second newline), as the Python engine's `rfind("\n")`
    // found the line before the sentence.
    let newline = (1..start)
        .rev()
        .find(|&i| chars[i] == '\n' && chars[i - 1] == '\n')
        .map_or(-1, |i| i as isize);
    let window = start.saturating_sub(300);
    let sentence_end = (window..start)
        .rev()
        .find(|&i| is_sentence_end(chars, i))
        .map_or(-1, |i| i as isize + 1);
    let left = newline.max(sentence_end).max(0) as usize;
    let right = (end..chars.len())
        .find(|&i| is_sentence_end(chars, i))
        .unwrap_or(chars.len());
    let raw: String = chars[left..right.max(left)].iter().collect();
    let sentence: Vec<char> = py_strip(&raw).chars().collect();
    if sentence.len() > EXCERPT * 2 {
        let offset = start - left;
        let from = offset.saturating_sub(EXCERPT / 2).min(sentence.len());
        let to = (offset + EXCERPT).min(sentence.len()).max(from);
        return format!("…{}…", sentence[from..to].iter().collect::<String>());
    }
    sentence.into_iter().collect()
}

/// Python's `re.findall(r"[^\W_]{2,}|\d", text)`, counted.
pub fn word_count(text: &str) -> usize {
    static WORD: OnceLock<Regex> = OnceLock::new();
    WORD.get_or_init(|| Regex::new(r"[\p{L}\p{N}]{2,}|\p{Nd}").unwrap())
        .find_iter(text)
        .count()
}

/// `text` on one line, cut to `limit` characters with an ellipsis, at a word boundary when
/// one is in the last third.
pub fn shorten(text: &str, limit: usize) -> String {
    let words: Vec<&str> = text.split(is_py_space).filter(|w| !w.is_empty()).collect();
    let flat = words.join(" ");
    let chars: Vec<char> = flat.chars().collect();
    if chars.len() <= limit {
        return flat;
    }
    let mut cut: String = chars[..limit - 1].iter().collect();
    if let Some(space) = cut.rfind(' ') {
        let space_chars = cut[..space].chars().count();
        if space_chars >= limit * 2 / 3 {
            cut = cut[..space]
                .trim_end_matches([' ', ',', ';', ':'])
                .to_string();
        }
    }
    cut + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_cut_at_their_ends() {
        let chars: Vec<char> = "First one. The model was red-teamed by us. Last."
            .chars()
            .collect();
        let start = 15; // "model"
        assert_eq!(
            sentence_around(&chars, start, start + 5),
            "The model was red-teamed by us."
        );
        let long: Vec<char> = format!("{} target {}", "a".repeat(300), "b".repeat(300))
            .chars()
            .collect();
        let excerpt = sentence_around(&long, 301, 307);
        assert!(excerpt.starts_with('…') && excerpt.ends_with('…') && excerpt.contains("target"));
    }

    #[test]
    fn a_soft_line_break_does_not_end_a_sentence() {
        let chars: Vec<char> =
            "It has none. We look forward to ways to\nmake it safe here.\n\nNext block."
                .chars()
                .collect();
        let start = 40; // "make"
        assert_eq!(
            sentence_around(&chars, start, start + 4),
            "We look forward to ways to\nmake it safe here."
        );
    }

    #[test]
    fn words_are_counted_as_python_counts_them() {
        assert_eq!(word_count("a bc 1 d_e 23 ünï 中文"), 5); // bc, 1, 23, ünï, 中文
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("a  b\n c", 100), "a b c");
        let text = "word ".repeat(40);
        let short = shorten(&text, 100);
        assert!(short.ends_with('…') && short.chars().count() <= 100 && !short.contains("  "));
    }
}
