#pragma once
// How a b3scalectl command fails. main() turns each kind into one line on stderr and an exit
// code: UsageError 2, CtlError 1, NoChange 64 (b3scale's "nothing to change").

#include <stdexcept>
#include <string>

namespace b3s::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoChange = 64;

/// The command line is wrong (unknown flag, missing argument, malformed value). The message
/// names the offending word; main() adds where to find help.
class UsageError : public std::runtime_error {
public:
    UsageError(const std::string& message, std::string command_path = {})
        : std::runtime_error(message), command_path_(std::move(command_path)) {}
    /// The command whose --help explains the usage ("show backends"), may be empty.
    const std::string& commandPath() const noexcept { return command_path_; }

private:
    std::string command_path_;
};

/// The command could not do its job (API error, unreachable server, unknown resource). The
/// message is one sentence without secrets.
class CtlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace b3s::ctl
