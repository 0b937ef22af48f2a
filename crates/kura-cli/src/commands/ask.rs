//! `--if-exists ask`: asks on the terminal, once per existing target, before anything is
//! transferred (answers are read from standard input, so they can also be piped in).

use std::io::{BufRead, Write};
use std::sync::Arc;

use kura_core::progress::{Conflict, ConflictFn};
use kura_core::storage::conflict::ConflictPolicy;

const PROMPT: &str = "[o]verwrite, [s]kip, [r]ename (keep both); O/S/R = same for all the rest; [q]uit";

/// The answer to one question: a policy, optionally for all remaining conflicts.
fn parse_answer(line: &str) -> Option<(ConflictPolicy, bool)> {
    match line.trim() {
        "o" | "overwrite" => Some((ConflictPolicy::Overwrite, false)),
        "s" | "skip" => Some((ConflictPolicy::Skip, false)),
        "r" | "rename" => Some((ConflictPolicy::Rename, false)),
        "O" => Some((ConflictPolicy::Overwrite, true)),
        "S" => Some((ConflictPolicy::Skip, true)),
        "R" => Some((ConflictPolicy::Rename, true)),
        _ => None,
    }
}

/// Asks about each conflict on stderr/stdin. `q` or the end of input cancels the transfer.
fn ask_all(conflicts: &[Conflict]) -> Option<Vec<ConflictPolicy>> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut answers = Vec::with_capacity(conflicts.len());
    let mut for_all = None;
    for c in conflicts {
        if let Some(p) = for_all {
            answers.push(p);
            continue;
        }
        loop {
            eprint!("{} already exists: {PROMPT}? ", crate::output::shown(&c.target));
            let _ = std::io::stderr().flush();
            let Some(Ok(line)) = lines.next() else {
                eprintln!("\nno answer (end of input); nothing was transferred");
                return None;
            };
            if line.trim() == "q" {
                return None;
            }
            match parse_answer(&line) {
                Some((p, all)) => {
                    answers.push(p);
                    if all {
                        for_all = Some(p);
                    }
                    break;
                }
                None => eprintln!("please answer o, s, r, O, S, R or q"),
            }
        }
    }
    Some(answers)
}

/// The conflict question for `--if-exists ask`.
pub(super) fn on_conflict() -> ConflictFn {
    Arc::new(|conflicts: Vec<Conflict>| {
        Box::pin(async move {
            tokio::task::spawn_blocking(move || ask_all(&conflicts))
                .await
                .ok()
                .flatten()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse() {
        assert_eq!(parse_answer("o\n"), Some((ConflictPolicy::Overwrite, false)));
        assert_eq!(parse_answer(" R "), Some((ConflictPolicy::Rename, true)));
        assert_eq!(parse_answer("yes"), None);
    }
}
