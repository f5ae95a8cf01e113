#pragma once
// BBB's getMeetings as the agent calls it on its own server to seed its count: the signed URL
// (checksum with securitySalt, SHA-256) and the answer read into a MeetingSnapshot.

#include "meeting_table.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace b3s::agent {

/// `api_url` + "getMeetings?checksum=" + sha256("getMeetings" + secret). Pure.
std::string getMeetingsUrl(const std::string& api_url, const std::string& secret);

/// The meetings (by <internalMeetingID>) and their attendees (by <userID>, BBB's internal
/// user id) of a SUCCESS answer; nullopt with `error` set for anything else. Pure.
std::optional<MeetingSnapshot> parseGetMeetings(std::string_view xml, std::string& error);

}  // namespace b3s::agent
