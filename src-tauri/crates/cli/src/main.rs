//! The `papersift` command: see `papersift --help`.

fn main() {
    // Before any thread starts: ONNX Runtime sends nothing home (see the function).
    papersift_embed::disable_telemetry();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    // Not locked for the whole run: `mcp` writes its protocol through its own handle.
    let mut out = std::io::stdout();
    if let Err(e) = papersift_cli::run(std::env::args_os(), &mut out) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
