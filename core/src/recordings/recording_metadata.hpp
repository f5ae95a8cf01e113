#pragma once
// A recording's metadata as the index keeps it (store::Recording::metadata): name → value
// pairs sorted by name, each name once. These helpers keep that shape; binary search makes a
// lookup cheap on recordings with many metas.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::core::recordings {

using Metadata = std::vector<std::pair<std::string, std::string>>;

/// Sorts by name and drops repeated names, keeping the first occurrence of each. Pure apart
/// from `metadata`.
void normaliseMetadata(Metadata& metadata);

/// The value of `name` in normalised `metadata`, or nullptr. The pointer lives until the
/// next change of `metadata`.
const std::string* findMetadata(const Metadata& metadata, std::string_view name) noexcept;

/// Sets `name` to `value` in normalised `metadata`, keeping it normalised. Returns whether
/// anything changed.
bool setMetadata(Metadata& metadata, std::string_view name, std::string_view value);

/// Removes `name` from normalised `metadata`. Returns whether it was there.
bool eraseMetadata(Metadata& metadata, std::string_view name);

/// updateRecordings' change of metadata: names already lower-cased; a value sets the name,
/// nullopt (BBB's `meta_x=` with an empty value) removes it. Applied in order.
struct MetadataPatch {
    std::vector<std::pair<std::string, std::optional<std::string>>> changes;

    bool empty() const noexcept { return changes.empty(); }
    friend bool operator==(const MetadataPatch&, const MetadataPatch&) = default;
};

/// Applies `patch` to normalised `metadata`. Returns whether anything changed.
bool applyMetadataPatch(Metadata& metadata, const MetadataPatch& patch);

}  // namespace b3s::core::recordings
