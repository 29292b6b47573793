//! A policy's statement and placeholder patterns, matched over a card's prose.
//!
//! Each pattern has literal sets read from its syntax tree (every match holds
//! one literal of each set: see `literals`). One Aho-Corasick pass over the
//! lower-cased prose tells which block may hold which pattern; only there is
//! the pattern run, on that block alone. Patterns that read across blocks
//! (the caller names them) run over the whole prose.
//! Patterns compile on first use, so a run pays only for what its cards need.

use crate::dialect::Regex;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::dialect::{compile, from_re2};
use crate::text::{py_strip, CharCursor};

/// RE2's `\w` for one byte of UTF-8 (a byte of a non-ASCII character is never a word byte).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// A match: start and end (characters) and the matching pattern's position in the caller's list.
pub type Span = (usize, usize, usize);

/// One card's prose, scanned once for the literals of every pattern.
pub struct Index {
    joined: String,
    char_starts: Vec<usize>,
    byte_starts: Vec<usize>,
    /// `joined` lower-cased at the same byte offsets, if lower-casing kept them.
    lowered: Option<String>,
    /// Per block, the patterns that may match in it, each with the bits of the literal sets
    /// the scan found for it there.
    candidates: Vec<Vec<(usize, u64)>>,
}

/// The literals of `sources` (RE2 syntax), read from each pattern's syntax tree (see [`Tables`]).
fn read_tables(sources: &[String]) -> Tables {
    let mut by_literal: HashMap<String, usize> = HashMap::new();
    let mut literals: Vec<String> = Vec::new();
    let mut uses: Vec<Vec<(usize, u32, bool, bool)>> = Vec::new();
    let mut alternatives: Vec<Vec<u64>> = Vec::with_capacity(sources.len());
    let mut by_probe: HashMap<(String, bool, bool), u32> = HashMap::new();
    let mut probes: Vec<(String, bool, bool)> = Vec::new();
    let mut checked: Vec<Vec<Vec<Vec<u32>>>> = Vec::with_capacity(sources.len());
    for (pattern, source) in sources.iter().enumerate() {
        let translated = from_re2(source);
        let mut needs = crate::literals::needed_alternatives(&translated);
        if needs.iter().map(|needs| needs.scanned.len()).sum::<usize>() > 64 {
            needs = vec![crate::literals::needed(&translated)]; // one bit per set
            needs.retain(|needs| !needs.scanned.is_empty());
        }
        let mut masks = Vec::with_capacity(needs.len());
        let mut bit = 0u32;
        let mut pattern_checks = Vec::with_capacity(needs.len());
        for alternative in &needs {
            let sets = &alternative.scanned;
            let checks = alternative
                .checked
                .iter()
                .map(|set| {
                    set.iter()
                        .map(|literal| {
                            let key = (
                                literal.text.clone(),
                                literal.boundary_before,
                                literal.boundary_after,
                            );
                            *by_probe.entry(key.clone()).or_insert_with(|| {
                                probes.push(key);
                                (probes.len() - 1) as u32
                            })
                        })
                        .collect()
                })
                .collect();
            pattern_checks.push(checks);
            let mut mask = 0u64;
            for set in sets {
                for literal in set {
                    let id = *by_literal.entry(literal.text.clone()).or_insert_with(|| {
                        literals.push(literal.text.clone());
                        uses.push(Vec::new());
                        literals.len() - 1
                    });
                    uses[id].push((
                        pattern,
                        bit,
                        literal.boundary_before,
                        literal.boundary_after,
                    ));
                }
                mask |= 1u64 << bit;
                bit += 1;
            }
            masks.push(mask);
        }
        alternatives.push(masks);
        checked.push(pattern_checks);
    }
    (literals, uses, alternatives, probes, checked)
}

/// A literal to look for in one block's lower-cased text, and the word boundaries it needs.
struct Probe {
    finder: memchr::memmem::Finder<'static>,
    boundary_before: bool,
    boundary_after: bool,
}

impl Probe {
    /// Whether `text` holds the literal with the boundaries it needs (the text's ends count).
    fn occurs_in(&self, text: &[u8]) -> bool {
        let length = self.finder.needle().len();
        self.finder.find_iter(text).any(|start| {
            let end = start + length;
            (!self.boundary_before || start == 0 || !is_word_byte(text[start - 1]))
                && (!self.boundary_after || end == text.len() || !is_word_byte(text[end]))
        })
    }
}

/// Literal automata up to this many literals are built as DFAs (see [`Matcher::from_tables`]).
const SMALL_AUTOMATON: usize = 500;

/// One pattern's use of a literal: the set bit it fills and the word boundaries it needs.
#[derive(Clone, Copy)]
struct Key {
    pattern: usize,
    bit: u32,
    boundary_before: bool,
    boundary_after: bool,
}

pub struct Matcher {
    sources: Vec<String>,
    compiled: Vec<OnceLock<Result<Regex, String>>>,
    /// Per pattern, the literal sets each of its alternatives needs, as bit masks over the
    /// pattern's sets (none: it runs everywhere).
    alternatives: Vec<Vec<u64>>,
    automaton: Option<AhoCorasick>,
    /// The automaton's literals, in its order.
    literals: Vec<String>,
    /// Per literal of the automaton, the patterns' uses of it (see `Key`).
    keys: Vec<Vec<Key>>,
    /// The literals of the sets not scanned for, which a block is checked for instead.
    probes: Vec<Probe>,
    /// Per pattern, per alternative, those sets, as positions in `probes`.
    checked: Vec<Vec<Vec<Vec<u32>>>>,
}

/// What [`Matcher::new`] reads from the patterns' syntax trees, as plain data: the literals,
/// per literal its uses (pattern, set bit, boundary before, boundary after), per pattern
/// its alternatives' masks, the literals a block is checked for (text, boundary before,
/// boundary after), and per pattern, per alternative, the sets of them it needs. A caller may
/// keep it and build the same matcher again with [`Matcher::from_tables`], skipping the
/// reading (about half of the build).
pub type Tables = (
    Vec<String>,
    Vec<Vec<(usize, u32, bool, bool)>>,
    Vec<Vec<u64>>,
    Vec<(String, bool, bool)>,
    Vec<Vec<Vec<Vec<u32>>>>,
);

impl Matcher {
    /// The patterns `sources` (RE2 syntax), each with the literals read from its syntax tree.
    pub fn new(sources: Vec<String>) -> Result<Self, String> {
        let tables = read_tables(&sources);
        Self::from_tables(sources, tables)
    }

    /// The matcher for `sources` from the tables [`Matcher::tables`] gave for the same sources;
    /// tables that cannot belong to them are an error.
    pub fn from_tables(sources: Vec<String>, tables: Tables) -> Result<Self, String> {
        let (literals, uses, alternatives, probes, checked) = tables;
        let fits = alternatives.len() == sources.len()
            && uses.len() == literals.len()
            && uses
                .iter()
                .flatten()
                .all(|&(pattern, bit, _, _)| pattern < sources.len() && bit < 64)
            && checked.len() == sources.len()
            && checked
                .iter()
                .zip(&alternatives)
                .all(|(checks, masks)| checks.len() == masks.len())
            && checked
                .iter()
                .flatten()
                .flatten()
                .flatten()
                .all(|&probe| (probe as usize) < probes.len());
        if !fits {
            return Err("the literal tables do not belong to these patterns".to_string());
        }
        let keys = uses
            .into_iter()
            .map(|uses| {
                uses.into_iter()
                    .map(|(pattern, bit, boundary_before, boundary_after)| Key {
                        pattern,
                        bit,
                        boundary_before,
                        boundary_after,
                    })
                    .collect()
            })
            .collect();
        let automaton = if literals.is_empty() {
            None
        } else {
            // Over the statements' thousands of literals a contiguous NFA builds in a sixth of a
            // DFA's time (about 4 ms against 26), which a one-card run pays in full, and scans
            // the corpus nearly as fast (44 against 41 µs a card). Over the placeholders' few
            // dozen a DFA builds in under a millisecond and scans four times as fast (8 against
            // 31 µs a card), and every card is scanned for placeholders.
            let kind = if literals.len() <= SMALL_AUTOMATON {
                AhoCorasickKind::DFA
            } else {
                AhoCorasickKind::ContiguousNFA
            };
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(kind))
                    .build(&literals)
                    .map_err(|error| format!("cannot build the literal automaton: {error}"))?,
            )
        };
        let probes = probes
            .into_iter()
            .map(|(text, boundary_before, boundary_after)| Probe {
                finder: memchr::memmem::Finder::new(text.as_bytes()).into_owned(),
                boundary_before,
                boundary_after,
            })
            .collect();
        Ok(Matcher {
            compiled: sources.iter().map(|_| OnceLock::new()).collect(),
            sources,
            alternatives,
            automaton,
            literals,
            keys,
            probes,
            checked,
        })
    }

    /// The tables this matcher was built from (see [`Tables`]).
    pub fn tables(&self) -> Tables {
        let uses = self
            .keys
            .iter()
            .map(|keys| {
                keys.iter()
                    .map(|key| {
                        (
                            key.pattern,
                            key.bit,
                            key.boundary_before,
                            key.boundary_after,
                        )
                    })
                    .collect()
            })
            .collect();
        let probes = self
            .probes
            .iter()
            .map(|probe| {
                (
                    String::from_utf8_lossy(probe.finder.needle()).into_owned(),
                    probe.boundary_before,
                    probe.boundary_after,
                )
            })
            .collect();
        (
            self.literals.clone(),
            uses,
            self.alternatives.clone(),
            probes,
            self.checked.clone(),
        )
    }

    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Pattern `index`, compiled (case-insensitive, RE2 semantics), or why it cannot be.
    pub fn regex(&self, index: usize) -> Result<&Regex, String> {
        let Some(source) = self.sources.get(index) else {
            return Err(format!("no pattern {index}"));
        };
        self.compiled[index]
            .get_or_init(|| compile(source, true))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// For each of the blocks starting at `byte_starts` in `text`, the patterns that may match
    /// there: those with a member of each literal set in the block's lower-cased text (a
    /// literal belongs to the block holding its last character), and those with no literal;
    /// each with the bits of the sets found. Also `text` lower-cased, if offsets held.
    fn candidates(
        &self,
        text: &str,
        byte_starts: &[usize],
    ) -> (Vec<Vec<(usize, u64)>>, Option<String>) {
        let always: Vec<(usize, u64)> = (0..self.len())
            .filter(|&i| self.alternatives[i].is_empty())
            .map(|i| (i, 0))
            .collect();
        let mut result: Vec<Vec<(usize, u64)>> = vec![always.clone(); byte_starts.len()];
        let Some(automaton) = &self.automaton else {
            return (result, None);
        };
        let mut masks = vec![0u64; self.len()];
        let mut touched: Vec<usize> = Vec::new();
        // A literal met again in the same block adds nothing: stamp it with the block.
        let mut seen_in = vec![usize::MAX; self.keys.len()];
        let flush = |block: usize,
                     masks: &mut Vec<u64>,
                     touched: &mut Vec<usize>,
                     result: &mut Vec<Vec<(usize, u64)>>| {
            for &pattern in touched.iter() {
                let found = masks[pattern];
                if self.alternatives[pattern]
                    .iter()
                    .any(|&needed| needed & !found == 0)
                {
                    result[block].push((pattern, found));
                }
                masks[pattern] = 0;
            }
            touched.clear();
        };
        // `original` is the text the lower-cased one came from, at the same byte offsets: its
        // bytes tell whether an occurrence has the word boundaries its patterns ask for.
        let mut scan = |lowered: &str,
                        original: Option<&[u8]>,
                        starts: &[usize],
                        first_block: usize,
                        result: &mut Vec<Vec<(usize, u64)>>| {
            let mut current = usize::MAX;
            // Hits come in order of their end, so the block they end in only moves forward.
            let mut position = 0;
            for hit in automaton.find_overlapping_iter(lowered) {
                while position + 1 < starts.len() && starts[position + 1] < hit.end() {
                    position += 1;
                }
                let block = first_block + position;
                if block != current {
                    if current != usize::MAX {
                        flush(current, &mut masks, &mut touched, result);
                    }
                    current = block;
                }
                let literal = hit.pattern().as_usize();
                if seen_in[literal] == block {
                    continue;
                }
                let (before, after) = match original {
                    Some(bytes) => (
                        hit.start() == 0 || !is_word_byte(bytes[hit.start() - 1]),
                        hit.end() == bytes.len() || !is_word_byte(bytes[hit.end()]),
                    ),
                    None => (true, true), // offsets moved: boundaries unknown, so assumed
                };
                if before && after {
                    seen_in[literal] = block; // every use is satisfied: later ones add nothing
                }
                for key in &self.keys[literal] {
                    if (key.boundary_before && !before) || (key.boundary_after && !after) {
                        continue;
                    }
                    if masks[key.pattern] == 0 {
                        touched.push(key.pattern);
                    }
                    masks[key.pattern] |= 1u64 << key.bit;
                }
            }
            if current != usize::MAX {
                flush(current, &mut masks, &mut touched, result);
            }
        };
        let lowered = lowercase_keeping_offsets(text);
        match &lowered {
            Some(lowered) => scan(lowered, Some(text.as_bytes()), byte_starts, 0, &mut result),
            None => {
                // Lower-casing moved some character's bytes: each block on its own.
                for (block, &start) in byte_starts.iter().enumerate() {
                    let end = byte_starts.get(block + 1).copied().unwrap_or(text.len());
                    scan(
                        &text[start..end].to_lowercase(),
                        None,
                        &[0],
                        block,
                        &mut result,
                    );
                }
            }
        }
        for candidates in &mut result {
            candidates.sort_unstable();
            candidates.dedup_by_key(|&mut (pattern, _)| pattern);
        }
        (result, lowered)
    }

    /// Whether `block` (`lowered`, its lower-cased text, if known) holds, for an alternative of
    /// `pattern` whose scanned sets were all `found`, a member of each of its other sets: if
    /// not, the pattern cannot match there and need not run.
    fn holds_checked_sets(&self, pattern: usize, found: u64, lowered: Option<&[u8]>) -> bool {
        let Some(lowered) = lowered else {
            return true;
        };
        let alternatives = &self.alternatives[pattern];
        alternatives.is_empty()
            || alternatives
                .iter()
                .zip(&self.checked[pattern])
                .any(|(&needed, sets)| {
                    needed & !found == 0
                        && sets.iter().all(|set| {
                            set.iter()
                                .any(|&probe| self.probes[probe as usize].occurs_in(lowered))
                        })
                })
    }

    /// Index one card's prose: `joined` is its prose blocks joined by blank lines,
    /// `char_starts` the blocks' character offsets.
    pub fn index(&self, joined: &str, char_starts: &[usize]) -> Index {
        let byte_starts = byte_offsets(joined, char_starts);
        let (candidates, lowered) = self.candidates(joined, &byte_starts);
        Index {
            joined: joined.to_string(),
            char_starts: char_starts.to_vec(),
            byte_starts,
            lowered,
            candidates,
        }
    }

    /// Every match of the patterns `ids` in the indexed prose, as (start, end, position in
    /// `ids`) in character offsets, ordered by start and then by position in `ids`: the first
    /// one a caller accepts is the earliest statement, ties going to the earlier pattern.
    /// Patterns in `whole` run over the whole text and may cross blocks; the others run on
    /// each block that may hold them, the block's trailing separator included.
    pub fn matches(
        &self,
        index: &Index,
        ids: &[usize],
        whole: &[usize],
    ) -> Result<Vec<Span>, String> {
        let (position_of, spanning) = self.prepare(index, ids, whole)?;
        let mut found: Vec<Span> = Vec::new();
        for (block, spans) in spanning.iter().enumerate() {
            found.extend_from_slice(spans);
            self.block_matches(index, block, &position_of, &mut found)?;
        }
        found.sort_unstable_by_key(|&(start, _, position)| (start, position));
        Ok(found)
    }

    /// The first match that `accept` takes, in the order of [`Matcher::matches`], reading
    /// block by block and stopping there: most cards state a thing early, or not at all.
    pub fn first_match(
        &self,
        index: &Index,
        ids: &[usize],
        whole: &[usize],
        mut accept: impl FnMut(usize, usize) -> bool,
    ) -> Result<Option<(usize, usize)>, String> {
        let (position_of, spanning) = self.prepare(index, ids, whole)?;
        let mut found: Vec<Span> = Vec::new();
        for (block, spans) in spanning.iter().enumerate() {
            found.clear();
            found.extend_from_slice(spans);
            self.block_matches(index, block, &position_of, &mut found)?;
            found.sort_unstable_by_key(|&(start, _, position)| (start, position));
            if let Some(&(start, end, _)) =
                found.iter().find(|&&(start, end, _)| accept(start, end))
            {
                return Ok(Some((start, end)));
            }
        }
        Ok(None)
    }

    /// Per pattern, its position in `ids` (`usize::MAX` if absent or run over the whole text),
    /// and the matches of the `whole` patterns, bucketed by the block each starts in.
    fn prepare(
        &self,
        index: &Index,
        ids: &[usize],
        whole: &[usize],
    ) -> Result<(Vec<usize>, Vec<Vec<Span>>), String> {
        let joined = index.joined.as_str();
        let mut spanning: Vec<Vec<Span>> = vec![Vec::new(); index.byte_starts.len()];
        let mut position_of: Vec<usize> = vec![usize::MAX; self.len()];
        for (position, &id) in ids.iter().enumerate() {
            if id >= self.len() {
                return Err(format!("no pattern {id}"));
            }
            if whole.contains(&id) {
                let mut cursor = CharCursor::new(joined);
                for m in self.regex(id)?.find_iter(joined) {
                    let (start, end) = (cursor.chars_at(m.start()), cursor.chars_at(m.end()));
                    let block = index
                        .char_starts
                        .partition_point(|&s| s <= start)
                        .saturating_sub(1);
                    if let Some(bucket) = spanning.get_mut(block) {
                        bucket.push((start, end, position));
                    }
                }
            } else if position_of[id] == usize::MAX {
                position_of[id] = position;
            }
        }
        Ok((position_of, spanning))
    }

    /// Add the matches in `block` of the block-by-block patterns of `position_of` to `found`.
    fn block_matches(
        &self,
        index: &Index,
        block: usize,
        position_of: &[usize],
        found: &mut Vec<Span>,
    ) -> Result<(), String> {
        let joined = index.joined.as_str();
        let end = index
            .byte_starts
            .get(block + 1)
            .copied()
            .unwrap_or(joined.len());
        let start = index.byte_starts[block];
        let slice = &joined[start..end];
        let lowered = index
            .lowered
            .as_ref()
            .map(|lowered| &lowered.as_bytes()[start..end]);
        let base = index.char_starts[block];
        for &(id, scanned) in &index.candidates[block] {
            let position = position_of[id];
            if position == usize::MAX || !self.holds_checked_sets(id, scanned, lowered) {
                continue;
            }
            let regex = self.regex(id)?;
            if !regex.is_match(slice) {
                continue;
            }
            let mut cursor = CharCursor::new(slice);
            for m in regex.find_iter(slice) {
                found.push((
                    base + cursor.chars_at(m.start()),
                    base + cursor.chars_at(m.end()),
                    position,
                ));
            }
        }
        Ok(())
    }

    /// Every match of each pattern in `ids` over `joined`, by pattern (see [`Matcher::matches`]).
    pub fn find(
        &self,
        joined: &str,
        char_starts: &[usize],
        ids: &[usize],
        whole: &[usize],
    ) -> Result<HashMap<usize, Vec<(usize, usize)>>, String> {
        let index = self.index(joined, char_starts);
        let mut result: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (start, end, position) in self.matches(&index, ids, whole)? {
            result.entry(ids[position]).or_default().push((start, end));
        }
        Ok(result)
    }

    /// `texts` with the placeholder patterns `ids` taken out, in order, each replaced by a space;
    /// a text left with no word, or only a label ("License:"), becomes empty.
    pub fn strip(&self, texts: &[&str], ids: &[usize]) -> Result<Vec<String>, String> {
        // One text of all blocks, a newline between each, as the literal scan reads it.
        let mut joined = String::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
        let mut starts = Vec::with_capacity(texts.len());
        for text in texts {
            starts.push(joined.len());
            joined.push_str(text);
            joined.push('\n');
        }
        let (candidates, _) = self.candidates(&joined, &starts);
        let mut out = Vec::with_capacity(texts.len());
        for (text, patterns) in texts.iter().zip(&candidates) {
            let mut applicable = ids
                .iter()
                .filter(|&&id| {
                    patterns
                        .binary_search_by_key(&id, |&(pattern, _)| pattern)
                        .is_ok()
                })
                .peekable();
            if text.is_empty() || applicable.peek().is_none() {
                out.push(text.to_string());
                continue;
            }
            let mut stripped = text.to_string();
            for &id in applicable {
                if let Some(changed) =
                    crate::dialect::replace_with_space(self.regex(id)?, &stripped)
                {
                    stripped = changed;
                }
            }
            let stripped = py_strip(&stripped);
            let emptied =
                stripped != *text && (!has_word(stripped) || label_only().is_match(stripped));
            out.push(if emptied {
                String::new()
            } else {
                stripped.to_string()
            });
        }
        Ok(out)
    }
}

/// `text` lower-cased, if no character's lower case has a different length in bytes
/// (so every offset holds in both).
fn lowercase_keeping_offsets(text: &str) -> Option<String> {
    let mut lowered: Vec<u8> = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII runs (most of any card) byte by byte; other characters one by one.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        lowered.extend(rest.as_bytes()[..ascii].iter().map(u8::to_ascii_lowercase));
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            let mut buffer = [0u8; 4];
            let before = lowered.len();
            for lower in c.to_lowercase() {
                lowered.extend_from_slice(lower.encode_utf8(&mut buffer).as_bytes());
            }
            if lowered.len() - before != c.len_utf8() {
                return None;
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    String::from_utf8(lowered).ok()
}

fn label_only() -> &'static regex::Regex {
    static PATTERN: OnceLock<regex::Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        regex::Regex::new(r"^[|\t\n\x0C\r ]*[^.!?:|]{1,60}[:|\t\n\x0C\r ]*$").unwrap()
    })
}

/// Python's `re.search(r"[^\W_]{2,}|\d", text)`: two letters or digits in a row, or a digit.
fn has_word(text: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN
        .get_or_init(|| Regex::new(r"[\p{L}\p{N}]{2}|\p{Nd}").unwrap())
        .is_match(text)
}

/// The byte offsets of ascending character offsets in `text`.
fn byte_offsets(text: &str, char_starts: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return char_starts.iter().map(|&c| c.min(text.len())).collect();
    }
    let mut out = Vec::with_capacity(char_starts.len());
    let mut indices = text.char_indices().enumerate().peekable();
    for &wanted in char_starts {
        let mut byte = text.len();
        while let Some(&(char_index, (byte_index, _))) = indices.peek() {
            if char_index >= wanted {
                byte = byte_index;
                break;
            }
            indices.next();
        }
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(patterns: &[(&str, &[&[&str]])]) -> Matcher {
        Matcher::new(patterns.iter().map(|(p, _)| p.to_string()).collect()).unwrap()
    }

    #[test]
    fn finds_matches_per_block_in_characters() {
        let m = matcher(&[(r"\bred[- ]team\w*", &[&["red"]]), (r"limitation", &[])]);
        let joined = "Café has Limitations.\n\nWe red-teamed it.";
        let found = m.find(joined, &[0, 23], &[0, 1], &[]).unwrap();
        assert_eq!(found[&0], vec![(26, 36)]);
        assert_eq!(found[&1], vec![(9, 19)]);
    }

    #[test]
    fn per_block_patterns_do_not_cross_blocks_but_whole_ones_do() {
        let m = matcher(&[(r"alpha\s+beta", &[&["alpha"], &["beta"]])]);
        let joined = "alpha\n\nbeta";
        assert!(m.find(joined, &[0, 7], &[0], &[]).unwrap().is_empty());
        assert_eq!(
            m.find(joined, &[0, 7], &[0], &[0]).unwrap()[&0],
            vec![(0, 11)]
        );
    }

    #[test]
    fn a_matcher_rebuilt_from_its_tables_finds_the_same_and_foreign_tables_are_refused() {
        let sources: Vec<String> = [
            r"\bred[- ]team\w*|\bjailbreak",
            r"limitation",
            r"water ?mark",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let built = Matcher::new(sources.clone()).unwrap();
        let rebuilt = Matcher::from_tables(sources.clone(), built.tables()).unwrap();
        let joined = "We red-teamed it.\n\nEvery image carries a water mark; limitations apply.";
        let starts = [0, 19];
        assert_eq!(
            built.find(joined, &starts, &[0, 1, 2], &[]).unwrap(),
            rebuilt.find(joined, &starts, &[0, 1, 2], &[]).unwrap()
        );
        assert_eq!(built.tables(), rebuilt.tables());
        let fewer = sources[..2].to_vec();
        assert!(Matcher::from_tables(fewer, built.tables()).is_err());
    }

    #[test]
    fn a_bad_pattern_is_an_error_not_a_panic() {
        let m = matcher(&[(r"(unclosed", &[])]);
        assert!(m.find("text", &[0], &[0], &[]).is_err());
    }

    #[test]
    fn placeholders_are_removed_and_labels_emptied() {
        let m = matcher(&[(
            r"\[more information needed\]",
            &[&["[more information needed]"]],
        )]);
        let texts = [
            "License: [More Information Needed]",
            "A real sentence.",
            "",
            "Use [More Information Needed] with care.",
        ];
        let out = m.strip(&texts, &[0]).unwrap();
        assert_eq!(out, vec!["", "A real sentence.", "", "Use   with care."]);
    }

    #[test]
    fn boundary_literals_skip_words_inside_words_but_never_a_match() {
        // "em" inside "them" is no candidate; a real "EM", a non-ASCII neighbour (RE2's \b is
        // ASCII) and a lower case that moves bytes (İ) still find what the regex finds.
        let sources = [
            r"\b(?:em|exact match)\b",
            r"\bwe (?:trained|release)",
            r"fine-?tuned",
        ];
        let m = Matcher::new(sources.iter().map(|s| s.to_string()).collect()).unwrap();
        let texts = [
            "them and theme",
            "EM 81.2",
            "éem é",
            "İ em",
            "Swe trained; we release",
            "we trained",
            "finetuned, fine-tuned",
            "xfine-tunedx",
        ];
        for text in texts {
            for (id, source) in sources.iter().enumerate() {
                let found = m.find(text, &[0], &[id], &[]).unwrap();
                let expected: Vec<(usize, usize)> = m
                    .regex(id)
                    .unwrap()
                    .find_iter(text)
                    .map(|x| {
                        (
                            text[..x.start()].chars().count(),
                            text[..x.end()].chars().count(),
                        )
                    })
                    .collect();
                assert_eq!(
                    found.get(&id).cloned().unwrap_or_default(),
                    expected,
                    "{text:?} / {}",
                    source
                );
            }
        }
    }

    #[test]
    fn checked_sets_skip_blocks_that_cannot_match_but_never_a_match() {
        // "watermark" is scanned for; "the" or "our" is too common to scan for, so a block
        // holding "watermark" is checked for them before the pattern runs.
        let sources = [
            r"\b(?:the|our) (?:[\w-]+ )?watermarks?\b",
            r"\bnot (?:\w+ )?filtered\b",
        ];
        let m = Matcher::new(sources.iter().map(|s| s.to_string()).collect()).unwrap();
        let watermark = m.alternatives[0][0];
        assert!(!m.holds_checked_sets(0, watermark, Some(b"a watermark is added")));
        assert!(m.holds_checked_sets(0, watermark, Some(b"our invisible watermark")));
        assert!(!m.holds_checked_sets(0, watermark, Some(b"other watermarks")));
        let texts = [
            "A watermark is added.",
            "Our invisible watermark stays.",
            "other watermarks; the watermark",
            "The data was not filtered.",
            "Unfiltered, not yet filtered",
            "nothing filtered",
        ];
        for text in texts {
            for id in 0..sources.len() {
                let found = m.find(text, &[0], &[id], &[]).unwrap();
                let expected: Vec<(usize, usize)> = m
                    .regex(id)
                    .unwrap()
                    .find_iter(text)
                    .map(|x| (x.start(), x.end()))
                    .collect();
                assert_eq!(
                    found.get(&id).cloned().unwrap_or_default(),
                    expected,
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn byte_offsets_of_characters() {
        assert_eq!(byte_offsets("aé\n\nb", &[0, 4]), vec![0, 5]);
    }
}
