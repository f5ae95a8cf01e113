#pragma once
// The BBB recording calls, answered from core's recording index (recordings/) and the
// recordings plugin's files. Every lookup is scoped to the calling frontend: another
// frontend's recording is `notFound` for every call, also inside a list that names one of
// the caller's own (nothing is changed then).
//   getRecordings          → filters and pagination in the store's query; playback host
//                            applied; protected recordings get short-lived links to
//                            b3scaled and no thumbnails
//   publishRecordings      → files moved between the trees, then the row
//   updateRecordings       → metadata (meta_x= removes x)
//   deleteRecordings       → the row, then the files
//   getRecordingTextTracks / putRecordingTextTrack → JSON, as bbb-web answers them

#include "gateway/bbb_ingress.hpp"
#include "recordings/playback_tokens.hpp"
#include "recordings/recording_library.hpp"

#include <cstddef>
#include <string>

namespace b3s::core::gateway {

struct RecordingCallsContext {
    recordings::RecordingLibrary& library;
    store::Store& store;
    /// Signs protected-playback links; nullptr when B3SCALE_API_JWT_SECRET is unset (then
    /// protected recordings are listed without playback URLs rather than unprotected).
    const recordings::PlaybackTokens* tokens = nullptr;
    std::string api_url;  ///< public base URL of b3scaled, no trailing slash
    /// Uploads over this are refused before they reach the plugin (which has its own limit).
    std::size_t max_text_track_bytes = 8 * 1024 * 1024;
};

class RecordingCalls {
public:
    /// `context`'s references must outlive the calls.
    explicit RecordingCalls(RecordingCallsContext context) : context_(std::move(context)) {}

    BbbAnswer getRecordings(const BbbCall& call) const;
    BbbAnswer publishRecordings(const BbbCall& call) const;
    BbbAnswer updateRecordings(const BbbCall& call) const;
    BbbAnswer deleteRecordings(const BbbCall& call) const;
    BbbAnswer getRecordingTextTracks(const BbbCall& call) const;
    BbbAnswer putRecordingTextTrack(const BbbCall& call) const;

private:
    RecordingCallsContext context_;
};

}  // namespace b3s::core::gateway
