#include "os/journal_stream.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>

#include <sys/stat.h>

namespace b3s::core::os {

std::optional<DeviceInode> parseJournalStream(std::string_view text) noexcept {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    const char* end = text.data() + colon;
    auto [p1, e1] = std::from_chars(text.data(), end, device);
    if (e1 != std::errc{} || p1 != end || colon == 0) return std::nullopt;
    const char* last = text.data() + text.size();
    auto [p2, e2] = std::from_chars(end + 1, last, inode);
    if (e2 != std::errc{} || p2 != last || end + 1 == last) return std::nullopt;
    return DeviceInode{static_cast<dev_t>(device), static_cast<ino_t>(inode)};
}

bool stderrIsJournal() noexcept {
    const char* value = std::getenv("JOURNAL_STREAM");
    if (value == nullptr) return false;
    const auto expected = parseJournalStream(value);
    if (!expected) return false;
    struct stat st {};
    if (fstat(2, &st) != 0) return false;
    return st.st_dev == expected->device && st.st_ino == expected->inode;
}

}  // namespace b3s::core::os
