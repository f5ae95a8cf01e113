#include "command_line.hpp"
#include "ctl_error.hpp"

#include <gtest/gtest.h>

namespace b3s::ctl {
namespace {

CommandSpec tree() {
    CommandSpec root;
    root.name = "b3scalectl";
    root.flags = {{"api", {"b"}, "URL", "api"}};
    root.action = [](const Invocation&) { return 0; };
    CommandSpec show;
    show.name = "show";
    show.aliases = {"s"};
    show.flags = {{"json", {}, "", "json"}};
    CommandSpec backends;
    backends.name = "backends";
    backends.action = [](const Invocation&) { return 0; };
    CommandSpec backend;
    backend.name = "backend";
    backend.args_usage = "<host>";
    backend.min_args = backend.max_args = 1;
    backend.action = [](const Invocation&) { return 0; };
    show.subcommands = {backends, backend};
    CommandSpec set;
    set.name = "set";
    set.aliases = {"update", "u", "add", "a"};
    set.flags = {{"dry", {}, "", "dry"}};
    CommandSpec set_backend;
    set_backend.name = "backend";
    set_backend.min_args = set_backend.max_args = 1;
    set_backend.flags = {{"secret", {"s"}, "SECRET", "secret"}, {"opts", {"j"}, "JSON", "opts"}};
    set_backend.action = [](const Invocation&) { return 0; };
    set.subcommands = {set_backend};
    CommandSpec cm;
    cm.name = "create-meeting";
    cm.aliases = {"cm"};
    cm.flags = {{"frontend", {"fe"}, "KEY", "", false, true}, {"param", {}, "K=V", "", true}};
    cm.action = [](const Invocation&) { return 0; };
    root.subcommands = {show, set, cm};
    return root;
}

TEST(CommandLine, ParentFlagBeforeOrAfterTheSubcommand) {
    const auto root = tree();
    for (const auto& words : std::vector<std::vector<std::string>>{
             {"show", "--json", "backends"}, {"show", "backends", "--json"}, {"s", "backends", "-json"}}) {
        const auto inv = parseCommandLine(root, words);
        EXPECT_EQ(inv.commandPath(), "show backends");
        EXPECT_TRUE(inv.flag("json"));
    }
    EXPECT_FALSE(parseCommandLine(root, {"show", "backends"}).flag("json"));
}

TEST(CommandLine, AliasesShortFlagsAndInlineValues) {
    const auto root = tree();
    const auto inv =
        parseCommandLine(root, {"-b", "http://x", "add", "--dry", "backend", "-s", "S", "-j={\"a\":1}", "h"});
    EXPECT_EQ(inv.commandPath(), "set backend");
    EXPECT_EQ(inv.value("api"), "http://x");
    EXPECT_EQ(inv.value("secret"), "S");
    EXPECT_EQ(inv.value("opts"), "{\"a\":1}");
    EXPECT_TRUE(inv.flag("dry"));
    ASSERT_EQ(inv.args.size(), 1u);
    EXPECT_EQ(inv.args[0], "h");
    EXPECT_EQ(parseCommandLine(root, {"u", "backend", "--secret=a=b", "h"}).value("secret"), "a=b");
}

TEST(CommandLine, RepeatableFlagsKeepEveryValue) {
    const auto inv = parseCommandLine(tree(), {"cm", "--fe", "k", "--param", "a=1", "--param", "b=2"});
    EXPECT_EQ(inv.values("param"), (std::vector<std::string>{"a=1", "b=2"}));
    EXPECT_EQ(inv.value("frontend"), "k");
}

TEST(CommandLine, DoubleDashEndsFlags) {
    const auto inv = parseCommandLine(tree(), {"show", "backend", "--", "--weird"});
    ASSERT_EQ(inv.args.size(), 1u);
    EXPECT_EQ(inv.args[0], "--weird");
}

TEST(CommandLine, UsageErrorsNameTheProblem) {
    const auto root = tree();
    auto message = [&](const std::vector<std::string>& words) {
        try {
            parseCommandLine(root, words);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message({"show", "backends", "--secret", "x"}), "unknown flag --secret for 'show backends'");
    EXPECT_EQ(message({"show", "nothing"}), "unknown command 'nothing' for 'show'; choose one of: backends, backend");
    EXPECT_EQ(message({"show"}), "'show' needs a sub-command: backends, backend");
    EXPECT_EQ(message({"show", "backend"}), "'show backend' needs <host>");
    EXPECT_EQ(message({"show", "backend", "a", "b"}), "unexpected argument 'b' for 'show backend'");
    EXPECT_EQ(message({"set", "backend", "h", "--secret"}), "flag --secret needs a value (SECRET)");
    EXPECT_EQ(message({"cm"}), "'create-meeting' needs --frontend KEY");
    EXPECT_EQ(message({"show", "--json=maybe", "backends"}), "flag --json takes no value");
    EXPECT_EQ(message({"frobnicate"}), "unknown command 'frobnicate'; choose one of: show, set, create-meeting");
}

TEST(CommandLine, HelpSkipsTheChecks) {
    const auto root = tree();
    for (const auto& words :
         std::vector<std::vector<std::string>>{{"show", "backend", "-h"}, {"cm", "--help"}, {"show", "--help"}}) {
        const auto inv = parseCommandLine(root, words);
        EXPECT_TRUE(inv.help);
    }
    const auto inv = parseCommandLine(root, {"set", "backend", "--help"});
    const std::string text = helpText(inv.path, "b3scalectl");
    EXPECT_NE(text.find("Usage: b3scalectl set backend"), std::string::npos) << text;
    EXPECT_NE(text.find("-s, --secret SECRET"), std::string::npos) << text;
    EXPECT_NE(text.find("-j, --opts JSON"), std::string::npos) << text;
    EXPECT_NE(text.find("--dry"), std::string::npos) << text;  // the parent's flag is listed too
    EXPECT_NE(text.find("-b, --api URL"), std::string::npos) << text;
}

TEST(CommandLine, CompletionOffersCommandsFlagsAndDynamicValues) {
    const auto root = tree();
    std::vector<std::string> asked;
    auto dynamic = [&](const std::string& path) {
        asked.push_back(path);
        return std::vector<std::string>{"http://one/", "http://two/"};
    };
    EXPECT_EQ(completionCandidates(root, {}, "s", dynamic), (std::vector<std::string>{"show", "set"}));
    EXPECT_EQ(completionCandidates(root, {"show"}, "", dynamic), (std::vector<std::string>{"backends", "backend"}));
    EXPECT_EQ(completionCandidates(root, {"s", "--json"}, "backe", dynamic),
              (std::vector<std::string>{"backends", "backend"}));
    EXPECT_EQ(completionCandidates(root, {"show", "backend"}, "http://o", dynamic),
              (std::vector<std::string>{"http://one/"}));
    EXPECT_EQ(asked.back(), "show backend");
    EXPECT_TRUE(completionCandidates(root, {"show", "backend", "http://one/"}, "", dynamic).empty());
    const auto flags = completionCandidates(root, {"set", "backend"}, "--", dynamic);
    EXPECT_EQ(flags, (std::vector<std::string>{"--secret", "--opts", "--dry", "--api", "--help"}));
    completionCandidates(root, {"cm", "--frontend"}, "", dynamic);
    EXPECT_EQ(asked.back(), "create-meeting --frontend");
}

}  // namespace
}  // namespace b3s::ctl
