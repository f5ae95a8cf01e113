#include "bbb/meeting_state.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <sstream>
#include <utility>

namespace b3s::core::bbb {

std::string meetingStateJson(const XmlNode& meeting) {
    static constexpr std::pair<const char*, const char*> kFields[] = {
        {"meetingID", "MeetingID"},     {"internalMeetingID", "InternalMeetingID"},
        {"attendeePW", "AttendeePW"},   {"moderatorPW", "ModeratorPW"},
        {"voiceBridge", "VoiceBridge"}, {"dialNumber", "DialNumber"},
        {"createDate", "CreateDate"},
    };
    Poco::JSON::Object state(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [element, field] : kFields) state.set(field, meeting.childText(element).value_or(""));
    std::int64_t create_time = 0;
    const auto text = meeting.childText("createTime").value_or("");
    std::from_chars(text.data(), text.data() + text.size(), create_time);
    state.set("CreateTime", create_time);
    std::ostringstream out;
    state.stringify(out);
    return out.str();
}

std::optional<std::string> meetingStateField(std::string_view state_json, const std::string& field) {
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(std::string(state_json)).extract<Poco::JSON::Object::Ptr>();
        if (!object || !object->has(field)) return std::nullopt;
        auto value = object->getValue<std::string>(field);
        if (value.empty()) return std::nullopt;
        return value;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

}  // namespace b3s::core::bbb
