#pragma once
// The REST API's JSON representations of store rows, with b3scale's field names and order
// (spec b3scale-admin.md §1) so existing clients keep working, plus what we add (health,
// decoded meeting ids, lost meetings).

#include "store/records.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>
#include <unordered_map>

namespace b3s::core::api {

/// RFC 3339 in UTC with microseconds when there are any; 0 → "0001-01-01T00:00:00Z" (Go's
/// zero time, which b3scale's clients know).
std::string rfc3339(store::Micros at);

/// A JSON text as a value (object, array, string …); null when it is not JSON.
Poco::Dynamic::Var parseJsonValue(std::string_view text);

/// `load`: the balancer's figure for it (a number, or null when unknown); without `loads`
/// the field is left out (a body to merge a PATCH into).
using BackendLoadMap = std::unordered_map<std::string, double>;
Poco::JSON::Object::Ptr backendJson(const store::Backend& b, const BackendLoadMap* loads = nullptr);
/// `with_secret` false leaves bbb.secret out (lists for tenants).
Poco::JSON::Object::Ptr frontendJson(const store::Frontend& f, bool with_secret = true);
/// Every settings key b3scale shows, null or {} where unset.
Poco::JSON::Object::Ptr frontendSettingsJson(std::string_view settings_json);
Poco::JSON::Object::Ptr meetingJson(const store::Meeting& m, std::string_view frontend_key);
Poco::JSON::Object::Ptr commandJson(const store::Command& c);
/// A callback of the outbox: its URL with userinfo redacted, never its body (a token signed
/// for the frontend).
Poco::JSON::Object::Ptr callbackJson(const store::OutboxCallback& c, std::string_view frontend_key);
/// BBB's recording with b3scale's Go field names (spec b3scale-admin §1.5, without Go's
/// XMLName members); meeting ids as stored (frontend-encoded).
Poco::JSON::Object::Ptr recordingJson(const store::Recording& r);
/// b3scale's RecordingState: {record_id, recording, meeting_id, internal_meeting_id,
/// frontend_id, created_at, updated_at, synced_at}, plus ours: visibility (§8.3 read back).
Poco::JSON::Object::Ptr recordingStateJson(const store::Recording& r);

}  // namespace b3s::core::api
