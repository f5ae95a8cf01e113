#pragma once
// The recording calls until the recordings plugin keeps an index of recordings: valid BBB
// answers that say "nothing here", with BBB's own checks of required parameters first, so
// frontends behave as with a BBB server that has no recordings.
//   getRecordings          → SUCCESS, <recordings/>, noRecordings
//   publishRecordings      → missingParamRecordID / missingParamPublish / notFound
//   updateRecordings, deleteRecordings → missingParamRecordID / notFound
//   getRecordingTextTracks → JSON missingParameter / noRecordings
//   putRecordingTextTrack  → JSON paramError / noRecordings

#include "gateway/bbb_ingress.hpp"

namespace b3s::core::gateway {

BbbAnswer getRecordingsAnswer(const BbbCall& call);
BbbAnswer publishRecordingsAnswer(const BbbCall& call);
BbbAnswer updateOrDeleteRecordingsAnswer(const BbbCall& call);
BbbAnswer getRecordingTextTracksAnswer(const BbbCall& call);
BbbAnswer putRecordingTextTrackAnswer(const BbbCall& call);

}  // namespace b3s::core::gateway
