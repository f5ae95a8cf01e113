#pragma once
// What importing a recording that the index already holds does to its row (b3scale-admin
// §8.2 step 7): BBB writes one metadata.xml per format, so a recording arrives once per
// format, and an admin may have changed it in between (visibility, metadata, an imported
// meeting id). The stored row therefore wins, and only the formats come from the import.

#include "store/records.hpp"

namespace b3s::core::recordings {

struct MergeResult {
    store::Recording recording;  ///< the row to store
    bool changed = false;        ///< false: `existing` already says all of it, nothing to write
};

/// Merges an imported row into the stored one:
///   * from `existing`: record and frontend ids, meeting_id, internal_meeting_id, name,
///     is_breakout, state, published, metadata, timestamps and version; participants,
///     start_time and end_time unless they are 0 there (then the import's);
///   * formats: those of `existing` in their order, a format whose type the import also
///     carries replaced by the import's (newer processing), the import's other formats
///     appended. Formats are compared as values, so the same metadata.xml imported twice
///     reports changed == false and keeps formats_json byte for byte.
/// A malformed formats document on either side reads as no formats (logged). Pure apart from
/// that log line; never throws (beyond std::bad_alloc).
MergeResult mergeImport(const store::Recording& existing, const store::Recording& incoming);

}  // namespace b3s::core::recordings
