//! The literals a pattern cannot match without, read from its syntax tree.
//!
//! Most policy patterns cannot match unless some word occurs in the text
//! ("red-team", "watermark", "licensed under"). From the tree this module
//! takes sets of lower-case literals such that every match holds one member
//! of each set; the matcher runs a pattern only on blocks holding them. The
//! sets must be sound (never exclude a block where a match exists); how
//! selective they are only changes speed.

use regex_syntax::ast::{self, Ast};

/// Literal sets shorter than this (in bytes of UTF-8, so two CJK characters pass) occur too
/// often by chance to be worth a filter.
const SELECTIVE: usize = 3;

/// Words and word pieces so common in model cards that a block almost always holds them: a set
/// with one of them filters nothing, yet every occurrence costs the scan a hit. A pattern with
/// other sets is filtered by those; only a pattern with nothing better keeps such a set.
const COMMON: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "are", "was", "were", "has", "have",
    "its", "our", "not", "all", "any", "can", "may", "use", "used", "model", "models", "mode",
    "data", "text", "code", "train", "token", "ing", "ation", "tion", "age", "form", "type", "put",
    "face", "men", "em", "ai", "in", "on", "of", "to", "is", "it", "as", "at", "by", "an", "or",
    "be", "we",
];

fn is_common(set: &[Literal]) -> bool {
    set.iter()
        .any(|literal| COMMON.contains(&literal.text.as_str()))
}

/// A literal a match must hold, lower case, and whether the pattern puts a word boundary
/// (`\b`) right before or after it: then only an occurrence with a non-word character (or
/// the text's edge) on that side counts. Short words ("we", "em", "on") occur inside other
/// words far more often than on their own.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Literal {
    pub text: String,
    pub boundary_before: bool,
    pub boundary_after: bool,
}

/// One set: a match holds at least one of its literals.
pub type LiteralSet = Vec<Literal>;

/// What a pattern needs, as alternatives: a match satisfies one of them, holding a member
/// of each of its literal sets. A pattern whose top level is an alternation gets one
/// alternative per branch (so `a x|b y` needs a and x, or b and y, rather than any of a and
/// b); otherwise there is one. An alternative with no set means the pattern needs nothing,
/// and then the whole answer is empty: the pattern runs everywhere.
pub fn required_alternatives(pattern: &str) -> Vec<Vec<LiteralSet>> {
    needed_alternatives(pattern)
        .into_iter()
        .map(|needs| needs.scanned)
        .collect()
}

/// One alternative of a pattern: the literal sets the scan looks for (at most three, the most
/// selective) and the others every match also holds, which a block can be checked for before
/// the pattern runs there (sets a block almost always holds are left out of both).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    pub scanned: Vec<LiteralSet>,
    pub checked: Vec<LiteralSet>,
}

/// [`required_alternatives`] with each alternative's other sets (see [`Needs`]).
pub fn needed_alternatives(pattern: &str) -> Vec<Needs> {
    let Ok(tree) = ast::parse::Parser::new().parse(pattern) else {
        return Vec::new();
    };
    let branches: Vec<&Ast> = match &tree {
        Ast::Alternation(alternation) => alternation.asts.iter().collect(),
        Ast::Group(group) => match group.ast.as_ref() {
            Ast::Alternation(alternation) => alternation.asts.iter().collect(),
            other => vec![other],
        },
        other => vec![other],
    };
    let mut alternatives = Vec::with_capacity(branches.len());
    for branch in branches {
        let needs = choose(mandatory(std::slice::from_ref(branch), false, false));
        if needs.scanned.is_empty() {
            return Vec::new();
        }
        alternatives.push(needs);
    }
    alternatives
}

/// The sets of [`needed_alternatives`] for the whole pattern as one alternative.
pub fn needed(pattern: &str) -> Needs {
    let Ok(tree) = ast::parse::Parser::new().parse(pattern) else {
        return Needs::default();
    };
    choose(mandatory(std::slice::from_ref(&tree), false, false))
}

/// At most the three most selective literal sets of `pattern`; empty when none is required
/// (or the pattern does not parse: the compiler reports that).
pub fn required_sets(pattern: &str) -> Vec<LiteralSet> {
    needed(pattern).scanned
}

/// The texts of [`required_sets`], for tools and tests.
pub fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    required_sets(pattern)
        .into_iter()
        .map(|set| set.into_iter().map(|literal| literal.text).collect())
        .collect()
}

/// The (at most three) most selective of `sets` to scan for, each sorted and without repeats,
/// and the rest to check a block for, but for sets a block almost always holds.
fn choose(sets: Vec<LiteralSet>) -> Needs {
    let mut sets: Vec<LiteralSet> = sets
        .into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.text.is_empty()))
        .map(merge_repeats)
        .collect();
    sets.sort_by_key(|set| std::cmp::Reverse((strength(set), boundaries(set))));
    sets.dedup();
    let selective = |set: &LiteralSet| strength(set) >= SELECTIVE && !is_common(set);
    let mut scanned: Vec<LiteralSet> = sets.iter().filter(|set| selective(set)).cloned().collect();
    if scanned.is_empty() {
        scanned = sets
            .iter()
            .filter(|set| strength(set) >= SELECTIVE)
            .cloned()
            .collect();
    }
    if scanned.is_empty() {
        scanned = sets.iter().take(1).cloned().collect();
    }
    scanned.truncate(3);
    let mut checked: Vec<LiteralSet> = sets
        .into_iter()
        .filter(|set| !scanned.contains(set) && !nearly_everywhere(set))
        .collect();
    // Small sets first: a missing one is found with the fewest searches.
    checked.sort_by_key(Vec::len);
    Needs { scanned, checked }
}

/// A set with a literal of one character, or of two with no word boundary to keep to: nearly
/// every block holds one, so checking for it only costs time.
fn nearly_everywhere(set: &[Literal]) -> bool {
    set.iter().any(|literal| {
        let length = literal.text.chars().count();
        length < 2 || (length == 2 && !literal.boundary_before && !literal.boundary_after)
    })
}

/// `set` sorted by text, a text met twice kept once with only the boundaries both demand.
fn merge_repeats(mut set: LiteralSet) -> LiteralSet {
    set.sort();
    let mut merged: LiteralSet = Vec::with_capacity(set.len());
    for literal in set {
        match merged.last_mut() {
            Some(last) if last.text == literal.text => {
                last.boundary_before &= literal.boundary_before;
                last.boundary_after &= literal.boundary_after;
            }
            _ => merged.push(literal),
        }
    }
    merged
}

fn strength(set: &[Literal]) -> usize {
    set.iter()
        .map(|literal| literal.text.len())
        .min()
        .unwrap_or(0)
}

/// A `\b` (which the dialect writes `(?-u:\b)`).
fn is_word_boundary(item: &Ast) -> bool {
    match item {
        Ast::Assertion(assertion) => assertion.kind == ast::AssertionKind::WordBoundary,
        Ast::Group(group) => is_word_boundary(&group.ast),
        _ => false,
    }
}

/// Items that match no text and leave a boundary next to them in force.
fn is_transparent(item: &Ast) -> bool {
    matches!(item, Ast::Flags(_) | Ast::Empty(_))
}

/// Every literal set that a match of this sequence of items must draw from. `before` and
/// `after` say a word character cannot stand right before or after the sequence: a `\b`
/// does that for a sequence starting or ending with a word character, and so does a space
/// or a `^` that every match puts there.
fn mandatory(items: &[Ast], before: bool, after: bool) -> Vec<LiteralSet> {
    let mut sets: Vec<LiteralSet> = Vec::new();
    // The texts the fixed items read so far can spell (empty: no run open).
    let mut run: Vec<String> = Vec::new();
    let mut run_before = false;
    // Whether no word character can stand right before the current position.
    let mut boundary = before;
    let boundary_after = |from: usize| {
        let rest = &items[from..];
        match rest.iter().find(|i| !is_transparent(i)) {
            Some(next) if is_word_boundary(next) => true,
            _ => sequence_edge_is_non_word(rest, Edge::First, after),
        }
    };
    // A run that may spell nothing (an optional hyphen alone) requires nothing: no set.
    let as_set = |run: &[String], before: bool, after: bool| -> LiteralSet {
        if run.iter().any(String::is_empty) {
            return Vec::new();
        }
        run.iter()
            .map(|text| literal(text, before, after))
            .collect()
    };
    for (position, item) in items.iter().enumerate() {
        if is_transparent(item) {
            continue;
        }
        if let Some(texts) = fixed_texts(item) {
            let extended = if run.is_empty() {
                None
            } else {
                product(&run, &texts)
            };
            match extended {
                Some(longer) => run = longer,
                None => {
                    if !run.is_empty() {
                        sets.push(as_set(&run, run_before, boundary_after(position)));
                    }
                    run_before = boundary;
                    run = texts;
                }
            }
            // An empty spelling consumed nothing: what stood before the run still stands.
            boundary = run
                .iter()
                .all(|text| text.chars().next_back().map_or(run_before, is_non_word));
            continue;
        }
        if !run.is_empty() {
            sets.push(as_set(&run, run_before, boundary_after(position)));
            run.clear();
        }
        let (inner_before, inner_after) = (boundary, boundary_after(position + 1));
        match item {
            Ast::Concat(concat) => sets.extend(mandatory(&concat.asts, inner_before, inner_after)),
            Ast::Group(group) => sets.extend(mandatory(
                std::slice::from_ref(&group.ast),
                inner_before,
                inner_after,
            )),
            Ast::Alternation(alternation) => {
                let best: Vec<Option<LiteralSet>> = alternation
                    .asts
                    .iter()
                    .map(|branch| {
                        best(mandatory(
                            std::slice::from_ref(branch),
                            inner_before,
                            inner_after,
                        ))
                    })
                    .collect();
                if best.iter().all(Option::is_some) {
                    sets.push(best.into_iter().flatten().flatten().collect());
                }
            }
            // The literal may stand in any repetition, where the boundaries do not hold.
            Ast::Repetition(repetition) if minimum(&repetition.op.kind) >= 1 => {
                sets.extend(mandatory(
                    std::slice::from_ref(&repetition.ast),
                    false,
                    false,
                ));
            }
            _ => {}
        }
        // After a `\b`, a literal starting with a word character has a non-word one before it
        // (`literal` checks the start); after anything else, the item's last character tells.
        boundary = is_word_boundary(item) || edge_is_non_word(item, Edge::Last, boundary);
    }
    if !run.is_empty() {
        sets.push(as_set(&run, run_before, after));
    }
    sets
}

/// Texts a run of fixed items may spell at most: past this, the run so far is one set and a
/// new run starts. `(?:do|does|must)(?:n't| not) use` spells six texts, each far rarer than
/// "do" or "not" alone, so the scan meets them seldom and the pattern runs on fewer blocks.
/// The cap keeps the automaton small: on 2026-12-04's policy, spelling out raised the
/// statements' literals by about two fifths at 8 and doubled them at 24, where the automaton
/// took a one-card run 5 ms more to build (`benchmarks/startup.py`, "compile the cached policy").
const MAX_SPELLINGS: usize = 8;

/// Every text `item` can match, when that is a few fixed texts (a character; a class of a few
/// characters, such as `['’]`; groups, sequences and alternations of them); none may be empty.
fn fixed_texts(item: &Ast) -> Option<Vec<String>> {
    match item {
        Ast::Literal(literal) => Some(vec![literal.c.to_string()]),
        Ast::ClassBracketed(class) if !class.negated => {
            let mut chars = Vec::new();
            class_chars(&class.kind, &mut chars)?;
            (chars.len() <= 4).then(|| chars.into_iter().map(String::from).collect())
        }
        Ast::Group(group) => fixed_texts(&group.ast),
        // An optional hyphen, space or apostrophe ("fine-?tuned", "tree-?ring") is spelled both
        // ways, or the run breaks there into short words found everywhere ("ring").
        Ast::Repetition(repetition)
            if matches!(repetition.op.kind, ast::RepetitionKind::ZeroOrOne) =>
        {
            let mut texts = fixed_texts(&repetition.ast)?;
            if !texts.iter().all(|text| text.chars().all(is_non_word)) {
                return None;
            }
            texts.insert(0, String::new());
            Some(texts)
        }
        Ast::Concat(concat) => {
            let mut texts = vec![String::new()];
            for part in concat.asts.iter().filter(|part| !is_transparent(part)) {
                texts = product(&texts, &fixed_texts(part)?)?;
            }
            texts.iter().all(|text| !text.is_empty()).then_some(texts)
        }
        Ast::Alternation(alternation) => {
            let mut texts = Vec::new();
            for branch in &alternation.asts {
                texts.extend(fixed_texts(branch)?);
                if texts.len() > MAX_SPELLINGS {
                    return None;
                }
            }
            Some(texts)
        }
        _ => None,
    }
}

/// The characters of a class made only of single characters (no range, no nested negation).
fn class_chars(set: &ast::ClassSet, chars: &mut Vec<char>) -> Option<()> {
    fn item_chars(item: &ast::ClassSetItem, chars: &mut Vec<char>) -> Option<()> {
        match item {
            ast::ClassSetItem::Literal(literal) => chars.push(literal.c),
            ast::ClassSetItem::Union(union) => {
                for inner in &union.items {
                    item_chars(inner, chars)?;
                }
            }
            _ => return None,
        }
        Some(())
    }
    match set {
        ast::ClassSet::Item(item) => item_chars(item, chars),
        ast::ClassSet::BinaryOp(_) => None,
    }
}

/// Each of `heads` followed by each of `tails`, or `None` past [`MAX_SPELLINGS`].
fn product(heads: &[String], tails: &[String]) -> Option<Vec<String>> {
    if heads.len() * tails.len() > MAX_SPELLINGS {
        return None;
    }
    Some(
        heads
            .iter()
            .flat_map(|head| tails.iter().map(move |tail| format!("{head}{tail}")))
            .collect(),
    )
}

/// The literal for a run of text between `\b`s (or not): spaces at its ends are dropped and
/// stand as word boundaries instead. " model " and "model" then are one literal, met once
/// by the scan, not four times per occurrence; a space is a non-word character, so the
/// boundary it becomes holds wherever the space did.
fn literal(run: &str, boundary_before: bool, boundary_after: bool) -> Literal {
    let trimmed = run.trim_matches(' ');
    if trimmed.is_empty() || !trimmed.chars().any(is_ascii_word) {
        return Literal {
            text: run.to_lowercase(),
            boundary_before: boundary_before && starts_with_word(run),
            boundary_after: boundary_after && ends_with_word(run),
        };
    }
    let space_before = run.starts_with(' ');
    let space_after = run.ends_with(' ');
    Literal {
        text: trimmed.to_lowercase(),
        boundary_before: (boundary_before || space_before) && starts_with_word(trimmed),
        boundary_after: (boundary_after || space_after) && ends_with_word(trimmed),
    }
}

/// `\b` next to a word character means a non-word character (or the edge) on the other side.
fn starts_with_word(text: &str) -> bool {
    text.chars().next().is_some_and(is_ascii_word)
}

fn ends_with_word(text: &str) -> bool {
    text.chars().next_back().is_some_and(is_ascii_word)
}

/// RE2's (and the dialect's) `\w`.
pub fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A character that is not RE2's `\w` and that no case-insensitive match can turn into one
/// (`K` in "Kelvin" folds to `k`, so only characters without case count).
fn is_non_word(c: char) -> bool {
    !is_ascii_word(c) && c.to_lowercase().eq([c]) && c.to_uppercase().eq([c])
}

/// Whether every character `class` matches is a non-word character (ASCII only, to stay
/// clear of case folding).
fn class_is_non_word(class: &ast::ClassBracketed) -> bool {
    fn item_is_non_word(item: &ast::ClassSetItem) -> bool {
        match item {
            ast::ClassSetItem::Literal(literal) => literal.c.is_ascii() && is_non_word(literal.c),
            ast::ClassSetItem::Range(range) => {
                let (start, end) = (range.start.c, range.end.c);
                end.is_ascii() && (start..=end).all(is_non_word)
            }
            ast::ClassSetItem::Union(union) => union.items.iter().all(item_is_non_word),
            ast::ClassSetItem::Bracketed(inner) => class_is_non_word(inner),
            _ => false,
        }
    }
    !class.negated
        && match &class.kind {
            ast::ClassSet::Item(item) => item_is_non_word(item),
            ast::ClassSet::BinaryOp(_) => false,
        }
}

/// Which edge of a match [`edge_is_non_word`] looks at: its first character or its last.
#[derive(Clone, Copy)]
enum Edge {
    First,
    Last,
}

/// Whether the character at `edge` of any match of `item` is a non-word one; `outside` says
/// the same of the character beyond that edge, which is what a match of nothing leaves there.
fn edge_is_non_word(item: &Ast, edge: Edge, outside: bool) -> bool {
    match item {
        Ast::Literal(literal) => is_non_word(literal.c),
        Ast::ClassBracketed(class) => class_is_non_word(class),
        // `^` leaves nothing but a line's start behind it, `$` nothing but its end after it.
        Ast::Assertion(assertion) => match (edge, &assertion.kind) {
            (Edge::Last, ast::AssertionKind::StartLine | ast::AssertionKind::StartText)
            | (Edge::First, ast::AssertionKind::EndLine | ast::AssertionKind::EndText) => true,
            _ => outside,
        },
        Ast::Empty(_) | Ast::Flags(_) => outside,
        Ast::Group(group) => edge_is_non_word(&group.ast, edge, outside),
        Ast::Concat(concat) => sequence_edge_is_non_word(&concat.asts, edge, outside),
        Ast::Alternation(alternation) => alternation
            .asts
            .iter()
            .all(|branch| edge_is_non_word(branch, edge, outside)),
        Ast::Repetition(repetition) => {
            // Each round has the item's edge; only no round at all leaves `outside` there.
            edge_is_non_word(&repetition.ast, edge, false)
                && (minimum(&repetition.op.kind) >= 1 || outside)
        }
        _ => false,
    }
}

/// [`edge_is_non_word`] for a sequence of items, read from the far end towards `edge`.
fn sequence_edge_is_non_word(items: &[Ast], edge: Edge, outside: bool) -> bool {
    let step = |beyond: bool, item: &Ast| edge_is_non_word(item, edge, beyond);
    match edge {
        Edge::Last => items.iter().fold(outside, step),
        Edge::First => items.iter().rev().fold(outside, step),
    }
}

fn minimum(kind: &ast::RepetitionKind) -> u32 {
    match kind {
        ast::RepetitionKind::ZeroOrOne | ast::RepetitionKind::ZeroOrMore => 0,
        ast::RepetitionKind::OneOrMore => 1,
        ast::RepetitionKind::Range(range) => match range {
            ast::RepetitionRange::Exactly(n)
            | ast::RepetitionRange::AtLeast(n)
            | ast::RepetitionRange::Bounded(n, _) => *n,
        },
    }
}

/// The set a branch of an alternation contributes: one without a common word if it has one,
/// then the longest, then the one whose literals need the most word boundaries.
fn best(sets: Vec<LiteralSet>) -> Option<LiteralSet> {
    sets.into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.text.is_empty()))
        .max_by_key(|set| (!is_common(set), strength(set), boundaries(set)))
}

/// How many word boundaries the literals of `set` need: each one makes an occurrence rarer.
fn boundaries(set: &[Literal]) -> usize {
    set.iter()
        .map(|literal| usize::from(literal.boundary_before) + usize::from(literal.boundary_after))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(pattern: &str) -> Vec<Vec<String>> {
        required_literals(pattern)
    }

    #[test]
    fn words_in_sequence_and_alternation() {
        // Fixed texts in a row are spelled out, each spelling a member of one set.
        assert_eq!(
            sets(r"\bred[- ]team"),
            vec![vec!["red team".to_string(), "red-team".to_string()]]
        );
        assert_eq!(
            sets(r"\bred\W?team"),
            vec![vec!["team".to_string()], vec!["red".to_string()]]
        );
        assert_eq!(
            sets(r"(?i)\b(?:Watermark|C2PA)\b"),
            vec![vec!["c2pa".to_string(), "watermark".to_string()]]
        );
    }

    #[test]
    fn optional_parts_and_unanchored_alternatives_require_nothing() {
        assert!(sets(r"(?:model )?card")
            .iter()
            .all(|set| set != &vec!["model ".to_string()]));
        assert!(sets(r"abc|\w+").is_empty());
        assert!(sets(r"\w+").is_empty());
    }

    #[test]
    fn weak_sets_are_kept_only_when_nothing_better_exists() {
        assert_eq!(sets(r"a\d+b"), vec![vec!["a".to_string()]]);
        assert_eq!(sets(r"ab\s+licensed"), vec![vec!["licensed".to_string()]]);
    }

    #[test]
    fn common_words_filter_only_when_nothing_else_does() {
        // "the" is in almost every block: with "watermark" to filter by, it is left out.
        assert_eq!(
            sets(r"\bthe \w+ watermark"),
            vec![vec!["watermark".to_string()]]
        );
        // With nothing better, a common word still filters.
        assert_eq!(sets(r"\bthe model\b"), vec![vec!["the model".to_string()]]);
        assert_eq!(sets(r"\bmodel\b \d+"), vec![vec!["model".to_string()]]);
        // Strength is counted in bytes: two CJK characters are selective, "ai" is not.
        assert_eq!(sets(r"(?:ai|x)\s*生成"), vec![vec!["生成".to_string()]]);
    }

    #[test]
    fn a_top_level_alternation_keeps_each_branch_apart() {
        let alternatives = required_alternatives(r"\bred team\b|\bbug bount(?:y|ies)");
        assert_eq!(alternatives.len(), 2);
        let texts: Vec<&str> = alternatives[1][0].iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            (alternatives[1].len(), texts),
            (1, vec!["bug bounties", "bug bounty"])
        );
        assert!(required_alternatives(r"(?:watermark|\w+)").is_empty());
        assert_eq!(required_alternatives(r"licen[cs]e").len(), 1);
    }

    #[test]
    fn word_boundaries_next_to_literals_are_kept() {
        let get = |pattern: &str| required_sets(&crate::dialect::from_re2(pattern));
        let whole_word = get(r"\b(?:em|exact match)\b");
        assert!(whole_word[0]
            .iter()
            .all(|l| l.boundary_before && l.boundary_after));
        let flags = |pattern: &str| -> Vec<(String, bool, bool)> {
            get(pattern)
                .into_iter()
                .flatten()
                .map(|l| (l.text, l.boundary_before, l.boundary_after))
                .collect()
        };
        // An optional hyphen is spelled both ways; the \b holds before each spelling only.
        assert_eq!(
            flags(r"\bfine-?tuned"),
            vec![
                ("fine-tuned".to_string(), true, false),
                ("finetuned".to_string(), true, false)
            ]
        );
        // "tuned" follows a hyphen that may repeat, not the \b; "fine" is one side only.
        let repeated = flags(r"\bfine-*tuned");
        assert!(repeated.contains(&("tuned".to_string(), false, false)));
        assert!(repeated.contains(&("fine".to_string(), true, false)));
        // A literal inside a repetition may stand in any round: no boundary is assumed.
        assert!(get(r"\b(?:ab )+cd")
            .iter()
            .flatten()
            .all(|l| !l.boundary_before || l.text == "cd"));
        // \b before a non-word character asks the opposite: nothing is assumed.
        assert!(get(r"\b@example")
            .iter()
            .flatten()
            .all(|l| !l.boundary_before));
    }

    #[test]
    fn spaces_at_a_literals_ends_become_boundaries() {
        let found = required_sets(&crate::dialect::from_re2(r"(?:watermark ed|\bthe model )"));
        let texts: Vec<(&str, bool, bool)> = found
            .iter()
            .flatten()
            .map(|l| (l.text.as_str(), l.boundary_before, l.boundary_after))
            .collect();
        assert!(texts.contains(&("the model", true, true)), "{texts:?}");
    }

    #[test]
    fn a_space_or_a_group_ending_in_one_is_a_boundary() {
        let flags = |pattern: &str, text: &str| {
            let needs = needed(&crate::dialect::from_re2(pattern));
            needs
                .scanned
                .into_iter()
                .chain(needs.checked)
                .flatten()
                .find(|l| l.text == text)
                .map(|l| (l.boundary_before, l.boundary_after))
        };
        // After "risk " and any number of words each ending in a space, "audit" starts a word.
        assert_eq!(
            flags(r"\brisk (?:[\w-]+ ){0,2}audit", "audit"),
            Some((true, false))
        );
        assert_eq!(
            flags(r"(?:we|our team) +reviewed\b", "reviewed"),
            Some((true, true))
        );
        assert_eq!(
            flags(r"^\s*\|?\s*opt-?outs?", "opt-out"),
            Some((true, false))
        );
        // A repetition that may match nothing keeps what stood before it: here a word.
        assert_eq!(flags(r"\bx\w*(?: )?audit", "audit"), Some((false, false)));
        // A class with a word character in it, or a character that folds to one, is no boundary.
        assert_eq!(flags(r"[ a-c]audit", "audit"), Some((false, false)));
        assert_eq!(flags("\u{212A}+audit", "audit"), Some((false, false)));
        // A class of fixed characters is spelled out: " audit" is a boundary and "audit".
        assert_eq!(flags(r"[ a]audit", "audit"), Some((true, false)));
    }

    #[test]
    fn sets_not_scanned_for_are_checked_smallest_first_but_not_the_ubiquitous() {
        let needs = needed(&crate::dialect::from_re2(
            r"\b(?:does|do|did) not\b \w* (?:include|contain|use)\w* (?:any )?customer\w* data\b",
        ));
        let texts = |sets: &[LiteralSet]| -> Vec<Vec<String>> {
            sets.iter()
                .map(|set| set.iter().map(|l| l.text.clone()).collect())
                .collect()
        };
        let scanned = texts(&needs.scanned);
        assert!(
            scanned.contains(&vec!["customer".to_string()]),
            "{scanned:?}"
        );
        assert!(scanned.contains(&vec!["did not".into(), "do not".into(), "does not".into()]));
        let checked = texts(&needs.checked);
        assert!(checked.contains(&vec!["data".to_string()]), "{checked:?}");
        assert!(checked
            .windows(2)
            .all(|pair| pair[0].len() <= pair[1].len()));
        // "a" or an "in" that may stand inside a word is in nearly every block: not checked.
        let ubiquitous = needed(&crate::dialect::from_re2(r"watermark\w* (?:a|in)"));
        assert!(ubiquitous.checked.is_empty(), "{:?}", ubiquitous.checked);
    }

    #[test]
    fn spellings_are_capped_and_a_long_run_is_cut_into_sets() {
        // 5 x 5 spellings would pass the cap: the run is cut into two sets instead.
        let found = sets(r"\b(?:aa1|bb2|cc3|dd4|ee5)(?:ff6|gg7|hh8|ii9|jj0)");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|set| set.len() == 5));
        // A class of a few characters is spelled out; a range is not.
        assert_eq!(
            sets(r"don['’]t use"),
            vec![vec!["don't use".to_string(), "don’t use".to_string()]]
        );
        assert_eq!(sets(r"rule[0-9]x"), vec![vec!["rule".to_string()]]);
    }

    #[test]
    fn unparsable_patterns_require_nothing() {
        assert!(sets(r"(unclosed").is_empty());
    }
}
