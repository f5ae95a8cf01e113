#pragma once
// Subtitles and captions stored with a recording, in the files BBB's presentation player
// reads: caption_<lang>.vtt and captions.json in the recording's format directory.
// Our own SRT → WebVTT conversion: Debian has no library for it and it is a few line rules.

#include <b3s/plugin/recordings.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::recordings::filesystem {

/// captions.json is a few hundred bytes per track; more than this is not ours.
inline constexpr std::size_t kCaptionsJsonMaxBytes = 1024 * 1024;

/// caption_<lang>.vtt for subtitles (BBB's name, so its player finds them) and
/// caption_captions_<lang>.vtt for captions. Unambiguous: a lang never contains '_'.
std::string trackFileName(std::string_view kind, std::string_view lang);

/// WebVTT as is, SRT converted to WebVTT; anything else (SSA/ASS, binary, unknown) is
/// Unsupported with a sentence saying what to upload instead. Fills `vtt` on success.
plugin::StorageResult toWebVtt(std::string_view content, std::string& vtt);

/// One entry of captions.json: BBB's {"locale","localeName"} plus our "kind" and "source".
struct CaptionEntry {
    std::string kind;
    std::string lang;
    std::string label;
    std::string source;
};

/// Parses captions.json. Entries without a valid locale are dropped; a missing kind is
/// "subtitles" and a missing source "upload" (BBB writes neither). Throws FsFailure (Io) when
/// the text is not a JSON array.
std::vector<CaptionEntry> parseCaptionsJson(std::string_view json, const std::filesystem::path& file);
/// The array sorted by kind, then lang.
std::string renderCaptionsJson(std::vector<CaptionEntry> entries);

/// The tracks listed in <format_dir>/captions.json whose file exists, ordered by kind, then
/// lang; paths are `relative_dir`/<file>. Throws FsFailure when captions.json cannot be read.
std::vector<plugin::TextTrack> readTracks(const std::filesystem::path& format_dir, const std::string& relative_dir);

/// Writes the track file, then captions.json, each atomically (a reader never sees a track
/// listed without its file for long, nor a partial file). Throws FsFailure.
void storeTrack(const std::filesystem::path& format_dir, const CaptionEntry& entry, std::string_view vtt);
/// Removes the track from captions.json, then its file. Ok when there was none. Throws FsFailure.
void deleteTrack(const std::filesystem::path& format_dir, std::string_view kind, std::string_view lang);

}  // namespace b3s::recordings::filesystem
