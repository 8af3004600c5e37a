//! `cfnkit`: the command line for template files written by anyone.
//! See the crate docs of `cfn_cli` for the commands and exit codes.

fn main() -> std::process::ExitCode {
    cfn_cli::run_files(std::env::args_os())
}
