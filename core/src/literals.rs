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
        let sets = choose(mandatory(std::slice::from_ref(branch), false, false));
        if sets.is_empty() {
            return Vec::new();
        }
        alternatives.push(sets);
    }
    alternatives
}

/// At most the three most selective literal sets of `pattern`; empty when none is required
/// (or the pattern does not parse: the compiler reports that).
pub fn required_sets(pattern: &str) -> Vec<LiteralSet> {
    let Ok(tree) = ast::parse::Parser::new().parse(pattern) else {
        return Vec::new();
    };
    choose(mandatory(std::slice::from_ref(&tree), false, false))
}

/// The texts of [`required_sets`], for tools and tests.
pub fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    required_sets(pattern)
        .into_iter()
        .map(|set| set.into_iter().map(|literal| literal.text).collect())
        .collect()
}

/// The (at most three) most selective of `sets`, each sorted and without repeats.
fn choose(sets: Vec<LiteralSet>) -> Vec<LiteralSet> {
    let mut sets: Vec<LiteralSet> = sets
        .into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.text.is_empty()))
        .map(merge_repeats)
        .collect();
    sets.sort_by_key(|set| std::cmp::Reverse(strength(set)));
    let mut selective: Vec<LiteralSet> = sets
        .iter()
        .filter(|set| strength(set) >= SELECTIVE && !is_common(set))
        .cloned()
        .collect();
    if selective.is_empty() {
        selective = sets
            .iter()
            .filter(|set| strength(set) >= SELECTIVE)
            .cloned()
            .collect();
    }
    let mut chosen = if selective.is_empty() {
        sets.into_iter().take(1).collect()
    } else {
        selective
    };
    chosen.dedup();
    chosen.truncate(3);
    chosen
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
/// `after` say the sequence stands right after or before a `\b`.
fn mandatory(items: &[Ast], before: bool, after: bool) -> Vec<LiteralSet> {
    let mut sets: Vec<LiteralSet> = Vec::new();
    let mut run = String::new();
    let mut run_before = false;
    // Whether a `\b` stands right before the current position (the sequence's start counts).
    let mut boundary = before;
    let boundary_after = |from: usize| match items[from..].iter().find(|i| !is_transparent(i)) {
        Some(next) => is_word_boundary(next),
        None => after,
    };
    for (position, item) in items.iter().enumerate() {
        if let Ast::Literal(literal) = item {
            if run.is_empty() {
                run_before = boundary;
            }
            run.push(literal.c);
            boundary = false;
            continue;
        }
        if is_transparent(item) {
            continue;
        }
        if !run.is_empty() {
            sets.push(vec![literal(&run, run_before, is_word_boundary(item))]);
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
        boundary = is_word_boundary(item);
    }
    if !run.is_empty() {
        sets.push(vec![literal(&run, run_before, after)]);
    }
    sets
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

fn best(sets: Vec<LiteralSet>) -> Option<LiteralSet> {
    sets.into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.text.is_empty()))
        .max_by_key(|set| strength(set))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(pattern: &str) -> Vec<Vec<String>> {
        required_literals(pattern)
    }

    #[test]
    fn words_in_sequence_and_alternation() {
        assert_eq!(
            sets(r"\bred[- ]team"),
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
        assert_eq!((alternatives[1].len(), texts), (1, vec!["bug bount"]));
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
        // "tuned" follows an optional hyphen, not the \b; "fine" is one side only.
        let tuned = get(r"\bfine-?tuned");
        let flags: Vec<(&str, bool, bool)> = tuned
            .iter()
            .flatten()
            .map(|l| (l.text.as_str(), l.boundary_before, l.boundary_after))
            .collect();
        assert!(flags.contains(&("tuned", false, false)) && flags.contains(&("fine", true, false)));
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
    fn unparsable_patterns_require_nothing() {
        assert!(sets(r"(unclosed").is_empty());
    }
}
