#pragma once
// A ConfigView backed by a std::map, for unit tests: what a plugin sees after core has
// filtered the environment down to its declared keys. No defaults are applied here, so a
// test of "key unset" really exercises the plugin's own fallback.

#include <b3s/plugin/context.hpp>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace b3s::test {

class MapConfigView final : public plugin::ConfigView {
public:
    MapConfigView() = default;
    MapConfigView(std::initializer_list<std::pair<const std::string, std::string>> values);

    /// Sets or replaces a value. An empty value is stored but reads as unset, as in core.
    MapConfigView& set(std::string key, std::string value);
    MapConfigView& erase(std::string_view key);

    // b3s::plugin::ConfigView
    std::optional<std::string> get(std::string_view key) const override;

private:
    std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace b3s::test
