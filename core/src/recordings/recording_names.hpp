#pragma once
// The names of the recordings world that end up in paths, SQL parameters or XML element
// names, and the one rule each must follow. Written by us: a regular expression engine per
// request for three character classes would be slower and less obvious than a loop.

#include <cstddef>
#include <string>
#include <string_view>

namespace b3s::core::recordings {

/// Longest record id, format name or metadata name accepted.
inline constexpr std::size_t kMaxNameLength = 200;

/// A BBB record id (`<sha1>-<epoch ms>`) or a format name (presentation, video, …):
/// [A-Za-z0-9_-]{1,200}, so that it is safe as one path segment. Pure.
bool isValidRecordName(std::string_view name) noexcept;

/// The part after `meta_` of a BBB metadata parameter: [a-zA-Z][a-zA-Z0-9-]* (bbb-web ignores
/// every other name), at most kMaxNameLength characters. Pure.
bool isValidMetaName(std::string_view name) noexcept;

/// `text` with A-Z turned into a-z (metadata names are stored lower-cased, as bbb-web stores
/// them); other bytes unchanged. Pure.
std::string toLowerAscii(std::string_view text);

}  // namespace b3s::core::recordings
