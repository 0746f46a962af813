fn main() {
    eprintln!("ecsimg: the terminal UI is not built yet");
    std::process::exit(1);
}
