#include "command_line.hpp"

#include "ctl_error.hpp"

#include <algorithm>
#include <sstream>

namespace b3s::ctl {

namespace {

std::string joinPath(const std::vector<const CommandSpec*>& path) {
    std::string out;
    for (std::size_t i = 1; i < path.size(); ++i) {
        if (!out.empty()) out += ' ';
        out += path[i]->name;
    }
    return out;
}

bool isShort(const std::string& name) {
    return name.size() == 1;
}

std::string dashed(const std::string& name) {
    return (isShort(name) ? "-" : "--") + name;
}

/// The flag called `name` (name or alias) on the nearest command of `path`, or nullptr.
const FlagSpec* findFlag(const std::vector<const CommandSpec*>& path, const std::string& name) {
    for (auto it = path.rbegin(); it != path.rend(); ++it)
        for (const auto& flag : (*it)->flags)
            if (flag.name == name || std::find(flag.aliases.begin(), flag.aliases.end(), name) != flag.aliases.end())
                return &flag;
    return nullptr;
}

std::optional<bool> parseSwitchValue(const std::string& text) {
    if (text == "true" || text == "1" || text == "yes") return true;
    if (text == "false" || text == "0" || text == "no") return false;
    return std::nullopt;
}

bool looksLikeFlag(const std::string& word) {
    return word.size() > 1 && word[0] == '-';
}

struct FlagWord {
    std::string name;
    std::optional<std::string> inline_value;
};

FlagWord splitFlagWord(const std::string& word) {
    const std::size_t dashes = word.rfind("--", 0) == 0 ? 2 : 1;
    std::string body = word.substr(dashes);
    FlagWord out;
    if (const auto eq = body.find('='); eq != std::string::npos) {
        out.inline_value = body.substr(eq + 1);
        body.resize(eq);
    }
    out.name = std::move(body);
    return out;
}

std::string subcommandList(const CommandSpec& command) {
    std::string out;
    for (const auto& sub : command.subcommands) {
        if (sub.hidden) continue;
        if (!out.empty()) out += ", ";
        out += sub.name;
    }
    return out;
}

}  // namespace

const CommandSpec* CommandSpec::findSubcommand(const std::string& word) const {
    for (const auto& sub : subcommands)
        if (sub.name == word || std::find(sub.aliases.begin(), sub.aliases.end(), word) != sub.aliases.end())
            return &sub;
    return nullptr;
}

std::string Invocation::commandPath() const {
    return joinPath(path);
}

bool Invocation::isSet(const std::string& name) const {
    return flags.count(name) != 0;
}

bool Invocation::flag(const std::string& name) const {
    const auto v = value(name);
    return v && *v == "true";
}

std::optional<std::string> Invocation::value(const std::string& name) const {
    const auto it = flags.find(name);
    if (it == flags.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Invocation::values(const std::string& name) const {
    const auto it = flags.find(name);
    return it == flags.end() ? std::vector<std::string>{} : it->second;
}

Invocation parseCommandLine(const CommandSpec& root, const std::vector<std::string>& words) {
    Invocation inv;
    inv.path.push_back(&root);
    bool flags_done = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (!flags_done && word == "--") {
            flags_done = true;
            continue;
        }
        if (!flags_done && looksLikeFlag(word)) {
            if (word == "-h" || word == "--help" || word == "-help") {
                inv.help = true;
                continue;
            }
            const FlagWord parsed = splitFlagWord(word);
            const FlagSpec* spec = findFlag(inv.path, parsed.name);
            if (spec == nullptr) {
                const std::string where = inv.commandPath();
                throw UsageError(
                    "unknown flag " + word.substr(0, word.find('=')) + (where.empty() ? "" : " for '" + where + "'"),
                    where);
            }
            std::string value;
            if (spec->value_name.empty()) {
                value = "true";
                if (parsed.inline_value) {
                    const auto b = parseSwitchValue(*parsed.inline_value);
                    if (!b) throw UsageError("flag --" + spec->name + " takes no value", inv.commandPath());
                    value = *b ? "true" : "false";
                }
            } else if (parsed.inline_value) {
                value = *parsed.inline_value;
            } else if (i + 1 < words.size()) {
                value = words[++i];
            } else {
                throw UsageError("flag --" + spec->name + " needs a value (" + spec->value_name + ")",
                                 inv.commandPath());
            }
            auto& values = inv.flags[spec->name];
            if (!spec->repeatable) values.clear();
            values.push_back(std::move(value));
            continue;
        }
        if (inv.args.empty()) {
            if (const CommandSpec* sub = inv.command().findSubcommand(word); sub != nullptr) {
                inv.path.push_back(sub);
                continue;
            }
            if (!inv.command().subcommands.empty() && inv.command().max_args == 0) {
                const std::string where = inv.commandPath();
                throw UsageError("unknown command '" + word + "'" + (where.empty() ? "" : " for '" + where + "'") +
                                     "; choose one of: " + subcommandList(inv.command()),
                                 where);
            }
        }
        inv.args.push_back(word);
    }
    if (inv.help) return inv;

    const CommandSpec& leaf = inv.command();
    const std::string where = inv.commandPath();
    if (!leaf.action) throw UsageError("'" + where + "' needs a sub-command: " + subcommandList(leaf), where);
    if (inv.args.size() < leaf.min_args)
        throw UsageError("'" + where + "' needs " + (leaf.args_usage.empty() ? "an argument" : leaf.args_usage), where);
    if (inv.args.size() > leaf.max_args)
        throw UsageError("unexpected argument '" + inv.args[leaf.max_args] + "' for '" + where + "'", where);
    for (const auto* command : inv.path)
        for (const auto& flag : command->flags)
            if (flag.required && !inv.isSet(flag.name))
                throw UsageError("'" + where + "' needs --" + flag.name + " " + flag.value_name, where);
    return inv;
}

namespace {

std::string flagLabel(const FlagSpec& flag) {
    std::vector<std::string> names;
    for (const auto& alias : flag.aliases)
        if (isShort(alias)) names.push_back(dashed(alias));
    names.push_back("--" + flag.name);
    for (const auto& alias : flag.aliases)
        if (!isShort(alias)) names.push_back(dashed(alias));
    std::string label;
    for (const auto& n : names) label += (label.empty() ? "" : ", ") + n;
    if (!flag.value_name.empty()) label += " " + flag.value_name;
    return label;
}

void writeRows(std::ostringstream& out, const std::vector<std::pair<std::string, std::string>>& rows) {
    std::size_t width = 0;
    for (const auto& row : rows) width = std::max(width, row.first.size());
    for (const auto& [left, right] : rows) {
        out << "  " << left;
        if (!right.empty()) out << std::string(width - left.size() + 3, ' ') << right;
        out << '\n';
    }
}

void collectFlags(const CommandSpec& command, std::vector<std::pair<std::string, std::string>>& rows) {
    for (const auto& flag : command.flags) {
        if (flag.hidden) continue;
        std::string help = flag.help;
        if (flag.required) help += " (required)";
        if (flag.repeatable) help += " (repeatable)";
        rows.emplace_back(flagLabel(flag), help);
    }
}

}  // namespace

std::string helpText(const std::vector<const CommandSpec*>& path, const std::string& program) {
    const CommandSpec& leaf = *path.back();
    std::ostringstream out;
    out << "Usage: " << program;
    for (std::size_t i = 1; i < path.size(); ++i) out << ' ' << path[i]->name;
    if (!leaf.subcommands.empty()) out << (leaf.action ? " [command]" : " <command>");
    if (!leaf.args_usage.empty()) out << ' ' << leaf.args_usage;
    out << " [flags]\n";
    if (!leaf.aliases.empty()) {
        out << "Aliases: " << leaf.name;
        for (const auto& alias : leaf.aliases) out << ", " << alias;
        out << '\n';
    }
    out << '\n' << (leaf.description.empty() ? leaf.summary : leaf.description) << '\n';

    std::vector<std::pair<std::string, std::string>> commands;
    for (const auto& sub : leaf.subcommands) {
        if (sub.hidden) continue;
        std::string label = sub.name;
        for (const auto& alias : sub.aliases) label += ", " + alias;
        if (!sub.args_usage.empty()) label += " " + sub.args_usage;
        commands.emplace_back(label, sub.summary);
    }
    if (!commands.empty()) {
        out << "\nCommands:\n";
        writeRows(out, commands);
    }
    std::vector<std::pair<std::string, std::string>> own;
    collectFlags(leaf, own);
    own.emplace_back("-h, --help", "show this help");
    out << "\nFlags:\n";
    writeRows(out, own);
    std::vector<std::pair<std::string, std::string>> inherited;
    for (std::size_t i = path.size() - 1; i-- > 0;) collectFlags(*path[i], inherited);
    if (!inherited.empty()) {
        out << "\nFlags of enclosing commands (accepted here too):\n";
        writeRows(out, inherited);
    }
    if (!leaf.subcommands.empty()) {
        out << "\nRun '" << program;
        for (std::size_t i = 1; i < path.size(); ++i) out << ' ' << path[i]->name;
        out << " <command> --help' for more about a command.\n";
    }
    return out.str();
}

std::vector<std::string> completionCandidates(
    const CommandSpec& root, const std::vector<std::string>& words, const std::string& current,
    const std::function<std::vector<std::string>(const std::string& command_path)>& dynamic) {
    std::vector<const CommandSpec*> path{&root};
    std::size_t args = 0;
    const FlagSpec* pending_value = nullptr;  // the previous word is a flag that wants a value
    for (const auto& word : words) {
        if (pending_value != nullptr) {
            pending_value = nullptr;
            continue;
        }
        if (looksLikeFlag(word)) {
            const FlagWord parsed = splitFlagWord(word);
            const FlagSpec* spec = findFlag(path, parsed.name);
            if (spec != nullptr && !spec->value_name.empty() && !parsed.inline_value) pending_value = spec;
            continue;
        }
        if (args == 0)
            if (const CommandSpec* sub = path.back()->findSubcommand(word); sub != nullptr) {
                path.push_back(sub);
                continue;
            }
        ++args;
    }

    std::vector<std::string> candidates;
    const CommandSpec& leaf = *path.back();
    const std::string where = joinPath(path);
    if (pending_value != nullptr) {
        if (dynamic) candidates = dynamic(where + " --" + pending_value->name);
    } else if (!current.empty() && current[0] == '-') {
        for (auto it = path.rbegin(); it != path.rend(); ++it)
            for (const auto& flag : (*it)->flags)
                if (!flag.hidden) candidates.push_back("--" + flag.name);
        candidates.push_back("--help");
    } else {
        if (args == 0)
            for (const auto& sub : leaf.subcommands)
                if (!sub.hidden) candidates.push_back(sub.name);
        if (args < leaf.max_args && dynamic) {
            auto more = dynamic(where);
            candidates.insert(candidates.end(), more.begin(), more.end());
        }
    }
    std::erase_if(candidates, [&](const std::string& c) { return c.rfind(current, 0) != 0; });
    return candidates;
}

}  // namespace b3s::ctl
