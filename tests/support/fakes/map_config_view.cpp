#include "map_config_view.hpp"

namespace b3s::test {

MapConfigView::MapConfigView(std::initializer_list<std::pair<const std::string, std::string>> values)
    : values_(values) {}

MapConfigView& MapConfigView::set(std::string key, std::string value) {
    values_.insert_or_assign(std::move(key), std::move(value));
    return *this;
}

MapConfigView& MapConfigView::erase(std::string_view key) {
    if (auto it = values_.find(key); it != values_.end()) values_.erase(it);
    return *this;
}

std::optional<std::string> MapConfigView::get(std::string_view key) const {
    auto it = values_.find(key);
    // Same rule as core's Environment: B3SCALE_X= in an env file means "not set".
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

}  // namespace b3s::test
