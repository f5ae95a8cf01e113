#pragma once
// Recordings plugins own where recording files live. Optional: without recordings paths
// configured, core uses a built-in no-op store and recording calls answer "no recordings".

#include <b3s/plugin/context.hpp>

#include <memory>
#include <string>
#include <vector>

namespace b3s::plugin {

/// One problem found when checking storage, e.g. a directory that cannot be written.
struct StorageProblem {
    std::string path;    ///< the path concerned
    std::string reason;  ///< one sentence for the operator
};

/// Storage for recording files.
/// Thread-safety: every method may be called concurrently.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API RecordingsStore {
public:
    virtual ~RecordingsStore() = default;
    /// Whether recordings are handled at all (false only for core's no-op store).
    virtual bool enabled() const = 0;
    /// Probes every configured path for reading and writing; empty when all are usable.
    /// Must not throw.
    virtual std::vector<StorageProblem> check() const = 0;
};

template <>
struct KindTraits<RecordingsStore> {
    static constexpr const char* kKind = "recordings";
    static constexpr const char* kFactorySymbol = "b3s_create_recordings";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<RecordingsStore>(const Context&);
};

}  // namespace b3s::plugin
