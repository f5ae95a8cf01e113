#pragma once
// The URL a meeting-ended callback is delivered to: the frontend's URL exactly as it gave it
// (its own query parameters untouched and winning), plus only what BBB documents for this
// callback from the backend's query: `meetingID` (which must be the token's meeting; the
// frontend gets its own id, decoded) and `recordingmarks` (true/false). Everything else a
// caller appends is dropped, so a leaked proxy URL cannot be turned into a request of the
// caller's choosing.

#include "bbb/param_list.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::callbacks {

struct EndCallbackUrl {
    enum class Outcome {
        Deliver,       ///< `url` is set
        WrongMeeting,  ///< a meeting id parameter names another meeting than the token's
        InvalidUrl,    ///< the frontend's URL is not an absolute http(s) URL
    };
    Outcome outcome = Outcome::InvalidUrl;
    std::string url;
};

/// The delivery URL for `target_url` (the token's URL) given the backend's query `incoming`
/// and the token's (encoded) meeting id `bound_meeting`. Any of meetingID, meeting_id,
/// meetingId, meetingid in `incoming` must equal `bound_meeting`. Pure.
EndCallbackUrl endCallbackUrl(std::string_view target_url, const bbb::ParamList& incoming,
                              std::string_view bound_meeting);

}  // namespace b3s::core::callbacks
