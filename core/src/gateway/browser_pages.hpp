#pragma once
// The few HTML pages a browser (not an API client) sees from b3scaled: the body of a join
// redirect, the "please wait" page while a meeting's server is prepared, and the dead ends.
// Each is a complete HTML5 document, UTF-8, without JavaScript or external resources (so it
// works under any Content-Security-Policy and needs no static files), and every inserted
// value is HTML-escaped, in text and in attributes alike.
//
// The URLs passed in are used as given: callers pass only URLs b3scaled built or verified
// itself (a backend join URL, a signed retry-join link), never one taken from a request.

#include <string>
#include <string_view>

namespace b3s::core::gateway {

/// Content-Type of every page below.
inline constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";

/// Body of a 302 answer: "You are being redirected", meta refresh 0 to `url`, and a link to
/// it for browsers that follow neither. Pure function.
std::string redirectPage(std::string_view url);

/// "Please wait, the meeting is being prepared": meta refresh after `refresh_s` seconds
/// (negative counts as 0) to `retry_url`, and a "Still waiting? Try again" link to the same
/// URL that fades in after 12 s (pure CSS animation). Pure function.
std::string retryJoinPage(std::string_view retry_url, int refresh_s);

/// "We could not find your meeting": it does not exist (yet); ask the organiser or use the
/// invitation link; a "Try again" link to `retry_url`. No automatic refresh. Pure function.
std::string meetingNotFoundPage(std::string_view retry_url);

/// "This meeting cannot take more participants": the organisation's attendee limit is
/// reached. No refresh, no link. Pure function.
std::string attendeesLimitPage();

/// "The meeting is not available right now": its server cannot be used at the moment; a
/// "Try again" link to `retry_url`. No automatic refresh. Pure function.
std::string serverUnavailablePage(std::string_view retry_url);

/// "This link is not valid any more": a retry-join link that expired or was tampered with.
/// No refresh, no link (the page has nothing trustworthy to link to).
std::string invalidLinkPage();
/// "You are not allowed to access this recording": a protected-playback link that is
/// invalid, expired, or names another frontend's recording. No link. Pure function.
std::string recordingForbiddenPage();
/// "We could not find this recording": deleted, unpublished or without that format. Pure.
std::string recordingNotFoundPage();

}  // namespace b3s::core::gateway
