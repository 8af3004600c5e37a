//! Asking and printing on the terminal for the deploy lifecycle: the
//! yes/no prompt (Ctrl-C seen at once), the progress printer, the summary
//! of several stacks.

use crate::Failure;
use cfn_deploy::{Interrupt, Progress};
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

/// What the user answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    Yes,
    No,
    NotTerminal,
    Interrupted,
}

/// Asks on the terminal; reads on a thread so that Ctrl-C is seen at once.
pub(crate) fn prompt(question: &str, interrupt: &Interrupt) -> Answer {
    if !std::io::stdin().is_terminal() {
        return Answer::NotTerminal;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let ok = std::io::stdin().lock().read_line(&mut line).is_ok();
        let _ = tx.send(ok.then_some(line));
    });
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(l)) if matches!(l.trim(), "y" | "Y" | "yes" | "YES") => return Answer::Yes,
            Ok(_) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Answer::No,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if interrupt.is_triggered() {
                    eprintln!();
                    return Answer::Interrupted;
                }
            }
        }
    }
}

pub(crate) fn not_executed(stack: &str, answer: Answer, what: &str, flag: &str) -> Failure {
    Failure::NotExecuted(match answer {
        Answer::NotTerminal => format!(
            "{stack}: {what} not executed: standard input is not a terminal; pass {flag} to execute without asking"
        ),
        _ => format!("{stack}: {what} not executed: declined"),
    })
}

/// Prints what a deploy, plan or destroy reports.
pub(crate) fn printer(color: bool, plan_json: bool) -> impl FnMut(Progress<'_>) + Send {
    move |p| match p {
        Progress::Plan(plan) if !plan_json => print!("{}", plan.render_text(color)),
        Progress::Plan(_) => {}
        Progress::Event(e) => eprintln!("{e}"),
        Progress::Notice(n) => eprintln!("{}", n.trim_end()),
        Progress::Count {
            done,
            total,
            elapsed,
        } => eprintln!("{}", count_text(done, total, elapsed)),
        #[allow(unreachable_patterns)]
        _ => {}
    }
}

/// The progress line of a stack operation.
fn count_text(done: usize, total: usize, elapsed: Duration) -> String {
    let s = elapsed.as_secs();
    format!(
        "  {done} of {total} resources, {}m{:02}s elapsed",
        s / 60,
        s % 60
    )
}

pub(crate) fn summary_of(f: &Failure) -> String {
    let first = match f {
        Failure::Check(m)
        | Failure::Input(m)
        | Failure::Usage(m)
        | Failure::NotExecuted(m)
        | Failure::Interrupted(m) => m.lines().next().unwrap_or_default(),
    };
    format!("failed (exit {}): {first}", f.code())
}

/// The summary of several stacks: one row each.
pub(crate) fn summary_table(rows: &[(String, String, Duration)]) -> String {
    let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(5).max(5);
    let mut s = format!("\n{:<w$}  {:>8}  outcome\n", "stack", "duration");
    for (name, outcome, d) in rows {
        s.push_str(&format!(
            "{name:<w$}  {:>7.1}s  {outcome}\n",
            d.as_secs_f64()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_line_says_n_of_m_and_elapsed_time() {
        assert_eq!(
            count_text(3, 12, Duration::from_millis(75_400)),
            "  3 of 12 resources, 1m15s elapsed"
        );
    }

    #[test]
    fn summary_table_rows() {
        let t = summary_table(&[
            (
                "raven-dev".into(),
                "created".into(),
                Duration::from_millis(1500),
            ),
            (
                "raven-staging".into(),
                "failed (exit 1): boom".into(),
                Duration::ZERO,
            ),
        ]);
        assert_eq!(
            t,
            "\nstack          duration  outcome\nraven-dev          1.5s  created\nraven-staging      0.0s  failed (exit 1): boom\n"
        );
    }
}
