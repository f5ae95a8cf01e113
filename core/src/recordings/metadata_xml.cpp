#include "recordings/metadata_xml.hpp"

#include "bbb/callback_proxy_url.hpp"
#include "bbb/xml_tree.hpp"
#include "recordings/recording_metadata.hpp"
#include "recordings/recording_names.hpp"
#include "util/ascii.hpp"

#include <charconv>
#include <limits>

namespace b3s::core::recordings {
namespace {

constexpr std::string_view kSpace = " \t\r\n";

MetadataXmlResult refuse(std::string reason) {
    MetadataXmlResult r;
    r.error = std::move(reason);
    return r;
}

std::optional<std::string> attribute(const bbb::XmlNode& node, std::string_view name) {
    for (const auto& [n, v] : node.attributes)
        if (n == name) return v;
    return std::nullopt;
}

// Scalar fields are written by BBB's scripts on one line, but pretty-printers may wrap them.
std::string trimmedChild(const bbb::XmlNode& node, std::string_view name) {
    const auto text = node.childText(name);
    return text ? std::string(trimAny(*text, kSpace)) : std::string();
}

// An integer field; 0 with a warning when present but not an integer.
std::int64_t integerField(std::string_view text, std::string_view field, std::vector<std::string>& warnings) {
    if (text.empty()) return 0;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        warnings.push_back(std::string("The ").append(field).append(" is not an integer; 0 is used."));
        return 0;
    }
    return value;
}

int dimension(const bbb::XmlNode& image, std::string_view name) {
    const auto text = attribute(image, name);
    if (!text) return 0;
    const auto trimmed = trimAny(*text, kSpace);
    int value = 0;
    const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
    if (ec != std::errc() || end != trimmed.data() + trimmed.size() || value < 0) return 0;
    return value;
}

Metadata readMeta(const bbb::XmlNode* meta) {
    Metadata metadata;
    if (!meta) return metadata;
    // BBB copied the create's meta_ callbacks as the backend got them: proxy URLs whose tokens
    // the tenant must never read in its recordings. The index keeps the tenant's own URL.
    for (const auto& child : meta->children)
        if (child.kind == bbb::XmlNode::Kind::Element) {
            auto value = child.textContent();
            if (auto original = bbb::originalCallbackUrl(value)) value = std::move(*original);
            metadata.emplace_back(toLowerAscii(child.name), std::move(value));
        }
    normaliseMetadata(metadata);
    return metadata;
}

std::vector<PreviewImage> readPreview(const bbb::XmlNode& playback) {
    std::vector<PreviewImage> preview;
    const auto* extensions = playback.child("extensions");
    const auto* node = extensions ? extensions->child("preview") : nullptr;
    const auto* images = node ? node->child("images") : nullptr;
    if (!images) return preview;
    for (const auto* image : images->childrenNamed("image")) {
        std::string url(trimAny(image->textContent(), kSpace));
        if (url.empty()) continue;
        preview.push_back({std::move(url), attribute(*image, "alt").value_or(""), dimension(*image, "width"),
                           dimension(*image, "height")});
    }
    return preview;
}

}  // namespace

MetadataXmlResult parseMetadataXml(std::string_view xml) {
    if (xml.size() > kMaxMetadataXmlBytes) return refuse("The metadata.xml is larger than 1 MiB.");
    bbb::XmlParseLimits limits;
    limits.max_bytes = kMaxMetadataXmlBytes;
    limits.max_depth = 32;
    limits.max_nodes = 100'000;
    const auto root = bbb::parseXml(xml, limits);
    if (!root) {
        if (xml.find("<!DOCTYPE") != std::string_view::npos)
            return refuse("The metadata.xml has a DOCTYPE, which is refused (no DTDs, no entities).");
        return refuse("The metadata.xml is not well-formed XML (or exceeds the parser's limits).");
    }
    if (root->name != "recording") return refuse("The metadata.xml has no <recording> root element.");

    ImportedRecording out;
    auto& rec = out.recording;
    auto& warnings = out.warnings;

    rec.record_id = trimmedChild(*root, "id");
    if (rec.record_id.empty()) return refuse("The metadata.xml has no recording id.");
    if (!isValidRecordName(rec.record_id)) return refuse("The recording id is not [A-Za-z0-9_-]{1,200}.");

    const auto* playback = root->child("playback");
    auto& format = out.format;
    if (playback) {
        format.type = trimmedChild(*playback, "format");
        format.url = trimmedChild(*playback, "link");
    }
    if (format.type.empty() || format.url.empty()) return refuse("The metadata.xml has no playback format and link.");
    if (!isValidRecordName(format.type)) return refuse("The playback format name is not [A-Za-z0-9_-]{1,200}.");
    format.processing_time = integerField(trimmedChild(*playback, "processing_time"), "processing_time", warnings);
    const auto duration = integerField(trimmedChild(*playback, "duration"), "duration", warnings);
    format.length = duration > 0 ? duration / 60000 : 0;
    if (const auto size = trimmedChild(*playback, "size"); !size.empty()) {
        format.size = integerField(size, "size", warnings);
    }
    format.preview = readPreview(*playback);

    // BBB writes both <state> and <published>; when one is missing the other decides.
    const auto state = trimmedChild(*root, "state");
    const auto published = trimmedChild(*root, "published");
    if (!published.empty()) rec.published = published == "true";
    if (!state.empty())
        rec.state = state;
    else if (!published.empty())
        rec.state = rec.published ? "published" : "unpublished";
    if (published.empty() && !state.empty()) rec.published = state == "published";

    rec.start_time = integerField(trimmedChild(*root, "start_time"), "start_time", warnings);
    rec.end_time = integerField(trimmedChild(*root, "end_time"), "end_time", warnings);
    const auto participants = integerField(trimmedChild(*root, "participants"), "participants", warnings);
    rec.participants =
        participants > 0 && participants <= std::numeric_limits<int>::max() ? static_cast<int>(participants) : 0;

    rec.metadata = readMeta(root->child("meta"));
    const auto* meeting = root->child("meeting");
    const auto meetingAttribute = [&](std::string_view name) {
        return meeting ? attribute(*meeting, name) : std::nullopt;
    };

    if (const auto* id = findMetadata(rec.metadata, "meetingid")) {
        rec.meeting_id = *id;
    } else if (auto external = meetingAttribute("externalId")) {
        rec.meeting_id = std::move(*external);
        warnings.emplace_back("No meta meetingId; the meeting's externalId is used.");
    } else {
        warnings.emplace_back("No meta meetingId and no meeting externalId; the meeting id is empty.");
    }
    if (auto internal = meetingAttribute("id"); internal && !internal->empty())
        rec.internal_meeting_id = std::move(*internal);
    else if (!rec.meeting_id.empty())
        rec.internal_meeting_id = "DEPRECATED:" + rec.meeting_id;

    if (const auto* name = findMetadata(rec.metadata, "meetingname")) {
        rec.name = *name;
    } else if (auto name_attribute = meetingAttribute("name")) {
        rec.name = std::move(*name_attribute);
        warnings.emplace_back("No meta meetingName; the meeting's name is used.");
    } else {
        warnings.emplace_back("No meta meetingName and no meeting name; the name is empty.");
    }
    if (const auto* breakout = findMetadata(rec.metadata, "isbreakout"))
        rec.is_breakout = *breakout == "true";
    else
        rec.is_breakout = meetingAttribute("breakout").value_or("") == "true";

    rec.formats_json = formatsToJson({format});
    MetadataXmlResult result;
    result.imported = std::move(out);
    return result;
}

}  // namespace b3s::core::recordings
