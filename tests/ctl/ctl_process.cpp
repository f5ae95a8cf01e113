#include "ctl_process.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
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
    std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + home_.string()};
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* value = std::getenv(name)) env_strings.push_back(std::string(name) + "=" + value);
    for (const auto& [k, v] : env_) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<std::string> argv_strings = {B3S_CTL_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, (io / "stdin").c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, (io / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (io / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, home_.c_str());
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, B3S_CTL_PATH, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error(std::string("cannot start b3scalectl: ") + std::strerror(rc));

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
