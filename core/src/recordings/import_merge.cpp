#include "recordings/import_merge.hpp"

#include "recordings/recording_document.hpp"

#include <algorithm>

namespace b3s::core::recordings {

MergeResult mergeImport(const store::Recording& existing, const store::Recording& incoming) {
    MergeResult result{existing, false};
    auto& merged = result.recording;
    if (merged.participants <= 0) merged.participants = incoming.participants;
    if (merged.start_time == 0) merged.start_time = incoming.start_time;
    if (merged.end_time == 0) merged.end_time = incoming.end_time;

    const auto before = formatsFromJson(existing.formats_json, existing.record_id);
    auto formats = before;
    for (auto& format : formatsFromJson(incoming.formats_json, incoming.record_id)) {
        const auto same = std::find_if(formats.begin(), formats.end(),
                                       [&](const PlaybackFormat& f) { return f.type == format.type; });
        if (same != formats.end())
            *same = std::move(format);
        else
            formats.push_back(std::move(format));
    }
    if (formats != before) merged.formats_json = formatsToJson(formats);

    result.changed = !(merged == existing);
    return result;
}

}  // namespace b3s::core::recordings
