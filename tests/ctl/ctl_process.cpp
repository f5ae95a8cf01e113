#include "ctl_process.hpp"

#include "child_spawn.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace b3s::ctl::test {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path freshDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    const fs::path dir =
        fs::temp_directory_path() / ("b3s-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

int CtlRun::errLines() const {
    int n = 0;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) ++n;
    return n;
}

CtlProcess::CtlProcess() : home_(freshDir("ctl-home")) {}

CtlProcess::~CtlProcess() {
    std::error_code ec;
    fs::remove_all(home_, ec);
}

CtlRun CtlProcess::run(const std::vector<std::string>& args, const std::string& input,
                       std::chrono::seconds timeout) const {
    const fs::path io = freshDir("ctl-io");
    { std::ofstream(io / "stdin") << input; }
    const pid_t pid =
        b3s::test::spawnChild({B3S_CTL_PATH, args, env_, home_, io / "stdin", io / "stdout", io / "stderr"});

    CtlRun run;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            run.code = -1;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    run.out = slurp(io / "stdout");
    run.err = slurp(io / "stderr");
    std::error_code ec;
    fs::remove_all(io, ec);
    return run;
}

}  // namespace b3s::ctl::test
