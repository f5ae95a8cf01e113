#pragma once
// Applying B3SCALE_RECORDINGS_PLAYBACK_HOST to a backend's playback link or a stored path.

#include <optional>
#include <string>
#include <string_view>

namespace b3s::recordings::filesystem {

/// With a host (http(s)://host[:port], a trailing slash ignored):
///  - an absolute http or https URL keeps its path, query and fragment and gets the host's
///    scheme, host and port (https://bbb1/playback/x → https://play/playback/x);
///  - anything else is a path relative to the trees and becomes <host>/<path> with exactly one
///    slash between them.
/// Without a host the input comes back unchanged. Never throws except std::bad_alloc.
std::string applyPlaybackHost(const std::optional<std::string>& host, std::string_view link_or_path);

}  // namespace b3s::recordings::filesystem
