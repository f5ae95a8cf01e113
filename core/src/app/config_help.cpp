#include "app/config_help.hpp"

#include "app/part.hpp"
#include "config/core_settings.hpp"
#include "plugin/plugin_loader.hpp"
#include "util/system_clock.hpp"

#include <string>
#include <vector>

namespace b3s::core::app {
namespace {

void printKey(std::ostream& out, const std::string& name, const std::optional<std::string>& default_value,
              const std::string& description, bool required, bool secret) {
    out << name;
    if (default_value) out << '=' << *default_value;
    out << "\n    " << description;
    if (required) out << " [required]";
    if (secret) out << " [secret: never logged]";
    out << '\n';
}

}  // namespace

int printConfigHelp(std::ostream& out, std::ostream& err, const config::Environment& env,
                    const std::filesystem::path& executable_dir) {
    std::filesystem::path plugin_dir;
    try {
        plugin_dir = config::parsePluginDir(env, executable_dir);
    } catch (const config::ConfigError& e) {
        err << "b3scaled: " << e.what() << '\n';
        return kExitConfig;
    }

    out << "# b3scaled (core)\n";
    for (const auto& key : config::coreKeys())
        printKey(out, key.name, key.default_value ? std::optional<std::string>(key.default_value) : std::nullopt,
                 key.description, false, key.secret);

    static const SystemClock clock;
    const plugin::PluginLoader loader(plugin_dir, env, clock);
    std::vector<std::string> refused;
    const auto plugins = loader.describeAll(refused);
    for (const auto& plugin : plugins) {
        out << "\n# " << plugin.kind << " plugin '" << plugin.name << "' " << plugin.version << " ("
            << plugin.path.string() << ")\n";
        for (const auto& key : plugin.keys)
            printKey(out, key.name, key.default_value, key.description, key.required, key.secret);
    }
    if (plugins.empty()) out << "\n# no plugins in " << plugin_dir.string() << '\n';
    for (const auto& sentence : refused) out << "\n# refused: " << sentence << '\n';
    return kExitOk;
}

}  // namespace b3s::core::app
