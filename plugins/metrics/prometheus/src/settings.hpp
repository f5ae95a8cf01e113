#pragma once
// The metrics/prometheus plugin's configuration.

#include <b3s/plugin/context.hpp>

#include <array>

namespace b3s::metrics::prometheus {

inline constexpr const char* kProcessKey = "B3SCALE_METRICS_PROMETHEUS_PROCESS";
inline constexpr const char* kDefaultProcess = "true";

inline constexpr std::array<plugin::ConfigKey, 1> kConfigKeys{{
    {kProcessKey, kDefaultProcess, "include the process_* families (CPU, memory, file descriptors, threads)", false,
     false},
}};

struct Settings {
    bool process = true;  ///< render the process_* families
};

/// Reads and validates the plugin's keys, applying the defaults above when a key is unset.
/// Throws plugin::ConfigError naming the key and the accepted values.
Settings parseSettings(const plugin::ConfigView& config);

}  // namespace b3s::metrics::prometheus
