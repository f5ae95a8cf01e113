#pragma once
// Loads plugin libraries with Boost.DLL: checks the descriptor before constructing
// anything, hands the factory a context with only the plugin's declared configuration,
// and returns objects that keep their library (and context) alive.

#include "config/environment.hpp"
#include "util/clock.hpp"

#include <b3s/plugin/abi.hpp>
#include <b3s/plugin/context.hpp>

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::plugin {

/// A plugin was refused. what() is one sentence for the operator, naming the file.
class PluginLoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A loaded plugin object. `object` owns (through its deleter) the plugin's context and
/// library, so the code stays mapped until the last copy of `object` is gone.
template <class Interface>
struct LoadedPlugin {
    std::shared_ptr<Interface> object;
    std::string kind;
    std::string name;
    std::string version;
    std::filesystem::path path;
    std::vector<std::string> declared_keys;  ///< the B3SCALE_* variables it reads
    bool thread_safe = true;                 ///< false: core must call it one call at a time
};

/// Everything before the factory call: an opened library, its checked descriptor and the
/// context built from the declared keys. Internal to the loader; exposed for load tests.
struct OpenedPlugin {
    std::shared_ptr<boost::dll::shared_library> library;
    const b3s::plugin::Descriptor* descriptor = nullptr;
    std::shared_ptr<b3s::plugin::Context> context;
    std::filesystem::path path;
};

/// One variable a plugin declares, copied out of its descriptor.
struct DeclaredKey {
    std::string name;
    std::optional<std::string> default_value;
    std::string description;
    bool required = false;
    bool secret = false;
};

/// What a plugin file declares, read without constructing anything (b3scaled --help-config).
struct PluginDescription {
    std::string kind;
    std::string name;
    std::string version;
    std::filesystem::path path;
    std::vector<DeclaredKey> keys;
};

class PluginLoader {
public:
    /// `dir` holds libb3s_<kind>_<name>.so files; `env` must outlive the loader.
    PluginLoader(std::filesystem::path dir, const config::Environment& env, const Clock& clock);

    /// The file a plugin of this kind and name would be loaded from.
    std::filesystem::path pathFor(std::string_view kind, std::string_view name) const;

    /// Opens and checks a plugin without constructing it (descriptor, ABI, build tag,
    /// kind, name, required and unknown keys). Throws PluginLoadError.
    OpenedPlugin open(std::string_view kind, std::string_view name) const;

    /// Opens, checks and constructs. Throws PluginLoadError with the reason.
    template <class Interface>
    LoadedPlugin<Interface> load(std::string_view name) const {
        using Traits = b3s::plugin::KindTraits<Interface>;
        OpenedPlugin opened = open(Traits::kKind, name);
        std::unique_ptr<Interface> raw = construct<Interface>(opened, Traits::kFactorySymbol);
        auto library = opened.library;
        auto context = opened.context;
        // The deleter runs in core: destroy the object, then its context, then unmap.
        std::shared_ptr<Interface> object(raw.release(), [library, context](Interface* p) mutable {
            delete p;
            context.reset();
            library.reset();
        });
        std::vector<std::string> keys;
        for (std::size_t i = 0; i < opened.descriptor->key_count; ++i)
            keys.emplace_back(opened.descriptor->keys[i].name);
        return {std::move(object), Traits::kKind,   opened.descriptor->name,       opened.descriptor->version,
                opened.path,       std::move(keys), opened.descriptor->thread_safe};
    }

    /// Every plugin file in the directory whose descriptor passes the loader's checks (ABI,
    /// build tag, kind, name), in kind order then by name; the sentence of each file refused
    /// is appended to `refused`. Nothing is constructed and no variable is checked.
    std::vector<PluginDescription> describeAll(std::vector<std::string>& refused) const;

    /// Plugin files of one kind present in the directory, as names, for error messages.
    std::vector<std::string> available(std::string_view kind) const;

    const std::filesystem::path& directory() const noexcept { return dir_; }

private:
    template <class Interface>
    std::unique_ptr<Interface> construct(const OpenedPlugin& opened, const char* symbol) const {
        using Factory = typename b3s::plugin::KindTraits<Interface>::Factory;
        if (!opened.library->has(symbol))
            throw PluginLoadError(describe(opened) + " does not export its factory '" + symbol +
                                  "'; it was not built with B3S_PLUGIN()");
        auto& factory = opened.library->get_alias<Factory>(symbol);
        std::unique_ptr<Interface> object;
        try {
            object = factory(*opened.context);
        } catch (const std::exception& e) {
            rethrowFactoryError(opened, e);
        } catch (...) {
            throw PluginLoadError(describe(opened) +
                                  " failed to start: its factory threw something "
                                  "that is not a std::exception");
        }
        if (!object) throw PluginLoadError(describe(opened) + " returned no object from its factory");
        return object;
    }

    /// The library and its checked descriptor; no context (open() adds it).
    OpenedPlugin openLibrary(std::string_view kind, std::string_view name) const;
    std::string describe(const OpenedPlugin& opened) const;
    [[noreturn]] void rethrowFactoryError(const OpenedPlugin& opened, const std::exception& e) const;

    std::filesystem::path dir_;
    const config::Environment& env_;
    const Clock& clock_;
};

/// True for names a plugin may have: 1–64 characters of [a-z0-9_].
bool isValidPluginName(std::string_view name) noexcept;

}  // namespace b3s::core::plugin
