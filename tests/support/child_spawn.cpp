#include "child_spawn.hpp"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <spawn.h>

namespace b3s::test {

pid_t spawnChild(const ChildSpec& spec) {
    std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + spec.home.string()};
    // Sanitizer settings (suppressions, halt_on_error) must reach the child under test.
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* value = std::getenv(name)) env_strings.push_back(std::string(name) + "=" + value);
    for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<std::string> argv_strings = {spec.exe};
    argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, spec.stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, spec.home.c_str());
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, spec.exe.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + spec.exe + ": " + std::strerror(rc));
    return pid;
}

}  // namespace b3s::test
