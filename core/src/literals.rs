//! The literals a pattern cannot match without, read from its syntax tree.
//!
//! Most policy patterns cannot match unless some word occurs in the text
//! ("red-team", "watermark", "licensed under"). From the tree this module
//! takes sets of lower-case literals such that every match holds one member
//! of each set; the matcher runs a pattern only on blocks holding them. The
//! sets must be sound (never exclude a block where a match exists); how
//! selective they are only changes speed.

use regex_syntax::ast::{self, Ast};

/// Literal sets shorter than this occur too often by chance to be worth a filter.
const SELECTIVE: usize = 3;

/// At most the two most selective literal sets of `pattern`; empty when none is required
/// (or the pattern does not parse: the compiler reports that).
pub fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    let Ok(tree) = ast::parse::Parser::new().parse(pattern) else { return Vec::new() };
    let mut sets: Vec<Vec<String>> = mandatory(std::slice::from_ref(&tree))
        .into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.is_empty()))
        .collect();
    for set in &mut sets {
        set.sort();
        set.dedup();
    }
    sets.sort_by_key(|set| std::cmp::Reverse(strength(set)));
    let selective: Vec<Vec<String>> = sets.iter().filter(|set| strength(set) >= SELECTIVE).cloned().collect();
    let mut chosen = if selective.is_empty() { sets.into_iter().take(1).collect() } else { selective };
    chosen.dedup();
    chosen.truncate(2);
    chosen
}

fn strength(set: &[String]) -> usize {
    set.iter().map(|literal| literal.chars().count()).min().unwrap_or(0)
}

/// Every literal set that a match of this sequence of items must draw from.
fn mandatory(items: &[Ast]) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = Vec::new();
    let mut run = String::new();
    let mut flush = |run: &mut String, sets: &mut Vec<Vec<String>>| {
        if !run.is_empty() {
            sets.push(vec![run.to_lowercase()]);
            run.clear();
        }
    };
    for item in items {
        match item {
            Ast::Literal(literal) => {
                run.push(literal.c);
                continue;
            }
            Ast::Flags(_) | Ast::Empty(_) => continue,
            _ => {}
        }
        flush(&mut run, &mut sets);
        match item {
            Ast::Concat(concat) => sets.extend(mandatory(&concat.asts)),
            Ast::Group(group) => sets.extend(mandatory(std::slice::from_ref(&group.ast))),
            Ast::Alternation(alternation) => {
                let best: Vec<Option<Vec<String>>> =
                    alternation.asts.iter().map(|branch| best(mandatory(std::slice::from_ref(branch)))).collect();
                if best.iter().all(Option::is_some) {
                    sets.push(best.into_iter().flatten().flatten().collect());
                }
            }
            Ast::Repetition(repetition) if minimum(&repetition.op.kind) >= 1 => {
                sets.extend(mandatory(std::slice::from_ref(&repetition.ast)));
            }
            _ => {}
        }
    }
    flush(&mut run, &mut sets);
    sets
}

fn minimum(kind: &ast::RepetitionKind) -> u32 {
    match kind {
        ast::RepetitionKind::ZeroOrOne | ast::RepetitionKind::ZeroOrMore => 0,
        ast::RepetitionKind::OneOrMore => 1,
        ast::RepetitionKind::Range(range) => match range {
            ast::RepetitionRange::Exactly(n) | ast::RepetitionRange::AtLeast(n) | ast::RepetitionRange::Bounded(n, _) => *n,
        },
    }
}

fn best(sets: Vec<Vec<String>>) -> Option<Vec<String>> {
    sets.into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.is_empty()))
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
        assert_eq!(sets(r"\bred[- ]team"), vec![vec!["team".to_string()], vec!["red".to_string()]]);
        assert_eq!(sets(r"(?i)\b(?:Watermark|C2PA)\b"), vec![vec!["c2pa".to_string(), "watermark".to_string()]]);
    }

    #[test]
    fn optional_parts_and_unanchored_alternatives_require_nothing() {
        assert!(sets(r"(?:model )?card").iter().all(|set| set != &vec!["model ".to_string()]));
        assert!(sets(r"abc|\w+").is_empty());
        assert!(sets(r"\w+").is_empty());
    }

    #[test]
    fn weak_sets_are_kept_only_when_nothing_better_exists() {
        assert_eq!(sets(r"a\d+b"), vec![vec!["a".to_string()]]);
        assert_eq!(sets(r"ab\s+licensed"), vec![vec!["licensed".to_string()]]);
    }

    #[test]
    fn unparsable_patterns_require_nothing() {
        assert!(sets(r"(unclosed").is_empty());
    }
}
