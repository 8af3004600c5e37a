//! The workspace root: the Raven stack program shared by
//! `examples/raven.rs` and the tests.

use cfn_cli::{Program, Stack};

/// The Content Raven stack program: every environment of
/// [`raven_stack`], with each tier's AppSpec and hook scripts, behind the
/// whole CLI (`synth`, `validate`, `lint`, `diff`, `graph`, and `deploy` with
/// the `deploy` feature).
pub fn raven_program() -> Program<impl Fn() -> Result<Vec<Stack>, String>> {
    Program::new("raven", || {
        let envs = raven_stack::environments().map_err(|e| e.to_string())?;
        envs.iter()
            .map(|env| {
                let s = raven_stack::build(env).map_err(|e| format!("{}: {e}", env.name))?;
                let mut stack = Stack::new(s.name, env.name.clone(), s.template);
                stack.files = s.files;
                Ok(stack)
            })
            .collect()
    })
}
