fn main() {
    std::process::exit(gov_report_lsp_main());
}

fn gov_report_lsp_main() -> i32 {
    0
}
