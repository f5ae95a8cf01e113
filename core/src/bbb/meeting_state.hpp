#pragma once
// What the store keeps of a meeting as its backend describes it (Meeting::state_json), under
// b3scale's Go field names (MeetingID, InternalMeetingID, AttendeePW, ModeratorPW,
// VoiceBridge, DialNumber, CreateDate, CreateTime), from a create answer or a <meeting>
// element of getMeetings, which name these children alike.

#include "bbb/xml_tree.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::bbb {

/// The state document of `meeting` (a create <response> or a getMeetings <meeting>).
std::string meetingStateJson(const XmlNode& meeting);

/// One text field of a state document ("AttendeePW", …); nullopt when absent, empty or the
/// document is not JSON.
std::optional<std::string> meetingStateField(std::string_view state_json, const std::string& field);

}  // namespace b3s::core::bbb
