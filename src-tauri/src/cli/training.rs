//! `veil training report`: completion and scores per module, for a
//! supervisor (this account's store; Veil need not run).

use std::process::ExitCode;

use veil_core::training::report::ReportFormat;
use veil_os::paths::Paths;

use super::TrainingCmd;

pub fn run(paths: &Paths, cmd: TrainingCmd) -> ExitCode {
    match cmd {
        TrainingCmd::Report { format } => {
            let format = match format {
                super::ReportFormatArg::Csv => ReportFormat::Csv,
                super::ReportFormatArg::Json => ReportFormat::Json,
            };
            match crate::training::report_text(paths, format) {
                Ok((text, skipped)) => {
                    for e in &skipped {
                        eprintln!("veil: training module skipped: {e}");
                    }
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("veil: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
