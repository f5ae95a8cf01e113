#pragma once
// Reads the metadata.xml that BBB's recording scripts write next to every published format
// (/var/bigbluebutton/published/<format>/<recordID>/metadata.xml) into an index row:
//
//   <recording>
//     <id>…</id> <state>published</state> <published>true</published>
//     <start_time>ms</start_time> <end_time>ms</end_time> <participants>3</participants>
//     <meeting id="<internal id>" externalId="<meeting id>" name="…" breakout="false"/>
//     <meta> <isBreakout>false</isBreakout> <meetingId>…</meetingId> <meetingName>…</meetingName> … </meta>
//     <playback>
//       <format>presentation</format> <link>https://…</link>
//       <processing_time>ms</processing_time> <duration>ms</duration> <size>bytes</size>
//       <extensions><preview><images><image width= height= alt=>url</image>…</images></preview></extensions>
//     </playback>
//     <raw_size>bytes</raw_size>
//   </recording>
//
// The document comes from a BBB node (i.e. from the network): it is parsed by bbb::parseXml,
// which refuses any DOCTYPE (so no entity expansion and no external entities), and documents
// over kMaxMetadataXmlBytes are refused before parsing.

#include "recordings/recording_document.hpp"
#include "store/records.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::recordings {

/// Largest metadata.xml accepted (BBB's are a few KiB).
inline constexpr std::size_t kMaxMetadataXmlBytes = 1 << 20;

/// A recording read from one metadata.xml: the index row and its one format.
struct ImportedRecording {
    /// frontend_id, created_at, updated_at and version are left for the caller;
    /// formats_json holds `format` alone.
    store::Recording recording;
    PlaybackFormat format;
    /// Fallbacks taken (e.g. no meta meetingId, so meeting@externalId was used), one sentence
    /// each, for the caller's log.
    std::vector<std::string> warnings;
};

/// Either the recording or why the document was refused.
struct MetadataXmlResult {
    std::optional<ImportedRecording> imported;
    std::string error;  ///< one sentence for the operator; empty when imported

    bool ok() const noexcept { return imported.has_value(); }
};

/// Parses a metadata.xml (rules in metadata_xml.cpp's comments and in the header above):
///   record_id           = <id>, which must match [A-Za-z0-9_-]{1,200}
///   meeting_id          = meta meetingId, else <meeting externalId>
///   internal_meeting_id = <meeting id>, else "DEPRECATED:" + meeting_id (b3scale's)
///   name                = meta meetingName, else <meeting name>
///   is_breakout         = meta isBreakout == "true", else <meeting breakout> == "true"
///   metadata            = every child of <meta>, names lower-cased, sorted, first of a name wins;
///                         a callback-proxy URL as value is replaced by the frontend's own URL
///                         (bbb::originalCallbackUrl)
///   format              = <playback>: format and link required; length = duration / 60000
///   numbers (times, participants, processing_time, duration, size) that are not integers
///   read as 0 with a warning; negative participants as 0
/// Refused (error set): over 1 MiB, not well-formed XML, a DOCTYPE, no <recording> root, a
/// missing or invalid id, a missing format or link, a format name outside
/// [A-Za-z0-9_-]{1,200}. Never throws (beyond std::bad_alloc). Pure.
MetadataXmlResult parseMetadataXml(std::string_view xml);

}  // namespace b3s::core::recordings
