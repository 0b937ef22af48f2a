//! Questions for `kura profile add` / `import`: asked on stderr, answers read from stdin one
//! line each (so they can be piped in). At the end of input nothing more is asked.

use std::io::{BufRead, Write};

/// Reads answers from stdin.
pub(super) struct Prompt {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
    eof: bool,
}

impl Prompt {
    pub(super) fn stdin() -> Prompt {
        Prompt {
            lines: std::io::stdin().lock().lines(),
            eof: false,
        }
    }

    /// True once stdin has ended.
    pub(super) fn at_eof(&self) -> bool {
        self.eof
    }

    /// Asks `question`; the trimmed answer, or `None` at the end of input.
    pub(super) fn ask(&mut self, question: &str) -> Option<String> {
        if self.eof {
            return None;
        }
        eprint!("{question}: ");
        let _ = std::io::stderr().flush();
        match self.lines.next() {
            Some(Ok(line)) => Some(line.trim().to_string()),
            _ => {
                eprintln!();
                self.eof = true;
                None
            }
        }
    }

    /// Asks until the answer is non-empty; `None` at the end of input.
    pub(super) fn ask_required(&mut self, question: &str) -> Option<String> {
        loop {
            match self.ask(question) {
                Some(a) if a.is_empty() => continue,
                other => return other,
            }
        }
    }

    /// A yes/no question; anything but `y`/`yes` (and the end of input) is no.
    pub(super) fn confirm(&mut self, question: &str) -> bool {
        self.ask(&format!("{question} [y/N]"))
            .is_some_and(|a| matches!(a.to_ascii_lowercase().as_str(), "y" | "yes"))
    }
}
