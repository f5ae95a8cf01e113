#include "text_tracks.hpp"

#include "durable_io.hpp"
#include "fs_failure.hpp"
#include "safe_paths.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>
#include <tuple>

namespace b3s::recordings::filesystem {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr const char* kCaptionsJson = "captions.json";

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

std::string_view withoutBom(std::string_view text) noexcept {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    return text;
}

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || text[i] == '\r') {
            lines.push_back(text.substr(start, i - start));
            if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            start = i + 1;
        }
    }
    if (start < text.size()) lines.push_back(text.substr(start));
    return lines;
}

std::string_view trimmed(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// H+:MM:SS[,.]mmm at `pos`; advances `pos` past it.
bool srtTime(std::string_view s, std::size_t& pos) noexcept {
    std::size_t p = pos, digits = 0;
    while (p < s.size() && isDigit(s[p])) ++p, ++digits;
    if (digits == 0 || p >= s.size() || s[p] != ':') return false;
    auto two = [&](char sep) {
        if (p + 3 > s.size() || s[p] != sep || !isDigit(s[p + 1]) || !isDigit(s[p + 2])) return false;
        p += 3;
        return true;
    };
    if (!two(':') || !two(':')) return false;
    if (p + 4 > s.size() || (s[p] != ',' && s[p] != '.') || !isDigit(s[p + 1]) || !isDigit(s[p + 2]) ||
        !isDigit(s[p + 3]))
        return false;
    pos = p + 4;
    return true;
}

// "00:00:01,000 --> 00:00:04,000" → the same with dots; position settings after the second
// time (an SRT extension WebVTT does not share) are dropped. Empty when not a timing line.
std::string srtTimingToVtt(std::string_view line) {
    line = trimmed(line);
    std::size_t pos = 0;
    if (!srtTime(line, pos)) return {};
    const auto first = line.substr(0, pos);
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (line.substr(pos, 3) != "-->") return {};
    pos += 3;
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    const auto second_start = pos;
    if (!srtTime(line, pos)) return {};
    std::string result = std::string(first) + " --> " + std::string(line.substr(second_start, pos - second_start));
    std::replace(result.begin(), result.end(), ',', '.');
    return result;
}

bool looksLikeSrt(const std::vector<std::string_view>& lines) {
    std::size_t i = 0;
    while (i < lines.size() && trimmed(lines[i]).empty()) ++i;
    if (i >= lines.size()) return false;
    auto first = trimmed(lines[i]);
    if (!first.empty() && std::all_of(first.begin(), first.end(), isDigit)) ++i;  // the cue number
    return i < lines.size() && !srtTimingToVtt(lines[i]).empty();
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) noexcept {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

std::string stringMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object->has(key)) return {};
    auto value = object->get(key);
    return value.isString() ? value.convert<std::string>() : std::string{};
}

bool trackLess(const CaptionEntry& a, const CaptionEntry& b) {
    return std::tie(a.kind, a.lang) < std::tie(b.kind, b.lang);
}

std::vector<CaptionEntry> readEntries(const std::filesystem::path& file) {
    if (entryType(file) == EntryType::Missing) return {};
    auto content = readFileCapped(file, kCaptionsJsonMaxBytes);
    if (!content) throw FsFailure(plugin::StorageFailure::Io, "The file " + file.string() + " is larger than 1 MiB.");
    return parseCaptionsJson(*content, file);
}

}  // namespace

std::string trackFileName(std::string_view kind, std::string_view lang) {
    return (kind == "captions" ? "caption_captions_" : "caption_") + std::string(lang) + ".vtt";
}

plugin::StorageResult toWebVtt(std::string_view content, std::string& vtt) {
    if (content.find('\0') != std::string_view::npos)
        return {plugin::StorageFailure::Unsupported,
                "The text track is a binary file; upload WebVTT (.vtt) or SubRip (.srt) text."};
    const auto text = withoutBom(content);
    if (text.substr(0, 6) == "WEBVTT" &&
        (text.size() == 6 || text[6] == ' ' || text[6] == '\t' || text[6] == '\n' || text[6] == '\r')) {
        vtt.assign(content);
        return {};
    }
    auto lines = splitLines(text);
    std::size_t first = 0;
    while (first < lines.size() && trimmed(lines[first]).empty()) ++first;
    if (first < lines.size() && startsWithNoCase(trimmed(lines[first]), "[Script Info]"))
        return {plugin::StorageFailure::Unsupported,
                "SSA/ASS text tracks are not supported; convert the file to WebVTT (.vtt) or SubRip (.srt) first."};
    if (!looksLikeSrt(lines))
        return {plugin::StorageFailure::Unsupported,
                "The text track is neither WebVTT nor SubRip (SRT); upload a .vtt or .srt file."};
    std::string out = "WEBVTT\n\n";
    out.reserve(text.size() + 16);
    for (auto line : lines) {
        auto timing = srtTimingToVtt(line);
        if (!timing.empty())
            out += timing;
        else
            out += line;
        out += '\n';
    }
    vtt = std::move(out);
    return {};
}

std::vector<CaptionEntry> parseCaptionsJson(std::string_view json, const std::filesystem::path& file) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(std::string(json));
    } catch (const Poco::Exception&) {
        throw FsFailure(plugin::StorageFailure::Io, "The file " + file.string() + " is not valid JSON.");
    }
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
        throw FsFailure(plugin::StorageFailure::Io, "The file " + file.string() + " is not a JSON array.");
    std::vector<CaptionEntry> entries;
    for (const auto& item : *parsed.extract<Poco::JSON::Array::Ptr>()) {
        if (item.type() != typeid(Poco::JSON::Object::Ptr)) continue;
        const auto object = item.extract<Poco::JSON::Object::Ptr>();
        CaptionEntry entry{stringMember(object, "kind"), stringMember(object, "locale"),
                           stringMember(object, "localeName"), stringMember(object, "source")};
        if (entry.kind.empty()) entry.kind = "subtitles";
        if (entry.source.empty()) entry.source = "upload";
        if (entry.label.empty()) entry.label = entry.lang;
        if (!isValidLang(entry.lang) || !isValidKind(entry.kind)) continue;
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::string renderCaptionsJson(std::vector<CaptionEntry> entries) {
    std::sort(entries.begin(), entries.end(), trackLess);
    Poco::JSON::Array array;
    for (const auto& e : entries) {
        Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        object->set("locale", e.lang);
        object->set("localeName", e.label);
        object->set("kind", e.kind);
        object->set("source", e.source);
        array.add(object);
    }
    std::ostringstream out;
    array.stringify(out);
    out << '\n';
    return out.str();
}

std::vector<plugin::TextTrack> readTracks(const std::filesystem::path& format_dir, const std::string& relative_dir) {
    auto entries = readEntries(format_dir / kCaptionsJson);
    std::sort(entries.begin(), entries.end(), trackLess);
    std::vector<plugin::TextTrack> tracks;
    for (auto& e : entries) {
        const auto name = trackFileName(e.kind, e.lang);
        if (entryType(format_dir / name) != EntryType::Regular) continue;
        if (!tracks.empty() && tracks.back().kind == e.kind && tracks.back().lang == e.lang) continue;
        tracks.push_back({e.kind, e.lang, e.label, e.source, relative_dir + "/" + name});
    }
    return tracks;
}

void storeTrack(const std::filesystem::path& format_dir, const CaptionEntry& entry, std::string_view vtt) {
    const auto json = format_dir / kCaptionsJson;
    auto entries = readEntries(json);  // before writing anything: a broken captions.json stops us
    writeFileAtomically(format_dir / trackFileName(entry.kind, entry.lang), vtt);
    std::erase_if(entries, [&](const CaptionEntry& e) { return e.kind == entry.kind && e.lang == entry.lang; });
    entries.push_back(entry);
    writeFileAtomically(json, renderCaptionsJson(std::move(entries)));
}

void deleteTrack(const std::filesystem::path& format_dir, std::string_view kind, std::string_view lang) {
    const auto json = format_dir / kCaptionsJson;
    auto entries = readEntries(json);
    auto removed = std::erase_if(entries, [&](const CaptionEntry& e) { return e.kind == kind && e.lang == lang; });
    if (removed > 0) writeFileAtomically(json, renderCaptionsJson(std::move(entries)));
    removeFile(format_dir / trackFileName(kind, lang));
}

}  // namespace b3s::recordings::filesystem
