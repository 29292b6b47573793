use std::time::Instant;
fn main() {
    let sources: Vec<String> = std::fs::read_to_string("/tmp/work/statements.txt")
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let m = _core::patterns::Matcher::new(sources.clone()).unwrap();
    let text = std::fs::read_to_string("/tmp/work/joined.txt").unwrap();
    let cards: Vec<&str> = text.split("\n\x00\n").collect();
    let mut cand = vec![0usize; sources.len()];
    let mut hit = vec![0usize; sources.len()];
    let mut blocks_total = 0;
    let mut spent = vec![std::time::Duration::ZERO; sources.len()];
    for _ in 0..4 {
        let t = Instant::now();
        for card in &cards {
            let mut starts = vec![0usize];
            for (i, _) in card.match_indices("\n\n") {
                starts.push(i + 2);
            }
            std::hint::black_box(m.candidates(card, &starts));
        }
        println!("scan pass {:?}", t.elapsed());
    }
    let t = Instant::now();
    let mut all = Vec::new();
    for card in &cards {
        let mut starts = vec![0usize];
        for (i, _) in card.match_indices("\n\n") {
            starts.push(i + 2);
        }
        let c = m.candidates(card, &starts);
        all.push((card, starts, c));
    }
    let scan = t.elapsed();
    for _ in 0..5 {
        blocks_total = 0;
        cand.iter_mut().for_each(|x| *x = 0);
        hit.iter_mut().for_each(|x| *x = 0);
        spent
            .iter_mut()
            .for_each(|x| *x = std::time::Duration::ZERO);
        let t = Instant::now();
        for (card, starts, c) in &all {
            blocks_total += starts.len();
            for (b, list) in c.iter().enumerate() {
                let end = starts.get(b + 1).copied().unwrap_or(card.len());
                let slice = &card[starts[b]..end];
                for &p in list {
                    cand[p] += 1;
                    let r = m.regex(p).unwrap();
                    let t0 = Instant::now();
                    if r.is_match(slice) {
                        hit[p] += 1;
                    }
                    spent[p] += t0.elapsed();
                }
            }
        }
        let confirm = t.elapsed();
        println!("confirm pass {:?}", confirm);
    }
    let confirm = 0;
    println!(
        "cards {} blocks {} scan {:?} {}",
        cards.len(),
        blocks_total,
        scan,
        confirm
    );
    let tc: usize = cand.iter().sum();
    let th: usize = hit.iter().sum();
    println!("candidates {} hits {}", tc, th);
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(spent[i]));
    for &i in order.iter().take(25) {
        println!(
            "{:8.1?} {:6} {:6} {}",
            spent[i],
            cand[i],
            hit[i],
            &sources[i][..sources[i].len().min(100)]
        );
    }
}
