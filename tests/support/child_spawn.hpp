#pragma once
// Starts a program under test as a child with a clean environment (PATH, LANG, HOME, the
// sanitizer options of this run, then the test's variables) and its standard streams on files.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace b3s::test {

struct ChildSpec {
    std::string exe;
    std::vector<std::string> args;           ///< without argv[0]
    std::map<std::string, std::string> env;  ///< on top of PATH, LANG, HOME and *SAN_OPTIONS
    std::filesystem::path home;              ///< HOME, and the working directory
    std::filesystem::path stdin_path = "/dev/null";
    std::filesystem::path stdout_path;
    std::filesystem::path stderr_path;
};

/// The child's pid; throws std::runtime_error when it cannot be started.
pid_t spawnChild(const ChildSpec& spec);

}  // namespace b3s::test
