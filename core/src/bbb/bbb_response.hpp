#pragma once
// THE one place that turns gateway outcomes into BBB API answers.
//
// Wire shape (bbb-web's, see bbb-api.md §2.3):
//   <response><returncode>FAILED</returncode><messageKey>K</messageKey><message>M</message></response>
// * messageKey comes BEFORE message, as bbb-web writes it (b3scale writes the opposite).
// * No XML declaration: bbb-web's own answers start with <response>, and clients parse
//   either form.
// * Every answer is sent with HTTP 200, FAILED ones included: BBB clients tell errors apart
//   by messageKey, never by status. The caller sets the status and Content-Type
//   (kXmlContentType); nothing here touches HTTP. (join's 302 is the caller's business.)
// * Clients must match on messageKey; message texts are informational and may change.

#include "bbb/query_string.hpp"
#include "bbb/xml_writer.hpp"

#include <string>
#include <string_view>

namespace b3s::core::bbb {

/// Content-Type of every XML answer.
inline constexpr std::string_view kXmlContentType = "text/xml;charset=UTF-8";
/// Content-Type of the JSON answers (getRecordingTextTracks, putRecordingTextTrack).
inline constexpr std::string_view kJsonContentType = "application/json;charset=UTF-8";
/// The API version the index reports (bbb-web and Scalelite both say 2.0).
inline constexpr std::string_view kApiVersion = "2.0";

/// A BBB messageKey with its human-readable message. Built by the factories below so every
/// key is spelled once; the few keys that also appear with SUCCESS (noMeetings,
/// noRecordings, sentEndMeetingRequest) are built here too and written with
/// SuccessResponse::messageKey().
/// The factories are pure and never fail (beyond std::bad_alloc); the result is a value
/// type, safe to copy across threads.
struct ApiError {
    std::string messageKey;
    std::string message;

    friend bool operator==(const ApiError&, const ApiError&) = default;

    // --- checksum and request shape ---------------------------------------------------
    /// Wrong, missing or malformed checksum. Never say which: that would help forgers.
    static ApiError checksumError();
    /// A constraint failed (bad meetingID length, malformed query, repeated parameter…).
    static ApiError validationError(std::string_view message);
    /// Maps a query-string parse error to validationError; `name` is the repeated name
    /// for RepeatedParameter (QueryParseResult::errorName).
    static ApiError invalidQuery(QueryError error, std::string_view name = {});
    /// Unknown call, or a method the call does not take (LB-only key, as Scalelite).
    static ApiError unsupportedRequest();
    /// A POST body of a type the call does not take (LB-only key, as Scalelite).
    static ApiError unsupportedContentType();
    /// A form-encoded body with parameters while B3SCALE_BBB_ACCEPT_FORM_BODIES=false: the
    /// checksum does not cover them. unsupportedContentType, with a message saying why.
    static ApiError formBodyRefused();

    // --- missing parameters -------------------------------------------------------------
    static ApiError missingParamMeetingID();
    static ApiError missingParamFullName();
    /// join with neither `role` nor `password` (older bbb-web key).
    static ApiError missingParamPassword();
    static ApiError missingParamRecordID();
    static ApiError missingParamPublish();

    // --- meetings --------------------------------------------------------------------
    /// Unknown meeting on getMeetingInfo, end, insertDocument, sendChatMessage (and join,
    /// as Scalelite answers it).
    static ApiError notFound();
    /// join on an unknown meeting (bbb-web's key for join).
    static ApiError invalidMeetingIdentifier();
    /// create with an existing meetingID but different passwords.
    static ApiError idNotUnique();
    /// create whose callback parameter `name` is not an absolute http(s) URL (b3scale's key:
    /// the backend would never be able to call it, and b3scale does not wrap it).
    static ApiError invalidCallbackUrl(std::string_view name);
    /// join over the frontend's attendees limit. bbb-web's key for a full meeting
    /// (maxParticipantsReached), so frontends handle it as they already do.
    static ApiError attendeesLimitReached();
    /// A frontend's calls beyond its rate_limit (b3scale's own key).
    static ApiError rateLimitExceeded();
    /// create of a new meeting beyond the frontend's meetings_limit (b3scale's own key).
    static ApiError meetingsLimitReached();

    // --- recordings ------------------------------------------------------------------
    /// publish/update/deleteRecordings on unknown recordings (bbb-web: notFound).
    static ApiError recordingsNotFound();
    /// b3scale's key for a recordID that is not known or not the caller's.
    static ApiError invalidRecordingIdentifier();
    /// getRecordings with no result: a SUCCESS note (FAILED only in the JSON text-track calls).
    static ApiError noRecordings();

    // --- notes that come with SUCCESS -----------------------------------------------------
    /// getMeetings with no meetings.
    static ApiError noMeetings();
    /// end accepted.
    static ApiError sentEndMeetingRequest();

    // --- the load balancer itself ---------------------------------------------------------
    /// No backend can take the call (none available, or the meeting's backend is offline).
    static ApiError serverUnavailable();
    /// create: no enabled, healthy backend carries the frontend's required tags
    /// (Scalelite answers internalError with this sentence).
    static ApiError noServerAvailable();
    /// create: a required `meta_server-tag` (`…!`) that no usable backend carries
    /// (Scalelite's key). `tags` is the list as the frontend sent it.
    static ApiError serverTagUnavailable(std::string_view tags);
    /// The meeting's backend could not be reached or did not answer in time
    /// (Scalelite's internalError sentence).
    static ApiError backendUnreachable();
    /// The backend answered something that is not a BBB answer.
    static ApiError backendAnswerUnreadable();
    /// JSON text-track calls: a required parameter is missing (bbb-web's key).
    static ApiError missingParameter(std::string_view name);
    /// Anything unexpected (database down, backend answer unreadable…). The message is
    /// sent to the client: never put backend URLs, secrets or raw exception text in it.
    static ApiError internalError(std::string_view message = "An internal error occurred.");
    /// A call the gateway knows but does not implement yet.
    static ApiError notImplemented();
};

/// `<response><returncode>FAILED</returncode><messageKey>K</messageKey><message>M</message></response>`.
/// Errors: none. Thread-safety: pure function.
std::string renderFailure(const ApiError& error);

/// The JSON form used by getRecordingTextTracks/putRecordingTextTrack:
/// `{"response":{"returncode":"FAILED","messageKey":"K","message":"M"}}`.
/// Errors: none. Thread-safety: pure function.
std::string renderFailureJson(const ApiError& error);

/// The index answer (`GET /bigbluebutton/api`, no checksum needed):
/// `<response><returncode>SUCCESS</returncode><version>2.0</version></response>`, plus
/// `<apiVersion>` when `apiVersion` is not empty. Errors: none. Thread-safety: pure function.
std::string renderIndex(std::string_view version = kApiVersion, std::string_view apiVersion = {});

/// Builder for SUCCESS answers: starts `<response><returncode>SUCCESS</returncode>`, lets
/// the caller add any children in order, and closes `</response>` in finish().
///   SuccessResponse r;
///   r.element("running", "false");
///   send(r.finish());
/// Nested content goes through xml(). Thread-safety: none; one builder per response.
class SuccessResponse {
public:
    SuccessResponse();

    /// `<name>text</name>` (escaped).
    SuccessResponse& element(std::string_view name, std::string_view text);
    /// `<messageKey>K</messageKey><message>M</message>` at the current position.
    SuccessResponse& messageKey(const ApiError& note);
    /// The underlying writer, positioned inside <response>, for nested elements.
    XmlWriter& xml() noexcept { return writer_; }
    /// False when a child had an invalid name or the writer was misused (then answer
    /// renderFailure(ApiError::internalError()) instead).
    bool ok() const noexcept { return writer_.ok(); }
    /// Closes every open element, </response> included, and returns the document.
    std::string finish();

private:
    XmlWriter writer_;
};

}  // namespace b3s::core::bbb
