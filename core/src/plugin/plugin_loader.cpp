#include "plugin/plugin_loader.hpp"

#include "config/core_settings.hpp"
#include "plugin/plugin_context.hpp"

#include <b3s/plugin/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <set>

namespace b3s::core::plugin {
namespace fs = std::filesystem;
namespace dll = boost::dll;

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

std::string selectionVariable(std::string_view kind) {
    return "B3SCALE_" + upper(kind) + "_PLUGIN";
}

// Boost.DLL wraps dlerror() in "…failed (dlerror system message: <text>): <errno text>";
// the operator needs only <text>.
std::string dlerrorText(const std::string& what) {
    constexpr std::string_view kMarker = "dlerror system message: ";
    auto start = what.find(kMarker);
    if (start == std::string::npos) return what;
    start += kMarker.size();
    auto end = what.rfind("): ");
    return what.substr(start, end == std::string::npos || end < start ? std::string::npos : end - start);
}

std::string joinNames(const std::vector<std::string>& names) {
    if (names.empty()) return "none";
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

bool isValidPluginName(std::string_view name) noexcept {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

PluginLoader::PluginLoader(fs::path dir, const config::Environment& env, const Clock& clock)
    : dir_(std::move(dir)), env_(env), clock_(clock) {}

fs::path PluginLoader::pathFor(std::string_view kind, std::string_view name) const {
    return dir_ / fmt::format("libb3s_{}_{}.so", kind, name);
}

std::vector<std::string> PluginLoader::available(std::string_view kind) const {
    std::vector<std::string> names;
    const std::string prefix = fmt::format("libb3s_{}_", kind);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        std::string file = entry.path().filename().string();
        if (file.starts_with(prefix) && file.ends_with(".so"))
            names.push_back(file.substr(prefix.size(), file.size() - prefix.size() - 3));
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string PluginLoader::describe(const OpenedPlugin& opened) const {
    return fmt::format("{} plugin '{}' ({})", opened.descriptor->kind, opened.descriptor->name, opened.path.string());
}

void PluginLoader::rethrowFactoryError(const OpenedPlugin& opened, const std::exception& e) const {
    if (auto* config_error = dynamic_cast<const b3s::plugin::ConfigError*>(&e))
        throw PluginLoadError(fmt::format("{} rejected its configuration: {}", describe(opened), config_error->what()));
    throw PluginLoadError(fmt::format("{} failed to start: {}", describe(opened), e.what()));
}

OpenedPlugin PluginLoader::openLibrary(std::string_view kind, std::string_view name) const {
    const std::string variable = selectionVariable(kind);
    // Checked before touching the file system: a name never becomes a path component.
    if (!isValidPluginName(name))
        throw PluginLoadError(
            fmt::format("{}={:?} is not a plugin name: use 1 to 64 lowercase letters, "
                        "digits and '_'",
                        variable, std::string(name)));

    OpenedPlugin opened;
    opened.path = pathFor(kind, name);
    std::error_code ec;
    if (!fs::exists(opened.path, ec))
        throw PluginLoadError(
            fmt::format("no {} plugin '{}': {} does not exist (available in {}: {}); "
                        "set {} or B3SCALE_PLUGIN_DIR",
                        kind, name, opened.path.string(), dir_.string(), joinNames(available(kind)), variable));

    try {
        // rtld_now: an unresolved symbol refuses the library now, not in a request later.
        opened.library =
            std::make_shared<dll::shared_library>(opened.path, dll::load_mode::rtld_now | dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        throw PluginLoadError(
            fmt::format("cannot load {} plugin {}: {}", kind, opened.path.string(), dlerrorText(e.what())));
    }

    if (!opened.library->has(b3s::plugin::kDescriptorSymbol))
        throw PluginLoadError(
            fmt::format("{} is not a b3scale plugin: it exports no {} (build it with "
                        "B3S_PLUGIN())",
                        opened.path.string(), b3s::plugin::kDescriptorSymbol));
    auto& describeFn = opened.library->get_alias<b3s::plugin::DescriptorFunction>(b3s::plugin::kDescriptorSymbol);
    const b3s::plugin::Descriptor* d = describeFn();
    if (d == nullptr) throw PluginLoadError(fmt::format("{} returned no plugin descriptor", opened.path.string()));
    const std::string file = opened.path.string();

    if (d->abi_version != b3s::plugin::kAbiVersion)
        throw PluginLoadError(
            fmt::format("{} was built for plugin ABI {}, but this b3scaled speaks plugin "
                        "ABI {}: rebuild the plugin against this b3scaled's SDK",
                        file, d->abi_version, b3s::plugin::kAbiVersion));
    if (d->abi_hash == nullptr || std::strcmp(d->abi_hash, b3s::plugin::kAbiHash) != 0)
        throw PluginLoadError(
            fmt::format("{} was built against different plugin SDK headers (ABI {}, "
                        "header hash {:.12}, expected {:.12}): rebuild it with this "
                        "b3scaled's SDK",
                        file, d->abi_version, d->abi_hash ? d->abi_hash : "none", b3s::plugin::kAbiHash));
    if (d->build_tag == nullptr || std::strcmp(d->build_tag, B3S_BUILD_TAG) != 0)
        throw PluginLoadError(
            fmt::format("{} was built with \"{}\" but this b3scaled with \"{}\": build "
                        "both with the same compiler and libraries",
                        file, d->build_tag ? d->build_tag : "none", B3S_BUILD_TAG));
    if (d->kind == nullptr || kind != d->kind)
        throw PluginLoadError(fmt::format("{} is a {} plugin, not a {} plugin: check {}", file,
                                          d->kind ? d->kind : "nameless", kind, variable));
    if (d->name == nullptr || !isValidPluginName(d->name))
        throw PluginLoadError(
            fmt::format("{} declares the invalid plugin name {:?}: names are lowercase "
                        "letters, digits and '_'",
                        file, d->name ? d->name : ""));
    if (name != d->name)
        throw PluginLoadError(
            fmt::format("{} calls itself '{}' but was loaded as '{}': rename the file "
                        "to libb3s_{}_{}.so",
                        file, d->name, name, kind, d->name));
    if (d->version == nullptr || (d->key_count > 0 && d->keys == nullptr))
        throw PluginLoadError(fmt::format("{} has an incomplete descriptor", file));
    opened.descriptor = d;
    return opened;
}

OpenedPlugin PluginLoader::open(std::string_view kind, std::string_view name) const {
    const std::string variable = selectionVariable(kind);
    OpenedPlugin opened = openLibrary(kind, name);
    const b3s::plugin::Descriptor* d = opened.descriptor;

    // Configuration: only the declared keys, defaults applied; required ones present;
    // no unknown key in the kind's own B3SCALE_<KIND>_ namespace (catches typos).
    std::map<std::string, std::string, std::less<>> values;
    std::set<std::string, std::less<>> declared;
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < d->key_count; ++i) {
        const auto& key = d->keys[i];
        declared.insert(key.name);
        if (auto value = env_.get(key.name))
            values[key.name] = *value;
        else if (key.default_value != nullptr)
            values[key.name] = key.default_value;
        else if (key.required)
            missing.push_back(key.name);
    }
    if (!missing.empty())
        throw PluginLoadError(fmt::format("{} plugin '{}' needs {} to be set", kind, name, joinNames(missing)));
    std::vector<std::string> unknown;
    // Core's own keys in that namespace (e.g. B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL) are not
    // the plugin's to know.
    const auto& core_keys = config::coreKeys();
    const auto isCoreKey = [&](const std::string& key) {
        return std::any_of(core_keys.begin(), core_keys.end(), [&](const auto& k) { return key == k.name; });
    };
    for (const auto& key : env_.keysWithPrefix("B3SCALE_" + upper(kind) + "_"))
        if (!declared.contains(key) && key != variable && !isCoreKey(key)) unknown.push_back(key);
    if (!unknown.empty()) {
        std::vector<std::string> known(declared.begin(), declared.end());
        throw PluginLoadError(fmt::format("{} plugin '{}' does not know {} (it reads: {}): remove or correct it", kind,
                                          name, joinNames(unknown), joinNames(known)));
    }

    opened.context = std::make_shared<PluginContext>(DeclaredConfigView(std::move(values)),
                                                     fmt::format("b3s.plugin.{}.{}", kind, name), clock_);
    return opened;
}

std::vector<PluginDescription> PluginLoader::describeAll(std::vector<std::string>& refused) const {
    static constexpr std::array<std::string_view, 4> kKinds = {"balancer", "auth", "metrics", "recordings"};
    std::vector<PluginDescription> out;
    for (const auto kind : kKinds) {
        for (const auto& name : available(kind)) {
            try {
                const OpenedPlugin opened = openLibrary(kind, name);
                const auto* d = opened.descriptor;
                PluginDescription description{d->kind, d->name, d->version, opened.path, {}};
                for (std::size_t i = 0; i < d->key_count; ++i) {
                    const auto& key = d->keys[i];
                    description.keys.push_back(
                        {key.name, key.default_value ? std::optional<std::string>(key.default_value) : std::nullopt,
                         key.description ? key.description : "", key.required, key.secret});
                }
                out.push_back(std::move(description));
            } catch (const PluginLoadError& e) {
                refused.emplace_back(e.what());
            }
        }
    }
    return out;
}

}  // namespace b3s::core::plugin
