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

/// What a pattern needs, as alternatives: a match satisfies one of them, holding a member
/// of each of its literal sets. A pattern whose top level is an alternation gets one
/// alternative per branch (so `a x|b y` needs a and x, or b and y, rather than any of a and
/// b); otherwise there is one. An alternative with no set means the pattern needs nothing,
/// and then the whole answer is empty: the pattern runs everywhere.
pub fn required_alternatives(pattern: &str) -> Vec<Vec<Vec<String>>> {
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
        let sets = choose(mandatory(std::slice::from_ref(branch)));
        if sets.is_empty() {
            return Vec::new();
        }
        alternatives.push(sets);
    }
    alternatives
}

/// At most the three most selective literal sets of `pattern`; empty when none is required
/// (or the pattern does not parse: the compiler reports that).
pub fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    let Ok(tree) = ast::parse::Parser::new().parse(pattern) else {
        return Vec::new();
    };
    choose(mandatory(std::slice::from_ref(&tree)))
}

/// The (at most three) most selective of `sets`, each sorted and without repeats.
fn choose(sets: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = sets
        .into_iter()
        .filter(|set| !set.is_empty() && set.iter().all(|literal| !literal.is_empty()))
        .collect();
    for set in &mut sets {
        set.sort();
        set.dedup();
    }
    sets.sort_by_key(|set| std::cmp::Reverse(strength(set)));
    let selective: Vec<Vec<String>> = sets
        .iter()
        .filter(|set| strength(set) >= SELECTIVE)
        .cloned()
        .collect();
    let mut chosen = if selective.is_empty() {
        sets.into_iter().take(1).collect()
    } else {
        selective
    };
    chosen.dedup();
    chosen.truncate(3);
    chosen
}

fn strength(set: &[String]) -> usize {
    set.iter()
        .map(|literal| literal.chars().count())
        .min()
        .unwrap_or(0)
}

/// Every literal set that a match of this sequence of items must draw from.
fn mandatory(items: &[Ast]) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, sets: &mut Vec<Vec<String>>| {
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
                let best: Vec<Option<Vec<String>>> = alternation
                    .asts
                    .iter()
                    .map(|branch| best(mandatory(std::slice::from_ref(branch))))
                    .collect();
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
            ast::RepetitionRange::Exactly(n)
            | ast::RepetitionRange::AtLeast(n)
            | ast::RepetitionRange::Bounded(n, _) => *n,
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
    fn a_top_level_alternation_keeps_each_branch_apart() {
        let alternatives = required_alternatives(r"\bred team\b|\bbug bount(?:y|ies)");
        assert_eq!(alternatives.len(), 2);
        assert_eq!(alternatives[1], vec![vec!["bug bount".to_string()]]);
        assert!(required_alternatives(r"(?:watermark|\w+)").is_empty());
        assert_eq!(required_alternatives(r"licen[cs]e").len(), 1);
    }

    #[test]
    fn unparsable_patterns_require_nothing() {
        assert!(sets(r"(unclosed").is_empty());
    }
}
