//! A policy's statement and placeholder patterns, matched over a card's prose.
//!
//! Each pattern comes with the literal sets the Python side derives from its
//! parse tree (every match holds one literal of each set). One Aho-Corasick
//! pass over the lower-cased prose tells which block may hold which pattern;
//! only there is the pattern run, on that block alone. Patterns without a
//! literal, and those that read across blocks, run over the whole prose.
//! Patterns compile on first use, so a run pays only for what its cards need.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{NoExpand, Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::dialect::from_re2;
use crate::text::{py_strip, CharCursor};

/// The compiled-program budget per pattern, as the RE2 engine had (`max_mem`).
const SIZE_LIMIT: usize = 64 << 20;

pub struct Matcher {
    sources: Vec<String>,
    compiled: Vec<OnceLock<Result<Regex, String>>>,
    /// Per pattern, how many literal sets it has (0: it runs everywhere).
    set_counts: Vec<usize>,
    automaton: Option<AhoCorasick>,
    /// Per literal of the automaton, the (pattern, set) pairs it stands for.
    keys: Vec<Vec<(usize, usize)>>,
}

impl Matcher {
    /// `literal_sets[i]` are pattern `i`'s literal sets, lower case; empty when it has none.
    pub fn new(sources: Vec<String>, literal_sets: Vec<Vec<Vec<String>>>) -> Result<Self, String> {
        if sources.len() != literal_sets.len() {
            return Err("one list of literal sets per pattern is needed".into());
        }
        let mut by_literal: HashMap<String, usize> = HashMap::new();
        let mut literals: Vec<String> = Vec::new();
        let mut keys: Vec<Vec<(usize, usize)>> = Vec::new();
        for (pattern, sets) in literal_sets.iter().enumerate() {
            for (set_number, set) in sets.iter().enumerate() {
                for literal in set {
                    let id = *by_literal.entry(literal.clone()).or_insert_with(|| {
                        literals.push(literal.clone());
                        keys.push(Vec::new());
                        literals.len() - 1
                    });
                    keys[id].push((pattern, set_number));
                }
            }
        }
        let automaton = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&literals)
                    .map_err(|error| format!("cannot build the literal automaton: {error}"))?,
            )
        };
        Ok(Matcher {
            compiled: sources.iter().map(|_| OnceLock::new()).collect(),
            sources,
            set_counts: literal_sets.iter().map(Vec::len).collect(),
            automaton,
            keys,
        })
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
            .get_or_init(|| {
                RegexBuilder::new(&from_re2(source))
                    .case_insensitive(true)
                    .size_limit(SIZE_LIMIT)
                    .build()
                    .map_err(|error| format!("pattern {source:?} is not accepted by the regex engine: {error}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// For each text, the patterns that may match it: those whose every literal set has a
    /// member in the lower-cased text, and those with no literal at all.
    fn candidates(&self, texts: &[&str]) -> Vec<Vec<usize>> {
        let always: Vec<usize> = (0..self.len()).filter(|&i| self.set_counts[i] == 0).collect();
        let mut result = Vec::with_capacity(texts.len());
        let mut found: HashMap<usize, u64> = HashMap::new();
        for text in texts {
            let mut candidates = always.clone();
            if let Some(automaton) = &self.automaton {
                let lowered = text.to_lowercase();
                found.clear();
                for hit in automaton.find_overlapping_iter(&lowered) {
                    for &(pattern, set_number) in &self.keys[hit.pattern().as_usize()] {
                        *found.entry(pattern).or_insert(0) |= 1u64 << set_number.min(63);
                    }
                }
                for (&pattern, &sets) in &found {
                    let wanted = self.set_counts[pattern].min(64);
                    let all = if wanted == 64 { u64::MAX } else { (1u64 << wanted) - 1 };
                    if sets & all == all {
                        candidates.push(pattern);
                    }
                }
            }
            candidates.sort_unstable();
            result.push(candidates);
        }
        result
    }

    /// Every match of each pattern in `ids` over `joined` (prose blocks joined by blank lines;
    /// `char_starts` are the blocks' character offsets), as character offsets in ascending order.
    /// Patterns in `whole` (or all, if `everything_whole`) run over the whole text and may
    /// cross blocks; the others run on each block that may hold them, the block's trailing
    /// separator included.
    pub fn find(
        &self,
        joined: &str,
        char_starts: &[usize],
        ids: &[usize],
        whole: &[usize],
        everything_whole: bool,
    ) -> Result<HashMap<usize, Vec<(usize, usize)>>, String> {
        let byte_starts = byte_offsets(joined, char_starts);
        let mut result: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        let wanted: std::collections::HashSet<usize> = ids.iter().copied().collect();
        let whole_set: std::collections::HashSet<usize> =
            if everything_whole { wanted.clone() } else { whole.iter().copied().collect() };
        for &id in ids {
            if whole_set.contains(&id) {
                let regex = self.regex(id)?;
                let mut cursor = CharCursor::new(joined);
                let found: Vec<(usize, usize)> = regex
                    .find_iter(joined)
                    .map(|m| (cursor.chars_at(m.start()), cursor.chars_at(m.end())))
                    .collect();
                if !found.is_empty() {
                    result.insert(id, found);
                }
            }
        }
        if everything_whole {
            return Ok(result);
        }
        let slices: Vec<&str> = (0..byte_starts.len())
            .map(|i| &joined[byte_starts[i]..byte_starts.get(i + 1).copied().unwrap_or(joined.len())])
            .collect();
        let candidates = self.candidates(&slices);
        for (block, patterns) in candidates.iter().enumerate() {
            for &id in patterns {
                if !wanted.contains(&id) || whole_set.contains(&id) {
                    continue;
                }
                let regex = self.regex(id)?;
                let slice = slices[block];
                let mut cursor = CharCursor::new(slice);
                let base = char_starts[block];
                for m in regex.find_iter(slice) {
                    let span = (base + cursor.chars_at(m.start()), base + cursor.chars_at(m.end()));
                    result.entry(id).or_default().push(span);
                }
            }
        }
        Ok(result)
    }

    /// `texts` with the placeholder patterns `ids` taken out, in order, each replaced by a space;
    /// a text left with no word, or only a label ("License:"), becomes empty.
    pub fn strip(&self, texts: &[&str], ids: &[usize]) -> Result<Vec<String>, String> {
        let candidates = self.candidates(texts);
        let mut out = Vec::with_capacity(texts.len());
        for (text, patterns) in texts.iter().zip(&candidates) {
            let mut applicable = ids.iter().filter(|id| patterns.binary_search(id).is_ok()).peekable();
            if text.is_empty() || applicable.peek().is_none() {
                out.push(text.to_string());
                continue;
            }
            let mut stripped = text.to_string();
            for &id in applicable {
                if let std::borrow::Cow::Owned(changed) = self.regex(id)?.replace_all(&stripped, NoExpand(" ")) {
                    stripped = changed;
                }
            }
            let stripped = py_strip(&stripped);
            let emptied = stripped != *text && (!has_word(stripped) || label_only().is_match(stripped));
            out.push(if emptied { String::new() } else { stripped.to_string() });
        }
        Ok(out)
    }
}

fn label_only() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"^[|\t\n\x0C\r ]*[^.!?:|]{1,60}[:|\t\n\x0C\r ]*$").unwrap())
}

/// Python's `re.search(r"[^\W_]{2,}|\d", text)`: two letters or digits in a row, or a digit.
fn has_word(text: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"[\p{L}\p{N}]{2}|\p{Nd}").unwrap()).is_match(text)
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
        Matcher::new(
            patterns.iter().map(|(p, _)| p.to_string()).collect(),
            patterns
                .iter()
                .map(|(_, sets)| sets.iter().map(|set| set.iter().map(|s| s.to_string()).collect()).collect())
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn finds_matches_per_block_in_characters() {
        let m = matcher(&[(r"\bred[- ]team\w*", &[&["red"]]), (r"limitation", &[])]);
        let joined = "Café has Limitations.\n\nWe red-teamed it.";
        let found = m.find(joined, &[0, 23], &[0, 1], &[], false).unwrap();
        assert_eq!(found[&0], vec![(26, 36)]);
        assert_eq!(found[&1], vec![(9, 19)]);
    }

    #[test]
    fn per_block_patterns_do_not_cross_blocks_but_whole_ones_do() {
        let m = matcher(&[(r"alpha\s+beta", &[&["alpha"], &["beta"]])]);
        let joined = "alpha\n\nbeta";
        assert!(m.find(joined, &[0, 7], &[0], &[], false).unwrap().is_empty());
        assert_eq!(m.find(joined, &[0, 7], &[0], &[0], false).unwrap()[&0], vec![(0, 11)]);
    }

    #[test]
    fn a_bad_pattern_is_an_error_not_a_panic() {
        let m = matcher(&[(r"(unclosed", &[])]);
        assert!(m.find("text", &[0], &[0], &[], false).is_err());
    }

    #[test]
    fn placeholders_are_removed_and_labels_emptied() {
        let m = matcher(&[(r"\[more information needed\]", &[&["[more information needed]"]])]);
        let texts = ["License: [More Information Needed]", "A real sentence.", "", "Use [More Information Needed] with care."];
        let out = m.strip(&texts, &[0]).unwrap();
        assert_eq!(out, vec!["", "A real sentence.", "", "Use   with care."]);
    }

    #[test]
    fn byte_offsets_of_characters() {
        assert_eq!(byte_offsets("aé\n\nb", &[0, 4]), vec![0, 5]);
    }
}
