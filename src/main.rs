fn main() {
    std::process::exit(backchannel::command_line());
}
