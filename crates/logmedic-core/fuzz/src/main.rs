//! One AFL target for every harness of `harness.rs`, picked by name:
//! `cargo afl fuzz -i corpus/seeds -o out/header target/release/logmedic-fuzz header`.

#[path = "../harness.rs"]
mod harness;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(&(_, run)) = harness::HARNESSES.iter().find(|(n, _)| *n == name) else {
        let names: Vec<_> = harness::HARNESSES.iter().map(|(n, _)| *n).collect();
        eprintln!("usage: logmedic-fuzz HARNESS   (one of: {})", names.join(", "));
        std::process::exit(2);
    };
    afl::fuzz!(|data: &[u8]| run(data));
}
