#pragma once
// Runs the real b3scalectl binary as a child process, the way an operator's shell would: an
// exact environment (nothing inherited but PATH and LANG), its own HOME, stdin from a string,
// stdout and stderr captured, and the exit code.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace b3s::ctl::test {

struct CtlRun {
    int code = -1;  ///< exit code; 128+signal when killed; -1 when it did not end in time
    std::string out;
    std::string err;
    /// Non-empty lines of stderr.
    int errLines() const;
};

class CtlProcess {
public:
    /// A fresh HOME (and working directory) for every instance.
    CtlProcess();
    ~CtlProcess();

    std::map<std::string, std::string>& env() { return env_; }
    const std::filesystem::path& home() const { return home_; }

    /// Runs `b3scalectl args…` to completion with `input` on stdin.
    CtlRun run(const std::vector<std::string>& args, const std::string& input = "",
               std::chrono::seconds timeout = std::chrono::seconds(60)) const;

private:
    std::filesystem::path home_;
    std::map<std::string, std::string> env_;
};

}  // namespace b3s::ctl::test
