#pragma once
// The command tree of b3scalectl and the parser for it: verb first, object second
// (`b3scalectl rm backend <host>`), as b3scale's urfave/cli tree.
//
// Flags belong to a command and are accepted anywhere after that command's name, so a parent's
// flag may come before the sub-command (`show --json backends`, b3scale's only form) or after it
// (`show backends --json`). `--name value`, `--name=value`, `-n value` and Go's single-dash long
// form `-name` are all accepted; `--` ends the flags. `-h`/`--help` anywhere asks for the help
// of the deepest command named so far.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace b3s::ctl {

struct Invocation;

/// One flag. A flag without `value_name` is a switch (true when given, `--x=false` allowed).
struct FlagSpec {
    std::string name;                  ///< long name without dashes: "secret"
    std::vector<std::string> aliases;  ///< other names: "s" (-s), "feid" (--feid)
    std::string value_name;            ///< "SECRET"; empty for a switch
    std::string help;
    bool repeatable = false;  ///< may be given more than once (values kept in order)
    bool required = false;
    bool hidden = false;  ///< accepted, not listed in help
};

/// Runs a command; returns the exit code. Throws UsageError / CtlError.
using CommandAction = std::function<int(const Invocation&)>;

/// A command with its flags, positional arguments and sub-commands.
struct CommandSpec {
    std::string name;
    std::vector<std::string> aliases;
    std::string summary;      ///< one line for the parent's command list
    std::string args_usage;   ///< "<host>", shown in usage lines
    std::string description;  ///< paragraphs shown by --help (may be empty)
    std::vector<FlagSpec> flags;
    std::vector<CommandSpec> subcommands;
    std::size_t min_args = 0;
    std::size_t max_args = 0;
    CommandAction action;  ///< empty: a group that needs a sub-command
    bool hidden = false;   ///< not listed, not completed

    /// The sub-command called `word` (by name or alias), or nullptr.
    const CommandSpec* findSubcommand(const std::string& word) const;
};

/// What the parser found: the chain of commands, their flags and the positional arguments.
struct Invocation {
    std::vector<const CommandSpec*> path;                   ///< root first, the command to run last
    std::map<std::string, std::vector<std::string>> flags;  ///< canonical name -> values ("true" for switches)
    std::vector<std::string> args;
    bool help = false;  ///< -h/--help (or `help <command>`) was given

    const CommandSpec& command() const { return *path.back(); }
    /// "show backends" (without the program name).
    std::string commandPath() const;
    bool isSet(const std::string& flag) const;
    /// A switch's value: false when absent.
    bool flag(const std::string& name) const;
    /// The last value of a flag, or nullopt when absent.
    std::optional<std::string> value(const std::string& name) const;
    /// Every value of a repeatable flag, in order.
    std::vector<std::string> values(const std::string& name) const;
};

/// Parses `words` (without argv[0]) against `root`. Throws UsageError for an unknown flag or
/// command, a missing value, too few or too many arguments, or a missing required flag (the
/// last three are not checked when help was asked for).
Invocation parseCommandLine(const CommandSpec& root, const std::vector<std::string>& words);

/// The --help text of the last command of `invocation.path`.
std::string helpText(const std::vector<const CommandSpec*>& path, const std::string& program);

/// Candidates for the word being completed after `words` (complete words so far, without the
/// program name): sub-command names, or the flags of the command reached when `current`
/// starts with '-'. `dynamic` is asked for positional arguments of a leaf command; it gets the
/// command path ("show backend") and returns candidates (it may return none).
std::vector<std::string> completionCandidates(
    const CommandSpec& root, const std::vector<std::string>& words, const std::string& current,
    const std::function<std::vector<std::string>(const std::string& command_path)>& dynamic);

}  // namespace b3s::ctl
