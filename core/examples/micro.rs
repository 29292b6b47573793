use std::time::Instant;
fn main() {
    let s = std::fs::read_to_string("/tmp/bench_patterns.txt").unwrap();
    let recs: Vec<&str> = s.split('\0').collect();
    let hay = "This paragraph talks about something unrelated, with the word data and licence in it somewhere near the end of it.";
    for id in [185usize, 63, 142, 169, 123] {
        let src = recs[id].split('\x01').next().unwrap();
        let tr = _core::dialect::from_re2(src);
        let uni = regex::RegexBuilder::new(&tr)
            .case_insensitive(true)
            .build()
            .unwrap();
        let ascii = regex::bytes::RegexBuilder::new(
            &tr.replace("(?-u:\\b)", "\\b").replace("(?-u:\\B)", "\\B"),
        )
        .case_insensitive(true)
        .unicode(false)
        .build();
        let n = 200_000;
        let t = Instant::now();
        let mut c = 0;
        for _ in 0..n {
            if uni.is_match(std::hint::black_box(hay)) {
                c += 1;
            }
        }
        let a = t.elapsed().as_secs_f64() / n as f64 * 1e9;
        let b = match &ascii {
            Ok(re) => {
                let t = Instant::now();
                for _ in 0..n {
                    if re.is_match(std::hint::black_box(hay.as_bytes())) {
                        c += 1;
                    }
                }
                t.elapsed().as_secs_f64() / n as f64 * 1e9
            }
            Err(e) => {
                println!("{e}");
                -1.0
            }
        };
        println!("{id}: unicode {a:.0} ns, ascii {b:.0} ns ({c})");
    }
}
