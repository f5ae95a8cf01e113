#pragma once
// b3scaleagent's command line: b3scale's flags (`-a`, `-register`) plus the usual GNU
// spellings, --help and --version. Everything else is configured by environment variables.

#include <stdexcept>
#include <string>
#include <vector>

namespace b3s::agent {

struct CommandLine {
    bool register_backend = false;  ///< -a, --register: register the backend when b3scaled knows none
    bool help = false;
    bool version = false;
};

/// A command line the agent cannot run with; the message says what was wrong (exit 64).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses the arguments (without argv[0]). Throws UsageError for an unknown option or an
/// operand. Pure.
CommandLine parseCommandLine(const std::vector<std::string>& args);

/// The --help text: usage, options, environment variables, exit codes.
std::string helpText();

/// "b3scaleagent <version> (<build>)".
std::string versionText();

/// "b3scaleagent/<version>", the User-Agent of every request.
std::string userAgent();

}  // namespace b3s::agent
