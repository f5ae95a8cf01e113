#pragma once
// The plugin ABI: what a plugin library exports and what the loader checks before it
// constructs anything. Every plugin's plugin_entry.cpp uses B3S_PLUGIN() and nothing else
// from this file.

#include <Poco/Version.h>
#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <boost/version.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>

#include <b3s/generated/abi_hash.hpp>

/// Marks SDK types whose RTTI must be shared between b3scaled and plugins (interfaces,
/// exception types) while everything else is built with -fvisibility=hidden.
#define B3S_PLUGIN_API BOOST_SYMBOL_VISIBLE

#define B3S_STRINGIFY_IMPL(x) #x
#define B3S_STRINGIFY(x) B3S_STRINGIFY_IMPL(x)

#ifdef NDEBUG
#define B3S_BUILD_TAG_NDEBUG "release"
#else
#define B3S_BUILD_TAG_NDEBUG "debug"
#endif

/// Compiler, standard library ABI, POCO and Boost versions and the assertion mode. Boost.DLL
/// gives no ABI stability across any of these, so a mismatch is refused at load time.
#define B3S_BUILD_TAG \
    "gcc-" B3S_STRINGIFY(__GNUC__) "." B3S_STRINGIFY(__GNUC_MINOR__) " cxx11abi-" B3S_STRINGIFY( \
        _GLIBCXX_USE_CXX11_ABI) " poco-" B3S_STRINGIFY(POCO_VERSION) " boost-" B3S_STRINGIFY(   \
        BOOST_VERSION) " " B3S_BUILD_TAG_NDEBUG

namespace b3s::plugin {

/// The SDK's version for people and log lines. Bump it by hand on every change of the
/// headers in core/include/b3s/plugin/ and record the new hash in abi_versions.txt; the
/// test AbiVersionIsRecorded fails until you do. Version 2: BalancerStrategy::load(),
/// declarable thread-safety, the eligibility helpers moved out to <b3s/support/…>.
/// Version 3: RecordingsStore owns the recording files (import, publish, delete, text
/// tracks, playback URLs). Version 4: BackendCandidate::host_figures, the node agent's figures.
inline constexpr std::uint32_t kAbiVersion = 4;

/// Name of the exported function that returns the Descriptor.
inline constexpr const char* kDescriptorSymbol = "b3s_plugin_descriptor";

/// One configuration variable a plugin reads. Plugins see only the keys they declare.
struct ConfigKey {
    const char* name;           ///< full variable name, e.g. "B3SCALE_API_JWT_SECRET"
    const char* default_value;  ///< nullptr when there is no default
    const char* description;    ///< one line, shown by `b3scaled --help-config`
    bool required;              ///< start-up fails when unset and no default exists
    bool secret;                ///< the value is never logged or printed
};

/// Static data exported by every plugin. Reading it runs no plugin code beyond returning
/// a pointer, so the loader can refuse a library before constructing anything.
/// Lifetime: valid while the library is loaded.
struct Descriptor {
    std::uint32_t abi_version;  ///< kAbiVersion the plugin was built with
    const char* abi_hash;       ///< kAbiHash the plugin was built with
    const char* build_tag;      ///< B3S_BUILD_TAG the plugin was built with
    const char* kind;           ///< "balancer", "recordings", "metrics" or "auth"
    const char* name;           ///< [a-z0-9_]+, equal to the <name> in its file name
    const char* version;        ///< the plugin's own version, for logs
    const ConfigKey* keys;      ///< the variables it reads
    std::size_t key_count;
    /// true: every method may be called concurrently. false: core serialises every call into
    /// the plugin (B3S_PLUGIN_SERIALIZED).
    bool thread_safe;
};

using DescriptorFunction = const Descriptor*();

/// Maps an interface to its kind name and factory symbol; specialised in each kind's header.
template <class Interface>
struct KindTraits;

}  // namespace b3s::plugin

/// Defines the descriptor and the typed factory of a plugin and exports both through
/// Boost.DLL. Use once, in plugin_entry.cpp, after `#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION`.
///   B3S_PLUGIN(balancer, b3s::plugin::BalancerStrategy, "least_load", "1.0.0",
///              kConfigKeys, createStrategy)
/// `keys` is a std::array<ConfigKey, N> (or a C array); `factory` must have exactly the
/// signature KindTraits<Interface>::Factory, which a static_assert checks because
/// import_alias on the host side trusts whatever signature it is asked for.
/// The plugin declares itself thread-safe: core calls it from many threads at once.
#define B3S_PLUGIN(kind_token, Interface, plugin_name, plugin_version, keys, factory) \
    B3S_PLUGIN_DEFINE(kind_token, Interface, plugin_name, plugin_version, keys, factory, true)

/// As B3S_PLUGIN() for a plugin that must not be called concurrently (thread_safe = false):
/// core then makes every call into it — its objects and, for metrics, its handles — one at a
/// time, at the cost of the parallelism of the request threads.
#define B3S_PLUGIN_SERIALIZED(kind_token, Interface, plugin_name, plugin_version, keys, factory) \
    B3S_PLUGIN_DEFINE(kind_token, Interface, plugin_name, plugin_version, keys, factory, false)

/// The expansion of both; not for direct use.
#define B3S_PLUGIN_DEFINE(kind_token, Interface, plugin_name, plugin_version, keys, factory, is_thread_safe) \
    static_assert(std::is_same_v<decltype(factory), typename ::b3s::plugin::KindTraits<Interface>::Factory>, \
                  "plugin factory does not have the SDK's factory signature for this kind");                 \
    namespace b3s_plugin_entry {                                                                             \
    const ::b3s::plugin::Descriptor descriptor{::b3s::plugin::kAbiVersion,                                   \
                                               ::b3s::plugin::kAbiHash,                                      \
                                               B3S_BUILD_TAG,                                                \
                                               ::b3s::plugin::KindTraits<Interface>::kKind,                  \
                                               plugin_name,                                                  \
                                               plugin_version,                                               \
                                               std::data(keys),                                              \
                                               std::size(keys),                                              \
                                               is_thread_safe};                                              \
    const ::b3s::plugin::Descriptor* describe() {                                                            \
        return &descriptor;                                                                                  \
    }                                                                                                        \
    }                                                                                                        \
    BOOST_DLL_ALIAS(b3s_plugin_entry::describe, b3s_plugin_descriptor)                                       \
    BOOST_DLL_ALIAS(factory, b3s_create_##kind_token)
