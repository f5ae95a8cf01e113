#include "secret_input.hpp"

#include <termios.h>
#include <unistd.h>

namespace b3s::ctl {

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// Switches terminal echo off for its lifetime (restored even when reading throws).
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) != 0) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

}  // namespace

SecretInput::SecretInput(std::istream& in, int in_fd, std::ostream& prompt_out)
    : in_(in), in_fd_(in_fd), prompt_out_(prompt_out) {}

bool SecretInput::interactive() const {
    return in_fd_ >= 0 && ::isatty(in_fd_) == 1;
}

std::string SecretInput::read(const std::string& prompt) {
    std::string line;
    if (interactive()) {
        prompt_out_ << prompt << std::flush;
        EchoOff quiet(in_fd_);
        std::getline(in_, line);
    } else {
        std::getline(in_, line);
    }
    return trimmed(line);
}

}  // namespace b3s::ctl
