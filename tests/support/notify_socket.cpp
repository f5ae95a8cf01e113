#include "notify_socket.hpp"

#include "temp_dir.hpp"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace b3s::test {

bool NotifyMessage::has(const std::string& assignment) const {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line == assignment) return true;
    return false;
}

NotifySocket::NotifySocket() {
    path_ = makeTempDir("notify") / "notify.sock";
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string p = path_.string();
    if (p.size() >= sizeof address.sun_path) throw std::runtime_error("notify socket path too long: " + p);
    std::memcpy(address.sun_path, p.c_str(), p.size() + 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
    const int on = 1;
    if (::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0)
        throw std::runtime_error(std::string("SO_PASSCRED: ") + std::strerror(errno));
}

NotifySocket::~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

std::optional<NotifyMessage> NotifySocket::receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char data[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec iov{data, sizeof data};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(fd_, &msg, 0);
    if (n < 0) return std::nullopt;
    NotifyMessage message;
    message.text.assign(data, static_cast<std::size_t>(n));
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            ucred credentials{};
            std::memcpy(&credentials, CMSG_DATA(c), sizeof credentials);
            message.pid = credentials.pid;
        }
    }
    return message;
}

std::optional<NotifyMessage> NotifySocket::waitFor(const std::string& assignment, std::chrono::milliseconds timeout,
                                                   std::vector<NotifyMessage>* seen) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto message = receive(left);
        if (!message) return std::nullopt;
        if (seen) seen->push_back(*message);
        if (message->has(assignment)) return message;
    }
}

}  // namespace b3s::test
