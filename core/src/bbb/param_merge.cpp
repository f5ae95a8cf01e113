#include "bbb/param_merge.hpp"

#include <algorithm>
#include <vector>

namespace b3s::core::bbb {

namespace {

void appendItems(std::vector<std::string_view>& items, std::string_view list) {
    std::size_t pos = 0;
    while (pos <= list.size()) {
        std::size_t comma = list.find(',', pos);
        if (comma == std::string_view::npos) comma = list.size();
        const std::string_view item = list.substr(pos, comma - pos);
        // Feature lists are short (BBB knows about 30 features): a linear check is fine.
        if (!item.empty() && std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
        pos = comma + 1;
    }
}

}  // namespace

std::string mergeDisabledFeatures(std::string_view requestList, std::string_view defaultList) {
    std::vector<std::string_view> items;
    appendItems(items, requestList);
    appendItems(items, defaultList);
    std::string merged;
    merged.reserve(requestList.size() + defaultList.size() + 1);
    for (const auto item : items) {
        if (!merged.empty()) merged.push_back(',');
        merged.append(item);
    }
    return merged;
}

void applyParamSettings(ParamList& params, const ParamList& defaults, const ParamList& overrides) {
    for (const auto& entry : overrides) params.set(entry.name, entry.value);
    for (const auto& entry : defaults) {
        if (entry.name == kDisabledFeaturesParam) continue;
        params.setIfAbsent(entry.name, entry.value);
    }
    if (const std::string* defaultList = defaults.find(kDisabledFeaturesParam)) {
        const std::string* requestList = params.find(kDisabledFeaturesParam);
        std::string merged =
            mergeDisabledFeatures(requestList ? std::string_view(*requestList) : std::string_view{}, *defaultList);
        params.set(kDisabledFeaturesParam, merged);
    }
}

}  // namespace b3s::core::bbb
