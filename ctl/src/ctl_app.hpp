#pragma once
// b3scalectl as a whole: the command tree, and one run from arguments to exit code. Errors
// end as exactly one line on stderr: usage errors exit 2, failures 1, "no change" 64.

#include "command_line.hpp"
#include "ctl_context.hpp"

#include <string>
#include <vector>

namespace b3s::ctl {

class CtlApp {
public:
    CtlApp(
        CtlIo io, EnvLookup env, CtlContext::Clock clock = [] { return WallClock::now(); });
    CtlApp(const CtlApp&) = delete;
    CtlApp& operator=(const CtlApp&) = delete;

    /// Runs the command in `args` (without argv[0]) and returns the exit code. Never throws.
    int run(const std::vector<std::string>& args);

    const CommandSpec& commands() const { return root_; }

private:
    int dispatch(const std::vector<std::string>& args);
    int complete(const std::vector<std::string>& words, const std::string& current);
    std::vector<std::string> dynamicCandidates(const std::string& command_path);
    CommandSpec helpCommand();
    CommandSpec completionsCommand();

    CtlContext ctx_;
    CommandSpec root_;
};

}  // namespace b3s::ctl
