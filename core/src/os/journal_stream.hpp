#pragma once
// Whether stderr is connected to systemd's journal: JOURNAL_STREAM holds "<device>:<inode>" of
// the stream systemd gave the service, and it only counts when fd 2 is still that stream
// (sd-daemon(3)); a child whose stderr was redirected inherits the variable but not the stream.

#include <optional>
#include <string_view>

#include <sys/types.h>

namespace b3s::core::os {

struct DeviceInode {
    dev_t device = 0;
    ino_t inode = 0;
};

/// Parses JOURNAL_STREAM's "<device>:<inode>" (decimal); nullopt when malformed.
std::optional<DeviceInode> parseJournalStream(std::string_view text) noexcept;

/// True when JOURNAL_STREAM is set and names fd 2.
bool stderrIsJournal() noexcept;

}  // namespace b3s::core::os
