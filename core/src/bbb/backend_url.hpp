#pragma once
// Signed URLs for calls the gateway forwards to a BBB backend, as b3scale builds them:
//
//   host[/] + callName + "?" + k1=v1&k2=v2… + "&checksum=" + sha256hex(callName + query + secret)
//
// Parameters are sorted by name (bytewise) and form-escaped; the client's checksum is never
// forwarded. Backends are always signed with SHA-256 (every BBB since 2.x accepts it).

#include "bbb/checksum.hpp"
#include "bbb/param_list.hpp"

#include <string>
#include <string_view>

namespace b3s::core::bbb {

/// Appends `text` form-escaped as Go's url.QueryEscape does: `A-Z a-z 0-9 - _ . ~` as is,
/// space as `+`, every other byte as `%XX` with upper-case hex. Thread-safety: pure function.
void appendFormEscaped(std::string& out, std::string_view text);

/// The query string b3scale signs: params sorted by name, `name=formEscape(value)` joined
/// with `&`, the `checksum` parameter left out, empty values kept (`k=`).
/// Names are form-escaped too. b3scale writes them raw; for every real BBB parameter name
/// (letters, digits, `_`, `-`, `.`) both are identical, and escaping keeps a client from
/// smuggling a second parameter to the backend with a name like `a%26meetingID%3Dx`.
/// Errors: none. Thread-safety: pure function.
std::string buildBackendQuery(const ParamList& params);

/// The full signed URL: `hostBaseUrl` (a `/` appended when missing) + `callName` + `?` +
/// query + `&checksum=` + hex, or `?checksum=` + hex when there are no parameters.
/// The checksum is lowercase hex of HASH(callName + query + secret), SHA-256 unless asked
/// otherwise. `hostBaseUrl` is the backend's API base, e.g.
/// `https://node1.example.org/bigbluebutton/api/`.
/// Errors: none. Thread-safety: pure function.
std::string buildBackendUrl(std::string_view hostBaseUrl, std::string_view callName, const ParamList& params,
                            std::string_view secret, ChecksumAlgorithm algorithm = ChecksumAlgorithm::Sha256);

}  // namespace b3s::core::bbb
