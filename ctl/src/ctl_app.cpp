#include "ctl_app.hpp"

#include "commands.hpp"
#include "completion_scripts.hpp"
#include "ctl_error.hpp"
#include "json_text.hpp"

#include <Poco/Exception.h>

#include <algorithm>

namespace b3s::ctl {

namespace {

constexpr const char* kProgram = "b3scalectl";

std::string oneLine(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    return text;
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

CtlApp::CtlApp(CtlIo io, EnvLookup env, CtlContext::Clock clock) : ctx_(io, std::move(env), std::move(clock)) {
    root_.name = kProgram;
    root_.summary = "manage a b3scale cluster";
    root_.description =
        "b3scalectl manages b3scale through b3scaled's REST API: backends (BBB servers), frontends\n"
        "(tenants), meetings, recordings, the database schema and access tokens. Without a command\n"
        "it shows the status of the API.\n"
        "\n"
        "The API is --api, else B3SCALE_API_URL, else http://127.0.0.1:42352. The first command\n"
        "asks for b3scaled's shared secret B3SCALE_API_JWT_SECRET (or takes it from the\n"
        "environment), signs an admin token with it and keeps the token in\n"
        "~/.config/b3scale/<api>.access_token; B3SCALE_API_ACCESS_TOKEN overrides the cache.\n"
        "\n"
        "Exit codes: 0 done, 1 error, 2 wrong usage, 64 nothing to change.";
    root_.flags = {{"api", {"b"}, "URL", "b3scaled's base URL (env B3SCALE_API_URL)"}};
    root_.action = [this](const Invocation& inv) {
        ctx_.out() << helpText(inv.path, kProgram) << "\n";
        return showStatus(ctx_);
    };
    root_.subcommands = {
        showCommand(ctx_),    setCommand(ctx_),        deleteCommand(ctx_),        enableCommand(ctx_),
        disableCommand(ctx_), endCommand(ctx_),        retryCommand(ctx_),         createMeetingCommand(ctx_),
        dbCommand(ctx_),      recordingsCommand(ctx_), importCommand(ctx_),        authCommand(ctx_),
        completionsCommand(), versionCommand(ctx_),    exportOpenApiCommand(ctx_), helpCommand()};
}

CommandSpec CtlApp::helpCommand() {
    CommandSpec help;
    help.name = "help";
    help.aliases = {"h"};
    help.summary = "show help for a command";
    help.args_usage = "[command…]";
    help.max_args = 8;
    help.action = [this](const Invocation& inv) {
        std::vector<const CommandSpec*> path{&root_};
        for (const auto& word : inv.args) {
            const CommandSpec* sub = path.back()->findSubcommand(word);
            if (sub == nullptr) throw UsageError("no command '" + word + "' to show help for");
            path.push_back(sub);
        }
        ctx_.out() << helpText(path, kProgram);
        return kExitOk;
    };
    return help;
}

CommandSpec CtlApp::completionsCommand() {
    CommandSpec completions;
    completions.name = "completions";
    completions.summary = "print a shell completion script";
    completions.description =
        "Prints a completion script for bash or zsh. Load it with\n"
        "  eval \"$(b3scalectl completions bash)\"\n"
        "in ~/.bashrc (or zsh after compinit). Backend hosts and frontend keys are completed from\n"
        "the API when b3scalectl is authorized.";
    CommandSpec bash;
    bash.name = "bash";
    bash.summary = "completion for bash";
    bash.action = [this](const Invocation&) {
        ctx_.out() << bashCompletionScript();
        return kExitOk;
    };
    CommandSpec zsh;
    zsh.name = "zsh";
    zsh.summary = "completion for zsh";
    zsh.action = [this](const Invocation&) {
        ctx_.out() << zshCompletionScript();
        return kExitOk;
    };
    completions.subcommands = {bash, zsh};
    return completions;
}

std::vector<std::string> CtlApp::dynamicCandidates(const std::string& command_path) {
    const bool hosts =
        endsWith(command_path, "backend") || command_path == "end meetings" || endsWith(command_path, "--backend");
    const bool keys = endsWith(command_path, "frontend") || endsWith(command_path, "--frontend");
    if (!hosts && !keys) return {};
    std::vector<std::string> out;
    try {
        auto api = ctx_.apiIfAuthorized();
        if (!api) return {};
        const auto list = api->get(hosts ? "backends" : "frontends").array();
        for (std::size_t i = 0; i < list->size(); ++i)
            out.push_back(
                stringMember(objectMember(list->getObject(static_cast<unsigned>(i)), "bbb"), hosts ? "host" : "key"));
    } catch (const std::exception&) {
        return {};  // completion stays quiet: no server, no token, no candidates
    }
    return out;
}

int CtlApp::complete(const std::vector<std::string>& words, const std::string& current) {
    // --api given on the line decides where hosts and keys come from.
    Invocation settings;
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        if (words[i] == "--api" || words[i] == "-b") settings.flags["api"] = {words[i + 1]};
    try {
        ctx_.configure(settings);
    } catch (const std::exception&) {
        return kExitOk;
    }
    for (const auto& candidate : completionCandidates(
             root_, words, current, [this](const std::string& path) { return dynamicCandidates(path); }))
        ctx_.out() << candidate << "\n";
    return kExitOk;
}

int CtlApp::dispatch(const std::vector<std::string>& args) {
    if (!args.empty() && args.front() == "__complete") {
        std::vector<std::string> words(args.begin() + 1, args.end());
        std::string current;
        if (words.size() >= 2 && words[words.size() - 2] == "--") {
            current = words.back();
            words.resize(words.size() - 2);
        }
        return complete(words, current);
    }
    if (!args.empty() && args.back() == "--generate-bash-completion")  // b3scale's scripts
        return complete(std::vector<std::string>(args.begin(), args.end() - 1), "");

    const Invocation inv = parseCommandLine(root_, args);
    if (inv.help) {
        ctx_.out() << helpText(inv.path, kProgram);
        return kExitOk;
    }
    ctx_.configure(inv);
    return inv.command().action(inv);
}

int CtlApp::run(const std::vector<std::string>& args) {
    auto fail = [this](const std::string& message) {
        ctx_.out().flush();
        ctx_.err() << "error: " << oneLine(message) << "\n";
        ctx_.err().flush();
        return kExitError;
    };
    try {
        const int code = dispatch(args);
        ctx_.out().flush();
        return code;
    } catch (const UsageError& e) {
        ctx_.out().flush();
        ctx_.err() << "usage error: " << oneLine(e.what()) << "; see '" << kProgram
                   << (e.commandPath().empty() ? "" : " " + e.commandPath()) << " --help'\n";
        ctx_.err().flush();
        return kExitUsage;
    } catch (const ApiError& e) {
        if (e.status() != 401) return fail(e.what());
        std::string hint;
        if (ctx_.env()("B3SCALE_API_ACCESS_TOKEN"))
            hint = "; check B3SCALE_API_ACCESS_TOKEN";
        else if (ctx_.tokenFromCache())
            hint = "; run 'b3scalectl auth authorize' again (the cached token is " + ctx_.tokenCache().path().string() +
                   ")";
        return fail(e.what() + hint);
    } catch (const CtlError& e) {
        return fail(e.what());
    } catch (const Poco::Exception& e) {
        return fail(e.displayText());
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace b3s::ctl
