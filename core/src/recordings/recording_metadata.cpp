#include "recordings/recording_metadata.hpp"

#include <algorithm>

namespace b3s::core::recordings {
namespace {

Metadata::iterator lowerBound(Metadata& metadata, std::string_view name) {
    return std::lower_bound(metadata.begin(), metadata.end(), name,
                            [](const auto& entry, std::string_view n) { return entry.first < n; });
}

}  // namespace

void normaliseMetadata(Metadata& metadata) {
    std::stable_sort(metadata.begin(), metadata.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const auto last =
        std::unique(metadata.begin(), metadata.end(), [](const auto& a, const auto& b) { return a.first == b.first; });
    metadata.erase(last, metadata.end());
}

const std::string* findMetadata(const Metadata& metadata, std::string_view name) noexcept {
    const auto it = std::lower_bound(metadata.begin(), metadata.end(), name,
                                     [](const auto& entry, std::string_view n) { return entry.first < n; });
    if (it == metadata.end() || it->first != name) return nullptr;
    return &it->second;
}

bool setMetadata(Metadata& metadata, std::string_view name, std::string_view value) {
    const auto it = lowerBound(metadata, name);
    if (it != metadata.end() && it->first == name) {
        if (it->second == value) return false;
        it->second = std::string(value);
        return true;
    }
    metadata.emplace(it, std::string(name), std::string(value));
    return true;
}

bool eraseMetadata(Metadata& metadata, std::string_view name) {
    const auto it = lowerBound(metadata, name);
    if (it == metadata.end() || it->first != name) return false;
    metadata.erase(it);
    return true;
}

bool applyMetadataPatch(Metadata& metadata, const MetadataPatch& patch) {
    bool changed = false;
    for (const auto& [name, value] : patch.changes)
        changed = (value ? setMetadata(metadata, name, *value) : eraseMetadata(metadata, name)) || changed;
    return changed;
}

}  // namespace b3s::core::recordings
