#pragma once
// The real b3scaleagent binary as a child process: an exact environment (nothing inherited
// but PATH, LANG and HOME), stderr captured (its log), the exit code.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace b3s::agent::test {

class AgentProcess {
public:
    AgentProcess(std::map<std::string, std::string> env, std::vector<std::string> args = {});
    ~AgentProcess();
    AgentProcess(const AgentProcess&) = delete;
    AgentProcess& operator=(const AgentProcess&) = delete;

    void signal(int sig);
    bool running();
    /// The exit code (128+signal when killed), nullopt when it did not end in time.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    std::string log() const;
    std::string out() const;
    /// Whether a log line with this event key ("message") has been written.
    bool logged(const std::string& event) const;
    /// How many lines with this event key.
    int countLogged(const std::string& event) const;
    /// Waits until logged(event) or the process ended or the timeout passed.
    bool waitLogged(const std::string& event, std::chrono::milliseconds timeout = std::chrono::seconds(20));

private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::filesystem::path dir_;
};

/// The built b3scaleagent.
std::filesystem::path agentPath();

}  // namespace b3s::agent::test
