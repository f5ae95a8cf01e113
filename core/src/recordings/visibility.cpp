#include "recordings/visibility.hpp"

#include "recordings/recording_metadata.hpp"

#include <array>
#include <utility>

namespace b3s::core::recordings {
namespace {

constexpr std::array<std::pair<Visibility, std::string_view>, 5> kNames = {{
    {Visibility::Unpublished, "unpublished"},
    {Visibility::Published, "published"},
    {Visibility::Protected, "protected"},
    {Visibility::Public, "public"},
    {Visibility::PublicProtected, "public_protected"},
}};

bool isTrue(const store::Recording& recording, std::string_view name) noexcept {
    const auto* value = findMetadata(recording.metadata, name);
    return value && *value == "true";
}

}  // namespace

std::optional<Visibility> parseVisibility(std::string_view name) noexcept {
    for (const auto& [visibility, n] : kNames)
        if (n == name) return visibility;
    return std::nullopt;
}

std::string_view visibilityName(Visibility visibility) noexcept {
    for (const auto& [v, name] : kNames)
        if (v == visibility) return name;
    return "unpublished";
}

bool apply(store::Recording& recording, Visibility visibility) {
    const bool published = visibility != Visibility::Unpublished;
    const bool listed = visibility == Visibility::Public || visibility == Visibility::PublicProtected;
    const bool protect = visibility == Visibility::Protected || visibility == Visibility::PublicProtected;
    const std::string_view state = published ? "published" : "unpublished";

    bool changed = recording.published != published || recording.state != state;
    recording.published = published;
    recording.state = std::string(state);
    changed = setMetadata(recording.metadata, kListedMeta, listed ? "true" : "false") || changed;
    changed = setMetadata(recording.metadata, kProtectMeta, protect ? "true" : "false") || changed;
    return changed;
}

Visibility visibilityOf(const store::Recording& recording) noexcept {
    if (!recording.published || recording.state != "published") return Visibility::Unpublished;
    const bool listed = isTrue(recording, kListedMeta);
    const bool protect = isTrue(recording, kProtectMeta);
    if (listed) return protect ? Visibility::PublicProtected : Visibility::Public;
    return protect ? Visibility::Protected : Visibility::Published;
}

}  // namespace b3s::core::recordings
