use std::collections::HashMap;
fn main() {
    let sources: Vec<String> = std::fs::read_to_string("/tmp/work/statements.txt")
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut lits: HashMap<String, usize> = HashMap::new();
    for s in &sources {
        let t = _core::dialect::from_re2(s);
        for alt in _core::literals::required_alternatives(&t) {
            for set in alt {
                for l in set {
                    *lits.entry(l.text).or_default() += 1;
                }
            }
        }
    }
    let list: Vec<String> = lits.keys().cloned().collect();
    let ac = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&list)
        .unwrap();
    let text = std::fs::read_to_string("/tmp/work/joined.txt")
        .unwrap()
        .to_lowercase();
    let mut count = vec![0usize; list.len()];
    let mut total = 0;
    for h in ac.find_overlapping_iter(&text) {
        count[h.pattern().as_usize()] += 1;
        total += 1;
    }
    println!(
        "literals {} hits {} bytes {}",
        list.len(),
        total,
        text.len()
    );
    let mut o: Vec<usize> = (0..list.len()).collect();
    o.sort_by_key(|&i| std::cmp::Reverse(count[i]));
    for &i in o.iter().take(40) {
        print!("{:?}:{} ", list[i], count[i]);
    }
    println!();
}
