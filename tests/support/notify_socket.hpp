#pragma once
// The receiving end of sd_notify(3), as systemd holds it: a unix datagram socket (its path
// goes into the child's NOTIFY_SOCKET) with SO_PASSCRED, so each message comes with the pid
// the kernel vouches for (systemd's NotifyAccess=main checks exactly that).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace b3s::test {

struct NotifyMessage {
    pid_t pid = 0;
    std::string text;                               ///< "READY=1\nSTATUS=…"
    bool has(const std::string& assignment) const;  ///< one of the lines is exactly `assignment`
};

class NotifySocket {
public:
    /// Binds a fresh socket in a new temp dir. Throws std::runtime_error.
    NotifySocket();
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    std::string path() const { return path_.string(); }
    /// The next message, or nullopt when none came within `timeout`.
    std::optional<NotifyMessage> receive(std::chrono::milliseconds timeout);
    /// Receives until a message has the line `assignment`; every message read on the way is
    /// appended to `seen` (when given). nullopt on timeout.
    std::optional<NotifyMessage> waitFor(const std::string& assignment, std::chrono::milliseconds timeout,
                                         std::vector<NotifyMessage>* seen = nullptr);

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace b3s::test
