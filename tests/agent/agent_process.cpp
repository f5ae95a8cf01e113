#include "agent_process.hpp"

#include "child_spawn.hpp"
#include "temp_dir.hpp"

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/wait.h>

namespace b3s::agent::test {
namespace {

std::string fileText(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::filesystem::path agentPath() {
    return B3S_AGENT_PATH;
}

AgentProcess::AgentProcess(std::map<std::string, std::string> env, std::vector<std::string> args)
    : dir_(b3s::test::makeTempDir("b3scaleagent")) {
    pid_ = b3s::test::spawnChild(
        {agentPath().string(), std::move(args), std::move(env), dir_, "/dev/null", dir_ / "stdout", dir_ / "stderr"});
}

AgentProcess::~AgentProcess() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::seconds(5));
    }
}

void AgentProcess::signal(int sig) {
    if (!exit_code_) ::kill(pid_, sig);
}

bool AgentProcess::running() {
    if (exit_code_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

std::optional<int> AgentProcess::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exit_code_;
}

std::string AgentProcess::log() const {
    return fileText(dir_ / "stderr");
}

std::string AgentProcess::out() const {
    return fileText(dir_ / "stdout");
}

bool AgentProcess::logged(const std::string& event) const {
    return log().find("\"message\":\"" + event + "\"") != std::string::npos;
}

int AgentProcess::countLogged(const std::string& event) const {
    const auto text = log();
    const std::string needle = "\"message\":\"" + event + "\"";
    int n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

bool AgentProcess::waitLogged(const std::string& event, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (logged(event)) return true;
        if (!running()) return logged(event);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return logged(event);
}

}  // namespace b3s::agent::test
