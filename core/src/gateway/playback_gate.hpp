#pragma once
// Protected playback, the browser's side (spec b3scale-admin §8.5, bound tighter):
//
// GET /api/v1/protected/recordings/<link token>
//   The link getRecordings handed out for one format of one protected recording. Valid and
//   unexpired, the recording still the link's frontend's and published: sets the access
//   cookie of that one recording (PlaybackTokens::cookieName) for the playback host's domain
//   and answers 302 to the format's playback URL. Else an HTML page: 403 for a bad, expired
//   or foreign link, 404 for a recording that is gone, unpublished or lacks the format.
//
// GET /api/v1/protected/recordings/auth   (nginx auth_request on the playback host)
//   Header X-Resource-Path: the path nginx is about to serve (its raw $request_uri: the
//   query dropped, percent escapes decoded and "."/".." segments resolved here as nginx
//   does, so the file judged is the file served). A recording's files are
//   /<format>/<recordID>/…: the second segment is the record id, whatever its shape; a path
//   of one segment is no recording's file: 200. Below /playback/ (BBB's player, the same
//   shell for every recording) the record id is the first segment shaped like BBB's
//   (<hex>-<digits>), and a path without one is 200. A record id b3scaled does not know, or
//   an unpublished recording: 403 (deny what we cannot vouch for). Not protected: 200. Protected: 200 only with that
//   recording's unexpired cookie, issued for its owner; else 403.
//
// The cookie's Domain: B3SCALE_RECORDINGS_COOKIE_DOMAIN when set, else the longest parent
// domain the API host and the playback host share (b3scale took the last two labels, wrong
// for example.co.uk). Secure when the API URL is https; HttpOnly; SameSite=Lax.

#include "recordings/playback_tokens.hpp"
#include "store/store.hpp"

#include <b3s/plugin/recordings.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::gateway {

inline constexpr std::string_view kProtectedRecordingsPath = "/api/v1/protected/recordings/";
inline constexpr std::string_view kProtectedRecordingsAuthPath = "/api/v1/protected/recordings/auth";

/// The longest parent domain of both hosts with at least two labels ("example.co.uk" for
/// api.example.co.uk and play.example.co.uk), or nullopt when they share none. Pure.
std::optional<std::string> sharedCookieDomain(std::string_view host_a, std::string_view host_b);

/// The record id a playback path names, or nullopt (see above; the path is resolved as nginx
/// resolves it). Pure.
std::optional<std::string> recordIdInPath(std::string_view path);

struct PlaybackGateOptions {
    std::string api_url;        ///< public base URL of b3scaled
    std::string cookie_domain;  ///< empty: derived per request
};

class PlaybackGate {
public:
    /// Every reference must outlive the gate. `tokens` nullptr: protected playback is off
    /// (no B3SCALE_API_JWT_SECRET); links answer 403, auth answers 403 for protected ones.
    PlaybackGate(store::Store& store, const b3s::plugin::RecordingsStore& files,
                 const recordings::PlaybackTokens* tokens, PlaybackGateOptions options);

    /// Routes both paths above. Never throws.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

private:
    void follow(std::string_view token, Poco::Net::HTTPServerResponse& response) const;
    void authorize(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

    store::Store& store_;
    const b3s::plugin::RecordingsStore& files_;
    const recordings::PlaybackTokens* tokens_;
    PlaybackGateOptions options_;
};

}  // namespace b3s::core::gateway
